/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_DL_H
#define PT_DL_H

/* libarchive and libsubid are opened on first use, not at start-up: they
   pull in some twenty libraries (libcrypto, libxml2, PAM, SELinux...) whose
   loading would cost every `podtool run` about 7 ms. The table is filled
   once per process. Include after <archive.h>/<shadow/subid.h>. */
#include "error.h"

#ifdef ARCHIVE_VERSION_NUMBER
#define PT_ARCHIVE_FUNCS(X)                                                                        \
  X (archive_entry_filetype)                                                                       \
  X (archive_entry_free)                                                                           \
  X (archive_entry_hardlink)                                                                       \
  X (archive_entry_uid)                                                                            \
  X (archive_entry_gid)                                                                            \
  X (archive_entry_new)                                                                            \
  X (archive_entry_pathname)                                                                       \
  X (archive_entry_set_gid)                                                                        \
  X (archive_entry_set_hardlink)                                                                   \
  X (archive_entry_set_mode)                                                                       \
  X (archive_entry_set_mtime)                                                                      \
  X (archive_entry_set_pathname)                                                                   \
  X (archive_entry_set_rdev)                                                                       \
  X (archive_entry_set_size)                                                                       \
  X (archive_entry_set_symlink)                                                                    \
  X (archive_entry_set_uid)                                                                        \
  X (archive_entry_size)                                                                           \
  X (archive_entry_sparse_count)                                                                   \
  X (archive_filter_bytes)                                                                         \
  X (archive_filter_code)                                                                          \
  X (archive_errno)                                                                                \
  X (archive_error_string)                                                                         \
  X (archive_read_data_block)                                                                      \
  X (archive_read_free)                                                                            \
  X (archive_read_new)                                                                             \
  X (archive_read_next_header)                                                                     \
  X (archive_read_open)                                                                            \
  X (archive_read_open_fd)                                                                         \
  X (archive_read_open_filename)                                                                   \
  X (archive_read_support_filter_all)                                                              \
  X (archive_read_support_format_raw)                                                              \
  X (archive_read_support_format_tar)                                                              \
  X (archive_set_error)                                                                            \
  X (archive_write_add_filter_gzip)                                                                \
  X (archive_write_add_filter_zstd)                                                                \
  X (archive_write_close)                                                                          \
  X (archive_write_data)                                                                           \
  X (archive_write_data_block)                                                                     \
  X (archive_write_disk_new)                                                                       \
  X (archive_write_disk_set_options)                                                               \
  X (archive_write_finish_entry)                                                                   \
  X (archive_write_free)                                                                           \
  X (archive_write_header)                                                                         \
  X (archive_write_new)                                                                            \
  X (archive_write_open)                                                                           \
  X (archive_write_open_fd)                                                                        \
  X (archive_write_open_filename)                                                                  \
  X (archive_write_set_bytes_in_last_block)                                                        \
  X (archive_write_set_filter_option)                                                              \
  X (archive_write_set_bytes_per_block)                                                            \
  X (archive_write_set_format_pax_restricted)                                                      \
  X (archive_write_set_format_raw)

struct pt_archive_fns
{
#define PT_DL_MEMBER(f) __typeof__ (f) *f;
  PT_ARCHIVE_FUNCS (PT_DL_MEMBER)
#undef PT_DL_MEMBER
};
extern struct pt_archive_fns pt_archive_fns;
int pt_dl_archive (pt_error_t *err);

