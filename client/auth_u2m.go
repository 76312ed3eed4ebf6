package client

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// externalBrowserAuth signs a person in with Databricks OAuth (authorization
// code with PKCE, in the browser) and keeps the refresh token in the
// Databricks CLI's token cache, so that one login serves the CLI, the SDKs
// and dbx-mcp. Without being named it serves only when that cache already
// holds a login for the workspace: a browser never opens unasked.
var externalBrowserAuth = &authMethod{
	name: "external-browser",
	fallback: func(cfg *Config) string {
		if cfg.Host == "" {
			return "needs host (DATABRICKS_HOST)"
		}
		path, err := tokenCachePath()
		if err != nil {
			return err.Error()
		}
		if e, _ := lookupCachedLogin(path, u2mCacheKeys(cfg)); e == nil || e.RefreshToken == "" {
			return "no sign-in for this workspace in " + path + " (dbx-mcp auth login, or DATABRICKS_AUTH_TYPE=external-browser to sign in on first use)"
		}
		return ""
	},
	build: func(cfg *Config, hc *http.Client) (Credentials, error) {
		return newU2MCredentials(cfg, hc)
	},
}

const (
	// u2mClientID is the public OAuth app every Databricks workspace knows,
	// the one the Databricks CLI signs in with.
	u2mClientID = "databricks-cli"
	u2mScopes   = "offline_access all-apis"
	// u2mRefreshBuffer is how long a cached access token must still be good
	// to be used as it is; the Databricks CLI refreshes with the same margin.
	u2mRefreshBuffer = 5 * time.Minute
	// loginTimeout bounds the wait for the person to finish in the browser.
	loginTimeout = 5 * time.Minute
	// tokenCacheVersion is the Databricks CLI's token cache format.
	tokenCacheVersion = 1
)

// Hooks for tests: where the browser is opened, where the sign-in URL is
// also printed, and the loopback ports tried for the redirect (the
// databricks-cli app expects http://localhost:8020, then the next ones).
var (
	openBrowser                  = openSystemBrowser
	loginPrompt        io.Writer = os.Stderr
	loginFirstPort               = 8020
	loginLastPort                = 8040
	tokenCacheLockWait           = 10 * time.Second
)

// u2mCredentials hands out the access token of a person's login, refreshing
// it with the refresh token whenever it nears expiry (an editor session
// outlives many access tokens), and opening the browser only when there is
// no login to refresh.
type u2mCredentials struct {
	host      *url.URL
	clientID  string
	keys      []string // cache keys, most specific first; keys[0] is written
	cachePath string
	hc        *http.Client
	now       func() time.Time

	mu        sync.Mutex // guards endpoints
	endpoints *oauthEndpoints
	cache     *tokenCache
}

type oauthEndpoints struct {
	authorize, token string
}

