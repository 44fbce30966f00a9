package handlers_test

import (
	"strings"
	"testing"
)

// privacyNotice is a notice as the API shows it.
type privacyNotice struct {
	Network string
	Lang    string
	Set     bool
	Notice  struct {
		Controller, Officer, Authority struct{ Name, Address, Email, Phone, URL string }
		Purposes                       string
		LegalBasis                     string `json:"legal_basis"`
		Recipients, Rights             string
	}
	StoragePeriods []struct {
		Series            string
		Months            int
		EvidenceHoldUntil *string `json:"evidence_hold_until"`
	} `json:"storage_periods"`
}

func aNoticeBody() map[string]any {
	return map[string]any{
		"controller": map[string]any{"name": "Landkreis Beispiel", "address": "Markt 1\r\n12345 Beispielstadt", "email": "bildung@landkreis-beispiel.de"},
		"officer":    map[string]any{"email": "datenschutz@landkreis-beispiel.de"},
		"authority":  map[string]any{"name": "Landesbeauftragte für den Datenschutz", "url": "https://datenschutz.example.org"},
		"purposes":   "Organisation der Workshops des Netzwerks",
	}
}

// TestPrivacyNotice: everybody reads a network's notice and the instance's (the template fills
// what is not stated, in the asked language); the network's admin and the instance's
// administrator state it, nobody else; hostile bodies are refused precisely and change nothing.
func TestPrivacyNotice(t *testing.T) {
	eachReadModel(t, testPrivacyNotice)
}

