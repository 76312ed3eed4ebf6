package client

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// NormalizeHost turns a workspace host as users write it ("adb-1.2.azuredatabricks.net",
// "https://host/?o=123", "https://host/") into the bare scheme://host[:port]
// base URL requests are sent to. Plain http:// is accepted only for loopback
// addresses: anywhere else a token would cross the network in clear text.
func NormalizeHost(host string) (*url.URL, error) {
	h := strings.TrimSpace(host)
	if h == "" {
		return nil, fmt.Errorf("no workspace host is configured (set DATABRICKS_HOST or host in a profile)")
	}
	if !strings.Contains(h, "://") {
		h = "https://" + h
	}
	u, err := url.Parse(h)
	if err != nil {
		// url.Parse's message repeats its input, which may hold a password.
		return nil, fmt.Errorf("workspace host %q is not a valid URL", redactHost(host))
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("workspace host %q has no host name", redactHost(host))
	}
	if u.User != nil {
		return nil, fmt.Errorf("workspace host %q must not carry credentials; use a token or another auth method", redactHost(host))
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !IsLoopback(u.Hostname()) {
			return nil, fmt.Errorf("workspace host %q uses plain http:// on a non-loopback address; use https:// (a token must never cross the network unencrypted)", redactHost(host))
		}
	default:
		return nil, fmt.Errorf("workspace host %q has unsupported scheme %q; use https://", redactHost(host), u.Scheme)
	}
	return &url.URL{Scheme: u.Scheme, Host: strings.ToLower(u.Host)}, nil
}

// IsLoopback reports whether host (a name or IP, without port) is this
// machine: "localhost" or a loopback IP address. Names under .localhost are
// not trusted: a resolver may send them anywhere, and a token would follow in
// clear text.
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// redactHost hides any user info ("user:password@") in a host as written,
// for messages; a token pasted there must not be echoed back.
func redactHost(host string) string {
	rest := host
	scheme := ""
	if i := strings.Index(rest, "://"); i >= 0 {
		scheme, rest = rest[:i+3], rest[i+3:]
	}
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
	}
	if i := strings.LastIndex(authority, "@"); i >= 0 {
		return scheme + "REDACTED@" + rest[i+1:]
	}
	return host
}

// Cloud names the cloud a workspace host runs on, from its domain as
// Databricks assigns them: "azure" (azuredatabricks.net and the sovereign
// Azure clouds), "gcp" (gcp.databricks.com) or "aws" (cloud.databricks.com
// and the AWS GovCloud domains); "" for a host it cannot tell, such as a
// custom domain or a proxy.
func Cloud(host string) string {
	h := strings.ToLower(host)
	if u, err := url.Parse(host); err == nil && u.Host != "" {
		h = strings.ToLower(u.Hostname())
	}
	switch {
	case strings.HasSuffix(h, ".azuredatabricks.net"), strings.HasSuffix(h, ".databricks.azure.cn"), strings.HasSuffix(h, ".databricks.azure.us"):
		return "azure"
	case strings.HasSuffix(h, ".gcp.databricks.com"):
		return "gcp"
	case strings.HasSuffix(h, ".cloud.databricks.com"), strings.HasSuffix(h, ".cloud.databricks.us"), strings.HasSuffix(h, ".cloud.databricks.mil"):
		return "aws"
	}
	return ""
}

// Cloud is the cloud of the client's workspace (see the function Cloud);
// Azure credentials tell an Azure workspace behind any host name.
func (c *Client) Cloud() string {
	if cl := Cloud(c.base.String()); cl != "" {
		return cl
	}
	if strings.HasPrefix(c.AuthType(), "azure-") {
		return "azure"
	}
	return c.cloud
}
