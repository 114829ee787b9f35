/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A container's root filesystem out of the store as a tar (export). It runs
   in a user namespace of the container's mapping (every file visible, and
   a mount namespace of its own for the merged view). */
#include <config.h>
#include "export.h"
#include "container.h"
#include <archive.h>
#include <archive_entry.h>
#include "dl.h"
#include "tree-tar.h"
#include "util.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

static char own_hostname[] = "etc/hostname", own_hosts[] = "etc/hosts",
            own_resolv[] = "etc/resolv.conf";
char *const pt_ctr_own_files[] = { own_hostname, own_hosts, own_resolv, NULL };

struct job
{
  const struct pt_ctr_spec *spec;
  int out;
};

/* The writable layer over the image's layers, read-only: an overlay with
   no upper needs no work directory and leaves the container's alone. */
static int
merged_view (const struct pt_ctr_spec *spec, char **where, pt_error_t *err)
{
  cleanup_free char *upper = xasprintf ("%s/upper", spec->dir);
  cleanup_free char *stamp = xasprintf ("%s/vfs.done", spec->dir);
  if (access (stamp, F_OK) == 0 || (spec->storage && strcmp (spec->storage, "vfs") == 0))
    {
      /* vfs: the writable layer is the whole root already (once started). */
      *where = xstrdup (upper);
      return access (stamp, F_OK) == 0 ? 0
                                       : pt_make_error (err, 0,
                                                        "the container has never "
                                                        "started: its vfs root is not made yet");
    }
  cleanup_free char *opts = xasprintf ("lowerdir=%s", upper);
  for (size_t i = pt_strv_len (spec->layers); i-- > 0;)
    {
      char *more = xasprintf ("%s:%s", opts, spec->layers[i]);
      free (opts);
      opts = more;
    }
  char *more = xasprintf ("%s,userxattr", opts);
  free (opts);
  opts = more;
  *where = xasprintf ("%s/merged", spec->dir);
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0
      || mount ("overlay", *where, "overlay", MS_RDONLY, opts) < 0)
    return pt_make_error (err, errno, "mount the container's root for export");
  return 0;
}

static int
export_in_userns (void *data, pt_error_t *err)
{
  struct job *j = data;
  cleanup_free char *root = NULL;
  if (merged_view (j->spec, &root, err) < 0)
    return -1;
  cleanup_close int dfd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return pt_make_error (err, errno, "open `%s`", root);
  /* What podtool wrote at create is the container's, not the image's
     (Podman binds its own over the image's): left out, as commit does. */
  return pt_tar_tree (dfd, j->out, pt_ctr_own_files, err);
}

int
pt_ctr_export (struct pt_store *s, const struct pt_idmap *m, const char *id, int out_fd,
               pt_error_t *err)
{
  struct pt_ctr_spec spec;
  if (pt_dl_archive (err) < 0 || pt_ctr_spec_read (s, id, &spec, err) < 0)
    return -1;
  struct job j = { &spec, out_fd };
  /* In the container's own map (keep-id's root is chowned to it). */
  int r = pt_userns_run_mode (m, spec.userns, export_in_userns, &j, err);
  pt_ctr_spec_free (&spec);
  return r;
}
