/* report.h -- "pmpo-bot report": what people asked and how they voted.
 *
 * Reads STATE_DIR/state.db read-only (the daemon may be running: the file
 * is in WAL mode, so a reader never blocks it nor is blocked), and prints
 * the last N days: questions answered and declined per day, 👍/👎 per
 * topic, the declined and the 👎 questions with their text, topic and
 * count, and the most asked topics; as text, or as one JSON object whose
 * fields the man page names. */
#ifndef PMPO_REPORT_H
#define PMPO_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#define REPORT_DAYS_DEFAULT 30
#define REPORT_DAYS_MAX 3650
#define REPORT_LIST_MAX 50  /* questions listed per section */
#define REPORT_TOP_MAX 10   /* most asked topics */

/* Writes the report for the days before now to out. Returns a PMPO_EXIT_*
 * code: 0 (also for a state directory with no database yet: an empty
 * report), or 3 (PMPO_EXIT_CONFIG) with the reason in err when the
 * directory is missing or the database cannot be read. */
int report_run(const char *state_dir, int days, int json, time_t now, FILE *out, char *err,
               size_t errlen);

#endif
