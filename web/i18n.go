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

// Time formats a clock reading ("09:30" in both languages) or a moment.
func (t texts) Time(at time.Time) string {
	if t.lang == "en" {
		return at.Format("2 Jan 2006, 15:04")
	}
	return at.Format("02.01.2006, 15:04")
}

// fieldRules maps the domain's English field details to catalogue messages, first match wins.
// The domain owns the rules; the pages only say them in the reader's language.
var fieldRules = []struct {
	contains, message string
}{
	{"must be valid UTF-8", "ErrText"},
	{"control characters", "ErrText"},
	{"must not be empty", "ErrRequired"},
	{"must be at most", "ErrTooLong"},
	{"must be an email address", "ErrEmail"},
	{"consent", "ErrConsent"},
	{"must name at least one day", "ErrDaysRequired"},
	{"must name at most", "ErrTooManyDays"},
	{"is not a day of this workshop", "ErrNotADay"},
	{"is not a date", "ErrNotADate"},
	{"is named twice", "ErrDayTwice"},
	{"must be at least 1", "ErrCapacity"},
	{"must be between 1 and 100000", "ErrCapacity"},
	{"must be one of", "ErrKind"},
	{"must be a time of day", "ErrClock"},
	{"must be after starts", "ErrEndsBeforeStarts"},
	{"the session takes place on", "ErrSessionDay"},
}

// fieldErrors translates a domain validation failure into messages by field. The first
// message of a field wins: one clear sentence next to the field is enough.
func (t texts) fieldErrors(fe domain.FieldErrors) map[string]string {
	out := make(map[string]string, len(fe))
	for _, f := range fe {
		if _, ok := out[f.Field]; ok {
			continue
		}
		msg := "ErrField"
		for _, r := range fieldRules {
			if strings.Contains(f.Detail, r.contains) {
				msg = r.message
				break
			}
		}
		out[f.Field] = t.T(msg)
	}
	return out
}

// ruleMessages names the message of each rule a form may run into that is not about one field.
var ruleMessages = []struct {
	err     error
	message string
}{
	{domain.ErrAlreadyRegistered, "ErrAlreadyRegistered"},
	{domain.ErrRoomOccupied, "ErrRoomOccupied"},
	{domain.ErrCapacityBelowConfirmed, "ErrCapacityBelowConfirmed"},
	{domain.ErrAlreadyCancelled, "ErrAlreadyCancelled"},
	{domain.ErrNotConfirmed, "ErrNotConfirmed"},
	{domain.ErrCheckInNotFound, "ErrCheckInNotFound"},
	{domain.ErrSessionNotFound, "ErrSessionNotFound"},
	{domain.ErrRegistrationNotFound, "ErrRegistrationNotFound"},
	{domain.ErrWorkshopNotFound, "ErrWorkshopNotFound"},
	{domain.ErrConflict, "ErrConflict"},
	{app.ErrKeyReused, "ErrFormSentBefore"},
}

// ruleError translates a rule violation. Detail is what the domain reported after the rule's
// own sentence (for a room conflict: the session holding the room), shown as the API shows it.
func (t texts) ruleError(err error) (message string, ok bool) {
	for _, r := range ruleMessages {
		if errors.Is(err, r.err) {
			msg := t.T(r.message)
			if _, detail, found := strings.Cut(err.Error(), ": "); found && errors.Is(err, domain.ErrRoomOccupied) {
				msg += " (" + detail + ")"
			}
			return msg, true
		}
	}
	return "", false
}
