/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool commit: a container's writable layer as a new image. */
#include <config.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "lib/commit.h"
#include "lib/container.h"
#include "lib/util.h"

enum
{
  OPT_IIDFILE = 256,
  OPT_INCLUDE_VOLUMES,
  OPT_FORMAT,
};

static const struct pt_flag commit_flags[] = {
  { 'a', "author", 'a', "AUTHOR", "The image's author" },
  { 'c', "change", 'c', "INSTRUCTION",
    "Apply a Dockerfile instruction: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, "
    "USER, VOLUME, WORKDIR" },
  { OPT_FORMAT, "format", 'f', "FORMAT", "oci or docker: the image's manifest type",
    PT_FLAG_NO_EFFECT, "save --format chooses the archive's" },
  { OPT_IIDFILE, "iidfile", 0, "FILE", "Write the new image's ID to FILE" },
  { OPT_INCLUDE_VOLUMES, "include-volumes", 0, NULL,
    "Keep the container's volume mounts as the image's Volumes" },
  { 'm', "message", 'm', "MESSAGE", "The comment of the new history entry" },
  { 'p', "pause", 'p', NULL, "Freeze a running container meanwhile (needs its cgroup)" },
  { 'q', "quiet", 'q', NULL, "Print only the image ID (as podtool always does)" },
  { 's', "squash", 's', NULL, "One layer: the container's whole root, not its image's layers and one more" },
  { 0, NULL, 0, NULL, NULL },
};

static int
commit_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  cleanup_strv char **changes = xzalloc (sizeof (char *));
  struct pt_commit_opts o = { 0 };
  const char *iidfile = NULL;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_commit, argc, argv, err)) != -1)
    switch (c)
      {
      case 'a': o.author = optarg; break;
      case 'c': pt_strv_append (&changes, optarg); break;
      case 'm': o.message = optarg; break;
      case 'p': o.pause = pt_cli_optbool; break;
      case 's': o.squash = pt_cli_optbool; break;
      case OPT_INCLUDE_VOLUMES: o.include_volumes = pt_cli_optbool; break;
      case 'q': break;
      case OPT_IIDFILE: iidfile = optarg; break;
      default: return -1;
      }
  int n = argc - optind;
  if (n < 1 || n > 2)
    return pt_cli_need_args (&pt_cmd_commit, n, 1, 2, err);
  o.changes = changes;
  o.name = n == 2 ? argv[optind + 1] : NULL;
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  cleanup_free char *id = NULL, *image = NULL;
  if (m == NULL || pt_ctr_resolve (s, argv[optind], &id, err) < 0
      || pt_ctr_commit (s, m, id, &o, &image, err) < 0)
    return -1;
  if (iidfile)
    {
      cleanup_free char *text = xasprintf ("sha256:%s", image);
      if (pt_write_file_atomic (AT_FDCWD, iidfile, text, strlen (text), 0644, 0, err) < 0)
        return -1;
    }
  pt_cli_image_event (s, "commit", image, o.name);
  printf ("%s\n", image);
  return 0;
}

const struct pt_cmd pt_cmd_commit = {
  .name = "commit",
  .usage = "[options] CONTAINER [IMAGE]",
  .summary = "Make a new image of a container's changes",
  .flags = commit_flags,
  .exec = commit_exec,
};
