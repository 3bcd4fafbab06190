# Reference figures for test_stats_change.c, computed independently of the C
# code with base R (4.2.2 from Debian's r-base-core):
#
#   cd tests/data/stats && Rscript change.R > change.txt
#
# Each line is one case: its kind, a name, the inputs the C function takes
# (as released in a report's JSON), then R's results. Values have 17
# significant digits, "NA" where a figure is not defined; the last field is
# the status the C code must report. Neither the build nor the tests run R.
#
# Definitions (include/koe/stats.h, "Changes since an earlier survey"):
#   share  p1 n1 p2 n2 -> diff lo hi z p status
#          Newcombe's hybrid score interval (method 10) from the two Wilson
#          intervals of prop.test(correct = FALSE); the test is the pooled
#          two-proportion z test, prop.test(c(x2, x1), c(n2, n1),
#          correct = FALSE) (its X-squared is z^2; the sign of z is the
#          sign of the difference). Shares with a count that is not whole
#          (a pooled share: answers over people) use the same formulas
#          written out.
#   mean   m1 v1 n1 m2 v2 n2 -> diff lo hi t df p status
#          t.test(after, before) (Welch) on generated answers whose mean
#          and variance are the inputs.
#   nps    P1 D1 n1 P2 D2 n2 -> diff lo hi z p status
#          every person scores +100 / 0 / -100 (9-10 / 7-8 / 0-6), the NPS
#          is their mean; the variance of each wave's mean is the
#          population variance of the scores over n (computed from the
#          scores themselves), interval diff +- qnorm(0.975) * se.
z <- qnorm(0.975)
f <- function(v) if (is.na(v)) "NA" else sprintf("%.17g", v)
line <- function(...) cat(paste(sapply(list(...), function(v) if (is.character(v)) v else f(v)),
                                collapse = " "), "\n", sep = "")

wilson_formula <- function(p, n) {
	centre <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
	half <- z * sqrt(p * (1 - p) / n + z^2 / (4 * n^2)) / (1 + z^2 / n)
	c(if (p == 0) 0 else centre - half, if (p == 1) 1 else centre + half)
}

share <- function(name, x1, n1, x2, n2) {
	p1 <- x1 / n1; p2 <- x2 / n2
	whole <- x1 == round(x1) && x2 == round(x2)
	if (whole) {
		w1 <- suppressWarnings(prop.test(x1, n1, correct = FALSE))$conf.int
		w2 <- suppressWarnings(prop.test(x2, n2, correct = FALSE))$conf.int
	} else {
		w1 <- wilson_formula(p1, n1); w2 <- wilson_formula(p2, n2)
	}
	d <- p2 - p1
	lo <- d - sqrt((p2 - w2[1])^2 + (w1[2] - p1)^2)
	hi <- d + sqrt((w2[2] - p2)^2 + (p1 - w1[1])^2)
	pooled <- (x1 + x2) / (n1 + n2)
	if (pooled == 0 || pooled == 1) {
		line("share", name, p1, n1, p2, n2, d, lo, hi, NA, NA, "no_variance")
		return(invisible())
	}
	if (whole) {
		pt <- suppressWarnings(prop.test(c(x2, x1), c(n2, n1), correct = FALSE))
		zz <- sign(d) * sqrt(unname(pt$statistic)); pv <- pt$p.value
	} else {
		zz <- d / sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2)); pv <- 2 * pnorm(-abs(zz))
	}
	line("share", name, p1, n1, p2, n2, d, lo, hi, zz, pv, "ok")
}

answers <- function(n, probs) sample(1:5, n, replace = TRUE, prob = probs)

mean_case <- function(name, a, b) {
	d <- mean(b) - mean(a)
	va <- if (length(a) > 1) var(a) else 0
	vb <- if (length(b) > 1) var(b) else 0
	head <- list("mean", name, mean(a), va, length(a), mean(b), vb, length(b))
	r <- tryCatch(t.test(b, a), error = function(e) conditionMessage(e))
	if (is.character(r)) {
		status <- if (grepl("constant", r)) "no_variance" else "too_few"
		do.call(line, c(head, list(d, NA, NA, NA, NA, NA, status)))
	} else {
		do.call(line, c(head, list(d, r$conf.int[1], r$conf.int[2], unname(r$statistic),
		     unname(r$parameter), r$p.value, "ok")))
	}
}

nps_case <- function(name, a, b) {
	s <- function(x) ifelse(x >= 9, 100, ifelse(x <= 6, -100, 0))
	sa <- s(a); sb <- s(b)
	d <- mean(sb) - mean(sa)
	v <- function(x) mean((x - mean(x))^2) / length(x)
	se <- sqrt(v(sa) + v(sb))
	head <- list("nps", name, mean(a >= 9), mean(a <= 6), length(a),
	          mean(b >= 9), mean(b <= 6), length(b))
	if (se == 0) {
		do.call(line, c(head, list(d, NA, NA, NA, NA, "no_variance")))
		return(invisible())
	}
	do.call(line, c(head, list(d, d - z * se, d + z * se, d / se, 2 * pnorm(-abs(d / se)), "ok")))
}

set.seed(20261129)
share("typical", 96, 200, 131, 210)
share("small_change", 40, 100, 44, 100)
share("drop", 150, 180, 120, 190)
share("zero_to_some", 0, 40, 9, 45)
share("some_to_zero", 6, 30, 0, 28)
share("zero_both", 0, 25, 0, 31)
share("one_both", 12, 12, 20, 20)
share("zero_to_one", 0, 8, 9, 9)
share("one_to_lower", 50, 50, 40, 48)
share("small_wave", 3, 5, 150, 200)
share("below_k_wave", 1, 3, 30, 60)
share("pooled_fraction", 0.62 * 120, 120, 0.71 * 130, 130)
mean_case("typical", answers(200, c(.1, .2, .3, .25, .15)), answers(210, c(.05, .15, .3, .3, .2)))
mean_case("unequal_var", answers(30, c(.45, .05, .0, .05, .45)), answers(300, c(0, .1, .8, .1, 0)))
mean_case("tiny_waves", c(2, 3), c(4, 4, 5))
mean_case("one_constant", rep(3, 20), answers(25, c(.1, .2, .4, .2, .1)))
mean_case("both_constant", rep(4, 10), rep(4, 12))
mean_case("single_answer", c(5), answers(40, c(.2, .2, .2, .2, .2)))
nps_case("typical", sample(0:10, 200, replace = TRUE), sample(0:10, 220, replace = TRUE,
         prob = c(rep(.05, 7), .1, .1, .2, .25)))
nps_case("all_promoters_both", rep(10, 15), rep(9, 20))
nps_case("promoters_to_detractors", rep(10, 12), rep(3, 14))
nps_case("small", c(9, 10, 7, 3, 8), c(9, 9, 10, 6, 2, 8, 10))
