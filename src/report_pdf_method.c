/* The report's last pages: the comments and the method and anonymity page
 * (docs/ARCHITECTURE.md §8.5, §8.6). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "koe/util.h"
#include "report_pdf_internal.h"

void
px_comments(struct px *p)
{
	const struct report *r = p->r;
	const struct qn_survey *s = r->s;
	char line[800];

	if (!r->comments_shown) {
		px_para(p, PX_ML, PX_CW, 9.5f, 14, PX_TEXT, false, px_hidden_k(r, line, sizeof(line)));
		return;
	}
	snprintf(line, sizeof(line),
	         r->en ? "Comments are printed in a random order, not in the order they arrived. A "
	                 "comment names its group only when at least %zu people of that group "
	                 "answered; otherwise it names a broader group of at least %zu (a dimension "
	                 "shown as (merged)), or none. Comments are printed as written."
	               : "自由記述は回答順ではなく無作為な順序で掲載しています。グループ名は、そのグループの"
	                 "回答者が %zu 人以上の場合にのみ記載し、それ未満のときは %zu 人以上になる広い"
	                 "まとまり（「（統合）」と表示）を記載するか、記載しません。記述は原文のままです。",
	         r->min_comments, r->min_comments);
	px_para(p, PX_ML, PX_CW, 8, 11.5f, PX_GREY, false, line);
	if (r->nthemes > 0) {
		px_heading(p, REPORT_TR(r, "テーマ別の件数（調査票で定義したキーワードによる分類）",
		                        "Themes (by the keywords the questionnaire defines)"));
		for (size_t t = 0; t < r->nthemes && px_ok(p); t++) {
			const struct report_theme *th = &r->themes[t];
			char a[32], ci[64], q[900] = "";
			snprintf(line, sizeof(line),
			         r->en ? "%s: %zu comments (%s, %s)" : "%s: %zu 件（%s、%s）", th->name,
			         th->share.x, px_pct(a, sizeof(a), th->share.p),
			         px_ci_pct(r, ci, sizeof(ci), th->share.lo, th->share.hi));
			px_para(p, PX_ML, PX_CW, 9, 13, PX_TEXT, false, line);
			for (int k = 0; k < 2; k++) {
				size_t len = strlen(q);
				if (th->quotes[k] >= 0)
					snprintf(q + len, sizeof(q) - len, r->en ? "%s\"%s\"" : "%s「%s」",
					         k ? " " : "", r->comments[th->quotes[k]].cluster_text);
			}
			if (q[0])
				px_para(p, PX_ML + 14, PX_CW - 14, 7.5f, 10.5f, PX_GREY, false, q);
			p->y -= 3;
		}
		px_para(p, PX_ML, PX_CW, 7, 9.5f, PX_GREY, false,
		        REPORT_TR(r, "割合はすべての自由記述に対する比率です。一つの記述が複数のテーマに入ることがあります。",
		                  "Shares are of all comments; a comment can belong to several themes."));
		p->y -= 4;
	}
	for (size_t i = 0; i < s->nitems && px_ok(p); i++) {
		size_t count = 0;
		if (s->items[i].kind != QN_ITEM_TEXT)
			continue;
		for (size_t c = 0; c < r->ncomments; c++)
			count += r->comments[c].item == i;
		px_heading(p, r->item_label[i]);
		size_t distinct = 0;
		for (size_t c = 0; c < r->ncomments; c++)
			distinct += r->comments[c].item == i && r->comments[c].count > 0;
		if (distinct < count)
			snprintf(line, sizeof(line),
			         r->en ? "%zu comments, %zu different texts (identical and near-identical "
			                 "comments are printed once with their count)"
			               : "%zu 件、異なる記述 %zu 種類（同じ・ほぼ同じ記述は 1 回だけ掲載し、件数を添えています）",
			         count, distinct);
		else
			snprintf(line, sizeof(line), r->en ? "%zu comments" : "%zu 件", count);
		px_para(p, PX_ML, PX_CW, 8, 12, PX_GREY, false, line);
		p->y -= 4;
		for (size_t c = 0; c < r->ncomments && px_ok(p); c++) {
			const struct report_comment *cm = &r->comments[c];
			if (cm->item != i || cm->count == 0)
				continue;
			px_need(p, 30);
			px_text(p, PX_ML + 2, p->y - 9, 9, PX_ACCENT, false, "・");
			px_para(p, PX_ML + 14, PX_CW - 14, 9, 13.5f, PX_TEXT, false, cm->cluster_text);
			line[0] = '\0';
			if (cm->count > 1 && r->en)
				snprintf(line, sizeof(line), "× %zu%s", cm->count,
				         cm->variants > 1 ? " (similar wordings)" : "");
			else if (cm->count > 1)
				snprintf(line, sizeof(line), "%s %zu 件",
				         cm->variants > 1 ? "ほぼ同じ記述" : "同じ記述", cm->count);
			if (cm->run_display)
				snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s— %s",
				         line[0] ? " " : "", cm->run_display);
			else if (cm->run_display)
				snprintf(line, sizeof(line), "— %s", cm->run_display);
			if (line[0])
				px_para(p, PX_ML + 14, PX_CW - 14, 7, 10, PX_GREY, false, line);
			p->y -= 5;
		}
	}
}

/* ---- Method and anonymity ------------------------------------------- */

