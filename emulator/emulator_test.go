package emulator_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	pathpkg "path"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dbx-mcp/dbx-mcp/emulator"
)

func TestAuthRequiresBearerToken(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	for _, tc := range []struct{ name, header string }{
		{"missing", ""},
		{"basic", "Basic dXNlcjpwYXNz"},
		{"empty bearer", "Bearer "},
		{"no scheme", "dapi123"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/api/2.1/clusters/list", nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			resp, err := h.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status = %d, want 401", resp.StatusCode)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			if resp.Header.Get("X-Request-Id") == "" {
				t.Error("no x-request-id on an error response")
			}
		})
	}
	r := h.callAs("", http.MethodGet, "/api/2.1/clusters/list", nil, nil)
	wantError(t, r, http.StatusUnauthorized, "UNAUTHENTICATED",
		"Credential was not sent or was of an unsupported type for this API.")

	// Without Options.Token any non-empty bearer token is accepted.
	h.ok(h.callAs("anything-at-all", http.MethodGet, "/api/2.1/clusters/list", nil, nil))
}

func TestAuthWithConfiguredToken(t *testing.T) {
	h := newHarness(t, emulator.Options{Token: "dapi-the-right-one"})
	h.ok(h.get("/api/2.1/clusters/list", nil))
	r := h.callAs("dapi-the-wrong-one", http.MethodGet, "/api/2.1/clusters/list", nil, nil)
	wantError(t, r, http.StatusForbidden, "PERMISSION_DENIED", "Invalid access token.")
	if got := r.header.Get("X-Databricks-Reason-Phrase"); got != "Invalid access token." {
		t.Errorf("X-Databricks-Reason-Phrase = %q", got)
	}
	// Authentication comes before routing: an unknown path is not revealed.
	r = h.callAs("dapi-the-wrong-one", http.MethodGet, "/api/2.0/no/such/thing", nil, nil)
	wantError(t, r, http.StatusForbidden, "PERMISSION_DENIED", "")
}

func TestRequestIDIsFreshOnEveryResponse(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 5 {
		for _, r := range []response{
			h.get("/api/2.1/clusters/list", nil),
			h.get("/api/2.0/nothing-here", nil),
			h.post("/api/2.1/clusters/get", nil),
		} {
			id := r.header.Get("X-Request-Id")
			if !uuid.MatchString(id) {
				t.Fatalf("x-request-id %q is not a UUID", id)
			}
			if seen[id] {
				t.Fatalf("x-request-id %q repeated", id)
			}
			seen[id] = true
		}
	}
}

func TestUnknownEndpointAndWrongMethod(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	wantError(t, h.get("/api/2.0/no-such-api", nil), http.StatusNotFound, "ENDPOINT_NOT_FOUND",
		"No API found for 'GET /no-such-api'")
	wantError(t, h.post("/api/2.1/clusters/frobnicate", map[string]any{}), http.StatusNotFound,
		"ENDPOINT_NOT_FOUND", "No API found for 'POST /clusters/frobnicate'")
	// Databricks routes by method and path, so a known path with the wrong
	// method is an unknown endpoint too.
	wantError(t, h.get("/api/2.1/clusters/create", nil), http.StatusNotFound, "ENDPOINT_NOT_FOUND",
		"No API found for 'GET /clusters/create'")
	wantError(t, h.call(http.MethodDelete, "/api/2.0/secrets/scopes/list", nil, nil), http.StatusNotFound,
		"ENDPOINT_NOT_FOUND", "No API found for 'DELETE /secrets/scopes/list'")
}

func TestMalformedBody(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	for _, body := range []string{`{`, `[1,2]`, `"text"`, `{"a":1} {"b":2}`, `null`} {
		r := h.post("/api/2.1/clusters/create", body)
		wantError(t, r, http.StatusBadRequest, "MALFORMED_REQUEST", "")
	}
	r := h.post("/api/2.1/clusters/create", `{"spark_version": 17, "num_workers": 1}`)
	wantError(t, r, http.StatusBadRequest, "MALFORMED_REQUEST", "")
	if !strings.Contains(r.str("message"), "spark_version") {
		t.Errorf("message %q does not name the field", r.str("message"))
	}
	// An empty body is an empty request, which then fails validation.
	wantError(t, h.post("/api/2.0/secrets/scopes/create", ""), http.StatusBadRequest,
		"INVALID_PARAMETER_VALUE", "Missing required field: scope")
}

