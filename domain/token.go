package domain

import "time"

// TokenInfo describes a personal API token without its secret: a token acts as its account,
// with the account's roles in Network, until it is revoked.
type TokenInfo struct {
	ID        string    `json:"id"`
	Account   AccountID `json:"account"`
	Network   NetworkID `json:"network"`
	Label     string    `json:"label"`
	IssuedAt  time.Time `json:"issued_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// CheckTokenLabel checks what a person calls a new API token ("Skript Anmeldeliste"): a
// single-line text of up to 200 characters, required so that a list of tokens tells them apart.
func CheckTokenLabel(label string) error {
	var fe FieldErrors
	checkText(&fe, "label", label, true, maxTitle)
	return fe.err()
}
