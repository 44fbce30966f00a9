package domain

import (
	"fmt"
	"strings"
	"time"
)

// Retention: how long a workshop keeps its participants' personal data. A series sets a period
// in months, counted from the workshop's last day, and optionally an evidence hold until a date
// (funded projects keep the names on sign-in sheets and certificates for an audit). When the
// period has passed a registration's personal data is erased; a registration that holds a seat
// and falls under a later hold is first reduced to its evidence (its name; the organisation is
// no personal datum and stays anyway), which is erased when the hold ends.

const (
	// DefaultRetentionMonths is the period of a workshop whose series sets none.
	DefaultRetentionMonths = 12
	// MinRetentionMonths and MaxRetentionMonths bound a period.
	MinRetentionMonths = 1
	MaxRetentionMonths = 120
)

// RetentionPolicy is what a series sets: the period in months and the evidence hold ("" for
// none). A hold that ends before the period does nothing (it is allowed: a series' later
// workshops may still fall under it).
type RetentionPolicy struct {
	Months            int `json:"months"`
	EvidenceHoldUntil Day `json:"evidence_hold_until,omitempty"`
}

// Set reports whether the policy was set (a zero policy is the default).
func (p RetentionPolicy) Set() bool { return p.Months != 0 }

// Check validates the policy with field errors on "months" and "evidence_hold_until".
func (p RetentionPolicy) Check() error {
	var fe FieldErrors
	if p.Months < MinRetentionMonths || p.Months > MaxRetentionMonths {
		fe.add("months", CodeOutOfRange, fmt.Sprintf("must be %d to %d, got %d", MinRetentionMonths, MaxRetentionMonths, p.Months))
	}
	if p.EvidenceHoldUntil != "" {
		if _, ok := ParseDay(string(p.EvidenceHoldUntil)); !ok {
			fe.add("evidence_hold_until", CodeNotADate, "must be a date as YYYY-MM-DD")
		}
	}
	return fe.err()
}

// RetentionSet records the retention policy of the workshop (set for its series).
type RetentionSet struct {
	RetentionPolicy
}

func (RetentionSet) Name() string { return "workshop.retention_set.v1" }

var _ = register[RetentionSet]()

// SetRetention decides a workshop's retention policy; the same policy again decides nothing.
func (w Workshop) SetRetention(p RetentionPolicy) ([]Event, error) {
	if !w.Scheduled() {
		return nil, ErrWorkshopNotFound
	}
	if err := p.Check(); err != nil {
		return nil, err
	}
	if p == w.Retention {
		return nil, nil
	}
	return []Event{RetentionSet{RetentionPolicy: p}}, nil
}

// Retention is a workshop's retention worked out: the policy that applies and the instants it
// yields.
type Retention struct {
	Months            int `json:"months"`
	EvidenceHoldUntil Day `json:"evidence_hold_until,omitempty"`
	// Source says where the policy comes from: "series", "network" (the network's default) or
	// "default".
	Source string `json:"source"`
	// EraseAfter is the instant from which registrations are erased (or reduced to their
	// evidence): the end of the day Months after the workshop's last day.
	EraseAfter time.Time `json:"erase_after"`
	// HoldEnds is the end of the evidence hold's day when it lies after EraseAfter, zero
	// otherwise: from then the evidence goes too.
	HoldEnds time.Time `json:"hold_ends,omitzero"`
}

// RetentionOf works out the retention of a workshop held on days under p (unset: the default
// period) in zone (nil is UTC). ok is false for a workshop without days.
func RetentionOf(days []Day, p RetentionPolicy, zone *time.Location) (Retention, bool) {
	return RetentionIn(days, p, 0, zone)
}

// RetentionIn is RetentionOf in a network whose default period is networkMonths (0: the network
// sets none): the series' policy first, then the network's default (Source "network"), then
// DefaultRetentionMonths.
func RetentionIn(days []Day, p RetentionPolicy, networkMonths int, zone *time.Location) (Retention, bool) {
	r := Retention{Months: p.Months, EvidenceHoldUntil: p.EvidenceHoldUntil, Source: "series"}
	switch {
	case p.Set():
	case networkMonths > 0:
		r = Retention{Months: networkMonths, Source: "network"}
	default:
		r = Retention{Months: DefaultRetentionMonths, Source: "default"}
	}
	end, ok := LastDayEnds(days, zone)
	if !ok {
		return Retention{}, false
	}
	last := end.AddDate(0, 0, -1)
	r.EraseAfter = addMonths(last, r.Months).AddDate(0, 0, 1)
	if r.EvidenceHoldUntil != "" {
		if holdEnd, ok := LastDayEnds([]Day{r.EvidenceHoldUntil}, zone); ok && holdEnd.After(r.EraseAfter) {
			r.HoldEnds = holdEnd
		}
	}
	return r, true
}

// addMonths adds n months to the midnight t, keeping to the last day of a shorter month
// (31 January and one month is 28 or 29 February, as a person counts).
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, t.Location())
}

