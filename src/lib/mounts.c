/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What -v, --mount and --tmpfs ask for, checked before anything is stored. */
#include <config.h>
#include "mounts.h"
#include "util.h"
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

void
pt_mount_free (struct pt_mount *m)
{
  free (m->type);
  free (m->source);
  free (m->destination);
  free (m->data);
  free (m->volume);
  free (m->tmpfs_opts);
  *m = (struct pt_mount){ 0 };
}

/* A container path: absolute, without .. (it is resolved inside the root
   anyway; refusing it keeps what inspect shows what is mounted). */
static int
check_destination (const char *dst, const char *what, const char *arg, pt_error_t *err)
{
  if (dst[0] != '/')
    return pt_make_error (err, 0, "invalid container path `%s` in %s `%s`: it must be absolute",
                          dst, what, arg);
  if (strcmp (dst, "/") == 0 || strstr (dst, "/../") || pt_str_has_prefix (dst, "/..")
      || (strlen (dst) >= 3 && strcmp (dst + strlen (dst) - 3, "/..") == 0))
    return pt_make_error (err, 0, "invalid container path `%s` in %s `%s`: not a path to mount on",
                          dst, what, arg);
  return 0;
}

/* The host side of a bind: it must exist; it is kept absolute and real. */
static int
resolve_source (const char *src, char **out, pt_error_t *err)
{
  char real[PATH_MAX];
  if (realpath (src, real) == NULL)
    return pt_make_error (err, errno, "statfs %s", src);
  *out = xstrdup (real);
  return 0;
}

