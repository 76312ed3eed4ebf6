package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewRejectsBadConfig(t *testing.T) {
	if _, err := New(nil); err == nil {
		t.Error("New(nil): no error")
	}
	if _, err := New(&Config{Host: "http://example.com", Token: "x"}); err == nil {
		t.Error("plain http to a non-loopback host: no error")
	}
	if _, err := New(&Config{Host: "https://example.com"}); err == nil {
		t.Error("no credentials and no auth method: no error")
	}
}

func TestRequestHeaders(t *testing.T) {
	rec := newRecorder(t, reply(200, `{"ok":true}`))
	c := newTestClient(t, rec.URL, nil)

	if _, err := c.Do(t.Context(), &Request{Method: "GET", Path: "/api/2.0/clusters/list"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(t.Context(), &Request{Method: "post", Path: "/api/2.0/clusters/start", Body: []byte(`{"cluster_id":"1"}`)}); err != nil {
		t.Fatal(err)
	}
	reqs := rec.requests()
	if len(reqs) != 2 {
		t.Fatalf("server saw %d requests, want 2", len(reqs))
	}
	wantUA := regexp.MustCompile(`^dbx-mcp/[^ /]+ go/[^ /]+ os/` + runtime.GOOS + ` auth/pat$`)
	for i, r := range reqs {
		if ua := r.Header.Get("User-Agent"); !wantUA.MatchString(ua) {
			t.Errorf("request %d: User-Agent %q does not match %s", i, ua, wantUA)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer "+testToken {
			t.Errorf("request %d: Authorization %q", i, got)
		}
		if got := r.Header.Get("Accept"); got != "application/json" {
			t.Errorf("request %d: Accept %q", i, got)
		}
	}
	if c.UserAgent() != reqs[0].Header.Get("User-Agent") {
		t.Errorf("UserAgent() %q differs from the header sent %q", c.UserAgent(), reqs[0].Header.Get("User-Agent"))
	}
	get, post := reqs[0], reqs[1]
	if get.Method != "GET" || get.HasBody || get.Header.Get("Content-Type") != "" {
		t.Errorf("GET: method %s, body %q, content type %q; want no body", get.Method, get.Body, get.Header.Get("Content-Type"))
	}
	if post.Method != "POST" || string(post.Body) != `{"cluster_id":"1"}` || post.Header.Get("Content-Type") != "application/json" {
		t.Errorf("POST: method %s, body %q, content type %q", post.Method, post.Body, post.Header.Get("Content-Type"))
	}
	if c.Requests() != 2 {
		t.Errorf("Requests() = %d, want 2", c.Requests())
	}
}

func TestUserAgentTokens(t *testing.T) {
	for in, want := range map[string]string{
		"1.26.8":                        "1.26.8",
		"devel go1.27-abc Tue +0000":    "devel_go1.27-abc_Tue_+0000",
		"":                              "unknown",
		"azure/client secret (preview)": "azure_client_secret__preview_",
	} {
		if got := uaToken(in); got != want {
			t.Errorf("uaToken(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConnectionReuse(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte(`{}`))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := newTestClient(t, srv.URL, nil)
	for i := 0; i < 5; i++ {
		if _, err := c.Do(t.Context(), &Request{Method: "POST", Path: "/api/2.0/x", Body: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("5 sequential requests opened %d connections, want 1", n)
	}
}

func TestDoRejectsBadPaths(t *testing.T) {
	rec := newRecorder(t, reply(200, `{}`))
	c := newTestClient(t, rec.URL, nil)
	for _, p := range []string{"api/2.0/x", "/api/2.0/x?a=1", "/api/2.0/x#f", "/api/2.0/../../login", "/api/2.0/%2e%2e/x", "/api/2.0/%zz"} {
		if _, err := c.Do(t.Context(), &Request{Method: "GET", Path: p}); err == nil {
			t.Errorf("path %q: no error", p)
		}
	}
	if _, err := c.Do(t.Context(), nil); err == nil {
		t.Error("nil request: no error")
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("server saw %d requests, want 0", n)
	}
}

func TestDoKeepsCallerEscaping(t *testing.T) {
	rec := newRecorder(t, reply(200, `{}`))
	c := newTestClient(t, rec.URL, nil)
	q := url.Values{"path": {"/Users/a b/c&d"}}
	if _, err := c.Do(t.Context(), &Request{Method: "GET", Path: "/api/2.0/x/a%2Fb%20c/y", Query: q}); err != nil {
		t.Fatal(err)
	}
	got := rec.requests()[0].RequestURI
	if want := "/api/2.0/x/a%2Fb%20c/y?path=%2FUsers%2Fa+b%2Fc%26d"; got != want {
		t.Errorf("request URI %q, want %q", got, want)
	}
}

func TestCancelledContextSendsNothing(t *testing.T) {
	rec := newRecorder(t, reply(200, `{}`))
	c := newTestClient(t, rec.URL, nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.Do(ctx, &Request{Method: "GET", Path: "/api/2.0/x"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("server saw %d requests, want 0", n)
	}
}

func TestRetryAfterSecondsThenSuccess(t *testing.T) {
	t.Parallel()
	limited := reply(429, `{"error_code":"REQUEST_LIMIT_EXCEEDED","message":"slow down"}`, "Retry-After", "1")
	rec := newRecorder(t, limited, limited, reply(200, `{"ok":1}`))
	c := newTestClient(t, rec.URL, nil)
	start := time.Now()
	body, err := c.Do(t.Context(), &Request{Method: "GET", Path: "/api/2.0/clusters/list"})
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != `{"ok":1}` {
		t.Errorf("body %q", body)
	}
	if n := len(rec.requests()); n != 3 {
		t.Errorf("server saw %d requests, want 3", n)
	}
	// Retry-After is a lower bound: two waits of one second each.
	if el := time.Since(start); el < 2*time.Second {
		t.Errorf("finished after %s, before the two Retry-After waits of 1s", el)
	}
}

func TestRetryResendsBodyIntact(t *testing.T) {
	body := []byte(`{"name":"ünïcode \u2028","big":9007199254740993,"nested":{"a":[1,2,3]}}`)
	unavailable := reply(503, `<html><body>No webapps are available</body></html>`)
	rec := newRecorder(t, unavailable, reply(429, `{}`, "Retry-After", "0"), reply(200, `{}`))
	c := newTestClient(t, rec.URL, nil)
	if _, err := c.Do(t.Context(), &Request{Method: "POST", Path: "/api/2.1/clusters/create", Body: body}); err != nil {
		t.Fatal(err)
	}
	reqs := rec.requests()
	if len(reqs) != 3 {
		t.Fatalf("server saw %d requests, want 3", len(reqs))
	}
	for i, r := range reqs {
		if !bytes.Equal(r.Body, body) {
			t.Errorf("attempt %d sent body %q, want %q", i+1, r.Body, body)
		}
		if r.Method != "POST" || r.Path != "/api/2.1/clusters/create" {
			t.Errorf("attempt %d: %s %s", i+1, r.Method, r.Path)
		}
	}
}

func TestDroppedConnectionAfterPostIsNotRetried(t *testing.T) {
	rec := newRecorder(t, hangUp(t), reply(200, `{"cluster_id":"dup"}`))
	c := newTestClient(t, rec.URL, nil)
	_, err := c.Do(t.Context(), &Request{Method: "POST", Path: "/api/2.1/clusters/create", Body: []byte(`{"cluster_name":"a"}`)})
	if err == nil {
		t.Fatal("no error after the connection was dropped")
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		t.Errorf("a dropped connection became an APIError: %v", err)
	}
	if n := len(rec.requests()); n != 1 {
		t.Errorf("server saw %d requests, want exactly 1 (a POST that may have been applied must not be re-sent)", n)
	}
}

// idemEndpoint is a POST declared safe to repeat.
var idemEndpoint = &Endpoint[routeBody, Empty]{Service: "test", Name: "idem", Method: "POST", Path: "/api/2.0/test/idem", Idempotent: true}

func TestDroppedConnectionIsRetriedWhenSafe(t *testing.T) {
	cases := []struct {
		name string
		call func(c *Client) error
		body string
	}{
		{"declared idempotent endpoint", func(c *Client) error {
			_, err := idemEndpoint.Call(t.Context(), c, &routeBody{Name: "n"})
			return err
		}, `{"name":"n"}`},
		{"idempotency_token in the body", func(c *Client) error {
			_, err := c.Do(t.Context(), &Request{Method: "POST", Path: "/api/2.1/jobs/run-now", Body: []byte(`{"idempotency_token":"tok-1","job_id":1}`)})
			return err
		}, `{"idempotency_token":"tok-1","job_id":1}`},
		{"GET", func(c *Client) error {
			_, err := c.Do(t.Context(), &Request{Method: "GET", Path: "/api/2.0/clusters/list"})
			return err
		}, ``},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, hangUp(t), reply(200, `{}`))
			c := newTestClient(t, rec.URL, nil)
			if err := tc.call(c); err != nil {
				t.Fatalf("call failed: %v", err)
			}
			reqs := rec.requests()
			if len(reqs) != 2 {
				t.Fatalf("server saw %d requests, want 2", len(reqs))
			}
			for i, r := range reqs {
				if string(r.Body) != tc.body {
					t.Errorf("attempt %d body %q, want %q", i+1, r.Body, tc.body)
				}
			}
		})
	}
}

func TestEmptyIdempotencyTokenDoesNotCount(t *testing.T) {
	for body, want := range map[string]bool{
		`{"idempotency_token":"x"}`:               true,
		`{"idempotency_token":""}`:                false,
		`{"a":{"idempotency_token":"x"}}`:         false,
		`{"idempotency_token":5}`:                 false,
		`not json "idempotency_token"`:            false,
		`{"job_id":1}`:                            false,
		`{"job_id":1,"idempotency_token":"uuid"}`: true,
	} {
		if got := hasIdempotencyToken([]byte(body)); got != want {
			t.Errorf("hasIdempotencyToken(%s) = %v, want %v", body, got, want)
		}
	}
}

// closedAddr returns the URL of a loopback port nothing listens on.
func closedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestConnectionRefusedRetriedBounded(t *testing.T) {
	c := newTestClient(t, closedAddr(t), nil)
	_, err := c.Do(t.Context(), &Request{Method: "POST", Path: "/api/2.1/clusters/create", Body: []byte(`{}`)})
	if err == nil {
		t.Fatal("no error from a closed port")
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) || opErr.Op != "dial" {
		t.Errorf("error %v is not a dial failure", err)
	}
	// The POST never reached a server, so it may be retried, but only a few times.
	if got, want := c.Requests(), int64(1+maxTransportRetries); got != want {
		t.Errorf("made %d attempts, want %d", got, want)
	}
}

func TestCancelDuringRetryAfterWait(t *testing.T) {
	rec := newRecorder(t, reply(429, `{"error_code":"TOO_MANY_REQUESTS","message":"wait a minute"}`, "Retry-After", "60"))
	waiting := make(chan struct{}, 1)
	c := newTestClient(t, rec.URL, nil, WithLogger(slog.New(&signalHandler{msg: "retrying databricks request", ch: waiting})))
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-waiting
		cancel()
	}()
	start := time.Now()
	_, err := c.Do(ctx, &Request{Method: "GET", Path: "/api/2.0/clusters/list"})
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("returned %s after the cancel, not at once", el)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v does not wrap context.Canceled", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 {
		t.Errorf("error %v does not carry the last 429", err)
	}
	if n := len(rec.requests()); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

func TestRetryBudget(t *testing.T) {
	rec := newRecorder(t, reply(429, `{"error_code":"REQUEST_LIMIT_EXCEEDED","message":"limit"}`, "Retry-After", "30"))
	c := newTestClient(t, rec.URL, func(cfg *Config) { cfg.RetryTimeout = 100 * time.Millisecond })
	_, err := c.Do(t.Context(), &Request{Method: "GET", Path: "/api/2.0/clusters/list"})
	if !errors.Is(err, ErrRateLimited) {
		t.Errorf("error %v is not ErrRateLimited", err)
	}
	if err == nil || !strings.Contains(err.Error(), "gave up after 1 attempts") {
		t.Errorf("error %v does not say the budget ran out", err)
	}
	if n := len(rec.requests()); n != 1 {
		t.Errorf("server saw %d requests, want 1 (a 30s Retry-After does not fit a 100ms budget)", n)
	}

	// Without Retry-After, backoff repeats the call until the budget is spent.
	rec = newRecorder(t, reply(503, ``))
	c = newTestClient(t, rec.URL, func(cfg *Config) { cfg.RetryTimeout = 150 * time.Millisecond })
	_, err = c.Do(t.Context(), &Request{Method: "GET", Path: "/api/2.0/clusters/list"})
	if !errors.Is(err, ErrUnavailable) {
		t.Errorf("error %v is not ErrUnavailable", err)
	}
	if n := len(rec.requests()); n < 3 {
		t.Errorf("server saw %d requests in a 150ms budget with ≤5ms backoff, want several", n)
	}
}

func TestRetryStopsShortOfTheCallersDeadline(t *testing.T) {
	rec := newRecorder(t, reply(429, `{"error_code":"TOO_MANY_REQUESTS","message":"later"}`, "Retry-After", "30"))
	c := newTestClient(t, rec.URL, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, err := c.Do(ctx, &Request{Method: "GET", Path: "/api/2.0/x"})
	if !errors.Is(err, ErrRateLimited) || !strings.Contains(err.Error(), "past the call's deadline") {
		t.Errorf("error %v, want the 429 at once", err)
	}
	if ctx.Err() != nil {
		t.Error("Do waited for the deadline")
	}
	if n := len(rec.requests()); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

func TestCertificateFailureIsNotRetried(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	srv.Config.ErrorLog = slog.NewLogLogger(slog.DiscardHandler, slog.LevelError)
	srv.StartTLS()
	defer srv.Close()
	c := newTestClient(t, srv.URL, nil)
	_, err := c.Do(t.Context(), &Request{Method: "GET", Path: "/api/2.0/x"})
	if err == nil {
		t.Fatal("an untrusted certificate was accepted")
	}
	if got := c.Requests(); got != 1 {
		t.Errorf("made %d attempts, want 1: a bad certificate stays bad", got)
	}
}

func TestRetryDecisions(t *testing.T) {
	cases := []struct {
		name     string
		method   string
		body     string // request body; "" sends none
		status   int
		resp     string
		attempts int // requests the server sees before the final 200 or error
		ok       bool
	}{
		{"400 invalid parameter is final", "POST", `{}`, 400, `{"error_code":"INVALID_PARAMETER_VALUE","message":"bad"}`, 1, false},
		{"404 is final", "GET", "", 404, `{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"gone"}`, 1, false},
		{"500 is final", "GET", "", 500, `{"error_code":"INTERNAL_ERROR","message":"boom"}`, 1, false},
		{"502 is final", "GET", "", 502, `Bad Gateway`, 1, false},
		{"REQUEST_LIMIT_EXCEEDED with 400 is retried", "POST", `{}`, 400, `{"error_code":"REQUEST_LIMIT_EXCEEDED","message":"limit"}`, 2, true},
		{"worker environment not ready is retried", "POST", `{}`, 400, `{"error_code":"INVALID_STATE","message":"com.databricks.backend.manager.util.UnknownWorkerEnvironmentException: no env"}`, 2, true},
		{"ClusterNotReadyException is retried", "POST", `{}`, 400, `{"message":"ClusterNotReadyException: starting"}`, 2, true},
		{"timeout on a GET is retried", "GET", "", 504, `{"error_code":"DEADLINE_EXCEEDED","message":"Timed out after 60s"}`, 2, true},
		{"timeout on a POST may have applied it", "POST", `{"cluster_name":"x"}`, 504, `{"error_code":"DEADLINE_EXCEEDED","message":"Timed out after 60s"}`, 1, false},
		{"timeout on a POST with an idempotency token", "POST", `{"idempotency_token":"t"}`, 500, `{"message":"deadline exceeded"}`, 2, true},
		{"503 on a POST is retried", "POST", `{"cluster_name":"x"}`, 503, `{"error_code":"TEMPORARILY_UNAVAILABLE","message":"try later"}`, 2, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, reply(tc.status, tc.resp), reply(200, `{}`))
			c := newTestClient(t, rec.URL, nil)
			r := &Request{Method: tc.method, Path: "/api/2.1/jobs/x"}
			if tc.body != "" {
				r.Body = []byte(tc.body)
			}
			_, err := c.Do(t.Context(), r)
			if (err == nil) != tc.ok {
				t.Errorf("error %v, want success=%v", err, tc.ok)
			}
			if !tc.ok {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status {
					t.Errorf("error %v is not the APIError with status %d", err, tc.status)
				}
			}
			if n := len(rec.requests()); n != tc.attempts {
				t.Errorf("server saw %d requests, want %d", n, tc.attempts)
			}
		})
	}
}

func TestRetryAfterHeader(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := map[string]time.Duration{
		"":                                 -1,
		"3":                                3 * time.Second,
		" 0 ":                              0,
		"-4":                               -1,
		"1.5":                              -1,
		"soon":                             -1,
		"Sat, 01 Mar 2025 12:00:07 GMT":    7 * time.Second,
		"Sat, 01 Mar 2025 11:59:00 GMT":    0,
		"Saturday, 01-Mar-25 12:00:02 GMT": 2 * time.Second,
	}
	for v, want := range cases {
		h := http.Header{}
		if v != "" {
			h.Set("Retry-After", v)
		}
		if got := retryAfter(h, now); got != want {
			t.Errorf("Retry-After %q: %s, want %s", v, got, want)
		}
	}
}

func TestRetryAfterDateOnTheWire(t *testing.T) {
	past := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
	rec := newRecorder(t, reply(429, `{}`, "Retry-After", past), reply(200, `{"done":true}`))
	c := newTestClient(t, rec.URL, nil)
	body, err := c.Do(t.Context(), &Request{Method: "GET", Path: "/api/2.0/x"})
	if err != nil || string(body) != `{"done":true}` {
		t.Fatalf("got %q, %v", body, err)
	}
	if n := len(rec.requests()); n != 2 {
		t.Errorf("server saw %d requests, want 2", n)
	}
}

func TestBackoff(t *testing.T) {
	c := &Client{backoffBase: 100 * time.Millisecond, backoffCap: time.Second}
	for attempt := 1; attempt <= 40; attempt++ {
		full := min(c.backoffBase<<min(attempt-1, 16), c.backoffCap)
		for i := 0; i < 20; i++ {
			d := c.backoff(attempt)
			if d < full/2 || d > full {
				t.Fatalf("backoff(%d) = %s, want within [%s, %s]", attempt, d, full/2, full)
			}
		}
	}
	seen := map[time.Duration]bool{}
	for i := 0; i < 50; i++ {
		seen[c.backoff(3)] = true
	}
	if len(seen) < 2 {
		t.Error("backoff has no jitter")
	}
	if d := (&Client{}).backoff(1); d != 0 {
		t.Errorf("zero base: %s", d)
	}
}

func TestRateLimitSpacesRequests(t *testing.T) {
	rec := newRecorder(t, reply(200, `{}`))
	c := newTestClient(t, rec.URL, func(cfg *Config) { cfg.RateLimit = 20 })
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	for i := 0; i < 5; i++ {
		wg.Go(func() {
			_, err := c.Do(t.Context(), &Request{Method: "GET", Path: "/api/2.0/x"})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := len(rec.requests()); n != 5 {
		t.Errorf("server saw %d requests, want 5", n)
	}
	// 5 requests at 20/s need at least 4 intervals of 50ms; allow slack.
	if el := time.Since(start); el < 150*time.Millisecond {
		t.Errorf("5 requests at 20/s took %s, want at least ~200ms", el)
	}
}

func TestRateLimiterSlots(t *testing.T) {
	l := newRateLimiter(4) // 250ms apart
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 4; i++ {
		if got, want := l.reserve(t0), t0.Add(time.Duration(i)*250*time.Millisecond); !got.Equal(want) {
			t.Errorf("slot %d at %s, want %s", i, got.Sub(t0), want.Sub(t0))
		}
	}
	// After an idle spell, the next caller goes at once (burst of one).
	later := t0.Add(10 * time.Second)
	if got := l.reserve(later); !got.Equal(later) {
		t.Errorf("after idling, slot at %s, want now", got.Sub(later))
	}
	if got := l.reserve(later); !got.Equal(later.Add(250 * time.Millisecond)) {
		t.Errorf("second slot after idling at %s", got.Sub(later))
	}
	for _, r := range []float64{0, -1, nan(), inf()} {
		if newRateLimiter(r) != nil {
			t.Errorf("rate %v: want no limiter", r)
		}
	}
	if l := newRateLimiter(1e-12); l == nil || l.interval != maxLimiterInterval {
		t.Errorf("tiny rate: interval %v, want clamped to %s", l, maxLimiterInterval)
	}
	var nilLimiter *rateLimiter
	if err := nilLimiter.wait(t.Context()); err != nil {
		t.Errorf("nil limiter: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	l = newRateLimiter(0.001)
	l.reserve(time.Now())
	cancel()
	if err := l.wait(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait: %v", err)
	}
}

func nan() float64 { z := 0.0; return z / z }
func inf() float64 { z := 0.0; return 1 / z }

// signalHandler is a slog.Handler that signals ch when a record with
// message msg is logged: the client logs its retry line right before it
// starts waiting.
type signalHandler struct {
	msg string
	ch  chan struct{}
}

func (h *signalHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *signalHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *signalHandler) WithGroup(string) slog.Handler            { return h }
func (h *signalHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		select {
		case h.ch <- struct{}{}:
		default:
		}
	}
	return nil
}

// syncBuffer is a bytes.Buffer safe for concurrent log writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestSecretsStayOutOfErrorsAndLogs(t *testing.T) {
	const querySecret = "qs-SECRET-value-42"
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	other := newRecorder(t, reply(200, `{}`))
	var errs []error
	run := func(url string, r *Request, edit func(*Config)) {
		c := newTestClient(t, url, edit, WithLogger(logger))
		_, err := c.Do(t.Context(), r)
		if err == nil {
			t.Fatalf("%s %s: no error", r.Method, r.Path)
		}
		errs = append(errs, err)
	}
	q := url.Values{"secret": {querySecret}, "token": {testToken}}

	// An API error after retries.
	limited := reply(429, `{"error_code":"REQUEST_LIMIT_EXCEEDED","message":"slow"}`)
	rec := newRecorder(t, limited, limited, reply(403, `{"error_code":"PERMISSION_DENIED","message":"no"}`))
	run(rec.URL, &Request{Method: "GET", Path: "/api/2.0/secrets/get", Query: q}, nil)
	// A transport failure, retried and logged.
	run(closedAddr(t), &Request{Method: "GET", Path: "/api/2.0/secrets/get", Query: q}, nil)
	// A redirect off the workspace host, with the secret in the target URL.
	redir := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal?"+q.Encode(), http.StatusTemporaryRedirect)
	})
	run(redir.URL, &Request{Method: "GET", Path: "/api/2.0/secrets/get", Query: q}, nil)
	// A connection dropped after the request was sent.
	rec = newRecorder(t, hangUp(t))
	run(rec.URL, &Request{Method: "POST", Path: "/api/2.0/secrets/put", Query: q, Body: []byte(`{"string_value":"` + querySecret + `"}`)}, nil)

	out := logs.String()
	if !strings.Contains(out, "retrying databricks request") || !strings.Contains(out, "databricks request failed") {
		t.Fatalf("debug log lacks the retry and failure lines the test checks:\n%s", out)
	}
	for _, secret := range []string{testToken, querySecret} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains secret %q:\n%s", secret, out)
		}
		for _, err := range errs {
			if strings.Contains(err.Error(), secret) || strings.Contains(fmt.Sprintf("%+v", err), secret) {
				t.Errorf("error contains secret %q: %v", secret, err)
			}
		}
	}
	if n := len(other.requests()); n != 0 {
		t.Errorf("the redirect target saw %d requests", n)
	}
}

func TestRedirects(t *testing.T) {
	t.Run("another host is refused", func(t *testing.T) {
		other := newRecorder(t, reply(200, `{"stolen":true}`))
		rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/api/2.0/clusters/list", http.StatusTemporaryRedirect)
		})
		c := newTestClient(t, rec.URL, nil)
		_, err := c.Do(t.Context(), &Request{Method: "GET", Path: "/api/2.0/clusters/list"})
		if err == nil || !strings.Contains(err.Error(), "refusing redirect") {
			t.Errorf("error %v, want a refused redirect", err)
		}
		if n := len(other.requests()); n != 0 {
			t.Errorf("the other host saw %d requests (Authorization %q)", n, other.requests()[0].Header.Get("Authorization"))
		}
		if n := len(rec.requests()); n != 1 {
			t.Errorf("workspace saw %d requests, want 1: a refused redirect is not retried", n)
		}
	})
	t.Run("same host is followed with auth", func(t *testing.T) {
		rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/2.0/old" {
				http.Redirect(w, r, "/api/2.0/new", http.StatusPermanentRedirect)
				return
			}
			w.Write([]byte(`{"moved":true}`))
		})
		c := newTestClient(t, rec.URL, nil)
		body, err := c.Do(t.Context(), &Request{Method: "POST", Path: "/api/2.0/old", Body: []byte(`{"a":1}`)})
		if err != nil || string(body) != `{"moved":true}` {
			t.Fatalf("got %q, %v", body, err)
		}
		reqs := rec.requests()
		if len(reqs) != 2 {
			t.Fatalf("server saw %d requests, want 2", len(reqs))
		}
		if r := reqs[1]; r.Path != "/api/2.0/new" || string(r.Body) != `{"a":1}` || r.Header.Get("Authorization") != "Bearer "+testToken {
			t.Errorf("redirected request: %s %s body %q auth %q", r.Method, r.Path, r.Body, r.Header.Get("Authorization"))
		}
	})
	t.Run("CheckRedirect", func(t *testing.T) {
		check := sameHostRedirects(&url.URL{Scheme: "https", Host: "adb-1.azuredatabricks.net"})
		mk := func(s string) *http.Request {
			u, _ := url.Parse(s)
			return &http.Request{URL: u}
		}
		if err := check(mk("https://ADB-1.azuredatabricks.net/x"), nil); err != nil {
			t.Errorf("same host, other case: %v", err)
		}
		for _, s := range []string{"https://evil.example/x", "http://adb-1.azuredatabricks.net/x", "https://adb-1.azuredatabricks.net:8443/x", "https://adb-1.azuredatabricks.net.evil.example/x"} {
			if err := check(mk(s), nil); err == nil {
				t.Errorf("%s: followed", s)
			}
		}
		if err := check(mk("https://adb-1.azuredatabricks.net/x"), make([]*http.Request, 10)); err == nil {
			t.Error("11th redirect followed")
		}
	})
}

