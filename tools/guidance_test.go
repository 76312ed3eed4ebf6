package tools

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/emulator"
)

// Instructions are paid for in every initialize.
func TestInstructionsBudget(t *testing.T) {
	if n := len(instructions); n > 800 {
		t.Errorf("instructions have %d bytes, budget 800", n)
	}
	for _, w := range []string{"tools/list", "wait_seconds", "page_token", "next_page", "Read-only", "api_call", "dbx://"} {
		if !strings.Contains(instructions, w) {
			t.Errorf("instructions do not mention %s", w)
		}
	}
	mc, _ := session(t, Options{}, mcp.ClientCapabilities{})
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "again", Version: "1"}
	res, err := mc.Initialize(context.Background(), init)
	if err != nil {
		t.Fatal(err)
	}
	if res.Instructions != instructions {
		t.Errorf("initialize instructions = %q", res.Instructions)
	}
	if res.Capabilities.Resources == nil || res.Capabilities.Prompts == nil || res.Capabilities.Completions == nil || res.Capabilities.Logging == nil {
		t.Errorf("capabilities %+v lack resources, prompts, completions or logging", res.Capabilities)
	}
}

type elicitor struct {
	action  mcp.ElicitationResponseAction
	confirm bool
	asked   atomic.Int32
	message atomic.Value
}

func (e *elicitor) Elicit(_ context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	e.asked.Add(1)
	e.message.Store(req.Params.Message)
	return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: e.action, Content: map[string]any{"confirm": e.confirm}}}, nil
}

func TestConfirmDestructive(t *testing.T) {
	withElicitation := mcp.ClientCapabilities{Elicitation: &mcp.ElicitationCapability{}}
	tests := []struct {
		name      string
		confirm   bool // Options.ConfirmDestructive
		caps      mcp.ClientCapabilities
		user      *elicitor
		wantAsked bool
		wantRun   bool
	}{
		{"user confirms", true, withElicitation, &elicitor{action: mcp.ElicitationResponseActionAccept, confirm: true}, true, true},
		{"user declines", true, withElicitation, &elicitor{action: mcp.ElicitationResponseActionDecline}, true, false},
		{"user accepts the form but says no", true, withElicitation, &elicitor{action: mcp.ElicitationResponseActionAccept, confirm: false}, true, false},
		{"client cannot elicit", true, mcp.ClientCapabilities{}, nil, false, true},
		{"option off", false, withElicitation, &elicitor{action: mcp.ElicitationResponseActionDecline}, false, true},
	}
	// Protocol 2026-07-28 asks by multi round-trip, earlier ones by a
	// server-initiated elicitation/create: in process, and over HTTP, where
	// it goes on the call's own event stream and the answer comes back in
	// a POST of its own.
	for _, transport := range []string{"in-process", "http"} {
		for _, version := range []string{mcp.LATEST_PROTOCOL_VERSION, mcp.LATEST_LEGACY_PROTOCOL_VERSION} {
			for _, tt := range tests {
				t.Run(transport+"/"+version+"/"+tt.name, func(t *testing.T) {
					user := tt.user
					if user != nil {
						user = &elicitor{action: tt.user.action, confirm: tt.user.confirm}
					}
					confirmCase(t, transport == "http", version, tt.confirm, tt.caps, user, tt.wantAsked, tt.wantRun)
				})
			}
		}
	}
}

// confirmCase creates a secret scope and deletes it, destructive, with
// user answering any confirmation, and checks whether the user was asked
// and whether the scope is gone.
func confirmCase(t *testing.T, overHTTP bool, version string, confirm bool, caps mcp.ClientCapabilities, user *elicitor, wantAsked, wantRun bool) {
	t.Helper()
	var copts []mcpclient.ClientOption
	if user != nil {
		copts = append(copts, mcpclient.WithElicitationHandler(user))
	}
	emu := emulator.New(emulator.Options{})
	t.Cleanup(func() { emu.Close() })
	opts := Options{Toolsets: []string{AllToolsets}, ConfirmDestructive: confirm}
	var mc *mcpclient.Client
	if overHTTP {
		mc = sessionOverHTTP(t, version, emu, opts, caps, copts...)
	} else {
		mc, _ = sessionAt(t, version, emu, opts, caps, copts...)
	}
	mustSucceed(t, "secrets_create_scope", call(t, mc, "secrets_create_scope", map[string]any{"scope": "s"}))
	res := call(t, mc, "secrets_delete_scope", map[string]any{"scope": "s"})
	asked := user != nil && user.asked.Load() > 0
	if asked != wantAsked {
		t.Errorf("asked = %v, want %v", asked, wantAsked)
	}
	if asked {
		if msg, _ := user.message.Load().(string); !strings.Contains(msg, "secrets_delete_scope") || !strings.Contains(msg, `"scope":"s"`) {
			t.Errorf("confirmation message %q names neither the tool nor its arguments", msg)
		}
	}
	if res.IsError == wantRun {
		t.Errorf("error result %v (%s), want run %v", res.IsError, firstText(res), wantRun)
	}
	// Whether the scope is gone says whether anything was sent.
	list := call(t, mc, "secrets_list_scopes", map[string]any{})
	b, _ := json.Marshal(list.StructuredContent)
	if gone := !strings.Contains(string(b), `"name":"s"`); gone != wantRun {
		t.Errorf("scope gone = %v, want %v: %s", gone, wantRun, b)
	}
	// Only the destructive call asks; the others are never held up.
	if user != nil && user.asked.Load() > 1 {
		t.Errorf("asked %d times, want at most once", user.asked.Load())
	}
}

