/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_IMAGE_CHANGE_H
#define PT_IMAGE_CHANGE_H

#include <jansson.h>
#include "error.h"

/* --change INSTRUCTION (import, commit): a Dockerfile instruction, as
   "CMD ..." or "CMD=...", applied to an image config's "config" object:
   CMD, ENTRYPOINT (JSON array, or a shell form run by /bin/sh -c), ENV
   K=V..., EXPOSE PORT[/PROTO]..., LABEL K=V..., ONBUILD, STOPSIGNAL, USER,
   VOLUME (array or paths), WORKDIR. One line naming what is wrong else. */
int pt_image_apply_change (json_t *image_config, const char *change, pt_error_t *err);

#endif
