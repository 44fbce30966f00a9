package handlers_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"mime/multipart"
	"net/textproto"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/infra/postgres"
	"github.com/werkstatt/werkstatt/infra/postgres/postgrestest"
)

// testMaterialLimit is the size limit of a material in these tests.
const testMaterialLimit = 64 << 10

// eachReadModelWithMaterialLimit is eachReadModel on services whose materials may be at most
// testMaterialLimit bytes.
func eachReadModelWithMaterialLimit(t *testing.T, test func(t *testing.T, s *service)) {
	eachReadModelWithBlobs(t, func(t *testing.T, s *service, _ app.Blobs) { test(t, s) })
}

// eachReadModelWithBlobs is eachReadModelWithMaterialLimit that also hands the test the real
// object store the service keeps materials in.
func eachReadModelWithBlobs(t *testing.T, test func(t *testing.T, s *service, blobs app.Blobs)) {
	for _, store := range []string{"memory", "postgres"} {
		t.Run(store, func(t *testing.T) {
			var cfg handlers.Config
			var events *eventstore.Store
			if store == "memory" {
				cfg, events = handlerstest.Wire(t, organiserToken)
			} else {
				pg, err := postgres.Open(context.Background(), postgrestest.Database(t))
				if err != nil {
					t.Fatalf("open the read models: %v", err)
				}
				t.Cleanup(pg.Close)
				cfg, events = handlerstest.WireWith(t, organiserToken, pg)
			}
			cfg.MaxMaterialBytes = testMaterialLimit
			test(t, &service{t: t, url: handlerstest.Serve(t, handlers.New(cfg)).URL, events: events}, cfg.Blobs)
		})
	}
}

// part is one part of a multipart form: a file when filename is set.
type part struct {
	name, filename string
	data           []byte
	// disposition replaces the part's Content-Disposition parameters after the name, when set.
	disposition string
}

// form encodes parts as multipart/form-data, for a request.
func form(t *testing.T, method, path, token string, parts ...part) request {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		if p.disposition != "" {
			h.Set("Content-Disposition", `form-data; name="`+p.name+`"; `+p.disposition)
		} else if p.filename != "" {
			// Set by hand: multipart.CreateFormFile would escape what a hostile client sends as is.
			h.Set("Content-Disposition", `form-data; name="`+p.name+`"; filename="`+p.filename+`"`)
			h.Set("Content-Type", "application/octet-stream")
		} else {
			h.Set("Content-Disposition", `form-data; name="`+p.name+`"`)
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(p.data)
	}
	mw.Close()
	return request{method: method, path: path, token: token, body: b.String(),
		header: map[string]string{"Content-Type": mw.FormDataContentType()}}
}

type materialAnswer struct {
	ID, Name, Title, SHA256 string
	ContentType             string `json:"content_type"`
	Size                    int64
	Version                 int
	SessionID               string `json:"session_id"`
	Versions                []struct {
		Version int
		Name    string
		SHA256  string
	}
}