/* A volume's name: Podman's characters ([a-zA-Z0-9][a-zA-Z0-9_.-]*). */
static bool
volume_name (const char *s)
{
  if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
    return false;
  return strspn (s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
         == strlen (s);
}

int
pt_mount_parse_volume (const char *arg, struct pt_mount *m, pt_error_t *err)
{
  cleanup_free char *copy = xstrdup (arg);
  *m = (struct pt_mount){ 0 };
  /* -v /path: an anonymous volume there. */
  if (copy[0] == '/' && strchr (copy, ':') == NULL)
    {
      cleanup_free char *anon = xasprintf (":%s", copy);
      free (copy);
      copy = steal_pointer (&anon);
    }
  char *dst = strchr (copy, ':');
  if (dst == NULL || dst[1] == '\0')
    return pt_make_error (err, 0,
                          "invalid volume `%s`: [HOST-DIR|VOLUME:]CONTAINER-DIR[:OPTIONS]", arg);
  *dst++ = '\0';
  char *opts = strchr (dst, ':');
  if (opts)
    *opts++ = '\0';
  if (check_destination (dst, "volume", arg, err) < 0)
    return -1;
  for (char *save = NULL, *o = opts ? strtok_r (opts, ",", &save) : NULL; o;
       o = strtok_r (NULL, ",", &save))
    {
      if (strcmp (o, "ro") == 0)
        m->readonly = true;
      else if (strcmp (o, "rw") == 0)
        m->readonly = false;
      else if (strcmp (o, "nocopy") == 0 || strcmp (o, "copy") == 0)
        m->nocopy = o[0] == 'n';
      else if (strcmp (o, "noexec") == 0 || strcmp (o, "nosuid") == 0 || strcmp (o, "nodev") == 0)
        {
          char *more = xasprintf ("%s%s%s", m->data ? m->data : "", m->data ? "," : "", o);
          free (m->data);
          m->data = more;
        }
      else if (strcmp (o, "exec") == 0 || strcmp (o, "suid") == 0 || strcmp (o, "dev") == 0)
        ; /* the default */
      else if (strcmp (o, "U") == 0)
        m->chown = true;
      else if (strcmp (o, "O") == 0)
        m->overlay = true;
      /* No SELinux labels to set; binds are always recursive. */
      else if (strcmp (o, "z") && strcmp (o, "Z") && strcmp (o, "bind") && strcmp (o, "rbind"))
        return pt_make_error (err, 0,
                              "invalid volume option `%s` in `%s`: ro, rw, z, Z, bind, rbind, "
                              "copy, nocopy, [no]exec, [no]suid or [no]dev",
                              o, arg);
    }
  m->destination = xstrdup (dst);
  if (copy[0] == '\0' || (copy[0] != '/' && copy[0] != '.'))
    {
      /* A named volume (made at first use), or an anonymous one. */
      if (copy[0] && !volume_name (copy))
        {
          pt_mount_free (m);
          return pt_make_error (err, 0,
                                "invalid volume `%s`: `%s` is neither a host path (/ or ./ "
                                "first) nor a volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)",
                                arg, copy);
        }
      if (m->overlay)
        {
          pt_mount_free (m);
          return pt_make_error (err, 0, "invalid volume `%s`: :O is for host directories", arg);
        }
      m->type = xstrdup ("volume");
      m->volume = xstrdup (copy);
      m->anonymous = copy[0] == '\0';
      return 0;
    }
  if (m->nocopy || resolve_source (copy, &m->source, err) < 0)
    {
      bool nocopy = m->nocopy;
      pt_mount_free (m);
      return nocopy ? pt_make_error (err, 0, "invalid volume option nocopy in `%s`: only for volumes", arg) : -1;
    }
  if (m->overlay && strpbrk (m->source, ",:\\"))
    {
      pt_mount_free (m);
      return pt_make_error (err, 0, "invalid volume `%s`: an overlay (:O) source may not hold , : or \\", arg);
    }
  m->type = xstrdup ("bind");
  return 0;
}

/* size=N and mode=OCTAL, the options that make sense for a tmpfs here. */
static int
check_tmpfs_option (const char *o, const char *arg, pt_error_t *err)
{
  long mode;
  if (pt_str_has_prefix (o, "size=") && pt_parse_size (o + 5) > 0)
    return 0;
  if (pt_str_has_prefix (o, "mode=") && strlen (o + 5) <= 4
      && strspn (o + 5, "01234567") == strlen (o + 5)
      && pt_parse_long (o + 5, 0, 07777, &mode) == 0)
    return 0;
  if (strcmp (o, "ro") == 0 || strcmp (o, "rw") == 0 || strcmp (o, "exec") == 0
      || strcmp (o, "noexec") == 0)
    return 0;
  return pt_make_error (err, 0, "invalid tmpfs option `%s` in `%s`: size=, mode=, ro, rw, exec", o,
                        arg);
}

int
pt_mount_parse_tmpfs (const char *arg, struct pt_mount *m, pt_error_t *err)
{
  cleanup_free char *copy = xstrdup (arg);
  char *opts = strchr (copy, ':');
  *m = (struct pt_mount){ 0 };
  if (opts)
    *opts++ = '\0';
  if (check_destination (copy, "tmpfs", arg, err) < 0)
    return -1;
  char **data = xzalloc (sizeof (char *));
  int r = 0;
  for (char *save = NULL, *o = opts ? strtok_r (opts, ",", &save) : NULL; o && r == 0;
       o = strtok_r (NULL, ",", &save))
    {
      r = check_tmpfs_option (o, arg, err);
      if (strcmp (o, "ro") == 0)
        m->readonly = true;
      else if (pt_str_has_prefix (o, "size=") || pt_str_has_prefix (o, "mode="))
        pt_strv_append (&data, o);
      else if (strcmp (o, "exec") == 0)
        pt_strv_append (&data, "exec");
    }
  if (r == 0)
    {
      m->type = xstrdup ("tmpfs");
      m->source = xstrdup ("tmpfs");
      m->destination = xstrdup (copy);
      m->data = pt_strv_join (data, ",");
    }
  pt_strv_free (data);
  return r;
}

int
pt_mount_parse_mount (const char *arg, struct pt_mount *m, pt_error_t *err)
{
  cleanup_free char *copy = xstrdup (arg);
  const char *type = NULL, *src = NULL, *dst = NULL, *size = NULL, *mode = NULL;
  bool ro = false, nocopy = false;
  *m = (struct pt_mount){ 0 };
  for (char *save = NULL, *o = strtok_r (copy, ",", &save); o; o = strtok_r (NULL, ",", &save))
    {
      char *eq = strchr (o, '=');
      const char *v = eq ? eq + 1 : "";
      if (eq)
        *eq = '\0';
      if (strcmp (o, "type") == 0)
        type = v;
      else if (strcmp (o, "source") == 0 || strcmp (o, "src") == 0)
        src = v;
      else if (strcmp (o, "destination") == 0 || strcmp (o, "dst") == 0
               || strcmp (o, "target") == 0)
        dst = v;
      else if (strcmp (o, "ro") == 0 || strcmp (o, "readonly") == 0)
        ro = !eq || strcmp (v, "true") == 0;
      else if (strcmp (o, "volume-nocopy") == 0)
        nocopy = !eq || strcmp (v, "true") == 0;
      else if (strcmp (o, "tmpfs-size") == 0)
        size = v;
      else if (strcmp (o, "tmpfs-mode") == 0)
        mode = v;
      else if (strcmp (o, "z") && strcmp (o, "Z") && strcmp (o, "bind-propagation"))
        return pt_make_error (err, 0, "invalid --mount option `%s` in `%s`", o, arg);
    }
  if (type == NULL || dst == NULL)
    return pt_make_error (err, 0, "invalid --mount `%s`: type= and destination= are required", arg);
  if (strcmp (type, "bind") == 0)
    {
      if (src == NULL)
        return pt_make_error (err, 0, "invalid --mount `%s`: a bind needs source=", arg);
      cleanup_free char *vol = xasprintf ("%s:%s%s", src, dst, ro ? ":ro" : "");
      return pt_mount_parse_volume (vol, m, err);
    }
  if (strcmp (type, "tmpfs") == 0)
    {
      cleanup_free char *t
          = xasprintf ("%s:%s%s%s%s%s", dst, ro ? "ro," : "rw,", size ? "size=" : "",
                       size ? size : "", mode ? (size ? ",mode=" : "mode=") : "", mode ? mode : "");
      return pt_mount_parse_tmpfs (t, m, err);
    }
  if (strcmp (type, "volume") == 0)
    {
      cleanup_free char *vol = xasprintf ("%s:%s:%s%s", src ? src : "", dst, ro ? "ro" : "rw",
                                          nocopy ? ",nocopy" : "");
      return pt_mount_parse_volume (vol, m, err);
    }
  return pt_make_error (err, 0, "invalid --mount type `%s`: bind, volume or tmpfs", type);
}

/* Terminals are never passed in: a host terminal in a container is a way
   out of it (TIOCSTI, the user's shell on the other side). */
static bool
is_terminal (dev_t rdev)
{
  unsigned ma = major (rdev);
  return ma == 4 || ma == 5 || (ma >= 136 && ma <= 143);
}

int
pt_mount_parse_device (const char *arg, struct pt_mount *m, pt_error_t *err)
{
  cleanup_free char *copy = xstrdup (arg);
  *m = (struct pt_mount){ 0 };
  char *dst = strchr (copy, ':'), *perms = NULL;
  if (dst)
    *dst++ = '\0';
  if (dst && *dst != '/')
    perms = dst, dst = NULL;
  else if (dst && (perms = strchr (dst, ':')))
    *perms++ = '\0';
  if (perms && (*perms == '\0' || strspn (perms, "rwm") != strlen (perms)))
    return pt_make_error (err, 0, "invalid --device `%s`: HOST[:CONTAINER][:rwm]", arg);
  struct stat st;
  if (copy[0] != '/' || stat (copy, &st) < 0)
    return pt_make_error (err, copy[0] == '/' ? errno : 0, "--device `%s`: not a host device path",
                          copy);
  if (!S_ISCHR (st.st_mode) && !S_ISBLK (st.st_mode))
    return pt_make_error (err, 0, "--device `%s`: not a device", copy);
  if (S_ISCHR (st.st_mode) && is_terminal (st.st_rdev))
    return pt_make_error (err, 0,
                          "--device `%s`: a terminal is never passed into a container (it "
                          "could type into the host's shell)",
                          copy);
  bool w = perms == NULL || strchr (perms, 'w');
  int mode = (perms == NULL || strchr (perms, 'r') ? R_OK : 0) | (w ? W_OK : 0);
  if (access (copy, mode ? mode : F_OK) < 0)
    return pt_make_error (err, errno,
                          "--device `%s`: rootless, a device is bound in, and you may not open it",
                          copy);
  if (check_destination (dst ? dst : copy, "device", arg, err) < 0)
    return -1;
  m->type = xstrdup ("bind");
  m->source = xstrdup (copy);
  m->destination = xstrdup (dst ? dst : copy);
  m->readonly = !w;
  return 0;
}
