package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/handlers/handlerstest"
)

// role is who calls a route in TestAuthorisationMatrix.
type role uint

const (
	anonymous     role = 1 << iota
	wrongToken         // a made-up token, forged session cookies
	otherWorkshop      // a participant of another workshop, with their valid token
	peer               // another participant of the same workshop, with their valid token
	self               // the participant the path names (or who owns the action item)
	organiser          // the organiser (API token, or signed in on the pages)
	lead               // a lead of the workshop's series
	otherLead          // a lead of another series
	revokedLead        // a lead of the workshop's series whose grant was revoked
	// People of the workshop's network, with their own accounts (a personal API token, or
	// signed in on the pages):
	netAdmin        // the network's admin
	seriesOrganiser // an organiser of the workshop's series
	otherOrganiser  // an organiser of another series of the network
	doorStaff       // the network's door staff
	leadAccount     // a lead of the workshop's series, with an account
	member          // a member of the network
	outsider        // an organiser of another network
)

var roleNames = []string{"anonymous", "wrong token", "participant of another workshop",
	"participant of another registration", "the participant", "organiser", "lead", "lead of another series", "revoked lead",
	"network admin", "organiser of the series", "organiser of another series", "door staff", "lead with an account",
	"member of the network", "organiser of another network"}

// accounts are the roles of people with their own accounts.
const accounts = netAdmin | seriesOrganiser | otherOrganiser | doorStaff | leadAccount | member | outsider

func (r role) String() string {
	for i, n := range roleNames {
		if r == 1<<i {
			return n
		}
	}
	return fmt.Sprintf("role(%d)", uint(r))
}

// The sets of roles a route admits.
const (
	everyone      = anonymous | wrongToken | otherWorkshop | peer | self | organiser | lead | otherLead | revokedLead | accounts
	publicAPI     = everyone &^ (lead | otherLead | revokedLead) // a lead token opens the reports only
	organiserOnly = organiser
	reader        = organiser | lead        // the reports: the organiser and the series' lead
	participants  = organiser | peer | self // any participant of the workshop
	ownAPI        = organiser | self        // one registration's (or action item's) person
	ownPage       = self                    // a participant's own pages, by their token
	leadPage      = lead                    // a lead's pages of a workshop of their series
	anyLeadPage   = lead | otherLead        // a lead's pages of their own series
	hostLinkOnly  = role(0)                 // a café table's host link: none of the roles holds one
	passwordLink  = role(0)                 // a one-time link to set a password: none of the roles holds one
	exportLink    = role(0)                 // the mailed link to a person's export: none of the roles holds one
)

