package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/emulator"
)

// plainSession is a client session for calling a server directly.
type plainSession struct{ notes chan mcp.JSONRPCNotification }

func (s *plainSession) Initialize()                                         {}
func (s *plainSession) Initialized() bool                                   { return true }
func (s *plainSession) NotificationChannel() chan<- mcp.JSONRPCNotification { return s.notes }
func (s *plainSession) SessionID() string                                   { return "plain" }

// fastCallServer is NewServer over every tool against an emulator, with a
// context holding a session of its own, as a transport hands
// HandleMessage.
func fastCallServer(t testing.TB) (*server.MCPServer, context.Context) {
	t.Helper()
	emu := emulator.New(emulator.Options{})
	t.Cleanup(func() { emu.Close() })
	ws := httptest.NewServer(emu)
	t.Cleanup(ws.Close)
	c, err := client.New(&client.Config{Host: ws.URL, Token: "t"}, client.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	reg, err := NewRegistry(func(context.Context) (*client.Client, error) { return c, nil }, Options{Toolsets: []string{AllToolsets}})
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(reg, slog.New(slog.DiscardHandler))
	session := &plainSession{notes: make(chan mcp.JSONRPCNotification, 100)}
	return srv, srv.WithContext(t.Context(), session)
}

// requestIDs are the emulator's request ids, which differ from one
// answer to the next.
var requestIDs = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

func encoded(t *testing.T, msg mcp.JSONRPCMessage) string {
	t.Helper()
	out, err := AppendMessage(nil, msg)
	if err != nil {
		t.Fatal(err)
	}
	return requestIDs.ReplaceAllString(string(out), "<request-id>")
}

// TestPrepareCallAnswersAsHandleMessage: every call PrepareCall takes is
// answered byte for byte as HandleMessage answers it, results, tool errors,
// refused arguments and handler failures alike, in the middleware added
// with UseToolMiddleware and with the server and session in the handler's
// context; and the messages of another shape are left to HandleMessage.
func TestPrepareCallAnswersAsHandleMessage(t *testing.T) {
	srv, ctx := fastCallServer(t)
	var seen []string // what the middleware saw of each call
	UseToolMiddleware(srv, func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			if server.ServerFromContext(ctx) != srv || server.ClientSessionFromContext(ctx) == nil {
				t.Errorf("%s: the handler's context lacks the server or the session", req.Params.Name)
			}
			seen = append(seen, fmt.Sprintf("%s %#v %s header %v protocol %+v", req.Params.Name, req.GetArguments(), req.Params.RawArguments,
				req.Header != nil, server.RequestProtocolInfoFromContext(ctx)))
			if bytes.Contains(req.Params.RawArguments, []byte(`"boom"`)) {
				panic("boom")
			}
			return next(ctx, req)
		}
	})
	taken := []string{
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"clusters_list","arguments":{}}}`,
		`{"method":"tools/call","params":{"arguments":{},"name":"clusters_list"},"id":"a-2","jsonrpc":"2.0"}`,
		`{"jsonrpc":"2.0","id":3.0,"method":"tools/call","params":{"name":"clusters_list"}}`,
		` { "jsonrpc" : "2.0" , "id" : -4 , "method" : "tools/call" , "params" : { "name" : "clusters_list" , "arguments" : { } } } `,
		`{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"clusters_get","arguments":{"cluster_id":"0000-nope"}}}`,
		`{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"clusters_get","arguments":{}}}`,
		`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"clusters_get","arguments":{"cluster_id":7}}}`,
		`{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"clusters_list","arguments":{"bogus":true}}}`,
		`{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"clusters_get","arguments":{"cluster_id":"boom"}}}`,
		`{"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":"api_call","arguments":{"method":"GET","path":"/api/2.0/secrets/scopes/list"}}}`,
	}
	for _, msg := range taken {
		call, ok := PrepareCall(ctx, srv, []byte(msg))
		if !ok {
			t.Errorf("not taken: %s", msg)
			continue
		}
		seen = nil
		got := encoded(t, call.Run(ctx))
		want := encoded(t, srv.HandleMessage(ctx, []byte(msg)))
		if got != want {
			t.Errorf("%s:\nPrepareCall:   %.600s\nHandleMessage: %.600s", msg, got, want)
		}
		if len(seen) != 2 || seen[0] != seen[1] {
			t.Errorf("%s: the middleware saw %q", msg, seen)
		}
	}

	left := []string{
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"nope","arguments":{}}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"clusters_list","arguments":{},"_meta":{"progressToken":"p"}}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"clusters_list","arguments":{},"task":{}}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"clusters_list","arguments":null}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"clusters_list","arguments":[]}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"api_call","arguments":{"method":"GET","path":"/api/2.0/secrets/scopes/list","query":{"n":1e400}}}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"clusters_\u006cist","arguments":{}}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"clusters_list","name":"clusters_get"}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"Name":"clusters_list"}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{}}`,
		`{"jsonrpc":"2.0","id":1,"id":2,"method":"tools/call","params":{"name":"clusters_list"}}`,
		`{"jsonrpc":"2.0","id":null,"method":"tools/call","params":{"name":"clusters_list"}}`,
		`{"jsonrpc":"2.0","id":true,"method":"tools/call","params":{"name":"clusters_list"}}`,
		`{"jsonrpc":"2.0","id":"a\"b","method":"tools/call","params":{"name":"clusters_list"}}`,
		`{"jsonrpc":"2.0","method":"tools/call","params":{"name":"clusters_list"}}`,
		`{"jsonrpc":"1.0","id":1,"method":"tools/call","params":{"name":"clusters_list"}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"name":"clusters_list"}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"clusters_list"},"extra":1}`,
		`{"jsonrpc":"2.0","ID":1,"method":"tools/call","params":{"name":"clusters_list"}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"clusters_list"}`,
		`[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"clusters_list"}}]`,
	}
	for _, msg := range left {
		if _, ok := PrepareCall(ctx, srv, []byte(msg)); ok {
			t.Errorf("taken, but it is HandleMessage's: %s", msg)
		}
	}
}

