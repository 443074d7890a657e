/* dedup.h -- a bounded set of recently seen event ids.
 *
 * Slack redelivers events_api envelopes (retry_attempt > 0) with the same
 * event_id; an id seen within DEDUP_TTL_MS must not be answered twice.
 * Memory is fixed: DEDUP_SLOTS ids; when full, the oldest is forgotten
 * (logged if it was still inside the TTL). */
#ifndef PMPO_DEDUP_H
#define PMPO_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#define DEDUP_SLOTS 4096
#define DEDUP_ID_MAX 127
#define DEDUP_TTL_MS (15 * 60 * 1000) /* Slack's last retry comes ~5 min after the first try */

struct dedup_entry {
	uint64_t at_ms;
	char id[DEDUP_ID_MAX + 1];
};

struct dedup {
	struct dedup_entry slot[DEDUP_SLOTS]; /* a ring, oldest at head */
	size_t head, count;
};

void dedup_init(struct dedup *d);
/* 1 if id was recorded within the TTL before now_ms; otherwise records it
 * and returns 0. */
int dedup_check(struct dedup *d, const char *id, uint64_t now_ms);

#endif
