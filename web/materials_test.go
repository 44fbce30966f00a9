package web_test

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// postMaterial posts fields and a file named name as the materials' multipart form.
func (b *browser) postMaterial(t *testing.T, path string, fields url.Values, name string, file []byte) page {
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
	return page{status: res.StatusCode, body: string(data), header: res.Header}
}

// TestMaterialsPage: the organiser uploads a file on the workshop's materials page (to a
// session), sees it listed with its size, replaces it, and the public page and the
// participant's own page list it with a download link that serves the file with safe headers;
// a refused type is a message on the form; removing takes it off every list.
func TestMaterialsPage(t *testing.T) {
	s := startService(t)
	id, sessionID := s.workshop("Ideenwerkstatt", 10)
	var anna struct{ ID, Token string }
	s.api(http.MethodPost, "/api/v1/workshops/"+id+"/registrations", "", map[string]any{"name": "Anna Schmidt",
		"email": "anna@example.org", "organisation": "Landratsamt", "consent": true}, &anna)
	br := s.signIn(t)
	path := "/organiser/workshops/" + id + "/materials"
	p := br.get(path)
	p.mustContain(t, "the materials page", "<h1>Materialien: Ideenwerkstatt", `enctype="multipart/form-data"`, `name="session_id"`,
		`value="`+sessionID+`"`, "Noch keine Materialien.", "höchstens 50 MB")
	br.get("/organiser/workshops/"+id+"/funding").mustContain(t, "the navigation", `href="`+path+`"`)
	csrf := p.csrf(t)

	slides := []byte("%PDF-1.7\n% Folien der Eröffnung\n" + strings.Repeat("x", 3000))
	res := br.postMaterial(t, path, url.Values{"_csrf": {csrf}, "key": {"m1"}, "title": {"Folien der Eröffnung"}, "session_id": {sessionID}},
		"Folien.pdf", slides)
	if res.status != http.StatusSeeOther {
		t.Fatalf("upload: got %d, want 303:\n%s", res.status, res.body)
	}
	p = br.get(path + "?material=saved")
	p.mustContain(t, "the page with the file", "Die Datei wurde hochgeladen.", "Folien der Eröffnung", "Folien.pdf", "3 kB")

	res = br.postMaterial(t, path, url.Values{"_csrf": {csrf}, "key": {"m2"}}, "seite.html", []byte("<html><script>alert(1)</script></html>"))
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("an HTML file: got %d, want 422:\n%s", res.status, res.body)
	}
	res.mustContain(t, "the refused HTML file", `id="e-file">Dateien dieser Art können nicht hochgeladen werden.`)
	if res = br.postMaterial(t, path, url.Values{"key": {"m3"}}, "a.pdf", slides); res.status != http.StatusForbidden && res.status != http.StatusBadRequest {
		t.Errorf("upload without CSRF token: got %d, want 403 or 400", res.status)
	}

	// The public page and the participant's own page list it; the link serves the bytes.
	pub := br.get("/w/" + id + "?lang=en")
	pub.mustContain(t, "the public page", `<h2 id="h-materials">Materials</h2>`, "Folien der Eröffnung", "Folien.pdf, 3 kB")
	i := strings.Index(pub.body, `href="/w/`+id+`/materials/`)
	if i < 0 {
		t.Fatalf("no download link on the public page")
	}
	link := pub.body[i+len(`href="`):]
	link = link[:strings.Index(link, `"`)]
	dl := s.browser().get(link)
	if dl.status != 200 || dl.body != string(slides) || dl.header.Get("Content-Type") != "application/pdf" ||
		dl.header.Get("X-Content-Type-Options") != "nosniff" || dl.header.Get("Content-Security-Policy") != "sandbox" ||
		!strings.HasPrefix(dl.header.Get("Content-Disposition"), `inline; filename="Folien.pdf"`) {
		t.Errorf("download %s: got %d %v", link, dl.status, dl.header)
	}

	s.browser().get("/w/"+id+"/r/"+anna.ID+"?token="+url.QueryEscape(anna.Token)).mustContain(t, "the participant's own page",
		`<h2 id="h-materials">Materialien</h2>`, `href="`+link+`"`, "Folien der Eröffnung")

	// Replaced: version 2 is served, version 1 stays.
	mid := link[strings.LastIndex(link, "/")+1:]
	res = br.postMaterial(t, path+"/"+mid, url.Values{"_csrf": {csrf}, "key": {"m4"}}, "Folien final.pdf", []byte("%PDF-1.7\n% final\n"))
	if res.status != http.StatusSeeOther {
		t.Fatalf("replace: got %d:\n%s", res.status, res.body)
	}
	if v1 := s.browser().get(link + "?version=1"); v1.body != string(slides) {
		t.Errorf("version 1 after the replacement: got %d %d bytes", v1.status, len(v1.body))
	}
	if cur := s.browser().get(link); cur.body != "%PDF-1.7\n% final\n" {
		t.Errorf("the current version after the replacement: got %d %q", cur.status, cur.body)
	}

	res = br.post(path+"/"+mid+"/remove", url.Values{"_csrf": {csrf}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("remove: got %d", res.status)
	}
	br.get(path+"?material=removed&lang=de").mustContain(t, "the page after the removal", "Die Datei wurde entfernt.", "Noch keine Materialien.")
	if gone := s.browser().get(link); gone.status != http.StatusNotFound {
		t.Errorf("a removed file: got %d, want 404", gone.status)
	}
}

