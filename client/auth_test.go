package client

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// authWorkspace is a workspace stub that records the headers of every
// API request and answers clusters/list; other handlers (such as a token
// endpoint) can be added to mux before use.
type authWorkspace struct {
	srv *httptest.Server
	mux *http.ServeMux

	mu      sync.Mutex
	headers []http.Header
}

func newAuthWorkspace(t *testing.T) *authWorkspace {
	t.Helper()
	w := &authWorkspace{mux: http.NewServeMux()}
	w.mux.HandleFunc("GET /api/2.0/clusters/list", func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		w.headers = append(w.headers, r.Header.Clone())
		w.mu.Unlock()
		rw.Header().Set("Content-Type", "application/json")
		fmt.Fprint(rw, `{"clusters":[]}`)
	})
	w.srv = httptest.NewServer(w.mux)
	t.Cleanup(w.srv.Close)
	return w
}

// last returns the headers of the most recent API request.
func (w *authWorkspace) last(t *testing.T) http.Header {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.headers) == 0 {
		t.Fatal("the workspace received no API request")
	}
	return w.headers[len(w.headers)-1]
}

func (w *authWorkspace) all() []http.Header {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]http.Header(nil), w.headers...)
}

func newAuthClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(&cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func listClusters(c *Client) error {
	_, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/api/2.0/clusters/list"})
	return err
}

func TestAuthPAT(t *testing.T) {
	ws := newAuthWorkspace(t)
	c := newAuthClient(t, Config{Host: ws.srv.URL, Token: "dapi-test-token"})
	if c.AuthType() != "pat" {
		t.Fatalf("auth type %q", c.AuthType())
	}
	if err := listClusters(c); err != nil {
		t.Fatal(err)
	}
	if got := ws.last(t).Get("Authorization"); got != "Bearer dapi-test-token" {
		t.Fatalf("Authorization = %q", got)
	}
}

// m2mEndpoint serves /oidc/v1/token on ws, checking the grant.
type m2mEndpoint struct {
	t            *testing.T
	clientID     string
	clientSecret string
	requests     atomic.Int32
	// block, when set, holds every request after the first until closed.
	block chan struct{}
	// respond, when set, writes the response instead of a token.
	respond func(http.ResponseWriter)
}

func (e *m2mEndpoint) install(ws *authWorkspace) {
	ws.mux.HandleFunc("/oidc/v1/token", func(w http.ResponseWriter, r *http.Request) {
		n := e.requests.Add(1)
		if r.Method != http.MethodPost {
			e.t.Errorf("token request method %s", r.Method)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
			e.t.Errorf("token request Content-Type %q", ct)
		}
		if err := r.ParseForm(); err != nil {
			e.t.Errorf("token request form: %v", err)
		}
		if got := r.PostForm; len(got) != 2 || got.Get("grant_type") != "client_credentials" || got.Get("scope") != "all-apis" {
			e.t.Errorf("token request form %v, want exactly grant_type=client_credentials and scope=all-apis", got)
		}
		want := "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(e.clientID)+":"+url.QueryEscape(e.clientSecret)))
		if got := r.Header.Get("Authorization"); got != want {
			e.t.Errorf("token request Authorization %q, want %q", got, want)
		}
		if e.block != nil && n > 1 {
			<-e.block
		}
		w.Header().Set("Content-Type", "application/json")
		if e.respond != nil {
			e.respond(w)
			return
		}
		fmt.Fprintf(w, `{"access_token":"m2m-token-%d","token_type":"Bearer","expires_in":3600,"scope":"all-apis"}`, n)
	})
}

func TestAuthOAuthM2M(t *testing.T) {
	ws := newAuthWorkspace(t)
	ep := &m2mEndpoint{t: t, clientID: "sp-client-id", clientSecret: "dose+cret/with=chars"}
	ep.install(ws)
	c := newAuthClient(t, Config{Host: ws.srv.URL, ClientID: ep.clientID, ClientSecret: ep.clientSecret})
	if c.AuthType() != "oauth-m2m" {
		t.Fatalf("auth type %q", c.AuthType())
	}
	for range 3 {
		if err := listClusters(c); err != nil {
			t.Fatal(err)
		}
	}
	if got := ws.last(t).Get("Authorization"); got != "Bearer m2m-token-1" {
		t.Fatalf("Authorization = %q", got)
	}
	if n := ep.requests.Load(); n != 1 {
		t.Fatalf("%d token requests for 3 calls, want 1", n)
	}
}

// TestAuthOAuthM2MOneRefreshForManyCallers sends 100 concurrent calls
// after the token expired and expects exactly one new token request.
func TestAuthOAuthM2MOneRefreshForManyCallers(t *testing.T) {
	ws := newAuthWorkspace(t)
	ep := &m2mEndpoint{t: t, clientID: "id", clientSecret: "secret", block: make(chan struct{})}
	ep.install(ws)
	c := newAuthClient(t, Config{Host: ws.srv.URL, ClientID: "id", ClientSecret: "secret"})
	cache := c.creds.(*oauthM2MCredentials).cache
	clock := newFakeClock()
	clock.t = time.Now()
	cache.now = clock.now

	if err := listClusters(c); err != nil {
		t.Fatal(err)
	}
	clock.advance(time.Hour) // the first token has expired

	const callers = 100
	errs := make(chan error, callers)
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() { errs <- listClusters(c) })
	}
	waitForWaiters(t, cache, callers)
	close(ep.block)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := ep.requests.Load(); n != 2 {
		t.Fatalf("%d token requests, want 2 (the first token and one refresh)", n)
	}
	hs := ws.all()
	if len(hs) != callers+1 {
		t.Fatalf("%d API requests, want %d", len(hs), callers+1)
	}
	for _, h := range hs[1:] {
		if got := h.Get("Authorization"); got != "Bearer m2m-token-2" {
			t.Fatalf("after the refresh a request carried %q", got)
		}
	}
}

