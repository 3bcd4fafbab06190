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

/* One measure per cell, one hue per measure: the cell's own number, from
 * white (0%) to blue (favorable columns) or orange (the morale column,
 * unfavorable), light enough for black figures. */
static struct px_rgb
ramp(double t, bool unfav)
{
	static const struct px_rgb white = {0.98f, 0.98f, 0.97f}, blue = {0.40f, 0.62f, 0.85f},
	                           orange = {0.94f, 0.52f, 0.40f};
	struct px_rgb b = unfav ? orange : blue;
	if (!isfinite(t))
		return PX_LIGHT;
	float u = (float)fmin(1, fmax(0, t));
	return (struct px_rgb){white.r + (b.r - white.r) * u, white.g + (b.g - white.g) * u,
	                       white.b + (b.b - white.b) * u};
}

struct grid {
	size_t ncols;  /* scale columns (the morale scale's is the risk column) */
	size_t col_scale[STATS_MAX_SCALES]; /* the scale of each column */
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
column_title(const struct report *r, const struct grid *g, size_t c)
{
	static char buf[600];
	size_t s = g->col_scale[c];
	bool unf = (int)s == r->st->morale_scale;
	snprintf(buf, sizeof(buf), r->en ? "%s (%s)" : "%s（%s）", r->scale_label[s],
	         unf ? REPORT_TR(r, "否定的", "unfavorable") : REPORT_TR(r, "肯定的", "favorable"));
	return buf;
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
		head_cell(p, g->x0 + (float)c * g->colw, g->colw, top, column_title(r, g, c));
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
		size_t si = g->col_scale[c];
		bool unf = (int)si == st->morale_scale;
		const struct stats_pooled *pl =
			company ? &st->pooled[si] : r->seg_pool ? &r->seg_pool[si * ng + grp] : NULL;
		if (pl == NULL || pl->shown != STATS_SHOWN || pl->status != STATS_OK) {
			dash(p, cx, y, g->colw, h);
			continue;
		}
		double v = unf ? pl->unfav : pl->fav;
		const char *mark = "";
		bool hot = false;
		if (!company && unf && st->hotspots) {
			hot = st->hotspots[grp].shown == STATS_SHOWN && st->hotspots[grp].hot;
			mark = hot ? " !" : "";
		} else if (!company) {
			const struct stats_compare *cmp = &st->compare[si * ng + grp];
			if (cmp->welch.status == STATS_OK && cmp->welch.flagged)
				mark = cmp->welch.diff > 0 ? " ▲" : " ▼";
		}
		snprintf(buf, sizeof(buf), "%s%s", px_pct(a, sizeof(a), v), mark);
		cell(p, cx, y, g->colw, h, ramp(v, unf), buf, hot);
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
	/* One column per scale; the morale scale's shows its unfavorable
	 * share (the risk), not a favorable one beside it. */
	g.ncols = 0;
	for (size_t s = 0; !r->rounded && s < r->s->nscales && s < STATS_MAX_SCALES; s++)
		g.col_scale[g.ncols++] = s;
	float avail = PX_CW - SEG_LABEL_W - SEG_N_W - SEG_RATE_W;
	g.colw = g.ncols ? fminf(64, avail / (float)g.ncols) : 0;
	g.x0 = PX_ML + SEG_LABEL_W + SEG_N_W + SEG_RATE_W;
	for (size_t c = 0; c < g.ncols; c++) {
		size_t l = px_wrap(p, column_title(r, &g, c), g.colw - 4, 7);
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
		snprintf(note, sizeof(note), "%s",
		         REPORT_TR(r, "各セルは一つの数値です: その尺度の全項目への回答のうち肯定的な回答の割合"
		                      "（1ページ目と同じまとめ方）。職場の士気の列だけは否定的な回答の割合"
		                      "（士気リスク）です。色の濃さはセルの数値そのもの（青 = 肯定的、橙 = 否定的）。"
		                      "グループは数値の順（1年未満、1-3年、3-5年の順など）に並べています。",
		                   "Each cell is one figure: the share of favorable answers to the scale's "
		                   "items (pooled as on page 1); the morale column alone shows the share "
		                   "of unfavorable answers (morale risk). The colour's depth is the cell's "
		                   "own figure (blue favorable, orange unfavorable). Groups are in natural "
		                   "order (under 1 year, 1-3 years, 3-5 years and so on)."));
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
	                 "below the rest of the company (Welch's t-test, Benjamini–Hochberg q < 0.05); "
	                 "groups of fewer than 10 people get no mark. ! a morale hot spot: the share of "
	                 "the group's people with an unfavorable morale score is significantly above "
	                 "the rest of the company. (merged): "
	                 "koe joined the values of a dimension that had fewer than %d people, so "
	                 "that every group has at least that many."
	               : "— は非表示: 回答者が %d 人未満のグループ、または差し引きで数値を推定できないよう"
	                 "併せて非表示にしたグループです。▲ ▼ は尺度の平均点が社内の他の回答者より有意に高い・低いこと"
	                 "（Welch の t 検定、Benjamini–Hochberg 法で q < 0.05。回答者 10 人未満のグループには"
	                 "つけません）、! は士気の尺度得点が否定的な人の割合が社内の他の回答者より有意に高い"
	                 "グループ（ホットスポット）を示します。（統合）は、%d 人に満たない"
	                 "区分を匿名性のためにまとめたものです。",
	         r->s->min_group, r->s->min_group);
	px_para(p, PX_ML, PX_CW, 7, 9.5f, PX_GREY, false, note);
}

/* Margins (README, "Page 1: findings"): per dimension, each value's pooled
 * shares of the three roles, the groups sharing it together. This answers
 * "does tenure matter" without testing each cell against everyone else. */
/* The rows px_margins draws for dimension d: its shown margins. */
static size_t
margin_rows(const struct report *r, size_t d)
{
	size_t n = 0;
	for (size_t m = 0; m < r->nmargins; m++) {
		const struct report_margin *mg = &r->margins[m];
		bool any = false;
		if (mg->dim != d || strcmp(mg->value, "*") == 0)
			continue;
		for (int role = 0; role < REPORT_NROLES; role++)
			any |= r->role_scale[role] >= 0 && mg->pool[role].shown == STATS_SHOWN &&
			       mg->pool[role].status == STATS_OK;
		n += any;
	}
	return n;
}

void
px_margins(struct px *p)
{
	const struct report *r = p->r;
	char buf[600], a[32];
	const float lw = SEG_LABEL_W, nw = SEG_N_W, cw = 90;

	if (r->nmargins == 0 || r->ndims < 1)
		return;
	px_heading(p, REPORT_TR(r, "区分ごとのまとめ（同じ値の、表示しているグループを合わせた集計）",
	                        "By dimension (the shown groups sharing a value together)"));
	for (size_t d = 0; d < r->ndims && px_ok(p); d++) {
		/* A dimension's table stays on one page (a row alone on the next
		 * page would lose its header), unless it is longer than a page. */
		float whole = 30 + (float)margin_rows(r, d) * SEG_ROW_H;
		px_need(p, whole < PX_TOP - PX_BOTTOM ? whole : 60);
		float top = p->y;
		px_text(p, PX_ML, top - 10, 7.5f, PX_GREY, true, r->dim_name[d]);
		px_text_center(p, PX_ML + lw + nw / 2, top - 10, 7, PX_GREY, false, "n");
		for (int role = 0; role < REPORT_NROLES; role++) {
			if (r->role_scale[role] < 0)
				continue;
			snprintf(buf, sizeof(buf), r->en ? "%s (%s)" : "%s（%s）",
			         r->scale_label[r->role_scale[role]],
			         role == REPORT_MORALE ? REPORT_TR(r, "否定的", "unfavorable")
			                               : REPORT_TR(r, "肯定的", "favorable"));
			px_wrap(p, buf, cw - 4, 6.5f);
			px_draw_wrapped(p, PX_ML + lw + nw + (float)role * cw + 2, top - 6, 6.5f, 8,
			                PX_GREY, false, 2);
		}
		p->y -= 22;
		px_hline(p, PX_ML, PX_ML + lw + nw + 3 * cw, p->y + 2, 0.6f, PX_GREY);
		for (size_t m = 0; m < r->nmargins && px_ok(p); m++) {
			const struct report_margin *mg = &r->margins[m];
			size_t people = 0;
			bool any = false;
			if (mg->dim != d || strcmp(mg->value, "*") == 0)
				continue;
			for (int role = 0; role < REPORT_NROLES; role++)
				if (r->role_scale[role] >= 0 && mg->pool[role].shown == STATS_SHOWN &&
				    mg->pool[role].status == STATS_OK) {
					any = true;
					people = people > mg->pool[role].people ? people : mg->pool[role].people;
				}
			if (!any)
				continue; /* a hidden margin is not named */
			px_need(p, SEG_ROW_H);
			float y = p->y - SEG_ROW_H;
			px_text(p, PX_ML + 2, y + SEG_ROW_H / 2 - 2.6f, 7.5f, PX_TEXT, false, mg->value);
			snprintf(buf, sizeof(buf), "%zu", people);
			cell(p, PX_ML + lw, y, nw, SEG_ROW_H, PX_WHITE, buf, false);
			for (int role = 0; role < REPORT_NROLES; role++) {
				const struct stats_pooled *pl = &mg->pool[role];
				float cx = PX_ML + lw + nw + (float)role * cw;
				if (r->role_scale[role] < 0)
					continue;
				if (pl->shown != STATS_SHOWN || pl->status != STATS_OK) {
					dash(p, cx, y, cw, SEG_ROW_H);
					continue;
				}
				double v = report_role_share((enum report_role)role, pl);
				cell(p, cx, y, cw, SEG_ROW_H, ramp(v, role == REPORT_MORALE),
				     px_pct(a, sizeof(a), v), false);
			}
			p->y = y;
			px_hline(p, PX_ML, PX_ML + lw + nw + 3 * cw, y, 0.3f, PX_LIGHT);
		}
		p->y -= 8;
	}
	snprintf(buf, sizeof(buf), "%s",
	         REPORT_TR(r, "値が同じグループ（例: 勤続 1-3年のすべての部署）をまとめた、1ページ目と同じ"
	                      "まとめ方の割合です。少人数のグループが差し引きで分かってしまう値は載せて"
	                      "いません。",
	                   "Shares pooled as on page 1 over every group with that value (e.g. every "
	                   "department's 1-3 years). A value whose figure would reveal a small group "
	                   "by subtraction is left out."));
	px_para(p, PX_ML, PX_CW, 7, 9.5f, PX_GREY, false, buf);
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
	/* Each figure with the n it used: r pairwise, β the regression's
	 * complete cases. */
	if (isfinite(dr->beta) && isfinite(dr->dominance))
		snprintf(line, sizeof(line),
		         r->en ? "n = %zu · β = %.2f, share of R² %.3f [%.3f, %.3f] (n = %zu)"
		               : "n = %zu · β = %.2f、R² への寄与 %.3f [%.3f, %.3f]（n = %zu）",
		         dr->corr.n, dr->beta, dr->dominance, dr->dominance_lo, dr->dominance_hi,
		         r->st->ols.n);
	else if (isfinite(dr->beta))
		snprintf(line, sizeof(line), "n = %zu · β = %.2f (n = %zu)", dr->corr.n, dr->beta,
		         r->st->ols.n);
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

size_t
px_drivers_clear(const struct report *r)
{
	const struct stats_report *st = r->st;
	size_t nclear = 0;
	for (size_t d = 0; d < st->ndrivers; d++) {
		const struct stats_corr *c = &st->drivers[d].corr;
		if (c->status == STATS_OK)
			nclear += fabs(c->r) >= 0.1 && (c->lo > 0 || c->hi < 0);
	}
	return nclear;
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
	/* With no clear driver, one line says so and the figures follow as
	 * one compact paragraph instead of a chart. */
	double maxabs = 0;
	for (size_t d = 0; d < st->ndrivers; d++)
		if (st->drivers[d].corr.status == STATS_OK)
			maxabs = fmax(maxabs, fabs(st->drivers[d].corr.r));
	if (px_drivers_clear(r) == 0) {
		char list[4000] = "";
		size_t len = 0;
		snprintf(line, sizeof(line),
		         r->en ? "No factor goes together clearly with \"%s\": every correlation is "
		                 "within ±%.2f, and no 95%% interval both excludes 0 and reaches "
		                 "|r| ≥ 0.1."
		               : "「%s」とはっきり関連する要因はありません（相関はすべて ±%.2f 以内で、"
		                 "|r| が 0.1 以上かつ95%%信頼区間が 0 を含まない要因はありません）。",
		         r->scale_label[st->support_scale], maxabs);
		px_para(p, PX_ML, PX_CW, 9.5f, 14, PX_TEXT, true, line);
		/* One line per candidate, every one listed. */
		for (size_t d = 0; d < st->ndrivers; d++) {
			len = 0;
			const struct stats_driver *dr = &st->drivers[d];
			const char *label = dr->kind == STATS_DRIVER_SCALE ? r->scale_label[dr->index]
			                    : (long)dr->index == r->enps
			                        ? "eNPS"
			                        : r->s->items[r->stats_to_item[dr->index]].key;
			if (dr->corr.status == STATS_OK && isfinite(dr->dominance))
				len += (size_t)snprintf(list + len, sizeof(list) - len,
				                        r->en ? "%s%s r = %.2f [%.2f, %.2f] (n = %zu), share "
				                                "of R² %.3f [%.3f, %.3f]"
				                              : "%s%s r = %.2f [%.2f, %.2f]（n = %zu、R² への"
				                                "寄与 %.3f [%.3f, %.3f]）",
				                        REPORT_TR(r, "・", "- "), label, dr->corr.r,
				                        dr->corr.lo, dr->corr.hi, dr->corr.n, dr->dominance,
				                        dr->dominance_lo, dr->dominance_hi);
			else if (dr->corr.status == STATS_OK)
				len += (size_t)snprintf(list + len, sizeof(list) - len,
				                        "%s%s r = %.2f [%.2f, %.2f] (n = %zu)",
				                        REPORT_TR(r, "・", "- "), label, dr->corr.r,
				                        dr->corr.lo, dr->corr.hi, dr->corr.n);
			else
				len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s %s",
				                        REPORT_TR(r, "・", "- "), label,
				                        REPORT_TR(r, "（計算なし）", "(not computed)"));
			px_para(p, PX_ML, PX_CW, 8, 12, PX_GREY, false, list);
		}
		ols_note(r, line, sizeof(line));
		if (line[0])
			px_para(p, PX_ML, PX_CW, 8, 12, PX_GREY, false, line);
		p->y -= 6;
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
