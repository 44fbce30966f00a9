package domain_test

import (
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// everyEvent holds one event of each type with every field set, so that a field lost in the
// JSON round trip shows.
var everyEvent = []domain.Event{
	domain.WorkshopScheduled{ID: workshopID, Title: "Sommerwerkstatt", Series: "Werkstatt 2026",
		Venue: "Rathaus", Days: []domain.Day{day1, day2}, Capacity: 20, Network: "forum", Visibility: domain.MembersOnly},
	domain.WorkshopVisibilitySet{Visibility: domain.Public},
	domain.ReminderDaysSet{Days: 3},
	domain.RemindersSent{Recipients: []domain.RegistrationID{"r1"}},
	domain.FeedbackRequested{Recipients: []domain.RegistrationID{"r1"}},
	domain.MessageSent{ID: "m1", To: []domain.MessageGroup{domain.GroupConfirmed}, Subject: "Betreff", Text: "Text",
		Recipients: []domain.RegistrationID{"r1"}},
	domain.NetworkCreated{ID: "forum", Title: "Forum Integration"},
	domain.NetworkRenamed{Title: "Forum Integration Thüringen"},
	domain.MemberAdded{Account: "acc1", Organisation: "Landratsamt", Roles: []domain.RoleGrant{{Role: domain.RoleLead, Series: []string{"Ideenwerkstatt"}}},
		Person: &domain.Person{Name: "Anna Schmidt", Email: "anna@example.org"}},
	domain.MemberRolesChanged{Account: "acc1", Roles: []domain.RoleGrant{{Role: domain.RoleAdmin}}},
	domain.MemberRemoved{Account: "acc1"},
	domain.AnnouncementPosted{ID: "a1", Network: "forum", AnnouncementText: domain.AnnouncementText{Title: "Treffen", Body: "**Bald**", Visibility: domain.MembersOnly, Workshop: workshopID,
		Material: domain.MaterialRef{Workshop: workshopID, ID: "m1"}}},
	domain.AnnouncementEdited{ID: "a1", AnnouncementText: domain.AnnouncementText{Title: "Treffen", Body: "Später", Visibility: domain.Public, Workshop: workshopID}},
	domain.DigestSubscribed{Account: "acc1", Lang: "en"},
	domain.DigestUnsubscribed{Account: "acc1"},
	domain.AnnouncementWithdrawn{ID: "a1"},
	domain.CommentAdded{Announcement: "a1", ID: "c1", Account: "acc1", Person: &domain.Person{Name: "Anna Schmidt", Answers: map[string]string{"text": "Danke"}}},
	domain.CommentHidden{Announcement: "a1", ID: "c1"},
	domain.GroupCreated{ID: "g1", GroupText: domain.GroupText{Name: "AG Sprache", Description: "Kurse", Series: "ag-sprache"}},
	domain.GroupChanged{ID: "g1", GroupText: domain.GroupText{Name: "AG Arbeit", Description: "Jobs", Series: "ag-arbeit"}},
	domain.GroupMemberAdded{Group: "g1", Account: "anna"},
	domain.GroupMemberRemoved{Group: "g1", Account: "anna"},
	domain.GroupClosed{ID: "g1"},
	domain.PasswordLinkIssued{Network: "forum", Account: "acc1", LinkID: "l1", Purpose: domain.LinkForReset,
		ExpiresAt: time.Date(2026, 11, 17, 9, 0, 0, 0, time.UTC), Lang: "en"},
	domain.WorkshopChanged{Title: "Winterwerkstatt", Venue: "Bürgerhaus", Capacity: 30},
	domain.RegistrationClosesSet{Closes: time.Date(2026, 11, 10, 18, 0, 0, 0, time.UTC)},
	domain.WorkshopSummaryWritten{Text: "# Bilanz"},
	domain.RegistrationQuestionsSet{Questions: []domain.RegistrationQuestion{{ID: "sector", Label: "Sektor", Kind: domain.AskChoice, Options: []string{"A", "B"}, Required: true}}},
	domain.FundingSet{Funding: domain.Funding{Project: "Ankommen", FundingReference: "AMIF-1", Funder: "AMIF",
		Logo: &domain.Logo{Digest: "sha256:" + strings.Repeat("ab", 32), ContentType: "image/png", Size: 10, Width: 2, Height: 1}}},
	domain.MaterialAdded{MaterialID: "m1", Title: "Folien", SessionID: "s1", TableID: "t1", MaterialFile: domain.MaterialFile{
		Name: "Folien.pdf", Size: 10, SHA256: strings.Repeat("ab", 32), ContentType: "application/pdf", UploadedBy: "organiser"}},
	domain.MaterialReplaced{MaterialID: "m1", Version: 2, Title: "Folien (final)", MaterialFile: domain.MaterialFile{
		Name: "Folien2.pdf", Size: 11, SHA256: strings.Repeat("cd", 32), ContentType: "application/pdf", UploadedBy: "account:acc1"}},
	domain.MaterialRemoved{MaterialID: "m1"},
	domain.MaterialPersonalMarked{MaterialID: "m1", Personal: true},
	domain.SessionPlanned{Session: domain.Session{ID: "s1", Title: "Eröffnung", Kind: domain.Keynote,
		Day: day1, Starts: "09:00", Ends: "09:30", Room: "Saal A", Speakers: []string{"Ada", "Grace"}}},
	domain.SessionChanged{Session: domain.Session{ID: "s1", Title: "Themencafé", Kind: domain.ThemeCafe,
		Day: day2, Starts: "10:00", Ends: "11:30", Room: "Foyer", Speakers: []string{"Grace"}}},
	domain.SessionCancelled{SessionID: "s1"},
	domain.ParticipantRegistered{RegistrationID: "r1",
		Person: &domain.Person{Name: "Ada Lovelace", Email: "ada@example.org", Dietary: "vegan",
			Answers: map[string]string{"expectation": "Austausch"}},
		EmailKey: "k1", Organisation: "Jugendring", District: "Mitte", Days: []domain.Day{day2},
		Overnight: true, TokenHash: "9f86d081", Answers: map[string]string{"sector": "A"}},
	domain.RegistrationConfirmed{RegistrationID: "r1", FromWaitlist: true},
	domain.RegistrationWaitlisted{RegistrationID: "r1", Position: 3},
	domain.RegistrationCancelled{RegistrationID: "r1"},
	domain.LinkRequested{RegistrationID: "r1", TokenHash: "9f86d082"},
	domain.PersonalDataExported{RegistrationID: "r1", Channel: domain.ExportByAdmin},
	domain.DataExportRequested{RegistrationID: "r1", LinkID: "l1", ExpiresAt: time.Date(2026, 12, 13, 0, 0, 0, 0, time.UTC), Lang: "en"},
	domain.RegistrationChanged{RegistrationID: "r1", Person: &domain.Person{Dietary: "vegetarisch"},
		Organisation: "Jugendring", Days: []domain.Day{day1, day2}, Overnight: true, Status: domain.Confirmed},
	domain.ParticipantCheckedIn{RegistrationID: "r1", Day: day2, SessionID: "s1"},
	domain.CheckInAnnulled{RegistrationID: "r1", Day: day2, SessionID: "s1"},
}

func TestEventNames(t *testing.T) {
	valid := regexp.MustCompile(`^[a-z]+(\.[a-z_]+)+\.v[1-9][0-9]*$`)
	seen := map[string]string{}
	for _, e := range everyEvent {
		name, typ := e.Name(), reflect.TypeOf(e).Name()
		if other, ok := seen[name]; ok {
			t.Errorf("got name %q for %s and %s, want unique names", name, other, typ)
		}
		seen[name] = typ
		if !valid.MatchString(name) {
			t.Errorf("got name %q for %s, want lower-case words with a version such as \"thing.happened.v1\"", name, typ)
		}
	}
}

// TestEveryEventIsListed keeps everyEvent complete: every type of the package with a Name
// method must be in it, or its round trip goes untested.
func TestEveryEventIsListed(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatalf("reading the package directory: %v", err)
	}
	var declared []string
	for _, entry := range entries {
		if !strings.HasSuffix(entry.Name(), ".go") || strings.HasSuffix(entry.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), entry.Name(), nil, 0)
		if err != nil {
			t.Fatalf("parsing %s: %v", entry.Name(), err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Name.Name != "Name" || len(fn.Type.Params.List) != 0 {
				continue
			}
			if id, ok := fn.Recv.List[0].Type.(*ast.Ident); ok {
				declared = append(declared, id.Name)
			}
		}
	}
	var listed []string
	for _, e := range everyEvent {
		listed = append(listed, reflect.TypeOf(e).Name())
	}
	slices.Sort(declared)
	slices.Sort(listed)
	if !slices.Equal(declared, listed) {
		t.Errorf("got event types %v in the package, want them all in everyEvent %v", declared, listed)
	}
}

