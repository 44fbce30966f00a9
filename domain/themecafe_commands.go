package domain

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// cafe returns the session's café, or why there is none: the workshop or session does not
// exist, or the session is of another kind.
func (w Workshop) cafe(id SessionID) (Session, *Cafe, error) {
	if !w.Scheduled() {
		return Session{}, nil, ErrWorkshopNotFound
	}
	s, ok := w.Sessions[id]
	if !ok {
		return Session{}, nil, ErrSessionNotFound
	}
	c, ok := w.ThemeCafes[id]
	if s.Kind != ThemeCafe || !ok {
		return Session{}, nil, fmt.Errorf("%w: %q is a %s", ErrNotThemeCafe, s.Title, s.Kind)
	}
	return s, c, nil
}

// takesPart reports whether registration id is confirmed for day: only such people are placed
// at tables, rank tables or host one.
func (w Workshop) takesPart(id RegistrationID, day Day) error {
	r, ok := w.Registrations[id]
	if !ok {
		return ErrRegistrationNotFound
	}
	if !r.ConfirmedOn(day) {
		return fmt.Errorf("%w: the registration is %s on %s (its days are %v)", ErrNotConfirmedForCafe, r.DayStatus[day], day, r.Days)
	}
	return nil
}

// SetRounds sets the number of rounds of a theme café.
type SetRounds struct {
	SessionID SessionID
	Rounds    int
}

// SetRounds decides the number of rounds. A plan made for another number stays until the next
// plan, but takes no moves (ErrPlanOutdated).
func (w Workshop) SetRounds(c SetRounds) ([]Event, error) {
	_, cafe, err := w.cafe(c.SessionID)
	if err != nil {
		return nil, err
	}
	var fe FieldErrors
	if checkRange(&fe, "rounds", c.Rounds, 1, MaxRounds); fe.err() != nil {
		return nil, fe
	}
	if c.Rounds == cafe.Rounds {
		return nil, nil
	}
	return []Event{RoundsSet{SessionID: c.SessionID, Rounds: c.Rounds}}, nil
}

// AddTable adds a table to a theme café; Table.ID comes from the caller.
type AddTable struct {
	SessionID SessionID
	Table     Table
}

// AddTable decides a new table.
func (w Workshop) AddTable(c AddTable) ([]Event, error) {
	s, cafe, err := w.cafe(c.SessionID)
	if err != nil {
		return nil, err
	}
	if c.Table.ID == "" {
		return nil, FieldErrors{{"id", CodeRequired, "must not be empty"}}
	}
	var fe FieldErrors
	if checkID(&fe, "id", string(c.Table.ID)); fe.err() != nil {
		return nil, fe
	}
	if _, ok := cafe.Table(c.Table.ID); ok {
		return nil, fmt.Errorf("%w: table id %s is taken", ErrConflict, c.Table.ID)
	}
	if len(cafe.Tables) >= MaxTables {
		return nil, fmt.Errorf("%w: a café has at most %d tables", ErrConflict, MaxTables)
	}
	t, err := w.checkTable(s, cafe, c.Table)
	if err != nil {
		return nil, err
	}
	return []Event{TableAdded{SessionID: c.SessionID, Table: t}}, nil
}

// ChangeTable changes a table of a theme café; nil fields stay as they are. Setting Host
// clears HostGuest and the other way round; "" removes the host.
type ChangeTable struct {
	SessionID   SessionID
	TableID     TableID
	Topic       *string
	Description *string
	Host        *RegistrationID
	HostGuest   *string
	Capacity    *int
}

