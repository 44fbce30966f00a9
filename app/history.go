package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Log reads one workshop's recorded events: oldest first, with the sequence, time and actor of
// their commits, personal data opened (Person nil where erased); none for a workshop that was
// never scheduled. *eventstore.Store implements it. The history and the read models "as of" a
// time read it.
type Log interface {
	Recorded(ctx context.Context, id domain.WorkshopID) ([]domain.Recorded, error)
}

// AccountNames tells the name of a person's account. Names are personal data: ok is false when
// there is no such account or its person was erased.
type AccountNames interface {
	AccountName(ctx context.Context, id string) (name string, ok bool, err error)
}

// ActorKind is the kind of an actor the log records.
type ActorKind string

// The kinds of actors (ParseActor).
const (
	KindOrganiser   ActorKind = "organiser"   // the instance's organiser token
	KindPublic      ActorKind = "public"      // anyone, without a token
	KindParticipant ActorKind = "participant" // a participant on their own registration
	KindHost        ActorKind = "host"        // a café table's host by the host link
	KindAccount     ActorKind = "account"     // a signed-in person acting in a role
	KindUnknown     ActorKind = "unknown"     // anything else: a log written by a later version
)

// ActorAccount is the actor of a signed-in person: account id acting in role.
func ActorAccount(id domain.AccountID, role domain.Role) string {
	return "account:" + string(id) + ":" + string(role)
}

// Actor is who acted, as ParseActor reads it from the log: ID is the registration of a
// participant or the account of a person ("" otherwise); Role is the role acted in (for an
// account the role it names, else the kind itself).
type Actor struct {
	Kind ActorKind
	ID   string
	Role string
}

// ParseActor reads an actor as the log records it (ActorOrganiser, ActorPublic,
// ActorParticipant, ActorHost, ActorAccount). What it does not know is KindUnknown with the
// role "unknown": the history shows it, it never fails.
func ParseActor(s string) Actor {
	switch s {
	case ActorOrganiser:
		return Actor{Kind: KindOrganiser, Role: string(KindOrganiser)}
	case ActorPublic:
		return Actor{Kind: KindPublic, Role: string(KindPublic)}
	case ActorHost:
		return Actor{Kind: KindHost, Role: string(KindHost)}
	case ActorSchedule:
		return Actor{Kind: KindSchedule, Role: string(KindSchedule)}
	}
	if rid, ok := strings.CutPrefix(s, "participant:"); ok && domain.ValidID(rid) {
		return Actor{Kind: KindParticipant, ID: rid, Role: string(KindParticipant)}
	}
	if rest, ok := strings.CutPrefix(s, "account:"); ok {
		i := strings.LastIndexByte(rest, ':')
		if i > 0 && isAccountRole(rest[i+1:]) {
			return Actor{Kind: KindAccount, ID: rest[:i], Role: rest[i+1:]}
		}
	}
	return Actor{Kind: KindUnknown, Role: string(KindUnknown)}
}

func isAccountRole(role string) bool { return domain.Role(role).Valid() }

// HistoryEntry is one event of a workshop's history.
type HistoryEntry struct {
	Seq   uint64
	At    time.Time
	Type  string // the event's stored name
	Event domain.Event
	Actor Actor
	// Name is the acting person's name: nil for the organiser token, the public and a host,
	// and once the person was erased (or when no one can tell it).
	Name *string
}

var errNoLog = errors.New("app: no Log configured, so the workshop's history cannot be read")

// History returns every event of workshop id, oldest first, with who acted and, where a person
// did, their name. A workshop that was never scheduled is domain.ErrWorkshopNotFound.
func (a *App) History(ctx context.Context, id domain.WorkshopID) ([]HistoryEntry, error) {
	recs, err := a.recorded(ctx, id)
	if err != nil {
		return nil, err
	}
	people := participantNames(recs)
	accounts := map[string]*string{}
	out := make([]HistoryEntry, len(recs))
	for i, r := range recs {
		actor := ParseActor(r.Actor)
		e := HistoryEntry{Seq: r.Seq, At: r.At, Type: r.Event.Name(), Event: r.Event, Actor: actor}
		switch actor.Kind {
		case KindParticipant:
			e.Name = people[domain.RegistrationID(actor.ID)]
		case KindAccount:
			if e.Name, err = a.accountName(ctx, accounts, actor.ID); err != nil {
				return nil, err
			}
		}
		out[i] = e
	}
	return out, nil
}

// recorded reads the workshop's log; no events is an unknown workshop.
func (a *App) recorded(ctx context.Context, id domain.WorkshopID) ([]domain.Recorded, error) {
	if a.cfg.Log == nil {
		return nil, errNoLog
	}
	if !domain.ValidID(string(id)) {
		return nil, domain.ErrWorkshopNotFound
	}
	recs, err := a.cfg.Log.Recorded(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, domain.ErrWorkshopNotFound
	}
	return recs, nil
}

// participantNames are the names of the registrations recorded in recs, nil where erased (the
// log opens no Person then).
func participantNames(recs []domain.Recorded) map[domain.RegistrationID]*string {
	names := map[domain.RegistrationID]*string{}
	for _, r := range recs {
		if p, ok := r.Event.(domain.ParticipantRegistered); ok && p.Person != nil {
			name := p.Person.Name
			names[p.RegistrationID] = &name
		}
	}
	return names
}

// accountName asks AccountNames once per account of a history.
func (a *App) accountName(ctx context.Context, seen map[string]*string, id string) (*string, error) {
	if name, ok := seen[id]; ok || a.accountNames() == nil {
		return name, nil
	}
	name, ok, err := a.accountNames().AccountName(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ok {
		seen[id] = nil
		return nil, nil
	}
	seen[id] = &name
	return &name, nil
}

// ErrAsOfInFuture is returned by AsOf for a time after now: the log cannot tell what will be
// (API: 400).
var ErrAsOfInFuture = errors.New("as_of lies in the future")

// asOfSkew is how far a time "as of" may lie after now on this instance's clock, for clocks
// of clients that run a little ahead.
const asOfSkew = time.Minute

// AsOf returns the read models of workshop id as they stood at t, folded from the log by the
// projections the runner uses: the commits in log order up to the first one recorded after t
// (a later commit never enters, even if another replica's clock wrote an earlier time after
// it). Only workshop id is in them. A workshop scheduled after t, or never, is
// domain.ErrWorkshopNotFound: it did not exist then.
func (a *App) AsOf(ctx context.Context, id domain.WorkshopID, t time.Time) (projections.Reader, error) {
	if t.After(a.cfg.Now().Add(asOfSkew)) {
		return nil, ErrAsOfInFuture
	}
	recs, err := a.recorded(ctx, id)
	if err != nil {
		return nil, err
	}
	n := 0
	for n < len(recs) && !recs[n].At.After(t) {
		n++
	}
	if n == 0 {
		return nil, domain.ErrWorkshopNotFound
	}
	for n < len(recs) && recs[n].Seq == recs[n-1].Seq {
		n++ // a commit is one decision: never half of it
	}
	m := projections.NewMemory()
	if _, err := m.ApplyAll(ctx, projections.All(), recs[:n]); err != nil {
		return nil, err
	}
	return m, nil
}
