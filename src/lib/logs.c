/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "logs.h"
#include "util.h"
#include <errno.h>
#include <string.h>
#include <unistd.h>

bool
pt_log_parse_line (const char *line, size_t len, struct pt_log_record *r)
{
  const char *sp1 = memchr (line, ' ', len);
  if (sp1 == NULL)
    return false;
  const char *rest = sp1 + 1;
  size_t left = len - (rest - line);
  if (left >= 9 && strncmp (rest, "stdout ", 7) == 0)
    r->stream = 1;
  else if (left >= 9 && strncmp (rest, "stderr ", 7) == 0)
    r->stream = 2;
  else
    return false;
  rest += 7;
  left -= 7;
  if ((rest[0] != 'F' && rest[0] != 'P') || (left > 1 && rest[1] != ' '))
    return false;
  r->partial = rest[0] == 'P';
  r->stamp = line;
  r->stamp_len = sp1 - line;
  char stamp[64];
  snprintf (stamp, sizeof stamp, "%.*s", (int)r->stamp_len, line);
  r->ts_ns = pt_parse_time (stamp);
  r->text = left > 1 ? rest + 2 : rest + left;
  r->len = left > 1 ? left - 2 : 0;
  return true;
}

int
pt_logs_read (int fd, off_t *pos, pt_log_fn fn, void *data, pt_error_t *err)
{
  char buf[1 << 16];
  cleanup_free char *carry = NULL;
  size_t carry_len = 0;
  for (;;)
    {
      ssize_t n = pread (fd, buf, sizeof buf, *pos + carry_len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return pt_make_error (err, errno, "read the log");
      if (n == 0)
        return 0;
      carry = xrealloc (carry, carry_len + n);
      memcpy (carry + carry_len, buf, n);
      carry_len += n;
      size_t start = 0;
      for (;;)
        {
          char *nl = memchr (carry + start, '\n', carry_len - start);
          if (nl == NULL)
            break;
          struct pt_log_record r;
          if (pt_log_parse_line (carry + start, nl - (carry + start), &r))
            fn (&r, data);
          start = nl - carry + 1;
        }
      *pos += start;
      memmove (carry, carry + start, carry_len - start);
      carry_len -= start;
    }
}
