/* render.h -- turns a struct reply into what a surface shows.
 *
 * Replies use a small markup: *bold*, `code`, and lines starting "- " for
 * bullets. Each renderer maps that to its own form. All output goes into a
 * bounded struct buf; -1 means the buffer's ceiling was reached. */
#ifndef PMPO_RENDER_H
#define PMPO_RENDER_H

#include "buf.h"
#include "cmd.h"

#define RENDER_TEXT_WIDTH 100 /* console columns */

/* Plain text for a terminal, wrapped to width columns; the comparison table
 * becomes three aligned columns. */
int render_text(const struct reply *reply, int width, struct buf *out);

/* One JSON object for "ask --json":
 * {"role","topic","confidence","text","sources"}. */
int render_answer_json(const struct reply *reply, struct buf *out);

#endif