void
px_kv(struct px *p, const char *key, const char *value)
{
	size_t nk = px_wrap(p, key, 130, 8.5f);
	px_need(p, (float)(nk > 1 ? nk : 1) * 12.5f + 6);
	float top = p->y;
	px_draw_wrapped(p, PX_ML, top - 8.5f, 8.5f, 12, PX_GREY, false, 3);
	px_para(p, PX_ML + 140, PX_CW - 140, 8.5f, 12.5f, PX_TEXT, false, value);
	if (p->y > top - (float)nk * 12.5f)
		p->y = top - (float)nk * 12.5f;
	p->y -= 5;
}

static void method_statistics(struct px *p);

void
px_method(struct px *p)
{
	const struct report *r = p->r;
	const struct db_survey *rec = r->rec;
	char line[4096];

	snprintf(line, sizeof(line),
	         r->en ? "A figure is shown only for a group of at least %d people (k). When one group "
	                 "of a breakdown is hidden, the next smallest is hidden too, so that no hidden "
	                 "group can be worked out by subtraction from the total; a comparison with "
	                 "the rest of the company needs at least %d people there too. A scale and "
	                 "its items are computed over the same people (see Statistics). A comment "
	                 "names its group only with at least %zu respondents. When everyone in a "
	                 "shown group gives the same answer, the figure shows each member's answer: "
	                 "read such figures with care."
	               : "数値は %d 人（k）以上のまとまりについてのみ表示します。あるグループを非表示に"
	                 "したときは、合計から差し引いて求められないよう、次に小さいグループも非表示に"
	                 "します。社内の他の回答者との比較も、比較相手が %d 人以上の場合のみ表示します。"
	                 "尺度とその項目は同じ回答者で集計します（統計の方法を参照）。自由記述のグループ名は"
	                 "回答者 %zu 人以上の場合のみ記載します。なお、表示したグループの全員が同じ回答を"
	                 "した場合は、その数値から各人の回答が分かります。取り扱いにご注意ください。",
	         r->s->min_group, r->s->min_group, r->min_comments);
	px_kv(p, REPORT_TR(r, "最小集計人数", "Minimum group size"), line);
	px_kv(p, REPORT_TR(r, "匿名の仕組み", "How tokens work"),
	   REPORT_TR(r, "回答用リンクを開くと、ブラウザが無作為なトークンを作り、目隠し（ブラインド）した"
	                "まま調査の鍵で署名を受けます（RFC 9497 POPRF）。回答はそのトークンだけを添えて"
	                "別の通信で送られるため、サーバーを含め誰にも、どの招待から来た回答かは分かりません。",
	             "When an employee opens the link, the browser makes a random token and has it "
	             "signed by the survey's key while it is blinded (RFC 9497 POPRF). The answers "
	             "are later sent with that token alone, in a separate request, so nobody — the "
	             "server included — can tell which invitation they came from."));
	if (r->nholders > 0) {
		size_t len = 0;
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%s",
		                        r->nholders > 1
		                            ? REPORT_TR(r, "回答は次の全員の合言葉がそろって初めて開けます（一人では開けません）: ",
		                                        "The answers open only with every one of these "
		                                        "holders' passphrases (no one alone can): ")
		                            : REPORT_TR(r, "回答は一人の保有者の合言葉で開けます: ",
		                                        "The answers open with one holder's passphrase: "));
		for (size_t i = 0; i < r->nholders && len < sizeof(line); i++)
			len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s",
			                        i ? REPORT_TR(r, "、", ", ") : "", r->holders[i].name);
		px_kv(p, REPORT_TR(r, "回答の鍵の保有者", "Key holders"), line);
	}
	char fp[160];
	util_fingerprint_groups(rec->key_id, 8, "\n", fp, sizeof(fp));
	px_kv(p, REPORT_TR(r, "公開鍵のフィンガープリント", "Public key fingerprint"), fp);
	if (rec->state == DB_CLOSED && rec->receipts_digest) {
		snprintf(line, sizeof(line),
		         r->en ? "%lld receipts; SHA-256 of the sorted receipt list: %s"
		               : "%lld 件。並べ替えた受領コード一覧の SHA-256: %s",
		         (long long)rec->receipts_count, rec->receipts_digest);
	} else {
		snprintf(line, sizeof(line), "%s",
		         REPORT_TR(r, "調査の終了時に公開されます（この中間集計の時点では未確定です）。",
		                   "Published when the survey closes (not final at this interim "
		                   "report)."));
	}
	px_kv(p, REPORT_TR(r, "受領コード", "Receipts"), line);
	snprintf(line, sizeof(line),
	         r->en ? "%lld (a reissued link that had already been used could let one person "
	                 "answer twice)"
	               : "%lld 件（使用済みのリンクを再発行した場合、同じ人が二度回答できた可能性があります）",
	         (long long)rec->reissued);
	px_kv(p, REPORT_TR(r, "再発行したリンク", "Reissued links"), line);
	if (r->nhidden_segs == 0) {
		snprintf(line, sizeof(line), "%s",
		         REPORT_TR(r, "なし（個々の設問で回答が少ないセルは別途非表示にしています）",
		                   "none (cells of single questions with too few answers are hidden "
		                   "separately)"));
	} else {
		size_t len = 0;
		line[0] = '\0';
		for (size_t g = 0; g < r->nsegs && len + 1 < sizeof(line); g++) {
			if (r->segs[g].shown)
				continue;
			len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s",
			                        len ? REPORT_TR(r, "、", ", ") : "", r->segs[g].display);
		}
	}
	px_kv(p, REPORT_TR(r, "非表示のグループ", "Hidden groups"), line);
	method_statistics(p);
}

