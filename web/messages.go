package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// The organiser's messages to the people of a workshop: a form to write to the confirmed,
// waitlisted or checked-in people, and the messages sent so far (app.SendMessage). The mails
// outbox sends the mails.

const messagesPath = "/organiser/workshops/:id/messages"

func (s *site) messageRoutes() []route {
	return []route{
		{http.MethodGet, messagesPath, s.messagesPage, true},
		{http.MethodPost, messagesPath, s.sendMessage, true},
	}
}

// messagesPageData is what the messages page shows.
type messagesPageData struct {
	W      projections.WorkshopView
	Form   form
	Groups []domain.MessageGroup
	Sent   []app.SentMessage
	// Recipients is the number of people the message just sent went to, "" when none was sent.
	Recipients string
}

func (s *site) messages(c echo.Context) (messagesPageData, error) {
	w, err := s.workshopView(c)
	if err != nil {
		return messagesPageData{}, err
	}
	_, sent, err := s.cmds.Mailings(c.Request().Context(), w.ID)
	if err != nil {
		return messagesPageData{}, err
	}
	return messagesPageData{W: w, Form: newForm(s), Groups: domain.MessageGroups, Sent: sent,
		Recipients: c.QueryParam("sent")}, nil
}

func (s *site) messagesPage(c echo.Context) error {
	return show(s, c, s.messages, "messages.html", "MessagesTitle")
}

func (s *site) sendMessage(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	var to []domain.MessageGroup
	for _, g := range f.Values["to"] {
		to = append(to, domain.MessageGroup(g))
	}
	sent, err := s.cmds.SendMessage(c.Request().Context(), id, organiserOp(c, f, "message "+string(id)),
		app.Message{To: to, Subject: f.V("subject"), Text: f.V("text")})
	if err != nil {
		return rerender(s, c, err, (*form).rejected, s.messages, func(p *messagesPageData, f form) { p.Form = f },
			"messages.html", "MessagesTitle")
	}
	return seeOther(c, "/organiser/workshops/"+string(id)+"/messages", "sent", strconv.Itoa(len(sent.Recipients)))
}
