/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The container process's user: resolved from the image's files, its
   groups, its :U mounts, then its privileges dropped (capabilities,
   seccomp, no_new_privs). */
#include <config.h>
#include "linux-child.h"
#include "linux.h"
#include "caps.h"
#include "util.h"
#include "vfs.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>

static bool
parse_id (const char *s, unsigned long *out)
{
  long v;
  if (pt_parse_long (s, 0, 0xfffffffeL, &v) < 0)
    return false;
  *out = v;
  return true;
}

static int
lookup_group (const char *name, gid_t *gid, pt_error_t *err)
{
  unsigned long id;
  if (parse_id (name, &id))
    {
      *gid = id;
      return 0;
    }
  cleanup_file FILE *f = fopen ("/etc/group", "re");
  struct group *g;
  while (f && (g = fgetgrent (f)))
    if (strcmp (g->gr_name, name) == 0)
      {
        *gid = g->gr_gid;
        return 0;
      }
  return pt_make_error_code (err, PT_EXIT_CANNOT_INVOKE, 0,
                             "unable to find group %s: no matching entries in group file", name);
}

/* USER[:GROUP] through the image's own /etc/passwd and /etc/group, as Podman does. */
int
pt_resolve_user (const char *spec, struct pt_child_user *u, pt_error_t *err)
{
  cleanup_free char *user = xstrdup (*spec ? spec : "0");
  char *group = strchr (user, ':');
  if (group)
    *group++ = '\0';
  unsigned long id;
  bool numeric = parse_id (user, &id);
  const char *name = NULL;
  cleanup_free char *pw_name = NULL;
  cleanup_file FILE *f = fopen ("/etc/passwd", "re");
  struct passwd *pw;
  memset (u, 0, sizeof *u);
  while (f && (pw = fgetpwent (f)))
    if (numeric ? pw->pw_uid == id : strcmp (pw->pw_name, user) == 0)
      {
        u->uid = pw->pw_uid;
        u->gid = pw->pw_gid;
        u->home = xstrdup (pw->pw_dir);
        name = pw_name = xstrdup (pw->pw_name);
        break;
      }
  if (name == NULL)
    {
      if (!numeric)
        return pt_make_error_code (err, PT_EXIT_CANNOT_INVOKE, 0,
                                   "unable to find user %s: no matching entries in passwd file",
                                   user);
      u->uid = id;
      u->gid = 0;
      u->home = xstrdup ("/");
    }
  if (group && lookup_group (group, &u->gid, err) < 0)
    return -1;
  u->groups = xmalloc (sizeof (gid_t) * 64);
  u->groups[u->n_groups++] = u->gid;
  /* Supplementary groups only when the group was not forced. */
  cleanup_file FILE *g = (name && !group) ? fopen ("/etc/group", "re") : NULL;
  struct group *gr;
  while (g && (gr = fgetgrent (g)) && u->n_groups < 64)
    for (char **m = gr->gr_mem; *m; m++)
      if (strcmp (*m, name) == 0 && gr->gr_gid != u->gid)
        u->groups[u->n_groups++] = gr->gr_gid;
  return 0;
}

/* --group-add GID|NAME (names from the image's /etc/group), after the
   user's own; keep-groups is handled by not calling setgroups at all. */
int
pt_add_groups (const struct pt_ctr_spec *spec, struct pt_child_user *u, pt_error_t *err)
{
  for (size_t i = 0; spec->group_add && spec->group_add[i]; i++)
    {
      gid_t gid;
      if (strcmp (spec->group_add[i], "keep-groups") == 0)
        continue;
      if (lookup_group (spec->group_add[i], &gid, err) < 0)
        return -1;
      if (u->n_groups < 64)
        u->groups[u->n_groups++] = gid;
    }
  return 0;
}

static bool
keeps_groups (const struct pt_ctr_spec *spec)
{
  for (size_t i = 0; spec->group_add && spec->group_add[i]; i++)
    if (strcmp (spec->group_add[i], "keep-groups") == 0)
      return true;
  return false;
}

