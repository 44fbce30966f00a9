package domain

import (
	"fmt"
	"maps"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// A network (for example the 14 district administrations of "Forum Integration") owns its
// series and workshops and is a protected space: its members see its members-only workshops,
// and what each of them may do follows from their roles. A network is its own stream of
// decisions, beside the workshops' ones.

// NetworkID names a network: a single subject token, like a workshop id.
type NetworkID string

// Visibility says who sees a workshop.
type Visibility string

const (
	// Public workshops are listed on the start page and anyone may register (the default).
	Public Visibility = "public"
	// MembersOnly workshops are seen, and registered for, only by the network's members.
	MembersOnly Visibility = "members"
)

// Valid reports whether v is a visibility; "" counts as Public.
func (v Visibility) Valid() bool { return v == "" || v == Public || v == MembersOnly }

// Or returns v, or Public when v is unset.
func (v Visibility) Or() Visibility {
	if v == "" {
		return Public
	}
	return v
}

// RoleGrant is one role a member holds. Series limits an organiser or a lead to the named
// series; empty means all of the network's series (an organiser) and is not allowed for a lead,
// who reads reports of named series only.
type RoleGrant struct {
	Role   Role     `json:"role"`
	Series []string `json:"series,omitempty"`
}

// Covers reports whether g holds for a workshop of series.
func (g RoleGrant) Covers(series string) bool {
	return len(g.Series) == 0 || slices.Contains(g.Series, series)
}

// Member is a person's place in a network.
type Member struct {
	Account AccountID
	// Organisation is where the person works (not personal data: it names an institution).
	Organisation string
	Roles        []RoleGrant
}

// Holds reports whether m holds role for a workshop of series. An admin holds every role but
// lead's and member's limits do not matter for them: an admin manages the whole network.
func (m Member) Holds(role Role, series string) bool {
	for _, g := range m.Roles {
		if g.Role == RoleAdmin || (g.Role == role && g.Covers(series)) {
			return true
		}
	}
	return false
}

// Network is a network as its log has it.
type Network struct {
	ID      NetworkID
	Name    string
	Members map[AccountID]Member
	// Resets holds when the last reset link of each account expires (see RecentReset).
	Resets map[AccountID]time.Time
	// MailTemplates are the organisers' wordings of the network's mails (see network_mail.go).
	MailTemplates map[MailTemplateKey]MailTemplate
	// Webhooks are the network's subscriptions (see webhook.go).
	Webhooks map[WebhookID]Webhook
	// Announcements are the network's announcements (see announcement.go).
	Announcements map[AnnouncementID]Announcement
	// Digest holds the members who get announcements by mail (see digest.go).
	Digest map[AccountID]bool
	// DigestLang holds the language each subscribed member gets announcements in.
	DigestLang map[AccountID]string
	// Groups are the network's working groups (see group.go).
	Groups map[GroupID]Group
	// PrivacyNotice is the network's privacy notice, nil while none was set (see
	// privacy_notice.go).
	PrivacyNotice *PrivacyNotice
	// ExportLinks holds when the last link to each account's export expires (see
	// data_export.go).
	ExportLinks map[AccountID]time.Time
	// RetentionMonths is the network's default retention period, 0 while none was set (see
	// retention.go).
	RetentionMonths int
}

// Exists reports whether the network was created.
func (n Network) Exists() bool { return n.ID != "" }

// admins counts the members holding the admin role.
func (n Network) admins() int {
	count := 0
	for _, m := range n.Members {
		if slices.ContainsFunc(m.Roles, func(g RoleGrant) bool { return g.Role == RoleAdmin }) {
			count++
		}
	}
	return count
}

// Clone returns a copy of n that shares nothing mutable with it.
func (n Network) Clone() Network {
	n.Members = maps.Clone(n.Members)
	n.Resets = maps.Clone(n.Resets)
	n.MailTemplates = maps.Clone(n.MailTemplates)
	n.Webhooks = maps.Clone(n.Webhooks)
	n.Announcements = maps.Clone(n.Announcements)
	n.Digest = maps.Clone(n.Digest)
	n.DigestLang = maps.Clone(n.DigestLang)
	n.Groups = maps.Clone(n.Groups)
	n.ExportLinks = maps.Clone(n.ExportLinks)
	return n
}

// Rules of networks.
var (
	ErrNetworkNotFound = newRule("network-not-found", "network not found", ErrNotFound)
	ErrNetworkExists   = newRule("network-exists", "a network with this id already exists", ErrConflict)
	ErrMemberNotFound  = newRule("member-not-found", "the person is not a member of the network", ErrNotFound)
	ErrMemberExists    = newRule("member-exists", "the person is a member of the network already", ErrConflict)
	// ErrLastAdmin keeps a network manageable by its own people: its last admin can neither
	// leave nor lose the role (the instance's administrator can name another admin first).
	// ErrAccountHasPassword refuses an invitation for an account that has a password: a link
	// to set it would let one network's admin take over an account another network trusts.
	ErrAccountHasPassword = newRule("account-has-password", "the account has a password already; only its owner changes it", ErrConflict)
	ErrLastAdmin          = newRule("last-admin", "the network's last admin can neither be removed nor lose the admin role", ErrConflict)
)

// maxNetworkName bounds a network's name, in characters.
const maxNetworkName = 200

// NetworkCreated records a new network.
type NetworkCreated struct {
	ID    NetworkID `json:"id"`
	Title string    `json:"name"`
}

func (NetworkCreated) Name() string { return "network.created.v1" }

var _ = register[NetworkCreated]()

// NetworkRenamed records a network's new name.
type NetworkRenamed struct {
	Title string `json:"name"`
}

func (NetworkRenamed) Name() string { return "network.renamed.v1" }

var _ = register[NetworkRenamed]()

// MemberAdded records a person joining a network with roles. Person (name and e-mail) is
// personal data, sealed under the account's key: erasing the account erases it.
type MemberAdded struct {
	Account      AccountID   `json:"account"`
	Organisation string      `json:"organisation,omitempty"`
	Roles        []RoleGrant `json:"roles"`
	Person       *Person     `json:"person"`
}

func (MemberAdded) Name() string { return "network.member_added.v1" }

// DataSubject is the account: its key seals the person's name and e-mail.
func (e MemberAdded) DataSubject() string { return string(e.Account) }

// WithPerson returns the event carrying p.
func (e MemberAdded) WithPerson(p *Person) Event { e.Person = p; return e }

var _ = register[MemberAdded]()

// MemberRolesChanged records a member's roles after a change.
type MemberRolesChanged struct {
	Account AccountID   `json:"account"`
	Roles   []RoleGrant `json:"roles"`
}

func (MemberRolesChanged) Name() string { return "network.member_roles_changed.v1" }

var _ = register[MemberRolesChanged]()

// MemberRemoved records a person leaving a network.
type MemberRemoved struct {
	Account AccountID `json:"account"`
}

func (MemberRemoved) Name() string { return "network.member_removed.v1" }

var _ = register[MemberRemoved]()

// NetworkDecision is a command on a network bound to its arguments (see Decision).
type NetworkDecision func(Network) ([]Event, error)

// Evolve returns n with e applied. Events of other kinds leave n as it is.
func (n Network) Evolve(e Event) Network {
	switch e := e.(type) {
	case NetworkCreated:
		n = Network{ID: e.ID, Name: e.Title, Members: map[AccountID]Member{}}
	case NetworkRenamed:
		n.Name = e.Title
	case MailTemplateSet, MailTemplateReset:
		n = n.evolveMail(e)
	case MemberAdded:
		n.Members = maps.Clone(n.Members)
		n.Members[e.Account] = Member{Account: e.Account, Organisation: e.Organisation, Roles: e.Roles}
	case MemberRolesChanged:
		n.Members = maps.Clone(n.Members)
		m := n.Members[e.Account]
		m.Roles = e.Roles
		n.Members[e.Account] = m
	case MemberRemoved:
		n.Members = maps.Clone(n.Members)
		delete(n.Members, e.Account)
		n = n.evolveDigest(e)
		n = n.evolveGroups(e)
	case DigestSubscribed, DigestUnsubscribed:
		n = n.evolveDigest(e)
	case GroupCreated, GroupChanged, GroupClosed, GroupMemberAdded, GroupMemberRemoved:
		n = n.evolveGroups(e)
	case PasswordLinkIssued:
		if e.Purpose == LinkForReset {
			n.Resets = maps.Clone(n.Resets)
			if n.Resets == nil {
				n.Resets = map[AccountID]time.Time{}
			}
			n.Resets[e.Account] = e.ExpiresAt
		}
	case WebhookAdded, WebhookRemoved:
		n = n.evolveWebhooks(e)
	case PrivacyNoticeSet:
		n = n.evolvePrivacy(e)
	case RetentionDefaultSet:
		n.RetentionMonths = e.Months
	case AccountDataExportRequested:
		n = n.evolveDataExport(e)
	default:
		n = n.evolveAnnouncements(e)
	}
	return n
}

// Create decides a new network named name.
func (n Network) Create(id NetworkID, name string) ([]Event, error) {
	if n.Exists() {
		return nil, ErrNetworkExists
	}
	var fe FieldErrors
	checkID(&fe, "id", string(id))
	checkText(&fe, "name", name, true, maxNetworkName)
	if err := fe.err(); err != nil {
		return nil, err
	}
	return []Event{NetworkCreated{ID: id, Title: strings.TrimSpace(name)}}, nil
}

// Rename decides the network's new name; the same name again changes nothing.
func (n Network) Rename(name string) ([]Event, error) {
	if !n.Exists() {
		return nil, ErrNetworkNotFound
	}
	var fe FieldErrors
	checkText(&fe, "name", name, true, maxNetworkName)
	if err := fe.err(); err != nil {
		return nil, err
	}
	if name = strings.TrimSpace(name); name == n.Name {
		return nil, nil
	}
	return []Event{NetworkRenamed{Title: name}}, nil
}

// AddMember is the command that makes a person a member of a network.
type AddMember struct {
	Account      AccountID
	Name, Email  string
	Organisation string
	Roles        []RoleGrant
}

// AddMember decides c.
func (n Network) AddMember(c AddMember) ([]Event, error) {
	if !n.Exists() {
		return nil, ErrNetworkNotFound
	}
	var fe FieldErrors
	checkText(&fe, "name", c.Name, true, maxTitle)
	if !validEmail(c.Email) {
		fe.add("email", CodeNotAnEmail, "must be an email address such as name@example.org")
	}
	checkText(&fe, "organisation", c.Organisation, false, maxTitle)
	roles := checkRoles(&fe, c.Roles)
	if err := fe.err(); err != nil {
		return nil, err
	}
	if c.Account == "" {
		return nil, fmt.Errorf("%w: a member needs an account", ErrInvalid)
	}
	if _, ok := n.Members[c.Account]; ok {
		return nil, ErrMemberExists
	}
	return []Event{MemberAdded{Account: c.Account, Organisation: strings.TrimSpace(c.Organisation), Roles: roles,
		Person: &Person{Name: strings.TrimSpace(c.Name), Email: strings.TrimSpace(c.Email)}}}, nil
}

// ChangeRoles decides that the member account holds roles from now on. The same roles again
// change nothing.
func (n Network) ChangeRoles(account AccountID, roles []RoleGrant) ([]Event, error) {
	if !n.Exists() {
		return nil, ErrNetworkNotFound
	}
	var fe FieldErrors
	roles = checkRoles(&fe, roles)
	if err := fe.err(); err != nil {
		return nil, err
	}
	m, ok := n.Members[account]
	if !ok {
		return nil, ErrMemberNotFound
	}
	if slices.EqualFunc(m.Roles, roles, func(a, b RoleGrant) bool { return a.Role == b.Role && slices.Equal(a.Series, b.Series) }) {
		return nil, nil
	}
	isAdmin := func(g RoleGrant) bool { return g.Role == RoleAdmin }
	if slices.ContainsFunc(m.Roles, isAdmin) && !slices.ContainsFunc(roles, isAdmin) && n.admins() == 1 {
		return nil, ErrLastAdmin
	}
	return []Event{MemberRolesChanged{Account: account, Roles: roles}}, nil
}

// RemoveMember decides that account leaves the network.
func (n Network) RemoveMember(account AccountID) ([]Event, error) {
	if !n.Exists() {
		return nil, ErrNetworkNotFound
	}
	m, ok := n.Members[account]
	if !ok {
		return nil, ErrMemberNotFound
	}
	if m.Holds(RoleAdmin, "") && n.admins() == 1 {
		return nil, ErrLastAdmin
	}
	return []Event{MemberRemoved{Account: account}}, nil
}

// ForgetMember decides that account leaves the network because the person is erased: unlike
// RemoveMember it holds for the last admin too (the instance's administrator names another).
// A stranger decides nothing.
func (n Network) ForgetMember(account AccountID) ([]Event, error) {
	if _, ok := n.Members[account]; !ok {
		return nil, nil
	}
	return []Event{MemberRemoved{Account: account}}, nil
}

// maxSeriesPerRole bounds the series one role grant names.
const maxSeriesPerRole = 50

// checkRoles checks a member's roles and returns them in the order of Roles, each series list
// trimmed and sorted. A member needs at least one role; each role at most once; a lead names
// series; only organisers and leads name series.
func checkRoles(fe *FieldErrors, roles []RoleGrant) []RoleGrant {
	if len(roles) == 0 {
		fe.add("roles", CodeTooFew, "must name at least one role")
		return nil
	}
	if len(roles) > len(Roles) {
		fe.add("roles", CodeTooMany, fmt.Sprintf("must name at most %d roles", len(Roles)))
		return nil
	}
	out := make([]RoleGrant, 0, len(roles))
	seen := map[Role]bool{}
	for i, g := range roles {
		field := fmt.Sprintf("roles[%d]", i)
		switch {
		case !g.Role.Valid():
			fe.add(field+".role", CodeNotInList, "must be one of admin, organiser, door, lead, member")
			continue
		case seen[g.Role]:
			fe.add(field+".role", CodeNamedTwice, "names a role twice")
			continue
		case len(g.Series) > 0 && g.Role != RoleOrganiser && g.Role != RoleLead:
			fe.add(field+".series", CodeNotAllowed, "only an organiser's or a lead's role names series")
			continue
		case len(g.Series) == 0 && g.Role == RoleLead:
			fe.add(field+".series", CodeRequired, "a lead reads the reports of named series: name at least one")
			continue
		case len(g.Series) > maxSeriesPerRole:
			fe.add(field+".series", CodeTooMany, fmt.Sprintf("must name at most %d series", maxSeriesPerRole))
			continue
		}
		seen[g.Role] = true
		series := make([]string, 0, len(g.Series))
		for j, s := range g.Series {
			checkText(fe, fmt.Sprintf("%s.series[%d]", field, j), s, true, maxTitle)
			series = append(series, strings.TrimSpace(s))
		}
		slices.Sort(series)
		series = slices.Compact(series)
		if len(series) == 0 {
			series = nil
		}
		out = append(out, RoleGrant{Role: g.Role, Series: series})
	}
	slices.SortFunc(out, func(a, b RoleGrant) int { return slices.Index(Roles, a.Role) - slices.Index(Roles, b.Role) })
	return out
}

// validEmail reports whether s is a plain e-mail address (as registration checks it).
func validEmail(s string) bool {
	addr, err := mail.ParseAddress(s)
	return err == nil && addr.Address == strings.TrimSpace(s) && ValidText(s, false) && utf8.RuneCountInString(s) <= maxEmail
}
