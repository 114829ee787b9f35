/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "jsonutil.h"
#include "util.h"
#include <string.h>

/* The length of the UTF-8 sequence at s (1 to 4), or 0 when it is not one:
   no overlong forms, no surrogates, nothing past U+10FFFF (RFC 3629). */
static size_t
utf8_seq (const unsigned char *s)
{
  unsigned c = s[0];
  if (c < 0x80)
    return 1;
  size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  for (size_t i = 1; i < n; i++)
    if ((s[i] & 0xc0) != 0x80)
      return 0;
  if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f) || (c == 0xf0 && s[1] < 0x90)
      || (c == 0xf4 && s[1] > 0x8f))
    return 0;
  return n;
}

bool
pt_utf8_valid (const char *s)
{
  for (const unsigned char *p = (const unsigned char *)s; *p;)
    {
      size_t n = utf8_seq (p);
      if (n == 0)
        return false;
      p += n;
    }
  return true;
}

json_t *
pt_json_str (const char *s)
{
  if (s == NULL)
    return json_null ();
  if (pt_utf8_valid (s))
    return json_string (s);
  size_t len = strlen (s);
  cleanup_free char *hex = xzalloc (2 * len + 2);
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < len; i++)
    {
      hex[1 + 2 * i] = digits[(unsigned char)s[i] >> 4];
      hex[2 + 2 * i] = digits[(unsigned char)s[i] & 15];
    }
  return json_stringn (hex, 2 * len + 1);
}

json_t *
pt_json_text (const char *s)
{
  if (s == NULL)
    return json_null ();
  if (pt_utf8_valid (s))
    return json_string (s);
  size_t len = strlen (s), o = 0;
  cleanup_free char *out = xzalloc (3 * len + 1);
  for (const unsigned char *p = (const unsigned char *)s; *p;)
    {
      size_t n = utf8_seq (p);
      if (n == 0)
        {
          memcpy (out + o, "\xef\xbf\xbd", 3); /* U+FFFD */
          o += 3;
          p++;
          continue;
        }
      memcpy (out + o, p, n);
      o += n;
      p += n;
    }
  return json_stringn (out, o);
}

static int
hex_value (char c)
{
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *
pt_json_get_str (const json_t *x)
{
  if (!json_is_string (x))
    return NULL;
  const char *v = json_string_value (x);
  size_t len = json_string_length (x);
  if (len == 0 || v[0] != '\0')
    return xstrndup (v, len);
  /* NUL + hex: bytes that are not UTF-8. A malformed one decodes as far
     as it is hex, never past its end. */
  char *out = xzalloc (len / 2 + 1);
  size_t o = 0;
  for (size_t i = 1; i + 1 < len; i += 2)
    {
      int hi = hex_value (v[i]), lo = hex_value (v[i + 1]);
      if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
        break;
      out[o++] = (char)(hi << 4 | lo);
    }
  return out;
}

char **
pt_json_strv (json_t *arr)
{
  char **v = xzalloc (sizeof *v);
  size_t i, n = 0;
  json_t *x;
  json_array_foreach (arr, i, x)
  {
    char *s = pt_json_get_str (x);
    if (s == NULL)
      continue;
    v = xrealloc (v, (n + 2) * sizeof *v);
    v[n++] = s;
    v[n] = NULL;
  }
  return v;
}

static json_t *
strv_json (char *const *v, json_t *(*conv) (const char *))
{
  json_t *a = json_array ();
  for (size_t i = 0; v && v[i]; i++)
    json_array_append_new (a, conv (v[i]));
  return a;
}

json_t *
pt_strv_json (char *const *v)
{
  return strv_json (v, pt_json_str);
}

json_t *
pt_strv_json_text (char *const *v)
{
  return strv_json (v, pt_json_text);
}

json_t *
pt_kv_json (char *const *kv)
{
  json_t *o = json_object ();
  for (size_t i = 0; kv && kv[i]; i++)
    {
      const char *eq = strchr (kv[i], '=');
      cleanup_free char *key = eq ? xstrndup (kv[i], eq - kv[i]) : xstrdup (kv[i]);
      json_t *k = pt_json_text (key); /* a key must be UTF-8: shown as the values are */
      json_object_set_new (o, json_string_value (k), pt_json_text (eq ? eq + 1 : ""));
      json_decref (k);
    }
  return o;
}
