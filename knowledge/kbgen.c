/* kbgen.c -- turns knowledge/data/ *.kb into kb_data.c at build time.
 *
 * Usage: kbgen -o OUT.c FILE.kb...
 *
 * The .kb format is made for people to edit:
 *
 *   # a comment
 *   @topic backlog-ownership        <- a record: kind and id
 *   role: po                        <- a field: "name: value"
 *   sources: 000_x.txt 002_y.txt
 *   text:                           <- an empty value takes the indented lines
 *     The Product Owner ...            that follow, one line each
 *     - a bullet
 *
 * A line that starts with a space or tab continues the field above it: for
 * "text" the line break is kept, for every other field the lines are joined
 * with a space. Kinds and their fields:
 *
 *   @source FILE     title, site
 *   @topic ID        role, title, text, sources; optional asks, keywords
 *                    (a topic may have role "none": a known gap the seeds
 *                    mention but never define; the engine declines on it)
 *   @dimension ID    label, pm, po, sources; optional keywords
 *   @tip ID          role, text, sources
 *
 * Every error names the file and line and fails the build: a typo in the
 * content must never ship as a silently missing answer. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 8
#define MAX_RECORDS 1024
#define MAX_SOURCES 5 /* keep equal to KB_MAX_SOURCES in kb.h */

enum kind { K_SOURCE, K_TOPIC, K_DIMENSION, K_TIP, K_COUNT };

static const char *const kind_names[K_COUNT] = {"source", "topic", "dimension", "tip"};

/* Fields each kind takes; a leading '?' marks an optional one. */
static const char *const kind_fields[K_COUNT][MAX_FIELDS] = {
	[K_SOURCE] = {"title", "site", NULL},
	[K_TOPIC] = {"role", "title", "text", "sources", "?asks", "?keywords", NULL},
	[K_DIMENSION] = {"label", "pm", "po", "sources", "?keywords", NULL},
	[K_TIP] = {"role", "text", "sources", NULL},
};

struct field {
	const char *name;
	char *value; /* owned */
	size_t len;
};

struct record {
	enum kind kind;
	char *id; /* owned */
	const char *file;
	int line;
	struct field fields[MAX_FIELDS];
	int nfields;
};

static struct record records[MAX_RECORDS];
static int nrecords;
static int nerrors;

static void error_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
error_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	nerrors++;
}

static void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (q == NULL) {
		perror("kbgen");
		exit(1);
	}
	return q;
}

static char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xrealloc(NULL, n), s, n);
}

/* Index of a field name in the kind's list, or -1. */
static int
field_index(enum kind kind, const char *name)
{
	for (int i = 0; i < MAX_FIELDS && kind_fields[kind][i] != NULL; i++) {
		const char *f = kind_fields[kind][i];
		if (*f == '?')
			f++;
		if (strcmp(f, name) == 0)
			return i;
	}
	return -1;
}