func newU2MCredentials(cfg *Config, hc *http.Client) (*u2mCredentials, error) {
	if cfg.Host == "" {
		return nil, errors.New("external-browser: needs host (DATABRICKS_HOST)")
	}
	base, err := NormalizeHost(cfg.Host)
	if err != nil {
		return nil, err
	}
	path, err := tokenCachePath()
	if err != nil {
		return nil, fmt.Errorf("external-browser: %w", err)
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	c := &u2mCredentials{
		host:      base,
		clientID:  cmpOr(cfg.ClientID, u2mClientID),
		keys:      u2mCacheKeys(cfg),
		cachePath: path,
		hc:        hc,
		now:       time.Now,
	}
	c.cache = newTokenCache(databricksTokenLead, c.fetch)
	return c, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// u2mCacheKeys are the Databricks CLI's keys for a login: the profile's
// name when one was named, and the host.
func u2mCacheKeys(cfg *Config) []string {
	host := strings.TrimSuffix(cfg.Host, "/")
	if cfg.Profile != "" && cfg.Sources["profile"] != "default" {
		return []string{cfg.Profile, host}
	}
	return []string{host}
}

func (*u2mCredentials) AuthType() string { return "external-browser" }

func (c *u2mCredentials) Authorize(ctx context.Context, req *http.Request) error {
	tok, err := c.cache.token(ctx)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

// fetch takes the cached login's access token while it is good for a
// while, else refreshes it, else signs in. The file is read every time, so
// a refresh by the CLI or another dbx-mcp is picked up instead of spending
// the refresh token twice.
func (c *u2mCredentials) fetch(ctx context.Context) (accessToken, error) {
	e, key := lookupCachedLogin(c.cachePath, c.keys)
	if e == nil {
		lctx, cancel := context.WithTimeout(ctx, loginTimeout)
		defer cancel()
		t, err := c.login(lctx)
		if err != nil {
			return accessToken{}, err
		}
		return t.access(), nil
	}
	if e.AccessToken != "" && !e.Expiry.IsZero() && e.Expiry.Sub(c.now()) > u2mRefreshBuffer {
		return e.access(), nil
	}
	t, err := c.refresh(ctx, e, key)
	if err != nil {
		return accessToken{}, err
	}
	return t.access(), nil
}

// Login signs a person in to cfg's workspace in the browser and stores the
// login in the Databricks CLI's token cache (~/.databricks/token-cache.json),
// where auth type external-browser (and the CLI) find it. The requests go
// through cfg's proxy and TLS settings.
func Login(ctx context.Context, cfg *Config) error {
	tr, err := newTransport(cfg)
	if err != nil {
		return err
	}
	c, err := newU2MCredentials(cfg, &http.Client{Transport: tr, Timeout: defaultHTTPTimeout})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, loginTimeout)
	defer cancel()
	_, err = c.login(ctx)
	return err
}

// TokenCachePath is where logins are kept, shared with the Databricks CLI.
func TokenCachePath() (string, error) { return tokenCachePath() }

func tokenCachePath() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return "", errors.New("no home directory for the token cache (~/.databricks/token-cache.json)")
	}
	return filepath.Join(home, ".databricks", "token-cache.json"), nil
}

// cachedToken is one login as the Databricks CLI stores it (the JSON of
// golang.org/x/oauth2's Token).
type cachedToken struct {
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type,omitempty"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
}

func (t *cachedToken) access() accessToken {
	return accessToken{value: t.AccessToken, expiry: t.Expiry}
}

// lookupCachedLogin returns the first of keys the cache holds, and that
// key. A missing or unreadable file holds nothing.
func lookupCachedLogin(path string, keys []string) (*cachedToken, string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, ""
	}
	var f struct {
		Tokens map[string]*cachedToken `json:"tokens"`
	}
	if json.Unmarshal(data, &f) != nil {
		return nil, ""
	}
	for _, k := range keys {
		if t := f.Tokens[k]; t != nil && (t.AccessToken != "" || t.RefreshToken != "") {
			return t, k
		}
	}
	return nil, ""
}

