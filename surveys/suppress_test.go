package surveys

import (
	"fmt"
	"slices"
	"testing"
)

// cellsString shows hidden cells as "-" and shown cells as their count.
func cellsString(counts []int, hidden []bool) string {
	out := make([]string, len(counts))
	for i, n := range counts {
		out[i] = fmt.Sprint(n)
		if hidden[i] {
			out[i] = "-"
		}
	}
	return fmt.Sprint(out)
}

func TestHideCells(t *testing.T) {
	t.Parallel()
	const T, F = true, false
	tests := []struct {
		name      string
		counts    []int
		total     int
		threshold int
		sums      bool
		want      []bool
	}{
		{"nothing small", []int{10, 20, 30}, 60, 5, true, []bool{F, F, F}},
		{"every count at the threshold", []int{5, 5, 5}, 15, 5, true, []bool{F, F, F}},
		{"one small: the next smallest is hidden too", []int{3, 10, 20}, 33, 5, true, []bool{T, T, F}},
		{"one small, the next smallest last", []int{20, 3, 10}, 33, 5, true, []bool{F, T, T}},
		{"one small: the first of equal smallest is hidden", []int{3, 8, 8}, 19, 5, true, []bool{T, T, F}},
		{"two small adding up below the threshold: a third is hidden", []int{1, 2, 10, 20}, 33, 5, true, []bool{T, T, T, F}},
		{"two small adding up to the threshold", []int{2, 3, 10}, 15, 5, true, []bool{T, T, F}},
		{"two small adding up above the threshold", []int{3, 4, 10}, 17, 5, true, []bool{T, T, F}},
		{"one small hides the next, which is enough", []int{4, 5, 6, 30}, 45, 5, true, []bool{T, T, F, F}},
		{"one zero: the next smallest is hidden too", []int{0, 10, 20}, 30, 5, true, []bool{T, T, F}},
		{"two zeros add up to nothing: nothing more is hidden", []int{0, 0, 10, 20}, 30, 5, true, []bool{T, T, F, F}},
		{"a zero and a small count adding up below the threshold", []int{0, 3, 10, 20}, 33, 5, true, []bool{T, T, T, F}},
		{"multi_choice: one small hides the next smallest", []int{3, 10, 20}, 25, 5, false, []bool{T, T, F}},
		{"multi_choice: two small are enough, whatever they add up to", []int{1, 2, 10, 20}, 25, 5, false, []bool{T, T, F, F}},
		{"multi_choice: one zero hides the next smallest", []int{0, 6, 9}, 12, 5, false, []bool{T, T, F}},
		{"all cells small", []int{1, 2, 3}, 6, 5, true, []bool{T, T, T}},
		{"all cells small, total below the threshold", []int{1, 2}, 3, 5, true, []bool{T, T}},
		{"one cell, small", []int{3}, 3, 5, true, []bool{T}},
		{"one cell, big enough", []int{7}, 7, 5, true, []bool{F}},
		{"no cells", []int{}, 0, 5, true, []bool{}},
		{"threshold 10", []int{9, 10, 30}, 49, 10, true, []bool{T, T, F}},
		{"threshold 3", []int{3, 2, 3}, 8, 3, true, []bool{T, T, F}},
		{"total above the sum: the remainder counts as hidden", []int{10, 20, 30}, 63, 5, true, []bool{T, T, F}},
		{"total above the sum by the threshold", []int{10, 20, 30}, 65, 5, true, []bool{F, F, F}},
		{"rating 0-10 with two values given", []int{0, 0, 3, 0, 0, 7, 0, 0, 10, 0, 0}, 20, 5, true,
			[]bool{T, T, T, T, T, T, T, T, F, T, T}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			counts := slices.Clone(tt.counts)
			got := hideCells(counts, tt.total, tt.threshold, tt.sums)
			if !slices.Equal(got, tt.want) {
				t.Errorf("hideCells(%v, %d, %d, %t) = %s; want %s", tt.counts, tt.total, tt.threshold, tt.sums,
					cellsString(tt.counts, got), cellsString(tt.counts, tt.want))
			}
			if !slices.Equal(counts, tt.counts) {
				t.Errorf("hideCells changed the counts to %v", counts)
			}
		})
	}
}