// flaky answers the first request for path with 503, then passes requests on.
type flaky struct {
	next http.Handler
	path string
	hits atomic.Int32
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == f.path && f.hits.Add(1) == 1 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"error_code":"TEMPORARILY_UNAVAILABLE","message":"try again"}`))
		return
	}
	f.next.ServeHTTP(w, r)
}

func TestRetriesReachTheClientAsLogMessages(t *testing.T) {
	emu := emulator.New(emulator.Options{})
	t.Cleanup(func() { emu.Close() })
	srv := newServerForTest(t, &flaky{next: emu, path: "/api/2.0/secrets/scopes/list"})
	c, err := client.New(&client.Config{Host: srv, Token: "t"}, client.WithLogger(slog.New(ClientLogHandler(slog.DiscardHandler))))
	if err != nil {
		t.Fatal(err)
	}
	reg, err := NewRegistry(func(context.Context) (*client.Client, error) { return c, nil }, Options{Toolsets: []string{AllToolsets}})
	if err != nil {
		t.Fatal(err)
	}
	mc, err := mcpclient.NewInProcessClient(NewServer(reg, nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mc.Close() })
	if err := mc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "test", Version: "1"}
	if _, err := mc.Initialize(context.Background(), init); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var logs []string
	mc.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method == string(mcp.MethodNotificationMessage) {
			b, _ := json.Marshal(n.Params.AdditionalFields)
			mu.Lock()
			logs = append(logs, string(b))
			mu.Unlock()
		}
	})
	req := mcp.CallToolRequest{}
	req.Params.Name = "secrets_list_scopes"
	req.Params.Arguments = json.RawMessage(`{}`)
	req.Params.Meta = &mcp.Meta{}
	req.Params.Meta.SetLogLevel(mcp.LoggingLevelDebug)
	res, err := mc.CallTool(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	mustSucceed(t, "secrets_list_scopes", res)
	retried := regexp.MustCompile(`retrying databricks request.*/api/2.0/secrets/scopes/list|/api/2.0/secrets/scopes/list.*retrying databricks request`)
	if !eventually(func() bool {
		mu.Lock()
		defer mu.Unlock()
		return retried.MatchString(strings.Join(logs, "\n"))
	}) {
		mu.Lock()
		defer mu.Unlock()
		t.Errorf("no log message about the retry; got %v", logs)
	}
}

func newServerForTest(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestWaitsReachTheClientAsLogMessages(t *testing.T) {
	old := client.PollIntervals
	client.PollIntervals = []time.Duration{20 * time.Millisecond}
	t.Cleanup(func() { client.PollIntervals = old })
	emu := emulator.New(emulator.Options{ClusterStartDelay: 50 * time.Millisecond})
	t.Cleanup(func() { emu.Close() })
	mc, _ := sessionOver(t, emu, Options{}, mcp.ClientCapabilities{})
	var mu sync.Mutex
	var logs []string
	mc.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method == string(mcp.MethodNotificationMessage) {
			b, _ := json.Marshal(n.Params.AdditionalFields)
			mu.Lock()
			logs = append(logs, string(b))
			mu.Unlock()
		}
	})
	req := mcp.CallToolRequest{}
	req.Params.Name = "clusters_create"
	req.Params.Arguments = json.RawMessage(`{"cluster_name":"w","spark_version":"15.4.x-scala2.12","node_type_id":"Standard_DS3_v2","num_workers":1,"wait_seconds":60}`)
	req.Params.Meta = &mcp.Meta{}
	req.Params.Meta.SetLogLevel(mcp.LoggingLevelInfo)
	res, err := mc.CallTool(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	mustSucceed(t, "clusters_create", res)
	wants := []string{"clusters_create: waiting up to 60s", "clusters_create: wait ended after", "state RUNNING"}
	all := func() bool {
		mu.Lock()
		defer mu.Unlock()
		joined := strings.Join(logs, "\n")
		for _, w := range wants {
			if !strings.Contains(joined, w) {
				return false
			}
		}
		return true
	}
	if !eventually(all) {
		mu.Lock()
		defer mu.Unlock()
		t.Errorf("log messages lack one of %q: %v", wants, logs)
	}
}
