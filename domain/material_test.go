package domain_test

import (
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

var slides = domain.MaterialFile{Name: "Folien.pdf", Size: 2048, SHA256: strings.Repeat("0a", 32),
	ContentType: "application/pdf", UploadedBy: "organiser"}

func withFile(edit func(*domain.MaterialFile)) domain.MaterialFile {
	f := slides
	edit(&f)
	return f
}

func addMaterial(c domain.AddMaterial) command {
	return func(w domain.Workshop) ([]domain.Event, error) { return w.AddMaterial(c) }
}

func replaceMaterial(c domain.ReplaceMaterial) command {
	return func(w domain.Workshop) ([]domain.Event, error) { return w.ReplaceMaterial(c) }
}

func removeMaterial(id domain.MaterialID) command {
	return func(w domain.Workshop) ([]domain.Event, error) {
		return w.RemoveMaterial(domain.RemoveMaterial{ID: id})
	}
}

func materialAdded(id string) domain.Event {
	return domain.MaterialAdded{MaterialID: domain.MaterialID(id), Title: "Folien", MaterialFile: slides}
}

func TestMaterials(t *testing.T) {
	base := cafeBase()
	withTable := history(base, added(table("t1", "Wohnen", 4)))
	withSlides := history(withTable, materialAdded("m1"))
	removed := history(withSlides, domain.MaterialRemoved{MaterialID: "m1"})
	v2 := withFile(func(f *domain.MaterialFile) { f.Name, f.SHA256 = "Folien v2.pdf", strings.Repeat("0b", 32) })
	runDecisions(t, []decision{
		{name: "workshop not scheduled", when: addMaterial(domain.AddMaterial{ID: "m1", File: slides}),
			err: domain.ErrWorkshopNotFound, class: domain.ErrNotFound},
		{name: "added with a title, trimmed", given: base, when: addMaterial(domain.AddMaterial{ID: "m1", Title: " Folien ", File: slides}),
			then: history(materialAdded("m1"))},
		{name: "to a session", given: base, when: addMaterial(domain.AddMaterial{ID: "m1", SessionID: "s9", File: slides}),
			then: history(domain.MaterialAdded{MaterialID: "m1", SessionID: "s9", MaterialFile: slides})},
		{name: "to a café table", given: withTable, when: addMaterial(domain.AddMaterial{ID: "m1", SessionID: "c1", TableID: "t1", File: slides}),
			then: history(domain.MaterialAdded{MaterialID: "m1", SessionID: "c1", TableID: "t1", MaterialFile: slides})},
		{name: "by the table's host link", given: history(withTable, domain.HostLinkIssued{SessionID: "c1", TableID: "t1", TokenHash: "h1"}),
			when: addMaterial(domain.AddMaterial{ID: "m1", SessionID: "c1", TableID: "t1", File: slides, HostTokenHash: "h1"}),
			then: history(domain.MaterialAdded{MaterialID: "m1", SessionID: "c1", TableID: "t1", MaterialFile: slides})},
		{name: "by a host link that is not the table's", given: history(withTable, domain.HostLinkIssued{SessionID: "c1", TableID: "t1", TokenHash: "h1"}),
			when: addMaterial(domain.AddMaterial{ID: "m1", SessionID: "c1", TableID: "t1", File: slides, HostTokenHash: "h2"}),
			err:  domain.ErrHostLinkNotFound, class: domain.ErrNotFound},
		{name: "by a host link to the workshop, not a table", given: history(withTable, domain.HostLinkIssued{SessionID: "c1", TableID: "t1", TokenHash: "h1"}),
			when: addMaterial(domain.AddMaterial{ID: "m1", File: slides, HostTokenHash: "h1"}),
			err:  domain.ErrHostLinkNotFound, class: domain.ErrNotFound},
		{name: "unknown session", given: base, when: addMaterial(domain.AddMaterial{ID: "m1", SessionID: "nope", File: slides}),
			err: domain.ErrSessionNotFound, class: domain.ErrNotFound},
		{name: "unknown table", given: withTable, when: addMaterial(domain.AddMaterial{ID: "m1", SessionID: "c1", TableID: "t9", File: slides}),
			err: domain.ErrTableNotFound, class: domain.ErrNotFound},
		{name: "a table of a session that is no café", given: withTable,
			when: addMaterial(domain.AddMaterial{ID: "m1", SessionID: "s9", TableID: "t1", File: slides}), class: domain.ErrConflict},
		{name: "a table without its session", given: withTable, when: addMaterial(domain.AddMaterial{ID: "m1", TableID: "t1", File: slides}),
			fields: []string{"table_id"}},
		{name: "id taken", given: withSlides, when: addMaterial(domain.AddMaterial{ID: "m1", File: slides}), class: domain.ErrConflict},
		{name: "id taken by a removed one", given: removed, when: addMaterial(domain.AddMaterial{ID: "m1", File: slides}), class: domain.ErrConflict},
		{name: "no id, bad title, uncleaned name, bad digest, type and size", given: base,
			when: addMaterial(domain.AddMaterial{Title: "a\x00b", File: domain.MaterialFile{Name: "../etc/passwd",
				SHA256: strings.Repeat("0A", 32), ContentType: "text/html", Size: 0}}),
			fields: []string{"content_type", "file", "id", "sha256", "title"}},
		{name: "no name", given: base, when: addMaterial(domain.AddMaterial{ID: "m1", File: withFile(func(f *domain.MaterialFile) { f.Name = "" })}),
			fields: []string{"file"}},
		{name: "replaced: version 2, new title", given: withSlides,
			when: replaceMaterial(domain.ReplaceMaterial{ID: "m1", Title: "Folien (final)", File: v2}),
			then: history(domain.MaterialReplaced{MaterialID: "m1", Version: 2, Title: "Folien (final)", MaterialFile: v2})},
		{name: "replaced twice: version 3", given: history(withSlides, domain.MaterialReplaced{MaterialID: "m1", Version: 2, MaterialFile: v2}),
			when: replaceMaterial(domain.ReplaceMaterial{ID: "m1", File: slides}),
			then: history(domain.MaterialReplaced{MaterialID: "m1", Version: 3, MaterialFile: slides})},
		{name: "replace unknown", given: withSlides, when: replaceMaterial(domain.ReplaceMaterial{ID: "m9", File: v2}),
			err: domain.ErrMaterialNotFound, class: domain.ErrNotFound},
		{name: "replace removed", given: removed, when: replaceMaterial(domain.ReplaceMaterial{ID: "m1", File: v2}),
			err: domain.ErrMaterialNotFound, class: domain.ErrNotFound},
		{name: "replace with a bad file", given: withSlides,
			when:   replaceMaterial(domain.ReplaceMaterial{ID: "m1", File: withFile(func(f *domain.MaterialFile) { f.ContentType = "application/x-msdownload" })}),
			fields: []string{"content_type"}},
		{name: "removed", given: withSlides, when: removeMaterial("m1"), then: history(domain.MaterialRemoved{MaterialID: "m1"})},
		{name: "removed twice", given: removed, when: removeMaterial("m1"), err: domain.ErrMaterialNotFound, class: domain.ErrNotFound},
	})
}

func TestCleanFileName(t *testing.T) {
	long := strings.Repeat("ä", 200) + ".pdf"
	for _, c := range []struct{ in, want string }{
		{"Folien.pdf", "Folien.pdf"},
		{"C:\\Users\\anna\\Protokoll.docx", "Protokoll.docx"},
		{"../../etc/passwd", "passwd"},
		{"a\x00b\r\nc.txt", "abc.txt"},
		{"evil\u202Efdp.exe", "evilfdp.exe"},
		{`"quoted".pdf`, "quoted.pdf"},
		{"  ..hidden.  ", "hidden"},
		{"tab\tname.csv", "tab name.csv"},
		{"\xff\xfe.png", ".png"[1:]},
		{"/", ""},
		{long, strings.Repeat("ä", domain.MaxFileName-4) + ".pdf"},
	} {
		if got := domain.CleanFileName(c.in); got != c.want {
			t.Errorf("CleanFileName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestPersonalMaterials: a material marked personal goes with its uploader's erasure, the
// account's (RemovePersonalUploads) or the café host's registration (Erase); others stay.
func TestPersonalMaterials(t *testing.T) {
	hosted := table("t1", "Wohnen", 4)
	hosted.Host = "b"
	withHost := history(cafeBase(), added(hosted), domain.HostLinkIssued{SessionID: "c1", TableID: "t1", TokenHash: "h1"})
	photo := withFile(func(f *domain.MaterialFile) {
		f.Name, f.ContentType, f.UploadedBy = "Gruppe.jpg", "image/jpeg", "host"
	})
	byHost := domain.MaterialAdded{MaterialID: "m1", SessionID: "c1", TableID: "t1", Personal: true, HostRegistration: "b", MaterialFile: photo}
	byHostPlain := domain.MaterialAdded{MaterialID: "m2", SessionID: "c1", TableID: "t1", HostRegistration: "b", MaterialFile: photo}
	acct := withFile(func(f *domain.MaterialFile) { f.UploadedBy = "account:u1:organiser" })
	byAccount := domain.MaterialAdded{MaterialID: "m3", Personal: true, MaterialFile: acct}
	byAccountPlain := domain.MaterialAdded{MaterialID: "m4", MaterialFile: acct}
	all := history(withHost, byHost, byHostPlain, byAccount, byAccountPlain)
	removePersonal := func(prefix string) command {
		return func(w domain.Workshop) ([]domain.Event, error) { return w.RemovePersonalUploads(prefix), nil }
	}
	mark := func(id domain.MaterialID, personal bool) command {
		return func(w domain.Workshop) ([]domain.Event, error) { return w.MarkMaterialPersonal(id, personal) }
	}
	runDecisions(t, []decision{
		{name: "the host's upload records the host's registration", given: withHost,
			when: addMaterial(domain.AddMaterial{ID: "m1", SessionID: "c1", TableID: "t1", File: photo, Personal: true, HostTokenHash: "h1"}),
			then: history(byHost)},
		{name: "the host's erasure removes their personal uploads only", given: all, when: erase("b"),
			then: history(cancelled("b"), promotedOn("w", day1), erased("b"), domain.MaterialRemoved{MaterialID: "m1", Reason: domain.MaterialErasure})},
		{name: "an account's erasure removes its personal uploads only", given: all, when: removePersonal("account:u1:"),
			then: history(domain.MaterialRemoved{MaterialID: "m3", Reason: domain.MaterialErasure})},
		{name: "another account's erasure removes nothing", given: all, when: removePersonal("account:u2:")},
		{name: "a removed material is not removed again", given: history(all, domain.MaterialRemoved{MaterialID: "m3"}),
			when: removePersonal("account:u1:")},
		{name: "marked personal", given: all, when: mark("m4", true),
			then: history(domain.MaterialPersonalMarked{MaterialID: "m4", Personal: true})},
		{name: "marked again: nothing", given: all, when: mark("m3", true)},
		{name: "unmarked", given: all, when: mark("m3", false),
			then: history(domain.MaterialPersonalMarked{MaterialID: "m3", Personal: false})},
		{name: "unmarked, then the erasure leaves it", given: history(all, domain.MaterialPersonalMarked{MaterialID: "m3"}),
			when: removePersonal("account:u1:")},
		{name: "mark unknown", given: all, when: mark("m9", true), err: domain.ErrMaterialNotFound, class: domain.ErrNotFound},
	})
}
