/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_LINUX_CHILD_H
#define PT_LINUX_CHILD_H

/* What the container's child (linux.c) shares with the code that builds
   its root and its mounts (linux-mounts.c) and resolves its user
   (linux-user.c). Internal to the library. */
#include <stdbool.h>
#include <sys/mount.h>
#include <sys/types.h>
#include "container.h"
#include "error.h"

#define NOEXEC_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)

struct child
{
  const struct pt_ctr_spec *spec;
  int sync_fd;
  int rootfd;
  int exe_fd; /* a sealed binary that makes the last exec (see sealed.h), or -1 */
};

/* Paths inside the container's root (rootfd), resolved there: a symlink
   never leads out of it. target_in_root creates what is missing. */
int pt_openat2_in_root (int rootfd, const char *rel, int flags);
int pt_target_in_root (int rootfd, const char *rel, bool dir, pt_error_t *err);
int pt_mount_at (int rootfd, const char *rel, bool dir, const char *source, const char *type,
                 unsigned long flags, const char *data, pt_error_t *err);
/* A bind remounted with more flags (ro, noexec, ...), keeping those the
   kernel locked on it. */
int pt_remount_flags (const char *path, unsigned long more, pt_error_t *err);
int pt_remount_ro (const char *path, pt_error_t *err);
/* Podman's masked and read-only paths, less what --security-opt unmask and
   --privileged open, more what mask= adds. */
int pt_mask_paths (struct child *c, const char *merged, pt_error_t *err);
/* One -v, --mount, --tmpfs, --device (volumes: copy-up, :O, tmpfs ones). */
int pt_mount_user (struct child *c, const struct pt_mount *m, pt_error_t *err);

struct pt_child_user
{
  uid_t uid;
  gid_t gid;
  gid_t *groups;
  size_t n_groups;
  char *home;
};

/* USER[:GROUP] through the image's /etc/passwd and /etc/group (after the
   pivot), and --group-add. */
int pt_resolve_user (const char *spec, struct pt_child_user *u, pt_error_t *err);
int pt_add_groups (const struct pt_ctr_spec *spec, struct pt_child_user *u, pt_error_t *err);
bool pt_env_has (char **env, const char *key);
int pt_enter_workdir (const struct pt_ctr_spec *spec, pt_error_t *err);
/* :U mounts chowned to the user; then capabilities, seccomp, groups, ids. */
int pt_chown_mounts (const struct pt_ctr_spec *spec, const struct pt_child_user *u,
                     pt_error_t *err);
int pt_drop_privileges (const struct pt_ctr_spec *spec, const struct pt_child_user *u,
                        pt_error_t *err);

#endif
