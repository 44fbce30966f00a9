package web_test

import (
	"bytes"
	"image"
	"image/gif"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// postFile posts a multipart form with the file field "logo" as the browser does.
func (b *browser) postFile(t *testing.T, path string, fields url.Values, file []byte) page {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	fw, err := w.CreateFormFile("logo", "logo.png")
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

// TestFundingPage sets a workshop's funding details and logo on its page, in German and in
// English, refuses a GIF next to the file field, shows the preview, applies the details to the
// series and removes the logo; the sign-in sheets then carry them.
func TestFundingPage(t *testing.T) {
	s := startService(t)
	var a, b2 struct{ ID string }
	for _, w := range []*struct{ ID string }{&a, &b2} {
		s.api(http.MethodPost, "/api/v1/workshops", organiserToken, map[string]any{"title": "Ideenwerkstatt", "series": "AMIF-Netz",
			"venue": "Rathaus Kassel", "days": []string{"2026-11-16"}, "capacity": 5}, w)
	}
	br := s.signIn(t)
	path := "/organiser/workshops/" + a.ID + "/funding"
	p := br.get(path)
	p.mustContain(t, "the funding page", "<h1>Förderung: Ideenwerkstatt", "Förderkennzeichen", "Noch kein Logo hochgeladen.",
		`enctype="multipart/form-data"`, "für alle Workshops der Reihe „AMIF-Netz“ übernehmen")
	br.get("/organiser/workshops/"+a.ID+"/attendance").mustContain(t, "the attendance's link", `href="`+path+`"`)
	csrf := p.csrf(t)

	res := br.post(path, url.Values{"_csrf": {csrf}, "key": {"f1"}, "project": {"Ankommen im Quartier"},
		"funding_reference": {"AMIF-2026-0815"}, "funder": {"AMIF"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("save: got %d, want 303:\n%s", res.status, res.body)
	}
	res = br.post(path, url.Values{"_csrf": {csrf}, "key": {"f2"}, "project": {"x\x01"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a control character: got %d, want 422", res.status)
	}
	res.mustContain(t, "the refused details", `id="e-project"`)

	var gifImg bytes.Buffer
	_ = gif.Encode(&gifImg, image.NewGray(image.Rect(0, 0, 3, 3)), nil)
	res = br.postFile(t, path+"/logo", url.Values{"_csrf": {csrf}, "key": {"l1"}}, gifImg.Bytes())
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a GIF: got %d, want 422:\n%s", res.status, res.body)
	}
	res.mustContain(t, "the refused GIF", `id="e-logo">Bitte ein vollständiges PNG- oder JPEG-Bild hochladen.`)

	var pngImg bytes.Buffer
	_ = png.Encode(&pngImg, image.NewGray(image.Rect(0, 0, 300, 100)))
	res = br.postFile(t, path+"/logo", url.Values{"_csrf": {csrf}, "key": {"l2"}}, pngImg.Bytes())
	if res.status != http.StatusSeeOther {
		t.Fatalf("upload: got %d, want 303:\n%s", res.status, res.body)
	}
	if res = br.postFile(t, path+"/logo", url.Values{"key": {"l3"}}, pngImg.Bytes()); res.status != http.StatusForbidden && res.status != http.StatusBadRequest {
		t.Errorf("upload without CSRF token: got %d, want 403 or 400", res.status)
	}
	p = br.get(path + "?logo=saved")
	p.mustContain(t, "the page with the logo", "Das Logo ist gespeichert.", `id="logo-preview"`, `value="AMIF-2026-0815"`)
	img := br.get(path + "/logo")
	if img.status != 200 || img.body != pngImg.String() || img.header.Get("Content-Type") != "image/png" || img.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("the preview: got %d %q", img.status, img.header)
	}

	res = br.post(path, url.Values{"_csrf": {csrf}, "key": {"f3"}, "project": {"Ankommen im Quartier"},
		"funding_reference": {"AMIF-2026-0815"}, "funder": {"AMIF"}, "series": {"1"}})
	if res.status != http.StatusSeeOther || !strings.Contains(res.header.Get("Location"), "applied=2") {
		t.Fatalf("apply to the series: got %d %s", res.status, res.header.Get("Location"))
	}
	br.get("/organiser/workshops/"+b2.ID+"/funding?lang=en").mustContain(t, "the other workshop in English",
		"<h1>Funding: Ideenwerkstatt", `value="AMIF-2026-0815"`, `id="logo-preview"`, "apply to every workshop of the series")
	sheets := br.get("/organiser/workshops/" + b2.ID + "/sign-in-sheets.pdf")
	if sheets.status != 200 || !strings.Contains(sheets.body, "/Subtype /Image") {
		t.Errorf("the other workshop's sign-in sheets: got %d, with image %v", sheets.status, strings.Contains(sheets.body, "/Subtype /Image"))
	}

	res = br.post(path+"/logo/remove", url.Values{"_csrf": {csrf}, "key": {"r1"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("remove: got %d", res.status)
	}
	br.get(path+"?logo=removed&lang=de").mustContain(t, "the page without logo", "Das Logo ist entfernt.", "Noch kein Logo hochgeladen.")
}
