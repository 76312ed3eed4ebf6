package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// oauthM2MAuth is a Databricks service principal's OAuth secret, exchanged
// for short-lived tokens with the client-credentials grant.
var oauthM2MAuth = &authMethod{
	name:     "oauth-m2m",
	required: []string{"client_id", "client_secret"},
	build:    newOAuthM2MCredentials,
}

// databricksTokenLead is how early a Databricks-issued token is replaced.
const databricksTokenLead = 2 * time.Minute

// oauthM2MCredentials obtains workspace tokens from the workspace's own
// token endpoint. It asks the workspace where that is, as the Databricks
// SDKs do (<host>/oidc/.well-known/oauth-authorization-server), and uses
// <host>/oidc/v1/token when the answer is missing or names another host: the
// client secret only ever goes to the workspace itself.
type oauthM2MCredentials struct {
	host         *url.URL
	tokenURL     string // "" until discovered
	clientID     string
	clientSecret string
	hc           *http.Client
	cache        *tokenCache
}

func newOAuthM2MCredentials(cfg *Config, hc *http.Client) (Credentials, error) {
	base, err := NormalizeHost(cfg.Host)
	if err != nil {
		return nil, err
	}
	c := &oauthM2MCredentials{
		host:         base,
		clientID:     cfg.ClientID,
		clientSecret: cfg.ClientSecret,
		hc:           hc,
	}
	c.cache = newTokenCache(databricksTokenLead, c.fetch)
	return c, nil
}

func (*oauthM2MCredentials) AuthType() string { return "oauth-m2m" }

func (c *oauthM2MCredentials) Authorize(ctx context.Context, req *http.Request) error {
	tok, err := c.cache.token(ctx)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

// fetch runs the client-credentials grant. The client id and secret travel
// in HTTP Basic auth, form-encoded first as RFC 6749 section 2.3.1 asks.
func (c *oauthM2MCredentials) fetch(ctx context.Context) (accessToken, error) {
	if c.tokenURL == "" { // fetch runs one at a time (tokenCache), so no lock
		c.tokenURL = c.discoverTokenURL(ctx)
	}
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"all-apis"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return accessToken{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.SetBasicAuth(url.QueryEscape(c.clientID), url.QueryEscape(c.clientSecret))
	start := time.Now()
	return doTokenRequest(c.hc, req, start)
}

// discoverTokenURL reads the workspace's OAuth metadata for its token
// endpoint, falling back to the standard path on any failure.
func (c *oauthM2MCredentials) discoverTokenURL(ctx context.Context) string {
	fallback := c.host.String() + "/oidc/v1/token"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.host.String()+"/oidc/.well-known/oauth-authorization-server", nil)
	if err != nil {
		return fallback
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return fallback
	}
	defer resp.Body.Close()
	var meta struct {
		TokenEndpoint string `json:"token_endpoint"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&meta) != nil {
		return fallback
	}
	u, err := url.Parse(meta.TokenEndpoint)
	if err != nil || u.Scheme != c.host.Scheme || !strings.EqualFold(u.Host, c.host.Host) || u.User != nil {
		return fallback
	}
	return u.String()
}

// doTokenRequest sends an OAuth token request and reads the standard
// response. Errors carry the status and the OAuth error fields, never the
// request or the body of a successful response.
func doTokenRequest(hc *http.Client, req *http.Request, start time.Time) (accessToken, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return accessToken{}, fmt.Errorf("token request to %s: %w%s", req.URL.Redacted(), scrubURLError(err), certificateHint(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return accessToken{}, fmt.Errorf("token request to %s: reading response: %w", req.URL.Redacted(), err)
	}
	if resp.StatusCode != http.StatusOK {
		return accessToken{}, tokenEndpointError(req.URL, resp, body)
	}
	var tr struct {
		AccessToken string          `json:"access_token"`
		TokenType   string          `json:"token_type"`
		ExpiresIn   json.RawMessage `json:"expires_in"`
	}
	if json.Unmarshal(body, &tr) != nil {
		return accessToken{}, fmt.Errorf("token endpoint %s answered with a body that is not a JSON token response", req.URL.Redacted())
	}
	if tr.AccessToken == "" {
		return accessToken{}, fmt.Errorf("token endpoint %s answered without an access_token", req.URL.Redacted())
	}
	if tr.TokenType != "" && !strings.EqualFold(tr.TokenType, "bearer") {
		return accessToken{}, fmt.Errorf("token endpoint %s issued a %q token; only bearer tokens are supported", req.URL.Redacted(), tr.TokenType)
	}
	tok := accessToken{value: tr.AccessToken}
	if secs, ok := parseExpiresIn(tr.ExpiresIn); ok {
		tok.expiry = start.Add(time.Duration(secs) * time.Second)
	}
	return tok, nil
}

// parseExpiresIn reads expires_in, which some servers send as a string.
func parseExpiresIn(raw json.RawMessage) (int64, bool) {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// tokenEndpointError renders a failed token request from its status and
// the OAuth error and error_description fields.
func tokenEndpointError(u *url.URL, resp *http.Response, body []byte) error {
	var oe struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &oe)
	msg := fmt.Sprintf("token endpoint %s answered %s", u.Redacted(), resp.Status)
	if oe.Error != "" {
		msg += ": " + oe.Error
	}
	if oe.Description != "" {
		msg += ": " + oe.Description
	}
	return errors.New(msg)
}
