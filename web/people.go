package web

import (
	"context"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// people are a workshop's registrations by id, so that pages can show names where the read
// models hold ids (theme-café seats, topic proposers, action-item owners).
type people map[domain.RegistrationID]projections.RegistrationView

// peopleOf loads the registrations of workshop id.
func (s *site) peopleOf(ctx context.Context, id domain.WorkshopID) (people, error) {
	all, err := s.cfg.Reader.Registrations(ctx, id)
	if err != nil {
		return nil, err
	}
	p := make(people, len(all))
	for _, r := range all {
		p[r.ID] = r
	}
	return p, nil
}

// Name is the name of registration id; an erased or unknown one shows its id.
func (p people) Name(id domain.RegistrationID) string {
	if r, ok := p[id]; ok && !r.Erased {
		return r.Name
	}
	return string(id)
}
