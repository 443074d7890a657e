/* errmsg.h -- the one way a function explains a failure to its caller:
 * the message goes into the caller's buffer (err, errlen), truncated to
 * fit, and the function returns what errmsg returns. */
#ifndef PMPO_ERRMSG_H
#define PMPO_ERRMSG_H

#include <stddef.h>

/* Formats the message into err[0..errlen) (nothing when errlen is 0);
 * returns -1, so that "return errmsg(err, errlen, ...);" reads as a failure. */
int errmsg(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
