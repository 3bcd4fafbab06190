/* Question text may carry b, strong, i, em, u, sup, sub, p, ul, ol, li and
 * br, never with an attribute; everything else HR (or a Qualtrics export)
 * puts there is removed or shown as text, never as markup, and the output
 * nests whatever the input (docs/ARCHITECTURE.md §5.1). */
#include "harness.h"
#include "koe/qn.h"

static struct arena a;
static struct qn_html_note nt;

static const char *
san(const char *in)
{
	return qn_html_sanitize_note(&a, in, strlen(in), &nt);
}

static void
allowed_tags_are_kept(void)
{
	CHECK_STR(san("a<br>b<BR/>c<br />d"), "a<br>b<br>c<br>d");
	CHECK_STR(san("<b>bold</b> <I>it</I>"), "<b>bold</b> <i>it</i>");
	CHECK_STR(san("日本語<b>太字</b>"), "日本語<b>太字</b>");
	CHECK_STR(san("<strong>s</strong><em>e</em><u>u</u>x<sup>2</sup>H<sub>2</sub>O"),
	          "<strong>s</strong><em>e</em><u>u</u>x<sup>2</sup>H<sub>2</sub>O");
	CHECK_STR(san("<p>one</p><p>two</p>"), "<p>one</p><p>two</p>");
	CHECK_STR(san("<ul><li>a</li><li>b</li></ul><ol><li>c</li></ol>"),
	          "<ul><li>a</li><li>b</li></ul><ol><li>c</li></ol>");
	CHECK_INT(nt.count, 0);
}

/* What Qualtrics exports: styled spans and divs around every text. */
static void
qualtrics_wrappers_keep_their_text(void)
{
	CHECK_STR(san("<span style=\"font-size:19px;\">大きい</span>文字"), "大きい文字");
	CHECK_INT(nt.count, 0);
	CHECK_STR(san("<div>one</div><div>two</div>"), "one<br>two");
	CHECK_STR(san("<div>one</div><br>two"), "one<br>two");
	CHECK_STR(san("<div>one</div><p>two</p>"), "one<p>two</p>");
	CHECK_STR(san("<div>one</div><b>two</b>"), "one<br><b>two</b>");
	CHECK_STR(san("<font color=\"red\">red</font>"), "red");
	CHECK_STR(san("<p style=\"color:red\" class=\"x\">p</p>"), "<p>p</p>");
	CHECK_STR(nt.what, "attributes");
}

static void
attributes_never_pass(void)
{
	CHECK_STR(san("<b onclick=\"x\">b</b>"), "<b>b</b>");
	CHECK_STR(san("<b onmouseover=alert(1)>b"), "<b>b</b>");
	CHECK_STR(san("<i title='a>b'>t</i>"), "<i>t</i>");
	CHECK_STR(san("<img src=x onerror=alert(1)>"), "");
	CHECK_STR(nt.what, "<img>");
	CHECK_STR(san("<a href='javascript:alert(1)'>y</a>"), "y");
	CHECK_STR(san("<a href=\"data:text/html,<script>x</script>\">y</a>"), "y");
	CHECK_STR(san("<svg onload=alert(1)><circle/></svg>z"), "z");
	CHECK_STR(san("<body onload=alert(1)>t"), "t");
	CHECK_STR(san("<form action=x><input name=q><button>go</button></form>"), "go");
}

static void
script_and_its_content_are_dropped(void)
{
	CHECK_STR(san("a<script>alert(1)</script>b"), "ab");
	CHECK_STR(nt.what, "<script> with its content");
	CHECK_INT(nt.off, 1);
	CHECK_STR(san("a<SCRIPT type=x>alert('</b>')</SCRIPT >b"), "ab");
	CHECK_STR(san("<style>b{color:red}</style>t"), "t");
	CHECK_STR(san("<iframe src=//evil></iframe>t"), "t");
	CHECK_STR(san("t<script>never closed"), "t");
	CHECK_STR(san("<noscript><b>x</b></noscript>t"), "t");
	/* The split script: the outer "tag" is <scr with an odd attribute,
	 * what follows is text. */
	CHECK_STR(san("<scr<script>ipt>alert(1)</script>"), "ipt&gt;alert(1)");
	CHECK_STR(san("<<script>script>alert(1)<</script>/script>"), "&lt;/script&gt;");
}

