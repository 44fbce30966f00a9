package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestPhotoConsentPages: the registration form asks for photo consent, the personal page shows
// and changes it, the organiser's list shows it, and the documentation page counts the
// confirmed participants who agreed.
func TestPhotoConsentPages(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Ideenwerkstatt", 10)
	s.register(id, "Anna Schmidt", "Landratsamt") // no consent
	b := s.browser()
	form := b.get("/w/" + id + "/register")
	form.mustContain(t, "the registration form", `name="photo_consent" value="yes"`, "Fotos dürfen veröffentlicht werden")
	res := b.post("/w/"+id+"/register", url.Values{"_csrf": {form.csrf(t)}, "name": {"Clara Wendt"},
		"email": {"clara@example.org"}, "organisation": {"Stadt Kassel"}, "days": {"2026-11-16"}, "consent": {"yes"},
		"photo_consent": {"yes"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("registering: got %d, want 303: %s", res.status, res.body)
	}
	own := res.header.Get("Location")
	p := b.get(own)
	p.mustContain(t, "the personal page", `name="photo_consent" value="yes" checked`)
	doc := "/w/" + id + "/documentation"
	b.get(doc).mustContain(t, "the documentation page", `id="photo-consent">1 von 2 Teilnehmenden haben der Veröffentlichung von Fotos zugestimmt.`)

	o := s.signIn(t)
	o.get("/organiser/workshops/"+id+"/registrations").mustContain(t, "the organiser's list", "Fotos erlaubt",
		`<td class="photo-consent">ja</td>`, `<td class="photo-consent">nein</td>`)

	// Clara withdraws her consent on her personal page: the box left unticked.
	u, err := url.Parse(own)
	if err != nil {
		t.Fatal(err)
	}
	token := u.Query().Get("token")
	res = b.post(u.Path+"/change", url.Values{"_csrf": {p.csrf(t)}, "token": {token}, "days": {"2026-11-16"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("the change: got %d, want 303: %s", res.status, res.body)
	}
	if p := b.get(res.header.Get("Location")); strings.Contains(p.body, `name="photo_consent" value="yes" checked`) {
		t.Errorf("the personal page after withdrawing still shows the consent")
	}
	b.header.Set("Accept-Language", "en")
	b.get(doc).mustContain(t, "the English documentation page", "0 of 2 participants agreed that photos may be published.")
}

// TestDocumentationPageCafes: the documentation page shows each café's tables with their
// topic, host and notes per round, in German and English.
func TestDocumentationPageCafes(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Ideenwerkstatt", 10)
	base := "/api/v1/workshops/" + id
	var se, table struct{ ID string }
	s.api(http.MethodPost, base+"/sessions", organiserToken, map[string]any{"title": "Themencafé Wohnen", "kind": "theme_cafe",
		"day": "2026-11-16", "starts": "13:00", "ends": "15:00"}, &se)
	cafe := base + "/sessions/" + se.ID + "/theme-cafe"
	s.api(http.MethodPost, cafe+"/tables", organiserToken, map[string]any{"topic": "Mieten", "capacity": 6, "host_guest": "Dr. Gast"}, &table)
	s.api(http.MethodPost, cafe+"/tables", organiserToken, map[string]any{"topic": "Leerstand", "capacity": 6}, nil)
	s.api(http.MethodPut, cafe+"/tables/"+table.ID+"/notes/1", organiserToken, map[string]any{"key_points": []string{"Mieten <steigen>"},
		"open_questions": []string{"Wer zahlt?"}}, nil)
	b := s.browser()
	path := "/w/" + id + "/documentation"
	b.get(path).mustContain(t, "the German page", `<h2 id="h-cafes">Ergebnisse der Themencafés</h2>`, "Themencafé Wohnen",
		`<h4 id="h-table-`+table.ID+`">Mieten</h4>`, "Dr. Gast", "Runde 1", "<li>Mieten &lt;steigen&gt;</li>", "Offene Fragen",
		"<li>Wer zahlt?</li>", "Leerstand", "Zu diesem Tisch sind keine Notizen festgehalten.")
	b.header.Set("Accept-Language", "en")
	b.get(path).mustContain(t, "the English page", "Theme café results", "Round 1", "No notes were recorded at this table.")
}

// postUpload posts a multipart form with a file in the field "file", as the browser does.
func (b *browser) postUpload(t *testing.T, path string, fields url.Values, name string, file []byte) page {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(file)
	_ = w.Close()
	req, err := http.NewRequest(http.MethodPost, b.s.url+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	res, err := b.client.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return page{status: res.StatusCode, header: res.Header, body: string(data)}
}

// TestHostUploadPage: the table's host uploads a photo of the flipchart on their page (by the
// host link, no sign-in); it is listed there and on the documentation page under the table; a
// file of another type is a message on the form; another table's link uploads nothing.
func TestHostUploadPage(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Ideenwerkstatt", 10)
	sid := s.themeCafe(id, "Themencafé")
	cafe := "/api/v1/workshops/" + id + "/sessions/" + sid + "/theme-cafe"
	var a, b struct{ ID string }
	s.api(http.MethodPost, cafe+"/tables", organiserToken, map[string]any{"topic": "Wohnen", "capacity": 6}, &a)
	s.api(http.MethodPost, cafe+"/tables", organiserToken, map[string]any{"topic": "Arbeit", "capacity": 6}, &b)
	var la, lb struct{ Token string }
	s.api(http.MethodPost, cafe+"/tables/"+a.ID+"/host-link", organiserToken, nil, &la)
	s.api(http.MethodPost, cafe+"/tables/"+b.ID+"/host-link", organiserToken, nil, &lb)

	host := s.browser()
	path := "/w/" + id + "/cafes/" + sid + "/tables/" + a.ID + "/host"
	p := host.get(path + "?token=" + url.QueryEscape(la.Token))
	p.mustContain(t, "the host's page", "Materialien des Tisches", `action="`+path+`/materials" enctype="multipart/form-data"`)
	photo := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...)
	res := host.postUpload(t, path+"/materials", url.Values{"_csrf": {p.csrf(t)}, "token": {la.Token}, "title": {"Flipchart"}},
		"flipchart.png", photo)
	if res.status != http.StatusSeeOther {
		t.Fatalf("the upload: got %d %s, want 303", res.status, res.body)
	}
	after := host.get(res.header.Get("Location"))
	after.mustContain(t, "the host's page after the upload", `id="material-saved"`, ">Flipchart</a>", "flipchart.png")
	s.browser().get("/w/"+id+"/documentation").mustContain(t, "the documentation", `class="table-materials"`, ">Flipchart</a>")
	s.signIn(t).get("/organiser/workshops/"+id+"/cafes/"+sid+"/results").mustContain(t, "the café's results",
		`class="table-materials"`, ">Flipchart</a>")

	bad := host.postUpload(t, path+"/materials", url.Values{"_csrf": {p.csrf(t)}, "token": {la.Token}}, "flipchart.exe", []byte("MZ..."))
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `id="e-file"`) {
		t.Errorf("a file of another type: got %d, want 422 with the message on the file field", bad.status)
	}
	other := host.postUpload(t, path+"/materials", url.Values{"_csrf": {p.csrf(t)}, "token": {lb.Token}}, "x.png", photo)
	if other.status != http.StatusNotFound {
		t.Errorf("another table's link: got %d, want 404", other.status)
	}
	var list []struct{ ID string }
	s.api(http.MethodGet, "/api/v1/workshops/"+id+"/materials", "", nil, &list)
	if len(list) != 1 {
		t.Errorf("materials after the uploads: got %d, want 1", len(list))
	}
}
