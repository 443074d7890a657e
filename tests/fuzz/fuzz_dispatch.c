/* fuzz_dispatch.c -- libFuzzer target: any bytes as a message on any surface,
 * through cmd_dispatch (validation, command lookup, every handler, the
 * question engine) and both renderers. */
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "cmd.h"
#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request req = {0};
	struct reply reply;
	struct buf out;

	if (size == 0)
		return 0;
	req.surface = (enum surface)(data[0] % 4);
	req.text = (const char *)data + 1;
	req.text_len = size - 1;
	req.user_id = "UFUZZ";
	req.channel_id = "CFUZZ";
	cmd_dispatch(&req, &reply);
	buf_init(&out, 1 << 20);
	render_text(&reply, RENDER_TEXT_WIDTH, &out);
	buf_reset(&out);
	render_answer_json(&reply, &out);
	buf_free(&out);
	return 0;
}
