package domain_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

// textField is one text a command carries: given decides when(s) for a value s of the field.
type textField struct {
	field     string
	max       int  // in characters
	multiline bool // a free text that may hold line breaks and tabs
	given     func() []domain.Event
	when      func(s string) command
}

func textFields() []textField {
	schedule := func(f func(*domain.ScheduleWorkshop, string)) func(string) command {
		return func(s string) command {
			c := domain.ScheduleWorkshop{ID: workshopID, Title: "Werkstatt", Venue: "Rathaus", Days: []domain.Day{day1}, Capacity: 10}
			f(&c, s)
			return func(w domain.Workshop) ([]domain.Event, error) { return w.Schedule(c) }
		}
	}
	change := func(f func(*domain.ChangeWorkshop, string)) func(string) command {
		return func(s string) command {
			var c domain.ChangeWorkshop
			f(&c, s)
			return func(w domain.Workshop) ([]domain.Event, error) { return w.Change(c) }
		}
	}
	reg := func(f func(*domain.RegisterParticipant, string)) func(string) command {
		return func(s string) command { return registerWith("a", func(c *domain.RegisterParticipant) { f(c, s) }) }
	}
	plan := func(f func(*domain.Session, string)) func(string) command {
		return func(s string) command {
			x := session("s1", day1, "10:00", "11:00", "Saal A")
			f(&x, s)
			return func(w domain.Workshop) ([]domain.Event, error) { return w.Plan(domain.PlanSession{Session: x}) }
		}
	}
	topic := func(f func(*domain.ProposeTopic, string)) func(string) command {
		return func(s string) command {
			c := domain.ProposeTopic{ID: "k1", Title: "Mieten", Source: domain.TopicSource{Kind: domain.FromOther}}
			f(&c, s)
			return func(w domain.Workshop) ([]domain.Event, error) { return w.ProposeTopic(c) }
		}
	}
	item := func(f func(*domain.AgreeActionItem, string)) func(string) command {
		return func(s string) command {
			c := domain.AgreeActionItem{ID: "i1", What: "Protokoll", Who: domain.ActionOwner{RegistrationID: "a"}}
			f(&c, s)
			return func(w domain.Workshop) ([]domain.Event, error) { return w.AgreeActionItem(c) }
		}
	}
	addTable := func(f func(*domain.Table, string)) func(string) command {
		return func(s string) command {
			t := table("t9", "Wohnen", 4)
			f(&t, s)
			return func(w domain.Workshop) ([]domain.Event, error) {
				return w.AddTable(domain.AddTable{SessionID: "c1", Table: t})
			}
		}
	}
	questions := func(f func(*domain.Question, string)) func(string) command {
		return func(s string) command {
			q := choiceQ
			q.Options = slices.Clone(q.Options)
			f(&q, s)
			return setQuestionnaire(domain.SetQuestionnaire{Questions: []domain.Question{q}})
		}
	}
	return []textField{
		{"title", 200, false, nil, schedule(func(c *domain.ScheduleWorkshop, s string) { c.Title = s })},
		{"series", 200, false, nil, schedule(func(c *domain.ScheduleWorkshop, s string) { c.Series = "Reihe " + s })},
		{"venue", 200, false, nil, schedule(func(c *domain.ScheduleWorkshop, s string) { c.Venue = s })},
		{"title", 200, false, base, change(func(c *domain.ChangeWorkshop, s string) { c.Title = &s })},
		{"venue", 200, false, base, change(func(c *domain.ChangeWorkshop, s string) { c.Venue = &s })},
		{"name", 200, false, base, reg(func(c *domain.RegisterParticipant, s string) { c.Person.Name = s })},
		{"organisation", 200, false, base, reg(func(c *domain.RegisterParticipant, s string) { c.Organisation = s })},
		{"district", 200, false, base, reg(func(c *domain.RegisterParticipant, s string) { c.District = "Bezirk " + s })},
		{"dietary", 500, false, base, reg(func(c *domain.RegisterParticipant, s string) { c.Person.Dietary = "vegan " + s })},
		{"title", 200, false, base, plan(func(x *domain.Session, s string) { x.Title = s })},
		{"room", 200, false, base, plan(func(x *domain.Session, s string) { x.Room = "Saal " + s })},
		{"speakers", 200, false, base, plan(func(x *domain.Session, s string) { x.Speakers = []string{"Ada", s} })},
		{"title", 200, false, followBase, topic(func(c *domain.ProposeTopic, s string) { c.Title = s })},
		{"description", 500, true, followBase, topic(func(c *domain.ProposeTopic, s string) { c.Description = "Was " + s })},
		{"what", 500, true, followBase, item(func(c *domain.AgreeActionItem, s string) { c.What = s })},
		{"who.organisation", 200, false, followBase, item(func(c *domain.AgreeActionItem, s string) {
			c.Who = domain.ActionOwner{Organisation: s}
		})},
		{"topic", 200, false, cafeBase, addTable(func(t *domain.Table, s string) { t.Topic = s })},
		{"description", 500, true, cafeBase, addTable(func(t *domain.Table, s string) { t.Description = "Mieten " + s })},
		{"host_guest", 200, false, cafeBase, addTable(func(t *domain.Table, s string) { t.HostGuest = "Gast " + s })},
		{"key_points", 500, true, withTables, func(s string) command {
			return func(w domain.Workshop) ([]domain.Event, error) {
				return w.RecordNotes(domain.RecordNotes{SessionID: "c1", TableID: "t1", Round: 1,
					Notes: domain.TableNotes{KeyPoints: []string{"Mieten", s}}})
			}
		}},
		{"questions[0].text", 300, false, followBase, questions(func(q *domain.Question, s string) { q.Text = domain.Text{De: s} })},
		{"questions[0].options[1].text", 300, false, followBase, questions(func(q *domain.Question, s string) {
			q.Options[1].Text = domain.Text{En: "Café " + s}
		})},
		{"answers.missing", domain.MaxAnswerText, true, feedbackBase, func(s string) command {
			return answer(domain.AnswerFeedback{QuestionnaireID: domain.WorkshopQuestionnaire, RegistrationID: "a",
				RespondentKey: "k", Answers: []domain.Answer{{QuestionID: "overall", Scale: 3}, {QuestionID: "missing", Text: "Mehr " + s}}})
		}},
	}
}

