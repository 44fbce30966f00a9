package app

import (
	"context"
	"errors"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
	"github.com/werkstatt/werkstatt/reports"
)

// A person may ask what Werkstatt stores about them (GDPR Art. 15) and take it with them (Art.
// 20). The export holds everything found under their e-mail address, by the same keyed hash
// the erasure uses: every registration that is not erased, with its workshop, days, answers,
// check-ins, café choices and routes, proposed topics, votes and action items, and their
// accounts in networks. Every export given is recorded on the log of each workshop it covers
// (domain.PersonalDataExported) with who asked and how, never the address.

// PersonExport is a person's export; see reports.PersonExport.
type PersonExport = reports.PersonExport

// maxEmail bounds the address an export is asked for with (as the API documents it).
const maxEmail = 254

// DataExportLinkLifetime is how long the link mailed on a person's request works.
const DataExportLinkLifetime = 7 * 24 * time.Hour

// exportNotes say, in the export itself, what it cannot hold.
var exportNotes = []string{
	"Feedback answers are anonymous: they are stored without your name, registration or e-mail address and cannot be linked to you, so they are not part of this export.",
	"Who uploaded a material is recorded for accounts only; materials appear under the account that uploaded them.",
	"Erased registrations hold no personal data any more and are not listed.",
}

// exportScope is what an export may cover: every network and the workshops of none (all), or
// the workshops and accounts of some networks.
type exportScope struct {
	all      bool
	networks map[domain.NetworkID]bool
}

func (s exportScope) covers(id domain.NetworkID) bool { return s.all || (id != "" && s.networks[id]) }

// exportScopeOf returns what caller c may export: the instance's administrator everything, a
// network's admin the workshops and accounts of the networks they administer (an API token
// only its own network); anyone else nothing.
func (a *App) exportScopeOf(ctx context.Context, c Caller) (exportScope, string, error) {
	if c.Admin {
		return exportScope{all: true}, ActorOrganiser, nil
	}
	if c.Account == "" || a.cfg.Networks == nil {
		return exportScope{}, "", ErrForbidden
	}
	ids, err := a.cfg.Networks.NetworkIDs(ctx)
	if err != nil {
		return exportScope{}, "", err
	}
	s := exportScope{networks: map[domain.NetworkID]bool{}}
	for _, id := range ids {
		_, m, ok, err := a.membership(ctx, c, id)
		if err != nil {
			return exportScope{}, "", err
		}
		if ok && hasRole(m, domain.RoleAdmin) {
			s.networks[id] = true
		}
	}
	if len(s.networks) == 0 {
		return exportScope{}, "", ErrForbidden
	}
	return s, ActorAccount(c.Account, domain.RoleAdmin), nil
}

// ExportPerson returns everything stored about the person of email that caller c may see (see
// exportScopeOf) and records the export on every workshop it covers, with c as the actor. An
// invalid email is a domain.FieldErrors on "email"; a person of whom nothing is stored (or
// nothing c may see, or only erased registrations) is domain.ErrPersonNotFound.
func (a *App) ExportPerson(ctx context.Context, c Caller, email string) (PersonExport, error) {
	scope, actor, err := a.exportScopeOf(ctx, c)
	if err != nil {
		return PersonExport{}, err
	}
	if len(email) > maxEmail {
		return PersonExport{}, domain.FieldErrors{{Field: "email", Code: domain.CodeNotAnEmail, Detail: "must be an email address such as name@example.org"}}
	}
	if err := checkPersonEmail(email); err != nil {
		return PersonExport{}, err
	}
	email = strings.TrimSpace(email)
	e, err := a.collectExport(ctx, a.emailKey(email), email, scope)
	if err != nil {
		return PersonExport{}, err
	}
	if e.Empty() {
		return PersonExport{}, domain.ErrPersonNotFound
	}
	if err := a.recordExport(ctx, e, func(domain.RegistrationID) string { return actor },
		func(domain.AccountID) string { return actor }, domain.ExportByAdmin); err != nil {
		return PersonExport{}, err
	}
	return e, nil
}

