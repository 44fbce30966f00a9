package mailbox_test

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/keys"
	"github.com/werkstatt/werkstatt/infra/mailbox"
	"github.com/werkstatt/werkstatt/mails"
)

func TestMain(m *testing.M) { natstest.Main(m) }

// TestKeptMailsHoldNoCredential keeps a reset mail: the kept copy has the link's token
// redacted, and it is sealed under the account's key.
func TestKeptMailsHoldNoCredential(t *testing.T) {
	ctx := context.Background()
	js := natstest.Embedded(t).JetStream(t)
	master := make([]byte, 32)
	rand.Read(master)
	k, err := keys.Open(ctx, js, "MBC_KEYS", master, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	box, err := mailbox.Open(ctx, js, "MBC_MAILS", 1, k)
	if err != nil {
		t.Fatal(err)
	}
	const token = "derived-token-0123456789abcdefghijklmnopqrstu"
	link := "https://werkstatt.example.org/set-password/" + token
	m := mails.Message{ID: "9.0.password-reset@werkstatt.example.org", Kind: mails.KindPasswordReset, Account: "acc1",
		To: "anna@example.org", Subject: "Neues Passwort", Text: "Link: " + link, HTML: `<a href="` + link + `">`, Secret: token,
		At: time.Date(2037, 11, 1, 9, 0, 0, 0, time.UTC)}
	if err := box.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	got, err := box.Mails(ctx)
	if err != nil || len(got) != 1 {
		t.Fatalf("kept mails: got %+v, %v", got, err)
	}
	if kept := got[0].Message; kept.To != m.To || strings.Contains(kept.Text+kept.HTML, token) || !strings.Contains(kept.Text, "/set-password/[…]") {
		t.Errorf("the kept reset mail: got %+v, want it without the token", kept)
	}
	if err := k.Erase(ctx, "acc1"); err != nil {
		t.Fatal(err)
	}
	if got, err := box.Mails(ctx); err != nil || len(got) != 1 || !got[0].Erased {
		t.Errorf("the kept mail after the account's erasure: got %+v, %v, want it erased", got, err)
	}
}

// TestMailbox keeps a mail and a failed one, lists them newest first, and after the recipient's
// erasure shows only that a mail was there: its text, sealed under their key, is gone.
func TestMailbox(t *testing.T) {
	ctx := context.Background()
	js := natstest.Embedded(t).JetStream(t)
	master := make([]byte, 32)
	rand.Read(master)
	k, err := keys.Open(ctx, js, "MB_KEYS", master, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	box, err := mailbox.Open(ctx, js, "MB_MAILS", 1, k)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2037, 11, 1, 9, 0, 0, 0, time.UTC)
	ann := mails.Message{ID: "7.1.received@werkstatt.example.org", Kind: mails.KindReceived, Workshop: "W1",
		Registration: "a", To: "ann@example.org", ToName: "Ann", Subject: "Registration confirmed: X", Text: "Hello Ann\x00", At: at}
	ben := mails.Message{ID: "8.1.received@werkstatt.example.org", Kind: mails.KindReceived, Workshop: "W1",
		Registration: "b", To: "ben@example.org", ToName: "Ben", Subject: "Anmeldung bestätigt: X", Text: "Hallo Ben", At: at.Add(time.Minute)}
	if err := box.Send(ctx, ann); err != nil {
		t.Fatal(err)
	}
	if err := box.Failed(ctx, ben, "connection refused"); err != nil {
		t.Fatal(err)
	}
	got, err := box.Mails(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != ben.ID || !got[0].Failed || got[0].Reason != "connection refused" ||
		got[1].Failed || got[1].Message.Text != ann.Text || got[1].Message.To != ann.To {
		t.Fatalf("kept mails: %+v", got)
	}
	if err := k.Erase(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	got, err = box.Mails(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[1].Erased || got[1].Message.Text != "" || got[0].Erased {
		t.Fatalf("after Ann's erasure: %+v", got)
	}
	raw, err := js.KeyValue(ctx, "MB_MAILS")
	if err != nil {
		t.Fatal(err)
	}
	e, err := raw.Get(ctx, "8.1.received_werkstatt.example.org")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(e.Value()), "ben@example.org") || strings.Contains(string(e.Value()), "Hallo Ben") {
		t.Errorf("the bucket holds a mail's text in clear: %s", e.Value())
	}
}
