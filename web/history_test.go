package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/handlers/handlerstest"
)

// startServiceWithClock is startService on a clock the test moves.
func startServiceWithClock(t *testing.T, start time.Time) (*service, func(time.Time)) {
	t.Helper()
	cfg, _, js := handlerstest.WireJetStream(t, organiserToken)
	var clock atomic.Int64
	clock.Store(start.UnixNano())
	cfg.Now = func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	s := &service{t: t, cfg: cfg, js: js}
	s.url = s.replica()
	return s, func(at time.Time) { clock.Store(at.UnixNano()) }
}

// TestWorkshopHistoryPage: the organiser reads who decided what when, in sentences, in German
// and English; an erased person's name leaves the history.
func TestWorkshopHistoryPage(t *testing.T) {
	start := time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC) // 10:00 in Berlin
	s, setClock := startServiceWithClock(t, start)
	id, _ := s.workshop("Ideenwerkstatt Integration", 2)
	base := "/organiser/workshops/" + id
	setClock(start.Add(5 * time.Minute))
	s.api(http.MethodPatch, "/api/v1/workshops/"+id, organiserToken, map[string]any{"capacity": 40}, nil)
	setClock(start.Add(10 * time.Minute))
	anna := s.registerWithToken(id, "Anna Schmidt", "Stadt Kassel")
	setClock(start.Add(20 * time.Minute))
	s.api(http.MethodDelete, "/api/v1/workshops/"+id+"/registrations/"+anna.id, anna.token, nil, nil)

	b := s.signIn(t)
	b.get(base).mustContain(t, "the workshop page", `href="`+base+`/history"`)
	page := b.get(base+"/history").wantStatus(t, "the history", http.StatusOK)
	page.mustContain(t, "the history", "Verlauf", "10.11.2026, 10:05", "Orga-Team", "Kapazität von 2 auf 40 erhöht",
		"Workshop „Ideenwerkstatt Integration“ angelegt, 2 Plätze je Tag", "Programmpunkt „Begrüßung“ am Mo., 16.11.2026 geplant",
		"Öffentliche Seite", "Anmeldung von Anna Schmidt (Stadt Kassel) eingegangen", "Anna Schmidt: Platz bestätigt (",
		"10.11.2026, 10:20", "Anna Schmidt (Teilnehmende)", "Anmeldung von Anna Schmidt storniert")
	if i, j := strings.Index(page.body, "storniert"), strings.Index(page.body, "angelegt"); i < 0 || j < 0 || i > j {
		t.Errorf("the history: want the latest decision first")
	}
	b.get(base+"/history?lang=en").mustContain(t, "the English history", "History", "Capacity raised from 2 to 40",
		"organisers", "Registration of Anna Schmidt (Stadt Kassel) received", "Anna Schmidt (participant)", "10 Nov 2026, 10:05")

	s.api(http.MethodDelete, "/api/v1/workshops/"+id+"/registrations/"+anna.id+"/personal-data", organiserToken, nil, nil)
	page = b.get(base+"/history?lang=de").wantStatus(t, "the history after the erasure", http.StatusOK)
	if strings.Contains(page.body, "Anna") {
		t.Errorf("the history after erasing Anna still names her:\n%s", page.body)
	}
	page.mustContain(t, "the history after the erasure", "Gelöschte Person (Teilnehmende)", "Anmeldung von (gelöscht) storniert",
		"Personenbezogene Daten einer Anmeldung gelöscht")

	if p := s.browser().get(base + "/history"); p.status != http.StatusSeeOther && p.status != http.StatusUnauthorized {
		t.Errorf("the history without signing in: got %d, want the sign-in", p.status)
	}
}