/* The second half of the method page: how every figure is computed, the
 * symbols, and who made the report when. */
static void
method_statistics(struct px *p)
{
	const struct report *r = p->r;
	char line[4096], date[32] = "";
	time_t t = (time_t)r->opt.epoch;
	struct tm tm;

	snprintf(line, sizeof(line),
	         r->en ? "Favorable = the top two answer points (bottom two on reversed items); "
	                 "unfavorable = the bottom two (top two on reversed items). A scale "
	                 "score is the mean of a person's items after reverse coding, for people who "
	                 "answered every item of the scale (complete cases; items marked * are "
	                 "counted over the same people, because their own respondents are fewer than "
	                 "k more); favorable ≥ midpoint + 0.5, unfavorable ≤ midpoint "
	                 "− 0.5. 95%% confidence intervals: Student's t for means, Wilson for shares. "
	                 "Group differences: Welch's t-test against the rest of the company, "
	                 "Benjamini–Hochberg adjusted over all %zu tests (q < 0.05). Drivers: Pearson r "
	                 "with Fisher z intervals; standardized multiple regression."
	               : "肯定的 = 上位2段階（逆転項目は下位2段階）、否定的 = 下位2段階（逆転項目は上位2段階）。"
	                 "尺度得点 = 逆転処理後の項目の平均"
	                 "（尺度の全項目に回答した人のみ。＊印の項目は、項目だけの回答者が k 人未満しか"
	                 "多くないため、同じ回答者で集計）で、中点 + 0.5 以上を肯定的、中点 − 0.5 以下を否定的と"
	                 "します。95%%信頼区間は平均が t 分布、割合が Wilson 法。グループ差は社内の他の"
	                 "回答者との Welch の t 検定で、全 %zu 検定に Benjamini–Hochberg 法を適用（q < 0.05）。"
	                 "要因は Pearson の相関（Fisher の z 変換による区間）と標準化重回帰。",
	         r->st->ntests);
	px_kv(p, REPORT_TR(r, "統計の方法", "Statistics"), line);
	snprintf(line, sizeof(line),
	         r->en ? "Page 1's shares pool every answer to a scale's items: the favorable share is "
	                 "the number of favorable answers over all answers to those items, so it is "
	                 "the average of the item shares in the charts, weighted by their answers. "
	                 "Its 95%% interval is Wilson's with n = the number of people rather than of "
	                 "answers, since one person's answers go together; it is therefore wider than "
	                 "a count of answers would make it. A difference by department or tenure "
	                 "pools the groups sharing that value (a margin, shown only when it reveals no "
	                 "hidden group) and is stated when it is at least %d points from the nearest "
	                 "other value, the value has at least %d people and its interval excludes "
	                 "that other value's share. Every interval of the company or of one group (page 1, "
	                 "items, scales, choices, eNPS) describes this company's employees, so it "
	                 "carries the finite-population correction: for n answers from N people invited "
	                 "(the group's invited headcount for a group), Wilson's n is raised to "
	                 "n(N − 1)/(N − n) and t and eNPS half-widths are multiplied by "
	                 "√((N − n)/(N − 1)) (everyone answering leaves no uncertainty); the "
	                 "comparisons between groups and margins are not corrected; this assumes those who "
	                 "answered are like those who did not, which the reweighting check on page 1 "
	                 "probes by group."
	               : "1ページ目の割合は、尺度の全項目への回答をまとめた（プールした）ものです。肯定的な"
	                 "割合 = 肯定的な回答の数 ÷ それらの項目への全回答数で、下のグラフの各項目の割合を"
	                 "回答数で重み付けした平均に一致します。95%%信頼区間は、一人の回答どうしは独立で"
	                 "ないため、回答数ではなく回答者数を n とした Wilson 法で、回答数で数えるより広く"
	                 "なります。部署・勤続年数による違いは、同じ値をもつグループをまとめた集計（非表示の"
	                 "グループが分かってしまう場合は表示しません）で、最も近い他の値と %d ポイント以上"
	                 "離れ、その値の回答者が %d 人以上で、信頼区間が他の値の割合を含まない場合に記載します。"
	                 "全社・各グループの信頼区間（1ページ目、項目、尺度、選択式、eNPS）は、この会社の社員を"
	                 "表す数値なので有限母集団修正を行っています（招待者 N 人（グループはその招待者数）の"
	                 "うち n 人が回答したとき、Wilson 法の n を n(N − 1)/(N − n) とし、t と eNPS の幅に "
	                 "√((N − n)/(N − 1)) を掛けます。全員が回答すれば幅はなくなります。グループ間・"
	                 "集計間の比較には用いません）。回答した人と"
	                 "しなかった人が似ていることが前提で、1ページ目の重み付けの確認がそれをグループ別に"
	                 "確かめます。",
	         (int)(REPORT_MIN_GAP * 100 + 0.5), REPORT_MIN_COMPARE);
	px_kv(p, REPORT_TR(r, "要点の数値", "Page 1 figures"), line);
	if (r->st->ntests > 0) {
		snprintf(line, sizeof(line),
		         r->en ? "The report runs %zu tests. If no group really differed, about %.1f of "
		                 "them would reach p < 0.05 by chance alone; the Benjamini–Hochberg "
		                 "correction (q < 0.05) keeps the expected share of false marks among "
		                 "the ▲ ▼ and hot spots at 5%% or less. Groups of fewer than %d people "
		                 "get no mark: one person moves their share by 10 points or more."
		               : "このレポートは %zu 個の検定を行います。実際にはどのグループにも差がなくても、"
		                 "偶然だけで約 %.1f 個が p < 0.05 になります。Benjamini–Hochberg 法（q < 0.05）"
		                 "により、▲ ▼ とホットスポットのうち誤った印の割合は平均 5%% 以下に抑えています。"
		                 "回答者が %d 人未満のグループには印をつけません（一人で割合が 10 ポイント以上"
		                 "動くため）。",
		         r->st->ntests, 0.05 * (double)r->st->ntests, REPORT_MIN_COMPARE);
		px_kv(p, REPORT_TR(r, "偶然による印", "Marks by chance"), line);
	}

	if (gmtime_r(&t, &tm))
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	snprintf(line, sizeof(line), r->en ? "koe %s, %s" : "koe %s、%s", KOE_VERSION, date);
	px_kv(p, REPORT_TR(r, "作成", "Made by"), line);
}

/* ---- Document --------------------------------------------------------- */
