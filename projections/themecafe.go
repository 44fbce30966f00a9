package projections

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// ThemeCafes builds what organisers and participants read of theme cafés: tables, rounds, the
// collection of preferences, the rotation plan with its figures, and the notes of the tables.
// It keeps registrations by id: readers that show names join them from Registrations, which
// moves at its own checkpoint.
type ThemeCafes struct{}

// Name is stable: changing it rebuilds the model from the start of the log.
func (ThemeCafes) Name() string { return "themecafes.v1" }

// Apply writes the rows that follow from e. Like the domain, it gives every theme-café session
// a café, drops it with its session, and frees a cancelled registration's seats.
func (ThemeCafes) Apply(_ context.Context, tx Tx, r domain.Recorded) error {
	w := r.Workshop
	switch e := r.Event.(type) {
	case domain.SessionPlanned:
		putCafe(tx, w, e.Session)
	case domain.SessionChanged:
		putCafe(tx, w, e.Session)
	case domain.SessionCancelled:
		tx.DeleteCafe(w, e.SessionID)
	case domain.RegistrationCancelled:
		tx.DropCafeRegistration(w, e.RegistrationID)
	case domain.RoundsSet:
		// Readers list every round (the café's page, table cards, results): an event beyond the
		// domain's bound, written before it held or by hand, must not make them loop for ever.
		tx.SetCafeRounds(w, e.SessionID, min(max(e.Rounds, 1), domain.MaxRounds))
	case domain.TableAdded:
		tx.PutCafeTable(w, e.SessionID, e.Table, r.Seq)
	case domain.TableChanged:
		tx.ChangeCafeTable(w, e.SessionID, e.Table)
	case domain.TableRemoved:
		tx.DeleteCafeTable(w, e.SessionID, e.TableID)
	case domain.PreferenceCollectionOpened:
		tx.SetCafeCollection(w, e.SessionID, domain.CollectionOpen)
	case domain.PreferenceCollectionClosed:
		tx.SetCafeCollection(w, e.SessionID, domain.CollectionClosed)
	case domain.PreferencesStated:
		tx.PutCafePreferences(w, e.SessionID, e.RegistrationID, e.Ranking)
	case domain.RotationPlanned:
		tx.PutCafePlan(w, e.SessionID, e.Seed, e.Plan, e.Quality)
	case domain.GuestMoved:
		tx.MoveCafeGuest(w, e.SessionID, e.RegistrationID, e.Round, e.TableID, e.Quality)
	case domain.RotationPublished:
		tx.PublishCafePlan(w, e.SessionID)
	case domain.TableNotesRecorded:
		tx.PutCafeNotes(w, e.SessionID, e.TableID, e.Round, e.Notes, r.At)
	}
	return nil
}

func putCafe(tx Tx, w domain.WorkshopID, s domain.Session) {
	if s.Kind == domain.ThemeCafe {
		tx.PutCafe(w, s.ID)
	}
}