// TestMaterialPersonalChoice: the upload form asks whether the file shows people or holds
// personal data, "only if it is a photo" by default: a photo uploaded so is marked personal, a
// PDF not; the organiser marks the PDF personal and unmarks the photo with a button.
func TestMaterialPersonalChoice(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Ideenwerkstatt", 10)
	br := s.signIn(t)
	path := "/organiser/workshops/" + id + "/materials"
	p := br.get(path)
	p.mustContain(t, "the choice", "Zeigt Personen / enthält personenbezogene Daten", `name="personal" value="auto" aria-describedby="h-personal" checked`,
		"Nur wenn es ein Foto ist")
	csrf := p.csrf(t)
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 4, 2))); err != nil {
		t.Fatal(err)
	}
	if res := br.postMaterial(t, path, url.Values{"_csrf": {csrf}, "key": {"p1"}, "personal": {"auto"}}, "gruppe.png", img.Bytes()); res.status != http.StatusSeeOther {
		t.Fatalf("photo: got %d:\n%s", res.status, res.body)
	}
	pdf := []byte("%PDF-1.7\n% Namen\n" + strings.Repeat("x", 300))
	if res := br.postMaterial(t, path, url.Values{"_csrf": {csrf}, "key": {"p2"}}, "namen.pdf", pdf); res.status != http.StatusSeeOther {
		t.Fatalf("pdf: got %d:\n%s", res.status, res.body)
	}
	var list []struct {
		ID       string
		Personal bool
	}
	s.api(http.MethodGet, "/api/v1/workshops/"+id+"/materials", "", nil, &list)
	if len(list) != 2 || !list[0].Personal || list[1].Personal {
		t.Fatalf("after the uploads: got %+v, want the photo personal, the PDF not", list)
	}
	p = br.get(path)
	p.mustContain(t, "the marks", `id="personal-`+list[0].ID+`">personenbezogen`, `id="mark-`+list[1].ID+`">Als personenbezogen markieren`,
		`id="mark-`+list[0].ID+`">Nicht personenbezogen`)
	for _, m := range []struct{ id, v string }{{list[1].ID, "yes"}, {list[0].ID, "no"}} {
		if res := br.post(path+"/"+m.id+"/personal", url.Values{"_csrf": {csrf}, "personal": {m.v}}); res.status != http.StatusSeeOther {
			t.Fatalf("mark %s %s: got %d:\n%s", m.id, m.v, res.status, res.body)
		}
	}
	br.get(path+"?material=marked").mustContain(t, "the saved mark", "Die Markierung wurde gespeichert.")
	list = nil // personal is absent when false: decode into fresh elements
	s.api(http.MethodGet, "/api/v1/workshops/"+id+"/materials", "", nil, &list)
	if len(list) != 2 || list[0].Personal || !list[1].Personal {
		t.Errorf("after marking: got %+v, want the PDF personal, the photo not", list)
	}
	if res := br.post(path+"/"+list[0].ID+"/personal", url.Values{"_csrf": {csrf}, "personal": {"vielleicht"}}); res.status != http.StatusBadRequest {
		t.Errorf("an unknown mark: got %d, want 400", res.status)
	}
	br.get(path+"?lang=en").mustContain(t, "the choice in English", "Shows people or holds personal data", "Only if it is a photo",
		"Mark as personal")
}
