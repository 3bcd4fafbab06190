/* The questionnaire as a printable A4 PDF for approval rounds
 * (`koe preview --pdf`, docs/ARCHITECTURE.md §8.7): the title and the
 * survey's settings, then page by page every question as employees will
 * see it, with its answer key, required mark, scale and choices, in the
 * survey's language with the English text beneath. Same fonts and drawing
 * layer as the report (report_draw.c); texts printed without tags
 * (qn_html_to_lines). */
#include <stdio.h>
#include <string.h>

#include "report_pdf_internal.h"

struct qp {
	struct px *p;
	const struct qn_survey *q;
	bool en;              /* the survey's language is English */
	struct arena a;       /* plain texts */
};

#define TR(z, ja, en_) ((z)->en ? (en_) : (ja))

/* The text of allow-listed HTML, one line per paragraph or list item. */
static const char *
plain(struct qp *z, const char *html)
{
	const char *s = html ? qn_html_to_lines(&z->a, html) : "";
	if (s == NULL) {
		z->p->err = KOE_ENOMEM;
		return "";
	}
	return s;
}

static const char *
type_label(const struct qp *z, const struct qn_question *q)
{
	switch (q->type) {
	case QN_MC_SINGLE:
		return q->layout == QN_DROPDOWN ? TR(z, "単一選択（プルダウン）", "One choice (drop-down)")
		                                : TR(z, "単一選択", "One choice");
	case QN_MC_MULTI: return TR(z, "複数選択", "Any number of choices");
	case QN_MATRIX: return TR(z, "マトリクス（各行に一つ）", "Matrix (one per row)");
	case QN_TE_LINE: return TR(z, "自由記述（1行）", "Free text (one line)");
	case QN_TE_ESSAY: return TR(z, "自由記述", "Free text");
	case QN_DB: return TR(z, "説明文", "Text only");
	case QN_NPS: return TR(z, "0〜10の推奨度", "0–10 likelihood to recommend");
	}
	return "";
}

/* The title page: title, English title, and what koe reads from the
 * header, so approvers see the settings too. */
static void
front(struct qp *z)
{
	struct px *p = z->p;
	const struct qn_survey *q = z->q;
	char buf[256];

	px_page(p);
	px_para(p, PX_ML, PX_CW, 18, 26, PX_ACCENT, true, q->title);
	if (q->title_en && !z->en)
		px_para(p, PX_ML, PX_CW, 12, 18, PX_GREY, false, q->title_en);
	p->y -= 8;
	px_para(p, PX_ML, PX_CW, 9, 13, PX_ALERT, false,
	        TR(z, "確認用の質問票です（koe preview で作成）。回答の受付には使えません。",
	           "A copy of the questionnaire for approval (made by koe preview); it takes no answers."));
	p->y -= 8;
	px_kv(p, TR(z, "調査ID", "Survey id"), q->id);
	px_kv(p, TR(z, "言語", "Language"), strcmp(q->language, "en") == 0 ? "English" : "日本語");
	snprintf(buf, sizeof(buf), "%zu / %zu / %zu", q->npages, q->nquestions, q->nitems);
	px_kv(p, TR(z, "ページ / 設問 / 回答項目", "Pages / questions / answer items"), buf);
	snprintf(buf, sizeof(buf), TR(z, "%d人（自由記述のグループ表示は%d人）",
	                              "%d people (comment groups: %d)"),
	         q->min_group, q->min_group_comments);
	px_kv(p, TR(z, "最小集計人数 k", "Smallest group shown (k)"), buf);
	if (q->closes)
		px_kv(p, TR(z, "回答期限", "Closes"), q->closes);
	buf[0] = '\0';
	for (size_t i = 0; i < q->nsegments; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? ", " : "",
		         q->segments[i]);
	if (q->nsegments)
		px_kv(p, TR(z, "集計の区分", "Segments"), buf);
	for (size_t i = 0; i < q->nscales; i++) {
		snprintf(buf, sizeof(buf), TR(z, "%s（%zu項目、%d件法%s%s）", "%s (%zu items, %d points%s%s)"),
		         q->scales[i].name, q->scales[i].nitems, q->scales[i].npoints,
		         q->scales[i].role ? TR(z, "、役割 ", ", role ") : "",
		         q->scales[i].role ? qn_role_name(q->scales[i].role) : "");
		px_kv(p, i ? "" : TR(z, "尺度", "Scales"), buf);
	}
	p->y -= 6;
	px_para(p, PX_ML, PX_CW, 8.5f, 12.5f, PX_GREY, false,
	        TR(z, "記号：（必須）は回答が必要な設問、○ は一つ選ぶ選択肢、□ はいくつでも選べる選択肢、"
	              "［逆転］は逆転項目です。[ ] 内は回答キーと値（レポートと JSON での名前）です。",
	           "Marks: (required) must be answered, ○ one choice, □ any number, [reversed] a "
	           "reverse-coded item. In brackets: the answer key and value (their names in the "
	           "report and the JSON)."));
}

