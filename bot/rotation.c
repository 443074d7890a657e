/* rotation.c -- seeded Fisher-Yates permutations over the tips. */
#include "rotation.h"

/* splitmix64: small, good enough to shuffle, and the same on every platform
 * (the C library's rand() is not, and would change orders across builds). */
static uint64_t
splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t
rotation_seed(const char *channel)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a, then mixed */

	for (const unsigned char *p = (const unsigned char *)channel; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	return splitmix64(&h);
}

static void
permute(uint64_t seed, uint64_t cycle, unsigned short *perm, size_t n)
{
	uint64_t state = seed ^ (cycle * 0xd1342543de82ef95ULL);

	for (size_t i = 0; i < n; i++)
		perm[i] = (unsigned short)i;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = (size_t)(splitmix64(&state) % (i + 1));
		unsigned short t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
}

long
rotation_index(uint64_t seed, uint64_t cycle, size_t pos, size_t n)
{
	unsigned short perm[ROTATION_MAX], prev[ROTATION_MAX];

	if (n == 0 || n > ROTATION_MAX || pos >= n)
		return -1;
	if (n <= 2) /* the only orders with no tip twice in a row */
		return (long)((pos + (seed & 1)) % n);
	permute(seed, cycle, perm, n);
	if (cycle > 0) {
		/* The fix-up swaps the first two, never touching the last, so the
		 * previous cycle's last tip is its raw permutation's last. */
		permute(seed, cycle - 1, prev, n);
		if (perm[0] == prev[n - 1]) {
			unsigned short t = perm[0];
			perm[0] = perm[1];
			perm[1] = t;
		}
	}
	return perm[pos];
}
