package app

import (
	"context"
	"slices"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/mails"
)

// The use cases of the mails' wording: a network's organisers (its admins and the organisers of
// all its series) and the instance's administrator word the subject and main text of the
// network's mails per kind and language (package mails says which kinds and placeholders).

// MailWording is the subject and main text of a mail, as templates of its placeholders.
type MailWording struct {
	Subject string `json:"subject"`
	Text    string `json:"text"`
}

// MailTemplateView is one adjustable mail of a network in one language.
type MailTemplateView struct {
	Kind string `json:"kind"`
	Lang string `json:"lang"`
	// Placeholders are those its wording may use, as written: "{{.Name}}".
	Placeholders []string    `json:"placeholders"`
	BuiltIn      MailWording `json:"built_in"`
	// Override is the network's wording, nil while the built-in one holds.
	Override *MailWording `json:"override"`
}

// wordsMailsOf checks that c words the mails of network id: its admins and the organisers of
// all its series, and the instance's administrator. A stranger learns nothing of the network
// (not-found); a member without the role, or an organiser of some series only, is refused.
func (a *App) wordsMailsOf(ctx context.Context, c Caller, id domain.NetworkID) (domain.Network, string, error) {
	n, m, ok, err := a.membership(ctx, c, id)
	switch {
	case err != nil:
		return domain.Network{}, "", err
	case !n.Exists() || (!ok && !c.Admin):
		return domain.Network{}, "", domain.ErrNetworkNotFound
	case c.Admin:
		return n, ActorOrganiser, nil
	case !m.Holds(domain.RoleOrganiser, ""):
		return domain.Network{}, "", ErrForbidden
	case hasRole(m, domain.RoleAdmin):
		return n, ActorAccount(c.Account, domain.RoleAdmin), nil
	}
	return n, ActorAccount(c.Account, domain.RoleOrganiser), nil
}

// WordsMails checks that c words the mails of network id (see MailTemplates): pages ask it
// before they read a form.
func (a *App) WordsMails(ctx context.Context, c Caller, id domain.NetworkID) error {
	_, _, err := a.wordsMailsOf(ctx, c, id)
	return err
}

// adjustable returns the adjustable mail of kind in lang; not-found for any other.
func adjustable(kind, lang string) (mails.Adjustable, error) {
	k, ok := mails.FindAdjustable(kind)
	if !ok || !slices.Contains(mails.Languages(), lang) {
		return mails.Adjustable{}, domain.ErrMailTemplateNotFound
	}
	return k, nil
}

func mailTemplateView(n domain.Network, k mails.Adjustable, lang string) MailTemplateView {
	b := k.BuiltIn(lang)
	v := MailTemplateView{Kind: string(k.Kind), Lang: lang, BuiltIn: MailWording{Subject: b.Subject, Text: b.Text}}
	for _, p := range k.Placeholders {
		v.Placeholders = append(v.Placeholders, "{{."+p+"}}")
	}
	if t, ok := n.MailTemplates[domain.MailTemplateKey{Kind: string(k.Kind), Lang: lang}]; ok {
		v.Override = &MailWording{Subject: t.Subject, Text: t.Text}
	}
	return v
}

// MailTemplates lists every adjustable mail of network id in every language, with its built-in
// wording and the network's, for those who word them.
func (a *App) MailTemplates(ctx context.Context, c Caller, id domain.NetworkID) ([]MailTemplateView, error) {
	n, _, err := a.wordsMailsOf(ctx, c, id)
	if err != nil {
		return nil, err
	}
	out := []MailTemplateView{}
	for _, k := range mails.Adjustables() {
		for _, lang := range mails.Languages() {
			out = append(out, mailTemplateView(n, k, lang))
		}
	}
	return out, nil
}

