package handlers_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"slices"
	"strings"
	"testing"
)

type fundingAnswer struct {
	Workshop         string `json:"workshop"`
	Project          string `json:"project"`
	FundingReference string `json:"funding_reference"`
	Funder           string `json:"funder"`
	Logo             *struct {
		Digest      string `json:"digest"`
		ContentType string `json:"content_type"`
		Size        int    `json:"size"`
		Width       int    `json:"width"`
		Height      int    `json:"height"`
	} `json:"logo"`
}

// testImage encodes a w x h image as png, jpeg or gif.
func testImage(t *testing.T, format string, w, h int) []byte {
	t.Helper()
	img := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.White, color.RGBA{0, 51, 153, 255}})
	for x := range w {
		img.SetColorIndex(x, x%h, 1)
	}
	var b bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&b, img)
	case "jpeg":
		err = jpeg.Encode(&b, img, nil)
	case "gif":
		err = gif.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func upload(path, contentType string, data []byte) request {
	return request{method: "PUT", path: path, token: org, body: string(data), header: map[string]string{"Content-Type": contentType}}
}

var amifBody = map[string]any{"project": " Ankommen im Quartier ", "funding_reference": "AMIF-2026-0815",
	"funder": "Asyl-, Migrations- und Integrationsfonds (AMIF)"}