func slidesPDF(text string, size int) []byte {
	b := []byte("%PDF-1.7\n" + text + "\n")
	for len(b) < size {
		b = append(b, "% padding of the slides\n"...)
	}
	return b
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// TestMaterials: an organiser uploads a file, everyone who sees the workshop lists and
// downloads it byte for byte with safe headers, a replaced file keeps its old version, a file
// over the limit answers 413, a file of another type 415, hostile names are cleaned, and a
// removed file is gone; on both read models.
func TestMaterials(t *testing.T) {
	eachReadModelWithMaterialLimit(t, testMaterials)
}

func testMaterials(t *testing.T, s *service) {
	w := s.schedule(10)
	base := "/api/v1/workshops/" + w.ID + "/materials"
	slides := slidesPDF("Folien", 20000)
	var added materialAnswer
	res := s.must(form(t, "POST", base, org, part{name: "title", data: []byte(" Folien der Eröffnung ")},
		part{name: "file", filename: `C:\Users\anna\Folien.pdf`, data: slides}), 201, &added)
	if added.ID == "" || added.Name != "Folien.pdf" || added.Title != "Folien der Eröffnung" || added.Size != int64(len(slides)) ||
		added.SHA256 != sha(slides) || added.ContentType != "application/pdf" || added.Version != 1 {
		t.Fatalf("added: got %+v", added)
	}
	if loc := res.header.Get("Location"); loc != base+"/"+added.ID {
		t.Errorf("Location = %q", loc)
	}

	var list []materialAnswer
	s.must(request{method: "GET", path: base}, 200, &list)
	if len(list) != 1 || list[0].ID != added.ID || list[0].Name != "Folien.pdf" || len(list[0].Versions) != 1 {
		t.Fatalf("list: got %+v", list)
	}
	download := func(path string, want []byte, contentType, disposition string) {
		t.Helper()
		res := s.do(request{method: "GET", path: path})
		if res.status != 200 || !bytes.Equal(res.body, want) {
			t.Fatalf("GET %s: got %d, %d bytes, want 200 with the %d bytes uploaded", path, res.status, len(res.body), len(want))
		}
		h := res.header
		if h.Get("Content-Type") != contentType || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Content-Security-Policy") != "sandbox" || !strings.HasPrefix(h.Get("Content-Disposition"), disposition) {
			t.Errorf("GET %s: headers %v", path, h)
		}
	}
	download(base+"/"+added.ID, slides, "application/pdf", `inline; filename="Folien.pdf"; filename*=UTF-8''Folien.pdf`)

	// Replaced: the new version is served, the old one stays downloadable by its number.
	final := slidesPDF("Folien final", 30000)
	var replaced materialAnswer
	s.must(form(t, "PUT", base+"/"+added.ID, org, part{name: "file", filename: "Folien final.pdf", data: final}), 200, &replaced)
	if replaced.Version != 2 || replaced.Name != "Folien final.pdf" || replaced.Title != "Folien der Eröffnung" || len(replaced.Versions) != 2 {
		t.Fatalf("replaced: got %+v", replaced)
	}
	download(base+"/"+added.ID, final, "application/pdf", `inline; filename="Folien final.pdf"; filename*=UTF-8''Folien%20final.pdf`)
	download(base+"/"+added.ID+"/versions/1", slides, "application/pdf", "inline")
	download(base+"/"+added.ID+"/versions/2", final, "application/pdf", "inline")
	for _, v := range []string{"3", "0", "01", "-1", "x"} {
		s.must(request{method: "GET", path: base + "/" + added.ID + "/versions/" + v}, 404, nil)
	}

	// The same upload repeated with its Idempotency-Key answers the first material and adds none.
	keyed := form(t, "POST", base, org, part{name: "file", filename: "Agenda.pdf", data: slidesPDF("Agenda", 500)})
	keyed.header["Idempotency-Key"] = "upload-agenda-1"
	var first, again materialAnswer
	s.must(keyed, 201, &first)
	seqKeyed := s.lastSeq()
	s.must(keyed, 201, &again)
	if again.ID != first.ID || s.lastSeq() != seqKeyed {
		t.Errorf("a repeated upload with its key: got %s (first %s), log moved %v", again.ID, first.ID, s.lastSeq() != seqKeyed)
	}
	other := form(t, "POST", base, org, part{name: "file", filename: "Agenda.pdf", data: slidesPDF("Agenda 2", 500)})
	other.header["Idempotency-Key"] = "upload-agenda-1"
	s.must(other, 422, nil) // the key with another file
	s.must(request{method: "DELETE", path: base + "/" + first.ID, token: org}, 204, nil)

	// Text and office files are attachments, with the type their extension and bytes agree on.
	var notes materialAnswer
	s.must(form(t, "POST", base, org, part{name: "file", filename: "Protokoll.md", data: []byte("# Protokoll\n\n- Wohnen\n")}), 201, &notes)
	download(base+"/"+notes.ID, []byte("# Protokoll\n\n- Wohnen\n"), "text/markdown; charset=utf-8", `attachment; filename="Protokoll.md"`)
	docx := append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0}, 200)...)
	s.must(form(t, "POST", base, org, part{name: "file", filename: "Bericht.docx", data: docx}), 201, nil)

	// Refused: over the limit (413), another type (415), no file, unknown fields (422).
	seq := s.lastSeq()
	problem := func(r request, status int) {
		t.Helper()
		res := s.do(r)
		if res.status != status || !strings.HasPrefix(res.header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s %s: got %d %s %s, want %d problem", r.method, r.path, res.status, res.header.Get("Content-Type"), res.body, status)
		}
	}
	problem(form(t, "POST", base, org, part{name: "file", filename: "gross.pdf", data: slidesPDF("gross", testMaterialLimit+1)}), 413)
	problem(form(t, "POST", base, org, part{name: "file", filename: "gross.pdf", data: slidesPDF("gross", 3*testMaterialLimit)}), 413)
	problem(form(t, "PUT", base+"/"+added.ID, org, part{name: "file", filename: "gross.pdf", data: slidesPDF("gross", testMaterialLimit+1)}), 413)
	problem(form(t, "POST", base, org, part{name: "file", filename: "setup.exe", data: append([]byte("MZ\x90\x00"), make([]byte, 100)...)}), 415)
	problem(form(t, "POST", base, org, part{name: "file", filename: "seite.html", data: []byte("<html><script>alert(1)</script></html>")}), 415)
	problem(form(t, "POST", base, org, part{name: "file", filename: "seite.pdf", data: []byte("<html><script>alert(1)</script></html>")}), 415)
	problem(form(t, "POST", base, org, part{name: "file", filename: "setup.docx", data: append([]byte("MZ\x90\x00"), make([]byte, 100)...)}), 415)
	problem(form(t, "POST", base, org, part{name: "file", filename: "bild.svg", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)}), 415)
	problem(request{method: "POST", path: base, token: org, body: map[string]any{"file": "x"}}, 415)
	problem(form(t, "POST", base, org, part{name: "title", data: []byte("nur Text")}), 422)
	problem(form(t, "POST", base, org, part{name: "file", filename: "leer.pdf"}), 422)
	problem(form(t, "POST", base, org, part{name: "owner", data: []byte("x")}, part{name: "file", filename: "a.pdf", data: slides}), 422)
	problem(form(t, "POST", base, org, part{name: "session_id", data: []byte("nope")}, part{name: "file", filename: "a.pdf", data: slides}), 404)
	problem(form(t, "POST", base, org, part{name: "title", data: []byte("a\x00b")}, part{name: "file", filename: "a.pdf", data: slides}), 422)
	problem(form(t, "POST", base, "", part{name: "file", filename: "a.pdf", data: slides}), 401)
	problem(form(t, "POST", "/api/v1/workshops/nope/materials", org, part{name: "file", filename: "a.pdf", data: slides}), 404)
	if s.lastSeq() != seq {
		t.Errorf("a refused upload appended events")
	}

	// Hostile names are cleaned: no path, no control or format characters, no quotes.
	for name, want := range map[string]string{
		"../../etc/passwd.txt":            "passwd.txt",
		"..\\..\\boot.ini.txt":            "boot.ini.txt",
		"Bericht\u202Etxt.exe.txt":        "Berichttxt.exe.txt",
		strings.Repeat("x", 300) + ".txt": strings.Repeat("x", 146) + ".txt",
	} {
		var got materialAnswer
		s.must(form(t, "POST", base, org, part{name: "file", filename: name, data: []byte("Text\n")}), 201, &got)
		if got.Name != want {
			t.Errorf("uploaded as %q: named %q, want %q", name, got.Name, want)
		}
		res := s.do(request{method: "GET", path: base + "/" + got.ID})
		if cd := res.header.Get("Content-Disposition"); strings.ContainsAny(cd, "\r\n\x00\\/") || !strings.HasPrefix(cd, "attachment; ") {
			t.Errorf("Content-Disposition of %q: %q", name, cd)
		}
	}

	// Control characters in the header itself are a malformed request; encoded (RFC 2231) they
	// are taken out of the name.
	problem(form(t, "POST", base, org, part{name: "file", filename: "a\x01b.txt", data: []byte("Text\n")}), 400)
	var encoded materialAnswer
	s.must(form(t, "POST", base, org, part{name: "file", disposition: `filename*=UTF-8''a%01b%7F%E2%80%AE%22c.txt`, data: []byte("Text\n")}), 201, &encoded)
	if encoded.Name != "abc.txt" {
		t.Errorf("an encoded name with control characters: named %q, want abc.txt", encoded.Name)
	}

	// Removed: gone from the list and for download; a second removal and unknown ids are 404.
	s.must(request{method: "DELETE", path: base + "/" + added.ID, token: org}, 204, nil)
	s.must(request{method: "GET", path: base + "/" + added.ID}, 404, nil)
	s.must(request{method: "GET", path: base + "/" + added.ID + "/versions/1"}, 404, nil)
	s.must(request{method: "DELETE", path: base + "/" + added.ID, token: org}, 404, nil)
	s.must(request{method: "GET", path: base + "/nope"}, 404, nil)
	s.must(request{method: "GET", path: base + "/a%2Fb"}, 404, nil)
	list = nil
	s.must(request{method: "GET", path: base}, 200, &list)
	for _, m := range list {
		if m.ID == added.ID {
			t.Errorf("the removed material is listed")
		}
	}
}

