package handlers_test

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/werkstatt/werkstatt/handlers"
)

// TestPersonalCalendarTokenLockOut: wrong tokens in a personal calendar's address count as
// failed authentications and lock the address out like wrong Bearer tokens, also for the right
// token in the address.
func TestPersonalCalendarTokenLockOut(t *testing.T) {
	s, _ := startLimitedService(t, 0, "")
	w := s.schedule(5)
	r := s.register(w, person("Clara", "Verein C"))
	path := "/api/v1/workshops/" + w.ID + "/registrations/" + r.ID + "/calendar.ics?token="
	s.must(request{method: "GET", path: path + url.QueryEscape(r.Token)}, 200, nil)
	for i := range handlers.MaxFailedAuthentications {
		problemOf(t, s.do(request{method: "GET", path: path + "guess-" + strconv.Itoa(i)}), 401)
	}
	mustTooMany(t, s.do(request{method: "GET", path: path + "guess-10"}), "the 11th wrong token in the address", 600)
	mustTooMany(t, s.do(request{method: "GET", path: path + url.QueryEscape(r.Token)}), "the right token after 10 wrong ones", 600)
}
