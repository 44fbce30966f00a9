package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Retention: each series sets how long its workshops keep their participants' personal data
// (domain.RetentionPolicy, stored on every workshop of the series as funding details are), and
// a retention run erases, through the erasure a person's request uses, what is due.

// retentionState is what a retention decision reads of a workshop.
type retentionState struct {
	network       domain.NetworkID
	days          []domain.Day
	policy        domain.RetentionPolicy
	registrations []domain.Registration
}

// retentionOf reads the workshop's state through Update with a decision that decides nothing.
func (a *App) retentionOf(ctx context.Context, id domain.WorkshopID) (retentionState, error) {
	var s retentionState
	_, err := a.cfg.Workshops.Update(ctx, id, domain.Meta{}, func(w domain.Workshop) ([]domain.Event, error) {
		if !w.Scheduled() {
			return nil, domain.ErrWorkshopNotFound
		}
		s = retentionState{network: w.Network, days: slices.Clone(w.Days), policy: w.Retention}
		for _, r := range w.Registrations {
			s.registrations = append(s.registrations, *r)
		}
		return nil, nil
	})
	slices.SortFunc(s.registrations, func(a, b domain.Registration) int { return cmp.Compare(a.ID, b.ID) })
	return s, err
}

// RetentionOf is the retention of workshop w: its series' period (or its network's default, or
// the default of domain.DefaultRetentionMonths), its evidence hold, and the instants they give.
// The privacy notice and the registration page tell the dates from it.
func (a *App) RetentionOf(ctx context.Context, w domain.WorkshopID) (domain.Retention, error) {
	s, err := a.retentionOf(ctx, w)
	if err != nil {
		return domain.Retention{}, err
	}
	return a.retentionIn(ctx, s)
}

// retentionIn works out the retention of the workshop read as s, with its network's default.
func (a *App) retentionIn(ctx context.Context, s retentionState) (domain.Retention, error) {
	def, err := a.networkDefaultMonths(ctx, s.network)
	if err != nil {
		return domain.Retention{}, err
	}
	r, _ := domain.RetentionIn(s.days, s.policy, def, a.cfg.Location)
	return r, nil
}

// SeriesRetention is the retention of a series and what it gives each of its workshops.
type SeriesRetention struct {
	Series            string  `json:"series"`
	Months            int     `json:"months"`
	EvidenceHoldUntil *string `json:"evidence_hold_until"`
	// Source is "series" when the series set it, "network" when its network's default holds,
	// "default" otherwise.
	Source    string              `json:"source"`
	Workshops []WorkshopRetention `json:"workshops"`
}

// WorkshopRetention is the retention of one workshop of a series.
type WorkshopRetention struct {
	Workshop domain.WorkshopID `json:"workshop"`
	Title    string            `json:"title"`
	LastDay  domain.Day        `json:"last_day"`
	domain.Retention
}