func testPrivacyNotice(t *testing.T, s *service) {
	n := newNetworkWorld(s)
	base := "/api/v1/networks/" + n.forum + "/privacy-notice"

	// Before anything is stated: the template, the network's name as the controller, the
	// default storage period; public.
	var v privacyNotice
	s.must(request{method: "GET", path: base}, 200, &v)
	if v.Set || v.Lang != "de" || v.Notice.Controller.Name != "Forum Integration" || !strings.Contains(v.Notice.Rights, "Art. 15 DSGVO") ||
		!strings.Contains(v.Notice.LegalBasis, "Art. 6 Abs. 1 Buchst. a DSGVO") || len(v.StoragePeriods) != 1 || v.StoragePeriods[0].Months != 12 {
		t.Errorf("the template: %+v", v)
	}
	s.must(request{method: "GET", path: base + "?lang=en"}, 200, &v)
	if v.Lang != "en" || !strings.Contains(v.Notice.Rights, "Article 15 GDPR") {
		t.Errorf("the English template: %+v", v)
	}
	s.must(request{method: "GET", path: base + "?lang=fr"}, 400, nil)
	s.must(request{method: "GET", path: "/api/v1/networks/NOSUCHNETWORK/privacy-notice"}, 404, nil)
	s.must(request{method: "GET", path: "/api/v1/networks/instance/privacy-notice"}, 404, nil)
	s.must(request{method: "PUT", path: "/api/v1/networks/instance/privacy-notice", token: org, body: aNoticeBody()}, 404, nil)

	// Who may state it: the network's admin and the instance's administrator.
	for _, who := range []member{n.olaf, n.dora, n.lea, n.mia} {
		s.must(request{method: "PUT", path: base, token: who.Token, body: aNoticeBody()}, 403, nil)
	}
	s.must(request{method: "PUT", path: base, token: n.max.Token, body: aNoticeBody()}, 404, nil)
	s.must(request{method: "PUT", path: base, body: aNoticeBody()}, 401, nil)
	s.must(request{method: "PUT", path: base, token: n.anna.Token, body: aNoticeBody()}, 200, &v)
	if !v.Set || v.Notice.Controller.Name != "Landkreis Beispiel" || v.Notice.Controller.Address != "Markt 1\n12345 Beispielstadt" ||
		v.Notice.Purposes != "Organisation der Workshops des Netzwerks" || !strings.Contains(v.Notice.Recipients, "Fördermittelgeber") {
		t.Errorf("the stated notice: %+v", v)
	}
	s.must(request{method: "PUT", path: base, token: org, body: aNoticeBody()}, 200, nil) // the same again

	// A series of the network's workshops has its storage period.
	s.must(request{method: "POST", path: "/api/v1/workshops", token: n.olaf.Token, body: map[string]any{"title": "Ideenwerkstatt März",
		"series": "Ideenwerkstatt", "venue": "Eisenach", "days": []string{"2030-03-04"}, "capacity": 20}}, 201, nil)
	s.must(request{method: "GET", path: base + "?lang=en"}, 200, &v)
	if len(v.StoragePeriods) != 1 || v.StoragePeriods[0].Series != "Ideenwerkstatt" || v.StoragePeriods[0].Months != 12 ||
		v.StoragePeriods[0].EvidenceHoldUntil != nil || v.Notice.Purposes != "Organisation der Workshops des Netzwerks" {
		t.Errorf("after a workshop: %+v", v)
	}
	// The series' retention setting is the notice's storage period.
	s.must(request{method: "PUT", path: "/api/v1/series/Ideenwerkstatt/retention", token: n.olaf.Token,
		body: map[string]any{"months": 24, "evidence_hold_until": "2034-12-31"}}, 200, nil)
	s.must(request{method: "GET", path: base}, 200, &v)
	if len(v.StoragePeriods) != 1 || v.StoragePeriods[0].Months != 24 || v.StoragePeriods[0].EvidenceHoldUntil == nil ||
		*v.StoragePeriods[0].EvidenceHoldUntil != "2034-12-31" {
		t.Errorf("after setting the series' retention: %+v", v.StoragePeriods)
	}

	// A members-only workshop's series stays unnamed in the public notice.
	s.must(request{method: "POST", path: "/api/v1/workshops", token: n.otto.Token, body: map[string]any{"title": "Netzwerktreffen intern",
		"series": "Netzwerktreffen", "venue": "Eisenach", "days": []string{"2030-03-05"}, "capacity": 20, "visibility": "members"}}, 201, nil)
	s.must(request{method: "GET", path: base}, 200, &v)
	if len(v.StoragePeriods) != 1 || v.StoragePeriods[0].Series != "Ideenwerkstatt" {
		t.Errorf("with a members-only workshop: %+v", v.StoragePeriods)
	}

	// Refusals: 422 on the precise fields; nothing kept.
	for _, c := range []struct {
		change func(map[string]any)
		fields []string
	}{
		{func(b map[string]any) { b["controller"] = map[string]any{}; delete(b, "authority") },
			[]string{"controller.name", "controller.address", "controller.email", "authority.name"}},
		{func(b map[string]any) {
			b["officer"] = map[string]any{"email": "kein-at", "url": "javascript:alert(1)"}
		}, []string{"officer.email", "officer.url"}},
		{func(b map[string]any) { b["rights"] = strings.Repeat("r", 5001) }, []string{"rights"}},
		{func(b map[string]any) { b["authority"] = map[string]any{"name": "A\nBcc: x@example.org"} }, []string{"authority.name"}},
		{func(b map[string]any) { b["purposes"] = "<script>\u0000" }, []string{"purposes"}},
	} {
		b := aNoticeBody()
		c.change(b)
		var p mailProblem
		s.must(request{method: "PUT", path: base, token: n.anna.Token, body: b}, 422, &p)
		var got []string
		for _, e := range p.Errors {
			got = append(got, e.Field)
		}
		if strings.Join(got, ",") != strings.Join(c.fields, ",") {
			t.Errorf("%v: got errors on %v, want %v", b, got, c.fields)
		}
	}
	for _, body := range []string{`{"controller": {"name": "X", "fax": "1"}}`, `{"purposes": 1}`, `[]`, `{"purposes": "\xff"}`, `{"controller": null}`} {
		if res := s.do(request{method: "PUT", path: base, token: n.anna.Token, body: body}); res.status != 400 && res.status != 422 {
			t.Errorf("PUT %s: got %d %s, want 400 or 422", body, res.status, res.body)
		}
	}
	s.must(request{method: "GET", path: base}, 200, &v)
	if v.Notice.Controller.Name != "Landkreis Beispiel" {
		t.Errorf("a refused notice changed the kept one: %+v", v)
	}
	// The other network's notice is its own.
	s.must(request{method: "GET", path: "/api/v1/networks/" + n.wartburg + "/privacy-notice"}, 200, &v)
	if v.Set || v.Notice.Controller.Name != "Netzwerk Wartburgkreis" {
		t.Errorf("the other network's notice: %+v", v)
	}

	// The instance's notice: everybody reads it, only the instance's administrator states it.
	v = privacyNotice{}
	s.must(request{method: "GET", path: "/api/v1/privacy-notice"}, 200, &v)
	if v.Set || v.Network != "" || v.Notice.Controller.Name != "" || v.Notice.Purposes == "" {
		t.Errorf("the instance's template: %+v", v)
	}
	s.must(request{method: "PUT", path: "/api/v1/privacy-notice", token: n.anna.Token, body: aNoticeBody()}, 403, nil)
	s.must(request{method: "PUT", path: "/api/v1/privacy-notice", body: aNoticeBody()}, 401, nil)
	b := aNoticeBody()
	b["controller"] = map[string]any{"name": "Werkstatt-Betrieb", "address": "Hauptstraße 2", "email": "betrieb@example.org"}
	s.must(request{method: "PUT", path: "/api/v1/privacy-notice?lang=en", token: org, body: b}, 200, &v)
	if !v.Set || v.Notice.Controller.Name != "Werkstatt-Betrieb" || !strings.Contains(v.Notice.Rights, "GDPR") {
		t.Errorf("the instance's notice: %+v", v)
	}
	// It is no network.
	var nets struct{ Networks []struct{ ID string } }
	s.must(request{method: "GET", path: "/api/v1/networks", token: org}, 200, &nets)
	for _, x := range nets.Networks {
		if x.ID == "instance" {
			t.Errorf("the instance's notice is listed as a network: %v", nets)
		}
	}
	s.must(request{method: "GET", path: base}, 200, &v)
	if v.Notice.Controller.Name != "Landkreis Beispiel" {
		t.Errorf("the instance's notice changed the network's: %+v", v)
	}
}
