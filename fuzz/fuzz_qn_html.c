/* libFuzzer target: whatever bytes question text holds, the sanitizer's
 * output (docs/ARCHITECTURE.md §5.1) holds only allow-listed tags, never an
 * attribute, comment or declaration, balanced and properly nested; every
 * '&' starts one of the entities it writes; and the plain-text forms print
 * no '<' that was not an escaped one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "koe/qn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const tags[] = {"b", "strong", "i", "em", "u", "sup", "sub",
                                   "p", "ul", "ol", "li"};

static int
tag_index(const char *s, size_t n)
{
	for (size_t k = 0; k < sizeof(tags) / sizeof(tags[0]); k++)
		if (strlen(tags[k]) == n && memcmp(tags[k], s, n) == 0)
			return (int)k;
	return -1;
}

/* Checks the sanitizer's output; aborts on the first broken rule. */
static void
check_html(const char *h)
{
	int stack[64];
	size_t depth = 0;

	for (size_t i = 0; h[i];) {
		if (h[i] == '>' || h[i] == '"' || h[i] == '\'')
			abort();
		if (h[i] == '&') {
			const char *semi = strchr(h + i, ';');
			if (semi == NULL || semi - (h + i) > 9)
				abort();
			for (const char *q = h + i + 1; q < semi; q++)
				if (!((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '#'))
					abort();
			i = (size_t)(semi - h) + 1;
			continue;
		}
		if (h[i] != '<') {
			i++;
			continue;
		}
		const char *end = strchr(h + i, '>');
		if (end == NULL)
			abort();
		bool closing = h[i + 1] == '/';
		const char *name = h + i + (closing ? 2 : 1);
		size_t nl = (size_t)(end - name);
		if (!closing && nl == 2 && memcmp(name, "br", 2) == 0) {
			i = (size_t)(end - h) + 1;
			continue;
		}
		int t = tag_index(name, nl);
		if (t < 0)
			abort();
		if (closing) {
			if (depth == 0 || stack[depth - 1] != t)
				abort();
			depth--;
		} else {
			if (depth == 64)
				abort();
			/* A list item sits directly in a list. */
			if (t == 10 && (depth == 0 || (stack[depth - 1] != 8 && stack[depth - 1] != 9)))
				abort();
			stack[depth++] = t;
		}
		i = (size_t)(end - h) + 1;
	}
	if (depth != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = {0};
	struct qn_html_note nt;
	char *h = qn_html_sanitize_note(&a, (const char *)data, size, &nt);

	/* NUL bytes never reach the sanitizer (qn_parse refuses them), and a
	 * C string stops at the first. */
	if (memchr(data, 0, size) == NULL) {
		if (h == NULL)
			abort();
		check_html(h);
		if (qn_html_to_plain(&a, h) == NULL || qn_html_to_lines(&a, h) == NULL)
			abort();
	}
	arena_free(&a);
	return 0;
}
