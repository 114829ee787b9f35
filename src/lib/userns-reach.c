/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A --userns mode that does not map the user (nomap, auto, a --uidmap
   without intermediate 0): its root is no one the user's 0700 directories
   let in. As Podman does, the way down to the container's directory and its
   volumes is opened for search (0711: names must be known, nothing can be
   listed; the store's images and layers stay closed), and a new volume is
   given to the container's root. */
#include <config.h>
#include "userns-reach.h"
#include "userns.h"
#include "util.h"
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

bool
pt_userns_mode_maps_user (const struct pt_idmap *m, const char *mode)
{
  struct pt_map u, g;
  pt_error_t tmp = NULL;
  if (pt_userns_mode_default (mode))
    return true;
  if (pt_map_for_mode (m, mode, false, &u, &tmp) < 0
      || pt_map_for_mode (m, mode, true, &g, &tmp) < 0)
    {
      pt_error_release (&tmp);
      return true; /* the start reports the mode's error */
    }
  return pt_map_inside (&u, m->uid) >= 0 && pt_map_inside (&g, m->gid) >= 0;
}

/* Every directory above `dir` must let others search it: the user's own
   are opened (0711, as Podman does to a 0700 home); another's that does not
   is an error naming it. */
static int
check_above (const char *dir, const char *mode, pt_error_t *err)
{
  cleanup_free char *p = xstrdup (dir);
  for (char *slash = strrchr (p, '/'); slash; slash = strrchr (p, '/'))
    {
      *slash = '\0';
      struct stat st;
      const char *d = *p ? p : "/";
      if (stat (d, &st) < 0)
        return pt_make_error (err, errno, "stat `%s`", d);
      if (st.st_mode & S_IXOTH)
        continue;
      if (st.st_uid != getuid () || chmod (d, (st.st_mode & 07777) | 0711) < 0)
        return pt_make_error (err, 0,
                              "--userns %s: the container's root is not you on the host, and "
                              "`%s` does not let others search it (chmod o+x `%s`)",
                              mode, d, d);
    }
  return 0;
}

static int
open_search (const char *dir, pt_error_t *err)
{
  struct stat st;
  if (stat (dir, &st) < 0)
    return pt_make_error (err, errno, "stat `%s`", dir);
  if ((st.st_mode & 0711) != 0711 && chmod (dir, (st.st_mode & 07777) | 0711) < 0)
    return pt_make_error (err, errno, "chmod `%s`", dir);
  return 0;
}

struct give
{
  char **dirs;
  long uid, gid;
};

static int
give_in_userns (void *data, pt_error_t *err)
{
  struct give *g = data;
  for (char **d = g->dirs; d && *d; d++)
    if (chown (*d, (uid_t)g->uid, (gid_t)g->gid) < 0)
      return pt_make_error (err, errno, "chown `%s`", *d);
  return 0;
}

int
pt_userns_reach (const struct pt_idmap *m, const struct pt_ctr_spec *spec, pt_error_t *err)
{
  if (pt_userns_mode_maps_user (m, spec->userns))
    return 0;
  /* dir is ROOT/containers/ID */
  cleanup_free char *containers = xstrndup (spec->dir, strrchr (spec->dir, '/') - spec->dir);
  cleanup_free char *root = xstrndup (containers, strrchr (containers, '/') - containers);
  if (check_above (root, spec->userns, err) < 0 || open_search (root, err) < 0
      || open_search (containers, err) < 0 || open_search (spec->dir, err) < 0)
    return -1;
  cleanup_strv char **fresh = NULL;
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      const struct pt_mount *mt = &spec->mounts[i];
      if (strcmp (mt->type, "volume") != 0 || mt->tmpfs_opts || mt->source == NULL)
        continue;
      cleanup_free char *vol = xstrndup (mt->source, strrchr (mt->source, '/') - mt->source);
      cleanup_free char *vols = xstrndup (vol, strrchr (vol, '/') - vol);
      cleanup_free char *mark = xasprintf ("%s/needs-copyup", vol);
      if (open_search (vols, err) < 0 || open_search (vol, err) < 0)
        return -1;
      if (access (mark, F_OK) == 0)
        pt_strv_append (&fresh, mt->source);
    }
  if (fresh == NULL)
    return 0;
  /* A new volume is the container root's, as the image's files will be. */
  struct pt_map su, sg, u, g;
  if (pt_map_for_mode (m, "", false, &su, err) < 0 || pt_map_for_mode (m, "", true, &sg, err) < 0
      || pt_map_for_mode (m, spec->userns, false, &u, err) < 0
      || pt_map_for_mode (m, spec->userns, true, &g, err) < 0)
    return -1;
  struct give j = { .dirs = fresh,
                    .uid = pt_map_inside (&su, (unsigned long)pt_map_outside (&u, 0)),
                    .gid = pt_map_inside (&sg, (unsigned long)pt_map_outside (&g, 0)) };
  if (j.uid < 0 || j.gid < 0)
    return pt_make_error (err, 0, "--userns %s maps no root", spec->userns);
  return pt_userns_run (m, give_in_userns, &j, err);
}
