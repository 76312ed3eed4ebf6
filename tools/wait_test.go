package tools

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/emulator"
)

// emulatedSession serves every tool in-process against an emulated
// workspace and returns an initialized MCP client session.
func emulatedSession(t testing.TB, startDelay time.Duration) *mcpclient.Client {
	t.Helper()
	emu := emulator.New(emulator.Options{ClusterStartDelay: startDelay, ClusterStopDelay: startDelay})
	t.Cleanup(func() { emu.Close() })
	return inProcessSession(t, emu, Options{Toolsets: []string{AllToolsets}})
}

// inProcessSession serves opts' tools in-process against workspace (an
// emulator, possibly wrapped) and returns an initialized MCP client session.
func inProcessSession(t testing.TB, workspace http.Handler, opts Options) *mcpclient.Client {
	t.Helper()
	return inProcessSessionWith(t, workspace, client.Config{}, opts)
}

// inProcessSessionWith is inProcessSession with a client configured by cfg
// (its host and token are the stub's).
func inProcessSessionWith(t testing.TB, workspace http.Handler, cfg client.Config, opts Options) *mcpclient.Client {
	t.Helper()
	srv := httptest.NewServer(workspace)
	t.Cleanup(srv.Close)
	cfg.Host, cfg.Token = srv.URL, "t"
	c, err := client.New(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := NewRegistry(func(context.Context) (*client.Client, error) { return c, nil }, opts)
	if err != nil {
		t.Fatal(err)
	}
	mc, err := mcpclient.NewInProcessClient(NewServer(reg, nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mc.Close() })
	ctx := context.Background()
	if err := mc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "test", Version: "1"}
	if _, err := mc.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	return mc
}

func TestWaitForRunningReportsProgress(t *testing.T) {
	old := client.PollIntervals
	client.PollIntervals = []time.Duration{50 * time.Millisecond}
	t.Cleanup(func() { client.PollIntervals = old })
	mc := emulatedSession(t, 600*time.Millisecond)

	var mu sync.Mutex
	var progress []mcp.JSONRPCNotification
	mc.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method == string(mcp.MethodNotificationProgress) {
			mu.Lock()
			progress = append(progress, n)
			mu.Unlock()
		}
	})
	req := mcp.CallToolRequest{}
	req.Params.Name = "clusters_create"
	req.Params.Arguments = json.RawMessage(`{"cluster_name":"w","spark_version":"15.4.x-scala2.12","node_type_id":"Standard_DS3_v2","num_workers":1,"wait_seconds":30}`)
	req.Params.Meta = &mcp.Meta{ProgressToken: "tok-1"}
	res, err := mc.CallTool(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.IsError {
		t.Fatalf("error result: %v", res.Content)
	}
	if got := stringMember(res.RawStructuredContent, "state"); got != "RUNNING" {
		t.Errorf("state after waiting = %q, want RUNNING: %s", got, res.RawStructuredContent)
	}
	if stringMember(res.RawStructuredContent, "cluster_id") == "" {
		t.Errorf("waited result lacks cluster_id")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(progress) == 0 {
		t.Fatal("no progress notifications while waiting")
	}
	p := progress[0].Params.AdditionalFields
	if p["progressToken"] != "tok-1" || !strings.Contains(p["message"].(string), "PENDING") {
		t.Errorf("progress notification %v", p)
	}
}

func TestWaitRunsOutAndWaitOptionStaysLocal(t *testing.T) {
	old := client.PollIntervals
	client.PollIntervals = []time.Duration{50 * time.Millisecond}
	t.Cleanup(func() { client.PollIntervals = old })
	mc := emulatedSession(t, time.Hour)
	req := mcp.CallToolRequest{}
	req.Params.Name = "clusters_create"
	req.Params.Arguments = json.RawMessage(`{"cluster_name":"w","spark_version":"15.4.x-scala2.12","node_type_id":"Standard_DS3_v2","num_workers":1,"wait_seconds":1}`)
	start := time.Now()
	res, err := mc.CallTool(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.IsError || stringMember(res.RawStructuredContent, "state") != "PENDING" {
		t.Fatalf("want the still-pending cluster after the wait ran out, got %v %s", res.IsError, res.RawStructuredContent)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("wait of 1 s took %s", time.Since(start))
	}
	if strings.Contains(string(res.RawStructuredContent), WaitOption) {
		t.Errorf("the tool option leaked into the cluster spec: %s", res.RawStructuredContent)
	}

	req.Params.Arguments = json.RawMessage(`{"cluster_name":"w","spark_version":"x","num_workers":1,"wait_seconds":5000}`)
	res, err = mc.CallTool(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !res.IsError || !strings.Contains(res.Content[0].(mcp.TextContent).Text, "wait_seconds: must be at most 1200") {
		t.Errorf("over-long wait accepted: %v", res.Content)
	}
}

// stringMember reads a top-level string member of a JSON object.
func stringMember(obj json.RawMessage, name string) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(obj, &m) != nil {
		return ""
	}
	var s string
	if json.Unmarshal(m[name], &s) != nil {
		return ""
	}
	return s
}

// The option is taken out however its key is spelt in JSON, so it never
// reaches Databricks.
func TestTakeWaitOptionEscapedKey(t *testing.T) {
	args, secs, err := takeWaitOption(json.RawMessage(`{"cluster_id":"c","wait\u005fseconds":30}`))
	if err != nil || secs != 30 || strings.Contains(string(args), "wait") {
		t.Errorf("got %s, %d, %v", args, secs, err)
	}
	args, secs, err = takeWaitOption(json.RawMessage(`{"cluster_id":"c\u0041"}`))
	if err != nil || secs != 0 || string(args) != `{"cluster_id":"c\u0041"}` {
		t.Errorf("arguments without the option changed: %s, %d, %v", args, secs, err)
	}
}
