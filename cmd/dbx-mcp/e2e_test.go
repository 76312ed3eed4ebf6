package main

import (
	"github.com/dbx-mcp/dbx-mcp/tools"

	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// binPath is the dbx-mcp binary the end-to-end tests run, built once.
var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dbx-mcp-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "dbx-mcp")
	build := exec.Command("go", "build", "-o", binPath, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building dbx-mcp:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cleanEnv is an environment without any Databricks settings of the
// machine running the tests, a HOME without a ~/.databrickscfg, and a cache
// directory of its own, so that no test finds an emulator the user runs.
func cleanEnv(t *testing.T, extra ...string) []string {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "DATABRICKS_") || strings.HasPrefix(k, "ARM_") || strings.HasPrefix(k, "AZURE_") ||
			k == "HOME" || k == "XDG_CACHE_HOME" || k == emulatorAddrEnv ||
			strings.EqualFold(k, "HTTPS_PROXY") || strings.EqualFold(k, "HTTP_PROXY") || strings.EqualFold(k, "NO_PROXY") {
			continue
		}
		env = append(env, kv)
	}
	home := t.TempDir()
	return append(append(env, "HOME="+home, "XDG_CACHE_HOME="+filepath.Join(home, ".cache")), extra...)
}

// toolSession is an MCP client session plus what the tests need to check
// results: each tool's output schema, compiled by an independent validator.
type toolSession struct {
	t       *testing.T
	c       *mcpclient.Client
	tools   map[string]mcp.Tool
	schemas map[string]*jsonschema.Schema
}

func newSession(t *testing.T, c *mcpclient.Client) *toolSession {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "e2e", Version: "1"}
	res, err := c.Initialize(ctx, init)
	if err != nil {
		t.Fatalf("initialize: %v", err)
	}
	if res.ServerInfo.Name != "dbx-mcp" {
		t.Errorf("server name %q", res.ServerInfo.Name)
	}
	list, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatalf("tools/list: %v", err)
	}
	s := &toolSession{t: t, c: c, tools: map[string]mcp.Tool{}, schemas: map[string]*jsonschema.Schema{}}
	for _, tool := range list.Tools {
		s.tools[tool.Name] = tool
		s.schemas[tool.Name] = compileSchema(t, tool.Name+"/output", tool.RawOutputSchema, tool.OutputSchema)
		compileSchema(t, tool.Name+"/input", tool.RawInputSchema, tool.InputSchema)
	}
	return s
}