func TestAuthOAuthM2MErrorsHideSecrets(t *testing.T) {
	const secret = "dose-very-secret-value"
	basic := base64.StdEncoding.EncodeToString([]byte("id:" + secret))
	for _, tt := range []struct {
		name    string
		respond func(http.ResponseWriter)
		want    []string
		hidden  []string
	}{
		{
			name: "rejected client",
			respond: func(w http.ResponseWriter) {
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprint(w, `{"error":"invalid_client","error_description":"Client authentication failed"}`)
			},
			want:   []string{"oauth-m2m", "/oidc/v1/token", "401", "invalid_client", "Client authentication failed"},
			hidden: []string{secret, basic},
		},
		{
			name: "not JSON",
			respond: func(w http.ResponseWriter) {
				w.WriteHeader(http.StatusBadGateway)
				fmt.Fprint(w, `<html>proxy error</html>`)
			},
			want:   []string{"502"},
			hidden: []string{secret, basic},
		},
		{
			name:    "token in a malformed success body",
			respond: func(w http.ResponseWriter) { fmt.Fprint(w, `{"access_token":"leaky-access-token","token_type":5}`) },
			want:    []string{"not a JSON token response"},
			hidden:  []string{secret, "leaky-access-token"},
		},
		{
			name:    "token of the wrong type",
			respond: func(w http.ResponseWriter) { fmt.Fprint(w, `{"access_token":"leaky-access-token","token_type":"mac"}`) },
			want:    []string{`"mac"`, "bearer"},
			hidden:  []string{secret, "leaky-access-token"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ws := newAuthWorkspace(t)
			ep := &m2mEndpoint{t: t, clientID: "id", clientSecret: secret, respond: tt.respond}
			ep.install(ws)
			c := newAuthClient(t, Config{Host: ws.srv.URL, ClientID: "id", ClientSecret: secret})
			err := listClusters(c)
			if err == nil {
				t.Fatal("call succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			for _, h := range tt.hidden {
				if strings.Contains(err.Error(), h) {
					t.Errorf("error %q reveals %q", err, h)
				}
			}
			if len(ws.all()) != 0 {
				t.Error("the API request was sent without a token")
			}
		})
	}
}

// pathWith puts a fake "az" (or nothing, when script is empty) alone on
// PATH for the rest of the test.
func pathWith(t *testing.T, script string) string {
	t.Helper()
	dir := t.TempDir()
	if script != "" {
		if err := os.WriteFile(filepath.Join(dir, "az"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir)
	return dir
}

func TestAuthSelection(t *testing.T) {
	const (
		token  = "dapi-selection-token"
		secret = "selection-client-secret"
		azSec  = "selection-azure-secret"
	)
	all := func(c Config) Config { // sources as LoadConfig would record them
		c.Sources = map[string]string{}
		for _, a := range attributes {
			if !a.isZero(&c) && a.env != "" {
				c.Sources[a.name] = "env " + a.env
			}
		}
		return c
	}
	azureHost := "https://adb-123.4.azuredatabricks.net"
	for _, tt := range []struct {
		name     string
		cfg      Config
		az       bool // put a fake az on PATH
		wantType string
		wantErr  []string
	}{
		{name: "pat", cfg: all(Config{Host: azureHost, Token: token}), wantType: "pat"},
		{name: "oauth-m2m", cfg: all(Config{Host: azureHost, ClientID: "c", ClientSecret: secret}), wantType: "oauth-m2m"},
		{name: "azure-client-secret", cfg: all(Config{Host: azureHost, AzureClientID: "c", AzureClientSecret: azSec, AzureTenantID: "t"}), wantType: "azure-client-secret"},
		{name: "azure-msi with user-assigned id", cfg: all(Config{Host: azureHost, AzureUseMSI: true, AzureClientID: "c"}), wantType: "azure-msi"},
		{name: "azure-cli fallback on an Azure host", cfg: all(Config{Host: azureHost}), az: true, wantType: "azure-cli"},
		{name: "azure-cli fallback with a resource id", cfg: all(Config{Host: "http://127.0.0.1:1", AzureResourceID: "/subscriptions/x"}), az: true, wantType: "azure-cli"},
		{name: "auth type picks one of two", cfg: all(Config{Host: azureHost, Token: token, ClientID: "c", ClientSecret: secret, AuthType: "oauth-m2m"}), wantType: "oauth-m2m"},
		{name: "auth type azure-cli", cfg: all(Config{Host: "https://h.cloud.databricks.com", AuthType: "azure-cli"}), az: true, wantType: "azure-cli"},
		{
			name:    "two methods",
			cfg:     all(Config{Host: azureHost, Token: token, ClientID: "c", ClientSecret: secret}),
			wantErr: []string{"more than one auth method", "pat (token from env DATABRICKS_TOKEN)", "oauth-m2m (client_id from env DATABRICKS_CLIENT_ID and client_secret from env DATABRICKS_CLIENT_SECRET)", "DATABRICKS_AUTH_TYPE"},
		},
		{
			name:    "three methods",
			cfg:     all(Config{Host: azureHost, Token: token, AzureUseMSI: true, AzureClientID: "c", AzureClientSecret: azSec, AzureTenantID: "t"}),
			wantErr: []string{"pat (", "azure-client-secret (", "azure-msi (azure_use_msi from env ARM_USE_MSI)", "one of pat, azure-client-secret, azure-msi"},
		},
		{
			name: "nothing configured",
			cfg:  all(Config{Host: "https://h.cloud.databricks.com", ClientID: "c"}),
			az:   true,
			wantErr: []string{
				"no auth method is configured for https://h.cloud.databricks.com",
				"pat: needs token (DATABRICKS_TOKEN)",
				"oauth-m2m: has client_id from env DATABRICKS_CLIENT_ID but needs client_secret (DATABRICKS_CLIENT_SECRET) too",
				"azure-client-secret: needs azure_client_id (ARM_CLIENT_ID), azure_client_secret (ARM_CLIENT_SECRET) and azure_tenant_id (ARM_TENANT_ID)",
				"azure-msi: needs azure_use_msi (ARM_USE_MSI)",
				"azure-cli: only tried for Azure Databricks hosts",
			},
		},
		{
			name:    "Azure host without az",
			cfg:     all(Config{Host: azureHost}),
			wantErr: []string{"azure-cli: the Azure CLI (az) is not on PATH"},
		},
		{
			name:    "auth type with missing settings",
			cfg:     all(Config{Host: azureHost, AuthType: "azure-client-secret", AzureClientID: "c", Token: token}),
			wantErr: []string{"auth type azure-client-secret from env DATABRICKS_AUTH_TYPE needs azure_client_secret (ARM_CLIENT_SECRET) and azure_tenant_id (ARM_TENANT_ID), which are not set"},
		},
		{
			name:    "unknown auth type",
			cfg:     Config{Host: azureHost, AuthType: "basic"},
			wantErr: []string{`"basic"`, "valid auth types: pat, oauth-m2m, azure-client-secret, azure-msi, databricks-cli, external-browser, azure-cli"},
		},
		{
			name:    "auth type azure-cli without az",
			cfg:     Config{Host: azureHost, AuthType: "azure-cli"},
			wantErr: []string{"azure-cli", "not on PATH"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			script := ""
			if tt.az {
				script = "#!/bin/sh\nexit 1\n"
			}
			pathWith(t, script)
			creds, err := newCredentials(&tt.cfg, http.DefaultClient)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("selected %s, want an error", creds.AuthType())
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error does not contain %q:\n%v", w, err)
					}
				}
				for _, s := range []string{token, secret, azSec} {
					if strings.Contains(err.Error(), s) {
						t.Errorf("error reveals %q:\n%v", s, err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if creds.AuthType() != tt.wantType {
				t.Fatalf("selected %s, want %s", creds.AuthType(), tt.wantType)
			}
		})
	}
}

// TestAuthFromEnvironmentEndToEnd resolves a configuration from the
// environment and calls the workspace with it.
func TestAuthFromEnvironmentEndToEnd(t *testing.T) {
	ws := newAuthWorkspace(t)
	ep := &m2mEndpoint{t: t, clientID: "env-client", clientSecret: "env-secret"}
	ep.install(ws)
	home, _ := cfgHome(t, "[DEFAULT]\ntoken = profile-token\n")
	cfg, err := LoadConfig(Config{}, WithHomeDir(home), cfgEnv(map[string]string{
		"DATABRICKS_HOST":          ws.srv.URL,
		"DATABRICKS_CLIENT_ID":     "env-client",
		"DATABRICKS_CLIENT_SECRET": "env-secret",
	}))
	if err != nil {
		t.Fatal(err)
	}
	c := newAuthClient(t, *cfg)
	if err := listClusters(c); err != nil {
		t.Fatal(err)
	}
	if got := ws.last(t).Get("Authorization"); got != "Bearer m2m-token-1" {
		t.Fatalf("Authorization = %q", got)
	}
}
