package domain

import "strings"

// MaxSummary is the longest organisers' summary ("Bilanz") of a workshop, in characters.
const MaxSummary = 20000

// WorkshopSummaryWritten records the organisers' summary ("Bilanz") of a workshop, Markdown
// shown on its documentation page; an empty Text clears it.
type WorkshopSummaryWritten struct {
	Text string `json:"text"`
}

func (WorkshopSummaryWritten) Name() string { return "workshop.summary_written.v1" }

var _ = register[WorkshopSummaryWritten]()

// WriteSummary writes (or, with Text "", clears) the workshop's summary.
type WriteSummary struct {
	Text string
}

// WriteSummary decides the workshop's summary; the same text again decides nothing.
func (w Workshop) WriteSummary(c WriteSummary) ([]Event, error) {
	if !w.Scheduled() {
		return nil, ErrWorkshopNotFound
	}
	var fe FieldErrors
	checkProse(&fe, "text", c.Text, false, MaxSummary)
	if err := fe.err(); err != nil {
		return nil, err
	}
	text := strings.TrimSpace(c.Text)
	if text == w.Summary {
		return nil, nil
	}
	return []Event{WorkshopSummaryWritten{Text: text}}, nil
}
