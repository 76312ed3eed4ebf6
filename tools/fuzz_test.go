package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"path"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/emulator"
)

// FuzzAPICallPath checks the gate of api_call, the one tool that takes a
// URL path from the model. Whatever CheckAPIPath accepts must be a plain
// path that stays on the workspace host and under /api/, however a server
// decodes or normalizes it. Invariants for an accepted path p:
//   - p starts with /api/;
//   - url.Parse(p) has no scheme, user, host, opaque part, query or
//     fragment, and its Path is p percent-decoded (so the client sends the
//     path that was checked);
//   - the decoded path is already clean (path.Clean changes nothing but a
//     trailing slash) and its cleaned form is still under /api/.
//
// Run it with:
//
//	go test -run x -fuzz FuzzAPICallPath -fuzztime 60s ./tools/
func FuzzAPICallPath(f *testing.F) {
	for _, seed := range []string{
		"/api/2.1/clusters/list",
		"/api/2.0/fs/files/Volumes/main/default/v/my%20file.txt",
		"/api/2.1/unity-catalog/tables/main.default.t",
		"/api/", "/api", "/api/.", "/api/..", "/api/2.0/..", "/api/2.0/a/../../x",
		"/api/2.0/%2e%2e/x", "/api/2.0/%2E./x", "/api/2.0/.%2e/x", "/api/2.0/a%2fb", "/api/2.0/a%5cb",
		"/api/2.0/%252e%252e/x", "/api/2.0/a%25", "/api/2.0/a\\b", "/api//x", "//evil.example/api/x",
		"https://evil.example/api/2.0/x", "/api/2.0/x?y=1", "/api/2.0/x#y", "/api/2.0/x%3Fy=1",
		"/api/2.0/x%23y", "/api/2.0/a%zz", "/api/2.0/a%2", "/api/2.0/a%0a", "/api/2.0/caf\u00e9",
		"/api/2.0/a b", "/api/2.0/a;b", "/api/2.0/@evil.example", "/api/2.0/a:b", "/api/2.0/%41",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if CheckAPIPath(p) != nil {
			return
		}
		if !strings.HasPrefix(p, "/api/") {
			t.Fatalf("accepted %q, which is not under /api/", p)
		}
		u, err := url.Parse(p)
		if err != nil {
			t.Fatalf("accepted %q, which url.Parse rejects: %v", p, err)
		}
		if u.Scheme != "" || u.User != nil || u.Host != "" || u.Opaque != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
			t.Fatalf("accepted %q, which parses as more than a path: %#v", p, u)
		}
		unescaped, err := url.PathUnescape(p)
		if err != nil {
			t.Fatalf("accepted %q, which does not percent-decode: %v", p, err)
		}
		if u.Path != unescaped {
			t.Fatalf("accepted %q: url.Parse gives path %q, decoding gives %q", p, u.Path, unescaped)
		}
		clean := path.Clean(unescaped)
		if clean != strings.TrimSuffix(unescaped, "/") {
			t.Fatalf("accepted %q, which decodes to %q and normalizes to %q", p, unescaped, clean)
		}
		if !strings.HasPrefix(clean+"/", "/api/") {
			t.Fatalf("accepted %q, which normalizes to %q, outside /api/", p, clean)
		}
	})
}

// fuzzToken is the bearer token of the fuzzed server's client; no response
// may ever contain it.
const fuzzToken = "dapi-FUZZ-SECRET-0123456789abcdef"

