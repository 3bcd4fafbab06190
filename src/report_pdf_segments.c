/* The segment heatmap (scales × groups, favorable %) and the ranked chart
 * of the drivers of support. A group's cell is printed only when the
 * statistics marked that very figure shown; every other cell is a grey
 * dash, whatever the reason, so the page does not tell a group below k
 * from one hidden to protect it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_pdf_internal.h"

#define SEG_LABEL_W 138.0f
#define SEG_N_W 34.0f
#define SEG_RATE_W 40.0f
#define SEG_ROW_H 15.0f

/* Light colours so black figures stay readable: orange-red for 0%, near
 * white for 50%, blue for 100%. */
static struct px_rgb
ramp(double t)
{
	static const struct px_rgb lo = {0.95f, 0.58f, 0.47f}, mid = {0.97f, 0.97f, 0.96f},
	                           hi = {0.47f, 0.67f, 0.87f};
	struct px_rgb a = mid, b = hi;
	float u;
	if (!isfinite(t))
		return PX_LIGHT;
	t = fmin(1, fmax(0, t));
	if (t < 0.5) {
		a = lo;
		b = mid;
		u = (float)(t * 2);
	} else {
		u = (float)((t - 0.5) * 2);
	}
	return (struct px_rgb){a.r + (b.r - a.r) * u, a.g + (b.g - a.g) * u, a.b + (b.b - a.b) * u};
}

struct grid {
	size_t ncols;  /* scale columns, plus one for morale risk */
	float colw;
	float x0;      /* left of the first scale column */
	float head_h;
};

static void
cell(struct px *p, float x, float y, float w, float h, struct px_rgb fill, const char *text,
     bool alert)
{
	px_rect(p, x + 0.5f, y + 0.5f, w - 1, h - 1, fill);
	if (alert)
		px_frame(p, x + 1.2f, y + 1.2f, w - 2.4f, h - 2.4f, 1.2f, PX_ALERT);
	px_text_center(p, x + w / 2, y + h / 2 - 2.6f, 7.5f, PX_TEXT, alert, text);
}

static void
dash(struct px *p, float x, float y, float w, float h)
{
	px_rect(p, x + 0.5f, y + 0.5f, w - 1, h - 1, PX_CARD);
	px_text_center(p, x + w / 2, y + h / 2 - 2.6f, 7.5f, PX_GREY, false, "—");
}

static const char *
column_title(const struct report *r, size_t c)
{
	if (c < r->s->nscales)
		return r->scale_label[c];
	return REPORT_TR(r, "士気リスク（否定的）", "Morale risk (unfavorable)");
}

/* A column title, each line centred over its column. */
static void
head_cell(struct px *p, float x, float w, float top, const char *title)
{
	char all[600], line[600];
	size_t n = px_wrap(p, title, w - 4, 7);
	struct px_line ls[4];
	if (n > 4)
		n = 4;
	/* px_text_center() cleans its text into p->clean again: keep copies
	 * of the wrapped text and its lines. */
	memcpy(ls, p->lines, n * sizeof(*ls));
	snprintf(all, sizeof(all), "%s", p->clean);
	for (size_t l = 0; l < n; l++) {
		if (ls[l].start + ls[l].len >= sizeof(all))
			break;
		snprintf(line, sizeof(line), "%.*s", (int)ls[l].len, all + ls[l].start);
		px_text_center(p, x + w / 2, top - 10 - (float)l * 8.5f, 7, PX_GREY, false, line);
	}
}

static void
grid_header(struct px *p, const struct grid *g)
{
	const struct report *r = p->r;
	float top;

	px_need(p, g->head_h + SEG_ROW_H * 3);
	top = p->y;
	px_text(p, PX_ML, top - 10, 7, PX_GREY, false, REPORT_TR(r, "グループ", "Group"));
	head_cell(p, PX_ML + SEG_LABEL_W, SEG_N_W, top, REPORT_TR(r, "回答者", "Resp."));
	head_cell(p, PX_ML + SEG_LABEL_W + SEG_N_W, SEG_RATE_W, top,
	          REPORT_TR(r, "回答率", "Response rate"));
	for (size_t c = 0; c < g->ncols; c++)
		head_cell(p, g->x0 + (float)c * g->colw, g->colw, top, column_title(r, c));
	p->y -= g->head_h;
	px_hline(p, PX_ML, PX_ML + PX_CW, p->y + 2, 0.6f, PX_GREY);
}

