/* libFuzzer target: the earlier report `koe report --compare` reads
 * (src/report_compare.c report_prev_read()), a file HR controls. Whatever
 * the bytes:
 *
 *   - reading never crashes, leaks or reads past the buffer;
 *   - a refusal names the file ("prev.json...: error: ...") and returns
 *     KOE_EINVAL (or KOE_ENOMEM), with nothing handed back;
 *   - what it accepts can be freed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "koe/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_prev *p = NULL;
	struct koe_msg msg = {{0}};
	enum koe_err err;

	if (size > (1 << 20))
		return 0;
	err = report_prev_read((const char *)data, size, "prev.json", "alumni-readiness-2027", &p,
	                       &msg);
	if (err == KOE_OK) {
		if (p == NULL)
			abort();
		report_prev_free(p);
		return 0;
	}
	if (p != NULL || (err != KOE_EINVAL && err != KOE_ENOMEM) ||
	    strncmp(msg.text, "prev.json", 9) != 0) {
		fprintf(stderr, "fuzz_report_prev: err %d, message '%s'\n", (int)err, msg.text);
		abort();
	}
	return 0;
}
