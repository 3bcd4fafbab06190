# Reference figures for the stats_ tests, computed independently of the C code
# with base R (4.2.2 from Debian's r-base-core) on the committed fixtures:
#
#   cd tests/data/stats && Rscript reference.R > reference.txt
#
# Inputs: items.csv and scales.csv (the questionnaire: kind, points, reverse
# flag, scale and role of every item), survey.csv (48 respondents made once by
# gen.R). Output: one "key value" line per figure, values with 17 significant
# digits, "NA" where a figure is not defined. The tests in tests/test_stats_*.c
# read the same CSVs, compute the figures with the C module and compare at a
# relative tolerance of 1e-9 (they agree to 1e-12; the margin is for other
# GSL and R builds).
# Neither the build nor the tests run R; rerun this script only when the
# fixtures or the definitions in docs/ARCHITECTURE.md §7 change.
#
# Definitions (docs/ARCHITECTURE.md §7 and include/koe/stats.h):
#   - Likert item figures use the answers as given; favorable = top two
#     points, or bottom two for a reverse item; t CI from t.test().
#   - Wilson intervals from prop.test(correct = FALSE).
#   - NPS: promoters 9-10, detractors 0-6, CI by the formula of docs/ARCHITECTURE.md §7,
#     clamped to [-100, 100].
#   - Scale score: mean of the items after reverse coding (6 - x) for the
#     scale's complete cases (every item answered), else NA (include/koe/dc.h
#     rule 2). Favorable >= 3.5, unfavorable <= 2.5. Cronbach's alpha on the
#     same complete cases by formula.
#   - An item of a scale is computed over the scale's complete cases when its
#     own respondents are 1..k-1 more than those (dc.h rule 2), in the
#     company and in every group alike.
#   - Segments are sorted by name. Suppression with k = 5: groups below k are
#     hidden; while the hidden groups together hold between 1 and k-1
#     respondents, the smallest shown group (first by name on ties) is hidden
#     too. Sizes are the n of the figure in question.
#   - Welch t.test() of each shown segment against the rest, when the rest
#     has at least k scores (dc.h rule 1); one-sided
#     prop.test(alternative = "greater", correct = FALSE) of the morale risk
#     share of each shown segment against the rest (again only with a rest of
#     at least k); p.adjust("BH") over all of
#     these tests together.
#   - Drivers: cor.test() (pairwise complete, Fisher CI) of support with every
#     other scale and NPS item; lm() of scale(support) on the scaled driver
#     scales over complete cases.
k <- 5
items <- read.csv("items.csv", stringsAsFactors = FALSE)
scales <- read.csv("scales.csv", stringsAsFactors = FALSE, na.strings = "")
d <- read.csv("survey.csv", stringsAsFactors = FALSE, check.names = FALSE)
segs <- sort(unique(d$segment))

put <- function(key, value) {
	if (is.logical(value)) value <- as.numeric(value)
	if (is.na(value)) cat(key, "NA\n") else cat(sprintf("%s %.17g\n", key, value))
}

wilson <- function(x, n) {
	if (n == 0) return(c(NA, NA))
	suppressWarnings(prop.test(x, n, correct = FALSE)$conf.int[1:2])
}

suppress <- function(sizes) {
	hidden <- sizes < k
	reason <- ifelse(hidden, "below_k", "shown")
	while (sum(sizes[hidden]) > 0 && sum(sizes[hidden]) < k && any(!hidden)) {
		cand <- which(!hidden)
		j <- cand[which.min(sizes[cand])]
		hidden[j] <- TRUE
		reason[j] <- "complementary"
	}
	reason
}
reason_code <- c(shown = 0, below_k = 1, complementary = 2)

mean_figures <- function(prefix, x) {
	x <- x[!is.na(x)]
	put(paste0(prefix, ".n"), length(x))
	put(paste0(prefix, ".mean"), mean(x))
	put(paste0(prefix, ".sd"), sd(x))
	ci <- t.test(x)$conf.int
	put(paste0(prefix, ".ci_lo"), ci[1])
	put(paste0(prefix, ".ci_hi"), ci[2])
}

share_figures <- function(prefix, hit, n) {
	put(paste0(prefix, ""), hit / n)
	ci <- wilson(hit, n)
	put(paste0(prefix, "_lo"), ci[1])
	put(paste0(prefix, "_hi"), ci[2])
}

# ---- scale scores (complete cases) ----
score <- list()
for (s in scales$name) {
	its <- items[items$kind == "likert" & items$scale == s, ]
	m <- as.matrix(d[, its$key])
	for (j in seq_len(nrow(its))) if (its$reverse[j] == 1) m[, j] <- 6 - m[, j]
	score[[s]] <- rowMeans(m)
}

