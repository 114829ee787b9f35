/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_CMD_PULL_H
#define PT_CMD_PULL_H

#include "lib/pull.h"

/* pull's progress lines on stderr, Podman's (data: a bool, quiet), for
   pull, and run's and create's --pull; push's are alike (cmd-push.c). */
void pt_cli_pull_progress (void *data, enum pt_pull_event ev, const char *what, const char *digest,
                           size_t done, size_t total);
/* --platform OS/ARCH[/VARIANT] into o; *copy holds the strings (the
   caller frees it after the pull). */
int pt_cli_parse_platform (const char *arg, char **copy, struct pt_pull_opts *o, pt_error_t *err);

#endif
