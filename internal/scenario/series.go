package scenario

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// SeriesSize is the shape of the series Series builds.
type SeriesSize struct {
	Workshops    int // workshops of the series, one every four weeks
	Participants int // people confirmed for each workshop in the end
	Sessions     int // agenda items of each workshop, spread over its two days
	Feedback     int // percent of the confirmed people who answer the workshop questionnaire
}

// DefaultSeriesSize is the series `werkstatt bench` measures unless --series says otherwise,
// and the one the series report's budgets are stated for (issue #5): 20 workshops x 200
// participants x 10 sessions, with feedback from 70% of the participants.
var DefaultSeriesSize = SeriesSize{Workshops: 20, Participants: 200, Sessions: 10, Feedback: 70}

// String returns the size as "WORKSHOPSxPARTICIPANTSxSESSIONS", with ",F%" when the feedback
// share differs from DefaultSeriesSize's.
func (s SeriesSize) String() string {
	out := fmt.Sprintf("%dx%dx%d", s.Workshops, s.Participants, s.Sessions)
	if s.Feedback != DefaultSeriesSize.Feedback {
		out += fmt.Sprintf(",%d%%", s.Feedback)
	}
	return out
}

// Set parses what String returns; without ",F%" the feedback share is DefaultSeriesSize's (70%). It
// makes *SeriesSize a flag.Value.
func (s *SeriesSize) Set(v string) error {
	bad := errors.New("want WORKSHOPSxPARTICIPANTSxSESSIONS and optionally a feedback share, e.g. 20x200x10 or 2x20x4,50%")
	dims, share, withShare := strings.Cut(v, ",")
	parts := strings.Split(dims, "x")
	if len(parts) != 3 {
		return bad
	}
	got := SeriesSize{Feedback: DefaultSeriesSize.Feedback}
	for i, dst := range []*int{&got.Workshops, &got.Participants, &got.Sessions} {
		n, err := strconv.Atoi(parts[i])
		if err != nil || n < 0 {
			return bad
		}
		*dst = n
	}
	if withShare {
		pct, ok := strings.CutSuffix(share, "%")
		n, err := strconv.Atoi(pct)
		if !ok || err != nil || n < 0 || n > 100 {
			return bad
		}
		got.Feedback = n
	}
	if got.Workshops < 1 || got.Participants < 1 {
		return bad
	}
	*s = got
	return nil
}

// Series returns the log of a series of size.Workshops two-day workshops in the series
// SeriesName ("W00000", "W00001", ..., titled "Werkstatt 1", ...), each decided with the
// real rules, one decision per commit, in the order an organiser and participants would act:
//
//   - the workshop is scheduled (Monday and Tuesday, capacity Participants) and its Sessions
//     agenda items are planned, the first half on the first day;
//   - Participants + a tenth + a fiftieth of that register for both days: the last tenth and
//     fiftieth are waitlisted; then a tenth of the confirmed people cancel, which promotes the
//     first tenth of the waitlist, so that Participants are confirmed and a fiftieth still wait;
//   - of the confirmed people 7 in 10 come on both days, 1 on the first day only, 1 on the
//     second day only, and 1 not at all; each day everyone present is checked in at the door,
//     then at about two thirds of the day's sessions; 1 in 75 is checked in at the day's first
//     session by mistake and the check-in annulled;
//   - the organisers add a questionnaire (a scale, a single choice, a free text) to every other
//     session, then open feedback, which gives the workshop the default questionnaire
//     (domain.DefaultQuestions); Feedback percent of the confirmed people (only people who came)
//     answer all its questions, free texts included, and the questionnaires of up to two
//     sessions they were checked in at; 1 in 20 respondents changes the workshop answer later;
//     then feedback closes.
//
// At DefaultSeriesSize this is 46,380 events in 41,480 commits. Per workshop: 1 scheduled, 10
// sessions planned, 224 registered (200 confirmed at once, 24 waitlisted), 20 cancelled (each
// promoting one), 320 check-ins at the door and 1,067 at sessions, 6 mistaken session
// check-ins and their annulments, 6 questionnaires set, feedback opened, 413 answers (140 to
// the workshop questionnaire, 7 of them changed later, and 266 to session questionnaires),
// feedback closed. TestSeriesScenario checks these figures.
func Series(size SeriesSize) []domain.Recorded {
	h := NewHistory(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	for n := range size.Workshops {
		w := seriesWorkshop{h: h, id: domain.WorkshopID(fmt.Sprintf("W%05d", n)), n: n, size: size}
		w.schedule()
		w.register()
		w.checkIn()
		w.collectFeedback()
	}
	return h.Events
}

// SeriesName is the series every workshop of Workshops and Series belongs to.
const SeriesName = "Jugendarbeit"

// seriesWorkshop decides one workshop of Series.
type seriesWorkshop struct {
	h    *History
	id   domain.WorkshopID
	n    int
	size SeriesSize
	days []domain.Day
	// sessions holds the sessions of each day in agenda order.
	sessions [][]domain.SessionID
	// confirmed are the people confirmed in the end, in the order they registered.
	confirmed []domain.RegistrationID
	// attended holds the sessions each confirmed person was checked in at, in agenda order.
	attended map[domain.RegistrationID][]domain.SessionID
}

func (w *seriesWorkshop) must(decide func(domain.Workshop) ([]domain.Event, error)) {
	w.h.Must(w.id, decide)
}

// schedule schedules the workshop on a Monday and Tuesday, four weeks after the one before,
// and plans its agenda: hour-long slots from 9:00, a second room once a day has eight.
func (w *seriesWorkshop) schedule() {
	first := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 28*w.n)
	w.days = []domain.Day{day(first, 0), day(first, 1)}
	w.must(func(ws domain.Workshop) ([]domain.Event, error) {
		return ws.Schedule(domain.ScheduleWorkshop{ID: w.id, Title: fmt.Sprintf("Werkstatt %d", w.n+1), Series: SeriesName,
			Venue: "Tagungshaus am Stadtpark, Parkallee 12", Days: w.days, Capacity: max(w.size.Participants, 1)})
	})
	kinds := []domain.Kind{domain.Keynote, domain.Talk, domain.Discussion, domain.Talk, domain.Other}
	w.sessions = make([][]domain.SessionID, len(w.days))
	firstDay := (w.size.Sessions + 1) / 2
	for s := range w.size.Sessions {
		d, slot := 0, s
		if s >= firstDay {
			d, slot = 1, s-firstDay
		}
		sess := domain.Session{ID: domain.SessionID(fmt.Sprintf("%s-S%02d", w.id, s)), Title: seriesSessionTitles[s%len(seriesSessionTitles)],
			Kind: kinds[slot%len(kinds)], Day: w.days[d], Starts: fmt.Sprintf("%02d:00", 9+slot%8),
			Ends: fmt.Sprintf("%02d:50", 9+slot%8), Room: fmt.Sprintf("Raum %d", slot/8+1), Speakers: []string{"Dr. Eva Brandt"}}
		w.must(func(ws domain.Workshop) ([]domain.Event, error) { return ws.Plan(domain.PlanSession{Session: sess}) })
		w.sessions[d] = append(w.sessions[d], sess.ID)
	}
}