// authorisation states, for every route of the server (the JSON API and the pages), who may
// call it. TestAuthorisationMatrix fails for a route without a row: a new route needs one.
var authorisation = []struct {
	method, path string
	allowed      role
}{
	{"GET", "/", everyone},
	{"POST", "/api/v1/erasure-requests", organiserOnly},
	{"POST", "/api/v1/erasure-requests/preview", organiserOnly},
	{"GET", "/api/v1/outbox", organiserOnly},
	{"POST", "/api/v1/retention/runs", organiserOnly},
	{"GET", "/api/v1/people/export", organiserOnly}, // and a network's admin (networkRoutes)
	{"POST", "/api/v1/people/export-requests", publicAPI},
	{"GET", "/my-data", everyone},
	{"POST", "/my-data", everyone},
	{"GET", "/my-data/:token", exportLink},
	{"GET", "/my-data/:token/export.json", exportLink},
	{"GET", "/my-data/:token/export.pdf", exportLink},
	{"POST", "/api/v1/networks", organiserOnly},
	{"POST", "/api/v1/webhooks", organiserOnly},
	{"GET", "/api/v1/webhooks", organiserOnly},
	{"GET", "/api/v1/webhooks/:id", organiserOnly},
	{"DELETE", "/api/v1/webhooks/:id", organiserOnly},
	{"GET", "/organiser/networks/:id/webhooks", organiserOnly},
	{"POST", "/organiser/networks/:id/webhooks", organiserOnly},
	{"POST", "/organiser/networks/:id/webhooks/:wid/remove", organiserOnly},
	{"DELETE", "/api/v1/accounts/:mid", organiserOnly},
	{"GET", "/api/v1/networks", organiserOnly},
	{"GET", "/api/v1/networks/:id", organiserOnly},
	{"PATCH", "/api/v1/networks/:id", organiserOnly},
	{"GET", "/api/v1/networks/:id/members", organiserOnly},
	{"POST", "/api/v1/networks/:id/members", organiserOnly},
	{"GET", "/api/v1/networks/:id/members/:mid", organiserOnly},
	{"PUT", "/api/v1/networks/:id/members/:mid/roles", organiserOnly},
	{"DELETE", "/api/v1/networks/:id/members/:mid", organiserOnly},
	{"POST", "/api/v1/networks/:id/members/:mid/api-tokens", organiserOnly},
	{"GET", "/api/v1/networks/:id/members/:mid/api-tokens", organiserOnly},
	{"DELETE", "/api/v1/networks/:id/members/:mid/api-tokens/:tid", organiserOnly},
	{"POST", "/api/v1/networks/:id/members/:mid/invitations", organiserOnly},
	{"DELETE", "/api/v1/networks/:id/members/:mid/sessions", organiserOnly},
	{"GET", "/api/v1/networks/:id/announcements", publicAPI},
	{"GET", "/api/v1/networks/:id/announcements.atom", publicAPI},
	{"POST", "/api/v1/networks/:id/announcements", organiserOnly},
	{"GET", "/api/v1/networks/:id/announcements/:aid", organiserOnly}, // the matrix's announcement is for members
	{"PUT", "/api/v1/networks/:id/announcements/:aid", organiserOnly},
	{"DELETE", "/api/v1/networks/:id/announcements/:aid", organiserOnly},
	{"POST", "/api/v1/networks/:id/announcements/:aid/comments", role(0)}, // a comment needs an author with a name
	{"PUT", "/api/v1/networks/:id/announcements/:aid/comments/:cid/hidden", organiserOnly},
	{"GET", "/networks/:id", everyone},           // public announcements for all, members' ones for members
	{"GET", "/networks/:id/workshops", everyone}, // public workshops for all, members-only ones for members
	{"GET", "/api/v1/networks/:id/groups", organiserOnly},
	{"POST", "/api/v1/networks/:id/groups", organiserOnly},
	{"GET", "/api/v1/networks/:id/groups/:gid", organiserOnly},
	{"PATCH", "/api/v1/networks/:id/groups/:gid", organiserOnly},
	{"DELETE", "/api/v1/networks/:id/groups/:gid", organiserOnly},
	{"PUT", "/api/v1/networks/:id/groups/:gid/members/:mid", organiserOnly},
	{"DELETE", "/api/v1/networks/:id/groups/:gid/members/:mid", organiserOnly},
	{"GET", "/api/v1/networks/:id/reports/partners", organiserOnly},
	{"GET", "/networks/:id/groups", organiserOnly},
	{"POST", "/networks/:id/groups", organiserOnly},
	{"GET", "/networks/:id/groups/:gid", organiserOnly},
	{"POST", "/networks/:id/groups/:gid", organiserOnly},
	{"POST", "/networks/:id/groups/:gid/close", organiserOnly},
	{"POST", "/networks/:id/groups/:gid/members", organiserOnly},
	{"POST", "/networks/:id/groups/:gid/members/:mid/remove", organiserOnly},
	{"GET", "/networks/:id/partners", organiserOnly},
	{"GET", "/networks/:id/partners.csv", organiserOnly},
	{"GET", "/networks/:id/partners.xlsx", organiserOnly},
	{"GET", "/networks/:id/partners.pdf", organiserOnly},
	{"POST", "/networks/:id/announcements", organiserOnly},
	{"POST", "/networks/:id/announcements/:aid", organiserOnly},
	{"POST", "/networks/:id/announcements/:aid/withdraw", organiserOnly},
	{"POST", "/networks/:id/announcements/:aid/comments", role(0)},
	{"POST", "/networks/:id/announcements/:aid/comments/:cid/hide", organiserOnly},
	{"PUT", "/api/v1/networks/:id/digest-subscription", role(0)}, // a member's own subscription: an account with an address
	{"DELETE", "/api/v1/networks/:id/digest-subscription", role(0)},
	{"POST", "/networks/:id/digest", role(0)},
	{"GET", "/unsubscribe/:token", role(0)}, // an unsubscribe link: none of the roles holds one
	{"POST", "/unsubscribe/:token", role(0)},
	{"GET", "/api/v1/openapi.json", publicAPI},
	{"GET", "/api/v1/series/:series/action-items", organiserOnly},
	{"GET", "/api/v1/series/:series/backlog", organiserOnly},
	{"GET", "/api/v1/series/:series/lead-tokens", organiserOnly},
	{"POST", "/api/v1/series/:series/lead-tokens", organiserOnly},
	{"DELETE", "/api/v1/series/:series/lead-tokens/:grant", organiserOnly},
	{"GET", "/api/v1/series/:series/report", reader},
	{"GET", "/api/v1/series/:series/report.csv", reader},
	{"GET", "/api/v1/series/:series/report.json", reader},
	{"GET", "/api/v1/series/:series/report.pdf", reader},
	{"GET", "/api/v1/series/:series/report.xlsx", reader},
	{"GET", "/api/v1/series/:series/report/trend.svg", reader},
	{"GET", "/api/v1/workshops", publicAPI},
	{"GET", "/api/v1/workshops.ics", publicAPI},
	{"POST", "/api/v1/workshops", organiserOnly},
	{"GET", "/api/v1/workshops/:id", publicAPI},
	{"PATCH", "/api/v1/workshops/:id", organiserOnly},
	{"GET", "/api/v1/workshops/:id/agenda.ics", publicAPI},
	{"GET", "/api/v1/workshops/:id/action-items", participants},
	{"POST", "/api/v1/workshops/:id/action-items", organiserOnly},
	{"POST", "/api/v1/workshops/:id/action-items/:aid/done", ownAPI},
	{"POST", "/api/v1/workshops/:id/action-items/:aid/reopen", ownAPI},
	{"GET", "/api/v1/workshops/:id/attendance", organiserOnly},
	{"GET", "/api/v1/workshops/:id/history", organiserOnly},
	{"POST", "/api/v1/workshops/:id/messages", organiserOnly},
	{"GET", "/api/v1/workshops/:id/messages", organiserOnly},
	{"GET", "/api/v1/workshops/:id/backlog", organiserOnly},
	{"DELETE", "/api/v1/workshops/:id/check-ins", organiserOnly},
	{"POST", "/api/v1/workshops/:id/check-ins", organiserOnly},
	{"GET", "/api/v1/workshops/:id/feedback", participants},
	{"POST", "/api/v1/workshops/:id/feedback/close", organiserOnly},
	{"GET", "/api/v1/workshops/:id/feedback/evaluation", reader},
	{"POST", "/api/v1/workshops/:id/feedback/open", organiserOnly},
	{"PUT", "/api/v1/workshops/:id/feedback/questionnaires/:qid", organiserOnly},
	{"PUT", "/api/v1/workshops/:id/feedback/questionnaires/:qid/answer", participants},
	{"GET", "/api/v1/workshops/:id/registration-questions", publicAPI},
	{"PUT", "/api/v1/workshops/:id/registration-questions", organiserOnly},
	{"GET", "/api/v1/workshops/:id/registrations", organiserOnly},
	{"POST", "/api/v1/workshops/:id/registrations", publicAPI},
	{"POST", "/api/v1/workshops/:id/registrations/link-requests", publicAPI},
	{"POST", "/api/v1/password-resets", publicAPI},
	{"GET", "/api/v1/networks/:id/workshops.ics", publicAPI},
	{"GET", "/api/v1/networks/:id/workshops", publicAPI},
	{"PATCH", "/api/v1/workshops/:id/registrations/:rid", ownAPI},
	{"DELETE", "/api/v1/workshops/:id/registrations/:rid", ownAPI},
	{"GET", "/api/v1/workshops/:id/registrations/:rid", ownAPI},
	{"POST", "/api/v1/workshops/:id/registrations/:rid/admissions", organiserOnly},
	{"GET", "/api/v1/workshops/:id/registrations/:rid/certificate.pdf", ownAPI},
	{"GET", "/api/v1/workshops/:id/registrations/:rid/calendar.ics", ownAPI},
	{"DELETE", "/api/v1/workshops/:id/registrations/:rid/personal-data", ownAPI},
	{"GET", "/api/v1/workshops/:id/reports/attendance", reader},
	{"GET", "/api/v1/workshops/:id/reports/attendance.csv", reader},
	{"GET", "/api/v1/workshops/:id/reports/attendance.json", reader},
	{"GET", "/api/v1/workshops/:id/reports/attendance.pdf", reader},
	{"GET", "/api/v1/workshops/:id/reports/attendance.xlsx", reader},
	{"GET", "/api/v1/workshops/:id/reports/catering.csv", reader},
	{"GET", "/api/v1/workshops/:id/reports/catering.pdf", reader},
	{"GET", "/api/v1/workshops/:id/reports/certificates.pdf", reader},
	{"GET", "/api/v1/workshops/:id/reports/evaluation.csv", reader},
	{"GET", "/api/v1/workshops/:id/reports/evaluation.pdf", reader},
	{"GET", "/api/v1/workshops/:id/reports/evaluation.xlsx", reader},
	{"GET", "/api/v1/workshops/:id/reports/sign-in-sheets.pdf", reader},
	{"GET", "/api/v1/workshops/:id/reports/badges.pdf", reader},
	{"GET", "/api/v1/workshops/:id/funding", reader},
	{"PUT", "/api/v1/workshops/:id/funding", organiserOnly},
	{"GET", "/api/v1/workshops/:id/funding/logo", reader},
	{"PUT", "/api/v1/workshops/:id/funding/logo", organiserOnly},
	{"DELETE", "/api/v1/workshops/:id/funding/logo", organiserOnly},
	{"POST", "/api/v1/workshops/:id/materials", organiserOnly},
	{"GET", "/api/v1/workshops/:id/materials", publicAPI},
	{"GET", "/api/v1/workshops/:id/materials/:mid", publicAPI},
	{"GET", "/api/v1/workshops/:id/materials/:mid/versions/:n", publicAPI},
	{"PUT", "/api/v1/workshops/:id/materials/:mid/personal", organiserOnly},
	{"PUT", "/api/v1/workshops/:id/materials/:mid", organiserOnly},
	{"DELETE", "/api/v1/workshops/:id/materials/:mid", organiserOnly},
	{"PUT", "/api/v1/workshops/:id/summary", organiserOnly},
	{"GET", "/api/v1/workshops/:id/documentation", publicAPI},
	{"PUT", "/api/v1/series/:series/funding", organiserOnly},
	{"PUT", "/api/v1/series/:series/retention", organiserOnly},
	{"GET", "/api/v1/series/:series/retention", organiserOnly},
	{"POST", "/api/v1/workshops/:id/sessions", organiserOnly},
	{"DELETE", "/api/v1/workshops/:id/sessions/:sid", organiserOnly},
	{"PATCH", "/api/v1/workshops/:id/sessions/:sid", organiserOnly},
	{"GET", "/api/v1/workshops/:id/sessions/:sid/theme-cafe", participants},
	{"POST", "/api/v1/workshops/:id/sessions/:sid/theme-cafe/plan", organiserOnly},
	{"POST", "/api/v1/workshops/:id/sessions/:sid/theme-cafe/plan/moves", organiserOnly},
	{"POST", "/api/v1/workshops/:id/sessions/:sid/theme-cafe/plan/publish", organiserOnly},
	{"PUT", "/api/v1/workshops/:id/sessions/:sid/theme-cafe/preferences", participants},
	{"POST", "/api/v1/workshops/:id/sessions/:sid/theme-cafe/preferences/close", organiserOnly},
	{"POST", "/api/v1/workshops/:id/sessions/:sid/theme-cafe/preferences/open", organiserOnly},
	{"GET", "/api/v1/workshops/:id/sessions/:sid/theme-cafe/results", participants},
	{"GET", "/api/v1/workshops/:id/sessions/:sid/theme-cafe/results.md", participants},
	{"GET", "/api/v1/workshops/:id/sessions/:sid/theme-cafe/results.pdf", participants},
	{"PUT", "/api/v1/workshops/:id/sessions/:sid/theme-cafe/rounds", organiserOnly},
	{"GET", "/api/v1/workshops/:id/sessions/:sid/theme-cafe/routes.pdf", participants},
	{"GET", "/api/v1/workshops/:id/sessions/:sid/theme-cafe/table-cards.pdf", organiserOnly},
	{"POST", "/api/v1/workshops/:id/sessions/:sid/theme-cafe/tables", organiserOnly},
	{"DELETE", "/api/v1/workshops/:id/sessions/:sid/theme-cafe/tables/:tid", organiserOnly},
	{"PATCH", "/api/v1/workshops/:id/sessions/:sid/theme-cafe/tables/:tid", organiserOnly},
	{"POST", "/api/v1/workshops/:id/sessions/:sid/theme-cafe/tables/:tid/host-link", organiserOnly},
	{"DELETE", "/api/v1/workshops/:id/sessions/:sid/theme-cafe/tables/:tid/host-link", organiserOnly},
	{"POST", "/api/v1/workshops/:id/sessions/:sid/theme-cafe/tables/:tid/materials", hostLinkOnly},
	{"PUT", "/api/v1/workshops/:id/sessions/:sid/theme-cafe/tables/:tid/notes/:round", participants},
	{"GET", "/api/v1/workshops/:id/topics", participants},
	{"POST", "/api/v1/workshops/:id/topics", participants},
	{"POST", "/api/v1/workshops/:id/topics/:tid/merge", organiserOnly},
	{"PUT", "/api/v1/workshops/:id/topics/:tid/status", organiserOnly},
	{"PUT", "/api/v1/workshops/:id/topics/vote-limit", organiserOnly},
	{"PUT", "/api/v1/workshops/:id/topics/votes", participants},
	{"POST", "/api/v1/workshops/:id/topics/voting/close", organiserOnly},
	{"POST", "/api/v1/workshops/:id/topics/voting/open", organiserOnly},
	{"POST", "/api/v1/workshops/:id/walk-ins", organiserOnly},
	{"GET", "/assets/*", everyone},
	{"GET", "/healthz", publicAPI},
	{"GET", "/lead", anyLeadPage},
	{"GET", "/lead/report.csv", anyLeadPage},
	{"GET", "/lead/report.pdf", anyLeadPage},
	{"GET", "/lead/report.xlsx", anyLeadPage},
	{"GET", "/lead/sign-in", everyone},
	{"POST", "/lead/sign-in", everyone},
	{"POST", "/lead/sign-out", everyone},
	{"GET", "/lead/trend.svg", anyLeadPage},
	{"GET", "/lead/workshops/:id/attendance", leadPage},
	{"GET", "/lead/workshops/:id/attendance.csv", leadPage},
	{"GET", "/lead/workshops/:id/attendance.pdf", leadPage},
	{"GET", "/lead/workshops/:id/attendance.xlsx", leadPage},
	{"GET", "/lead/workshops/:id/sign-in-sheets.pdf", leadPage},
	{"GET", "/lead/workshops/:id/certificates.pdf", leadPage},
	{"GET", "/lead/workshops/:id/badges.pdf", leadPage},
	{"GET", "/lead/workshops/:id/catering.csv", leadPage},
	{"GET", "/lead/workshops/:id/catering.pdf", leadPage},
	{"GET", "/lead/workshops/:id/evaluation", leadPage},
	{"GET", "/lead/workshops/:id/evaluation.csv", leadPage},
	{"GET", "/lead/workshops/:id/evaluation.pdf", leadPage},
	{"GET", "/lead/workshops/:id/evaluation.xlsx", leadPage},
	{"GET", "/organiser", organiserOnly},
	{"GET", "/organiser/erasure", organiserOnly},
	{"GET", "/organiser/retention", organiserOnly},
	{"POST", "/organiser/retention", organiserOnly},
	{"POST", "/organiser/retention/preview", organiserOnly},
	{"GET", "/organiser/series/:series/retention", organiserOnly},
	{"POST", "/organiser/series/:series/retention", organiserOnly},
	{"GET", "/organiser/outbox", organiserOnly},
	{"GET", "/organiser/networks", organiserOnly},
	{"POST", "/organiser/networks", organiserOnly},
	{"GET", "/organiser/networks/:id", organiserOnly},
	{"POST", "/organiser/networks/:id", organiserOnly},
	{"POST", "/organiser/networks/:id/members", organiserOnly},
	{"POST", "/organiser/networks/:id/members/:mid/roles", organiserOnly},
	{"POST", "/organiser/networks/:id/members/:mid/remove", organiserOnly},
	{"POST", "/organiser/networks/:id/members/:mid/invitation", organiserOnly},
	{"POST", "/organiser/networks/:id/members/:mid/sessions/end", organiserOnly},
	{"GET", "/organiser/networks/:id/members/:mid/api-tokens", organiserOnly},
	{"POST", "/organiser/networks/:id/members/:mid/api-tokens", organiserOnly},
	{"POST", "/organiser/networks/:id/members/:mid/api-tokens/:tid/revoke", organiserOnly},
	{"GET", "/api/v1/networks/:id/privacy-notice", publicAPI},
	{"PUT", "/api/v1/networks/:id/privacy-notice", organiserOnly},
	{"GET", "/api/v1/privacy-notice", publicAPI},
	{"PUT", "/api/v1/privacy-notice", organiserOnly},
	{"GET", "/networks/:id/privacy", everyone},
	{"GET", "/organiser/networks/:id/privacy", organiserOnly},
	{"POST", "/organiser/networks/:id/privacy", organiserOnly},
	{"POST", "/organiser/networks/:id/retention", organiserOnly},
	{"PUT", "/api/v1/networks/:id/retention", organiserOnly},
	{"GET", "/api/v1/networks/:id/retention", organiserOnly},
	{"GET", "/organiser/privacy", organiserOnly},
	{"POST", "/organiser/privacy", organiserOnly},
	{"GET", "/api/v1/networks/:id/mail-templates", organiserOnly},
	{"PUT", "/api/v1/networks/:id/mail-templates/:kind/:lang", organiserOnly},
	{"DELETE", "/api/v1/networks/:id/mail-templates/:kind/:lang", organiserOnly},
	{"POST", "/api/v1/networks/:id/mail-templates/:kind/:lang/preview", organiserOnly},
	{"GET", "/organiser/networks/:id/mail-templates", organiserOnly},
	{"GET", "/organiser/networks/:id/mail-templates/:kind/:lang", organiserOnly},
	{"POST", "/organiser/networks/:id/mail-templates/:kind/:lang", organiserOnly},
	{"POST", "/organiser/networks/:id/mail-templates/:kind/:lang/preview", organiserOnly},
	{"POST", "/organiser/networks/:id/mail-templates/:kind/:lang/reset", organiserOnly},
	{"POST", "/organiser/erasure", organiserOnly},
	{"POST", "/organiser/erasure/preview", organiserOnly},
	{"POST", "/organiser/erasure/export", organiserOnly},
	{"GET", "/organiser/series/:series/leads", organiserOnly},
	{"POST", "/organiser/series/:series/leads", organiserOnly},
	{"POST", "/organiser/series/:series/leads/:grant/revoke", organiserOnly},
	{"GET", "/organiser/sign-in", everyone},
	{"POST", "/organiser/sign-in", everyone},
	{"POST", "/organiser/sign-out", everyone},
	{"POST", "/organiser/workshops", organiserOnly},
	{"GET", "/organiser/workshops/:id", organiserOnly},
	{"POST", "/organiser/workshops/:id", organiserOnly},
	{"POST", "/organiser/workshops/:id/action-items", organiserOnly},
	{"POST", "/organiser/workshops/:id/action-items/:aid/done", organiserOnly},
	{"POST", "/organiser/workshops/:id/action-items/:aid/reopen", organiserOnly},
	{"GET", "/organiser/workshops/:id/attendance", organiserOnly},
	{"GET", "/organiser/workshops/:id/history", organiserOnly},
	{"GET", "/organiser/workshops/:id/messages", organiserOnly},
	{"POST", "/organiser/workshops/:id/messages", organiserOnly},
	{"GET", "/organiser/workshops/:id/funding", organiserOnly},
	{"POST", "/organiser/workshops/:id/funding", organiserOnly},
	{"GET", "/organiser/workshops/:id/funding/logo", organiserOnly},
	{"POST", "/organiser/workshops/:id/funding/logo", organiserOnly},
	{"POST", "/organiser/workshops/:id/funding/logo/remove", organiserOnly},
	{"GET", "/organiser/workshops/:id/materials", organiserOnly},
	{"POST", "/organiser/workshops/:id/materials", organiserOnly},
	{"POST", "/organiser/workshops/:id/materials/:mid", organiserOnly},
	{"POST", "/organiser/workshops/:id/materials/:mid/remove", organiserOnly},
	{"POST", "/organiser/workshops/:id/materials/:mid/personal", organiserOnly},
	{"GET", "/organiser/workshops/:id/summary", organiserOnly},
	{"POST", "/organiser/workshops/:id/summary", organiserOnly},
	{"GET", "/organiser/workshops/:id/backlog", organiserOnly},
	{"POST", "/organiser/workshops/:id/backlog/:tid", organiserOnly},
	{"GET", "/organiser/workshops/:id/cafes/:sid", organiserOnly},
	{"GET", "/organiser/workshops/:id/cafes/:sid/notes/:tid/:round", organiserOnly},
	{"POST", "/organiser/workshops/:id/cafes/:sid/notes/:tid/:round", organiserOnly},
	{"GET", "/organiser/workshops/:id/cafes/:sid/plan", organiserOnly},
	{"POST", "/organiser/workshops/:id/cafes/:sid/plan", organiserOnly},
	{"POST", "/organiser/workshops/:id/cafes/:sid/plan/moves", organiserOnly},
	{"POST", "/organiser/workshops/:id/cafes/:sid/plan/publish", organiserOnly},
	{"POST", "/organiser/workshops/:id/cafes/:sid/preferences", organiserOnly},
	{"GET", "/organiser/workshops/:id/cafes/:sid/results", organiserOnly},
	{"GET", "/organiser/workshops/:id/cafes/:sid/results.md", organiserOnly},
	{"GET", "/organiser/workshops/:id/cafes/:sid/results.pdf", organiserOnly},
	{"POST", "/organiser/workshops/:id/cafes/:sid/rounds", organiserOnly},
	{"GET", "/organiser/workshops/:id/cafes/:sid/routes.pdf", organiserOnly},
	{"GET", "/organiser/workshops/:id/cafes/:sid/table-cards.pdf", organiserOnly},
	{"POST", "/organiser/workshops/:id/cafes/:sid/tables", organiserOnly},
	{"POST", "/organiser/workshops/:id/cafes/:sid/tables/:tid", organiserOnly},
	{"POST", "/organiser/workshops/:id/cafes/:sid/tables/:tid/remove", organiserOnly},
	{"POST", "/organiser/workshops/:id/cafes/:sid/tables/:tid/host-link", organiserOnly},
	{"POST", "/organiser/workshops/:id/cafes/:sid/tables/:tid/host-link/revoke", organiserOnly},
	{"GET", "/organiser/workshops/:id/catering.csv", organiserOnly},
	{"GET", "/organiser/workshops/:id/catering.pdf", organiserOnly},
	{"GET", "/organiser/workshops/:id/certificates.pdf", organiserOnly},
	{"GET", "/organiser/workshops/:id/attendance.csv", organiserOnly},
	{"GET", "/organiser/workshops/:id/attendance.pdf", organiserOnly},
	{"GET", "/organiser/workshops/:id/attendance.xlsx", organiserOnly},
	{"GET", "/organiser/workshops/:id/evaluation.csv", organiserOnly},
	{"GET", "/organiser/workshops/:id/evaluation.pdf", organiserOnly},
	{"GET", "/organiser/workshops/:id/evaluation.xlsx", organiserOnly},
	{"GET", "/organiser/workshops/:id/badges.pdf", organiserOnly},
	{"GET", "/organiser/series/:series/report.csv", organiserOnly},
	{"GET", "/organiser/series/:series/report.pdf", organiserOnly},
	{"GET", "/organiser/series/:series/report.xlsx", organiserOnly},
	{"GET", "/organiser/workshops/:id/check-in", organiserOnly},
	{"POST", "/organiser/workshops/:id/check-in", organiserOnly},
	{"POST", "/organiser/workshops/:id/check-in/walk-in", organiserOnly},
	{"POST", "/organiser/workshops/:id/check-in/admit", organiserOnly},
	{"GET", "/organiser/workshops/:id/feedback", organiserOnly},
	{"GET", "/organiser/workshops/:id/feedback/qr", organiserOnly},
	{"GET", "/organiser/workshops/:id/feedback/questionnaires/:qid", organiserOnly},
	{"POST", "/organiser/workshops/:id/feedback/questionnaires/:qid", organiserOnly},
	{"POST", "/organiser/workshops/:id/feedback/state", organiserOnly},
	{"POST", "/organiser/workshops/:id/feedback/topics", organiserOnly},
	{"GET", "/organiser/workshops/:id/registration-questions", organiserOnly},
	{"POST", "/organiser/workshops/:id/registration-questions", organiserOnly},
	{"GET", "/organiser/workshops/:id/registrations", organiserOnly},
	{"POST", "/organiser/workshops/:id/registrations", organiserOnly},
	{"GET", "/organiser/workshops/:id/registrations/:rid", organiserOnly},
	{"POST", "/organiser/workshops/:id/registrations/:rid", organiserOnly},
	{"POST", "/organiser/workshops/:id/registrations/:rid/cancel", organiserOnly},
	{"POST", "/organiser/workshops/:id/registrations/:rid/erase", organiserOnly},
	{"POST", "/organiser/workshops/:id/sessions", organiserOnly},
	{"POST", "/organiser/workshops/:id/sessions/:sid", organiserOnly},
	{"POST", "/organiser/workshops/:id/sessions/:sid/cancel", organiserOnly},
	{"GET", "/organiser/workshops/:id/sign-in-sheets.pdf", organiserOnly},
	{"GET", "/organiser/workshops/:id/topics", organiserOnly},
	{"POST", "/organiser/workshops/:id/topics", organiserOnly},
	{"POST", "/organiser/workshops/:id/topics/:tid/merge", organiserOnly},
	{"POST", "/organiser/workshops/:id/topics/:tid/status", organiserOnly},
	{"POST", "/organiser/workshops/:id/topics/limit", organiserOnly},
	{"GET", "/organiser/workshops/:id/topics/ranking", organiserOnly},
	{"POST", "/organiser/workshops/:id/topics/voting", organiserOnly},
	{"GET", "/organiser/workshops/new", organiserOnly},
	{"GET", "/privacy", everyone},
	{"GET", "/readyz", publicAPI},
	{"GET", "/w/:id", everyone},
	{"GET", "/w/:id/materials/:mid", everyone},
	{"GET", "/w/:id/documentation", everyone},
	{"GET", "/w/:id/feedback", everyone},
	{"POST", "/w/:id/feedback", everyone},
	{"GET", "/w/:id/r/:rid", ownPage},
	{"POST", "/w/:id/r/:rid/action-items/:aid/done", ownPage},
	{"POST", "/w/:id/r/:rid/action-items/:aid/reopen", ownPage},
	{"GET", "/w/:id/r/:rid/cafes/:sid", ownPage},
	{"GET", "/w/:id/cafes/:sid/tables/:tid/host", hostLinkOnly},
	{"POST", "/w/:id/cafes/:sid/tables/:tid/host/:round", hostLinkOnly},
	{"POST", "/w/:id/cafes/:sid/tables/:tid/host/materials", hostLinkOnly},
	{"POST", "/w/:id/r/:rid/cafes/:sid", ownPage},
	{"POST", "/w/:id/r/:rid/cancel", ownPage},
	{"POST", "/w/:id/r/:rid/change", ownPage},
	{"GET", "/w/:id/r/:rid/certificate.pdf", ownPage},
	{"POST", "/w/:id/r/:rid/erase", ownPage},
	{"GET", "/w/:id/r/:rid/feedback", ownPage},
	{"POST", "/w/:id/r/:rid/feedback", ownPage},
	{"POST", "/w/:id/r/:rid/forget", ownPage},
	{"GET", "/w/:id/r/:rid/topics", ownPage},
	{"POST", "/w/:id/r/:rid/topics", ownPage},
	{"POST", "/w/:id/r/:rid/votes", ownPage},
	{"GET", "/w/:id/register", everyone},
	{"POST", "/w/:id/register", everyone},
	{"GET", "/w/:id/link", everyone},
	{"GET", "/sign-in", everyone},
	{"POST", "/sign-in", everyone},
	{"GET", "/sign-in/sso", everyone},
	{"GET", "/sign-in/sso/callback", everyone},
	{"GET", "/sign-in/reset", everyone},
	{"POST", "/sign-in/reset", everyone},
	{"POST", "/sign-out", everyone},
	{"GET", "/set-password/:token", passwordLink},
	{"POST", "/set-password/:token", passwordLink},
	{"POST", "/w/:id/link", everyone},
}

