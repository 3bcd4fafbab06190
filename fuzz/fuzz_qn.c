/* libFuzzer target: the questionnaire parser must never crash, leak or read
 * out of bounds, whatever bytes it is given, and a successful parse must
 * yield a survey whose items all point at real questions. */
#include <stdint.h>
#include <stdlib.h>

#include "koe/qn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct koe_diags d = {0};
	struct qn_survey *s = NULL;
	enum koe_err err = qn_parse((const char *)data, size, "fuzz.txt", &s, &d);

	if (err == KOE_OK) {
		if (s == NULL || koe_diags_errors(&d) != 0)
			abort();
		for (size_t i = 0; i < s->nitems; i++) {
			if (s->items[i].question >= s->nquestions)
				abort();
			if (qn_item_find(s, s->items[i].key) == NULL)
				abort();
		}
		for (size_t i = 0; i < s->nquestions; i++) {
			struct arena a = {0};
			if (qn_html_to_plain(&a, s->questions[i].text) == NULL)
				abort();
			arena_free(&a);
		}
	} else if (s != NULL || (err == KOE_EINVAL && d.n == 0 && d.dropped == 0)) {
		abort();
	}
	qn_survey_free(s);
	koe_diags_free(&d);
	return 0;
}
