/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "caps.h"
#include "util.h"
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sched.h>
#include <seccomp.h>
#include <stdbool.h>
#include <sys/capability.h>
#include <sys/prctl.h>

static const cap_value_t default_caps[] = {
  CAP_CHOWN,   CAP_DAC_OVERRIDE, CAP_FOWNER,  CAP_FSETID, CAP_KILL,       CAP_NET_BIND_SERVICE,
  CAP_SETFCAP, CAP_SETGID,       CAP_SETPCAP, CAP_SETUID, CAP_SYS_CHROOT,
};
#define N_DEFAULT_CAPS (sizeof default_caps / sizeof *default_caps)

/* The number of "net_raw", "CAP_NET_RAW", "cap_net_raw"...; -1 for none. */
static int
cap_number (const char *name, cap_value_t *v)
{
  cleanup_free char *lower = xstrdup (name);
  for (char *p = lower; *p; p++)
    if (*p >= 'A' && *p <= 'Z')
      *p += 32;
  const char *bare = pt_str_has_prefix (lower, "cap_") ? lower + 4 : lower;
  cleanup_free char *full = xasprintf ("cap_%s", bare);
  if (*bare == '\0' || cap_from_name (full, v) < 0 || *v > CAP_LAST_CAP)
    return -1;
  return 0;
}

/* "CAP_CHOWN" for CAP_CHOWN's number. */
static char *
cap_display_name (cap_value_t v)
{
  char *n = cap_to_name (v);
  char *out = xasprintf ("CAP_%s", n && pt_str_has_prefix (n, "cap_") ? n + 4 : "?");
  cap_free (n);
  for (char *p = out; *p; p++)
    if (*p >= 'a' && *p <= 'z')
      *p -= 32;
  return out;
}

char *
pt_caps_normalize (const char *name)
{
  cap_value_t v;
  return cap_number (name, &v) < 0 ? NULL : cap_display_name (v);
}

char **
pt_caps_names (uint64_t mask)
{
  char **names = xzalloc (sizeof (char *));
  for (cap_value_t c = 0; c < 64; c++)
    if (mask & (1ULL << c))
      {
        cleanup_free char *n = cap_display_name (c);
        pt_strv_append (&names, n);
      }
  return names;
}

static int
apply (char *const *names, uint64_t *mask, bool add, pt_error_t *err)
{
  uint64_t all = CAP_LAST_CAP >= 63 ? ~0ULL : (1ULL << (CAP_LAST_CAP + 1)) - 1;
  for (size_t i = 0; names && names[i]; i++)
    {
      cap_value_t v;
      if (strcasecmp (names[i], "ALL") == 0)
        *mask = add ? all : 0;
      else if (cap_number (names[i], &v) < 0)
        return pt_make_error (err, 0, "unknown capability `%s`", names[i]);
      else if (add)
        *mask |= 1ULL << v;
      else
        *mask &= ~(1ULL << v);
    }
  return 0;
}

int
pt_caps_mask (char *const *add, char *const *drop, uint64_t *mask, pt_error_t *err)
{
  *mask = 0;
  for (size_t i = 0; i < N_DEFAULT_CAPS; i++)
    *mask |= 1ULL << default_caps[i];
  return apply (add, mask, true, err) < 0 || apply (drop, mask, false, err) < 0 ? -1 : 0;
}

int
pt_caps_drop_bounding (uint64_t mask, pt_error_t *err)
{
  for (cap_value_t c = 0; c <= CAP_LAST_CAP; c++)
    if (!(mask & (1ULL << c)) && prctl (PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
      return pt_make_error (err, errno, "drop capability %d from the bounding set", c);
  return 0;
}

int
pt_caps_set (uint64_t mask, pt_error_t *err)
{
  cap_value_t v[64];
  int n = 0;
  for (cap_value_t c = 0; c <= CAP_LAST_CAP; c++)
    if (mask & (1ULL << c))
      v[n++] = c;
  cap_t caps = cap_init ();
  if (caps == NULL)
    return pt_make_error (err, errno, "cap_init");
  int r = 0;
  if ((n
       && (cap_set_flag (caps, CAP_PERMITTED, n, v, CAP_SET) < 0
           || cap_set_flag (caps, CAP_EFFECTIVE, n, v, CAP_SET) < 0))
      || cap_set_proc (caps) < 0)
    r = pt_make_error (err, errno, "set the container's capabilities");
  cap_free (caps);
  return r;
}

static const char *const denied_syscalls[] = {
  "acct",
  "add_key",
  "bpf",
  "clock_adjtime",
  "clock_settime",
  "create_module",
  "delete_module",
  "finit_module",
  "fsconfig",
  "fsmount",
  "fsopen",
  "fspick",
  "get_kernel_syms",
  "init_module",
  "ioperm",
  "iopl",
  "kexec_file_load",
  "kexec_load",
  "keyctl",
  "lookup_dcookie",
  "mount",
  "mount_setattr",
  "move_mount",
  "name_to_handle_at",
  "nfsservctl",
  "open_by_handle_at",
  "open_tree",
  "perf_event_open",
  "pivot_root",
  "query_module",
  "quotactl",
  "reboot",
  "request_key",
  "setns",
  "settimeofday",
  "stime",
  "swapoff",
  "swapon",
  "syslog",
  "sysfs",
  "_sysctl",
  "umount",
  "umount2",
  "unshare",
  "uselib",
  "userfaultfd",
  "ustat",
  "vm86",
  "vm86old",
};

int
pt_seccomp_load_default (pt_error_t *err)
{
  scmp_filter_ctx ctx = seccomp_init (SCMP_ACT_ALLOW);
  if (ctx == NULL)
    return pt_make_error (err, ENOMEM, "seccomp_init");
  int r = 0;
  for (size_t i = 0; i < sizeof denied_syscalls / sizeof *denied_syscalls; i++)
    {
      int nr = seccomp_syscall_resolve_name (denied_syscalls[i]);
      if (nr == __NR_SCMP_ERROR)
        continue;
      if ((r = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EPERM), nr, 0)) < 0)
        break;
    }
  /* New namespaces need CAP_SYS_ADMIN in Podman's profile; clone3 hides its
     flags in memory, so it says ENOSYS and libc falls back to clone. */
  static const unsigned long ns_flags[]
      = { CLONE_NEWNS,  CLONE_NEWUTS, CLONE_NEWIPC,   CLONE_NEWUSER,
          CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP };
  for (size_t i = 0; r == 0 && i < sizeof ns_flags / sizeof *ns_flags; i++)
    r = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EPERM), SCMP_SYS (clone), 1,
                          SCMP_A0 (SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i]));
  if (r == 0)
    r = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (ENOSYS), SCMP_SYS (clone3), 0);
  if (r == 0)
    r = seccomp_load (ctx);
  seccomp_release (ctx);
  if (r < 0)
    return pt_make_error (err, -r, "load the seccomp filter");
  return 0;
}