func compileSchema(t *testing.T, name string, raw json.RawMessage, typed any) *jsonschema.Schema {
	t.Helper()
	if len(raw) == 0 {
		b, err := json.Marshal(typed)
		if err != nil {
			t.Fatal(err)
		}
		raw = b
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	comp := jsonschema.NewCompiler()
	if err := comp.AddResource(name+".json", doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	sch, err := comp.Compile(name + ".json")
	if err != nil {
		t.Fatalf("%s: schema does not compile: %v\n%s", name, err, raw)
	}
	return sch
}

// call invokes a tool, checks a successful result's structured content
// against the tool's output schema, and returns the raw structured content.
func (s *toolSession) call(name string, args string) (json.RawMessage, *mcp.CallToolResult) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = json.RawMessage(args)
	res, err := s.c.CallTool(ctx, req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", name, args, err)
	}
	if res.IsError {
		return nil, res
	}
	raw := res.RawStructuredContent
	if len(raw) == 0 {
		s.t.Fatalf("%s: result has no structuredContent: %+v", name, res)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		s.t.Fatalf("%s: structuredContent is not JSON: %v", name, err)
	}
	if err := s.schemas[name].Validate(doc); err != nil {
		s.t.Errorf("%s: structuredContent does not validate against outputSchema: %v\n%s", name, err, raw)
	}
	if text := resultText(res); !jsonEqual(s.t, []byte(text), raw) && !sameButDecoded(text, raw) {
		s.t.Errorf("%s: text rendering differs from structuredContent:\n%s\n%s", name, text, raw)
	}
	return raw, res
}

// sameButDecoded reports whether a text rendering is the structured answer
// with base64 members shown decoded as <name>_text (workspace_export), and
// nothing else changed.
func sameButDecoded(text string, raw json.RawMessage) bool {
	var tm, rm map[string]json.RawMessage
	if json.Unmarshal([]byte(text), &tm) != nil || json.Unmarshal(raw, &rm) != nil {
		return false
	}
	for k, v := range tm {
		name, decoded := strings.CutSuffix(k, "_text")
		if _, inRaw := rm[k]; decoded && !inRaw {
			var enc, dec string
			if json.Unmarshal(rm[name], &enc) != nil || json.Unmarshal(v, &dec) != nil {
				return false
			}
			if b, err := base64.StdEncoding.DecodeString(enc); err != nil || string(b) != dec {
				return false
			}
			delete(rm, name)
			continue
		}
		if !bytes.Equal(bytes.TrimSpace(v), bytes.TrimSpace(rm[k])) {
			return false
		}
		delete(rm, k)
	}
	return len(rm) == 0
}

// mustCall is call for calls that must succeed.
func (s *toolSession) mustCall(name, args string) json.RawMessage {
	s.t.Helper()
	raw, res := s.call(name, args)
	if res.IsError {
		s.t.Fatalf("%s %s: error result: %s", name, args, resultText(res))
	}
	return raw
}

// mustFail is call for calls that must give an isError result whose text
// contains every one of want.
func (s *toolSession) mustFail(name, args string, want ...string) string {
	s.t.Helper()
	_, res := s.call(name, args)
	text := resultText(res)
	if !res.IsError {
		s.t.Fatalf("%s %s: succeeded, want an error result", name, args)
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			s.t.Errorf("%s %s: error result %q does not mention %q", name, args, text, w)
		}
	}
	return text
}