// ThemeCafeRows are the rows of ThemeCafes. Operations on a café that does not exist do
// nothing. Every change of tables, rounds or seated people after a plan marks the café
// ChangedSincePlan; a new plan clears it.
type ThemeCafeRows interface {
	// PutCafe records a café with domain.DefaultRounds and no tables, unless it exists.
	PutCafe(w domain.WorkshopID, s domain.SessionID)
	// DeleteCafe removes a café with everything in it.
	DeleteCafe(w domain.WorkshopID, s domain.SessionID)
	SetCafeRounds(w domain.WorkshopID, s domain.SessionID, rounds int)
	// PutCafeTable records a table; ordinal orders the tables (the sequence that added it).
	PutCafeTable(w domain.WorkshopID, s domain.SessionID, t domain.Table, ordinal uint64)
	// ChangeCafeTable sets a table's fields, keeping its place.
	ChangeCafeTable(w domain.WorkshopID, s domain.SessionID, t domain.Table)
	// DeleteCafeTable removes a table with its notes, from every ranking, and turns seats at it
	// into missing seats (domain.TableRemovedReason).
	DeleteCafeTable(w domain.WorkshopID, s domain.SessionID, t domain.TableID)
	SetCafeCollection(w domain.WorkshopID, s domain.SessionID, c domain.Collection)
	// PutCafePreferences sets a registration's ranking; an empty one removes it.
	PutCafePreferences(w domain.WorkshopID, s domain.SessionID, r domain.RegistrationID, ranking []domain.TableID)
	// PutCafePlan replaces the plan: unpublished, not changed since.
	PutCafePlan(w domain.WorkshopID, s domain.SessionID, seed uint64, p domain.RotationPlan, q domain.RotationQuality)
	// MoveCafeGuest seats r at t in round n and sets the plan's figures.
	MoveCafeGuest(w domain.WorkshopID, s domain.SessionID, r domain.RegistrationID, n int, t domain.TableID, q domain.RotationQuality)
	PublishCafePlan(w domain.WorkshopID, s domain.SessionID)
	PutCafeNotes(w domain.WorkshopID, s domain.SessionID, t domain.TableID, round int, n domain.TableNotes, at time.Time)
	// DropCafeRegistration removes a cancelled registration's rankings, seats and hosting from
	// every café of the workshop.
	DropCafeRegistration(w domain.WorkshopID, r domain.RegistrationID)
}

// ThemeCafeReader reads theme cafés.
type ThemeCafeReader interface {
	// ThemeCafe returns the café of a theme-café session, or domain.ErrSessionNotFound when
	// there is none: no such workshop or session, or a session that never was a theme café.
	// (The café model does not track workshops; callers that tell the cases apart read the
	// workshop first.)
	ThemeCafe(ctx context.Context, w domain.WorkshopID, s domain.SessionID) (ThemeCafeView, error)
}

// ThemeCafeView is a theme café as organisers see it. Tables are in the order they were
// added; Unseated by round, then guest; Notes by table order, then round.
type ThemeCafeView struct {
	Workshop   domain.WorkshopID
	Session    domain.SessionID
	Rounds     int
	Tables     []domain.Table
	Collection domain.Collection
	// Preferences holds the rankings, best first; len(Preferences) is how many chose.
	Preferences map[domain.RegistrationID][]domain.TableID
	// Plan is nil before the first plan. Seats[guest][n-1] is the table in round n, "" for none.
	Plan             *domain.RotationPlan
	Seed             uint64
	Quality          domain.RotationQuality
	Published        bool
	ChangedSincePlan bool
	Notes            []CafeNotes
}

// CafeNotes are the notes of one table in one round.
type CafeNotes struct {
	Table      domain.TableID
	Round      int
	Notes      domain.TableNotes
	RecordedAt time.Time
}

// Chose counts the participants who ranked tables.
func (v ThemeCafeView) Chose() int { return len(v.Preferences) }

// Normalise puts the view's lists in their documented order and makes times UTC, so that
// every store answers the same value.
func (v *ThemeCafeView) Normalise() {
	if v.Preferences == nil {
		v.Preferences = map[domain.RegistrationID][]domain.TableID{}
	}
	if v.Plan != nil {
		slices.SortFunc(v.Plan.Unseated, func(a, b domain.Unseated) int {
			return cmp.Or(cmp.Compare(a.Round, b.Round), cmp.Compare(a.Guest, b.Guest))
		})
		if len(v.Plan.Unseated) == 0 {
			v.Plan.Unseated = nil
		}
	}
	order := map[domain.TableID]int{}
	for i, t := range v.Tables {
		order[t.ID] = i
	}
	slices.SortFunc(v.Notes, func(a, b CafeNotes) int {
		return cmp.Or(cmp.Compare(order[a.Table], order[b.Table]), cmp.Compare(a.Round, b.Round))
	})
	for i := range v.Notes {
		n := &v.Notes[i]
		n.RecordedAt = n.RecordedAt.UTC()
		n.Notes.KeyPoints, n.Notes.Examples, n.Notes.OpenQuestions = nilIfEmpty(n.Notes.KeyPoints),
			nilIfEmpty(n.Notes.Examples), nilIfEmpty(n.Notes.OpenQuestions)
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}