func base() []domain.Event { return history(scheduled(10, day1, day2)) }

// TestTextIsStorable checks every text field of every command: invalid UTF-8 and control
// characters are refused naming the field (line breaks and tabs only in free text), and
// lengths count characters, not bytes.
func TestTextIsStorable(t *testing.T) {
	values := []struct {
		name      string
		value     func(max int) string
		ok        bool // in a single-line text
		okInProse bool
	}{
		{"plain", func(int) string { return "Jugendring Mitte" }, true, true},
		{"NUL", func(int) string { return "Org\u0000" }, false, false},
		{"invalid UTF-8", func(int) string { return "Org\xff\xfe" }, false, false},
		{"a lone continuation byte", func(int) string { return "Ma\x80rkt" }, false, false},
		{"escape", func(int) string { return "Org\x1b[31m" }, false, false},
		{"DEL", func(int) string { return "Org\x7fx" }, false, false},
		{"C1 next line", func(int) string { return "Org\u0085x" }, false, false},
		{"C1 CSI", func(int) string { return "Org\u009bx" }, false, false},
		{"tab", func(int) string { return "Org\tx" }, false, true},
		{"line break", func(int) string { return "Org\nx" }, false, true},
		{"CR LF", func(int) string { return "Org\r\nx" }, false, true},
		{"trailing line break is trimmed", func(int) string { return "Org\n" }, true, true},
		{"umlauts up to the limit", func(max int) string { return strings.Repeat("Ö", max) }, true, true},
		{"emoji up to the limit", func(max int) string { return strings.Repeat("🙂", max) }, true, true},
		{"one character over the limit", func(max int) string { return strings.Repeat("Ö", max+1) }, false, false},
	}
	for _, f := range textFields() {
		for _, v := range values {
			t.Run(f.field+"/"+v.name, func(t *testing.T) {
				var given []domain.Event
				if f.given != nil {
					given = f.given()
				}
				ok := v.ok
				if f.multiline {
					ok = v.okInProse
				}
				s := v.value(f.max - prefixLen(f, given))
				_, err := f.when(s)(domain.Workshop{}.Fold(given...))
				var fe domain.FieldErrors
				switch {
				case ok && err != nil:
					t.Fatalf("%q: got %v, want it accepted", short(s), err)
				case !ok && !errors.As(err, &fe):
					t.Fatalf("%q: got %v, want field errors on %s", short(s), err, f.field)
				case !ok && !slices.Equal(fieldNames(fe), []string{f.field}):
					t.Fatalf("%q: got fields %v (%v), want [%s]", short(s), fieldNames(fe), fe, f.field)
				}
			})
		}
	}
}

