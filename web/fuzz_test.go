package web_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/handlers/handlerstest"
)

// formSeeds are forms each page route that takes one has been sent (placeholders such as
// $token stand for the fixture's values), keyed by echo's method and path. Every POST page
// route needs an entry: FuzzPageForms fails on a route without one, so that a new form is fuzzed.
var formSeeds = map[string][]string{
	"POST /w/:id/link": {"email=anna%40example.org&key=k10", "email=%00", "email="},
	"POST /w/:id/register": {"name=Anna+M%C3%BCller&email=anna%40example.org&organisation=Landkreis+Harburg&district=Harburg" +
		"&days=2026-11-16&days=2026-11-17&dietary=vegetarisch&overnight=on&consent=on&key=k1",
		"name=Org&email=o%40example.org&organisation=Org%00&days=2030-01-01&consent=on",
		"name=A&email=a%40example.org&organisation=O&days=2026-11-16&consent=yes&answers.sector=Kirche&answers.multiplier=vielleicht&answers.why=%00",
		"name=A&email=a%40example.org&organisation=O&days=2026-11-16&consent=yes&photo_consent=yes&photo_consent=%00"},
	"POST /w/:id/r/:rid/cancel": {"token=$token"},
	"POST /w/:id/r/:rid/change": {"token=$token&days=2026-11-17&dietary=vegan&overnight=yes", "token=$token&dietary=x",
		"token=$token&days=2030-01-01&dietary=%00", "token=$token&days=2026-11-16&photo_consent=yes"},
	"POST /organiser/workshops/:id/registrations/:rid": {"days=2026-11-16&dietary=&overnight=yes", "days=16.11.2026",
		"days=2026-11-16&photo_consent=yes"},
	"POST /organiser/workshops/:id/registrations/:rid/cancel": {""},
	"POST /w/:id/r/:rid/erase":                                {"token=$token&confirm=on"},
	"POST /organiser/sign-in":                                 {"token=wrong&next=%2Forganiser", "token=x&next=/%09/example.com"},
	"POST /organiser/sign-out":                                {""},
	"POST /sign-in": {"email=anna%40example.org&password=Pferd+Batterie+Heftklammer&next=%2Forganiser", "email=&password=",
		"email=%00&password=%FF%FE&next=//evil.example"},
	"POST /sign-out":                 {""},
	"POST /organiser/erasure/export": {"email=anna%40example.org&format=pdf", "email=anna%40example.org&format=json", "email=no+address", "email=%00&format=x"},
	"POST /my-data":                  {"email=anna%40example.org", "email=no+address", "email=", "email=%00"},
	"POST /sign-in/reset":            {"email=anna%40example.org", "email=no+address", "email=", "email=%00"},
	"POST /set-password/:token":      {"password=Pferd+Batterie+Heftklammer&repeat=Pferd+Batterie+Heftklammer", "password=%00&repeat=x"},
	"POST /organiser/workshops": {"title=Ideenwerkstatt&series=IKOE&venue=Kreishaus&days=2026-11-16&days=2026-11-17&capacity=40&key=k2", "capacity=2147483648&days=x",
		"title=I&venue=K&days=2026-11-16&capacity=4&registration_closes=2026-11-10T18%3A00&key=k4", "registration_closes=15.03.2027",
		"title=I&venue=K&days=2026-11-16&capacity=4&network=%00&visibility=members", "title=I&venue=K&days=2026-11-16&capacity=4&visibility=secret",
		"title=I&venue=K&days=2026-11-16&capacity=4&reminder_days=5", "title=I&venue=K&days=2026-11-16&capacity=4&reminder_days=x"},
	"POST /organiser/workshops/:id": {"title=Neu&venue=Rathaus&capacity=30", "capacity=-1",
		"title=Neu&venue=Rathaus&capacity=30&registration_closes=2026-11-16T12%3A00", "title=Neu&venue=Rathaus&capacity=30&registration_closes=",
		"title=Neu&venue=Rathaus&capacity=30&registration_closes=2026-11-30T25%3A00%3A61", "title=Neu&venue=Rathaus&capacity=30&visibility=members",
		"title=Neu&venue=Rathaus&capacity=30&visibility=", "title=Neu&venue=Rathaus&capacity=30&reminder_days=7",
		"title=Neu&venue=Rathaus&capacity=30&reminder_days=x", "title=Neu&venue=Rathaus&capacity=30&reminder_days=-1"},
	"POST /organiser/workshops/:id/messages": {"to=confirmed&to=waitlisted&subject=Raum&text=Saal+B%0D%0Astatt+A&key=k10",
		"to=everyone&subject=%00&text=", "to=confirmed&to=confirmed&subject=a%0Ab&text=x%1B"},
	"POST /organiser/workshops/:id/sessions":                 {"title=Impuls&kind=keynote&day=2026-11-16&starts=10%3A00&ends=10%3A45&room=Plenum&speakers=Prof.+Yilmaz%0ADr.+Meier&key=k3"},
	"POST /organiser/workshops/:id/sessions/:sid":            {"title=Impuls&kind=talk&day=2026-11-17&starts=11%3A00&ends=10%3A00&room=&speakers="},
	"POST /organiser/workshops/:id/sessions/:sid/cancel":     {""},
	"POST /organiser/workshops/:id/registrations/:rid/erase": {"confirm=on"},
	"POST /organiser/workshops/:id/check-in":                 {"registration_id=$rid&day=2026-11-16&q=Bora", "registration_id=$rid&day=2030-01-01&action=undo", "registration_id=$rid&day=2026-11-16&session=$session"},
	"POST /organiser/workshops/:id/registration-questions": {"rows=2&q0.id=sector&q0.label=Sektor&q0.kind=choice&q0.options=Politik%0D%0AVerwaltung&q0.required=yes&q0.position=1&q1.id=m&q1.label=M&q1.kind=yes_no",
		"rows=99999&q0.id=a+b&q0.label=%00&q0.kind=scale&q0.options=x&q0.position=x", "rows=1&q0.id=s&q0.label=S&q0.kind=choice&q0.options=A%0AA&q0.remove=yes"},
	"POST /organiser/workshops/:id/funding":                       {"project=Ankommen&funding_reference=AMIF-2026-0815&funder=AMIF&key=k7", "project=%00&series=1", "series=1&funder=x"},
	"POST /organiser/workshops/:id/funding/logo":                  {"key=k8", "logo=%89PNG"},
	"POST /organiser/workshops/:id/summary":                       {"key=k81&text=%23+Bilanz%0A%0A-+gut", "text=%00", "text=", "text=%1B"},
	"POST /organiser/workshops/:id/materials":                     {"key=k9&title=Folien", "session_id=nope&file=x", "title=%00"},
	"POST /organiser/workshops/:id/materials/:mid":                {"key=k10&title=Neu", "file=%25PDF"},
	"POST /organiser/workshops/:id/materials/:mid/remove":         {"key=k11", ""},
	"POST /organiser/workshops/:id/materials/:mid/personal":       {"key=k12&personal=yes", "personal=no", "personal=%00", ""},
	"POST /organiser/workshops/:id/funding/logo/remove":           {"key=k9", ""},
	"POST /organiser/workshops/:id/registrations":                 {"name=Ada+Berg&email=ada%40example.org&organisation=Verein&days=2026-11-16&consent=yes&key=k9", "name=%00&email=x&days=1999-01-01", "days="},
	"POST /organiser/workshops/:id/check-in/walk-in":              {"name=Emil+Kaya&organisation=Jugendzentrum&district=Harburg&day=2026-11-16&key=k5", "name=&organisation=%00&day=2030-01-01", "name=E&organisation=O&day=16.11.2026&session=$session&q=E"},
	"POST /organiser/workshops/:id/check-in/admit":                {"registration_id=$rid&day=2026-11-16&q=E", "registration_id=%00&day=2030-01-01", "registration_id=$rid&day=16.11.2026&session=$session"},
	"POST /organiser/workshops/:id/cafes/:sid/rounds":             {"rounds=3", "rounds=x"},
	"POST /organiser/workshops/:id/cafes/:sid/tables":             {"topic=Wohnen&host_guest=Jonas+Weber&capacity=10", "topic=Verkehr&host=$rid&capacity=4&description=d"},
	"POST /organiser/workshops/:id/cafes/:sid/tables/:tid":        {"topic=Wohnen+neu&host=&host_guest=Jonas&capacity=12"},
	"POST /organiser/workshops/:id/cafes/:sid/tables/:tid/remove": {""},
	"POST /organiser/workshops/:id/cafes/:sid/preferences":        {"action=open", "action=close"},
	"POST /organiser/workshops/:id/cafes/:sid/plan":               {"present_only=on", ""},
	"POST /organiser/workshops/:id/cafes/:sid/plan/moves":         {"registration_id=$rid&round=1&table_id=$table", "round=x"},
	"POST /organiser/workshops/:id/cafes/:sid/plan/publish":       {""},
	"POST /organiser/workshops/:id/cafes/:sid/notes/:tid/:round":  {"key_points=Mieten+steigen%0ABus&examples=Winsen&open_questions=Wer+zahlt%3F"},
	"POST /w/:id/r/:rid/cafes/:sid":                               {"token=$token&rank1=$table", "token=$token&rank1=$table&rank2=$table"},
	"POST /organiser/workshops/:id/feedback/state":                {"action=open", "action=close"},
	"POST /organiser/workshops/:id/feedback/topics":               {"text=Mehr+Pausen"},
	"POST /organiser/workshops/:id/feedback/questionnaires/:qid":  {"q0_no=1&q0_kind=scale&q0_text_de=Wie+war+es%3F", "q0_no=x&q0_kind=single_choice&q0_options=a"},
	"POST /w/:id/feedback":                                        {"link=http%3A%2F%2Fexample.org%2Fw%2F$id%2Fr%2F$rid%3Ftoken%3D$token&q=workshop", "link=nonsense"},
	"POST /w/:id/r/:rid/feedback": {"token=$token&questionnaire=workshop&a.overall=5&a.content=4&a.most_useful=Der+Austausch",
		"token=$token&questionnaire=session-$session&a.overall=x"},
	"POST /w/:id/r/:rid/forget":                              {"token=$token"},
	"POST /lead/sign-in":                                     {"token=lead.x", "token=$lead"},
	"POST /lead/sign-out":                                    {""},
	"POST /organiser/series/:series/leads":                   {"label=Projektleitung+AMIF"},
	"POST /organiser/series/:series/leads/:grant/revoke":     {""},
	"POST /organiser/erasure/preview":                        {"email=$email", "email=x"},
	"POST /organiser/erasure":                                {"email=$email&confirm=on"},
	"POST /organiser/retention/preview":                      {"date=2038-06-01", "date=1.+Juni"},
	"POST /organiser/retention":                              {""},
	"POST /organiser/series/:series/retention":               {"months=24&evidence_hold_until=2031-12-31", "months=zwei&evidence_hold_until=morgen", "months=0"},
	"POST /organiser/workshops/:id/topics":                   {"title=Wohnkosten&description=d&source=closing_discussion", "title=T&source=session%3A$session"},
	"POST /organiser/workshops/:id/topics/voting":            {"action=open", "action=close"},
	"POST /organiser/workshops/:id/topics/limit":             {"limit=2", "limit=99999999999999999999"},
	"POST /organiser/workshops/:id/topics/:tid/merge":        {"into=$topic2"},
	"POST /organiser/workshops/:id/topics/:tid/status":       {"status=addressed", "status=planned"},
	"POST /organiser/workshops/:id/action-items":             {"what=Protokoll&who=$rid&due_by=2026-12-01", "what=Saal&organisation=Landkreis&due_by=2026-13-45"},
	"POST /organiser/workshops/:id/action-items/:aid/done":   {"back=backlog"},
	"POST /organiser/workshops/:id/action-items/:aid/reopen": {""},
	"POST /organiser/workshops/:id/backlog/:tid":             {"title=Wohnen&kind=talk&day=2026-11-17&starts=10%3A00&ends=11%3A00&room=Saal"},
	"POST /w/:id/r/:rid/topics":                              {"token=$token&title=Radwege&description=mehr"},
	"POST /w/:id/r/:rid/votes":                               {"token=$token&topic=$topic&topic=$topic2"},
	"POST /w/:id/r/:rid/action-items/:aid/done":              {"token=$token"},
	"POST /w/:id/r/:rid/action-items/:aid/reopen":            {"token=$token"},

	// Networks, their members and API tokens (issue 12).
	"POST /networks/:id/announcements": {"title=Treffen&body=%2A%2ABald%2A%2A+%3Cscript%3E&visibility=members&key=k60",
		"title=&body=", "title=%00&body=%5Bx%5D%28javascript%3Aalert%281%29%29&visibility=all&workshop=%07"},
	"POST /networks/:id/announcements/:aid":                    {"title=Neu&body=Text&visibility=public&key=k61", "title=", "body=%00"},
	"POST /networks/:id/announcements/:aid/withdraw":           {"", "key=k62"},
	"POST /networks/:id/announcements/:aid/comments":           {"text=Ich+komme&key=k63", "text=", "text=%00"},
	"POST /networks/:id/announcements/:aid/comments/:cid/hide": {"", "key=k64"},
	"POST /networks/:id/digest":                                {"subscribe=1", "subscribe=0", "subscribe=%00"},
	"POST /unsubscribe/:token":                                 {"List-Unsubscribe=One-Click", "", "List-Unsubscribe=%00"},
	"POST /networks/:id/groups":                                {"name=AG+Sprache&description=Kurse&series=AG+Sprache&key=k65", "name=", "series=%00"},
	"POST /networks/:id/groups/:gid":                           {"name=AG+Wohnen&key=k66", "name=%07", ""},
	"POST /networks/:id/groups/:gid/close":                     {"", "key=k67"},
	"POST /networks/:id/groups/:gid/members":                   {"member=nobody", "member=..%2F", ""},
	"POST /networks/:id/groups/:gid/members/:mid/remove":       {"", "key=k68"},
	"POST /organiser/networks":                                 {"name=Forum+Integration&key=k20", "name=%00", "name="},
	"POST /organiser/networks/:id":                             {"name=Forum+Integration+Nord&key=k24", "name=", "name=%00%0A"},
	"POST /organiser/networks/:id/members": {"name=Anna+Schmidt&email=anna%40example.org&organisation=Stadt+Kassel&role=admin&role=organiser&series_organiser=A%2C+B&key=k21",
		"name=B&email=b%40example.org&role=lead&series_lead=", "role=x&role=x&email=x&series_organiser=%00"},
	"POST /organiser/networks/:id/members/:mid/roles":                  {"role=member&key=k22", "role=organiser&series_organiser=%2C%2C", "role="},
	"POST /organiser/networks/:id/members/:mid/remove":                 {""},
	"POST /organiser/networks/:id/members/:mid/invitation":             {""},
	"POST /organiser/networks/:id/members/:mid/sessions/end":           {""},
	"POST /organiser/networks/:id/members/:mid/api-tokens":             {"label=Skript+Anmeldeliste&key=k23", "label=", "label=%00"},
	"POST /organiser/networks/:id/members/:mid/api-tokens/:tid/revoke": {""},
	"POST /organiser/networks/:id/retention":                           {"months=24&key=k902", "months=zwei", "months=0", "months=121&key=k903"},
	"POST /organiser/networks/:id/privacy": {"controller.name=Landkreis+Beispiel&controller.address=Markt+1%0D%0A12345+Beispielstadt&controller.email=bildung%40example.org&authority.name=LfD&key=k900",
		"controller.name=%00&controller.email=kein-at&controller.url=javascript%3Aalert(1)&rights=%3Cscript%3E", ""},
	"POST /organiser/privacy": {"controller.name=Betrieb&controller.address=Hauptstra%C3%9Fe+2&controller.email=betrieb%40example.org&authority.name=LfD&key=k901",
		"authority.url=https%3A%2F%2Fu%3Ap%40x.example&purposes=%FF", ""},
	"POST /organiser/networks/:id/mail-templates/:kind/:lang": {"subject=Willkommen+%7B%7B.Workshop%7D%7D&text=Hallo+%7B%7B.Name%7D%7D%0D%0Abis+bald&key=k25",
		"subject=%7B%7B.Secret%7D%7D&text=%7B%7Bprintf+1%7D%7D", "subject=%00&text=", "subject=a%0Ab"},
	"POST /organiser/networks/:id/mail-templates/:kind/:lang/preview": {"subject=Hallo&text=%3Cb%3E%7B%7B.Venue%7D%7D%3C%2Fb%3E",
		"subject=%7B%7Bif+.Position%7D%7D&text=x", ""},
	"POST /organiser/networks/:id/mail-templates/:kind/:lang/reset": {""},
	"POST /organiser/networks/:id/webhooks": {"url=https%3A%2F%2Fcrm.example.org%2Fhooks&events=registration.confirmed&events=checkin.recorded&key=k25",
		"url=javascript%3Aalert(1)&events=nope&personal_data=yes", "url=%00&events=", "url=https%3A%2F%2Fu%3Ap%40x.example&events=checkin.recorded&events=checkin.recorded"},
	"POST /organiser/networks/:id/webhooks/:wid/remove": {""},

	// Host links of café tables (issue 14).
	"POST /organiser/workshops/:id/cafes/:sid/tables/:tid/host-link":        {""},
	"POST /organiser/workshops/:id/cafes/:sid/tables/:tid/host-link/revoke": {""},
	"POST /w/:id/cafes/:sid/tables/:tid/host/:round":                        {"token=host.made-up&key_points=Mieten+steigen", "token=&key_points=%00&examples=x"},
	"POST /w/:id/cafes/:sid/tables/:tid/host/materials":                     {"token=host.made-up&title=Flipchart", "token=&file=%25PDF&title=%00"},
}

