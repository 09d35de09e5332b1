// Package metricstest reads a scrape of Heard's metrics back, for tests:
// the value of a series, and a check that no label carries anything it
// must not.
package metricstest

import (
	"io"
	"slices"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/heard-app/heard/metrics"
)

// Families is a parsed scrape, by metric name.
type Families map[string]*dto.MetricFamily

// Parse reads a scrape in Prometheus's text format, failing the test if it
// is not one.
func Parse(t testing.TB, r io.Reader) Families {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(r)
	if err != nil {
		t.Fatalf("parse the metrics: %v", err)
	}
	return fams
}

// Value returns the value of the series of family name whose labels
// include every pair of labels (name, value, name, value...), summed over
// the series that match: a counter's or gauge's value, or a histogram's
// count of observations. found is false when no series matches.
func (f Families) Value(name string, labels ...string) (v float64, found bool) {
	fam, ok := f[name]
	if !ok {
		return 0, false
	}
	for _, m := range fam.GetMetric() {
		if !hasLabels(m, labels) {
			continue
		}
		found = true
		switch {
		case m.Counter != nil:
			v += m.Counter.GetValue()
		case m.Gauge != nil:
			v += m.Gauge.GetValue()
		case m.Histogram != nil:
			v += float64(m.Histogram.GetSampleCount())
		case m.Untyped != nil:
			v += m.Untyped.GetValue()
		}
	}
	return v, found
}

func hasLabels(m *dto.Metric, labels []string) bool {
	for i := 0; i+1 < len(labels); i += 2 {
		if !slices.ContainsFunc(m.GetLabel(), func(l *dto.LabelPair) bool {
			return l.GetName() == labels[i] && l.GetValue() == labels[i+1]
		}) {
			return false
		}
	}
	return true
}

// CheckLabels fails the test for a label whose name is not one of
// metrics.Labels, and for a label value that contains any of forbidden
// (case-insensitively): words a person wrote, a name, a code.
func CheckLabels(t testing.TB, f Families, forbidden ...string) {
	t.Helper()
	for name, fam := range f {
		for _, m := range fam.GetMetric() {
			for _, l := range m.GetLabel() {
				if !slices.Contains(metrics.Labels, l.GetName()) {
					t.Errorf("%s has a label %q, not one of %v", name, l.GetName(), metrics.Labels)
				}
				for _, word := range forbidden {
					if strings.Contains(strings.ToLower(l.GetValue()), strings.ToLower(word)) {
						t.Errorf("%s{%s=%q} carries %q", name, l.GetName(), l.GetValue(), word)
					}
				}
			}
		}
	}
}
