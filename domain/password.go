package domain

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The bounds of an account's password (NIST SP 800-63B: length over composition rules). The
// upper bound keeps hashing cheap for a request that sends megabytes as a password.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 128
)

// minLocalPart is the shortest local part of an address that a password must not contain: a
// local part of one or two letters ("a@example.org") would forbid half the alphabet.
const minLocalPart = 3

// commonPasswords are passwords of the policy's length that lists of leaked passwords put at
// the top, in German and English, lower-cased. Shorter common ones fail the length already.
var commonPasswords = map[string]bool{
	"123456789012": true, "1234567890123": true, "12345678901234": true, "123456789abc": true,
	"password1234": true, "password12345": true, "password123!": true, "passwort1234": true,
	"passwort12345": true, "passwort123!": true, "qwertz123456": true, "qwerty123456": true,
	"qwertzuiopü+": true, "qwertyuiop12": true, "asdfghjkl123": true, "111111111111": true,
	"000000000000": true, "abcdefghijkl": true, "abc123456789": true, "iloveyou1234": true,
	"ichliebedich": true, "ichliebedich1": true, "hallo1234567": true, "hallohallo12": true,
	"willkommen12": true, "willkommen123": true, "welcome12345": true, "letmein12345": true,
	"sommer202020": true, "geheim123456": true, "passwortpasswort": true, "passwordpassword": true,
	"werkstatt123": true, "werkstatt1234": true,
}

// CheckPassword checks password against the password policy for the account with address
// email: at least MinPasswordLength and at most MaxPasswordLength characters (runes), not only
// spaces, not the address or its local part (case does not matter), and not one of the most
// common passwords. It returns FieldErrors on the field "password", or nil.
func CheckPassword(password, email string) error {
	var fe FieldErrors
	const field = "password"
	n := utf8.RuneCountInString(password)
	lower := strings.ToLower(password)
	email = strings.ToLower(strings.TrimSpace(email))
	local, _, _ := strings.Cut(email, "@")
	switch {
	case !utf8.ValidString(password):
		fe.add(field, CodeNotUTF8, detailNotUTF8)
	case strings.ContainsFunc(password, func(r rune) bool { return control(r, false) }):
		fe.add(field, CodeControlCharacters, detailControl)
	case n < MinPasswordLength:
		fe.add(field, CodeTooShort, fmt.Sprintf("must be at least %d characters", MinPasswordLength))
	case n > MaxPasswordLength:
		fe.add(field, CodeTooLong, fmt.Sprintf("must be at most %d characters", MaxPasswordLength))
	case strings.TrimFunc(password, unicode.IsSpace) == "":
		fe.add(field, CodeOnlySpaces, "must not consist of spaces only")
	case email != "" && strings.Contains(lower, email),
		utf8.RuneCountInString(local) >= minLocalPart && strings.Contains(lower, local):
		fe.add(field, CodeContainsEmail, "must not contain the email address or its part before the @")
	case commonPasswords[strings.TrimSpace(lower)]:
		fe.add(field, CodeTooCommon, "is one of the most common passwords")
	}
	return fe.err()
}
