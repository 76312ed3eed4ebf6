package files

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// seen is one request as a stub workspace received it.
type seen struct {
	method, path, query string
	header              http.Header
	body                []byte
}

// stubWorkspace answers the n-th request with answers[n] (the last one
// repeats) and records every request.
func stubWorkspace(t *testing.T, answers ...http.HandlerFunc) (*client.Client, func() []seen) {
	t.Helper()
	var mu sync.Mutex
	var got []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("reading the request body: %v", err)
		}
		mu.Lock()
		n := len(got)
		got = append(got, seen{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Clone(), body})
		mu.Unlock()
		answers[min(n, len(answers)-1)](w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(&client.Config{Host: srv.URL, Token: "dapi-stub-test"})
	if err != nil {
		t.Fatal(err)
	}
	return c, func() []seen { mu.Lock(); defer mu.Unlock(); return append([]seen(nil), got...) }
}

func status(code int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

// UploadFrom puts exactly the file's bytes on the wire, raw, at the path
// escaped segment by segment, and a 5xx makes it send the whole file again
// from its start.
func TestUploadFromOnTheWire(t *testing.T) {
	file := make([]byte, 3<<20)
	for i := range file {
		file[i] = byte(i * 7)
	}
	tests := []struct {
		name      string
		overwrite bool
		answers   []http.HandlerFunc
		want      int
	}{
		{name: "one attempt", overwrite: false, answers: []http.HandlerFunc{status(204, "")}, want: 1},
		{name: "5xx retried", overwrite: true, answers: []http.HandlerFunc{status(503, `{"error_code":"TEMPORARILY_UNAVAILABLE","message":"busy"}`), status(204, "")}, want: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, requests := stubWorkspace(t, tt.answers...)
			opens := 0
			open := func() (io.ReadCloser, error) { opens++; return io.NopCloser(bytes.NewReader(file)), nil }
			if err := UploadFrom(t.Context(), c, "/Volumes/main/default/landing/raw data/a#1.bin", open, int64(len(file)), tt.overwrite); err != nil {
				t.Fatal(err)
			}
			got := requests()
			if len(got) != tt.want || opens != tt.want {
				t.Fatalf("%d requests, file opened %d times; want %d", len(got), opens, tt.want)
			}
			for i, r := range got {
				if r.method != "PUT" || r.path != "/api/2.0/fs/files/Volumes/main/default/landing/raw%20data/a%231.bin" ||
					r.query != "overwrite="+strconv.FormatBool(tt.overwrite) {
					t.Errorf("attempt %d: %s %s?%s", i+1, r.method, r.path, r.query)
				}
				if !bytes.Equal(r.body, file) {
					t.Errorf("attempt %d sent %d bytes, not the file's %d", i+1, len(r.body), len(file))
				}
				if r.header.Get("Content-Type") != "application/octet-stream" || r.header.Get("Content-Length") != strconv.Itoa(len(file)) {
					t.Errorf("attempt %d: Content-Type %q, Content-Length %q", i+1, r.header.Get("Content-Type"), r.header.Get("Content-Length"))
				}
			}
		})
	}
}

// Paths that could leave the declared route are refused before sending.
func TestUploadFromRefusesPaths(t *testing.T) {
	c, requests := stubWorkspace(t, status(204, ""))
	open := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(nil)), nil }
	for _, p := range []string{"Volumes/a/b/c/f", "/Volumes/a/b/../../x", "/Volumes/a//b", ""} {
		if err := UploadFrom(t.Context(), c, p, open, 0, true); err == nil {
			t.Errorf("%q: no error", p)
		}
	}
	if err := UploadFrom(t.Context(), c, "/Volumes/a/b/c/f", open, MaxUploadBytes+1, true); err == nil {
		t.Error("a file over 5 GiB: no error")
	}
	if n := len(requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// DownloadTo asks for the whole file (no Range) and copies the answer; a
// Databricks error arrives as an *APIError with nothing written.
func TestDownloadToOnTheWire(t *testing.T) {
	file := bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef, 0}, 1<<20)
	serve := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Last-Modified", "Tue, 01 Dec 2026 10:00:00 GMT")
		w.Write(file)
	}
	c, requests := stubWorkspace(t, serve)
	var buf bytes.Buffer
	info, err := DownloadTo(t.Context(), c, "/Volumes/main/default/v/dir one/f.bin", &buf)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), file) || info.Bytes != int64(len(file)) ||
		info.ContentType != "application/octet-stream" || info.LastModified != "Tue, 01 Dec 2026 10:00:00 GMT" {
		t.Errorf("wrote %d bytes, info %+v", buf.Len(), info)
	}
	r := requests()[0]
	if r.method != "GET" || r.path != "/api/2.0/fs/files/Volumes/main/default/v/dir%20one/f.bin" || r.header.Get("Range") != "" {
		t.Errorf("sent %s %s Range %q", r.method, r.path, r.header.Get("Range"))
	}

	c, _ = stubWorkspace(t, status(404, `{"error_code":"NOT_FOUND","message":"The file being accessed is not found."}`))
	buf.Reset()
	_, err = DownloadTo(t.Context(), c, "/Volumes/main/default/v/missing", &buf)
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode != "NOT_FOUND" || apiErr.StatusCode != 404 || !errors.Is(err, client.ErrNotFound) {
		t.Errorf("error %v, want NOT_FOUND (404)", err)
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes for a missing file", buf.Len())
	}
}

// An empty file is an empty body of the file's type, with a zero length.
func TestUploadFromEmptyFile(t *testing.T) {
	c, requests := stubWorkspace(t, status(204, ""))
	open := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(nil)), nil }
	if err := UploadFrom(t.Context(), c, "/Volumes/a/b/c/empty", open, 0, true); err != nil {
		t.Fatal(err)
	}
	r := requests()[0]
	if len(r.body) != 0 || r.header.Get("Content-Type") != "application/octet-stream" || r.header.Get("Content-Length") != "0" {
		t.Errorf("sent %d bytes as %q, Content-Length %q", len(r.body), r.header.Get("Content-Type"), r.header.Get("Content-Length"))
	}
}
