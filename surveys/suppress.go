package surveys

import "math"

// Suppression of small numbers. PRODUCT.md: any figure computed from fewer
// respondents than the threshold is shown as "fewer than N", and totals are
// arranged so that a suppressed value cannot be worked out by subtraction.
//
// The rules, applied to each table of counts (the choices of a question, the
// values of a rating, the versions of a survey, the slices of a breakdown):
//
//  1. Primary: a count below the threshold is hidden. Zero is a count too.
//  2. Secondary: while exactly one cell is hidden, or the hidden cells add up
//     to more than zero but less than the threshold (worked out as the shown
//     total minus the shown cells), the smallest cell still shown is hidden
//     too. Choices of a multi_choice question do not add up to a total, so
//     for them only the first condition applies.
//  3. A table whose total is below the threshold is hidden whole.
//
// Versions of a survey and slices of a breakdown are shown only when every
// group outside the shown ones adds up to none or at least the threshold
// (widenRemainder), and a slice only when its answer survives rules 1 and 2
// in the breakdown question's own table.
//
// What these rules do not do is compare overlapping tables cell by cell
// (for example a question's results for the whole survey against the same
// question in every version shown); docs/suppression.md says more.

// DefaultThreshold is the smallest number of respondents a figure may be
// computed from, unless configured otherwise.
const DefaultThreshold = 5

// MinThreshold is the lowest threshold Heard accepts: below it, suppression
// no longer protects anyone.
const MinThreshold = 3

// MaxThreshold is the highest threshold Heard accepts.
const MaxThreshold = 100

// hideCells returns which of counts to hide, by rules 1 and 2, when the
// table's total is total. sums says whether the counts add up to the total.
func hideCells(counts []int, total, threshold int, sums bool) []bool {
	hidden := make([]bool, len(counts))
	for i, n := range counts {
		hidden[i] = n < threshold
	}
	widenHidden(hidden, counts, total, threshold, sums)
	return hidden
}

// widenHidden applies rule 2 to hidden in place.
func widenHidden(hidden []bool, counts []int, total, threshold int, sums bool) {
	for {
		nHidden, shownSum := tableState(hidden, counts)
		rest := total - shownSum
		need := nHidden == 1 || (sums && rest > 0 && rest < threshold)
		if !need || !hideSmallestShown(hidden, counts) {
			return
		}
	}
}

// widenRemainder hides the smallest shown cells, in place, until the
// responses outside the shown cells number none or at least threshold.
// Unlike rule 2 it lets a lone hidden cell of zero stand: subtracting then
// reveals only that nobody is in it.
func widenRemainder(hidden []bool, counts []int, total, threshold int) {
	for {
		_, shownSum := tableState(hidden, counts)
		if rest := total - shownSum; rest == 0 || rest >= threshold || !hideSmallestShown(hidden, counts) {
			return
		}
	}
}

// tableState counts the hidden cells and adds up the shown ones.
func tableState(hidden []bool, counts []int) (nHidden, shownSum int) {
	for i, n := range counts {
		if hidden[i] {
			nHidden++
		} else {
			shownSum += n
		}
	}
	return nHidden, shownSum
}

// hideSmallestShown hides the smallest cell still shown (the first of
// equals), and reports whether there was one.
func hideSmallestShown(hidden []bool, counts []int) bool {
	smallest := -1
	for i, n := range counts {
		if !hidden[i] && (smallest < 0 || n < counts[smallest]) {
			smallest = i
		}
	}
	if smallest < 0 {
		return false
	}
	hidden[smallest] = true
	return true
}

// percent returns n as a percentage of total, to one decimal place.
func percent(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return math.Round(float64(n)*1000/float64(total)) / 10
}
