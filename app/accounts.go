package app

import (
	"strings"

	"github.com/werkstatt/werkstatt/domain"
)

// AccountID returns the id of the account with e-mail address email: case and surrounding
// spaces do not tell two addresses apart. The same address gives the same id in every network
// and for every way of signing in.
func (a *App) AccountID(email string) domain.AccountID {
	return domain.AccountID(a.cfg.Pseudonyms.Pseudonym("account", strings.ToLower(strings.TrimSpace(email))))
}
