package domain_test

import (
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
)

const logoDigest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func logo() *domain.Logo {
	return &domain.Logo{Digest: logoDigest, ContentType: "image/png", Size: 1234, Width: 300, Height: 120}
}

func setFunding(f domain.Funding) command {
	return func(w domain.Workshop) ([]domain.Event, error) { return w.SetFunding(domain.SetFunding{Funding: f}) }
}

func fundingSet(f domain.Funding) domain.Event { return domain.FundingSet{Funding: f} }

var amif = domain.Funding{Project: "Ankommen im Quartier", FundingReference: "AMIF-2026-0815",
	Funder: "Asyl-, Migrations- und Integrationsfonds (AMIF)"}

func withLogo(f domain.Funding, l *domain.Logo) domain.Funding { f.Logo = l; return f }

func TestSetFunding(t *testing.T) {
	base := history(scheduled(10, day1))
	funded := history(base, fundingSet(withLogo(amif, logo())))
	padded := domain.Funding{Project: " Ankommen im Quartier ", FundingReference: " AMIF-2026-0815", Funder: "Asyl-, Migrations- und Integrationsfonds (AMIF) "}
	badLogo := func(edit func(*domain.Logo)) domain.Funding {
		l := logo()
		edit(l)
		return withLogo(amif, l)
	}
	runDecisions(t, []decision{
		{name: "workshop not scheduled", when: setFunding(amif), err: domain.ErrWorkshopNotFound, class: domain.ErrNotFound},
		{name: "details set, trimmed", given: base, when: setFunding(padded), then: history(fundingSet(amif))},
		{name: "with a logo", given: base, when: setFunding(withLogo(amif, logo())), then: history(fundingSet(withLogo(amif, logo())))},
		{name: "the same details again decide nothing", given: funded, when: setFunding(withLogo(padded, logo()))},
		{name: "logo removed", given: funded, when: setFunding(amif), then: history(fundingSet(amif))},
		{name: "only a logo", given: base, when: setFunding(domain.Funding{Logo: logo()}),
			then: history(fundingSet(domain.Funding{Logo: logo()}))},
		{name: "nothing set removes them", given: funded, when: setFunding(domain.Funding{}), then: history(fundingSet(domain.Funding{}))},
		{name: "a funder alone names nothing", given: funded, when: setFunding(domain.Funding{Funder: "AMIF"}),
			then: history(fundingSet(domain.Funding{}))},
		{name: "removing what is not set decides nothing", given: base, when: setFunding(domain.Funding{})},
		{name: "texts too long, control characters", given: base,
			when:   setFunding(domain.Funding{Project: strings.Repeat("p", 201), FundingReference: "a\x00b", Funder: "x\ny"}),
			fields: []string{"funder", "funding_reference", "project"}},
		{name: "bad digest", given: base, when: setFunding(badLogo(func(l *domain.Logo) { l.Digest = "md5:abc" })),
			fields: []string{"logo.digest"}},
		{name: "upper-case digest", given: base, when: setFunding(badLogo(func(l *domain.Logo) { l.Digest = strings.ToUpper(logoDigest) })),
			fields: []string{"logo.digest"}},
		{name: "not PNG or JPEG", given: base, when: setFunding(badLogo(func(l *domain.Logo) { l.ContentType = "image/svg+xml" })),
			fields: []string{"logo.content_type"}},
		{name: "size and pixels out of range", given: base,
			when:   setFunding(badLogo(func(l *domain.Logo) { l.Size, l.Width, l.Height = domain.MaxLogoBytes+1, 4001, -1 })),
			fields: []string{"logo.height", "logo.size", "logo.width"}},
		{name: "empty image", given: base, when: setFunding(badLogo(func(l *domain.Logo) { l.Size = 0 })),
			fields: []string{"logo.size"}},
	})
}

func TestScheduleInheritsFunding(t *testing.T) {
	schedule := func(f domain.Funding) command {
		return func(w domain.Workshop) ([]domain.Event, error) {
			return w.Schedule(domain.ScheduleWorkshop{ID: "w2", Title: "Ideenwerkstatt", Series: "Netzwerk",
				Venue: "Rathaus", Days: []domain.Day{day1}, Capacity: 10, Funding: f})
		}
	}
	sched := domain.WorkshopScheduled{ID: "w2", Title: "Ideenwerkstatt", Series: "Netzwerk", Venue: "Rathaus",
		Days: []domain.Day{day1}, Capacity: 10}
	runDecisions(t, []decision{
		{name: "inherited details follow the scheduling", when: schedule(withLogo(padded(), logo())),
			then: history(sched, fundingSet(withLogo(amif, logo())))},
		{name: "nothing to inherit", when: schedule(domain.Funding{}), then: history(sched)},
		{name: "broken inherited details are refused", when: schedule(domain.Funding{Project: "a\x00"}),
			fields: []string{"project"}},
	})
	w := domain.Workshop{}.Fold(sched, fundingSet(withLogo(amif, logo())))
	if !w.Funding.Equal(withLogo(amif, logo())) {
		t.Errorf("folded funding: got %+v, want %+v", w.Funding, withLogo(amif, logo()))
	}
}

func padded() domain.Funding {
	return domain.Funding{Project: " Ankommen im Quartier ", FundingReference: " AMIF-2026-0815", Funder: "Asyl-, Migrations- und Integrationsfonds (AMIF) "}
}