# ---- items ----
item_figures <- function(prefix, it, x) {
	x <- x[!is.na(x)]
	n <- length(x)
	mean_figures(prefix, x)
	if (it$kind == "likert") {
		np <- it$npoints
		for (p in 1:np) put(sprintf("%s.count.%d", prefix, p), sum(x == p))
		top <- sum(x >= np - 1)
		bottom <- sum(x <= 2)
		fav <- if (it$reverse == 1) bottom else top
		unfav <- if (it$reverse == 1) top else bottom
	} else {
		for (p in 0:10) put(sprintf("%s.count.%d", prefix, p), sum(x == p))
		fav <- sum(x >= 9)
		unfav <- sum(x <= 6)
		pp <- fav / n
		pd <- unfav / n
		put(paste0(prefix, ".nps"), 100 * (pp - pd))
		half <- 196 * sqrt((pp + pd - (pp - pd)^2) / n)
		put(paste0(prefix, ".nps_lo"), max(-100, 100 * (pp - pd) - half))
		put(paste0(prefix, ".nps_hi"), min(100, 100 * (pp - pd) + half))
	}
	share_figures(paste0(prefix, ".fav"), fav, n)
	share_figures(paste0(prefix, ".unfav"), unfav, n)
	put(paste0(prefix, ".neutral"), (n - fav - unfav) / n)
}

for (i in seq_len(nrow(items))) {
	it <- items[i, ]
	x <- d[[it$key]]
	if (it$kind == "likert" && !is.na(it$scale) && it$scale != "") {
		own <- sum(!is.na(x))
		cc <- !is.na(score[[it$scale]])
		if (own > sum(cc) && own - sum(cc) < k) x[!cc] <- NA
		put(paste0("item.", it$key, ".on_cc"), own > sum(cc) && own - sum(cc) < k)
	}
	item_figures(paste0("item.", it$key), it, x)
	sizes <- sapply(segs, function(g) sum(!is.na(x[d$segment == g])))
	reason <- suppress(sizes)
	for (j in seq_along(segs)) {
		prefix <- sprintf("item.%s.g.%s", it$key, segs[j])
		put(paste0(prefix, ".shown"), reason_code[[reason[j]]])
		if (reason[j] == "shown")
			item_figures(prefix, it, x[d$segment == segs[j]])
	}
}

# ---- scale scores ----
score <- list()
for (s in scales$name) {
	its <- items[items$kind == "likert" & items$scale == s, ]
	m <- as.matrix(d[, its$key])
	for (j in seq_len(nrow(its))) if (its$reverse[j] == 1) m[, j] <- 6 - m[, j]
	sc <- rowMeans(m) # NA unless every item is answered
	score[[s]] <- sc
	for (r in seq_along(sc)) put(sprintf("score.%s.%d", s, r - 1), sc[r])

	cc <- m[complete.cases(m), , drop = FALSE]
	mm <- ncol(cc)
	alpha <- mm / (mm - 1) * (1 - sum(apply(cc, 2, var)) / var(rowSums(cc)))
	put(sprintf("scale.%s.alpha_n", s), nrow(cc))
	put(sprintf("scale.%s.alpha", s), alpha)

	scale_figures <- function(prefix, v) {
		v <- v[!is.na(v)]
		mean_figures(prefix, v)
		share_figures(paste0(prefix, ".fav"), sum(v >= 3.5), length(v))
		share_figures(paste0(prefix, ".unfav"), sum(v <= 2.5), length(v))
	}
	scale_figures(paste0("scale.", s), sc)
	sizes <- sapply(segs, function(g) sum(!is.na(sc[d$segment == g])))
	reason <- suppress(sizes)
	for (j in seq_along(segs)) {
		prefix <- sprintf("scale.%s.g.%s", s, segs[j])
		put(paste0(prefix, ".shown"), reason_code[[reason[j]]])
		if (reason[j] == "shown")
			scale_figures(prefix, sc[d$segment == segs[j]])
	}
}

