/* The report as an A4 PDF, in the reading order of docs/ARCHITECTURE.md §8: a summary
 * page, the support / rejoin / morale sections (and the other questions),
 * the segment heatmap, the drivers of support, the comments, and method and
 * anonymity. The only code that calls libharu, with report_draw.c and
 * report_pdf_*.c.
 *
 * Reproducibility: libharu writes no document ID without encryption and
 * numbers font subsets deterministically ("HPDFAA+"); the dates come from
 * opt.epoch and the comment order from a keyed hash, so the bytes depend on
 * the data and the epoch only. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "koe/util.h"
#include "report_pdf_internal.h"

static const char *
survey_title(const struct report *r)
{
	return r->en && r->s->title_en ? r->s->title_en : r->s->title;
}

/* "1 " + title, numbering the sections actually printed. */
static void
section(struct px *p, int *no, const char *title)
{
	char buf[600];
	snprintf(buf, sizeof(buf), "%d  %s", ++*no, title);
	px_section(p, buf);
}

const char *
px_hidden_k(const struct report *r, char *buf, size_t cap)
{
	snprintf(buf, cap,
	         r->en ? "Not shown: fewer than %d people answered."
	               : "回答者が %d 人未満のため表示しません。",
	         r->s->min_group);
	return buf;
}

/* ---- Summary page ---------------------------------------------------- */

struct kpi {
	const char *label;
	char label_buf[200];
	char value[32];
	char sub[160];
	char reading[700];
	char reading_short[700]; /* used when reading needs more than 4 lines */
	bool gauge;
	bool bad; /* a larger value is worse: the bar is red */
	bool plain; /* no colour judgement: the bar is grey-blue */
	bool stack; /* a favorable / neutral / unfavorable bar */
	bool stack_unfav; /* the interval is the unfavorable share's */
	double fav, neutral, unfav;
	double v, lo, hi, min, max, mark; /* gauge scale and reference mark */
	int kpi; /* which card, for the change since an earlier survey */
};

static void
card(struct px *p, const struct kpi *k)
{
	const float gx = PX_ML + 168, gw = 118, rx = PX_ML + 300, rw = PX_CW - 300 - 10;
	float top, h = 66;
	size_t nl = px_wrap(p, k->reading, rw, 9);
	if (nl > 6 && k->reading_short[0])
		nl = px_wrap(p, k->reading_short, rw, 9);
	if (nl > 6)
		nl = 6;
	if ((float)nl * 13 + 14 > h)
		h = (float)nl * 13 + 14;

	px_need(p, h + 8);
	top = p->y;
	px_rect(p, PX_ML, top - h, PX_CW, h, PX_CARD);
	px_rect(p, PX_ML, top - h, 3, h, PX_ACCENT);
	px_text(p, PX_ML + 12, top - 15, 8.5f, PX_GREY, false, k->label);
	px_text(p, PX_ML + 12, top - 40, 22, PX_ACCENT, true, k->value);
	px_compare_card(p, k->kpi, PX_ML + 20 + px_width(p, k->value, 22), top);
	px_wrap(p, k->sub, 150, 7);
	px_draw_wrapped(p, PX_ML + 12, top - 52, 7, 8.5f, PX_GREY, false, 2);
	if (k->stack) {
		float y = top - 33 - 3, x0 = gx;
		const struct px_rgb col[3] = {PX_FAV2, PX_NEUTRAL, PX_UNFAV2};
		const double part[3] = {k->fav, k->neutral, k->unfav};
		char a[32], b[32];
		for (int i = 0; i < 3; i++) {
			float w = (float)part[i] * gw;
			if (isfinite(w) && w > 0)
				px_rect(p, x0, y, w, 7, col[i]);
			x0 += isfinite(w) ? w : 0;
		}
		if (isfinite(k->lo) && isfinite(k->hi)) {
			/* Favorable grows from the left, unfavorable from the
			 * right: the interval is drawn where its share ends. */
			float l = k->stack_unfav ? gx + gw - (float)k->hi * gw : gx + (float)k->lo * gw;
			float rr = k->stack_unfav ? gx + gw - (float)k->lo * gw : gx + (float)k->hi * gw;
			px_hline(p, l, rr, y + 3.5f, 0.9f, PX_ACCENT);
			px_vline(p, l, y, y + 7, 0.9f, PX_ACCENT);
			px_vline(p, rr, y, y + 7, 0.9f, PX_ACCENT);
		}
		snprintf(b, sizeof(b), "%s %s", REPORT_TR(p->r, "肯定的", "favorable"),
		         px_pct(a, sizeof(a), k->fav));
		px_text(p, gx, y - 10, 6, PX_GREY, false, b);
		snprintf(b, sizeof(b), "%s %s", REPORT_TR(p->r, "否定的", "unfavorable"),
		         px_pct(a, sizeof(a), k->unfav));
		px_text_right(p, gx + gw, y - 10, 6, PX_GREY, false, b);
	} else if (k->gauge) {
		float y = top - 33 - 3;
		bool nps = k->min < 0;
#define GX(v) (gx + (float)(((v) - k->min) / (k->max - k->min)) * gw)
		px_rect(p, gx, y, gw, 7, PX_LIGHT);
		px_rect(p, GX(fmin(k->v, k->mark)), y, GX(fmax(k->v, k->mark)) - GX(fmin(k->v, k->mark)),
		        7, k->plain ? PX_NEUTRAL : k->bad || k->v < k->mark ? PX_UNFAV2 : PX_FAV2);
		if (isfinite(k->lo) && isfinite(k->hi)) {
			px_hline(p, GX(k->lo), GX(k->hi), y + 3.5f, 0.9f, PX_ACCENT);
			px_vline(p, GX(k->lo), y, y + 7, 0.9f, PX_ACCENT);
			px_vline(p, GX(k->hi), y, y + 7, 0.9f, PX_ACCENT);
		}
		px_text(p, gx, y - 10, 6, PX_GREY, false, nps ? "-100" : "0%");
		px_text_right(p, gx + gw, y - 10, 6, PX_GREY, false, nps ? "+100" : "100%");
		if (k->mark > k->min && k->mark < k->max) {
			/* The reference: a majority, or as many promoters as
			 * detractors. */
			px_vline(p, GX(k->mark), y - 3, y + 10, 0.6f, PX_GREY);
			px_text_center(p, GX(k->mark), y - 10, 6, PX_GREY, false, nps ? "0" : "50%");
		}
#undef GX
	}
	nl = px_wrap(p, k->reading, rw, 9);
	if (nl > 6 && k->reading_short[0])
		nl = px_wrap(p, k->reading_short, rw, 9);
	if (nl > 6)
		nl = 6;
	px_draw_wrapped(p, rx, top - h / 2 + ((float)nl - 1) * 6.5f - 3, 9, 13, PX_TEXT, false, 6);
	/* With a comparison, page 1 holds its largest changes too. */
	p->y -= h + (p->r->cmp ? 3 : 8);
}

