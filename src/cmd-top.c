/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool top: the processes of a running container, as it numbers them,
   with Podman's (psgo's) format descriptors. Everything comes from /proc:
   nothing runs inside the container. */
#include <config.h>
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/capability.h>
#include "cmd.h"
#include "lib/caps.h"
#include "lib/container.h"
#include "lib/util.h"

struct proc
{
  long hpid, pid, ppid, pgid;   /* pid, ppid and pgid as the container sees them */
  unsigned long uid[2], gid[2]; /* real and effective, on the host */
  char state;
  long tty, nice;
  unsigned long long ticks, start, vsize;
  char *status, *cmdline, *label;
};

/* What a descriptor needs besides the process. */
struct top_ctx
{
  const struct pt_idmap *idmap;
  struct pt_map uids, gids; /* the container's own, from /proc/PID/[ug]id_map */
  bool have_maps;
  char *passwd, *group; /* the container's /etc/passwd and /etc/group, or NULL */
  double uptime;
  long hz;
};

/* The value after "Key:" in /proc/PID/status, up to the end of the line. */
static const char *
status_field (const struct proc *p, const char *key, char *buf, size_t size)
{
  const char *s = p->status ? strstr (p->status, key) : NULL;
  if (s == NULL)
    return NULL;
  s += strlen (key);
  s += strspn (s, " \t");
  size_t n = strcspn (s, "\n");
  snprintf (buf, size, "%.*s", (int)(n < size ? n : size - 1), s);
  return buf;
}

/* The last number of a status line such as "NSpid:": the innermost namespace's. */
static long
ns_number (const struct proc *p, const char *key)
{
  char buf[256];
  if (status_field (p, key, buf, sizeof buf) == NULL)
    return -1;
  const char *last = strrchr (buf, '\t');
  return strtol (last ? last + 1 : buf, NULL, 10);
}

static bool
read_proc (long host_pid, struct proc *pr)
{
  char path[64];
  memset (pr, 0, sizeof *pr);
  pr->hpid = host_pid;
  snprintf (path, sizeof path, "/proc/%ld/status", host_pid);
  pr->status = pt_read_small (path);
  snprintf (path, sizeof path, "/proc/%ld/stat", host_pid);
  cleanup_free char *stat = pt_read_small (path);
  char *p = stat ? strrchr (stat, ')') : NULL;
  if (pr->status == NULL || p == NULL || p[1] == '\0')
    {
      free (pr->status);
      return false;
    }
  /* Fields 3 onwards follow the ")" that ends the command name. */
  pr->state = p[2];
  unsigned long long f[24] = { 0 };
  for (int i = 3; p && i <= 23; i++)
    {
      p = strchr (p + 1, ' ');
      if (p)
        f[i] = strtoull (p + 1, NULL, 10);
    }
  pr->ppid = f[4]; /* the host's; made the container's by the caller */
  pr->tty = f[7];
  pr->ticks = f[14] + f[15];
  pr->nice = (long)f[19];
  pr->start = f[22];
  pr->vsize = f[23];
  pr->pid = ns_number (pr, "NSpid:");
  pr->pgid = ns_number (pr, "NSpgid:");
  char buf[256];
  if (status_field (pr, "Uid:", buf, sizeof buf))
    sscanf (buf, "%lu %lu", &pr->uid[0], &pr->uid[1]);
  if (status_field (pr, "Gid:", buf, sizeof buf))
    sscanf (buf, "%lu %lu", &pr->gid[0], &pr->gid[1]);
  size_t len = 0;
  pt_error_t tmp = NULL;
  snprintf (path, sizeof path, "/proc/%ld/cmdline", host_pid);
  if (pt_read_file (AT_FDCWD, path, &pr->cmdline, &len, &tmp) < 0)
    pt_error_release (&tmp);
  for (size_t i = 0; pr->cmdline && i + 1 < len; i++)
    if (pr->cmdline[i] == '\0')
      pr->cmdline[i] = ' ';
  snprintf (path, sizeof path, "/proc/%ld/attr/current", host_pid);
  pr->label = pt_read_small (path);
  return true;
}

