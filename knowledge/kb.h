/* kb.h -- the knowledge base compiled into the binary.
 *
 * The content lives in knowledge/data/ *.kb (readable text, see kbgen.c for the
 * format); the build turns it into the tables below. Everything here is
 * read-only static data: callers never free or modify it. */
#ifndef PMPO_KB_H
#define PMPO_KB_H

#include <stddef.h>

#define KB_MAX_SOURCES 5 /* seed articles one entry may cite */

enum kb_role {
	KB_ROLE_NONE = 0, /* no role: a decline, or not applicable */
	KB_ROLE_PM,       /* the Product Manager */
	KB_ROLE_PO,       /* the Product Owner */
	KB_ROLE_BOTH      /* shared duty, a difference, or the sources disagree */
};

/* One seed article the knowledge rests on. */
struct kb_source {
	const char *file;  /* file name in shared/seeds, e.g. "000_65e985fbb75f4a60.txt" */
	const char *title; /* the article's title */
	const char *site;  /* who published it */
};

/* One answerable topic: a question family and our answer to it. */
struct kb_topic {
	const char *id;       /* stable slug, e.g. "backlog-ownership" */
	enum kb_role role;    /* the role the answer names; NONE marks a known gap:
	                         something the seeds mention but never define */
	const char *title;    /* one line, shown as the answer's heading */
	const char *text;     /* the answer; lines may start with "- " (bullets), *bold* allowed */
	const char *asks;     /* '|'-separated ways people ask this; search input only */
	const char *keywords; /* extra search terms, space separated */
	const char *sources[KB_MAX_SOURCES + 1]; /* seed files, NULL-terminated */
};

/* One row of the side-by-side comparison. */
struct kb_dimension {
	const char *id;       /* slug, e.g. "time-horizon" */
	const char *label;    /* row label, e.g. "Time horizon" */
	const char *pm;       /* the Product Manager's side */
	const char *po;       /* the Product Owner's side */
	const char *keywords; /* terms that select this row in "compare TOPIC" */
	const char *sources[KB_MAX_SOURCES + 1];
};

/* One short daily tip. */
struct kb_tip {
	const char *id;
	enum kb_role role;
	const char *text;
	const char *sources[KB_MAX_SOURCES + 1];
};

extern const struct kb_source kb_sources[];
extern const size_t kb_nsources;
extern const struct kb_topic kb_topics[];
extern const size_t kb_ntopics;
extern const struct kb_dimension kb_dimensions[];
extern const size_t kb_ndimensions;
extern const struct kb_tip kb_tips[];
extern const size_t kb_ntips;

/* "pm", "po", "both" or "none". */
const char *kb_role_name(enum kb_role role);
/* Long form: "Product Manager", "Product Owner", "both roles", "no role". */
const char *kb_role_title(enum kb_role role);
/* The source with this file name, or NULL. */
const struct kb_source *kb_source_find(const char *file);
/* The topic with this id, or NULL. */
const struct kb_topic *kb_topic_find(const char *id);

#endif
