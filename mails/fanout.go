package mails

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// The mails of an event that reaches many people: the reminder before a workshop, the feedback
// request after it, an organiser's message and a theme café's routes. The domain named the
// registrations when it decided the event (see domain/mailings.go), so that the mails follow
// the log as it was then; a person erased since gets nothing.

// fanOut composes the mails of one such event, one per person, in the order of its
// recipients.
func (c Composer) fanOut(ctx context.Context, r domain.Recorded) ([]Message, error) {
	switch e := r.Event.(type) {
	case domain.RemindersSent:
		return c.each(ctx, r.Workshop, e.Recipients, func(v projections.RegistrationView, lang string, w projections.WorkshopView) (*Message, error) {
			return c.reminder(ctx, v, lang, w)
		})
	case domain.FeedbackRequested:
		return c.each(ctx, r.Workshop, e.Recipients, func(v projections.RegistrationView, lang string, w projections.WorkshopView) (*Message, error) {
			return c.feedbackRequest(ctx, v, lang, w)
		})
	case domain.MessageSent:
		return c.each(ctx, r.Workshop, e.Recipients, func(v projections.RegistrationView, lang string, w projections.WorkshopView) (*Message, error) {
			return c.message(v, lang, w, e)
		})
	case domain.RotationPublished:
		return c.cafeRoutes(ctx, r.Workshop, e.SessionID)
	}
	return nil, nil
}

// each composes one mail per registration of ids that still has a person and an address.
func (c Composer) each(ctx context.Context, w domain.WorkshopID, ids []domain.RegistrationID,
	compose func(v projections.RegistrationView, lang string, w projections.WorkshopView) (*Message, error)) ([]Message, error) {
	var out []Message
	for _, rid := range ids {
		v, lang, ws, err := c.person(ctx, w, rid)
		if errors.Is(err, domain.ErrRegistrationNotFound) {
			continue // never projected: nobody to write to
		}
		if err != nil {
			return nil, err
		}
		if v == nil {
			continue
		}
		m, err := compose(*v, lang, ws)
		if err != nil {
			return nil, err
		}
		if m != nil {
			out = append(out, *m)
		}
	}
	return out, nil
}

// reminder tells a confirmed person that the workshop is coming up: their days, the venue, the
// agenda and their personal link.
func (c Composer) reminder(ctx context.Context, v projections.RegistrationView, lang string, w projections.WorkshopView) (*Message, error) {
	days := v.ConfirmedDays()
	if len(days) == 0 {
		days = v.Days
	}
	d := data{T: catalogue[lang], Name: v.Name, Workshop: w.Title, Venue: w.Venue, Days: dates(lang, days),
		Agenda: c.agenda(w.ID, lang), Link: c.link(w.ID, v.ID, v.TokenHash, lang)}
	if err := c.worded(ctx, w.Network, KindReminder, lang, &d); err != nil {
		return nil, err
	}
	return render(lang, KindReminder, v.ID, v.Email, v.Name, d)
}

// feedbackRequest asks a person who was there for their feedback, with the link to their
// feedback page. Without a personal link (an old random token) it still asks, without a link.
func (c Composer) feedbackRequest(ctx context.Context, v projections.RegistrationView, lang string, w projections.WorkshopView) (*Message, error) {
	d := data{T: catalogue[lang], Name: v.Name, Workshop: w.Title, Venue: w.Venue, Days: dates(lang, v.Days),
		Feedback: c.linkTo(w.ID, v.ID, v.TokenHash, lang, "/feedback")}
	if err := c.worded(ctx, w.Network, KindFeedbackRequest, lang, &d); err != nil {
		return nil, err
	}
	return render(lang, KindFeedbackRequest, v.ID, v.Email, v.Name, d)
}

// message is an organiser's message: their subject and text as they wrote them, framed by the
// greeting and footer in the person's language.
func (c Composer) message(v projections.RegistrationView, lang string, w projections.WorkshopView, e domain.MessageSent) (*Message, error) {
	d := data{T: catalogue[lang], Name: v.Name, Workshop: w.Title, Venue: w.Venue, Days: dates(lang, v.Days),
		Subject: e.Subject, Lines: strings.Split(strings.ReplaceAll(e.Text, "\r\n", "\n"), "\n"),
		Link: c.link(w.ID, v.ID, v.TokenHash, lang), Privacy: c.privacy(w.Network, lang)}
	return render(lang, KindMessage, v.ID, v.Email, v.Name, d)
}

// cafeRoutes mails every participant with a seat in the published plan of café sid their
// route: round by round, the table's topic.
func (c Composer) cafeRoutes(ctx context.Context, id domain.WorkshopID, sid domain.SessionID) ([]Message, error) {
	cafe, err := c.Reader.ThemeCafe(ctx, id, sid)
	if errors.Is(err, domain.ErrSessionNotFound) {
		return nil, nil // the café is gone
	}
	if err != nil {
		return nil, err
	}
	if cafe.Plan == nil {
		return nil, nil
	}
	w, err := c.Reader.Workshop(ctx, id)
	if err != nil {
		return nil, err
	}
	var session domain.Session
	for _, s := range w.Agenda {
		if s.ID == sid {
			session = s
		}
	}
	topics := map[domain.TableID]string{}
	for _, t := range cafe.Tables {
		topics[t.ID] = t.Topic
	}
	var ids []domain.RegistrationID
	for rid, seats := range cafe.Plan.Seats {
		for _, t := range seats {
			if t != "" {
				ids = append(ids, rid)
				break
			}
		}
	}
	slices.Sort(ids)
	return c.each(ctx, id, ids, func(v projections.RegistrationView, lang string, w projections.WorkshopView) (*Message, error) {
		if v.Status == domain.Cancelled {
			return nil, nil
		}
		times := reports.Lang(lang).RoundTimes(session, cafe.Rounds)
		var route []Stop
		for i, t := range cafe.Plan.Seats[v.ID] {
			s := Stop{Round: i + 1, Topic: topics[t]}
			if i < len(times) {
				s.Time = times[i]
			}
			route = append(route, s)
		}
		d := data{T: catalogue[lang], Name: v.Name, Workshop: w.Title, Venue: w.Venue, Session: session.Title,
			Route: route, Link: c.linkTo(w.ID, v.ID, v.TokenHash, lang, "/cafes/"+url.PathEscape(string(sid)))}
		if err := c.worded(ctx, w.Network, KindCafeRoute, lang, &d); err != nil {
			return nil, err
		}
		return render(lang, KindCafeRoute, v.ID, v.Email, v.Name, d)
	})
}

// Stop is one round of a café route: the table's topic, "" for a round without a seat.
type Stop struct {
	Round int
	Time  string
	Topic string
}

// agenda is the address of the workshop's page with its agenda.
func (c Composer) agenda(w domain.WorkshopID, lang string) string {
	link := strings.TrimRight(c.PublicURL, "/") + "/w/" + url.PathEscape(string(w))
	if lang != domain.DefaultLanguage {
		link += "?lang=" + lang
	}
	return link
}
