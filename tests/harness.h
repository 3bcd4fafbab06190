/* A tiny test harness for ctest: each tests/test_*.c is one executable that
 * runs its TEST() functions and exits non-zero if any CHECK failed. */
#ifndef KOE_TEST_HARNESS_H
#define KOE_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int harness_failures;
static int harness_checks;
static const char *harness_current;

#define CHECK(cond)                                                            \
	do {                                                                   \
		harness_checks++;                                              \
		if (!(cond)) {                                                 \
			harness_failures++;                                    \
			fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n",       \
			        __FILE__, __LINE__, harness_current, #cond);   \
		}                                                              \
	} while (0)

#define CHECK_INT(got, want)                                                   \
	do {                                                                   \
		long long g_ = (long long)(got), w_ = (long long)(want);       \
		harness_checks++;                                              \
		if (g_ != w_) {                                                \
			harness_failures++;                                    \
			fprintf(stderr, "%s:%d: %s: %s == %lld, want %lld\n",  \
			        __FILE__, __LINE__, harness_current, #got, g_, \
			        w_);                                           \
		}                                                              \
	} while (0)

#define CHECK_STR(got, want)                                                   \
	do {                                                                   \
		const char *g_ = (got), *w_ = (want);                          \
		harness_checks++;                                              \
		if (g_ == NULL || w_ == NULL ? g_ != w_ : strcmp(g_, w_) != 0) { \
			harness_failures++;                                    \
			fprintf(stderr, "%s:%d: %s: %s == \"%s\", want \"%s\"\n", \
			        __FILE__, __LINE__, harness_current, #got,     \
			        g_ ? g_ : "(null)", w_ ? w_ : "(null)");       \
		}                                                              \
	} while (0)

#define CHECK_MEM(got, want, len)                                              \
	do {                                                                   \
		harness_checks++;                                              \
		if (memcmp((got), (want), (len)) != 0) {                       \
			harness_failures++;                                    \
			fprintf(stderr, "%s:%d: %s: %s differs from %s\n",     \
			        __FILE__, __LINE__, harness_current, #got, #want); \
		}                                                              \
	} while (0)

#define RUN(fn)                                                                \
	do {                                                                   \
		harness_current = #fn;                                         \
		fn();                                                          \
	} while (0)

/* Call at the end of main(). */
static inline int
harness_done(void)
{
	printf("%d checks, %d failed\n", harness_checks, harness_failures);
	if (harness_checks == 0) {
		fprintf(stderr, "no checks ran\n");
		return 1;
	}
	return harness_failures ? 1 : 0;
}

/* Path of a fixture under tests/data/ (tests run with tests/ as working
 * directory). Returns a static buffer. */
static inline const char *
data_path(const char *rel)
{
	static char buf[4096];
	const char *src = getenv("KOE_SRC");
	snprintf(buf, sizeof(buf), "%s/tests/data/%s", src ? src : "..", rel);
	return buf;
}

/* Reads a whole file; caller frees. Sets *len. Aborts the test on failure. */
static inline char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	if (f == NULL) {
		fprintf(stderr, "cannot open fixture %s\n", path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "cannot read fixture %s\n", path);
		exit(2);
	}
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

#endif
