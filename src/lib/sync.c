/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "sync.h"
#include "util.h"
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

struct wire_header
{
  int32_t status;
  int32_t exit_code;
  uint32_t len;
};

void
pt_sync_send_error (int fd, pt_error_t err)
{
  struct wire_header h = { err->status, err->exit_code, strlen (err->msg) };
  if (h.len > 4000)
    h.len = 4000;
  char buf[sizeof h + 4000];
  memcpy (buf, &h, sizeof h);
  memcpy (buf + sizeof h, err->msg, h.len);
  (void)pt_write_all (fd, buf, sizeof h + h.len);
}

int
pt_sync_parse_error (const char *buf, size_t n, pt_error_t *err)
{
  struct wire_header h;
  if (n < sizeof h)
    return pt_make_error (err, 0, "short message on the sync socket");
  memcpy (&h, buf, sizeof h);
  size_t len = n - sizeof h < h.len ? n - sizeof h : h.len;
  pt_make_error_code (err, h.exit_code, h.status, "%.*s", (int)len, buf + sizeof h);
  return 1;
}

int
pt_sync_recv_error (int fd, pt_error_t *err)
{
  /* A stream: read exactly one message, the next one may follow it. */
  struct wire_header h;
  ssize_t n = pt_read_all (fd, &h, sizeof h);
  if (n < 0)
    return pt_make_error (err, errno, "read from the sync socket");
  if (n == 0)
    return 0;
  if ((size_t)n < sizeof h || h.len > 4000)
    return pt_make_error (err, 0, "bad message on the sync socket");
  char buf[4001];
  n = pt_read_all (fd, buf, h.len);
  buf[n > 0 ? n : 0] = '\0';
  pt_make_error_code (err, h.exit_code, h.status, "%s", buf);
  return 1;
}

int
pt_sync_recv_packet_error (int fd, pt_error_t *err)
{
  char buf[sizeof (struct wire_header) + 4001];
  ssize_t n;
  do
    n = recv (fd, buf, sizeof buf, 0);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return pt_make_error (err, errno, "read from the sync socket");
  if (n == 0)
    return 0;
  return pt_sync_parse_error (buf, n, err);
}

void
pt_sync_die (int fd, pt_error_t err)
{
  pt_sync_send_error (fd, err);
  _exit (1);
}

ssize_t
pt_sync_recv_fd (int fd, char *buf, size_t len, int *passed)
{
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  struct iovec iov = { buf, len };
  struct msghdr msg
      = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
  ssize_t n;
  do
    n = recvmsg (fd, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  struct cmsghdr *cm = n > 0 ? CMSG_FIRSTHDR (&msg) : NULL;
  if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
    memcpy (passed, CMSG_DATA (cm), sizeof (int));
  return n;
}

int
pt_sync_send_fd (int sock, char tag, int fd)
{
  struct iovec iov = { &tag, 1 };
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  memset (&u, 0, sizeof u);
  struct msghdr msg
      = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
  struct cmsghdr *cm = CMSG_FIRSTHDR (&msg);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (cm), &fd, sizeof (int));
  return sendmsg (sock, &msg, MSG_NOSIGNAL) < 0 ? -1 : 0;
}
