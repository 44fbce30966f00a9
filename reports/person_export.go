package reports

import (
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/werkstatt/werkstatt/domain"
)

// PersonExport is everything Werkstatt stores about one person, found by their e-mail address
// (GDPR Art. 15 and 20): their registrations in every workshop with what belongs to them, and
// their accounts in networks. It holds this person's data and nobody else's: a café route
// names tables, not the people at them; an action item its text, not who else was there.
type PersonExport struct {
	Email         string                 `json:"email"`
	GeneratedAt   time.Time              `json:"generated_at"`
	Registrations []ExportedRegistration `json:"registrations"`
	Memberships   []ExportedMembership   `json:"memberships"`
	// Notes say what the export cannot hold and why (anonymous feedback, for one).
	Notes []string `json:"notes"`
	// Zone is the time zone the readable document tells times in (the instance's; nil is
	// UTC). The JSON export keeps RFC 3339 times with their offset.
	Zone *time.Location `json:"-"`
}

// Empty reports whether nothing is stored about the person.
func (e PersonExport) Empty() bool { return len(e.Registrations) == 0 && len(e.Memberships) == 0 }

// ExportedRegistration is one registration with its workshop and what hangs on it.
type ExportedRegistration struct {
	Workshop      domain.WorkshopID            `json:"workshop"`
	WorkshopTitle string                       `json:"workshop_title"`
	Series        string                       `json:"series,omitempty"`
	Network       domain.NetworkID             `json:"network,omitempty"`
	WorkshopDays  []domain.Day                 `json:"workshop_days"`
	Registration  domain.RegistrationID        `json:"registration_id"`
	Name          string                       `json:"name"`
	Email         string                       `json:"email"`
	Organisation  string                       `json:"organisation"`
	District      string                       `json:"district,omitempty"`
	Dietary       string                       `json:"dietary,omitempty"`
	Overnight     bool                         `json:"overnight"`
	Days          []domain.Day                 `json:"days"`
	Status        domain.Status                `json:"status"`
	DayStatus     map[domain.Day]domain.Status `json:"day_status"`
	Lang          string                       `json:"lang,omitempty"`
	RegisteredAt  time.Time                    `json:"registered_at"`
	UpdatedAt     time.Time                    `json:"updated_at"`
	// Answers are the registration questions with the person's answers, in the form's order.
	Answers     []ExportedAnswer     `json:"answers"`
	CheckIns    []ExportedCheckIn    `json:"check_ins"`
	Cafes       []ExportedCafe       `json:"theme_cafes"`
	Topics      []ExportedTopic      `json:"topics_proposed"`
	Votes       []string             `json:"votes"`
	ActionItems []ExportedActionItem `json:"action_items"`
}

// ExportedAnswer is the answer to one registration question.
type ExportedAnswer struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// ExportedCheckIn is a check-in on a day, or at a session of it.
type ExportedCheckIn struct {
	Day     domain.Day       `json:"day"`
	Session domain.SessionID `json:"session,omitempty"`
	Title   string           `json:"session_title,omitempty"`
}

// ExportedCafe is the person's part in one theme café: the tables they chose (best first),
// their route (the table per round, "" for none) and the tables they host.
type ExportedCafe struct {
	Session domain.SessionID `json:"session"`
	Title   string           `json:"session_title"`
	Choices []string         `json:"choice_of_tables"`
	Route   []string         `json:"route"`
	Hosts   []string         `json:"hosts"`
}

// ExportedTopic is a follow-up topic the person proposed.
type ExportedTopic struct {
	Title       string             `json:"title"`
	Description string             `json:"description,omitempty"`
	ProposedAt  time.Time          `json:"proposed_at"`
	Status      domain.TopicStatus `json:"status"`
}

// ExportedActionItem is an action item assigned to the person.
type ExportedActionItem struct {
	What     string     `json:"what"`
	DueBy    domain.Day `json:"due_by,omitempty"`
	AgreedAt time.Time  `json:"agreed_at"`
	Done     bool       `json:"done"`
}

// ExportedMaterial is a material the person uploaded.
type ExportedMaterial struct {
	Workshop   domain.WorkshopID `json:"workshop"`
	Title      string            `json:"title"`
	File       string            `json:"file"`
	UploadedAt time.Time         `json:"uploaded_at"`
}

