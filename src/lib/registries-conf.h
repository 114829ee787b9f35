/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_REGISTRIES_CONF_H
#define PT_REGISTRIES_CONF_H

#include "error.h"
#include <stdbool.h>
#include <stddef.h>

/* One [[registry]]: names starting with prefix (default: location) are
   pulled from location (prefix replaced), mirrors tried first. */
struct pt_reg_entry
{
  char *prefix, *location;
  bool insecure, blocked;
  char **mirrors;
  char **mirrors_insecure; /* "1" or "" beside each mirror */
};
struct pt_reg_conf
{
  char *path; /* the main file, for messages */
  char **search; /* unqualified-search-registries */
  char **alias_keys, **alias_values;
  struct pt_reg_entry *regs;
  size_t n_regs;
};
/* Reads the files (registries-conf.c says which); none is no error, a
   file that is not TOML or not the format is, naming the file. */
int pt_reg_conf_load (struct pt_reg_conf *c, pt_error_t *err);
void pt_reg_conf_free (struct pt_reg_conf *c);
/* The [[registry]] whose prefix matches name (REGISTRY/REPO...) longest. */
const struct pt_reg_entry *pt_reg_conf_find (const struct pt_reg_conf *c, const char *name);
/* The alias of a short name (no tag), or NULL. */
const char *pt_reg_conf_alias (const struct pt_reg_conf *c, const char *name);

/* Whether text names no registry (no domain with a "." or ":" first, not
   localhost/), and what registries.conf makes of such a name: the alias,
   or each unqualified-search registry's name for it (an error when there
   are none, in Podman's words). */
bool pt_image_name_is_short (const char *text);
int pt_image_short_candidates (const char *text, char ***out, pt_error_t *err);

#endif