/* Go's time.Duration.String(), as psgo prints ELAPSED and TIME. */
static char *
go_duration (double secs, bool whole)
{
  if (whole)
    secs = (double)(long long)secs;
  if (secs <= 0)
    return xstrdup ("0s");
  if (secs < 1)
    {
      const char *unit = secs >= 1e-3 ? "ms" : secs >= 1e-6 ? "µs" : "ns";
      double v = secs * (secs >= 1e-3 ? 1e3 : secs >= 1e-6 ? 1e6 : 1e9);
      char num[64];
      snprintf (num, sizeof num, "%.6f", v);
      for (char *e = num + strlen (num) - 1; *e == '0' || *e == '.'; e--)
        {
          bool dot = *e == '.';
          *e = '\0';
          if (dot)
            break;
        }
      return xasprintf ("%s%s", num, unit);
    }
  long long h = (long long)secs / 3600, m = (long long)secs / 60 % 60;
  double s = secs - (double)(h * 3600 + m * 60);
  char num[64];
  snprintf (num, sizeof num, "%.9f", s);
  for (char *e = num + strlen (num) - 1; *e == '0' || *e == '.'; e--)
    {
      bool dot = *e == '.';
      *e = '\0';
      if (dot)
        break;
    }
  if (*num == '\0')
    strcpy (num, "0");
  if (h)
    return xasprintf ("%lldh%lldm%ss", h, m, num);
  if (m)
    return xasprintf ("%lldm%ss", m, num);
  return xasprintf ("%ss", num);
}

/* A name for id from an /etc/passwd or /etc/group text, or NULL. */
static char *
name_in (const char *db, unsigned long id)
{
  for (const char *line = db; line && *line;)
    {
      const char *eol = strchr (line, '\n');
      size_t n = eol ? (size_t)(eol - line) : strlen (line);
      cleanup_free char *copy = xstrndup (line, n);
      char *save = NULL;
      char *name = strtok_r (copy, ":", &save);
      strtok_r (NULL, ":", &save);
      char *num = strtok_r (NULL, ":", &save);
      if (name && num && strtoul (num, NULL, 10) == id)
        return xstrdup (name);
      line = eol ? eol + 1 : NULL;
    }
  return NULL;
}

/* The container's own map (any --userns mode), as the kernel has it. */
static bool
read_map (pid_t pid, const char *which, struct pt_map *out)
{
  char path[64];
  snprintf (path, sizeof path, "/proc/%d/%s", (int)pid, which);
  cleanup_free char *text = pt_read_small (path);
  memset (out, 0, sizeof *out);
  for (char *save = NULL, *l = text ? strtok_r (text, "\n", &save) : NULL; l;
       l = strtok_r (NULL, "\n", &save))
    {
      struct pt_map_entry e;
      if (sscanf (l, "%lu %lu %lu", &e.inside, &e.outside, &e.count) == 3
          && out->n < (int)(sizeof out->v / sizeof *out->v))
        out->v[out->n++] = e;
    }
  return out->n > 0;
}

/* A host id as the container sees it, by its name in the container's files. */
static char *
container_name (const struct top_ctx *c, unsigned long host_id, const char *db, bool group)
{
  long id = c->have_maps ? pt_map_inside (group ? &c->gids : &c->uids, host_id)
            : group     ? pt_idmap_container_gid (c->idmap, host_id)
                        : pt_idmap_container_uid (c->idmap, host_id);
  if (id < 0)
    return xstrdup ("?");
  char *name = name_in (db, id);
  return name ? name : xasprintf ("%ld", id);
}

static char *
host_name (unsigned long id, bool group)
{
  if (group)
    {
      struct group *g = getgrgid (id);
      return g ? xstrdup (g->gr_name) : xasprintf ("%lu", id);
    }
  struct passwd *pw = getpwuid (id);
  return pw ? xstrdup (pw->pw_name) : xasprintf ("%lu", id);
}