// RequestDataExport mails a link to the export of their data to the person of email, in lang,
// when a registration holds the address: the request is recorded on the workshop of their
// latest registration and the outbox mails it. It answers the same whether or not the address
// is known, and takes as long (Config.QuietAnswerFloor); only a malformed address or language
// is refused. The actor is the public. A person known only by an account (no registration) gets
// the link too: the request is recorded in the log of the first network (by id) that holds the
// account.
func (a *App) RequestDataExport(ctx context.Context, email, lang string) error {
	start := time.Now()
	if len(email) > maxEmail {
		return domain.FieldErrors{{Field: "email", Code: domain.CodeNotAnEmail, Detail: "must be an email address such as name@example.org"}}
	}
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != strings.TrimSpace(email) || !domain.ValidText(email, false) {
		return domain.FieldErrors{{Field: "email", Code: domain.CodeNotAnEmail, Detail: "must be an email address such as name@example.org"}}
	}
	if lang != "" && !slices.Contains(domain.Languages, lang) {
		return domain.FieldErrors{{Field: "lang", Code: domain.CodeNotInList, Detail: "must be one of " + strings.Join(domain.Languages, ", ")}}
	}
	return a.quietly(ctx, start, func() error {
		key := a.emailKey(email)
		latest, err := a.latestRegistration(ctx, key)
		if err != nil {
			return err
		}
		linkID := a.cfg.NewID()
		expires := a.cfg.Now().Add(DataExportLinkLifetime)
		if latest.ID == "" {
			return a.requestAccountExport(ctx, email, linkID, lang, expires)
		}
		_, err = a.decide(ctx, latest.Workshop, Op{Actor: ActorPublic}, func(w domain.Workshop) ([]domain.Event, error) {
			return w.RequestDataExport(key, linkID, lang, expires)
		})
		return err
	})
}

// requestAccountExport records a request for the data of the account of email in the first
// network (by id) that holds it; nothing for no account.
func (a *App) requestAccountExport(ctx context.Context, email, linkID, lang string, expires time.Time) error {
	if a.cfg.Networks == nil {
		return nil
	}
	account := a.AccountID(email)
	ids, err := a.cfg.Networks.NetworkIDs(ctx)
	if err != nil {
		return err
	}
	slices.Sort(ids)
	for _, id := range ids {
		n, err := a.network(ctx, id)
		if err != nil {
			return err
		}
		if _, ok := n.Members[account]; !ok {
			continue
		}
		_, err = a.decideNetwork(ctx, id, Op{Actor: ActorPublic}, func(n domain.Network) ([]domain.Event, error) {
			return n.RequestDataExport(account, linkID, lang, expires)
		})
		return err
	}
	return nil
}

// latestRegistration returns the newest registration (ids are ULIDs) that is not erased and
// holds key, the zero view for none.
func (a *App) latestRegistration(ctx context.Context, key string) (projections.RegistrationView, error) {
	workshops, err := a.cfg.Reader.Workshops(ctx)
	if err != nil {
		return projections.RegistrationView{}, err
	}
	var latest projections.RegistrationView
	for _, w := range workshops {
		regs, err := a.cfg.Reader.Registrations(ctx, w.ID)
		if err != nil {
			return projections.RegistrationView{}, err
		}
		for _, r := range regs {
			if !r.Erased && r.Email != "" && r.ID > latest.ID && a.emailKey(r.Email) == key {
				latest = r
			}
		}
	}
	return latest, nil
}

// ExportByLink returns the export of the person whose registration the mailed link names
// (domain.DataExportToken) and records it, with the person as the actor on each registration.
// A link that is malformed, forged, expired, or names an erased registration is
// domain.ErrExportLinkInvalid.
func (a *App) ExportByLink(ctx context.Context, token string) (PersonExport, error) {
	link, ok := domain.ParseDataExportToken(a.cfg.Pseudonyms.Pseudonym, token)
	if !ok || !a.cfg.Now().Before(link.ExpiresAt) {
		return PersonExport{}, domain.ErrExportLinkInvalid
	}
	if link.Account != "" {
		return a.exportAccountByLink(ctx, link)
	}
	v, err := a.cfg.Reader.Registration(ctx, link.Workshop, link.Registration)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return PersonExport{}, domain.ErrExportLinkInvalid
	case err != nil:
		return PersonExport{}, err
	case v.Erased || strings.TrimSpace(v.Email) == "":
		return PersonExport{}, domain.ErrExportLinkInvalid
	}
	e, err := a.collectExport(ctx, a.emailKey(v.Email), strings.TrimSpace(v.Email), exportScope{all: true})
	if err != nil {
		return PersonExport{}, err
	}
	if e.Empty() {
		return PersonExport{}, domain.ErrExportLinkInvalid
	}
	if err := a.recordExport(ctx, e, ActorParticipant, accountActor, domain.ExportByMailLink); err != nil {
		return PersonExport{}, err
	}
	return e, nil
}

