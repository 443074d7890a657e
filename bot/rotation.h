/* rotation.h -- the order a channel sees the tips in.
 *
 * Each channel walks a pseudo-random permutation of the tips, so it sees
 * every tip once before any repeats; the permutation comes from a per-channel
 * seed and a cycle number, so channels get different orders and each cycle a
 * new one. Pure arithmetic: the store keeps (seed, cycle, position). */
#ifndef PMPO_ROTATION_H
#define PMPO_ROTATION_H

#include <stddef.h>
#include <stdint.h>

#define ROTATION_MAX 4096 /* most tips a rotation handles */

/* A seed for a channel id: stable, and different for different ids. */
uint64_t rotation_seed(const char *channel);

/* The tip index (0..n-1) at position pos (0..n-1) of the given cycle. The
 * first tip of a cycle is never the last tip of the cycle before, so no tip
 * shows twice in a row. Returns -1 if n is 0 or past ROTATION_MAX, or pos >= n. */
long rotation_index(uint64_t seed, uint64_t cycle, size_t pos, size_t n);

#endif