// TestRegistrationsAsOfPage: the organiser's list "as of" a time shows the list as it stood, with
// a banner, and nothing to change; a bad time says so next to the picker.
func TestRegistrationsAsOfPage(t *testing.T) {
	start := time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC) // 10:00 in Berlin
	s, setClock := startServiceWithClock(t, start)
	id, _ := s.workshop("Ideenwerkstatt Integration", 2)
	base := "/organiser/workshops/" + id + "/registrations"
	s.register(id, "Anna Schmidt", "Stadt Kassel")
	s.register(id, "Ben Okafor", "Landkreis Harburg")
	setClock(start.Add(time.Hour))
	s.register(id, "Cleo Brandt", "Stadt Kassel")
	setClock(start.Add(2 * time.Hour))

	b := s.signIn(t)
	now := b.get(base).wantStatus(t, "the list", http.StatusOK)
	now.mustContain(t, "the list", "Cleo Brandt", `id="by-hand"`, `type="datetime-local" name="as_of"`)
	if strings.Contains(now.body, `id="as-of-banner"`) {
		t.Errorf("the list as it is shows an as-of banner")
	}

	then := b.get(base+"?as_of="+url.QueryEscape("2026-11-10T10:30")).wantStatus(t, "the list as of 10:30", http.StatusOK)
	then.mustContain(t, "the list as of 10:30", `id="as-of-banner"`, "Stand: 10.11.2026, 10:30", "Anna Schmidt", "Ben Okafor",
		`value="2026-11-10T10:30"`, `id="as-of-now"`)
	for _, absent := range []string{"Cleo Brandt", `id="by-hand"`, "/erase"} {
		if strings.Contains(then.body, absent) {
			t.Errorf("the list as of 10:30 holds %q", absent)
		}
	}
	b.get(base+"?lang=en&as_of="+url.QueryEscape("2026-11-10T09:30:00Z")).mustContain(t, "the English list as of 09:30 UTC",
		"As of 10 Nov 2026, 10:30", "Ben Okafor")

	for _, c := range []struct {
		asOf, message string
		status        int
	}{
		{"gestern", "Bitte Datum und Uhrzeit angeben.", http.StatusBadRequest},
		{"2026-11-11T10:00", "Dieser Zeitpunkt liegt in der Zukunft.", http.StatusBadRequest},
		{"2026-11-09T10:00", "Zu diesem Zeitpunkt gab es den Workshop noch nicht.", http.StatusNotFound},
	} {
		p := b.get(base+"?lang=de&as_of="+url.QueryEscape(c.asOf)).wantStatus(t, "as of "+c.asOf, c.status)
		p.mustContain(t, "as of "+c.asOf, c.message, `aria-invalid="true"`, "Cleo Brandt")
	}
}

// TestAttendanceAsOfPage: the attendance page "as of" a time counts as things stood then.
func TestAttendanceAsOfPage(t *testing.T) {
	start := time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC) // 10:00 in Berlin
	s, setClock := startServiceWithClock(t, start)
	id, _ := s.workshop("Ideenwerkstatt Integration", 1)
	base := "/organiser/workshops/" + id + "/attendance"
	s.register(id, "Anna Schmidt", "Stadt Kassel")
	setClock(start.Add(time.Hour))
	s.register(id, "Ben Okafor", "Landkreis Harburg")

	b := s.signIn(t)
	b.get(base+"?lang=de").wantStatus(t, "the attendance", http.StatusOK).mustContain(t, "the attendance",
		"Warteliste: 1", `id="exports"`)
	then := b.get(base+"?as_of="+url.QueryEscape("2026-11-10T10:30")).wantStatus(t, "the attendance as of 10:30", http.StatusOK)
	then.mustContain(t, "the attendance as of 10:30", "Stand: 10.11.2026, 10:30", "Warteliste: 0", `id="as-of-now"`)
	if strings.Contains(then.body, `id="exports"`) {
		t.Errorf("the attendance as of 10:30 offers the current exports")
	}
	b.get(base+"?as_of=gestern").wantStatus(t, "the attendance as of a bad time", http.StatusBadRequest).
		mustContain(t, "the attendance as of a bad time", "Bitte Datum und Uhrzeit angeben.")
}
