/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>
#include <shadow/subid.h>
#define PT_DL_NO_REDIRECT
#include "dl.h"

/* Filled once, on first use, and never changed after: see dl.h. */
struct pt_archive_fns pt_archive_fns;

static void *
open_lib (const char *soname, pt_error_t *err)
{
  void *h = dlopen (soname, RTLD_NOW | RTLD_LOCAL);
  if (h == NULL)
    pt_make_error (err, 0, "load `%s`: %s", soname, dlerror ());
  return h;
}

int
pt_dl_archive (pt_error_t *err)
{
  static void *handle;
  if (handle)
    return 0;
  void *h = open_lib (PT_LIBARCHIVE_SONAME, err);
  if (h == NULL)
    return -1;
#define PT_DL_LOAD(f)                                                                              \
  if ((pt_archive_fns.f = dlsym (h, #f)) == NULL)                                                  \
    return pt_make_error (err, 0, "`%s` lacks `%s`", PT_LIBARCHIVE_SONAME, #f);
  PT_ARCHIVE_FUNCS (PT_DL_LOAD)
#undef PT_DL_LOAD
  handle = h;
  return 0;
}

int
pt_dl_subid (struct pt_subid_fns *out, pt_error_t *err)
{
  static void *handle;
  if (handle == NULL && (handle = open_lib (PT_LIBSUBID_SONAME, err)) == NULL)
    return -1;
  out->get_uid_ranges = dlsym (handle, "subid_get_uid_ranges");
  out->get_gid_ranges = dlsym (handle, "subid_get_gid_ranges");
  if (out->get_uid_ranges == NULL || out->get_gid_ranges == NULL)
    return pt_make_error (err, 0, "`%s` lacks subid_get_uid_ranges", PT_LIBSUBID_SONAME);
  return 0;
}
