/* Question text may carry <br>, <b> and <i>; everything else HR (or a
 * copied Qualtrics file) puts there is shown as text, never as markup. */
#include "harness.h"
#include "koe/qn.h"

static struct arena a;

static const char *
san(const char *in)
{
	return qn_html_sanitize(&a, in, strlen(in));
}

static void
allowed_tags_are_kept(void)
{
	CHECK_STR(san("a<br>b<BR/>c<br />d"), "a<br>b<br>c<br>d");
	CHECK_STR(san("<b>bold</b> <I>it</I>"), "<b>bold</b> <i>it</i>");
	CHECK_STR(san("日本語<b>太字</b>"), "日本語<b>太字</b>");
}

static void
everything_else_is_text(void)
{
	CHECK_STR(san("<script>x</script>"), "&lt;script&gt;x&lt;/script&gt;");
	CHECK_STR(san("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
	CHECK_STR(san("<b onclick=\"x\">"), "&lt;b onclick=&quot;x&quot;&gt;");
	CHECK_STR(san("<a href='javascript:x'>y</a>"),
	          "&lt;a href=&#39;javascript:x&#39;&gt;y&lt;/a&gt;");
	CHECK_STR(san("<bold>"), "&lt;bold&gt;");
	CHECK_STR(san("1 < 2 & 3 > 2"), "1 &lt; 2 &amp; 3 &gt; 2");
}

static void
entities(void)
{
	CHECK_STR(san("&amp; &lt; &#169; &nbsp;"), "&amp; &lt; &#169; &nbsp;");
	CHECK_STR(san("&copy; &#x41;"), "&amp;copy; &amp;#x41;");
}

static void
tags_are_balanced(void)
{
	CHECK_STR(san("<b>open"), "<b>open</b>");
	CHECK_STR(san("</i>stray"), "stray");
	CHECK_STR(san("<b><b>twice</b>"), "<b>twice</b>");
}

static void
plain_text_for_pdf(void)
{
	CHECK_STR(qn_html_to_plain(&a, "a<br>b <b>c</b> &amp; &#169;"), "a b c & \xC2\xA9");
	CHECK_STR(qn_html_to_plain(&a, "&lt;script&gt;"), "<script>");
}

int
main(void)
{
	RUN(allowed_tags_are_kept);
	RUN(everything_else_is_text);
	RUN(entities);
	RUN(tags_are_balanced);
	RUN(plain_text_for_pdf);
	arena_free(&a);
	return harness_done();
}
