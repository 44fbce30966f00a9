package handlers

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

// The lock-out after failed authentications: at most MaxFailedAuthentications per client
// address in FailedAuthenticationWindow, counted from the first failure; then every attempt of
// that address, a right token included, answers 429 until the window has passed, so that a
// guess never learns it was right.
const (
	MaxFailedAuthentications   = 10
	FailedAuthenticationWindow = 10 * time.Minute
)

// maxTracked bounds the addresses each limiter remembers. Beyond it (an attack from more
// addresses than this within one window), a new address displaces an arbitrary one.
const maxTracked = 100_000

// Limits bounds what one client address may do: failed authentications (the lock-out above)
// and, when configured, public writes. The counts live in this process's memory: several
// replicas each count on their own. A nil *Limits limits nothing.
type Limits struct {
	failures *lockout
	writes   *budget // nil: public writes are not limited
}

// LimitsConfig configures NewLimits.
type LimitsConfig struct {
	// PublicWritesPerMinute is each address's budget of writes that do not carry the organiser's
	// token (registrations, feedback answers, topics, votes, sign-ins...), refilled evenly over
	// the minute; 0 turns the budget off.
	PublicWritesPerMinute int
	Now                   func() time.Time // default time.Now
}

// NewLimits returns the limits of cfg.
func NewLimits(cfg LimitsConfig) *Limits {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	l := &Limits{failures: &lockout{now: cfg.Now, entries: map[string]*failures{}}}
	if n := cfg.PublicWritesPerMinute; n > 0 {
		l.writes = &budget{now: cfg.Now, perMinute: n, entries: map[string]*spender{}}
	}
	return l
}

// TooManyRequests is the error of a request over a limit: 429 with Retry-After. Pages and the
// API answer it each in their own form.
type TooManyRequests struct {
	RetryAfter time.Duration
	// FailedAuthentications tells the lock-out from the public-write budget.
	FailedAuthentications bool
}

func (e *TooManyRequests) Error() string {
	if e.FailedAuthentications {
		return "too many failed authentications from this address"
	}
	return "too many writes from this address"
}

// refuseTooMany sets Retry-After (whole seconds, at least 1) and returns the error to answer.
func refuseTooMany(c echo.Context, wait time.Duration, auth bool) error {
	secs := max(1, int(math.Ceil(wait.Seconds())))
	c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
	return &TooManyRequests{RetryAfter: time.Duration(secs) * time.Second, FailedAuthentications: auth}
}

// Authenticating guards a route that checks a secret typed by a person (a sign-in page): a
// locked-out address gets 429 before h runs, and an answer 401 of h counts as a failed
// authentication of the address.
func (l *Limits) Authenticating(h echo.HandlerFunc) echo.HandlerFunc {
	if l == nil {
		return h
	}
	return func(c echo.Context) error {
		addr := clientKey(c.RealIP())
		if wait, locked := l.failures.locked(addr); locked {
			return refuseTooMany(c, wait, true)
		}
		err := h(c)
		if c.Response().Status == http.StatusUnauthorized {
			l.failures.fail(addr)
		}
		return err
	}
}

// PublicWrite spends one unit of the address's public-write budget before h runs; without
// budget left it answers 429 and h never runs (nothing is read or decided).
func (l *Limits) PublicWrite(h echo.HandlerFunc) echo.HandlerFunc {
	if l == nil || l.writes == nil {
		return h
	}
	return func(c echo.Context) error {
		if wait, ok := l.writes.spend(clientKey(c.RealIP())); !ok {
			return refuseTooMany(c, wait, false)
		}
		return h(c)
	}
}

// guard applies the limits to an API route: a request carrying a Bearer token from a
// locked-out address gets 429; a write without the organiser's token spends the public-write
// budget; an answer errBadToken counts as a failed authentication.
func (a *api) guard(h echo.HandlerFunc) echo.HandlerFunc {
	l := a.Limits
	if l == nil {
		return h
	}
	return func(c echo.Context) error {
		addr := clientKey(c.RealIP())
		token, hasToken := bearer(c.Request())
		if wait, locked := l.failures.locked(addr); locked && hasToken {
			return refuseTooMany(c, wait, true)
		}
		if l.writes != nil && isWrite(c.Request().Method) && !(hasToken && a.isOrganiser(token)) {
			if wait, ok := l.writes.spend(addr); !ok {
				return refuseTooMany(c, wait, false)
			}
		}
		err := h(c)
		if errors.Is(err, errBadToken) {
			l.failures.fail(addr)
		}
		return err
	}
}

