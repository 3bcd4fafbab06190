/* Charts of the report: diverging stacked bars for Likert items, the 0–10
 * histogram of an NPS item, bars for choice questions, and the one-line
 * figures of a scale. Only shown figures reach these functions' output:
 * each checks the figure's shown flag the report computed. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_pdf_internal.h"

/* Columns shared by the bar charts: labels, bars, numbers. */
#define LABEL_W 178.0f
#define BAR_X (PX_ML + 186.0f)
#define BAR_W 200.0f
#define NUM_X (BAR_X + BAR_W + 10.0f)
#define LABEL_SIZE 7.5f
#define LABEL_LEAD 9.3f

static const char *
hidden_text(const struct report *r, char *buf, size_t cap)
{
	snprintf(buf, cap, r->en ? "hidden (fewer than %d answers)" : "非表示（回答 %d 人未満）",
	         r->s->min_group);
	return buf;
}

/* Which colour a raw answer point q (0-based) of an item gets: by whether
 * its scored value is favorable, neutral or unfavorable (stats.h: top two
 * points, top one on 2- and 3-point items). */
static struct px_rgb
point_colour(int q, int np, bool reverse)
{
	int v = reverse ? np - q : q + 1;
	int top = np >= 4 ? 2 : 1;
	if (v > np - top)
		return v == np ? PX_FAV : PX_FAV2;
	if (v <= top)
		return v == 1 ? PX_UNFAV : PX_UNFAV2;
	return PX_NEUTRAL;
}

/* Tick marks and end labels above a diverging chart whose half width
 * stands for the share axis. */
static void
likert_header(struct px *p, const char *const *points, int np, double axis)
{
	const struct report *r = p->r;
	float cx = BAR_X + BAR_W / 2, y;
	char buf[200];

	px_need(p, 60);
	y = p->y - 8;
	for (double t = 0; t <= axis + 1e-9; t += 0.25) {
		float dx = (float)(t / axis) * BAR_W / 2;
		snprintf(buf, sizeof(buf), "%.0f%%", t * 100);
		px_text_center(p, cx - dx, y, 6.5f, PX_GREY, false, t == 0 ? "0" : buf);
		if (t > 0)
			px_text_center(p, cx + dx, y, 6.5f, PX_GREY, false, buf);
	}
	(void)points;
	(void)np;
	/* Every row is drawn in the scored direction, reverse items after
	 * recoding: unfavorable always left, favorable always right. */
	snprintf(buf, sizeof(buf), "← %s", REPORT_TR(r, "否定的", "unfavorable"));
	px_text(p, BAR_X, y - 10, 6.5f, PX_GREY, false, buf);
	snprintf(buf, sizeof(buf), "%s →", REPORT_TR(r, "肯定的", "favorable"));
	px_text_right(p, BAR_X + BAR_W, y - 10, 6.5f, PX_GREY, false, buf);
	px_text(p, NUM_X, y - 10, 6.5f, PX_GREY, false,
	        r->cmp ? REPORT_TR(r, "肯定的 · 否定的 · 前回比", "fav. · unfav. · change")
	               : REPORT_TR(r, "肯定的 · 否定的", "favorable · unfavorable"));
	p->y -= 24;
}

