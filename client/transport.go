package client

import (
	"net"
	"net/http"
	"time"
)

// newTransport builds the one http.Transport every request of a Client uses.
// (Placeholder: proxy and TLS settings are applied here.)
func newTransport(cfg *Config) (*http.Transport, error) {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   20,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}, nil
}
