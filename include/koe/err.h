/* koe — error values shared by every module.
 *
 * Bad input is reported as one of these values (with a human message kept
 * elsewhere, e.g. in a koe_diags list); a broken invariant is an assert. */
#ifndef KOE_ERR_H
#define KOE_ERR_H

enum koe_err {
	KOE_OK = 0,
	KOE_ENOMEM,     /* an allocation failed */
	KOE_EINVAL,     /* input is malformed (the caller's data, not ours) */
	KOE_ETOOBIG,    /* input exceeds a hard limit */
	KOE_EIO,        /* reading or writing a file failed; errno is set */
	KOE_EPERM,      /* a file has unsafe permissions (e.g. a world-readable key) */
	KOE_ENOTFOUND,  /* the named thing does not exist */
	KOE_EEXIST,     /* the thing already exists and must not be replaced */
	KOE_EVERIFY,    /* a proof, token or MAC did not verify */
	KOE_ECRYPTO,    /* a group operation produced an invalid result (identity) */
	KOE_EENCODING,  /* text is not valid in its expected encoding */
	KOE_EDB,        /* the database reported an error */
	KOE_ESTATE,     /* the operation is not allowed in the current state */
};

/* A broken invariant is a bug, never bad input: KOE_ASSERT checks it in
 * every build (NDEBUG does not remove it), names the place on stderr and
 * aborts. */
#define KOE_ASSERT(cond) ((cond) ? (void)0 : koe_assert_fail(#cond, __FILE__, __LINE__))
_Noreturn void koe_assert_fail(const char *expr, const char *file, int line);

/* Returns a static, English, one-line description of err. Never NULL. */
const char *koe_strerror(enum koe_err err);

/* The message that goes with an enum koe_err in the library's operations
 * (include/koe/survey.h): one English sentence fragment, ready for the CLI
 * to print after "koe CMD: ". An empty text means the failure was already
 * reported (e.g. by a caller's callback). */
#define KOE_MSG_MAX 300
struct koe_msg {
	char text[KOE_MSG_MAX];
};

/* Sets m's text (truncated to fit) and returns err, so a failure reads
 * `return koe_msg_set(msg, KOE_EDB, "cannot ...: %s", why);`. m may be NULL. */
enum koe_err koe_msg_set(struct koe_msg *m, enum koe_err err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