// The people of a network on each route follow from the route and its row: who organises a
// workshop (its network's admin, the organiser of its series) is admitted where the
// administrator is; the door staff also at the door, a lead also to the reports; every person
// to the pages that decide for themselves what they show; nobody of them to the
// administrator's own routes, to a participant's or a lead token's. The table below names the
// network's own routes.
var networkRoutes = map[string]role{
	"GET /api/v1/networks":                                             accounts,
	"GET /api/v1/networks/:id":                                         accounts &^ outsider,
	"PATCH /api/v1/networks/:id":                                       netAdmin,
	"GET /api/v1/networks/:id/members":                                 netAdmin,
	"POST /api/v1/networks/:id/members":                                netAdmin,
	"GET /api/v1/networks/:id/members/:mid":                            netAdmin, // the admin's own entry
	"PUT /api/v1/networks/:id/members/:mid/roles":                      netAdmin,
	"DELETE /api/v1/networks/:id/members/:mid":                         netAdmin,
	"POST /api/v1/networks/:id/members/:mid/api-tokens":                netAdmin,
	"GET /api/v1/networks/:id/members/:mid/api-tokens":                 netAdmin,
	"DELETE /api/v1/networks/:id/members/:mid/api-tokens/:tid":         netAdmin,
	"POST /api/v1/networks/:id/members/:mid/invitations":               netAdmin,
	"POST /api/v1/workshops":                                           accounts,            // the application decides where
	"POST /api/v1/webhooks":                                            netAdmin | outsider, // who manages a whole network's (outsider: their own)
	"GET /api/v1/webhooks":                                             accounts,            // each sees those they manage, maybe none
	"GET /api/v1/webhooks/:id":                                         netAdmin,
	"DELETE /api/v1/webhooks/:id":                                      netAdmin,
	"GET /organiser/networks/:id/webhooks":                             netAdmin,
	"POST /organiser/networks/:id/webhooks":                            netAdmin,
	"POST /organiser/networks/:id/webhooks/:wid/remove":                netAdmin,
	"POST /api/v1/networks/:id/announcements":                          announcers,
	"GET /api/v1/networks/:id/announcements/:aid":                      accounts &^ outsider,
	"PUT /api/v1/networks/:id/announcements/:aid":                      announcers,
	"DELETE /api/v1/networks/:id/announcements/:aid":                   announcers,
	"POST /api/v1/networks/:id/announcements/:aid/comments":            accounts &^ outsider,
	"PUT /api/v1/networks/:id/announcements/:aid/comments/:cid/hidden": announcers,
	"GET /api/v1/networks/:id/groups":                                  accounts &^ outsider,
	"POST /api/v1/networks/:id/groups":                                 announcers,
	"GET /api/v1/networks/:id/groups/:gid":                             accounts &^ outsider,
	"PATCH /api/v1/networks/:id/groups/:gid":                           announcers,
	"DELETE /api/v1/networks/:id/groups/:gid":                          announcers,
	"PUT /api/v1/networks/:id/groups/:gid/members/:mid":                announcers,
	"DELETE /api/v1/networks/:id/groups/:gid/members/:mid":             announcers,
	"GET /api/v1/networks/:id/reports/partners":                        netAdmin | seriesOrganiser | otherOrganiser | leadAccount,
	"GET /networks/:id/groups":                                         accounts &^ outsider,
	"POST /networks/:id/groups":                                        announcers,
	"GET /networks/:id/groups/:gid":                                    accounts &^ outsider,
	"POST /networks/:id/groups/:gid":                                   announcers,
	"POST /networks/:id/groups/:gid/close":                             announcers,
	"POST /networks/:id/groups/:gid/members":                           announcers,
	"POST /networks/:id/groups/:gid/members/:mid/remove":               announcers,
	"GET /networks/:id/partners":                                       netAdmin | seriesOrganiser | otherOrganiser | leadAccount,
	"GET /networks/:id/partners.csv":                                   netAdmin | seriesOrganiser | otherOrganiser | leadAccount,
	"GET /networks/:id/partners.xlsx":                                  netAdmin | seriesOrganiser | otherOrganiser | leadAccount,
	"GET /networks/:id/partners.pdf":                                   netAdmin | seriesOrganiser | otherOrganiser | leadAccount,
	"GET /networks/:id":                                                everyone & accounts,
	"POST /networks/:id/announcements":                                 announcers,
	"POST /networks/:id/announcements/:aid":                            announcers,
	"POST /networks/:id/announcements/:aid/withdraw":                   announcers,
	"POST /networks/:id/announcements/:aid/comments":                   accounts &^ outsider,
	"POST /networks/:id/announcements/:aid/comments/:cid/hide":         announcers,
	"PUT /api/v1/networks/:id/digest-subscription":                     accounts &^ outsider,
	"DELETE /api/v1/networks/:id/digest-subscription":                  accounts &^ outsider,
	"POST /networks/:id/digest":                                        accounts &^ outsider,
	"GET /organiser/networks":                                          accounts,
	"GET /organiser/networks/:id":                                      accounts &^ outsider,
	"POST /organiser/networks/:id":                                     netAdmin,
	"POST /organiser/networks/:id/members":                             netAdmin,
	"POST /organiser/networks/:id/members/:mid/roles":                  netAdmin,
	"POST /organiser/networks/:id/members/:mid/remove":                 netAdmin,
	"POST /organiser/networks/:id/members/:mid/invitation":             netAdmin,
	"GET /organiser/networks/:id/members/:mid/api-tokens":              netAdmin,
	"POST /organiser/networks/:id/members/:mid/api-tokens":             netAdmin,
	"POST /organiser/networks/:id/members/:mid/api-tokens/:tid/revoke": netAdmin,
	// A network's privacy notice: its admin states it; everybody reads it.
	"PUT /api/v1/networks/:id/privacy-notice": netAdmin,
	"GET /organiser/networks/:id/privacy":     netAdmin,
	"POST /organiser/networks/:id/privacy":    netAdmin,
	// A network's default retention period: its admin sets it, its organisers read it.
	"PUT /api/v1/networks/:id/retention":     netAdmin,
	"GET /api/v1/networks/:id/retention":     netAdmin | seriesOrganiser | otherOrganiser,
	"POST /organiser/networks/:id/retention": netAdmin,
	// A network's mails: its admin (and organisers of all its series, whom the matrix has not).
	"GET /api/v1/networks/:id/mail-templates":                         netAdmin,
	"PUT /api/v1/networks/:id/mail-templates/:kind/:lang":             netAdmin,
	"DELETE /api/v1/networks/:id/mail-templates/:kind/:lang":          netAdmin,
	"POST /api/v1/networks/:id/mail-templates/:kind/:lang/preview":    netAdmin,
	"GET /organiser/networks/:id/mail-templates":                      netAdmin,
	"GET /organiser/networks/:id/mail-templates/:kind/:lang":          netAdmin,
	"POST /organiser/networks/:id/mail-templates/:kind/:lang":         netAdmin,
	"POST /organiser/networks/:id/mail-templates/:kind/:lang/preview": netAdmin,
	"POST /organiser/networks/:id/mail-templates/:kind/:lang/reset":   netAdmin,
	"GET /api/v1/people/export":                                       netAdmin, // the workshops and accounts of their networks
	"GET /organiser":                                                  accounts, // the overview lists what each may open
	"GET /organiser/workshops/new":                                    accounts,
	"POST /organiser/workshops":                                       accounts,
}