// RetentionStep is what a retention run does to one registration.
type RetentionStep string

const (
	RetentionKeep   RetentionStep = ""
	RetentionReduce RetentionStep = "reduce"
	RetentionErase  RetentionStep = "erase"
)

// Due decides what a retention run at asOf does to r under the workshop's retention: nothing
// before EraseAfter; then a registration that holds a seat (its name is on the sign-in sheet
// and the certificate) is reduced to its evidence while a hold lasts; everything else is
// erased.
func (ret Retention) Due(r Registration, reduced bool, asOf time.Time) RetentionStep {
	if r.Erased || asOf.Before(ret.EraseAfter) {
		return RetentionKeep
	}
	if !ret.HoldEnds.IsZero() && asOf.Before(ret.HoldEnds) && r.Status == Confirmed {
		if reduced {
			return RetentionKeep
		}
		return RetentionReduce
	}
	return RetentionErase
}

// ReduceToEvidence reduces a registration's personal data to what the evidence hold keeps: the
// name. Name comes from the caller (the workshop holds no personal data).
type ReduceToEvidence struct {
	RegistrationID RegistrationID
	Name           string
	Until          Day
}

// ReducedToEvidence records that a registration's personal data was reduced to its evidence:
// Person (its name only) is sealed under the registration's evidence key; the registration's
// own key is deleted after the decision is appended, so that email, dietary needs and text
// answers can no longer be read. Erasing the registration later deletes the evidence key too.
type ReducedToEvidence struct {
	RegistrationID RegistrationID `json:"registration_id"`
	Person         *Person        `json:"person,omitempty"`
	Until          Day            `json:"until"`
}

func (ReducedToEvidence) Name() string { return "registration.reduced_to_evidence.v1" }

// DataSubject is the registration's evidence key, not its own.
func (e ReducedToEvidence) DataSubject() string { return EvidenceSubject(e.RegistrationID) }

// WithPerson returns the reduction carrying p.
func (e ReducedToEvidence) WithPerson(p *Person) Event { e.Person = p; return e }

var _ = register[ReducedToEvidence]()

// EvidenceSubject is the data subject whose key seals a registration's evidence.
func EvidenceSubject(id RegistrationID) string { return evidencePrefix + string(id) }

const evidencePrefix = "evidence_"

// IsEvidenceSubject reports whether subject is a registration's evidence key (EvidenceSubject),
// not a person's own key.
func IsEvidenceSubject(subject string) bool { return strings.HasPrefix(subject, evidencePrefix) }

// Reduce decides a reduction to evidence; a repeat, or one of an erased registration, decides
// nothing.
func (w Workshop) Reduce(c ReduceToEvidence) ([]Event, error) {
	r, err := w.registration(c.RegistrationID)
	if err != nil {
		return nil, err
	}
	if r.Erased || r.Reduced {
		return nil, nil
	}
	return []Event{ReducedToEvidence{RegistrationID: r.ID, Person: &Person{Name: c.Name}, Until: c.Until}}, nil
}

func (w Workshop) evolveReduced(e ReducedToEvidence) {
	if r, ok := w.Registrations[e.RegistrationID]; ok {
		r.Reduced = true
	}
}

// RetentionRan records a retention run that changed the workshop: when it ran (AsOf) and how
// many registrations it erased and reduced to their evidence. The actor is in the log.
type RetentionRan struct {
	AsOf    time.Time `json:"as_of"`
	Erased  int       `json:"erased"`
	Reduced int       `json:"reduced"`
}

func (RetentionRan) Name() string { return "workshop.retention_ran.v1" }

var _ = register[RetentionRan]()

// RecordRetentionRun decides the record of a retention run; a run that changed nothing is not
// recorded.
func (w Workshop) RecordRetentionRun(r RetentionRan) ([]Event, error) {
	if !w.Scheduled() {
		return nil, ErrWorkshopNotFound
	}
	if r.Erased+r.Reduced == 0 {
		return nil, nil
	}
	return []Event{r}, nil
}

// RetentionDefaultSet records a network's default retention period: the period of the workshops
// of the network whose series sets none (instead of DefaultRetentionMonths).
type RetentionDefaultSet struct {
	Months int `json:"months"`
}

func (RetentionDefaultSet) Name() string { return "network.retention_default_set.v1" }

var _ = register[RetentionDefaultSet]()

// SetRetentionDefault decides the network's default retention period in months (1 to 120); the
// same period again decides nothing.
func (n Network) SetRetentionDefault(months int) ([]Event, error) {
	if !n.Exists() {
		return nil, ErrNetworkNotFound
	}
	if months < MinRetentionMonths || months > MaxRetentionMonths {
		var fe FieldErrors
		fe.add("months", CodeOutOfRange, fmt.Sprintf("must be %d to %d, got %d", MinRetentionMonths, MaxRetentionMonths, months))
		return nil, fe.err()
	}
	if months == n.RetentionMonths {
		return nil, nil
	}
	return []Event{RetentionDefaultSet{Months: months}}, nil
}