// register registers Participants plus a tenth and a fiftieth, then lets a tenth of the
// confirmed people cancel, promoting as many waiting people.
func (w *seriesWorkshop) register() {
	p := w.size.Participants
	for i := range p + p/10 + p/50 {
		w.must(func(ws domain.Workshop) ([]domain.Event, error) { return ws.Register(w.person(i)) })
	}
	for i := range p / 10 {
		w.must(func(ws domain.Workshop) ([]domain.Event, error) {
			return ws.CancelRegistration(w.registrationID(10*i + 5))
		})
	}
	for i := range p + p/10 + p/50 {
		if id := w.registrationID(i); w.h.Workshop(w.id).Registrations[id].Status == domain.Confirmed {
			w.confirmed = append(w.confirmed, id)
		}
	}
}

func (w *seriesWorkshop) registrationID(i int) domain.RegistrationID {
	return domain.RegistrationID(fmt.Sprintf("%s-R%05d", w.id, i))
}

// person is the i-th registration: names, organisations and districts repeat in patterns that
// let a series reach a few dozen organisations in a dozen districts.
func (w *seriesWorkshop) person(i int) domain.RegisterParticipant {
	first, last := seriesFirstNames[i%len(seriesFirstNames)], seriesLastNames[(i*7+w.n)%len(seriesLastNames)]
	diets := []string{"", "", "vegetarisch", "", "vegan", "", "", "halal"}
	return domain.RegisterParticipant{ID: w.registrationID(i),
		Person: domain.Person{Name: first + " " + last, Email: fmt.Sprintf("teilnehmer%d.%s@example.org", i, strings.ToLower(string(w.id))),
			Dietary: diets[i%len(diets)]},
		EmailKey:     fakeHash("email", string(w.id), fmt.Sprint(i)),
		Organisation: seriesOrganisations[(i*5+w.n*3)%len(seriesOrganisations)],
		District:     seriesDistricts[(i+w.n)%len(seriesDistricts)], Overnight: i%3 == 0, Consent: true,
		TokenHash: fakeHash("token", string(w.id), fmt.Sprint(i))}
}

// checkIn checks the confirmed people in, day by day: at the door first, then session by
// session (see Series for who comes when).
func (w *seriesWorkshop) checkIn() {
	w.attended = map[domain.RegistrationID][]domain.SessionID{}
	for d, dd := range w.days {
		var present []int
		for k, rid := range w.confirmed {
			if comes(k, d) {
				present = append(present, k)
				c := domain.CheckInParticipant{RegistrationID: rid, Day: dd}
				w.must(func(ws domain.Workshop) ([]domain.Event, error) { return ws.CheckIn(c) })
			}
		}
		for s, sid := range w.sessions[d] {
			for _, k := range present {
				rid := w.confirmed[k]
				c := domain.CheckInParticipant{RegistrationID: rid, Day: dd, SessionID: sid}
				switch {
				case (k+s)%3 != 0:
					w.must(func(ws domain.Workshop) ([]domain.Event, error) { return ws.CheckIn(c) })
					w.attended[rid] = append(w.attended[rid], sid)
				case k%25 == 0 && s == 0:
					w.must(func(ws domain.Workshop) ([]domain.Event, error) { return ws.CheckIn(c) })
					w.must(func(ws domain.Workshop) ([]domain.Event, error) { return ws.AnnulCheckIn(c) })
				}
			}
		}
	}
}

// comes reports whether the k-th confirmed person comes on day d (0 or 1).
func comes(k, d int) bool {
	switch k % 10 {
	case 7:
		return d == 0
	case 8:
		return d == 1
	case 9:
		return false
	}
	return true
}

// fakeHash stands in for the keyed hashes the service stores (email keys, token hashes,
// respondent keys), so that events have their real size.
func fakeHash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p + "|"))
	}
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}
