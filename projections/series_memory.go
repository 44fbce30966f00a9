package projections

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/werkstatt/werkstatt/domain"
)

// SeriesFigures returns the figures of every workshop of series, in the order of Workshops.
// It counts straight over the rows and reads no registration's personal data.
func (m *Memory) SeriesFigures(_ context.Context, series string) ([]WorkshopFigures, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := []WorkshopFigures{}
	if series == "" {
		return out, nil
	}
	for id, w := range m.workshops {
		if !w.exists || w.row.Series != series {
			continue
		}
		r := w.row
		f := WorkshopFigures{Workshop: WorkshopView{ID: id, Title: r.Title, Series: r.Series, Venue: r.Venue,
			Days: slices.Clone(r.Days), Capacity: r.Capacity, ScheduledAt: r.ScheduledAt},
			Organisations: []string{}, Questionnaire: []VersionFigures{}}
		if s, ok := m.sheets[id]; ok {
			s.countFigures(&f)
		}
		if b, ok := m.feedback[id]; ok {
			f.Questionnaire = b.workshopQuestionnaireFigures()
		}
		out = append(out, f)
	}
	SortWorkshopFigures(out)
	return out, nil
}

// countFigures counts the sheet's confirmed, present and checked-in people and the
// organisations of the confirmed into f.
func (s *sheet) countFigures(f *WorkshopFigures) {
	// Whether each person checked in was so on a day of the workshop; most check-ins repeat a
	// person already seen on a day, and a lookup is cheaper than an assignment.
	onADay := make(map[domain.RegistrationID]bool, len(s.attendees))
	for r, set := range s.checkIns {
		onADay[r] = false
		set.each(func(i int) { onADay[r] = onADay[r] || slices.Contains(s.days, s.slots[i].day) })
	}
	f.CheckedIn = len(onADay)
	orgs := map[string]bool{}
	for id, a := range s.attendees {
		if a.status != domain.Confirmed {
			continue
		}
		f.Confirmed++
		if onADay[id] {
			f.Present++
		}
		if o := strings.TrimSpace(a.organisation); o != "" && !orgs[o] {
			orgs[o] = true
			f.Organisations = append(f.Organisations, o)
		}
	}
	slices.Sort(f.Organisations)
}

// workshopQuestionnaireFigures counts the answers to each version of the workshop
// questionnaire as Evaluate does: an answer counts for the version it names, and for a
// question by its first entry for that question.
func (b *feedbackRows) workshopQuestionnaireFigures() []VersionFigures {
	out := []VersionFigures{}
	for k, q := range b.questionnaires {
		if k.id != domain.WorkshopQuestionnaire {
			continue
		}
		v := VersionFigures{Version: k.version, Scales: []ScaleFigures{}}
		var answers []storedAnswer
		for ak, a := range b.answers {
			if ak.questionnaire == domain.WorkshopQuestionnaire && a.version == k.version {
				answers = append(answers, a)
			}
		}
		v.Responses = len(answers)
		for _, question := range q.Questions {
			if question.Kind != domain.ScaleQuestion {
				continue
			}
			sf := ScaleFigures{Question: cloneQuestion(question)}
			for _, a := range answers {
				if scale, ok := a.scaleOf(question.ID); ok {
					sf.Answers++
					sf.Sum += scale
				}
			}
			v.Scales = append(v.Scales, sf)
		}
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b VersionFigures) int { return cmp.Compare(a.Version, b.Version) })
	return out
}
