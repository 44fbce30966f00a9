package domain

// Rules of a person's export of their data.
var (
	ErrPersonNotFound    = newRule("person-not-found", "nothing is stored about this e-mail address", ErrNotFound)
	ErrExportLinkInvalid = newRule("export-link-invalid", "this link to your data is unknown or has expired; ask for a new one", ErrNotFound)
)
