/* Sealed answers open only with every key holder's secret, only unchanged,
 * and only for the survey they were sealed for; every box has the same size;
 * a holder's public part proves its holder knows the secret, for this survey
 * and name (docs/ARCHITECTURE.md §4.1, §4.3). */
#define _GNU_SOURCE /* memmem */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "koe/holder.h"
#include "koe/seal.h"

#define SURVEY "alumni-readiness-2026"
#define PASS1 "first holder's passphrase"
#define PASS2 "second holder's passphrase"

static struct seal_holder h[2];
static uint8_t pk[SEAL_PK_BYTES], x1[SEAL_SK_BYTES], x2[SEAL_SK_BYTES];

static void
setup(void)
{
	setenv("KOE_KDF_MEMLIMIT", "8388608", 1);
	CHECK_INT(seal_holder_new(SURVEY, "人事部", PASS1, strlen(PASS1), &h[0]), KOE_OK);
	CHECK_INT(seal_holder_new(SURVEY, "従業員代表", PASS2, strlen(PASS2), &h[1]), KOE_OK);
	CHECK_INT(seal_holders_key(h, 2, pk), KOE_OK);
	CHECK_INT(seal_holder_secret(PASS1, strlen(PASS1), &h[0].kdf, x1), KOE_OK);
	CHECK_INT(seal_holder_secret(PASS2, strlen(PASS2), &h[1].kdf, x2), KOE_OK);
	CHECK(seal_secret_matches(x1, h[0].pub));
	CHECK(seal_secret_matches(x2, h[1].pub));
}

static void
every_holder_together_opens_and_no_single_one_does(void)
{
	struct seal_key k, r;
	uint8_t plain[SEAL_PLAIN_BYTES], box[SEAL_BOX_BYTES], out[SEAL_PLAIN_BYTES];
	uint8_t sum[SEAL_SK_BYTES] = {0};
	const uint8_t *ad = (const uint8_t *)SURVEY;

	randombytes_buf(plain, sizeof(plain));
	CHECK_INT(seal_key_new(&k, pk), KOE_OK);
	seal_box(&k, ad, strlen(SURVEY), plain, box);
	seal_secret_add(sum, x1);
	seal_secret_add(sum, x2);
	CHECK(seal_secret_matches(sum, pk));
	CHECK_INT(seal_key_open(sum, pk, k.epk, &r), KOE_OK);
	CHECK_INT(seal_unbox(&r, ad, strlen(SURVEY), box, out), KOE_OK);
	CHECK_MEM(out, plain, sizeof(plain));
	/* Either holder alone derives a different key: nothing opens. */
	CHECK_INT(seal_key_open(x1, pk, k.epk, &r), KOE_OK);
	CHECK_INT(seal_unbox(&r, ad, strlen(SURVEY), box, out), KOE_EVERIFY);
	CHECK_INT(seal_key_open(x2, pk, k.epk, &r), KOE_OK);
	CHECK_INT(seal_unbox(&r, ad, strlen(SURVEY), box, out), KOE_EVERIFY);
	seal_key_wipe(&k);
}

static void
altered_or_moved_box_does_not_open(void)
{
	struct seal_key k, r;
	uint8_t plain[SEAL_PLAIN_BYTES] = {1}, box[SEAL_BOX_BYTES], out[SEAL_PLAIN_BYTES];
	uint8_t sum[SEAL_SK_BYTES] = {0};
	const uint8_t *ad = (const uint8_t *)SURVEY;

	seal_secret_add(sum, x1);
	seal_secret_add(sum, x2);
	CHECK_INT(seal_key_new(&k, pk), KOE_OK);
	CHECK_INT(seal_key_open(sum, pk, k.epk, &r), KOE_OK);
	seal_box(&k, ad, strlen(SURVEY), plain, box);
	for (size_t i = 0; i < SEAL_BOX_BYTES; i += 97) {
		box[i] ^= 0x40;
		CHECK_INT(seal_unbox(&r, ad, strlen(SURVEY), box, out), KOE_EVERIFY);
		box[i] ^= 0x40;
	}
	CHECK_INT(seal_unbox(&r, (const uint8_t *)"other-survey", 12, box, out), KOE_EVERIFY);
	CHECK_INT(seal_unbox(&r, ad, strlen(SURVEY), box, out), KOE_OK);
	seal_key_wipe(&k);
}

static void
server_key_keeps_no_secret_and_boxes_differ(void)
{
	struct seal_key k;
	uint8_t plain[SEAL_PLAIN_BYTES] = {0}, b1[SEAL_BOX_BYTES], b2[SEAL_BOX_BYTES];
	CHECK_INT(seal_key_new(&k, pk), KOE_OK);
	/* Same plaintext twice: random nonces, nothing in common. */
	seal_box(&k, (const uint8_t *)SURVEY, strlen(SURVEY), plain, b1);
	seal_box(&k, (const uint8_t *)SURVEY, strlen(SURVEY), plain, b2);
	CHECK(memcmp(b1, b2, SEAL_BOX_BYTES) != 0);
	CHECK(memmem(b1, sizeof(b1), k.epk, 8) == NULL);
	seal_key_wipe(&k);
}