static void
comments_and_cdata_are_dropped(void)
{
	CHECK_STR(san("a<!-- <script>alert(1)</script> -->b"), "ab");
	CHECK_STR(nt.what, "comments");
	CHECK_STR(san("a<!-->b"), "ab");
	CHECK_STR(san("a<!-- never closed <b>x</b>"), "a");
	CHECK_STR(san("a<![CDATA[<script>alert(1)</script>]]>b"), "ab");
	CHECK_STR(san("<!DOCTYPE html><?xml version=\"1.0\"?>t"), "t");
	CHECK_STR(san("a<!--[if IE]><script>x</script><![endif]-->b"), "ab");
}

static void
everything_else_is_text(void)
{
	CHECK_STR(san("1 < 2 & 3 > 2"), "1 &lt; 2 &amp; 3 &gt; 2");
	CHECK_STR(san("a <b and no end"), "a &lt;b and no end");
	CHECK_STR(san("<b title=\"unclosed>x"), "&lt;b title=&quot;unclosed&gt;x");
	CHECK_STR(san("</ b>x"), "&lt;/ b&gt;x");
	CHECK_STR(san("say \"hi\" 'x'"), "say &quot;hi&quot; &#39;x&#39;");
	CHECK_INT(nt.count, 0);
}

static void
entities(void)
{
	CHECK_STR(san("&amp; &lt; &#169; &nbsp;"), "&amp; &lt; &#169; &nbsp;");
	CHECK_STR(san("&copy; &rsquo; &#x41;"), "© ’ &#65;");
	/* An escaped tag is text and stays text. */
	CHECK_STR(san("&lt;script&gt;alert(1)&lt;/script&gt;"),
	          "&lt;script&gt;alert(1)&lt;/script&gt;");
	CHECK_STR(san("&#60;script&#62;"), "&#60;script&#62;");
	CHECK_STR(san("&unknown; &#; &#x;"), "&amp;unknown; &amp;#; &amp;#x;");
	CHECK_STR(san("&#0; &#xD800; &#1114112;"), "&#65533; &#65533; &#65533;");
}

static void
tags_are_balanced_and_nested(void)
{
	CHECK_STR(san("<b>open"), "<b>open</b>");
	CHECK_STR(san("</i>stray"), "stray");
	CHECK_STR(san("<b><b>twice</b>"), "<b>twice</b>");
	CHECK_STR(san("<b><i>x</b>y</i>"), "<b><i>x</i></b>y");
	CHECK_STR(san("<p>one<p>two"), "<p>one</p><p>two</p>");
	CHECK_STR(san("<b>bold<p>para</p>"), "<b>bold</b><p>para</p>");
	CHECK_STR(san("<li>loose</li>"), "<ul><li>loose</li></ul>");
	CHECK_STR(san("<ul><li>a<li>b</ul>"), "<ul><li>a</li><li>b</li></ul>");
	CHECK_STR(san("<ul><li>a<ul><li>b</ul></ul>"), "<ul><li>a<ul><li>b</li></ul></li></ul>");
	CHECK_STR(san("<p><ul><li>x</p>"), "<p></p><ul><li>x</li></ul>");
	CHECK_STR(san("</p></ul></li>"), "");
}

/* However deep or long the input, the output stays within its bounds and
 * closes everything (the buffer is sized for the worst case). */