// ChangeTable decides a change of a table.
func (w Workshop) ChangeTable(c ChangeTable) ([]Event, error) {
	s, cafe, err := w.cafe(c.SessionID)
	if err != nil {
		return nil, err
	}
	old, ok := cafe.Table(c.TableID)
	if !ok {
		return nil, ErrTableNotFound
	}
	t := old
	set(&t.Topic, c.Topic)
	set(&t.Description, c.Description)
	set(&t.Capacity, c.Capacity)
	if c.Host != nil {
		t.Host, t.HostGuest = *c.Host, ""
	}
	if c.HostGuest != nil {
		t.HostGuest, t.Host = *c.HostGuest, ""
	}
	if t, err = w.checkTable(s, cafe, t); err != nil {
		return nil, err
	}
	if t == old {
		return nil, nil
	}
	return []Event{TableChanged{SessionID: c.SessionID, Table: t}}, nil
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// checkTable validates t for café c of session s and returns it normalised.
func (w Workshop) checkTable(s Session, c *Cafe, t Table) (Table, error) {
	var fe FieldErrors
	t.Topic, t.Description, t.HostGuest = strings.TrimSpace(t.Topic), strings.TrimSpace(t.Description), strings.TrimSpace(t.HostGuest)
	checkText(&fe, "topic", t.Topic, true, maxTitle)
	checkProse(&fe, "description", t.Description, false, maxText)
	checkText(&fe, "host_guest", t.HostGuest, false, maxTitle)
	checkRange(&fe, "capacity", t.Capacity, 1, maxTableCapacity)
	if t.Host != "" && t.HostGuest != "" {
		fe.add("host", CodeEitherOr, "name either a registration or a guest as host, not both")
	}
	if err := fe.err(); err != nil {
		return Table{}, err
	}
	if t.Host == "" {
		return t, nil
	}
	if err := w.takesPart(t.Host, s.Day); err != nil {
		return Table{}, err
	}
	for _, o := range c.Tables {
		if o.ID != t.ID && o.Host == t.Host {
			return Table{}, fmt.Errorf("%w: %q", ErrAlreadyHosting, o.Topic)
		}
	}
	return t, nil
}

// RemoveTable decides that a table leaves a theme café, with its notes.
func (w Workshop) RemoveTable(session SessionID, table TableID) ([]Event, error) {
	_, cafe, err := w.cafe(session)
	if err != nil {
		return nil, err
	}
	if _, ok := cafe.Table(table); !ok {
		return nil, ErrTableNotFound
	}
	return []Event{TableRemoved{SessionID: session, TableID: table}}, nil
}

// OpenPreferences lets participants rank the tables. It needs at least one table; opening an
// open collection decides nothing.
func (w Workshop) OpenPreferences(session SessionID) ([]Event, error) {
	_, cafe, err := w.cafe(session)
	if err != nil {
		return nil, err
	}
	if len(cafe.Tables) == 0 {
		return nil, ErrNoTables
	}
	if cafe.Collection == CollectionOpen {
		return nil, nil
	}
	return []Event{PreferenceCollectionOpened{SessionID: session}}, nil
}

// ClosePreferences ends the collection of rankings; closing a closed one decides nothing.
func (w Workshop) ClosePreferences(session SessionID) ([]Event, error) {
	_, cafe, err := w.cafe(session)
	if err != nil {
		return nil, err
	}
	if cafe.Collection == CollectionClosed {
		return nil, nil
	}
	return []Event{PreferenceCollectionClosed{SessionID: session}}, nil
}

// StatePreferences ranks the tables a participant would like to visit, best first (at most
// MaxRanking); an empty ranking withdraws it.
type StatePreferences struct {
	SessionID      SessionID
	RegistrationID RegistrationID
	Ranking        []TableID
}

// StatePreferences decides a participant's ranking.
func (w Workshop) StatePreferences(c StatePreferences) ([]Event, error) {
	s, cafe, err := w.cafe(c.SessionID)
	if err != nil {
		return nil, err
	}
	if err := w.takesPart(c.RegistrationID, s.Day); err != nil {
		return nil, err
	}
	var fe FieldErrors
	if len(c.Ranking) > MaxRanking {
		fe.add("ranking", CodeTooMany, fmt.Sprintf("must name at most %d tables", MaxRanking))
	}
	for i, t := range c.Ranking {
		switch _, ok := cafe.Table(t); {
		case !ok:
			fe.add("ranking", CodeNotATable, fmt.Sprintf("%q is not a table of this café", t))
		case slices.Contains(c.Ranking[:i], t):
			fe.add("ranking", CodeNamedTwice, fmt.Sprintf("%q is named twice", t))
		}
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	if cafe.Collection != CollectionOpen {
		return nil, ErrCollectionClosed
	}
	if slices.Equal(cafe.Preferences[c.RegistrationID], c.Ranking) {
		return nil, nil
	}
	return []Event{PreferencesStated{SessionID: c.SessionID, RegistrationID: c.RegistrationID,
		Ranking: slices.Clone(c.Ranking)}}, nil
}

// RecordNotes records what a table brought up in a round. By is the registration recording
// them, "" for an organiser; a registration must host the table.
type RecordNotes struct {
	SessionID SessionID
	TableID   TableID
	Round     int
	By        RegistrationID
	Notes     TableNotes
	// HostTokenHash, when set, is the hash of the host link's token the notes come with: it
	// must be the table's current host link (else ErrHostLinkNotFound).
	HostTokenHash string
}

// RecordNotes decides a table's notes of a round; they replace earlier ones.
func (w Workshop) RecordNotes(c RecordNotes) ([]Event, error) {
	_, cafe, err := w.cafe(c.SessionID)
	if err != nil {
		return nil, err
	}
	if c.HostTokenHash != "" {
		if _, _, err := w.HostTable(c.SessionID, c.TableID, c.HostTokenHash); err != nil {
			return nil, err
		}
	}
	t, ok := cafe.Table(c.TableID)
	if !ok {
		return nil, ErrTableNotFound
	}
	if c.By != "" && c.By != t.Host {
		return nil, ErrNotTableHost
	}
	var fe FieldErrors
	if c.Round < 1 || c.Round > cafe.Rounds {
		fe.add("round", CodeOutOfRange, fmt.Sprintf("must be between 1 and %d", cafe.Rounds))
	}
	notes := TableNotes{KeyPoints: checkItems(&fe, "key_points", c.Notes.KeyPoints),
		Examples: checkItems(&fe, "examples", c.Notes.Examples), OpenQuestions: checkItems(&fe, "open_questions", c.Notes.OpenQuestions)}
	if err := fe.err(); err != nil {
		return nil, err
	}
	old := cafe.Notes[TableRound{c.TableID, c.Round}]
	if slices.Equal(old.KeyPoints, notes.KeyPoints) && slices.Equal(old.Examples, notes.Examples) &&
		slices.Equal(old.OpenQuestions, notes.OpenQuestions) {
		return nil, nil
	}
	return []Event{TableNotesRecorded{SessionID: c.SessionID, TableID: c.TableID, Round: c.Round, Notes: notes}}, nil
}

// checkItems trims the items of a list of notes and drops empty ones; nil when none is left.
func checkItems(fe *FieldErrors, field string, items []string) []string {
	var out []string
	for _, it := range items {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	if len(out) > maxNotes {
		fe.add(field, CodeTooMany, fmt.Sprintf("must hold at most %d items", maxNotes))
	}
	for _, it := range out {
		if code, detail := textProblem(it, true); code != "" {
			fe.add(field, code, detail)
			break
		}
		if utf8.RuneCountInString(it) > maxText {
			fe.add(field, CodeTooLong, fmt.Sprintf("items must be at most %d characters", maxText))
			break
		}
	}
	return out
}
