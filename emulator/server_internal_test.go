package emulator

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Start builds the workspace on its first use, a request or Emulator, and
// both reach the same one; a server closed before any use builds none.
func TestStartBuildsTheWorkspaceOnFirstUse(t *testing.T) {
	srv, err := Start(context.Background(), "127.0.0.1:0", Options{Token: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if srv.emu.Load() != nil {
		t.Fatal("the workspace was built before any use")
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/api/2.0/secrets/scopes/create", strings.NewReader(`{"scope":"first"}`))
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || srv.emu.Load() == nil {
		t.Fatalf("first request: status %d, built %v", resp.StatusCode, srv.emu.Load() != nil)
	}
	list := httptest.NewRequest(http.MethodGet, "/api/2.0/secrets/scopes/list", nil)
	list.Header.Set("Authorization", "Bearer tok")
	rec := httptest.NewRecorder()
	srv.Emulator().ServeHTTP(rec, list)
	if !strings.Contains(rec.Body.String(), `"first"`) {
		t.Errorf("Emulator() lists %s, want the scope the request made", rec.Body.String())
	}

	unused, err := Start(context.Background(), "127.0.0.1:0", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := unused.Close(); err != nil || unused.emu.Load() != nil {
		t.Errorf("Close of an unused server: %v, built %v", err, unused.emu.Load() != nil)
	}
}