func TestWidenHidden(t *testing.T) {
	t.Parallel()
	const T, F = true, false
	tests := []struct {
		name   string
		counts []int
		hidden []bool
		total  int
		sums   bool
		want   []bool
	}{
		{"nothing hidden, nothing left over", []int{10, 20, 30}, []bool{F, F, F}, 60, true, []bool{F, F, F}},
		{"nothing hidden, 2 left over: the two smallest are hidden", []int{10, 20, 30}, []bool{F, F, F}, 62, true, []bool{T, T, F}},
		{"nothing hidden, 4 left over", []int{30, 10, 20}, []bool{F, F, F}, 64, true, []bool{F, T, T}},
		{"nothing hidden, 5 left over", []int{10, 20, 30}, []bool{F, F, F}, 65, true, []bool{F, F, F}},
		{"one hidden: the next smallest is hidden", []int{10, 7, 30}, []bool{F, T, F}, 47, true, []bool{T, T, F}},
		{"two hidden adding up to enough", []int{10, 7, 30}, []bool{T, T, F}, 47, true, []bool{T, T, F}},
		{"two hidden adding up to 4", []int{1, 3, 10, 30}, []bool{T, T, F, F}, 44, true, []bool{T, T, T, F}},
		{"two hidden plus 1 left over", []int{2, 2, 10, 30}, []bool{T, T, F, F}, 45, true, []bool{T, T, F, F}},
		{"multi_choice ignores what is left over", []int{10, 20, 30}, []bool{F, F, F}, 62, false, []bool{F, F, F}},
		{"multi_choice, one hidden", []int{10, 20, 30}, []bool{F, F, T}, 62, false, []bool{T, F, T}},
		{"all hidden", []int{1, 2}, []bool{T, T}, 3, true, []bool{T, T}},
		{"the only cell hidden", []int{2}, []bool{T}, 2, true, []bool{T}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hidden := slices.Clone(tt.hidden)
			widenHidden(hidden, tt.counts, tt.total, 5, tt.sums)
			if !slices.Equal(hidden, tt.want) {
				t.Errorf("widenHidden(%s, total %d, sums %t) = %s; want %s", cellsString(tt.counts, tt.hidden), tt.total, tt.sums,
					cellsString(tt.counts, hidden), cellsString(tt.counts, tt.want))
			}
		})
	}
}

func TestWidenRemainder(t *testing.T) {
	t.Parallel()
	const T, F = true, false
	tests := []struct {
		name   string
		counts []int
		hidden []bool
		total  int
		want   []bool
	}{
		{"nothing left over", []int{10, 20, 30}, []bool{F, F, F}, 60, []bool{F, F, F}},
		{"2 left over: the smallest is hidden, which is enough", []int{10, 20, 30}, []bool{F, F, F}, 62, []bool{T, F, F}},
		{"4 left over", []int{30, 20, 10}, []bool{F, F, F}, 64, []bool{F, F, T}},
		{"5 left over", []int{10, 20, 30}, []bool{F, F, F}, 65, []bool{F, F, F}},
		{"1 left over, then 3: two small cells are hidden", []int{2, 2, 30}, []bool{F, F, F}, 35, []bool{T, T, F}},
		{"a lone hidden zero stands", []int{0, 10, 20}, []bool{T, F, F}, 30, []bool{T, F, F}},
		{"a lone hidden 3 takes the next smallest", []int{3, 10, 20}, []bool{T, F, F}, 33, []bool{T, T, F}},
		{"hidden cells of 4 hide the rest", []int{1, 1, 2, 30}, []bool{T, T, T, F}, 34, []bool{T, T, T, T}},
		{"all hidden", []int{1, 2}, []bool{T, T}, 3, []bool{T, T}},
		{"no cells, some responses", []int{}, []bool{}, 3, []bool{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hidden := slices.Clone(tt.hidden)
			widenRemainder(hidden, tt.counts, tt.total, 5)
			if !slices.Equal(hidden, tt.want) {
				t.Errorf("widenRemainder(%s, total %d) = %s; want %s", cellsString(tt.counts, tt.hidden), tt.total,
					cellsString(tt.counts, hidden), cellsString(tt.counts, tt.want))
			}
		})
	}
}

func TestPercent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n, total int
		want     float64
	}{
		{0, 0, 0},
		{0, 7, 0},
		{5, 5, 100},
		{1, 2, 50},
		{1, 3, 33.3},
		{2, 3, 66.7},
		{1, 6, 16.7},
		{1, 8, 12.5},
		{7, 32, 21.9},
		{9, 32, 28.1},
		{10, 32, 31.3}, // 31.25 rounds half away from zero
		{13, 32, 40.6},
		{7, 16, 43.8},
		{10, 8, 125}, // multi_choice counts can add up to more than those who answered
	}
	for _, tt := range tests {
		if got := percent(tt.n, tt.total); got != tt.want {
			t.Errorf("percent(%d, %d) = %v; want %v", tt.n, tt.total, got, tt.want)
		}
	}
}

func TestThresholds(t *testing.T) {
	t.Parallel()
	if DefaultThreshold != 5 || MinThreshold != 3 || MaxThreshold != 100 {
		t.Errorf("thresholds = %d, %d, %d; PRODUCT.md says the default is 5", DefaultThreshold, MinThreshold, MaxThreshold)
	}
}
