/* The comparison with an earlier survey in the PDF (README, "Comparing with
 * an earlier survey"): the previous value and the change on page 1's cards,
 * the three largest changes in a sentence each, and a section listing every
 * matched figure with its previous value, its change and 95% interval, and
 * what could not be matched. Only figures both reports released appear
 * (src/report_compare_internal.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_compare_internal.h"
#include "report_pdf_internal.h"

/* Column positions of the comparison table. */
#define CX_PREV (PX_ML + 262)
#define CX_NOW (PX_ML + 305)
#define CX_DIFF (PX_ML + 352)
#define CX_CI (PX_ML + 412)
#define CX_MARK (PX_ML + PX_CW - 2)
#define CX_LABEL_W 258.0f

/* A value as people read it: 48%, 3.42, +12. */
static const char *
value_text(char *buf, size_t cap, enum cmp_unit u, double v)
{
	if (u == CMP_SHARE)
		return px_pct(buf, cap, v);
	if (u == CMP_NPS)
		return px_signed(buf, cap, v);
	snprintf(buf, cap, "%.2f", v);
	return buf;
}

/* A change: +15 pt, +0.21, +46. */
static const char *
diff_text(const struct report *r, char *buf, size_t cap, enum cmp_unit u, double d)
{
	char a[32];
	if (u == CMP_SHARE)
		snprintf(buf, cap, "%s %s", px_signed(a, sizeof(a), 100 * d), REPORT_TR(r, "pt", "pt"));
	else if (u == CMP_NPS)
		snprintf(buf, cap, "%s", px_signed(a, sizeof(a), d));
	else
		snprintf(buf, cap, "%+.2f", d);
	return buf;
}

/* An interval's end in points: whole points, but one decimal below 1 so that
 * an interval that excludes 0 never reads "0". */
static const char *
bound_text(char *buf, size_t cap, double x)
{
	if (fabs(x) < 1 && fabs(x) >= 0.05)
		snprintf(buf, cap, "%+.1f", x);
	else
		px_signed(buf, cap, x);
	return buf;
}

static const char *
ci_text(const struct report *r, char *buf, size_t cap, enum cmp_unit u, double lo, double hi)
{
	char a[32], b[32];
	const char *to = REPORT_TR(r, "〜", " to ");
	if (!isfinite(lo) || !isfinite(hi)) {
		snprintf(buf, cap, "—");
	} else if (u == CMP_MEAN) {
		snprintf(buf, cap, "%+.2f%s%+.2f", lo, to, hi);
	} else {
		double k = u == CMP_SHARE ? 100 : 1;
		/* Cut short only in a buffer too small for two numbers. */
		if (snprintf(buf, cap, "%s%s%s", bound_text(a, sizeof(a), k * lo), to,
		             bound_text(b, sizeof(b), k * hi)) < 0)
			buf[0] = '\0';
	}
	return buf;
}

/* A group's stored label as the report prints it (（統合） for *). */
static const char *
group_display(const struct report *r, const char *label)
{
	for (size_t g = 0; g < r->nsegs; g++)
		if (strcmp(r->segs[g].label, label) == 0)
			return r->segs[g].display;
	return label;
}

static const char *
scale_label(const struct report *r, const char *name)
{
	for (size_t s = 0; s < r->s->nscales; s++)
		if (strcmp(r->s->scales[s].name, name) == 0)
			return r->scale_label[s];
	return name;
}

static const char *
figure_word(const struct report *r, const struct cmp_fig *f)
{
	if (strcmp(f->figure, "favorable") == 0)
		return REPORT_TR(r, "肯定的", "favorable");
	if (strcmp(f->figure, "unfavorable") == 0)
		return REPORT_TR(r, "否定的", "unfavorable");
	if (strcmp(f->figure, "mean") == 0)
		return REPORT_TR(r, "平均", "mean");
	return "";
}

