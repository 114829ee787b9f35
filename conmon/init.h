/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_INIT_H
#define PT_INIT_H

/* `conmon --init SYNC-FD -- COMMAND...`: PID 1 of a --init container. */
int pt_init_main (int argc, char **argv);

#endif
