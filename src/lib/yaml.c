/* SPDX-License-Identifier: GPL-2.0-or-later */
/* YAML <-> JSON values with libyaml: see yaml.h. */
#include <config.h>
#include "yaml.h"
#include "util.h"
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

enum { MAX_DEPTH = 64 };

/* re (one of a few constant patterns) matches s; each compiled once. */
static bool
matches (const char *re, const char *s)
{
  static struct
  {
    const char *re;
    regex_t r;
  } cache[8];
  size_t i = 0;
  for (; i < sizeof cache / sizeof *cache && cache[i].re && cache[i].re != re; i++)
    ;
  if (i == sizeof cache / sizeof *cache)
    return false;
  if (cache[i].re == NULL)
    {
      if (regcomp (&cache[i].r, re, REG_EXTENDED | REG_NOSUB) != 0)
        return false;
      cache[i].re = re;
    }
  return regexec (&cache[i].r, s, 0, NULL, 0) == 0;
}

/* A plain scalar as the core schema types it. */
static json_t *
plain_scalar (const char *v)
{
  if (*v == '\0' || strcmp (v, "~") == 0 || strcmp (v, "null") == 0 || strcmp (v, "Null") == 0
      || strcmp (v, "NULL") == 0)
    return json_null ();
  if (strcmp (v, "true") == 0 || strcmp (v, "True") == 0 || strcmp (v, "TRUE") == 0)
    return json_true ();
  if (strcmp (v, "false") == 0 || strcmp (v, "False") == 0 || strcmp (v, "FALSE") == 0)
    return json_false ();
  if (matches ("^[-+]?[0-9]+$", v))
    {
      errno = 0;
      long long n = strtoll (v, NULL, 10);
      if (errno == 0)
        return json_integer (n);
    }
  json_t *real = matches ("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$", v)
                   ? json_real (strtod (v, NULL)) /* NULL when not finite */
                   : NULL;
  return real ? real : json_string (v);
}

struct frame
{
  json_t *node;
  char *key; /* a mapping's key waiting for its value */
};

static int
add (struct frame *st, int depth, json_t *v, json_t **root, pt_error_t *err)
{
  if (depth == 0)
    {
      *root = v;
      return 0;
    }
  struct frame *f = &st[depth - 1];
  if (json_is_array (f->node))
    return json_array_append_new (f->node, v), 0;
  if (f->key == NULL)
    {
      /* A key: only scalars. */
      if (!json_is_string (v) && !json_is_integer (v) && !json_is_boolean (v) && !json_is_real (v)
          && !json_is_null (v))
        {
          json_decref (v);
          return pt_make_error (err, 0, "a mapping key that is not a scalar");
        }
      f->key = json_is_string (v) ? xstrdup (json_string_value (v))
                                  : json_dumps (v, JSON_ENCODE_ANY);
      json_decref (v);
      return 0;
    }
  json_object_set_new (f->node, f->key, v);
  free (f->key);
  f->key = NULL;
  return 0;
}

int
pt_yaml_parse (const char *text, size_t len, json_t **docs, pt_error_t *err)
{
  return pt_yaml_parse_lines (text, len, docs, NULL, err);
}

int
pt_yaml_parse_lines (const char *text, size_t len, json_t **docs, size_t **lines,
                     pt_error_t *err)
{
  size_t n_lines = 0;
  if (lines)
    *lines = NULL;
  yaml_parser_t p;
  yaml_event_t ev;
  struct frame st[MAX_DEPTH] = { 0 };
  int depth = 0, ret = 0;
  json_t *doc = NULL;
  *docs = json_array ();
  yaml_parser_initialize (&p);
  yaml_parser_set_input_string (&p, (const unsigned char *)text, len);
  for (bool done = false; !done && ret == 0;)
    {
      if (!yaml_parser_parse (&p, &ev))
        {
          ret = pt_make_error (err, 0, "line %zu: %s%s%s", p.problem_mark.line + 1,
                               p.problem ? p.problem : "malformed YAML",
                               p.context ? " " : "", p.context ? p.context : "");
          break;
        }
      size_t line = ev.start_mark.line + 1;
      if (lines && n_lines && (*lines)[n_lines - 1] == 0 && depth == 0
          && (ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_SEQUENCE_START_EVENT
              || ev.type == YAML_SCALAR_EVENT))
        (*lines)[n_lines - 1] = line;
      switch (ev.type)
        {
        case YAML_STREAM_END_EVENT: done = true; break;
        case YAML_DOCUMENT_START_EVENT:
          /* Its line: that of its first node (after any "---"). */
          if (lines)
            {
              *lines = xrealloc (*lines, (n_lines + 1) * sizeof **lines);
              (*lines)[n_lines++] = 0;
            }
          break;
        case YAML_DOCUMENT_END_EVENT:
          json_array_append_new (*docs, doc ? doc : json_null ());
          doc = NULL;
          break;
        case YAML_ALIAS_EVENT:
          ret = pt_make_error (err, 0, "line %zu: YAML aliases are not accepted", line);
          break;
        case YAML_SCALAR_EVENT:
          {
            const char *v = (const char *)ev.data.scalar.value;
            json_t *j = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? plain_scalar (v)
                                                                         : json_string (v);
            if (j == NULL) /* not UTF-8 jansson takes (a NUL in it) */
              {
                ret = pt_make_error (err, 0, "line %zu: a string that is not text", line);
                break;
              }
            if (add (st, depth, j, &doc, err) < 0)
              ret = pt_error_wrap (err, "line %zu", line);
            break;
          }
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
          {
            if (ev.data.mapping_start.anchor || ev.data.sequence_start.anchor)
              {
                ret = pt_make_error (err, 0, "line %zu: YAML anchors are not accepted", line);
                break;
              }
            if (depth == MAX_DEPTH)
              {
                ret = pt_make_error (err, 0, "line %zu: nested too deep", line);
                break;
              }
            json_t *n = ev.type == YAML_SEQUENCE_START_EVENT ? json_array () : json_object ();
            if (add (st, depth, json_incref (n), &doc, err) < 0)
              {
                json_decref (n);
                ret = pt_error_wrap (err, "line %zu", line);
                break;
              }
            st[depth].node = n;
            st[depth].key = NULL;
            depth++;
            break;
          }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
          depth--;
          json_decref (st[depth].node);
          free (st[depth].key);
          st[depth].key = NULL;
          break;
        default: break;
        }
      yaml_event_delete (&ev);
    }
  while (depth > 0)
    {
      depth--;
      json_decref (st[depth].node);
      free (st[depth].key);
    }
  json_decref (doc);
  yaml_parser_delete (&p);
  if (ret < 0)
    {
      json_decref (*docs);
      *docs = NULL;
      if (lines)
        {
          free (*lines);
          *lines = NULL;
        }
    }
  return ret;
}

