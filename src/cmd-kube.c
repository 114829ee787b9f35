/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool kube: generate (lib/kube-generate.c), play and down
   (cmd-kube-play.c). */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "cmd-kube.h"
#include "lib/kube.h"
#include "lib/util.h"
#include "lib/yaml.h"

static const struct pt_flag generate_flags[] = {
  { 'f', "filename", 'f', "FILE", "Write the YAML to FILE (which must not exist)" },
  { 's', "service", 's', NULL, "Add a Service (NodePort) of the ports" },
  { 0, NULL, 0, NULL, NULL },
};

static int
generate_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  const char *file = NULL;
  bool service = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_kube_generate, argc, argv, err)) != -1)
    switch (c)
      {
      case 'f': file = optarg; break;
      case 's': service = pt_cli_optbool; break;
      default: return -1;
      }
  if (optind >= argc)
    return pt_cli_need_args (&pt_cmd_kube_generate, 0, 1, -1, err);
  if (file && access (file, F_OK) == 0)
    return pt_make_error (err, EEXIST, "cannot write to %s: the file exists", file);
  struct pt_store *s = pt_global_store (g, err);
  json_t *docs = NULL;
  cleanup_strv char **refs = pt_strv_dup (argv + optind);
  if (s == NULL || pt_kube_generate (s, refs, service, &docs, err) < 0)
    return -1;
  cleanup_free char *yaml = pt_yaml_emit (docs, err);
  json_decref (docs);
  if (yaml == NULL)
    return -1;
  cleanup_free char *text = xasprintf ("# Save the output of this file and use kubectl create -f "
                                       "to import it into Kubernetes.\n#\n# Created with "
                                       "podtool-%s\n%s",
                                       PACKAGE_VERSION, yaml);
  if (file)
    return pt_write_file_atomic (AT_FDCWD, file, text, strlen (text), 0644, 0, err);
  fputs (text, stdout);
  return 0;
}

const struct pt_cmd pt_cmd_kube_generate = {
  .name = "generate",
  .usage = "[options] CONTAINER|POD [CONTAINER|POD...]",
  .summary = "Kubernetes YAML (a Pod, and a Service) of containers or pods",
  .flags = generate_flags,
  .exec = generate_exec,
};

static const struct pt_cmd *const kube_verbs[] = {
  &pt_cmd_kube_down,
  &pt_cmd_kube_generate,
  &pt_cmd_kube_play,
  NULL,
};

const struct pt_cmd pt_cmd_kube = {
  .name = "kube",
  .usage = "down|generate|play [ARG...]",
  .summary = "Play containers and pods from Kubernetes YAML, and generate it",
  .subs = kube_verbs,
};
