package domain

// CheckTokenLabel checks what a person calls a new API token ("Skript Anmeldeliste"): a
// single-line text of up to 200 characters, required so that a list of tokens tells them apart.
func CheckTokenLabel(label string) error {
	var fe FieldErrors
	checkText(&fe, "label", label, true, maxTitle)
	return fe.err()
}