/* What a figure is, in words: "営業部 · 制度への支持（肯定的）". */
static void
fig_name(const struct report *r, const struct cmp_fig *f, char *buf, size_t cap)
{
	const char *w = figure_word(r, f);
	switch (f->thing) {
	case CMP_RATE:
		snprintf(buf, cap, "%s", REPORT_TR(r, "回答率", "Response rate"));
		return;
	case CMP_ROLE:
		snprintf(buf, cap, r->en ? "%s (%s)" : "%s（%s）", scale_label(r, f->compat), w);
		return;
	case CMP_SCALE:
		snprintf(buf, cap, r->en ? "%s: score, %s" : "%s：尺度得点の%s", f->label, w);
		return;
	case CMP_ITEM:
		if (f->unit == CMP_NPS && r->enps >= 0 &&
		    strcmp(r->s->items[r->stats_to_item[r->enps]].key, f->name) == 0)
			snprintf(buf, cap, "eNPS");
		else if (f->unit == CMP_NPS)
			snprintf(buf, cap, "%s (NPS)", f->label);
		else
			snprintf(buf, cap, r->en ? "%s (%s)" : "%s（%s）", f->label, w);
		return;
	case CMP_CHOICE:
		/* The option first: a long question would hide it. */
		snprintf(buf, cap, r->en ? "\"%s\" — %s" : "「%s」— %s", f->sublabel ? f->sublabel : "",
		         f->label);
		return;
	case CMP_GROUP_RATE:
		snprintf(buf, cap, "%s · %s", group_display(r, f->segment),
		         REPORT_TR(r, "回答率", "response rate"));
		return;
	case CMP_GROUP_SCALE:
		snprintf(buf, cap, r->en ? "%s · %s (%s)" : "%s · %s（%s）",
		         group_display(r, f->segment), scale_label(r, f->name), w);
		return;
	case CMP_NTHINGS:
		break;
	}
	buf[0] = '\0';
}

static bool
strcmp_or(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static const struct cmp_change *
change_where(const struct report_cmp *c, enum cmp_thing thing, const char *name,
             const char *figure)
{
	for (size_t i = 0; i < c->nch; i++) {
		const struct cmp_fig *f = c->ch[i].cur;
		if (f->thing == thing && f->segment == NULL &&
		    (name == NULL ? f->name == NULL : f->name && strcmp(f->name, name) == 0) &&
		    strcmp(f->figure, figure) == 0)
			return &c->ch[i];
	}
	return NULL;
}

const char *
px_compare_item(const struct report *r, const char *key, char *buf, size_t cap)
{
	char d[48];
	const struct cmp_change *ch =
		r->cmp ? change_where(r->cmp, CMP_ITEM, key, "favorable") : NULL;
	buf[0] = '\0';
	if (ch != NULL)
		snprintf(buf, cap, "  %s%s", diff_text(r, d, sizeof(d), ch->cur->unit, ch->ch.diff),
		         ch->ch.marked ? (ch->ch.diff > 0 ? " ▲" : " ▼") : "");
	return buf;
}

void
px_compare_card(struct px *p, int kpi, float x, float top)
{
	static const char *const role_key[] = {"support", "rejoin", "morale"};
	const struct report *r = p->r;
	const struct cmp_change *ch = NULL;
	char a[48], b[48], line[120];
	if (r->cmp == NULL)
		return;
	if (kpi == 0)
		ch = change_where(r->cmp, CMP_RATE, NULL, "rate");
	else if (kpi >= 1 && kpi <= 3)
		ch = change_where(r->cmp, CMP_ROLE, role_key[kpi - 1],
		                  kpi == 3 ? "unfavorable" : "favorable");
	else if (kpi == 4 && r->enps >= 0)
		ch = change_where(r->cmp, CMP_ITEM, r->s->items[r->stats_to_item[r->enps]].key, "nps");
	if (ch == NULL) {
		px_text(p, x, top - 40, 7, PX_GREY, false, REPORT_TR(r, "前回: 比較なし", "before: —"));
		return;
	}
	snprintf(line, sizeof(line), "%s%s", diff_text(r, a, sizeof(a), ch->cur->unit, ch->ch.diff),
	         ch->ch.marked ? (ch->ch.diff > 0 ? " ▲" : " ▼") : "");
	px_text(p, x, top - 29, 9, ch->ch.marked ? PX_ACCENT : PX_GREY, true, line);
	snprintf(line, sizeof(line), "%s %s", REPORT_TR(r, "前回", "before"),
	         value_text(b, sizeof(b), ch->cur->unit, ch->ch.prev));
	px_text(p, x, top - 40, 7, PX_GREY, false, line);
}

/* "57% → 78%（+21 pt ▲）" into buf at len; returns the new length. */
static size_t
change_brief(const struct report *r, const struct cmp_change *ch, char *buf, size_t cap,
             size_t len)
{
	char v0[32], v1[32], d[48];
	enum cmp_unit u = ch->cur->unit;
	if (len >= cap)
		return len;
	int k = snprintf(buf + len, cap - len, r->en ? "%s → %s (%s%s)" : "%s → %s（%s%s）",
	                 value_text(v0, sizeof(v0), u, ch->ch.prev),
	                 value_text(v1, sizeof(v1), u, ch->ch.cur),
	                 diff_text(r, d, sizeof(d), u, ch->ch.diff),
	                 ch->ch.marked ? (ch->ch.diff > 0 ? " ▲" : " ▼") : "");
	return k < 0 ? len : len + (size_t)k;
}

void
px_compare_scale(struct px *p, size_t si)
{
	const struct report *r = p->r;
	const struct report_cmp *c = r->cmp;
	const char *name = r->s->scales[si].name;
	const struct cmp_change *pooled = NULL, *fav, *mean;
	char line[600];
	size_t len;
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nch; i++)
		if (c->ch[i].cur->thing == CMP_ROLE && strcmp_or(c->ch[i].cur->compat, name))
			pooled = &c->ch[i];
	fav = change_where(c, CMP_SCALE, name, "favorable");
	mean = change_where(c, CMP_SCALE, name, "mean");
	len = (size_t)snprintf(line, sizeof(line), "%s",
	                       REPORT_TR(r, "前回との比較: ", "Since the previous survey: "));
	if (pooled == NULL && fav == NULL && mean == NULL) {
		snprintf(line + len, sizeof(line) - len, "%s",
		         REPORT_TR(r, "比較できません（「前回との比較」の節を参照）。",
		                   "not compared (see the section on changes)."));
	} else {
		if (pooled) {
			len += (size_t)snprintf(line + len, sizeof(line) - len,
			                        r->en ? "%s answers " : "%s（全回答）",
			                        figure_word(r, pooled->cur));
			len = change_brief(r, pooled, line, sizeof(line), len);
		}
		if (pooled == NULL && fav) {
			len += (size_t)snprintf(line + len, sizeof(line) - len, "%s ",
			                        REPORT_TR(r, "肯定的な人", "favorable people"));
			len = change_brief(r, fav, line, sizeof(line), len);
		}
		if (mean) {
			len += (size_t)snprintf(line + len, sizeof(line) - len, "%s",
			                        REPORT_TR(r, " · 平均 ", " · mean "));
			len = change_brief(r, mean, line, sizeof(line), len);
		}
	}
	px_para(p, PX_ML, PX_CW, 8, 11.5f, PX_ACCENT, false, line);
	p->y -= 2;
}

