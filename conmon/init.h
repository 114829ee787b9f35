/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_INIT_H
#define PT_INIT_H

/* `podtool-init --init SYNC-FD -- COMMAND...`: PID 1 of a --init container. */
int pt_init_main (int argc, char **argv);
int pt_pause_main (int argc, char **argv);
/* `podtool-init --exec-stub SYNC-FD -- COMMAND...`: the last exec of podtool exec. */
int pt_exec_stub_main (int argc, char **argv) __attribute__ ((noreturn));

#endif
