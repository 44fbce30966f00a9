package webhooks

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// An organiser who may add a webhook names a URL the service then posts to. Without a guard
// that lets anybody with a network's organiser role reach what only the server reaches: the
// cloud's metadata service (169.254.169.254), the admin port of a database on loopback, a
// printer on the office network. So deliveries dial only public addresses unless the operator
// allows internal ones (--webhooks-to-internal-addresses, for receivers on the same network).
// The check runs on the address actually dialled, after name resolution, so a name that
// resolves to an internal address (or is switched to one later) is refused as well.

// internalPrefixes are the ranges that netip's predicates do not name: shared address space
// (RFC 6598), "this network" (RFC 791), IPv4-mapped and NAT64 forms are unmapped first.
var internalPrefixes = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
}

// Internal reports whether ip is an address a webhook may not reach by default: loopback,
// private, link-local, unspecified, multicast or one of the other ranges not routed on the
// internet.
func Internal(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsGlobalUnicast() || ip.IsPrivate() || ip.IsLoopback() || ip.IsLinkLocalUnicast() {
		return true
	}
	for _, p := range internalPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// InternalHost reports whether a URL's host names an internal address literally (an IP
// address, or localhost): such a webhook is refused when it is added. Names that resolve to
// internal addresses are refused when a delivery dials them.
func InternalHost(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && Internal(ip)
}

// errInternal is the reason a delivery to an internal address fails; the webhook's list
// shows it.
var errInternal = fmt.Errorf("refused: the address is internal (loopback, private or link-local network)")

// NewClient returns the client deliveries are posted with: a timeout, no redirect followed (a
// receiver that moved answers 3xx, a failed attempt the webhook's list shows), and, unless
// allowInternal, no connection to an internal address. A proxy from the environment
// (HTTPS_PROXY, HTTP_PROXY) is used as by any Go program and may be internal itself; the
// receivers behind it are then checked by name before the request goes to the proxy.
func NewClient(allowInternal bool) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	if !allowInternal {
		proxies := httpproxy.FromEnvironment()
		proxyFor := proxies.ProxyFunc()
		proxyAddrs := map[string]bool{}
		for _, p := range []string{proxies.HTTPProxy, proxies.HTTPSProxy} {
			if u, err := url.Parse(p); err == nil && u.Host != "" {
				proxyAddrs[hostPort(u)] = true
			}
		}
		dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second,
			Control: func(_, address string, _ syscall.RawConn) error {
				ap, err := netip.ParseAddrPort(address)
				if err != nil || Internal(ap.Addr()) {
					return errInternal
				}
				return nil
			}}
		open := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
		t.DialContext = func(ctx context.Context, network, address string) (net.Conn, error) {
			if proxyAddrs[address] {
				return open.DialContext(ctx, network, address) // the operator's proxy
			}
			return dialer.DialContext(ctx, network, address)
		}
		t.Proxy = func(req *http.Request) (*url.URL, error) {
			p, err := proxyFor(req.URL)
			if p == nil || err != nil {
				return p, err
			}
			// Through a proxy the receiver is dialled by the proxy: check its name here.
			addrs, err := net.DefaultResolver.LookupNetIP(req.Context(), "ip", req.URL.Hostname())
			if err != nil {
				return nil, err
			}
			for _, a := range addrs {
				if Internal(a) {
					return nil, errInternal
				}
			}
			return p, nil
		}
	}
	return &http.Client{Timeout: Timeout, Transport: t,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// hostPort is u's host with the scheme's port when it names none, as the transport dials it.
func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	if u.Scheme == "https" {
		return net.JoinHostPort(u.Hostname(), "443")
	}
	return net.JoinHostPort(u.Hostname(), "80")
}