/* One line for one change: "制度への支持（肯定的・項目合算）: 57% → 78%（+22 pt、
 * 95%信頼区間 +14〜+29）". */
static void
change_sentence(const struct report *r, const struct cmp_change *ch, char *buf, size_t cap)
{
	char name[600], v0[32], v1[32], d[48], ci[64];
	enum cmp_unit u = ch->cur->unit;
	fig_name(r, ch->cur, name, sizeof(name));
	value_text(v0, sizeof(v0), u, ch->ch.prev);
	value_text(v1, sizeof(v1), u, ch->ch.cur);
	diff_text(r, d, sizeof(d), u, ch->ch.diff);
	ci_text(r, ci, sizeof(ci), u, ch->ch.lo, ch->ch.hi);
	snprintf(buf, cap, r->en ? "%s: %s → %s (%s, 95%% CI %s)" : "%s: %s → %s（%s、95%%信頼区間 %s）",
	         name, v0, v1, d, ci);
}

void
px_compare_summary(struct px *p)
{
	const struct report *r = p->r;
	const struct report_cmp *c = r->cmp;
	char head[600], line[1000];
	if (c == NULL)
		return;
	/* Compact: page 1 also holds the cards, the differences and the
	 * concerns. */
	snprintf(head, sizeof(head),
	         r->en ? "Largest changes since the previous survey (%s)"
	               : "前回の調査（%s）からの大きな変化",
	         c->prev.title ? c->prev.title : c->prev.id);
	px_need(p, 60);
	px_para(p, PX_ML, PX_CW, 10.5f, 14, PX_ACCENT, true, head);
	if (c->ntop == 0)
		px_para(p, PX_ML, PX_CW, 8.5f, 12, PX_GREY, false,
		        REPORT_TR(r, "偶然の範囲（95%信頼区間が 0 を含む）を超えて変わった数値はありません。",
		                  "No figure changed by more than chance would explain (every 95% "
		                  "interval includes 0)."));
	for (size_t i = 0; i < c->ntop; i++) {
		char num[24];
		snprintf(num, sizeof(num), "%zu.", i + 1);
		change_sentence(r, &c->ch[c->top[i]], line, sizeof(line));
		px_need(p, 13);
		px_text(p, PX_ML, p->y - 8.5f, 8.5f, PX_ACCENT, true, num);
		px_para(p, PX_ML + 14, PX_CW - 14, 8.5f, 12, PX_TEXT, false, line);
	}
}

