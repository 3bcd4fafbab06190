# Generates the small fixture data sets of the stats_ tests. Run once, by
# hand, from this directory; the CSVs it writes are committed, so the tests
# never need R:
#
#   Rscript gen.R        # writes survey.csv and constant.csv
#
# survey.csv: 48 simulated respondents of a 1..5 Likert survey in five
# segments (15/12/10/7/4 people, so with k = 5 'legal' is hidden because it is
# too small and 'hr' only by complementary suppression). Four scales (support,
# rejoin, acceptance, morale; see items.csv for the reverse items), an eNPS
# item and a rejoin NPS item. Answers come from a latent attitude per person
# with segment effects (engineering supports more, operations has a morale
# problem) plus noise; about 6% of the answers are missing at random and a few
# people skipped most of a scale, so scale scores are missing for them.
#
# constant.csv: 8 people who all gave the same answer to everything, for the
# degenerate cases (SD 0, alpha and correlations not computable).
set.seed(20260415)

items <- read.csv("items.csv", stringsAsFactors = FALSE)
seg_sizes <- c(sales = 15, engineering = 12, operations = 10, hr = 7, legal = 4)
segment <- rep(names(seg_sizes), seg_sizes)
segment <- segment[sample(length(segment))]
n <- length(segment)

effect <- function(seg, tab) ifelse(seg %in% names(tab), tab[seg], 0)
att <- rnorm(n)
latent <- list(
	support    = 0.6 * att + effect(segment, c(engineering = 1.0, operations = -0.4)),
	rejoin     = 0.5 * att + rnorm(n, sd = 0.6),
	acceptance = 0.5 * att + rnorm(n, sd = 0.5),
	morale     = 0.4 * att + effect(segment, c(operations = -1.6, engineering = 0.4))
)

likert <- function(l, rev) {
	x <- round(3.2 + 1.1 * l + rnorm(length(l), sd = 0.7))
	x <- pmin(5, pmax(1, x))
	if (rev) 6 - x else x
}

out <- data.frame(segment = segment, stringsAsFactors = FALSE)
for (i in seq_len(nrow(items))) {
	it <- items[i, ]
	if (it$kind == "likert") {
		out[[it$key]] <- likert(latent[[it$scale]], it$reverse == 1)
	} else if (it$key == "enps") {
		out[[it$key]] <- pmin(10, pmax(0, round(7 + 1.5 * att + rnorm(n, sd = 1.5))))
	} else {
		out[[it$key]] <- pmin(10, pmax(0, round(6 + 2 * latent$rejoin + rnorm(n, sd = 1.5))))
	}
}

# Missing at random, then a few people who skipped most of one scale.
for (col in items$key) out[[col]][runif(n) < 0.06] <- NA
out[3, c("morale.1", "morale.2", "morale.3")] <- NA
out[17, c("support.1", "support.2", "support.4")] <- NA
out[29, c("rejoin.1", "rejoin.2", "rejoin.3")] <- NA
write.csv(out, "survey.csv", row.names = FALSE, na = "", quote = FALSE)

const <- data.frame(segment = rep(c("a", "b"), each = 4), stringsAsFactors = FALSE)
for (i in seq_len(nrow(items)))
	const[[items$key[i]]] <- if (items$kind[i] == "likert") 4 else 9
write.csv(const, "constant.csv", row.names = FALSE, na = "", quote = FALSE)
