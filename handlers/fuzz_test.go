package handlers_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
)

// bodySeeds are requests each route with a body has taken in the tests (and a few it must
// refuse), keyed by method and path as echo lists them. Every POST, PUT and PATCH route of the
// API needs an entry: FuzzAPIBodies fails on a route without one, so that a new route is fuzzed.
var bodySeeds = map[string][]string{
	"POST /api/v1/workshops": {`{"title": "Ideenwerkstatt Integration", "series": "IKOE-Ideenwerkstatt",
		"venue": "Kreishaus Winsen", "days": ["2037-11-16", "2037-11-17"], "capacity": 40}`,
		`{"title": "x", "venue": "y", "days": ["2026-02-30"], "capacity": 2147483648}`,
		`{"title": "x", "venue": "y", "days": ["2037-11-16"], "capacity": 2, "network": "nope", "visibility": "members"}`,
		`{"title": "x", "venue": "y", "days": ["2037-11-16"], "capacity": 2, "registration_closes": "2037-11-10T18:00:00+01:00"}`,
		`{"title": "x", "venue": "y", "days": ["2037-11-16"], "capacity": 2, "registration_closes": "2037-11-17T00:00:00.5-12:00"}`,
		`{"title": "x", "venue": "y", "days": ["2037-11-16"], "capacity": 2, "reminder_days": 7}`,
		`{"title": "x", "venue": "y", "days": ["2037-11-16"], "capacity": 2, "reminder_days": 99}`},
	"PATCH /api/v1/workshops/:id": {`{"title": "Neu", "venue": null}`, `{"capacity": 1}`, `{"visibility": "members"}`, `{"visibility": "secret"}`,
		`{"registration_closes": "2037-11-10T18:00:00+01:00"}`, `{"registration_closes": null}`, `{"registration_closes": ""}`,
		`{"registration_closes": "2037-11-10T25:00:00Z"}`, `{"registration_closes": 20371110}`,
		`{"reminder_days": 7}`, `{"reminder_days": 0}`, `{"reminder_days": 31}`, `{"reminder_days": -1}`, `{"reminder_days": null}`},
	"POST /api/v1/workshops/:id/messages": {`{"to": ["confirmed"], "subject": "Raumänderung", "text": "Wir treffen uns\nim Saal B."}`,
		`{"to": ["confirmed", "waitlisted", "checked_in"], "subject": "S", "text": "T"}`,
		`{"to": [], "subject": "", "text": ""}`, `{"to": ["everyone"], "subject": "a\nb", "text": "x\u0000"}`,
		`{"to": ["confirmed", "confirmed"], "subject": "S", "text": "T"}`, `{"to": "confirmed", "subject": 1, "text": null}`,
		`{"to": ["confirmed"], "subject": "S", "text": "T", "extra": 1}`},
	"POST /api/v1/workshops/:id/sessions": {`{"title": "Impulsvortrag", "kind": "keynote",
		"day": "2037-11-16", "starts": "10:00", "ends": "10:45", "room": "Plenum", "speakers": ["Prof. Yilmaz"]}`,
		`{"title": "Café", "kind": "theme_cafe", "day": "2037-11-17", "starts": "25:00", "ends": "09:00"}`},
	"PATCH /api/v1/workshops/:id/sessions/:sid": {`{"room": null, "speakers": null}`, `{"starts": "11:00", "day": "2037-11-17"}`},
	"PUT /api/v1/workshops/:id/registration-questions": {`{"questions": [{"id": "sector", "label": "Sektor", "kind": "choice",
		"options": ["Politik", "Verwaltung", "Wissenschaft", "Wirtschaft", "Zivilgesellschaft"], "required": true},
		{"id": "multiplier", "label": "Ich bin Multiplikator·in", "kind": "yes_no"}, {"id": "why", "label": "Warum?", "kind": "text"}]}`,
		`{"questions": []}`, `{"questions": null}`, `{"questions": [{"id": "a b", "label": "\u0000", "kind": "scale", "options": ["x"]}]}`,
		`{"questions": [{"id": "s", "label": "S", "kind": "choice", "options": ["A", "A"], "extra": 1}]}`},
	"POST /api/v1/people/export-requests":                    {`{"email": "anna@example.org"}`, `{"email": "anna@example.org", "lang": "en"}`, `{"email": "no address"}`, `{"email": "a@example.org", "lang": "fr"}`, `{"email": 1}`, `{}`, `{"email": "a@example.org", "x": 1}`},
	"POST /api/v1/password-resets":                           {`{"email": "anna@example.org"}`, `{"email": "anna@example.org", "lang": "en"}`, `{"email": "no address"}`, `{"email": "a@example.org", "lang": "fr"}`, `{"email": 1}`, `{}`, `{"email": "a@example.org", "x": 1}`},
	"POST /api/v1/workshops/:id/registrations/link-requests": {`{"email": "anna@example.org"}`, `{"email": "no address"}`, `{"email": 1}`, `{}`, `{"email": "a@example.org", "x": 1}`},
	"POST /api/v1/workshops/:id/registrations": {`{"name": "Anna Müller", "email": "anna@example.org",
		"organisation": "O", "consent": true, "answers": {"sector": "Verwaltung", "multiplier": true, "why": "x"}}`,
		`{"name": "A", "email": "a@example.org", "organisation": "O", "consent": true, "answers": {"sector": 3, "nope": [true], "x\u0000": null}}`,
		`{"name": "A", "email": "a@example.org", "organisation": "O", "consent": true, "answers": "sector"}`,
		`{"name": "Anna Müller", "email": "anna@example.org",
		"organisation": "Landkreis Harburg", "district": "Harburg", "dietary": "vegetarisch", "overnight": true, "consent": true}`,
		`{"name": "Org", "email": "o@example.org", "organisation": "Org\u0000", "consent": true, "days": ["2037-11-17"]}`,
		`{"name": "A", "email": "a@example.org", "organisation": "O", "consent": true, "lang": "en"}`,
		`{"name": "A", "email": "a@example.org", "organisation": "O", "consent": true, "photo_consent": true}`,
		`{"name": "A", "email": "a@example.org", "organisation": "O", "consent": true, "lang": "fr"}`,
		`{"name": "A", "email": "a@example.org", "organisation": "O", "consent": true, "lang": 3}`},
	"PATCH /api/v1/workshops/:id/registrations/:rid": {`{"days": ["2037-11-17"], "dietary": "vegan", "overnight": true}`,
		`{"dietary": null}`, `{"days": []}`, `{"days": ["2037-11-16", "2037-11-16"]}`, `{"overnight": null, "days": null}`,
		`{"days": ["2041-01-01"], "dietary": "\u0000"}`, `{"photo_consent": true}`, `{"photo_consent": null}`,
		`{"photo_consent": "yes", "dietary": "vegan"}`},
	"POST /api/v1/erasure-requests/preview": {`{"email": "carla@example.org"}`},
	"POST /api/v1/erasure-requests":         {`{"email": "carla@example.org"}`},
	"POST /api/v1/retention/runs":           {`{"as_of": "2027-06-01T00:00:00+02:00", "dry_run": true}`, `{"as_of": "1. Juni", "dry_run": "yes"}`},
	"PUT /api/v1/series/:series/retention":  {`{"months": 24, "evidence_hold_until": "2031-12-31"}`, `{"months": 0, "evidence_hold_until": null}`, `{"months": 1e9}`},
	"POST /api/v1/workshops/:id/check-ins": {`{"registration_id": "$rid", "day": "2037-11-16"}`,
		`{"registration_id": "$rid", "day": "2037-11-16", "session_id": "$session"}`, `{"registration_id": "$rid", "day": "2041-01-01"}`},
	"POST /api/v1/workshops/:id/walk-ins": {`{"name": "Emil Kaya", "organisation": "Jugendzentrum Buchholz", "district": "Harburg", "day": "2037-11-16"}`,
		`{"name": "E", "email": "e@example.org", "organisation": "O", "day": "2037-11-17"}`,
		`{"name": "", "organisation": "O\u0000", "day": "2041-01-01"}`, `{"name": "E", "organisation": "O", "day": "16.11.2037", "role": "x"}`},
	"POST /api/v1/workshops/:id/registrations/:rid/admissions": {`{"day": "2037-11-16"}`, `{"day": "2041-01-01"}`,
		`{"day": "16.11.2037", "seat": 1}`, `{"day": 20371116}`, `{"day": "\u0000"}`},
	"PUT /api/v1/workshops/:id/sessions/:sid/theme-cafe/rounds": {`{"rounds": 3}`, `{"rounds": -1}`},
	"POST /api/v1/workshops/:id/sessions/:sid/theme-cafe/tables": {`{"topic": "Wohnen", "host_guest": "Jonas Weber", "capacity": 10}`,
		`{"topic": "Verkehr", "host_registration_id": "$rid", "capacity": 4}`},
	"PATCH /api/v1/workshops/:id/sessions/:sid/theme-cafe/tables/:tid": {`{"capacity": 12, "host_guest": null}`, `{"topic": null}`},
	"PUT /api/v1/workshops/:id/sessions/:sid/theme-cafe/tables/:tid/notes/:round": {`{"key_points": ["Mieten steigen"],
		"examples": ["Winsen"], "open_questions": ["Wer zahlt?"]}`},
	"POST /api/v1/workshops/:id/sessions/:sid/theme-cafe/preferences/open":  {``},
	"POST /api/v1/workshops/:id/sessions/:sid/theme-cafe/preferences/close": {``},
	"PUT /api/v1/workshops/:id/sessions/:sid/theme-cafe/preferences":        {`{"ranking": ["$table"]}`, `{"registration_id": "$rid", "ranking": []}`},
	"POST /api/v1/workshops/:id/sessions/:sid/theme-cafe/plan":              {`{}`, `{"present_only": true}`},
	"POST /api/v1/workshops/:id/sessions/:sid/theme-cafe/plan/moves":        {`{"registration_id": "$rid", "round": 1, "table_id": "$table"}`},
	"POST /api/v1/workshops/:id/sessions/:sid/theme-cafe/plan/publish":      {``},
	"POST /api/v1/workshops/:id/topics": {`{"title": "Wohnkosten", "source": {"kind": "closing_discussion"}}`,
		`{"title": "Tisch", "description": "d", "source": {"kind": "theme_cafe_table", "session_id": "$cafe", "table_id": "$table"}}`},
	"PUT /api/v1/workshops/:id/topics/votes":         {`{"topic_ids": ["$topic", "$topic"]}`, `{"registration_id": "$rid", "topic_ids": []}`},
	"POST /api/v1/workshops/:id/topics/voting/open":  {``},
	"POST /api/v1/workshops/:id/topics/voting/close": {``},
	"PUT /api/v1/workshops/:id/topics/vote-limit":    {`{"limit": 2}`, `{"limit": 9223372036854775807}`},
	"POST /api/v1/workshops/:id/topics/:tid/merge":   {`{"into": "$topic2"}`},
	"PUT /api/v1/workshops/:id/topics/:tid/status": {`{"status": "addressed"}`,
		`{"status": "planned", "workshop_id": "$id", "session_id": "$session"}`},
	"POST /api/v1/workshops/:id/action-items": {`{"what": "Protokoll verschicken", "who": {"registration_id": "$rid"}}`,
		`{"what": "Saal buchen", "who": {"organisation": "Landkreis"}, "due_by": null}`, `{"what": "x", "due_by": "2026-13-01"}`},
	"POST /api/v1/workshops/:id/action-items/:aid/done":   {``},
	"POST /api/v1/workshops/:id/action-items/:aid/reopen": {``},
	"POST /api/v1/workshops/:id/feedback/open":            {``},
	"POST /api/v1/workshops/:id/feedback/close":           {``},
	"PUT /api/v1/workshops/:id/feedback/questionnaires/:qid": {`{}`, `{"questions": null}`,
		`{"questions": [{"id": "q1", "kind": "scale", "text": {"de": "Wie?", "en": "How?"}, "required": true},
		{"id": "q2", "kind": "choice", "text": {"de": "Was?"}, "options": [{"id": "a", "text": {"de": "A"}}]}]}`},
	"PUT /api/v1/workshops/:id/feedback/questionnaires/:qid/answer": {`{"answers": [{"question_id": "overall", "scale": 5},
		{"question_id": "most_useful", "text": "Der Austausch"}]}`, `{"answers": [{"question_id": "x", "choices": ["a"]}]}`},
	"POST /api/v1/series/:series/lead-tokens": {`{"label": "Projektleitung AMIF"}`, `{"label": ""}`},
	"PATCH /api/v1/networks/:id":              {`{"name": "Forum Integration Thüringen"}`, `{"name": null}`},
	"POST /api/v1/networks":                   {`{"name": "Forum Integration"}`, `{"name": ""}`, `{"name": "\u0000"}`, `{"name": ["x"]}`},
	"POST /api/v1/networks/:id/members": {`{"name": "Anna Schmidt", "email": "anna@example.org", "organisation": "Landratsamt",
		"roles": [{"role": "organiser", "series": ["Ideenwerkstatt"]}, {"role": "lead", "series": ["AMIF"]}]}`,
		`{"name": "x", "email": "x", "roles": []}`, `{"name": "x", "email": "x@example.org", "roles": [{"role": "boss"}, {"role": "door", "series": [""]}]}`,
		`{"name": "x", "email": "x@example.org", "roles": null}`},
	"POST /api/v1/webhooks": {`{"url": "https://crm.example.org/hooks", "events": ["registration.confirmed", "checkin.recorded"]}`,
		`{"url": "https://x.example/\u0000", "events": ["registration.confirmed"]}`, `{"url": "javascript:alert(1)", "events": []}`,
		`{"url": "https://u:p@x.example", "events": ["nope"], "personal_data": true, "network": "../x"}`, `{"url": null, "events": null}`},
	"PUT /api/v1/networks/:id/members/:mid/roles":        {`{"roles": [{"role": "admin"}]}`, `{"roles": [{"role": "lead"}]}`, `{"roles": [{"role": 1}]}`},
	"POST /api/v1/networks/:id/members/:mid/api-tokens":  {`{"label": "Skript Anmeldeliste"}`, `{"label": ""}`, `{}`},
	"POST /api/v1/networks/:id/members/:mid/invitations": {``, `{}`, `{"lang": "en"}`, `{"lang": "fr"}`},
	"PUT /api/v1/networks/:id/retention":                 {`{"months": 24}`, `{"months": 0}`, `{"months": "zwölf"}`, `{"months": 1e9}`, `{}`},
	"PUT /api/v1/networks/:id/privacy-notice": {`{"controller": {"name": "Landkreis Beispiel", "address": "Markt 1\n12345 Beispielstadt", "email": "bildung@example.org"}, "authority": {"name": "LfD", "url": "https://lfd.example.org"}}`,
		`{"controller": {"name": "x\u0000", "email": "kein-at", "url": "javascript:alert(1)"}, "officer": null}`, `{"purposes": 1}`, `{"controller": {"fax": "1"}}`, `[]`},
	"PUT /api/v1/privacy-notice": {`{"controller": {"name": "Betrieb", "address": "Hauptstraße 2", "email": "betrieb@example.org"}, "authority": {"name": "LfD"}, "rights": "Art. 15"}`,
		`{"authority": {"name": "a\nb", "url": "https://u:p@x.example"}}`, `{}`, `null`},
	"PUT /api/v1/networks/:id/mail-templates/:kind/:lang": {`{"subject": "Willkommen: {{.Workshop}}", "text": "Hallo {{.Name}},\nbis bald."}`,
		`{"subject": "{{.Secret}}", "text": "{{printf \"%v\" 1}}"}`, `{"subject": "a\u0000", "text": null}`, `{"subject": "{{if .Position}}", "text": "{{end}}"}`},
	"POST /api/v1/networks/:id/mail-templates/:kind/:lang/preview": {`{"subject": "Hallo {{.Name}}", "text": "<b>{{.Venue}}</b>"}`,
		`{"subject": "{{template \"x\"}}", "text": "{{range .Days}}{{end}}"}`, `{}`, `[]`},
	"POST /api/v1/networks/:id/announcements": {`{"title": "Treffen", "body": "**Bald** [Programm](https://example.org)", "visibility": "members"}`,
		`{"title": "", "body": "<script>alert(1)</script>"}`, `{"title": "x", "body": "[x](javascript:alert(1))", "workshop": "$id"}`, `{"visibility": 1}`},
	"PUT /api/v1/networks/:id/announcements/:aid":                      {`{"title": "Neu", "body": "![x](https://e.example/x.png)", "visibility": "public"}`, `{"title": null}`},
	"POST /api/v1/networks/:id/announcements/:aid/comments":            {`{"text": "Ich komme."}`, `{"text": ""}`, `{"text": "\u0000"}`},
	"PUT /api/v1/networks/:id/announcements/:aid/comments/:cid/hidden": {``, `{}`},
	"PUT /api/v1/networks/:id/digest-subscription":                     {``, `{}`, `null`},
	"DELETE /api/v1/networks/:id/digest-subscription":                  {``},
	"POST /api/v1/networks/:id/groups":                                 {`{"name": "AG Sprache", "description": "Kurse", "series": "AG Sprache"}`, `{"name": ""}`, `{"name": null}`},
	"PATCH /api/v1/networks/:id/groups/:gid":                           {`{"description": "Neu"}`, `{}`, `{"series": "\u0000"}`},
	"PUT /api/v1/networks/:id/groups/:gid/members/:mid":                {``, `{}`},
	"PUT /api/v1/workshops/:id/funding": {`{"project": "Ankommen im Quartier", "funding_reference": "AMIF-2026-0815", "funder": "AMIF"}`,
		`{"project": null}`, `{"project": "\u0000", "funder": 1}`, `{}`, `{"logo": "sha256:00"}`},
	"PUT /api/v1/workshops/:id/funding/logo": {`\x89PNG\r\n\x1a\n`, `<svg/>`},
	"PUT /api/v1/series/:series/funding": {`{"project": "Ankommen", "funding_reference": "AMIF-1", "funder": "AMIF", "logo": ""}`,
		`{"project": "P", "logo": "sha256:0000000000000000000000000000000000000000000000000000000000000000"}`, `{"logo": 1}`},

	// Materials (issue 16): multipart bodies; sent as JSON they are refused (415), whatever they hold.
	"POST /api/v1/workshops/:id/materials": {"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.7\r\n--b--\r\n",
		`{"file": "x"}`, ``},
	"POST /api/v1/workshops/:id/sessions/:sid/theme-cafe/tables/:tid/materials": {
		"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"flipchart.png\"\r\n\r\n\x89PNG\r\n--b--\r\n",
		"--b\r\nContent-Disposition: form-data; name=\"table_id\"\r\n\r\nt\r\n--b--\r\n", ``},
	"PUT /api/v1/workshops/:id/materials/:mid": {"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../a.txt\"\r\n\r\ntext\r\n--b--\r\n", ``},

	// A material marked personal or not (issue 16).
	"PUT /api/v1/workshops/:id/materials/:mid/personal": {`{"personal": true}`, `{"personal": false}`, `{"personal": null}`, `{}`,
		`{"personal": "yes"}`, `{"personal": true, "x": 1}`},
	// The organisers' summary of a workshop (issue 16): Markdown, "" clears it.
	"PUT /api/v1/workshops/:id/summary": {`{"text": "# Bilanz\n\n- 42 Gäste"}`, `{"text": ""}`, `{"text": null}`, `{}`,
		`{"text": "\u0000"}`, `{"text": 1}`, `{"text": "<script>alert(1)</script>[x](javascript:alert(1))"}`},

	// Host links of café tables (issue 14): the body is ignored.
	"POST /api/v1/workshops/:id/sessions/:sid/theme-cafe/tables/:tid/host-link": {``, `{"token": "x"}`},
}