// ExportedMembership is the person's account in one network.
type ExportedMembership struct {
	Network      domain.NetworkID   `json:"network"`
	NetworkName  string             `json:"network_name"`
	Account      domain.AccountID   `json:"account"`
	Name         string             `json:"name"`
	Email        string             `json:"email"`
	Organisation string             `json:"organisation,omitempty"`
	Roles        []domain.RoleGrant `json:"roles"`
	Digest       bool               `json:"announcements_by_mail"`
	Materials    []ExportedMaterial `json:"materials_uploaded"`
	// Announcements are the titles of the announcements the account posted.
	Announcements []string          `json:"announcements_posted"`
	Comments      []ExportedComment `json:"comments"`
}

// ExportedComment is a comment the account wrote on an announcement.
type ExportedComment struct {
	Announcement string    `json:"announcement"`
	Text         string    `json:"text"`
	At           time.Time `json:"at"`
}

// exportWords are the fixed texts of a person's export. Each field's text is the catalogue
// message "Export" and the field's name (locales/export.<lang>.toml).
type exportWords struct {
	Title, Intro, Email, Generated, Registrations, NoRegistrations  string
	Workshop, Series, Network, WorkshopDays, Name, Organisation     string
	District, Dietary, Overnight, Days, Status, Registered, Changed string
	Answers, CheckIns, Cafes, Preferences, Route, Round, Host       string
	Topics, Votes, ActionItems, Due, Done, Materials, Memberships   string
	Roles, Digest, Notes, Yes, No, Page, Of                         string
	Announcements, Comments                                         string
	// The words of statuses and roles, as the pages name them.
	StatusConfirmed, StatusWaitlisted, StatusCancelled                 string
	TopicOpen, TopicPlanned, TopicAddressed, TopicDropped, TopicMerged string
	RoleAdmin, RoleOrganiser, RoleDoor, RoleLead, RoleMember           string
}

// status names a registration's status in the reader's language.
func (t exportWords) status(s domain.Status) string {
	return wordOr(map[domain.Status]string{domain.Confirmed: t.StatusConfirmed, domain.Waitlisted: t.StatusWaitlisted,
		domain.Cancelled: t.StatusCancelled}, s)
}

// topicStatus names a follow-up topic's status in the reader's language.
func (t exportWords) topicStatus(s domain.TopicStatus) string {
	return wordOr(map[domain.TopicStatus]string{domain.TopicOpen: t.TopicOpen, domain.TopicPlanned: t.TopicPlanned,
		domain.TopicAddressed: t.TopicAddressed, domain.TopicDropped: t.TopicDropped, domain.TopicMerged: t.TopicMerged}, s)
}

// role names a role in the reader's language.
func (t exportWords) role(r domain.Role) string {
	return wordOr(map[domain.Role]string{domain.RoleAdmin: t.RoleAdmin, domain.RoleOrganiser: t.RoleOrganiser,
		domain.RoleDoor: t.RoleDoor, domain.RoleLead: t.RoleLead, domain.RoleMember: t.RoleMember}, r)
}

// wordOr is the word for v, or v itself for a value the words do not name (a newer one).
func wordOr[V ~string](words map[V]string, v V) string {
	if w, ok := words[v]; ok && w != "" {
		return w
	}
	return string(v)
}

func (l Lang) exportWords() exportWords {
	if w, ok := exportDictionary[l]; ok {
		return w
	}
	return exportDictionary[German]
}