func isWrite(method string) bool {
	return method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions
}

// clientKey is what the limits count by: the client's address, and for IPv6 its /64 network,
// which one household or one customer usually gets whole.
func clientKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, _ := a.WithZone("").Prefix(64)
	return p.String()
}

// IPExtractor returns how the service learns a request's client address: from the connection,
// or, when the request came through one of the trusted proxies, from X-Forwarded-For (the
// right-most address not in a trusted range). Without trusted proxies the header is ignored.
func IPExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// ParseTrustedProxies reads comma-separated CIDRs (a bare address is one host).
func ParseTrustedProxies(s string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for f := range strings.SplitSeq(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if _, n, err := net.ParseCIDR(f); err == nil {
			out = append(out, n)
			continue
		}
		ip := net.ParseIP(f)
		if ip == nil {
			return nil, fmt.Errorf("%q is neither a CIDR range nor an address", f)
		}
		bits := 8 * len(ip.To4())
		if bits == 0 {
			bits = 128
		} else {
			ip = ip.To4()
		}
		out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
	}
	return out, nil
}

// lockout counts failed authentications per address in a fixed window from the first failure.
type lockout struct {
	mu        sync.Mutex
	now       func() time.Time
	entries   map[string]*failures
	lastSweep time.Time
}

type failures struct {
	since time.Time
	count int
}

// locked reports whether addr is locked out, and for how long still.
func (l *lockout) locked(addr string) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, ok := l.entries[addr]
	if !ok {
		return 0, false
	}
	left := f.since.Add(FailedAuthenticationWindow).Sub(l.now())
	if left <= 0 {
		delete(l.entries, addr)
		return 0, false
	}
	return left, f.count >= MaxFailedAuthentications
}

func (l *lockout) fail(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	f, ok := l.entries[addr]
	if !ok || now.Sub(f.since) >= FailedAuthenticationWindow {
		if !ok {
			makeRoom(l.entries)
		}
		f = &failures{since: now}
		l.entries[addr] = f
	}
	f.count++
}

// sweep forgets the windows that have passed, at most once a minute.
func (l *lockout) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < time.Minute {
		return
	}
	l.lastSweep = now
	for k, f := range l.entries {
		if now.Sub(f.since) >= FailedAuthenticationWindow {
			delete(l.entries, k)
		}
	}
}

// budget is a token bucket per address: perMinute at once, refilled at perMinute a minute.
type budget struct {
	mu        sync.Mutex
	now       func() time.Time
	perMinute int
	entries   map[string]*spender
	lastSweep time.Time
}

type spender struct {
	limiter  *rate.Limiter
	lastSeen time.Time
}

// spend takes one write from addr's budget, or reports how long until one is back.
func (b *budget) spend(addr string) (time.Duration, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	b.sweep(now)
	s, ok := b.entries[addr]
	if !ok {
		makeRoom(b.entries)
		s = &spender{limiter: rate.NewLimiter(rate.Limit(float64(b.perMinute)/60), b.perMinute)}
		b.entries[addr] = s
	}
	s.lastSeen = now
	r := s.limiter.ReserveN(now, 1)
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now)
		return wait, false
	}
	return 0, true
}

// sweep forgets, at most once a minute, the addresses idle for a minute: their bucket is full
// again, as a new one would be.
func (b *budget) sweep(now time.Time) {
	if now.Sub(b.lastSweep) < time.Minute {
		return
	}
	b.lastSweep = now
	for k, s := range b.entries {
		if now.Sub(s.lastSeen) >= time.Minute {
			delete(b.entries, k)
		}
	}
}

// makeRoom drops an arbitrary entry when m holds maxTracked, so that memory stays bounded.
func makeRoom[V any](m map[string]V) {
	if len(m) < maxTracked {
		return
	}
	for k := range m {
		delete(m, k)
		return
	}
}
