/* kb.c -- small lookups over the generated knowledge tables. */
#include "kb.h"

#include <string.h>

const char *
kb_role_name(enum kb_role role)
{
	switch (role) {
	case KB_ROLE_NONE: return "none";
	case KB_ROLE_PM: return "pm";
	case KB_ROLE_PO: return "po";
	case KB_ROLE_BOTH: return "both";
	}
	return "none";
}

const char *
kb_role_title(enum kb_role role)
{
	switch (role) {
	case KB_ROLE_NONE: return "no role";
	case KB_ROLE_PM: return "Product Manager";
	case KB_ROLE_PO: return "Product Owner";
	case KB_ROLE_BOTH: return "both roles";
	}
	return "no role";
}

const struct kb_source *
kb_source_find(const char *file)
{
	for (size_t i = 0; i < kb_nsources; i++)
		if (strcmp(kb_sources[i].file, file) == 0)
			return &kb_sources[i];
	return NULL;
}

const struct kb_topic *
kb_topic_find(const char *id)
{
	for (size_t i = 0; i < kb_ntopics; i++)
		if (strcmp(kb_topics[i].id, id) == 0)
			return &kb_topics[i];
	return NULL;
}
