package emulator_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dbx-mcp/dbx-mcp/emulator"
)

// fakeClock is a settable clock so tests move time instead of sleeping.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// harness is an emulator behind a real HTTP server plus a plain net/http
// client that speaks to it as any Databricks client would.
type harness struct {
	t     *testing.T
	srv   *httptest.Server
	clock *fakeClock
	token string
}

func newHarness(t *testing.T, opts emulator.Options) *harness {
	t.Helper()
	clock := newClock()
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	emu := emulator.New(opts)
	srv := httptest.NewServer(emu)
	t.Cleanup(func() {
		srv.Close()
		emu.Close()
	})
	token := opts.Token
	if token == "" {
		token = "dapi-test-token"
	}
	return &harness{t: t, srv: srv, clock: clock, token: token}
}

// response is a decoded reply. Numbers stay json.Number so int64 values are
// checked exactly.
type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func (r response) str(key string) string {
	s, _ := r.body[key].(string)
	return s
}

// call sends one request with the harness token. For GET, query holds the
// parameters; otherwise body is marshalled as JSON (a string or []byte is
// sent verbatim).
func (h *harness) call(method, path string, query url.Values, body any) response {
	h.t.Helper()
	return h.callAs(h.token, method, path, query, body)
}

func (h *harness) callAs(token, method, path string, query url.Values, body any) response {
	h.t.Helper()
	u := h.srv.URL + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			h.t.Fatalf("marshal request: %v", err)
		}
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		h.t.Fatalf("new request: %v", err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatalf("read body: %v", err)
	}
	out := response{status: resp.StatusCode, header: resp.Header, raw: raw}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&out.body); err != nil {
		h.t.Fatalf("%s %s: response is not a JSON object: %v: %s", method, path, err, raw)
	}
	return out
}

func (h *harness) get(path string, query url.Values) response {
	h.t.Helper()
	return h.call(http.MethodGet, path, query, nil)
}

func (h *harness) post(path string, body any) response {
	h.t.Helper()
	return h.call(http.MethodPost, path, nil, body)
}

// ok fails the test unless the call succeeded.
func (h *harness) ok(r response) response {
	h.t.Helper()
	if r.status != http.StatusOK {
		h.t.Fatalf("status %d, want 200: %s", r.status, r.raw)
	}
	return r
}

// wantError checks an error reply: status, error_code, and (when msg is not
// empty) the exact message.
func wantError(t *testing.T, r response, status int, code, msg string) {
	t.Helper()
	if r.status != status {
		t.Errorf("status = %d, want %d (body %s)", r.status, status, r.raw)
	}
	if got := r.str("error_code"); got != code {
		t.Errorf("error_code = %q, want %q (body %s)", got, code, r.raw)
	}
	if msg != "" && r.str("message") != msg {
		t.Errorf("message = %q, want %q", r.str("message"), msg)
	}
	if len(r.body) != 2 {
		t.Errorf("error body has members %v, want only error_code and message", keys(r.body))
	}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func obj(t *testing.T, v any, what string) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s = %#v, want an object", what, v)
	}
	return m
}

func arr(t *testing.T, v any, what string) []any {
	t.Helper()
	if v == nil {
		return nil
	}
	a, ok := v.([]any)
	if !ok {
		t.Fatalf("%s = %#v, want an array", what, v)
	}
	return a
}

func num(t *testing.T, v any, what string) int64 {
	t.Helper()
	n, ok := v.(json.Number)
	if !ok {
		t.Fatalf("%s = %#v, want a number", what, v)
	}
	i, err := n.Int64()
	if err != nil {
		t.Fatalf("%s = %s, want an integer: %v", what, n, err)
	}
	return i
}
