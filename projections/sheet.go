package projections

import (
	"cmp"
	"maps"
	"slices"

	"github.com/werkstatt/werkstatt/domain"
)

// Sheet is the raw rows of one workshop's attendance model. Stores load it and call Attendance,
// so that the counting rules live in one place.
type Sheet struct {
	Days      []domain.Day
	Capacity  int
	Sessions  []domain.Session // ID, Title, Day and Starts are used
	Attendees []Attendee
	CheckIns  []domain.CheckIn
}

// Attendee is a registration as the attendance model knows it.
type Attendee struct {
	ID           domain.RegistrationID
	Organisation string
	Days         []domain.Day
	Status       domain.Status
	// Answers are the registration's choice and yes/no answers by question id.
	Answers map[string]string
	// DayStatus is its status on each of its days, confirmed or waitlisted.
	DayStatus map[domain.Day]domain.Status
}

// Attendance counts the sheet. A session check-in makes the person present on the session's
// day too (see DayAttendance).
func (s Sheet) Attendance() Attendance {
	a := Attendance{Capacity: s.Capacity, Days: make([]DayAttendance, len(s.Days)),
		Sessions: make([]SessionAttendance, 0, len(s.Sessions)), Organisations: []OrganisationAttendance{}}
	dayIndex := make(map[domain.Day]int, len(s.Days))
	for i, d := range s.Days {
		a.Days[i].Day = d
		dayIndex[d] = i
	}
	status := make(map[domain.RegistrationID]domain.Status, len(s.Attendees))
	for _, at := range s.Attendees {
		status[at.ID] = at.Status
		a.countStatus(at, dayIndex)
	}
	a.countCheckIns(s, dayIndex, status)
	return a
}

func (a *Attendance) countStatus(at Attendee, dayIndex map[domain.Day]int) {
	switch at.Status {
	case domain.Confirmed:
		a.Confirmed++
	case domain.Waitlisted:
		a.Waitlisted++
	case domain.Cancelled:
		a.Cancelled++
	}
	for _, d := range at.Days {
		i, ok := dayIndex[d]
		switch {
		case !ok || at.Status == domain.Cancelled:
		case at.DayStatus[d] == domain.Confirmed:
			a.Days[i].Confirmed++
		case at.DayStatus[d] == domain.Waitlisted:
			a.Days[i].Waitlisted++
		}
	}
}

func (a *Attendance) countCheckIns(s Sheet, dayIndex map[domain.Day]int, status map[domain.RegistrationID]domain.Status) {
	type presence struct {
		id  domain.RegistrationID
		day domain.Day
	}
	present := map[presence]bool{}
	anyDay := map[domain.RegistrationID]bool{}
	perSession := map[domain.SessionID]int{}
	for _, c := range s.CheckIns {
		if c.SessionID != "" {
			perSession[c.SessionID]++
		}
		if i, ok := dayIndex[c.Day]; ok && !present[presence{c.RegistrationID, c.Day}] {
			present[presence{c.RegistrationID, c.Day}] = true
			a.Days[i].CheckedIn++
		}
		anyDay[c.RegistrationID] = true
	}
	for _, se := range s.Sessions {
		a.Sessions = append(a.Sessions, SessionAttendance{ID: se.ID, Title: se.Title, Day: se.Day,
			Starts: se.Starts, CheckedIn: perSession[se.ID]})
	}
	slices.SortFunc(a.Sessions, func(x, y SessionAttendance) int {
		return cmp.Or(cmp.Compare(x.Day, y.Day), cmp.Compare(x.Starts, y.Starts),
			cmp.Compare(x.Title, y.Title), cmp.Compare(x.ID, y.ID))
	})
	orgs := map[string]*OrganisationAttendance{}
	for _, at := range s.Attendees {
		if at.Status != domain.Confirmed {
			continue
		}
		o, ok := orgs[at.Organisation]
		if !ok {
			o = &OrganisationAttendance{Organisation: at.Organisation}
			orgs[at.Organisation] = o
		}
		o.Confirmed++
		if anyDay[at.ID] {
			o.CheckedIn++
		}
	}
	for _, o := range orgs {
		a.Organisations = append(a.Organisations, *o)
	}
	slices.SortFunc(a.Organisations, func(x, y OrganisationAttendance) int {
		return cmp.Compare(x.Organisation, y.Organisation)
	})
	a.countAnswers(s, anyDay)
}

