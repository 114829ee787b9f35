/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#define PT_DL_NO_REDIRECT
#include "dl-curl.h"
#include <dlfcn.h>

/* Filled once, on first use, and never changed after. */
struct pt_curl_fns pt_curl_fns;

int
pt_dl_curl (pt_error_t *err)
{
  static void *handle;
  if (handle)
    return 0;
  void *h = dlopen (PT_LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (h == NULL)
    return pt_make_error (err, 0, "load `%s`: %s", PT_LIBCURL_SONAME, dlerror ());
#define PT_DL_LOAD(f)                                                                              \
  if ((pt_curl_fns.f = dlsym (h, #f)) == NULL)                                                     \
    return pt_make_error (err, 0, "`%s` lacks `%s`", PT_LIBCURL_SONAME, #f);
  PT_CURL_FUNCS (PT_DL_LOAD)
#undef PT_DL_LOAD
  if (pt_curl_fns.curl_global_init (CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return pt_make_error (err, 0, "initialize libcurl");
  handle = h;
  return 0;
}
