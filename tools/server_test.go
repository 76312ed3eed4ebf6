package tools

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const initBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`

func post(t *testing.T, h http.Handler, host string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "http://"+host+EndpointPath, strings.NewReader(initBody))
	req.Host = host
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestHTTPGuard(t *testing.T) {
	reg, err := NewRegistry(nil, Options{Toolsets: []string{"tokens"}})
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer(reg, nil)
	local, err := NewHTTPHandler(s, HTTPOptions{Addr: "127.0.0.1:8787", AllowedOrigins: []string{"https://app.example"}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		host string
		hdr  map[string]string
		want int
	}{
		{"plain local client", "127.0.0.1:8787", nil, 200},
		{"localhost name", "localhost:8787", nil, 200},
		{"own origin", "127.0.0.1:8787", map[string]string{"Origin": "http://127.0.0.1:8787"}, 200},
		{"another local page", "127.0.0.1:8787", map[string]string{"Origin": "http://localhost:6274"}, 403},
		{"own port, other scheme host", "127.0.0.1:8787", map[string]string{"Origin": "http://evil.example:8787"}, 403},
		{"listed origin", "127.0.0.1:8787", map[string]string{"Origin": "https://app.example"}, 200},
		{"foreign origin", "127.0.0.1:8787", map[string]string{"Origin": "http://evil.example"}, 403},
		{"null origin", "127.0.0.1:8787", map[string]string{"Origin": "null"}, 403},
		{"rebound host", "evil.example:8787", nil, 403},
	}
	for _, c := range cases {
		resp := post(t, local, c.host, c.hdr)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != c.want {
			t.Errorf("%s: status %d, want %d (%s)", c.name, resp.StatusCode, c.want, body)
		}
	}
	if resp := post(t, local, "127.0.0.1:8787", nil); resp.StatusCode == 200 {
		body, _ := io.ReadAll(resp.Body)
		if !strings.Contains(string(body), `"serverInfo"`) {
			t.Errorf("initialize answer lacks serverInfo: %s", body)
		}
	}
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8787/other", nil)
	rec := httptest.NewRecorder()
	local.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotFound {
		t.Errorf("path outside /mcp: status %d, want 404", rec.Code)
	}
}

func TestHTTPAllowedHosts(t *testing.T) {
	reg, _ := NewRegistry(nil, Options{Toolsets: []string{"tokens"}})
	h, err := NewHTTPHandler(NewServer(reg, nil), HTTPOptions{Addr: "127.0.0.1:8787", AllowedHosts: []string{"mcp.example.test"}})
	if err != nil {
		t.Fatal(err)
	}
	if resp := post(t, h, "mcp.example.test", nil); resp.StatusCode != 200 {
		t.Errorf("listed host: status %d, want 200", resp.StatusCode)
	}
	if resp := post(t, h, "other.example.test", nil); resp.StatusCode != 403 {
		t.Errorf("unlisted host: status %d, want 403", resp.StatusCode)
	}
}

// TestHTTPSessions checks that only sessions the server issued and has
// not ended are served.
func TestHTTPSessions(t *testing.T) {
	reg, _ := NewRegistry(nil, Options{Toolsets: []string{"tokens"}})
	h, err := NewHTTPHandler(NewServer(reg, nil), HTTPOptions{Addr: "127.0.0.1:8787"})
	if err != nil {
		t.Fatal(err)
	}
	resp := post(t, h, "127.0.0.1:8787", nil)
	id := resp.Header.Get("Mcp-Session-Id")
	if id == "" {
		t.Fatal("initialize issued no session id")
	}
	ping := func(session string) int {
		req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8787"+EndpointPath, strings.NewReader(`{"jsonrpc":"2.0","id":2,"method":"ping"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Mcp-Session-Id", session)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	if code := ping(id); code != 200 {
		t.Fatalf("ping in the issued session: %d", code)
	}
	if code := ping("mcp-session-00000000-0000-4000-8000-000000000000"); code != 404 {
		t.Errorf("ping in a session never issued: %d, want 404", code)
	}
	del := httptest.NewRequest(http.MethodDelete, "http://127.0.0.1:8787"+EndpointPath, nil)
	del.Header.Set("Mcp-Session-Id", id)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, del)
	if rec.Code != 200 {
		t.Fatalf("DELETE: %d", rec.Code)
	}
	if code := ping(id); code != 404 {
		t.Errorf("ping in an ended session: %d, want 404", code)
	}
}

func TestHTTPBearerToken(t *testing.T) {
	reg, _ := NewRegistry(nil, Options{Toolsets: []string{"tokens"}})
	s := NewServer(reg, nil)
	if _, err := NewHTTPHandler(s, HTTPOptions{Addr: "0.0.0.0:8787"}); err == nil || !strings.Contains(err.Error(), "bearer token") {
		t.Fatalf("non-loopback bind without a token: err = %v, want a refusal naming the bearer token", err)
	}
	h, err := NewHTTPHandler(s, HTTPOptions{Addr: "0.0.0.0:8787", BearerToken: "s3cret-token"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		auth string
		want int
	}{
		{"", 401},
		{"Bearer wrong", 401},
		{"Basic s3cret-token", 401},
		{"Bearer s3cret-token", 200},
	} {
		hdr := map[string]string{}
		if c.auth != "" {
			hdr["Authorization"] = c.auth
		}
		resp := post(t, h, "mcp.internal.example:8787", hdr)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != c.want {
			t.Errorf("Authorization %q: status %d, want %d", c.auth, resp.StatusCode, c.want)
		}
		if strings.Contains(string(body), "s3cret-token") {
			t.Errorf("response echoes the token")
		}
	}
}
