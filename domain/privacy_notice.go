package domain

import (
	"fmt"
	"net/url"
	"strings"
)

// A privacy notice (Art. 13 GDPR) tells the people who register who processes their data, why,
// on which legal basis, who receives it, how long it is kept, which rights they have and where
// they may complain. A network keeps its own notice in its log; the instance keeps one for the
// workshops of no network in the log of the reserved subject InstanceNotice. The notice names
// organisations and their published contacts (a data-protection officer's contact must be
// published, Art. 37(7) GDPR): it is public, not sealed personal data. Texts a network leaves
// empty are filled from the template (package app) when the notice is shown.

// InstanceNotice is the id under which the instance keeps its own notice, in the log of a
// network that is never created: network ids are ULIDs (upper case), so it names no network,
// and the event store does not list it among the networks.
const InstanceNotice NetworkID = "instance"

// Limits of a privacy notice, in characters.
const (
	MaxNoticeName    = 200
	MaxNoticeAddress = 500
	MaxNoticeText    = 5000
	maxNoticePhone   = 50
	maxNoticeURL     = 500
)

// NoticeContact is an organisation or office and how to reach it.
type NoticeContact struct {
	Name    string `json:"name"`
	Address string `json:"address"`
	Email   string `json:"email"`
	Phone   string `json:"phone"`
	URL     string `json:"url"`
}

// PrivacyNotice is what a network (or the instance) states about the processing of the personal
// data of the people who register. Controller and Authority name organisations; the texts are
// prose in the network's words, "" where the template's text holds.
type PrivacyNotice struct {
	// Controller is the controller ("Verantwortliche Stelle"): name, address and e-mail
	// address are required.
	Controller NoticeContact `json:"controller"`
	// Officer is the data-protection officer's contact; an e-mail address or an address is
	// enough.
	Officer    NoticeContact `json:"officer"`
	Purposes   string        `json:"purposes"`
	LegalBasis string        `json:"legal_basis"`
	Recipients string        `json:"recipients"`
	Rights     string        `json:"rights"`
	// Authority is the supervisory authority the people may complain to: its name is required.
	Authority NoticeContact `json:"authority"`
}

// PrivacyNoticeSet records a network's (or the instance's) privacy notice as it now reads.
type PrivacyNoticeSet struct {
	Notice PrivacyNotice `json:"notice"`
}

func (PrivacyNoticeSet) Name() string { return "network.privacy_notice_set.v1" }

var _ = register[PrivacyNoticeSet]()

// evolvePrivacy applies a notice to n.
func (n Network) evolvePrivacy(e PrivacyNoticeSet) Network {
	p := e.Notice
	n.PrivacyNotice = &p
	return n
}

// SetPrivacyNotice decides the network's privacy notice (see DecidePrivacyNotice).
func (n Network) SetPrivacyNotice(p PrivacyNotice) ([]Event, error) {
	if !n.Exists() {
		return nil, ErrNetworkNotFound
	}
	return DecidePrivacyNotice(n.PrivacyNotice, p)
}

// DecidePrivacyNotice decides a notice p where current holds (nil for none): the controller's
// name, address and e-mail address and the supervisory authority's name are required; e-mail
// addresses and links must be well-formed; names and phone numbers are one line, addresses
// and texts may have line breaks. Texts are kept trimmed, with LF line ends. The same notice
// again changes nothing. The instance's notice (InstanceNotice) is decided with it directly.
func DecidePrivacyNotice(current *PrivacyNotice, p PrivacyNotice) ([]Event, error) {
	var fe FieldErrors
	checkContact(&fe, "controller", p.Controller, true)
	checkContact(&fe, "officer", p.Officer, false)
	checkProse(&fe, "purposes", p.Purposes, false, MaxNoticeText)
	checkProse(&fe, "legal_basis", p.LegalBasis, false, MaxNoticeText)
	checkProse(&fe, "recipients", p.Recipients, false, MaxNoticeText)
	checkProse(&fe, "rights", p.Rights, false, MaxNoticeText)
	checkContact(&fe, "authority", p.Authority, false)
	if strings.TrimSpace(p.Authority.Name) == "" && !fe.has("authority.name") {
		fe.add("authority.name", CodeRequired, "must name the supervisory authority")
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	p = PrivacyNotice{Controller: cleanContact(p.Controller), Officer: cleanContact(p.Officer),
		Purposes: cleanProse(p.Purposes), LegalBasis: cleanProse(p.LegalBasis), Recipients: cleanProse(p.Recipients),
		Rights: cleanProse(p.Rights), Authority: cleanContact(p.Authority)}
	if current != nil && *current == p {
		return nil, nil
	}
	return []Event{PrivacyNoticeSet{Notice: p}}, nil
}

// checkContact checks contact c under field; a controller needs a name, an address and an
// e-mail address.
func checkContact(fe *FieldErrors, field string, c NoticeContact, controller bool) {
	checkText(fe, field+".name", c.Name, controller, MaxNoticeName)
	checkProse(fe, field+".address", c.Address, controller, MaxNoticeAddress)
	checkText(fe, field+".email", c.Email, controller, maxEmail)
	if e := strings.TrimSpace(c.Email); e != "" && !fe.has(field+".email") && !validEmail(e) {
		fe.add(field+".email", CodeNotAnEmail, "must be an e-mail address such as datenschutz@example.org")
	}
	checkText(fe, field+".phone", c.Phone, false, maxNoticePhone)
	checkText(fe, field+".url", c.URL, false, maxNoticeURL)
	if s := strings.TrimSpace(c.URL); s != "" && !fe.has(field+".url") {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.Opaque != "" || u.User != nil {
			fe.add(field+".url", CodeNotAURL, fmt.Sprintf("must be an absolute http:// or https:// URL such as https://example.org/%s", "datenschutz"))
		}
	}
}

// has reports whether fe holds an error on field.
func (fe FieldErrors) has(field string) bool {
	for _, f := range fe {
		if f.Field == field {
			return true
		}
	}
	return false
}

func cleanContact(c NoticeContact) NoticeContact {
	return NoticeContact{Name: strings.TrimSpace(c.Name), Address: cleanProse(c.Address), Email: strings.TrimSpace(c.Email),
		Phone: strings.TrimSpace(c.Phone), URL: strings.TrimSpace(c.URL)}
}

// cleanProse trims s and keeps its line ends as LF, so that a form's CR LF and the API's LF are
// the same text.
func cleanProse(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
}
