/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_CMD_H
#define PT_CMD_H

#include <getopt.h>
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
  int exit_code;    /* set by verbs that exit with something other than 0 */
  bool events_none; /* --events-backend none */
};

struct pt_store *pt_global_store (struct pt_global *g, pt_error_t *err);
const struct pt_idmap *pt_global_idmap (struct pt_global *g, pt_error_t *err);

/* One flag of a verb, as Podman spells it. */
enum pt_flag_state
{
  PT_FLAG_DONE,      /* implemented */
  PT_FLAG_NO_EFFECT, /* accepted, does nothing here (why says so in help) */
  PT_FLAG_REFUSED,   /* "Error: --NAME: not supported by podtool: WHY" */
};

struct pt_flag
{
  int id;           /* what pt_cli_getopt returns: the shorthand, or an id >= 256 */
  const char *name; /* the long name, without -- */
  char shorthand;   /* or 0 */
  const char *arg;  /* the value's name in help ("SECONDS"); NULL: a boolean,
                       --NAME or --NAME=true|false */
  const char *help;
  enum pt_flag_state state;
  const char *why; /* NO_EFFECT, REFUSED: the reason */
  bool hidden;     /* another spelling of a flag listed (--net for --network) */
};

struct pt_cmd
{
  const char *name;
  const char *alias;                /* other names, comma-separated ("ls,list"), or NULL */
  const char *usage;                /* after "podtool NAME " */
  const char *summary;              /* one line: --help, man page NAME section */
  const struct pt_flag *flags;      /* ended by a NULL name; NULL: none */
  const struct pt_cmd *const *subs; /* a group (container, image, ...): its verbs */
  bool stop_at_operand;             /* run, exec: what follows the first operand is the command's */
  int (*exec) (struct pt_global *g, int argc, char **argv, pt_error_t *err);
};

extern const struct pt_cmd pt_cmd_cp, pt_cmd_info, pt_cmd_port, pt_cmd_stats, pt_cmd_top;
extern const struct pt_cmd pt_cmd_container, pt_cmd_pause, pt_cmd_restart, pt_cmd_system,
    pt_cmd_unpause;
extern const struct pt_cmd pt_cmd_attach, pt_cmd_exec, pt_cmd_inspect, pt_cmd_kill, pt_cmd_logs,
    pt_cmd_rename, pt_cmd_stop, pt_cmd_wait;
extern const struct pt_cmd pt_cmd_create, pt_cmd_start, pt_cmd_image, pt_cmd_images, pt_cmd_import,
    pt_cmd_load, pt_cmd_ps, pt_cmd_pull, pt_cmd_rm, pt_cmd_rmi, pt_cmd_run, pt_cmd_save, pt_cmd_tag,
    pt_cmd_unshare, pt_cmd_update, pt_cmd_version, pt_cmd_healthcheck, pt_cmd_healthcheck_run,
    pt_cmd_init, pt_cmd_volume, pt_cmd_volume_create, pt_cmd_volume_ls, pt_cmd_volume_inspect,
    pt_cmd_volume_rm, pt_cmd_volume_prune, pt_cmd_volume_exists, pt_cmd_volume_export,
    pt_cmd_volume_import, pt_cmd_volume_mount, pt_cmd_volume_unmount;
extern const struct pt_cmd pt_cmd_container_cleanup, pt_cmd_container_exists,
    pt_cmd_container_inspect, pt_cmd_container_ls, pt_cmd_container_prune, pt_cmd_image_exists,
    pt_cmd_image_inspect, pt_cmd_image_ls, pt_cmd_image_prune, pt_cmd_image_rm, pt_cmd_history,
    pt_cmd_untag, pt_cmd_image_tree, pt_cmd_system_migrate, pt_cmd_system_prune, pt_cmd_system_reset, pt_cmd_help,
    pt_cmd_completion, pt_cmd_events, pt_cmd_system_df, pt_cmd_export, pt_cmd_diff, pt_cmd_commit;
extern const struct pt_cmd pt_cmd_push, pt_cmd_login, pt_cmd_logout, pt_cmd_search;
extern const struct pt_cmd *const pt_cmd_table[];
/* The top of the tree: podtool itself, its global flags and its verbs. */
extern const struct pt_cmd pt_cmd_podtool;