func TestPrivateLinkRedirect(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login.html" {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(`<html><body>Sign in</body></html>`))
			return
		}
		http.Redirect(w, r, "/login.html?error=private-link-validation-error", http.StatusFound)
	})
	c := newTestClient(t, rec.URL, nil)
	_, err := c.Do(t.Context(), &Request{Method: "GET", Path: "/api/2.0/clusters/list"})
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v is not an APIError", err)
	}
	if apiErr.ErrorCode != "PRIVATE_LINK_VALIDATION_ERROR" || apiErr.StatusCode != 403 || !errors.Is(err, ErrPermissionDenied) {
		t.Errorf("got %+v", apiErr)
	}
	if apiErr.Path != "/api/2.0/clusters/list" {
		t.Errorf("error names path %q, want the call's path", apiErr.Path)
	}
}

func TestHTTPTimeoutPerAttempt(t *testing.T) {
	release := make(chan struct{})
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c := newTestClient(t, rec.URL, func(cfg *Config) { cfg.HTTPTimeout = 50 * time.Millisecond })
	_, err := c.Do(t.Context(), &Request{Method: "POST", Path: "/api/2.0/x", Body: []byte(`{}`)})
	if err == nil {
		t.Fatal("no error from a server that never answers")
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("error %v is not a timeout", err)
	}
	if n := len(rec.requests()); n != 1 {
		t.Errorf("server saw %d requests, want 1 (the POST was sent)", n)
	}
}
