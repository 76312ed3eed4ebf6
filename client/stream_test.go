package client

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// opener serves data through BodyFrom and counts how often it was opened.
type opener struct {
	data  []byte
	opens atomic.Int32
}

func (o *opener) open() (io.ReadCloser, error) {
	o.opens.Add(1)
	return io.NopCloser(bytes.NewReader(o.data)), nil
}

// A retried streamed body is sent again from its start, whole, with its
// length, by both Do and DoStream.
func TestBodyFromResentOnRetry(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	for _, name := range []string{"Do", "DoStream"} {
		t.Run(name, func(t *testing.T) {
			rec := newRecorder(t, reply(503, `{"error_code":"TEMPORARILY_UNAVAILABLE"}`), reply(200, `{}`))
			c := newTestClient(t, rec.URL, nil)
			src := &opener{data: data}
			r := &Request{Method: "PUT", Path: "/api/2.0/fs/files/Volumes/a/b/c/f", BodyFrom: src.open, BodyLength: int64(len(data)),
				ContentType: "application/octet-stream", Idempotent: true}
			var err error
			if name == "Do" {
				_, err = c.Do(t.Context(), r)
			} else {
				var resp *StreamResponse
				if resp, err = c.DoStream(t.Context(), r); err == nil {
					resp.Body.Close()
				}
			}
			if err != nil {
				t.Fatal(err)
			}
			reqs := rec.requests()
			if len(reqs) != 2 || src.opens.Load() != 2 {
				t.Fatalf("server saw %d requests, body opened %d times; want 2 and 2", len(reqs), src.opens.Load())
			}
			for i, got := range reqs {
				if !bytes.Equal(got.Body, data) {
					t.Errorf("attempt %d sent %d bytes, want the %d of the file", i+1, len(got.Body), len(data))
				}
				if got.Header.Get("Content-Length") != strconv.Itoa(len(data)) || got.Header.Get("Content-Type") != "application/octet-stream" ||
					got.Header.Get("Authorization") != "Bearer "+testToken {
					t.Errorf("attempt %d headers %v", i+1, got.Header)
				}
			}
		})
	}
}

// A body that cannot be opened fails the call without sending anything.
func TestBodyFromOpenFailure(t *testing.T) {
	rec := newRecorder(t, reply(200, `{}`))
	c := newTestClient(t, rec.URL, nil)
	boom := errors.New("disk gone")
	_, err := c.DoStream(t.Context(), &Request{Method: "PUT", Path: "/api/2.0/x", Idempotent: true, BodyLength: 1,
		BodyFrom: func() (io.ReadCloser, error) { return nil, boom }})
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want the open failure", err)
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("server saw %d requests", n)
	}
}

// DoStream hands back the answer's body unread, with its headers; failures
// are the *APIError Do would return, retried as Do retries them.
func TestDoStreamAnswers(t *testing.T) {
	file := bytes.Repeat([]byte{0, 1, 2, 0xff}, 100000)
	serveFile := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(len(file)))
		w.Write(file)
	}
	tests := []struct {
		name     string
		handlers []http.HandlerFunc
		code     string
		status   int
		requests int
	}{
		{name: "ok", handlers: []http.HandlerFunc{serveFile}, requests: 1},
		{name: "retried 503", handlers: []http.HandlerFunc{reply(503, `{}`, "Retry-After", "0"), serveFile}, requests: 2},
		{name: "404", handlers: []http.HandlerFunc{reply(404, `{"error_code":"NOT_FOUND","message":"The file does not exist"}`)}, code: "NOT_FOUND", status: 404, requests: 1},
		{name: "400 not retried", handlers: []http.HandlerFunc{reply(400, `{"error_code":"INVALID_PARAMETER_VALUE","message":"bad"}`), serveFile}, code: "INVALID_PARAMETER_VALUE", status: 400, requests: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, tt.handlers...)
			c := newTestClient(t, rec.URL, nil)
			resp, err := c.DoStream(t.Context(), &Request{Method: "GET", Path: "/api/2.0/fs/files/Volumes/a/b/c/f"})
			if n := len(rec.requests()); n != tt.requests {
				t.Errorf("server saw %d requests, want %d", n, tt.requests)
			}
			if tt.code != "" {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.ErrorCode != tt.code || apiErr.StatusCode != tt.status {
					t.Fatalf("error %v, want %s (%d)", err, tt.code, tt.status)
				}
				if resp != nil {
					t.Errorf("a response with the error: %+v", resp)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, err := io.ReadAll(resp.Body)
			if err != nil || !bytes.Equal(got, file) {
				t.Errorf("read %d bytes (%v), want the %d of the file", len(got), err, len(file))
			}
			if resp.ContentLength != int64(len(file)) || resp.Header.Get("Content-Type") != "application/octet-stream" {
				t.Errorf("length %d, headers %v", resp.ContentLength, resp.Header)
			}
		})
	}
}