// pageFixture is what FuzzPageForms sends forms to: a filled workshop, an organiser's and a
// lead's session, and a CSRF token.
type pageFixture struct {
	w       handlerstest.Workshop
	grant   string
	cookies []*http.Cookie
	csrf    string
	values  map[string]string
	// network has one member, its admin, whose pages the network forms go to.
	network, member string
	credentials     bool
}

// fixtureNetwork creates a network named name with an admin through the API and returns their ids.
func fixtureNetwork(t testing.TB, e http.Handler, name string) (network, member string) {
	t.Helper()
	call := func(path, body string) string {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+organiserToken)
		res := httptest.NewRecorder()
		e.ServeHTTP(res, req)
		var out struct{ ID string }
		if err := jsonInto(res.Body.Bytes(), &out); err != nil || res.Code != http.StatusCreated {
			t.Fatalf("POST %s: %d %s", path, res.Code, res.Body)
		}
		return out.ID
	}
	network = call("/api/v1/networks", `{"name":"`+name+`"}`)
	member = call("/api/v1/networks/"+network+"/members", `{"name":"Anna Admin","email":"anna.`+strings.ToLower(name)+`@example.org","roles":[{"role":"admin"}]}`)
	return network, member
}

// serveForm posts form to path on e with cookies and the CSRF token, as a browser would.
func serveForm(e http.Handler, method, path, form string, csrf string, cookies []*http.Cookie, n int64) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(form))
	req.RemoteAddr = fmt.Sprintf("203.0.%d.%d:4711", n/256%256, n%256) // one address per request: no rate limit trips
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	res := httptest.NewRecorder()
	e.ServeHTTP(res, req)
	return res
}

