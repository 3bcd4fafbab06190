/* Comparing a report with an earlier survey's: reading both reports' JSON
 * into figures, matching them, the changes, and the JSON "compare" section
 * (src/report_compare_internal.h has the rules; README, "Comparing with an
 * earlier survey").
 *
 * The previous report is a file HR controls, so it is read as hostile
 * input: every field is checked for its type and range before use, and
 * anything wrong is a message naming the file and the field, never a
 * crash or a made-up figure. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report_compare_internal.h"
#include "report_internal.h"

/* The reader of one JSON document. */
struct rd {
	const char *name;
	struct koe_msg *msg;
	struct cmp_set *set;
	const char *morale; /* the morale scale's name, once read */
	bool bad;
};

static bool fail(struct rd *r, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool
fail(struct rd *r, const char *path, const char *fmt, ...)
{
	char what[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (!r->bad)
		koe_msg_set(r->msg, KOE_EINVAL, "%s: error: %s: %s", r->name, path, what);
	r->bad = true;
	return false;
}

static bool
oom(struct rd *r)
{
	if (!r->bad)
		koe_msg_set(r->msg, KOE_ENOMEM, "%s: out of memory", r->name);
	r->bad = true;
	return false;
}

/* path.key into buf. */
static const char *
sub(char *buf, size_t cap, const char *path, const char *key)
{
	/* A path cut short still names the place well enough. */
	if (snprintf(buf, cap, "%s%s%s", path, path[0] ? "." : "", key) < 0)
		buf[0] = '\0';
	return buf;
}

static const char *
idx(char *buf, size_t cap, const char *path, size_t i)
{
	if (snprintf(buf, cap, "%s[%zu]", path, i) < 0)
		buf[0] = '\0';
	return buf;
}

/* A member that must exist (or, with nullable, may be null: *out NULL). */
static bool
member(struct rd *r, json_t *obj, const char *key, const char *path, json_type type,
       bool nullable, json_t **out)
{
	static const char *const tname[] = {"an object", "an array", "a string",
	                                    "an integer", "a number", "true or false",
	                                    "true or false", "null"};
	char p[256];
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (v == NULL)
		return fail(r, sub(p, sizeof(p), path, key), "missing");
	if (nullable && json_is_null(v))
		return true;
	bool ok = type == JSON_TRUE ? json_is_boolean(v)
	          : type == JSON_REAL ? json_is_number(v)
	                              : json_typeof(v) == type;
	if (!ok)
		return fail(r, sub(p, sizeof(p), path, key), "expected %s%s", tname[type],
		            nullable ? " or null" : "");
	*out = v;
	return true;
}

static bool
get_str(struct rd *r, json_t *obj, const char *key, const char *path, bool nullable,
        const char **out)
{
	json_t *v;
	char p[256];
	*out = NULL;
	if (!member(r, obj, key, path, JSON_STRING, nullable, &v))
		return false;
	if (v == NULL)
		return true;
	if (json_string_length(v) > CMP_MAX_STRING)
		return fail(r, sub(p, sizeof(p), path, key), "longer than %d bytes", CMP_MAX_STRING);
	if ((*out = arena_strdup(&r->set->arena, json_string_value(v))) == NULL)
		return oom(r);
	return true;
}

static bool
get_num(struct rd *r, json_t *obj, const char *key, const char *path, double lo, double hi,
        double *out)
{
	json_t *v;
	char p[256];
	if (!member(r, obj, key, path, JSON_REAL, false, &v))
		return false;
	*out = json_number_value(v);
	if (!(isfinite(*out) && *out >= lo && *out <= hi))
		return fail(r, sub(p, sizeof(p), path, key), "expected a number from %g to %g", lo,
		            hi);
	return true;
}

static bool
get_count(struct rd *r, json_t *obj, const char *key, const char *path, size_t min,
          size_t *out)
{
	json_t *v;
	char p[256];
	if (!member(r, obj, key, path, JSON_INTEGER, false, &v))
		return false;
	json_int_t x = json_integer_value(v);
	if (x < (json_int_t)min || (double)x > CMP_MAX_COUNT)
		return fail(r, sub(p, sizeof(p), path, key), "expected a count from %zu to %.0f",
		            min, CMP_MAX_COUNT);
	*out = (size_t)x;
	return true;
}

static bool
get_bool(struct rd *r, json_t *obj, const char *key, const char *path, bool *out)
{
	json_t *v;
	if (!member(r, obj, key, path, JSON_TRUE, false, &v))
		return false;
	*out = json_is_true(v);
	return true;
}

/* A share {"x", "n", "p", "lo", "hi"} or null (*shown false). */
static bool
get_share(struct rd *r, json_t *obj, const char *key, const char *path, bool *shown,
          double *p, size_t *n)
{
	json_t *v;
	char q[256];
	*shown = false;
	if (!member(r, obj, key, path, JSON_OBJECT, true, &v))
		return false;
	if (v == NULL)
		return true;
	sub(q, sizeof(q), path, key);
	if (!get_num(r, v, "p", q, 0, 1, p) || !get_count(r, v, "n", q, 1, n))
		return false;
	*shown = true;
	return true;
}

/* A new figure of the set, zeroed but for what identifies it. */
static struct cmp_fig *
fig_add(struct rd *r, enum cmp_thing thing, const char *name, const char *segment,
        const char *figure, enum cmp_unit unit)
{
	struct cmp_set *s = r->set;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct cmp_fig *f;
		if (cap > CMP_MAX_FIGURES) {
			fail(r, "(report)", "more than %d figures", CMP_MAX_FIGURES);
			return NULL;
		}
		if ((f = realloc(s->f, cap * sizeof(*f))) == NULL) {
			oom(r);
			return NULL;
		}
		s->f = f;
		s->cap = cap;
	}
	struct cmp_fig *f = &s->f[s->n++];
	*f = (struct cmp_fig){.thing = thing, .name = name, .segment = segment, .figure = figure,
	                      .unit = unit, .reverse = -1, .v = NAN, .sd = NAN, .pro = NAN,
	                      .det = NAN};
	return f;
}

static bool
share_fig(struct rd *r, json_t *obj, const char *key, const char *path, struct cmp_fig *f)
{
	return f && get_share(r, obj, key, path, &f->shown, &f->v, &f->n);
}

/* ---- reading one report ------------------------------------------------ */

static bool
read_survey(struct rd *r, json_t *root, const char *this_id)
{
	json_t *sv, *resp;
	bool interim;
	size_t rounded;
	const char *state;
	if (!member(r, root, "survey", "", JSON_OBJECT, false, &sv) ||
	    !get_str(r, sv, "id", "survey", false, &r->set->id) ||
	    !get_str(r, sv, "title", "survey", true, &r->set->title) ||
	    !get_str(r, sv, "date", "survey", true, &r->set->date) ||
	    !get_str(r, sv, "state", "survey", false, &state) ||
	    !get_bool(r, sv, "interim", "survey", &interim) ||
	    !member(r, root, "responses", "", JSON_OBJECT, false, &resp) ||
	    !get_count(r, resp, "rounded_to", "responses", 1, &rounded))
		return false;
	if (this_id == NULL)
		return true;
	/* An interim report carries participation only, in steps of k: there
	 * is nothing to compare, and its counts are not exact. */
	if (interim || rounded != 1 || strcmp(state, "closed") != 0) {
		koe_msg_set(r->msg, KOE_EINVAL,
		            "%s: error: this is an interim report of survey '%s' (participation "
		            "only, made while it was open); compare with the final report made "
		            "after 'koe close'",
		            r->name, r->set->id);
		return r->bad = true, false;
	}
	/* Two releases of one survey subtract to the answers between them
	 * (include/koe/dc.h, rule 3): never compare a survey with itself. */
	if (strcmp(r->set->id, this_id) == 0) {
		koe_msg_set(r->msg, KOE_EINVAL,
		            "%s: error: this is a report of the same survey '%s'; --compare takes the "
		            "report of an earlier, different survey (two reports of one survey "
		            "must not be subtracted)",
		            r->name, this_id);
		return r->bad = true, false;
	}
	return true;
}

static const char *const role_keys[REPORT_NROLES] = {"support", "rejoin", "morale"};

static bool
read_roles(struct rd *r, json_t *root)
{
	json_t *sum, *roles, *e, *pooled;
	char p[64];
	if (!member(r, root, "summary", "", JSON_OBJECT, false, &sum) ||
	    !member(r, sum, "roles", "summary", JSON_OBJECT, false, &roles))
		return false;
	for (int k = 0; k < REPORT_NROLES; k++) {
		bool morale = k == REPORT_MORALE;
		const char *scale;
		snprintf(p, sizeof(p), "summary.roles.%s", role_keys[k]);
		if (!member(r, roles, role_keys[k], "summary.roles", JSON_OBJECT, true, &e))
			return false;
		if (e == NULL)
			continue;
		if (!get_str(r, e, "scale", p, false, &scale) ||
		    !member(r, e, "pooled", p, JSON_OBJECT, true, &pooled))
			return false;
		struct cmp_fig *f = fig_add(r, CMP_ROLE, role_keys[k], NULL,
		                            morale ? "unfavorable" : "favorable", CMP_SHARE);
		if (f == NULL)
			return false;
		f->compat = scale;
		if (pooled == NULL)
			continue;
		snprintf(p, sizeof(p), "summary.roles.%s.pooled", role_keys[k]);
		if (!get_count(r, pooled, "people", p, 1, &f->n) ||
		    !get_num(r, pooled, morale ? "unfavorable" : "favorable", p, 0, 1, &f->v))
			return false;
		f->shown = true;
	}
	return true;
}

static bool
read_scale(struct rd *r, json_t *o, const char *path)
{
	const char *name, *label, *role;
	size_t np, n;
	bool shown;
	json_t *sd;
	if (!get_str(r, o, "name", path, false, &name) ||
	    !get_str(r, o, "label", path, false, &label) ||
	    !get_str(r, o, "role", path, true, &role) ||
	    !get_count(r, o, "npoints", path, 2, &np) || !get_bool(r, o, "shown", path, &shown))
		return false;
	if (np > STATS_MAX_POINTS)
		return fail(r, path, "npoints above %d", STATS_MAX_POINTS);
	struct cmp_fig *fav = fig_add(r, CMP_SCALE, name, NULL, "favorable", CMP_SHARE);
	struct cmp_fig *mean = fav ? fig_add(r, CMP_SCALE, name, NULL, "mean", CMP_MEAN) : NULL;
	if (mean == NULL)
		return false;
	fav = mean - 1; /* fig_add may have moved the array */
	fav->label = mean->label = label;
	fav->npoints = mean->npoints = (int)np;
	if (role && strcmp(role, "morale") == 0)
		r->morale = name;
	if (!shown)
		return true;
	if (!share_fig(r, o, "favorable", path, fav) || !get_count(r, o, "n", path, 1, &n) ||
	    !get_num(r, o, "mean", path, 1, (double)np, &mean->v) ||
	    !member(r, o, "sd", path, JSON_REAL, true, &sd))
		return false;
	mean->n = n;
	mean->sd = sd ? json_number_value(sd) : NAN;
	if (sd && !(mean->sd >= 0 && mean->sd <= (double)np))
		return fail(r, path, "sd outside 0..%zu", np);
	mean->shown = sd != NULL;
	return true;
}

static bool
read_item(struct rd *r, json_t *o, const char *path)
{
	const char *key, *label, *kind;
	bool reverse, shown, nps;
	json_t *counts;
	size_t n;
	if (!get_str(r, o, "key", path, false, &key) ||
	    !get_str(r, o, "label", path, false, &label) ||
	    !get_str(r, o, "kind", path, false, &kind) ||
	    !get_bool(r, o, "reverse", path, &reverse) || !get_bool(r, o, "shown", path, &shown))
		return false;
	nps = strcmp(kind, "nps") == 0;
	if (!nps && strcmp(kind, "likert") != 0)
		return fail(r, path, "kind is neither \"likert\" nor \"nps\"");
	struct cmp_fig *a = fig_add(r, CMP_ITEM, key, NULL, nps ? "nps" : "favorable",
	                            nps ? CMP_NPS : CMP_SHARE);
	struct cmp_fig *b = a && !nps ? fig_add(r, CMP_ITEM, key, NULL, "mean", CMP_MEAN) : a;
	if (b == NULL)
		return false;
	a = nps ? b : b - 1;
	a->label = b->label = label;
	a->compat = b->compat = kind;
	a->reverse = b->reverse = reverse;
	if (!shown)
		return true;
	if (!member(r, o, "counts", path, JSON_ARRAY, false, &counts) ||
	    !get_count(r, o, "n", path, 1, &n))
		return false;
	size_t np = json_array_size(counts);
	if (np < 2 || np > STATS_MAX_POINTS || (nps && np != 11))
		return fail(r, path, "counts has %zu entries", np);
	a->npoints = b->npoints = (int)np;
	if (nps) {
		bool s1, s2;
		size_t n1, n2;
		if (!get_share(r, o, "favorable", path, &s1, &a->pro, &n1) ||
		    !get_share(r, o, "unfavorable", path, &s2, &a->det, &n2))
			return false;
		if (s1 != s2 || (s1 && (n1 != n || n2 != n || a->pro + a->det > 1 + 1e-6)))
			return fail(r, path, "promoters and detractors do not fit together");
		a->n = n;
		a->shown = s1;
		a->v = 100 * (a->pro - a->det);
		return true;
	}
	json_t *sd;
	if (!share_fig(r, o, "favorable", path, a) ||
	    !get_num(r, o, "mean", path, 1, (double)np, &b->v) ||
	    !member(r, o, "sd", path, JSON_REAL, true, &sd))
		return false;
	b->n = n;
	b->sd = sd ? json_number_value(sd) : NAN;
	if (sd && !(b->sd >= 0 && b->sd <= (double)np))
		return fail(r, path, "sd outside 0..%zu", np);
	b->shown = sd != NULL;
	return true;
}

static bool
read_choice(struct rd *r, json_t *o, const char *path)
{
	const char *key, *label;
	bool shown;
	json_t *opts;
	char p[256], q[256];
	if (!get_str(r, o, "key", path, false, &key) ||
	    !get_str(r, o, "label", path, false, &label) || !get_bool(r, o, "shown", path, &shown) ||
	    !member(r, o, "options", path, JSON_ARRAY, false, &opts))
		return false;
	if (!shown) {
		/* A hidden choice lists no options: one figure stands for all. */
		struct cmp_fig *f = fig_add(r, CMP_CHOICE, key, NULL, "share", CMP_SHARE);
		if (f)
			f->label = label;
		return f != NULL;
	}
	for (size_t i = 0; i < json_array_size(opts); i++) {
		json_t *e = json_array_get(opts, i), *val;
		struct cmp_fig *f;
		idx(p, sizeof(p), sub(q, sizeof(q), path, "options"), i);
		if (!json_is_object(e))
			return fail(r, p, "expected an object");
		if (!member(r, e, "value", p, JSON_INTEGER, false, &val) ||
		    (f = fig_add(r, CMP_CHOICE, key, NULL, "share", CMP_SHARE)) == NULL ||
		    !get_str(r, e, "label", p, false, &f->sublabel) || !share_fig(r, e, "share", p, f))
			return false;
		f->label = label;
		f->has_option = true;
		f->option = json_integer_value(val);
	}
	return true;
}

static bool
group_add(struct rd *r, const char *label, bool shown)
{
	struct cmp_set *s = r->set;
	if (s->ng == s->gcap) {
		size_t cap = s->gcap ? 2 * s->gcap : 32;
		struct cmp_group *g;
		if (cap > CMP_MAX_GROUPS)
			return fail(r, "segments", "more than %d groups", CMP_MAX_GROUPS);
		if ((g = realloc(s->g, cap * sizeof(*g))) == NULL)
			return oom(r);
		s->g = g;
		s->gcap = cap;
	}
	s->g[s->ng++] = (struct cmp_group){.label = label, .shown = shown};
	return true;
}

static bool
read_segment(struct rd *r, json_t *o, const char *path)
{
	const char *label;
	bool shown;
	json_t *sa;
	char p[256], q[256];
	if (!get_str(r, o, "label", path, false, &label) || !get_bool(r, o, "shown", path, &shown) ||
	    !group_add(r, label, shown))
		return false;
	if (!shown)
		return true;
	struct cmp_fig *f = fig_add(r, CMP_GROUP_RATE, NULL, label, "rate", CMP_SHARE);
	if (!share_fig(r, o, "rate", path, f) ||
	    !member(r, o, "scales", path, JSON_ARRAY, false, &sa))
		return false;
	for (size_t i = 0; i < json_array_size(sa); i++) {
		json_t *e = json_array_get(sa, i), *pooled;
		const char *scale;
		bool sshown;
		idx(p, sizeof(p), sub(q, sizeof(q), path, "scales"), i);
		if (!json_is_object(e))
			return fail(r, p, "expected an object");
		if (!get_str(r, e, "scale", p, false, &scale) || !get_bool(r, e, "shown", p, &sshown))
			return false;
		/* The heatmap's cell: favorable, or for morale the risk. */
		bool morale = r->morale && strcmp(r->morale, scale) == 0;
		const char *which = morale ? "unfavorable" : "favorable";
		if ((f = fig_add(r, CMP_GROUP_SCALE, scale, label, which, CMP_SHARE)) == NULL)
			return false;
		if (!sshown)
			continue;
		if (!member(r, e, "pooled", p, JSON_OBJECT, true, &pooled))
			return false;
		if (pooled == NULL)
			continue;
		sub(q, sizeof(q), p, "pooled");
		if (!get_count(r, pooled, "people", q, 1, &f->n) ||
		    !get_num(r, pooled, which, q, 0, 1, &f->v))
			return false;
		f->shown = true;
	}
	return true;
}

/* Calls each(r, element, path) for every element of root[key], an array of
 * objects. */
static bool
each(struct rd *r, json_t *root, const char *key,
     bool (*fn)(struct rd *, json_t *, const char *))
{
	json_t *a;
	char p[64];
	if (!member(r, root, key, "", JSON_ARRAY, false, &a))
		return false;
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *o = json_array_get(a, i);
		idx(p, sizeof(p), key, i);
		if (!json_is_object(o))
			return fail(r, p, "expected an object");
		if (!fn(r, o, p))
			return false;
	}
	return true;
}

