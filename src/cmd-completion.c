/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool help VERB, and podtool completion bash|zsh|fish: both from the
   verb table, so a flag added there is in help and completion at once. */
#include <config.h>
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "lib/util.h"

/* Verbs whose operands are images; the rest take containers. */
static bool
takes_images (const char *path)
{
  static const char *const v[]
      = { "run",           "create",       "rmi",           "save",
          "tag",           "untag",        "history",       "image rm",
          "image save",    "image tag",    "image untag",   "image history",
          "image inspect", "image exists", "image tree",    "container run", "container create" };
  for (size_t i = 0; i < sizeof v / sizeof *v; i++)
    if (strcmp (v[i], path) == 0)
      return true;
  return false;
}

static void
bash_words (FILE *out, const struct pt_cmd *cmd, const char *path)
{
  fprintf (out, "    '%s') w='", path);
  for (size_t i = 0; cmd->subs && cmd->subs[i]; i++)
    fprintf (out, "%s ", cmd->subs[i]->name);
  for (const struct pt_flag *f = cmd->flags; f && f->name; f++)
    {
      fprintf (out, "--%s ", f->name);
      if (f->shorthand)
        fprintf (out, "-%c ", f->shorthand);
    }
  fprintf (out, "--help';;\n");
  for (size_t i = 0; cmd->subs && cmd->subs[i]; i++)
    {
      char sub[128];
      snprintf (sub, sizeof sub, "%s%s%s", path, *path ? " " : "", cmd->subs[i]->name);
      if (cmd->subs[i]->subs || cmd == &pt_cmd_podtool)
        bash_words (out, cmd->subs[i], sub);
      else
        {
          /* A group's verb that is also a top-level one has its words. */
          fprintf (out, "    '%s') w='", sub);
          for (const struct pt_flag *f = cmd->subs[i]->flags; f && f->name; f++)
            fprintf (out, "--%s %s%c ", f->name, f->shorthand ? "-" : "",
                     f->shorthand ? f->shorthand : ' ');
          fprintf (out, "--help';;\n");
        }
    }
}

static void
bash (FILE *out)
{
  fputs ("# bash completion for podtool, made by `podtool completion bash` from its verb table\n"
         "_podtool_words () {\n  local w=''\n  case \"$1\" in\n",
         out);
  bash_words (out, &pt_cmd_podtool, "");
  fputs ("  esac\n  echo \"$w\"\n}\n"
         "_podtool_names () {\n  case \"$1\" in\n",
         out);
  for (size_t i = 0; pt_cmd_table[i]; i++)
    if (takes_images (pt_cmd_table[i]->name))
      fprintf (out, "    '%s') ;&\n", pt_cmd_table[i]->name);
  fputs ("    'image '*|'container run'|'container create')\n"
         "      podtool images --noheading --format '{{.Repository}}:{{.Tag}}' 2>/dev/null ;;\n"
         "    *) podtool ps -a --noheading --format '{{.Names}}' 2>/dev/null ;;\n"
         "  esac\n}\n"
         "_podtool () {\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} path='' i w groups=' container image system '\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    w=${COMP_WORDS[i]}\n"
         "    case $w in -*) continue ;; esac\n"
         "    if [ -z \"$path\" ]; then path=$w\n"
         "    elif [[ $groups == *\" $path \"* ]]; then path=\"$path $w\"\n"
         "    else break; fi\n"
         "  done\n"
         "  if [[ $cur == -* ]] || [ -z \"$path\" ] || [[ $groups == *\" $path \"* ]]; then\n"
         "    COMPREPLY=($(compgen -W \"$(_podtool_words \"$path\")\" -- \"$cur\"))\n"
         "  else\n"
         "    COMPREPLY=($(compgen -W \"$(_podtool_names \"$path\")\" -- \"$cur\"))\n"
         "  fi\n"
         "}\n"
         "complete -F _podtool podtool\n",
         out);
}

