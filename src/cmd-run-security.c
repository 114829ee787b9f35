/* SPDX-License-Identifier: GPL-2.0-or-later */
/* run/create --privileged and --security-opt (Podman's spellings). */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "cmd-run.h"
#include "lib/caps.h"
#include "lib/container.h"
#include "lib/util.h"

/* PATH[:PATH...], each absolute. */
static int
add_paths (const char *flag, const char *list, char ***out, pt_error_t *err)
{
  cleanup_free char *copy = xstrdup (list);
  for (char *save = NULL, *p = strtok_r (copy, ":", &save); p; p = strtok_r (NULL, ":", &save))
    {
      if (p[0] != '/' && strcmp (p, "ALL") != 0)
        return pt_make_error (err, 0, "invalid --security-opt %s=`%s`: absolute paths", flag, p);
      pt_strv_append (out, p);
    }
  return 0;
}

static int
seccomp_option (const char *v, struct pt_ctr_spec *spec, pt_error_t *err)
{
  if (strcmp (v, "unconfined") == 0)
    {
      spec->seccomp_unconfined = true;
      return 0;
    }
  cleanup_free char *text = NULL;
  if (pt_read_file (AT_FDCWD, v, &text, NULL, err) < 0)
    return pt_error_wrap (err, "--security-opt seccomp");
  if (pt_seccomp_check_profile (text, err) < 0)
    return pt_error_wrap (err, "--security-opt seccomp=%s", v);
  free (spec->seccomp_profile);
  spec->seccomp_profile = steal_pointer (&text);
  return 0;
}

static int
security_opt (const char *arg, struct pt_ctr_spec *spec, pt_error_t *err)
{
  const char *eq = strchr (arg, '=');
  cleanup_free char *key = eq ? xstrndup (arg, eq - arg) : xstrdup (arg);
  const char *v = eq ? eq + 1 : "";
  if (strcmp (key, "no-new-privileges") == 0)
    {
      if (*v && strcmp (v, "true") && strcmp (v, "false"))
        return pt_make_error (err, 0, "invalid --security-opt `%s`: no-new-privileges[=true|false]",
                              arg);
      spec->no_new_privs = strcmp (v, "false") != 0;
      return 0;
    }
  if (strcmp (key, "seccomp") == 0 && *v)
    return seccomp_option (v, spec, err);
  if (strcmp (key, "mask") == 0 && *v)
    return add_paths ("mask", v, &spec->masks, err);
  if (strcmp (key, "unmask") == 0 && *v)
    return add_paths ("unmask", v, &spec->unmasks, err);
  /* No LSM applies to a rootless container here: labels are taken. */
  if (strcmp (key, "label") == 0 && *v)
    return 0;
  if (strcmp (key, "apparmor") == 0 && strcmp (v, "unconfined") == 0)
    return 0;
  if (strcmp (key, "apparmor") == 0)
    return pt_make_error (err, 0,
                          "--security-opt apparmor=%s: not supported by podtool: a rootless "
                          "container cannot load an AppArmor profile (unconfined is taken)",
                          v);
  if (strcmp (key, "proc-opts") == 0)
    return pt_make_error (err, 0, "--security-opt proc-opts: not supported by podtool yet");
  return pt_make_error (err, 0,
                        "invalid --security-opt `%s`: no-new-privileges, seccomp=unconfined|FILE, "
                        "mask=PATHS, unmask=ALL|PATHS, label=..., apparmor=unconfined",
                        arg);
}

static int userns_option (const char *arg, struct pt_ctr_spec *spec, pt_error_t *err);

/* --uidmap, --gidmap C:I:N, kept as the mode "uidmap:...;gidmap:...". */
static int
idmap_option (bool gid, const char *arg, struct pt_ctr_spec *spec, pt_error_t *err)
{
  unsigned long c, i, n;
  char extra;
  if (sscanf (arg, "%lu:%lu:%lu%c", &c, &i, &n, &extra) != 3 || n == 0)
    return pt_make_error (err, 0, "invalid --%s `%s`: CONTAINER:INTERMEDIATE:SIZE",
                          gid ? "gidmap" : "uidmap", arg);
  const char *cur = spec->userns ? spec->userns : "";
  if (*cur && strncmp (cur, "uidmap:", 7) != 0)
    return pt_make_error (err, 0, "--%s conflicts with --userns %s", gid ? "gidmap" : "uidmap",
                          cur);
  const char *g = strstr (cur, ";gidmap:");
  cleanup_free char *uids
      = *cur ? xstrndup (cur + 7, g ? (size_t)(g - cur - 7) : strlen (cur + 7)) : xstrdup ("");
  cleanup_free char *gids = xstrdup (g ? g + 8 : "");
  char **part = gid ? &gids : &uids;
  char *more = xasprintf ("%s%s%s", *part, **part ? "," : "", arg);
  free (*part);
  *part = more;
  free (spec->userns);
  spec->userns
      = *gids ? xasprintf ("uidmap:%s;gidmap:%s", uids, gids) : xasprintf ("uidmap:%s", uids);
  return 0;
}

