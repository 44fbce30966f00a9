package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/werkstatt/werkstatt/infra/oidc/oidctest"
)

// TestAccountsInTheBrowser walks a person through their account in Chromium on a phone: they
// set their password through the link they were sent, sign in with it, sign out, and sign in
// again with single sign-on at the provider's own login form. The pages fit the phone and
// label every field.
func TestAccountsInTheBrowser(t *testing.T) {
	ctx := startBrowser(t)
	s, _ := ssoService(t, oidctest.User{Username: "anna", Password: "Kaffeetasse7", Email: "anna@example.org", EmailVerified: true})
	token, err := openCredentials(t, s.cfg, s.js).IssueSetLink(context.Background(), s.accountID("anna@example.org"), "anna@example.org", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "hold a phone", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile))

	step(t, ctx, "open the link to set a password", chromedp.Navigate(s.url+"/set-password/"+token+"?lang=de"),
		chromedp.WaitVisible(chromedp.CSS("#f-password")))
	checkPhonePage(t, ctx, "the page to set a password")
	step(t, ctx, "set a password",
		chromedp.SendKeys(chromedp.CSS("#f-password"), annasPassword),
		chromedp.SendKeys(chromedp.CSS("#f-repeat"), annasPassword),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#password-sign-in")))
	wantText(t, ctx, "after setting the password", "main .alert", "Ihr Passwort ist festgelegt")
	checkPhonePage(t, ctx, "the sign-in page")

	step(t, ctx, "sign in with the password", chromedp.Navigate(s.url+"/sign-in?next=/sign-in"),
		chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), "anna@example.org"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), annasPassword),
		chromedp.Click(chromedp.CSS("#password-sign-in button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#signed-in")))
	step(t, ctx, "sign out", chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#calendar-workshops")), // the start page
		chromedp.Navigate(s.url+"/sign-in?next=/sign-in"), chromedp.WaitVisible(chromedp.CSS("#sso")))

	step(t, ctx, "sign in with single sign-on", chromedp.Click(chromedp.CSS("#sso")),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), "anna"),
		chromedp.SendKeys(chromedp.CSS("#password"), "Kaffeetasse7"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#signed-in")))
}