static void
likert_legend(struct px *p, const char *const *points, int np)
{
	const struct report *r = p->r;
	const struct {
		struct px_rgb c;
		const char *ja, *en;
	} keys[] = {
		{PX_FAV, "肯定的（最上位）", "favorable (top point)"},
		{PX_FAV2, "肯定的（2番目）", "favorable (second point)"},
		{PX_NEUTRAL, "中間", "neutral"},
		{PX_UNFAV2, "否定的（2番目）", "unfavorable (second point)"},
		{PX_UNFAV, "否定的（最下位）", "unfavorable (bottom point)"},
	};
	float x = PX_ML;
	char note[600];

	px_need(p, 40);
	p->y -= 4;
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		const char *t = REPORT_TR(r, keys[k].ja, keys[k].en);
		px_rect(p, x, p->y - 8, 8, 8, keys[k].c);
		px_text(p, x + 11, p->y - 7.5f, 7, PX_TEXT, false, t);
		x += 11 + px_width(p, t, 7) + 12;
	}
	p->y -= 14;
	snprintf(note, sizeof(note),
	         r->en ? "Bars show the answers in the scored direction, unfavorable left and "
	                 "favorable right, on a fixed axis of ±100%%: on most items \"%s\" is at the "
	                 "left and \"%s\" at the right; a reversed item (R, recoded) is drawn the "
	                 "other way round, so agreeing with it is on the left. Favorable = the two "
	                 "blue points together, unfavorable = the two orange ones."
	               : "バーは採点方向で描いています（左が否定的、右が肯定的、軸は常に ±100%%）。通常の項目"
	                 "では左端が「%s」、右端が「%s」です。逆転項目（逆・採点後）は向きを入れ替えて"
	                 "描くため、同意が左（否定的）になります。肯定的 = 青の2段階の合計、否定的 = 橙の"
	                 "2段階の合計。",
	         np > 0 ? points[0] : "", np > 0 ? points[np - 1] : "");
	px_para(p, PX_ML, PX_CW, 7, 9.5f, PX_GREY, false, note);
	p->y -= 6;
}

static void
likert_row(struct px *p, size_t j, const char *const *points, int npoints, double axis)
{
	const struct report *r = p->r;
	const struct stats_item *it = &r->st->items[j];
	const struct stats_item_meta *m = &r->meta[j];
	char label[QN_MAX_TEXT_BYTES + 32], a[32], b[32], line[160];
	size_t nl;
	float h, top, mid, cx = BAR_X + BAR_W / 2, half = BAR_W / 2 / (float)axis;
	HPDF_Page before = p->page;

	/* "＊": counted over the scale's complete cases (dc.h, rule 2). */
	snprintf(label, sizeof(label), "%s%s%s", r->item_label[r->stats_to_item[j]],
	         m->reverse ? REPORT_TR(r, "（逆・採点後）", " (R, recoded)") : "",
	         r->st->item_on_cc[j] ? REPORT_TR(r, "＊", " *") : "");
	nl = px_wrap(p, label, LABEL_W, LABEL_SIZE);
	if (nl > 3)
		nl = 3;
	h = fmaxf((float)nl * LABEL_LEAD, 20) + 7;
	px_need(p, h);
	if (p->page != before)
		likert_header(p, points, npoints, axis);
	nl = px_wrap(p, label, LABEL_W, LABEL_SIZE);
	top = p->y;
	mid = top - h / 2;
	px_draw_wrapped(p, PX_ML, mid + ((float)(nl > 3 ? 3 : nl) - 1) * LABEL_LEAD / 2 - 2.5f,
	                LABEL_SIZE, LABEL_LEAD, PX_TEXT, false, 3);
	for (double t = 0.25; t <= axis + 1e-9; t += 0.25) {
		float dx = (float)(t / axis) * BAR_W / 2;
		px_vline(p, cx - dx, top, top - h, 0.3f, PX_LIGHT);
		px_vline(p, cx + dx, top, top - h, 0.3f, PX_LIGHT);
	}
	px_vline(p, cx, top, top - h, 0.5f, PX_RULE);
	if (it->shown != STATS_SHOWN || it->n == 0) {
		px_text(p, BAR_X + 6, mid - 2.5f, 7, PX_GREY, false, hidden_text(r, line, sizeof(line)));
		p->y -= h;
		return;
	}
	int np = m->npoints;
	double n = (double)it->n;
	float left = cx, right = cx;
	/* Scored position q holds the raw point np − 1 − q on a reverse
	 * item; colours are by scored position. */
#define RAW(q) (m->reverse ? np - 1 - (q) : (q))
	int lo_end = np / 2 - 1, hi_start = (np + 1) / 2;
	if (np % 2) {
		int q = np / 2;
		float w = (float)(it->counts[RAW(q)] / n) * half;
		px_rect(p, cx - w / 2, mid - 5, w, 10, point_colour(q, np, false));
		left -= w / 2;
		right += w / 2;
	}
	for (int q = lo_end; q >= 0; q--) {
		float w = (float)(it->counts[RAW(q)] / n) * half;
		px_rect(p, left - w, mid - 5, w, 10, point_colour(q, np, false));
		left -= w;
	}
	for (int q = hi_start; q < np; q++) {
		float w = (float)(it->counts[RAW(q)] / n) * half;
		px_rect(p, right, mid - 5, w, 10, point_colour(q, np, false));
		right += w;
	}
#undef RAW
	char since[64];
	snprintf(line, sizeof(line), "%s · %s%s", px_pct(a, sizeof(a), it->fav.p),
	         px_pct(b, sizeof(b), it->unfav.p),
	         px_compare_item(r, r->s->items[r->stats_to_item[j]].key, since, sizeof(since)));
	px_text(p, NUM_X, mid + 1, 8, PX_TEXT, false, line);
	if (isfinite(it->mean))
		snprintf(line, sizeof(line), r->en ? "mean %.2f · n = %zu" : "平均 %.2f · n = %zu",
		         it->mean, it->n);
	else
		snprintf(line, sizeof(line), "n = %zu", it->n);
	px_text(p, NUM_X, mid - 8, 6.5f, PX_GREY, false, line);
	p->y -= h;
}

