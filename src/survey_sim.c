/* survey_simulate: the demo's simulated employees (docs/ARCHITECTURE.md
 * §2): each does what the page does, over real HTTP with real blinded
 * tokens, and answers believably for their department and tenure. The
 * answers are deterministic per person, so every demo tells the same story
 * (tests/cli/demo.sh pins it). */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "koe/emp.h"
#include "koe/survey.h"

static uint64_t
rng_next(struct survey_rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

double
survey_rng_unit(struct survey_rng *r)
{
	return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

static double
rng_normal(struct survey_rng *r)
{
	double u = survey_rng_unit(r), v = survey_rng_unit(r);
	if (u < 1e-12)
		u = 1e-12;
	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

/* The employee's leaning on each scale, 1..5 in the favorable direction. */
static double
scale_mean(const char *scale, const struct survey_sim_person *p)
{
	double m = 3.4;
	bool support = strcmp(scale, "support") == 0, rejoin = strcmp(scale, "rejoin") == 0,
	     morale = strcmp(scale, "morale") == 0, offb = strcmp(scale, "offboarding") == 0;
	if (support)
		m = 3.75 + (strcmp(p->dept, "人事部") == 0 ? 0.4 : 0) -
		    (strcmp(p->tenure, "10年以上") == 0 ? 0.5 : 0);
	else if (rejoin)
		m = 2.9 + (strcmp(p->tenure, "1-3年") == 0 ? 1.0 : 0) -
		    (strcmp(p->tenure, "10年以上") == 0 ? 0.5 : 0);
	else if (morale)
		m = 3.5 - (strcmp(p->dept, "カスタマーサポート") == 0 ? 1.4 : 0);
	else if (offb)
		m = 3.3 - (strcmp(p->dept, "カスタマーサポート") == 0 ? 0.7 : 0);
	return m;
}

/* How the second wave (after the launch) differs: support has grown,
 * most among the veterans who doubted it; the support centre's morale has
 * recovered a little (still the hot spot); leaving feels better handled. */
static double
wave_shift(const char *scale, const struct survey_sim_person *p, int wave)
{
	if (wave == 0)
		return 0;
	if (strcmp(scale, "support") == 0)
		return 0.45 + (strcmp(p->tenure, "10年以上") == 0 ? 0.3 : 0);
	if (strcmp(scale, "morale") == 0)
		return strcmp(p->dept, "カスタマーサポート") == 0 ? 0.4 : 0.05;
	if (strcmp(scale, "offboarding") == 0)
		return 0.3;
	return 0;
}

static int
clamp(long v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : (int)v;
}

static const char *const comments_support[] = {
	"辞めた人とつながり続けられるのは良いことだと思います。優秀な人が戻ってきやすくなるとよいです。",
	"退職者との協業は、新しい事業のきっかけになりそうで期待しています。",
	"アルムナイの知見を社内勉強会で共有してもらえると嬉しいです。",
	"前向きな制度だと思います。退職の伝え方がもっとオープンになれば良いと思います。",
};
static const char *const comments_morale[] = {
	"残って頑張っている社員より、戻ってきた人の待遇が良くなるなら納得できません。",
	"現場の人手不足が続いているので、まず今いる社員の負担を減らしてほしいです。",
	"辞めても戻れるなら、辞める人が増えるのではと心配です。",
	"退職者を通じて顧客情報が漏れないか不安です。ルールを明確にしてください。",
};
static const char *const comments_neutral[] = {
	"制度の目的と、再雇用の条件をはっきり示してほしいです。",
	"イベントよりも、業務委託などの具体的な機会があると良いと思います。",
};

/* The qn_has_fn of the answers built so far (a JSON object): what the page
 * evaluates [[ShowIf]] on, so a simulated employee is shown what a real
 * one would be. */
struct sim_answers {
	const struct qn_survey *q;
	const json_t *a;
};

static bool
sim_has(const void *ctx, size_t item, int lo, int hi)
{
	const struct sim_answers *sa = ctx;
	const json_t *v = json_object_get(sa->a, sa->q->items[item].key);
	size_t i;
	json_t *e;

	if (json_is_integer(v))
		return json_integer_value(v) >= lo && json_integer_value(v) <= hi;
	json_array_foreach(v, i, e)
		if (json_integer_value(e) >= lo && json_integer_value(e) <= hi)
			return true;
	return false;
}

/* Builds a believable answer set for one person as JSON text. */
static char *
answers_for(const struct qn_survey *q, const struct survey_sim_person *p, int wave,
            struct survey_rng *r)
{
	json_t *a = json_object();
	double indiv[16] = {0};
	double morale_mu = 0;
	char *text;
	bool skip_offboarding = survey_rng_unit(r) < 0.2;

	for (size_t s = 0; s < q->nscales && s < 16; s++)
		indiv[s] = 0.55 * rng_normal(r);
	struct sim_answers sa = {q, a};
	for (size_t i = 0; i < q->nitems; i++) {
		const struct qn_item *it = &q->items[i];
		const struct qn_question *qq = &q->questions[it->question];
		if (!qn_question_shown(q, it->question, sim_has, &sa))
			continue; /* hidden by its [[ShowIf]]: never answered */
		if (strcmp(it->key, "saw_leave") == 0 && qq->nchoices >= 2) {
			/* One in five has not seen a colleague leave, and so is not
			 * asked about the offboarding battery. */
			json_object_set_new(a, it->key,
			                    json_integer(qq->choices[skip_offboarding ? 1 : 0].recode));
		} else if (it->kind == QN_ITEM_LIKERT && it->scale >= 0) {
			const char *sname = q->scales[it->scale].name;
			double mu = scale_mean(sname, p) + wave_shift(sname, p, wave) + indiv[it->scale];
			if (strcmp(sname, "morale") == 0)
				morale_mu = mu;
			long x = lround(mu + 0.7 * rng_normal(r));
			int v = clamp(x, 1, it->npoints);
			if (it->reverse)
				v = it->npoints + 1 - v;
			json_object_set_new(a, it->key, json_integer(v));
		} else if (it->kind == QN_ITEM_NPS) {
			double base = morale_mu ? morale_mu : 3.4;
			json_object_set_new(a, it->key,
			                    json_integer(clamp(lround(2.1 * base - 0.3 + 1.6 * rng_normal(r)),
			                                       0, 10)));
		} else if (it->kind == QN_ITEM_CHOICE) {
			/* Low morale leans to "should not be rehired" or "same
			 * standards"; others to judging experience gained. */
			double u = survey_rng_unit(r);
			size_t pick = morale_mu && morale_mu < 2.8
			                      ? (u < 0.35 ? 4 : u < 0.75 ? 2 : u < 0.9 ? 3 : 5)
			                      : (u < 0.35 ? 1 : u < 0.65 ? 2 : u < 0.8 ? 3 : u < 0.88 ? 0 : 5);
			if (pick >= qq->nchoices)
				pick = qq->nchoices - 1;
			json_object_set_new(a, it->key, json_integer(qq->choices[pick].recode));
		} else if (it->kind == QN_ITEM_MULTI) {
			json_t *list = json_array();
			static const double prob[] = {0.45, 0.55, 0.5, 0.35, 0.3, 0.25, 0.3};
			if (survey_rng_unit(r) < 0.08 && qq->nchoices > 0) {
				json_array_append_new(list, json_integer(qq->choices[qq->nchoices - 1].recode));
			} else {
				for (size_t c = 0; c + 1 < qq->nchoices && c < 7; c++)
					if (survey_rng_unit(r) < prob[c])
						json_array_append_new(list, json_integer(qq->choices[c].recode));
			}
			if (json_array_size(list) || it->required)
				json_object_set_new(a, it->key, list);
			else
				json_decref(list);
		} else if (it->kind == QN_ITEM_TEXT) {
			if (survey_rng_unit(r) > 0.35)
				continue;
			const char *const *pool = comments_neutral;
			size_t n = 2;
			if (morale_mu && morale_mu < 2.8) {
				pool = comments_morale;
				n = 4;
			} else if (survey_rng_unit(r) < 0.6) {
				pool = comments_support;
				n = 4;
			}
			json_object_set_new(a, it->key, json_string(pool[rng_next(r) % n]));
		}
	}
	text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return text;
}

struct sim {
	const struct survey_sim_req *req;
	uint8_t pk[32];
	atomic_size_t next;
	atomic_size_t answered, opened_only, failed;
};

static void *
employee_worker(void *arg)
{
	struct sim *sim = arg;
	const struct survey_sim_req *req = sim->req;
	const char *id = req->survey->id;
	struct httpc c;

	if (httpc_init(&c, "127.0.0.1", req->port) != KOE_OK)
		return NULL;
	for (;;) {
		size_t i = atomic_fetch_add(&sim->next, 1);
		struct emp_token t;
		/* Another wave, other answers from the same people. */
		struct survey_rng r = {.s = 0x9E3779B97F4A7C15ULL * (i + 1) +
		                            (uint64_t)req->wave * 0xD1B54A32D192ED03ULL};
		int status = 0;
		char receipt[65], *answers;

		if (i >= req->n)
			break;
		if (req->people[i].answers == 0)
			continue;
		if (emp_fetch_token(&c, id, sim->pk, req->codes[i], &t, &status) != KOE_OK) {
			atomic_fetch_add(&sim->failed, 1);
			continue;
		}
		if (req->people[i].answers == 1) {
			atomic_fetch_add(&sim->opened_only, 1);
			continue;
		}
		answers = answers_for(req->survey, &req->people[i], req->wave, &r);
		if (answers && emp_submit(&c, id, &t, answers, &status, receipt) == KOE_OK)
			atomic_fetch_add(&sim->answered, 1);
		else
			atomic_fetch_add(&sim->failed, 1);
		free(answers);
		size_t done = atomic_load(&sim->next);
		if (req->progress)
			req->progress(req->ctx, done < req->n ? done : req->n, req->n);
	}
	httpc_close(&c);
	return NULL;
}

#define SIM_THREADS_MAX 64

enum koe_err
survey_simulate(const struct survey_sim_req *req, struct survey_sim_result *res,
                struct koe_msg *msg)
{
	struct sim sim = {.req = req};
	pthread_t th[SIM_THREADS_MAX];
	int nth = req->threads < 1 ? 1 : req->threads > SIM_THREADS_MAX ? SIM_THREADS_MAX
	                                                                  : req->threads;
	int started = 0;
	struct httpc hc;

	memset(res, 0, sizeof(*res));
	if (httpc_init(&hc, "127.0.0.1", req->port) != KOE_OK ||
	    emp_public_key(&hc, req->survey->id, sim.pk) != KOE_OK) {
		httpc_close(&hc);
		return koe_msg_set(msg, KOE_EIO, "the server does not answer");
	}
	httpc_close(&hc);
	for (int t = 0; t < nth; t++)
		if (pthread_create(&th[started], NULL, employee_worker, &sim) == 0)
			started++;
	for (int t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	if (started == 0)
		return koe_msg_set(msg, KOE_ENOMEM, "cannot start the simulated employees");
	res->answered = atomic_load(&sim.answered);
	res->opened_only = atomic_load(&sim.opened_only);
	res->failed = atomic_load(&sim.failed);
	return KOE_OK;
}