func TestEventRoundTrip(t *testing.T) {
	for _, e := range everyEvent {
		t.Run(e.Name(), func(t *testing.T) {
			b, err := json.Marshal(e)
			if err != nil {
				t.Fatalf("marshalling: %v", err)
			}
			got, err := domain.DecodeEvent(e.Name(), b)
			if err != nil {
				t.Fatalf("got DecodeEvent(%q, %s) error %v, want a decoded event", e.Name(), b, err)
			}
			if reflect.TypeOf(got).Kind() == reflect.Pointer {
				t.Fatalf("got DecodeEvent(%q) of type %T, want a value", e.Name(), got)
			}
			if !reflect.DeepEqual(got, e) {
				t.Errorf("got %#v after the round trip of %s, want %#v", got, b, e)
			}
		})
	}
}

func TestDecodeEventUnknownName(t *testing.T) {
	for _, name := range []string{"", "workshop.scheduled", "workshop.scheduled.v2", "WorkshopScheduled"} {
		if e, err := domain.DecodeEvent(name, []byte("{}")); !errors.Is(err, domain.ErrUnknownEvent) || e != nil {
			t.Errorf("got DecodeEvent(%q) = %v, %v, want nil, ErrUnknownEvent", name, e, err)
		}
	}
}

func TestDecodeEventBadJSON(t *testing.T) {
	name := domain.WorkshopScheduled{}.Name()
	if e, err := domain.DecodeEvent(name, []byte(`{"capacity":"many"}`)); err == nil || e != nil {
		t.Errorf("got DecodeEvent(%q) = %v, %v, want nil and an error", name, e, err)
	}
}

