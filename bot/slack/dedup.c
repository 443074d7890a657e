/* dedup.c -- ring of recent ids with a TTL. */
#include "dedup.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

void
dedup_init(struct dedup *d)
{
	memset(d, 0, sizeof(*d));
}

int
dedup_check(struct dedup *d, const char *id, uint64_t now_ms)
{
	struct dedup_entry *e;

	/* expire from the old end */
	while (d->count > 0 && now_ms - d->slot[d->head].at_ms >= DEDUP_TTL_MS) {
		d->head = (d->head + 1) % DEDUP_SLOTS;
		d->count--;
	}
	for (size_t i = 0; i < d->count; i++)
		if (strncmp(d->slot[(d->head + i) % DEDUP_SLOTS].id, id, DEDUP_ID_MAX) == 0)
			return 1;
	if (d->count == DEDUP_SLOTS) {
		log_warn("dedup_full", "forgotten_age_ms=%llu",
		         (unsigned long long)(now_ms - d->slot[d->head].at_ms));
		d->head = (d->head + 1) % DEDUP_SLOTS;
		d->count--;
	}
	e = &d->slot[(d->head + d->count) % DEDUP_SLOTS];
	e->at_ms = now_ms;
	snprintf(e->id, sizeof(e->id), "%s", id);
	d->count++;
	return 0;
}
