/* share.c -- HMAC signatures for the share button (see share.h). */
#include "share.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define SHARE_KEY_LABEL "pmpo-bot share button v1"
#define SEED_DIGITS_MAX 20 /* 2^64 - 1 has 20 digits */

int
share_key_init(struct share_key *key, const char *secret, size_t len)
{
	unsigned int n = 0;

	share_key_clear(key);
	if (secret == NULL || len == 0 || len > (size_t)INT_MAX)
		return -1;
	if (HMAC(EVP_sha256(), secret, (int)len, (const unsigned char *)SHARE_KEY_LABEL,
	         strlen(SHARE_KEY_LABEL), key->k, &n) == NULL || n != SHARE_KEY_LEN) {
		share_key_clear(key);
		return -1;
	}
	key->set = 1;
	return 0;
}

void
share_key_clear(struct share_key *key)
{
	OPENSSL_cleanse(key, sizeof(*key));
}

int
sign_block_id(const struct share_key *key, const char *prefix, unsigned long seed,
              const char *text, size_t len, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char msg[SHARE_PREFIX_MAX + SEED_DIGITS_MAX + 2 + SHARE_TEXT_MAX], mac[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	size_t pl = prefix != NULL ? strlen(prefix) : 0, dl;
	int d, o;

	if (cap > 0)
		out[0] = '\0';
	if (!key->set || len > SHARE_TEXT_MAX || cap < SHARE_BLOCK_ID_MAX + 1 || pl == 0 ||
	    pl > SHARE_PREFIX_MAX)
		return -1;
	/* the share button's MAC predates other prefixes and leaves its own out */
	dl = strcmp(prefix, SHARE_PREFIX) == 0 ? 0 : pl;
	memcpy(msg, prefix, dl);
	d = snprintf((char *)msg + dl, SEED_DIGITS_MAX + 2, "%lu\n", seed);
	if (d <= 0 || d > SEED_DIGITS_MAX + 1)
		return -1;
	if (len > 0)
		memcpy(msg + dl + (size_t)d, text, len);
	if (HMAC(EVP_sha256(), key->k, SHARE_KEY_LEN, msg, dl + (size_t)d + len, mac, &n) == NULL ||
	    n < SHARE_MAC_HEX / 2)
		return -1;
	o = snprintf(out, cap, "%s%lu:", prefix, seed);
	if (o < 0 || (size_t)o + SHARE_MAC_HEX >= cap)
		return -1;
	for (size_t i = 0; i < SHARE_MAC_HEX / 2; i++) {
		out[o++] = hex[mac[i] >> 4];
		out[o++] = hex[mac[i] & 0x0f];
	}
	out[o] = '\0';
	return 0;
}

int
share_block_id(const struct share_key *key, unsigned long seed, const char *text, size_t len,
               char *out, size_t cap)
{
	return sign_block_id(key, SHARE_PREFIX, seed, text, len, out, cap);
}

int
share_check(const struct share_key *key, const char *block_id, const char *text, size_t len,
            unsigned long *seed)
{
	return sign_check(key, SHARE_PREFIX, block_id, text, len, seed);
}

int
sign_check(const struct share_key *key, const char *prefix, const char *block_id,
           const char *text, size_t len, unsigned long *seed)
{
	const size_t pl = prefix != NULL ? strlen(prefix) : 0;
	char want[SHARE_BLOCK_ID_MAX + 1];
	const char *p;
	char *end;
	unsigned long s;
	size_t bl;

	if (!key->set || pl == 0 || block_id == NULL || strncmp(block_id, prefix, pl) != 0)
		return -1;
	p = block_id + pl;
	if (*p < '0' || *p > '9') /* strtoul would take a sign or spaces */
		return -1;
	errno = 0;
	s = strtoul(p, &end, 10);
	if (errno != 0 || *end != ':')
		return -1;
	/* The canonical form for that seed and this text, compared in full: a
	 * leading zero, another MAC or trailing bytes all differ. */
	if (sign_block_id(key, prefix, s, text, len, want, sizeof(want)) != 0)
		return -1;
	bl = strlen(block_id);
	if (bl != strlen(want) || CRYPTO_memcmp(block_id, want, bl) != 0)
		return -1;
	*seed = s;
	return 0;
}
