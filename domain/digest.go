package domain

import (
	"maps"
	"slices"
	"strings"
)

// A network's members subscribe to its announcements by mail: one mail per announcement, to
// every subscribed member who may see it (see mails/announcements.go). The subscription is the
// member's own decision, recorded on the network's log like their membership, and a removed
// member's subscription goes with the membership.

// DigestSubscribed records that member Account gets the network's announcements by mail.
type DigestSubscribed struct {
	Account AccountID `json:"account"`
}

func (DigestSubscribed) Name() string { return "network.digest_subscribed.v1" }

var _ = register[DigestSubscribed]()

// DigestUnsubscribed records that member Account no longer gets announcements by mail.
type DigestUnsubscribed struct {
	Account AccountID `json:"account"`
}

func (DigestUnsubscribed) Name() string { return "network.digest_unsubscribed.v1" }

var _ = register[DigestUnsubscribed]()

// DigestUnsubscribePurpose is the purpose of the keyed hash in an unsubscribe link.
const DigestUnsubscribePurpose = "digest-unsubscribe"

// DigestUnsubscribeValue is what the unsubscribe link of account's subscription to network id
// hashes.
func DigestUnsubscribeValue(id NetworkID, account AccountID) string {
	return string(id) + "\x00" + string(account)
}

// DigestToken is the token of an unsubscribe link: the network and account in clear (ids, not
// personal data), so that the link needs no lookup, and mac, the keyed hash of both, so that
// nobody but the mail's recipient can unsubscribe someone.
func DigestToken(id NetworkID, account AccountID, mac string) string {
	return string(id) + "." + string(account) + "." + mac
}

// ParseDigestToken splits a token of DigestToken; false when it is none.
func ParseDigestToken(token string) (NetworkID, AccountID, string, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || !ValidID(parts[0]) || !ValidID(parts[1]) || parts[2] == "" || len(parts[2]) > 128 {
		return "", "", "", false
	}
	return NetworkID(parts[0]), AccountID(parts[1]), parts[2], true
}

// evolveDigest applies the subscription events to n.
func (n Network) evolveDigest(e Event) Network {
	switch e := e.(type) {
	case DigestSubscribed:
		n.Digest = maps.Clone(n.Digest)
		if n.Digest == nil {
			n.Digest = map[AccountID]bool{}
		}
		n.Digest[e.Account] = true
	case DigestUnsubscribed:
		n.Digest = maps.Clone(n.Digest)
		delete(n.Digest, e.Account)
	case MemberRemoved:
		if n.Digest[e.Account] {
			n.Digest = maps.Clone(n.Digest)
			delete(n.Digest, e.Account)
		}
	}
	return n
}

// SubscribeDigest decides that member account gets announcements by mail; subscribing again
// changes nothing.
func (n Network) SubscribeDigest(account AccountID) ([]Event, error) {
	if !n.Exists() {
		return nil, ErrNetworkNotFound
	}
	if _, ok := n.Members[account]; !ok {
		return nil, ErrMemberNotFound
	}
	if n.Digest[account] {
		return nil, nil
	}
	return []Event{DigestSubscribed{Account: account}}, nil
}

// UnsubscribeDigest decides that account gets no more announcements by mail; one that is not
// subscribed (any more, or a removed member) changes nothing, so that a second click on an
// unsubscribe link still answers that it is done.
func (n Network) UnsubscribeDigest(account AccountID) ([]Event, error) {
	if !n.Exists() {
		return nil, ErrNetworkNotFound
	}
	if !n.Digest[account] {
		return nil, nil
	}
	return []Event{DigestUnsubscribed{Account: account}}, nil
}

// DigestRecipients are the subscribed members, sorted: each may read every announcement of
// the network, public or members-only, since only members subscribe and a removed member's
// subscription ends with the membership.
func (n Network) DigestRecipients() []AccountID {
	var out []AccountID
	for a := range n.Digest {
		if _, ok := n.Members[a]; ok {
			out = append(out, a)
		}
	}
	slices.Sort(out)
	return out
}
