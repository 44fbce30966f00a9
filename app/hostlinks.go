package app

import (
	"context"
	"errors"
	"fmt"
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
	op.Actor = organiserActor(op.Actor)
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
	op.Actor = organiserActor(op.Actor)
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

// HostView is what a table's host sees by the host link: the café's session (for its title and
// round times), the table, the number of rounds and the notes recorded so far by round.
type HostView struct {
	Session domain.Session
	Table   domain.Table
	Rounds  int
	Notes   map[int]domain.TableNotes
}

// HostTable returns the table that token is the host link of. It reads the workshop as the
// store decides on it (a decision that decides nothing), so that a replaced or revoked link is
// refused at once; any mismatch is domain.ErrHostLinkNotFound.
func (a *App) HostTable(ctx context.Context, id domain.WorkshopID, sid domain.SessionID, tid domain.TableID, token string) (HostView, error) {
	if !IsHostToken(token) {
		return HostView{}, domain.ErrHostLinkNotFound
	}
	var v HostView
	_, err := a.cfg.Workshops.Update(ctx, id, domain.Meta{Actor: ActorHost, At: a.cfg.Now()}, func(w domain.Workshop) ([]domain.Event, error) {
		cafe, t, err := w.HostTable(sid, tid, tokenHash(token))
		if err != nil {
			return nil, err
		}
		v = HostView{Session: w.Sessions[sid], Table: t, Rounds: cafe.Rounds, Notes: map[int]domain.TableNotes{}}
		for k, n := range cafe.Notes {
			if k.Table == tid {
				v.Notes[k.Round] = n
			}
		}
		return nil, nil
	})
	if errors.Is(err, domain.ErrNotFound) {
		return HostView{}, domain.ErrHostLinkNotFound // an unknown workshop tells nothing either
	}
	return v, err
}

// StoreUploadAsHost is StoreUpload for the host of table tid of café sid: the token must be the
// table's current host link before any byte is stored (else domain.ErrHostLinkNotFound).
func (a *App) StoreUploadAsHost(ctx context.Context, id domain.WorkshopID, op Op, token string, sid domain.SessionID, tid domain.TableID, u Upload) (domain.MaterialFile, error) {
	if _, err := a.HostTable(ctx, id, sid, tid, token); err != nil {
		return domain.MaterialFile{}, err
	}
	op.Actor = ActorHost
	return a.StoreUpload(ctx, id, op, u)
}

// AddMaterialAsHost adds f (stored by StoreUploadAsHost) as a material of table tid of café
// sid by the table's host link token, in the same decision that checks the link; the actor is
// the host. A token that is not the table's current link is domain.ErrHostLinkNotFound.
func (a *App) AddMaterialAsHost(ctx context.Context, id domain.WorkshopID, op Op, token string, sid domain.SessionID, tid domain.TableID, f domain.MaterialFile, title string, personal bool) (domain.MaterialAdded, error) {
	if !IsHostToken(token) {
		return domain.MaterialAdded{}, domain.ErrHostLinkNotFound
	}
	op.Actor = ActorHost
	text := MaterialText{Title: title, SessionID: sid, TableID: tid, Personal: personal}
	op.Body = MaterialFingerprint(f, text)
	mid := domain.MaterialID(a.cfg.NewID())
	hash := tokenHash(token)
	res, err := a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		return w.AddMaterial(domain.AddMaterial{ID: mid, Title: title, SessionID: sid, TableID: tid, File: f, Personal: personal, HostTokenHash: hash})
	})
	if err != nil {
		return domain.MaterialAdded{}, err
	}
	for _, e := range res.Events {
		if added, ok := e.(domain.MaterialAdded); ok {
			return added, nil
		}
	}
	return domain.MaterialAdded{}, fmt.Errorf("%w: the upload decided no material", domain.ErrConflict)
}
