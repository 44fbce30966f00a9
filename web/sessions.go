package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/domain"
)

// Sessions keeps the sessions of signed-in organisers and project leads on the server, shared
// by every replica; *sessions.Store (infra/sessions) implements it over a JetStream KV bucket.
// A cookie opens a page only while Lookup finds its session, so End refuses a replayed cookie
// on every replica at once.
type Sessions interface {
	// Start keeps data as session id.
	Start(ctx context.Context, id string, data []byte) error
	// Lookup returns the data of session id; found is false for a session never started, ended
	// or expired.
	Lookup(ctx context.Context, id string) (data []byte, found bool, err error)
	// End ends session id; ending one that does not exist is no error.
	End(ctx context.Context, id string) error
}

// Option configures Register.
type Option func(*site)

// WithSessions keeps the pages' sign-ins in sessions. Register requires it.
func WithSessions(sessions Sessions) Option { return func(s *site) { s.sessions = sessions } }

// errNoSessions is returned by Register without WithSessions.
var errNoSessions = errors.New("web: pages need a session store (web.WithSessions)")

// MaxSessionLength is the longest any session lasts; a session store may drop sessions older
// than it.
const MaxSessionLength = max(sessionLength, leadSessionLength, accountSessionLength)

// The roles a session signs in.
const (
	roleOrganiser = "organiser"
	roleLead      = "lead"
)

// session is what the server keeps of a sign-in; the cookie carries only its random id.
type session struct {
	Role string `json:"role"`
	// Grant is a lead's grant: every request checks it again, so revoking it ends the session.
	Grant string `json:"grant,omitempty"`
	// Organiser fingerprints the organiser token: a new token ends every organiser session.
	Organiser string `json:"organiser,omitempty"`
	// Account is the account signed in (role account), since Started: every request checks
	// that the account's sessions were not ended after that (Credentials.SessionsEndedAt).
	Account domain.AccountID `json:"account,omitempty"`
	Started time.Time        `json:"started,omitzero"`
	Expires time.Time        `json:"expires"`
}

// startSession keeps sess on the server and gives the browser a cookie name (for path) with
// its id. A session the browser still carried under that name ends: a sign-in always gets a
// fresh id.
func (s *site) startSession(c echo.Context, name, path string, sess session) error {
	if err := s.endSession(c, name, path); err != nil {
		return err
	}
	data, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	id := rand.Text() // 128 random bits
	if err := s.sessions.Start(c.Request().Context(), id, data); err != nil {
		return err
	}
	maxAge := int(sess.Expires.Sub(s.cfg.Now()).Seconds())
	setSessionCookie(c, name, path, id, maxAge)
	return nil
}

// endSession ends the session of cookie name on the server and removes the cookie.
func (s *site) endSession(c echo.Context, name, path string) error {
	ck, err := c.Cookie(name)
	if err != nil {
		return nil
	}
	c.Set(sessionKey(name), nil)
	setSessionCookie(c, name, path, "", -1)
	if err := s.sessions.End(c.Request().Context(), ck.Value); err != nil {
		return fmt.Errorf("end the session: %w", err)
	}
	return nil
}

func setSessionCookie(c echo.Context, name, path, value string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: name, Value: value, Path: path, MaxAge: maxAge, HttpOnly: true,
		Secure: c.Scheme() == "https", SameSite: http.SameSiteStrictMode})
}

func sessionKey(name string) string { return "session:" + name }

// currentSession returns the live session of cookie name with role, if the request has one.
// The answer is kept for the rest of the request.
func (s *site) currentSession(c echo.Context, name, role string) (session, bool, error) {
	if sess, ok := c.Get(sessionKey(name)).(session); ok {
		return sess, sess.Role == role, nil
	}
	ck, err := c.Cookie(name)
	if err != nil || ck.Value == "" {
		return session{}, false, nil
	}
	data, found, err := s.sessions.Lookup(c.Request().Context(), ck.Value)
	if err != nil || !found {
		return session{}, false, err
	}
	var sess session
	if err := json.Unmarshal(data, &sess); err != nil || !s.cfg.Now().Before(sess.Expires) {
		return session{}, false, nil
	}
	if sess.Role == roleOrganiser && subtle.ConstantTimeCompare([]byte(sess.Organiser), []byte(s.organiserFingerprint())) != 1 {
		return session{}, false, nil
	}
	c.Set(sessionKey(name), sess)
	return sess, sess.Role == role, nil
}

// organiserFingerprint stands for the organiser token in a session, without revealing it.
func (s *site) organiserFingerprint() string {
	return s.cfg.Pseudonyms.Pseudonym("organiser-session", hex.EncodeToString(s.cfg.OrganiserTokenHash[:]))
}