/* ---- emitting ---- */

struct out
{
  char *buf;
  size_t len;
};

static int
write_out (void *data, unsigned char *buf, size_t size)
{
  struct out *o = data;
  o->buf = xrealloc (o->buf, o->len + size + 1);
  memcpy (o->buf + o->len, buf, size);
  o->len += size;
  o->buf[o->len] = '\0';
  return 1;
}

static int
scalar (yaml_emitter_t *e, const char *v, bool quote)
{
  yaml_event_t ev;
  yaml_scalar_event_initialize (&ev, NULL, NULL, (yaml_char_t *)v, (int)strlen (v), !quote, 1,
                                quote ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
  return yaml_emitter_emit (e, &ev);
}

static int
emit_node (yaml_emitter_t *e, json_t *j, int depth)
{
  yaml_event_t ev;
  if (depth > MAX_DEPTH)
    return 0;
  if (json_is_object (j))
    {
      const char *k;
      json_t *v;
      yaml_mapping_start_event_initialize (&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
      if (!yaml_emitter_emit (e, &ev))
        return 0;
      json_object_foreach (j, k, v) if (!scalar (e, k, false) || !emit_node (e, v, depth + 1)) return 0;
      yaml_mapping_end_event_initialize (&ev);
      return yaml_emitter_emit (e, &ev);
    }
  if (json_is_array (j))
    {
      size_t i;
      json_t *v;
      yaml_sequence_start_event_initialize (&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
      if (!yaml_emitter_emit (e, &ev))
        return 0;
      json_array_foreach (j, i, v) if (!emit_node (e, v, depth + 1)) return 0;
      yaml_sequence_end_event_initialize (&ev);
      return yaml_emitter_emit (e, &ev);
    }
  if (json_is_string (j))
    {
      const char *s = json_string_value (j);
      json_t *as_plain = plain_scalar (s);
      /* What another reader takes for something else: YAML 1.1's y/yes/on/off
         booleans, and timestamps. */
      bool quote = !json_is_string (as_plain)
                   || matches ("^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$", s)
                   || matches ("^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", s);
      json_decref (as_plain);
      return scalar (e, s, quote);
    }
  cleanup_free char *text = json_is_null (j) ? xstrdup ("null") : json_dumps (j, JSON_ENCODE_ANY);
  return scalar (e, text, false);
}

char *
pt_yaml_emit (json_t *docs, pt_error_t *err)
{
  yaml_emitter_t e;
  yaml_event_t ev;
  struct out o = { xstrdup (""), 0 };
  yaml_emitter_initialize (&e);
  yaml_emitter_set_output (&e, write_out, &o);
  yaml_emitter_set_unicode (&e, 1);
  yaml_emitter_set_width (&e, -1);
  yaml_emitter_set_indent (&e, 2);
  yaml_stream_start_event_initialize (&ev, YAML_UTF8_ENCODING);
  int ok = yaml_emitter_emit (&e, &ev);
  size_t i;
  json_t *d;
  json_array_foreach (docs, i, d)
  {
    if (!ok)
      break;
    yaml_document_start_event_initialize (&ev, NULL, NULL, NULL, i == 0);
    ok = yaml_emitter_emit (&e, &ev) && emit_node (&e, d, 0);
    yaml_document_end_event_initialize (&ev, 1);
    ok = ok && yaml_emitter_emit (&e, &ev);
  }
  yaml_stream_end_event_initialize (&ev);
  ok = ok && yaml_emitter_emit (&e, &ev);
  if (!ok)
    pt_make_error (err, 0, "write YAML: %s", e.problem ? e.problem : "libyaml failed");
  yaml_emitter_delete (&e);
  if (!ok)
    return free (o.buf), NULL;
  return o.buf;
}