// TestFunding sets a workshop's funding details and logo over HTTP, refuses what is no PNG or
// JPEG, serves the logo, and shows both on the sign-in sheets and certificates.
func TestFunding(t *testing.T) {
	s := startService(t)
	w := s.schedule(5)
	base := "/api/v1/workshops/" + w.ID + "/funding"
	var got fundingAnswer
	s.must(request{method: "GET", path: base, token: org}, 200, &got)
	if got.Project != "" || got.Logo != nil {
		t.Fatalf("before: got %+v, want no funding", got)
	}
	s.must(request{method: "PUT", path: base, token: org, body: amifBody}, 200, &got)
	if got.Project != "Ankommen im Quartier" || got.FundingReference != "AMIF-2026-0815" || got.Logo != nil {
		t.Fatalf("set: got %+v", got)
	}
	seq := s.lastSeq()
	s.must(request{method: "PUT", path: base, token: org, body: amifBody}, 200, nil)
	if s.lastSeq() != seq {
		t.Errorf("the same details again appended events")
	}

	// Refusals: each a problem, nothing appended.
	png1 := testImage(t, "png", 300, 120)
	for _, tc := range []struct {
		name        string
		contentType string
		data        []byte
		status      int
		code        string
	}{
		{"a GIF claimed as PNG", "image/png", testImage(t, "gif", 30, 12), 422, "not-an-image"},
		{"SVG claimed as PNG", "image/png", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), 422, "not-an-image"},
		{"HTML claimed as PNG", "image/png", []byte("<!doctype html><p>hi"), 422, "not-an-image"},
		{"a truncated PNG", "image/png", png1[:len(png1)/2], 422, "not-an-image"},
		{"too many pixels", "image/png", testImage(t, "png", 4001, 2), 422, "out-of-range"},
		{"empty", "image/png", nil, 422, "out-of-range"},
		{"SVG as such", "image/svg+xml", []byte("<svg/>"), 415, ""},
		{"GIF as such", "image/gif", testImage(t, "gif", 3, 3), 415, ""},
		{"no content type", "", png1, 415, ""},
		{"over 1 MiB", "image/png", append(slices.Clone(png1), make([]byte, 1<<20)...), 413, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := s.do(upload(base+"/logo", tc.contentType, tc.data))
			problemOf(t, res, tc.status)
			var p struct {
				Errors []struct{ Field, Code string }
			}
			if err := json.Unmarshal(res.body, &p); err != nil {
				t.Fatal(err)
			}
			if tc.code != "" && (len(p.Errors) != 1 || p.Errors[0].Field != "logo" || p.Errors[0].Code != tc.code) {
				t.Errorf("got errors %+v, want logo %s", p.Errors, tc.code)
			}
		})
	}
	if s.lastSeq() != seq {
		t.Errorf("a refused logo appended events")
	}
	problemOf(t, s.do(request{method: "PUT", path: base, token: org, body: map[string]any{"project": 1}}), 400)
	problemOf(t, s.do(request{method: "PUT", path: base, token: org, body: map[string]any{"project": "p", "logo": "x"}}), 400)
	problemOf(t, s.do(request{method: "PUT", path: base, token: org, body: map[string]any{"project": nil}}), 422)
	problemOf(t, s.do(request{method: "PUT", path: base, token: org, body: map[string]any{"project": strings.Repeat("x", 201)}}), 422)
	problemOf(t, s.do(upload("/api/v1/workshops/NOSUCH/funding/logo", "image/png", png1)), 404)
	problemOf(t, s.do(request{method: "GET", path: base + "/logo", token: org}), 404)

	for _, format := range []string{"jpeg", "png"} { // the PNG last: it stays
		data := testImage(t, format, 300, 120)
		s.must(upload(base+"/logo", "image/png", data), 200, &got) // the claim does not matter, the bytes do
		if got.Logo == nil || got.Logo.ContentType != "image/"+format || got.Logo.Width != 300 || got.Logo.Height != 120 ||
			got.Logo.Size != len(data) || !strings.HasPrefix(got.Logo.Digest, "sha256:") || got.Project != "Ankommen im Quartier" {
			t.Fatalf("upload %s: got %+v", format, got)
		}
		res := s.must(request{method: "GET", path: base + "/logo", token: org}, 200, nil)
		if !bytes.Equal(res.body, data) || res.header.Get("Content-Type") != "image/"+format ||
			res.header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(res.header.Get("Content-Disposition"), "inline") ||
			res.header.Get("ETag") != `"`+got.Logo.Digest+`"` {
			t.Errorf("logo %s: got %d bytes, headers %v", format, len(res.body), res.header)
		}
		if res := s.do(request{method: "GET", path: base + "/logo", token: org, header: map[string]string{"If-None-Match": `"` + got.Logo.Digest + `"`}}); res.status != 304 {
			t.Errorf("logo %s by its ETag: got %d, want 304", format, res.status)
		}
	}

	// The documents show the details and carry the logo.
	reg := s.register(w, person("Ada", "Verein A"))
	s.must(request{method: "POST", path: "/api/v1/workshops/" + w.ID + "/check-ins", token: org,
		body: map[string]any{"registration_id": reg.ID, "day": day1}}, 201, nil)
	for _, doc := range []string{"sign-in-sheets.pdf", "certificates.pdf"} {
		res := s.must(request{method: "GET", path: "/api/v1/workshops/" + w.ID + "/reports/" + doc, token: org}, 200, nil)
		if !bytes.Contains(res.body, []byte("/Subtype /Image")) {
			t.Errorf("%s: no image in the PDF", doc)
		}
		for i, page := range pdfText(t, res.body) {
			if !strings.Contains(page, "Förderkennzeichen: AMIF-2026-0815") || !strings.Contains(page, "Projekt: Ankommen im Quartier") {
				t.Errorf("%s page %d: got %q, want the project and funding reference", doc, i+1, page)
			}
		}
	}

	// The series' lead reads them; the public and a participant do not; nobody but the
	// organiser changes them.
	lead := s.grant("Frau Schulz")
	s.must(request{method: "GET", path: base, token: lead.Token}, 200, nil)
	s.must(request{method: "GET", path: base + "/logo", token: lead.Token}, 200, nil)
	for _, r := range []request{
		{method: "GET", path: base},
		{method: "GET", path: base, token: reg.Token},
		{method: "GET", path: base + "/logo"},
		{method: "PUT", path: base, token: lead.Token, body: amifBody},
		{method: "DELETE", path: base + "/logo", token: lead.Token},
		{method: "PUT", path: base, body: amifBody},
	} {
		if res := s.do(r); res.status < 401 || res.status > 403 {
			t.Errorf("%s %s as %q: got %d, want 401 or 403", r.method, r.path, r.token, res.status)
		}
	}

	s.must(request{method: "DELETE", path: base + "/logo", token: org}, 200, &got)
	if got.Logo != nil || got.Project == "" {
		t.Errorf("logo removed: got %+v, want the details without logo", got)
	}
	res := s.must(request{method: "GET", path: "/api/v1/workshops/" + w.ID + "/reports/sign-in-sheets.pdf", token: org}, 200, nil)
	if bytes.Contains(res.body, []byte("/Subtype /Image")) {
		t.Errorf("sign-in sheets without logo: the PDF still holds an image")
	}
}