/* A verb (or one of a group's) by name or alias; NULL if none. */
const struct pt_cmd *pt_cmd_find_in (const struct pt_cmd *group, const char *name);
const struct pt_cmd *pt_cmd_find (const char *name);
/* The full name of the verb being run ("container rm"), for help and errors. */
extern const char *pt_cmd_path;

/* The next flag of argv for cmd, getopt-style (optind, optarg): its id,
   -1 at the first operand (or the end), -2 on an error in Podman's words
   ("unknown flag: --foo", "flag needs an argument: 'n' in -n"). --help
   prints the verb's help and exits 0. Flags with no effect are taken
   here; refused ones are errors. pt_cli_optbool: a boolean's value. */
int pt_cli_getopt (const struct pt_cmd *cmd, int argc, char **argv, pt_error_t *err);
extern bool pt_cli_optbool;
/* "Error: \"podtool rm\" requires at least 1 arg(s), only received 0". */
int pt_cli_need_args (const struct pt_cmd *cmd, int have, int min, int max, pt_error_t *err);

/* Prints the verb's help: usage, summary, aliases, its flags (or verbs). */
void pt_cmd_print_usage (const struct pt_cmd *cmd, FILE *out);
/* For verbs: handles -h/--help and unknown options uniformly. */
int pt_cmd_bad_option (const struct pt_cmd *cmd, pt_error_t *err);

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
struct pt_cli_net
{
  struct pt_net net;
  bool publish_all;
  char **expose;
};
int pt_cli_net_option (int c, const char *arg, struct pt_cli_net *o, pt_error_t *err);

/* Shared by run and create: parse the options, resolve the image, create
   the container. What only run does with it comes back in *how. */
struct pt_ctr_spec;
struct pt_cli_run_how
{
  bool detach;      /* -d */
  bool rmi;         /* --rmi: remove the image after the container */
  int preserve_fds; /* --preserve-fds N */
};
/* --preserve-fds N: checks that our fds 3..N+2 are open. */
int pt_cli_preserve_fds (const char *arg, int *n, pt_error_t *err);
int pt_cli_create_container (struct pt_global *g, const struct pt_cmd *cmd, int argc, char **argv,
                             struct pt_cli_run_how *how, struct pt_ctr_spec *spec,
                             pt_error_t *err);
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

/* --filter KEY=VALUE for containers (cmd-filter.c): status, name (a regular
   expression), id (prefix), label, exited, ancestor, network, restart-policy,
   before, since, until. Values of one key are alternatives; label's all hold. */
struct pt_cli_filters
{
  char **status, **name, **id, **label, **exited, **ancestor, **network, **restart, **health,
      **volume, **pod;
  char *before, *since;                  /* before=/since= a container: made before/after it */
  int64_t before_ns, since_ns, until_ns; /* resolved; 0: none */
  struct pt_store *store;                /* set by resolve: where health= looks */
};
void pt_cli_filters_init (struct pt_cli_filters *f);
void pt_cli_filters_free (struct pt_cli_filters *f);
int pt_cli_filters_add (struct pt_cli_filters *f, const char *arg, pt_error_t *err);
/* Does the extended regular expression want match somewhere in have (as
   Podman's name= filters match)? false for one that does not compile. */
bool pt_cli_regex_match (const char *want, const char *have);
bool pt_cli_filters_any (const struct pt_cli_filters *f);
/* before= and since= resolved to creation times. */
int pt_cli_filters_resolve (struct pt_store *s, struct pt_cli_filters *f, pt_error_t *err);
struct pt_ctr_spec;
struct pt_ctr_state;
bool pt_cli_filters_match (const struct pt_cli_filters *f, const struct pt_ctr_spec *spec,
                           const struct pt_ctr_state *st);

/* Which containers a verb acts on: CONTAINER..., or --all, --latest (-l),
   --cidfile FILE (repeatable), --ignore (-i: a missing one is no error).
   The verb's table lists those it has, with these ids. */
#define PT_OPT_CIDFILE 0x1001
#define PT_FLAG_ALL(what)                                                                          \
  {                                                                                                \
    'a', "all", 'a', NULL, what                                                                    \
  }