// TestRegisteredNames lists every stored event name. The names are the log's format: a rename
// here orphans stored events, so it must be a new version, never an edit.
func TestRegisteredNames(t *testing.T) {
	want := []string{
		"checkin.annulled.v1",
		"checkin.recorded.v1",
		"feedback.answered.v1",
		"feedback.closed.v1",
		"feedback.opened.v1",
		"feedback.questionnaire_set.v1",
		"followup.action_item_agreed.v1",
		"followup.action_item_done.v1",
		"followup.action_item_reopened.v1",
		"followup.topic_proposed.v1",
		"followup.topic_status_changed.v1",
		"followup.topics_merged.v1",
		"followup.vote_limit_set.v1",
		"followup.votes_cast.v1",
		"followup.voting_closed.v1",
		"followup.voting_opened.v1",
		"network.announcement_comment_added.v1",
		"network.announcement_comment_hidden.v1",
		"network.announcement_edited.v1",
		"network.announcement_posted.v1",
		"network.announcement_withdrawn.v1",
		"network.created.v1",
		"network.data_export_requested.v1",
		"network.digest_subscribed.v1",
		"network.digest_unsubscribed.v1",
		"network.group_changed.v1",
		"network.group_closed.v1",
		"network.group_created.v1",
		"network.group_member_added.v1",
		"network.group_member_removed.v1",
		"network.mail_template_reset.v1",
		"network.mail_template_set.v1",
		"network.member_added.v1",
		"network.member_removed.v1",
		"network.member_roles_changed.v1",
		"network.password_link_issued.v1",
		"network.personal_data_exported.v1",
		"network.privacy_notice_set.v1",
		"network.renamed.v1",
		"network.retention_default_set.v1",
		"network.webhook_added.v1",
		"network.webhook_removed.v1",
		"participant.registered.v1",
		"registration.cancelled.v1",
		"registration.changed.v1",
		"registration.confirmed.v1",
		"registration.data_export_requested.v1",
		"registration.link_requested.v1",
		"registration.personal_data_erased.v1",
		"registration.reduced_to_evidence.v1",
		"registration.waitlisted.v1",
		"session.cancelled.v1",
		"session.changed.v1",
		"session.planned.v1",
		"themecafe.guest_moved.v1",
		"themecafe.host_link_issued.v1",
		"themecafe.host_link_revoked.v1",
		"themecafe.notes_recorded.v1",
		"themecafe.preferences_closed.v1",
		"themecafe.preferences_opened.v1",
		"themecafe.preferences_stated.v1",
		"themecafe.rotation_planned.v1",
		"themecafe.rotation_published.v1",
		"themecafe.rounds_set.v1",
		"themecafe.table_added.v1",
		"themecafe.table_changed.v1",
		"themecafe.table_removed.v1",
		"workshop.changed.v1",
		"workshop.feedback_requested.v1",
		"workshop.funding_set.v1",
		"workshop.material_added.v1",
		"workshop.material_personal_marked.v1",
		"workshop.material_removed.v1",
		"workshop.material_replaced.v1",
		"workshop.message_sent.v1",
		"workshop.personal_data_exported.v1",
		"workshop.registration_closes_set.v1",
		"workshop.registration_questions_set.v1",
		"workshop.reminder_days_set.v1",
		"workshop.reminders_sent.v1",
		"workshop.retention_ran.v1",
		"workshop.retention_set.v1",
		"workshop.scheduled.v1",
		"workshop.summary_written.v1",
		"workshop.visibility_set.v1",
	}
	if got := domain.RegisteredNames(); !slices.Equal(got, want) {
		t.Errorf("got registered names %v, want %v", got, want)
	}
	var listed []string
	for _, e := range everyEvent {
		listed = append(listed, e.Name())
	}
	slices.Sort(listed)
	if !slices.Equal(listed, want) {
		t.Errorf("got names %v in everyEvent, want every registered name %v", listed, want)
	}
}

func TestPersonalEvents(t *testing.T) {
	for _, e := range everyEvent {
		p, ok := e.(domain.Personal)
		_, registered := e.(domain.ParticipantRegistered)
		_, changed := e.(domain.RegistrationChanged)
		_, member := e.(domain.MemberAdded)
		_, comment := e.(domain.CommentAdded)
		_, reduced := e.(domain.ReducedToEvidence)
		member = member || comment // a comment's author is sealed under their account
		if want := registered || changed || member || reduced; ok != want {
			t.Errorf("got %s Personal = %v, want %v", e.Name(), ok, want)
		}
		want := "r1" // a registration's person is sealed under the registration, a member's under the account
		if member {
			want = "acc1"
		}
		if reduced {
			want = "evidence_r1" // the evidence a hold keeps has its own key
		}
		if ok && p.DataSubject() != want {
			t.Errorf("got data subject %q of %s, want %s", p.DataSubject(), e.Name(), want)
		}
	}
}
