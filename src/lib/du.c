/* SPDX-License-Identifier: GPL-2.0-or-later */
/* How much a tree takes, as system df and ps --size report it. */
#include <config.h>
#include "du.h"
#include "util.h"
#include <errno.h>
#include <ftw.h>
#include <string.h>
#include <sys/mman.h>

static uint64_t walked;

static int
add_size (const char *path, const struct stat *st, int type, struct FTW *ftw)
{
  (void)path, (void)ftw;
  if (type == FTW_F || type == FTW_SL)
    walked += st->st_size;
  return 0;
}

struct du_job
{
  char *const *dirs;
  uint64_t *out; /* shared with the parent */
};

static int
measure (void *data, pt_error_t *err)
{
  struct du_job *j = data;
  (void)err;
  for (size_t i = 0; j->dirs[i]; i++)
    {
      walked = 0;
      nftw (j->dirs[i], add_size, 16, FTW_PHYS);
      j->out[i] = walked;
    }
  return 0;
}

int
pt_du (const struct pt_idmap *m, char *const *dirs, uint64_t *sizes, pt_error_t *err)
{
  size_t n = pt_strv_len ((char **)dirs);
  if (n == 0)
    return 0;
  uint64_t *shared
      = mmap (NULL, n * sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED)
    return pt_make_error (err, errno, "mmap");
  memset (shared, 0, n * sizeof *shared);
  struct du_job j = { dirs, shared };
  int r = pt_userns_run (m, measure, &j, err);
  if (r == 0)
    memcpy (sizes, shared, n * sizeof *shared);
  munmap (shared, n * sizeof *shared);
  return r;
}
