package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestCertificatePages: the organiser's attendance page links the sign-in sheets and the
// certificates, both served to the signed-in organiser; a participant's personal page offers
// their certificate once they are checked in, and not before.
func TestCertificatePages(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 3)
	ann := s.registerWithToken(id, "Ann Albers", "Integrationsbüro Cuxhaven-Land der Stadt und des Landkreises")
	ben := s.registerWithToken(id, "Ben Okafor", "Stadt Kassel")
	s.api(http.MethodPost, "/api/v1/workshops/"+id+"/check-ins", organiserToken,
		map[string]any{"registration_id": ann.id, "day": "2026-11-16"}, nil)

	b := s.signIn(t)
	base := "/organiser/workshops/" + id
	b.get(base+"/attendance").wantStatus(t, "the attendance page", http.StatusOK).mustContain(t, "the attendance page",
		`href="`+base+`/sign-in-sheets.pdf">Unterschriftenlisten (PDF)</a>`,
		`href="`+base+`/certificates.pdf">Teilnahmebescheinigungen (PDF)</a>`)
	for _, doc := range []string{"/sign-in-sheets.pdf", "/certificates.pdf"} {
		res := b.get(base+doc).wantStatus(t, doc, http.StatusOK)
		if ct := res.header.Get("Content-Type"); ct != "application/pdf" || !strings.HasPrefix(res.body, "%PDF") {
			t.Errorf("%s: got %q, want a PDF", doc, ct)
		}
	}

	personal := func(p participant) string {
		t.Helper()
		return "/w/" + id + "/r/" + p.id
	}
	annPage := s.browser().get(personal(ann)+"?token="+url.QueryEscape(ann.token)).wantStatus(t, "Ann's page", http.StatusOK)
	annPage.mustContain(t, "Ann's page, checked in", `id="certificate-link"`, "Teilnahmebescheinigung (PDF)",
		personal(ann)+"/certificate.pdf?token=")
	res := s.browser().get(personal(ann)+"/certificate.pdf?token="+url.QueryEscape(ann.token)).wantStatus(t, "Ann's certificate", http.StatusOK)
	if ct := res.header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("Ann's certificate: got %q, want application/pdf", ct)
	}
	if got := s.browser().get(personal(ben) + "?token=" + url.QueryEscape(ben.token)).body; strings.Contains(got, "certificate-link") {
		t.Errorf("Ben's page before his check-in: got a certificate link, want none")
	}
	s.browser().get(personal(ben)+"/certificate.pdf?token="+url.QueryEscape(ben.token)).wantStatus(t, "Ben's certificate", http.StatusConflict).
		mustContain(t, "Ben's certificate", "sobald Sie eingecheckt wurden")
	s.browser().get(personal(ben)+"/certificate.pdf?token="+url.QueryEscape(ann.token)).wantStatus(t, "Ben's certificate with Ann's token", http.StatusNotFound)
	s.browser().get("/w/"+id+"/r/"+ann.id+"?token="+url.QueryEscape(ann.token)+"&lang=en").mustContain(t, "Ann's page in English",
		"Certificate of attendance (PDF)")
}