// countAnswers counts the confirmed registrations and the present people by answer.
func (a *Attendance) countAnswers(s Sheet, anyDay map[domain.RegistrationID]bool) {
	type key struct{ q, answer string }
	counts := map[key]*AnswerAttendance{}
	for _, at := range s.Attendees {
		if at.Status != domain.Confirmed {
			continue
		}
		for q, answer := range at.Answers {
			c, ok := counts[key{q, answer}]
			if !ok {
				c = &AnswerAttendance{Question: q, Answer: answer}
				counts[key{q, answer}] = c
			}
			c.Confirmed++
			if anyDay[at.ID] {
				c.CheckedIn++
			}
		}
	}
	for _, c := range counts {
		a.Answers = append(a.Answers, *c)
	}
	slices.SortFunc(a.Answers, func(x, y AnswerAttendance) int {
		return cmp.Or(cmp.Compare(x.Question, y.Question), cmp.Compare(x.Answer, y.Answer))
	})
}

// QuestionCount is the count of one registration question's answers in the order of the
// question: every option (or yes, no), then answers to options no longer offered.
type QuestionCount struct {
	Question domain.RegistrationQuestion
	Answers  []AnswerAttendance
}

// AnswersOf orders and labels the answer counts of a by the workshop's registration
// questions: one entry per choice or yes/no question, in the order of qs, each with one entry
// per option (counted or not) and then the answers to options removed since. Questions no
// longer asked are left out.
func AnswersOf(qs []domain.RegistrationQuestion, a Attendance) []QuestionCount {
	var out []QuestionCount
	for _, q := range qs {
		if !q.Counted() {
			continue
		}
		options := q.Choices()
		qc := QuestionCount{Question: q}
		for _, o := range options {
			c := AnswerAttendance{Question: q.ID, Answer: o}
			for _, x := range a.Answers {
				if x.Question == q.ID && x.Answer == o {
					c = x
				}
			}
			qc.Answers = append(qc.Answers, c)
		}
		for _, x := range a.Answers {
			if x.Question == q.ID && !slices.Contains(options, x.Answer) {
				qc.Answers = append(qc.Answers, x)
			}
		}
		out = append(out, qc)
	}
	return out
}

// SortAgenda orders sessions by day, starts, room, title (and ID, to be deterministic).
func SortAgenda(agenda []domain.Session) {
	slices.SortFunc(agenda, func(x, y domain.Session) int {
		return cmp.Or(cmp.Compare(x.Day, y.Day), cmp.Compare(x.Starts, y.Starts),
			cmp.Compare(x.Room, y.Room), cmp.Compare(x.Title, y.Title), cmp.Compare(x.ID, y.ID))
	})
}

// NumberWaitlist sets WaitlistPositions and WaitlistPosition on registrations, which must hold
// every registration of the workshop waiting on some day (in any order). A day's waitlist is
// in the order its people were waitlisted there (WaitlistedSince, or else Ordinal), then by
// Ordinal and ID.
func NumberWaitlist(registrations []RegistrationView) {
	waiting := map[domain.Day][]int{}
	for i := range registrations {
		r := &registrations[i]
		r.WaitlistPositions, r.WaitlistPosition = map[domain.Day]int{}, 0
		if r.Status == domain.Cancelled {
			continue
		}
		for d, s := range r.DayStatus {
			if s == domain.Waitlisted {
				waiting[d] = append(waiting[d], i)
			}
		}
	}
	since := func(r RegistrationView, d domain.Day) uint64 {
		if s := r.WaitlistedSince[d]; s != 0 {
			return s
		}
		return r.Ordinal
	}
	for d, list := range waiting {
		slices.SortFunc(list, func(x, y int) int {
			a, b := registrations[x], registrations[y]
			return cmp.Or(cmp.Compare(since(a, d), since(b, d)), cmp.Compare(a.Ordinal, b.Ordinal), cmp.Compare(a.ID, b.ID))
		})
		for n, i := range list {
			registrations[i].WaitlistPositions[d] = n + 1
		}
	}
	for i := range registrations {
		r := &registrations[i]
		for _, d := range slices.Sorted(maps.Keys(r.WaitlistPositions)) {
			r.WaitlistPosition = r.WaitlistPositions[d]
			break
		}
	}
}

// SeatsOf returns one DaySeats per day from the confirmed count of each day.
func SeatsOf(days []domain.Day, capacity int, confirmed map[domain.Day]int) []DaySeats {
	seats := make([]DaySeats, len(days))
	for i, d := range days {
		seats[i] = DaySeats{Day: d, Confirmed: confirmed[d], Free: max(capacity-confirmed[d], 0)}
	}
	return seats
}

// SortWorkshops orders workshops by first day, then title (and ID, to be deterministic).
func SortWorkshops(views []WorkshopView) {
	slices.SortFunc(views, func(a, b WorkshopView) int {
		return cmp.Or(cmp.Compare(firstDay(a.Days), firstDay(b.Days)), cmp.Compare(a.Title, b.Title),
			cmp.Compare(a.ID, b.ID))
	})
}

func firstDay(days []domain.Day) domain.Day {
	if len(days) == 0 {
		return ""
	}
	return days[0]
}