# ---- segment comparison (Welch) and morale risk hot spots, one BH family ----
tests <- data.frame(key = character(), p = numeric(), stringsAsFactors = FALSE)
for (s in scales$name) {
	sc <- score[[s]]
	sizes <- sapply(segs, function(g) sum(!is.na(sc[d$segment == g])))
	reason <- suppress(sizes)
	for (j in seq_along(segs)) {
		if (reason[j] != "shown") next
		inside <- d$segment == segs[j]
		a <- sc[inside & !is.na(sc)]
		b <- sc[!inside & !is.na(sc)]
		if (length(b) < k) next
		w <- t.test(a, b)
		prefix <- sprintf("welch.%s.%s", s, segs[j])
		put(paste0(prefix, ".n_rest"), length(b))
		put(paste0(prefix, ".diff"), mean(a) - mean(b))
		put(paste0(prefix, ".t"), w$statistic)
		put(paste0(prefix, ".df"), w$parameter)
		put(paste0(prefix, ".p"), w$p.value)
		tests[nrow(tests) + 1, ] <- list(prefix, w$p.value)
	}
}
morale <- score[["morale"]]
risk <- !is.na(morale) & morale <= 2.5
have <- !is.na(morale)
put("risk.x", sum(risk))
put("risk.n", sum(have))
share_figures("risk.share", sum(risk), sum(have))
sizes <- sapply(segs, function(g) sum(have[d$segment == g]))
reason <- suppress(sizes)
for (j in seq_along(segs)) {
	prefix <- sprintf("risk.%s", segs[j])
	put(paste0(prefix, ".shown"), reason_code[[reason[j]]])
	if (reason[j] != "shown") next
	inside <- d$segment == segs[j]
	xg <- sum(risk[inside]); ng <- sum(have[inside])
	xr <- sum(risk[!inside]); nr <- sum(have[!inside])
	share_figures(paste0(prefix, ".share"), xg, ng)
	if (nr < k) next
	p <- suppressWarnings(prop.test(c(xg, xr), c(ng, nr), alternative = "greater",
	                                 correct = FALSE))$p.value
	put(paste0(prefix, ".p"), p)
	tests[nrow(tests) + 1, ] <- list(prefix, p)
}
put("tests.n", nrow(tests))
tests$q <- p.adjust(tests$p, method = "BH")
for (i in seq_len(nrow(tests))) {
	put(paste0(tests$key[i], ".q"), tests$q[i])
	put(paste0(tests$key[i], ".flag"), tests$q[i] < 0.05)
}

# ---- drivers of support ----
support <- score[["support"]]
drivers <- list()
for (s in scales$name) if (s != "support") drivers[[s]] <- score[[s]]
for (key in items$key[items$kind == "nps"]) drivers[[key]] <- d[[key]]
for (name in names(drivers)) {
	x <- drivers[[name]]
	ok <- !is.na(x) & !is.na(support)
	ct <- cor.test(x[ok], support[ok])
	prefix <- paste0("corr.", name)
	put(paste0(prefix, ".n"), sum(ok))
	put(paste0(prefix, ".r"), ct$estimate)
	put(paste0(prefix, ".lo"), ct$conf.int[1])
	put(paste0(prefix, ".hi"), ct$conf.int[2])
	put(paste0(prefix, ".p"), ct$p.value)
}
ols_frame <- data.frame(support = support)
for (s in scales$name) if (s != "support") ols_frame[[s]] <- score[[s]]
cc <- ols_frame[complete.cases(ols_frame), ]
put("ols.n", nrow(cc))
fit <- lm(support ~ ., data = as.data.frame(scale(cc)))
for (s in names(cc)[-1]) put(paste0("ols.beta.", s), coef(fit)[[s]])
put("ols.r2", summary(fit)$r.squared)
# The first 25 respondents alone have too few complete cases for three drivers.
put("ols_small.n", sum(complete.cases(ols_frame[1:25, ])))

# ---- Benjamini-Hochberg on a fixed vector with ties and an unsorted order ----
bh_p <- c(0.01, 0.04, 0.03, 0.04, 0.2, 0.001, 0.5, 0.04, 0.9, 0.0004)
bh_q <- p.adjust(bh_p, method = "BH")
for (i in seq_along(bh_q)) put(sprintf("bh.%d", i - 1), bh_q[i])

# ---- Wilson intervals at the edges ----
for (xn in list(c(0, 10), c(10, 10), c(1, 1), c(3, 7), c(50, 1000)))
	share_figures(sprintf("wilson.%d.%d", xn[1], xn[2]), xn[1], xn[2])

