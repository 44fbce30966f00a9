package app

import (
	"cmp"
	"context"
	"slices"

	"github.com/werkstatt/werkstatt/domain"
)

// The use cases of the privacy notice (Art. 13 GDPR): a network's admins (and the instance's
// administrator) state the network's notice; the instance's administrator states the notice of
// the workshops of no network. Everybody reads them: the registration page shows an excerpt
// before the consent, the mails link to the whole notice. What a notice leaves empty, the
// template (privacy_template.go) fills in, in the reader's language.

// PrivacyNoticeView is a notice as it is shown in one language.
type PrivacyNoticeView struct {
	// Network is the notice's network, "" for the instance's notice.
	Network     domain.NetworkID `json:"network,omitempty"`
	NetworkName string           `json:"network_name,omitempty"`
	Lang        string           `json:"lang"`
	// Set reports whether the network (or the instance) stated its notice; false: everything
	// shown is the template's.
	Set bool `json:"set"`
	// Notice is the notice as shown: the stated one, its empty texts filled from the template.
	Notice domain.PrivacyNotice `json:"notice"`
	// StoragePeriods has one entry per series of the network's workshops, taken from the
	// retention settings; with no workshop yet, the default period.
	StoragePeriods []StoragePeriod `json:"storage_periods"`
	// defaultMonths is the period of a series the list does not name (the network's default).
	defaultMonths int
}

// Period returns the storage period of the workshops of series.
func (v PrivacyNoticeView) Period(series string) StoragePeriod {
	if i := slices.IndexFunc(v.StoragePeriods, func(p StoragePeriod) bool { return p.Series == series }); i >= 0 {
		return v.StoragePeriods[i]
	}
	return StoragePeriod{Series: series, Months: cmp.Or(v.defaultMonths, DefaultRetentionMonths)}
}

// noticeOf returns the notice kept for id ("" the instance's) and the network's name; a network
// that does not exist is not found.
func (a *App) noticeOf(ctx context.Context, id domain.NetworkID) (*domain.PrivacyNotice, string, error) {
	if a.cfg.Networks == nil {
		if id != "" {
			return nil, "", domain.ErrNetworkNotFound
		}
		return nil, "", nil // no networks: the template holds
	}
	subject := id
	if id == "" {
		subject = domain.InstanceNotice
	} else if !domain.ValidID(string(id)) || id == domain.InstanceNotice {
		return nil, "", domain.ErrNetworkNotFound
	}
	n, err := a.network(ctx, subject)
	switch {
	case err != nil:
		return nil, "", err
	case id != "" && !n.Exists():
		return nil, "", domain.ErrNetworkNotFound
	}
	return n.PrivacyNotice, n.Name, nil
}

// PrivacyNotice returns the privacy notice of network id ("" for the instance's) in lang, for
// everybody: a notice is public.
func (a *App) PrivacyNotice(ctx context.Context, id domain.NetworkID, lang string) (PrivacyNoticeView, error) {
	if !slices.Contains(domain.Languages, lang) {
		lang = domain.DefaultLanguage
	}
	p, name, err := a.noticeOf(ctx, id)
	if err != nil {
		return PrivacyNoticeView{}, err
	}
	v := PrivacyNoticeView{Network: id, NetworkName: name, Lang: lang, Set: p != nil}
	var stated domain.PrivacyNotice
	if p != nil {
		stated = *p
	}
	v.Notice = FillPrivacyNotice(stated, lang, name)
	periods, err := a.storagePeriods(ctx, id)
	if err != nil {
		return PrivacyNoticeView{}, err
	}
	// The notice is public: the series of members-only workshops stay unnamed (their own
	// registration page tells their period, see StoragePeriod).
	public, err := a.publicSeries(ctx, id)
	if err != nil {
		return PrivacyNoticeView{}, err
	}
	for _, p := range periods {
		if public[p.Series] {
			v.StoragePeriods = append(v.StoragePeriods, p)
		}
	}
	if v.defaultMonths, err = a.defaultMonths(ctx, id); err != nil {
		return PrivacyNoticeView{}, err
	}
	if len(v.StoragePeriods) == 0 {
		v.StoragePeriods = []StoragePeriod{{Months: v.defaultMonths}}
	}
	return v, nil
}

// publicSeries are the series of the public workshops of network.
func (a *App) publicSeries(ctx context.Context, network domain.NetworkID) (map[string]bool, error) {
	all, err := a.cfg.Reader.Workshops(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, w := range all {
		if w.Network == network && w.Visibility.Or() == domain.Public {
			out[w.Series] = true
		}
	}
	return out, nil
}

// StoragePeriod is how long the personal data of the participants of a workshop of network and
// series is kept: what its registration page tells.
func (a *App) StoragePeriod(ctx context.Context, network domain.NetworkID, series string) (StoragePeriod, error) {
	periods, err := a.storagePeriods(ctx, network)
	if err != nil {
		return StoragePeriod{}, err
	}
	def, err := a.defaultMonths(ctx, network)
	if err != nil {
		return StoragePeriod{}, err
	}
	return PrivacyNoticeView{StoragePeriods: periods, defaultMonths: def}.Period(series), nil
}

// statesNoticeOf checks that c states the notice of id: a network's admins and the instance's
// administrator; the instance's notice ("") only the administrator.
func (a *App) statesNoticeOf(ctx context.Context, c Caller, id domain.NetworkID) (string, error) {
	if id != "" {
		if id == domain.InstanceNotice {
			return "", domain.ErrNetworkNotFound
		}
		return a.adminOf(ctx, c, id)
	}
	if !c.Admin {
		return "", ErrForbidden
	}
	return ActorOrganiser, nil
}

// StatesPrivacyNotice checks that c states the notice of id (see SetPrivacyNotice): pages ask
// it before they show the form.
func (a *App) StatesPrivacyNotice(ctx context.Context, c Caller, id domain.NetworkID) error {
	_, err := a.statesNoticeOf(ctx, c, id)
	return err
}

// SetPrivacyNotice states the privacy notice of network id ("" for the instance's): its admins
// may, and the instance's administrator. The notice is shown in lang afterwards.
func (a *App) SetPrivacyNotice(ctx context.Context, c Caller, op Op, id domain.NetworkID, p domain.PrivacyNotice, lang string) (PrivacyNoticeView, error) {
	actor, err := a.statesNoticeOf(ctx, c, id)
	if err != nil {
		return PrivacyNoticeView{}, err
	}
	if a.cfg.Networks == nil {
		return PrivacyNoticeView{}, ErrNoNetworks
	}
	// The rules first, so that a refused notice is refused before anything is appended.
	if _, err := domain.DecidePrivacyNotice(nil, p); err != nil {
		return PrivacyNoticeView{}, err
	}
	op.Actor = actor
	if id == "" {
		_, err = a.decideNetwork(ctx, domain.InstanceNotice, op, func(n domain.Network) ([]domain.Event, error) {
			return domain.DecidePrivacyNotice(n.PrivacyNotice, p)
		})
	} else {
		_, err = a.decideNetwork(ctx, id, op, func(n domain.Network) ([]domain.Event, error) { return n.SetPrivacyNotice(p) })
	}
	if err != nil {
		return PrivacyNoticeView{}, err
	}
	return a.PrivacyNotice(withoutRemembered(ctx), id, lang)
}

// withoutRemembered returns ctx without the networks Remembering keeps, so that a read after a
// write sees the write.
func withoutRemembered(ctx context.Context) context.Context {
	return context.WithValue(ctx, networksKey{}, map[domain.NetworkID]domain.Network(nil))
}
