/* SPDX-License-Identifier: GPL-2.0-or-later */
/* How much a tree takes, as system df and ps --size report it, and the
   highest id that owns a file in it (--userns auto's size). */
#include <config.h>
#include "du.h"
#include "util.h"
#include <errno.h>
#include <ftw.h>
#include <string.h>
#include <sys/mman.h>

static uint64_t walked, max_id;

static int
add_size (const char *path, const struct stat *st, int type, struct FTW *ftw)
{
  (void)path, (void)ftw;
  if (type == FTW_F || type == FTW_SL)
    walked += st->st_size;
  if (st->st_uid > max_id)
    max_id = st->st_uid;
  if (st->st_gid > max_id)
    max_id = st->st_gid;
  return 0;
}

struct du_job
{
  char *const *dirs;
  uint64_t *out; /* shared with the parent: a size a dir, then the highest id */
};

static int
measure (void *data, pt_error_t *err)
{
  struct du_job *j = data;
  (void)err;
  size_t i;
  max_id = 0;
  for (i = 0; j->dirs[i]; i++)
    {
      walked = 0;
      nftw (j->dirs[i], add_size, 16, FTW_PHYS);
      j->out[i] = walked;
    }
  j->out[i] = max_id;
  return 0;
}

static int
walk (const struct pt_idmap *m, char *const *dirs, uint64_t *sizes, uint64_t *top, pt_error_t *err)
{
  size_t n = pt_strv_len ((char **)dirs), len = (n + 1) * sizeof (uint64_t);
  uint64_t *shared = mmap (NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED)
    return pt_make_error (err, errno, "mmap");
  memset (shared, 0, len);
  struct du_job j = { dirs, shared };
  int r = pt_userns_run (m, measure, &j, err);
  if (r == 0 && sizes)
    memcpy (sizes, shared, n * sizeof *shared);
  if (r == 0 && top)
    *top = shared[n];
  munmap (shared, len);
  return r;
}

int
pt_du (const struct pt_idmap *m, char *const *dirs, uint64_t *sizes, pt_error_t *err)
{
  return dirs[0] == NULL ? 0 : walk (m, dirs, sizes, NULL, err);
}

int
pt_du_max_id (const struct pt_idmap *m, char *const *dirs, uint64_t *max, pt_error_t *err)
{
  *max = 0;
  return dirs == NULL || dirs[0] == NULL ? 0 : walk (m, dirs, NULL, max, err);
}