func TestRoutesAreAllServed(t *testing.T) {
	emu := emulator.New(emulator.Options{})
	defer emu.Close()
	routes := emu.Routes()
	want := []emulator.Route{
		{Method: "GET", Path: "/api/2.1/clusters/get"},
		{Method: "GET", Path: "/api/2.0/clusters/get"},
		{Method: "POST", Path: "/api/2.1/clusters/events"},
		{Method: "POST", Path: "/api/2.0/secrets/acls/put"},
		{Method: "GET", Path: "/api/2.0/token/list"},
		{Method: "PATCH", Path: "/api/2.0/token/{token_id}"},
	}
	for _, w := range want {
		found := false
		for _, r := range routes {
			found = found || r == w
		}
		if !found {
			t.Errorf("Routes() lacks %v", w)
		}
	}
	h := newHarness(t, emulator.Options{})
	seen := map[emulator.Route]bool{}
	for _, r := range routes {
		if seen[r] {
			t.Errorf("route %v listed twice", r)
		}
		seen[r] = true
		path := strings.ReplaceAll(r.Path, "{token_id}", "0123abcd")
		if loc := multiSegment.FindStringIndex(path); loc != nil {
			// A raw route (the Files API): a sample path per route, and a
			// HEAD, whose answer has no body to tell an unknown endpoint
			// from a missing file, after a PUT made something there.
			sample := "/Volumes/a/b/c/" + pathpkg.Base(path[:loc[0]])
			path = path[:loc[0]] + sample
			if r.Method == http.MethodHead {
				h.raw(http.MethodPut, path, nil)
				if raw := h.raw(r.Method, path, nil); raw.status != http.StatusOK {
					t.Errorf("route %v: HEAD after PUT answered %d", r, raw.status)
				}
				continue
			}
			if raw := h.raw(r.Method, path, nil); bytes.Contains(raw.body, []byte("ENDPOINT_NOT_FOUND")) {
				t.Errorf("route %v is listed but not served", r)
			}
			continue
		}
		var body any
		if r.Method != http.MethodGet {
			body = map[string]any{}
		}
		resp := h.call(r.Method, path, nil, body)
		if resp.str("error_code") == "ENDPOINT_NOT_FOUND" {
			t.Errorf("route %v is listed but not served", r)
		}
	}
}

// multiSegment is a {name...} path placeholder.
var multiSegment = regexp.MustCompile(`\{[a-z0-9_]+\.\.\.\}`)

func TestStartServesUntilClose(t *testing.T) {
	before := runtime.NumGoroutine()
	srv, err := emulator.Start(context.Background(), "127.0.0.1:0", emulator.Options{Token: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(srv.URL(), "http://127.0.0.1:") || !strings.HasSuffix(srv.URL(), srv.Addr()) {
		t.Fatalf("URL() = %q, Addr() = %q", srv.URL(), srv.Addr())
	}
	if srv.Emulator() == nil {
		t.Fatal("Emulator() is nil")
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/api/2.0/secrets/scopes/list", nil)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := net.DialTimeout("tcp", srv.Addr(), time.Second); err == nil {
		t.Fatal("still listening after Close")
	}
	// The server's goroutines end with Close; give the runtime a moment to
	// reap them before counting.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines after Close, %d before Start", runtime.NumGoroutine(), before)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestStartStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := emulator.Start(ctx, "127.0.0.1:0", emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", srv.Addr(), time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("still listening after the context ended")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestStartReportsListenError(t *testing.T) {
	_, err := emulator.Start(context.Background(), "256.0.0.1:bad", emulator.Options{})
	if err == nil {
		t.Fatal("Start on a bad address succeeded")
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) && !strings.Contains(err.Error(), "256.0.0.1") {
		t.Fatalf("error %v does not wrap the listen failure", err)
	}
}

// TestConcurrentUse exercises the emulator from many goroutines; run with
// -race it checks that state is guarded.
func TestConcurrentUse(t *testing.T) {
	h := newHarness(t, emulator.Options{ClusterStartDelay: -1, ClusterStopDelay: -1})
	h.ok(h.post("/api/2.0/secrets/scopes/create", map[string]any{"scope": "shared"}))
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 5 {
				r := h.post("/api/2.1/clusters/create", map[string]any{
					"cluster_name": "c", "spark_version": "15.4.x-scala2.12", "num_workers": i + j,
				})
				if r.status != http.StatusOK {
					errs <- string(r.raw)
					return
				}
				id := r.str("cluster_id")
				if g := h.get("/api/2.1/clusters/get", url.Values{"cluster_id": {id}}); g.status != http.StatusOK {
					errs <- string(g.raw)
				}
				if d := h.post("/api/2.1/clusters/delete", map[string]any{"cluster_id": id}); d.status != http.StatusOK {
					errs <- string(d.raw)
				}
				h.get("/api/2.1/clusters/list", nil)
				h.post("/api/2.0/secrets/put", map[string]any{"scope": "shared", "key": "k", "string_value": "v"})
				h.post("/api/2.0/token/create", map[string]any{})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	list := h.ok(h.get("/api/2.1/clusters/list", url.Values{"filter_by.cluster_states": {"TERMINATED"}}))
	if n := len(arr(t, list.body["clusters"], "clusters")); n != 40 {
		t.Errorf("%d terminated clusters, want 40", n)
	}
}
