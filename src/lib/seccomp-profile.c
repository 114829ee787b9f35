/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --security-opt seccomp=PROFILE.json: the OCI / Podman seccomp profile
   format, through libseccomp. The same walk checks a profile at create (an
   error names what is wrong) and builds the filter at start. */
#include <config.h>
#include "caps.h"
#include "util.h"
#include <errno.h>
#include <jansson.h>
#include <seccomp.h>
#include <string.h>

static int
action_of (json_t *holder, const char *key, uint32_t dflt, uint32_t *out, pt_error_t *err)
{
  json_t *a = json_object_get (holder, key);
  if (a == NULL)
    {
      *out = dflt;
      return 0;
    }
  const char *s = json_string_value (a);
  json_t *errno_ret = json_object_get (holder, "errnoRet");
  int e = json_is_integer (errno_ret) ? (int)json_integer_value (errno_ret) : EPERM;
  if (s == NULL)
    return pt_make_error (err, 0, "seccomp profile: `%s` must be a string", key);
  if (strcmp (s, "SCMP_ACT_ALLOW") == 0)
    *out = SCMP_ACT_ALLOW;
  else if (strcmp (s, "SCMP_ACT_ERRNO") == 0)
    *out = SCMP_ACT_ERRNO (e);
  else if (strcmp (s, "SCMP_ACT_KILL") == 0 || strcmp (s, "SCMP_ACT_KILL_THREAD") == 0)
    *out = SCMP_ACT_KILL;
  else if (strcmp (s, "SCMP_ACT_KILL_PROCESS") == 0)
    *out = SCMP_ACT_KILL_PROCESS;
  else if (strcmp (s, "SCMP_ACT_TRAP") == 0)
    *out = SCMP_ACT_TRAP;
  else if (strcmp (s, "SCMP_ACT_TRACE") == 0)
    *out = SCMP_ACT_TRACE (e);
  else if (strcmp (s, "SCMP_ACT_LOG") == 0)
    *out = SCMP_ACT_LOG;
  else
    return pt_make_error (err, 0,
                          "seccomp profile: unknown action `%s` (SCMP_ACT_ALLOW, "
                          "_ERRNO, _KILL, _KILL_PROCESS, _TRAP, _TRACE, _LOG)",
                          s);
  return 0;
}

static int
arg_of (json_t *a, struct scmp_arg_cmp *out, pt_error_t *err)
{
  static const struct
  {
    const char *name;
    enum scmp_compare op;
  } ops[] = { { "SCMP_CMP_NE", SCMP_CMP_NE },
              { "SCMP_CMP_LT", SCMP_CMP_LT },
              { "SCMP_CMP_LE", SCMP_CMP_LE },
              { "SCMP_CMP_EQ", SCMP_CMP_EQ },
              { "SCMP_CMP_GE", SCMP_CMP_GE },
              { "SCMP_CMP_GT", SCMP_CMP_GT },
              { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ } };
  json_t *index = json_object_get (a, "index");
  const char *op = json_string_value (json_object_get (a, "op"));
  if (!json_is_integer (index) || json_integer_value (index) < 0 || json_integer_value (index) > 5)
    return pt_make_error (err, 0, "seccomp profile: an arg's `index` must be 0 to 5");
  for (size_t i = 0; op && i < sizeof ops / sizeof *ops; i++)
    if (strcmp (ops[i].name, op) == 0)
      {
        *out = (struct scmp_arg_cmp){
          .arg = (unsigned)json_integer_value (index),
          .op = ops[i].op,
          .datum_a = (scmp_datum_t)json_integer_value (json_object_get (a, "value")),
          .datum_b = (scmp_datum_t)json_integer_value (json_object_get (a, "valueTwo")),
        };
        return 0;
      }
  return pt_make_error (err, 0, "seccomp profile: unknown arg op `%s`", op ? op : "(none)");
}

/* One entry of "syscalls": names (or name), action, args. */
static int
add_rule (scmp_filter_ctx ctx, json_t *rule, size_t at, pt_error_t *err)
{
  uint32_t action;
  if (!json_is_object (rule))
    return pt_make_error (err, 0, "seccomp profile: syscalls[%zu] is not an object", at);
  if (action_of (rule, "action", SCMP_ACT_ALLOW, &action, err) < 0)
    return pt_error_wrap (err, "syscalls[%zu]", at);
  json_t *args = json_object_get (rule, "args");
  struct scmp_arg_cmp cmp[6];
  size_t n_args = json_array_size (args);
  if (n_args > 6)
    return pt_make_error (err, 0, "seccomp profile: syscalls[%zu]: at most 6 args", at);
  for (size_t i = 0; i < n_args; i++)
    if (arg_of (json_array_get (args, i), &cmp[i], err) < 0)
      return pt_error_wrap (err, "syscalls[%zu]", at);
  json_t *names = json_object_get (rule, "names");
  json_t *one = json_object_get (rule, "name");
  if (!json_is_array (names) && !json_is_string (one))
    return pt_make_error (err, 0, "seccomp profile: syscalls[%zu] has no names", at);
  size_t n = json_is_array (names) ? json_array_size (names) : 1;
  for (size_t i = 0; i < n; i++)
    {
      const char *name
          = json_string_value (json_is_array (names) ? json_array_get (names, i) : one);
      if (name == NULL)
        return pt_make_error (err, 0, "seccomp profile: syscalls[%zu]: a name is not a string", at);
      /* One this architecture does not have is left out, as Podman does. */
      int nr = seccomp_syscall_resolve_name (name);
      if (nr == __NR_SCMP_ERROR || ctx == NULL)
        continue;
      int r = seccomp_rule_add_array (ctx, action, nr, (unsigned)n_args, cmp);
      if (r < 0 && r != -EEXIST)
        return pt_make_error (err, -r, "seccomp profile: syscalls[%zu]: rule for `%s`", at, name);
    }
  return 0;
}

/* With load, the filter is built and loaded; without, only checked. */
static int
walk (const char *text, bool load, pt_error_t *err)
{
  json_error_t je;
  json_t *p = json_loads (text, 0, &je);
  if (!json_is_object (p))
    {
      json_decref (p);
      return pt_make_error (err, 0, "seccomp profile: not a JSON object (line %d: %s)", je.line,
                            je.text);
    }
  uint32_t dflt;
  int r = action_of (p, "defaultAction", SCMP_ACT_ALLOW, &dflt, err);
  if (r == 0 && json_object_get (p, "defaultAction") == NULL)
    r = pt_make_error (err, 0, "seccomp profile: no defaultAction");
  scmp_filter_ctx ctx = r == 0 && load ? seccomp_init (dflt) : NULL;
  if (r == 0 && load && ctx == NULL)
    r = pt_make_error (err, ENOMEM, "seccomp_init");
  json_t *rules = json_object_get (p, "syscalls");
  if (r == 0 && rules && !json_is_array (rules))
    r = pt_make_error (err, 0, "seccomp profile: `syscalls` must be an array");
  for (size_t i = 0; r == 0 && i < json_array_size (rules); i++)
    r = add_rule (ctx, json_array_get (rules, i), i, err);
  if (r == 0 && ctx && (r = seccomp_load (ctx)) < 0)
    r = pt_make_error (err, -r, "load the seccomp profile");
  if (ctx)
    seccomp_release (ctx);
  json_decref (p);
  return r;
}

int
pt_seccomp_check_profile (const char *text, pt_error_t *err)
{
  return walk (text, false, err);
}

int
pt_seccomp_load_profile (const char *text, pt_error_t *err)
{
  return walk (text, true, err);
}