func resultText(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if t, ok := c.(mcp.TextContent); ok {
			b.WriteString(t.Text)
		}
	}
	return b.String()
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	da := json.NewDecoder(bytes.NewReader(a))
	da.UseNumber()
	db := json.NewDecoder(bytes.NewReader(b))
	db.UseNumber()
	if da.Decode(&x) != nil || db.Decode(&y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

func field(t *testing.T, raw json.RawMessage, path ...string) json.RawMessage {
	t.Helper()
	cur := raw
	for _, p := range path {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(cur, &m); err != nil {
			t.Fatalf("%s in %s: %v", p, raw, err)
		}
		cur = m[p]
	}
	return cur
}

func str(t *testing.T, raw json.RawMessage, path ...string) string {
	t.Helper()
	var s string
	if err := json.Unmarshal(field(t, raw, path...), &s); err != nil {
		t.Fatalf("%v in %s: not a string", path, raw)
	}
	return s
}

// expectedTools are every tool there is, from the operation declarations.
var expectedTools = tools.ToolNames()

// scenario drives the emulated workspace through every service the way an
// agent would, over whichever transport the session uses.
func scenario(t *testing.T, s *toolSession) {
	for _, name := range expectedTools {
		tool, ok := s.tools[name]
		if !ok {
			t.Errorf("tool %s is not listed", name)
			continue
		}
		if tool.Annotations.ReadOnlyHint == nil || tool.Annotations.DestructiveHint == nil ||
			tool.Annotations.IdempotentHint == nil || tool.Annotations.OpenWorldHint == nil || tool.Annotations.Title == "" {
			t.Errorf("tool %s: incomplete annotations %+v", name, tool.Annotations)
		}
	}

	t.Run("clusters", func(t *testing.T) {
		versions := s.mustCall("clusters_spark_versions", `{}`)
		var sv struct {
			Versions []struct{ Key string } `json:"versions"`
		}
		json.Unmarshal(versions, &sv)
		nodes := s.mustCall("clusters_list_node_types", `{}`)
		var nt struct {
			NodeTypes []struct {
				NodeTypeID string `json:"node_type_id"`
			} `json:"node_types"`
		}
		json.Unmarshal(nodes, &nt)
		if len(sv.Versions) == 0 || len(nt.NodeTypes) == 0 {
			t.Fatalf("no spark versions or node types: %s %s", versions, nodes)
		}
		created := s.mustCall("clusters_create", fmt.Sprintf(
			`{"cluster_name":"e2e","spark_version":%q,"node_type_id":%q,"num_workers":1,"spark_conf":{"spark.speculation":"true"},"custom_tags":{"team":"e2e"}}`,
			sv.Versions[0].Key, nt.NodeTypes[0].NodeTypeID))
		id := str(t, created, "cluster_id")
		idArg := fmt.Sprintf(`{"cluster_id":%q}`, id)
		waitState(t, s, id, "RUNNING")
		got := s.mustCall("clusters_get", idArg)
		if str(t, got, "custom_tags", "team") != "e2e" || str(t, got, "spark_conf", "spark.speculation") != "true" {
			t.Errorf("cluster lost its configuration: %s", got)
		}
		list := s.mustCall("clusters_list", `{}`)
		if !strings.Contains(string(list), id) {
			t.Errorf("clusters_list lacks %s: %s", id, list)
		}
		running := s.mustCall("clusters_list", `{"filter_by":{"cluster_states":["RUNNING"]}}`)
		if !strings.Contains(string(running), id) {
			t.Errorf("clusters_list filtered by RUNNING lacks %s", id)
		}
		s.mustCall("clusters_resize", fmt.Sprintf(`{"cluster_id":%q,"num_workers":2}`, id))
		waitState(t, s, id, "RUNNING")
		if got := s.mustCall("clusters_get", idArg); string(field(t, got, "num_workers")) != "2" {
			t.Errorf("resize to 2 workers not applied: num_workers=%s", field(t, got, "num_workers"))
		}
		s.mustCall("clusters_events", idArg)
		s.mustCall("clusters_delete", idArg)
		waitState(t, s, id, "TERMINATED")
		s.mustFail("clusters_resize", fmt.Sprintf(`{"cluster_id":%q,"num_workers":3}`, id), "INVALID_STATE", "400")
		s.mustFail("clusters_get", `{"cluster_id":"0000-000000-doesnotexist"}`, "INVALID_PARAMETER_VALUE", "does not exist")
	})

	t.Run("secrets", func(t *testing.T) {
		s.mustCall("secrets_create_scope", `{"scope":"e2e-scope"}`)
		s.mustCall("secrets_put_secret", `{"scope":"e2e-scope","key":"db-password","string_value":"hunter2-very-secret"}`)
		scopes := s.mustCall("secrets_list_scopes", `{}`)
		if !strings.Contains(string(scopes), "e2e-scope") {
			t.Errorf("scope not listed: %s", scopes)
		}
		listed, res := s.call("secrets_list_secrets", `{"scope":"e2e-scope"}`)
		if res.IsError || !strings.Contains(string(listed), "db-password") {
			t.Errorf("secret not listed: %s", resultText(res))
		}
		if strings.Contains(resultText(res), "hunter2") || strings.Contains(string(listed), "hunter2") {
			t.Errorf("secret value appears in a listing: %s", listed)
		}
		s.mustCall("secrets_delete_secret", `{"scope":"e2e-scope","key":"db-password"}`)
		s.mustCall("secrets_delete_scope", `{"scope":"e2e-scope"}`)
		s.mustFail("secrets_list_secrets", `{"scope":"e2e-scope"}`, "RESOURCE_DOES_NOT_EXIST")
	})

	t.Run("tokens", func(t *testing.T) {
		created := s.mustCall("tokens_create", `{"comment":"e2e","lifetime_seconds":3600}`)
		value := str(t, created, "token_value")
		id := str(t, created, "token_info", "token_id")
		if value == "" || id == "" {
			t.Fatalf("token create: %s", created)
		}
		list := s.mustCall("tokens_list", `{}`)
		if !strings.Contains(string(list), id) || strings.Contains(string(list), value) {
			t.Errorf("token list must show the id and never the value: %s", list)
		}
		s.mustCall("tokens_delete", fmt.Sprintf(`{"token_id":%q}`, id))
	})

	t.Run("bad arguments", func(t *testing.T) {
		s.mustFail("clusters_get", `{}`, "cluster_id", "required")
		s.mustFail("clusters_get", `{"cluster_id":42}`, "cluster_id", "expected a string")
		s.mustFail("clusters_get", `{"cluster_id":"x","clusterid":"y"}`, "clusterid", "unknown property")
		s.mustFail("clusters_list", `{"filter_by":{"cluster_states":["SLEEPING"]}}`, "filter_by.cluster_states[0]", "RUNNING")
		s.mustFail("clusters_resize", `{"cluster_id":"x","num_workers":"two"}`, "num_workers", "integer")
	})

	t.Run("api_call", func(t *testing.T) {
		raw := s.mustCall("api_call", `{"method":"GET","path":"/api/2.1/clusters/list"}`)
		if len(field(t, raw, "response")) == 0 {
			t.Errorf("api_call result lacks response: %s", raw)
		}
		s.mustFail("api_call", `{"method":"GET","path":"https://evil.example/api/2.1/clusters/list"}`, "path")
		s.mustFail("api_call", `{"method":"GET","path":"/api/2.0/../../login"}`, "path", "..")
		s.mustFail("api_call", `{"method":"GET","path":"/login"}`, "path", "/api/")
		s.mustFail("api_call", `{"method":"GET","path":"/api/2.1/clusters/get","query":{"cluster_id":"nope"}}`, "INVALID_PARAMETER_VALUE")
	})
}

func waitState(t *testing.T, s *toolSession, id, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := s.mustCall("clusters_get", fmt.Sprintf(`{"cluster_id":%q}`, id))
		state := str(t, got, "state")
		if state == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("cluster %s is %s, want %s", id, state, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestEndToEndStdio(t *testing.T) {
	c, err := mcpclient.NewStdioMCPClient(binPath, cleanEnv(t), "serve", "--emulator", "--emulator-delay", "300ms", "--log-level", "info", "--toolsets", "all")
	if err != nil {
		t.Fatal(err)
	}
	// Keep the server's log, and show it if anything fails.
	var mu sync.Mutex
	var serverLog bytes.Buffer
	copied := make(chan struct{})
	if st, ok := c.GetTransport().(*transport.Stdio); ok {
		go func() {
			defer close(copied)
			buf := make([]byte, 4096)
			for {
				n, err := st.Stderr().Read(buf)
				mu.Lock()
				serverLog.Write(buf[:n])
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	} else {
		close(copied)
	}
	defer func() {
		c.Close()
		select {
		case <-copied:
		case <-time.After(5 * time.Second):
		}
		if t.Failed() {
			mu.Lock()
			t.Logf("server log:\n%s", serverLog.String())
			mu.Unlock()
		}
	}()
	scenario(t, newSession(t, c))
}

// startHTTPServer runs `dbx-mcp serve --http 127.0.0.1:0` with args and
// returns the MCP endpoint URL it logs.
func startHTTPServer(t *testing.T, env []string, args ...string) string {
	t.Helper()
	url, _ := startProcess(t, env, servedURL,
		append([]string{"serve", "--http", "127.0.0.1:0", "--toolsets", "all"}, args...)...)
	return url
}

func TestEndToEndHTTP(t *testing.T) {
	url := startHTTPServer(t, cleanEnv(t), "--emulator", "--emulator-delay", "300ms")
	c, err := mcpclient.NewStreamableHttpClient(url, transport.WithHTTPTimeout(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	scenario(t, newSession(t, c))

	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"ping"}`))
	req.Header.Set("Origin", "http://evil.example")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("Origin evil.example: status %d, want 403", resp.StatusCode)
	}
}
