package domain_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

func TestCheckPassword(t *testing.T) {
	const email = "Anna.Schmidt@Landkreis-Harburg.de"
	tests := []struct {
		name, password, email string
		want                  string // the field code, "" when the password passes
	}{
		{"twelve characters", "Kaffeetasse7", email, ""},
		{"a long passphrase", "Pferd Batterie Heftklammer korrekt", email, ""},
		{"umlauts count as one character each", "Grüße aus Köln", email, ""},
		{"128 characters", strings.Repeat("ä", 128), email, ""},
		{"eleven characters", "Kaffeetass7", email, domain.CodeTooShort},
		{"eleven umlauts are eleven characters, not 22 bytes", strings.Repeat("ö", 11), email, domain.CodeTooShort},
		{"empty", "", email, domain.CodeTooShort},
		{"129 characters", strings.Repeat("a", 129), email, domain.CodeTooLong},
		{"spaces only", strings.Repeat(" ", 14), email, domain.CodeOnlySpaces},
		{"spaces of every kind only", strings.Repeat("\u00a0\u2003 ", 5), email, domain.CodeOnlySpaces},
		{"the address itself", "anna.schmidt@landkreis-harburg.de", email, domain.CodeContainsEmail},
		{"the address in another case", "ANNA.SCHMIDT@LANDKREIS-HARBURG.DE", email, domain.CodeContainsEmail},
		{"the address inside", "x" + email + "!", email, domain.CodeContainsEmail},
		{"the local part inside", "Anna.Schmidt2026!", email, domain.CodeContainsEmail},
		{"the local part, address with spaces around", "mein anna.schmidt", "  " + email + " ", domain.CodeContainsEmail},
		{"a local part of two letters is no rule", "an Kaffeetasse", "an@example.org", ""},
		{"no address given", "Kaffeetasse7", "", ""},
		{"a common German one", "Passwort1234", email, domain.CodeTooCommon},
		{"a common English one", "password1234", email, domain.CodeTooCommon},
		{"digits only", "123456789012", email, domain.CodeTooCommon},
		{"a common one in upper case", "QWERTZ123456", email, domain.CodeTooCommon},
		{"a control character", "Kaffeetasse\x007", email, domain.CodeControlCharacters},
		{"not UTF-8", "Kaffeetasse\xff7", email, domain.CodeNotUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := domain.CheckPassword(tt.password, tt.email)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("CheckPassword(%q, %q): got %v, want nil", tt.password, tt.email, err)
				}
				return
			}
			var fe domain.FieldErrors
			if !errors.As(err, &fe) || !errors.Is(err, domain.ErrInvalid) {
				t.Fatalf("CheckPassword(%q, %q): got %v, want field errors matching ErrInvalid", tt.password, tt.email, err)
			}
			if len(fe) != 1 || fe[0].Field != "password" || fe[0].Code != tt.want {
				t.Errorf("CheckPassword(%q, %q): got %+v, want one error on password with code %s", tt.password, tt.email, fe, tt.want)
			}
		})
	}
}
