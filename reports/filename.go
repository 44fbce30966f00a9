package reports

import (
	"strings"
	"unicode"
)

// Document is a kind of document, as FileName names it.
type Document int

const (
	TableCardsDocument Document = iota
	SeatRoutesDocument
	ResultsDocument
	AttendanceDocument
	EvaluationDocument
	SeriesDocument
	SignInSheetsDocument
	CertificatesDocument
	BadgesDocument
	TableTentsDocument
	CateringDocument
	PartnersDocument
	PersonExportDocument
)

var documentNames = map[Lang][]string{
	German:  {"tischkarten", "laufwege", "ergebnisse", "teilnahme", "auswertung", "reihenbericht", "unterschriftenlisten", "teilnahmebescheinigungen", "namensschilder", "tischaufsteller", "verpflegung", "partnerteilnahme", "meine-daten"},
	English: {"table-cards", "routes", "results", "attendance", "evaluation", "series-report", "sign-in-sheets", "certificates", "name-badges", "table-tents", "catering", "partner-participation", "my-data"},
}

// FileName is the name under which a document is downloaded: the kind of document and the
// title in lower-case ASCII, "tischkarten-zukunft-der-strasse.pdf". ext has no dot.
func FileName(lang Lang, doc Document, title, ext string) string {
	names, ok := documentNames[lang]
	if !ok {
		names = documentNames[German]
	}
	name := "document"
	if int(doc) >= 0 && int(doc) < len(names) {
		name = names[doc]
	}
	if slug := slug(title); slug != "" {
		name += "-" + slug
	}
	return name + "." + ext
}

var transliteration = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "Ä", "ae", "Ö", "oe", "Ü", "ue")

// slug keeps ASCII letters and digits of s, lower-cased, with single dashes between words, at
// most 60 bytes; umlauts and ß are written out the German way.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range transliteration.Replace(s) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(unicode.ToLower(r))
			dash = false
		default:
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	return b.String()
}
