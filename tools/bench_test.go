package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"testing"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/client/compute"
	"github.com/dbx-mcp/dbx-mcp/internal/fixtures"
)

// BenchmarkCallOverhead measures what the MCP layer adds to one API call:
// the same clusters/get against the same stub, made at four levels.
//
// Method: an httptest server on loopback answers every request with the
// body of the real Databricks response in
// internal/fixtures/testdata/databricks-payloads/clusters/get.response.1.json (about
// 1 KB, an int64 above 2^53 included), so network and server costs are
// the same at every level. The levels, run in this order:
//   - Direct/Call: compute.ClustersGet.Call, request struct in, decoded
//     ClusterDetails out (the Go SDK path; it decodes, the tools do not).
//   - Direct/Invoke: compute.ClustersGet.Invoke with the arguments as raw
//     JSON, body returned as bytes. This is what a tool does underneath,
//     and the baseline of the added-* metrics.
//   - ToolHandler: the clusters_get tool's handler with a CallToolRequest:
//     argument validation against the input schema, routing, the call, and
//     the result (compact text plus structuredContent).
//   - HandleMessage: a JSON-RPC tools/call message through
//     server.MCPServer.HandleMessage of tools.NewServer (method dispatch,
//     request decoding, logging wrapper, panic recovery), and the answer
//     encoded as the stdio transport writes it (AppendMessage).
//   - PrepareCall: the same message through PrepareCall and Run, the path
//     stdio and the HTTP guard take for a plain call, and AppendMessage.
//   - InProcessClient: mcp-go's in-process client CallTool, which adds the
//     client side (request encoding, result decoding) to HandleMessage.
//
// The tool levels report added-ns/op and added-allocs/op: their ns/op and
// allocations per op minus those of Direct/Invoke measured just before in
// the same run (only when the whole benchmark runs, so that the baseline
// exists). The target is under 200 µs added for HandleMessage. Run it with:
//
//	go test -run x -bench CallOverhead -benchmem -count 5 ./tools/
//
// and compare runs with benchstat (old.txt new.txt); the added-* columns
// are part of its output.
func BenchmarkCallOverhead(b *testing.B) {
	body := clusterGetResponse(b)
	var id struct {
		ClusterID string `json:"cluster_id"`
	}
	if err := json.Unmarshal(body, &id); err != nil || id.ClusterID == "" {
		b.Fatalf("fixture has no cluster_id: %v", err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	defer srv.Close()
	quiet := slog.New(slog.DiscardHandler)
	c, err := client.New(&client.Config{Host: srv.URL, Token: "dapi-bench"}, client.WithLogger(quiet))
	if err != nil {
		b.Fatal(err)
	}
	reg, err := NewRegistry(func(context.Context) (*client.Client, error) { return c, nil }, Options{Toolsets: []string{AllToolsets}})
	if err != nil {
		b.Fatal(err)
	}
	tool, ok := reg.Lookup("clusters_get")
	if !ok {
		b.Fatal("no clusters_get tool")
	}
	s := NewServer(reg, quiet)
	args := json.RawMessage(fmt.Sprintf(`{"cluster_id":%q}`, id.ClusterID))
	ctx := context.Background()

	var base *overhead
	level := func(name string, isBase bool, call func() error) {
		b.Run(name, func(b *testing.B) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				if err := call(); err != nil {
					b.Fatal(err)
				}
			}
			runtime.ReadMemStats(&after)
			o := &overhead{
				ns:     float64(b.Elapsed().Nanoseconds()) / float64(b.N),
				allocs: float64(after.Mallocs-before.Mallocs) / float64(b.N),
			}
			switch {
			case isBase:
				base = o
			case base != nil:
				b.ReportMetric(o.ns-base.ns, "added-ns/op")
				b.ReportMetric(o.allocs-base.allocs, "added-allocs/op")
			}
		})
	}

	level("Direct/Call", false, func() error {
		info, err := compute.ClustersGet.Call(ctx, c, &compute.GetClusterRequest{ClusterID: id.ClusterID})
		if err == nil && (info.ClusterID == nil || *info.ClusterID != id.ClusterID) {
			err = fmt.Errorf("cluster_id %v", info.ClusterID)
		}
		return err
	})
	level("Direct/Invoke", true, func() error {
		raw, err := compute.ClustersGet.Invoke(ctx, c, args)
		if err == nil && len(raw) != len(body) {
			err = fmt.Errorf("body of %d bytes, want %d", len(raw), len(body))
		}
		return err
	})
	level("ToolHandler", false, func() error {
		req := mcp.CallToolRequest{}
		req.Params.Name = "clusters_get"
		req.Params.RawArguments = args
		res, err := tool.Handler(ctx, req)
		if err == nil && (res.IsError || res.StructuredContent == nil) {
			err = fmt.Errorf("tool failed: %+v", res.Content)
		}
		return err
	})
	checked := false
	msg := json.RawMessage(fmt.Sprintf(`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"clusters_get","arguments":%s}}`, args))
	var out []byte
	level("HandleMessage", false, func() error {
		out, err = AppendMessage(out[:0], s.HandleMessage(ctx, msg))
		if err != nil {
			return err
		}
		// The answer's shape is checked by the first call's decoding; the
		// others only for their error flag, so that the client's decoding
		// is not counted as the server's work.
		if bytes.Contains(out, []byte(`"isError":true`)) {
			return fmt.Errorf("tools/call answer %.300s", out)
		}
		if checked {
			return nil
		}
		checked = true
		var resp struct {
			Result *struct {
				IsError           bool            `json:"isError"`
				StructuredContent json.RawMessage `json:"structuredContent"`
			} `json:"result"`
		}
		if err := json.Unmarshal(out, &resp); err != nil || resp.Result == nil || resp.Result.IsError || len(resp.Result.StructuredContent) == 0 {
			return fmt.Errorf("tools/call answer %.300s (%v)", out, err)
		}
		return nil
	})
	level("PrepareCall", false, func() error {
		call, ok := PrepareCall(ctx, s, msg)
		if !ok {
			return fmt.Errorf("PrepareCall did not take %s", msg)
		}
		out, err = AppendMessage(out[:0], call.Run(ctx))
		if err == nil && (bytes.Contains(out, []byte(`"isError":true`)) || !bytes.Contains(out, []byte(`"structuredContent"`))) {
			err = fmt.Errorf("tools/call answer %.300s", out)
		}
		return err
	})
	mc, err := mcpclient.NewInProcessClient(s)
	if err != nil {
		b.Fatal(err)
	}
	defer mc.Close()
	if err := mc.Start(ctx); err != nil {
		b.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = "2025-06-18"
	init.Params.ClientInfo = mcp.Implementation{Name: "bench", Version: "1"}
	if _, err := mc.Initialize(ctx, init); err != nil {
		b.Fatal(err)
	}
	level("InProcessClient", false, func() error {
		req := mcp.CallToolRequest{}
		req.Params.Name = "clusters_get"
		req.Params.Arguments = args
		res, err := mc.CallTool(ctx, req)
		if err == nil && (res.IsError || res.StructuredContent == nil) {
			err = fmt.Errorf("tool failed: %+v", res.Content)
		}
		return err
	})
}

// overhead is one level's cost per call.
type overhead struct{ ns, allocs float64 }

// clusterGetResponse is the body of a real clusters/get response.
func clusterGetResponse(b *testing.B) []byte {
	for _, p := range fixtures.Load(b, "clusters") {
		if p.File == "clusters/get.response.1.json" {
			return p.Body
		}
	}
	b.Fatal("clusters/get.response.1.json not among the fixtures")
	return nil
}

// BenchmarkToolsListSize reports how big the tools/list answer is, since
// every byte of it is read into the model's context on every session: the
// whole JSON-RPC response (bytes) and, summed over the tools, the encoded
// inputSchema, outputSchema and description members (input-schema-bytes,
// output-schema-bytes, description-bytes), plus the tool count. ns/op is
// the server's cost of answering tools/list (HandleMessage and encoding).
//
// The sizes come from the real response of tools.NewServer to a tools/list
// message, encoded as a transport writes it. Default is what serve offers
// unless told otherwise, All is every tool (--toolsets all), the cloud
// variants are the schemas tailored to a workspace on that cloud (the others
// are for a workspace of unknown cloud), ReadOnly is what --read-only
// offers, Discovery is --tool-mode discovery. Sizes are exact and do not vary between runs;
// benchstat shows a change as a delta. Run it with:
//
//	go test -run x -bench ToolsListSize -benchmem ./tools/
func BenchmarkToolsListSize(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts Options
	}{
		{"Default", Options{}},
		{"DefaultAzure", Options{Cloud: "azure"}},
		{"All", Options{Toolsets: []string{AllToolsets}}},
		{"AllAzure", Options{Toolsets: []string{AllToolsets}, Cloud: "azure"}},
		{"AllAWS", Options{Toolsets: []string{AllToolsets}, Cloud: "aws"}},
		{"AllGCP", Options{Toolsets: []string{AllToolsets}, Cloud: "gcp"}},
		{"ReadOnly", Options{ReadOnly: true, Toolsets: []string{AllToolsets}}},
		{"Discovery", Options{Mode: ModeDiscovery}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			reg, err := NewRegistry(nil, bc.opts)
			if err != nil {
				b.Fatal(err)
			}
			s := NewServer(reg, slog.New(slog.DiscardHandler))
			ctx := context.Background()
			msg := json.RawMessage(`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`)
			var out []byte
			for b.Loop() {
				if out, err = json.Marshal(s.HandleMessage(ctx, msg)); err != nil {
					b.Fatal(err)
				}
			}
			var resp struct {
				Result struct {
					Tools []map[string]json.RawMessage `json:"tools"`
				} `json:"result"`
			}
			if err := json.Unmarshal(out, &resp); err != nil {
				b.Fatal(err)
			}
			if len(resp.Result.Tools) != len(reg.Tools()) {
				b.Fatalf("tools/list has %d tools, the registry %d", len(resp.Result.Tools), len(reg.Tools()))
			}
			var in, outSchema, desc int
			var sizes []int
			for _, t := range resp.Result.Tools {
				in += len(t["inputSchema"])
				outSchema += len(t["outputSchema"])
				desc += len(t["description"])
				one, _ := json.Marshal(t)
				sizes = append(sizes, len(one))
			}
			slices.Sort(sizes)
			b.ReportMetric(float64(sizes[len(sizes)/2]), "median-tool-bytes")
			b.ReportMetric(float64(sizes[len(sizes)-1]), "largest-tool-bytes")
			b.ReportMetric(float64(len(out)), "bytes")
			b.ReportMetric(float64(in), "input-schema-bytes")
			b.ReportMetric(float64(outSchema), "output-schema-bytes")
			b.ReportMetric(float64(desc), "description-bytes")
			b.ReportMetric(float64(len(resp.Result.Tools)), "tools")
		})
	}
}
