package reports

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// AttendanceReport is what funders ask for after a workshop: who came on which day and to which
// session, from which organisations and districts, how many confirmed people did not come, and
// the list of participants for the sign-in sheet. A person counts as present on a day when they
// were checked in that day at the door or at any session of the day.
type AttendanceReport struct {
	Workshop projections.WorkshopView `json:"workshop"`
	// Confirmed counts the confirmed registrations; PersonDays the days they hold together.
	Confirmed  int `json:"confirmed"`
	PersonDays int `json:"person_days"`
	// HeldPersonDays counts the person-days of the days held so far (up to today).
	HeldPersonDays int `json:"held_person_days"`
	// NoShows counts confirmed person-days without a check-in on days held so far: a day after
	// today has not happened yet and has no no-shows. NoShowRate is NoShows / HeldPersonDays,
	// 0 when nobody is confirmed for a held day.
	NoShows       int                `json:"no_shows"`
	NoShowRate    float64            `json:"no_show_rate"`
	Days          []DayPresence      `json:"days"`
	Sessions      []SessionPresence  `json:"sessions"`
	Organisations []GroupPresence    `json:"organisations"`
	Districts     []GroupPresence    `json:"districts"`
	Participants  []AttendancePerson `json:"participants"`
	// Questions counts the confirmed people and those present by their answer to each choice
	// or yes/no registration question the workshop asks, in the order of the form; absent
	// without such questions. The answers come from the read model in clear, so the counts do
	// not change when somebody is erased.
	Questions []QuestionPresence `json:"questions,omitempty"`
}

// QuestionPresence counts the answers to one registration question: every option (yes and no
// for a yes/no question) in order, then answers to options no longer offered.
type QuestionPresence struct {
	ID      string                          `json:"id"`
	Label   string                          `json:"label"`
	Kind    domain.RegistrationQuestionKind `json:"kind"`
	Answers []GroupPresence                 `json:"answers"`
}

// DayPresence counts one day: confirmed for it, present, and the confirmed who did not come.
// Held is false for a day after today: it has not happened yet, and NoShows and NoShowRate are
// 0 rather than everyone confirmed.
type DayPresence struct {
	Day        domain.Day `json:"day"`
	Held       bool       `json:"held"`
	Confirmed  int        `json:"confirmed"`
	Present    int        `json:"present"`
	NoShows    int        `json:"no_shows"`
	NoShowRate float64    `json:"no_show_rate"`
}

// SessionPresence counts the people checked in at one session of the agenda.
type SessionPresence struct {
	ID      domain.SessionID `json:"id"`
	Title   string           `json:"title"`
	Day     domain.Day       `json:"day"`
	Starts  string           `json:"starts"`
	Present int              `json:"present"`
}

// GroupPresence counts the confirmed people of an organisation or a district and how many of
// them were present on at least one day. Name is "" for people who named none.
type GroupPresence struct {
	Name      string `json:"name"`
	Confirmed int    `json:"confirmed"`
	Present   int    `json:"present"`
}

// AttendancePerson is one line of the participant list. Erased people keep their line (they
// were there) without a name.
type AttendancePerson struct {
	Name         string       `json:"name"`
	Erased       bool         `json:"erased,omitempty"`
	Organisation string       `json:"organisation"`
	District     string       `json:"district,omitempty"`
	Days         []domain.Day `json:"days"`
	DaysAttended []domain.Day `json:"days_attended"`
	// PhotoConsent is true when the person agreed that photos showing them may be published
	// (false once erased).
	PhotoConsent bool `json:"photo_consent"`
	// Answers holds the person's choice and yes/no answers (yes/no as "yes" or "no") to the
	// questions of AttendanceReport.Questions, by question id.
	Answers map[string]string `json:"answers,omitempty"`
}

// AttendanceSource is what LoadAttendance reads; projections.Reader implements it.
type AttendanceSource interface {
	Workshop(ctx context.Context, id domain.WorkshopID) (projections.WorkshopView, error)
	Registrations(ctx context.Context, id domain.WorkshopID) ([]projections.RegistrationView, error)
	CheckIns(ctx context.Context, id domain.WorkshopID) ([]domain.CheckIn, error)
}

// LoadAttendance reads a workshop's registrations and check-ins and builds its report as of
// today (the date in the instance's time zone; see BuildAttendance), or returns
// domain.ErrWorkshopNotFound.
func LoadAttendance(ctx context.Context, src AttendanceSource, id domain.WorkshopID, today domain.Day) (AttendanceReport, error) {
	ws, err := src.Workshop(ctx, id)
	if err != nil {
		return AttendanceReport{}, err
	}
	regs, err := src.Registrations(ctx, id)
	if err != nil {
		return AttendanceReport{}, err
	}
	checkIns, err := src.CheckIns(ctx, id)
	if err != nil {
		return AttendanceReport{}, err
	}
	return BuildAttendance(ws, regs, checkIns, today), nil
}

