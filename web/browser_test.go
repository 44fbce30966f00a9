package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const chromium = "/usr/bin/chromium"

// startBrowser starts headless Chromium with a fresh profile. Without Chromium the test is
// skipped, except under CI=true.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: install Debian's chromium to run the browser tests", chromium)
		}
		t.Skipf("%s is missing: install Debian's chromium to run the browser tests", chromium)
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true)}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	if err := chromedp.Do(browser); err != nil { // starts the browser; its context must have no timeout
		t.Fatalf("start %s: %v", chromium, err)
	}
	ctx, cancel := context.WithTimeout(browser, 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// step runs actions in the browser; a failure names what the person was doing. A step that
// waits for something that never comes fails after 15 s, not at the end of the whole test.
func step(t *testing.T, ctx context.Context, doing string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	stepCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(stepCtx, actions...); err != nil {
		dumpCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		html, _ := chromedp.Run(dumpCtx, chromedp.OuterHTML(chromedp.CSS("body")))
		t.Fatalf("%s: %v\nthe page:\n%s", doing, err, html)
	}
}

// textOf returns the visible text of the first element matching sel.
func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return strings.Join(strings.Fields(s), " ")
}

func wantText(t *testing.T, ctx context.Context, doing, sel string, want ...string) {
	t.Helper()
	got := textOf(t, ctx, sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Fatalf("%s: got %q in %s, want it to hold %q", doing, got, sel, w)
		}
	}
}

// screenshot saves a PNG of the page into $WERKSTATT_SCREENSHOTS, when that is set.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("WERKSTATT_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100 means PNG; less would be JPEG
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatalf("write screenshot: %v", err)
	}
}

// TestInTheBrowser walks what people do in Chromium: a participant registers (after a wrong
// email), opens the personal link and cancels; an organiser signs in, creates a two-day
// workshop with a session and checks a participant in at the door; someone registers with the
// keyboard alone; every page fits a 360-px phone and labels its fields. One service and one
// browser serve all of it, to keep the test fast.
func TestInTheBrowser(t *testing.T) {
	s := startService(t)
	ctx := startBrowser(t)
	id, _ := s.workshop("Kommunale Wärmeplanung", 20)

	t.Run("a participant registers and cancels", func(t *testing.T) { participantRegisters(t, ctx, s, id) })
	t.Run("an organiser plans a workshop and checks people in", func(t *testing.T) { organiserCreatesAWorkshop(t, ctx, s) })
	t.Run("registering with the keyboard alone", func(t *testing.T) { registerWithTheKeyboard(t, ctx, s, id) })
	t.Run("a theme café from tables to routes", func(t *testing.T) { themeCafeInTheBrowser(t, ctx, s) })
	t.Run("a table's host writes notes by the host link", func(t *testing.T) { hostNotesInTheBrowser(t, ctx, s) })
	t.Run("follow-up topics from the vote to the next workshop", func(t *testing.T) { followUpsInTheBrowser(t, ctx, s) })
	t.Run("feedback from the form to a follow-up topic", func(t *testing.T) { feedbackInTheBrowser(t, ctx, s) })
	t.Run("registration questions and a fully booked day", func(t *testing.T) { registrationWithQuestionsAndFullDays(t, ctx, s) })
	t.Run("every page on a 360-px phone", func(t *testing.T) { pagesOnAPhone(t, ctx, s) })
}

func participantRegisters(t *testing.T, ctx context.Context, s *service, id string) {
	step(t, ctx, "open the registration form on a phone", chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(s.url+"/w/"+id+"/register?lang=de"), // headless Chromium asks for English
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Anna Berg"),
		chromedp.SendKeys(chromedp.CSS("#f-email"), "anna.berg-at-example.org"),
		chromedp.SendKeys(chromedp.CSS("#f-organisation"), "Stadt Kassel"),
		chromedp.SendKeys(chromedp.CSS("#f-dietary"), "vegetarisch"),
		chromedp.Click(chromedp.CSS("#f-consent")),
		chromedp.Click(chromedp.CSS("form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#e-email")))
	wantText(t, ctx, "submit a wrong email", "#e-email", "Bitte eine E-Mail-Adresse wie name@example.org angeben.")
	kept, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-name")))
	if err != nil {
		t.Fatalf("read the kept name: %v", err)
	}
	if kept != "Anna Berg" {
		t.Fatalf("the form after a field error: got name %q, want %q", kept, "Anna Berg")
	}
	screenshot(t, ctx, "registration.png")

	step(t, ctx, "correct the email and register",
		chromedp.Clear(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), "anna.berg@example.org"),
		chromedp.Click(chromedp.CSS("form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#status")))
	wantText(t, ctx, "the confirmation page", "main", "Vielen Dank!", "Anna Berg", "Stadt Kassel")
	wantText(t, ctx, "the confirmation page", "#status", "bestätigt")
	link, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#link")))
	if err != nil {
		t.Fatalf("read the personal link: %v", err)
	}
	if !strings.Contains(link, "token=") {
		t.Fatalf("the personal link: got %q, want it to carry the token", link)
	}

	step(t, ctx, "open the personal link and cancel", chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS("#status")),
		chromedp.Click(chromedp.CSS("#cancel-registration")),
		chromedp.WaitVisible(chromedp.CSS("#cancel-registration-yes")),
		chromedp.Click(chromedp.CSS("#cancel-registration-yes")),
		chromedp.WaitVisible(chromedp.CSS(".status-cancelled")))
	wantText(t, ctx, "after cancelling", "main", "Ihre Anmeldung ist storniert.")
	wantText(t, ctx, "after cancelling", "#status", "storniert")
}

