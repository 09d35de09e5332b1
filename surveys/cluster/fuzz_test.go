package cluster

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func utf8Valid(s string) bool { return utf8.ValidString(s) }

// FuzzGroup groups arbitrary texts, one a line ("id<TAB>text", or just a
// text with its line number for id), with arbitrary options: Group must
// never panic and always keep its promises (see checkClusters), and give
// the same clusters for the lines in reverse.
func FuzzGroup(f *testing.F) {
	f.Add("a dog\na dog please\nI want a dog\nwifi", 0, 0, 0.0)
	f.Add("1\tdog\n1\tdog\n2\tdog\n3\tcat\n\tdog", 1, 1, 0.5)
	f.Add("dog\xff\xfepark\n\xc3\x28dog park\ndog park\xe2\x82", 2, 3, 0.1)
	f.Add("😂😂👍\n!!!\n...\n\n\n", 1, 0, 1.0)
	f.Add("sooooo\nsooo\nsoo\ndogggg\ndoggg\ndog", 1, 100, -1.0)
	f.Add(strings.Repeat("skate park ", 3000)+"\nskate-park\nskatepark", 2, 2, 0.3)
	f.Add("wi-fi\nwi fi\nwifi\nWIFI\nWi‐Fi", 3, 12, 0.99)
	f.Add("children's\nchildrens\nchildren’s\nchild", 1, 5, 0.2)
	f.Add("أريد كلبا\nأريد كلبا\nМне грустно\nМне грустно", 1, 5, 0.3)
	for _, v := range voices {
		f.Add(v.ID+"\t"+v.Text, 1, 3, 0.3)
	}
	f.Fuzz(func(t *testing.T, data string, minSize, maxClusters int, threshold float64) {
		var items []Item
		for i, line := range strings.Split(data, "\n") {
			id, text, ok := strings.Cut(line, "\t")
			if !ok {
				id, text = strconv.Itoa(i), line
			}
			items = append(items, Item{ID: id, Text: text})
		}
		o := Options{MinSize: minSize, MaxClusters: maxClusters, Threshold: threshold}
		got := Group(items, o)
		checkClusters(t, items, o.withDefaults(), got)
		slices.Reverse(items)
		if again := Group(items, o); !reflect.DeepEqual(again, got) {
			t.Errorf("reversed input gave\n%v\nwant\n%v", again, got)
		}
	})
}
