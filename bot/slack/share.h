/* share.h -- signs and checks the "Share in channel" button.
 *
 * The button holds the command text (its value) and the request's seed (in
 * its block_id); a press re-runs the command and posts the answer for
 * everyone. Slack hands back whatever a press says, so both are signed:
 *
 *   block_id = "pmpo_share:" SEED ":" MAC
 *   MAC      = hex of the first 16 bytes of HMAC-SHA256(key, SEED "\n" TEXT)
 *   key      = HMAC-SHA256(bot token, "pmpo-bot share button v1")
 *
 * So a button keeps working across restarts, stops working when the bot
 * token changes, and a press whose value or seed is not one the bot signed
 * is refused. No I/O; the key lives in the caller's struct. */
#ifndef PMPO_SHARE_H
#define PMPO_SHARE_H

#include <stddef.h>

#define SHARE_PREFIX "pmpo_share:"
#define SHARE_KEY_LEN 32       /* bytes of HMAC-SHA256 output */
#define SHARE_MAC_HEX 32       /* 16 bytes of MAC, in hex */
#define SHARE_BLOCK_ID_MAX 80  /* prefix + 20 digits + ':' + MAC, with room; Slack allows 255 */
#define SHARE_TEXT_MAX 4096    /* longest value signed (Slack's button value limit is 2000) */

struct share_key {
	unsigned char k[SHARE_KEY_LEN];
	int set; /* 0: no key, nothing signs or checks */
};

/* Derives the key from secret[0..len) (the bot token). 0, or -1 (key unset). */
int share_key_init(struct share_key *key, const char *secret, size_t len);
/* Wipes the key. */
void share_key_clear(struct share_key *key);

/* Writes the signed block_id for (seed, text[0..len)) into out (cap bytes,
 * at least SHARE_BLOCK_ID_MAX + 1). 0, or -1 (no key, text too long, small cap). */
int share_block_id(const struct share_key *key, unsigned long seed, const char *text, size_t len,
                   char *out, size_t cap);

/* 0 and *seed if block_id is exactly what share_block_id gives for this
 * text and some seed; -1 for anything else (no key, malformed, other text). */
int share_check(const struct share_key *key, const char *block_id, const char *text, size_t len,
                unsigned long *seed);

/* The same signature for another button, under its own prefix (at most
 * SHARE_PREFIX_MAX bytes, e.g. "pmpo_fb:"): block_id = PREFIX SEED ":" MAC,
 * where the MAC also covers the prefix, so one button's block_id never
 * passes for another's. share_block_id is sign_block_id with SHARE_PREFIX
 * (whose MAC leaves the prefix out, as buttons already out there expect). */
#define SHARE_PREFIX_MAX 24
int sign_block_id(const struct share_key *key, const char *prefix, unsigned long seed,
                  const char *text, size_t len, char *out, size_t cap);
int sign_check(const struct share_key *key, const char *prefix, const char *block_id,
               const char *text, size_t len, unsigned long *seed);

#endif
