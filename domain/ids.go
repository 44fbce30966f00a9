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
