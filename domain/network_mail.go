package domain

import (
	"maps"
	"slices"
	"strings"
)

// A network's organisers may word the mails of their workshops themselves: per kind of mail
// and language a subject and a main text replace the built-in ones. Which kinds may be adjusted
// and which placeholders their texts may use is the mails' business (package mails); the
// network only keeps what was set.

// MailTemplateKey names one adjustable mail: its kind (as package mails names it) and language.
type MailTemplateKey struct {
	Kind string
	Lang string
}

// MailTemplate is an organiser's wording of one mail.
type MailTemplate struct {
	Subject string
	Text    string
}

// Limits of a mail template, in characters.
const (
	MaxMailSubject = 200
	MaxMailText    = 5000
)

// ErrMailTemplateNotFound: no mail of this kind and language can be adjusted.
var ErrMailTemplateNotFound = newRule("mail-template-not-found", "no mail of this kind and language can be adjusted", ErrNotFound)

// MailTemplateSet records an organiser's wording of the mails of a kind in a language.
type MailTemplateSet struct {
	Kind    string `json:"kind"`
	Lang    string `json:"lang"`
	Subject string `json:"subject"`
	Text    string `json:"text"`
}

func (MailTemplateSet) Name() string { return "network.mail_template_set.v1" }

var _ = register[MailTemplateSet]()

// MailTemplateReset records that the mails of a kind in a language go back to the built-in text.
type MailTemplateReset struct {
	Kind string `json:"kind"`
	Lang string `json:"lang"`
}

func (MailTemplateReset) Name() string { return "network.mail_template_reset.v1" }

var _ = register[MailTemplateReset]()

// evolveMail applies the events of mail templates to n.
func (n Network) evolveMail(e Event) Network {
	switch e := e.(type) {
	case MailTemplateSet:
		n.MailTemplates = maps.Clone(n.MailTemplates)
		if n.MailTemplates == nil {
			n.MailTemplates = map[MailTemplateKey]MailTemplate{}
		}
		n.MailTemplates[MailTemplateKey{e.Kind, e.Lang}] = MailTemplate{Subject: e.Subject, Text: e.Text}
	case MailTemplateReset:
		n.MailTemplates = maps.Clone(n.MailTemplates)
		delete(n.MailTemplates, MailTemplateKey{e.Kind, e.Lang})
	}
	return n
}

// SetMailTemplate is the command that words the mails of Kind in Lang.
type SetMailTemplate struct {
	Kind, Lang    string
	Subject, Text string
}

// SetMailTemplate decides c: a subject of one line (1 to MaxMailSubject characters) and a text of
// 1 to MaxMailText characters, with line breaks but no other control characters. Whether the
// kind may be adjusted and the texts' placeholders fit it was checked before (package mails).
// The same wording again changes nothing.
func (n Network) SetMailTemplate(c SetMailTemplate) ([]Event, error) {
	if !n.Exists() {
		return nil, ErrNetworkNotFound
	}
	if !ValidID(c.Kind) || !slices.Contains(Languages, c.Lang) {
		return nil, ErrMailTemplateNotFound
	}
	var fe FieldErrors
	checkText(&fe, "subject", c.Subject, true, MaxMailSubject)
	checkProse(&fe, "text", c.Text, true, MaxMailText)
	if len(fe) == 0 && strings.ContainsRune(c.Text, '\t') {
		fe.add("text", CodeControlCharacters, "must not contain control characters other than line breaks")
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	// Line ends are kept as LF, so that a form's CR LF and the API's LF are the same text.
	t := MailTemplate{Subject: strings.TrimSpace(c.Subject),
		Text: strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(c.Text, "\r\n", "\n"), "\r", "\n"))}
	if old, ok := n.MailTemplates[MailTemplateKey{c.Kind, c.Lang}]; ok && old == t {
		return nil, nil
	}
	return []Event{MailTemplateSet{Kind: c.Kind, Lang: c.Lang, Subject: t.Subject, Text: t.Text}}, nil
}

// ResetMailTemplate decides that the mails of kind in lang go back to the built-in text; a
// mail that has its built-in text changes nothing.
func (n Network) ResetMailTemplate(kind, lang string) ([]Event, error) {
	if !n.Exists() {
		return nil, ErrNetworkNotFound
	}
	if !ValidID(kind) || !slices.Contains(Languages, lang) {
		return nil, ErrMailTemplateNotFound
	}
	if _, ok := n.MailTemplates[MailTemplateKey{kind, lang}]; !ok {
		return nil, nil
	}
	return []Event{MailTemplateReset{Kind: kind, Lang: lang}}, nil
}