/* One row: the company (g == ngroups) or group g. */
static void
grid_row(struct px *p, const struct grid *g, size_t grp)
{
	const struct report *r = p->r;
	const struct stats_report *st = r->st;
	size_t ng = r->nsegs;
	bool company = grp == ng;
	const char *label = company ? REPORT_TR(r, "全社", "Company") : r->segs[grp].display;
	char buf[64], a[32];
	HPDF_Page before = p->page;

	size_t nl = px_wrap(p, label, SEG_LABEL_W - 4, 7.5f);
	float h = nl > 1 ? SEG_ROW_H + 9 : SEG_ROW_H;
	px_need(p, h);
	if (p->page != before)
		grid_header(p, g);
	float y = p->y - h;
	nl = px_wrap(p, label, SEG_LABEL_W - 4, 7.5f);
	px_draw_wrapped(p, PX_ML + 2, y + h / 2 - 2.6f + ((float)(nl > 2 ? 2 : nl) - 1) * 4.5f,
	                7.5f, 9, PX_TEXT, company, 2);

	bool shown = company ? st->shown == STATS_SHOWN : r->segs[grp].shown;
	const struct stats_prop *rate = company ? &r->response : &r->segs[grp].rate;
	const char *n = company ? r->nresp_text : r->segs[grp].responded_text;
	float x = PX_ML + SEG_LABEL_W;
	if (shown || company) {
		/* The number of responses of the company is public (the
		 * receipt count), so it shows even below k. */
		cell(p, x, y, SEG_N_W, h, PX_WHITE, n, false);
	} else {
		dash(p, x, y, SEG_N_W, h);
	}
	x += SEG_N_W;
	if ((shown || company) && report_prop_ok(rate))
		cell(p, x, y, SEG_RATE_W, h, PX_WHITE, px_pct(a, sizeof(a), rate->p), false);
	else if (shown || company)
		/* More responses than invitations (a reissued link used twice):
		 * there is no rate to show, but nothing is hidden either. */
		cell(p, x, y, SEG_RATE_W, h, PX_WHITE, REPORT_TR(r, "算出不可", "n/a"), false);
	else
		dash(p, x, y, SEG_RATE_W, h);
	for (size_t c = 0; c < g->ncols; c++) {
		float cx = g->x0 + (float)c * g->colw;
		if (c < r->s->nscales) {
			const struct stats_scale *sc =
				company ? &st->scales[c] : &st->scales_by_group[c * ng + grp];
			const struct stats_compare *cmp = company ? NULL : &st->compare[c * ng + grp];
			if (sc->shown != STATS_SHOWN || !report_prop_ok(&sc->fav)) {
				dash(p, cx, y, g->colw, h);
				continue;
			}
			const char *mark = "";
			if (cmp && cmp->welch.status == STATS_OK && cmp->welch.flagged)
				mark = cmp->welch.diff > 0 ? " ▲" : " ▼";
			snprintf(buf, sizeof(buf), "%s%s", px_pct(a, sizeof(a), sc->fav.p), mark);
			/* Coloured by favorable minus unfavorable, so a group
			 * that is neutral does not look negative. */
			cell(p, cx, y, g->colw, h, ramp((1 + sc->fav.p - sc->unfav.p) / 2), buf,
			     false);
		} else {
			const struct stats_scale *ms = &st->scales[st->morale_scale];
			const struct stats_prop *risk;
			bool hot = false, ok;
			if (company) {
				risk = &ms->unfav;
				ok = ms->shown == STATS_SHOWN;
			} else {
				risk = &st->hotspots[grp].share;
				ok = st->hotspots[grp].shown == STATS_SHOWN;
				hot = st->hotspots[grp].hot;
			}
			if (!ok || !report_prop_ok(risk)) {
				dash(p, cx, y, g->colw, h);
				continue;
			}
			snprintf(buf, sizeof(buf), "%s%s", px_pct(a, sizeof(a), risk->p), hot ? " !" : "");
			cell(p, cx, y, g->colw, h, ramp(0.5 - risk->p), buf, hot);
		}
	}
	p->y = y;
	px_hline(p, PX_ML, PX_ML + PX_CW, y, 0.3f, PX_LIGHT);
}

