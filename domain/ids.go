package domain

// ValidID reports whether id has the form of the ids the service hands out (ULIDs, grant ids)
// and little else: 1 to 64 letters, digits, '-' and '_'. An id becomes a token of a NATS
// subject or a key of a KV bucket, where dots and wildcards would change its meaning, and a lead
// token separates its parts with dots; so the API, the pages and the stores refuse anything else.
func ValidID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		ok := c == '-' || c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !ok {
			return false
		}
	}
	return true
}

// Languages are the languages a person may register in: the pages' and the mails' languages.
var Languages = []string{"de", "en"}

// DefaultLanguage is the language of a registration that names none.
const DefaultLanguage = "de"

// PersonalLinkPurpose is the purpose under which a registration's personal token is derived as
// a keyed pseudonym of PersonalLinkValue: the application derives it when a person registers,
// the outbox again when it mails the link, and nobody without the keyring can.
const PersonalLinkPurpose = "personal-link"

// PersonalLinkValue is what a registration's personal token is derived from.
func PersonalLinkValue(w WorkshopID, r RegistrationID) string { return string(w) + "|" + string(r) }
