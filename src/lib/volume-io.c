/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podman volume export and import: a volume's files as a tar and back. */
#include <config.h>
#include "volume.h"
#include <archive.h>
#include <archive_entry.h>
#include "dl.h"
#include "layer.h"
#include "tree-tar.h"
#include "util.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

struct io_job
{
  const char *dir;
  int fd;
  const char *from;         /* import: where the tar is unpacked */
  struct pt_layer_job *job; /* import: the unpacking (shared memory) */
};

static int
export_in_userns (void *data, pt_error_t *err)
{
  struct io_job *j = data;
  cleanup_close int dfd = open (j->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return pt_make_error (err, errno, "open `%s`", j->dir);
  return pt_tar_tree (dfd, j->fd, NULL, err);
}

int
pt_volume_export (struct pt_store *s, const struct pt_idmap *m, const char *name, int out_fd,
                  pt_error_t *err)
{
  struct pt_volume v;
  if (pt_dl_archive (err) < 0 || pt_volume_lookup (s, name, &v, err) < 0)
    return -1;
  struct io_job j = { v.mountpoint, out_fd, NULL };
  int r = pt_userns_run (m, export_in_userns, &j, err);
  pt_volume_free (&v);
  return r;
}

/* Each top entry unpacked goes into the volume, over one of the same name. */
static int
import_in_userns (void *data, pt_error_t *err)
{
  struct io_job *j = data;
  if (pt_layer_extract_all (j->job, 1, err) < 0)
    return -1;
  DIR *d = opendir (j->from);
  if (d == NULL)
    return pt_make_error (err, errno, "open `%s`", j->from);
  struct dirent *de;
  int r = 0;
  while (r == 0 && (de = readdir (d)))
    {
      if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      cleanup_free char *src = xasprintf ("%s/%s", j->from, de->d_name);
      cleanup_free char *dst = xasprintf ("%s/%s", j->dir, de->d_name);
      pt_error_t e = NULL;
      if (pt_rmtree_at (AT_FDCWD, dst, &e) < 0)
        pt_error_release (&e);
      if (rename (src, dst) < 0)
        r = pt_make_error (err, errno, "move `%s` into the volume", de->d_name);
    }
  closedir (d);
  return r;
}

int
pt_volume_import (struct pt_store *s, const struct pt_idmap *m, const char *name, const char *tar,
                  pt_error_t *err)
{
  struct pt_volume v;
  if (pt_dl_archive (err) < 0 || pt_volume_lookup (s, name, &v, err) < 0)
    return -1;
  cleanup_free char *tmp = pt_store_mkdtemp (s, "volume-import", err);
  cleanup_free char *dest = tmp ? xasprintf ("%s/files", tmp) : NULL;
  struct pt_layer_job *job
      = mmap (NULL, sizeof *job, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  int r = tmp && job != MAP_FAILED ? 0 : -1;
  if (job == MAP_FAILED && tmp)
    r = pt_make_error (err, errno, "mmap");
  struct io_job j = { v.mountpoint, -1, dest, job };
  if (r == 0)
    {
      /* Unpacked as a layer is: by a worker chroot()ed into dest. */
      memset (job, 0, sizeof *job);
      job->tar_path = tar;
      job->dest = dest;
      r = pt_userns_run (m, import_in_userns, &j, err);
    }
  if (job != MAP_FAILED)
    munmap (job, sizeof *job);
  if (tmp)
    {
      pt_error_t e = NULL;
      if (pt_rmtree_at (AT_FDCWD, tmp, &e) < 0)
        pt_error_release (&e);
    }
  pt_volume_free (&v);
  return r;
}