static enum koe_err
set_read(const char *text, size_t len, const char *name, const char *this_id,
         struct cmp_set *set, struct koe_msg *msg)
{
	struct rd r = {.name = name, .msg = msg, .set = set};
	json_error_t jerr;
	json_t *root, *schema, *resp;

	memset(set, 0, sizeof(*set));
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		koe_msg_set(msg, KOE_EINVAL, "%s:%d:%d: error: not a report's JSON: %s", name,
		            jerr.line, jerr.column, jerr.text);
		return KOE_EINVAL;
	}
	if (!json_is_object(root)) {
		fail(&r, "(top)", "expected an object (the output of 'koe report --json')");
	} else if (member(&r, root, "schema", "", JSON_STRING, false, &schema) &&
	           strcmp(json_string_value(schema), "koe-report/1") != 0) {
		fail(&r, "schema", "\"%.40s\" is not \"koe-report/1\"", json_string_value(schema));
	} else if (!r.bad && read_survey(&r, root, this_id) &&
	           member(&r, root, "responses", "", JSON_OBJECT, false, &resp) &&
	           share_fig(&r, resp, "rate", "responses",
	                     fig_add(&r, CMP_RATE, NULL, NULL, "rate", CMP_SHARE))) {
		(void)(read_roles(&r, root) && each(&r, root, "scales", read_scale) &&
		       each(&r, root, "items", read_item) && each(&r, root, "choices", read_choice) &&
		       each(&r, root, "segments", read_segment));
	}
	json_decref(root);
	if (!r.bad)
		return KOE_OK;
	cmp_set_free(set);
	return strstr(msg->text, "out of memory") ? KOE_ENOMEM : KOE_EINVAL;
}

enum koe_err
cmp_set_read(const char *text, size_t len, const char *name, struct cmp_set *set,
             struct koe_msg *msg)
{
	return set_read(text, len, name, NULL, set, msg);
}

void
cmp_set_free(struct cmp_set *set)
{
	free(set->f);
	free(set->g);
	arena_free(&set->arena);
	memset(set, 0, sizeof(*set));
}

enum koe_err
report_prev_read(const char *text, size_t len, const char *name, const char *this_id,
                 struct report_prev **out, struct koe_msg *msg)
{
	struct report_prev *p = calloc(1, sizeof(*p));
	enum koe_err err;
	*out = NULL;
	if (p == NULL)
		return koe_msg_set(msg, KOE_ENOMEM, "%s: out of memory", name);
	if ((err = set_read(text, len, name, this_id, &p->set, msg)) != KOE_OK) {
		free(p);
		return err;
	}
	*out = p;
	return KOE_OK;
}

void
report_prev_free(struct report_prev *p)
{
	if (p == NULL)
		return;
	cmp_set_free(&p->set);
	free(p);
}
