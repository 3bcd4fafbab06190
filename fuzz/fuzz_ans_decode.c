/* libFuzzer target: decoding sealed answers' plaintext (src/ans.c
 * ans_decode()) for the flagship questionnaire, as `koe report` does after
 * opening each box. Whatever the bytes:
 *
 *   - decoding never crashes or reads past the buffer;
 *   - what it accepts has every value within its item's range, and encodes
 *     back to exactly the same bytes (the format has one spelling per set). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "koe/ans.h"
#include "koe/qn.h"
#include "koe/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct qn_survey *survey;

static struct qn_survey *
load_survey(void)
{
	const char *src = getenv("KOE_SRC"), *slash = strrchr(__FILE__, '/');
	char path[4096];
	struct koe_diags d = {0};
	struct qn_survey *s = NULL;
	char *text = NULL;
	size_t len;

	if (src)
		snprintf(path, sizeof(path), "%s/surveys/alumni-readiness.txt", src);
	else
		snprintf(path, sizeof(path), "%.*s/../surveys/alumni-readiness.txt",
		         slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".");
	if (util_read_file(path, 1 << 20, &text, &len) != KOE_OK ||
	    qn_parse(text, len, path, &s, &d) != KOE_OK) {
		fprintf(stderr, "fuzz_ans_decode: cannot load %s\n", path);
		abort();
	}
	free(text);
	koe_diags_free(&d);
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ans_set set = {0};
	uint8_t *copy, *buf;
	size_t cap, len = 0;

	if (survey == NULL)
		survey = load_survey();
	/* An exact-size copy, so reading one byte too far is caught. */
	copy = malloc(size ? size : 1);
	if (copy == NULL || ans_set_new(survey, &set) != KOE_OK)
		abort();
	memcpy(copy, data, size);
	if (ans_decode(survey, copy, size, &set) == KOE_OK) {
		for (size_t i = 0; i < set.n; i++) {
			const struct ans_value *v = &set.v[i];
			const struct qn_item *it = &survey->items[i];
			if (!v->present)
				continue;
			if ((it->kind == QN_ITEM_LIKERT || it->kind == QN_ITEM_CHOICE ||
			     it->kind == QN_ITEM_NPS) &&
			    !ans_value_ok(survey, it, v->num))
				abort();
			for (size_t m = 0; it->kind == QN_ITEM_MULTI && m < v->nmulti; m++)
				if (!ans_value_ok(survey, it, v->multi[m]))
					abort();
		}
		cap = ans_encoded_max(survey, &set);
		buf = malloc(cap ? cap : 1);
		if (buf == NULL || ans_encode(survey, &set, buf, cap, &len) != KOE_OK ||
		    len != size || memcmp(buf, copy, size) != 0)
			abort();
		free(buf);
	}
	ans_set_free(&set);
	free(copy);
	return 0;
}
