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

// DigestSubscribed records that member Account gets the network's announcements by mail, in
// language Lang (one of Languages; "", as in events written before it was recorded, is
// German). Subscribing again in another language records the new language.
type DigestSubscribed struct {
	Account AccountID `json:"account"`
	Lang    string    `json:"lang,omitempty"`
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
		n.DigestLang = maps.Clone(n.DigestLang)
		if n.DigestLang == nil {
			n.DigestLang = map[AccountID]string{}
		}
		n.DigestLang[e.Account] = digestLang(e.Lang)
	case DigestUnsubscribed:
		n.Digest = maps.Clone(n.Digest)
		delete(n.Digest, e.Account)
		n.DigestLang = maps.Clone(n.DigestLang)
		delete(n.DigestLang, e.Account)
	case MemberRemoved:
		if n.Digest[e.Account] {
			n.Digest = maps.Clone(n.Digest)
			delete(n.Digest, e.Account)
			n.DigestLang = maps.Clone(n.DigestLang)
			delete(n.DigestLang, e.Account)
		}
	}
	return n
}

// digestLang is the language of a subscription recorded as lang: "" is German.
func digestLang(lang string) string {
	if lang == "" {
		return DefaultLanguage
	}
	return lang
}

// DigestLanguage is the language member account gets announcements in (German unless they
// subscribed in another one).
func (n Network) DigestLanguage(account AccountID) string {
	return digestLang(n.DigestLang[account])
}

// SubscribeDigest decides that member account gets announcements by mail in language lang (one
// of Languages, "" for German); subscribing again in the same language changes nothing, in
// another one records it.
func (n Network) SubscribeDigest(account AccountID, lang string) ([]Event, error) {
	if !n.Exists() {
		return nil, ErrNetworkNotFound
	}
	if lang != "" && !slices.Contains(Languages, lang) {
		return nil, FieldErrors{{"lang", CodeNotInList, "must be one of " + strings.Join(Languages, ", ")}}
	}
	if _, ok := n.Members[account]; !ok {
		return nil, ErrMemberNotFound
	}
	if n.Digest[account] && n.DigestLanguage(account) == digestLang(lang) {
		return nil, nil
	}
	return []Event{DigestSubscribed{Account: account, Lang: lang}}, nil
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
