package handlers_test

import (
	"strings"
	"testing"
)

// mailTemplate is a mail of a network as the API lists it.
type mailTemplate struct {
	Kind, Lang   string
	Placeholders []string
	BuiltIn      struct{ Subject, Text string } `json:"built_in"`
	Override     *struct{ Subject, Text string }
}

// mailProblem is a refusal with its field errors.
type mailProblem struct {
	Type   string
	Errors []struct{ Field, Code, Detail string }
}

// TestMailTemplates: a network's admin (and the instance's administrator) lists, words,
// previews and resets the network's mails; an organiser of some series only, a member and
// another network's admin may not; broken wordings, unknown kinds and languages and hostile
// bodies are refused precisely.
func TestMailTemplates(t *testing.T) {
	eachReadModel(t, testMailTemplates)
}

func testMailTemplates(t *testing.T, s *service) {
	n := newNetworkWorld(s)
	base := "/api/v1/networks/" + n.forum + "/mail-templates"

	var list struct {
		MailTemplates []mailTemplate `json:"mail_templates"`
	}
	s.must(request{method: "GET", path: base, token: n.anna.Token}, 200, &list)
	kinds := map[string]bool{}
	for _, m := range list.MailTemplates {
		kinds[m.Kind+"/"+m.Lang] = true
		if m.Override != nil || m.BuiltIn.Subject == "" || m.BuiltIn.Text == "" || len(m.Placeholders) == 0 {
			t.Errorf("a fresh network's mail: %+v", m)
		}
	}
	for _, want := range []string{"received/de", "received/en", "moved-up/de", "cancelled/en", "link/de", "invitation/en", "password-reset/de"} {
		if !kinds[want] {
			t.Errorf("the list lacks %s: %v", want, kinds)
		}
	}

	// Who may: the network's admin and the instance's administrator; nobody else.
	for _, who := range []member{n.olaf, n.dora, n.lea, n.mia} {
		s.must(request{method: "GET", path: base, token: who.Token}, 403, nil)
		s.must(request{method: "PUT", path: base + "/received/de", token: who.Token, body: map[string]any{"subject": "S", "text": "T"}}, 403, nil)
	}
	s.must(request{method: "GET", path: base, token: n.max.Token}, 404, nil)
	s.must(request{method: "PUT", path: base + "/received/de", token: n.max.Token, body: map[string]any{"subject": "S", "text": "T"}}, 404, nil)
	s.must(request{method: "GET", path: base}, 401, nil)
	s.must(request{method: "GET", path: base, token: org}, 200, nil)
	// An organiser of all the network's series words its mails too.
	var ute member
	s.must(request{method: "POST", path: "/api/v1/networks/" + n.forum + "/members", token: org, body: map[string]any{
		"name": "ute", "email": "ute@example.org", "roles": []map[string]any{{"role": "organiser"}}}}, 201, &ute)
	var tok struct{ Token string }
	s.must(request{method: "POST", path: "/api/v1/networks/" + n.forum + "/members/" + ute.ID + "/api-tokens", token: org,
		body: map[string]any{"label": "Vorlagen"}}, 201, &tok)
	s.must(request{method: "GET", path: base, token: tok.Token}, 200, nil)
	s.must(request{method: "POST", path: base + "/moved-up/en/preview", token: tok.Token, body: map[string]any{"subject": "S", "text": "T"}}, 200, nil)

	// Set, then read it back.
	wording := map[string]any{"subject": "Willkommen bei {{.Workshop}}", "text": "Liebe·r {{.Name}},\r\nwir sehen uns in {{.Venue}}."}
	var set mailTemplate
	s.must(request{method: "PUT", path: base + "/received/de", token: n.anna.Token, body: wording}, 200, &set)
	if set.Override == nil || set.Override.Subject != "Willkommen bei {{.Workshop}}" || set.Override.Text != "Liebe·r {{.Name}},\nwir sehen uns in {{.Venue}}." {
		t.Errorf("the set mail: %+v", set)
	}
	s.must(request{method: "PUT", path: base + "/received/de", token: org, body: wording}, 200, nil) // the same again
	s.must(request{method: "GET", path: base, token: org}, 200, &list)
	for _, m := range list.MailTemplates {
		if (m.Override != nil) != (m.Kind == "received" && m.Lang == "de") {
			t.Errorf("after setting received/de: %+v", m)
		}
	}
	// The other network's mails are its own.
	s.must(request{method: "GET", path: "/api/v1/networks/" + n.wartburg + "/mail-templates", token: n.max.Token}, 200, &list)
	for _, m := range list.MailTemplates {
		if m.Override != nil {
			t.Errorf("the other network's mail: %+v", m)
		}
	}

	// Preview: the sample mail, with the fixed parts; the HTML escapes the organiser's text.
	var preview struct{ Kind, Lang, Subject, Text, HTML string }
	s.must(request{method: "POST", path: base + "/received/de/preview", token: n.anna.Token,
		body: map[string]any{"subject": "Hallo {{.Name}}", "text": "<script>alert(1)</script>\n{{.Network}}"}}, 200, &preview)
	if preview.Subject != "Hallo Alex Beispiel" || !strings.Contains(preview.Text, "<script>alert(1)</script>\nForum Integration") ||
		!strings.Contains(preview.Text, "/w/") || strings.Contains(preview.HTML, "<script>") || !strings.Contains(preview.HTML, "&lt;script&gt;") {
		t.Errorf("the preview: %+v", preview)
	}

	// Broken wordings: 422 with the field and a precise detail; nothing kept.
	for _, c := range []struct {
		body       any
		field      string
		code, hint string
	}{
		{map[string]any{"subject": "{{.Secret}}", "text": "T"}, "subject", "not-a-template", "{{.Name}}"},
		{map[string]any{"subject": "S", "text": "{{.Name"}, "text", "not-a-template", "unclosed"},
		{map[string]any{"subject": "S", "text": `{{printf "%v" .Name}}`}, "text", "not-a-template", "not allowed"},
		{map[string]any{"subject": "S", "text": "{{range .Days}}{{end}}"}, "text", "not-a-template", "not allowed"},
		{map[string]any{"subject": "S\nBcc: x@example.org", "text": "T"}, "subject", "control-characters", ""},
		{map[string]any{"subject": "S", "text": "T\u0000"}, "text", "control-characters", ""},
		{map[string]any{"subject": strings.Repeat("s", 201), "text": "T"}, "subject", "too-long", ""},
		{map[string]any{"subject": "S", "text": strings.Repeat("t", 5001)}, "text", "too-long", ""},
		{map[string]any{"subject": "", "text": "T"}, "subject", "required", ""},
		{map[string]any{"subject": "S"}, "text", "required", ""},
	} {
		for _, path := range []string{base + "/received/de", base + "/received/de/preview"} {
			method := "PUT"
			if strings.HasSuffix(path, "/preview") {
				method = "POST"
			}
			var p mailProblem
			s.must(request{method: method, path: path, token: n.anna.Token, body: c.body}, 422, &p)
			if len(p.Errors) != 1 || p.Errors[0].Field != c.field || p.Errors[0].Code != c.code || !strings.Contains(p.Errors[0].Detail, c.hint) {
				t.Errorf("%s %s %v: got %+v, want %s on %s mentioning %q", method, path, c.body, p, c.code, c.field, c.hint)
			}
		}
	}
	for _, body := range []string{`{"subject": "S", "text": "T", "bcc": "x"}`, `{"subject": 1, "text": "T"}`, `[]`, `{"subject": "S", "text": "\xff"}`} {
		if res := s.do(request{method: "PUT", path: base + "/received/de", token: n.anna.Token, body: body}); res.status != 400 && res.status != 422 {
			t.Errorf("PUT %s: got %d %s, want 400 or 422", body, res.status, res.body)
		}
	}
	var one mailTemplate
	s.must(request{method: "PUT", path: base + "/received/de", token: n.anna.Token, body: wording}, 200, &one)
	if one.Override == nil || one.Override.Subject != "Willkommen bei {{.Workshop}}" {
		t.Errorf("a refused wording changed the kept one: %+v", one)
	}

	// Unknown kinds and languages: 404 problems.
	for _, path := range []string{base + "/no-such-kind/de", base + "/received/fr", base + "/received/d%C3%A9", base + "/..%2F..%2Fworkshops/de"} {
		var p mailProblem
		s.must(request{method: "PUT", path: path, token: n.anna.Token, body: wording}, 404, &p)
		if !strings.Contains(p.Type, "not-found") {
			t.Errorf("PUT %s: got %+v, want a not-found problem", path, p)
		}
		s.must(request{method: "DELETE", path: path, token: n.anna.Token}, 404, nil)
		s.must(request{method: "POST", path: path + "/preview", token: n.anna.Token, body: wording}, 404, nil)
	}

	// Reset: 204, the built-in wording again; a second reset changes nothing.
	s.must(request{method: "DELETE", path: base + "/received/de", token: n.mia.Token}, 403, nil)
	s.must(request{method: "DELETE", path: base + "/received/de", token: n.anna.Token}, 204, nil)
	s.must(request{method: "DELETE", path: base + "/received/de", token: n.anna.Token}, 204, nil)
	s.must(request{method: "GET", path: base, token: n.anna.Token}, 200, &list)
	for _, m := range list.MailTemplates {
		if m.Override != nil {
			t.Errorf("after the reset: %+v", m)
		}
	}
}
