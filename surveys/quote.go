package surveys

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// MaxQuoteLen bounds a quote's text, in characters.
const MaxQuoteLen = 1000

// QuoteStatus says whether a quote may leave the review pages.
type QuoteStatus string

// Quote statuses.
const (
	// QuoteApproved quotes appear in summaries and reports.
	QuoteApproved QuoteStatus = "approved"
	// QuotePending quotes keep something the redaction took out, and wait
	// for a second analyst to approve them.
	QuotePending QuoteStatus = "pending"
)

// Quote is a voice's words as a report may show them: redacted, and
// approved by one analyst, or by two when a redaction was undone.
type Quote struct {
	Text       string
	Status     QuoteStatus
	Restored   int // how many redacted words the analyst put back
	By         string
	At         time.Time
	ApprovedBy string
	ApprovedAt time.Time
}

// MarkQuote makes a voice's quote from the text an analyst approved.
// originals are the words the proposed redaction took out: if the text
// puts any of them back, the quote waits for a second analyst; otherwise
// the analyst's approval is enough.
func (vs *Voices) MarkQuote(ctx context.Context, id, text string, originals []string) (*Quote, error) {
	text = strings.TrimSpace(text)
	errs := fieldErrors{}
	if text == "" {
		errs.add("quote", "must not be empty")
	}
	checkLen(errs, "quote", text, MaxQuoteLen)
	if err := errs.err("The quote has mistakes."); err != nil {
		return nil, err
	}
	if _, err := vs.Store.FindVoice(ctx, id); err != nil {
		return nil, err
	}
	by, at := actorOf(ctx), vs.Now().UTC()
	q := &Quote{Text: text, Status: QuoteApproved, By: by, At: at, ApprovedBy: by, ApprovedAt: at}
	lower := strings.ToLower(text)
	for _, o := range originals {
		if o = strings.ToLower(strings.TrimSpace(o)); o != "" && strings.Contains(lower, o) {
			q.Restored++
		}
	}
	if q.Restored > 0 {
		q.Status, q.ApprovedBy, q.ApprovedAt = QuotePending, "", time.Time{}
	}
	if err := vs.Store.SetQuote(ctx, id, q); err != nil {
		return nil, fmt.Errorf("mark quote: %w", err)
	}
	if err := vs.Audit.Record(ctx, AuditQuoteMark, id, string(q.Status)); err != nil {
		return nil, err
	}
	return q, nil
}

// ApproveQuote approves a quote that waits for a second analyst, who must
// not be the one who made it.
func (vs *Voices) ApproveQuote(ctx context.Context, id string) (*Quote, error) {
	v, err := vs.Store.FindVoice(ctx, id)
	if err != nil {
		return nil, err
	}
	q := v.Quote
	switch {
	case q == nil:
		return nil, Errorf(ENOTFOUND, "This comment has no quote to approve.")
	case q.Status == QuoteApproved:
		return q, nil
	case q.By == actorOf(ctx):
		return nil, Errorf(ECONFLICT, "A second analyst must approve this quote, because it keeps words the redaction took out.")
	}
	q.Status, q.ApprovedBy, q.ApprovedAt = QuoteApproved, actorOf(ctx), vs.Now().UTC()
	if err := vs.Store.SetQuote(ctx, id, q); err != nil {
		return nil, fmt.Errorf("approve quote: %w", err)
	}
	if err := vs.Audit.Record(ctx, AuditQuoteApprove, id, ""); err != nil {
		return nil, err
	}
	return q, nil
}

// RemoveQuote takes a voice's quote away.
func (vs *Voices) RemoveQuote(ctx context.Context, id string) error {
	if err := vs.Store.SetQuote(ctx, id, nil); err != nil {
		return fmt.Errorf("remove quote: %w", err)
	}
	return vs.Audit.Record(ctx, AuditQuoteRemove, id, "")
}