// announcers are the people who post a network's announcements and hide comments: its admins
// and its organisers, of any series.
const announcers = netAdmin | seriesOrganiser | otherOrganiser

// admittedAccounts returns the people of a network that route (method, path) with row allowed
// admits.
func admittedAccounts(method, path string, allowed role) role {
	const organises = netAdmin | seriesOrganiser
	key := method + " " + path
	if r, ok := networkRoutes[key]; ok {
		return r
	}
	workshopOrSeries := strings.Contains(path, "/:id") || strings.Contains(path, "/:series")
	api := strings.HasPrefix(path, "/api/")
	switch {
	case allowed&accounts == accounts || allowed&organiser == 0 || !workshopOrSeries:
		return allowed & accounts
	case !api && !strings.HasPrefix(path, "/organiser/"):
		return 0
	case strings.HasSuffix(path, "/check-ins") || strings.HasSuffix(path, "/walk-ins") || strings.HasSuffix(path, "/admissions") ||
		strings.Contains(path, "/check-in"):
		return organises | doorStaff
	case allowed&lead != 0 && api, !api && method == http.MethodGet && isLeadPage(path):
		return organises | leadAccount
	}
	return organises
}

// isLeadPage reports whether an organiser's page is a report a lead reads too.
func isLeadPage(path string) bool {
	for _, end := range []string{"/attendance", "/attendance.csv", "/attendance.pdf", "/attendance.xlsx", "/evaluation.csv",
		"/evaluation.pdf", "/evaluation.xlsx", "/catering.csv", "/catering.pdf", "/certificates.pdf", "/sign-in-sheets.pdf",
		"/badges.pdf", "/report.csv", "/report.pdf", "/report.xlsx"} {
		if strings.HasSuffix(path, end) {
			return true
		}
	}
	return false
}

