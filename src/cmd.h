/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_CMD_H
#define PT_CMD_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include "lib/error.h"
#include "lib/net.h"
#include "lib/store.h"
#include "lib/userns.h"

/* Global options and lazily opened state shared by every verb. */
struct pt_global
{
  const char *root, *runroot;
  const char *storage_driver; /* --storage-driver: overlay (default) or vfs */
  struct pt_store store;
  bool store_open;
  struct pt_idmap idmap;
  bool idmap_loaded;
  int exit_code; /* set by verbs that exit with something other than 0 */
};

struct pt_store *pt_global_store (struct pt_global *g, pt_error_t *err);
const struct pt_idmap *pt_global_idmap (struct pt_global *g, pt_error_t *err);

struct pt_cmd
{
  const char *name;
  const char *alias;
  const char *usage;   /* after "podtool NAME " */
  const char *summary; /* one line: --help, man page NAME section */
  int (*exec) (struct pt_global *g, int argc, char **argv, pt_error_t *err);
};

extern const struct pt_cmd pt_cmd_cp, pt_cmd_info, pt_cmd_port, pt_cmd_stats, pt_cmd_top;
extern const struct pt_cmd pt_cmd_container, pt_cmd_pause, pt_cmd_restart, pt_cmd_system,
    pt_cmd_unpause;
extern const struct pt_cmd pt_cmd_attach, pt_cmd_exec, pt_cmd_inspect, pt_cmd_kill, pt_cmd_logs,
    pt_cmd_rename, pt_cmd_stop, pt_cmd_wait;
extern const struct pt_cmd pt_cmd_create, pt_cmd_start, pt_cmd_image, pt_cmd_images, pt_cmd_import,
    pt_cmd_load, pt_cmd_ps, pt_cmd_rm, pt_cmd_rmi, pt_cmd_run, pt_cmd_save, pt_cmd_tag,
    pt_cmd_unshare, pt_cmd_version;
extern const struct pt_cmd *const pt_cmd_table[];

const struct pt_cmd *pt_cmd_find (const char *name);
/* Prints "Usage: podtool NAME USAGE" and the summary. */
void pt_cmd_print_usage (const struct pt_cmd *cmd, FILE *out);
/* For verbs: handles -h/--help and unknown options uniformly. */
int pt_cmd_bad_option (const struct pt_cmd *cmd, pt_error_t *err);

/* The options run and create share, as their usage shows them. */
#define PT_CLI_CREATE_USAGE                                                                        \
  "[-i] [-t] [--rm] [-e K=V]... [--env-file F] [-w DIR] [-u USER[:GROUP]] [--hostname H] "         \
  "[--entrypoint CMD] [--name N] [-l KEY=VALUE]... [-v SRC:DST[:ro]]... [--mount SPEC]... "        \
  "[--tmpfs DST]... [--cap-add CAP]... [--cap-drop CAP]... [--read-only] [--init] "                \
  "[--stop-signal SIG] [--stop-timeout N] [--network MODE] [-p [IP:][HPORT:]PORT[/PROTO]]... "   \
  "[-P] [--expose PORT]... [--dns IP]... [--dns-search DOMAIN]... [--dns-option OPT]... "           \
  "[--add-host NAME:IP]... [--no-hosts] [--log-opt max-size=SIZE] "                                \
  "[-m SIZE] [--memory-swap SIZE] [--pids-limit N] [--cpus N] [--cpu-shares N] "                   \
  "[--cgroup-parent PATH] [--cgroups enabled|disabled] IMAGE [CMD [ARG...]]"

/* run/create's network options (cmd-run-net.c): 0 taken, 1 not one of
   them, -1 an error. */
enum
{
  PT_OPT_NETWORK = 512,
  PT_OPT_EXPOSE,
  PT_OPT_DNS,
  PT_OPT_DNS_SEARCH,
  PT_OPT_DNS_OPTION,
  PT_OPT_ADD_HOST,
  PT_OPT_NO_HOSTS,
};
#define PT_CLI_NET_LONGOPTS                                                                        \
  { "network", required_argument, NULL, PT_OPT_NETWORK },                                          \
      { "net", required_argument, NULL, PT_OPT_NETWORK },                                          \
      { "publish", required_argument, NULL, 'p' }, { "publish-all", no_argument, NULL, 'P' },      \
      { "expose", required_argument, NULL, PT_OPT_EXPOSE },                                        \
      { "dns", required_argument, NULL, PT_OPT_DNS },                                              \
      { "dns-search", required_argument, NULL, PT_OPT_DNS_SEARCH },                                \
      { "dns-option", required_argument, NULL, PT_OPT_DNS_OPTION },                                \
      { "dns-opt", required_argument, NULL, PT_OPT_DNS_OPTION },                                   \
      { "add-host", required_argument, NULL, PT_OPT_ADD_HOST },                                    \
      { "no-hosts", no_argument, NULL, PT_OPT_NO_HOSTS }
struct pt_cli_net
{
  struct pt_net net;
  bool publish_all;
  char **expose;
};
int pt_cli_net_option (int c, const char *arg, struct pt_cli_net *o, pt_error_t *err);

/* Shared by run and create: parse the options, resolve the image, create
   the container. */
struct pt_ctr_spec;
int pt_cli_create_container (struct pt_global *g, const struct pt_cmd *cmd, int argc, char **argv,
                             bool *detach, struct pt_ctr_spec *spec, pt_error_t *err);
/* Shared by run, start -a and attach: copy the monitor's output to ours
   until the container exits, forwarding our signals to it; with stdin_open,
   our input to it; with tty, our terminal in raw mode and its size. */
int pt_cli_relay (int fd, pid_t pid, bool stdin_open, bool tty, int *exit_code, pt_error_t *err);

/* For the verbs that take CONTAINER... or --all: fn for each container the
   arguments name (resolved) or, with all, for every one. fn returns 0 when
   it acted on it, which prints the argument as given (the full id with
   --all), as Podman does; 1 when --all should pass it by silently; -1 on an
   error, which ends the command. */
typedef int (*pt_ctr_fn) (struct pt_store *s, const char *id, bool all, void *data,
                          pt_error_t *err);
int pt_cli_each_container (struct pt_global *g, char **args, bool all, pt_ctr_fn fn, void *data,
                           pt_error_t *err);

/* "Error: MESSAGE" on stderr, as Podman words it: main() for the error that
   ends a command, and verbs that go on past one (rm, rmi) for each. */
void pt_cli_print_error (pt_error_t err);

/* A JSON value on stdout, indented as Podman prints it. */
typedef struct json_t json_t;
void pt_cli_print_json (json_t *j);
/* --format with a Go template (lib/template.h): one line per item of the
   array items, or a header and aligned columns for `table ...`. */
int pt_cli_format (const char *format, json_t *items, const char *(*header_of) (const char *field),
                   pt_error_t *err);
/* Unless force, asks "[y/N]" after warning on stderr and reads the answer
   from stdin (a terminal or not): 1 to go on, 0 not, -1 with no answer. */
int pt_cli_confirm (bool force, const char *warning, pt_error_t *err);

/* Whether the arguments of a verb (argv[0] is the verb) ask for its help:
   --help among its options (before its first operand, which may start a
   container's command), or -h first. */
bool pt_cli_wants_help (int argc, char **argv);

/* container prune's work, for system prune too: removes every container
   that is not running, printing each id. */
int pt_cli_prune_containers (struct pt_global *g, pt_error_t *err);
/* image prune's: dangling images, or with all every one no container uses. */
int pt_cli_prune_images (struct pt_global *g, bool all, pt_error_t *err);

#endif
