package client

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// testToken is the bearer token test clients send; tests assert it never
// shows up in errors or logs.
const testToken = "dapi-TEST-SECRET-0123456789abcdef"

// staticCreds authorizes with a fixed bearer token.
type staticCreds struct{ token string }

func (staticCreds) AuthType() string { return "pat" }

func (s staticCreds) Authorize(_ context.Context, req *http.Request) error {
	req.Header.Set("Authorization", "Bearer "+s.token)
	return nil
}

// newTestClient builds a client for url with a fixed token, short retry
// waits and a discarded log, adjusted by edit before construction.
func newTestClient(t testing.TB, url string, edit func(*Config), opts ...Option) *Client {
	t.Helper()
	cfg := &Config{Host: url, Token: "x"}
	if edit != nil {
		edit(cfg)
	}
	opts = append([]Option{WithCredentials(staticCreds{token: testToken}), WithLogger(slog.New(slog.DiscardHandler))}, opts...)
	c, err := New(cfg, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	c.backoffBase = time.Millisecond
	c.backoffCap = 5 * time.Millisecond
	t.Cleanup(c.hc.CloseIdleConnections)
	return c
}

// recorded is one request as the test server saw it.
type recorded struct {
	Method     string
	RequestURI string
	Path       string
	RawQuery   string
	Header     http.Header
	Body       []byte
	HasBody    bool
}

// recorder is an httptest server that records every request and answers
// with the handler of the attempt's number (the last one repeats).
type recorder struct {
	*httptest.Server
	mu       sync.Mutex
	reqs     []recorded
	handlers []http.HandlerFunc
}

func newRecorder(t testing.TB, handlers ...http.HandlerFunc) *recorder {
	t.Helper()
	rec := &recorder{handlers: handlers}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("reading request body: %v", err)
		}
		rec.mu.Lock()
		n := len(rec.reqs)
		rec.reqs = append(rec.reqs, recorded{
			Method: r.Method, RequestURI: r.RequestURI, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
			Header: r.Header.Clone(), Body: body, HasBody: r.ContentLength != 0 || len(body) > 0,
		})
		h := rec.handlers[min(n, len(rec.handlers)-1)]
		rec.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(rec.Close)
	return rec
}

func (r *recorder) requests() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

// reply answers with status, a JSON content type and body.
func reply(status int, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// hangUp reads the request and then drops the connection without an
// answer, as a crashing proxy would after forwarding the request.
func hangUp(t testing.TB) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		hj, ok := w.(http.Hijacker)
		if !ok {
			t.Error("response writer cannot hijack")
			return
		}
		conn, _, err := hj.Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		conn.Close()
	}
}
