/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool cp: copy files between the host and a container. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/copy.h"
#include "lib/util.h"

/* "CONTAINER:PATH" -> the container and its path; NULL for a host path
   (which may still hold a colon after a slash, as ./a:b does). */
static char *
split_container (const char *arg, const char **path)
{
  const char *colon = strchr (arg, ':');
  if (colon == NULL || colon == arg || memchr (arg, '/', colon - arg))
    return NULL;
  *path = colon + 1;
  return xstrndup (arg, colon - arg);
}

static const struct pt_flag cp_flags[] = {
  { 'a', "archive", 'a', NULL, "Keep owners as they are (default true)", PT_FLAG_NO_EFFECT,
    "owners are kept through the container's id mapping" },
  { 'o', "overwrite", 0, NULL, "Replace a directory by a file and back", PT_FLAG_NO_EFFECT,
    "not yet: the copy never replaces a directory by a file" },
  { 'p', "pause", 0, NULL, "Pause the container during the copy (default true)", PT_FLAG_NO_EFFECT,
    "the copy does not pause the container" },
  { 0, NULL, 0, NULL, NULL },
};

static int
cp_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_cp, argc, argv, err)) != -1)
    return -1;
  if (argc - optind != 2)
    return pt_cli_need_args (&pt_cmd_cp, argc - optind, 2, 2, err);
  const char *src_path = NULL, *dst_path = NULL;
  cleanup_free char *src_ctr = split_container (argv[optind], &src_path);
  cleanup_free char *dst_ctr = split_container (argv[optind + 1], &dst_path);
  if ((src_ctr == NULL) == (dst_ctr == NULL))
    return pt_make_error (err, 0,
                          "one of the two paths must name a container (CONTAINER:PATH), and only "
                          "one");
  if (strcmp (argv[optind], "-") == 0 || strcmp (argv[optind + 1], "-") == 0)
    return pt_make_error (err, 0, "copying a tar stream from stdin or to stdout is not supported");
  const char *ctr_path = src_ctr ? src_path : dst_path;
  if (*ctr_path != '/')
    return pt_make_error (err, 0, "`%s`: the container path must be absolute", ctr_path);
  struct pt_store *s = pt_global_store (g, err);
  cleanup_free char *id = NULL;
  struct pt_ctr_state st;
  if (s == NULL || pt_ctr_resolve (s, src_ctr ? src_ctr : dst_ctr, &id, err) < 0
      || pt_ctr_state (s, id, &st, err) < 0)
    return -1;
  struct pt_copy copy = { .src = src_ctr ? src_path : argv[optind],
                          .dest = dst_ctr ? dst_path : argv[optind + 1],
                          .into_container = dst_ctr != NULL };
  if (st.status == PT_CTR_RUNNING)
    return pt_copy_run (st.pid, &copy, err);
  if (st.status == PT_CTR_PAUSED)
    return pt_make_error (err, 0, "%s is paused: unpause it to copy", src_ctr ? src_ctr : dst_ctr);
  /* Stopped or never started: its root, mounted for the copy alone. */
  struct pt_ctr_spec spec;
  const struct pt_idmap *m = pt_global_idmap (g, err);
  if (m == NULL || pt_ctr_spec_read (s, id, &spec, err) < 0)
    return -1;
  int r = pt_copy_stopped (m, &spec, &copy, err);
  pt_ctr_spec_free (&spec);
  return r;
}

const struct pt_cmd pt_cmd_cp = {
  .flags = cp_flags,
  .name = "cp",
  .usage = "CONTAINER:SRC DEST | SRC CONTAINER:DEST",
  .summary = "Copy files between the host and a container",
  .exec = cp_exec,
};