void
px_segments(struct px *p)
{
	const struct report *r = p->r;
	struct grid g = {0};
	char note[900];
	size_t maxl = 1;

	if (r->nsegs < 2) {
		px_para(p, PX_ML, PX_CW, 9.5f, 14, PX_TEXT, false,
		        REPORT_TR(r, "この調査にはグループ別の集計がありません（グループが1つだけです）。",
		                  "This survey has no breakdown by group (there is only one group)."));
		return;
	}
	/* An interim report shows participation only (include/koe/dc.h). */
	g.ncols = r->rounded ? 0
	                     : r->s->nscales + (r->st->morale_scale >= 0 && r->st->hotspots ? 1 : 0);
	float avail = PX_CW - SEG_LABEL_W - SEG_N_W - SEG_RATE_W;
	g.colw = g.ncols ? fminf(64, avail / (float)g.ncols) : 0;
	g.x0 = PX_ML + SEG_LABEL_W + SEG_N_W + SEG_RATE_W;
	for (size_t c = 0; c < g.ncols; c++) {
		size_t l = px_wrap(p, column_title(r, c), g.colw - 4, 7);
		if (l > maxl)
			maxl = l;
	}
	g.head_h = (float)(maxl > 4 ? 4 : maxl) * 8.5f + 8;

	if (r->rounded)
		snprintf(note, sizeof(note),
		         r->en ? "Responses and response rate by group. While the survey is open, "
		                 "response counts are rounded down to steps of %d (\"10+\" means at least "
		                 "10), and the rate is computed from the rounded count."
		               : "グループ別の回答数と回答率です。調査の実施中は、回答数を %d 人単位で切り捨てて"
		                 "表示し（「10+」は10人以上）、回答率も切り捨てた数から計算しています。",
		         r->s->min_group);
	else
		snprintf(note, sizeof(note),
		         r->en ? "Share of favorable scale scores by group (morale risk: share of "
		                 "unfavorable morale scores). Blue is favorable, orange unfavorable."
		               : "グループ別の好意的な回答者の割合（尺度得点）。士気リスクの列は否定的な回答者の"
		                 "割合です。青は好意的、橙は否定的な傾向を示します。");
	px_para(p, PX_ML, PX_CW, 8.5f, 12.5f, PX_TEXT, false, note);
	p->y -= 6;
	grid_header(p, &g);
	grid_row(p, &g, r->nsegs);
	for (size_t i = 0; i < r->nsegs && px_ok(p); i++)
		grid_row(p, &g, r->seg_order[i]);
	p->y -= 10;
	snprintf(note, sizeof(note),
	         r->en ? "— hidden: fewer than %d people answered in the group, or the group is hidden "
	                 "together with a small one so that no figure can be worked out by "
	                 "subtraction. ▲ ▼ the group's mean scale score is significantly above or "
	                 "below the rest of the company (Welch's t-test, Benjamini–Hochberg q < 0.05). ! a morale hot spot: the "
	                 "group's morale risk is significantly above the rest of the company. (merged): "
	                 "koe joined the values of a dimension that had fewer than %d people, so "
	                 "that every group has at least that many."
	               : "— は非表示: 回答者が %d 人未満のグループ、または差し引きで数値を推定できないよう"
	                 "併せて非表示にしたグループです。▲ ▼ は尺度の平均点が社内の他の回答者より有意に高い・低いこと"
	                 "（Welch の t 検定、Benjamini–Hochberg 法で q < 0.05）、! は士気リスクが社内の他の"
	                 "回答者より有意に高いグループ（ホットスポット）を示します。（統合）は、%d 人に満たない"
	                 "区分を匿名性のためにまとめたものです。",
	         r->s->min_group, r->s->min_group);
	px_para(p, PX_ML, PX_CW, 7, 9.5f, PX_GREY, false, note);
}

