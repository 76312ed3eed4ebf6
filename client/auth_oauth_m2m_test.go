package client

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestOAuthM2MTokenEndpointDiscovery checks where the client secret goes:
// to the token endpoint the workspace advertises when it is on the
// workspace host, and to <host>/oidc/v1/token when the workspace advertises
// nothing usable or another host.
func TestOAuthM2MTokenEndpointDiscovery(t *testing.T) {
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("a request reached the other host: %s %s", r.Method, r.URL.Path)
		http.Error(w, "no", http.StatusTeapot)
	}))
	defer elsewhere.Close()

	cases := []struct {
		name      string
		discovery func(host string) (int, string)
		wantToken string
	}{
		{"advertised on the workspace", func(host string) (int, string) {
			return 200, fmt.Sprintf(`{"issuer":"%s/oidc","token_endpoint":"%s/oidc/v2/custom-token"}`, host, host)
		}, "/oidc/v2/custom-token"},
		{"no metadata", func(string) (int, string) { return 404, `{"error_code":"ENDPOINT_NOT_FOUND"}` }, "/oidc/v1/token"},
		{"metadata without endpoint", func(string) (int, string) { return 200, `{}` }, "/oidc/v1/token"},
		{"endpoint on another host", func(string) (int, string) {
			return 200, fmt.Sprintf(`{"token_endpoint":"%s/oidc/v1/token"}`, elsewhere.URL)
		}, "/oidc/v1/token"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var mu sync.Mutex
			var tokenPaths []string
			var ws *httptest.Server
			ws = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case r.URL.Path == "/oidc/.well-known/oauth-authorization-server":
					if r.Header.Get("Authorization") != "" {
						t.Errorf("discovery request carried credentials")
					}
					status, body := c.discovery(ws.URL)
					w.WriteHeader(status)
					io.WriteString(w, body)
				case strings.HasPrefix(r.URL.Path, "/oidc/"):
					if id, secret, ok := r.BasicAuth(); !ok || id != "cid" || secret != "csecret" {
						t.Errorf("token request without the client credentials")
					}
					mu.Lock()
					tokenPaths = append(tokenPaths, r.URL.Path)
					mu.Unlock()
					io.WriteString(w, `{"access_token":"tok","token_type":"Bearer","expires_in":3600}`)
				default:
					if got := r.Header.Get("Authorization"); got != "Bearer tok" {
						t.Errorf("API request Authorization = %q", got)
					}
					io.WriteString(w, `{}`)
				}
			}))
			defer ws.Close()
			cl, err := New(&Config{Host: ws.URL, ClientID: "cid", ClientSecret: "csecret"})
			if err != nil {
				t.Fatal(err)
			}
			for range 2 {
				if _, err := cl.Do(context.Background(), &Request{Method: "GET", Path: "/api/2.1/clusters/list"}); err != nil {
					t.Fatal(err)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if len(tokenPaths) != 1 || tokenPaths[0] != c.wantToken {
				t.Errorf("token requests went to %v, want one to %s", tokenPaths, c.wantToken)
			}
		})
	}
}
