package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// phone is the narrowest screen the pages promise to work on.
const phoneWidth, phoneHeight = 360, 740

// signInInBrowser signs the browser in as the organiser.
func signInInBrowser(t *testing.T, ctx context.Context, s *service) {
	t.Helper()
	step(t, ctx, "sign in as organiser", chromedp.Navigate(s.url+"/organiser/sign-in?lang=de"),
		chromedp.WaitVisible(chromedp.CSS("#f-token")),
		chromedp.SendKeys(chromedp.CSS("#f-token"), organiserToken),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/organiser/workshops/new"]`)))
}

// unlabelledFields lists the fields of the page that have no accessible name from a label
// (label[for] or a wrapping label, with text), aria-label or aria-labelledby, and the ids the
// page uses twice (which break label[for]).
const unlabelledFields = `(() => {
  const bad = [...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter(el =>
    ![...(el.labels || [])].some(l => l.textContent.trim() !== '') &&
    !(el.getAttribute('aria-label') || '').trim() && !el.getAttribute('aria-labelledby')
  ).map(el => el.outerHTML);
  const seen = new Set();
  for (const el of document.querySelectorAll('[id]')) {
    if (seen.has(el.id)) bad.push('id used twice: ' + el.id);
    seen.add(el.id);
  }
  return bad;
})()`

// focusStyle describes how the focused element shows its focus ("" when it does not).
const focusStyle = `(() => {
  const el = document.activeElement, st = getComputedStyle(el);
  const outline = st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2;
  return (el.id || el.tagName) + ' ' + (outline || st.boxShadow !== 'none' ? st.outlineStyle + ' ' + st.outlineWidth + ' ' + st.boxShadow : '');
})()`

// checkPhonePage asserts that the open page fits a phone's width without sideways scrolling
// and that every field on it is labelled.
func checkPhonePage(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatalf("%s: measure the width: %v", name, err)
	}
	if width > phoneWidth {
		wide, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('body *')].filter(el =>
			el.getBoundingClientRect().right > `+strconv.Itoa(phoneWidth+1)+` && !el.closest('.sr-only, .scroll')
		).slice(-5).map(el => el.outerHTML.slice(0, 160))`))
		t.Errorf("%s on a %d-px screen: got a page %d px wide, want no sideways scrolling; too wide:\n%s",
			name, phoneWidth, width, strings.Join(wide, "\n"))
	}
	bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](unlabelledFields))
	if err != nil {
		t.Fatalf("%s: look for unlabelled fields: %v", name, err)
	}
	for _, b := range bad {
		t.Errorf("%s: got a field without a label (or a repeated id), want every field labelled: %s", name, b)
	}
}

// pagesOnAPhone opens every page on a 360-px phone and checks its width and its labels. The
// workshop has the long words and names that German offices produce.
func pagesOnAPhone(t *testing.T, ctx context.Context, s *service) {
	id, _ := s.workshop("Klimaanpassungsmaßnahmenumsetzungsplanung im ländlichen Raum", 20)
	s.api(http.MethodPost, "/api/v1/workshops/"+id+"/sessions", organiserToken, map[string]any{
		"title": "Starkregenrisikomanagementkonzeptfortschreibung", "kind": "discussion", "day": "2026-11-17",
		"starts": "13:00", "ends": "14:30", "room": "Großer Sitzungssaal im Erdgeschoss",
		"speakers": []string{"Prof. Dr.-Ing. Maximiliane Mustermann-Oberhausen", "Dr. Jana Roth"}}, nil)
	s.register(id, "Maximiliane Mustermann-Oberhausen", "Landesamt für Umwelt, Naturschutz und Geologie Mecklenburg-Vorpommern")
	signInInBrowser(t, ctx, s)
	w := "/organiser/workshops/" + id
	pages := []struct{ name, path, ready string }{
		{"the start page", "/", "main h1"},
		{"the workshop page", "/w/" + id, ".agenda"},
		{"the registration form", "/w/" + id + "/register", "#f-name"},
		{"the privacy notice", "/privacy", "main h1"},
		{"the privacy notice's form", "/organiser/privacy", "#f-controller\\.name"},
		{"the dashboard", "/organiser", "main table"},
		{"the new workshop form", "/organiser/workshops/new", "#f-title"},
		{"the workshop editor", w, "#h-agenda"},
		{"the registrations", w + "/registrations", "main table"},
		{"the check-in screen", w + "/check-in", "#q"},
		{"the attendance", w + "/attendance", "main table"},
		{"the registration questions", w + "/registration-questions", "#registration-questions"},
		{"the funding details", w + "/funding", "#h-funding"},
		{"an unknown page", "/gibt-es-nicht", "main h1"},
	}
	pages = append(pages, cafePhonePages(t, s, id)...)
	pages = append(pages, followUpPhonePages(t, s)...)
	pages = append(pages, feedbackPhonePages(t, s)...)
	pages = append(pages, leadPhonePages(t, ctx, s)...)
	pages = append(pages, erasurePhonePages(t, ctx, s)...)
	step(t, ctx, "hold a phone", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile))
	for _, p := range pages {
		sep := "?"
		if strings.Contains(p.path, "?") {
			sep = "&"
		}
		step(t, ctx, "open "+p.name+" on a phone", chromedp.Navigate(s.url+p.path+sep+"lang=de"),
			chromedp.WaitVisible(chromedp.CSS(p.ready)))
		checkPhonePage(t, ctx, p.name)
	}
}

// registerWithTheKeyboard fills in and sends the registration form with keys alone and checks
// on the way that each focused element shows its focus.
func registerWithTheKeyboard(t *testing.T, ctx context.Context, s *service, id string) {
	step(t, ctx, "open the registration form on a phone",
		chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile),
		chromedp.Navigate(s.url+"/w/"+id+"/register?lang=de"),
		chromedp.WaitVisible(chromedp.CSS("#f-name")), chromedp.Focus(chromedp.CSS("#f-name")))
	// What a person types and where the focus must be afterwards; "" only presses Tab.
	keys := []struct{ typed, focused string }{
		{"Jana Roth", "f-name"}, {kb.Tab + "jana.roth@example.org", "f-email"},
		{kb.Tab + "Landkreis Kassel", "f-organisation"}, {kb.Tab, "f-district"},
		{kb.Tab, "INPUT"}, {kb.Tab, "INPUT"}, // the two days, ticked already
		{kb.Tab + "vegan", "f-dietary"}, {kb.Tab, "INPUT"}, {kb.Tab, "INPUT"}, // overnight, photo consent
		{kb.Tab, "privacy-link"}, // the privacy notice's excerpt, before the consent
		{kb.Tab + " ", "f-consent"}, {kb.Tab, "A"}, {kb.Tab, "BUTTON"},
	}
	for _, k := range keys {
		step(t, ctx, "type "+strings.ReplaceAll(k.typed, kb.Tab, "Tab "), chromedp.KeyEvent(k.typed))
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](focusStyle))
		if err != nil {
			t.Fatalf("read the focus: %v", err)
		}
		who, style, _ := strings.Cut(got, " ")
		if who != k.focused {
			t.Fatalf("after typing %q: got the focus on %s, want it on %s", k.typed, who, k.focused)
		}
		if strings.TrimSpace(style) == "" {
			t.Errorf("the focused %s: got no outline or box-shadow, want a visible focus", who)
		}
	}
	ticked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('f-consent').checked`))
	if err != nil || !ticked {
		t.Fatalf("the consent after Space: got ticked %v (%v), want ticked", ticked, err)
	}
	step(t, ctx, "press Enter on the button", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("#status")))
	wantText(t, ctx, "the confirmation after the keyboard registration", "main", "Vielen Dank!", "Jana Roth", "Landkreis Kassel")
	checkPhonePage(t, ctx, "the confirmation page")
}