static double
elapsed (const struct top_ctx *c, const struct proc *p)
{
  return c->uptime - (double)p->start / c->hz;
}

/* psgo's capability lists: names without CAP_, "full" or "none". */
static char *
caps (const struct proc *p, const char *key)
{
  char buf[64];
  if (status_field (p, key, buf, sizeof buf) == NULL)
    return xstrdup ("?");
  unsigned long long mask = strtoull (buf, NULL, 16);
  int last = cap_max_bits () - 1;
  unsigned long long full = last >= 63 ? ~0ULL : (1ULL << (last + 1)) - 1;
  if (mask == 0)
    return xstrdup ("none");
  if ((mask & full) == full)
    return xstrdup ("full");
  cleanup_strv char **names = pt_caps_names (mask & full);
  for (size_t i = 0; names[i]; i++)
    memmove (names[i], names[i] + 4, strlen (names[i] + 4) + 1); /* psgo drops CAP_ */
  return pt_strv_join (names, ",");
}

static char *
d_args (const struct top_ctx *c, const struct proc *p)
{
  (void)c;
  if (p->cmdline && *p->cmdline)
    return xstrdup (p->cmdline);
  char buf[64];
  return xasprintf ("[%s]", status_field (p, "Name:", buf, sizeof buf) ?: "?");
}

static char *
d_comm (const struct top_ctx *c, const struct proc *p)
{
  (void)c;
  char buf[64];
  return xstrdup (status_field (p, "Name:", buf, sizeof buf) ?: "?");
}

static char *
d_user (const struct top_ctx *c, const struct proc *p)
{
  return container_name (c, p->uid[1], c->passwd, false);
}

static char *
d_ruser (const struct top_ctx *c, const struct proc *p)
{
  return container_name (c, p->uid[0], c->passwd, false);
}

static char *
d_group (const struct top_ctx *c, const struct proc *p)
{
  return container_name (c, p->gid[1], c->group, true);
}

static char *
d_rgroup (const struct top_ctx *c, const struct proc *p)
{
  return container_name (c, p->gid[0], c->group, true);
}

static char *
d_huser (const struct top_ctx *c, const struct proc *p)
{
  (void)c;
  return host_name (p->uid[1], false);
}

static char *
d_hgroup (const struct top_ctx *c, const struct proc *p)
{
  (void)c;
  return host_name (p->gid[1], true);
}

static char *
d_pid (const struct top_ctx *c, const struct proc *p)
{
  (void)c;
  return xasprintf ("%ld", p->pid);
}

static char *
d_ppid (const struct top_ctx *c, const struct proc *p)
{
  (void)c;
  return xasprintf ("%ld", p->ppid);
}

static char *
d_pgid (const struct top_ctx *c, const struct proc *p)
{
  (void)c;
  return xasprintf ("%ld", p->pgid);
}

static char *
d_hpid (const struct top_ctx *c, const struct proc *p)
{
  (void)c;
  return xasprintf ("%ld", p->hpid);
}

static char *
d_pcpu (const struct top_ctx *c, const struct proc *p)
{
  double e = elapsed (c, p);
  return xasprintf ("%.3f", e > 0 ? 100.0 * p->ticks / c->hz / e : 0.0);
}

static char *
d_etime (const struct top_ctx *c, const struct proc *p)
{
  return go_duration (elapsed (c, p), false);
}

static char *
d_time (const struct top_ctx *c, const struct proc *p)
{
  return go_duration ((double)p->ticks / c->hz, true);
}

static char *
d_tty (const struct top_ctx *c, const struct proc *p)
{
  (void)c;
  unsigned major = (p->tty >> 8) & 0xfff, minor = (p->tty & 0xff) | ((p->tty >> 12) & 0xfff00);
  if (p->tty == 0)
    return xstrdup ("?");
  if (major >= 136 && major <= 143)
    return xasprintf ("pts/%u", minor + (major - 136) * 256);
  return xasprintf ("%u:%u", major, minor);
}

