package domain_test

import (
	"reflect"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func init() {
	everyEvent = append(everyEvent,
		domain.RoundsSet{SessionID: "c1", Rounds: 4},
		domain.TableAdded{SessionID: "c1", Table: domain.Table{ID: "t1", Topic: "Wohnen", Description: "Mieten",
			Host: "r1", HostGuest: "Grace", Capacity: 6}},
		domain.TableChanged{SessionID: "c1", Table: domain.Table{ID: "t1", Topic: "Arbeit", Description: "Markt",
			Host: "r2", HostGuest: "Ada", Capacity: 7}},
		domain.TableRemoved{SessionID: "c1", TableID: "t1"},
		domain.PreferenceCollectionOpened{SessionID: "c1"},
		domain.PreferenceCollectionClosed{SessionID: "c1"},
		domain.PreferencesStated{SessionID: "c1", RegistrationID: "r1", Ranking: []domain.TableID{"t2", "t1"}},
		domain.RotationPlanned{SessionID: "c1", Seed: 42, Plan: domain.RotationPlan{
			Seats:    map[domain.RegistrationID][]domain.TableID{"r1": {"t1", ""}},
			Unseated: []domain.Unseated{{Guest: "r1", Round: 2, Reason: domain.RoundFull}}},
			Quality: domain.RotationQuality{Visits: 1, Unseated: 1, ChoiceShare: [4]float64{0.5, 0.25, 0.25, 0},
				SameOrgPairs: 2, MeetRepeats: 3, FillMin: 0.25, FillMax: 1, Moved: 4}},
		domain.GuestMoved{SessionID: "c1", RegistrationID: "r1", Round: 2, TableID: "t2",
			Quality: domain.RotationQuality{Visits: 2, FillMax: 1}},
		domain.RotationPublished{SessionID: "c1"},
		domain.TableNotesRecorded{SessionID: "c1", TableID: "t1", Round: 2, Notes: domain.TableNotes{
			KeyPoints: []string{"a"}, Examples: []string{"b"}, OpenQuestions: []string{"c"}}},
	)
}

// cafeSession is the theme café c1 on day1; talk s9 is a session of another kind.
func cafeBase() []domain.Event {
	return history(scheduled(20, day1, day2),
		domain.SessionPlanned{Session: domain.Session{ID: "c1", Title: "Themencafé", Kind: domain.ThemeCafe,
			Day: day1, Starts: "10:00", Ends: "12:00"}},
		planned("s9", day1, "13:00", "14:00", "Saal A"),
		confirmed("a", day1), confirmed("b", day1, day2), confirmed("c", day1), confirmed("d", day2),
		waitlisted("w", 1, day1))
}

func table(id, topic string, capacity int) domain.Table {
	return domain.Table{ID: domain.TableID(id), Topic: topic, Capacity: capacity}
}

func added(t domain.Table) domain.Event { return domain.TableAdded{SessionID: "c1", Table: t} }

// withTables is the café with tables t1 and t2 (capacity 2) and t3 hosted by c.
func withTables() []domain.Event {
	host := table("t3", "Bildung", 2)
	host.Host = "c"
	return history(cafeBase(), added(table("t1", "Wohnen", 2)), added(table("t2", "Arbeit", 2)), added(host))
}

func opened() domain.Event { return domain.PreferenceCollectionOpened{SessionID: "c1"} }

func TestSetRounds(t *testing.T) {
	set := func(n int) command {
		return func(w domain.Workshop) ([]domain.Event, error) {
			return w.SetRounds(domain.SetRounds{SessionID: "c1", Rounds: n})
		}
	}
	runDecisions(t, []decision{
		{name: "sets the rounds", given: cafeBase(), when: set(4), then: []domain.Event{domain.RoundsSet{SessionID: "c1", Rounds: 4}}},
		{name: "the default decides nothing", given: cafeBase(), when: set(domain.DefaultRounds)},
		{name: "zero rounds", given: cafeBase(), when: set(0), fields: []string{"rounds"}},
		{name: "too many rounds", given: cafeBase(), when: set(domain.MaxRounds + 1), fields: []string{"rounds"}},
		{name: "not a café", given: cafeBase(), when: func(w domain.Workshop) ([]domain.Event, error) {
			return w.SetRounds(domain.SetRounds{SessionID: "s9", Rounds: 2})
		}, err: domain.ErrNotThemeCafe, class: domain.ErrConflict},
		{name: "no such session", given: cafeBase(), when: func(w domain.Workshop) ([]domain.Event, error) {
			return w.SetRounds(domain.SetRounds{SessionID: "x", Rounds: 2})
		}, err: domain.ErrSessionNotFound, class: domain.ErrNotFound},
		{name: "no workshop", when: set(2), err: domain.ErrWorkshopNotFound, class: domain.ErrNotFound},
		{name: "the café goes with its session", given: history(cafeBase(), domain.SessionCancelled{SessionID: "c1"}),
			when: set(2), err: domain.ErrSessionNotFound, class: domain.ErrNotFound},
	})
}

func TestAddTable(t *testing.T) {
	add := func(tb domain.Table) command {
		return func(w domain.Workshop) ([]domain.Event, error) {
			return w.AddTable(domain.AddTable{SessionID: "c1", Table: tb})
		}
	}
	hosted := func(host domain.RegistrationID) domain.Table {
		tb := table("t9", "Gesundheit", 3)
		tb.Host = host
		return tb
	}
	guest := table("t9", "  Gesundheit ", 3)
	guest.HostGuest = " Dr. Grace Hopper "
	both := hosted("a")
	both.HostGuest = "Grace"
	runDecisions(t, []decision{
		{name: "a table with a guest host", given: cafeBase(), when: add(guest),
			then: []domain.Event{added(domain.Table{ID: "t9", Topic: "Gesundheit", HostGuest: "Dr. Grace Hopper", Capacity: 3})}},
		{name: "a table hosted by a participant", given: cafeBase(), when: add(hosted("a")), then: []domain.Event{added(hosted("a"))}},
		{name: "empty topic and no seats", given: cafeBase(), when: add(table("t9", " ", 0)), fields: []string{"capacity", "topic"}},
		{name: "no id", given: cafeBase(), when: add(table("", "x", 1)), fields: []string{"id"}},
		{name: "two hosts", given: cafeBase(), when: add(both), fields: []string{"host"}},
		{name: "id taken", given: withTables(), when: add(table("t1", "x", 1)), class: domain.ErrConflict},
		{name: "host hosts another table", given: withTables(), when: add(hosted("c")), err: domain.ErrAlreadyHosting, class: domain.ErrConflict},
		{name: "host not confirmed for the day", given: cafeBase(), when: add(hosted("d")), err: domain.ErrNotConfirmedForCafe, class: domain.ErrInvalid},
		{name: "host waitlisted", given: cafeBase(), when: add(hosted("w")), err: domain.ErrNotConfirmedForCafe, class: domain.ErrInvalid},
		{name: "host unknown", given: cafeBase(), when: add(hosted("x")), err: domain.ErrRegistrationNotFound, class: domain.ErrNotFound},
		{name: "not a café", given: cafeBase(), when: func(w domain.Workshop) ([]domain.Event, error) {
			return w.AddTable(domain.AddTable{SessionID: "s9", Table: guest})
		}, err: domain.ErrNotThemeCafe, class: domain.ErrConflict},
	})
}

func TestChangeAndRemoveTable(t *testing.T) {
	change := func(c domain.ChangeTable) command {
		c.SessionID = "c1"
		return func(w domain.Workshop) ([]domain.Event, error) { return w.ChangeTable(c) }
	}
	remove := func(id domain.TableID) command {
		return func(w domain.Workshop) ([]domain.Event, error) { return w.RemoveTable("c1", id) }
	}
	changed := table("t1", "Wohnen und Arbeit", 4)
	changed.Host = "a"
	runDecisions(t, []decision{
		{name: "topic, capacity and host", given: withTables(),
			when: change(domain.ChangeTable{TableID: "t1", Topic: ptr("Wohnen und Arbeit"), Capacity: ptr(4), Host: ptr[domain.RegistrationID]("a")}),
			then: []domain.Event{domain.TableChanged{SessionID: "c1", Table: changed}}},
		{name: "a guest host replaces the participant", given: withTables(),
			when: change(domain.ChangeTable{TableID: "t3", HostGuest: ptr("Ada")}),
			then: []domain.Event{domain.TableChanged{SessionID: "c1", Table: domain.Table{ID: "t3", Topic: "Bildung", HostGuest: "Ada", Capacity: 2}}}},
		{name: "the same values decide nothing", given: withTables(), when: change(domain.ChangeTable{TableID: "t1", Topic: ptr("Wohnen")})},
		{name: "keeping one's own table is no second table", given: withTables(),
			when: change(domain.ChangeTable{TableID: "t3", Host: ptr[domain.RegistrationID]("c")})},
		{name: "no seats", given: withTables(), when: change(domain.ChangeTable{TableID: "t1", Capacity: ptr(0)}), fields: []string{"capacity"}},
		{name: "host of another table", given: withTables(),
			when: change(domain.ChangeTable{TableID: "t1", Host: ptr[domain.RegistrationID]("c")}), err: domain.ErrAlreadyHosting, class: domain.ErrConflict},
		{name: "change an unknown table", given: withTables(), when: change(domain.ChangeTable{TableID: "x"}), err: domain.ErrTableNotFound, class: domain.ErrNotFound},
		{name: "remove", given: withTables(), when: remove("t2"), then: []domain.Event{domain.TableRemoved{SessionID: "c1", TableID: "t2"}}},
		{name: "remove an unknown table", given: withTables(), when: remove("x"), err: domain.ErrTableNotFound, class: domain.ErrNotFound},
	})
}

func TestPreferences(t *testing.T) {
	state := func(id domain.RegistrationID, ranking ...domain.TableID) command {
		return func(w domain.Workshop) ([]domain.Event, error) {
			return w.StatePreferences(domain.StatePreferences{SessionID: "c1", RegistrationID: id, Ranking: ranking})
		}
	}
	open := func(w domain.Workshop) ([]domain.Event, error) { return w.OpenPreferences("c1") }
	closeC := func(w domain.Workshop) ([]domain.Event, error) { return w.ClosePreferences("c1") }
	stated := func(id domain.RegistrationID, ranking ...domain.TableID) domain.Event {
		return domain.PreferencesStated{SessionID: "c1", RegistrationID: id, Ranking: ranking}
	}
	closed := domain.PreferenceCollectionClosed{SessionID: "c1"}
	runDecisions(t, []decision{
		{name: "open", given: withTables(), when: open, then: []domain.Event{opened()}},
		{name: "open without tables", given: cafeBase(), when: open, err: domain.ErrNoTables, class: domain.ErrConflict},
		{name: "open twice", given: history(withTables(), opened()), when: open},
		{name: "close", given: history(withTables(), opened()), when: closeC, then: []domain.Event{closed}},
		{name: "close twice", given: history(withTables(), opened(), closed), when: closeC},
		{name: "reopen", given: history(withTables(), opened(), closed), when: open, then: []domain.Event{opened()}},
		{name: "rank", given: history(withTables(), opened()), when: state("a", "t2", "t1"), then: []domain.Event{stated("a", "t2", "t1")}},
		{name: "change the ranking", given: history(withTables(), opened(), stated("a", "t2", "t1")), when: state("a", "t1"),
			then: []domain.Event{stated("a", "t1")}},
		{name: "the same ranking decides nothing", given: history(withTables(), opened(), stated("a", "t2")), when: state("a", "t2")},
		{name: "withdraw", given: history(withTables(), opened(), stated("a", "t2")), when: state("a"), then: []domain.Event{stated("a")}},
		{name: "before the collection opens", given: withTables(), when: state("a", "t1"), err: domain.ErrCollectionClosed, class: domain.ErrConflict},
		{name: "after it closed", given: history(withTables(), opened(), closed), when: state("a", "t1"), err: domain.ErrCollectionClosed, class: domain.ErrConflict},
		{name: "unknown table", given: history(withTables(), opened()), when: state("a", "x"), fields: []string{"ranking"}},
		{name: "a table twice", given: history(withTables(), opened()), when: state("a", "t1", "t1"), fields: []string{"ranking"}},
		{name: "more than five", given: history(withTables(), opened()), when: state("a", "t1", "t2", "t3", "t4", "t5", "t6"), fields: []string{"ranking"}},
		{name: "not there that day", given: history(withTables(), opened()), when: state("d", "t1"), err: domain.ErrNotConfirmedForCafe, class: domain.ErrInvalid},
		{name: "cancelled", given: history(withTables(), opened(), cancelled("a")), when: state("a", "t1"), err: domain.ErrNotConfirmedForCafe, class: domain.ErrInvalid},
		{name: "unknown registration", given: history(withTables(), opened()), when: state("x", "t1"), err: domain.ErrRegistrationNotFound, class: domain.ErrNotFound},
	})
}

func TestRecordNotes(t *testing.T) {
	record := func(by domain.RegistrationID, tid domain.TableID, round int, n domain.TableNotes) command {
		return func(w domain.Workshop) ([]domain.Event, error) {
			return w.RecordNotes(domain.RecordNotes{SessionID: "c1", TableID: tid, Round: round, By: by, Notes: n})
		}
	}
	notes := domain.TableNotes{KeyPoints: []string{" Mieten steigen ", ""}, OpenQuestions: []string{"Wer zahlt?"}}
	clean := domain.TableNotes{KeyPoints: []string{"Mieten steigen"}, OpenQuestions: []string{"Wer zahlt?"}}
	recorded := func(tid domain.TableID, round int) domain.Event {
		return domain.TableNotesRecorded{SessionID: "c1", TableID: tid, Round: round, Notes: clean}
	}
	long := make([]string, 31)
	for i := range long {
		long[i] = "x"
	}
	runDecisions(t, []decision{
		{name: "by an organiser", given: withTables(), when: record("", "t1", 1, notes), then: []domain.Event{recorded("t1", 1)}},
		{name: "by the host", given: withTables(), when: record("c", "t3", 3, notes), then: []domain.Event{recorded("t3", 3)}},
		{name: "the same notes again", given: history(withTables(), recorded("t1", 1)), when: record("", "t1", 1, notes)},
		{name: "by someone else", given: withTables(), when: record("a", "t3", 1, notes), err: domain.ErrNotTableHost, class: domain.ErrConflict},
		{name: "round out of range", given: withTables(), when: record("", "t1", 4, notes), fields: []string{"round"}},
		{name: "too many items", given: withTables(), when: record("", "t1", 1, domain.TableNotes{Examples: long}), fields: []string{"examples"}},
		{name: "unknown table", given: withTables(), when: record("", "x", 1, notes), err: domain.ErrTableNotFound, class: domain.ErrNotFound},
	})
}

func TestCafeCloneIsDeep(t *testing.T) {
	log := history(withTables(), opened(), domain.PreferencesStated{SessionID: "c1", RegistrationID: "a", Ranking: []domain.TableID{"t1"}},
		domain.RotationPlanned{SessionID: "c1", Plan: domain.RotationPlan{Seats: map[domain.RegistrationID][]domain.TableID{"a": {"t1", "t2", ""}}}},
		domain.TableNotesRecorded{SessionID: "c1", TableID: "t1", Round: 1, Notes: domain.TableNotes{KeyPoints: []string{"k"}}})
	original, want := domain.Workshop{}.Fold(log...), domain.Workshop{}.Fold(log...)
	for name, change := range map[string]func(c *domain.Cafe){
		"tables":      func(c *domain.Cafe) { c.Tables[0].Topic = "x" },
		"preferences": func(c *domain.Cafe) { c.Preferences["a"][0] = "x" },
		"plan":        func(c *domain.Cafe) { c.Plan.Seats["a"][0] = "x" },
		"notes":       func(c *domain.Cafe) { c.Notes[domain.TableRound{Table: "t1", Round: 1}].KeyPoints[0] = "x" },
	} {
		c := original.Clone()
		change(c.ThemeCafes["c1"])
		if !reflect.DeepEqual(original, want) {
			t.Errorf("changing the clone's %s changed the original", name)
		}
	}
}