# ---- pooled item-level shares per scale (stats_pool_counts, stats_pooled_from) ----
# Every answer to the scale's items counts once (an item computed over the
# complete cases counts only for them, dc.h rule 2); favorable / unfavorable
# as for the items. people = respondents with at least one pooled answer; the
# Wilson interval is taken at the pooled share with n = people, by formula
# (prop.test needs an integer count). Per segment: the raw counts, before any
# suppression, which margins add up.
wilson_pn <- function(p, n) {
	z <- qnorm(0.975)
	den <- 1 + z^2 / n
	centre <- (p + z^2 / (2 * n)) / den
	half <- z * sqrt(p * (1 - p) / n + z^2 / (4 * n^2)) / den
	c(if (p == 0) 0 else centre - half, if (p == 1) 1 else centre + half)
}
for (s in scales$name) {
	its <- items[items$kind == "likert" & items$scale == s, ]
	cc <- !is.na(score[[s]])
	fav <- matrix(FALSE, nrow(d), nrow(its))
	unf <- matrix(FALSE, nrow(d), nrow(its))
	ans <- matrix(FALSE, nrow(d), nrow(its))
	for (j in seq_len(nrow(its))) {
		x <- d[[its$key[j]]]
		own <- sum(!is.na(x))
		if (own > sum(cc) && own - sum(cc) < k) x[!cc] <- NA
		np <- its$npoints[j]
		top <- !is.na(x) & x >= np - 1
		bottom <- !is.na(x) & x <= 2
		ans[, j] <- !is.na(x)
		fav[, j] <- if (its$reverse[j] == 1) bottom else top
		unf[, j] <- if (its$reverse[j] == 1) top else bottom
	}
	pool <- function(prefix, rows) {
		a <- sum(ans[rows, ]); f <- sum(fav[rows, ]); u <- sum(unf[rows, ])
		people <- sum(rowSums(ans[rows, , drop = FALSE]) > 0)
		put(paste0(prefix, ".answers"), a)
		put(paste0(prefix, ".fav_x"), f)
		put(paste0(prefix, ".unfav_x"), u)
		put(paste0(prefix, ".people"), people)
		if (a > 0) {
			put(paste0(prefix, ".fav"), f / a)
			put(paste0(prefix, ".unfav"), u / a)
			put(paste0(prefix, ".neutral"), (a - f - u) / a)
			ci <- wilson_pn(f / a, people)
			put(paste0(prefix, ".fav_lo"), ci[1]); put(paste0(prefix, ".fav_hi"), ci[2])
			ci <- wilson_pn(u / a, people)
			put(paste0(prefix, ".unfav_lo"), ci[1]); put(paste0(prefix, ".unfav_hi"), ci[2])
		}
	}
	pool(paste0("pooled.", s), rep(TRUE, nrow(d)))
	for (g in segs) pool(sprintf("pooled.%s.g.%s", s, g), d$segment == g)
}
# A fractional base: 45.5 of 60.
ci <- wilson_pn(45.5 / 60, 60)
put("wilson_pn.45.5.60_lo", ci[1])
put("wilson_pn.45.5.60_hi", ci[2])

# ---- general dominance (stats_dominance) ----
# The fixture has too few complete cases for the OLS (19 < 30), so the
# weights are computed on data both this script and the test make by the
# same formulas: i = 0..79, x1 = i mod 7, x2 = (3i) mod 11, x3 = (5i) mod 13
# + x1 / 2, y = x1 + x2 / 2 + (7i) mod 5. Every subset of the predictors is
# fitted with lm(); a predictor's weight is the mean over subset sizes of
# the mean gain in R^2 from adding it to the subsets of the others of that
# size.
i <- 0:79
dom <- data.frame(x1 = i %% 7, x2 = (3 * i) %% 11)
dom$x3 <- (5 * i) %% 13 + dom$x1 / 2
dom$y <- dom$x1 + dom$x2 / 2 + (7 * i) %% 5
preds <- c("x1", "x2", "x3")
r2_of <- function(set) {
	if (length(set) == 0) return(0)
	summary(lm(reformulate(set, "y"), data = dom))$r.squared
}
put("dominance.r2", r2_of(preds))
for (v in preds) {
	others <- setdiff(preds, v)
	by_size <- numeric(0)
	for (size in 0:(length(preds) - 1)) {
		sets <- if (size == 0) list(character(0)) else combn(others, size, simplify = FALSE)
		by_size <- c(by_size, mean(sapply(sets, function(s) r2_of(c(s, v)) - r2_of(s))))
	}
	put(paste0("dominance.", v), mean(by_size))
}

