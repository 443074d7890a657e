/* fuzz_config.c -- libFuzzer target: any bytes as a configuration file. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct config cfg;
	char err[512];
	FILE *fp;

	if (path[0] == '\0') {
		int fd;
		snprintf(path, sizeof(path), "/tmp/pmpo-fuzz-config-XXXXXX");
		fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
	}
	fp = fopen(path, "wb");
	if (fp == NULL)
		abort();
	fwrite(data, 1, size, fp);
	fclose(fp);
	config_load(&cfg, path, err, sizeof(err));
	return 0;
}