// matrix is the server TestAuthorisationMatrix calls and what it knows about it: workshop a of
// series SerX is the one every path names; b of SerY has the participant of another workshop.
type matrix struct {
	t            *testing.T
	e            *echo.Echo
	a, b         handlerstest.Workshop
	bearer       map[role]string
	cookies      map[role][]*http.Cookie
	csrf         *http.Cookie
	revokedGrant string
	network      string // the network of the matrix, with one member
	webhook      string // a webhook of the network
	member       string
	// announcement is a members' announcement of the network, with comment by its member.
	announcement, comment string
	group                 string // a working group of the network
	material              string // a material of workshop a
	requests              int
}

// call sends one request as the given role, as a browser or an API client would, each from its
// own client address, so that no rate limit on failed authentications trips.
func (m *matrix) call(method, path string, r role) *httptest.ResponseRecorder {
	m.requests++
	api := strings.HasPrefix(path, "/api/") || path == "/healthz" || path == "/readyz"
	var body string
	if method != http.MethodGet && api {
		body = "{}"
	}
	token := ""
	switch r {
	case wrongToken:
		token = "wrong-token-of-the-matrix"
	case otherWorkshop:
		token = m.b.People[0].Token
	case peer:
		token = m.a.People[0].Token
	case self:
		token = m.a.People[1].Token
	}
	if !api && token != "" {
		if method == http.MethodGet {
			path += map[bool]string{true: "&", false: "?"}[strings.Contains(path, "?")] + "token=" + url.QueryEscape(token)
		} else {
			body = "token=" + url.QueryEscape(token)
		}
	}
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:4711", m.requests>>16&255, m.requests>>8&255, m.requests&255)
	if api {
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if t := m.bearer[r]; t != "" {
			req.Header.Set("Authorization", "Bearer "+t)
		}
	} else {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-CSRF-Token", m.csrf.Value)
		req.AddCookie(m.csrf)
		for _, c := range m.cookies[r] {
			req.AddCookie(c)
		}
	}
	res := httptest.NewRecorder()
	m.e.ServeHTTP(res, req)
	return res
}