static void
kpi_missing(const struct report *r, struct kpi *k, bool exists)
{
	snprintf(k->value, sizeof(k->value), "—");
	if (exists)
		px_hidden_k(r, k->reading, sizeof(k->reading));
	else
		snprintf(k->reading, sizeof(k->reading), "%s",
		         REPORT_TR(r, "調査票にこの項目の尺度がありません。",
		                   "The questionnaire has no scale for this."));
}

static void
kpi_prop(struct kpi *k, const struct report *r, const struct stats_prop *pr)
{
	char ci[64];
	px_pct(k->value, sizeof(k->value), pr->p);
	snprintf(k->sub, sizeof(k->sub), "%s · n = %zu", px_ci_pct(r, ci, sizeof(ci), pr->lo, pr->hi),
	         pr->n);
	k->gauge = true;
	k->v = pr->p;
	k->lo = pr->lo;
	k->hi = pr->hi;
	k->min = 0;
	k->max = 1;
	k->mark = 0.5;
}

static void
kpi_response(const struct report *r, struct kpi *k)
{
	const struct stats_prop *pr = &r->response;
	char ci[64];
	k->label = REPORT_TR(r, "回答率", "Response rate");
	if (!report_prop_ok(pr)) {
		snprintf(k->value, sizeof(k->value), "%s", r->nresp_text);
		snprintf(k->reading, sizeof(k->reading),
		         r->en ? "%s responses; %lld people were invited."
		               : "回答 %s 件（招待 %lld 人）。",
		         r->nresp_text, (long long)r->rec->invited);
		return;
	}
	kpi_prop(k, r, pr);
	snprintf(k->sub, sizeof(k->sub), r->en ? "%s of %zu invited · %s" : "%s / %zu 人 · %s",
	         r->nresp_text, pr->n, px_ci_pct(r, ci, sizeof(ci), pr->lo, pr->hi));
	if (r->rounded)
		snprintf(k->reading, sizeof(k->reading),
		         r->en ? "At least this share: while the survey is open, counts are rounded "
		                 "down to steps of %d."
		               : "少なくともこの割合です。調査の実施中は、回答数を %d 人単位で切り捨てて"
		                 "表示します。",
		         r->s->min_group);
	else {
		/* A figure, not a verdict: who did not answer is stated, and
		 * the reweighting check is not done yet. */
		char pct[32];
		long long missing = (long long)pr->n - (long long)pr->x;
		snprintf(k->reading, sizeof(k->reading),
		         r->en ? "%zu of the %zu people invited answered (%s). The views of the %lld "
		                 "who did not are not in these results."
		               : "招待した %zu 人のうち %zu 人が回答しました（%s）。回答しなかった %lld 人の"
		                 "意見はこの結果に含まれていません。",
		         r->en ? pr->x : pr->n, r->en ? pr->n : pr->x, px_pct(pct, sizeof(pct), pr->p),
		         missing);
		/* The reweighting check: the three figures weighted to the
		 * invited headcount of each group, stated with the largest
		 * change (README, "Who answered"). */
		double maxd = -1;
		bool all = true;
		for (int role = 0; role < REPORT_NROLES; role++) {
			int si = r->role_scale[role];
			if (si < 0)
				continue;
			const struct stats_pooled *pl = &r->st->pooled[si];
			if (!isfinite(r->reweighted[role]) || pl->status != STATS_OK) {
				all = false;
				continue;
			}
			maxd = fmax(maxd, fabs(r->reweighted[role] - report_role_share(role, pl)));
		}
		if (all && maxd >= 0 && r->nsegs > 1) {
			size_t len = strlen(k->reading);
			snprintf(k->reading + len, sizeof(k->reading) - len,
			         r->en ? " Weighted to each group's invitations, the figures below change "
			                 "by at most %.1f points."
			               : "グループごとの招待数に合わせて重み付けし直しても、下の数値の変化は最大 %.1f "
			                 "ポイントです。",
			         maxd * 100);
		}
	}
}

