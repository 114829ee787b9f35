/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Help, from the verb table: `podtool VERB --help`, `podtool help VERB`. */
#include <config.h>
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "lib/util.h"

static void
print_flags (const struct pt_cmd *cmd, FILE *out)
{
  for (const struct pt_flag *f = cmd->flags; f && f->name; f++)
    {
      if (f->hidden)
        continue;
      char left[96];
      int n = snprintf (left, sizeof left, "  %c%c%s--%s", f->shorthand ? '-' : ' ',
                        f->shorthand ? f->shorthand : ' ', f->shorthand ? ", " : "  ", f->name);
      if (f->arg && n > 0 && (size_t)n < sizeof left)
        snprintf (left + n, sizeof left - n, " %s", f->arg);
      /* The other spellings of it. */
      for (const struct pt_flag *g = cmd->flags; g->name; g++)
        if (g->hidden && g->id == f->id && strlen (left) + strlen (g->name) + 4 < sizeof left)
          strcat (strcat (left, ", --"), g->name);
      /* Two spaces at least between the flag and its help, as cobra has
         them, however long the flag. */
      fprintf (out, "%-34s %s%s", left, strlen (left) >= 34 ? " " : "", f->help);
      if (f->state == PT_FLAG_NO_EFFECT)
        fprintf (out, " (no effect: %s)", f->why);
      else if (f->state == PT_FLAG_REFUSED)
        fprintf (out, " (not supported by podtool: %s)", f->why);
      fputc ('\n', out);
    }
}

void
pt_cmd_print_usage (const struct pt_cmd *cmd, FILE *out)
{
  const char *path = pt_cmd_path && cmd != &pt_cmd_podtool ? pt_cmd_path : cmd->name;
  if (cmd == &pt_cmd_podtool)
    fprintf (out, "Usage: podtool [options] COMMAND\n\n%s\n", cmd->summary);
  else
    fprintf (out, "Usage: podtool %s %s\n\n%s\n", path, cmd->usage, cmd->summary);
  if (cmd->alias)
    fprintf (out, "\nAliases: %s, %s\n", cmd->name, cmd->alias);
  if (cmd->subs)
    {
      fprintf (out, "\nAvailable Commands:\n");
      for (size_t i = 0; cmd->subs[i]; i++)
        fprintf (out, "  %-12s %s\n", cmd->subs[i]->name, cmd->subs[i]->summary);
    }
  if (cmd->flags && cmd->flags->name)
    {
      fprintf (out, "\n%s:\n", cmd == &pt_cmd_podtool ? "Global options" : "Options");
      print_flags (cmd, out);
    }
  if (cmd->subs)
    fprintf (out, "\nRun 'podtool %s%sCOMMAND --help' for more information on a command.\n",
             cmd == &pt_cmd_podtool ? "" : path, cmd == &pt_cmd_podtool ? "" : " ");
  else if (strchr (path, ' ') && pt_cmd_find (cmd->name) != cmd)
    /* A group's own verb (pod create): the group's page has it. */
    fprintf (out, "\nSee podtool-%.*s(1).\n", (int)strcspn (path, " "), path);
  else
    fprintf (out, "\nSee podtool-%s(1).\n", cmd->name);
}