static void
table_header(struct px *p)
{
	const struct report *r = p->r;
	px_need(p, 30);
	float y = p->y - 9;
	px_text_right(p, CX_PREV + 30, y, 7.5f, PX_GREY, false, REPORT_TR(r, "前回", "Before"));
	px_text_right(p, CX_NOW + 35, y, 7.5f, PX_GREY, false, REPORT_TR(r, "今回", "Now"));
	px_text_right(p, CX_DIFF + 45, y, 7.5f, PX_GREY, false, REPORT_TR(r, "変化", "Change"));
	px_text(p, CX_CI, y, 7.5f, PX_GREY, false, REPORT_TR(r, "95%信頼区間", "95% CI"));
	px_hline(p, PX_ML, PX_ML + PX_CW, y - 4, 0.5f, PX_RULE);
	p->y -= 16;
}

static void
row(struct px *p, const struct cmp_change *ch)
{
	const struct report *r = p->r;
	char name[700], v[48];
	enum cmp_unit u = ch->cur->unit;
	fig_name(r, ch->cur, name, sizeof(name));
	size_t nl = px_wrap(p, name, CX_LABEL_W, 8);
	if (nl > 2)
		nl = 2;
	float h = (float)nl * 10.5f + 4;
	if (p->y - h < PX_BOTTOM) {
		px_need(p, h + 30);
		table_header(p);
		nl = px_wrap(p, name, CX_LABEL_W, 8);
		nl = nl > 2 ? 2 : nl;
	}
	float y = p->y - 8;
	px_draw_wrapped(p, PX_ML, y, 8, 10.5f, PX_TEXT, false, 2);
	struct px_rgb col = ch->ch.marked ? PX_ACCENT : PX_TEXT;
	px_text_right(p, CX_PREV + 30, y, 8, PX_GREY, false, value_text(v, sizeof(v), u, ch->ch.prev));
	px_text_right(p, CX_NOW + 35, y, 8, PX_TEXT, false, value_text(v, sizeof(v), u, ch->ch.cur));
	px_text_right(p, CX_DIFF + 45, y, 8, col, ch->ch.marked, diff_text(r, v, sizeof(v), u, ch->ch.diff));
	px_text(p, CX_CI, y, 7.5f, PX_GREY, false, ci_text(r, v, sizeof(v), u, ch->ch.lo, ch->ch.hi));
	if (ch->ch.marked)
		px_text_right(p, CX_MARK, y, 8, PX_ACCENT, true, ch->ch.diff > 0 ? "▲" : "▼");
	p->y -= h;
}

/* The rows of the things from..to, under a heading; none: nothing drawn. */
static void
rows(struct px *p, const char *title, enum cmp_thing from, enum cmp_thing to)
{
	const struct report_cmp *c = p->r->cmp;
	bool any = false;
	for (size_t i = 0; i < c->nch; i++) {
		const struct cmp_change *ch = &c->ch[i];
		if (ch->cur->thing < from || ch->cur->thing > to)
			continue;
		if (!any) {
			px_heading_keep(p, title, 40);
			table_header(p);
			any = true;
		}
		row(p, ch);
	}
}

static const char *
reason_text(const struct report *r, enum cmp_reason why)
{
	switch (why) {
	case CMP_ONLY_NOW:      return REPORT_TR(r, "前回の調査にない", "not in the previous survey");
	case CMP_ONLY_BEFORE:   return REPORT_TR(r, "今回の調査にない", "not in this survey");
	case CMP_HIDDEN_BEFORE: return REPORT_TR(r, "前回は非表示（少人数の保護）", "hidden in the previous survey");
	case CMP_HIDDEN_NOW:    return REPORT_TR(r, "今回は非表示（少人数の保護）", "hidden in this survey");
	case CMP_DIFFERENT:     return REPORT_TR(r, "選択肢の数・逆転項目・尺度が異なる", "different answer scale, reverse coding or scale");
	case CMP_NREASONS:      break;
	}
	return "";
}

