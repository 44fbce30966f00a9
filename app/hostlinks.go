package app

import (
	"context"
	"strings"

	"github.com/werkstatt/werkstatt/domain"
)

// hostTokenPrefix tells a host link's token from a participant's or a lead's.
const hostTokenPrefix = "host."

// ActorHost is the actor of a table's host writing the table's notes by the host link.
const ActorHost = "host"

// IsHostToken reports whether token has the form of a host link's token, valid or not.
func IsHostToken(token string) bool { return strings.HasPrefix(token, hostTokenPrefix) }

// IssueHostLink gives table tid of café sid a new host link and returns its token, shown only
// now (the log keeps its hash). It replaces the table's earlier link. Organisers only.
func (a *App) IssueHostLink(ctx context.Context, id domain.WorkshopID, op Op, sid domain.SessionID, tid domain.TableID) (string, error) {
	op.Actor = ActorOrganiser
	token := hostTokenPrefix + a.newToken(id, op) // a repeat by key hands out the same token
	if _, err := a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		return w.IssueHostLink(sid, tid, tokenHash(token))
	}); err != nil {
		return "", err
	}
	return token, nil
}

// RevokeHostLink makes the host link of table tid invalid. Organisers only.
func (a *App) RevokeHostLink(ctx context.Context, id domain.WorkshopID, op Op, sid domain.SessionID, tid domain.TableID) (domain.Appended, error) {
	op.Actor = ActorOrganiser
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.RevokeHostLink(sid, tid) })
}

// RecordNotesAsHost records a table's notes of a round by the table's host link token; the
// actor is the host. A token that is not the table's current link is domain.ErrHostLinkNotFound.
func (a *App) RecordNotesAsHost(ctx context.Context, id domain.WorkshopID, op Op, token string, cmd domain.RecordNotes) (domain.Appended, error) {
	op.Actor = ActorHost
	cmd.By, cmd.HostTokenHash = "", tokenHash(token)
	if !IsHostToken(token) {
		return domain.Appended{}, domain.ErrHostLinkNotFound
	}
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) { return w.RecordNotes(cmd) })
}
