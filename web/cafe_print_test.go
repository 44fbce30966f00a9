package web_test

import (
	"net/http"
	"testing"
)

// Before the first plan there are no routes to print: the organiser gets a page that says so
// (409), not a server error. The authorisation matrix found the 500.
func TestRoutesBeforeThePlan(t *testing.T) {
	s := startService(t)
	id, _ := s.workshop("Fachtag Klima", 20)
	sid := s.themeCafe(id, "Themencafé")
	b := s.signIn(t)
	for _, lang := range []string{"de", "en"} {
		p := b.get("/organiser/workshops/" + id + "/cafes/" + sid + "/routes.pdf?lang=" + lang)
		p.wantStatus(t, "routes before the plan ("+lang+")", http.StatusConflict)
		p.mustContain(t, "routes before the plan ("+lang+")", map[string]string{"de": "Rotationsplan", "en": "rotation plan"}[lang])
	}
}
