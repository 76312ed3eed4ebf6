package client

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkClientOverhead measures what one API call costs on the client
// side, so that changes to routing, encoding, retries or error handling show
// up as a change in ns/op and allocs/op.
//
// Method: an httptest server on loopback answers every request with the same
// small JSON body (about 100 bytes, an int64 id and an unknown member), so
// the network and server work are nearly constant and the numbers are
// dominated by the client: building the request (path escaping, query
// flattening, body encoding), authorization headers, the rate limiter and
// retry bookkeeping, reading the body, and (for Call) decoding it into a
// typed struct that keeps unknown members. The server's own cost is
// included, so compare runs on the same machine rather than reading the
// absolute value.
//
//   - Call: a typed endpoint (GET with a path parameter and a query
//     string) from a request struct to a decoded response struct.
//   - Do: the raw path with a prepared path and query, body returned as bytes.
//
// Run it with:
//
//	go test -run x -bench ClientOverhead -benchmem ./client/
//
// and compare runs with benchstat (e.g. -count 10 before and after a change).
func BenchmarkClientOverhead(b *testing.B) {
	const body = `{"id":9007199254740993,"items":[{"id":1},{"id":2}],"brand_new":{"a":[1,2,3]}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	}))
	defer srv.Close()
	c := newTestClient(b, srv.URL, nil)

	b.Run("Call", func(b *testing.B) {
		req := &routeQuery{ClusterID: "0101-abc", Limit: Ptr(25), Tags: []string{"a", "b"}}
		b.ReportAllocs()
		for b.Loop() {
			resp, err := routeGetEP.Call(b.Context(), c, req)
			if err != nil || resp.ID == nil {
				b.Fatal(resp, err)
			}
		}
	})
	b.Run("Do", func(b *testing.B) {
		r := &Request{Method: "GET", Path: "/api/2.0/test/0101-abc/events", Query: map[string][]string{"limit": {"25"}}}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Do(b.Context(), r); err != nil {
				b.Fatal(err)
			}
		}
	})
}
