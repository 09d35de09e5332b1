package main

import (
	"bytes"
	"context"
	"log/slog"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heard-app/heard/exports"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
)

// BenchmarkBoardReport100k makes the board report of a survey with
// 100,000 responses (and their 100,000 or so comments), from reading the
// database to the last byte of the PDF, in this process: the time of
// each, and the memory it takes beyond what was in use before. The
// embedded database runs in this process too, so its work is counted.
func BenchmarkBoardReport100k(b *testing.B) {
	dataDir := loaded100k(b)
	ctx := context.Background()
	cfg := &Config{DataDir: dataDir, DB: "heard", Threshold: surveys.DefaultThreshold}
	st, err := openStorage(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	defer st.close()
	themes, err := loadThemes(ctx, st)
	if err != nil {
		b.Fatal(err)
	}
	reports := &surveys.Reports{Surveys: st.surveys, Tallies: st.tallies, Settings: st.settings(cfg),
		Voices: &surveys.Voices{Store: mongo.NewVoiceStore(st.db), Themes: themes, Now: time.Now},
		Now:    time.Now}
	var lat []time.Duration
	var peaks, dataPeaks []float64
	size := 0
	for range 10 {
		start := time.Now()
		var pdf bytes.Buffer
		var rep *surveys.BoardReport
		peak := peakHeap(func() {
			dataPeaks = append(dataPeaks, peakHeap(func() {
				var err error
				if rep, err = reports.Board(ctx, surveys.BoardReportQuery{Survey: benchSurvey}); err != nil {
					b.Fatal(err)
				}
			}))
			if err := exports.WriteBoardReport(&pdf, rep); err != nil {
				b.Fatal(err)
			}
		})
		lat = append(lat, time.Since(start))
		peaks = append(peaks, peak)
		size = pdf.Len()
		if rep.Taking.Responses == nil || *rep.Taking.Responses != 100_000 {
			b.Fatalf("the report counts %v responses, want 100000", rep.Taking.Responses)
		}
	}
	b.ReportMetric(ms(percentile(lat, 50)), "p50-ms")
	b.ReportMetric(ms(percentile(lat, 99)), "max-ms")
	sort.Float64s(peaks)
	sort.Float64s(dataPeaks)
	b.ReportMetric(peaks[len(peaks)/2], "extra-MB")
	b.ReportMetric(dataPeaks[len(dataPeaks)/2], "data-MB")
	b.ReportMetric(float64(size)/1024, "pdf-KB")
}

// peakHeap runs f and returns the most heap in use while it ran, less what
// was in use before, in megabytes. The heap is sampled every millisecond,
// so a peak shorter than that may be missed; the garbage collector runs
// first so that garbage from before does not count.
func peakHeap(f func()) float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base := m.HeapAlloc
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var s runtime.MemStats
		for {
			runtime.ReadMemStats(&s)
			if s.HeapAlloc > peak.Load() {
				peak.Store(s.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	if peak.Load() < base {
		return 0
	}
	return float64(peak.Load()-base) / (1 << 20)
}
