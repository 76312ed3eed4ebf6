package client

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeAuthServer is a workspace with its own OAuth authorization server,
// as Databricks runs one under /oidc: it checks PKCE and the grants the
// way the real one does and tells its tokens apart by number.
type fakeAuthServer struct {
	t   *testing.T
	srv *httptest.Server

	mu         sync.Mutex
	challenges map[string]string // code -> code_challenge
	redirects  map[string]string // code -> redirect_uri
	refresh    map[string]bool   // refresh tokens still valid
	issued     int
	grants     []string // grant_type of each token request
	bearers    []string // Authorization of each API call
	expiresIn  int
	metadata   string // replaces the OAuth metadata when set
}

func newFakeAuthServer(t *testing.T) *fakeAuthServer {
	t.Helper()
	a := &fakeAuthServer{t: t, challenges: map[string]string{}, redirects: map[string]string{}, refresh: map[string]bool{}, expiresIn: 3600}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /oidc/.well-known/oauth-authorization-server", func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		meta := a.metadata
		a.mu.Unlock()
		if meta != "" {
			fmt.Fprint(w, meta)
			return
		}
		fmt.Fprintf(w, `{"authorization_endpoint":%q,"token_endpoint":%q}`, a.srv.URL+"/oidc/v1/authorize", a.srv.URL+"/oidc/v1/token")
	})
	mux.HandleFunc("GET /oidc/v1/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		ru, err := url.Parse(q.Get("redirect_uri"))
		switch {
		case q.Get("client_id") != "databricks-cli", q.Get("response_type") != "code",
			q.Get("code_challenge_method") != "S256", q.Get("code_challenge") == "", q.Get("state") == "",
			q.Get("scope") != "offline_access all-apis",
			err != nil || ru.Scheme != "http" || ru.Hostname() != "localhost":
			http.Error(w, "bad authorization request: "+r.URL.RawQuery, http.StatusBadRequest)
			return
		}
		a.mu.Lock()
		code := fmt.Sprintf("code-%d", len(a.challenges)+1)
		a.challenges[code] = q.Get("code_challenge")
		a.redirects[code] = q.Get("redirect_uri")
		a.mu.Unlock()
		http.Redirect(w, r, q.Get("redirect_uri")+"/?"+url.Values{"code": {code}, "state": {q.Get("state")}}.Encode(), http.StatusFound)
	})
	mux.HandleFunc("POST /oidc/v1/token", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		a.mu.Lock()
		defer a.mu.Unlock()
		a.grants = append(a.grants, r.PostForm.Get("grant_type"))
		oauthErr := func(code string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"error":%q,"error_description":"refused"}`, code)
		}
		if r.PostForm.Get("client_id") != "databricks-cli" {
			oauthErr("invalid_client")
			return
		}
		switch r.PostForm.Get("grant_type") {
		case "authorization_code":
			code := r.PostForm.Get("code")
			sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
			if a.challenges[code] == "" || base64.RawURLEncoding.EncodeToString(sum[:]) != a.challenges[code] || r.PostForm.Get("redirect_uri") != a.redirects[code] {
				oauthErr("invalid_grant")
				return
			}
			delete(a.challenges, code)
		case "refresh_token":
			rt := r.PostForm.Get("refresh_token")
			if !a.refresh[rt] {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprint(w, `{"error":"invalid_grant","error_description":"Refresh token is invalid"}`)
				return
			}
			delete(a.refresh, rt) // refresh tokens rotate
		default:
			oauthErr("unsupported_grant_type")
			return
		}
		a.issued++
		rt := fmt.Sprintf("u2m-refresh-%d", a.issued)
		a.refresh[rt] = true
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"u2m-access-%d","token_type":"Bearer","refresh_token":%q,"expires_in":%d}`, a.issued, rt, a.expiresIn)
	})
	mux.HandleFunc("GET /api/2.0/clusters/list", func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.bearers = append(a.bearers, r.Header.Get("Authorization"))
		a.mu.Unlock()
		fmt.Fprint(w, `{"clusters":[]}`)
	})
	a.srv = httptest.NewServer(mux)
	t.Cleanup(a.srv.Close)
	return a
}

func (a *fakeAuthServer) lastBearer() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.bearers) == 0 {
		return ""
	}
	return a.bearers[len(a.bearers)-1]
}

func (a *fakeAuthServer) grantTypes() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.grants...)
}

