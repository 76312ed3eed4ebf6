package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/client/compute"
	"github.com/dbx-mcp/dbx-mcp/emulator"
)

// BenchmarkHTTPLoad is the in-process variant of the HTTP sub-benchmark of
// cmd/dbx-mcp's BenchmarkVersusFloor: 20 streamable HTTP sessions calling
// clusters_list at once through NewHTTPHandler, against the emulator. One
// op is one tool call, on a workspace of 5 clusters as there. It exists to
// be profiled, which the spawned server of the end-to-end benchmark cannot
// be cheaply:
//
//	go test -run '^$' -bench HTTPLoad -benchtime 4000x -cpuprofile /tmp/h.out ./tools/
//
// The profile holds the MCP clients too (mcp-go decoding each result is
// about 40% of it): look at what runs under guard.ServeHTTP. Each session
// has its own connection pool; with http.DefaultTransport's 2 idle
// connections per host, 18 of the 20 sessions would dial for every call.
func BenchmarkHTTPLoad(b *testing.B) {
	emu := httptest.NewServer(emulator.New(emulator.Options{}))
	b.Cleanup(emu.Close)
	c, err := client.New(&client.Config{Host: emu.URL, Token: "t"})
	if err != nil {
		b.Fatal(err)
	}
	for i := range 5 { // the clusters of the end-to-end benchmark's workspace
		args := fmt.Sprintf(`{"cluster_name":"bench-%d","spark_version":"15.4.x-scala2.12","node_type_id":"Standard_DS3_v2","num_workers":1}`, i)
		if _, err := compute.ClustersCreate.Invoke(context.Background(), c, json.RawMessage(args)); err != nil {
			b.Fatal(err)
		}
	}
	reg, err := NewRegistry(func(context.Context) (*client.Client, error) { return c, nil }, Options{})
	if err != nil {
		b.Fatal(err)
	}
	h, err := NewHTTPHandler(NewServer(reg, nil), HTTPOptions{Addr: "127.0.0.1:0"})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	const sessions = 20
	clients := make([]*mcpclient.Client, sessions)
	for i := range clients {
		mc, err := mcpclient.NewStreamableHttpClient(srv.URL+EndpointPath, transport.WithHTTPBasicClient(&http.Client{Transport: &http.Transport{}, Timeout: 30 * time.Second}))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { mc.Close() })
		if err := mc.Start(context.Background()); err != nil {
			b.Fatal(err)
		}
		init := mcp.InitializeRequest{}
		init.Params.ProtocolVersion = "2025-06-18"
		init.Params.ClientInfo = mcp.Implementation{Name: "bench", Version: "1"}
		if _, err := mc.Initialize(context.Background(), init); err != nil {
			b.Fatal(err)
		}
		clients[i] = mc
	}
	var left, errs atomic.Int64
	left.Store(int64(b.N))
	b.ResetTimer()
	var wg sync.WaitGroup
	for _, mc := range clients {
		wg.Go(func() {
			for left.Add(-1) >= 0 {
				req := mcp.CallToolRequest{}
				req.Params.Name = "clusters_list"
				if res, err := mc.CallTool(context.Background(), req); err != nil || res.IsError {
					errs.Add(1)
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	if n := errs.Load(); n > 0 {
		b.Fatalf("%d of %d calls failed", n, b.N)
	}
}