void
px_likert_chart(struct px *p, const size_t *items, size_t n, const char *const *points, int np)
{
	/* One visual language: the axis is ±100% on every chart, so bars of
	 * two charts compare by length. */
	const double axis = 1;
	if (n == 0)
		return;
	likert_header(p, points, np, axis);
	for (size_t i = 0; i < n && px_ok(p); i++)
		likert_row(p, items[i], points, np, axis);
	likert_legend(p, points, np);
}

/* "対象: 同僚の退職を見聞きした人 n = 37" above the figures of a question
 * shown only to some people (report_asked.c decides whether n is given). */
static void
asked_line(struct px *p, long q)
{
	char line[700];
	const char *text = q >= 0 ? report_asked_line(p->r, (size_t)q, line, sizeof(line)) : NULL;
	if (text)
		px_para(p, PX_ML, PX_CW, 8.5f, 12, PX_ACCENT, false, text);
}

void
px_scale_line(struct px *p, size_t si)
{
	asked_line(p, report_scale_asked(p->r, si));
	const struct report *r = p->r;
	const struct stats_scale *sc = &r->st->scales[si];
	const struct stats_alpha *al = &r->st->alphas[si];
	char line[600], a[32], ci[64], u[32], alpha[48] = "";

	if (sc->shown != STATS_SHOWN || sc->n == 0) {
		px_para(p, PX_ML, PX_CW, 9, 13, PX_GREY, false, hidden_text(r, line, sizeof(line)));
		return;
	}
	if (al->status == STATS_OK)
		snprintf(alpha, sizeof(alpha), " · α = %.2f", al->alpha);
	const struct stats_pooled *pl = &r->st->pooled[si];
	if (pl->shown == STATS_SHOWN && pl->status == STATS_OK) {
		char nn[32];
		snprintf(line, sizeof(line),
		         r->en ? "All answers to these items: %s favorable (%s) · %s neutral · %s "
		                 "unfavorable (the figures of page 1)"
		               : "これらの項目への全回答: 肯定的 %s（%s）· 中間 %s · 否定的 %s（1ページ目の数値）",
		         px_pct(a, sizeof(a), pl->fav),
		         px_ci_pct(r, ci, sizeof(ci), pl->fav_lo, pl->fav_hi),
		         px_pct(nn, sizeof(nn), pl->neutral), px_pct(u, sizeof(u), pl->unfav));
		px_para(p, PX_ML, PX_CW, 9, 13, PX_TEXT, false, line);
	}
	snprintf(line, sizeof(line),
	         r->en ? "Scale score (each person's mean): %s of people favorable (%s) · %s "
	                 "unfavorable"
	               : "尺度得点（一人ひとりの平均）: 肯定的な人 %s（%s）· 否定的な人 %s",
	         px_pct(a, sizeof(a), sc->fav.p), px_ci_pct(r, ci, sizeof(ci), sc->fav.lo, sc->fav.hi),
	         px_pct(u, sizeof(u), sc->unfav.p));
	px_para(p, PX_ML, PX_CW, 8, 12, PX_GREY, false, line);
	if (isfinite(sc->ci_lo))
		snprintf(line, sizeof(line),
		         r->en ? "Mean %.2f (95%% CI %.2f–%.2f) on 1–%d · n = %zu%s"
		               : "平均 %.2f（95%%信頼区間 %.2f–%.2f、1–%d 点）· n = %zu%s",
		         sc->mean, sc->ci_lo, sc->ci_hi, sc->npoints, sc->n, alpha);
	else
		snprintf(line, sizeof(line), r->en ? "Mean %.2f on 1–%d · n = %zu%s"
		                                   : "平均 %.2f（1–%d 点）· n = %zu%s",
		         sc->mean, sc->npoints, sc->n, alpha);
	px_para(p, PX_ML, PX_CW, 8, 12, PX_GREY, false, line);
	p->y -= 6;
}