// accountActor is the person of an account acting for themselves (they opened the link to
// their data).
func accountActor(id domain.AccountID) string { return ActorAccount(id, domain.RoleMember) }

// exportAccountByLink is ExportByLink for a link that names an account: the member's address
// as the network's log holds it finds everything stored under it. An account that is gone
// (erased, or removed from the network) makes the link invalid.
func (a *App) exportAccountByLink(ctx context.Context, link domain.DataExportLink) (PersonExport, error) {
	if a.cfg.Networks == nil || !domain.ValidID(string(link.Network)) {
		return PersonExport{}, domain.ErrExportLinkInvalid
	}
	members, err := a.members(ctx, link.Network)
	if err != nil {
		return PersonExport{}, err
	}
	i := slices.IndexFunc(members, func(m MemberView) bool { return m.ID == link.Account && !m.Erased })
	if i < 0 || strings.TrimSpace(members[i].Email) == "" {
		return PersonExport{}, domain.ErrExportLinkInvalid
	}
	email := strings.TrimSpace(members[i].Email)
	e, err := a.collectExport(ctx, a.emailKey(email), email, exportScope{all: true})
	if err != nil {
		return PersonExport{}, err
	}
	if e.Empty() {
		return PersonExport{}, domain.ErrExportLinkInvalid
	}
	if err := a.recordExport(ctx, e, ActorParticipant, accountActor, domain.ExportByMailLink); err != nil {
		return PersonExport{}, err
	}
	return e, nil
}

// recordExport records the export e on the log of each workshop it covers, for each of its
// registrations, with the actor actorOf names, and on the log of each network it covers, for
// the account there (domain.AccountDataExported), with the actor accountActorOf names.
func (a *App) recordExport(ctx context.Context, e PersonExport, actorOf func(domain.RegistrationID) string,
	accountActorOf func(domain.AccountID) string, channel string) error {
	for _, r := range e.Registrations {
		if _, err := a.decide(ctx, r.Workshop, Op{Actor: actorOf(r.Registration)}, func(w domain.Workshop) ([]domain.Event, error) {
			return w.RecordDataExport(r.Registration, channel)
		}); err != nil {
			return err
		}
	}
	for _, m := range e.Memberships {
		if _, err := a.decideNetwork(ctx, m.Network, Op{Actor: accountActorOf(m.Account)}, func(n domain.Network) ([]domain.Event, error) {
			return n.RecordDataExport(m.Account, channel)
		}); err != nil {
			return err
		}
	}
	return nil
}

// collectExport gathers what the read models (and, for accounts, the networks' logs) hold about
// the person of key within scope.
func (a *App) collectExport(ctx context.Context, key, email string, scope exportScope) (PersonExport, error) {
	e := PersonExport{Email: email, GeneratedAt: a.cfg.Now().UTC(), Registrations: []reports.ExportedRegistration{},
		Memberships: []reports.ExportedMembership{}, Notes: exportNotes, Zone: a.cfg.Location}
	workshops, err := a.cfg.Reader.Workshops(ctx)
	if err != nil {
		return e, err
	}
	for _, w := range workshops {
		if !scope.covers(w.Network) {
			continue
		}
		regs, err := a.cfg.Reader.Registrations(ctx, w.ID)
		if err != nil {
			return e, err
		}
		for _, r := range regs {
			if r.Erased || r.Email == "" || a.emailKey(r.Email) != key {
				continue
			}
			x, err := a.exportRegistration(ctx, w, r)
			if err != nil {
				return e, err
			}
			e.Registrations = append(e.Registrations, x)
		}
	}
	if e.Memberships, err = a.exportMemberships(ctx, email, scope, workshops); err != nil {
		return e, err
	}
	return e, nil
}