// The HTTP timeout bounds the wait for an answer to start, not reading a
// body that keeps coming.
func TestDoStreamTimeouts(t *testing.T) {
	t.Run("no answer", func(t *testing.T) {
		release := make(chan struct{})
		defer close(release)
		rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
		c := newTestClient(t, rec.URL, func(cfg *Config) { cfg.HTTPTimeout = 50 * time.Millisecond })
		_, err := c.DoStream(t.Context(), &Request{Method: "POST", Path: "/api/2.0/x", Body: []byte(`{}`)})
		if err == nil || !strings.Contains(err.Error(), "no answer within the HTTP timeout") {
			t.Errorf("error %v, want the HTTP timeout", err)
		}
		if n := len(rec.requests()); n != 1 {
			t.Errorf("server saw %d requests, want 1 (the POST was sent)", n)
		}
	})
	t.Run("slow body", func(t *testing.T) {
		release := make(chan struct{})
		rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("first,"))
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
				return
			}
			w.Write([]byte("second"))
		})
		c := newTestClient(t, rec.URL, func(cfg *Config) { cfg.HTTPTimeout = 20 * time.Millisecond })
		resp, err := c.DoStream(t.Context(), &Request{Method: "GET", Path: "/api/2.0/x"})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		first := make([]byte, len("first,"))
		if _, err := io.ReadFull(resp.Body, first); err != nil {
			t.Fatal(err)
		}
		// Several timeouts pass before the rest comes; a longer pause only
		// makes the check stricter.
		time.Sleep(200 * time.Millisecond)
		close(release)
		rest, err := io.ReadAll(resp.Body)
		if err != nil || string(first)+string(rest) != "first,second" {
			t.Errorf("read %q then %q (%v)", first, rest, err)
		}
		var ne net.Error
		if errors.As(err, &ne) {
			t.Errorf("timeout while reading the body: %v", err)
		}
	})
}

// A stream follows the same redirect rule: never off the workspace host.
func TestDoStreamRefusesRedirectOffHost(t *testing.T) {
	other := newRecorder(t, reply(200, `stolen`))
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/api/2.0/fs/files/x", http.StatusTemporaryRedirect)
	})
	c := newTestClient(t, rec.URL, nil)
	src := &opener{data: []byte("secret bytes")}
	_, err := c.DoStream(t.Context(), &Request{Method: "PUT", Path: "/api/2.0/fs/files/x", BodyFrom: src.open, BodyLength: 12, Idempotent: true})
	if err == nil || !strings.Contains(err.Error(), "refusing redirect") {
		t.Errorf("error %v, want a refused redirect", err)
	}
	if n := len(other.requests()); n != 0 {
		t.Errorf("the other host saw %d requests", n)
	}
}

// A streamed body whose length was left unset still goes out whole,
// chunked, rather than being dropped as empty.
func TestBodyFromWithoutLength(t *testing.T) {
	rec := newRecorder(t, reply(200, `{}`))
	c := newTestClient(t, rec.URL, nil)
	src := &opener{data: []byte("no length given")}
	if _, err := c.Do(t.Context(), &Request{Method: "PUT", Path: "/api/2.0/x", BodyFrom: src.open, ContentType: "text/plain"}); err != nil {
		t.Fatal(err)
	}
	if got := rec.requests()[0]; string(got.Body) != "no length given" {
		t.Errorf("server got %q", got.Body)
	}
}