void
px_nps_chart(struct px *p, size_t j)
{
	const struct report *r = p->r;
	const struct stats_item *it = &r->st->items[j];
	const float bw = 26, gap = 8, ch = 96, x0 = PX_ML + 24;
	char line[400], a[32], b[32], c[32], d[32], e[32], f[32];
	double n = (double)it->n, top = 0.1;

	asked_line(p, (long)r->s->items[r->stats_to_item[j]].question);
	if (it->shown != STATS_SHOWN || it->n == 0) {
		px_para(p, PX_ML, PX_CW, 9, 13, PX_GREY, false, hidden_text(r, line, sizeof(line)));
		return;
	}
	px_need(p, ch + 70);
	for (int v = 0; v <= 10; v++)
		top = fmax(top, it->counts[v] / n);
	top = ceil(top * 10 - 1e-9) / 10;
	float base = p->y - ch - 14;
	for (int t = 0; t <= 2; t++) {
		float gy = base + ch * (float)t / 2;
		px_hline(p, x0 - 4, x0 + 11 * (bw + gap), gy, 0.3f, PX_LIGHT);
		px_text_right(p, x0 - 7, gy - 2.5f, 6.5f, PX_GREY, false,
		              px_pct(a, sizeof(a), top * t / 2));
	}
	for (int v = 0; v <= 10; v++) {
		double s = it->counts[v] / n;
		float x = x0 + (float)v * (bw + gap), hgt = (float)(s / top) * ch;
		struct px_rgb col = v >= 9 ? PX_FAV : v >= 7 ? PX_NEUTRAL : PX_UNFAV;
		px_rect(p, x, base, bw, hgt, col);
		px_text_center(p, x + bw / 2, base + hgt + 3, 7, PX_TEXT, false,
		               px_pct(a, sizeof(a), s));
		snprintf(b, sizeof(b), "%d", v);
		px_text_center(p, x + bw / 2, base - 10, 8, PX_TEXT, false, b);
	}
	px_hline(p, x0 - 4, x0 + 11 * (bw + gap), base, 0.6f, PX_GREY);
	p->y = base - 18;
	if (isfinite(it->nps_lo))
		snprintf(line, sizeof(line),
		         r->en ? "NPS %s (95%% CI %s to %s) · promoters (9–10) %s · passives (7–8) %s · "
		                 "detractors (0–6) %s · n = %zu"
		               : "NPS %s（95%%信頼区間 %s〜%s）· 推奨者（9–10）%s · 中立者（7–8）%s · "
		                 "批判者（0–6）%s · n = %zu",
		         px_signed(a, sizeof(a), it->nps), px_signed(b, sizeof(b), it->nps_lo),
		         px_signed(c, sizeof(c), it->nps_hi), px_pct(d, sizeof(d), it->fav.p),
		         px_pct(e, sizeof(e), it->neutral), px_pct(f, sizeof(f), it->unfav.p), it->n);
	else
		snprintf(line, sizeof(line), "NPS %s · n = %zu", px_signed(a, sizeof(a), it->nps), it->n);
	px_para(p, PX_ML, PX_CW, 8.5f, 12, PX_TEXT, false, line);
	p->y -= 6;
}