static void
field_append(struct field *f, const char *text, const char *sep)
{
	size_t tl = strlen(text), sl = f->len ? strlen(sep) : 0;

	f->value = xrealloc(f->value, f->len + sl + tl + 1);
	memcpy(f->value + f->len, sep, sl);
	memcpy(f->value + f->len + sl, text, tl + 1);
	f->len += sl + tl;
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static void
parse_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lineno = 0;
	struct record *rec = NULL;
	struct field *cur = NULL;

	if (fp == NULL) {
		error_at(path, 0, "cannot open: %s", strerror(errno));
		return;
	}
	while ((n = getline(&line, &cap, fp)) != -1) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (line[0] == '#')
			continue;
		if (line[0] == ' ' || line[0] == '\t') {
			char *t = trim(line);
			if (*t == '\0') {
				if (cur != NULL && strcmp(cur->name, "text") == 0 && cur->len)
					field_append(cur, "", "\n");
				continue;
			}
			if (cur == NULL) {
				error_at(path, lineno, "indented line outside a field");
				continue;
			}
			field_append(cur, t, strcmp(cur->name, "text") == 0 ? "\n" : " ");
			continue;
		}
		if (trim(line)[0] == '\0') {
			cur = NULL;
			continue;
		}
		if (line[0] == '@') {
			char *kind = line + 1, *id = kind + strcspn(kind, " \t");
			int k;
			if (*id != '\0')
				*id++ = '\0';
			id = trim(id);
			for (k = 0; k < K_COUNT && strcmp(kind, kind_names[k]) != 0; k++)
				;
			if (k == K_COUNT || *id == '\0' || strchr(id, ' ') != NULL) {
				error_at(path, lineno, "expected '@KIND ID' with KIND one of source, topic, dimension, tip");
				rec = NULL;
				continue;
			}
			if (nrecords == MAX_RECORDS) {
				error_at(path, lineno, "more than %d records", MAX_RECORDS);
				break;
			}
			rec = &records[nrecords++];
			rec->kind = (enum kind)k;
			rec->id = xstrdup(id);
			rec->file = path;
			rec->line = lineno;
			cur = NULL;
			continue;
		}
		{
			char *colon = strchr(line, ':'), *name, *value;
			int fi;
			if (rec == NULL) {
				error_at(path, lineno, "field outside a record");
				continue;
			}
			if (colon == NULL) {
				error_at(path, lineno, "expected 'name: value'");
				continue;
			}
			*colon = '\0';
			name = trim(line);
			value = trim(colon + 1);
			fi = field_index(rec->kind, name);
			if (fi < 0) {
				error_at(path, lineno, "@%s takes no field '%s'", kind_names[rec->kind], name);
				cur = NULL;
				continue;
			}
			cur = &rec->fields[fi];
			if (cur->name != NULL) {
				error_at(path, lineno, "field '%s' given twice", name);
				continue;
			}
			cur->name = kind_fields[rec->kind][fi][0] == '?' ? kind_fields[rec->kind][fi] + 1
			                                                 : kind_fields[rec->kind][fi];
			cur->value = xstrdup(value);
			cur->len = strlen(value);
			if (fi >= rec->nfields)
				rec->nfields = fi + 1;
		}
	}
	free(line);
	fclose(fp);
}

static const char *
get(const struct record *r, const char *name)
{
	int fi = field_index(r->kind, name);

	return fi >= 0 && r->fields[fi].name != NULL ? r->fields[fi].value : NULL;
}

static const struct record *
find(enum kind kind, const char *id)
{
	for (int i = 0; i < nrecords; i++)
		if (records[i].kind == kind && strcmp(records[i].id, id) == 0)
			return &records[i];
	return NULL;
}

static void
check(void)
{
	for (int i = 0; i < nrecords; i++) {
		const struct record *r = &records[i];
		for (int f = 0; f < MAX_FIELDS && kind_fields[r->kind][f] != NULL; f++) {
			const char *name = kind_fields[r->kind][f];
			if (name[0] != '?' && (r->fields[f].name == NULL || r->fields[f].len == 0))
				error_at(r->file, r->line, "@%s %s lacks '%s'", kind_names[r->kind], r->id, name);
		}
		for (int j = 0; j < i; j++)
			if (records[j].kind == r->kind && strcmp(records[j].id, r->id) == 0)
				error_at(r->file, r->line, "duplicate @%s %s (first at %s:%d)",
				         kind_names[r->kind], r->id, records[j].file, records[j].line);
		if (get(r, "role") != NULL) {
			const char *role = get(r, "role");
			int none_ok = r->kind == K_TOPIC && strcmp(role, "none") == 0;
			if (strcmp(role, "pm") && strcmp(role, "po") && strcmp(role, "both") && !none_ok)
				error_at(r->file, r->line, "role must be pm, po or both%s, not '%s'",
				         r->kind == K_TOPIC ? " (or none)" : "", role);
		}
		if (get(r, "sources") != NULL) {
			char *copy = xstrdup(get(r, "sources")), *save = NULL;
			int count = 0;
			for (char *s = strtok_r(copy, " ,", &save); s; s = strtok_r(NULL, " ,", &save)) {
				if (find(K_SOURCE, s) == NULL)
					error_at(r->file, r->line, "unknown source '%s' (declare it with @source)", s);
				count++;
			}
			if (count > MAX_SOURCES)
				error_at(r->file, r->line, "more than %d sources", MAX_SOURCES);
			free(copy);
		}
	}
}

/* Writes s as a C string literal. */
static void
emit_str(FILE *out, const char *s)
{
	if (s == NULL) {
		fputs("NULL", out);
		return;
	}
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n\"\n\t    \"", out);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(out, "\\%03o", *p); /* octal: never swallows a following hex digit */
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void
emit_sources(FILE *out, const struct record *r)
{
	char *copy = xstrdup(get(r, "sources")), *save = NULL;

	fputs("{", out);
	for (char *s = strtok_r(copy, " ,", &save); s; s = strtok_r(NULL, " ,", &save)) {
		emit_str(out, s);
		fputs(", ", out);
	}
	fputs("NULL}", out);
	free(copy);
}