static char *
d_state (const struct top_ctx *c, const struct proc *p)
{
  (void)c;
  return xasprintf ("%c", p->state);
}

static char *
d_stime (const struct top_ctx *c, const struct proc *p)
{
  time_t when = time (NULL) - (time_t)elapsed (c, p);
  struct tm tm;
  char buf[64];
  gmtime_r (&when, &tm);
  strftime (buf, sizeof buf, "%Y-%m-%d %H:%M:%S +0000 UTC", &tm);
  return xstrdup (buf);
}

static char *
d_nice (const struct top_ctx *c, const struct proc *p)
{
  (void)c;
  return xasprintf ("%ld", p->nice);
}

static char *
d_vsz (const struct top_ctx *c, const struct proc *p)
{
  (void)c;
  return xasprintf ("%llu", p->vsize / 1024);
}

static char *
d_seccomp (const struct top_ctx *c, const struct proc *p)
{
  (void)c;
  char buf[16];
  const char *v = status_field (p, "Seccomp:", buf, sizeof buf);
  return xstrdup (!v ? "?" : *v == '0' ? "disabled" : *v == '1' ? "strict" : "filter");
}

static char *
d_label (const struct top_ctx *c, const struct proc *p)
{
  (void)c;
  if (p->label == NULL || *p->label == '\0')
    return xstrdup ("-");
  return xstrndup (p->label, strcspn (p->label, "\n"));
}

#define CAP_DESCRIPTOR(fn, key)                                                                    \
  static char *fn (const struct top_ctx *c, const struct proc *p)                                  \
  {                                                                                                \
    (void)c;                                                                                       \
    return caps (p, key);                                                                          \
  }
CAP_DESCRIPTOR (d_capamb, "CapAmb:")
CAP_DESCRIPTOR (d_capbnd, "CapBnd:")
CAP_DESCRIPTOR (d_capeff, "CapEff:")
CAP_DESCRIPTOR (d_capinh, "CapInh:")
CAP_DESCRIPTOR (d_capprm, "CapPrm:")

struct descriptor
{
  const char *name, *aix, *header;
  char *(*value) (const struct top_ctx *c, const struct proc *p);
};

/* psgo's table: the names, AIX codes and headers Podman users know. */
static const struct descriptor descriptors[] = {
  { "args", "%a", "COMMAND", d_args },
  { "capamb", NULL, "AMBIENT CAPS", d_capamb },
  { "capbnd", NULL, "BOUNDING CAPS", d_capbnd },
  { "capeff", NULL, "EFFECTIVE CAPS", d_capeff },
  { "capinh", NULL, "INHERITED CAPS", d_capinh },
  { "capprm", NULL, "PERMITTED CAPS", d_capprm },
  { "comm", "%c", "COMMAND", d_comm },
  { "etime", "%t", "ELAPSED", d_etime },
  { "group", "%G", "GROUP", d_group },
  { "hgroup", NULL, "HGROUP", d_hgroup },
  { "hpid", NULL, "HPID", d_hpid },
  { "huser", NULL, "HUSER", d_huser },
  { "label", NULL, "LABEL", d_label },
  { "nice", "%n", "NI", d_nice },
  { "pcpu", "%C", "%CPU", d_pcpu },
  { "pgid", "%r", "PGID", d_pgid },
  { "pid", "%p", "PID", d_pid },
  { "ppid", "%P", "PPID", d_ppid },
  { "rgroup", "%g", "RGROUP", d_rgroup },
  { "ruser", "%u", "RUSER", d_ruser },
  { "seccomp", NULL, "SECCOMP", d_seccomp },
  { "state", NULL, "STATE", d_state },
  { "stime", NULL, "STIME", d_stime },
  { "time", "%x", "TIME", d_time },
  { "tty", "%y", "TTY", d_tty },
  { "user", "%U", "USER", d_user },
  { "vsz", "%z", "VSZ", d_vsz },
};

static const char *const default_descriptors[]
    = { "user", "pid", "ppid", "pcpu", "etime", "tty", "time", "args", NULL };

