package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/internal/fixtures"
	"github.com/dbx-mcp/dbx-mcp/schema"
)

// The replay tests put each real Databricks payload of the fixture set on
// the wire: responses come back from a stub exactly as Databricks sent them
// and must reach structuredContent whole; requests are given as tool
// arguments and must reach the stub exactly as given.

// toolFor finds the tool of a fixture's "METHOD /api/x.y/path" operation
// (fixtures.MatchRoute; the most exact match wins). args are the path
// parameters the fixture's path gives: its literal segments, and "1" for
// those it names only by placeholder.
func toolFor(reg *Registry, op string) (tool Tool, args map[string]string, ok bool) {
	best := -1
	for _, t := range reg.Tools() {
		if t.Method == "" {
			continue
		}
		literals, params, match := fixtures.MatchRoute(op, t.Method+" "+t.Path)
		if !match || literals <= best {
			continue
		}
		for k, v := range params {
			if v == "" {
				params[k] = "1"
			}
		}
		best, tool, args, ok = literals, t, params, true
	}
	return tool, args, ok
}

// recorder is a workspace stub that answers with a fixed body and keeps the
// last request it received.
type recorder struct {
	mu     sync.Mutex
	status int
	body   []byte
	method string
	path   string
	query  string
	got    []byte
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.method, r.path, r.query, r.got = req.Method, req.URL.EscapedPath(), req.URL.RawQuery, b
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(r.status)
	w.Write(r.body)
}

