/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_USERNS_H
#define PT_USERNS_H

#include <stdbool.h>
#include <sys/types.h>
#include "error.h"

struct pt_id_range
{
  unsigned long start, count;
};

/* The user's mapping: container 0 -> uid, 1..N -> the subordinate ranges. */
struct pt_idmap
{
  uid_t uid;
  gid_t gid;
  struct pt_id_range *uids, *gids;
  int n_uids, n_gids;
  char *user;
  bool from_cache;
};

/* Reads /etc/subuid and /etc/subgid through libsubid. A user without ranges
   gets a warning and a single mapping. With a cache path, libsubid's answer
   is kept there and reused while /etc/subuid, /etc/subgid and
   /etc/nsswitch.conf are unchanged: loading libsubid and its PAM/SELinux
   dependencies costs ~4 ms a run. newuidmap checks every mapping against
   the real files anyway; the monitor deletes a cache whose mapping failed,
   so the next load asks libsubid again. */
int pt_idmap_load (struct pt_idmap *m, const char *cache, pt_error_t *err);
/* Only from the cache, which podtool fills before it starts a monitor: the
   monitor is linked statically, without libsubid, PAM or NSS. */
int pt_idmap_load_cached (struct pt_idmap *m, const char *cache, pt_error_t *err);
void pt_idmap_free (struct pt_idmap *m);
bool pt_idmap_has_ranges (const struct pt_idmap *m);
/* The container id a host uid is, or -1 if the map does not reach it. */
long pt_idmap_container_uid (const struct pt_idmap *m, unsigned long host);
long pt_idmap_container_gid (const struct pt_idmap *m, unsigned long host);
/* Writes the maps of process pid with newuidmap/newgidmap, both at once. */
int pt_userns_map_pid (const struct pt_idmap *m, pid_t pid, pt_error_t *err);

/* Runs newuidmap and newgidmap with these argvs (taken), both at once. */
int pt_userns_run_mappers (char **uid_argv, char **gid_argv, pt_error_t *err);

/* --userns modes (idmap-modes.c): a container's map as (inside, outside,
   count) triples. "" and "host" are the user's mapping (rootless Podman's
   host mode is its own user namespace, which this is); "keep-id[:uid=N,
   gid=N]" maps the user to itself (or N) and the subordinate ids around it;
   "nomap" maps only the subordinate ids. */
struct pt_map_entry
{
  unsigned long inside, outside, count;
};
struct pt_map
{
  struct pt_map_entry v[16];
  int n;
};
bool pt_userns_mode_default (const char *mode);
int pt_map_for_mode (const struct pt_idmap *m, const char *mode, bool gids, struct pt_map *out,
                     pt_error_t *err);
/* --userns auto: its size and first intermediate id; a free slice. */
#define PT_USERNS_AUTO_SIZE 1024UL
int pt_userns_auto_parse (const char *mode, unsigned long *size, unsigned long *at, pt_error_t *err);
int pt_userns_auto_pick (const struct pt_idmap *m, unsigned long size, const unsigned long (*used)[2],
                         size_t n_used, unsigned long *at, pt_error_t *err);
/* The host id of inside (or the inside id of outside); -1 when not mapped. */
long pt_map_outside (const struct pt_map *m, unsigned long inside);
long pt_map_inside (const struct pt_map *m, unsigned long outside);
/* Writes the mode's maps for pid (newuidmap, newgidmap). */
int pt_userns_map_pid_mode (const struct pt_idmap *m, const char *mode, pid_t pid, pt_error_t *err);

/* Whether the user namespace we are in (joined) maps host_uid, read from
   /proc/self/uid_map (the outside ids are those of the parent: the host's
   for a namespace podtool made). A nomap or auto one does not map the user. */
bool pt_userns_self_maps (uid_t host_uid);

typedef int (*pt_userns_fn) (void *data, pt_error_t *err);
/* Runs fn in a forked child inside a new user (and mount) namespace with the
   user's mapping, as uid 0. Its error comes back as if raised here. */
/* The error of a user namespace that could not be made, saying why when it
   can tell: a chroot, or unprivileged user namespaces turned off. */
int pt_userns_error (pt_error_t *err, int e, const char *what);
int pt_userns_run (const struct pt_idmap *m, pt_userns_fn fn, void *data, pt_error_t *err);
/* As pt_userns_run, with the map of a --userns mode (a keep-id container's
   files, seen as it sees them). */
int pt_userns_run_mode (const struct pt_idmap *m, const char *mode, pt_userns_fn fn, void *data,
                        pt_error_t *err);
/* The same, for fn that execs: *status gets the exit status of the child. */
int pt_userns_run_status (const struct pt_idmap *m, pt_userns_fn fn, void *data, int *status,
                          pt_error_t *err);
/* pt_userns_run, and beside (beside_data, err) run here while fn runs in
   the namespace (once its maps are written): the parent's half of a
   pipeline. beside's failure is the one reported, unless it is EPIPE (fn
   ended first, and says why). */
int pt_userns_run_beside (const struct pt_idmap *m, pt_userns_fn fn, void *data,
                          pt_userns_fn beside, void *beside_data, pt_error_t *err);
/* pt_userns_run, and tick (tick_data) called here every 100 ms while fn
   runs: a progress report of work fn's processes share in memory. */
int pt_userns_run_ticking (const struct pt_idmap *m, pt_userns_fn fn, void *data,
                           void (*tick) (void *), void *tick_data, pt_error_t *err);

#endif
