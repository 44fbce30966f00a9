package app

import (
	"context"
	"slices"

	"github.com/werkstatt/werkstatt/domain"
)

// DefaultRetentionMonths is how long participants' personal data is kept after a workshop's last
// day unless its series says otherwise.
const DefaultRetentionMonths = domain.DefaultRetentionMonths

// StoragePeriod is how long the personal data of the participants of a series' workshops is
// kept, as the privacy notice states it.
type StoragePeriod struct {
	// Series names the series, "" for the workshops of no series.
	Series string `json:"series"`
	// Months counts from the workshop's last day.
	Months int `json:"months"`
	// EvidenceHoldUntil keeps the names on sign-in sheets and certificates until that day for
	// a funder's audit; nil for no hold.
	EvidenceHoldUntil *domain.Day `json:"evidence_hold_until"`
}

// storagePeriods returns the storage period of every series of the workshops of network ("" for
// the workshops of no network), ordered by series.
func (a *App) storagePeriods(ctx context.Context, network domain.NetworkID) ([]StoragePeriod, error) {
	all, err := a.cfg.Reader.Workshops(ctx)
	if err != nil {
		return nil, err
	}
	var series []string
	for _, w := range all {
		if w.Network == network && !slices.Contains(series, w.Series) {
			series = append(series, w.Series)
		}
	}
	slices.Sort(series)
	def, err := a.defaultMonths(ctx, network)
	if err != nil {
		return nil, err
	}
	out := make([]StoragePeriod, 0, len(series))
	for _, s := range series {
		// The series' retention setting, as its next workshop inherits it (none: the network's
		// default, or the instance's).
		p, err := a.seriesRetention(ctx, s)
		if err != nil {
			return nil, err
		}
		period := StoragePeriod{Series: s, Months: def}
		if p.Set() {
			period.Months = p.Months
			if p.EvidenceHoldUntil != "" {
				hold := p.EvidenceHoldUntil
				period.EvidenceHoldUntil = &hold
			}
		}
		out = append(out, period)
	}
	return out, nil
}