// FuzzJSONRPC feeds arbitrary bytes to the MCP server as one incoming
// JSON-RPC message, as the stdio and HTTP transports hand it over, with
// every tool registered and an emulated workspace behind them (so tool
// calls, api_call included, really run). Invariants:
//   - HandleMessage never panics;
//   - it returns nil only for a notification or a response (a JSON-RPC 2.0
//     object without an id, or with a result), and otherwise a message;
//   - that message marshals to valid JSON: a JSON-RPC 2.0 object with
//     exactly one of result and error, echoing the request's id when the
//     request had one;
//   - no answer contains the client's bearer token.
//
// Each message gets a 2 s deadline so that an input asking a tool to wait
// cannot stall the fuzzer; the emulated clusters start and stop at once.
//
// Run it with:
//
//	go test -run x -fuzz FuzzJSONRPC -fuzztime 60s ./tools/
func FuzzJSONRPC(f *testing.F) {
	emu := emulator.New(emulator.Options{ClusterStartDelay: -1, ClusterStopDelay: -1})
	srv := httptest.NewServer(emu)
	f.Cleanup(func() { srv.Close(); emu.Close() })
	quiet := slog.New(slog.DiscardHandler)
	c, err := client.New(&client.Config{Host: srv.URL, Token: fuzzToken, RetryTimeout: time.Second}, client.WithLogger(quiet))
	if err != nil {
		f.Fatal(err)
	}
	reg, err := NewRegistry(func(context.Context) (*client.Client, error) { return c, nil }, Options{Toolsets: []string{AllToolsets}})
	if err != nil {
		f.Fatal(err)
	}
	s := NewServer(reg, quiet)

	for _, seed := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"fuzz","version":"1"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`{"jsonrpc":"2.0","id":"a","method":"ping"}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{"cursor":"zzz"}}`,
		`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"clusters_get","arguments":{"cluster_id":"nope"}}}`,
		`{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"clusters_create","arguments":{"spark_version":"15.4.x-scala2.12","node_type_id":"Standard_DS3_v2","num_workers":1}}}`,
		`{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"clusters_create","arguments":{"spark_version":"x","num_workers":1,"wait_seconds":5}}}`,
		`{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"clusters_list","arguments":{"filter_by":{"cluster_states":["RUNNING"]}}}}`,
		`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"api_call","arguments":{"method":"GET","path":"/api/2.0/secrets/scopes/list"}}}`,
		`{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"api_call","arguments":{"method":"POST","path":"/api/2.0/../x","body":{}}}}`,
		`{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"secrets_put_secret","arguments":{"scope":"s","key":"k","string_value":"v"}}}`,
		`{"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":"clusters_get","arguments":"not an object"}}`,
		`{"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"name":"no_such_tool"}}`,
		`{"jsonrpc":"2.0","id":12,"method":"tools/call","params":{"name":"tokens_list","arguments":null}}`,
		`{"jsonrpc":"2.0","id":13,"method":"tools/call","params":{"name":"clusters_get","arguments":{"cluster_id":9007199254740993}}}`,
		`{"jsonrpc":"2.0","id":14,"method":"resources/list"}`,
		`{"jsonrpc":"2.0","id":15,"method":"logging/setLevel","params":{"level":"debug"}}`,
		`{"jsonrpc":"2.0","id":16,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}`,
		`{"jsonrpc":"2.0","id":17,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3}}`,
		`{"jsonrpc":"2.0","id":1,"result":{}}`,
		`{"jsonrpc":"2.0","id":null,"method":"ping"}`,
		`{"jsonrpc":"1.0","id":1,"method":"ping"}`,
		`{"jsonrpc":"2.0","id":1}`,
		`{"jsonrpc":"2.0","id":1.5,"method":"ping"}`,
		`{"jsonrpc":"2.0","id":{"x":1},"method":"ping"}`,
		`[{"jsonrpc":"2.0","id":1,"method":"ping"}]`,
		`{"jsonrpc":"2.0","id":1,"method":"ping"} trailing`,
		`{}`, `null`, `"x"`, ``, `{`,
	} {
		f.Add([]byte(seed))
	}

	f.Fuzz(func(t *testing.T, msg []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		resp := s.HandleMessage(ctx, json.RawMessage(msg))

		var req struct {
			JSONRPC string          `json:"jsonrpc"`
			ID      json.RawMessage `json:"id"`
			Result  json.RawMessage `json:"result"`
		}
		parsed := json.Unmarshal(msg, &req) == nil
		hasID := len(req.ID) > 0 && string(req.ID) != "null"
		if resp == nil {
			if !parsed || req.JSONRPC != "2.0" || (hasID && len(req.Result) == 0) {
				t.Fatalf("no answer to %q, which is not a notification or a response", msg)
			}
			return
		}
		out, err := json.Marshal(resp)
		if err != nil {
			t.Fatalf("answer to %q does not marshal: %v", msg, err)
		}
		var got struct {
			JSONRPC string          `json:"jsonrpc"`
			ID      json.RawMessage `json:"id"`
			Result  json.RawMessage `json:"result"`
			Error   json.RawMessage `json:"error"`
		}
		if !json.Valid(out) || json.Unmarshal(out, &got) != nil {
			t.Fatalf("answer to %q is not a JSON object: %s", msg, out)
		}
		if got.JSONRPC != "2.0" || (len(got.Result) > 0) == (len(got.Error) > 0) {
			t.Fatalf("answer to %q is not a JSON-RPC 2.0 result or error: %s", msg, out)
		}
		if parsed && hasID && !sameID(req.ID, got.ID) && !(string(got.ID) == "null" && unreadable(got.Error)) {
			t.Fatalf("answer to %q has id %s, want %s", msg, got.ID, req.ID)
		}
		if bytes.Contains(out, []byte(fuzzToken)) {
			t.Fatalf("answer to %q contains the bearer token: %s", msg, out)
		}
	})
}

// unreadable reports a parse error or invalid request. mcp-go answers those
// with a null id even when the message had a readable one (a method that is
// not a string, for example); JSON-RPC only asks for null when the id could
// not be read, but a client's request then fails, which is what it needs.
func unreadable(e json.RawMessage) bool {
	var x struct {
		Code int `json:"code"`
	}
	return json.Unmarshal(e, &x) == nil && (x.Code == mcp.PARSE_ERROR || x.Code == mcp.INVALID_REQUEST)
}

// sameID compares JSON-RPC ids as JSON values, so that 1 and 1.0 or
// differently escaped strings are the same id.
func sameID(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