func organiserCreatesAWorkshop(t *testing.T, ctx context.Context, s *service) {
	step(t, ctx, "sit at a laptop", chromedp.EmulateViewport(1024, 768))
	signInInBrowser(t, ctx, s)
	wantText(t, ctx, "the dashboard", "h1", "Übersicht")

	step(t, ctx, "create a workshop with two days",
		chromedp.Click(chromedp.CSS(`a[href="/organiser/workshops/new"]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-title")),
		chromedp.SendKeys(chromedp.CSS("#f-title"), "Klimaanpassung vor Ort"),
		chromedp.SendKeys(chromedp.CSS("#f-venue"), "Kulturbahnhof Kassel"),
		chromedp.SendKeys(chromedp.CSS("#f-capacity"), "30"),
		chromedp.SetValue(chromedp.CSS("#day1"), "2026-11-16"),
		chromedp.SetValue(chromedp.CSS("#day2"), "2026-11-17"),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#h-agenda")))
	wantText(t, ctx, "the new workshop", "main", "Klimaanpassung vor Ort", "Mo., 16.11.2026", "Di., 17.11.2026", "Gespeichert.")

	step(t, ctx, "add a session",
		chromedp.SendKeys(chromedp.CSS(`form[aria-labelledby="h-plan"] #f-title`), "Hitzeschutz in Schulen"),
		chromedp.SetValue(chromedp.CSS("#f-kind"), "talk"),
		chromedp.SetValue(chromedp.CSS("#f-day"), "2026-11-16"),
		chromedp.SetValue(chromedp.CSS("#f-starts"), "09:30"),
		chromedp.SetValue(chromedp.CSS("#f-ends"), "10:15"),
		chromedp.SendKeys(chromedp.CSS("#f-room"), "Saal 2"),
		chromedp.SendKeys(chromedp.CSS("#f-speakers"), "Dr. Jana Roth"),
		chromedp.Click(chromedp.CSS(`form[aria-labelledby="h-plan"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".editor .session")))
	wantText(t, ctx, "the agenda", ".editor", "09:30–10:15 Hitzeschutz in Schulen", "Vortrag", "Saal 2", "Dr. Jana Roth")

	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`.tabs a[href$="/check-in"]`), "href"))
	if err != nil {
		t.Fatalf("find the check-in screen: %v", err)
	}
	href := attr.Value
	id := strings.TrimSuffix(strings.TrimPrefix(href, "/organiser/workshops/"), "/check-in")
	s.register(id, "Ben Okafor", "Landkreis Fulda")
	s.register(id, "Clara Wendt", "Stadt Kassel")
	checkInAtTheDoor(t, ctx, s.url+href)
}

func checkInAtTheDoor(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	step(t, ctx, "open the check-in screen on a tablet", chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS("#q")))
	wantText(t, ctx, "the check-in screen", "#counts", "0 von 2 anwesend")

	step(t, ctx, "type a few letters of an organisation",
		chromedp.SendKeys(chromedp.CSS("#q"), "fuld"),
		chromedp.WaitReady(chromedp.CSS(`.person input[name=q][value="fuld"]`)),
		chromedp.WaitNotPresent(`//li[contains(., "Clara Wendt")]`),
		chromedp.WaitNotPresent(chromedp.CSS(".htmx-request, .htmx-settling, .htmx-swapping")))
	wantText(t, ctx, "the search", ".people", "Ben Okafor", "Landkreis Fulda")

	step(t, ctx, "tap to check in", chromedp.Click(chromedp.CSS(".person button.checkin")),
		chromedp.WaitVisible(chromedp.CSS("#done .notice")))
	wantText(t, ctx, "after the check-in", "#done", "Ben Okafor ist eingecheckt.")
	wantText(t, ctx, "after the check-in", "#counts", "1 von 2 anwesend")
	screenshot(t, ctx, "check-in.png")

	step(t, ctx, "undo the check-in", chromedp.Click(chromedp.CSS("#done button")),
		chromedp.WaitVisible(`//div[@id="done"]//span[contains(., "zurückgenommen")]`))
	wantText(t, ctx, "after the undo", "#counts", "0 von 2 anwesend")
}
