/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool ps: list containers, with the state checked against /proc. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/util.h"

static char *
status_text (const struct pt_ctr_state *st, int64_t now)
{
  if (st->status == PT_CTR_CREATED)
    return xstrdup ("Created");
  if (st->status == PT_CTR_RUNNING)
    {
      cleanup_free char *d = pt_human_duration ((now - st->started_ns) / 1000000000);
      return xasprintf ("Up %s", d);
    }
  if (st->exit_code < 0)
    return xstrdup ("Exited (unknown)");
  int64_t when = st->finished_ns ? st->finished_ns : st->started_ns;
  cleanup_free char *d = pt_human_duration ((now - when) / 1000000000);
  return xasprintf ("Exited (%d) %s ago", st->exit_code, d);
}

static int
ps_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[] = {
    { "all", no_argument, NULL, 'a' },
    { "quiet", no_argument, NULL, 'q' },
    { "no-trunc", no_argument, NULL, 'n' },
    { NULL, 0, NULL, 0 },
  };
  bool all = false, quiet = false, no_trunc = false;
  int c;
  while ((c = getopt_long (argc, argv, "aq", longopts, NULL)) != -1)
    switch (c)
      {
      case 'a': all = true; break;
      case 'q': quiet = true; break;
      case 'n': no_trunc = true; break;
      default: return pt_cmd_bad_option (&pt_cmd_ps, err);
      }
  struct pt_store *s = pt_global_store (g, err);
  cleanup_strv char **ids = NULL;
  if (s == NULL || pt_ctr_list (s, &ids, err) < 0)
    return -1;
  int idw = no_trunc ? 64 : 12;
  if (!quiet)
    printf ("%-*s  %-26s  %-20s  %-22s  %-24s  %-10s  %s\n", idw, "CONTAINER ID", "IMAGE",
            "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
  int64_t now = pt_now_ns ();
  /* Newest first, as Podman lists them. */
  for (size_t i = pt_strv_len (ids); i-- > 0;)
    {
      struct pt_ctr_spec spec;
      struct pt_ctr_state st;
      pt_error_t tmp = NULL;
      if (pt_ctr_spec_read (s, ids[i], &spec, &tmp) < 0 || pt_ctr_state (s, ids[i], &st, &tmp) < 0)
        {
          pt_error_release (&tmp); /* removed while we looked */
          pt_ctr_spec_free (&spec);
          continue;
        }
      if (all || st.status == PT_CTR_RUNNING)
        {
          if (quiet)
            printf ("%.*s\n", idw, spec.id);
          else
            {
              cleanup_free char *cmd = pt_strv_join (spec.argv, " ");
              cleanup_free char *created = pt_human_duration ((now - spec.created_ns) / 1000000000);
              cleanup_free char *status = status_text (&st, now);
              cleanup_free char *ago = xasprintf ("%s ago", created);
              printf ("%-*.*s  %-26s  %-20.20s  %-22s  %-24s  %-10s  %s\n", idw, idw, spec.id,
                      spec.image, cmd, ago, status, "", spec.name);
            }
        }
      pt_ctr_spec_free (&spec);
    }
  return 0;
}

const struct pt_cmd pt_cmd_ps = {
  .name = "ps",
  .usage = "[-a] [-q] [--no-trunc]",
  .summary = "List containers",
  .exec = ps_exec,
};
