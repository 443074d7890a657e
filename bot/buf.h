/* buf.h -- a growable byte buffer with a ceiling.
 *
 * Every buffer that holds outside data (network bodies, rendered replies)
 * is a struct buf with a maximum size: appends past it fail with -1 and leave
 * the buffer as it was, so an oversized input is an error, never an OOM. */
#ifndef PMPO_BUF_H
#define PMPO_BUF_H

#include <stddef.h>

struct buf {
	char *data;  /* NUL-terminated after every append; NULL until the first */
	size_t len;  /* bytes used, not counting the NUL */
	size_t cap;  /* bytes allocated */
	size_t max;  /* ceiling for len */
};

void buf_init(struct buf *b, size_t max);
/* Appends n bytes; 0, or -1 when it would pass the ceiling or memory ran out. */
int buf_append(struct buf *b, const char *s, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);
/* Frees the memory; the buffer may be used again after buf_init. */
void buf_free(struct buf *b);
/* The contents as a C string ("" when empty); owned by the buffer. */
const char *buf_str(const struct buf *b);

#endif
