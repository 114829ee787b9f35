/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "template.h"
#include "util.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum node_kind
{
  N_TEXT,
  N_EXPR,
  N_RANGE,
  N_IF,
};

struct node
{
  enum node_kind kind;
  char *text;        /* N_TEXT */
  char **words;      /* N_EXPR, N_RANGE, N_IF: the pipeline's words */
  struct node *body; /* N_RANGE, N_IF: children */
  size_t n_body;
  struct node *other; /* N_IF: the else branch */
  size_t n_other;
};

struct pt_template
{
  bool table;
  struct node *nodes;
  size_t n;
};

/* ---- parsing ---- */

struct action
{
  char **words;
  bool is_text;
  char *text;
};

static void free_nodes (struct node *v, size_t n);

static void
clear_node (struct node *node)
{
  free (node->text);
  pt_strv_free (node->words);
  free_nodes (node->body, node->n_body);
  free_nodes (node->other, node->n_other);
}

static void
free_nodes (struct node *v, size_t n)
{
  for (size_t i = 0; i < n; i++)
    clear_node (&v[i]);
  free (v);
}

void
pt_template_free (struct pt_template *t)
{
  if (t == NULL)
    return;
  free_nodes (t->nodes, t->n);
  free (t);
}

/* Words of an action: fields, names, "strings" and numbers. */
static int
split_words (const char *s, size_t len, char ***out, pt_error_t *err)
{
  char **w = xzalloc (sizeof *w);
  size_t i = 0;
  while (i < len)
    {
      while (i < len && isspace ((unsigned char)s[i]))
        i++;
      if (i >= len)
        break;
      size_t start = i;
      if (s[i] == '"')
        {
          for (i++; i < len && s[i] != '"'; i++)
            if (s[i] == '\\' && i + 1 < len)
              i++;
          if (i >= len)
            {
              pt_strv_free (w);
              return pt_make_error (err, 0, "template: unterminated string in `{{%.*s}}`", (int)len,
                                    s);
            }
          i++;
        }
      else
        while (i < len && !isspace ((unsigned char)s[i]))
          {
            if (s[i] == '(' || s[i] == ')' || s[i] == '|' || s[i] == '$')
              {
                pt_strv_free (w);
                return pt_make_error (err, 0,
                                      "template: `%c` in `{{%.*s}}` is not supported (pipes, "
                                      "variables and parentheses are not)",
                                      s[i], (int)len, s);
              }
            i++;
          }
      cleanup_free char *word = xstrndup (s + start, i - start);
      pt_strv_append (&w, word);
    }
  *out = w;
  return 0;
}

/* As Podman does: a literal \t or \n written on a command line is a tab or a
   newline. */
static char *
unescape (const char *t, size_t len)
{
  char *out = xmalloc (len + 1), *o = out;
  for (size_t i = 0; i < len; i++)
    {
      if (t[i] == '\\' && i + 1 < len && (t[i + 1] == 't' || t[i + 1] == 'n'))
        {
          *o++ = t[++i] == 't' ? '\t' : '\n';
          continue;
        }
      *o++ = t[i];
    }
  *o = '\0';
  return out;
}

/* Text and actions, in order, with {{- -}} trimming applied. */
static int
lex (const char *text, struct action **out, size_t *n, pt_error_t *err)
{
  struct action *v = NULL;
  size_t count = 0;
  const char *p = text;
  bool trim_next = false;
  while (*p)
    {
      const char *open = strstr (p, "{{");
      size_t tlen = open ? (size_t)(open - p) : strlen (p);
      const char *t = p;
      if (trim_next)
        while (tlen && isspace ((unsigned char)*t))
          t++, tlen--;
      bool trim_prev = open && open[2] == '-' && open[3] == ' ';
      if (trim_prev)
        while (tlen && isspace ((unsigned char)t[tlen - 1]))
          tlen--;
      if (tlen)
        {
          v = xrealloc (v, (count + 1) * sizeof *v);
          v[count++] = (struct action){ .is_text = true, .text = unescape (t, tlen) };
        }
      if (!open)
        break;
      const char *body = open + 2 + (trim_prev ? 2 : 0);
      const char *close = strstr (body, "}}");
      if (!close)
        {
          for (size_t i = 0; i < count; i++)
            {
              free (v[i].text);
              pt_strv_free (v[i].words);
            }
          free (v);
          return pt_make_error (err, 0, "template: `{{` without `}}`");
        }
      const char *end = close;
      trim_next = end - body >= 2 && end[-1] == '-' && end[-2] == ' ';
      if (trim_next)
        end -= 2;
      char **words = NULL;
      if (split_words (body, end - body, &words, err) < 0)
        {
          for (size_t i = 0; i < count; i++)
            {
              free (v[i].text);
              pt_strv_free (v[i].words);
            }
          free (v);
          return -1;
        }
      v = xrealloc (v, (count + 1) * sizeof *v);
      v[count++] = (struct action){ .words = words };
      p = close + 2;
    }
  *out = v;
  *n = count;
  return 0;
}

