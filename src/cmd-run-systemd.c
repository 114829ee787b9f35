/* SPDX-License-Identifier: GPL-2.0-or-later */
/* run/create --systemd: a container whose command is an init gets what
   systemd needs, as Podman's systemd mode gives it. */
#include <config.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "cmd-run.h"
#include "lib/container.h"
#include "lib/mounts.h"
#include "lib/util.h"

int
pt_cli_systemd_parse (const char *arg, int *mode, pt_error_t *err)
{
  if (strcmp (arg, "true") == 0)
    *mode = PT_SYSTEMD_TRUE;
  else if (strcmp (arg, "false") == 0)
    *mode = PT_SYSTEMD_FALSE;
  else if (strcmp (arg, "always") == 0)
    *mode = PT_SYSTEMD_ALWAYS;
  else
    return pt_make_error (err, 0, "invalid --systemd `%s`: true, false or always", arg);
  return 0;
}

/* Podman's test: an init by its path, or systemd by its name. */
static bool
runs_an_init (char *const *argv)
{
  static const char *const inits[] = { "/sbin/init", "/usr/sbin/init", "/usr/local/sbin/init" };
  if (argv == NULL || argv[0] == NULL)
    return false;
  for (size_t i = 0; i < sizeof inits / sizeof *inits; i++)
    if (strcmp (argv[0], inits[i]) == 0)
      return true;
  const char *base = strrchr (argv[0], '/');
  return strcmp (base ? base + 1 : argv[0], "systemd") == 0;
}

static bool
mounted_at (const struct pt_ctr_spec *spec, const char *dst)
{
  for (size_t i = 0; i < spec->n_mounts; i++)
    if (strcmp (spec->mounts[i].destination, dst) == 0)
      return true;
  return false;
}

int
pt_cli_systemd_apply (int mode, bool stop_signal_given, struct pt_ctr_spec *spec, pt_error_t *err)
{
  if (mode == PT_SYSTEMD_FALSE || (mode == PT_SYSTEMD_TRUE && !runs_an_init (spec->argv)))
    return 0;
  spec->systemd = true;
  /* tmpfs where systemd writes, but where the user mounted something. */
  static const char *const tmpfs[] = { "/run:exec,mode=755", "/run/lock:exec,mode=1777",
                                       "/tmp:exec,mode=1777", "/var/log/journal:exec,mode=755" };
  for (size_t i = 0; i < sizeof tmpfs / sizeof *tmpfs; i++)
    {
      cleanup_free char *dst = xstrndup (tmpfs[i], strcspn (tmpfs[i], ":"));
      struct pt_mount m;
      if (mounted_at (spec, dst))
        continue;
      if (pt_mount_parse_tmpfs (tmpfs[i], &m, err) < 0)
        return -1;
      spec->mounts = xrealloc (spec->mounts, (spec->n_mounts + 1) * sizeof *spec->mounts);
      spec->mounts[spec->n_mounts++] = m;
    }
  /* $container, which systemd looks for, every container has already. */
  if (!stop_signal_given)
    spec->stop_signal = SIGRTMIN + 3;
  return 0;
}
