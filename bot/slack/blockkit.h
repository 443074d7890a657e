/* blockkit.h -- a struct reply as a Slack message (Block Kit + fallback text).
 *
 * The comparison table becomes a header and sections of two-column fields
 * (at most 5 rows per section); text becomes mrkdwn sections; sources and
 * footer become context blocks. Our markup (*bold*, `code`, "- " bullets)
 * maps to mrkdwn, and &, <, > are escaped. Slack's limits are kept: 50
 * blocks, 10 fields per section, 2000 bytes per field, 3000 per section
 * text, 150 characters of plain_text header. */
#ifndef PMPO_BLOCKKIT_H
#define PMPO_BLOCKKIT_H

#include <cjson/cJSON.h>

#include "cmd.h"

#define BK_BLOCKS_MAX 50
#define BK_FIELDS_MAX 10
#define BK_FIELD_MAX 2000
#define BK_SECTION_MAX 3000
#define BK_HEADER_MAX 150
#define BK_FALLBACK_MAX 3000

/* Adds "text" (the plain-text fallback) and "blocks" to the JSON object msg.
 * 0, or -1 when out of memory (msg may then hold part of them). */
int blockkit_message(const struct reply *reply, cJSON *msg);

#define BK_SHARE_ACTION "pmpo_share" /* action_id of the "Share in channel" button */
#define BK_VALUE_MAX 2000             /* a button's value */
#define BK_BLOCK_ID_MAX 255

/* Appends an actions block with a "Share in channel" button whose value is
 * value[0..len) and whose block_id is block_id. 0 when added; 1 when it does
 * not fit (value over BK_VALUE_MAX or empty, block_id too long, no block
 * left): the message is then unchanged; -1 when out of memory. */
int blockkit_share_button(cJSON *msg, const char *value, size_t len, const char *block_id);

#define BK_FEEDBACK_UP "pmpo_fb_up"     /* action_id of "👍 Helpful" */
#define BK_FEEDBACK_DOWN "pmpo_fb_down" /* action_id of "👎 Not right" */
#define BK_ACTIONS_ELEMENTS_MAX 5       /* elements in one actions block */
#define BK_BUTTON_TEXT_MAX 75           /* characters of a button's text */

/* Appends an actions block with "👍 Helpful" and "👎 Not right" buttons,
 * both with value value[0..len) (the question) and the block's block_id
 * block_id. 0 when added; 1 when it does not fit (as for the share
 * button; the message is then unchanged); -1 when out of memory. */
int blockkit_feedback_buttons(cJSON *msg, const char *value, size_t len, const char *block_id);

/* Appends the context line that takes the buttons' place once the user
 * voted: verdict > 0 for 👍, else 👎. 0 when added, 1 when no block is
 * left, -1 when out of memory. */
int blockkit_feedback_done(cJSON *msg, int verdict);

/* A daily tip as a channel post: the tip in a section headed by its role
 * tag (`PM`, `PO`, `PM+PO`), and a context line naming the source
 * articles by title. Adds "text" and "blocks" to msg; 0, or -1. */
int blockkit_tip(const struct kb_tip *tip, cJSON *msg);

/* Writes s as mrkdwn into dst (cap bytes, NUL-terminated): escapes &, <, >
 * and turns "- " bullets into "• ". Cuts at a character boundary, never
 * inside an escape, ending with "…" when cut. Returns the bytes written. */
size_t blockkit_mrkdwn(const char *s, char *dst, size_t cap);

#endif