#define PT_FLAG_LATEST                                                                             \
  {                                                                                                \
    'l', "latest", 'l', NULL, "Act on the latest container podtool created"                        \
  }
#define PT_FLAG_CIDFILE                                                                            \
  {                                                                                                \
    PT_OPT_CIDFILE, "cidfile", 0, "FILE", "Read the container ID from FILE"                        \
  }
#define PT_FLAG_IGNORE                                                                             \
  {                                                                                                \
    'i', "ignore", 'i', NULL, "Ignore errors when a container does not exist"                      \
  }
#define PT_OPT_FILTER 0x1002
#define PT_FLAG_FILTER                                                                             \
  {                                                                                                \
    PT_OPT_FILTER, "filter", 'f', "FILTER", "Act on the containers that match (as ps --filter)"    \
  }
struct pt_cli_select
{
  bool all, latest, ignore;
  char **cidfiles;
  int missing_code;               /* the exit status for a container that is not there (0: 125) */
  struct pt_cli_filters *filters; /* --filter: those that match, as --all would take them */
};
/* 1 when c was one of them (optarg taken), 0 if not, -1 on an error (a bad --filter). */
int pt_cli_select_flag (int c, struct pt_cli_select *sel, pt_error_t *err);
void pt_cli_select_free (struct pt_cli_select *sel);
/* As pt_cli_each_container, on what sel and args name; each failure is
   printed and the command goes on (exit 125 at the end). */
int pt_cli_each_selected (struct pt_global *g, const struct pt_cli_select *sel, char **args,
                          pt_ctr_fn fn, void *data, pt_error_t *err);
/* args, and with latest the id of the container created last; NULL on an error. */
char **pt_cli_names (struct pt_store *s, char **args, bool latest, pt_error_t *err);
/* The store and pt_cli_names, at least one of them (else cmd's usage
   error). */
char **pt_cli_store_names (struct pt_global *g, const struct pt_cmd *cmd, char **args, bool latest,
                           struct pt_store **s, pt_error_t *err);
/* The container created last. */
int pt_cli_latest (struct pt_store *s, char **id, pt_error_t *err);

/* -e K=V (a bare K: from podtool's environment) and --env-file FILE
   (such lines, # comments), into env. */
int pt_cli_env_add (char ***env, const char *item, const char *origin, pt_error_t *err);
int pt_cli_env_file (char ***env, const char *path, pt_error_t *err);

/* --since/--until: RFC 3339, or a duration back from now (10s, 5m, 2h), in ns. */
int pt_cli_parse_when (const char *s, int64_t *out, pt_error_t *err);

/* An image event (lib/events.h) for ref, its id looked up; name: what it
   was called (NULL: ref). */
void pt_cli_image_event (struct pt_store *s, const char *status, const char *ref, const char *name);

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

/* prune --filter: until=TIMESTAMP (made before), label=, label!=. */
struct pt_cli_prune_filter
{
  int64_t until; /* ns, 0: none */
  char **labels, **not_labels;
};
int pt_cli_prune_filter (struct pt_cli_prune_filter *f, const char *arg, pt_error_t *err);
bool pt_cli_prune_matches (const struct pt_cli_prune_filter *f, int64_t created_ns, char **labels);
void pt_cli_prune_filter_free (struct pt_cli_prune_filter *f);

/* container prune's work, for system prune too: removes every container
   that is not running (and matches f, which may be NULL), printing each id. */
int pt_cli_prune_containers (struct pt_global *g, const struct pt_cli_prune_filter *f,
                             pt_error_t *err);
/* volume prune's: every volume no container uses (and filters hold for). */
int pt_cli_prune_volumes (struct pt_global *g, char **filters, pt_error_t *err);
/* image prune's: dangling images, or with all every one no container uses. */
int pt_cli_prune_images (struct pt_global *g, bool all, const struct pt_cli_prune_filter *f,
                         pt_error_t *err);

/* top's table of the processes of several running containers (a pod's),
   in the columns descriptors name (NULL: the default ones). */
int pt_cli_top_ids (struct pt_global *g, char **ids, char **asked, pt_error_t *err);

#endif