#ifndef PT_DL_NO_REDIRECT
#define archive_entry_filetype (pt_archive_fns.archive_entry_filetype)
#define archive_entry_free (pt_archive_fns.archive_entry_free)
#define archive_entry_hardlink (pt_archive_fns.archive_entry_hardlink)
#define archive_entry_uid (pt_archive_fns.archive_entry_uid)
#define archive_entry_gid (pt_archive_fns.archive_entry_gid)
#define archive_entry_new (pt_archive_fns.archive_entry_new)
#define archive_entry_pathname (pt_archive_fns.archive_entry_pathname)
#define archive_entry_set_gid (pt_archive_fns.archive_entry_set_gid)
#define archive_entry_set_hardlink (pt_archive_fns.archive_entry_set_hardlink)
#define archive_entry_set_mode (pt_archive_fns.archive_entry_set_mode)
#define archive_entry_set_mtime (pt_archive_fns.archive_entry_set_mtime)
#define archive_entry_set_pathname (pt_archive_fns.archive_entry_set_pathname)
#define archive_entry_set_rdev (pt_archive_fns.archive_entry_set_rdev)
#define archive_entry_set_size (pt_archive_fns.archive_entry_set_size)
#define archive_entry_set_symlink (pt_archive_fns.archive_entry_set_symlink)
#define archive_entry_set_uid (pt_archive_fns.archive_entry_set_uid)
#define archive_entry_size (pt_archive_fns.archive_entry_size)
#define archive_entry_sparse_count (pt_archive_fns.archive_entry_sparse_count)
#define archive_filter_bytes (pt_archive_fns.archive_filter_bytes)
#define archive_filter_code (pt_archive_fns.archive_filter_code)
#define archive_errno (pt_archive_fns.archive_errno)
#define archive_error_string (pt_archive_fns.archive_error_string)
#define archive_read_data_block (pt_archive_fns.archive_read_data_block)
#define archive_read_free (pt_archive_fns.archive_read_free)
#define archive_read_new (pt_archive_fns.archive_read_new)
#define archive_read_next_header (pt_archive_fns.archive_read_next_header)
#define archive_read_open (pt_archive_fns.archive_read_open)
#define archive_read_open_fd (pt_archive_fns.archive_read_open_fd)
#define archive_read_open_filename (pt_archive_fns.archive_read_open_filename)
#define archive_read_support_filter_all (pt_archive_fns.archive_read_support_filter_all)
#define archive_read_support_format_raw (pt_archive_fns.archive_read_support_format_raw)
#define archive_read_support_format_tar (pt_archive_fns.archive_read_support_format_tar)
#define archive_set_error (pt_archive_fns.archive_set_error)
#define archive_write_add_filter_gzip (pt_archive_fns.archive_write_add_filter_gzip)
#define archive_write_add_filter_zstd (pt_archive_fns.archive_write_add_filter_zstd)
#define archive_write_close (pt_archive_fns.archive_write_close)
#define archive_write_data (pt_archive_fns.archive_write_data)
#define archive_write_data_block (pt_archive_fns.archive_write_data_block)
#define archive_write_disk_new (pt_archive_fns.archive_write_disk_new)
#define archive_write_disk_set_options (pt_archive_fns.archive_write_disk_set_options)
#define archive_write_finish_entry (pt_archive_fns.archive_write_finish_entry)
#define archive_write_free (pt_archive_fns.archive_write_free)
#define archive_write_header (pt_archive_fns.archive_write_header)
#define archive_write_new (pt_archive_fns.archive_write_new)
#define archive_write_open (pt_archive_fns.archive_write_open)
#define archive_write_open_fd (pt_archive_fns.archive_write_open_fd)
#define archive_write_open_filename (pt_archive_fns.archive_write_open_filename)
#define archive_write_set_format_pax_restricted                                                    \
  (pt_archive_fns.archive_write_set_format_pax_restricted)
#define archive_write_set_format_raw (pt_archive_fns.archive_write_set_format_raw)
#define archive_write_set_bytes_per_block (pt_archive_fns.archive_write_set_bytes_per_block)
#define archive_write_set_filter_option (pt_archive_fns.archive_write_set_filter_option)
#define archive_write_set_bytes_in_last_block (pt_archive_fns.archive_write_set_bytes_in_last_block)
#endif
#endif

struct subid_range;
struct pt_subid_fns
{
  int (*get_uid_ranges) (const char *owner, struct subid_range **ranges);
  int (*get_gid_ranges) (const char *owner, struct subid_range **ranges);
};
int pt_dl_subid (struct pt_subid_fns *out, pt_error_t *err);

#endif
