package web_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

func TestPagesCarrySecurityHeaders(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	b := s.browser()
	for _, path := range []string{"/", "/w/" + id, "/w/" + id + "/register", "/organiser/sign-in", "/assets/style.css"} {
		p := b.get(path)
		if p.status != http.StatusOK {
			t.Fatalf("GET %s: got %d, want 200", path, p.status)
		}
		csp := p.header.Get("Content-Security-Policy")
		for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "default-src 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("GET %s: got CSP %q, want it to hold %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("GET %s: got CSP %q, want no unsafe-inline", path, csp)
		}
		for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"} {
			if got := p.header.Get(name); got != want {
				t.Errorf("GET %s: got %s %q, want %q", path, name, got, want)
			}
		}
	}
}

func TestLanguage(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	tests := []struct {
		name, path, acceptLanguage string
		want                       []string
	}{
		{"German by default", "/w/" + id, "", []string{`<html lang="de">`, "Programm", "Mo., 16.11.2026", "09:30", "10 freie Plätze"}},
		{"English by query", "/w/" + id + "?lang=en", "", []string{`<html lang="en">`, "Agenda", "Mon 16 Nov 2026", "10 free seats"}},
		{"English by Accept-Language", "/w/" + id, "en-GB,en;q=0.9", []string{`<html lang="en">`, "Agenda"}},
		{"German for an unknown language", "/w/" + id, "fr-FR", []string{`<html lang="de">`, "Programm"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := s.browser()
			if tt.acceptLanguage != "" {
				b.header.Set("Accept-Language", tt.acceptLanguage)
			}
			b.get(tt.path).mustContain(t, "GET "+tt.path, tt.want...)
		})
	}
	t.Run("the choice is remembered", func(t *testing.T) {
		b := s.browser()
		b.get("/?lang=en")
		b.header.Set("Accept-Language", "de")
		b.get("/w/"+id).mustContain(t, "GET after ?lang=en", `<html lang="en">`, "Register now")
		b.get("/w/"+id+"?lang=de").mustContain(t, "GET with ?lang=de", `<html lang="de">`, "Jetzt anmelden")
	})
}

func TestFormsRejectMissingCSRFToken(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	b := s.browser()
	form := b.get("/w/" + id + "/register")
	values := url.Values{"name": {"Anna Berg"}, "email": {"anna@example.org"}, "organisation": {"Stadt Kassel"},
		"days": {"2026-11-16"}, "consent": {"yes"}}
	p := b.post("/w/"+id+"/register", values)
	if p.status != http.StatusForbidden {
		t.Fatalf("POST without token: got %d, want 403", p.status)
	}
	p.mustContain(t, "POST without token", "Das Formular ist abgelaufen")
	values.Set("_csrf", "forged-token")
	if p := b.post("/w/"+id+"/register", values); p.status != http.StatusForbidden {
		t.Fatalf("POST with a forged token: got %d, want 403", p.status)
	}
	values.Set("_csrf", form.csrf(t))
	p = b.post("/w/"+id+"/register", values)
	if p.status != http.StatusSeeOther || !strings.Contains(p.header.Get("Location"), "token=") {
		t.Fatalf("POST with the page's token: got %d to %q, want 303 to the personal link", p.status, p.header.Get("Location"))
	}
	b.get(p.header.Get("Location")).mustContain(t, "the personal page", "Vielen Dank!", "bestätigt", "Anna Berg")
}

func TestFieldErrorsNextToTheirFields(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	tests := []struct {
		lang string
		want []string
	}{
		{"de", []string{`id="e-email">Bitte eine E-Mail-Adresse wie name@example.org angeben.`,
			`id="e-organisation">Bitte ausfüllen.`, `id="e-consent">Ohne Ihre Einwilligung`}},
		{"en", []string{`id="e-email">Please enter an email address such as name@example.org.`,
			`id="e-organisation">Please fill this in.`, `id="e-consent">We cannot register you without your consent.`}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			b := s.browser()
			form := b.get("/w/" + id + "/register?lang=" + tt.lang)
			p := b.post("/w/"+id+"/register", url.Values{"_csrf": {form.csrf(t)}, "name": {"Anna Berg"},
				"email": {"anna(at)example.org"}, "days": {"2026-11-17"}, "dietary": {"vegan"}})
			if p.status != http.StatusUnprocessableEntity {
				t.Fatalf("POST a bad registration: got %d, want 422", p.status)
			}
			p.mustContain(t, "the rejected form", tt.want...)
			// What was typed stays, including the chosen day and the wrong email to correct.
			p.mustContain(t, "the rejected form", `value="Anna Berg"`, `value="anna(at)example.org"`, `value="vegan"`,
				`value="2026-11-17" checked`, `aria-invalid="true" aria-describedby="e-email"`)
			if strings.Contains(p.body, `value="2026-11-16" checked`) {
				t.Errorf("the rejected form ticks 2026-11-16, which was not chosen")
			}
		})
	}
}

