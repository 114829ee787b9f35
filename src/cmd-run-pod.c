/* SPDX-License-Identifier: GPL-2.0-or-later */
/* run/create --pod: a container joins a pod (cmd-run.h). */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "cmd-pod.h"
#include "cmd-run.h"
#include "lib/container.h"
#include "lib/pod.h"
#include "lib/util.h"

struct pt_cli_pod pt_cli_pod_infra;

static bool
shares (const struct pt_pod *pod, const char *ns)
{
  for (size_t i = 0; pod->share && pod->share[i]; i++)
    if (strcmp (pod->share[i], ns) == 0)
      return true;
  return false;
}

int
pt_cli_pod_apply (struct pt_global *g, struct pt_cli_pod *p, struct pt_cli_net *net,
                  struct pt_ctr_spec *options, const char **hostname, pt_error_t *err)
{
  if (p->infra_of)
    {
      options->init = true;
      p->id = xstrdup (p->infra_of);
      return 0;
    }
  if (p->ref == NULL)
    return 0;
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL)
    return -1;
  __attribute__ ((cleanup (pt_pod_free))) struct pt_pod pod = { 0 };
  if (pt_str_has_prefix (p->ref, "new:"))
    {
      struct pt_cli_pod_make how = { .name = p->ref + 4, .infra = true };
      if (pt_cli_pod_make (g, &how, &pod, err) < 0)
        return -1;
    }
  else if (pt_pod_lookup (s, p->ref, &pod, err) < 0)
    return -1;
  p->id = xstrdup (pod.id);
  if (*pod.infra_id == '\0')
    return 0;
  if (net->net.mode != PT_NET_SLIRP || net->net.n_ports || net->publish_all || net->expose[0])
    return pt_make_error (err, 0,
                          "invalid config provided: published or exposed ports must be defined "
                          "when the pod is created: network cannot be configured when it is "
                          "shared with a pod");
  if (*hostname && shares (&pod, "uts"))
    return pt_make_error (err, 0,
                          "invalid config provided: cannot set hostname when joining the pod UTS "
                          "namespace");
  cleanup_free char *mode = xasprintf ("container:%s", pod.infra_id);
  if (shares (&pod, "net") && pt_net_parse_mode (mode, &net->net, err) < 0)
    return -1;
  if (shares (&pod, "pid"))
    {
      free (options->pid_mode);
      options->pid_mode = xstrdup (mode);
    }
  if (shares (&pod, "ipc"))
    {
      free (options->ipc_mode);
      options->ipc_mode = xstrdup (mode);
    }
  if (shares (&pod, "uts"))
    {
      free (options->uts_mode);
      options->uts_mode = xstrdup (mode);
      p->hostname = xstrdup (pod.hostname);
      *hostname = p->hostname;
    }
  return 0;
}

void
pt_cli_pod_spec (struct pt_cli_pod *p, struct pt_ctr_spec *spec)
{
  if (p->id == NULL)
    return;
  free (spec->pod);
  spec->pod = xstrdup (p->id);
  if (p->infra_of)
    spec->infra = spec->init = true;
}