// path fills a route's parameters with workshop a's ids: its second participant, their action
// item, the café's table, the first topic, the revoked grant.
func (m *matrix) path(route string) string {
	if route == "/api/v1/accounts/:mid" {
		return "/api/v1/accounts/" + m.member
	}
	for _, base := range []string{"/api/v1/webhooks", "/organiser/webhooks"} {
		if rest, ok := strings.CutPrefix(route, base+"/:id"); ok {
			return base + "/" + m.webhook + rest
		}
	}
	for _, base := range []string{"/api/v1/networks", "/organiser/networks", "/networks"} {
		if rest, ok := strings.CutPrefix(route, base+"/:id"); ok {
			rest = strings.NewReplacer(":mid", m.member, ":tid", "t1", ":kind", "received", ":lang", "de", ":wid", m.webhook,
				":aid", m.announcement, ":cid", m.comment, ":gid", m.group).Replace(rest)
			return base + "/" + m.network + rest
		}
	}
	if strings.Contains(route, "/materials/:mid") {
		route = strings.ReplaceAll(strings.ReplaceAll(route, ":mid", m.material), ":n", "1")
	}
	path := m.a.Path(route, m.revokedGrant)
	if strings.HasSuffix(path, "trend.svg") {
		path += "?chart=ratings"
	}
	return path
}

