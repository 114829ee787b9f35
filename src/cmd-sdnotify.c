/* SPDX-License-Identifier: GPL-2.0-or-later */
/* run/create --sdnotify container|conmon|ignore: how a podtool started by
   systemd (NOTIFY_SOCKET set) tells it the service is ready. */
#include <config.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "cmd.h"
#include "cmd-run.h"
#include "lib/container.h"
#include "lib/log.h"
#include "lib/mounts.h"
#include "lib/util.h"

#define CTR_SOCKET "/run/notify/notify.sock"

int
pt_cli_sdnotify_parse (const char *arg, char **mode, pt_error_t *err)
{
  if (strcmp (arg, "container") && strcmp (arg, "conmon") && strcmp (arg, "ignore"))
    return pt_make_error (err, 0, "invalid --sdnotify `%s`: container, conmon or ignore", arg);
  free (*mode);
  *mode = xstrdup (arg);
  return 0;
}

/* container: systemd's socket bound into the container, and NOTIFY_SOCKET
   naming it there, so its own READY=1 reaches systemd. */
int
pt_cli_sdnotify_create (struct pt_ctr_spec *spec, pt_error_t *err)
{
  const char *sock = getenv ("NOTIFY_SOCKET");
  if (spec->sdnotify == NULL)
    spec->sdnotify = xstrdup ("container");
  if (sock == NULL || *sock == '\0' || strcmp (spec->sdnotify, "container") != 0)
    return 0;
  if (sock[0] != '/')
    {
      pt_warn ("NOTIFY_SOCKET `%s` is not a path: a container in a network namespace of its own "
               "cannot reach it (use --sdnotify conmon)",
               sock);
      return 0;
    }
  cleanup_free char *arg = xasprintf ("%s:%s", sock, CTR_SOCKET);
  struct pt_mount m;
  if (pt_mount_parse_volume (arg, &m, err) < 0)
    return pt_error_wrap (err, "--sdnotify container: NOTIFY_SOCKET");
  spec->mounts = xrealloc (spec->mounts, (spec->n_mounts + 1) * sizeof *spec->mounts);
  spec->mounts[spec->n_mounts++] = m;
  pt_strv_append (&spec->env, "NOTIFY_SOCKET=" CTR_SOCKET);
  return 0;
}

/* conmon: once the container runs, READY=1 with the monitor as the main pid. */
void
pt_cli_sdnotify_started (struct pt_store *s, const struct pt_ctr_spec *spec)
{
  const char *sock = getenv ("NOTIFY_SOCKET");
  struct pt_ctr_state st;
  pt_error_t e = NULL;
  if (sock == NULL || *sock == '\0' || spec->sdnotify == NULL
      || strcmp (spec->sdnotify, "conmon") != 0
      || strlen (sock) >= sizeof ((struct sockaddr_un){ 0 }.sun_path))
    return;
  if (pt_ctr_state (s, spec->id, &st, &e) < 0)
    {
      pt_error_release (&e);
      return;
    }
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  memcpy (a.sun_path, sock, strlen (sock));
  socklen_t len = offsetof (struct sockaddr_un, sun_path) + strlen (sock);
  if (a.sun_path[0] == '@')
    a.sun_path[0] = '\0'; /* an abstract socket */
  cleanup_free char *msg = xasprintf ("MAINPID=%d\nREADY=1\n", (int)st.monitor_pid);
  int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || sendto (fd, msg, strlen (msg), 0, (struct sockaddr *)&a, len) < 0)
    pt_warn ("tell systemd the container is ready through `%s`: %s", sock, strerror (errno));
  if (fd >= 0)
    close (fd);
}
