/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A verb's flags from its table (cmd.h), through getopt_long, with the
   errors Podman's command line (cobra, pflag) gives for them. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "lib/util.h"

#define HELP_ID 0x7fff

bool pt_cli_optbool;
const char *pt_cmd_path;

/* getopt's view of a table, made once for the verb being run. */
struct parser
{
  const struct pt_cmd *cmd;
  struct option *longopts;
  const struct pt_flag **flag; /* of each longopts entry (ids may repeat) */
  char optstring[160];
};

static struct parser parser;

static const struct pt_flag *
flag_of_short (const struct pt_cmd *cmd, int c)
{
  for (const struct pt_flag *f = cmd->flags; f && f->name; f++)
    if (f->shorthand && f->shorthand == c)
      return f;
  return NULL;
}

static void
build (const struct pt_cmd *cmd)
{
  size_t n = 0, k = 0;
  for (const struct pt_flag *f = cmd->flags; f && f->name; f++)
    n++;
  free (parser.longopts);
  free (parser.flag);
  parser.cmd = cmd;
  parser.longopts = xzalloc ((n + 2) * sizeof *parser.longopts);
  parser.flag = xzalloc ((n + 2) * sizeof *parser.flag);
  /* "+": stop at the first operand; ":": a missing value is ':' for us. */
  char *o = parser.optstring;
  if (cmd->stop_at_operand)
    *o++ = '+';
  *o++ = ':';
  for (const struct pt_flag *f = cmd->flags; f && f->name; f++)
    {
      /* A boolean takes --NAME=false; its shorthand takes nothing, so -it
         is -i -t. */
      parser.flag[k] = f;
      parser.longopts[k++]
          = (struct option){ f->name, f->arg ? required_argument : optional_argument, NULL, f->id };
      if (f->shorthand && o < parser.optstring + sizeof parser.optstring - 3)
        {
          *o++ = f->shorthand;
          if (f->arg)
            *o++ = ':';
        }
    }
  parser.longopts[k] = (struct option){ "help", no_argument, NULL, HELP_ID };
  /* -h is help where no flag of the verb has it (run's is --hostname). */
  if (flag_of_short (cmd, 'h') == NULL)
    *o++ = 'h';
  *o = '\0';
}

/* pflag's bool: 1, 0, t, f, true, false in any case Go accepts. */
static int
parse_bool (const char *v, bool *out)
{
  static const char *const yes[] = { "1", "t", "T", "true", "TRUE", "True" };
  static const char *const no[] = { "0", "f", "F", "false", "FALSE", "False" };
  for (size_t i = 0; i < 6; i++)
    {
      if (strcmp (v, yes[i]) == 0)
        return *out = true, 0;
      if (strcmp (v, no[i]) == 0)
        return *out = false, 0;
    }
  return -1;
}

/* The argument the last flag came from (argv[optind-1], or -2 when its
   value was the next one). */
static const char *
last_token (int argc, char **argv)
{
  int i = optind - 1;
  if (optarg && i >= 1 && argv[i] == optarg)
    i--;
  return i >= 1 && i < argc ? argv[i] : "";
}

/* The short cluster ("-fz") the shorthand c was read from. */
static const char *
short_token (int argc, char **argv, char c)
{
  for (int i = optind; i >= optind - 1 && i >= 1; i--)
    if (i < argc && argv[i][0] == '-' && argv[i][1] != '-' && strchr (argv[i] + 1, c))
      return argv[i];
  return "-";
}

static int
unknown (int argc, char **argv, pt_error_t *err)
{
  if (optopt && optopt != HELP_ID && optopt < 256)
    return pt_make_error (err, 0, "unknown shorthand flag: '%c' in %s", optopt,
                          short_token (argc, argv, (char)optopt));
  cleanup_free char *name = xstrdup (argv[optind - 1]);
  name[strcspn (name, "=")] = '\0';
  return pt_make_error (err, 0, "unknown flag: %s", name);
}

static int
missing (char **argv, pt_error_t *err)
{
  const char *tok = argv[optind - 1];
  if (tok[0] == '-' && tok[1] == '-')
    return pt_make_error (err, 0, "flag needs an argument: %s", tok);
  return pt_make_error (err, 0, "flag needs an argument: '%c' in -%c", optopt, optopt);
}

int
pt_cli_getopt (const struct pt_cmd *cmd, int argc, char **argv, pt_error_t *err)
{
  if (parser.cmd != cmd)
    build (cmd);
  for (;;)
    {
      int idx = -1;
      opterr = 0;
      optarg = NULL;
      int c = getopt_long (argc, argv, parser.optstring, parser.longopts, &idx);
      if (c == -1)
        return -1;
      if (c == '?')
        return unknown (argc, argv, err), -2;
      if (c == ':')
        return missing (argv, err), -2;
      if (c == HELP_ID || (idx < 0 && c == 'h' && flag_of_short (cmd, 'h') == NULL))
        {
          pt_cmd_print_usage (cmd, stdout);
          fflush (stdout);
          exit (0);
        }
      const struct pt_flag *f = idx < 0 ? flag_of_short (cmd, c) : NULL;
      if (idx >= 0)
        {
          /* getopt takes unique prefixes (--forc); pflag does not. */
          const char *tok = last_token (argc, argv) + 2;
          size_t len = strlen (parser.longopts[idx].name);
          if (strncmp (tok, parser.longopts[idx].name, len) != 0 || (tok[len] && tok[len] != '='))
            {
              cleanup_free char *name = xstrdup (tok);
              name[strcspn (name, "=")] = '\0';
              return pt_make_error (err, 0, "unknown flag: --%s", name), -2;
            }
          f = parser.flag[idx];
        }
      pt_cli_optbool = true;
      if (f && f->arg == NULL && optarg && parse_bool (optarg, &pt_cli_optbool) < 0)
        return pt_make_error (err, 0,
                              "invalid argument \"%s\" for \"--%s\" flag: strconv.ParseBool: "
                              "parsing \"%s\": invalid syntax",
                              optarg, f->name, optarg),
               -2;
      if (f && f->state == PT_FLAG_REFUSED)
        return pt_make_error (err, 0, "--%s: not supported by podtool: %s", f->name, f->why), -2;
      if (f && f->state == PT_FLAG_NO_EFFECT)
        continue;
      return f ? f->id : c;
    }
}

int
pt_cli_need_args (const struct pt_cmd *cmd, int have, int min, int max, pt_error_t *err)
{
  (void)cmd;
  const char *path = pt_cmd_path ? pt_cmd_path : cmd ? cmd->name : "";
  if (have < min && min == 1)
    return pt_make_error (err, 0, "\"podtool %s\" requires at least %d arg(s), only received %d",
                          path, min, have);
  if (have < min || (max >= 0 && have > max))
    {
      if (min == max)
        return pt_make_error (err, 0, "\"podtool %s\" requires exactly %d arg(s), only received %d",
                              path, min, have);
      if (have < min)
        return pt_make_error (err, 0,
                              "\"podtool %s\" requires at least %d arg(s), only received %d", path,
                              min, have);
      return pt_make_error (err, 0, "\"podtool %s\" accepts at most %d arg(s), received %d", path,
                            max, have);
    }
  return 0;
}
