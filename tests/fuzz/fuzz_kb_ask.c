/* fuzz_kb_ask.c -- libFuzzer target: the question engine on raw bytes, with
 * no UTF-8 check in front of it (the engine must be safe on anything). */
#include <stddef.h>
#include <stdint.h>

#include "engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kb_answer ans;

	kb_ask((const char *)data, size, &ans);
	return 0;
}
