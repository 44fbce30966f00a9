// Package handlers serves Werkstatt's public JSON API under /api/v1 with echo.
//
// Handlers are thin: they bind a request, let the domain decide through the event store, wait
// until the read models reflect the write (read-your-writes on this instance) and answer from
// the decision or from the read models. Every rejection is an RFC 9457 problem
// (application/problem+json); domain errors map to statuses in one table (problem.go).
// The contract clients rely on is openapi.json, served at /api/v1/openapi.json.
package handlers

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/werkstatt/werkstatt/app"
)

// Config is what the API needs: the application (app.Config, whose fields it promotes) and the
// HTTP service's own settings.
type Config struct {
	app.Config

	// Ready reports whether the service can take requests (GET /readyz): nil, or an error that
	// is best a NotReady naming each check. A nil Ready means always ready.
	Ready func(ctx context.Context) error

	// Limits bounds failed authentications and public writes per client address (pages and
	// API); nil limits nothing. TrustedProxies are the proxies whose X-Forwarded-For names the
	// client address; without them the connection's address counts (see IPExtractor).
	Limits         *Limits
	TrustedProxies []*net.IPNet
}

// WithDefaults returns cfg with the defaults of the unset optional fields applied.
func (cfg Config) WithDefaults() Config {
	cfg.Config = cfg.Config.WithDefaults()
	if cfg.Ready == nil {
		cfg.Ready = func(context.Context) error { return nil }
	}
	return cfg
}

// api holds the configuration with defaults applied; its methods are the route handlers.
type api struct {
	Config
	cmds *app.App
}

func newAPI(cfg Config) *api {
	cfg = cfg.WithDefaults()
	return &api{Config: cfg, cmds: app.New(cfg.Config)}
}

// New returns an echo instance serving the API, with problem answers for unknown routes and
// wrong methods, a request log, and panic recovery as the last resort.
func New(cfg Config) *echo.Echo {
	a := newAPI(cfg)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = ErrorHandler(a.Logger)
	e.IPExtractor = IPExtractor(a.TrustedProxies)
	e.Use(RequestIDs, requestLog(a.Logger), middleware.RecoverWithConfig(middleware.RecoverConfig{
		DisableStackAll: true,
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			a.Logger.Error("panic while serving a request", "method", c.Request().Method,
				"path", c.Request().URL.Path, "err", err, "stack", string(stack))
			return err
		},
	}))
	a.routes(e)
	return e
}

// Register adds the API's routes to e, for a server that also serves other pages. Each route
// answers its own errors as problems; e's error handler only sees unknown routes and panics
// (ErrorHandler answers those as problems too).
func Register(e *echo.Echo, cfg Config) {
	newAPI(cfg).routes(e)
}