// TestPrepareCallLeavesWatchedCalls: with a hook on tool calls, which
// PrepareCall's calls would skip, every call goes to HandleMessage.
func TestPrepareCallLeavesWatchedCalls(t *testing.T) {
	srv, ctx := fastCallServer(t)
	msg := []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"clusters_list","arguments":{}}}`)
	if _, ok := PrepareCall(ctx, srv, msg); !ok {
		t.Fatal("a plain call was not taken")
	}
	srv.GetHooks().AddAfterCallTool(func(context.Context, any, *mcp.CallToolRequest, any) {})
	if _, ok := PrepareCall(ctx, srv, msg); ok {
		t.Error("taken although a hook watches tool calls")
	}
	if _, ok := PrepareCall(ctx, server.NewMCPServer("other", "1"), msg); ok {
		t.Error("taken for a server NewServer did not build")
	}
}

// TestPrepareCallRunsOtherHooks: of the request-initialization hooks, only
// NewServer's own (the unknown-tool refusal and the server catch, which
// pass every call of a served tool) are skipped; one added later runs, and
// a call it refuses is left to HandleMessage.
func TestPrepareCallRunsOtherHooks(t *testing.T) {
	srv, ctx := fastCallServer(t)
	ex := extrasOf(srv)
	if ex.passingHooks != 2 || len(ex.served) == 0 {
		t.Fatalf("NewServer's passing hooks: %d, served tools %d; a hook NewServer adds must be one that passes every call of a served tool, or run", ex.passingHooks, len(ex.served))
	}
	msg := []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"clusters_list","arguments":{}}}`)
	ran := 0
	srv.GetHooks().AddOnRequestInitialization(func(_ context.Context, id any, _ any) error {
		ran++
		if id != float64(1) {
			t.Errorf("the hook got id %#v, want 1 as HandleMessage decodes it", id)
		}
		return errors.New("refused")
	})
	call, ok := PrepareCall(ctx, srv, msg)
	if !ok || ran != 1 {
		t.Fatalf("a call a later hook refuses: taken %v, the hook ran %d times, want taken and once", ok, ran)
	}
	got := encoded(t, call.Run(ctx))
	if want := encoded(t, srv.HandleMessage(ctx, msg)); got != want || ran != 2 {
		t.Errorf("the refusal: %s, want HandleMessage's %s; the hook ran %d times in all, want 2", got, want, ran)
	}
}

