/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool version: Podman's layout, and --format over the same fields. */
#include <config.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>
#include "cmd.h"
#include "lib/util.h"

static const struct pt_flag version_flags[] = {
  { 'f', "format", 'f', "FORMAT", "Go template ({{.Client.Version}}), or json" },
  { 0, NULL, 0, NULL, NULL },
};

/* Go's GOARCH for uname's machine. */
static const char *
goarch (const char *m)
{
  static const char *const map[][2]
      = { { "x86_64", "amd64" }, { "aarch64", "arm64" },   { "i686", "386" },
          { "armv7l", "arm" },   { "ppc64le", "ppc64le" }, { "s390x", "s390x" } };
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (strcmp (map[i][0], m) == 0)
      return map[i][1];
  return m;
}

static int
version_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  (void)g;
  const char *format = NULL;
  int c;
  optind = 0;
  while (argc > 1 && (c = pt_cli_getopt (&pt_cmd_version, argc, argv, err)) != -1)
    if (c == 'f')
      format = optarg;
    else
      return -1;
  struct utsname u;
  uname (&u);
  cleanup_free char *osarch = xasprintf ("linux/%s", goarch (u.machine));
  const char *built = __DATE__ " " __TIME__;
  struct tm tm = { 0 };
  time_t when = strptime (built, "%b %d %Y %H:%M:%S", &tm) ? timegm (&tm) : 0;
  char when_text[64];
  strftime (when_text, sizeof when_text, "%a %b %e %H:%M:%S %Y", gmtime (&when));
  json_t *client
      = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "APIVersion", PACKAGE_VERSION,
                   "Version", PACKAGE_VERSION, "GoVersion", "", "GitCommit", "", "BuiltTime",
                   when_text, "Built", (json_int_t)when, "OsArch", osarch, "Os", "linux");
  json_t *all = json_pack ("{s:o}", "Client", client);
  int r = 0;
  if (format && strcmp (format, "json") == 0)
    pt_cli_print_json (all);
  else if (format)
    {
      json_t *items = json_pack ("[O]", all);
      r = pt_cli_format (format, items, NULL, err);
      json_decref (items);
    }
  else
    printf ("Client:       podtool\nVersion:      %s\nAPI Version:  %s\nBuilt:        %s\n"
            "OS/Arch:      %s\n",
            PACKAGE_VERSION, PACKAGE_VERSION, when_text, osarch);
  json_decref (all);
  return r;
}

const struct pt_cmd pt_cmd_version = {
  .name = "version",
  .usage = "[options]",
  .summary = "Print the version",
  .flags = version_flags,
  .exec = version_exec,
};