/* One choice line: mark, text, its value, English beneath. */
static void
choice(struct qp *z, const char *mark, const struct qn_choice *c, const char *key)
{
	struct px *p = z->p;
	char head[96];

	if (key)
		snprintf(head, sizeof(head), "%s  [%s]", mark, key);
	else
		snprintf(head, sizeof(head), "%s  [%d]", mark, c->recode);
	px_need(p, 14);
	float top = p->y;
	px_text(p, PX_ML + 16, top - 9.5f, 9.5f, PX_GREY, false, head);
	float w = px_width(p, head, 9.5f) + 8;
	px_para(p, PX_ML + 16 + w, PX_CW - 16 - w, 9.5f, 13, PX_TEXT, false, plain(z, c->text));
	if (c->reverse)
		px_para(p, PX_ML + 16 + w, PX_CW - 16 - w, 8.5f, 12, PX_ALERT, false,
		        TR(z, "［逆転］", "[reversed]"));
	if (c->text_en && !z->en)
		px_para(p, PX_ML + 16 + w, PX_CW - 16 - w, 8.5f, 12, PX_GREY, false,
		        plain(z, c->text_en));
	p->y -= 2;
}

static void
matrix(struct qp *z, const struct qn_question *q)
{
	struct px *p = z->p;
	char key[QN_MAX_ID_LEN + 16];

	px_para(p, PX_ML + 16, PX_CW - 16, 8.5f, 12, PX_GREY, false,
	        TR(z, "行（それぞれに一つ選ぶ）：", "Rows (one answer each):"));
	for (size_t r = 0; r < q->nchoices; r++) {
		snprintf(key, sizeof(key), "%s.%d", q->id, q->choices[r].recode);
		choice(z, "・", &q->choices[r], key);
	}
	px_para(p, PX_ML + 16, PX_CW - 16, 8.5f, 12, PX_GREY, false,
	        TR(z, "選択肢（各行共通）：", "Scale points (every row):"));
	for (size_t c = 0; c < q->nanswers; c++)
		choice(z, "○", &q->answers[c], NULL);
}

/* What the employee answers in, below the question text. */
static void
answer_area(struct qp *z, const struct qn_question *q)
{
	struct px *p = z->p;

	switch (q->type) {
	case QN_MC_SINGLE:
	case QN_MC_MULTI:
		for (size_t c = 0; c < q->nchoices; c++)
			choice(z, q->type == QN_MC_MULTI ? "□" : "○", &q->choices[c], NULL);
		break;
	case QN_MATRIX:
		matrix(z, q);
		break;
	case QN_NPS:
		px_para(p, PX_ML + 16, PX_CW - 16, 9.5f, 13, PX_TEXT, false,
		        TR(z, "○ 0　○ 1　○ 2　○ 3　○ 4　○ 5　○ 6　○ 7　○ 8　○ 9　○ 10"
		              "（0 = まったくすすめたくない、10 = ぜひすすめたい）",
		           "○ 0  ○ 1  ○ 2  ○ 3  ○ 4  ○ 5  ○ 6  ○ 7  ○ 8  ○ 9  ○ 10 "
		           "(0 = not at all likely, 10 = extremely likely)"));
		break;
	case QN_TE_LINE:
	case QN_TE_ESSAY: {
		float h = q->type == QN_TE_ESSAY ? 56 : 18;
		px_need(p, h + 4);
		px_frame(p, PX_ML + 16, p->y - h, PX_CW - 16, h, 0.6f, PX_RULE);
		p->y -= h + 4;
		px_para(p, PX_ML + 16, PX_CW - 16, 8, 11, PX_GREY, false,
		        TR(z, "4,000字まで", "up to 4,000 characters"));
		break;
	}
	case QN_DB:
		break;
	}
}

/* The display conditions a question is shown under (docs/ARCHITECTURE.md
 * §5.2), its block's first, as written and with HR's label: approvers see
 * who is asked what. */