/* "「…」: 肯定的 58%・否定的 8%" for a role's direct item, or "". */
static void
direct_line(const struct report *r, long j, char *buf, size_t cap)
{
	char a[32], b[32];
	buf[0] = '\0';
	if (j < 0)
		return;
	const struct stats_item *it = &r->st->items[j];
	if (it->shown != STATS_SHOWN || !report_prop_ok(&it->fav))
		return;
	snprintf(buf, cap,
	         r->en ? " Asked directly, \"%s\": %s favorable, %s unfavorable."
	               : "直接の設問「%s」には肯定的 %s、否定的 %s。",
	         r->item_label[r->stats_to_item[j]], px_pct(a, sizeof(a), it->fav.p),
	         px_pct(b, sizeof(b), it->unfav.p));
}

/* A role's card: pooled item-level shares of its scale (README, page 1). */
static void
kpi_role(const struct report *r, struct kpi *k, enum report_role role)
{
	static const char *const ja[] = {"制度への支持", "再入社意向", "職場の士気"};
	static const char *const en[] = {"Support for the program", "Willingness to return",
	                                 "Morale"};
	int si = r->role_scale[role];
	const struct stats_pooled *pl = si >= 0 ? &r->st->pooled[si] : NULL;
	char a[32], b[32], ci[64], direct[700];
	k->label = si >= 0 ? r->scale_label[si] : REPORT_TR(r, ja[role], en[role]);
	if (pl == NULL || pl->shown != STATS_SHOWN || pl->status != STATS_OK) {
		kpi_missing(r, k, pl != NULL);
		return;
	}
	bool unf = role == REPORT_MORALE;
	double v = unf ? pl->unfav : pl->fav, lo = unf ? pl->unfav_lo : pl->fav_lo,
	       hi = unf ? pl->unfav_hi : pl->fav_hi;
	px_pct(k->value, sizeof(k->value), v);
	snprintf(k->sub, sizeof(k->sub), r->en ? "%s · %zu items · n = %zu" : "%s · %zu 項目 · n = %zu",
	         px_ci_pct(r, ci, sizeof(ci), lo, hi), pl->nitems, pl->people);
	snprintf(k->label_buf, sizeof(k->label_buf), r->en ? "%s (%s answers)" : "%s（%sな回答）",
	         k->label, unf ? REPORT_TR(r, "否定的", "unfavorable") : REPORT_TR(r, "肯定的", "favorable"));
	k->label = k->label_buf;
	k->stack = true;
	k->stack_unfav = unf;
	k->fav = pl->fav;
	k->neutral = pl->neutral;
	k->unfav = pl->unfav;
	k->lo = lo;
	k->hi = hi;
	px_pct(a, sizeof(a), pl->fav);
	px_pct(b, sizeof(b), pl->unfav);
	direct_line(r, r->direct[role], direct, sizeof(direct));
	switch (role) {
	case REPORT_SUPPORT: {
		const char *verdict =
			lo > 0.5   ? REPORT_TR(r, "肯定的な回答が過半数です。", "a majority.")
			: hi < 0.5 ? REPORT_TR(r, "肯定的な回答は過半数に届いていません。",
			                       "short of a majority.")
			           : REPORT_TR(r, "肯定的な回答が過半数かどうかは誤差の範囲です。",
			                       "too close to call a majority.");
		if (r->en)
			snprintf(k->reading, sizeof(k->reading),
			         "%s of the answers to the %zu support items are favorable and %s "
			         "unfavorable: %s%s",
			         a, pl->nitems, b, verdict, direct);
		else
			snprintf(k->reading, sizeof(k->reading),
			         "支持の %zu 項目への回答の %s が肯定的、%s が否定的です。%s%s", pl->nitems, a,
			         b, verdict, direct);
		break;
	}
	case REPORT_REJOIN:
		snprintf(k->reading, sizeof(k->reading),
		         r->en ? "%s of the answers about returning or staying in touch after leaving "
		                 "are favorable, %s unfavorable.%s"
		               : "退職後の再入社やつながりについての回答の %s が肯定的、%s が否定的です。%s",
		         a, b, direct);
		break;
	default:
		snprintf(k->reading, sizeof(k->reading),
		         r->en ? "%s of the answers about the program's effect on the workplace are "
		                 "unfavorable (motivation or fairness at risk), %s favorable.%s"
		               : "制度が職場に与える影響についての回答の %s が否定的（意欲や公平感が損なわれる"
		                 "おそれ）、%s が肯定的です。%s",
		         b, a, direct);
		break;
	}
}