// prefixLen is how many characters the field's command puts before the value (see textFields).
func prefixLen(f textField, given []domain.Event) int {
	for n := 0; n < 10; n++ {
		if _, err := f.when(strings.Repeat("x", f.max-n))(domain.Workshop{}.Fold(given...)); err == nil {
			return n
		}
	}
	return 0
}

func short(s string) string {
	if len(s) > 20 {
		return s[:20] + "…"
	}
	return s
}

func TestNumbersAndIDsAreBounded(t *testing.T) {
	schedule := func(f func(*domain.ScheduleWorkshop)) command {
		c := domain.ScheduleWorkshop{ID: workshopID, Title: "Werkstatt", Venue: "Rathaus", Days: []domain.Day{day1}, Capacity: 10}
		f(&c)
		return func(w domain.Workshop) ([]domain.Event, error) { return w.Schedule(c) }
	}
	capacity := func(n int) command {
		return func(w domain.Workshop) ([]domain.Event, error) { return w.Change(domain.ChangeWorkshop{Capacity: &n}) }
	}
	withQuestion := func(f func(*domain.Question)) command {
		q := choiceQ
		q.Options = slices.Clone(q.Options)
		f(&q)
		return setQuestionnaire(domain.SetQuestionnaire{Questions: []domain.Question{q}})
	}
	addTable := func(t domain.Table) command {
		return func(w domain.Workshop) ([]domain.Event, error) {
			return w.AddTable(domain.AddTable{SessionID: "c1", Table: t})
		}
	}
	ok := func(cmd command) command { // decides without error, whatever the events
		return func(w domain.Workshop) ([]domain.Event, error) {
			_, err := cmd(w)
			return nil, err
		}
	}
	runDecisions(t, []decision{
		{name: "capacity 2147483648", when: schedule(func(c *domain.ScheduleWorkshop) { c.Capacity = 2147483648 }), fields: []string{"capacity"}},
		{name: "capacity above the maximum", when: schedule(func(c *domain.ScheduleWorkshop) { c.Capacity = domain.MaxCapacity + 1 }), fields: []string{"capacity"}},
		{name: "capacity at the maximum", when: ok(schedule(func(c *domain.ScheduleWorkshop) { c.Capacity = domain.MaxCapacity }))},
		{name: "negative capacity", when: schedule(func(c *domain.ScheduleWorkshop) { c.Capacity = -1 << 40 }), fields: []string{"capacity"}},
		{name: "raised capacity beyond the maximum", given: base(), when: capacity(1 << 31), fields: []string{"capacity"}},
		{name: "raised capacity at the maximum", given: base(), when: ok(capacity(domain.MaxCapacity))},
		{name: "table capacity beyond the maximum", given: cafeBase(), when: addTable(table("t9", "Wohnen", 1<<31)), fields: []string{"capacity"}},
		{name: "workshop id with NUL", when: schedule(func(c *domain.ScheduleWorkshop) { c.ID = "w\x00" }), fields: []string{"id"}},
		{name: "table id not UTF-8", given: cafeBase(), when: addTable(table("t\xff", "Wohnen", 2)), fields: []string{"id"}},
		{name: "question id with a control character", given: followBase(),
			when: withQuestion(func(q *domain.Question) { q.ID = "q\x01" }), fields: []string{"questions[0].id"}},
		{name: "question id of 40 umlauts", given: followBase(),
			when: ok(withQuestion(func(q *domain.Question) { q.ID = domain.QuestionID(strings.Repeat("ü", 40)) }))},
		{name: "option id with C1", given: followBase(),
			when: withQuestion(func(q *domain.Question) { q.Options[0].ID = "a\u0090" }), fields: []string{"questions[0].options[0].id"}},
		{name: "email with NUL", given: base(), when: registerWith("a", func(c *domain.RegisterParticipant) { c.Person.Email = "a\x00@example.org" }),
			fields: []string{"email"}},
		{name: "too many speakers", given: base(), when: func(w domain.Workshop) ([]domain.Event, error) {
			s := session("s1", day1, "10:00", "11:00", "Saal A")
			s.Speakers = slices.Repeat([]string{"Ada"}, 31)
			return w.Plan(domain.PlanSession{Session: s})
		}, fields: []string{"speakers"}},
		{name: "planned at a session id with NUL", given: withTopics(), when: func(w domain.Workshop) ([]domain.Event, error) {
			return w.ChangeTopicStatus(domain.ChangeTopicStatus{TopicID: "k1", Status: domain.TopicPlanned,
				Target: &domain.PlanTarget{Workshop: "w2", Series: series, FirstDay: day3, SessionID: "s\x00"}})
		}, fields: []string{"session_id"}},
	})
}