static void
conditions(struct qp *z, const struct qn_question *q)
{
	const struct qn_cond *cs[2] = {z->q->nblocks ? z->q->blocks[q->block].show_if : NULL,
	                               q->show_if};
	char line[700];

	for (size_t k = 0; k < 2; k++) {
		const struct qn_cond *c = cs[k];
		if (c == NULL)
			continue;
		const char *label = z->en && c->label_en ? c->label_en : c->label;
		snprintf(line, sizeof(line), "%s%s%s%s%s",
		         k == 0 ? TR(z, "表示条件（ブロック）: ", "Shown if (block): ")
		                : TR(z, "表示条件: ", "Shown if: "),
		         c->text, label ? TR(z, "（", " (") : "", label ? label : "",
		         label ? TR(z, "）", ")") : "");
		px_para(z->p, PX_ML + 16, PX_CW - 16, 8, 11.5f, PX_ACCENT, false, line);
	}
}

static void
question(struct qp *z, size_t i, int *no)
{
	struct px *p = z->p;
	const struct qn_question *q = &z->q->questions[i];
	char head[160], meta[256];

	px_need(p, 70);
	p->y -= 6;
	if (q->type == QN_DB)
		snprintf(head, sizeof(head), "%s", TR(z, "説明", "Text"));
	else
		snprintf(head, sizeof(head), "Q%d%s", ++*no,
		         q->required ? TR(z, "（必須）", " (required)") : "");
	px_para(p, PX_ML, PX_CW, 10, 14, q->required ? PX_ALERT : PX_ACCENT, true, head);
	px_para(p, PX_ML + 16, PX_CW - 16, 10.5f, 15, PX_TEXT, q->type != QN_DB, plain(z, q->text));
	if (q->text_en && !z->en)
		px_para(p, PX_ML + 16, PX_CW - 16, 9, 13, PX_GREY, false, plain(z, q->text_en));
	snprintf(meta, sizeof(meta), "%s · %s %s%s%s%s", type_label(z, q),
	         TR(z, "回答キー", "answer key"), q->id,
	         q->id_text ? TR(z, "（ID「", " (id '") : "", q->id_text ? q->id_text : "",
	         q->id_text ? TR(z, "」）", "')") : "");
	if (q->scale >= 0)
		snprintf(meta + strlen(meta), sizeof(meta) - strlen(meta), " · %s %s%s",
		         TR(z, "尺度", "scale"), z->q->scales[q->scale].name,
		         q->reverse && q->type != QN_MATRIX ? TR(z, "［逆転］", " [reversed]") : "");
	px_para(p, PX_ML + 16, PX_CW - 16, 8, 11.5f, PX_GREY, false, meta);
	conditions(z, q);
	p->y -= 3;
	answer_area(z, q);
}

static void
layout(struct qp *z)
{
	struct px *p = z->p;
	const struct qn_survey *q = z->q;
	size_t page = (size_t)-1;
	int no = 0;
	char head[300];

	front(z);
	for (size_t i = 0; i < q->nquestions && px_ok(p); i++) {
		const struct qn_question *qq = &q->questions[i];
		if (qq->page != page) {
			const char *name = q->nblocks ? q->blocks[qq->block].name : "";
			page = qq->page;
			snprintf(head, sizeof(head), TR(z, "ページ %zu / %zu%s%s", "Page %zu of %zu%s%s"),
			         page + 1, q->npages, name[0] ? " — " : "", name);
			/* Every page of the survey but the first starts a new
			 * printed page. */
			if (page == 0) {
				p->y -= 16;
				px_need(p, 120);
				px_para(p, PX_ML, PX_CW, 16, 22, PX_ACCENT, true, head);
				px_hline(p, PX_ML, PX_ML + PX_CW, p->y + 2, 1.2f, PX_ACCENT);
				p->y -= 12;
			} else {
				px_section(p, head);
			}
		}
		question(z, i, &no);
	}
	px_footers(p);
}

enum koe_err
report_questionnaire_pdf(const struct qn_survey *q, const struct report_options *opt,
                         uint8_t **buf, size_t *len, struct koe_msg *msg)
{
	struct px p = {0};
	struct qp z = {.p = &p, .q = q, .en = strcmp(q->language, "en") == 0};
	enum koe_err err;

	p.header = q->title;
	p.mark = z.en ? "for approval" : "確認用 / for approval";
	err = px_doc_begin(&p, opt->font_path, q->title, opt->epoch, msg);
	if (err == KOE_OK) {
		layout(&z);
		err = px_doc_end(&p, buf, len, msg);
	}
	px_doc_free(&p);
	arena_free(&z.a);
	return err;
}