static void
kpi_support(const struct report *r, struct kpi *k)
{
	kpi_role(r, k, REPORT_SUPPORT);
}

static void
kpi_rejoin(const struct report *r, struct kpi *k)
{
	kpi_role(r, k, REPORT_REJOIN);
}

static void
kpi_morale(const struct report *r, struct kpi *k)
{
	kpi_role(r, k, REPORT_MORALE);
}

static void
kpi_enps(const struct report *r, struct kpi *k)
{
	const struct stats_item *it = r->enps >= 0 ? &r->st->items[r->enps] : NULL;
	char a[32], b[32], pp[32], dd[32];
	k->label = "eNPS";
	if (it == NULL || it->shown != STATS_SHOWN || it->n == 0) {
		kpi_missing(r, k, it != NULL);
		if (it == NULL)
			snprintf(k->reading, sizeof(k->reading), "%s",
			         REPORT_TR(r, "調査票に NPS の設問がありません。",
			                   "The questionnaire has no NPS question."));
		return;
	}
	px_signed(k->value, sizeof(k->value), it->nps);
	snprintf(k->sub, sizeof(k->sub),
	         r->en ? "95%% CI %s to %s · n = %zu" : "95%%信頼区間 %s〜%s · n = %zu",
	         px_signed(a, sizeof(a), it->nps_lo), px_signed(b, sizeof(b), it->nps_hi), it->n);
	k->gauge = true;
	k->v = it->nps;
	k->lo = it->nps_lo;
	k->hi = it->nps_hi;
	k->min = -100;
	k->max = 100;
	k->mark = 0;
	/* No reference (a previous wave, a figure HR supplies): no colour
	 * judgement either. */
	k->plain = true;
	px_pct(pp, sizeof(pp), it->fav.p);
	px_pct(dd, sizeof(dd), it->unfav.p);
	if (it->nps_lo > 0)
		snprintf(k->reading, sizeof(k->reading),
		         r->en ? "More would recommend the company as a place to work (promoters %s) "
		                 "than not (detractors %s)."
		               : "働く場所として会社を勧めたい人（推奨者 %s）が、勧めたくない人（批判者 %s）より多い状態です。",
		         pp, dd);
	else if (it->nps_hi < 0)
		snprintf(k->reading, sizeof(k->reading),
		         r->en ? "Fewer would recommend the company as a place to work (promoters %s) "
		                 "than not (detractors %s)."
		               : "働く場所として会社を勧めたくない人（批判者 %s）が、勧めたい人（推奨者 %s）より多い状態です。",
		         r->en ? pp : dd, r->en ? dd : pp);
	else
		snprintf(k->reading, sizeof(k->reading),
		         r->en ? "Promoters (%s) and detractors (%s) are about even."
		               : "勧めたい人（推奨者 %s）と勧めたくない人（批判者 %s）はほぼ拮抗しています。",
		         pp, dd);
}

/* "62% answered 「そう思う」 or 「とてもそう思う」" for a concern. */
static void
concern_line(const struct report *r, size_t j, char *buf, size_t cap)
{
	const struct stats_item *it = &r->st->items[j];
	const struct qn_item *qi = &r->s->items[r->stats_to_item[j]];
	char a[32], ci[64];
	int np = r->meta[j].npoints, two = np >= 4;
	px_pct(a, sizeof(a), it->unfav.p);
	px_ci_pct(r, ci, sizeof(ci), it->unfav.lo, it->unfav.hi);
	if (qi->scale < 0 || np < 2) {
		snprintf(buf, cap, r->en ? "%s unfavorable answers (%s)" : "否定的な回答 %s（%s）", a, ci);
		return;
	}
	const char *const *pl = (const char *const *)r->point_label[qi->scale];
	/* Unfavorable is the bottom of the scored scale: for a reversed item,
	 * the top of the answers as given. */
	const char *x = r->meta[j].reverse ? pl[np - 1] : pl[0];
	const char *y = r->meta[j].reverse ? pl[np - 2] : pl[1];
	if (two)
		snprintf(buf, cap,
		         r->en ? "%s answered \"%s\" or \"%s\" (%s)" : "%s が「%s」または「%s」と回答（%s）",
		         a, y, x, ci);
	else
		snprintf(buf, cap, r->en ? "%s answered \"%s\" (%s)" : "%s が「%s」と回答（%s）", a, x,
		         ci);
}

