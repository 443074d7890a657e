/* confgen.c -- writes the documentation that comes from the option table:
 *
 *   confgen example OUT            the example config file
 *   confgen man TEMPLATE OUT       the man page, with the line @CONFIG_OPTIONS@
 *                                  in TEMPLATE replaced by one paragraph per key
 *
 * Run at build time, so the installed files always match the binary. */
#include <stdio.h>
#include <string.h>

#include "config.h"

static int
write_man(const char *template, FILE *out)
{
	FILE *in = fopen(template, "r");
	char line[1024];
	int found = 0;

	if (in == NULL) {
		perror(template);
		return -1;
	}
	while (fgets(line, sizeof(line), in) != NULL) {
		if (strcmp(line, "@CONFIG_OPTIONS@\n") == 0) {
			config_write_man(out);
			found = 1;
		} else {
			fputs(line, out);
		}
	}
	fclose(in);
	if (!found)
		fprintf(stderr, "confgen: %s has no @CONFIG_OPTIONS@ line\n", template);
	return found ? 0 : -1;
}

int
main(int argc, char **argv)
{
	FILE *out;
	int rc = 0;

	if (argc == 3 && strcmp(argv[1], "example") == 0) {
		out = fopen(argv[2], "w");
		if (out == NULL) {
			perror(argv[2]);
			return 1;
		}
		config_write_example(out);
	} else if (argc == 4 && strcmp(argv[1], "man") == 0) {
		out = fopen(argv[3], "w");
		if (out == NULL) {
			perror(argv[3]);
			return 1;
		}
		rc = write_man(argv[2], out);
	} else {
		fputs("usage: confgen example OUT | confgen man TEMPLATE OUT\n", stderr);
		return 2;
	}
	if (fclose(out) != 0) {
		perror("confgen");
		return 1;
	}
	return rc == 0 ? 0 : 1;
}
