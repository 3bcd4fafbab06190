#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "koe/err.h"

void
koe_assert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "koe: internal error at %s:%d: %s\n", file, line, expr);
	abort();
}

const char *
koe_strerror(enum koe_err err)
{
	switch (err) {
	case KOE_OK:        return "success";
	case KOE_ENOMEM:    return "out of memory";
	case KOE_EINVAL:    return "invalid input";
	case KOE_ETOOBIG:   return "input too large";
	case KOE_EIO:       return "input/output error";
	case KOE_EPERM:     return "unsafe file permissions";
	case KOE_ENOTFOUND: return "not found";
	case KOE_EEXIST:    return "already exists";
	case KOE_EVERIFY:   return "verification failed";
	case KOE_ECRYPTO:   return "invalid group element";
	case KOE_EENCODING: return "invalid text encoding";
	case KOE_EDB:       return "database error";
	case KOE_ESTATE:    return "not allowed in the current state";
	}
	return "unknown error";
}

enum koe_err
koe_msg_set(struct koe_msg *m, enum koe_err err, const char *fmt, ...)
{
	va_list ap;

	if (m == NULL)
		return err;
	va_start(ap, fmt);
	vsnprintf(m->text, sizeof(m->text), fmt, ap);
	va_end(ap);
	return err;
}