static const char *const functions[] = { "json", "index", "join", "len", "lower", "upper", NULL };

static bool
known_function (const char *w)
{
  for (size_t i = 0; functions[i]; i++)
    if (strcmp (functions[i], w) == 0)
      return true;
  return false;
}

static int
check_pipeline (char **words, pt_error_t *err)
{
  if (words[0] == NULL)
    return pt_make_error (err, 0, "template: empty action `{{}}`");
  if (words[0][0] == '.' || words[0][0] == '"')
    return words[1] ? pt_make_error (err, 0, "template: `%s %s`: only functions take arguments",
                                     words[0], words[1])
                    : 0;
  if (!known_function (words[0]))
    return pt_make_error (err, 0,
                          "template: `%s` is not supported (json, index, join, len, lower, "
                          "upper, range, if, else and end are)",
                          words[0]);
  return 0;
}

/* Parses actions [*i, n) into nodes until {{end}} or {{else}} (returned in *stop). */
static int
parse_list (struct action *a, size_t n, size_t *i, struct node **out, size_t *count,
            const char **stop, pt_error_t *err)
{
  struct node *v = NULL;
  size_t c = 0;
  *stop = NULL;
  for (; *i < n; (*i)++)
    {
      struct action *x = &a[*i];
      struct node node = { 0 };
      if (x->is_text)
        {
          node.kind = N_TEXT;
          node.text = steal_pointer (&x->text);
        }
      else if (x->words[0]
               && (strcmp (x->words[0], "end") == 0 || strcmp (x->words[0], "else") == 0))
        {
          *stop = x->words[0];
          break;
        }
      else if (x->words[0]
               && (strcmp (x->words[0], "range") == 0 || strcmp (x->words[0], "if") == 0))
        {
          bool is_if = strcmp (x->words[0], "if") == 0;
          node.kind = is_if ? N_IF : N_RANGE;
          node.words = pt_strv_dup (x->words + 1);
          const char *st;
          int r = check_pipeline (node.words, err);
          (*i)++;
          if (r == 0)
            r = parse_list (a, n, i, &node.body, &node.n_body, &st, err);
          if (r == 0 && is_if && st && strcmp (st, "else") == 0)
            {
              (*i)++;
              r = parse_list (a, n, i, &node.other, &node.n_other, &st, err);
            }
          if (r == 0 && (st == NULL || strcmp (st, "end") != 0))
            r = pt_make_error (err, 0, "template: `{{%s}}` without `{{end}}`",
                               is_if ? "if" : "range");
          if (r < 0)
            {
              clear_node (&node);
              free_nodes (v, c);
              return -1;
            }
        }
      else
        {
          node.kind = N_EXPR;
          node.words = pt_strv_dup (x->words);
          if (check_pipeline (node.words, err) < 0)
            {
              clear_node (&node);
              free_nodes (v, c);
              return -1;
            }
        }
      v = xrealloc (v, (c + 1) * sizeof *v);
      v[c++] = node;
    }
  *out = v;
  *count = c;
  return 0;
}

