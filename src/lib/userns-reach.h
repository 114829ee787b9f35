/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_USERNS_REACH_H
#define PT_USERNS_REACH_H

#include "container.h"
#include "error.h"
#include <stdbool.h>

struct pt_idmap;
/* Whether the --userns mode maps the user themselves ("" and keep-id do). */
bool pt_userns_mode_maps_user (const struct pt_idmap *m, const char *mode);
/* For a mode that does not: the store's way down to the container's
   directory and its volumes made searchable (0711), the directories above
   the store checked (an error names one that is not), and new volumes
   chowned to the container's root. Run by the monitor before each start. */
int pt_userns_reach (const struct pt_idmap *m, const struct pt_ctr_spec *spec, pt_error_t *err);

#endif