static const struct descriptor *
find_descriptor (const char *name)
{
  for (size_t i = 0; i < sizeof descriptors / sizeof *descriptors; i++)
    if (strcmp (descriptors[i].name, name) == 0
        || (descriptors[i].aix && strcmp (descriptors[i].aix, name) == 0))
      return &descriptors[i];
  return NULL;
}

/* The descriptors asked for: separate words, or comma-separated as in ps -o. */
static int
parse_descriptors (char **args, const struct descriptor ***out, pt_error_t *err)
{
  size_t n = 0;
  const struct descriptor **v = xzalloc (sizeof *v);
  for (size_t i = 0; args[i]; i++)
    {
      cleanup_free char *copy = xstrdup (args[i]);
      char *save = NULL;
      for (char *w = strtok_r (copy, ", ", &save); w; w = strtok_r (NULL, ", ", &save))
        {
          const struct descriptor *d = find_descriptor (w);
          if (d == NULL)
            {
              free (v);
              return pt_make_error (err, 0,
                                    "unknown descriptor `%s`: see `man podtool-top` for the "
                                    "descriptors",
                                    w);
            }
          v = xrealloc (v, (n + 2) * sizeof *v);
          v[n++] = d;
          v[n] = NULL;
        }
    }
  *out = v;
  return 0;
}

struct procs
{
  struct proc *v;
  size_t n;
};

static void
procs_free (struct procs *ps)
{
  for (size_t i = 0; i < ps->n; i++)
    {
      free (ps->v[i].status);
      free (ps->v[i].cmdline);
      free (ps->v[i].label);
    }
  free (ps->v);
}

/* Every process in the PID namespace of pid, with parents numbered as
   the container numbers them (0 for a parent outside it). */
static int
collect (pid_t pid, struct procs *ps, pt_error_t *err)
{
  char want[64], path[64];
  snprintf (path, sizeof path, "/proc/%d/ns/pid", (int)pid);
  ssize_t n = readlink (path, want, sizeof want - 1);
  if (n < 0)
    return pt_make_error (err, 0, "read the PID namespace of process %d", (int)pid);
  want[n] = '\0';
  cleanup_dir DIR *d = opendir ("/proc");
  struct dirent *de;
  while (d && (de = readdir (d)))
    {
      char *end, ns[64];
      long hpid = strtol (de->d_name, &end, 10);
      if (*end || hpid <= 0)
        continue;
      snprintf (path, sizeof path, "/proc/%ld/ns/pid", hpid);
      ssize_t k = readlink (path, ns, sizeof ns - 1);
      if (k < 0)
        continue;
      ns[k] = '\0';
      struct proc pr;
      if (strcmp (ns, want) != 0 || !read_proc (hpid, &pr))
        continue;
      ps->v = xrealloc (ps->v, (ps->n + 1) * sizeof *ps->v);
      ps->v[ps->n++] = pr;
    }
  for (size_t i = 0; i < ps->n; i++)
    {
      long ppid = 0;
      for (size_t k = 0; k < ps->n; k++)
        if (ps->v[k].hpid == ps->v[i].ppid)
          ppid = ps->v[k].pid;
      ps->v[i].ppid = ppid;
    }
  return 0;
}

/* Columns as wide as their widest cell; the last one unpadded. */
static void
print_table (char ***rows, size_t nrows, size_t ncols)
{
  size_t *w = xzalloc (ncols * sizeof *w);
  for (size_t r = 0; r < nrows; r++)
    for (size_t c = 0; c < ncols; c++)
      if (strlen (rows[r][c]) > w[c])
        w[c] = strlen (rows[r][c]);
  for (size_t r = 0; r < nrows; r++)
    for (size_t c = 0; c < ncols; c++)
      printf (c + 1 < ncols ? "%-*s  " : "%*s\n", c + 1 < ncols ? (int)w[c] : 0, rows[r][c]);
  free (w);
}