/* --hostuser NAME|UID: the host's passwd line for it, as it is (Podman's:
   its ids are not translated through the map). */
static int
host_user (const char *arg, struct pt_ctr_spec *spec, pt_error_t *err)
{
  char *end;
  unsigned long uid = strtoul (arg, &end, 10);
  struct passwd *pw = *arg && *end == '\0' ? getpwuid ((uid_t)uid) : getpwnam (arg);
  if (pw == NULL)
    return pt_make_error (err, 0, "--hostuser %s: no such user on the host", arg);
  cleanup_free char *line
      = xasprintf ("%s:x:%u:%u:%s:%s:%s", pw->pw_name, (unsigned)pw->pw_uid, (unsigned)pw->pw_gid,
                   pw->pw_gecos ? pw->pw_gecos : "", pw->pw_dir ? pw->pw_dir : "/",
                   pw->pw_shell ? pw->pw_shell : "/bin/sh");
  if (strchr (line, '\n'))
    return pt_make_error (err, 0, "--hostuser %s: its passwd entry has a newline", arg);
  pt_strv_append (&spec->host_users, line);
  return 0;
}

int
pt_cli_security_option (int c, const char *arg, struct pt_ctr_spec *spec, pt_error_t *err)
{
  switch (c)
    {
    case OPT_PRIVILEGED: spec->privileged = pt_cli_optbool; return 0;
    case OPT_USERNS: return userns_option (arg, spec, err);
    case OPT_PASSWD_ENTRY:
      free (spec->passwd_entry);
      spec->passwd_entry = xstrdup (arg);
      return 0;
    case OPT_PASSWD: spec->no_passwd = !pt_cli_optbool; return 0;
    case OPT_HOSTUSER: return host_user (arg, spec, err);
    case OPT_SUBIDNAME:
      {
        /* newuidmap maps only the caller's own ranges: that is the default. */
        struct passwd *pw = getpwuid (getuid ());
        char uid[24];
        snprintf (uid, sizeof uid, "%u", (unsigned)getuid ());
        if ((pw && strcmp (arg, pw->pw_name) == 0) || strcmp (arg, uid) == 0)
          return 0;
        return pt_make_error (err, 0,
                              "--subuidname/--subgidname %s: not supported by podtool: rootless, "
                              "only your own subordinate ids (%s's) can be mapped",
                              arg, pw ? pw->pw_name : uid);
      }
    case OPT_UIDMAP:
    case OPT_GIDMAP: return idmap_option (c == OPT_GIDMAP, arg, spec, err);
    case OPT_GROUP_ADD:
      if (*arg == '\0' || (strcmp (arg, "keep-groups") && strchr (arg, ':')))
        return pt_make_error (err, 0,
                              "invalid --group-add `%s`: a GID, a group name or keep-groups", arg);
      pt_strv_append (&spec->group_add, arg);
      return 0;
    case OPT_SECURITY_OPT:
      if (security_opt (arg, spec, err) < 0)
        return -1;
      pt_strv_append (&spec->security_opts, arg);
      return 0;
    }
  return 1;
}

/* $USERNAME $UID $GID $NAME $HOME in a --passwd-entry template. */
static char *
expand_entry (const char *tmpl, const char *user, long uid, long gid, const char *name,
              const char *home)
{
  static const char *const keys[] = { "$USERNAME", "$UID", "$GID", "$NAME", "$HOME" };
  char ids[2][24];
  snprintf (ids[0], sizeof ids[0], "%ld", uid);
  snprintf (ids[1], sizeof ids[1], "%ld", gid);
  const char *vals[] = { user, ids[0], ids[1], name, home };
  char *out = xstrdup ("");
  for (const char *p = tmpl; *p;)
    {
      size_t k = 0;
      while (k < 5 && strncmp (p, keys[k], strlen (keys[k])) != 0)
        k++;
      const char *piece = k < 5 ? vals[k] : NULL;
      char *more = piece ? xasprintf ("%s%s", out, piece) : xasprintf ("%s%c", out, *p);
      free (out);
      out = more;
      p += k < 5 ? strlen (keys[k]) : 1;
    }
  return out;
}

