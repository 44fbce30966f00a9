package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
)

// linkRequestForm asks for the email of a person who lost their personal link.
func (s *site) linkRequestForm(c echo.Context) error {
	w, err := s.visibleWorkshop(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "link-request.html", "LostLinkTitle", map[string]any{"W": w, "Form": newForm(s)})
}

// requestLink asks for the link (app.RequestLink): the page says the same whether or not the
// address is registered; only a malformed address comes back next to its field.
func (s *site) requestLink(c echo.Context) error {
	w, err := s.visibleWorkshop(c)
	if err != nil {
		return err
	}
	f, err := submitted(c)
	if err != nil {
		return err
	}
	err = s.cmds.RequestLink(c.Request().Context(), w.ID, app.Op{Key: f.Key, Scope: "web link " + string(w.ID), Body: f.body()}, f.V("email"))
	if err != nil {
		if !f.rejected(s.texts(c), err) {
			return err
		}
		return s.render(c, http.StatusUnprocessableEntity, "link-request.html", "LostLinkTitle", map[string]any{"W": w, "Form": f})
	}
	return s.render(c, http.StatusOK, "link-request.html", "LostLinkTitle", map[string]any{"W": w, "Form": newForm(s), "Asked": true})
}