// seriesWorkshops returns the workshops of series, in the workshop list's order; none is
// domain.ErrNotFound.
func (a *App) seriesWorkshops(ctx context.Context, series string) ([]projections.WorkshopView, error) {
	all, err := a.cfg.Reader.Workshops(ctx)
	if err != nil {
		return nil, err
	}
	var out []projections.WorkshopView
	for _, w := range all {
		if series != "" && w.Series == series {
			out = append(out, w)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no workshop in series %q", domain.ErrNotFound, series)
	}
	return out, nil
}

// SeriesRetentionOf returns the retention of series: the policy of its latest workshop that
// has one (the one a new workshop inherits), and the dates of each workshop.
func (a *App) SeriesRetentionOf(ctx context.Context, series string) (SeriesRetention, error) {
	out := SeriesRetention{Series: series, Months: domain.DefaultRetentionMonths, Source: "default", Workshops: []WorkshopRetention{}}
	ws, err := a.seriesWorkshops(ctx, series)
	if err != nil {
		return out, err
	}
	p, err := a.seriesRetention(ctx, series)
	if err != nil {
		return out, err
	}
	def, err := a.networkDefaultMonths(ctx, ws[0].Network)
	if err != nil {
		return out, err
	}
	if def > 0 {
		out.Months, out.Source = def, "network"
	}
	if p.Set() {
		out.Months, out.Source = p.Months, "series"
		if p.EvidenceHoldUntil != "" {
			hold := string(p.EvidenceHoldUntil)
			out.EvidenceHoldUntil = &hold
		}
	}
	for _, w := range ws {
		s, err := a.retentionOf(ctx, w.ID)
		if err != nil {
			return out, err
		}
		if len(s.days) == 0 {
			continue
		}
		r, err := a.retentionIn(ctx, s)
		if err != nil {
			return out, err
		}
		out.Workshops = append(out.Workshops, WorkshopRetention{Workshop: w.ID, Title: w.Title, LastDay: slices.Max(s.days), Retention: r})
	}
	return out, nil
}

// seriesRetention returns the policy a workshop scheduled in series inherits: that of the
// latest scheduled workshop of the series that has one, unset for none.
func (a *App) seriesRetention(ctx context.Context, series string) (domain.RetentionPolicy, error) {
	ws, err := a.seriesNewestFirst(ctx, series)
	if err != nil {
		return domain.RetentionPolicy{}, err
	}
	for _, w := range ws {
		s, err := a.retentionOf(ctx, w.ID)
		if errors.Is(err, domain.ErrWorkshopNotFound) {
			continue
		}
		if err != nil {
			return domain.RetentionPolicy{}, err
		}
		if s.policy.Set() {
			return s.policy, nil
		}
	}
	return domain.RetentionPolicy{}, nil
}

// SeriesRetentionSet is the outcome of setting the retention of a series.
type SeriesRetentionSet struct {
	Series    string              `json:"series"`
	Updated   []domain.WorkshopID `json:"updated"`
	Unchanged []domain.WorkshopID `json:"unchanged"`
	// Failed are the workshops not reached (the error says why); a repeat completes them.
	Failed []domain.WorkshopID `json:"failed,omitempty"`
}

// SetSeriesRetention sets p on every workshop of series, each deciding on its own and
// idempotently (as ApplySeriesFunding), so that a repeat after a partial failure completes it.
func (a *App) SetSeriesRetention(ctx context.Context, series string, op Op, p domain.RetentionPolicy) (SeriesRetentionSet, error) {
	out := SeriesRetentionSet{Series: series, Updated: []domain.WorkshopID{}, Unchanged: []domain.WorkshopID{}}
	if err := p.Check(); err != nil {
		return out, err
	}
	ws, err := a.seriesWorkshops(ctx, series)
	if err != nil {
		return out, err
	}
	ids := make([]domain.WorkshopID, 0, len(ws))
	for _, w := range ws {
		ids = append(ids, w.ID)
	}
	slices.Sort(ids)
	for i, id := range ids {
		wop := op
		if op.Key != "" {
			wop.Key = op.Key + "/" + string(id)
		}
		res, err := a.decide(ctx, id, wop, func(w domain.Workshop) ([]domain.Event, error) { return w.SetRetention(p) })
		if err != nil {
			if !errors.As(err, new(domain.FieldErrors)) {
				out.Failed = ids[i:]
			}
			return out, err
		}
		if len(res.Events) > 0 {
			out.Updated = append(out.Updated, id)
		} else {
			out.Unchanged = append(out.Unchanged, id)
		}
	}
	return out, nil
}

// RetentionItem names a registration a retention run erased or reduced; no personal data.
type RetentionItem struct {
	Workshop     domain.WorkshopID     `json:"workshop"`
	Registration domain.RegistrationID `json:"registration"`
}

// RetentionRun is the outcome of a retention run.
type RetentionRun struct {
	AsOf   time.Time `json:"as_of"`
	DryRun bool      `json:"dry_run"`
	// Erased are the registrations whose personal data the run erased (a dry run: would erase).
	Erased []RetentionItem `json:"erased"`
	// Reduced are those reduced to the evidence a hold keeps (their name).
	Reduced []RetentionItem `json:"reduced"`
	// Failed are those the run did not finish; the next run completes them.
	Failed []RetentionItem `json:"failed,omitempty"`
}

// ErrRetentionIncomplete wraps the first failure of a retention run that did not finish.
var ErrRetentionIncomplete = errors.New("app: the retention run did not finish")

// RunRetention erases the personal data of every registration whose retention period ended
// at asOf, through the erasure a person's request uses (with the reason "retention"), and
// reduces those an evidence hold keeps to their name. A dry run decides nothing and answers
// what a run would do. Each erasure's command id derives from the registration, so that two
// replicas running at once erase each registration once; a repeat erases nothing new. A run
// records itself on every workshop it changed (domain.RetentionRan). When some registrations
// fail, the others are still done, the answer names the failed ones and the error wraps
// ErrRetentionIncomplete.
func (a *App) RunRetention(ctx context.Context, op Op, asOf time.Time, dryRun bool) (RetentionRun, error) {
	run := RetentionRun{AsOf: asOf, DryRun: dryRun, Erased: []RetentionItem{}, Reduced: []RetentionItem{}}
	if !dryRun && asOf.After(a.cfg.Now()) {
		// Nothing is erased before its date: a future date is for a preview.
		return run, domain.FieldErrors{{Field: "as_of", Code: domain.CodeNotAllowed,
			Detail: "a run that erases may not lie in the future; preview it with dry_run true"}}
	}
	if !dryRun && a.cfg.Eraser == nil {
		return run, errNoEraser
	}
	ctx = Remembering(ctx) // each network's default is loaded once per run
	all, err := a.cfg.Reader.Workshops(ctx)
	if err != nil {
		return run, err
	}
	ids := make([]domain.WorkshopID, 0, len(all))
	for _, w := range all {
		ids = append(ids, w.ID)
	}
	slices.Sort(ids)
	var first error
	fail := func(item RetentionItem, err error) {
		run.Failed = append(run.Failed, item)
		if first == nil {
			first = err
		}
		a.cfg.Logger.Warn("retention run: a registration was not finished", "workshop", item.Workshop,
			"registration", item.Registration, "err", err)
	}
	for _, id := range ids {
		s, err := a.retentionOf(ctx, id)
		if errors.Is(err, domain.ErrWorkshopNotFound) {
			continue
		}
		if err != nil {
			fail(RetentionItem{Workshop: id}, err)
			continue
		}
		def, err := a.networkDefaultMonths(ctx, s.network)
		if err != nil {
			fail(RetentionItem{Workshop: id}, err)
			continue
		}
		ret, ok := domain.RetentionIn(s.days, s.policy, def, a.cfg.Location)
		if !ok || asOf.Before(ret.EraseAfter) {
			continue
		}
		var names map[domain.RegistrationID]string
		erased, reduced := 0, 0
		for _, r := range s.registrations {
			item := RetentionItem{Workshop: id, Registration: r.ID}
			step := ret.Due(r, r.Reduced, asOf)
			if dryRun {
				switch step {
				case domain.RetentionErase:
					run.Erased = append(run.Erased, item)
				case domain.RetentionReduce:
					run.Reduced = append(run.Reduced, item)
				}
				continue
			}
			switch step {
			case domain.RetentionErase:
				res, err := a.erase(ctx, id, retentionOp(op, "erase", r.ID), r.ID, domain.ErasureRetention)
				if err != nil {
					fail(item, err)
				} else if !res.Duplicate && len(res.Events) > 0 {
					run.Erased = append(run.Erased, item)
					erased++
				}
			case domain.RetentionReduce:
				if names == nil {
					if names, err = a.registrationNames(ctx, id); err != nil {
						fail(item, err)
						continue
					}
				}
				res, err := a.reduce(ctx, id, retentionOp(op, "reduce", r.ID), r.ID, names[r.ID], s.policy.EvidenceHoldUntil)
				if err != nil {
					fail(item, err)
				} else if !res.Duplicate && len(res.Events) > 0 {
					run.Reduced = append(run.Reduced, item)
					reduced++
				}
			default:
				// Repair: a key whose deletion failed after the decision was appended is
				// deleted again (deleting a key that is gone is no error).
				var err error
				switch {
				case r.Erased && r.ErasedBy == domain.ErasureRetention:
					err = a.deleteKeys(ctx, r.ID, true)
				case r.Reduced && !r.Erased:
					err = a.deleteKeys(ctx, r.ID, false)
				}
				if err != nil {
					fail(item, err)
				}
			}
		}
		if erased+reduced > 0 {
			rop := op
			rop.Key = "retention-run " + asOf.UTC().Format(time.RFC3339Nano)
			rop.Scope, rop.Body = "retention-run", nil
			if _, err := a.decide(ctx, id, rop, func(w domain.Workshop) ([]domain.Event, error) {
				return w.RecordRetentionRun(domain.RetentionRan{AsOf: asOf, Erased: erased, Reduced: reduced})
			}); err != nil {
				fail(RetentionItem{Workshop: id}, err)
			}
		}
	}
	if first != nil {
		return run, fmt.Errorf("%w: %d not finished, the next run completes them: %w", ErrRetentionIncomplete, len(run.Failed), first)
	}
	return run, nil
}

// retentionOp is the command of a retention run on registration rid: its id derives from the
// registration, so that a second replica's attempt (or a repeated run) is a duplicate.
func retentionOp(op Op, step string, rid domain.RegistrationID) Op {
	return Op{Actor: op.Actor, Key: "retention " + step + " " + string(rid), Scope: "retention " + step}
}

// registrationNames returns the names of workshop id's registrations as the read model holds
// them: what an evidence hold keeps.
func (a *App) registrationNames(ctx context.Context, id domain.WorkshopID) (map[domain.RegistrationID]string, error) {
	regs, err := a.cfg.Reader.Registrations(ctx, id)
	if err != nil {
		return nil, err
	}
	names := make(map[domain.RegistrationID]string, len(regs))
	for _, r := range regs {
		names[r.ID] = r.Name
	}
	return names, nil
}

// reduce reduces registration rid to its evidence (name, sealed under its evidence key) and
// then deletes the registration's own key.
func (a *App) reduce(ctx context.Context, id domain.WorkshopID, op Op, rid domain.RegistrationID, name string, until domain.Day) (domain.Appended, error) {
	res, err := a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		return w.Reduce(domain.ReduceToEvidence{RegistrationID: rid, Name: name, Until: until})
	})
	if err != nil {
		return res, err
	}
	return res, a.deleteKeys(ctx, rid, false)
}

// RunDueRetention is the daily retention run of the service's own clock (ActorSchedule).
func (a *App) RunDueRetention(ctx context.Context) (RetentionRun, error) {
	return a.RunRetention(ctx, Op{Actor: ActorSchedule}, a.cfg.Now(), false)
}