// exportRegistration is registration r of workshop w with what hangs on it. Other people
// appear nowhere: a route names tables, a topic its own text.
func (a *App) exportRegistration(ctx context.Context, w projections.WorkshopView, r projections.RegistrationView) (reports.ExportedRegistration, error) {
	x := reports.ExportedRegistration{Workshop: w.ID, WorkshopTitle: w.Title, Series: w.Series, Network: w.Network,
		WorkshopDays: w.Days, Registration: r.ID, Name: r.Name, Email: r.Email, Organisation: r.Organisation,
		District: r.District, Dietary: r.Dietary, Overnight: r.Overnight, Days: r.Days, Status: r.Status,
		DayStatus: r.DayStatus, Lang: r.Lang, RegisteredAt: r.RegisteredAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		Answers: []reports.ExportedAnswer{}, CheckIns: []reports.ExportedCheckIn{}, Cafes: []reports.ExportedCafe{},
		Topics: []reports.ExportedTopic{}, Votes: []string{}, ActionItems: []reports.ExportedActionItem{}}
	asked := map[string]bool{}
	for _, q := range w.RegistrationQuestions {
		asked[q.ID] = true
		if v, ok := r.Answers[q.ID]; ok {
			x.Answers = append(x.Answers, reports.ExportedAnswer{Question: q.Label, Answer: v})
		}
	}
	var gone []string // answers to questions the form no longer asks
	for id := range r.Answers {
		if !asked[id] {
			gone = append(gone, id)
		}
	}
	slices.Sort(gone)
	for _, id := range gone {
		x.Answers = append(x.Answers, reports.ExportedAnswer{Question: id, Answer: r.Answers[id]})
	}
	sessions := map[domain.SessionID]domain.Session{}
	for _, s := range w.Agenda {
		sessions[s.ID] = s
	}
	checkIns, err := a.cfg.Reader.CheckIns(ctx, w.ID)
	if err != nil {
		return x, err
	}
	for _, c := range checkIns {
		if c.RegistrationID == r.ID {
			x.CheckIns = append(x.CheckIns, reports.ExportedCheckIn{Day: c.Day, Session: c.SessionID, Title: sessions[c.SessionID].Title})
		}
	}
	slices.SortFunc(x.CheckIns, func(p, q reports.ExportedCheckIn) int {
		return strings.Compare(string(p.Day)+string(p.Session), string(q.Day)+string(q.Session))
	})
	for _, s := range w.Agenda {
		if s.Kind != domain.ThemeCafe {
			continue
		}
		cafe, err := a.cfg.Reader.ThemeCafe(ctx, w.ID, s.ID)
		if errors.Is(err, domain.ErrNotFound) {
			continue
		}
		if err != nil {
			return x, err
		}
		if c, ok := exportCafe(s, cafe, r.ID); ok {
			x.Cafes = append(x.Cafes, c)
		}
	}
	board, err := a.cfg.Reader.FollowUps(ctx, w.ID)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return x, err
	}
	titles := map[domain.TopicID]string{}
	for _, t := range board.Topics {
		titles[t.ID] = t.Title
		if t.ProposedBy == r.ID {
			x.Topics = append(x.Topics, reports.ExportedTopic{Title: t.Title, Description: t.Description,
				ProposedAt: t.ProposedAt.UTC(), Status: t.Status})
		}
	}
	for _, t := range board.Votes[r.ID] {
		x.Votes = append(x.Votes, titles[t])
	}
	items, err := a.cfg.Reader.ActionItems(ctx, projections.ActionItemFilter{Workshop: w.ID, Registration: r.ID})
	if err != nil {
		return x, err
	}
	for _, it := range items {
		x.ActionItems = append(x.ActionItems, reports.ExportedActionItem{What: it.What, DueBy: it.DueBy,
			AgreedAt: it.AgreedAt.UTC(), Done: it.Done})
	}
	return x, nil
}

