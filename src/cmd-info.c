/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool info: the facts that decide what containers get here (cgroups,
   id mappings, storage), in `podman info`'s shape. */
#include <config.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include "cmd.h"
#include "lib/yaml.h"
#include "lib/caps.h"
#include "lib/cgroup.h"
#include "lib/container.h"
#include "lib/image.h"
#include "lib/monitor.h"
#include "lib/util.h"

static json_t *
id_map_json (unsigned long self, const struct pt_id_range *r, int n)
{
  json_t *arr = json_array ();
  unsigned long next = 1;
  json_array_append_new (arr, json_pack ("{s:i, s:I, s:i}", "container_id", 0, "host_id",
                                         (json_int_t)self, "size", 1));
  for (int i = 0; i < n; i++)
    {
      json_array_append_new (arr, json_pack ("{s:I, s:I, s:I}", "container_id", (json_int_t)next,
                                             "host_id", (json_int_t)r[i].start, "size",
                                             (json_int_t)r[i].count));
      next += r[i].count;
    }
  return arr;
}

/* Where containers' cgroups go, or why they get none. */
static json_t *
cgroups_json (void)
{
  cleanup_free char *why = NULL;
  cleanup_free char *parent = pt_cgroup_parent (NULL, &why);
  cleanup_free char *controllers = NULL;
  if (parent)
    {
      cleanup_free char *up = xstrndup (parent, strrchr (parent, '/') - parent);
      cleanup_free char *path = xasprintf ("%s/cgroup.controllers", up);
      pt_error_t tmp = NULL;
      if (pt_read_file (AT_FDCWD, path, &controllers, NULL, &tmp) < 0)
        pt_error_release (&tmp);
      if (controllers)
        controllers[strcspn (controllers, "\n")] = '\0';
    }
  json_t *list = json_array ();
  for (char *save = NULL, *w = controllers ? strtok_r (controllers, " ", &save) : NULL; w;
       w = strtok_r (NULL, " ", &save))
    json_array_append_new (list, json_string (w));
  return json_pack ("{s:s, s:s, s:o, s:s, s:s}", "cgroupManager", "cgroupfs", "cgroupVersion",
                    parent || !why || !strstr (why, "not mounted") ? "v2" : "v1",
                    "cgroupControllers", list, "cgroupParent", parent ? parent : "",
                    "cgroupsUnavailable", why ? why : "");
}

static json_t *
store_json (struct pt_store *s, const char *driver, pt_error_t *err)
{
  struct pt_image_list images = { 0 };
  cleanup_strv char **ids = NULL;
  if (pt_image_list_read (s, &images, err) < 0 || pt_ctr_list (s, &ids, err) < 0)
    return NULL;
  int count[5] = { 0 }; /* by enum pt_ctr_status */
  for (size_t i = 0; ids[i]; i++)
    {
      struct pt_ctr_state st;
      pt_error_t tmp = NULL;
      if (pt_ctr_state (s, ids[i], &st, &tmp) < 0)
        pt_error_release (&tmp);
      else
        count[st.status]++;
    }
  json_t *j = json_pack (
      "{s:s, s:s, s:s, s:{s:I}, s:{s:I, s:i, s:i, s:i}}", "graphRoot", s->root, "runRoot",
      s->runroot, "graphDriverName", driver, "imageStore", "number", (json_int_t)images.n,
      "containerStore", "number", (json_int_t)pt_strv_len (ids), "paused", count[PT_CTR_PAUSED],
      "running", count[PT_CTR_RUNNING], "stopped", count[PT_CTR_EXITED] + count[PT_CTR_CREATED] + count[PT_CTR_INITIALIZED]);
  pt_image_list_free (&images);
  return j;
}

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

/* The default capabilities, sorted by name as podman info lists them. */
static char *
default_caps (void)
{
  uint64_t mask = 0;
  pt_error_t tmp = NULL;
  if (pt_caps_mask (NULL, NULL, &mask, &tmp) < 0)
    pt_error_release (&tmp);
  cleanup_strv char **names = pt_caps_names (mask);
  qsort (names, pt_strv_len (names), sizeof *names, compare_strings);
  return pt_strv_join (names, ",");
}

static json_t *
host_json (const struct pt_idmap *m)
{
  struct utsname u;
  struct sysinfo si;
  char host[256] = "";
  uname (&u);
  sysinfo (&si);
  gethostname (host, sizeof host - 1);
  cleanup_free char *conmon = pt_monitor_path ();
  cleanup_free char *caps = default_caps ();
  json_t *j = cgroups_json ();
  json_t *maps = json_pack ("{s:o, s:o}", "uidmap", id_map_json (m->uid, m->uids, m->n_uids),
                            "gidmap", id_map_json (m->gid, m->gids, m->n_gids));
  json_object_update_new (
      j, json_pack ("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:{s:s}, s:o, s:{s:b, s:b, s:s}}", "arch",
                    u.machine, "os", "linux", "kernel", u.release, "hostname", host, "memTotal",
                    (json_int_t)si.totalram * si.mem_unit, "memFree",
                    (json_int_t)si.freeram * si.mem_unit, "uptime", (json_int_t)si.uptime, "conmon",
                    "path", conmon, "idMappings", maps, "security", "rootless", getuid () != 0,
                    "seccompEnabled", 1, "capabilities", caps));
  return j;
}

static const struct pt_flag info_flags[] = {
  { 'D', "debug", 'D', NULL, "More information", PT_FLAG_NO_EFFECT, "podtool shows all it has" },
  { 'f', "format", 'f', "FORMAT", "Go template, or json" },
  { 0, NULL, 0, NULL, NULL },
};

static int
info_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  const char *format = NULL;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_info, argc, argv, err)) != -1)
    switch (c)
      {
      case 'f': format = optarg; break;
      default: return -1;
      }
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  json_t *store = m ? store_json (s, g->storage_driver ? g->storage_driver : "overlay", err) : NULL;
  if (store == NULL)
    return -1;
  struct utsname u;
  uname (&u);
  const char *arch = strcmp (u.machine, "x86_64") == 0    ? "amd64"
                     : strcmp (u.machine, "aarch64") == 0 ? "arm64"
                                                          : u.machine;
  cleanup_free char *os_arch = xasprintf ("linux/%s", arch);
  json_t *j = json_pack ("{s:o, s:o, s:{s:s, s:s}}", "host", host_json (m), "store", store,
                         "version", "Version", PACKAGE_VERSION, "OsArch", os_arch);
  int r = 0;
  if (format && strcmp (format, "json") == 0)
    pt_cli_print_json (j);
  else if (format)
    {
      json_t *items = json_pack ("[O]", j);
      r = pt_cli_format (format, items, NULL, err);
      json_decref (items);
    }
  else
    {
      /* podman info's default: YAML, keys in order (lib/yaml.c). */
      json_t *docs = json_pack ("[O]", j);
      cleanup_free char *y = pt_yaml_emit (docs, err);
      json_decref (docs);
      if (y == NULL)
        r = -1;
      else
        fputs (y, stdout);
    }
  json_decref (j);
  return r;
}

const struct pt_cmd pt_cmd_info = {
  .name = "info",
  .usage = "[options]",
  .summary = "Show what this machine gives containers: cgroups, id mappings, storage",
  .flags = info_flags,
  .exec = info_exec,
};