/* -u UID[:GID] the image may lack: a passwd line for it, as Podman's
   --passwd adds (the start adds it only where the image has none). */
static void
numeric_user_entry (struct pt_ctr_spec *spec, const char *tmpl)
{
  unsigned long uid, gid = 0;
  char extra;
  if (spec->user == NULL || *spec->user == '\0'
      || (sscanf (spec->user, "%lu:%lu%c", &uid, &gid, &extra) != 2
          && sscanf (spec->user, "%lu%c", &uid, &extra) != 1))
    return;
  char name[24];
  snprintf (name, sizeof name, "%lu", uid);
  free (spec->passwd_entry);
  spec->passwd_entry = expand_entry (tmpl ? tmpl : "$USERNAME:*:$UID:$GID:$NAME:$HOME:/bin/sh",
                                     name, (long)uid, (long)gid, "container user", "/");
}

int
pt_cli_userns_apply (struct pt_global *g, struct pt_ctr_spec *spec, bool user_given,
                     pt_error_t *err)
{
  cleanup_free char *tmpl = steal_pointer (&spec->passwd_entry); /* --passwd-entry, or NULL */
  if (pt_userns_mode_default (spec->userns))
    {
      if (user_given && !spec->no_passwd)
        numeric_user_entry (spec, tmpl);
      return 0;
    }
  const struct pt_idmap *m = pt_global_idmap (g, err);
  struct pt_map u, gm;
  if (m == NULL || pt_map_for_mode (m, spec->userns, false, &u, err) < 0
      || pt_map_for_mode (m, spec->userns, true, &gm, err) < 0)
    return -1;
  /* The root is a copy of the layers, chowned to this map (vfs.c). */
  free (spec->storage);
  spec->storage = xstrdup ("vfs");
  if (strncmp (spec->userns, "keep-id", 7) != 0)
    return 0;
  /* keep-id: the user, as itself (or uid=/gid=), with passwd and group
     entries, and as the process's user unless -u says otherwise. */
  long uid = pt_map_inside (&u, m->uid), gid = pt_map_inside (&gm, m->gid);
  if (spec->no_passwd)
    goto user;
  struct passwd *pw = getpwuid (m->uid);
  struct group *gr = getgrgid (m->gid);
  const char *name = pw ? pw->pw_name : m->user ? m->user : "user";
  free (spec->passwd_entry);
  free (spec->group_entry);
  spec->passwd_entry = expand_entry (tmpl ? tmpl : "$USERNAME:*:$UID:$GID:$NAME:$HOME:/bin/sh",
                                     name, uid, gid, name, pw && pw->pw_dir ? pw->pw_dir : "/");
  spec->group_entry = xasprintf ("%s:x:%ld:", gr ? gr->gr_name : name, gid);
user:
  if (!user_given)
    {
      free (spec->user);
      spec->user = xasprintf ("%ld:%ld", uid, gid);
    }
  return 0;
}

static int
userns_option (const char *arg, struct pt_ctr_spec *spec, pt_error_t *err)
{
  bool keep_id = strcmp (arg, "keep-id") == 0 || pt_str_has_prefix (arg, "keep-id:");
  bool mapped = keep_id || strcmp (arg, "nomap") == 0 || strcmp (arg, "auto") == 0
                || pt_str_has_prefix (arg, "auto:");
  if (!mapped && !pt_userns_mode_default (arg))
    {
      /* ns: and container: would join a user namespace podtool did not
         map, whose ids its store could not follow. */
      if (pt_str_has_prefix (arg, "ns:") || pt_str_has_prefix (arg, "container:")
          || strcmp (arg, "private") == 0)
        return pt_make_error (err, 0, "--userns %s: not supported by podtool", arg);
      return pt_make_error (err, 0,
                            "invalid --userns `%s`: host, keep-id[:uid=N,gid=N], nomap or "
                            "auto[:size=N]",
                            arg);
    }
  unsigned long size, at;
  if (pt_str_has_prefix (arg, "auto") && pt_userns_auto_parse (arg, &size, &at, err) < 0)
    return -1;
  if (strstr (arg, "at="))
    return pt_make_error (err, 0, "invalid --userns `%s`: at= is podtool's own", arg);
  if (spec->userns && strncmp (spec->userns, "uidmap:", 7) == 0)
    return pt_make_error (err, 0, "--userns conflicts with --uidmap and --gidmap");
  free (spec->userns);
  spec->userns = xstrdup (strcmp (arg, "host") == 0 ? "" : arg);
  return 0;
}