// TestMaterialsOfAMembersOnlyWorkshop: the materials of a members-only workshop are the
// network's members': outsiders and anonymous callers get 404 for the list and the file.
func TestMaterialsOfAMembersOnlyWorkshop(t *testing.T) {
	eachReadModel(t, func(t *testing.T, s *service) {
		n := newNetworkWorld(s)
		var w struct{ ID string }
		s.must(request{method: "POST", path: "/api/v1/workshops", token: n.olaf.Token, body: map[string]any{"title": "Ideenwerkstatt März",
			"series": "Ideenwerkstatt", "venue": "Eisenach", "days": []string{day1}, "capacity": 20, "visibility": "members"}}, 201, &w)
		base := "/api/v1/workshops/" + w.ID + "/materials"
		slides := slidesPDF("intern", 1000)
		var m materialAnswer
		s.must(form(t, "POST", base, n.olaf.Token, part{name: "file", filename: "Folien.pdf", data: slides}), 201, &m)
		for _, token := range []string{"", n.max.Token} {
			s.must(request{method: "GET", path: base, token: token}, 404, nil)
			s.must(request{method: "GET", path: base + "/" + m.ID, token: token}, 404, nil)
			s.must(request{method: "GET", path: base + "/" + m.ID + "/versions/1", token: token}, 404, nil)
		}
		for _, token := range []string{n.mia.Token, n.dora.Token, org} {
			var list []materialAnswer
			s.must(request{method: "GET", path: base, token: token}, 200, &list)
			if len(list) != 1 {
				t.Errorf("list for a member: %+v", list)
			}
			if res := s.must(request{method: "GET", path: base + "/" + m.ID, token: token}, 200, nil); !bytes.Equal(res.body, slides) {
				t.Errorf("download for a member: %d bytes", len(res.body))
			}
		}
		// Uploading, replacing and removing are the organisers': a member may not, otto
		// organises another series.
		for _, who := range []member{n.mia, n.dora, n.otto} {
			s.must(form(t, "POST", base, who.Token, part{name: "file", filename: "a.pdf", data: slides}), 403, nil)
			s.must(request{method: "DELETE", path: base + "/" + m.ID, token: who.Token}, 403, nil)
		}
		s.must(form(t, "POST", base, n.max.Token, part{name: "file", filename: "a.pdf", data: slides}), 404, nil)
		s.must(request{method: "DELETE", path: base + "/" + m.ID, token: n.olaf.Token}, 204, nil)
	})
}