func (a *api) routes(e *echo.Echo) {
	const w = "/api/v1/workshops"
	const cafe = w + "/:id/sessions/:sid/theme-cafe"
	routes := []struct {
		method, path string
		h            echo.HandlerFunc
	}{
		{http.MethodGet, "/healthz", a.healthz},
		{http.MethodGet, "/readyz", a.readyz},
		{http.MethodGet, "/api/v1/openapi.json", a.openAPI},

		{http.MethodGet, w, a.listWorkshops},
		{http.MethodPost, w, a.signedIn(a.scheduleWorkshop)},
		{http.MethodGet, w + "/:id", a.showWorkshop},
		{http.MethodGet, w + "/:id/agenda.ics", a.agendaCalendar},
		{http.MethodGet, "/api/v1/workshops.ics", a.upcomingCalendar},
		{http.MethodPatch, w + "/:id", a.organiser(a.changeWorkshop)},
		{http.MethodGet, w + "/:id/registration-questions", a.showRegistrationQuestions},
		{http.MethodPut, w + "/:id/registration-questions", a.organiser(a.setRegistrationQuestions)},

		{http.MethodPost, w + "/:id/sessions", a.organiser(a.planSession)},
		{http.MethodPatch, w + "/:id/sessions/:sid", a.organiser(a.changeSession)},
		{http.MethodDelete, w + "/:id/sessions/:sid", a.organiser(a.cancelSession)},

		{http.MethodPost, w + "/:id/registrations", a.registerParticipant},
		{http.MethodPost, w + "/:id/registrations/link-requests", a.requestLink},
		{http.MethodGet, w + "/:id/registrations", a.organiser(a.asOf(a.listRegistrations))},
		{http.MethodGet, w + "/:id/registrations/:rid", a.showRegistration},
		{http.MethodPatch, w + "/:id/registrations/:rid", a.changeRegistration},
		{http.MethodDelete, w + "/:id/registrations/:rid", a.cancelRegistration},
		{http.MethodDelete, w + "/:id/registrations/:rid/personal-data", a.erasePersonalData},
		{http.MethodGet, w + "/:id/registrations/:rid/certificate.pdf", a.certificate},
		{http.MethodGet, w + "/:id/registrations/:rid/calendar.ics", a.personalCalendar},
		{http.MethodPost, "/api/v1/networks", a.instanceAdmin(a.createNetwork)},
		{http.MethodGet, "/api/v1/networks", a.signedIn(a.listNetworks)},
		{http.MethodGet, "/api/v1/networks/:id", a.signedIn(a.showNetwork)},
		{http.MethodPatch, "/api/v1/networks/:id", a.signedIn(a.renameNetwork)},
		{http.MethodGet, "/api/v1/networks/:id/members", a.signedIn(a.listMembers)},
		{http.MethodPost, "/api/v1/networks/:id/members", a.signedIn(a.addMember)},
		{http.MethodGet, "/api/v1/networks/:id/members/:mid", a.signedIn(a.showMember)},
		{http.MethodPut, "/api/v1/networks/:id/members/:mid/roles", a.signedIn(a.changeRoles)},
		{http.MethodDelete, "/api/v1/networks/:id/members/:mid", a.signedIn(a.removeMember)},
		{http.MethodPost, "/api/v1/networks/:id/members/:mid/api-tokens", a.signedIn(a.issueAPIToken)},
		{http.MethodGet, "/api/v1/networks/:id/members/:mid/api-tokens", a.signedIn(a.listAPITokens)},
		{http.MethodDelete, "/api/v1/networks/:id/members/:mid/api-tokens/:tid", a.signedIn(a.revokeAPIToken)},
		{http.MethodPost, "/api/v1/networks/:id/members/:mid/invitations", a.signedIn(a.invite)},
		{http.MethodDelete, "/api/v1/networks/:id/members/:mid/sessions", a.signedIn(a.endSessions)},
		{http.MethodGet, "/api/v1/networks/:id/privacy-notice", a.showNetworkPrivacyNotice},
		{http.MethodPut, "/api/v1/networks/:id/privacy-notice", a.signedIn(a.setNetworkPrivacyNotice)},
		{http.MethodPut, "/api/v1/networks/:id/retention", a.signedIn(a.setNetworkRetention)},
		{http.MethodGet, "/api/v1/networks/:id/retention", a.signedIn(a.networkRetention)},
		{http.MethodGet, "/api/v1/privacy-notice", a.showInstancePrivacyNotice},
		{http.MethodPut, "/api/v1/privacy-notice", a.instanceAdmin(a.setInstancePrivacyNotice)},
		{http.MethodGet, "/api/v1/networks/:id/mail-templates", a.signedIn(a.listMailTemplates)},
		{http.MethodPut, "/api/v1/networks/:id/mail-templates/:kind/:lang", a.signedIn(a.setMailTemplate)},
		{http.MethodDelete, "/api/v1/networks/:id/mail-templates/:kind/:lang", a.signedIn(a.resetMailTemplate)},
		{http.MethodPost, "/api/v1/networks/:id/mail-templates/:kind/:lang/preview", a.signedIn(a.previewMailTemplate)},
		{http.MethodPost, "/api/v1/webhooks", a.signedIn(a.addWebhook)},
		{http.MethodGet, "/api/v1/webhooks", a.signedIn(a.listWebhooks)},
		{http.MethodGet, "/api/v1/webhooks/:id", a.signedIn(a.showWebhook)},
		{http.MethodDelete, "/api/v1/webhooks/:id", a.signedIn(a.removeWebhook)},
		{http.MethodGet, "/api/v1/networks/:id/announcements", a.listAnnouncements},
		{http.MethodGet, "/api/v1/networks/:id/announcements.atom", a.announcementsFeed},
		{http.MethodPost, "/api/v1/networks/:id/announcements", a.signedIn(a.postAnnouncement)},
		{http.MethodGet, "/api/v1/networks/:id/announcements/:aid", a.showAnnouncement},
		{http.MethodPut, "/api/v1/networks/:id/announcements/:aid", a.signedIn(a.editAnnouncement)},
		{http.MethodDelete, "/api/v1/networks/:id/announcements/:aid", a.signedIn(a.withdrawAnnouncement)},
		{http.MethodPost, "/api/v1/networks/:id/announcements/:aid/comments", a.signedIn(a.commentOnAnnouncement)},
		{http.MethodPut, "/api/v1/networks/:id/announcements/:aid/comments/:cid/hidden", a.signedIn(a.hideComment)},
		{http.MethodPut, "/api/v1/networks/:id/digest-subscription", a.signedIn(a.subscribeDigest)},
		{http.MethodDelete, "/api/v1/networks/:id/digest-subscription", a.signedIn(a.unsubscribeDigest)},
		{http.MethodGet, "/api/v1/networks/:id/groups", a.signedIn(a.listGroups)},
		{http.MethodPost, "/api/v1/networks/:id/groups", a.signedIn(a.createGroup)},
		{http.MethodGet, "/api/v1/networks/:id/groups/:gid", a.signedIn(a.showGroup)},
		{http.MethodPatch, "/api/v1/networks/:id/groups/:gid", a.signedIn(a.changeGroup)},
		{http.MethodDelete, "/api/v1/networks/:id/groups/:gid", a.signedIn(a.closeGroup)},
		{http.MethodPut, "/api/v1/networks/:id/groups/:gid/members/:mid", a.signedIn(a.addGroupMember)},
		{http.MethodDelete, "/api/v1/networks/:id/groups/:gid/members/:mid", a.signedIn(a.removeGroupMember)},
		{http.MethodGet, "/api/v1/networks/:id/reports/partners", a.signedIn(a.partnerReport)},
		{http.MethodDelete, "/api/v1/accounts/:mid", a.instanceAdmin(a.eraseAccount)},
		{http.MethodPost, "/api/v1/password-resets", a.requestPasswordReset},
		{http.MethodGet, "/api/v1/networks/:id/workshops.ics", a.networkCalendar},
		{http.MethodGet, "/api/v1/networks/:id/workshops", a.networkWorkshops},

		{http.MethodPost, "/api/v1/erasure-requests/preview", a.instanceAdmin(a.previewErasure)},
		{http.MethodPost, "/api/v1/erasure-requests", a.instanceAdmin(a.erasePerson)},
		{http.MethodGet, "/api/v1/outbox", a.instanceAdmin(a.outbox)},
		{http.MethodPost, "/api/v1/retention/runs", a.instanceAdmin(a.runRetention)},
		{http.MethodGet, "/api/v1/people/export", a.signedIn(a.exportPerson)},
		{http.MethodPost, "/api/v1/people/export-requests", a.requestExport},

		{http.MethodPost, w + "/:id/check-ins", a.door(a.checkIn)},
		{http.MethodDelete, w + "/:id/check-ins", a.door(a.annulCheckIn)},
		{http.MethodPost, w + "/:id/walk-ins", a.door(a.registerWalkIn)},
		{http.MethodPost, w + "/:id/registrations/:rid/admissions", a.door(a.admitWaitlisted)},
		{http.MethodGet, w + "/:id/attendance", a.organiser(a.asOf(a.attendance))},
		{http.MethodGet, w + "/:id/history", a.organiser(a.history)},
		{http.MethodPost, w + "/:id/messages", a.organiser(a.sendMessage)},
		{http.MethodGet, w + "/:id/messages", a.organiser(a.listMessages)},

		{http.MethodGet, cafe, a.showCafe},
		{http.MethodPut, cafe + "/rounds", a.organiser(a.setCafeRounds)},
		{http.MethodPost, cafe + "/tables", a.organiser(a.addCafeTable)},
		{http.MethodPatch, cafe + "/tables/:tid", a.organiser(a.changeCafeTable)},
		{http.MethodDelete, cafe + "/tables/:tid", a.organiser(a.removeCafeTable)},
		{http.MethodPost, cafe + "/tables/:tid/host-link", a.organiser(a.issueHostLink)},
		{http.MethodDelete, cafe + "/tables/:tid/host-link", a.organiser(a.revokeHostLink)},
		{http.MethodPost, cafe + "/tables/:tid/materials", a.addTableMaterialAsHost},
		{http.MethodPut, cafe + "/tables/:tid/notes/:round", a.recordNotes},
		{http.MethodPost, cafe + "/preferences/open", a.organiser(a.openPreferences)},
		{http.MethodPost, cafe + "/preferences/close", a.organiser(a.closePreferences)},
		{http.MethodPut, cafe + "/preferences", a.statePreferences},
		{http.MethodPost, cafe + "/plan", a.organiser(a.planCafe)},
		{http.MethodPost, cafe + "/plan/moves", a.organiser(a.moveCafeGuest)},
		{http.MethodPost, cafe + "/plan/publish", a.organiser(a.publishCafePlan)},
		{http.MethodGet, cafe + "/results", a.cafeResults},
		{http.MethodGet, cafe + "/table-cards.pdf", a.organiser(a.cafeTableCards)},
		{http.MethodGet, cafe + "/routes.pdf", a.cafeRoutes},
		{http.MethodGet, cafe + "/results.pdf", a.cafeResultsPDF},
		{http.MethodGet, cafe + "/results.md", a.cafeResultsMarkdown},

		{http.MethodGet, w + "/:id/topics", a.listTopics},
		{http.MethodPost, w + "/:id/topics", a.proposeTopic},
		{http.MethodPut, w + "/:id/topics/votes", a.castVotes},
		{http.MethodPost, w + "/:id/topics/voting/open", a.organiser(a.openVoting)},
		{http.MethodPost, w + "/:id/topics/voting/close", a.organiser(a.closeVoting)},
		{http.MethodPut, w + "/:id/topics/vote-limit", a.organiser(a.setVoteLimit)},
		{http.MethodPost, w + "/:id/topics/:tid/merge", a.organiser(a.mergeTopic)},
		{http.MethodPut, w + "/:id/topics/:tid/status", a.organiser(a.changeTopicStatus)},
		{http.MethodGet, w + "/:id/backlog", a.organiser(a.planningBacklog)},
		{http.MethodGet, w + "/:id/action-items", a.listActionItems},
		{http.MethodPost, w + "/:id/action-items", a.organiser(a.agreeActionItem)},
		{http.MethodPost, w + "/:id/action-items/:aid/done", a.closeActionItem},
		{http.MethodPost, w + "/:id/action-items/:aid/reopen", a.reopenActionItem},
		{http.MethodGet, "/api/v1/series/:series/backlog", a.organiser(a.seriesBacklog)},
		{http.MethodGet, "/api/v1/series/:series/action-items", a.organiser(a.seriesActionItems)},

		{http.MethodGet, w + "/:id/feedback", a.showFeedback},
		{http.MethodPost, w + "/:id/feedback/open", a.organiser(a.openFeedback)},
		{http.MethodPost, w + "/:id/feedback/close", a.organiser(a.closeFeedback)},
		{http.MethodPut, w + "/:id/feedback/questionnaires/:qid", a.organiser(a.setQuestionnaire)},
		{http.MethodPut, w + "/:id/feedback/questionnaires/:qid/answer", a.answerFeedback},
		{http.MethodPut, w + "/:id/funding", a.organiser(a.setFunding)},
		{http.MethodPut, w + "/:id/funding/logo", a.organiser(a.setFundingLogo)},
		{http.MethodDelete, w + "/:id/funding/logo", a.organiser(a.removeFundingLogo)},
		{http.MethodPut, "/api/v1/series/:series/funding", a.organiser(a.applySeriesFunding)},
		{http.MethodPut, "/api/v1/series/:series/retention", a.organiser(a.setSeriesRetention)},
		{http.MethodGet, "/api/v1/series/:series/retention", a.organiser(a.seriesRetention)},
		{http.MethodPost, "/api/v1/series/:series/lead-tokens", a.organiser(a.grantLead)},
		{http.MethodGet, "/api/v1/series/:series/lead-tokens", a.organiser(a.listLeadGrants)},
		{http.MethodDelete, "/api/v1/series/:series/lead-tokens/:grant", a.organiser(a.revokeLead)},
		{http.MethodPost, w + "/:id/materials", a.organiser(a.addMaterial)},
		{http.MethodGet, w + "/:id/materials", a.listMaterials},
		{http.MethodGet, w + "/:id/materials/:mid", a.downloadMaterial},
		{http.MethodGet, w + "/:id/materials/:mid/versions/:n", a.downloadMaterialVersion},
		{http.MethodPut, w + "/:id/materials/:mid", a.organiser(a.replaceMaterial)},
		{http.MethodDelete, w + "/:id/materials/:mid", a.organiser(a.removeMaterial)},
		{http.MethodPut, w + "/:id/materials/:mid/personal", a.organiser(a.markMaterialPersonal)},
		{http.MethodPut, w + "/:id/summary", a.organiser(a.writeSummary)},
		{http.MethodGet, w + "/:id/documentation", a.showDocumentation},
	}
	for _, r := range routes {
		e.Add(r.method, r.path, a.answerProblems(a.guard(DecodePathParams(a.acceptWritten(a.noLeads(r.h))))))
	}
	for _, r := range a.reportRoutes() {
		e.Add(r.method, r.path, a.answerProblems(a.guard(DecodePathParams(a.reader(r.h)))))
	}
}

// answerProblems writes the error of h as a problem, so that the API answers problems even on
// an echo instance whose error handler renders something else.
func (a *api) answerProblems(h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := h(c); err != nil {
			writeProblem(c, a.Logger, err)
		}
		return nil
	}
}

// requestLog logs every request's method, path, status and duration. It never logs headers,
// query strings or bodies: they carry tokens and personal data.
func requestLog(logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			if err := next(c); err != nil {
				c.Error(err)
			}
			status := c.Response().Status
			level := slog.LevelInfo
			if status >= http.StatusInternalServerError {
				level = slog.LevelError
			}
			logger.LogAttrs(c.Request().Context(), level, "request", slog.String("request_id", RequestID(c)),
				slog.String("method", c.Request().Method), slog.String("path", c.Request().URL.Path),
				slog.Int("status", status), slog.Duration("duration", time.Since(start)))
			return nil
		}
	}
}