static void
proof_binds_survey_name_and_secret(void)
{
	struct seal_holder t = h[1];
	CHECK_INT(seal_holder_verify(SURVEY, &h[0]), KOE_OK);
	CHECK_INT(seal_holder_verify(SURVEY, &h[1]), KOE_OK);
	CHECK_INT(seal_holder_verify("another-survey", &h[0]), KOE_EVERIFY);
	snprintf(t.name, sizeof(t.name), "%s", "人事部");
	CHECK_INT(seal_holder_verify(SURVEY, &t), KOE_EVERIFY);
	/* Rogue key: X2' = Y − X1 cancels holder 1 so that whoever knows y
	 * alone could open. Without y − x1... the proof cannot be made for X2'. */
	uint8_t y[SEAL_SK_BYTES], Y[SEAL_PK_BYTES], negx1[SEAL_PK_BYTES];
	crypto_core_ristretto255_scalar_random(y);
	CHECK_INT(crypto_scalarmult_ristretto255_base(Y, y), 0);
	memcpy(negx1, h[0].pub, SEAL_PK_BYTES);
	CHECK_INT(crypto_core_ristretto255_sub(t.pub, Y, negx1), 0);
	snprintf(t.name, sizeof(t.name), "%s", "rogue");
	CHECK_INT(seal_holder_verify(SURVEY, &t), KOE_EVERIFY);
	/* The identity as a public part (its "proof" can be forged with T = 0
	 * and s = 0 when the identity is accepted) is refused. */
	memset(t.pub, 0, sizeof(t.pub));
	memset(t.proof, 0, sizeof(t.proof));
	CHECK_INT(seal_holder_verify(SURVEY, &t), KOE_EVERIFY);
	/* Two shares that cancel give no key. */
	struct seal_holder pair[2] = {h[0], h[0]};
	uint8_t neg[SEAL_PK_BYTES], zero_scalar[32] = {0}, one[32] = {1}, minus_one[32];
	crypto_core_ristretto255_scalar_sub(minus_one, zero_scalar, one);
	CHECK_INT(crypto_scalarmult_ristretto255(neg, minus_one, h[0].pub), 0);
	memcpy(pair[1].pub, neg, SEAL_PK_BYTES);
	uint8_t sum[SEAL_PK_BYTES];
	CHECK_INT(seal_holders_key(pair, 2, sum), KOE_ECRYPTO);
}

static void
holder_file_roundtrips_and_rejects_damage(void)
{
	char text[HOLDER_FILE_MAX], sid[HOLDER_SURVEY_MAX];
	struct koe_msg msg;
	struct seal_holder back;
	CHECK_INT(holder_format(&h[1], SURVEY, text, sizeof(text)), KOE_OK);
	CHECK_INT(holder_parse(text, strlen(text), sid, &back, &msg), KOE_OK);
	CHECK_STR(sid, SURVEY);
	CHECK_MEM(&back, &h[1], sizeof(back));
	CHECK_INT(seal_holder_verify(SURVEY, &back), KOE_OK);
	char *p = strstr(text, "proof: ");
	CHECK(p != NULL);
	p[10] = p[10] == 'A' ? 'B' : 'A';
	CHECK_INT(holder_parse(text, strlen(text), sid, &back, &msg), KOE_OK);
	CHECK_INT(seal_holder_verify(SURVEY, &back), KOE_EVERIFY);
	/* A name that is not UTF-8 would reach the report's PDF. */
	char bad[HOLDER_FILE_MAX];
	CHECK_INT(holder_format(&h[1], SURVEY, bad, sizeof(bad)), KOE_OK);
	char *nm = strstr(bad, "name: ");
	CHECK(nm != NULL);
	nm[6] = (char)0xC0; /* an overlong lead byte */
	nm[7] = (char)0x80;
	CHECK_INT(holder_parse(bad, strlen(bad), sid, &back, &msg), KOE_EINVAL);
	CHECK(strstr(msg.text, "UTF-8") != NULL);
	CHECK_INT(holder_parse("koe-holder: 1\nsurvey: x\n", 24, sid, &back, &msg),
	          KOE_EINVAL);
}

static void
passphrase_rules(void)
{
	uint8_t x[SEAL_SK_BYTES];
	struct seal_kdf k;
	seal_kdf_new(&k);
	CHECK_INT(seal_holder_secret("short", 5, &k, x), KOE_EINVAL);
	k.mem = 1024;
	CHECK_INT(seal_holder_secret("long enough passphrase", 22, &k, x), KOE_EINVAL);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 2;
	RUN(setup);
	RUN(every_holder_together_opens_and_no_single_one_does);
	RUN(altered_or_moved_box_does_not_open);
	RUN(server_key_keeps_no_secret_and_boxes_differ);
	RUN(proof_binds_survey_name_and_secret);
	RUN(holder_file_roundtrips_and_rejects_damage);
	RUN(passphrase_rules);
	return harness_done();
}