func TestIDValue(t *testing.T) {
	for raw, want := range map[string]any{`7`: 7.0, `0`: 0.0, `-3`: -3.0, `1.5e2`: 150.0, `007`: nil, `"a b"`: "a b", `"a"`: "a", `null`: nil, `true`: nil, `[1]`: nil, `123456789012345678`: 123456789012345678.0} {
		var dec any
		json.Unmarshal([]byte(raw), &dec)
		if got := idValue(json.RawMessage(raw)); got != want || (want != nil && got != dec) {
			t.Errorf("idValue(%s) = %#v, want %#v (decoding gives %#v)", raw, got, want, dec)
		}
	}
}

// FuzzPlainToolCall checks plainToolCall against decoding: what it takes
// decodes to the same id, name and arguments, with no other member.
func FuzzPlainToolCall(f *testing.F) {
	for _, s := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"a":[1,{"b":"}"}]}}}`,
		`{"jsonrpc":"2.0","id":"s","method":"tools/call","params":{"name":"x"}}`,
		`{"jsonrpc":"2.0","id":1,"id":1,"method":"tools/call","params":{"name":"x"}}`,
		`{"jsonrpc":"2.0","id":1e3,"method":"tools/call","params":{"name":"x","arguments":{}}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","_meta":{}}}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"clusters_get","arguments":{"cluster_id":"a","n":[1e308,-0.0]}}}`,
		`{"jsonrpc":"2.0","id":"q","method":"tools/call","params":{"name":"clusters_list","arguments":{"a":1e999}}}`,
	} {
		f.Add([]byte(s))
	}
	srv, ctx := fastCallServer(f)
	f.Fuzz(func(t *testing.T, msg []byte) {
		// What PrepareCall takes is a request HandleMessage decodes, to
		// the same tool and arguments.
		if call, ok := PrepareCall(ctx, srv, msg); ok {
			var req mcp.CallToolRequest
			if err := json.Unmarshal(msg, &req); err != nil {
				t.Fatalf("taken, but mcp-go cannot decode it: %v", err)
			}
			if req.Params.Name != call.req.Params.Name || !bytes.Equal(req.Params.RawArguments, call.req.Params.RawArguments) ||
				fmt.Sprint(req.Params.Arguments) != fmt.Sprint(call.req.Params.Arguments) {
				t.Fatalf("taken as %q %s, mcp-go decodes %q %s", call.req.Params.Name, call.req.Params.RawArguments, req.Params.Name, req.Params.RawArguments)
			}
		}
		id, name, args, ok := plainToolCall(msg)
		if !ok {
			return
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(msg, &m); err != nil {
			t.Fatalf("taken but not an object: %v", err)
		}
		var p map[string]json.RawMessage
		if err := json.Unmarshal(m["params"], &p); err != nil || len(m) != 4 {
			t.Fatalf("taken with members %v, params %v", m, err)
		}
		var gotName string
		if json.Unmarshal(p["name"], &gotName) != nil || gotName != name || !bytes.Equal(m["id"], id) || !bytes.Equal(p["arguments"], args) {
			t.Fatalf("read id %s name %q arguments %s; decoding gives %s %s %s", id, name, args, m["id"], p["name"], p["arguments"])
		}
		if len(p) != 1+min(len(args), 1) || string(m["jsonrpc"]) != `"2.0"` || string(m["method"]) != `"tools/call"` {
			t.Fatalf("taken with params %v", p)
		}
		var idv any
		if json.Unmarshal(id, &idv) != nil {
			t.Fatal("id does not decode")
		}
		switch idv.(type) {
		case string, float64:
		default:
			t.Fatalf("id %s is neither a string nor a number", id)
		}
	})
}