static void
unmatched_list(struct px *p)
{
	const struct report *r = p->r;
	const struct report_cmp *c = r->cmp;
	char name[700];
	px_heading(p, REPORT_TR(r, "比較できなかったもの", "What could not be compared"));
	if (c->num == 0)
		px_para(p, PX_ML, PX_CW, 8.5f, 12.5f, PX_GREY, false,
		        REPORT_TR(r, "すべての数値を前回と比較しました。", "Every figure was compared."));
	for (size_t i = 0; i < c->num; i++) {
		const struct cmp_unmatched *u = &c->um[i];
		const char *label = u->label ? u->label : u->name ? u->name : "";
		if (u->group)
			snprintf(name, sizeof(name), "%s", group_display(r, u->segment));
		else if (u->thing == CMP_GROUP_SCALE)
			snprintf(name, sizeof(name), "%s · %s", group_display(r, u->segment),
			         scale_label(r, u->name));
		else if (u->thing == CMP_GROUP_RATE)
			snprintf(name, sizeof(name), "%s · %s", group_display(r, u->segment),
			         REPORT_TR(r, "回答率", "response rate"));
		else if (u->thing == CMP_ROLE)
			snprintf(name, sizeof(name), "%s", u->name);
		else if (u->thing == CMP_RATE)
			snprintf(name, sizeof(name), "%s", REPORT_TR(r, "回答率", "Response rate"));
		else
			snprintf(name, sizeof(name), "%s", label);
		px_kv(p, reason_text(r, u->reason), name);
	}
}

void
px_compare(struct px *p)
{
	const struct report *r = p->r;
	const struct report_cmp *c = r->cmp;
	char intro[1400];
	snprintf(intro, sizeof(intro),
	         r->en ? "Each figure next to the same figure of the previous survey, %s (%s, %s): "
	                 "matched by question id, Matrix row, scale name and group label. Change is "
	                 "now minus before: percentage points (pt) for shares, points for means and "
	                 "NPS. ▲ ▼ mark a change whose 95%% interval excludes 0 (shares: Newcombe's "
	                 "interval with a two-proportion z test; means: Welch's t from the summary "
	                 "figures; NPS: its multinomial variance). The two surveys asked different "
	                 "people at different times, so a mark says the change is larger than "
	                 "chance would explain, not why. A group hidden in either survey has no "
	                 "change; nothing is compared with a hidden figure."
	               : "前回の調査「%s」（%s、%s）の同じ数値と並べています。設問 ID・マトリクスの行・尺度名・"
	                 "グループ名で対応づけ、変化は「今回 − 前回」です（割合はポイント（pt）、平均と NPS は"
	                 "点）。▲ ▼ は 95%% 信頼区間が 0 を含まない変化です（割合: Newcombe の区間と 2 標本の"
	                 "比率の z 検定、平均: 集計値からの Welch の t 検定、NPS: 多項分布の分散）。二つの調査は"
	                 "別の時点の回答なので、印は偶然では説明しにくい変化を示すだけで、理由は示しません。どちらかの"
	                 "調査で人数が少なく非表示のグループは比較せず、非表示の数値との差は計算しません。",
	         c->prev.title ? c->prev.title : c->prev.id, c->prev.id,
	         c->prev.date ? c->prev.date : "");
	px_para(p, PX_ML, PX_CW, 8.5f, 12.5f, PX_TEXT, false, intro);
	rows(p, REPORT_TR(r, "全体", "Company"), CMP_RATE, CMP_ROLE);
	rows(p, REPORT_TR(r, "尺度", "Scales"), CMP_SCALE, CMP_SCALE);
	rows(p, REPORT_TR(r, "設問", "Questions"), CMP_ITEM, CMP_CHOICE);
	rows(p, REPORT_TR(r, "グループ別（ヒートマップの数値）", "By group (the heatmap's figures)"),
	     CMP_GROUP_RATE, CMP_GROUP_SCALE);
	unmatched_list(p);
}