int
pt_template_parse (const char *text, struct pt_template **out, pt_error_t *err)
{
  struct pt_template *t = xzalloc (sizeof *t);
  if (strncmp (text, "table ", 6) == 0 || strcmp (text, "table") == 0)
    {
      t->table = true;
      text += text[5] ? 6 : 5;
    }
  struct action *a = NULL;
  size_t n = 0, i = 0;
  const char *stop;
  int r = lex (text, &a, &n, err);
  if (r == 0)
    r = parse_list (a, n, &i, &t->nodes, &t->n, &stop, err);
  if (r == 0 && stop)
    r = pt_make_error (err, 0, "template: `{{%s}}` without `{{if}}` or `{{range}}`", stop);
  for (size_t k = 0; k < n; k++)
    {
      free (a[k].text);
      pt_strv_free (a[k].words);
    }
  free (a);
  if (r < 0)
    {
      pt_template_free (t);
      return -1;
    }
  *out = t;
  return 0;
}

bool
pt_template_is_table (const struct pt_template *t)
{
  return t->table;
}

/* ---- evaluation ---- */

struct buf
{
  char *s;
  size_t len, cap;
};

static void
put (struct buf *b, const char *s, size_t n)
{
  if (b->len + n + 1 > b->cap)
    b->s = xrealloc (b->s, b->cap = (b->len + n + 1) * 2);
  memcpy (b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

static void
puts_buf (struct buf *b, const char *s)
{
  put (b, s, strlen (s));
}

static json_t *
field (json_t *obj, const char *name)
{
  json_t *v = json_object_get (obj, name);
  if (v || !json_is_object (obj))
    return v;
  const char *k;
  json_t *x;
  json_object_foreach (obj, k, x) if (strcasecmp (k, name) == 0) return x;
  return NULL;
}

/* Objects that stand for Go maps, where a missing key is no value, not an
   error: their field names in Podman's structs. */
static bool
is_map_field (const char *name)
{
  static const char *const maps[] = { "Labels",  "Annotations", "Tmpfs",   "Ports",
                                      "PortBindings", "Data",    "Networks", "Options" };
  for (size_t i = 0; i < sizeof maps / sizeof *maps; i++)
    if (strcasecmp (name, maps[i]) == 0)
      return true;
  return false;
}

/* ".A.B" from dot; a new reference, or NULL (no value). A field that a
   struct does not have is an error, as Go's templates make it. */
static json_t *
path (json_t *dot, const char *p, pt_error_t *err)
{
  if (strcmp (p, ".") == 0)
    return json_incref (dot);
  json_t *cur = dot;
  const char *parent = NULL;
  cleanup_free char *copy = xstrdup (p + 1);
  for (char *save = NULL, *part = strtok_r (copy, ".", &save); part;
       part = strtok_r (NULL, ".", &save))
    {
      json_t *next = field (cur, part);
      if (next == NULL)
        {
          if (json_is_object (cur) && !(parent && is_map_field (parent)) && *err == NULL)
            pt_make_error (err, 0, "template: %s: can't evaluate field %s", p, part);
          else if (cur != NULL && !json_is_object (cur) && !json_is_null (cur) && *err == NULL)
            pt_make_error (err, 0, "template: %s: can't evaluate field %s in a %s", p, part,
                           json_is_array (cur) ? "list" : "value");
          return NULL;
        }
      cur = next;
      parent = part;
    }
  return json_incref (cur);
}

static json_t *
literal (const char *w)
{
  if (w[0] == '"')
    {
      struct buf b = { 0 };
      puts_buf (&b, "");
      for (const char *p = w + 1; *p && *p != '"'; p++)
        {
          if (*p == '\\' && p[1])
            {
              p++;
              char c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
              put (&b, &c, 1);
            }
          else
            put (&b, p, 1);
        }
      json_t *j = json_string (b.s);
      free (b.s);
      return j;
    }
  char *end;
  long long v = strtoll (w, &end, 10);
  return *end ? NULL : json_integer (v);
}

static json_t *
arg (json_t *dot, const char *w, pt_error_t *err)
{
  return w[0] == '.' ? path (dot, w, err) : literal (w);
}

static void format_value (struct buf *b, json_t *v);

static int
compare_keys (const void *a, const void *b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

/* Go's %v: strings raw, slices [a b], maps map[k:v] in key order. */
static void
format_value (struct buf *b, json_t *v)
{
  char num[64];
  size_t i;
  json_t *x;
  switch (json_typeof (v))
    {
    case JSON_STRING: put (b, json_string_value (v), json_string_length (v)); break;
    case JSON_INTEGER:
      snprintf (num, sizeof num, "%lld", (long long)json_integer_value (v));
      puts_buf (b, num);
      break;
    case JSON_REAL:
      snprintf (num, sizeof num, "%g", json_real_value (v));
      puts_buf (b, num);
      break;
    case JSON_TRUE: puts_buf (b, "true"); break;
    case JSON_FALSE: puts_buf (b, "false"); break;
    case JSON_NULL: puts_buf (b, "<nil>"); break;
    case JSON_ARRAY:
      puts_buf (b, "[");
      json_array_foreach (v, i, x)
      {
        if (i)
          puts_buf (b, " ");
        format_value (b, x);
      }
      puts_buf (b, "]");
      break;
    case JSON_OBJECT:
      {
        const char *k;
        char **keys = xzalloc (sizeof *keys);
        json_object_foreach (v, k, x) pt_strv_append (&keys, k);
        qsort (keys, pt_strv_len (keys), sizeof *keys, compare_keys);
        puts_buf (b, "map[");
        for (size_t n = 0; keys[n]; n++)
          {
            if (n)
              puts_buf (b, " ");
            puts_buf (b, keys[n]);
            puts_buf (b, ":");
            format_value (b, json_object_get (v, keys[n]));
          }
        puts_buf (b, "]");
        pt_strv_free (keys);
      }
      break;
    }
}

static int
eval (json_t *dot, char **w, json_t **out, pt_error_t *err)
{
  *out = NULL;
  if (w[0][0] == '.' || w[0][0] == '"')
    {
      *out = arg (dot, w[0], err);
      return *err ? -1 : 0;
    }
  size_t argc = pt_strv_len (w) - 1;
  json_t *a = argc ? arg (dot, w[1], err) : NULL;
  if (*err)
    return -1;
  int r = 0;
  if (strcmp (w[0], "json") == 0 && argc == 1)
    {
      char *s = a ? json_dumps (a, JSON_COMPACT | JSON_ENCODE_ANY) : xstrdup ("null");
      *out = json_string (s);
      free (s);
    }
  else if (strcmp (w[0], "index") == 0 && argc == 2)
    {
      json_t *k = arg (dot, w[2], err);
      if (json_is_object (a) && json_is_string (k))
        *out = json_incref (json_object_get (a, json_string_value (k)));
      else if (json_is_array (a) && json_is_integer (k))
        *out = json_incref (json_array_get (a, json_integer_value (k)));
      else if (a)
        r = pt_make_error (err, 0, "template: index of `%s` with `%s`: wrong types", w[1], w[2]);
      json_decref (k);
    }
  else if (strcmp (w[0], "join") == 0 && argc == 2)
    {
      json_t *sep = arg (dot, w[2], err);
      struct buf b = { 0 };
      puts_buf (&b, "");
      size_t i;
      json_t *x;
      json_array_foreach (a, i, x)
      {
        if (i && json_is_string (sep))
          puts_buf (&b, json_string_value (sep));
        format_value (&b, x);
      }
      *out = json_string (b.s);
      free (b.s);
      json_decref (sep);
    }
  else if (strcmp (w[0], "len") == 0 && argc == 1)
    {
      if (json_is_array (a) || json_is_object (a) || json_is_string (a))
        *out = json_integer (json_is_array (a)    ? json_array_size (a)
                             : json_is_object (a) ? json_object_size (a)
                                                  : json_string_length (a));
      else
        r = pt_make_error (err, 0, "template: len of `%s`: not a list, map or string", w[1]);
    }
  else if ((strcmp (w[0], "lower") == 0 || strcmp (w[0], "upper") == 0) && argc == 1)
    {
      struct buf b = { 0 };
      puts_buf (&b, "");
      if (a)
        format_value (&b, a);
      for (char *p = b.s; *p; p++)
        *p = w[0][0] == 'l' ? tolower ((unsigned char)*p) : toupper ((unsigned char)*p);
      *out = json_string (b.s);
      free (b.s);
    }
  else
    r = pt_make_error (err, 0, "template: `%s` takes %s", w[0],
                       strcmp (w[0], "index") == 0 || strcmp (w[0], "join") == 0 ? "two arguments"
                                                                                 : "one argument");
  json_decref (a);
  return *err ? -1 : r;
}

static bool
truthy (json_t *v)
{
  if (v == NULL || json_is_null (v) || json_is_false (v))
    return false;
  if (json_is_string (v))
    return json_string_length (v) > 0;
  if (json_is_integer (v))
    return json_integer_value (v) != 0;
  if (json_is_array (v))
    return json_array_size (v) > 0;
  if (json_is_object (v))
    return json_object_size (v) > 0;
  return true;
}

static int render_nodes (struct node *v, size_t n, json_t *dot, struct buf *b, pt_error_t *err);

static int
render_node (struct node *node, json_t *dot, struct buf *b, pt_error_t *err)
{
  json_t *val = NULL;
  int r = 0;
  if (node->kind == N_TEXT)
    {
      puts_buf (b, node->text);
      return 0;
    }
  if (eval (dot, node->words, &val, err) < 0)
    return -1;
  if (node->kind == N_EXPR)
    {
      if (val)
        format_value (b, val);
      else
        puts_buf (b, "<no value>");
    }
  else if (node->kind == N_IF)
    r = truthy (val) ? render_nodes (node->body, node->n_body, dot, b, err)
                     : render_nodes (node->other, node->n_other, dot, b, err);
  else
    {
      size_t i;
      json_t *x;
      const char *k;
      if (json_is_array (val))
        json_array_foreach (val, i, x) if (r == 0) r
            = render_nodes (node->body, node->n_body, x, b, err);
      if (json_is_object (val))
        json_object_foreach (val, k, x) if (r == 0) r
            = render_nodes (node->body, node->n_body, x, b, err);
    }
  json_decref (val);
  return r;
}

static int
render_nodes (struct node *v, size_t n, json_t *dot, struct buf *b, pt_error_t *err)
{
  for (size_t i = 0; i < n; i++)
    if (render_node (&v[i], dot, b, err) < 0)
      return -1;
  return 0;
}

int
pt_template_render (const struct pt_template *t, json_t *data, char **out, pt_error_t *err)
{
  struct buf b = { 0 };
  puts_buf (&b, "");
  if (render_nodes (t->nodes, t->n, data, &b, err) < 0)
    {
      free (b.s);
      return -1;
    }
  *out = b.s;
  return 0;
}

char *
pt_template_header (const struct pt_template *t, const char *(*name_of) (const char *field))
{
  struct buf b = { 0 };
  puts_buf (&b, "");
  for (size_t i = 0; i < t->n; i++)
    {
      struct node *node = &t->nodes[i];
      if (node->kind == N_TEXT)
        puts_buf (&b, node->text);
      else if (node->kind == N_EXPR)
        {
          const char *f = node->words[1] ? node->words[1] : node->words[0];
          const char *name = name_of && f[0] == '.' ? name_of (f + 1) : NULL;
          if (name)
            puts_buf (&b, name);
          else
            for (const char *p = f[0] == '.' ? f + 1 : f; *p; p++)
              {
                char c = toupper ((unsigned char)*p);
                put (&b, &c, 1);
              }
        }
    }
  return b.s;
}

char *
pt_template_align (char *const *lines)
{
  size_t widths[64] = { 0 };
  for (size_t i = 0; lines[i]; i++)
    {
      size_t col = 0;
      for (const char *p = lines[i]; col < 64; col++)
        {
          const char *tab = strchr (p, '\t');
          size_t w = tab ? (size_t)(tab - p) : strlen (p);
          if (tab && w > widths[col])
            widths[col] = w;
          if (!tab)
            break;
          p = tab + 1;
        }
    }
  struct buf b = { 0 };
  puts_buf (&b, "");
  for (size_t i = 0; lines[i]; i++)
    {
      size_t col = 0;
      for (const char *p = lines[i];; col++)
        {
          const char *tab = col < 64 ? strchr (p, '\t') : NULL;
          size_t w = tab ? (size_t)(tab - p) : strlen (p);
          put (&b, p, w);
          if (!tab)
            break;
          for (size_t k = w; k < widths[col] + 2; k++)
            put (&b, " ", 1);
          p = tab + 1;
        }
      puts_buf (&b, "\n");
    }
  return b.s;
}
