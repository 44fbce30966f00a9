package handlers_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
	"github.com/werkstatt/werkstatt/infra/postgres"
	"github.com/werkstatt/werkstatt/infra/postgres/postgrestest"
	"github.com/werkstatt/werkstatt/projections"
)

// poisoned are events the domain no longer decides but the log may hold (written before the
// domain refused them, or by hand): NUL bytes and invalid UTF-8 in every kind of column (text,
// text[], jsonb) and integers beyond 32 bits.
func poisoned(id domain.WorkshopID) []domain.Event {
	const big = 1 << 40
	return []domain.Event{
		domain.WorkshopScheduled{ID: id, Title: "Titel\x00", Series: "Reihe\xff", Venue: "Ort", Days: []domain.Day{day1}, Capacity: 2147483648},
		domain.SessionPlanned{Session: domain.Session{ID: "c1", Title: "Café\x00", Kind: domain.ThemeCafe, Day: day1,
			Starts: "10:00", Ends: "12:00", Room: "Saal\xfe", Speakers: []string{"Ada\x00"}}},
		domain.RoundsSet{SessionID: "c1", Rounds: big},
		domain.TableAdded{SessionID: "c1", Table: domain.Table{ID: "t1", Topic: "Thema\x00", Description: "\xff", Capacity: big}},
		domain.ParticipantRegistered{RegistrationID: "r1", Person: &domain.Person{Name: "Nul\x00", Email: "nul@example.org", Dietary: "\xc3"},
			EmailKey: "key\x00", Organisation: "Org\x00", District: "\xff", Days: []domain.Day{day1}, TokenHash: "hash"},
		domain.RegistrationConfirmed{RegistrationID: "r1"},
		domain.TableNotesRecorded{SessionID: "c1", TableID: "t1", Round: big, Notes: domain.TableNotes{KeyPoints: []string{"P\x00"}}},
		domain.TopicProposed{TopicID: "k1", Title: "T\x00", Description: "D\xff", Source: domain.TopicSource{Kind: domain.FromOther}},
		domain.VoteLimitSet{Limit: big},
		domain.QuestionnaireSet{QuestionnaireID: domain.WorkshopQuestionnaire, Version: big, Questions: []domain.Question{
			{ID: "q\x00", Kind: domain.FreeText, Text: domain.Text{De: "Frage\x00"}}}},
		domain.FeedbackOpened{},
		domain.FeedbackAnswered{QuestionnaireID: domain.WorkshopQuestionnaire, Version: big, RespondentKey: "x\x00",
			Answers: []domain.Answer{{QuestionID: "q\x00", Text: "Antwort\x00\xff"}}},
	}
}

// TestPoisonedLogKeepsReadModelsGoing appends poisoned events straight to the stream, past the
// domain's validation, and checks that both read models keep going: the next, ordinary command
// shows, every view and report of the workshop answers, and PostgreSQL rebuilds from the log.
func TestPoisonedLogKeepsReadModelsGoing(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(t *testing.T) projections.Store
	}{
		{"memory", func(*testing.T) projections.Store { return projections.NewMemory() }},
		{"postgres", func(t *testing.T) projections.Store { return postgrestest.Store(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			readModels := tc.open(t)
			cfg, events := handlerstest.WireWith(t, organiserToken, readModels)
			srv := handlerstest.Serve(t, handlers.New(cfg))
			s := &service{t: t, url: srv.URL, events: events}

			ctx := context.Background()
			id := domain.WorkshopID(ulid.Make().String())
			if _, err := events.Update(ctx, id, domain.Meta{Actor: "test\x00", At: time.Now()}, func(domain.Workshop) ([]domain.Event, error) {
				return poisoned(id), nil
			}); err != nil {
				t.Fatalf("append the poisoned events: %v", err)
			}
			path := "/api/v1/workshops/" + string(id)
			grace := s.register(workshop{ID: string(id)}, person("Grace", "Stadtwerke"))
			waitForRegistration(t, s, path, grace.ID)

			var w workshop
			s.must(request{method: "GET", path: path}, 200, &w)
			if w.Capacity != 2147483648 || !strings.HasPrefix(w.Title, "Titel") {
				t.Errorf("got workshop %+v, want capacity 2147483648 and the title kept", w)
			}
			var cafe struct{ Rounds int }
			cafePath := path + "/sessions/c1/theme-cafe"
			s.must(request{method: "GET", path: cafePath, token: org}, 200, &cafe)
			if cafe.Rounds != domain.MaxRounds {
				t.Errorf("got %d rounds, want at most %d", cafe.Rounds, domain.MaxRounds)
			}
			for _, p := range []string{path + "/attendance", path + "/registrations", path + "/topics", path + "/action-items",
				path + "/feedback", path + "/feedback/evaluation", path + "/reports/attendance", path + "/reports/attendance.csv",
				path + "/reports/attendance.xlsx", path + "/reports/attendance.pdf", path + "/reports/evaluation.csv",
				path + "/reports/evaluation.xlsx", path + "/reports/evaluation.pdf", cafePath + "/table-cards.pdf",
				cafePath + "/results", cafePath + "/results.pdf", cafePath + "/results.md", path + "/history",
				path + "/registrations?as_of=" + url.QueryEscape(time.Now().Format(time.RFC3339Nano))} {
				if r := s.do(request{method: "GET", path: p, token: org}); r.status != 200 {
					t.Errorf("GET %s: got %d %s, want 200", p, r.status, r.body)
				}
			}
			pg, ok := readModels.(*postgres.Store)
			if !ok {
				return
			}
			if err := pg.Rebuild(ctx, events.Replay); err != nil {
				t.Fatalf("rebuild from the poisoned log: %v", err)
			}
			waitForRegistration(t, s, path, grace.ID)
		})
	}
}

func waitForRegistration(t *testing.T, s *service, path, id string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var list struct{ Registrations []registration }
		r := s.do(request{method: "GET", path: path + "/registrations", token: org})
		if r.status == 200 {
			s.must(request{method: "GET", path: path + "/registrations", token: org}, 200, &list)
			for _, x := range list.Registrations {
				if x.ID == id {
					return
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("registration %s never showed in the read models: %d %s", id, r.status, r.body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
