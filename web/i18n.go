package web

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/labstack/echo/v4"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// Each feature may keep its messages in a file of its own, <name>.<lang>.toml.
//
//go:embed locales/*.toml
var locales embed.FS

// Languages the pages speak; the first is the default.
var languages = []language.Tag{language.German, language.English}

var matcher = language.NewMatcher(languages)

// langCookie keeps the language a person chose with ?lang=.
const langCookie = "lang"

// newBundle loads the message catalogues.
func newBundle() (*i18n.Bundle, error) {
	b := i18n.NewBundle(language.German)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(locales, "locales/*.toml")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := b.LoadMessageFileFS(locales, name); err != nil {
			return nil, fmt.Errorf("load %s: %w", name, err)
		}
	}
	return b, nil
}

// chooseLanguage picks the page's language: ?lang= (then remembered in a cookie), the cookie,
// Accept-Language, German.
func chooseLanguage(c echo.Context) string {
	if q := c.QueryParam("lang"); q == "de" || q == "en" {
		c.SetCookie(&http.Cookie{Name: langCookie, Value: q, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: c.Scheme() == "https", SameSite: http.SameSiteLaxMode})
		return q
	}
	if ck, err := c.Cookie(langCookie); err == nil && (ck.Value == "de" || ck.Value == "en") {
		return ck.Value
	}
	tags, _, err := language.ParseAcceptLanguage(c.Request().Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return "de"
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return "de"
	}
	base, _ := languages[i].Base()
	return base.String()
}

// texts translates for one request.
type texts struct {
	lang string
	loc  *i18n.Localizer
	zone *time.Location // the instance's time zone; nil leaves times as they are
}

// T returns message id filled with args, given as name/value pairs. A value named "Count"
// also chooses the plural form.
func (t texts) T(id string, args ...any) string {
	data := map[string]any{}
	var count any
	for i := 0; i+1 < len(args); i += 2 {
		name := fmt.Sprint(args[i])
		data[name] = args[i+1]
		if name == "Count" {
			count = args[i+1]
		}
	}
	s, err := t.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil {
		return id // a missing message shows its id; the catalogue test catches it first
	}
	return s
}

var germanWeekdays = []string{"So.", "Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa."}

// Date formats a day in the page's form: "Mo., 16.11.2026" or "Mon 16 Nov 2026".
func (t texts) Date(d domain.Day) string {
	day, err := time.Parse(time.DateOnly, string(d))
	if err != nil {
		return string(d)
	}
	if t.lang == "en" {
		return day.Format("Mon 2 Jan 2006")
	}
	return germanWeekdays[day.Weekday()] + ", " + day.Format("02.01.2006")
}

// Closes formats a registration closing time in the instance's time zone: "15.03.2027, 18:00
// Uhr" on German pages, "15 Mar 2027, 18:00" on English ones.
func (t texts) Closes(at time.Time) string {
	if t.zone != nil {
		at = at.In(t.zone)
	}
	if t.lang == "en" {
		return at.Format("2 Jan 2006, 15:04")
	}
	return at.Format("02.01.2006, 15:04") + " Uhr"
}

// Time formats a clock reading ("09:30" in both languages) or a moment.
func (t texts) Time(at time.Time) string {
	if t.lang == "en" {
		return at.Format("2 Jan 2006, 15:04")
	}
	return at.Format("02.01.2006, 15:04")
}

// messageID is the catalogue's message for a rule's code (domain.Rule.Code, domain.FieldError
// Code): "Err" and the code in camel case, so already-registered is ErrAlreadyRegistered. The
// pages never look at a rule's English text: rewording it changes no page.
func messageID(code string) string {
	var b strings.Builder
	b.WriteString("Err")
	for part := range strings.SplitSeq(code, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// fieldMessage names the message of a field rule on one field where the rule's own message
// (messageID of its code) would say too little.
type fieldMessage struct {
	field, code, message string
}

// fieldMessages are the messages of the general forms' fields, first match wins.
var fieldMessages = []fieldMessage{
	{"capacity", domain.CodeOutOfRange, "ErrCapacity"},
	{"days", domain.CodeTooFew, "ErrDaysRequired"},
	{"days", domain.CodeTooMany, "ErrTooManyDays"},
	{"days", domain.CodeNamedTwice, "ErrDayTwice"},
	{"kind", domain.CodeNotInList, "ErrKind"},
	{"password", domain.CodeTooLong, "ErrPasswordTooLong"},
	{"visibility", domain.CodeNotAllowed, "ErrMembersOnlyNeedsNetwork"},
	{"network", domain.CodeUnknownID, "ErrNotYourNetwork"},
	{"network", domain.CodeRequired, "ErrNetworkRequired"},
}

// fieldErrors translates a domain validation failure into messages by field, chosen by each
// rule's code. The first message of a field wins: one clear sentence next to the field is
// enough.
func (t texts) fieldErrors(fe domain.FieldErrors) map[string]string {
	out := make(map[string]string, len(fe))
	for _, f := range fe {
		if _, ok := out[f.Field]; ok {
			continue
		}
		out[f.Field] = t.T(fieldMessageID(f, fieldMessages))
	}
	return out
}

// fieldMessageID is the message of f: the first of messages naming f's field and code (an
// empty code matches any), else the message of f's code.
func fieldMessageID(f domain.FieldError, messages []fieldMessage) string {
	for _, m := range messages {
		if m.field == f.Field && (m.code == "" || m.code == f.Code) {
			return m.message
		}
	}
	if f.Code == "" {
		return "ErrField"
	}
	return messageID(f.Code)
}

// formRules are the rules a general form may run into that are not about one field; each
// one's message is that of its code.
var formRules = []*domain.Rule{
	domain.ErrAlreadyRegistered,
	domain.ErrRoomOccupied,
	domain.ErrCapacityBelowConfirmed,
	domain.ErrAlreadyCancelled,
	domain.ErrRegistrationCancelled,
	domain.ErrCheckedInDay,
	domain.ErrRegistrationClosed,
	domain.ErrDayFull,
	domain.ErrNotWaitlisted,
	domain.ErrNotConfirmed,
	domain.ErrCheckInNotFound,
	domain.ErrSessionNotFound,
	domain.ErrRegistrationNotFound,
	domain.ErrWorkshopNotFound,
	domain.ErrConflict,
}

// ruleMessage is the message of the first of rules that err breaks, by the rule's code.
func (t texts) ruleMessage(err error, rules []*domain.Rule) (string, bool) {
	for _, r := range rules {
		if errors.Is(err, r) {
			return t.T(messageID(r.Code())), true
		}
	}
	return "", false
}

// ruleError translates a rule violation. Detail is what the domain reported after the rule's
// own sentence (for a room conflict: the session holding the room), shown as the API shows it.
func (t texts) ruleError(err error) (message string, ok bool) {
	if errors.Is(err, app.ErrKeyReused) {
		return t.T("ErrFormSentBefore"), true
	}
	msg, ok := t.ruleMessage(err, formRules)
	if !ok {
		return "", false
	}
	var v *domain.Violation
	if errors.As(err, &v) && v.Rule == domain.ErrRoomOccupied {
		msg += " (" + v.Detail + ")"
	}
	return msg, true
}