// BuildAttendance computes the report from the views. Only confirmed registrations count;
// check-ins of anyone else (there should be none) are ignored. Organisations and districts are
// ordered by name, participants by name with erased people last. Days after today are not
// held yet and count no no-shows; today counts (the door is open). An empty today holds every
// day (histories without a clock).
func BuildAttendance(ws projections.WorkshopView, regs []projections.RegistrationView, checkIns []domain.CheckIn, today domain.Day) AttendanceReport {
	confirmed := map[domain.RegistrationID]projections.RegistrationView{}
	for _, r := range regs {
		if r.Status == domain.Confirmed {
			confirmed[r.ID] = r
		}
	}
	present := map[domain.RegistrationID]map[domain.Day]bool{}
	atSession := map[domain.SessionID]map[domain.RegistrationID]bool{}
	for _, c := range checkIns {
		if _, ok := confirmed[c.RegistrationID]; !ok {
			continue
		}
		addTo(present, c.RegistrationID, c.Day)
		if c.SessionID != "" {
			addTo(atSession, c.SessionID, c.RegistrationID)
		}
	}
	rep := AttendanceReport{Workshop: ws, Confirmed: len(confirmed)}
	for _, d := range ws.Days {
		dp := DayPresence{Day: d, Held: today == "" || d <= today}
		for id, r := range confirmed {
			if r.ConfirmedOn(d) {
				dp.Confirmed++
				if present[id][d] {
					dp.Present++
				}
			}
		}
		rep.PersonDays += dp.Confirmed
		if dp.Held {
			dp.NoShows = dp.Confirmed - dp.Present
			dp.NoShowRate = ratio(dp.NoShows, dp.Confirmed)
			rep.HeldPersonDays += dp.Confirmed
		}
		rep.NoShows += dp.NoShows
		rep.Days = append(rep.Days, dp)
	}
	rep.NoShowRate = ratio(rep.NoShows, rep.HeldPersonDays)
	for _, s := range ws.Agenda {
		rep.Sessions = append(rep.Sessions, SessionPresence{ID: s.ID, Title: s.Title, Day: s.Day, Starts: s.Starts,
			Present: len(atSession[s.ID])})
	}
	people := slices.Collect(maps.Values(confirmed))
	rep.Organisations = groups(people, present, func(r projections.RegistrationView) string { return r.Organisation })
	rep.Districts = groups(people, present, func(r projections.RegistrationView) string { return r.District })
	rep.Participants = participants(ws.Days, people, present, ws.RegistrationQuestions)
	rep.Questions = questionCounts(ws.RegistrationQuestions, people, present)
	return rep
}

// questionCounts counts the answers of people to the counted questions of qs.
func questionCounts(qs []domain.RegistrationQuestion, people []projections.RegistrationView,
	present map[domain.RegistrationID]map[domain.Day]bool) []QuestionPresence {
	var out []QuestionPresence
	for _, q := range qs {
		if !q.Counted() {
			continue
		}
		options := q.Choices()
		qp := QuestionPresence{ID: q.ID, Label: q.Label, Kind: q.Kind, Answers: make([]GroupPresence, len(options))}
		for i, o := range options {
			qp.Answers[i].Name = o
		}
		for _, r := range people {
			a, ok := r.Answers[q.ID]
			if !ok {
				continue
			}
			i := slices.IndexFunc(qp.Answers, func(g GroupPresence) bool { return g.Name == a })
			if i < 0 {
				qp.Answers = append(qp.Answers, GroupPresence{Name: a})
				i = len(qp.Answers) - 1
			}
			qp.Answers[i].Confirmed++
			if len(present[r.ID]) > 0 {
				qp.Answers[i].Present++
			}
		}
		out = append(out, qp)
	}
	return out
}

func addTo[K, V comparable](m map[K]map[V]bool, k K, v V) {
	if m[k] == nil {
		m[k] = map[V]bool{}
	}
	m[k][v] = true
}

func ratio(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

func groups(people []projections.RegistrationView, present map[domain.RegistrationID]map[domain.Day]bool,
	key func(projections.RegistrationView) string) []GroupPresence {
	byName := map[string]*GroupPresence{}
	for _, r := range people {
		name := strings.TrimSpace(key(r))
		g := byName[name]
		if g == nil {
			g = &GroupPresence{Name: name}
			byName[name] = g
		}
		g.Confirmed++
		if len(present[r.ID]) > 0 {
			g.Present++
		}
	}
	out := make([]GroupPresence, 0, len(byName))
	for _, g := range byName {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b GroupPresence) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func participants(days []domain.Day, people []projections.RegistrationView,
	present map[domain.RegistrationID]map[domain.Day]bool, qs []domain.RegistrationQuestion) []AttendancePerson {
	out := make([]AttendancePerson, 0, len(people))
	for _, r := range people {
		p := AttendancePerson{Name: r.Name, Erased: r.Erased, Organisation: r.Organisation, District: r.District,
			Days: r.ConfirmedDays(), DaysAttended: []domain.Day{}, PhotoConsent: r.PhotoConsent}
		for _, q := range qs {
			if a, ok := r.Answers[q.ID]; ok && q.Counted() {
				if p.Answers == nil {
					p.Answers = map[string]string{}
				}
				p.Answers[q.ID] = a
			}
		}
		for _, d := range days {
			if present[r.ID][d] {
				p.DaysAttended = append(p.DaysAttended, d)
			}
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b AttendancePerson) int {
		if a.Erased != b.Erased {
			if a.Erased {
				return 1
			}
			return -1
		}
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)),
			strings.Compare(a.Organisation, b.Organisation))
	})
	return out
}