// u2mHome points the token cache at a fresh home directory, and makes the
// browser a client that follows the sign-in URL (counting how often it is
// opened), and the redirect listen on any free port.
func u2mHome(t *testing.T) (cachePath string, browsed func() int) {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	var mu sync.Mutex
	var running sync.WaitGroup
	t.Cleanup(running.Wait)
	n := 0
	prevOpen, prevPrompt, prevFirst, prevLast := openBrowser, loginPrompt, loginFirstPort, loginLastPort
	openBrowser = func(u string) error {
		mu.Lock()
		n++
		mu.Unlock()
		running.Add(1)
		go func() {
			defer running.Done()
			resp, err := http.Get(u)
			if err != nil {
				t.Errorf("browser: %v", err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("browser: the sign-in ended with %s", resp.Status)
			}
		}()
		return nil
	}
	loginPrompt = io.Discard
	loginFirstPort, loginLastPort = 0, 0
	t.Cleanup(func() {
		openBrowser, loginPrompt, loginFirstPort, loginLastPort = prevOpen, prevPrompt, prevFirst, prevLast
	})
	return filepath.Join(home, ".databricks", "token-cache.json"), func() int { mu.Lock(); defer mu.Unlock(); return n }
}

type tokenCacheFile struct {
	Version int                     `json:"version"`
	Tokens  map[string]*cachedToken `json:"tokens"`
}

func readTokenCacheFile(t *testing.T, path string) tokenCacheFile {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f tokenCacheFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestExternalBrowserLoginAndCache signs in once with PKCE, stores the login
// as the Databricks CLI does, and lets a second client use it without a
// browser.
func TestExternalBrowserLoginAndCache(t *testing.T) {
	a := newFakeAuthServer(t)
	cachePath, browsed := u2mHome(t)

	c := newAuthClient(t, Config{Host: a.srv.URL, AuthType: "external-browser"})
	if c.AuthType() != "external-browser" {
		t.Fatalf("auth type %q", c.AuthType())
	}
	if err := listClusters(c); err != nil {
		t.Fatal(err)
	}
	if got := a.lastBearer(); got != "Bearer u2m-access-1" {
		t.Fatalf("Authorization = %q", got)
	}
	if browsed() != 1 {
		t.Fatalf("browser opened %d times", browsed())
	}
	info, err := os.Stat(cachePath)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("token cache mode %v, want 0600", info.Mode().Perm())
	}
	f := readTokenCacheFile(t, cachePath)
	e := f.Tokens[a.srv.URL]
	if f.Version != 1 || e == nil || e.AccessToken != "u2m-access-1" || e.RefreshToken != "u2m-refresh-1" || e.TokenType != "Bearer" || time.Until(e.Expiry) < 50*time.Minute {
		t.Fatalf("token cache = %+v (entry %+v)", f, e)
	}

	// Another process, with the login in the file.
	c2 := newAuthClient(t, Config{Host: a.srv.URL, AuthType: "external-browser"})
	if err := listClusters(c2); err != nil {
		t.Fatal(err)
	}
	if browsed() != 1 || len(a.grantTypes()) != 1 {
		t.Fatalf("second client opened the browser %d times, token requests %q", browsed(), a.grantTypes())
	}
	if got := a.lastBearer(); got != "Bearer u2m-access-1" {
		t.Fatalf("second client Authorization = %q", got)
	}

	// Without being named, the cached login is found too.
	creds, err := newCredentials(&Config{Host: a.srv.URL}, http.DefaultClient)
	if err != nil || creds.AuthType() != "external-browser" {
		t.Fatalf("fallback: %v, %v", creds, err)
	}
}

// TestExternalBrowserRefreshMidSession keeps a session going past its
// access token's expiry with the refresh token, unnoticed by the caller.
func TestExternalBrowserRefreshMidSession(t *testing.T) {
	a := newFakeAuthServer(t)
	cachePath, browsed := u2mHome(t)
	c := newAuthClient(t, Config{Host: a.srv.URL, AuthType: "external-browser"})
	if err := listClusters(c); err != nil {
		t.Fatal(err)
	}
	creds := c.creds.(*u2mCredentials)
	later := time.Now().Add(61 * time.Minute)
	creds.now = func() time.Time { return later }
	creds.cache.mu.Lock()
	creds.cache.now = func() time.Time { return later }
	creds.cache.mu.Unlock()
	if err := listClusters(c); err != nil {
		t.Fatal(err)
	}
	if got := a.lastBearer(); got != "Bearer u2m-access-2" {
		t.Fatalf("after expiry Authorization = %q", got)
	}
	if g := a.grantTypes(); len(g) != 2 || g[1] != "refresh_token" || browsed() != 1 {
		t.Fatalf("grants %q, browser opened %d times", g, browsed())
	}
	e := readTokenCacheFile(t, cachePath).Tokens[a.srv.URL]
	if e.AccessToken != "u2m-access-2" || e.RefreshToken != "u2m-refresh-2" {
		t.Fatalf("cache after refresh: %+v", e)
	}
}

// TestExternalBrowserCachedLogins starts from a cache file the Databricks
// CLI wrote: an expired token is refreshed, a revoked refresh token asks
// for a new sign-in, and other entries survive every write.
func TestExternalBrowserCachedLogins(t *testing.T) {
	const other = `"https://other.cloud.databricks.com":{"access_token":"other-access","token_type":"Bearer","refresh_token":"other-refresh","expiry":"2030-01-01T00:00:00Z","extra":1}`
	for _, tt := range []struct {
		name    string
		profile string
		key     string
		refresh string
		wantErr []string
	}{
		{name: "expired token is refreshed", key: "HOST", refresh: "valid"},
		{name: "profile key", profile: "dev", key: "dev", refresh: "valid"},
		{name: "profile falls back to the host key", profile: "dev", key: "HOST", refresh: "valid"},
		{name: "revoked refresh token", key: "HOST", refresh: "revoked",
			wantErr: []string{"has expired or was revoked", "invalid_grant", "dbx-mcp auth login --host", "databricks auth login --host"}},
		{name: "no refresh token", key: "HOST", wantErr: []string{"holds no refresh token", "dbx-mcp auth login"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := newFakeAuthServer(t)
			cachePath, browsed := u2mHome(t)
			rt := ""
			if tt.refresh == "valid" {
				rt = "cli-refresh"
				a.refresh[rt] = true
			} else if tt.refresh == "revoked" {
				rt = "cli-refresh-revoked"
			}
			key := strings.ReplaceAll(tt.key, "HOST", a.srv.URL)
			if err := os.MkdirAll(filepath.Dir(cachePath), 0o700); err != nil {
				t.Fatal(err)
			}
			doc := fmt.Sprintf(`{"version":1,"tokens":{%s,%q:{"access_token":"cli-access-old","token_type":"Bearer","refresh_token":%q,"expiry":%q}}}`,
				other, key, rt, time.Now().Add(-time.Minute).Format(time.RFC3339))
			if err := os.WriteFile(cachePath, []byte(doc), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg := Config{Host: a.srv.URL, AuthType: "external-browser", Profile: tt.profile, Sources: map[string]string{}}
			if tt.profile != "" {
				cfg.Sources["profile"] = "env DATABRICKS_CONFIG_PROFILE"
			}
			c := newAuthClient(t, cfg)
			err := listClusters(c)
			if browsed() != 0 {
				t.Fatalf("browser opened with a cached login")
			}
			if tt.wantErr != nil {
				if err == nil {
					t.Fatal("no error")
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error does not contain %q: %v", w, err)
					}
				}
				if strings.Contains(err.Error(), rt) && rt != "" || strings.Contains(err.Error(), "cli-access-old") {
					t.Errorf("error reveals a token: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := a.lastBearer(); got != "Bearer u2m-access-1" {
				t.Fatalf("Authorization = %q", got)
			}
			data, err := os.ReadFile(cachePath)
			if err != nil {
				t.Fatal(err)
			}
			var raw struct {
				Tokens map[string]map[string]any `json:"tokens"`
			}
			if err := json.Unmarshal(data, &raw); err != nil {
				t.Fatal(err)
			}
			if o := raw.Tokens["https://other.cloud.databricks.com"]; o["access_token"] != "other-access" || o["extra"] != float64(1) {
				t.Errorf("other entry changed: %v", o)
			}
			if e := raw.Tokens[key]; e["access_token"] != "u2m-access-1" || e["refresh_token"] != "u2m-refresh-1" {
				t.Errorf("entry %q after refresh: %v", key, e)
			}
		})
	}
}

// TestExternalBrowserEndpointsStayOnHost ignores OAuth metadata naming
// another host, so the code and refresh token only go to the workspace.
func TestExternalBrowserEndpointsStayOnHost(t *testing.T) {
	a := newFakeAuthServer(t)
	u2mHome(t)
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request to the foreign endpoint: %s", r.URL)
	}))
	t.Cleanup(elsewhere.Close)
	a.mu.Lock()
	a.metadata = fmt.Sprintf(`{"authorization_endpoint":%q,"token_endpoint":%q}`, elsewhere.URL+"/authorize", elsewhere.URL+"/token")
	a.mu.Unlock()
	c := newAuthClient(t, Config{Host: a.srv.URL, AuthType: "external-browser"})
	if err := listClusters(c); err != nil {
		t.Fatal(err)
	}
	if got := a.lastBearer(); got != "Bearer u2m-access-1" {
		t.Fatalf("Authorization = %q", got)
	}
}

// TestTokenCacheConcurrentWriters keeps every login when several write the
// file at once.
func TestTokenCacheConcurrentWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".databricks", "token-cache.json")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := storeCachedLogin(path, fmt.Sprintf("https://w%d.cloud.databricks.com", i), &cachedToken{AccessToken: "a", RefreshToken: "r"}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if f := readTokenCacheFile(t, path); len(f.Tokens) != 8 || f.Version != 1 {
		t.Fatalf("cache holds %d logins (version %d), want 8", len(f.Tokens), f.Version)
	}
	if _, err := os.Stat(path + ".lock"); !os.IsNotExist(err) {
		t.Errorf("lock file left behind: %v", err)
	}
}