// storeCachedLogin writes t under key, keeping every other entry (and any
// field this program does not know) as it was. The file is replaced in one
// rename and is readable by its owner alone.
func storeCachedLogin(path, key string, t *cachedToken) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	unlock := lockTokenCache(path)
	defer unlock()
	doc := map[string]json.RawMessage{}
	tokens := map[string]json.RawMessage{}
	if data, err := os.ReadFile(path); err == nil {
		if json.Unmarshal(data, &doc) != nil {
			return fmt.Errorf("token cache %s is not the Databricks CLI's JSON format; move it away and sign in again", path)
		}
		if raw, ok := doc["tokens"]; ok && json.Unmarshal(raw, &tokens) != nil {
			return fmt.Errorf("token cache %s has a tokens member that is not an object; move it away and sign in again", path)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("token cache: %w", err)
	}
	entry, err := json.Marshal(t)
	if err != nil {
		return err
	}
	tokens[key] = entry
	if doc["tokens"], err = json.Marshal(tokens); err != nil {
		return err
	}
	if doc["version"], err = json.Marshal(tokenCacheVersion); err != nil {
		return err
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".token-cache-*.json")
	if err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("token cache: %w", err)
	}
	if _, err := tmp.Write(out); err != nil {
		tmp.Close()
		return fmt.Errorf("token cache: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	return nil
}

// lockTokenCache serializes writers of path among processes that honour a
// lock file beside it, so that two refreshes do not lose each other's
// entries. A lock left by a process that died is taken over after
// tokenCacheLockWait.
func lockTokenCache(path string) func() {
	lock := path + ".lock"
	deadline := time.Now().Add(tokenCacheLockWait)
	for {
		f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			f.Close()
			return func() { os.Remove(lock) }
		}
		if time.Now().After(deadline) {
			return func() { os.Remove(lock) }
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// discover reads the workspace's OAuth metadata. An endpoint on any other
// host than the workspace is not used (the code and the refresh token only
// go to the workspace): the workspace's standard paths stand in.
func (c *u2mCredentials) discover(ctx context.Context) *oauthEndpoints {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.endpoints != nil {
		return c.endpoints
	}
	base := c.host.String()
	ep := &oauthEndpoints{authorize: base + "/oidc/v1/authorize", token: base + "/oidc/v1/token"}
	var meta struct {
		AuthorizationEndpoint string `json:"authorization_endpoint"`
		TokenEndpoint         string `json:"token_endpoint"`
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/oidc/.well-known/oauth-authorization-server", nil)
	if err == nil {
		req.Header.Set("Accept", "application/json")
		if resp, err := c.hc.Do(req); err == nil {
			if resp.StatusCode == http.StatusOK && json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&meta) == nil {
				if c.onHost(meta.AuthorizationEndpoint) {
					ep.authorize = meta.AuthorizationEndpoint
				}
				if c.onHost(meta.TokenEndpoint) {
					ep.token = meta.TokenEndpoint
				}
			}
			resp.Body.Close()
		}
	}
	c.endpoints = ep
	return ep
}

func (c *u2mCredentials) onHost(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == c.host.Scheme && strings.EqualFold(u.Host, c.host.Host) && u.User == nil
}

// login runs the authorization code flow with PKCE on a loopback redirect.
func (c *u2mCredentials) login(ctx context.Context) (*cachedToken, error) {
	ep := c.discover(ctx)
	ln, err := listenLoopback()
	if err != nil {
		return nil, fmt.Errorf("external-browser: %w", err)
	}
	defer ln.Close()
	redirect := fmt.Sprintf("http://localhost:%d", ln.Addr().(*net.TCPAddr).Port)
	verifier, state := randomURLString(64), randomURLString(16)
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{
		"client_id":             {c.clientID},
		"response_type":         {"code"},
		"redirect_uri":          {redirect},
		"scope":                 {u2mScopes},
		"state":                 {state},
		"code_challenge":        {base64.RawURLEncoding.EncodeToString(sum[:])},
		"code_challenge_method": {"S256"},
	}
	authURL := ep.authorize + "?" + q.Encode()

	type result struct{ code, err string }
	got := make(chan result, 1)
	srv := &http.Server{
		ReadHeaderTimeout: 10 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			v := r.URL.Query()
			if v.Get("code") == "" && v.Get("error") == "" {
				http.NotFound(w, r)
				return
			}
			res := result{code: v.Get("code")}
			switch {
			case v.Get("error") != "":
				res = result{err: strings.TrimSpace(v.Get("error") + ": " + v.Get("error_description"))}
			case v.Get("state") != state:
				res = result{err: "the answer's state does not match the request (a stale or forged redirect)"}
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			if res.err != "" {
				fmt.Fprintf(w, "<!doctype html><title>dbx-mcp</title><p>Sign-in failed: %s</p>", html.EscapeString(res.err))
			} else {
				fmt.Fprint(w, "<!doctype html><title>dbx-mcp</title><p>You are signed in to Databricks. You can close this tab.</p>")
			}
			select {
			case got <- res:
			default:
			}
		}),
	}
	go srv.Serve(ln)
	defer func() {
		// Shutdown, not Close: the browser still has to get its page.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()

	fmt.Fprintf(loginPrompt, "Sign in to %s in your browser; if it does not open, visit:\n  %s\n", c.host.Host, authURL)
	if err := openBrowser(authURL); err != nil {
		fmt.Fprintf(loginPrompt, "(could not open a browser: %v)\n", err)
	}
	var res result
	select {
	case res = <-got:
	case <-ctx.Done():
		return nil, fmt.Errorf("external-browser: sign-in to %s was not completed: %w", c.host.Host, ctx.Err())
	}
	if res.err != "" {
		return nil, fmt.Errorf("external-browser: sign-in to %s failed: %s", c.host.Host, res.err)
	}
	t, err := c.tokenRequest(ctx, ep.token, url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {res.code},
		"redirect_uri":  {redirect},
		"code_verifier": {verifier},
	})
	if err != nil {
		return nil, fmt.Errorf("external-browser: sign-in to %s: %w", c.host.Host, err)
	}
	if err := storeCachedLogin(c.cachePath, c.keys[0], t); err != nil {
		return nil, fmt.Errorf("external-browser: signed in, but %w", err)
	}
	return t, nil
}

// refresh trades the login's refresh token for a new access token and
// stores the answer under key.
func (c *u2mCredentials) refresh(ctx context.Context, old *cachedToken, key string) (*cachedToken, error) {
	relogin := fmt.Sprintf("sign in again with: dbx-mcp auth login --host %s (or databricks auth login --host %s)", c.host, c.host)
	if old.RefreshToken == "" {
		return nil, fmt.Errorf("external-browser: the cached login for %s has expired and holds no refresh token; %s", c.host.Host, relogin)
	}
	ep := c.discover(ctx)
	t, err := c.tokenRequest(ctx, ep.token, url.Values{
		"grant_type":    {"refresh_token"},
		"refresh_token": {old.RefreshToken},
	})
	var oe *oauthError
	if errors.As(err, &oe) && (oe.code == "invalid_grant" || oe.description == "Refresh token is invalid") {
		return nil, fmt.Errorf("external-browser: the login for %s has expired or was revoked (%w); %s", c.host.Host, err, relogin)
	}
	if err != nil {
		return nil, fmt.Errorf("external-browser: refreshing the login for %s: %w", c.host.Host, err)
	}
	if t.RefreshToken == "" {
		t.RefreshToken = old.RefreshToken
	}
	if err := storeCachedLogin(c.cachePath, key, t); err != nil {
		return nil, fmt.Errorf("external-browser: %w", err)
	}
	return t, nil
}

// oauthError is a token endpoint's refusal, by its OAuth error fields.
type oauthError struct {
	status      string
	code        string
	description string
	endpoint    string
}

func (e *oauthError) Error() string {
	msg := fmt.Sprintf("token endpoint %s answered %s", e.endpoint, e.status)
	if e.code != "" {
		msg += ": " + e.code
	}
	if e.description != "" {
		msg += ": " + e.description
	}
	return msg
}

// tokenRequest posts a grant for the public client (its id in the form, no
// secret) and reads the tokens. Errors never carry the request or a
// successful answer.
func (c *u2mCredentials) tokenRequest(ctx context.Context, endpoint string, form url.Values) (*cachedToken, error) {
	form.Set("client_id", c.clientID)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	start := c.now()
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("token request to %s: %w%s", req.URL.Redacted(), scrubURLError(err), certificateHint(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("token request to %s: reading response: %w", req.URL.Redacted(), err)
	}
	if resp.StatusCode != http.StatusOK {
		var oe struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		_ = json.Unmarshal(body, &oe)
		return nil, &oauthError{status: resp.Status, code: oe.Error, description: oe.Description, endpoint: req.URL.Redacted()}
	}
	var tr struct {
		AccessToken  string          `json:"access_token"`
		TokenType    string          `json:"token_type"`
		RefreshToken string          `json:"refresh_token"`
		ExpiresIn    json.RawMessage `json:"expires_in"`
	}
	if json.Unmarshal(body, &tr) != nil || tr.AccessToken == "" {
		return nil, fmt.Errorf("token endpoint %s answered without an access token", req.URL.Redacted())
	}
	if tr.TokenType != "" && !strings.EqualFold(tr.TokenType, "bearer") {
		return nil, fmt.Errorf("token endpoint %s issued a %q token; only bearer tokens are supported", req.URL.Redacted(), tr.TokenType)
	}
	t := &cachedToken{AccessToken: tr.AccessToken, TokenType: cmpOr(tr.TokenType, "Bearer"), RefreshToken: tr.RefreshToken}
	if secs, ok := parseExpiresIn(tr.ExpiresIn); ok {
		t.Expiry = start.Add(time.Duration(secs) * time.Second)
	}
	return t, nil
}

// listenLoopback takes the first free port of the redirect range.
func listenLoopback() (net.Listener, error) {
	var last error
	for p := loginFirstPort; p <= loginLastPort; p++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("localhost:%d", p))
		if err == nil {
			return ln, nil
		}
		last = err
	}
	return nil, fmt.Errorf("no free port for the sign-in redirect in localhost:%d-%d: %w", loginFirstPort, loginLastPort, last)
}

func randomURLString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// openSystemBrowser asks the desktop to open u.
func openSystemBrowser(u string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", u)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	default:
		cmd = exec.Command("xdg-open", u)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}
