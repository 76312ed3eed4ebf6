package client

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// newTransport builds the one http.Transport every request of a Client uses,
// identity-provider calls included, so that proxy and certificate settings
// apply everywhere.
func newTransport(cfg *Config) (*http.Transport, error) {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   20,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	if cfg.Proxy != "" {
		u, err := parseProxyURL(cfg.Proxy)
		if err != nil {
			return nil, err
		}
		// http.ProxyURL applies to every request, loopback included, and
		// the transport turns the URL's user info into Proxy-Authorization.
		tr.Proxy = http.ProxyURL(u)
	}
	if cfg.CACertFile != "" || cfg.InsecureSkipVerify {
		tc := &tls.Config{MinVersion: tls.VersionTLS12}
		if cfg.CACertFile != "" {
			pool, err := certPoolWith(cfg.CACertFile)
			if err != nil {
				return nil, err
			}
			tc.RootCAs = pool
		}
		if cfg.InsecureSkipVerify {
			tc.InsecureSkipVerify = true
		}
		tr.TLSClientConfig = tc
	}
	return tr, nil
}

// certPoolWith returns the system roots plus the PEM certificates in file.
func certPoolWith(file string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("CA certificate file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("CA certificate file %s holds no PEM certificates", file)
	}
	return pool, nil
}

// parseProxyURL checks an explicit proxy setting. A bare host:port means
// an http:// proxy, as with HTTPS_PROXY. Messages show the URL with its
// password replaced.
func parseProxyURL(raw string) (*url.URL, error) {
	s := strings.TrimSpace(raw)
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("proxy URL %q is not valid", redactRawURL(raw))
	}
	switch u.Scheme {
	case "http", "https", "socks5", "socks5h":
	default:
		return nil, fmt.Errorf("proxy URL %q has unsupported scheme %q; use http, https or socks5", u.Redacted(), u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("proxy URL %q has no host", u.Redacted())
	}
	if p := u.Port(); p != "" {
		if _, err := net.LookupPort("tcp", p); err != nil {
			return nil, fmt.Errorf("proxy URL %q has an invalid port", u.Redacted())
		}
	}
	return u, nil
}

// redactRawURL hides the user info of a URL that may not parse, for
// messages: everything between "://" and the last "@". Should a path hold
// an "@", more is hidden than needed, never less.
func redactRawURL(raw string) string {
	s := strings.TrimSpace(raw)
	start := 0
	if i := strings.Index(s, "://"); i >= 0 {
		start = i + 3
	}
	if at := strings.LastIndex(s[start:], "@"); at >= 0 {
		return s[:start] + "xxxxx" + s[start+at:]
	}
	return s
}
