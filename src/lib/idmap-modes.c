/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --userns=keep-id, nomap, auto (and "" / host, the user's own mapping) as
   maps. */
#include <config.h>
#include "userns.h"
#include "util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
pt_userns_mode_default (const char *mode)
{
  return mode == NULL || *mode == '\0' || strcmp (mode, "host") == 0;
}

static void
push (struct pt_map *out, unsigned long inside, unsigned long outside, unsigned long count)
{
  if (count && out->n < (int)(sizeof out->v / sizeof *out->v))
    out->v[out->n++] = (struct pt_map_entry){ inside, outside, count };
}

/* The subordinate ranges from container id `at` on, skipping the first
   `skip` subordinate ids, up to `limit` ids (0: all). */
static void
push_ranges (struct pt_map *out, const struct pt_id_range *r, int n, unsigned long at,
             unsigned long skip, unsigned long limit)
{
  unsigned long taken = 0;
  for (int i = 0; i < n; i++)
    {
      unsigned long start = r[i].start, count = r[i].count;
      if (skip >= count)
        {
          skip -= count;
          continue;
        }
      start += skip, count -= skip, skip = 0;
      if (limit && taken + count > limit)
        count = limit - taken;
      push (out, at + taken, start, count);
      taken += count;
      if (limit && taken == limit)
        return;
    }
}

static unsigned long
total (const struct pt_id_range *r, int n)
{
  unsigned long t = 0;
  for (int i = 0; i < n; i++)
    t += r[i].count;
  return t;
}

/* keep-id's uid=N / gid=N. */
static int
keep_id_target (const char *mode, const char *key, unsigned long self, unsigned long *out,
                pt_error_t *err)
{
  *out = self;
  const char *opts = strchr (mode, ':');
  cleanup_free char *want = xasprintf ("%s=", key);
  for (const char *p = opts ? strstr (opts, want) : NULL; p; p = NULL)
    {
      char *end;
      unsigned long v = strtoul (p + strlen (want), &end, 10);
      if (end == p + strlen (want) || (*end && *end != ','))
        return pt_make_error (err, 0, "invalid --userns `%s`: %s must be a number", mode, key);
      *out = v;
    }
  return 0;
}

/* uidmap:C:I:N[,C:I:N...][;gidmap:...]: Podman's --uidmap, whose
   intermediate ids I are those of the user's mapping (0 is the user, 1..
   the subordinate ids). */
static int
custom_map (const struct pt_idmap *m, const char *mode, bool gids, struct pt_map *out,
            pt_error_t *err)
{
  struct pt_map base;
  if (pt_map_for_mode (m, "", gids, &base, err) < 0)
    return -1;
  const char *list = strstr (mode, gids ? "gidmap:" : "uidmap:");
  if (list == NULL)
    list = strstr (mode, "uidmap:"); /* no --gidmap: the uid map for both */
  cleanup_free char *copy = xstrndup (list + 7, strcspn (list + 7, ";"));
  for (char *save = NULL, *t = strtok_r (copy, ",", &save); t; t = strtok_r (NULL, ",", &save))
    {
      unsigned long c, i, n;
      char extra;
      if (sscanf (t, "%lu:%lu:%lu%c", &c, &i, &n, &extra) != 3 || n == 0)
        return pt_make_error (err, 0, "invalid --%s `%s`: CONTAINER:INTERMEDIATE:SIZE",
                              gids ? "gidmap" : "uidmap", t);
      for (unsigned long k = 0; k < n;)
        {
          long host = pt_map_outside (&base, i + k);
          if (host < 0)
            return pt_make_error (err, 0, "invalid --%s `%s`: %lu is beyond your %lu mapped ids",
                                  gids ? "gidmap" : "uidmap", t, i + k,
                                  total (gids ? m->gids : m->uids, gids ? m->n_gids : m->n_uids)
                                      + 1);
          /* As far as this run of the user's mapping goes. */
          unsigned long run = 1;
          while (k + run < n && pt_map_outside (&base, i + k + run) == host + (long)run)
            run++;
          push (out, c + k, (unsigned long)host, run);
          k += run;
        }
    }
  return 0;
}

/* auto[:size=N][,at=I]: N ids (1024 unless said) from the intermediate id I
   (1, the first subordinate id, until the container is created and given a
   slice of its own). */
int
pt_userns_auto_parse (const char *mode, unsigned long *size, unsigned long *at, pt_error_t *err)
{
  *size = PT_USERNS_AUTO_SIZE, *at = 1;
  const char *opts = strchr (mode, ':');
  if (opts == NULL)
    return 0;
  cleanup_free char *copy = xstrdup (opts + 1);
  for (char *save = NULL, *t = strtok_r (copy, ",", &save); t; t = strtok_r (NULL, ",", &save))
    {
      unsigned long *dst = pt_str_has_prefix (t, "size=") ? size
                           : pt_str_has_prefix (t, "at=") ? at
                                                          : NULL;
      char *v = strchr (t, '='), *end;
      if (dst == NULL)
        return pt_make_error (
            err, 0, "invalid --userns `%s`: unknown option `%s` (auto takes size=N)", mode, t);
      errno = 0;
      *dst = strtoul (v + 1, &end, 10);
      if (end == v + 1 || *end || errno || *dst == 0 || *dst > 1UL << 31)
        return pt_make_error (err, 0, "invalid --userns `%s`: `%s` must be a positive number", mode,
                              t);
    }
  return 0;
}

/* The lowest intermediate id from which `size` ids overlap none of the
   `n_used` slices (start, size pairs) and fit in the user's range. */
int
pt_userns_auto_pick (const struct pt_idmap *m, unsigned long size, const unsigned long (*used)[2],
                     size_t n_used, unsigned long *at, pt_error_t *err)
{
  unsigned long limit = total (m->uids, m->n_uids) < total (m->gids, m->n_gids)
                            ? total (m->uids, m->n_uids)
                            : total (m->gids, m->n_gids);
  unsigned long cand = 1;
  for (bool moved = true; moved;)
    {
      moved = false;
      for (size_t i = 0; i < n_used; i++)
        if (cand < used[i][0] + used[i][1] && used[i][0] < cand + size)
          cand = used[i][0] + used[i][1], moved = true;
    }
  if (cand - 1 + size > limit)
    return pt_make_error (err, 0,
                          "--userns auto: no %lu ids are free in your %lu subordinate ids: "
                          "remove containers with --userns auto or ask for a smaller size=",
                          size, limit);
  *at = cand;
  return 0;
}

int
pt_map_for_mode (const struct pt_idmap *m, const char *mode, bool gids, struct pt_map *out,
                 pt_error_t *err)
{
  const struct pt_id_range *r = gids ? m->gids : m->uids;
  int n = gids ? m->n_gids : m->n_uids;
  unsigned long self = gids ? m->gid : m->uid;
  memset (out, 0, sizeof *out);
  if (pt_userns_mode_default (mode))
    {
      push (out, 0, self, 1);
      push_ranges (out, r, n, 1, 0, 0);
      return 0;
    }
  if (strncmp (mode, "uidmap:", 7) == 0)
    return custom_map (m, mode, gids, out, err);
  if (n == 0)
    return pt_make_error (err, 0,
                          "--userns %s needs subordinate ids (/etc/subuid, /etc/subgid) for %s",
                          mode, m->user ? m->user : "this user");
  if (strcmp (mode, "nomap") == 0)
    {
      push_ranges (out, r, n, 0, 0, 0);
      return 0;
    }
  if (strcmp (mode, "auto") == 0 || pt_str_has_prefix (mode, "auto:"))
    {
      unsigned long size, at;
      if (pt_userns_auto_parse (mode, &size, &at, err) < 0)
        return -1;
      if (at - 1 + size > total (r, n))
        return pt_make_error (err, 0,
                              "--userns %s: %lu ids from intermediate %lu are beyond the %lu "
                              "subordinate ids there are",
                              mode, size, at, total (r, n));
      push_ranges (out, r, n, 0, at - 1, size);
      return 0;
    }
  unsigned long at;
  if (keep_id_target (mode, gids ? "gid" : "uid", self, &at, err) < 0)
    return -1;
  if (at > total (r, n))
    return pt_make_error (err, 0,
                          "--userns %s: the %s %lu is beyond the %lu subordinate ids there are",
                          mode, gids ? "gid" : "uid", at, total (r, n));
  /* 0..at-1: the first subordinate ids; at: the user; the rest after it. */
  if (at > 0)
    push_ranges (out, r, n, 0, 0, at);
  push (out, at, self, 1);
  push_ranges (out, r, n, at + 1, at, 0);
  return 0;
}

long
pt_map_outside (const struct pt_map *m, unsigned long inside)
{
  for (int i = 0; i < m->n; i++)
    if (inside >= m->v[i].inside && inside - m->v[i].inside < m->v[i].count)
      return (long)(m->v[i].outside + (inside - m->v[i].inside));
  return -1;
}

long
pt_map_inside (const struct pt_map *m, unsigned long outside)
{
  for (int i = 0; i < m->n; i++)
    if (outside >= m->v[i].outside && outside - m->v[i].outside < m->v[i].count)
      return (long)(m->v[i].inside + (outside - m->v[i].outside));
  return -1;
}

static char **
argv_of (const char *prog, pid_t pid, const struct pt_map *map)
{
  char **argv = NULL, buf[32];
  pt_strv_append (&argv, prog);
  snprintf (buf, sizeof buf, "%d", (int)pid);
  pt_strv_append (&argv, buf);
  for (int i = 0; i < map->n; i++)
    {
      unsigned long v[3] = { map->v[i].inside, map->v[i].outside, map->v[i].count };
      for (int k = 0; k < 3; k++)
        {
          snprintf (buf, sizeof buf, "%lu", v[k]);
          pt_strv_append (&argv, buf);
        }
    }
  return argv;
}

int
pt_userns_map_pid_mode (const struct pt_idmap *m, const char *mode, pid_t pid, pt_error_t *err)
{
  if (pt_userns_mode_default (mode))
    return pt_userns_map_pid (m, pid, err);
  struct pt_map u, g;
  if (pt_map_for_mode (m, mode, false, &u, err) < 0 || pt_map_for_mode (m, mode, true, &g, err) < 0)
    return -1;
  return pt_userns_run_mappers (argv_of ("newuidmap", pid, &u), argv_of ("newgidmap", pid, &g),
                                err);
}