/* The differences between margins that page 1 states (README, page 1). */
static void
findings(struct px *p)
{
	const struct report *r = p->r;
	char line[900], v[32], lo[32], hi[32], dims[200] = "";

	if (r->ndims == 0 || r->st->shown != STATS_SHOWN)
		return;
	for (size_t d = 0; d < r->ndims; d++) {
		size_t len = strlen(dims);
		snprintf(dims + len, sizeof(dims) - len, "%s%s", d ? REPORT_TR(r, "・", ", ") : "",
		         r->dim_name[d]);
	}
	snprintf(line, sizeof(line), r->en ? "Differences by %s" : "%sによる違い", dims);
	px_heading(p, line);
	if (r->nfindings == 0) {
		if (r->en) {
			char ors[200] = "";
			for (size_t d = 0; d < r->ndims; d++) {
				size_t len = strlen(ors);
				snprintf(ors + len, sizeof(ors) - len, "%s%s", d ? " or " : "",
				         r->dim_name[d]);
			}
			snprintf(line, sizeof(line),
			         "On none of the three figures above does any %s value stand out from "
			         "the others by %d points or more.",
			         ors, (int)(REPORT_MIN_GAP * 100 + 0.5));
		}
		else
			snprintf(line, sizeof(line),
			         "上の三つの数値のいずれでも、他の区分と %d ポイント以上はっきり異なる%sはありません。",
			         (int)(REPORT_MIN_GAP * 100 + 0.5), dims);
		px_para(p, PX_ML, PX_CW, 9.5f, 14, PX_GREY, false, line);
		p->y -= 4;
		return;
	}
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct report_finding *f = &r->findings[i];
		const char *value = r->margins[f->margin].value;
		const char *scale = r->scale_label[r->role_scale[f->role]];
		bool unf = f->role == REPORT_MORALE;
		px_pct(v, sizeof(v), f->share);
		px_pct(lo, sizeof(lo), f->others_lo);
		px_pct(hi, sizeof(hi), f->others_hi);
		char range[80];
		if (f->nothers == 1)
			snprintf(range, sizeof(range), "%s", lo);
		else
			snprintf(range, sizeof(range), r->en ? "%s–%s" : "%s〜%s", lo, hi);
		if (r->en)
			snprintf(line, sizeof(line),
			         "%s %s: %s of the answers on %s are %s, against %s in the other %zu "
			         "(%s).",
			         r->dim_name[f->dim], value, v, scale, unf ? "unfavorable" : "favorable",
			         range, f->nothers, f->high ? "higher" : "lower");
		else
			snprintf(line, sizeof(line),
			         "%s「%s」では、%sの%s回答が %s で、ほかの %zu 区分（%s）より%s。", r->dim_name[f->dim],
			         value, scale, unf ? "否定的な" : "肯定的な", v, f->nothers, range,
			         f->high ? "高くなっています" : "低くなっています");
		char num[24];
		snprintf(num, sizeof(num), "%zu.", i + 1);
		px_need(p, 30);
		px_text(p, PX_ML, p->y - 10, 10, PX_ACCENT, true, num);
		px_para(p, PX_ML + 18, PX_CW - 18, 10, 14, PX_TEXT, false, line);
		p->y -= 4;
	}
	p->y -= 4;
}

