/* render_text.c -- a reply as plain, wrapped terminal text. */
#include "render.h"

#include <string.h>

#include "kb.h"

#define LABEL_MAX 18 /* widest table label column */

/* Display width of s[0..n): one column per UTF-8 code point. */
static size_t
text_width(const char *s, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/* Copies s into dst (cap bytes) without *bold* markers; `code` becomes 'code'. */
static void
strip_markup(const char *s, char *dst, size_t cap)
{
	size_t o = 0;

	for (; *s && o + 1 < cap; s++)
		if (*s != '*')
			dst[o++] = *s == '`' ? '\'' : *s;
	dst[o] = '\0';
}

/* Length of the next line of at most width columns from s (breaking after a
 * space where possible); *skip gets the bytes to step over afterwards. */
static size_t
next_line(const char *s, size_t width, size_t *skip)
{
	size_t i = 0, cols = 0, last_space = 0;
	int have_space = 0;

	while (s[i] && s[i] != '\n') {
		size_t cl = 1;
		while ((((unsigned char)s[i + cl]) & 0xc0) == 0x80)
			cl++;
		if (cols == width)
			break;
		if (s[i] == ' ') {
			last_space = i;
			have_space = 1;
		}
		i += cl;
		cols++;
	}
	if (s[i] == '\0' || s[i] == '\n') {
		*skip = i + (s[i] == '\n');
		return i;
	}
	if (have_space && last_space > 0) {
		*skip = last_space + 1;
		return last_space;
	}
	*skip = i;
	return i;
}

/* Wraps text to width, each line prefixed by indent. */
static int
put_wrapped(struct buf *out, const char *text, size_t width, const char *indent)
{
	char plain[REPLY_TEXT_MAX + 1];
	const char *p = plain;

	strip_markup(text, plain, sizeof(plain));
	while (*p) {
		size_t skip, n;
		const char *hang = "";
		/* Bullets hang: continuation lines line up after "- ". */
		int bullet = p[0] == '-' && p[1] == ' ';
		size_t w = width;
		for (;;) {
			n = next_line(p, w, &skip);
			if (buf_printf(out, "%s%s%.*s\n", indent, hang, (int)n, p) != 0)
				return -1;
			p += skip;
			if (p[-1] == '\n' || *p == '\0' || skip == 0)
				break;
			if (bullet) {
				hang = "  ";
				w = width > 2 ? width - 2 : width;
			}
		}
		if (skip == 0)
			break;
	}
	return 0;
}

/* One table row: label | left | right, each cell wrapped in its column. */
static int
put_row(struct buf *out, const char *label, const char *left, const char *right, size_t lw,
        size_t cw)
{
	char a[REPLY_TEXT_MAX + 1], b[REPLY_TEXT_MAX + 1], c[REPLY_TEXT_MAX + 1];
	const char *pa = a, *pb = b, *pc = c;

	strip_markup(label, a, sizeof(a));
	strip_markup(left, b, sizeof(b));
	strip_markup(right, c, sizeof(c));
	while (*pa || *pb || *pc) {
		size_t sa, sb, sc;
		size_t na = next_line(pa, lw, &sa), nb = next_line(pb, cw, &sb), nc = next_line(pc, cw, &sc);
		if (buf_printf(out, "%.*s%*s | %.*s%*s | %.*s\n", (int)na, pa,
		               (int)(lw - text_width(pa, na)), "", (int)nb, pb,
		               (int)(cw - text_width(pb, nb)), "", (int)nc, pc) != 0)
			return -1;
		pa += sa;
		pb += sb;
		pc += sc;
		if (sa == 0 && sb == 0 && sc == 0)
			break;
	}
	return 0;
}

static int
put_rule(struct buf *out, size_t lw, size_t cw)
{
	char line[RENDER_TEXT_WIDTH * 2 + 8];
	size_t n = 0;

	for (size_t i = 0; i < lw + 1 && n < sizeof(line) - 1; i++)
		line[n++] = '-';
	for (int col = 0; col < 2; col++) {
		if (n < sizeof(line) - 1)
			line[n++] = '+';
		for (size_t i = 0; i < cw + 2 - (col == 1) && n < sizeof(line) - 1; i++)
			line[n++] = '-';
	}
	line[n] = '\0';
	return buf_printf(out, "%s\n", line);
}

int
render_text(const struct reply *reply, int width, struct buf *out)
{
	size_t w = width < 40 ? 40 : (size_t)width;

	if (reply->title[0] && buf_printf(out, "%s\n", reply->title) != 0)
		return -1;
	if (reply->text[0] && put_wrapped(out, reply->text, w, "") != 0)
		return -1;
	if (reply->nrows > 0) {
		size_t lw = 0, cw;
		for (size_t i = 0; i < reply->nrows; i++) {
			size_t l = text_width(reply->rows[i].label, strlen(reply->rows[i].label));
			if (l > lw)
				lw = l;
		}
		if (lw > LABEL_MAX)
			lw = LABEL_MAX;
		/* label + " | " + col + " | " + col fits in w */
		cw = (w - lw - 6) / 2;
		if (buf_puts(out, "\n") != 0 ||
		    put_row(out, "", reply->col_left ? reply->col_left : "",
		            reply->col_right ? reply->col_right : "", lw, cw) != 0 ||
		    put_rule(out, lw, cw) != 0)
			return -1;
		for (size_t i = 0; i < reply->nrows; i++)
			if (put_row(out, reply->rows[i].label, reply->rows[i].left, reply->rows[i].right, lw,
			            cw) != 0)
				return -1;
	}
	if (reply->nsources > 0) {
		if (buf_puts(out, "\nSources:\n") != 0)
			return -1;
		for (size_t i = 0; i < reply->nsources; i++) {
			const struct kb_source *s = kb_source_find(reply->sources[i]);
			if (buf_printf(out, "  - %s (%s)\n", s ? s->title : reply->sources[i],
			               reply->sources[i]) != 0)
				return -1;
		}
	}
	if (reply->footer[0] && put_wrapped(out, reply->footer, w, "") != 0)
		return -1;
	return 0;
}
