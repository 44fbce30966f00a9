package web_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var downloadLink = regexp.MustCompile(`<a class="calendar-download" href="([^"]+)" download>`)

// TestCalendarLinks follows the "In den Kalender" / "Add to calendar" links of the workshop
// page, the personal page and the start page, in both languages: each offers the .ics file,
// a webcal:// subscription and the address to paste, and the file is a calendar.
func TestCalendarLinks(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 10)
	p := s.registerWithToken(id, "Ada Lovelace", "Verein A")
	host := strings.TrimPrefix(s.url, "http://")
	b := s.browser()
	agenda := "/api/v1/workshops/" + id + "/agenda.ics"
	personal := "/api/v1/workshops/" + id + "/registrations/" + p.id + "/calendar.ics"
	for _, tc := range []struct {
		page, heading, path, query string
	}{
		{"/w/" + id, "In den Kalender", agenda, "lang=de"},
		{"/w/" + id + "?lang=en", "Add to calendar", agenda, "lang=en"},
		{"/", "Alle Workshops im Kalender", "/api/v1/workshops.ics", "lang=de"},
		{"/?lang=en", "All workshops in your calendar", "/api/v1/workshops.ics", "lang=en"},
		{"/w/" + id + "/r/" + p.id + "?token=" + url.QueryEscape(p.token), "Mein Kalender", personal,
			"lang=de&amp;token=" + url.QueryEscape(p.token)},
	} {
		b := s.browser() // a fresh one: ?lang= is remembered
		pg := b.get(tc.page)
		pg.mustContain(t, tc.page, ">"+tc.heading+"</h2>", `href="`+tc.path+"?"+tc.query+`" download>`,
			`href="webcal://`+host+tc.path+"?"+tc.query+`"`, `value="`+s.url+tc.path+"?"+tc.query+`"`)
		m := downloadLink.FindStringSubmatch(pg.body)
		if m == nil {
			continue
		}
		file := b.get(html.UnescapeString(m[1]))
		if file.status != 200 || file.header.Get("Content-Type") != "text/calendar; charset=utf-8" || !strings.HasPrefix(file.body, "BEGIN:VCALENDAR\r\n") {
			t.Errorf("%s: the download link answers %d %s:\n%s", tc.page, file.status, file.header.Get("Content-Type"), file.body)
		}
	}
	b.get("/w/"+id+"/r/"+p.id+"?token="+url.QueryEscape(p.token)).mustContain(t, "personal page",
		"Die Adresse enthält Ihren persönlichen Schlüssel")
}