static void
summary(struct px *p)
{
	const struct report *r = p->r;
	char line[900], date[32] = "";
	time_t t = (time_t)r->opt.epoch;
	struct tm tm;
	struct kpi k;

	px_page(p);
	px_para(p, PX_ML, PX_CW, 18, 25, PX_ACCENT, true, survey_title(r));
	if (gmtime_r(&t, &tm))
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	snprintf(line, sizeof(line),
	         r->en ? "Results report · %s · %s · responses %s · groups shown only with %d or more "
	                 "people"
	               : "集計レポート · %s · %s · 回答 %s 件 · %d 人以上のまとまりのみ集計",
	         date,
	         r->rec->state == DB_CLOSED ? REPORT_TR(r, "調査終了", "survey closed")
	                                    : REPORT_TR(r, "調査実施中", "survey still open"),
	         r->nresp_text, r->s->min_group);
	px_para(p, PX_ML, PX_CW, 9, 13, PX_GREY, false, line);
	p->y -= 8;
	if (r->opt.interim) {
		char msg[900];
		snprintf(msg, sizeof(msg),
		         r->en ? "中間集計 / interim — the survey is still open. This interim report shows "
		                 "participation only (invited, responded, response rate), with response "
		                 "counts rounded down to steps of %d, and no answer figure: reports taken "
		                 "a few answers apart would otherwise subtract to those answers. All "
		                 "results follow in the final report after the survey closes."
		               : "中間集計 / interim — 調査はまだ実施中です。この中間集計は参加状況（招待数・"
		                 "回答数・回答率）のみを示し、回答数は %d 人単位で切り捨てています。回答内容の"
		                 "数値は掲載しません（回答数件の差しかない二つの集計を比べると、その数件の回答が"
		                 "分かってしまうためです）。結果は調査終了後の最終レポートに掲載します。",
		         r->s->min_group);
		size_t nl = px_wrap(p, msg, PX_CW - 20, 9.5f);
		float h = (float)nl * 13 + 12;
		px_rect(p, PX_ML, p->y - h, PX_CW, h, PX_ALERT);
		px_draw_wrapped(p, PX_ML + 10, p->y - 16, 9.5f, 13, PX_WHITE, true, nl);
		p->y -= h + 10;
	}
	if (r->st->shown != STATS_SHOWN) {
		snprintf(line, sizeof(line),
		         r->en ? "Only %s people have answered. Results are shown for at least %d "
		                 "people, so this report shows no figures yet."
		               : "回答者はまだ %s 人です。結果は %d 人以上の回答がある場合にのみ表示するため、"
		                 "このレポートには数値を掲載していません。",
		         r->nresp_text, r->s->min_group);
		px_para(p, PX_ML, PX_CW, 10, 15, PX_ALERT, true, line);
		p->y -= 8;
	}
	px_heading(p, REPORT_TR(r, "要点", "Key figures"));
	p->y -= 2;
	void (*const kpis[])(const struct report *, struct kpi *) = {
		kpi_response, kpi_support, kpi_rejoin, kpi_morale, kpi_enps,
	};
	/* An interim report shows participation only (dc.h, rule 3). */
	for (size_t i = 0; i < (r->rounded ? 1 : sizeof(kpis) / sizeof(kpis[0])); i++) {
		memset(&k, 0, sizeof(k));
		k.kpi = (int)i;
		kpis[i](r, &k);
		card(p, &k);
	}
	if (r->rounded)
		return;
	px_compare_summary(p);
	findings(p);
	px_heading(p, REPORT_TR(r, "主な懸念（否定的な回答が多い項目。再入社意向の項目を除く）",
	                        "Biggest concerns (items with the most unfavorable answers, "
	                        "willingness-to-return items aside)"));
	if (r->nconcerns == 0)
		px_para(p, PX_ML, PX_CW, 9.5f, 14, PX_GREY, false,
		        r->st->shown == STATS_SHOWN ? REPORT_TR(r, "否定的な回答のある項目はありません。",
		                                                "No item has unfavorable answers.")
		                                    : px_hidden_k(r, line, sizeof(line)));
	for (size_t c = 0; c < r->nconcerns; c++) {
		size_t j = r->concerns[c];
		char num[24];
		snprintf(num, sizeof(num), "%zu.", c + 1);
		px_need(p, 34);
		px_text(p, PX_ML, p->y - 10, 10, PX_ACCENT, true, num);
		px_para(p, PX_ML + 18, PX_CW - 18, 10, 14, PX_TEXT, false,
		        r->item_label[r->stats_to_item[j]]);
		concern_line(r, j, line, sizeof(line));
		px_para(p, PX_ML + 18, PX_CW - 18, 8, 11.5f, PX_GREY, false, line);
		p->y -= 6;
	}
	/* The comments' themes, most mentioned first (README, page 1). */
	if (r->nthemes > 0) {
		size_t order[QN_MAX_THEMES], n = 0, len = 0;
		char a[32];
		/* Insertion sort, stable: on ties the questionnaire's order. */
		for (size_t ti = 0; ti < r->nthemes && ti < QN_MAX_THEMES; ti++) {
			size_t pos = n++;
			while (pos > 0 && r->themes[order[pos - 1]].share.x < r->themes[ti].share.x) {
				order[pos] = order[pos - 1];
				pos--;
			}
			order[pos] = ti;
		}
		len = (size_t)snprintf(line, sizeof(line), "%s",
		                       REPORT_TR(r, "自由記述のテーマ（多い順）: ",
		                                 "Comment themes (most mentioned first): "));
		for (size_t i = 0; i < n && i < 3 && len < sizeof(line); i++) {
			const struct report_theme *th = &r->themes[order[i]];
			len += (size_t)snprintf(line + len, sizeof(line) - len,
			                        r->en ? "%s%s %s (%zu)" : "%s%s %s（%zu 件）",
			                        i ? REPORT_TR(r, "、", ", ") : "", th->name,
			                        px_pct(a, sizeof(a), th->share.p), th->share.x);
		}
		px_para(p, PX_ML, PX_CW, 9, 13, PX_TEXT, false, line);
	}
}

/* ---- Sections 2: support, rejoin, morale, other questions ------------- */

