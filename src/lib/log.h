/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_LOG_H
#define PT_LOG_H

enum pt_log_level
{
  PT_LOG_ERROR,
  PT_LOG_WARN,
  PT_LOG_INFO,
  PT_LOG_DEBUG,
};

typedef void (*pt_log_sink_t) (int level, const char *msg, void *data);

void pt_log_set_level (int level);
int pt_log_parse_level (const char *name);
void pt_log_set_prefix (const char *prefix);
void pt_log_set_sink (pt_log_sink_t sink, void *data);
void pt_log (int level, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

#define pt_warn(...) pt_log (PT_LOG_WARN, __VA_ARGS__)
#define pt_info(...) pt_log (PT_LOG_INFO, __VA_ARGS__)
#define pt_debug(fmt, ...) pt_log (PT_LOG_DEBUG, "%s: " fmt, __func__, ##__VA_ARGS__)

#endif