// api calls the JSON API as the organiser and decodes a successful answer into out.
func (m *matrix) api(method, path, body string, out any) {
	m.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+organiserToken)
	res := httptest.NewRecorder()
	m.e.ServeHTTP(res, req)
	if res.Code >= 300 {
		m.t.Fatalf("%s %s: got %d %s", method, path, res.Code, res.Body)
	}
	if out != nil {
		if err := json.Unmarshal(res.Body.Bytes(), out); err != nil {
			m.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

// signIn posts token to a sign-in page and returns the session cookie it sets.
func (m *matrix) signIn(page, token, cookie string) []*http.Cookie {
	m.t.Helper()
	req := httptest.NewRequest(http.MethodPost, page, strings.NewReader("token="+url.QueryEscape(token)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", m.csrf.Value)
	req.AddCookie(m.csrf)
	res := httptest.NewRecorder()
	m.e.ServeHTTP(res, req)
	for _, c := range res.Result().Cookies() {
		if c.Name == cookie && c.Value != "" {
			return []*http.Cookie{c}
		}
	}
	m.t.Fatalf("sign in at %s: got %d, no %s cookie", page, res.Code, cookie)
	return nil
}

const accountPassword = "Pferd Batterie Heftklammer"

// signInAccount signs in with an account's e-mail address and password and returns the session
// cookie.
func (m *matrix) signInAccount(email string) []*http.Cookie {
	m.t.Helper()
	form := url.Values{"email": {email}, "password": {accountPassword}}
	req := httptest.NewRequest(http.MethodPost, "/sign-in", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", m.csrf.Value)
	req.RemoteAddr = "10.255.0.1:4711"
	req.AddCookie(m.csrf)
	res := httptest.NewRecorder()
	m.e.ServeHTTP(res, req)
	for _, c := range res.Result().Cookies() {
		if c.Name == "werkstatt_session" && c.Value != "" {
			return []*http.Cookie{c}
		}
	}
	m.t.Fatalf("sign in as %s: got %d, no session cookie: %s", email, res.Code, res.Body)
	return nil
}

// grant grants a lead of series access and returns the grant's id and token.
func (m *matrix) grant(series string) (id, token string) {
	var g struct{ ID, Token string }
	m.api(http.MethodPost, "/api/v1/series/"+series+"/lead-tokens", `{"label":"Projektleitung"}`, &g)
	return g.ID, g.Token
}

func newMatrix(t *testing.T) *matrix {
	t.Helper()
	cfg, _, js := handlerstest.WireJetStream(t, organiserToken)
	cfg.Now = func() time.Time { return now }
	e := server(t, cfg, js, testSSO(t))
	m := &matrix{t: t, e: e}
	var n struct{ ID string }
	m.api(http.MethodPost, "/api/v1/networks", `{"name":"Forum Integration"}`, &n)
	m.network = n.ID
	var hook struct{ ID string }
	m.api(http.MethodPost, "/api/v1/webhooks", `{"url":"https://crm.example.org/hooks","events":["registration.confirmed"],"network":"`+n.ID+`"}`, &hook)
	m.webhook = hook.ID
	m.a = handlerstest.FillWorkshop(t, e, organiserToken, "SerX", "Alpha") // both in the one network there is
	m.b = handlerstest.FillWorkshop(t, e, organiserToken, "SerY", "Beta")
	res := httptest.NewRecorder()
	e.ServeHTTP(res, httptest.NewRequest(http.MethodGet, "/organiser/sign-in", nil))
	for _, c := range res.Result().Cookies() {
		if c.Name == "csrf" {
			m.csrf = c
		}
	}
	if m.csrf == nil {
		t.Fatalf("the sign-in page sets no CSRF cookie")
	}
	_, leadToken := m.grant(m.a.Series)
	_, otherLeadToken := m.grant(m.b.Series)
	revoked, revokedToken := m.grant(m.a.Series)
	m.revokedGrant = revoked
	m.bearer = map[role]string{wrongToken: "wrong-token-of-the-matrix", otherWorkshop: m.b.People[0].Token,
		peer: m.a.People[0].Token, self: m.a.People[1].Token, organiser: organiserToken, lead: leadToken,
		otherLead: otherLeadToken, revokedLead: revokedToken}
	m.cookies = map[role][]*http.Cookie{
		organiser:   m.signIn("/organiser/sign-in", organiserToken, "werkstatt_session"),
		lead:        m.signIn("/lead/sign-in", leadToken, "werkstatt_lead"),
		otherLead:   m.signIn("/lead/sign-in", otherLeadToken, "werkstatt_lead"),
		revokedLead: m.signIn("/lead/sign-in", revokedToken, "werkstatt_lead"),
		wrongToken: {{Name: "werkstatt_session", Value: "organiser.4102444800.forged"},
			{Name: "werkstatt_lead", Value: revoked + ".4102444800.forged"}},
	}
	m.api(http.MethodDelete, "/api/v1/series/"+m.a.Series+"/lead-tokens/"+revoked, "", nil)
	m.uploadLogo()
	m.uploadMaterial()
	var other struct{ ID string }
	m.api(http.MethodPost, "/api/v1/networks", `{"name":"Netzwerk Wartburgkreis"}`, &other)
	creds := openCredentials(t, cfg, js)
	people := []struct {
		r              role
		network, roles string
	}{
		{netAdmin, m.network, `[{"role":"admin"}]`},
		{seriesOrganiser, m.network, `[{"role":"organiser","series":["SerX"]}]`},
		{otherOrganiser, m.network, `[{"role":"organiser","series":["SerY"]}]`},
		{doorStaff, m.network, `[{"role":"door"}]`},
		{leadAccount, m.network, `[{"role":"lead","series":["SerX"]}]`},
		{member, m.network, `[{"role":"member"}]`},
		{outsider, other.ID, `[{"role":"organiser"}]`},
	}
	for i, p := range people {
		email := fmt.Sprintf("person%d@landkreis.example", i)
		var added, tok struct{ ID, Token string }
		m.api(http.MethodPost, "/api/v1/networks/"+p.network+"/members", `{"name":"Person `+fmt.Sprint(i)+`","email":"`+email+`","roles":`+p.roles+`}`, &added)
		m.api(http.MethodPost, "/api/v1/networks/"+p.network+"/members/"+added.ID+"/api-tokens", `{"label":"Matrix"}`, &tok)
		m.bearer[p.r] = tok.Token
		if err := creds.SetPassword(context.Background(), domain.AccountID(added.ID), accountPassword); err != nil {
			t.Fatal(err)
		}
		m.cookies[p.r] = m.signInAccount(email)
		if p.r == netAdmin {
			m.member = added.ID
		}
	}
	m.announce()
	return m
}

// announce posts a members' announcement to the matrix's network and comments on it as its member.
func (m *matrix) announce() {
	m.t.Helper()
	var a, c struct{ ID string }
	m.api(http.MethodPost, "/api/v1/networks/"+m.network+"/announcements", `{"title":"Treffen","body":"**Bald**","visibility":"members"}`, &a)
	m.announcement = a.ID
	req := httptest.NewRequest(http.MethodPost, "/api/v1/networks/"+m.network+"/announcements/"+a.ID+"/comments", strings.NewReader(`{"text":"Ich komme."}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+m.bearer[member])
	res := httptest.NewRecorder()
	m.e.ServeHTTP(res, req)
	if res.Code != http.StatusCreated || json.Unmarshal(res.Body.Bytes(), &c) != nil {
		m.t.Fatalf("comment as the member: got %d %s", res.Code, res.Body)
	}
	m.comment = c.ID
	var g struct{ ID string }
	m.api(http.MethodPost, "/api/v1/networks/"+m.network+"/groups", `{"name":"AG Sprache","series":"Ideenwerkstatt"}`, &g)
	m.group = g.ID
}

// uploadLogo gives workshop a a funder's logo, so that the logo's routes have one to serve.
func (m *matrix) uploadLogo() {
	m.t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 2))); err != nil {
		m.t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPut, "/api/v1/workshops/"+m.a.ID+"/funding/logo", &b)
	req.Header.Set("Content-Type", "image/png")
	req.Header.Set("Authorization", "Bearer "+organiserToken)
	res := httptest.NewRecorder()
	m.e.ServeHTTP(res, req)
	if res.Code != http.StatusOK {
		m.t.Fatalf("upload the logo: got %d %s", res.Code, res.Body)
	}
}

// uploadMaterial gives workshop a a material, so that the materials' routes have one to serve.
func (m *matrix) uploadMaterial() {
	m.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("file", "Folien.pdf")
	if err != nil {
		m.t.Fatal(err)
	}
	fw.Write([]byte("%PDF-1.7\n% Folien\n"))
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/workshops/"+m.a.ID+"/materials", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+organiserToken)
	res := httptest.NewRecorder()
	m.e.ServeHTTP(res, req)
	var added struct{ ID string }
	if res.Code != http.StatusCreated || json.Unmarshal(res.Body.Bytes(), &added) != nil {
		m.t.Fatalf("upload a material: got %d %s", res.Code, res.Body)
	}
	m.material = added.ID
}

// secrets are the personal data of workshop a that a refusal must not hold: every person's
// name, email and token, but for the caller's own (a page may show a caller their token).
func (m *matrix) secrets(caller role) []string {
	var out []string
	for i, p := range m.a.People {
		if (caller == peer && i == 0) || (caller == self && i == 1) {
			continue
		}
		out = append(out, p.Name, p.Email, p.Token, url.QueryEscape(p.Token))
	}
	return out
}

// refused reports whether res refuses a request: 401, 403 or 404, or for a page the redirect to
// a sign-in page.
func refused(res *httptest.ResponseRecorder) bool {
	switch res.Code {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
		return true
	case http.StatusFound, http.StatusSeeOther:
		loc := res.Header().Get("Location")
		return strings.HasPrefix(loc, "/organiser/sign-in") || strings.HasPrefix(loc, "/lead/sign-in")
	}
	return false
}

// TestAuthorisationMatrix calls every route of the server as every role. A role outside the
// route's row must be refused (401, 403, 404 or a page's redirect to sign in) with an answer that
// holds none of the workshop's personal data; an admitted role must not be refused on a GET.
// Writes by admitted roles are not sent: the other tests cover what they do.
func TestAuthorisationMatrix(t *testing.T) {
	m := newMatrix(t)
	rows := map[string]role{}
	for _, r := range authorisation {
		rows[r.method+" "+r.path] = r.allowed
	}
	for _, route := range m.e.Routes() {
		key := route.Method + " " + route.Path
		allowed, ok := rows[key]
		if !ok {
			t.Errorf("route %s has no row in authorisation: say who may call it", key)
			continue
		}
		delete(rows, key)
		allowed |= admittedAccounts(route.Method, route.Path, allowed)
		path := m.path(route.Path)
		for i := range roleNames {
			r := role(1 << i)
			if allowed&r != 0 && route.Method != http.MethodGet {
				continue
			}
			res := m.call(route.Method, path, r)
			switch {
			case res.Code >= 500:
				t.Errorf("%s %s as %s: got %d, want no server error", route.Method, path, r, res.Code)
			case allowed&r != 0 && refused(res):
				t.Errorf("%s %s as %s: got %d %s, want it admitted (the row says so)", route.Method, path, r, res.Code, res.Header().Get("Location"))
			case allowed&r == 0 && !refused(res):
				t.Errorf("%s %s as %s: got %d, want 401, 403, 404 or a redirect to sign in", route.Method, path, r, res.Code)
			}
			if allowed&r != 0 {
				continue
			}
			for _, s := range m.secrets(r) {
				if strings.Contains(res.Body.String(), s) {
					t.Errorf("%s %s as %s: the refusal holds %q", route.Method, path, r, s)
				}
			}
		}
	}
	for key := range rows {
		t.Errorf("authorisation has a row for %s, which is no route (any more)", key)
	}
	t.Logf("%d requests", m.requests)

	// Issue 10, defect 7: the check unescaped the series of the path, the handler loaded the
	// raw one, so a lead of SerX read the series named "%53erX".
	t.Run("a lead of SerX and the series %53erX", func(t *testing.T) {
		c := handlerstest.FillWorkshop(t, m.e, organiserToken, "%53erX", "Gamma")
		for _, path := range []string{"/api/v1/series/%53erX/report.json", "/api/v1/series/%2553erX/report.json"} {
			res := m.call(http.MethodGet, path, lead)
			if res.Code == http.StatusOK && (strings.Contains(res.Body.String(), c.ID) || strings.Contains(res.Body.String(), `"%53erX"`)) {
				t.Errorf("issue 10, defect 7: GET %s as the lead of SerX: got the report of series %%53erX: %s", path, res.Body)
			}
			if res.Code != http.StatusOK && !refused(res) {
				t.Errorf("GET %s as the lead of SerX: got %d %s, want SerX's report or a refusal", path, res.Code, res.Body)
			}
		}
	})
}