static int
driver_cmp(const void *a, const void *b, const struct stats_driver *v)
{
	const struct stats_driver *x = &v[*(const size_t *)a], *y = &v[*(const size_t *)b];
	bool ox = x->corr.status == STATS_OK, oy = y->corr.status == STATS_OK;
	if (ox != oy)
		return ox ? -1 : 1;
	if (ox && x->corr.r != y->corr.r)
		return x->corr.r > y->corr.r ? -1 : 1;
	return (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}

/* Sorts the driver indices by r, largest first (insertion sort: a report
 * has a handful of drivers, and qsort has no context argument in C17). */
static void
sort_drivers(size_t *idx, size_t n, const struct stats_driver *v)
{
	for (size_t i = 1; i < n; i++) {
		size_t x = idx[i], j = i;
		while (j > 0 && driver_cmp(&x, &idx[j - 1], v) < 0) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = x;
	}
}

#define DRV_LABEL_W 170.0f
#define DRV_BAR_X (PX_ML + 178.0f)
#define DRV_BAR_W 200.0f
#define DRV_NUM_X (DRV_BAR_X + DRV_BAR_W + 12.0f)
#define LABEL_SIZE_DRV 7.5f

static float
drv_x(double amin, double v)
{
	return DRV_BAR_X + (float)((v - amin) / (1 - amin)) * DRV_BAR_W;
}

/* One driver: its label, its correlation bar with the interval, and its
 * figures (or why there are none). amin is the axis' left end. */
static void
driver_row(struct px *p, const struct stats_driver *dr, double amin)
{
	const struct report *r = p->r;
	char line[160];
	float zero = drv_x(amin, 0);
#define AX(v) drv_x(amin, (v))
	const char *label = dr->kind == STATS_DRIVER_SCALE ? r->scale_label[dr->index]
	                    : (long)dr->index == r->enps
	                        ? "eNPS"
	                        : r->s->items[r->stats_to_item[dr->index]].key;
	size_t nl = px_wrap(p, label, DRV_LABEL_W, LABEL_SIZE_DRV);
	if (nl > 3)
		nl = 3;
	float h = fmaxf((float)nl * 9.3f, 20) + 8;
	px_need(p, h);
	px_wrap(p, label, DRV_LABEL_W, LABEL_SIZE_DRV);
	float top = p->y, mid = top - h / 2;
	px_draw_wrapped(p, PX_ML, mid + ((float)nl - 1) * 4.65f - 2.5f, LABEL_SIZE_DRV, 9.3f,
	                PX_TEXT, false, 3);
	px_vline(p, zero, top, top - h, 0.5f, PX_GREY);
	for (double t = amin; t <= 1.0001; t += 0.5)
		if (fabs(t) > 1e-9)
			px_vline(p, AX(t), top, top - h, 0.3f, PX_LIGHT);
	if (dr->corr.status != STATS_OK) {
		/* In the figures' column, clear of the axis lines. */
		px_wrap(p,
		        dr->corr.status == STATS_NO_VARIANCE
		            ? REPORT_TR(r, "回答にばらつきがないため計算できません",
		                        "the answers do not vary: not computable")
		            : REPORT_TR(r, "回答が少ないため計算していません",
		                        "too few answers to compute"),
		        PX_ML + PX_CW - DRV_NUM_X, 7);
		px_draw_wrapped(p, DRV_NUM_X, mid + 1, 7, 9, PX_GREY, false, 2);
		p->y -= h;
		return;
	}
	double rv = dr->corr.r;
	float x1 = AX(fmin(rv, 0)), x2 = AX(fmax(rv, 0));
	px_rect(p, x1, mid - 5, x2 - x1, 10, rv >= 0 ? PX_FAV2 : PX_UNFAV2);
	px_hline(p, AX(dr->corr.lo), AX(dr->corr.hi), mid, 0.8f, PX_ACCENT);
	px_vline(p, AX(dr->corr.lo), mid - 3, mid + 3, 0.8f, PX_ACCENT);
	px_vline(p, AX(dr->corr.hi), mid - 3, mid + 3, 0.8f, PX_ACCENT);
	snprintf(line, sizeof(line), "r = %.2f [%.2f, %.2f]", rv, dr->corr.lo, dr->corr.hi);
	px_text(p, DRV_NUM_X, mid + 1, 8, PX_TEXT, false, line);
	if (isfinite(dr->beta))
		snprintf(line, sizeof(line), "β = %.2f · n = %zu", dr->beta, dr->corr.n);
	else
		snprintf(line, sizeof(line), "n = %zu", dr->corr.n);
	px_text(p, DRV_NUM_X, mid - 8, 6.5f, PX_GREY, false, line);
	p->y -= h;
#undef AX
}

/* The sentence under the drivers chart about the multiple regression. */
static void
ols_note(const struct report *r, char *line, size_t cap)
{
	const struct stats_report *st = r->st;
switch (st->ols.status) {
case STATS_OK:
	snprintf(line, cap,
	         r->en ? "Multiple regression of support on all the scales above (standardized "
	                 "coefficients β): R² = %.2f, %zu complete answers."
	               : "上の尺度すべてによる支持の重回帰（標準化係数 β）: R² = %.2f、完全回答 %zu 人。",
	         st->ols.r2, st->ols.n);
	break;
case STATS_TOO_FEW:
	/* A count below k would describe fewer than k people. */
	if (st->ols.n >= (size_t)r->s->min_group)
		snprintf(line, cap,
		         r->en ? "No multiple regression: %zu complete answers, %zu needed (10 per "
		                 "factor)."
		               : "重回帰は計算していません: 完全回答 %zu 人（要因1つあたり10人、計 %zu 人が必要）。",
		         st->ols.n, st->ols.needed);
	else
		snprintf(line, cap,
		         r->en ? "No multiple regression: it needs %zu complete answers (10 per "
		                 "factor)."
		               : "重回帰は計算していません（要因1つあたり10人、計 %zu 人の完全回答が必要）。",
		         st->ols.needed);
	break;
case STATS_SINGULAR:
	snprintf(line, cap, "%s",
	         REPORT_TR(r, "要因どうしの相関が強すぎるため、重回帰は計算できませんでした。",
	                   "The factors are too closely related for a multiple regression."));
	break;
case STATS_NO_VARIANCE:
	snprintf(line, cap, "%s",
	         REPORT_TR(r, "回答にばらつきがないため、重回帰は計算できませんでした。",
	                   "The answers do not vary enough for a multiple regression."));
	break;
case STATS_NO_DATA:
	line[0] = '\0';
	break;
}
}

void
px_drivers(struct px *p)
{
	const struct report *r = p->r;
	const struct stats_report *st = r->st;
	size_t *idx;
	char line[600], a[32];
	double lo = 0;

	if (st->support_scale < 0) {
		px_para(p, PX_ML, PX_CW, 9.5f, 14, PX_TEXT, false,
		        REPORT_TR(r, "調査票に制度への支持（[[Role:support]]）の尺度がないため、要因の分析はありません。",
		                  "The questionnaire has no support scale ([[Role:support]]), so there is no "
		                  "driver analysis."));
		return;
	}
	if (st->ndrivers == 0) {
		px_para(p, PX_ML, PX_CW, 9.5f, 14, PX_TEXT, false,
		        REPORT_TR(r, "支持の尺度のほかに尺度や NPS の設問がないため、要因の分析はありません。",
		                  "There is no other scale or NPS question to relate to support."));
		return;
	}
	snprintf(line, sizeof(line),
	         r->en ? "How strongly each factor goes together with support for the program "
	                 "(\"%s\" scale score): Pearson correlation r with its 95%% confidence "
	                 "interval, largest first. A longer bar means that people who score higher "
	                 "on the factor tend to support the program more. Correlation is not "
	                 "causation."
	               : "各要因と「%s」の尺度得点との相関（Pearson の r、線は95%%信頼区間）を大きい順に"
	                 "示します。バーが長いほど、その要因の得点が高い人ほど制度を支持する傾向が強いこと"
	                 "を表します。相関は因果関係を示すものではありません。",
	         r->scale_label[st->support_scale]);
	px_para(p, PX_ML, PX_CW, 8.5f, 12.5f, PX_TEXT, false, line);
	p->y -= 8;

	if ((idx = calloc(st->ndrivers, sizeof(*idx))) == NULL) {
		p->err = KOE_ENOMEM;
		return;
	}
	for (size_t d = 0; d < st->ndrivers; d++) {
		idx[d] = d;
		if (st->drivers[d].corr.status == STATS_OK)
			lo = fmin(lo, st->drivers[d].corr.lo);
	}
	sort_drivers(idx, st->ndrivers, st->drivers);
	double amin = lo < 0 ? -1 : 0;
#define AX(v) drv_x(amin, (v))

	px_need(p, 40);
	for (double t = amin; t <= 1.0001; t += 0.5) {
		snprintf(a, sizeof(a), "%.1f", t);
		px_text_center(p, AX(t), p->y - 8, 6.5f, PX_GREY, false, a);
	}
	px_text(p, DRV_NUM_X, p->y - 8, 6.5f, PX_GREY, false,
	        REPORT_TR(r, "r [95%信頼区間] · β", "r [95% CI] · β"));
	p->y -= 14;
	for (size_t k = 0; k < st->ndrivers && px_ok(p); k++)
		driver_row(p, &st->drivers[idx[k]], amin);
#undef AX
	free(idx);
	p->y -= 8;
	ols_note(r, line, sizeof(line));
	if (line[0])
		px_para(p, PX_ML, PX_CW, 8, 12, PX_GREY, false, line);
}
