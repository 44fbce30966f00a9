package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestAccountDataExportByMail: a person known only by an account in a network (no registration)
// asks for their data with their address and gets the mail with the link, which opens their
// data; the mails about the account (the invitation, the link to the data) link the network's
// privacy notice.
func TestAccountDataExportByMail(t *testing.T) {
	shortRetries(t)
	smtp := startMailServer(t)
	in := startInstance(t, nil, "--data-dir", t.TempDir(), "--smtp-url", smtp.url(), "--mail-from", "Werkstatt <werkstatt@example.org>")
	a := api{t, in.url}
	network := a.must(201, "POST", "/api/v1/networks", organiser, map[string]any{"name": "Forum Integration"})["id"].(string)
	members := "/api/v1/networks/" + network + "/members"
	mia := a.must(201, "POST", members, organiser, map[string]any{"name": "Mia Berg", "email": "mia@example.org",
		"organisation": "Landratsamt Wartburgkreis", "roles": []map[string]any{{"role": "member"}}})["id"].(string)
	a.must(201, "POST", members+"/"+mia+"/invitations", organiser, nil)
	invitation := smtp.waitFor("mia@example.org", "Einladung ins Netzwerk Forum Integration")
	notice := in.url + "/networks/" + network + "/privacy"
	if !strings.Contains(invitation.Text, "Datenschutzhinweis: "+notice) {
		t.Errorf("the invitation does not link the network's privacy notice %s:\n%s", notice, invitation.Text)
	}

	a.must(http.StatusAccepted, "POST", "/api/v1/people/export-requests", "", map[string]any{"email": "Mia@example.org", "lang": "en"})
	got := smtp.waitFor("mia@example.org", "Your data stored in Werkstatt")
	link := myDataLink.FindString(got.Text)
	if link == "" || !strings.HasSuffix(link, "?lang=en") || !strings.Contains(got.Text, "Hello Mia Berg") {
		t.Fatalf("Mia's mail: want an English text with the link to her data, got %+v", got)
	}
	if !strings.Contains(got.Text, "Privacy notice: "+notice+"?lang=en") {
		t.Errorf("the mail with the link does not link the network's privacy notice:\n%s", got.Text)
	}
	get := func(u string) (int, string) {
		t.Helper()
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	status, page := get(link)
	if status != 200 || !strings.Contains(page, "Mia Berg") || !strings.Contains(page, "Forum Integration") {
		t.Errorf("the page of the link: got %d %.500s, want Mia's account in Forum Integration", status, page)
	}
	plain, _, _ := strings.Cut(link, "?")
	if status, body := get(plain + "/export.json"); status != 200 || !strings.Contains(body, "Landratsamt Wartburgkreis") {
		t.Errorf("the JSON file: got %d %.300s", status, body)
	}
	// The erased account's link stops working.
	a.must(204, "DELETE", "/api/v1/accounts/"+mia, organiser, nil)
	if status, _ := get(link); status != http.StatusNotFound {
		t.Errorf("the link after the account was erased: got %d, want 404", status)
	}
}
