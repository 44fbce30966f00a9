package projections

import (
	"math/bits"
	"slices"
	"strings"

	"github.com/werkstatt/werkstatt/domain"
)

// The compact forms of the Memory rows that repeat for every registration and check-in: a
// catch-up decodes fresh strings from every event, and a million events would otherwise keep
// a copy of the same registration id, session id and day in each row.

// intern returns the Memory's copy of s, adding a copy of it when new (a decoder's string may
// share a larger buffer).
func (m *Memory) intern(s string) string {
	if s == "" {
		return ""
	}
	if c, ok := m.strs[s]; ok {
		return c
	}
	c := strings.Clone(s)
	m.strs[c] = c
	return c
}

func (m *Memory) internID(id domain.RegistrationID) domain.RegistrationID {
	return domain.RegistrationID(m.intern(string(id)))
}

func (m *Memory) internDay(d domain.Day) domain.Day { return domain.Day(m.intern(string(d))) }

// daysKey is a list of up to three days, the size of nearly every workshop.
type daysKey struct {
	n int
	d [3]domain.Day
}

// internDays returns a list equal to days that the rows share. Rows never change a list of
// days in place, and reads hand out copies.
func (m *Memory) internDays(days []domain.Day) []domain.Day {
	if len(days) == 0 {
		return days
	}
	if len(days) > len(daysKey{}.d) {
		out := make([]domain.Day, len(days))
		for i, d := range days {
			out[i] = m.internDay(d)
		}
		return out
	}
	k := daysKey{n: len(days)}
	copy(k.d[:], days)
	if c, ok := m.daySets[k]; ok {
		return c
	}
	c := make([]domain.Day, len(days))
	for i, d := range days {
		c[i] = m.internDay(d)
		k.d[i] = c[i]
	}
	m.daySets[k] = c
	return c
}

// internStatus returns the constant for a known status.
func internStatus(s domain.Status) domain.Status {
	switch s {
	case domain.Confirmed:
		return domain.Confirmed
	case domain.Waitlisted:
		return domain.Waitlisted
	case domain.Cancelled:
		return domain.Cancelled
	}
	return s
}

// dayStatuses is a registration's status on each day that has one, in a slice: a registration
// has a handful of days.
type dayStatuses []dayStatus

type dayStatus struct {
	day    domain.Day
	status domain.Status
	since  uint64 // orders the day's waitlist (see SetRegistrationDayStatus); 0 unless waitlisted
}

func (ds dayStatuses) set(d domain.Day, s domain.Status, since uint64) dayStatuses {
	s = internStatus(s)
	if s != domain.Waitlisted {
		since = 0
	}
	for i := range ds {
		if ds[i].day == d {
			ds[i].status, ds[i].since = s, since
			return ds
		}
	}
	return append(ds, dayStatus{day: d, status: s, since: since})
}

// keep drops the statuses of the days not among days.
func (ds dayStatuses) keep(days []domain.Day) dayStatuses {
	return slices.DeleteFunc(ds, func(x dayStatus) bool { return !slices.Contains(days, x.day) })
}

// statusOf is StatusOf over ds.
func (ds dayStatuses) statusOf(old domain.Status) domain.Status {
	switch {
	case old == domain.Cancelled:
		return old
	case ds.any(domain.Confirmed):
		return domain.Confirmed
	case len(ds) > 0:
		return domain.Waitlisted
	}
	return old
}

func (ds dayStatuses) any(s domain.Status) bool {
	return slices.ContainsFunc(ds, func(x dayStatus) bool { return x.status == s })
}

// statusMap returns the statuses by day, an empty map for none.
func (ds dayStatuses) statusMap() map[domain.Day]domain.Status {
	out := make(map[domain.Day]domain.Status, len(ds))
	for _, x := range ds {
		out[x.day] = x.status
	}
	return out
}

// sinceMap returns since by waitlisted day, an empty map for none.
func (ds dayStatuses) sinceMap() map[domain.Day]uint64 {
	out := map[domain.Day]uint64{}
	for _, x := range ds {
		if x.status == domain.Waitlisted {
			out[x.day] = x.since
		}
	}
	return out
}

// slotSet is a set of indexes of sheet.slots: the first 64 in a word, the rest in more.
type slotSet struct {
	lo   uint64
	more []uint64
}

func (s *slotSet) add(i int) {
	if i < 64 {
		s.lo |= 1 << i
		return
	}
	w := i/64 - 1
	if w >= len(s.more) {
		s.more = append(s.more, make([]uint64, w+1-len(s.more))...)
	}
	s.more[w] |= 1 << (i % 64)
}

func (s *slotSet) remove(i int) {
	if i < 64 {
		s.lo &^= 1 << i
	} else if w := i/64 - 1; w < len(s.more) {
		s.more[w] &^= 1 << (i % 64)
	}
}

func (s slotSet) has(i int) bool {
	if i < 64 {
		return s.lo&(1<<i) != 0
	}
	w := i/64 - 1
	return w < len(s.more) && s.more[w]&(1<<(i%64)) != 0
}

// max returns the highest index of a set that is not empty.
func (s slotSet) max() int {
	for w := len(s.more) - 1; w >= 0; w-- {
		if s.more[w] != 0 {
			return (w+1)*64 + 63 - bits.LeadingZeros64(s.more[w])
		}
	}
	return 63 - bits.LeadingZeros64(s.lo)
}

func (s slotSet) empty() bool { return s.len() == 0 }

func (s slotSet) len() int {
	n := bits.OnesCount64(s.lo)
	for _, w := range s.more {
		n += bits.OnesCount64(w)
	}
	return n
}

// each calls f with each index of the set, in ascending order.
func (s slotSet) each(f func(int)) {
	eachBit(0, s.lo, f)
	for w, x := range s.more {
		eachBit((w+1)*64, x, f)
	}
}

func eachBit(base int, x uint64, f func(int)) {
	for x != 0 {
		i := bits.TrailingZeros64(x)
		f(base + i)
		x &^= 1 << i
	}
}

// forget records that the event being applied removes personal data (see ForgotAt).
func (m *Memory) forget() { m.forgotAt = max(m.forgotAt, m.applying) }

// ForgotAt is the highest log sequence whose application removed personal data from these read
// models, 0 if none: a snapshot taken before it must not outlive it. Only an erasure and a
// reduction to evidence count: they follow the deletion of a key, so the log no longer reveals
// what they remove. What other rows drop (a cancelled person's café preferences, who closed
// an action item, a removed material) stays readable in the log.
func (m *Memory) ForgotAt() uint64 {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.forgotAt
}

// Checkpoints returns a copy of every projection's checkpoint (for the snapshot's sequence).
func (m *Memory) Checkpoints() map[string]uint64 {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make(map[string]uint64, len(m.checkpoints))
	for k, v := range m.checkpoints {
		out[k] = v
	}
	return out
}

func (m *Memory) internWorkshop(w domain.WorkshopID) domain.WorkshopID {
	return domain.WorkshopID(m.intern(string(w)))
}