static const char *
role_enum(const char *role)
{
	if (strcmp(role, "none") == 0)
		return "KB_ROLE_NONE";
	return strcmp(role, "pm") == 0 ? "KB_ROLE_PM" : strcmp(role, "po") == 0 ? "KB_ROLE_PO" : "KB_ROLE_BOTH";
}

static size_t text_bytes;

static void
count(const struct record *r)
{
	for (int f = 0; f < r->nfields; f++)
		if (r->fields[f].name != NULL)
			text_bytes += r->fields[f].len + 1;
}

static int
emit(const char *path)
{
	FILE *out = fopen(path, "w");
	int n[K_COUNT] = {0};

	if (out == NULL) {
		fprintf(stderr, "kbgen: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	fputs("/* Generated by kbgen from knowledge/data/ *.kb -- do not edit. */\n"
	      "#include \"kb.h\"\n\n",
	      out);
	for (int k = 0; k < K_COUNT; k++) {
		static const char *const table[K_COUNT] = {"kb_sources", "kb_topics", "kb_dimensions", "kb_tips"};
		static const char *const type[K_COUNT] = {"kb_source", "kb_topic", "kb_dimension", "kb_tip"};
		static const char *const size[K_COUNT] = {"kb_nsources", "kb_ntopics", "kb_ndimensions", "kb_ntips"};
		fprintf(out, "const struct %s %s[] = {\n", type[k], table[k]);
		for (int i = 0; i < nrecords; i++) {
			const struct record *r = &records[i];
			if (r->kind != (enum kind)k)
				continue;
			n[k]++;
			count(r);
			fputs("\t{", out);
			emit_str(out, r->id);
			fputs(",\n\t    ", out);
			switch (r->kind) {
			case K_SOURCE:
				emit_str(out, get(r, "title"));
				fputs(",\n\t    ", out);
				emit_str(out, get(r, "site"));
				break;
			case K_TOPIC:
				fprintf(out, "%s,\n\t    ", role_enum(get(r, "role")));
				emit_str(out, get(r, "title"));
				fputs(",\n\t    ", out);
				emit_str(out, get(r, "text"));
				fputs(",\n\t    ", out);
				emit_str(out, get(r, "asks") ? get(r, "asks") : "");
				fputs(",\n\t    ", out);
				emit_str(out, get(r, "keywords") ? get(r, "keywords") : "");
				fputs(",\n\t    ", out);
				emit_sources(out, r);
				break;
			case K_DIMENSION:
				emit_str(out, get(r, "label"));
				fputs(",\n\t    ", out);
				emit_str(out, get(r, "pm"));
				fputs(",\n\t    ", out);
				emit_str(out, get(r, "po"));
				fputs(",\n\t    ", out);
				emit_str(out, get(r, "keywords") ? get(r, "keywords") : "");
				fputs(",\n\t    ", out);
				emit_sources(out, r);
				break;
			case K_TIP:
				fprintf(out, "%s,\n\t    ", role_enum(get(r, "role")));
				emit_str(out, get(r, "text"));
				fputs(",\n\t    ", out);
				emit_sources(out, r);
				break;
			case K_COUNT:
				break;
			}
			fputs("},\n", out);
		}
		if (n[k] == 0)
			fputs("\t{0},\n", out); /* C forbids empty initialisers */
		fprintf(out, "};\nconst size_t %s = %d;\n\n", size[k], n[k]);
	}
	if (fclose(out) != 0) {
		fprintf(stderr, "kbgen: writing %s failed\n", path);
		return -1;
	}
	printf("kbgen: %d sources, %d topics, %d dimensions, %d tips; %zu bytes of text\n",
	       n[K_SOURCE], n[K_TOPIC], n[K_DIMENSION], n[K_TIP], text_bytes);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *out = NULL;
	int i = 1;

	if (argc > 2 && strcmp(argv[1], "-o") == 0) {
		out = argv[2];
		i = 3;
	}
	if (out == NULL || i >= argc) {
		fprintf(stderr, "usage: kbgen -o OUT.c FILE.kb...\n");
		return 2;
	}
	for (; i < argc; i++)
		parse_file(argv[i]);
	check();
	if (nerrors) {
		fprintf(stderr, "kbgen: %d error(s); nothing written\n", nerrors);
		return 1;
	}
	return emit(out) == 0 ? 0 : 1;
}