func newReplay(t *testing.T) (*Registry, *recorder) {
	t.Helper()
	rec := &recorder{status: 200, body: []byte("{}")}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	c, err := client.New(&client.Config{Host: srv.URL, Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := NewRegistry(func(context.Context) (*client.Client, error) { return c, nil }, Options{Toolsets: []string{AllToolsets}})
	if err != nil {
		t.Fatal(err)
	}
	return reg, rec
}

func callTool(t *testing.T, tool Tool, args json.RawMessage) *mcp.CallToolResult {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = tool.Name()
	req.Params.RawArguments = args
	res, err := tool.Handler(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// sameJSON compares two JSON documents with numbers as exact decimals.
func sameJSON(a, b []byte) bool {
	norm := func(x []byte) string {
		d := json.NewDecoder(bytes.NewReader(x))
		d.UseNumber()
		var v any
		if d.Decode(&v) != nil {
			return "invalid:" + string(x)
		}
		out, _ := json.Marshal(v)
		return string(out)
	}
	return norm(a) == norm(b)
}

// payloadsOf loads the payloads of one kind of every declared operation,
// in whichever directory (fixtures.Covered), and fails when fewer than
// least are there, so a replay cannot pass empty.
func payloadsOf(t *testing.T, kind string, least int) []fixtures.Payload {
	t.Helper()
	var routes []string
	for _, op := range client.Operations() {
		info := op.Info()
		routes = append(routes, info.Method+" "+info.Path)
	}
	var out []fixtures.Payload
	for _, fx := range fixtures.Covered(t, routes) {
		if fx.Kind == kind {
			out = append(out, fx)
		}
	}
	if len(out) < least {
		t.Fatalf("only %d %s fixtures to replay", len(out), kind)
	}
	return out
}

func TestReplayResponsesReachStructuredContent(t *testing.T) {
	reg, rec := newReplay(t)
	for _, fx := range payloadsOf(t, "response", 70) {
		tool, _, ok := toolFor(reg, fx.Operation)
		if !ok {
			t.Errorf("%s: no tool for %s", fx.File, fx.Operation)
			continue
		}
		rec.mu.Lock()
		rec.body = fx.Body
		rec.mu.Unlock()
		res := callTool(t, tool, minimalArgs(t, tool.Definition.RawInputSchema))
		if res.IsError {
			t.Errorf("%s via %s: %s", fx.File, tool.Name(), firstText(res))
			continue
		}
		if !sameJSON(res.RawStructuredContent, fx.Body) {
			t.Errorf("%s via %s: structuredContent differs from what the API sent\n got %s\nwant %s", fx.File, tool.Name(), res.RawStructuredContent, fx.Body)
		}
		if !bytes.Equal(res.RawStructuredContent, compact(fx.Body)) {
			t.Errorf("%s via %s: structuredContent is not the API's bytes", fx.File, tool.Name())
		}
	}
}

func TestReplayRequestsReachTheWireExactly(t *testing.T) {
	reg, rec := newReplay(t)
	for _, fx := range payloadsOf(t, "request", 45) {
		tool, pathArgs, ok := toolFor(reg, fx.Operation)
		if !ok {
			t.Errorf("%s: no tool for %s", fx.File, fx.Operation)
			continue
		}
		args, wantPath := withPathArgs(t, tool, fx.Body, pathArgs)
		res := callTool(t, tool, args)
		if want, known := knownRefused[fx.File]; known {
			if !res.IsError || !strings.Contains(firstText(res), want) {
				t.Errorf("%s: want a refusal naming %q, got %v %s", fx.File, want, res.IsError, firstText(res))
			}
			continue
		}
		if res.IsError {
			t.Errorf("%s: a real request is refused by %s: %s", fx.File, tool.Name(), firstText(res))
			continue
		}
		rec.mu.Lock()
		method, path, query, got := rec.method, rec.path, rec.query, rec.got
		rec.mu.Unlock()
		if method != tool.Method || path != wantPath {
			t.Errorf("%s: stub got %s %s, want %s %s", fx.File, method, path, tool.Method, wantPath)
		}
		if method == http.MethodGet {
			if len(got) != 0 {
				t.Errorf("%s: GET carried a body", fx.File)
			}
			if query == "" && string(compact(fx.Body)) != "{}" {
				t.Errorf("%s: arguments did not reach the query string", fx.File)
			}
			continue
		}
		got = withoutAddedToken(t, got, fx.Body)
		if !sameJSON(got, fx.Body) {
			t.Errorf("%s: the stub received other arguments than given\n got %s\nwant %s", fx.File, got, fx.Body)
		}
	}
}

// knownRefused are real requests the tools refuse before sending, each with
// the words the refusal must contain: their sources wrote members the API
// does not define or a null where an object goes.
var knownRefused = map[string]string{
	// The Azure client's example sends "git_source": null; a model is told
	// to leave an optional object out instead.
	"jobs/create.request.1.json": "git_source: expected an object, got null",
	// The same null git_source; the example also has job-level parameters,
	// which are not a field of a one-time run (the shared README notes it).
	"jobs/runs-submit.request.1.json": "git_source: expected an object, got null",
}

// withoutAddedToken removes the idempotency_token a tool added to a run
// request that had none (jobs_run_now, jobs_submit), after checking that it
// is a non-empty string, so the rest can be compared with what was given.
func withoutAddedToken(t *testing.T, got, given []byte) []byte {
	t.Helper()
	var g, w map[string]json.RawMessage
	if json.Unmarshal(got, &g) != nil || json.Unmarshal(given, &w) != nil {
		return got
	}
	tok, added := g["idempotency_token"]
	if _, had := w["idempotency_token"]; had || !added {
		return got
	}
	var s string
	if json.Unmarshal(tok, &s) != nil || s == "" {
		t.Errorf("added idempotency_token %s is not a non-empty string", tok)
	}
	delete(g, "idempotency_token")
	out, _ := json.Marshal(g)
	return out
}

var pathParamRE = regexp.MustCompile(`\{([a-z0-9_]+)\}`)

// withPathArgs adds values for the tool's path parameters to a request
// fixture, which is a body and never carries them: the literal segment of the
// fixture's path where it has one (given), else a placeholder of the
// parameter's type. It returns the path the call must then reach.
func withPathArgs(t *testing.T, tool Tool, body json.RawMessage, given map[string]string) (json.RawMessage, string) {
	t.Helper()
	params := pathParamRE.FindAllStringSubmatch(tool.Path, -1)
	if len(params) == 0 {
		return body, tool.Path
	}
	var args map[string]any
	var s struct {
		Properties map[string]map[string]any `json:"properties"`
	}
	if err := json.Unmarshal(body, &args); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(tool.Definition.RawInputSchema, &s); err != nil {
		t.Fatal(err)
	}
	path := tool.Path
	for _, m := range params {
		v := placeholder(s.Properties[m[1]])
		if lit, ok := given[m[1]]; ok && lit != "1" {
			v = lit
			if _, isNum := placeholder(s.Properties[m[1]]).(int); isNum {
				v = json.Number(lit)
			}
		}
		if args == nil {
			args = map[string]any{}
		}
		args[m[1]] = v
		path = strings.Replace(path, m[0], fmt.Sprint(v), 1)
	}
	b, _ := json.Marshal(args)
	return b, path
}

// minimalArgs builds the smallest arguments an input schema accepts: its
// required properties with placeholder values.
func minimalArgs(t *testing.T, schema json.RawMessage) json.RawMessage {
	t.Helper()
	var s map[string]any
	if err := json.Unmarshal(schema, &s); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(placeholder(s))
	return b
}

func placeholder(s map[string]any) any {
	if enum, ok := s["enum"].([]any); ok && len(enum) > 0 {
		return enum[0]
	}
	switch s["type"] {
	case "object":
		out := map[string]any{}
		props, _ := s["properties"].(map[string]any)
		req, _ := s["required"].([]any)
		for _, r := range req {
			p, _ := props[r.(string)].(map[string]any)
			out[r.(string)] = placeholder(p)
		}
		return out
	case "array":
		return []any{}
	case "integer", "number":
		return 1
	case "boolean":
		return true
	}
	return "x"
}

// TestReplaySynthesizedResponses replays, for every operation tool, an
// answer none of the recorded payloads contains — every field of its
// response type, int64s beyond 2^53, an unknown member in every object —
// and checks it reaches structuredContent byte for byte.
func TestReplaySynthesizedResponses(t *testing.T) {
	reg, rec := newReplay(t)
	checked := 0
	for _, op := range client.Operations() {
		info := op.Info()
		tool, ok := reg.Lookup(info.FullName())
		if !ok || info.RawResponse {
			continue
		}
		full, err := schema.Input(info.Response)
		if err != nil {
			t.Fatal(err)
		}
		answer, err := fixtures.Synthesize(full)
		if err != nil {
			t.Fatal(err)
		}
		rec.mu.Lock()
		rec.body = answer
		rec.mu.Unlock()
		res := callTool(t, tool, minimalArgs(t, tool.Definition.RawInputSchema))
		if res.IsError {
			// A finished run the wait reads as failed, or arguments the
			// minimal set cannot satisfy: the answer did not come back as
			// a result, which other tests cover.
			continue
		}
		if !sameJSON(res.RawStructuredContent, answer) {
			t.Errorf("%s: structuredContent differs from the answer\n got %s\nwant %s", tool.Name(), res.RawStructuredContent, answer)
		}
		checked++
	}
	t.Logf("%d of %d operations replayed", checked, len(client.Operations()))
	if checked < len(client.Operations())*3/4 {
		t.Errorf("only %d of %d operations replayed", checked, len(client.Operations()))
	}
}