static size_t
scale_items(const struct report *r, int si, size_t *out)
{
	size_t n = 0;
	for (size_t j = 0; j < r->nstats; j++)
		if (r->meta[j].kind == STATS_LIKERT && r->meta[j].scale == si)
			out[n++] = j;
	return n;
}

/* The question texts of a scale, once each, as the chart's introduction. */
static void
scale_intro(struct px *p, int si)
{
	const struct report *r = p->r;
	for (size_t q = 0; q < r->s->nquestions; q++)
		if (r->s->questions[q].scale == si && r->s->questions[q].type == QN_MATRIX) {
			px_para(p, PX_ML, PX_CW, 9, 13, PX_GREY, false, r->question_label[q]);
			p->y -= 4;
		}
}

static void
scale_block(struct px *p, int si, size_t *buf)
{
	const struct report *r = p->r;
	size_t n = scale_items(r, si, buf);
	scale_intro(p, si);
	px_scale_line(p, (size_t)si);
	px_compare_scale(p, (size_t)si);
	if (r->st->scales[si].shown == STATS_SHOWN)
		px_likert_chart(p, buf, n, (const char *const *)r->point_label[si],
		                r->s->scales[si].npoints);
}

static void
hot_spots(struct px *p)
{
	const struct report *r = p->r;
	const struct stats_report *st = r->st;
	char line[600], a[32], b[32], q[32];
	size_t nhot = 0;

	if (st->morale_scale < 0 || st->hotspots == NULL || r->nsegs < 2 ||
	    st->scales[st->morale_scale].shown != STATS_SHOWN)
		return;
	px_heading(p, REPORT_TR(r, "士気リスクのホットスポット", "Morale hot spots"));
	for (size_t g = 0; g < r->nsegs; g++) {
		const struct stats_hotspot *h = &st->hotspots[g];
		if (h->shown != STATS_SHOWN || !h->hot)
			continue;
		nhot++;
		/* "q = 0.000" reads as impossible; say how small it is instead. */
		if (h->test.q < 0.001)
			snprintf(q, sizeof(q), "q < 0.001");
		else
			snprintf(q, sizeof(q), "q = %.3f", h->test.q);
		snprintf(line, sizeof(line),
		         r->en ? "%s: %s of people with an unfavorable morale score (rest of the "
		                 "company %s, %s)"
		               : "%s: 士気の尺度得点が否定的な人 %s（社内の他の回答者 %s、%s）",
		         r->segs[g].display, px_pct(a, sizeof(a), h->share.p),
		         px_pct(b, sizeof(b), h->share.p - h->test.diff), q);
		px_para(p, PX_ML, PX_CW, 9.5f, 14, PX_TEXT, false, line);
	}
	if (nhot == 0)
		px_para(p, PX_ML, PX_CW, 9.5f, 14, PX_TEXT, false,
		        REPORT_TR(r, "士気リスクが社内の他の回答者より有意に高いグループはありません（片側検定、Benjamini–Hochberg 法で q < 0.05）。",
		                  "No group's morale risk is significantly above the rest of the company "
		                  "(one-sided test, Benjamini–Hochberg q < 0.05)."));
	else
		px_para(p, PX_ML, PX_CW, 7.5f, 10.5f, PX_GREY, false,
		        REPORT_TR(r, "社内の他の回答者より有意に高いグループ（片側検定、Benjamini–Hochberg 法で q < 0.05）。",
		                  "Groups significantly above the rest of the company (one-sided test, "
		                  "Benjamini–Hochberg q < 0.05)."));
}

static bool
has_other(const struct report *r)
{
	for (size_t si = 0; si < r->s->nscales; si++)
		if (r->s->scales[si].role == QN_ROLE_NONE)
			return true;
	for (size_t i = 0; i < r->s->nitems; i++) {
		const struct qn_item *it = &r->s->items[i];
		if (it->kind == QN_ITEM_NPS || it->kind == QN_ITEM_CHOICE || it->kind == QN_ITEM_MULTI ||
		    (it->kind == QN_ITEM_LIKERT && it->scale < 0))
			return true;
	}
	return false;
}

