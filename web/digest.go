package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
)

// The announcements by mail: a member subscribes or unsubscribes on the announcements page;
// every mail's link /unsubscribe/{token} shows a page with a confirm button (GET), and a POST
// to it unsubscribes at once: the confirm button, or a mail client's one click (RFC 8058,
// body List-Unsubscribe=One-Click), without signing in and without a CSRF token (see
// newCSRF): the token is the credential.

const unsubscribeRoute = "/unsubscribe/:token"

func (s *site) digestRoutes() []route {
	return []route{
		{http.MethodGet, unsubscribeRoute, s.unsubscribePage, false},
		{http.MethodPost, unsubscribeRoute, s.unsubscribe, false},
	}
}

// digestSubscription subscribes (subscribe=1) or unsubscribes the signed-in member.
func (s *site) digestSubscription(c echo.Context) error {
	id, _, caller, f, err := s.announcementForm(c, false)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if f.V("subscribe") == "1" {
		if err := s.cmds.SubscribeDigest(ctx, caller, callerOp(f, "subscribe digest"), id, s.texts(c).lang); err != nil {
			return err
		}
		return seeOther(c, announcementsURL(id), "done", "subscribed")
	}
	if err := s.cmds.UnsubscribeDigest(ctx, caller, callerOp(f, "unsubscribe digest"), id); err != nil {
		return err
	}
	return seeOther(c, announcementsURL(id), "done", "unsubscribed")
}

// unsubscribePage is what /unsubscribe/{token} shows.
type unsubscribePage struct {
	Token, Network string
	Done           bool
}

func (s *site) unsubscribeData(c echo.Context) (unsubscribePage, error) {
	token := c.Param("token")
	name, err := s.cmds.DigestLink(c.Request().Context(), token)
	if errors.Is(err, app.ErrBadUnsubscribeLink) {
		return unsubscribePage{}, domain.ErrNotFound
	}
	// The page holds the token: no referrer, no cache.
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	return unsubscribePage{Token: token, Network: name}, err
}

func (s *site) unsubscribePage(c echo.Context) error {
	return show(s, c, s.unsubscribeData, "unsubscribe.html", "UnsubscribeTitle")
}

// unsubscribe ends the subscription and answers 200 with the page saying so, again on a
// second click.
func (s *site) unsubscribe(c echo.Context) error {
	p, err := s.unsubscribeData(c)
	if err != nil {
		return err
	}
	if err := s.cmds.UnsubscribeByLink(c.Request().Context(), p.Token); err != nil {
		return err
	}
	p.Done = true
	return s.render(c, http.StatusOK, "unsubscribe.html", "UnsubscribeTitle", p)
}