// MailTemplate returns the mail of kind in lang of network id.
func (a *App) MailTemplate(ctx context.Context, c Caller, id domain.NetworkID, kind, lang string) (MailTemplateView, error) {
	n, _, err := a.wordsMailsOf(ctx, c, id)
	if err != nil {
		return MailTemplateView{}, err
	}
	k, err := adjustable(kind, lang)
	if err != nil {
		return MailTemplateView{}, err
	}
	return mailTemplateView(n, k, lang), nil
}

// checkWording checks w as the wording of kind in lang of network n: the network's rules
// (lengths, characters) and the kind's placeholders. It returns the wording as it would be kept.
func checkWording(n domain.Network, k mails.Adjustable, lang string, w MailWording) (domain.MailTemplate, error) {
	cmd := domain.SetMailTemplate{Kind: string(k.Kind), Lang: lang, Subject: w.Subject, Text: w.Text}
	events, err := n.SetMailTemplate(cmd)
	if err != nil {
		return domain.MailTemplate{}, err
	}
	t := n.MailTemplates[domain.MailTemplateKey{Kind: cmd.Kind, Lang: lang}] // the same wording again: no event
	if len(events) == 1 {
		if e, ok := events[0].(domain.MailTemplateSet); ok {
			t = domain.MailTemplate{Subject: e.Subject, Text: e.Text}
		}
	}
	if err := mails.CheckTemplate(k.Kind, t); err != nil {
		return domain.MailTemplate{}, err
	}
	return t, nil
}

// SetMailTemplate words the mails of kind in lang of network id: mails composed from now on
// use it.
func (a *App) SetMailTemplate(ctx context.Context, c Caller, op Op, id domain.NetworkID, kind, lang string, w MailWording) (MailTemplateView, error) {
	n, actor, err := a.wordsMailsOf(ctx, c, id)
	if err != nil {
		return MailTemplateView{}, err
	}
	k, err := adjustable(kind, lang)
	if err != nil {
		return MailTemplateView{}, err
	}
	if _, err := checkWording(n, k, lang, w); err != nil {
		return MailTemplateView{}, err
	}
	op.Actor = actor
	if _, err := a.decideNetwork(ctx, id, op, func(n domain.Network) ([]domain.Event, error) {
		if _, err := checkWording(n, k, lang, w); err != nil {
			return nil, err
		}
		return n.SetMailTemplate(domain.SetMailTemplate{Kind: kind, Lang: lang, Subject: w.Subject, Text: w.Text})
	}); err != nil {
		return MailTemplateView{}, err
	}
	n, _, err = a.cfg.Networks.LoadNetwork(ctx, id)
	if err != nil {
		return MailTemplateView{}, err
	}
	return mailTemplateView(n, k, lang), nil
}

// ResetMailTemplate brings the built-in wording back for the mails of kind in lang of network id.
func (a *App) ResetMailTemplate(ctx context.Context, c Caller, op Op, id domain.NetworkID, kind, lang string) error {
	_, actor, err := a.wordsMailsOf(ctx, c, id)
	if err != nil {
		return err
	}
	if _, err := adjustable(kind, lang); err != nil {
		return err
	}
	op.Actor = actor
	_, err = a.decideNetwork(ctx, id, op, func(n domain.Network) ([]domain.Event, error) { return n.ResetMailTemplate(kind, lang) })
	return err
}

// PreviewMailTemplate renders a mail of kind in lang worded by w with sample data and the
// network's name, without keeping anything; a wording that would be refused is refused.
func (a *App) PreviewMailTemplate(ctx context.Context, c Caller, id domain.NetworkID, kind, lang string, w MailWording) (mails.Message, error) {
	n, _, err := a.wordsMailsOf(ctx, c, id)
	if err != nil {
		return mails.Message{}, err
	}
	k, err := adjustable(kind, lang)
	if err != nil {
		return mails.Message{}, err
	}
	t, err := checkWording(n, k, lang, w)
	if err != nil {
		return mails.Message{}, err
	}
	return mails.Preview(k.Kind, lang, n.Name, t)
}