func newPageFixture(t testing.TB, e http.Handler, n int, credentials bool) pageFixture {
	t.Helper()
	series := fmt.Sprintf("Fuzz-%d", n)
	x := pageFixture{w: handlerstest.FillWorkshop(t, e, organiserToken, series, "Fuzz")}
	res := serveForm(e, http.MethodGet, "/organiser/sign-in", "", "", nil, 0)
	for _, c := range res.Result().Cookies() {
		if c.Name == "csrf" {
			x.csrf = c.Value
			x.cookies = append(x.cookies, c)
		}
	}
	res = serveForm(e, http.MethodPost, "/organiser/sign-in", "token="+organiserToken, x.csrf, x.cookies, 0)
	x.keep(res, "werkstatt_session")
	var g struct{ ID, Token string }
	lead := serveForm(e, http.MethodPost, "/organiser/series/"+series+"/leads", "label=Projektleitung", x.csrf, x.cookies, 0)
	_ = lead // the page shows the token once; the API hands it out too
	apiReq := httptest.NewRequest(http.MethodPost, "/api/v1/series/"+series+"/lead-tokens", strings.NewReader(`{"label":"Leitung"}`))
	apiReq.Header.Set("Content-Type", "application/json")
	apiReq.Header.Set("Authorization", "Bearer "+organiserToken)
	apiRes := httptest.NewRecorder()
	e.ServeHTTP(apiRes, apiReq)
	if err := jsonInto(apiRes.Body.Bytes(), &g); err != nil || apiRes.Code != http.StatusCreated {
		t.Fatalf("grant a lead: %d %s", apiRes.Code, apiRes.Body)
	}
	x.grant = g.ID
	res = serveForm(e, http.MethodPost, "/lead/sign-in", "token="+g.Token, x.csrf, x.cookies, 0)
	x.keep(res, "werkstatt_lead")
	if len(x.cookies) != 3 {
		t.Fatalf("sign in as organiser and lead: got cookies %v, want csrf, session and lead", x.cookies)
	}
	x.network, x.member = fixtureNetwork(t, e, series)
	x.credentials = credentials
	p := x.w.People[1]
	x.values = map[string]string{"$id": x.w.ID, "$rid": p.ID, "$token": url.QueryEscape(p.Token), "$session": x.w.SessionID,
		"$cafe": x.w.CafeID, "$table": x.w.TableID, "$topic2": x.w.TopicIDs[1], "$topic": x.w.TopicIDs[0],
		"$email": url.QueryEscape(p.Email), "$lead": url.QueryEscape(g.Token)}
	return x
}