static void
other_questions(struct px *p, size_t *buf)
{
	const struct report *r = p->r;
	const struct qn_survey *s = r->s;

	for (size_t si = 0; si < s->nscales && px_ok(p); si++) {
		if (s->scales[si].role != QN_ROLE_NONE)
			continue;
		/* The question, the score lines and the first bars. */
		px_heading_keep(p, r->scale_label[si], 140);
		scale_block(p, (int)si, buf);
	}
	for (size_t q = 0; q < s->nquestions && px_ok(p); q++) {
		const struct qn_question *qq = &s->questions[q];
		size_t n = 0;
		if (qq->scale >= 0)
			continue;
		switch (qq->type) {
		case QN_MATRIX:
			for (size_t i = 0; i < s->nitems; i++)
				if (s->items[i].question == q && r->item_to_stats[i] >= 0)
					buf[n++] = (size_t)r->item_to_stats[i];
			px_heading_keep(p, r->question_label[q], 100);
			px_likert_chart(p, buf, n, (const char *const *)r->answer_label[q],
			                (int)qq->nanswers);
			break;
		case QN_NPS:
			for (size_t i = 0; i < s->nitems; i++)
				if (s->items[i].question == q && r->item_to_stats[i] >= 0) {
					/* The histogram and its line of figures. */
					px_heading_keep(p, r->question_label[q], 170);
					px_nps_chart(p, (size_t)r->item_to_stats[i]);
				}
			break;
		case QN_MC_SINGLE:
		case QN_MC_MULTI:
			for (size_t c = 0; c < r->nchoices; c++)
				if (s->items[r->choices[c].item].question == q) {
					/* Up to five bars, or all of a shorter list. */
					px_heading_keep(p, r->question_label[q],
					                (float)(r->choices[c].nopts < 5 ? r->choices[c].nopts : 5) *
					                        21 +
					                    20);
					px_choice_chart(p, &r->choices[c]);
				}
			break;
		default:
			break;
		}
	}
}

static void
layout(struct px *p)
{
	const struct report *r = p->r;
	const struct stats_report *st = r->st;
	int no = 1;
	size_t *buf = calloc(r->nstats + 1, sizeof(*buf));

	if (buf == NULL) {
		p->err = KOE_ENOMEM;
		return;
	}
	summary(p);
	if (r->rounded) {
		/* Interim: participation only (include/koe/dc.h, rule 3). */
		section(p, &no, REPORT_TR(r, "グループ別の参加状況", "Participation by group"));
		px_segments(p);
		section(p, &no, REPORT_TR(r, "方法と匿名性", "Method and anonymity"));
		px_method(p);
		px_footers(p);
		free(buf);
		return;
	}
	section(p, &no, REPORT_TR(r, "制度への支持", "Support for the program"));
	if (st->support_scale >= 0)
		scale_block(p, st->support_scale, buf);
	else
		px_kv(p, "", REPORT_TR(r, "調査票に支持の尺度がありません。", "The questionnaire has no support scale."));
	section(p, &no, REPORT_TR(r, "再入社意向", "Willingness to return"));
	if (st->rejoin_scale >= 0)
		scale_block(p, st->rejoin_scale, buf);
	else
		px_kv(p, "", REPORT_TR(r, "調査票に再入社意向の尺度がありません。", "The questionnaire has no rejoin scale."));
	section(p, &no, REPORT_TR(r, "職場の士気", "Morale"));
	if (st->morale_scale >= 0) {
		scale_block(p, st->morale_scale, buf);
		hot_spots(p);
	} else {
		px_kv(p, "", REPORT_TR(r, "調査票に士気の尺度がありません。", "The questionnaire has no morale scale."));
	}
	if (has_other(r)) {
		section(p, &no, REPORT_TR(r, "その他の設問", "Other questions"));
		other_questions(p, buf);
	}
	section(p, &no, REPORT_TR(r, "グループ別の結果", "Results by group"));
	px_segments(p);
	p->y -= 10;
	px_margins(p);
	if (st->support_scale >= 0 && st->ndrivers > 0 && px_drivers_clear(r) == 0) {
		/* Nothing clear to show: a few lines under the groups, not a
		 * page of bars around zero. */
		p->y -= 14;
		px_heading(p, REPORT_TR(r, "支持との関連", "What goes together with support"));
	} else {
		section(p, &no, REPORT_TR(r, "支持との関連", "What goes together with support"));
	}
	px_drivers(p);
	if (r->cmp) {
		/* Every figure next to the previous survey's: reference pages,
		 * after what an executive reads first (page 1 has the largest
		 * changes). */
		section(p, &no, REPORT_TR(r, "前回との比較", "Changes since the previous survey"));
		px_compare(p);
	}
	section(p, &no, REPORT_TR(r, "自由記述", "Comments"));
	px_comments(p);
	section(p, &no, REPORT_TR(r, "方法と匿名性", "Method and anonymity"));
	px_method(p);
	px_footers(p);
	free(buf);
}

enum koe_err
report_pdf(const struct report *r, uint8_t **buf, size_t *len, struct koe_msg *msg)
{
	struct px p = {.r = r};
	enum koe_err err;

	/* The mark is the same in both languages so that nobody can take an
	 * interim page for a final one, whoever reads it. */
	p.header = survey_title(r);
	p.mark = r->opt.interim ? "中間集計 / interim" : NULL;
	err = px_doc_begin(&p, r->opt.font_path, survey_title(r), r->opt.epoch, msg);
	if (err == KOE_OK) {
		layout(&p);
		err = px_doc_end(&p, buf, len, msg);
	}
	px_doc_free(&p);
	return err;
}
