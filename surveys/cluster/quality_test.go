package cluster

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

// TestGroupLabelledPurity groups the labelled development comments
// (testdata/labels/dev.jsonl), which people coded to themes, and checks
// the clusters mostly agree with them: most voices of a cluster share a
// theme. The comments are themed, not the leftovers Group is meant for,
// and many clusters are small, so the bar is modest; the test is there to
// catch a change that makes grouping much worse.
func TestGroupLabelledPurity(t *testing.T) {
	t.Parallel()
	f, err := os.Open("../../testdata/labels/dev.jsonl")
	if err != nil {
		t.Skipf("no labelled comments: %v", err)
	}
	defer f.Close()
	var items []Item
	themes := map[string][]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l struct {
			ID, Text string
			Themes   []string
		}
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("dev.jsonl: %v", err)
		}
		items = append(items, Item{ID: l.ID, Text: l.Text})
		themes[l.ID] = l.Themes
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	got := Group(items, Options{MaxClusters: 100})
	pure, grouped := 0, 0
	for _, c := range got {
		n := map[string]int{}
		best := 0
		for _, id := range c.IDs {
			for _, th := range themes[id] {
				n[th]++
				best = max(best, n[th])
			}
		}
		pure += best
		grouped += c.Size
		t.Logf("%d %q", c.Size, c.Phrases)
	}
	t.Logf("%d of %d comments grouped in %d clusters; %d share their cluster's commonest theme", grouped, len(items), len(got), pure)
	if grouped < len(items)/4 || float64(pure) < 0.6*float64(grouped) {
		t.Errorf("%d of %d comments grouped, %d of them pure: want a quarter grouped and 60%% pure", grouped, len(items), pure)
	}
}
