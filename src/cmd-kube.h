/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_CMD_KUBE_H
#define PT_CMD_KUBE_H

#include "cmd.h"

extern const struct pt_cmd pt_cmd_kube, pt_cmd_kube_generate, pt_cmd_kube_play, pt_cmd_kube_down;

#endif