bool
pt_env_has (char **env, const char *key)
{
  size_t n = strlen (key);
  for (size_t i = 0; env && env[i]; i++)
    if (strncmp (env[i], key, n) == 0 && env[i][n] == '=')
      return true;
  return false;
}

int
pt_enter_workdir (const struct pt_ctr_spec *spec, pt_error_t *err)
{
  const char *cwd = *spec->cwd ? spec->cwd : "/";
  if (chdir (cwd) == 0)
    return 0;
  if (errno != ENOENT || spec->cwd_explicit)
    return pt_make_error_code (err, PT_EXIT_CANNOT_INVOKE, errno == ENOENT ? 0 : errno,
                               "workdir \"%s\" does not exist on container %s", cwd, spec->id);
  pt_error_t tmp = NULL;
  if (pt_mkdir_p (cwd, 0755, &tmp) < 0 || chdir (cwd) < 0)
    {
      pt_error_release (&tmp);
      return pt_make_error_code (err, PT_EXIT_CANNOT_INVOKE, errno, "create workdir `%s`", cwd);
    }
  return 0;
}

/* Without subordinate gids the map was written with setgroups denied. */
static bool
setgroups_denied (void)
{
  char buf[16] = "";
  cleanup_close int fd = open ("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
  return fd >= 0 && read (fd, buf, sizeof buf - 1) > 0 && strncmp (buf, "deny", 4) == 0;
}

/* The filter: none with --privileged or seccomp=unconfined, the profile
   given, or podtool's default. */
static int
load_seccomp (const struct pt_ctr_spec *spec, pt_error_t *err)
{
  if (spec->privileged || spec->seccomp_unconfined)
    return 0;
  if (spec->seccomp_profile && *spec->seccomp_profile)
    return pt_seccomp_load_profile (spec->seccomp_profile, err);
  return pt_seccomp_load_default (err);
}

int
pt_drop_privileges (const struct pt_ctr_spec *spec, const struct pt_child_user *u, pt_error_t *err)
{
  uint64_t caps;
  static char all_name[] = "ALL";
  char *all[] = { all_name, NULL };
  if (spec->no_new_privs && prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return pt_make_error (err, errno, "no_new_privs");
  if (pt_caps_mask (spec->privileged ? all : spec->cap_add, spec->cap_drop, &caps, err) < 0
      || pt_caps_drop_bounding (caps, err) < 0 || load_seccomp (spec, err) < 0)
    return -1;
  /* keep-groups: the user's own supplementary groups stay (what the
     namespace cannot map shows as the overflow group, nogroup). */
  if (!keeps_groups (spec) && setgroups (u->n_groups, u->groups) < 0
      && !(errno == EPERM && setgroups_denied ()))
    return pt_make_error (err, errno, "setgroups");
  if (setresgid (u->gid, u->gid, u->gid) < 0)
    return pt_make_error (err, errno, "setgid %d (is it mapped? see /etc/subgid)", (int)u->gid);
  if (setresuid (u->uid, u->uid, u->uid) < 0)
    return pt_make_error (err, errno, "setuid %d (is it mapped? see /etc/subuid)", (int)u->uid);
  if (u->uid == 0)
    return pt_caps_set (caps, err);
  return 0;
}

/* -v ...:U: what is mounted there becomes the container user's (through
   the namespace's map, so on the host it is that id's), as Podman does. */
static uid_t chown_uid;
static gid_t chown_gid;

static int
chown_one (const char *path, const struct stat *st, int type, struct FTW *ftw)
{
  (void)st, (void)type, (void)ftw;
  return lchown (path, chown_uid, chown_gid) < 0 && errno != EPERM ? -1 : 0;
}

int
pt_chown_mounts (const struct pt_ctr_spec *spec, const struct pt_child_user *u, pt_error_t *err)
{
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      if (!spec->mounts[i].chown)
        continue;
      chown_uid = u->uid, chown_gid = u->gid;
      if (nftw (spec->mounts[i].destination, chown_one, 16, FTW_PHYS | FTW_MOUNT) < 0)
        return pt_make_error (err, errno, "chown `%s` (:U)", spec->mounts[i].destination);
    }
  return 0;
}
