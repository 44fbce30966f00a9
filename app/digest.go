package app

import (
	"context"
	"crypto/subtle"

	"github.com/werkstatt/werkstatt/domain"
)

// The use cases of the announcement mails: a member subscribes and unsubscribes themself while
// signed in, or unsubscribes with one click on the link every such mail carries (RFC 8058),
// without signing in: the link's keyed hash is the credential.

// ErrBadUnsubscribeLink: the unsubscribe link is no link this instance made.
var ErrBadUnsubscribeLink = domain.ErrNotFound

// subscriber returns network id and c's actor as a member of it: a non-member learns nothing
// (not found); the instance's administrator without an account has no address to mail.
func (a *App) subscriber(ctx context.Context, c Caller, id domain.NetworkID) (string, error) {
	_, r, actor, err := a.announcementsAccess(ctx, c, id)
	switch {
	case err != nil:
		return "", err
	case !r.Member:
		return "", domain.ErrNetworkNotFound
	case c.Account == "":
		return "", ErrForbidden
	}
	return actor, nil
}

// SubscribeDigest subscribes member c to network id's announcements by mail in language lang
// (one of domain.Languages; "" is German): the mails and their unsubscribe page are in it.
func (a *App) SubscribeDigest(ctx context.Context, c Caller, op Op, id domain.NetworkID, lang string) error {
	actor, err := a.subscriber(ctx, c, id)
	if err != nil {
		return err
	}
	op.Actor = actor
	_, err = a.decideNetwork(ctx, id, op, func(n domain.Network) ([]domain.Event, error) { return n.SubscribeDigest(c.Account, lang) })
	return err
}

// UnsubscribeDigest ends member c's subscription to network id's announcements.
func (a *App) UnsubscribeDigest(ctx context.Context, c Caller, op Op, id domain.NetworkID) error {
	actor, err := a.subscriber(ctx, c, id)
	if err != nil {
		return err
	}
	op.Actor = actor
	_, err = a.decideNetwork(ctx, id, op, func(n domain.Network) ([]domain.Event, error) { return n.UnsubscribeDigest(c.Account) })
	return err
}

// DigestUnsubscribeToken returns the token of the unsubscribe link of account's subscription to
// network id (the mails derive the same one).
func (a *App) DigestUnsubscribeToken(id domain.NetworkID, account domain.AccountID) string {
	return domain.DigestToken(id, account, a.cfg.Pseudonyms.Pseudonym(domain.DigestUnsubscribePurpose, domain.DigestUnsubscribeValue(id, account)))
}

// DigestLink checks an unsubscribe token and returns the network's name it unsubscribes from;
// a token this instance did not make is ErrBadUnsubscribeLink.
func (a *App) DigestLink(ctx context.Context, token string) (string, error) {
	id, _, ok := a.checkDigestToken(token)
	if !ok {
		return "", ErrBadUnsubscribeLink
	}
	n, err := a.network(ctx, id)
	if err != nil {
		return "", err
	}
	if !n.Exists() {
		return "", ErrBadUnsubscribeLink
	}
	return n.Name, nil
}

// UnsubscribeByLink ends the subscription an unsubscribe token names; an ended one stays
// ended (a second click is done too).
func (a *App) UnsubscribeByLink(ctx context.Context, token string) error {
	id, account, ok := a.checkDigestToken(token)
	if !ok {
		return ErrBadUnsubscribeLink
	}
	_, err := a.decideNetwork(ctx, id, Op{Actor: ActorAccount(account, domain.RoleMember)}, func(n domain.Network) ([]domain.Event, error) {
		return n.UnsubscribeDigest(account)
	})
	return err
}

// checkDigestToken parses token and compares its keyed hash in constant time.
func (a *App) checkDigestToken(token string) (domain.NetworkID, domain.AccountID, bool) {
	id, account, _, ok := domain.ParseDigestToken(token)
	if !ok || a.cfg.Pseudonyms == nil {
		return "", "", false
	}
	want := a.DigestUnsubscribeToken(id, account)
	if subtle.ConstantTimeCompare([]byte(want), []byte(token)) != 1 {
		return "", "", false
	}
	return id, account, true
}
