/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_DL_CURL_H
#define PT_DL_CURL_H

/* libcurl, opened on first use as libarchive is (dl.h): only pull, push,
   login and search need it, and its libraries (TLS, HTTP/2, ...) would cost
   every other command their loading. Include instead of <curl/curl.h>. */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#include "error.h"

#define PT_CURL_FUNCS(X)                                                                           \
  X (curl_global_init)                                                                             \
  X (curl_easy_init)                                                                               \
  X (curl_easy_setopt)                                                                             \
  X (curl_easy_perform)                                                                            \
  X (curl_easy_getinfo)                                                                            \
  X (curl_easy_cleanup)                                                                            \
  X (curl_easy_reset)                                                                              \
  X (curl_easy_strerror)                                                                           \
  X (curl_easy_escape)                                                                             \
  X (curl_free)                                                                                    \
  X (curl_slist_append)                                                                            \
  X (curl_slist_free_all)                                                                          \
  X (curl_easy_pause)                                                                              \
  X (curl_multi_init)                                                                              \
  X (curl_multi_setopt)                                                                            \
  X (curl_multi_add_handle)                                                                        \
  X (curl_multi_remove_handle)                                                                     \
  X (curl_multi_perform)                                                                           \
  X (curl_multi_poll)                                                                              \
  X (curl_multi_info_read)                                                                         \
  X (curl_multi_cleanup)

struct pt_curl_fns
{
#define PT_DL_MEMBER(f) __typeof__ (f) *f;
  PT_CURL_FUNCS (PT_DL_MEMBER)
#undef PT_DL_MEMBER
};
extern struct pt_curl_fns pt_curl_fns;
int pt_dl_curl (pt_error_t *err);

#ifndef PT_DL_NO_REDIRECT
/* curl.h defines these two as macros of its own. */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_multi_setopt
#define curl_global_init (pt_curl_fns.curl_global_init)
#define curl_easy_init (pt_curl_fns.curl_easy_init)
#define curl_easy_setopt (pt_curl_fns.curl_easy_setopt)
#define curl_easy_perform (pt_curl_fns.curl_easy_perform)
#define curl_easy_getinfo (pt_curl_fns.curl_easy_getinfo)
#define curl_easy_cleanup (pt_curl_fns.curl_easy_cleanup)
#define curl_easy_reset (pt_curl_fns.curl_easy_reset)
#define curl_easy_strerror (pt_curl_fns.curl_easy_strerror)
#define curl_easy_escape (pt_curl_fns.curl_easy_escape)
#define curl_free (pt_curl_fns.curl_free)
#define curl_slist_append (pt_curl_fns.curl_slist_append)
#define curl_slist_free_all (pt_curl_fns.curl_slist_free_all)
#define curl_easy_pause (pt_curl_fns.curl_easy_pause)
#define curl_multi_init (pt_curl_fns.curl_multi_init)
#define curl_multi_setopt (pt_curl_fns.curl_multi_setopt)
#define curl_multi_add_handle (pt_curl_fns.curl_multi_add_handle)
#define curl_multi_remove_handle (pt_curl_fns.curl_multi_remove_handle)
#define curl_multi_perform (pt_curl_fns.curl_multi_perform)
#define curl_multi_poll (pt_curl_fns.curl_multi_poll)
#define curl_multi_info_read (pt_curl_fns.curl_multi_info_read)
#define curl_multi_cleanup (pt_curl_fns.curl_multi_cleanup)
#endif
#endif