// keep adds the cookie name that res sets.
func (x *pageFixture) keep(res *httptest.ResponseRecorder, name string) {
	for _, c := range res.Result().Cookies() {
		if c.Name == name {
			x.cookies = append(x.cookies, c)
		}
	}
}

func (x pageFixture) path(route string) string {
	// Without credentials wired (app.Config.Credentials) invitations and tokens answer 503, as an
	// outage would: their forms then go to an unknown network instead.
	needsCredentials := strings.HasSuffix(route, "/invitation") || strings.Contains(route, "/api-tokens")
	if rest, ok := strings.CutPrefix(route, "/organiser/networks/:id"); ok && (x.credentials || !needsCredentials) {
		return "/organiser/networks/" + x.network + strings.NewReplacer(":mid", x.member, ":tid", "t1", ":kind", "received", ":lang", "de").Replace(rest)
	}
	return x.w.Path(route, x.grant)
}

func (x pageFixture) fill(form string) string {
	for k, v := range x.values {
		form = strings.ReplaceAll(form, k, v)
	}
	return form
}

// pageFormRoutes returns the page routes that take a form, in a stable order.
func pageFormRoutes(e *echo.Echo) []string {
	var out []string
	for _, r := range e.Routes() {
		if r.Method == http.MethodPost && !strings.HasPrefix(r.Path, "/api/") {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// fuzzing reports whether the test binary runs a fuzz target (-test.fuzz), not only its seeds.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// FuzzPageForms posts any form to every page route that takes one, signed in as organiser and
// as lead or with no session, through the whole server on an embedded NATS server: the form is
// parsed, turned into a command and decided. Whatever the form, the answer is a page, a
// redirect or a 4xx page, never a panic or a 5xx. Every few hundred inputs the forms go to a
// fresh workshop.
func FuzzPageForms(f *testing.F) {
	cfg, _, js := handlerstest.WireJetStream(f, organiserToken)
	cfg.Now = func() time.Time { return now }
	e := server(f, cfg, js)
	routes := pageFormRoutes(e)
	for i, r := range routes {
		seeds, ok := formSeeds[r]
		if !ok {
			f.Fatalf("page route %s takes a form but has no seeds in formSeeds", r)
		}
		for j, s := range seeds {
			// The engine runs every seed before it fuzzes: then one sender per seed is
			// enough; go test runs both.
			if !fuzzing() || (i+j)%2 == 0 {
				f.Add(uint8(i), true, []byte(s))
			}
			if !fuzzing() || (i+j)%2 == 1 {
				f.Add(uint8(i), false, []byte(s))
			}
		}
	}
	var (
		execs   atomic.Int64
		fixture atomic.Pointer[pageFixture]
	)
	x := newPageFixture(f, e, 0, cfg.Credentials != nil)
	fixture.Store(&x)
	f.Fuzz(func(t *testing.T, route uint8, signedIn bool, form []byte) {
		n := execs.Add(1)
		if n%500 == 0 {
			x := newPageFixture(t, e, int(n), cfg.Credentials != nil)
			fixture.Store(&x)
		}
		x := fixture.Load()
		_, path, _ := strings.Cut(routes[int(route)%len(routes)], " ")
		cookies := x.cookies[:1] // the CSRF cookie
		if signedIn {
			cookies = x.cookies
		}
		res := serveForm(e, http.MethodPost, x.path(path), x.fill(string(form)), x.csrf, cookies, n)
		if res.Code >= 500 || res.Code < 200 {
			t.Fatalf("POST %s with form %q: got %d %s, want a page, a redirect or a 4xx page", path, form, res.Code, res.Body)
		}
	})
}

func jsonInto(b []byte, v any) error { return json.Unmarshal(b, v) }