func TestOrganiserPagesRequireTheSession(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	paths := []string{"/organiser", "/organiser/workshops/new", "/organiser/workshops/" + id,
		"/organiser/workshops/" + id + "/registrations", "/organiser/workshops/" + id + "/check-in",
		"/organiser/workshops/" + id + "/attendance"}
	b := s.browser()
	for _, path := range paths {
		p := b.get(path)
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/organiser/sign-in?next=") {
			t.Errorf("GET %s without a session: got %d to %q, want 303 to the sign-in", path, p.status, p.header.Get("Location"))
		}
	}
	b.client.Jar.SetCookies(mustURL(t, s.url), []*http.Cookie{{Name: "werkstatt_session", Value: "organiser.99999999999.forged"}})
	if p := b.get("/organiser"); p.status != http.StatusSeeOther {
		t.Errorf("GET /organiser with a forged session: got %d, want 303", p.status)
	}

	signIn := b.get("/organiser/sign-in?next=/organiser/workshops/" + id + "/attendance")
	p := b.post("/organiser/sign-in", url.Values{"_csrf": {signIn.csrf(t)}, "token": {"wrong"}, "next": {"/organiser"}})
	if p.status != http.StatusUnauthorized {
		t.Fatalf("sign in with a wrong token: got %d, want 401", p.status)
	}
	p.mustContain(t, "sign in with a wrong token", "Dieses Token ist nicht gültig.")
	p = b.post("/organiser/sign-in", url.Values{"_csrf": {signIn.csrf(t)}, "token": {organiserToken},
		"next": {"/organiser/workshops/" + id + "/attendance"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/organiser/workshops/"+id+"/attendance" {
		t.Fatalf("sign in: got %d to %q, want 303 back to the attendance", p.status, p.header.Get("Location"))
	}
	var cookie string
	for _, c := range p.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "werkstatt_session=") {
			cookie = c
		}
	}
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Max-Age="} {
		if !strings.Contains(cookie, want) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(cookie, organiserToken) {
		t.Errorf("session cookie %q holds the organiser token", cookie)
	}
	for _, path := range paths {
		if p := b.get(path); p.status != http.StatusOK {
			t.Errorf("GET %s signed in: got %d, want 200", path, p.status)
		}
	}
}

func TestSignInRedirectsOnlyWithinTheSite(t *testing.T) {
	s := startService(t)
	b := s.browser()
	form := b.get("/organiser/sign-in")
	for _, next := range []string{"https://evil.example", "//evil.example", "/\\evil.example"} {
		p := b.post("/organiser/sign-in", url.Values{"_csrf": {form.csrf(t)}, "token": {organiserToken}, "next": {next}})
		if got := p.header.Get("Location"); got != "/organiser" {
			t.Errorf("sign in with next=%q: got redirect to %q, want /organiser", next, got)
		}
	}
}

func TestCataloguesHaveTheSameMessages(t *testing.T) {
	ids := func(lang string) map[string]bool {
		set := map[string]bool{}
		for k := range catalogue(t, lang) {
			set[k] = true
		}
		return set
	}
	de, en := ids("de"), ids("en")
	for id := range de {
		if !en[id] {
			t.Errorf("the English catalogue lacks %s", id)
		}
	}
	for id := range en {
		if !de[id] {
			t.Errorf("the German catalogue lacks %s", id)
		}
	}
	// Every message a template asks for exists.
	files, _ := os.ReadDir("templates")
	for _, f := range files {
		b, _ := os.ReadFile("templates/" + f.Name())
		for _, m := range messageCall.FindAllStringSubmatch(string(b), -1) {
			if id := m[1]; !de[id] {
				t.Errorf("templates/%s asks for %q, which the German catalogue lacks", f.Name(), id)
			}
		}
	}
}

// catalogue reads the messages of lang from every locales/<name>.<lang>.toml; an id in two
// files fails the test, since one would silently win.
func catalogue(t *testing.T, lang string) map[string]any {
	t.Helper()
	paths, err := filepath.Glob("locales/*." + lang + ".toml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no catalogue for %s: %v", lang, err)
	}
	all := map[string]any{}
	for _, path := range paths {
		var m map[string]any
		if _, err := toml.DecodeFile(path, &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for id, v := range m {
			if _, dup := all[id]; dup {
				t.Errorf("%s: message %s is defined twice", path, id)
			}
			all[id] = v
		}
	}
	return all
}

// messageCall finds the message ids templates translate: {{t "ID" ...}} or (t "ID" ...).
var messageCall = regexp.MustCompile(`[{(]t "([A-Za-z_]+)"`)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
