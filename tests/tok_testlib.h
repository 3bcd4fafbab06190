/* Helpers shared by the tests/test_tok_*.c files: hex fixtures, a fixed survey
 * key, and a complete issue-and-finalize run through the client API. */
#ifndef KOE_TOK_TESTLIB_H
#define KOE_TOK_TESTLIB_H

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "harness.h"
#include "koe/tok.h"

#define TEST_SURVEY "alumni-readiness-2026"

/* Decodes exactly len bytes of hex; aborts the test on a malformed fixture. */
static inline void
hex_fixture(const char *hex, uint8_t *out, size_t len)
{
	size_t got = 0;

	if (sodium_hex2bin(out, len, hex, strlen(hex), NULL, &got, NULL) != 0 ||
	    got != len) {
		fprintf(stderr, "bad hex fixture: %s\n", hex);
		exit(2);
	}
}

/* True when all n bytes at p are zero (for "output wiped on failure"). */
static inline int
all_zero(const uint8_t *p, size_t n)
{
	return sodium_is_zero(p, n) == 1;
}

/* The survey key of TEST_SURVEY under a fixed master seed (0x42 repeated);
 * aborts if derivation fails. */
static inline void
test_survey_key(struct tok_survey_key *key, const char *survey)
{
	uint8_t seed[TOK_SEED_BYTES];

	memset(seed, 0x42, sizeof(seed));
	if (tok_init() != KOE_OK || tok_survey_key_derive(seed, survey, key) != KOE_OK) {
		fprintf(stderr, "cannot derive the test survey key\n");
		exit(2);
	}
}

/* Builds the info of (survey, segment); aborts on failure. */
static inline size_t
test_info(const char *survey, const char *segment, uint8_t info[TOK_INFO_MAX])
{
	size_t len = 0;

	if (tok_info_build(survey, segment, info, TOK_INFO_MAX, &len) != KOE_OK) {
		fprintf(stderr, "cannot build info for %s/%s\n", survey, segment);
		exit(2);
	}
	return len;
}

/* Runs a whole issuance for (key, info) and writes the token's client state,
 * the server's answer and the finalized output. CHECKs every step. */
static inline void
test_issue_token(const struct tok_survey_key *key, const uint8_t *info,
                 size_t info_len, struct tok_client_token *tk,
                 uint8_t evaluated[TOK_ELEMENT_BYTES],
                 uint8_t proof[TOK_PROOF_BYTES], uint8_t output[TOK_OUTPUT_BYTES])
{
	CHECK_INT(tok_client_blind(tk), KOE_OK);
	CHECK_INT(tok_issue(key, info, info_len, tk->blinded, evaluated, proof), KOE_OK);
	CHECK_INT(tok_client_finalize(tk, key->pk, info, info_len, evaluated, proof,
	                              output), KOE_OK);
}

/* Creates a fresh private directory under /tmp in dir (64 bytes); aborts on
 * failure. Remove it with tmpdir_remove(). */
static inline void
tmpdir_make(char dir[64])
{
	strcpy(dir, "/tmp/koe-tok-test-XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(2);
	}
}

/* Removes every file in dir, then dir itself. */
static inline void
tmpdir_remove(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[512];

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path) != 0)
			rmdir(path);
	}
	closedir(d);
	rmdir(dir);
}

/* Writes n bytes to dir/name with exactly the given mode (set with fchmod,
 * so the umask does not interfere) and returns the path in a static buffer
 * that the next call overwrites. Aborts on failure. */
static inline const char *
write_key_file(const char *dir, const char *name, const uint8_t *p, size_t n,
               mode_t mode)
{
	static char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (n > 0 && write(fd, p, n) != (ssize_t)n) || fchmod(fd, mode) != 0) {
		perror(path);
		exit(2);
	}
	close(fd);
	return path;
}

#endif
