package app

import (
	"context"
	"errors"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// The documentation of a workshop (issue 16): what a past workshop leaves for those who may see
// it, gathered from the read models, never from the log. It holds only what the public pages
// already show: no names, no e-mail addresses, no registration ids.

// WriteSummary writes the organisers' summary ("Bilanz") of workshop id; "" clears it.
func (a *App) WriteSummary(ctx context.Context, id domain.WorkshopID, op Op, text string) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		return w.WriteSummary(domain.WriteSummary{Text: text})
	})
}

// Documentation is a workshop's documentation page.
type Documentation struct {
	Workshop projections.WorkshopView
	// Summary is the organisers' summary as Markdown, SummaryHTML the same rendered safely.
	Summary     string
	SummaryHTML string
	Materials   []DocumentedMaterial
	Topics      []DocumentedTopic
	ActionItems []DocumentedActionItem
	// Cafes are the workshop's theme cafés in agenda order, with their tables' notes.
	Cafes []DocumentedCafe
	// Photos says how many confirmed participants agreed that photos showing them may be
	// published, so that the organisers know whether photos may go up.
	Photos PhotoConsentCount
}

// PhotoConsentCount counts the confirmed registrations (Participants) and those of them that
// agreed that photos may be published (Consenting). Erased people count as not consenting: their
// consent was sealed with the rest of their data.
type PhotoConsentCount struct {
	Participants, Consenting int
}

// DocumentedMaterial is a material as the documentation lists it.
type DocumentedMaterial struct {
	ID          domain.MaterialID
	Title       string
	Name        string
	ContentType string
	Size        int64
}

// DocumentedCafe is a theme café of the workshop with the results of its tables.
type DocumentedCafe struct {
	Session domain.SessionID
	Title   string
	Day     domain.Day
	Tables  []DocumentedTable
}

// DocumentedTable is a café table: its topic, its host and the notes recorded per round (only
// rounds with notes). Host is the guest's name for a guest host and the organisation of a
// participant host, as the public pages show people; "" for none or an erased host.
type DocumentedTable struct {
	ID     domain.TableID
	Topic  string
	Host   string
	Rounds []DocumentedRound
	// Materials are the materials of the table (uploaded by its host or the organisers).
	Materials []DocumentedMaterial
}

// DocumentedRound is the notes of one table in one round.
type DocumentedRound struct {
	Round int
	domain.TableNotes
}

// DocumentedTopic is a follow-up topic: its title, status and how many people voted for it.
type DocumentedTopic struct {
	Title  string
	Status domain.TopicStatus
	Votes  int
}

// DocumentedActionItem is an agreed task; its owner shows as the organisation only, as on the
// public pages.
type DocumentedActionItem struct {
	What         string
	Organisation string
	DueBy        domain.Day
	Done         bool
}

// Documentation gathers the documentation of w, a workshop the caller may see (the caller's
// adapter checked its visibility).
func (a *App) Documentation(ctx context.Context, w projections.WorkshopView) (Documentation, error) {
	d := Documentation{Workshop: w, Summary: w.Summary, Materials: []DocumentedMaterial{},
		Topics: []DocumentedTopic{}, ActionItems: []DocumentedActionItem{}, Cafes: []DocumentedCafe{}}
	if w.Summary != "" {
		d.SummaryHTML = RenderMarkdown(w.Summary)
	}
	ms, err := a.cfg.Reader.Materials(ctx, w.ID)
	if err != nil {
		return Documentation{}, err
	}
	byTable := map[domain.TableID][]DocumentedMaterial{}
	for _, m := range ms {
		if m.TableID != "" {
			f := m.Current()
			byTable[m.TableID] = append(byTable[m.TableID], DocumentedMaterial{ID: m.ID, Title: m.Title, Name: f.Name,
				ContentType: f.ContentType, Size: f.Size})
		}
	}
	for _, m := range ms {
		f := m.Current()
		d.Materials = append(d.Materials, DocumentedMaterial{ID: m.ID, Title: m.Title, Name: f.Name,
			ContentType: f.ContentType, Size: f.Size})
	}
	regs, err := a.cfg.Reader.Registrations(ctx, w.ID)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return Documentation{}, err
	}
	if d.Cafes, err = a.documentedCafes(ctx, w, regs, byTable); err != nil {
		return Documentation{}, err
	}
	for _, r := range regs {
		if r.Status != domain.Confirmed {
			continue
		}
		d.Photos.Participants++
		if r.PhotoConsent && !r.Erased {
			d.Photos.Consenting++
		}
	}
	board, err := a.cfg.Reader.FollowUps(ctx, w.ID)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return Documentation{}, err
	}
	for _, t := range board.Topics {
		if t.MergedInto != "" {
			continue // its votes count on the topic it was merged into
		}
		d.Topics = append(d.Topics, DocumentedTopic{Title: t.Title, Status: t.Status, Votes: t.Voters})
	}
	items, err := a.cfg.Reader.ActionItems(ctx, projections.ActionItemFilter{Workshop: w.ID})
	if err != nil {
		return Documentation{}, err
	}
	for _, it := range items {
		d.ActionItems = append(d.ActionItems, DocumentedActionItem{What: it.What, Organisation: it.Who.Organisation,
			DueBy: it.DueBy, Done: it.Done})
	}
	return d, nil
}

// documentedCafes gathers the theme cafés of w's agenda with their tables and recorded notes.
func (a *App) documentedCafes(ctx context.Context, w projections.WorkshopView, regs []projections.RegistrationView,
	materials map[domain.TableID][]DocumentedMaterial) ([]DocumentedCafe, error) {
	orgOf := map[domain.RegistrationID]string{}
	for _, r := range regs {
		if !r.Erased {
			orgOf[r.ID] = r.Organisation
		}
	}
	cafes := []DocumentedCafe{}
	for _, s := range w.Agenda {
		if s.Kind != domain.ThemeCafe {
			continue
		}
		v, err := a.cfg.Reader.ThemeCafe(ctx, w.ID, s.ID)
		if errors.Is(err, domain.ErrNotFound) {
			continue // planned as a café, no tables yet
		}
		if err != nil {
			return nil, err
		}
		c := DocumentedCafe{Session: s.ID, Title: s.Title, Day: s.Day, Tables: []DocumentedTable{}}
		for _, t := range v.Tables {
			dt := DocumentedTable{ID: t.ID, Topic: t.Topic, Host: t.HostGuest, Rounds: []DocumentedRound{},
				Materials: append([]DocumentedMaterial{}, materials[t.ID]...)}
			if t.Host != "" {
				dt.Host = orgOf[t.Host]
			}
			for _, n := range v.Notes {
				if n.Table == t.ID {
					dt.Rounds = append(dt.Rounds, DocumentedRound{Round: n.Round, TableNotes: n.Notes})
				}
			}
			c.Tables = append(c.Tables, dt)
		}
		cafes = append(cafes, c)
	}
	return cafes, nil
}