// TestSeriesFunding applies funding details to every workshop of a series, and a workshop
// scheduled in the series later inherits them.
func TestSeriesFunding(t *testing.T) {
	s := startService(t)
	a, b := s.schedule(5), s.schedule(5)
	var other workshop
	s.must(request{method: "POST", path: "/api/v1/workshops", token: org, body: map[string]any{
		"title": "Anderswo", "series": "Andere Reihe", "venue": "Kassel", "days": []string{day1}, "capacity": 3}}, 201, &other)
	var got fundingAnswer
	s.must(upload("/api/v1/workshops/"+a.ID+"/funding/logo", "image/png", testImage(t, "png", 200, 100)), 200, &got)
	digest := got.Logo.Digest

	series := "/api/v1/series/Werkstatt%202026/funding"
	body := map[string]any{"project": "Ankommen im Quartier", "funding_reference": "AMIF-2026-0815", "funder": "AMIF", "logo": digest}
	var applied struct {
		Updated   []string `json:"updated"`
		Unchanged []string `json:"unchanged"`
	}
	s.must(request{method: "PUT", path: series, token: org, body: body}, 200, &applied)
	if len(applied.Updated) != 2 || len(applied.Unchanged) != 0 {
		t.Fatalf("applied: got %+v, want both workshops updated", applied)
	}
	s.must(request{method: "PUT", path: series, token: org, body: body}, 200, &applied)
	if len(applied.Updated) != 0 || len(applied.Unchanged) != 2 {
		t.Errorf("applied again: got %+v, want both unchanged", applied)
	}
	for _, id := range []string{a.ID, b.ID} {
		s.must(request{method: "GET", path: "/api/v1/workshops/" + id + "/funding", token: org}, 200, &got)
		if got.Project != "Ankommen im Quartier" || got.Logo == nil || got.Logo.Digest != digest {
			t.Errorf("workshop %s: got %+v, want the series' details and logo", id, got)
		}
	}
	s.must(request{method: "GET", path: "/api/v1/workshops/" + other.ID + "/funding", token: org}, 200, &got)
	if got.Project != "" {
		t.Errorf("another series: got %+v, want no funding", got)
	}
	// A workshop scheduled in the series now inherits them, logo included.
	c := s.schedule(5)
	s.must(request{method: "GET", path: "/api/v1/workshops/" + c.ID + "/funding", token: org}, 200, &got)
	if got.FundingReference != "AMIF-2026-0815" || got.Logo == nil || got.Logo.Digest != digest {
		t.Errorf("inherited: got %+v, want the series' details and logo", got)
	}
	res := s.must(request{method: "GET", path: "/api/v1/workshops/" + c.ID + "/reports/sign-in-sheets.pdf", token: org}, 200, nil)
	if !bytes.Contains(res.body, []byte("/Subtype /Image")) {
		t.Errorf("the inherited logo is not on the sign-in sheets")
	}

	p := problemOf(t, s.do(request{method: "PUT", path: series, token: org, body: map[string]any{"project": "P", "logo": "sha256:" + strings.Repeat("0", 64)}}), 422)
	if len(p.Errors) != 1 || p.Errors[0].Field != "logo" {
		t.Errorf("unknown logo: got %+v, want a field error on logo", p.Errors)
	}
	problemOf(t, s.do(request{method: "PUT", path: "/api/v1/series/Nirgends/funding", token: org, body: body}), 404)
	problemOf(t, s.do(request{method: "PUT", path: series, token: org, body: map[string]any{"projekt": "P"}}), 400)
	lead := s.grant("Frau Schulz")
	if res := s.do(request{method: "PUT", path: series, token: lead.Token, body: body}); res.status != 403 && res.status != 401 {
		t.Errorf("a lead applying: got %d, want 401 or 403", res.status)
	}
}