// exportCafe is registration rid's part in a café: their choice of tables, their route and the
// tables they host, by topic; ok is false when they have none.
func exportCafe(s domain.Session, cafe projections.ThemeCafeView, rid domain.RegistrationID) (reports.ExportedCafe, bool) {
	topics := map[domain.TableID]string{}
	c := reports.ExportedCafe{Session: s.ID, Title: s.Title, Choices: []string{}, Route: []string{}, Hosts: []string{}}
	for _, t := range cafe.Tables {
		topics[t.ID] = t.Topic
		if t.Host == rid {
			c.Hosts = append(c.Hosts, t.Topic)
		}
	}
	for _, t := range cafe.Preferences[rid] {
		c.Choices = append(c.Choices, topics[t])
	}
	if cafe.Plan != nil {
		for _, t := range cafe.Plan.Seats[rid] {
			c.Route = append(c.Route, topics[t])
		}
	}
	return c, len(c.Choices)+len(c.Route)+len(c.Hosts) > 0
}

// exportMemberships lists the accounts of email in the networks of scope, with the materials
// the account uploaded to the networks' workshops.
func (a *App) exportMemberships(ctx context.Context, email string, scope exportScope, workshops []projections.WorkshopView) ([]reports.ExportedMembership, error) {
	out := []reports.ExportedMembership{}
	if a.cfg.Networks == nil {
		return out, nil
	}
	account := a.AccountID(email)
	ids, err := a.cfg.Networks.NetworkIDs(ctx)
	if err != nil {
		return nil, err
	}
	slices.Sort(ids)
	for _, id := range ids {
		if !scope.covers(id) {
			continue
		}
		members, err := a.members(ctx, id)
		if err != nil {
			return nil, err
		}
		i := slices.IndexFunc(members, func(m MemberView) bool { return m.ID == account && !m.Erased })
		if i < 0 {
			continue
		}
		n, err := a.network(ctx, id)
		if err != nil {
			return nil, err
		}
		m := members[i]
		x := reports.ExportedMembership{Network: id, NetworkName: n.Name, Account: account, Name: m.Name,
			Email: m.Email, Organisation: m.Organisation, Roles: m.Roles, Digest: n.Digest[account],
			Materials: []reports.ExportedMaterial{}}
		if x.Roles == nil {
			x.Roles = []domain.RoleGrant{}
		}
		if x.Announcements, x.Comments, err = a.authored(ctx, id, account); err != nil {
			return nil, err
		}
		prefix := "account:" + string(account) + ":"
		for _, w := range workshops {
			if w.Network != id {
				continue
			}
			materials, err := a.cfg.Reader.Materials(ctx, w.ID)
			if err != nil {
				return nil, err
			}
			for _, mat := range materials {
				for _, v := range mat.Versions {
					if strings.HasPrefix(v.UploadedBy, prefix) {
						x.Materials = append(x.Materials, reports.ExportedMaterial{Workshop: w.ID, Title: mat.Title,
							File: v.Name, UploadedAt: v.At.UTC()})
					}
				}
			}
		}
		out = append(out, x)
	}
	return out, nil
}

// authored returns the titles of the announcements account posted in network id and the
// comments it wrote there, in the order of the log. Comments of others appear nowhere.
func (a *App) authored(ctx context.Context, id domain.NetworkID, account domain.AccountID) ([]string, []reports.ExportedComment, error) {
	log, err := a.cfg.Networks.NetworkLog(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	posted, comments := []string{}, []reports.ExportedComment{}
	titles := map[domain.AnnouncementID]string{}
	author := "account:" + string(account) + ":"
	for _, r := range log {
		switch e := r.Event.(type) {
		case domain.AnnouncementPosted:
			titles[e.ID] = e.Title
			if strings.HasPrefix(r.Actor, author) {
				posted = append(posted, e.Title)
			}
		case domain.AnnouncementEdited:
			titles[e.ID] = e.Title
		case domain.CommentAdded:
			if e.Account == account && e.Text() != "" {
				comments = append(comments, reports.ExportedComment{Announcement: titles[e.Announcement], Text: e.Text(), At: r.At.UTC()})
			}
		}
	}
	return posted, comments, nil
}
