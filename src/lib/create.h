/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_CREATE_H
#define PT_CREATE_H

#include "container.h"
#include "error.h"
#include "net.h"
#include "store.h"

/* --health-*: over the image's Healthcheck; 0 and NULL: the image's. */
struct pt_health_opts
{
  char **test;                             /* ["CMD-SHELL", "..."], ["CMD", ...] or ["NONE"] */
  bool disable;                            /* --no-healthcheck */
  int64_t interval, timeout, start_period; /* ns; interval -1: no timer */
  int retries;
};

/* What run and create (and kube play, later) say of a container to be,
   beyond the image: the library merges them with the image's config. */
struct pt_create_opts
{
  const char *name, *hostname, *workdir, *user; /* NULL: the image's, or a default */
  char **entrypoint; /* NULL: the image's; given (even empty), the image's Cmd goes too */
  char **env;        /* K=V over the defaults and the image's, in order */
  char **unsetenv;   /* names taken out of the defaults and the image's */
  bool unsetenv_all; /* no defaults, nothing of the image's */
  char **labels;     /* KEY=VALUE (or KEY) over the image's */
  bool rm;
  const char *storage; /* NULL: overlay */
  struct pt_net net;   /* taken */
  char **expose;       /* --expose, for publish_all */
  bool publish_all;
  struct pt_health_opts health;
};

/* spec from the image ref names and o: id, names, command (args, or the
   image's Cmd), environment, labels, user, workdir, stop signal, layers,
   network with its ports checked. The rest of spec is the caller's. */
int pt_ctr_build (struct pt_store *s, struct pt_create_opts *o, const char *ref, char **args,
                  struct pt_ctr_spec *spec, pt_error_t *err);

#endif
