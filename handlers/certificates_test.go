package handlers_test

import (
	"strings"
	"testing"
)

// TestCertificatesAndSignInSheets walks the documents of issue 14 through the API: Ada is
// checked in at the door on day 1 and at a session on day 2, Bea never.
func TestCertificatesAndSignInSheets(t *testing.T) {
	s := startService(t)
	w := s.schedule(3)
	base := "/api/v1/workshops/" + w.ID
	var talk session
	s.must(request{method: "POST", path: base + "/sessions", token: org, body: map[string]any{"title": "Werkstattgespräch",
		"kind": "talk", "day": day2, "starts": "11:00", "ends": "12:00"}}, 201, &talk)
	long := "Integrationsbüro Cuxhaven-Land der Stadt und des Landkreises"
	ada := s.register(w, person("Ada", "Verein A"))
	bea := s.register(w, person("Bea", long))
	s.must(request{method: "POST", path: base + "/check-ins", token: org, body: map[string]any{
		"registration_id": ada.ID, "day": day1}}, 201, nil)
	s.must(request{method: "POST", path: base + "/check-ins", token: org, body: map[string]any{
		"registration_id": ada.ID, "day": day2, "session_id": talk.ID}}, 201, nil)

	res := s.must(request{method: "GET", path: base + "/reports/sign-in-sheets.pdf", token: org}, 200, nil)
	pages := pdfText(t, res.body)
	if len(pages) != 2 || !strings.HasPrefix(res.header.Get("Content-Type"), "application/pdf") {
		t.Fatalf("sign-in sheets: got %d pages of %q, want a PDF with one page per day", len(pages), res.header.Get("Content-Type"))
	}
	contains(t, "sign-in sheet of day 1", strings.Join(strings.Fields(pages[0]), " "), "Unterschriftenliste", "Herbstwerkstatt",
		"Montag, 16. November 2037", "Ada", "Bea", long)
	if got := res.header.Get("Content-Disposition"); !strings.Contains(got, "unterschriftenlisten-herbstwerkstatt.pdf") {
		t.Errorf("got Content-Disposition %q, want unterschriftenlisten-herbstwerkstatt.pdf", got)
	}
	res = s.must(request{method: "GET", path: base + "/reports/sign-in-sheets.pdf?lang=en", token: org}, 200, nil)
	contains(t, "English sign-in sheet", strings.Join(pdfText(t, res.body), " "), "Sign-in sheet", "Monday, 16 November 2037")

	res = s.must(request{method: "GET", path: base + "/reports/certificates.pdf", token: org}, 200, nil)
	if pages := pdfText(t, res.body); len(pages) != 1 {
		t.Errorf("certificates: got %d pages, want Ada's only", len(pages))
	} else {
		contains(t, "certificates", strings.Join(strings.Fields(pages[0]), " "), "Teilnahmebescheinigung", "Ada",
			"Montag, 16. November 2037", "Dienstag, 17. November 2037", "Werkstattgespräch")
	}

	own := base + "/registrations/" + ada.ID + "/certificate.pdf"
	for _, token := range []string{ada.Token, org} {
		res = s.must(request{method: "GET", path: own + "?lang=en", token: token}, 200, nil)
		contains(t, "own certificate", strings.Join(pdfText(t, res.body), " "), "Certificate of attendance", "Ada",
			"Werkstattgespräch")
		if !strings.HasPrefix(res.header.Get("Content-Type"), "application/pdf") {
			t.Errorf("certificate: got Content-Type %q", res.header.Get("Content-Type"))
		}
	}
	beas := base + "/registrations/" + bea.ID + "/certificate.pdf"
	res = s.must(request{method: "GET", path: beas, token: bea.Token}, 409, nil)
	if !strings.HasPrefix(res.header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("not checked in: got Content-Type %q, want a problem", res.header.Get("Content-Type"))
	}
	s.must(request{method: "GET", path: beas, token: org}, 409, nil)
	s.must(request{method: "GET", path: own, token: bea.Token}, 403, nil)
	s.must(request{method: "GET", path: own, token: "not-a-token"}, 401, nil)
	s.must(request{method: "GET", path: own}, 401, nil)
	s.must(request{method: "GET", path: base + "/registrations/unknown/certificate.pdf", token: org}, 404, nil)
	s.must(request{method: "GET", path: "/api/v1/workshops/unknown/registrations/" + ada.ID + "/certificate.pdf", token: org}, 404, nil)
	s.must(request{method: "GET", path: own + "?lang=fr", token: org}, 400, nil)

	for _, path := range []string{base + "/reports/sign-in-sheets.pdf", base + "/reports/certificates.pdf"} {
		s.must(request{method: "GET", path: path, token: ada.Token}, 403, nil)
		s.must(request{method: "GET", path: path}, 401, nil)
		s.must(request{method: "GET", path: strings.Replace(path, w.ID, "unknown", 1), token: org}, 404, nil)
	}
}