# ---- finite-population correction of pooled intervals (stats_pooled_fpc) ----
# Wilson at the effective n = people (N - 1) / (N - people); N = 60 invited.
for (s in scales$name) {
	its <- items[items$kind == "likert" & items$scale == s, ]
	m <- as.matrix(d[, its$key])
	cc <- !is.na(score[[s]])
	fav <- 0; unf <- 0; ans <- 0; who <- rep(FALSE, nrow(d))
	for (j in seq_len(nrow(its))) {
		x <- m[, j]
		own <- sum(!is.na(x))
		if (own > sum(cc) && own - sum(cc) < k) x[!cc] <- NA
		top <- sum(x >= its$npoints[j] - 1, na.rm = TRUE)
		bottom <- sum(x <= 2, na.rm = TRUE)
		fav <- fav + if (its$reverse[j] == 1) bottom else top
		unf <- unf + if (its$reverse[j] == 1) top else bottom
		ans <- ans + sum(!is.na(x))
		who <- who | !is.na(x)
	}
	people <- sum(who)
	neff <- people * (60 - 1) / (60 - people)
	ci <- wilson_pn(fav / ans, neff)
	put(sprintf("fpc60.%s.fav_lo", s), ci[1]); put(sprintf("fpc60.%s.fav_hi", s), ci[2])
	ci <- wilson_pn(unf / ans, neff)
	put(sprintf("fpc60.%s.unfav_lo", s), ci[1]); put(sprintf("fpc60.%s.unfav_hi", s), ci[2])
}

# ---- one bootstrap resample and the percentile (stats_dominance, freq) ----
# The same data as "general dominance", row i (0-based) taken (7i) mod 3
# times; and R's quantile(type = 7) of a fixed vector.
freq <- (7 * i) %% 3
dom_b <- dom[rep(seq_len(nrow(dom)), freq), ]
r2_b <- function(set) {
	if (length(set) == 0) return(0)
	summary(lm(reformulate(set, "y"), data = dom_b))$r.squared
}
for (v in preds) {
	others <- setdiff(preds, v)
	by_size <- numeric(0)
	for (size in 0:(length(preds) - 1)) {
		sets <- if (size == 0) list(character(0)) else combn(others, size, simplify = FALSE)
		by_size <- c(by_size, mean(sapply(sets, function(s) r2_b(c(s, v)) - r2_b(s))))
	}
	put(paste0("dominance_freq.", v), mean(by_size))
}
qv <- c(0.3, 0.1, 0.5, 0.2, 0.9, 0.4, 0.35)
put("quantile7.025", quantile(qv, 0.025, type = 7))
put("quantile7.975", quantile(qv, 0.975, type = 7))

# ---- finite-population correction of items and scales (stats_item_fpc,
# stats_scale_fpc) ----
# N = 60 invited: the variance times f = (N - n) / (N - 1); t and NPS
# half-widths times sqrt(f); Wilson at n / f.
fpc_N <- 60
fpc_figures <- function(prefix, x, fav, unfav, nps) {
	x <- x[!is.na(x)]
	n <- length(x)
	f <- (fpc_N - n) / (fpc_N - 1)
	half <- qt(0.975, n - 1) * sd(x) / sqrt(n) * sqrt(f)
	put(paste0(prefix, ".ci_lo"), mean(x) - half)
	put(paste0(prefix, ".ci_hi"), mean(x) + half)
	ci <- wilson_pn(fav / n, n / f)
	put(paste0(prefix, ".fav_lo"), ci[1]); put(paste0(prefix, ".fav_hi"), ci[2])
	ci <- wilson_pn(unfav / n, n / f)
	put(paste0(prefix, ".unfav_lo"), ci[1]); put(paste0(prefix, ".unfav_hi"), ci[2])
	if (nps) {
		pp <- fav / n; pd <- unfav / n
		h <- 196 * sqrt((pp + pd - (pp - pd)^2) / n) * sqrt(f)
		put(paste0(prefix, ".nps_lo"), max(-100, 100 * (pp - pd) - h))
		put(paste0(prefix, ".nps_hi"), min(100, 100 * (pp - pd) + h))
	}
}
for (i in seq_len(nrow(items))) {
	it <- items[i, ]
	x <- d[[it$key]]
	if (it$kind == "likert" && !is.na(it$scale) && it$scale != "") {
		own <- sum(!is.na(x))
		cc <- !is.na(score[[it$scale]])
		if (own > sum(cc) && own - sum(cc) < k) x[!cc] <- NA
	}
	y <- x[!is.na(x)]
	if (it$kind == "likert") {
		top <- sum(y >= it$npoints - 1); bottom <- sum(y <= 2)
		fav <- if (it$reverse == 1) bottom else top
		unf <- if (it$reverse == 1) top else bottom
	} else {
		fav <- sum(y >= 9); unf <- sum(y <= 6)
	}
	fpc_figures(paste0("fpc60.item.", it$key), x, fav, unf, it$kind == "nps")
}
for (s in scales$name) {
	v <- score[[s]][!is.na(score[[s]])]
	fpc_figures(paste0("fpc60.scale.", s), v, sum(v >= 3.5), sum(v <= 2.5), FALSE)
}
