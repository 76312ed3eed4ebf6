// Package clienttest gives the API area packages' tests a stub workspace
// that records what a typed call put on the wire.
package clienttest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// Server is a stub workspace that records the last request and answers
// every request with one JSON body.
type Server struct {
	*httptest.Server
	Method, Path string
	Query        url.Values
	Header       http.Header
	Body         []byte
}

// Stub starts a Server answering respond, and a client for it; both end
// with the test.
func Stub(t testing.TB, respond string) (*Server, *client.Client) {
	t.Helper()
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Method, s.Path, s.Query, s.Header = r.Method, r.URL.EscapedPath(), r.URL.Query(), r.Header.Clone()
		s.Body, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, respond)
	}))
	t.Cleanup(s.Close)
	c, err := client.New(&client.Config{Host: s.URL, Token: "dapi-stub-test"})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}