static void
fish_flags (FILE *out, const struct pt_cmd *cmd, const char *cond)
{
  for (const struct pt_flag *f = cmd->flags; f && f->name; f++)
    {
      fprintf (out, "complete -c podtool -n '%s' -l %s", cond, f->name);
      if (f->shorthand)
        fprintf (out, " -s %c", f->shorthand);
      if (f->arg)
        fprintf (out, " -r");
      fprintf (out, " -d '");
      for (const char *p = f->help; *p; p++)
        fputs (*p == '\'' ? "\\'" : (char[]){ *p, 0 }, out);
      fprintf (out, "'\n");
    }
}

static void
fish (FILE *out)
{
  fputs ("# fish completion for podtool, made by `podtool completion fish` from its verb table\n"
         "complete -c podtool -f\n",
         out);
  fish_flags (out, &pt_cmd_podtool, "__fish_use_subcommand");
  for (size_t i = 0; pt_cmd_table[i]; i++)
    {
      const struct pt_cmd *c = pt_cmd_table[i];
      fprintf (out, "complete -c podtool -n '__fish_use_subcommand' -a %s -d '%s'\n", c->name,
               c->summary);
      char cond[160];
      snprintf (cond, sizeof cond, "__fish_seen_subcommand_from %s", c->name);
      fish_flags (out, c, cond);
      for (size_t k = 0; c->subs && c->subs[k]; k++)
        {
          fprintf (out, "complete -c podtool -n '%s' -a %s -d '%s'\n", cond, c->subs[k]->name,
                   c->subs[k]->summary);
          char sub[200];
          snprintf (sub, sizeof sub, "%s; and __fish_seen_subcommand_from %s", cond,
                    c->subs[k]->name);
          fish_flags (out, c->subs[k], sub);
        }
      if (!c->subs)
        fprintf (
            out,
            "complete -c podtool -n '%s' -a '(podtool %s --noheading --format %s 2>/dev/null)'\n",
            cond, takes_images (c->name) ? "images" : "ps -a",
            takes_images (c->name) ? "\"{{.Repository}}:{{.Tag}}\"" : "\"{{.Names}}\"");
    }
}

static const struct pt_flag no_flags[] = { { 0, NULL, 0, NULL, NULL } };

static int
completion_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  (void)g;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_completion, argc, argv, err)) != -1)
    return -1;
  if (argc - optind != 1)
    return pt_cli_need_args (&pt_cmd_completion, argc - optind, 1, 1, err);
  const char *shell = argv[optind];
  if (strcmp (shell, "bash") == 0)
    bash (stdout);
  else if (strcmp (shell, "zsh") == 0)
    {
      /* zsh runs the bash function through bashcompinit. */
      fputs ("#compdef podtool\nautoload -U +X bashcompinit && bashcompinit\n", stdout);
      bash (stdout);
    }
  else if (strcmp (shell, "fish") == 0)
    fish (stdout);
  else
    return pt_make_error (err, 0, "unknown shell `%s`: bash, zsh or fish", shell);
  return 0;
}

const struct pt_cmd pt_cmd_completion = {
  .name = "completion",
  .usage = "bash|zsh|fish",
  .summary = "Print the shell completion script",
  .flags = no_flags,
  .exec = completion_exec,
};

/* podtool help [VERB [SUBVERB]] */
static int
help_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  (void)g;
  const struct pt_cmd *cmd = &pt_cmd_podtool;
  static char path[128];
  path[0] = '\0';
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          cmd = &pt_cmd_help;
          snprintf (path, sizeof path, "help");
          break;
        }
      const struct pt_cmd *next = cmd->subs ? pt_cmd_find_in (cmd, argv[i]) : NULL;
      if (next == NULL)
        return pt_make_error (err, 0, "unknown help topic `%s`: try 'podtool help'", argv[i]);
      snprintf (path + strlen (path), sizeof path - strlen (path), "%s%s", *path ? " " : "",
                next->name);
      cmd = next;
    }
  pt_cmd_path = path;
  pt_cmd_print_usage (cmd, stdout);
  return 0;
}

const struct pt_cmd pt_cmd_help = {
  .name = "help",
  .usage = "[COMMAND [SUBCOMMAND]]",
  .summary = "Help about any command",
  .exec = help_exec,
};
