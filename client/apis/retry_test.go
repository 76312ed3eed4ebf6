package apis_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// TestRetryFollowsIdempotent checks the one rule behind both the retry of a
// call that may already have been applied and the tools' idempotentHint:
// every declared POST whose connection drops after the request was sent is
// sent again exactly when the declaration says repeating it is harmless.
func TestRetryFollowsIdempotent(t *testing.T) {
	var attempts atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if attempts.Add(1) == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c, err := client.New(&client.Config{Host: srv.URL, Token: "dapi-test", RetryTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, op := range client.Operations() {
		info := op.Info()
		if info.Method != http.MethodPost {
			continue
		}
		attempts.Store(0)
		args := map[string]any{}
		for name, loc := range info.Params() {
			if loc == client.InPath {
				args[name] = "x"
			}
		}
		raw, _ := json.Marshal(args)
		_, err := op.Invoke(context.Background(), c, raw)
		want := int64(1)
		if info.Idempotent {
			want = 2
		}
		if got := attempts.Load(); got != want {
			t.Errorf("%s (idempotent %v): %d attempts after a dropped connection, want %d (err %v)", info.FullName(), info.Idempotent, got, want, err)
		}
		checked++
	}
	if checked < 10 {
		t.Errorf("only %d POST operations checked", checked)
	}
}
