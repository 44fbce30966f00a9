package domain_test

import (
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func init() {
	everyEvent = append(everyEvent,
		domain.HostLinkIssued{SessionID: "c1", TableID: "t1", TokenHash: "h1"},
		domain.HostLinkRevoked{SessionID: "c1", TableID: "t1"})
}

func issued(tid domain.TableID, hash string) domain.Event {
	return domain.HostLinkIssued{SessionID: "c1", TableID: tid, TokenHash: hash}
}

func TestIssueAndRevokeHostLink(t *testing.T) {
	issue := func(sid domain.SessionID, tid domain.TableID, hash string) command {
		return func(w domain.Workshop) ([]domain.Event, error) { return w.IssueHostLink(sid, tid, hash) }
	}
	revoke := func(tid domain.TableID) command {
		return func(w domain.Workshop) ([]domain.Event, error) { return w.RevokeHostLink("c1", tid) }
	}
	runDecisions(t, []decision{
		{name: "issue", given: withTables(), when: issue("c1", "t1", "h1"), then: []domain.Event{issued("t1", "h1")}},
		{name: "issue again replaces", given: history(withTables(), issued("t1", "h1")), when: issue("c1", "t1", "h2"),
			then: []domain.Event{issued("t1", "h2")}},
		{name: "unknown table", given: withTables(), when: issue("c1", "x", "h1"), err: domain.ErrTableNotFound, class: domain.ErrNotFound},
		{name: "not a café", given: withTables(), when: issue("s9", "t1", "h1"), err: domain.ErrNotThemeCafe, class: domain.ErrConflict},
		{name: "no token", given: withTables(), when: issue("c1", "t1", ""), fields: []string{"token"}},
		{name: "revoke", given: history(withTables(), issued("t1", "h1")), when: revoke("t1"),
			then: []domain.Event{domain.HostLinkRevoked{SessionID: "c1", TableID: "t1"}}},
		{name: "revoke without a link decides nothing", given: withTables(), when: revoke("t1")},
		{name: "revoke on an unknown table", given: withTables(), when: revoke("x"), err: domain.ErrTableNotFound, class: domain.ErrNotFound},
	})
}

// TestNotesByHostLink: notes with a host link's token hash are recorded only for the table of
// that link, and only while it is the table's current link.
func TestNotesByHostLink(t *testing.T) {
	notes := domain.TableNotes{KeyPoints: []string{"Mieten steigen"}}
	record := func(tid domain.TableID, hash string) command {
		return func(w domain.Workshop) ([]domain.Event, error) {
			return w.RecordNotes(domain.RecordNotes{SessionID: "c1", TableID: tid, Round: 1, Notes: notes, HostTokenHash: hash})
		}
	}
	linked := history(withTables(), issued("t1", "h1"), issued("t2", "h2"))
	notFound := func(name string, given []domain.Event, tid domain.TableID, hash string) decision {
		return decision{name: name, given: given, when: record(tid, hash), err: domain.ErrHostLinkNotFound, class: domain.ErrNotFound}
	}
	runDecisions(t, []decision{
		{name: "by the table's link", given: linked, when: record("t1", "h1"),
			then: []domain.Event{domain.TableNotesRecorded{SessionID: "c1", TableID: "t1", Round: 1, Notes: notes}}},
		notFound("another table's link", linked, "t2", "h1"),
		notFound("a made-up link", linked, "t1", "hx"),
		notFound("a replaced link", history(linked, issued("t1", "h3")), "t1", "h1"),
		notFound("a revoked link", history(linked, domain.HostLinkRevoked{SessionID: "c1", TableID: "t1"}), "t1", "h1"),
		notFound("the table removed", history(linked, domain.TableRemoved{SessionID: "c1", TableID: "t1"}), "t1", "h1"),
		notFound("a table without a link", withTables(), "t3", "h1"),
	})
}

func TestHostLinkFolds(t *testing.T) {
	w := domain.Workshop{}.Fold(history(withTables(), issued("t1", "h1"))...)
	if _, tb, err := w.HostTable("c1", "t1", "h1"); err != nil || tb.Topic != "Wohnen" {
		t.Errorf("HostTable with the link: got %+v, %v; want Wohnen", tb, err)
	}
	c := w.Clone()
	c = c.Evolve(domain.HostLinkRevoked{SessionID: "c1", TableID: "t1"})
	if _, _, err := w.HostTable("c1", "t1", "h1"); err != nil {
		t.Errorf("revoking on a clone revoked the original's link: %v", err)
	}
	if _, _, err := c.HostTable("c1", "t1", "h1"); err == nil {
		t.Errorf("the revoked link still opens the table")
	}
}
