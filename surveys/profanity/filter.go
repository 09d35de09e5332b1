package profanity

// Filter is the filter as the live sessions' intake asks for it
// (surveys.Profanity).
type Filter struct{}

// Holds reports whether a post waits for the facilitator.
func (Filter) Holds(text string) bool { return Check(text).Hold }