void
px_choice_chart(struct px *p, const struct report_choice *c)
{
	const struct report *r = p->r;
	char line[200], a[32], ci[64];

	asked_line(p, (long)r->s->items[c->item].question);
	if (!c->shown) {
		px_para(p, PX_ML, PX_CW, 9, 13, PX_GREY, false, hidden_text(r, line, sizeof(line)));
		return;
	}
	for (size_t o = 0; o < c->nopts && px_ok(p); o++) {
		const struct stats_prop *s = &c->opts[o].share;
		size_t nl = px_wrap(p, c->opts[o].label, LABEL_W, LABEL_SIZE);
		if (nl > 3)
			nl = 3;
		float h = fmaxf((float)nl * LABEL_LEAD, 16) + 5;
		px_need(p, h);
		px_wrap(p, c->opts[o].label, LABEL_W, LABEL_SIZE);
		float mid = p->y - h / 2;
		px_draw_wrapped(p, PX_ML, mid + ((float)nl - 1) * LABEL_LEAD / 2 - 2.5f, LABEL_SIZE,
		                LABEL_LEAD, PX_TEXT, false, 3);
		px_rect(p, BAR_X, mid - 4.5f, BAR_W, 9, PX_CARD);
		if (report_prop_ok(s)) {
			px_rect(p, BAR_X, mid - 4.5f, (float)s->p * BAR_W, 9, PX_FAV2);
			px_hline(p, BAR_X + (float)s->lo * BAR_W, BAR_X + (float)s->hi * BAR_W, mid, 0.8f,
			         PX_ACCENT);
			px_vline(p, BAR_X + (float)s->lo * BAR_W, mid - 3, mid + 3, 0.8f, PX_ACCENT);
			px_vline(p, BAR_X + (float)s->hi * BAR_W, mid - 3, mid + 3, 0.8f, PX_ACCENT);
			snprintf(line, sizeof(line), "%s (%zu)", px_pct(a, sizeof(a), s->p), s->x);
			px_text(p, NUM_X, mid + 0.5f, 8, PX_TEXT, false, line);
			px_text(p, NUM_X, mid - 8, 6.5f, PX_GREY, false,
			        px_ci_pct(r, ci, sizeof(ci), s->lo, s->hi));
		}
		p->y -= h;
	}
	snprintf(line, sizeof(line),
	         c->multi ? REPORT_TR(r, "複数回答 · 割合は回答者 %zu 人に対する比率（合計は100%%を超えることがあります）· 線は95%%信頼区間",
	                              "Several answers allowed · shares of the %zu respondents (they can add up to more than 100%%) · lines: 95%% CI")
	                  : REPORT_TR(r, "回答者 %zu 人 · 線は95%%信頼区間",
	                              "%zu respondents · lines: 95%% CI"),
	         c->n);
	p->y -= 2;
	px_para(p, PX_ML, PX_CW, 7, 9.5f, PX_GREY, false, line);
	p->y -= 6;
}