static void
bounded_on_hostile_nesting(void)
{
	char in[4096] = "", want[4096] = "";
	for (int i = 0; i < 200; i++)
		strcat(in, "<li>");
	const char *out = san(in);
	CHECK(out != NULL && strncmp(out, "<ul><li></li><li>", 17) == 0);
	CHECK(out != NULL && strcmp(out + strlen(out) - 10, "</li></ul>") == 0);
	in[0] = '\0';
	for (int i = 0; i < 300; i++)
		strcat(in, i % 2 ? "<ol>" : "<ul>");
	out = san(in);
	CHECK(out != NULL && strlen(out) < 32 * 10);
	for (int i = 0; i < 600; i++)
		strcat(want, "&#0;");
	out = san(want);
	CHECK(out != NULL && strlen(out) == 600 * 8);
}

static void
plain_text_for_pdf(void)
{
	CHECK_STR(qn_html_to_plain(&a, "a<br>b <b>c</b> &amp; &#169;"), "a b c & \xC2\xA9");
	CHECK_STR(qn_html_to_plain(&a, "&lt;script&gt;"), "<script>");
	CHECK_STR(qn_html_to_plain(&a, "<p>one</p><p>two</p>"), "one two");
	CHECK_STR(qn_html_to_lines(&a, "<p>intro</p><ul><li>a</li><li>b</li></ul>end"),
	          "intro\n・a\n・b\nend");
	CHECK_STR(qn_html_to_lines(&a, "a<br>b"), "a\nb");
	/* Whatever the sanitizer lets through prints without a tag. */
	const char *s = san("<p style=x>Q<script>x</script><span>t</span><!--c--></p>&lt;i&gt;");
	CHECK_STR(qn_html_to_plain(&a, s), "Qt <i>");
}

/* koe check's warning points at the first removed piece in the file: the
 * right line of a text written over several lines, the right column (in
 * characters) of a choice and of an [[En]]; wrappers such as <span> and
 * <div> alone warn about nothing, and the file loads. */
static void
warnings_point_into_the_file(void)
{
	static const char file[] =
		"[[AdvancedFormat]]\n"
		"[[Survey:w]]\n"
		"[[Question:MC]]\n"
		"<span style=\"x\">一行目</span>\n"
		"<div>二行目</div>\n"
		"三行目 <iframe src=x></iframe>\n"
		"[[En: Third <img src=x> line]]\n"
		"[[Choices]]\n"
		"はい<!-- c -->\n"
		"<font>いいえ</font>\n";
	struct koe_diags d = {0};
	struct qn_survey *s = NULL;

	CHECK_INT(qn_parse(file, strlen(file), "w.txt", &s, &d), KOE_OK);
	CHECK_INT(koe_diags_errors(&d), 0);
	CHECK_INT(d.nwarn, 3);
	if (d.n == 3) {
		CHECK_INT(d.v[0].line, 6);
		CHECK_INT(d.v[0].col, 5);
		CHECK_STR(d.v[0].message, "HTML removed from the text: <iframe> with its content");
		CHECK_INT(d.v[1].line, 7);
		CHECK_INT(d.v[1].col, 13);
		CHECK_STR(d.v[1].message, "HTML removed from the text: <img>");
		CHECK_INT(d.v[2].line, 9);
		CHECK_INT(d.v[2].col, 3);
		CHECK_STR(d.v[2].message, "HTML removed from the text: comments");
	}
	if (s) {
		CHECK_STR(s->questions[0].text, "一行目<br>二行目<br>三行目 ");
		CHECK_STR(s->questions[0].choices[1].text, "いいえ");
	}
	qn_survey_free(s);
	koe_diags_free(&d);
}

int
main(void)
{
	RUN(allowed_tags_are_kept);
	RUN(qualtrics_wrappers_keep_their_text);
	RUN(attributes_never_pass);
	RUN(script_and_its_content_are_dropped);
	RUN(comments_and_cdata_are_dropped);
	RUN(everything_else_is_text);
	RUN(entities);
	RUN(tags_are_balanced_and_nested);
	RUN(bounded_on_hostile_nesting);
	RUN(plain_text_for_pdf);
	RUN(warnings_point_into_the_file);
	arena_free(&a);
	return harness_done();
}