// apiFixture is a workshop FuzzAPIBodies sends its requests to, with the values the seeds'
// placeholders ($rid, $table, ...) and the routes' parameters stand for.
type apiFixture struct {
	w      handlerstest.Workshop
	values map[string]string
}

func newAPIFixture(t testing.TB, h http.Handler, n int) apiFixture {
	w := handlerstest.FillWorkshop(t, h, organiserToken, fmt.Sprintf("Fuzz-%d", n), "Fuzz")
	return apiFixture{w: w, values: map[string]string{
		"$id": w.ID, "$rid": w.People[1].ID, "$session": w.SessionID, "$cafe": w.CafeID, "$table": w.TableID,
		"$topic": w.TopicIDs[0], "$topic2": w.TopicIDs[1],
	}}
}

// path fills the parameters of an echo route with the fixture's ids.
func (x apiFixture) path(route string) string { return x.w.Path(route, "") }

func (x apiFixture) fill(body string) string {
	for k, v := range x.values {
		body = strings.ReplaceAll(body, k, v)
	}
	return body
}

// bodyRoutes returns the API's routes that take a body, in a stable order.
func bodyRoutes(e *echo.Echo) []string {
	var out []string
	for _, r := range e.Routes() {
		if r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// FuzzAPIBodies sends any body to every API route that takes one, as the organiser, as the
// path's participant or without a token, through the whole API on an embedded NATS server: the
// body is bound, converted into a command and decided by the domain. Whatever the body, the
// answer is a success or a 4xx problem+json, never a panic or a 5xx. Every few hundred inputs
// the requests go to a fresh workshop, so that the state they change stays small.
func FuzzAPIBodies(f *testing.F) {
	cfg, _ := handlerstest.Wire(f, organiserToken)
	e := handlers.New(cfg)
	routes := bodyRoutes(e)
	for i, r := range routes {
		seeds, ok := bodySeeds[r]
		if !ok {
			f.Fatalf("route %s takes a body but has no seeds in bodySeeds", r)
		}
		for j, s := range seeds {
			for who := range uint8(3) {
				// The engine runs every seed before it fuzzes (minutes for this corpus on 2
				// cores): then one sender per seed is enough; go test runs all three.
				if fuzzing() && int(who) != (i+j)%3 {
					continue
				}
				f.Add(uint8(i), who, []byte(s))
			}
		}
	}
	var (
		execs   atomic.Int64
		fixture atomic.Pointer[apiFixture]
	)
	x := newAPIFixture(f, e, 0)
	fixture.Store(&x)
	f.Fuzz(func(t *testing.T, route, who uint8, body []byte) {
		n := execs.Add(1)
		if n%500 == 0 {
			x := newAPIFixture(t, e, int(n))
			fixture.Store(&x)
		}
		x := fixture.Load()
		method, path, _ := strings.Cut(routes[int(route)%len(routes)], " ")
		req := httptest.NewRequest(method, x.path(path), bytes.NewReader([]byte(x.fill(string(body)))))
		req.RemoteAddr = fmt.Sprintf("198.51.%d.%d:4711", n/256%256, n%256) // one address per request: no rate limit trips
		req.Header.Set("Content-Type", "application/json")
		switch who % 3 {
		case 0:
			req.Header.Set("Authorization", "Bearer "+organiserToken)
		case 1:
			req.Header.Set("Authorization", "Bearer "+x.w.People[1].Token)
		}
		res := httptest.NewRecorder()
		e.ServeHTTP(res, req)
		checkAnswer(t, method+" "+path, body, res)
	})
}

// fuzzing reports whether the test binary runs a fuzz target (-test.fuzz), not only its seeds.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// checkAnswer fails unless res is a success or a 4xx problem whose status matches.
func checkAnswer(t *testing.T, route string, body []byte, res *httptest.ResponseRecorder) {
	t.Helper()
	if res.Code >= 500 || res.Code < 200 {
		t.Fatalf("%s with body %q: got %d %s, want a success or a 4xx problem", route, body, res.Code, res.Body)
	}
	if res.Code < 400 {
		return
	}
	mt, _, _ := mime.ParseMediaType(res.Header().Get(echo.HeaderContentType))
	var p struct {
		Status int    `json:"status"`
		Title  string `json:"title"`
	}
	if mt != "application/problem+json" || json.Unmarshal(res.Body.Bytes(), &p) != nil || p.Status != res.Code || p.Title == "" {
		t.Fatalf("%s with body %q: got %d %s %s, want a problem+json with that status", route, body, res.Code,
			res.Header().Get(echo.HeaderContentType), res.Body)
	}
}