// PersonExportPDF writes a person's export as a readable A4 document in lang.
func PersonExportPDF(w io.Writer, lang Lang, e PersonExport) error {
	t := lang.exportWords()
	f := newPDF(lang, t.Title)
	pageFooter(f, words{Page: t.Page, Of: t.Of}, t.Title)
	f.AddPage()
	font(f, true, 16, false)
	f.MultiCell(textWidth, 8, t.Title, "", "L", false)
	font(f, false, 9, true)
	f.MultiCell(textWidth, 4.5, t.Intro, "", "L", false)
	f.Ln(2)
	yes := func(b bool) string {
		if b {
			return t.Yes
		}
		return t.No
	}
	zone := e.Zone
	if zone == nil {
		zone = time.UTC
	}
	stamp := func(at time.Time) string {
		if at.IsZero() {
			return ""
		}
		at = at.In(zone)
		return lang.shortDate(domain.Day(at.Format(time.DateOnly))) + " " + at.Format("15:04 MST")
	}
	exportRow(f, t.Email, e.Email)
	exportRow(f, t.Generated, stamp(e.GeneratedAt))
	exportHeading(f, t.Registrations)
	if len(e.Registrations) == 0 {
		font(f, false, 10, true)
		f.MultiCell(textWidth, 5, t.NoRegistrations, "", "L", false)
	}
	for _, r := range e.Registrations {
		f.Ln(2)
		font(f, true, 11, false)
		f.MultiCell(textWidth, 5.5, r.WorkshopTitle+" ("+lang.shortDates(r.WorkshopDays)+")", "", "L", false)
		exportRow(f, t.Series, r.Series)
		exportRow(f, t.Network, string(r.Network))
		exportRow(f, t.Name, r.Name)
		exportRow(f, t.Email, r.Email)
		exportRow(f, t.Organisation, r.Organisation)
		exportRow(f, t.District, r.District)
		exportRow(f, t.Dietary, r.Dietary)
		exportRow(f, t.Overnight, yes(r.Overnight))
		days := make([]string, len(r.Days))
		for i, d := range r.Days {
			days[i] = lang.shortDate(d)
			if s, ok := r.DayStatus[d]; ok {
				days[i] += " (" + t.status(s) + ")"
			}
		}
		exportRow(f, t.Days, strings.Join(days, ", "))
		exportRow(f, t.Status, t.status(r.Status))
		exportRow(f, t.Registered, stamp(r.RegisteredAt))
		exportRow(f, t.Changed, stamp(r.UpdatedAt))
		for _, a := range r.Answers {
			exportRow(f, a.Question, a.Answer)
		}
		var checkIns []string
		for _, c := range r.CheckIns {
			s := lang.shortDate(c.Day)
			if c.Title != "" {
				s += " – " + c.Title
			}
			checkIns = append(checkIns, s)
		}
		exportRow(f, t.CheckIns, strings.Join(checkIns, "; "))
		for _, c := range r.Cafes {
			exportRow(f, t.Cafes, c.Title)
			exportRow(f, t.Preferences, strings.Join(c.Choices, "; "))
			var route []string
			for i, table := range c.Route {
				if table != "" {
					route = append(route, t.Round+" "+itoa(i+1)+": "+table)
				}
			}
			exportRow(f, t.Route, strings.Join(route, "; "))
			exportRow(f, t.Host, strings.Join(c.Hosts, "; "))
		}
		for _, tp := range r.Topics {
			exportRow(f, t.Topics, tp.Title+" ("+t.topicStatus(tp.Status)+")")
		}
		exportRow(f, t.Votes, strings.Join(r.Votes, "; "))
		for _, a := range r.ActionItems {
			s := a.What
			if a.DueBy != "" {
				s += " (" + t.Due + " " + lang.shortDate(a.DueBy) + ")"
			}
			if a.Done {
				s += " – " + t.Done
			}
			exportRow(f, t.ActionItems, s)
		}
	}
	if len(e.Memberships) > 0 {
		exportHeading(f, t.Memberships)
		for _, m := range e.Memberships {
			f.Ln(2)
			font(f, true, 11, false)
			f.MultiCell(textWidth, 5.5, m.NetworkName, "", "L", false)
			exportRow(f, t.Name, m.Name)
			exportRow(f, t.Email, m.Email)
			exportRow(f, t.Organisation, m.Organisation)
			var roles []string
			for _, g := range m.Roles {
				s := t.role(g.Role)
				if len(g.Series) > 0 {
					s += " (" + strings.Join(g.Series, ", ") + ")"
				}
				roles = append(roles, s)
			}
			exportRow(f, t.Roles, strings.Join(roles, ", "))
			exportRow(f, t.Digest, yes(m.Digest))
			for _, mat := range m.Materials {
				exportRow(f, t.Materials, mat.Title+" ("+mat.File+", "+stamp(mat.UploadedAt)+")")
			}
			exportRow(f, t.Announcements, strings.Join(m.Announcements, "; "))
			for _, c := range m.Comments {
				exportRow(f, t.Comments, c.Announcement+": "+c.Text+" ("+stamp(c.At)+")")
			}
		}
	}
	if len(e.Notes) > 0 {
		exportHeading(f, t.Notes)
		font(f, false, 10, false)
		for _, n := range e.Notes {
			f.MultiCell(textWidth, 5, "• "+n, "", "L", false)
		}
	}
	return write(f, w)
}

// exportHeading writes a section's heading.
func exportHeading(f *fpdf.Fpdf, s string) {
	f.Ln(4)
	font(f, true, 13, false)
	f.MultiCell(textWidth, 7, s, "B", "L", false)
}

// exportRow writes a label and its value; an empty value is left out.
func exportRow(f *fpdf.Fpdf, label, value string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	const labelWidth = 50.0
	font(f, false, 9, true)
	y := f.GetY()
	f.MultiCell(labelWidth, 5, label, "", "L", false)
	after := f.GetY()
	f.SetXY(margin+labelWidth, y)
	font(f, false, 10, false)
	f.MultiCell(textWidth-labelWidth, 5, value, "", "L", false)
	f.SetY(max(after, f.GetY()))
}