/* The rows of the processes of running container id, onto *rows. */
static int
add_rows (struct pt_global *g, const char *id, const struct descriptor **want, char ****rows,
          size_t *n, pt_error_t *err)
{
  struct pt_ctr_state st;
  if (pt_ctr_state (&g->store, id, &st, err) < 0)
    return -1;
  if (!pt_ctr_alive (&st))
    return pt_make_error (err, 0, "top can only be used on running containers");
  struct top_ctx ctx = { .idmap = pt_global_idmap (g, err), .hz = sysconf (_SC_CLK_TCK) };
  if (ctx.idmap == NULL)
    return -1;
  struct timespec up;
  clock_gettime (CLOCK_BOOTTIME, &up);
  ctx.uptime = up.tv_sec + up.tv_nsec / 1e9;
  char path[64];
  ctx.have_maps = read_map (st.pid, "uid_map", &ctx.uids) && read_map (st.pid, "gid_map", &ctx.gids);
  snprintf (path, sizeof path, "/proc/%d/root/etc/passwd", (int)st.pid);
  ctx.passwd = pt_read_small (path);
  snprintf (path, sizeof path, "/proc/%d/root/etc/group", (int)st.pid);
  ctx.group = pt_read_small (path);
  struct procs ps = { 0 };
  size_t ncols = 0;
  while (want[ncols])
    ncols++;
  int r = collect (st.pid, &ps, err);
  for (size_t k = 0; r == 0 && k < ps.n; k++)
    {
      *rows = xrealloc (*rows, (*n + 1) * sizeof **rows);
      char **row = (*rows)[(*n)++] = xzalloc ((ncols + 1) * sizeof (char *));
      for (size_t c = 0; c < ncols; c++)
        row[c] = want[c]->value (&ctx, &ps.v[k]);
    }
  procs_free (&ps);
  free (ctx.passwd);
  free (ctx.group);
  return r;
}

int
pt_cli_top_ids (struct pt_global *g, char **ids, char **asked, pt_error_t *err)
{
  __attribute__ ((cleanup (pt_freep))) const struct descriptor **want = NULL;
  if (parse_descriptors (asked && *asked ? asked : (char **)default_descriptors,
                         &want, err)
      < 0)
    return -1;
  size_t ncols = 0, n = 1;
  while (want[ncols])
    ncols++;
  char ***rows = xzalloc (sizeof *rows);
  rows[0] = xzalloc ((ncols + 1) * sizeof (char *));
  for (size_t c = 0; c < ncols; c++)
    rows[0][c] = xstrdup (want[c]->header);
  int r = 0;
  for (size_t i = 0; r == 0 && ids[i]; i++)
    r = add_rows (g, ids[i], want, &rows, &n, err);
  if (r == 0)
    print_table (rows, n, ncols);
  for (size_t k = 0; k < n; k++)
    pt_strv_free (rows[k]);
  free (rows);
  return r;
}

static const struct pt_flag top_flags[] = {
  PT_FLAG_LATEST,
  { 0, NULL, 0, NULL, NULL },
};

static int
top_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool latest = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_top, argc, argv, err)) != -1)
    if (c != 'l')
      return -1;
    else
      latest = pt_cli_optbool;
  if (!latest && optind >= argc)
    return pt_cli_need_args (&pt_cmd_top, 0, 1, -1, err);
  char **desc = argv + optind + (latest ? 0 : 1);
  struct pt_store *s = pt_global_store (g, err);
  cleanup_free char *id = NULL;
  if (s == NULL
      || (latest ? pt_cli_latest (s, &id, err) : pt_ctr_resolve (s, argv[optind], &id, err)) < 0)
    return -1;
  char *ids[] = { id, NULL };
  return pt_cli_top_ids (g, ids, desc, err);
}

const struct pt_cmd pt_cmd_top = {
  .name = "top",
  .usage = "[options] CONTAINER [DESCRIPTOR...]",
  .summary = "Show the processes of a running container",
  .flags = top_flags,
  .stop_at_operand = true,
  .exec = top_exec,
};
