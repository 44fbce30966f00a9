package domain_test

import (
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func writeSummary(text string) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.WriteSummary(domain.WriteSummary{Text: text})
	}
}

func TestWriteSummary(t *testing.T) {
	base := history(scheduled(20, day1, day2))
	written := history(base, domain.WorkshopSummaryWritten{Text: "# Bilanz\n\n- gut"})
	runDecisions(t, []decision{
		{name: "workshop not scheduled", when: writeSummary("x"), err: domain.ErrWorkshopNotFound, class: domain.ErrNotFound},
		{name: "written, trimmed", given: base, when: writeSummary("  # Bilanz\n\n- gut\n"),
			then: history(domain.WorkshopSummaryWritten{Text: "# Bilanz\n\n- gut"})},
		{name: "tabs and CR LF are prose", given: base, when: writeSummary("a\tb\r\nc"),
			then: history(domain.WorkshopSummaryWritten{Text: "a\tb\r\nc"})},
		{name: "the same text again decides nothing", given: written, when: writeSummary("# Bilanz\n\n- gut")},
		{name: "cleared", given: written, when: writeSummary(""), then: history(domain.WorkshopSummaryWritten{})},
		{name: "clearing none decides nothing", given: base, when: writeSummary("  ")},
		{name: "at most 20000 characters", given: base, when: writeSummary(strings.Repeat("ä", domain.MaxSummary)),
			then: history(domain.WorkshopSummaryWritten{Text: strings.Repeat("ä", domain.MaxSummary)})},
		{name: "20001 characters", given: base, when: writeSummary(strings.Repeat("a", domain.MaxSummary+1)), fields: []string{"text"}},
		{name: "NUL", given: base, when: writeSummary("a\x00b"), fields: []string{"text"}},
		{name: "a control character", given: base, when: writeSummary("a\x1bb"), fields: []string{"text"}},
		{name: "not UTF-8", given: base, when: writeSummary("a\xffb"), fields: []string{"text"}},
	})
}
