/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool healthcheck run: run a container's healthcheck now and record it
   (the monitor runs this at each interval). */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/events.h"
#include "lib/exec.h"
#include "lib/health.h"
#include "lib/util.h"

#define OUTPUT_MAX 4096

struct check
{
  int out;          /* the read end of the command's stdout and stderr */
  int64_t deadline; /* ns */
  char buf[OUTPUT_MAX + 1];
  size_t len;
  bool timed_out;
};

/* While it runs: its output kept (the first 4 KiB), and a kill at the deadline. */
static void
collect (pid_t pid, void *data)
{
  struct check *c = data;
  for (;;)
    {
      int64_t left = (c->deadline - pt_now_ns ()) / 1000000;
      struct pollfd p = { .fd = c->out, .events = POLLIN };
      int n = left > 0 ? poll (&p, 1, (int)(left > 60000 ? 60000 : left)) : 0;
      if (n < 0 && errno == EINTR)
        continue;
      if (n == 0 && pt_now_ns () >= c->deadline)
        {
          c->timed_out = true;
          kill (pid, SIGKILL);
          return;
        }
      if (n <= 0)
        continue;
      char tmp[4096];
      ssize_t k = read (c->out, tmp, sizeof tmp);
      if (k <= 0)
        return;
      size_t take = (size_t)k < OUTPUT_MAX - c->len ? (size_t)k : OUTPUT_MAX - c->len;
      memcpy (c->buf + c->len, tmp, take);
      c->len += take;
    }
}

/* The test in the container, as exec runs a command: *code its status (a
   command that cannot run, 126 or 127, is a failed check, not our error). */
static void
run_check (struct pt_store *s, const struct pt_ctr_spec *spec, int *code, struct check *c)
{
  int p[2];
  if (pipe2 (p, O_CLOEXEC) < 0)
    {
      *code = 125;
      snprintf (c->buf, sizeof c->buf, "pipe: %s", strerror (errno));
      return;
    }
  cleanup_strv char **argv = pt_health_argv (spec);
  int64_t timeout = spec->health_timeout > 0 ? spec->health_timeout : PT_HEALTH_DEFAULT_TIMEOUT;
  c->out = p[0];
  c->deadline = pt_now_ns () + timeout;
  struct pt_exec_options o = {
    .argv = argv,
    .stdio = { open ("/dev/null", O_RDONLY | O_CLOEXEC), p[1], fcntl (p[1], F_DUPFD_CLOEXEC, 3) },
    .on_running = collect,
    .on_tty_data = c,
  };
  pt_error_t e = NULL;
  if (pt_exec (s, spec->id, &o, code, &e) < 0)
    {
      cleanup_free char *msg = pt_error_string (e);
      c->len = snprintf (c->buf, sizeof c->buf, "%s", msg);
      *code = e->exit_code ? e->exit_code : 125;
      pt_error_release (&e);
    }
  close (p[0]);
  if (c->timed_out)
    {
      c->len = snprintf (c->buf, sizeof c->buf, "healthcheck command exceeded timeout of %llds",
                         (long long)(timeout / 1000000000));
      *code = -1;
    }
  c->buf[c->len] = '\0';
}

static int
check_one (struct pt_global *g, const char *ref, pt_error_t *err)
{
  struct pt_store *s = pt_global_store (g, err);
  cleanup_free char *id = NULL;
  struct pt_ctr_spec spec;
  struct pt_ctr_state st;
  if (s == NULL || pt_ctr_resolve (s, ref, &id, err) < 0
      || pt_ctr_spec_read (s, id, &spec, err) < 0)
    return -1;
  int r = 0;
  if (!pt_health_defined (&spec))
    r = pt_make_error (err, 0, "container %s has no defined healthcheck", id);
  else if (pt_ctr_state (s, id, &st, err) < 0)
    r = -1;
  else if (st.status != PT_CTR_RUNNING)
    r = pt_make_error (err, 0, "container %s is not running", id);
  if (r < 0)
    {
      pt_ctr_spec_free (&spec);
      return -1;
    }
  struct check c = { .out = -1 };
  int code = 0;
  int64_t start = pt_now_ns ();
  run_check (s, &spec, &code, &c);
  int64_t end = pt_now_ns ();
  bool starting = start < st.started_ns + spec.health_start_period;
  cleanup_free char *status = NULL;
  r = pt_health_record (s, &spec, code, c.buf, start, end, starting, &status, err);
  if (r == 0)
    {
      pt_event (s, "container", "health_status", id, spec.name, spec.image,
                json_pack ("{s:s}", "health_status", status));
      if (strcmp (status, "healthy") != 0)
        {
          printf ("%s\n", status);
          g->exit_code = 1;
        }
    }
  pt_ctr_spec_free (&spec);
  return r;
}

static int
run_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_healthcheck_run, argc, argv, err)) != -1)
    return -1;
  if (argc - optind != 1)
    return pt_cli_need_args (&pt_cmd_healthcheck_run, argc - optind, 1, 1, err);
  return check_one (g, argv[optind], err);
}

const struct pt_cmd pt_cmd_healthcheck_run = {
  .name = "run",
  .usage = "CONTAINER",
  .summary = "Run a container's healthcheck now: exit 0 healthy, 1 not (and prints its status)",
  .exec = run_exec,
};

static const struct pt_cmd *const healthcheck_verbs[] = { &pt_cmd_healthcheck_run, NULL };

const struct pt_cmd pt_cmd_healthcheck = {
  .name = "healthcheck",
  .usage = "run CONTAINER",
  .summary = "Run healthchecks",
  .subs = healthcheck_verbs,
};
