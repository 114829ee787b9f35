/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sealed memfd copies of our binaries: see sealed.h. */
#include <config.h>
#include "sealed.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define PT_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)

int
pt_sealed_copy (const char *path, pt_error_t *err)
{
  cleanup_close int src = open (path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (src < 0 || fstat (src, &st) < 0)
    return pt_make_error (err, errno, "open `%s`", path);
  const char *base = strrchr (path, '/');
  int fd = memfd_create (base ? base + 1 : path, MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0)
    return pt_make_error (err, errno, "memfd_create");
  off_t left = st.st_size;
  while (left > 0)
    {
      ssize_t n = sendfile (fd, src, NULL, left);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int e = n < 0 ? errno : EIO;
          close (fd);
          return pt_make_error (err, e, "copy `%s` into a sealed file", path);
        }
      left -= n;
    }
  if (fchmod (fd, 0555) < 0 || fcntl (fd, F_ADD_SEALS, PT_SEALS) < 0)
    {
      int e = errno;
      close (fd);
      return pt_make_error (err, e, "seal the copy of `%s`", path);
    }
  return fd;
}

int
pt_sealed_exec (int fd, char *const *argv, char *const *envp)
{
  return syscall (SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
}

void
pt_undumpable (void)
{
  prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);
}
