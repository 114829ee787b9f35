/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include <stdlib.h>
#include "tap.h"
#include "lib/template.h"

static json_t *data;

static void
check (const char *tmpl, const char *want)
{
  struct pt_template *t = NULL;
  pt_error_t err = NULL;
  char *out = NULL;
  if (pt_template_parse (tmpl, &t, &err) == 0)
    pt_template_render (t, data, &out, &err);
  if (out == NULL && err)
    printf ("# error: %s\n", err->msg);
  is_str (out, want, "%s", tmpl);
  free (out);
  pt_error_release (&err);
  pt_template_free (t);
}

static void
refused (const char *tmpl, const char *what)
{
  struct pt_template *t = NULL;
  pt_error_t err = NULL;
  char *out = NULL;
  int r = pt_template_parse (tmpl, &t, &err);
  if (r == 0)
    r = pt_template_render (t, data, &out, &err);
  ok (r < 0 && err && strstr (err->msg, what), "%s is refused naming `%s`", tmpl, what);
  if (err)
    printf ("# %s\n", err->msg);
  free (out);
  pt_error_release (&err);
  pt_template_free (t);
}

int
main (void)
{
  plan (28);
  data = json_loads ("{\"ID\":\"abc\",\"Names\":\"web\",\"State\":{\"Pid\":42,\"Running\":true,"
                     "\"ExitCode\":0,\"OOMKilled\":false},\"Config\":{\"Env\":[\"A=1\",\"B=2\"],"
                     "\"Labels\":{\"k\":\"v\",\"a b\":\"c\"}},\"Empty\":[]}",
                     0, NULL);
  check ("{{.ID}}", "abc");
  check ("id={{.ID}} name={{.Names}}", "id=abc name=web");
  check ("{{.State.Pid}} {{.State.Running}} {{.State.OOMKilled}}", "42 true false");
  check ("{{.state.pid}}", "42");
  check ("{{.Config.Env}}", "[A=1 B=2]");
  check ("{{json .Config.Env}}", "[\"A=1\",\"B=2\"]");
  check ("{{json .State.Pid}}", "42");
  check ("{{range .Config.Env}}<{{.}}>{{end}}", "<A=1><B=2>");
  check ("{{if .State.Running}}up{{else}}down{{end}}", "up");
  check ("{{if .Empty}}some{{else}}none{{end}}", "none");
  check ("{{index .Config.Labels \"k\"}}", "v");
  check ("{{index .Config.Env 1}}", "B=2");
  check ("{{join .Config.Env \",\"}}", "A=1,B=2");
  check ("{{upper .Names}}", "WEB");
  check ("{{len .Config.Env}} {{len .Config.Labels}} {{len .Names}}", "2 2 3");
  refused ("{{len .State.Pid}}", "not a list, map or string");
  refused ("{{len .Names .ID}}", "one argument");
  check ("{{.Config.Labels}}", "map[a b:c k:v]");
  refused ("{{.Missing}}", "can't evaluate field Missing");
  refused ("{{.Config.Missing}}", "can't evaluate field Missing");
  check ("{{.Config.Labels.nokey}}", "<no value>");
  check ("a {{- .ID -}} b", "aabcb");
  check ("{{.ID}}\\t{{.Names}}\\n", "abc\tweb\n");
  refused ("{{.ID | upper}}", "|");
  refused ("{{printf \"%s\" .ID}}", "printf");
  refused ("{{if .ID}}x", "without `{{end}}`");
  refused ("{{.ID", "without `}}`");
  struct pt_template *t = NULL;
  pt_error_t err = NULL;
  pt_template_parse ("table {{.ID}}\t{{.Names}}", &t, &err);
  char *h = pt_template_header (t, NULL);
  char *lines[] = { h, (char *) "abc\tweb", (char *) "abcdef\tx", NULL };
  char *aligned = pt_template_align (lines);
  is_str (aligned, "ID      NAMES\nabc     web\nabcdef  x\n", "table header and columns");
  free (aligned);
  free (h);
  pt_template_free (t);
  json_decref (data);
  return done_testing ();
}
