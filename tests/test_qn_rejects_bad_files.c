/* Every file in tests/data/qn-bad/ is a questionnaire with mistakes HR makes;
 * its .err twin holds the exact diagnostics koe must print (file, line,
 * column, message and hint). The parser must refuse each file, return no
 * survey, and print exactly those lines. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "koe/qn.h"

static int cases;

static void
check_case(const char *dir, const char *name)
{
	char path[8192], errpath[8192];
	struct koe_diags d = {0};
	struct qn_survey *s = (struct qn_survey *)1;
	size_t len, elen, olen = 0;
	char *buf, *want, *got = NULL;
	FILE *mem;
	enum koe_err err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(errpath, sizeof(errpath), "%s/%.*s.err", dir, (int)(strlen(name) - 4), name);
	buf = slurp(path, &len);
	want = slurp(errpath, &elen);
	err = qn_parse(buf, len, name, &s, &d);
	harness_current = name;
	CHECK(err == KOE_EINVAL || err == KOE_ETOOBIG);
	CHECK(s == NULL);
	CHECK(d.n > 0);
	mem = open_memstream(&got, &olen);
	koe_diags_print(&d, name, mem);
	fclose(mem);
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "%s: diagnostics differ\n--- want\n%s--- got\n%s", name, want, got);
		CHECK(!"diagnostics match");
	} else {
		CHECK(1);
	}
	cases++;
	free(got);
	free(buf);
	free(want);
	koe_diags_free(&d);
}

int
main(void)
{
	const char *dir = data_path("qn-bad");
	char dirpath[4096];
	DIR *dp;
	struct dirent *de;

	snprintf(dirpath, sizeof(dirpath), "%s", dir);
	dp = opendir(dirpath);
	if (dp == NULL) {
		fprintf(stderr, "cannot open %s\n", dirpath);
		return 1;
	}
	while ((de = readdir(dp)) != NULL) {
		size_t n = strlen(de->d_name);
		if (n > 4 && strcmp(de->d_name + n - 4, ".txt") == 0)
			check_case(dirpath, de->d_name);
	}
	closedir(dp);
	harness_current = "count";
	/* The catalogue must not silently shrink. */
	CHECK(cases >= 50);
	return harness_done();
}
