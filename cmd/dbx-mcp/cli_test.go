package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

const secretToken = "dapi-super-secret-0123456789abcdef"

// runBinary runs dbx-mcp with args and env and returns its exit code,
// stdout and stderr.
func runBinary(t *testing.T, env []string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

// stub is a workspace stand-in that records what it receives.
type stub struct {
	*httptest.Server
	mu       sync.Mutex
	requests []*http.Request
	bodies   []string
}

func newStub(t *testing.T, h func(w http.ResponseWriter, r *http.Request, n int)) *stub {
	s := &stub{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.requests = append(s.requests, r)
		s.bodies = append(s.bodies, string(b))
		n := len(s.requests)
		s.mu.Unlock()
		h(w, r, n)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *stub) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

func (s *stub) request(i int) *http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[i]
}

func noSecret(t *testing.T, outputs ...string) {
	t.Helper()
	for _, o := range outputs {
		if strings.Contains(o, secretToken) {
			t.Errorf("the token appears in output:\n%s", o)
		}
	}
}

func okList(w http.ResponseWriter, _ *http.Request, _ int) {
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"clusters":[{"cluster_id":"0101-123456-abc","state":"RUNNING","spark_context_id":9007199254740993}]}`)
}

func TestCallWithTokenFromEnvironment(t *testing.T) {
	s := newStub(t, okList)
	code, out, errOut := runBinary(t, cleanEnv(t, "DATABRICKS_HOST="+s.URL, "DATABRICKS_TOKEN="+secretToken), "",
		"call", "clusters_list", `{}`, "--log-level", "debug")
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	r := s.request(0)
	if got := r.Header.Get("Authorization"); got != "Bearer "+secretToken {
		t.Errorf("Authorization = %q", got)
	}
	if r.URL.Path != "/api/2.1/clusters/list" || r.Method != "GET" {
		t.Errorf("request %s %s", r.Method, r.URL.Path)
	}
	if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "dbx-mcp/") || !strings.Contains(ua, "auth/pat") {
		t.Errorf("User-Agent = %q", ua)
	}
	if !strings.Contains(out, "9007199254740993") {
		t.Errorf("int64 lost precision: %s", out)
	}
	noSecret(t, out, errOut)
}

func TestCallWithProfile(t *testing.T) {
	s := newStub(t, okList)
	home := t.TempDir()
	cfg := fmt.Sprintf("[DEFAULT]\nhost = https://wrong.example\n\n[e2e]\nhost = %s\ntoken = %s\n", s.URL, secretToken)
	if err := os.WriteFile(filepath.Join(home, ".databrickscfg"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(cleanEnv(t), "HOME="+home) // later HOME wins
	code, out, errOut := runBinary(t, env, "", "call", "--profile", "e2e", "clusters_list")
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	if got := s.request(0).Header.Get("Authorization"); got != "Bearer "+secretToken {
		t.Errorf("Authorization = %q", got)
	}
	noSecret(t, out, errOut)

	code, _, errOut = runBinary(t, env, "", "call", "--profile", "nope", "clusters_list")
	if code == 0 || !strings.Contains(errOut, "e2e") {
		t.Errorf("unknown profile: exit %d, stderr %q should list the profiles that exist", code, errOut)
	}
}

func TestCallWithOAuthM2M(t *testing.T) {
	var tokenRequests atomic.Int32
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.URL.Path == "/oidc/v1/token" {
			tokenRequests.Add(1)
			id, secret, ok := r.BasicAuth()
			if !ok || id != "sp-client" || secret != secretToken {
				http.Error(w, `{"error":"invalid_client"}`, http.StatusUnauthorized)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"access_token":"m2m-access-token","token_type":"Bearer","expires_in":3600}`)
			return
		}
		okList(w, r, 0)
	})
	code, out, errOut := runBinary(t, cleanEnv(t, "DATABRICKS_HOST="+s.URL, "DATABRICKS_CLIENT_ID=sp-client", "DATABRICKS_CLIENT_SECRET="+secretToken),
		"", "call", "clusters_list", "{}", "--log-level", "debug")
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	if tokenRequests.Load() != 1 {
		t.Errorf("%d token requests, want 1", tokenRequests.Load())
	}
	var api *http.Request
	for i := 0; i < s.count(); i++ {
		if r := s.request(i); r.URL.Path == "/api/2.1/clusters/list" {
			api = r
		}
	}
	if api == nil || api.Header.Get("Authorization") != "Bearer m2m-access-token" {
		t.Fatalf("API request not authorized with the M2M token: %v", api)
	}
	for i := 0; i < s.count(); i++ {
		if r := s.request(i); r.URL.Path == "/oidc/v1/token" {
			s.mu.Lock()
			body := s.bodies[i]
			s.mu.Unlock()
			if !strings.Contains(body, "grant_type=client_credentials") || !strings.Contains(body, "scope=all-apis") {
				t.Errorf("token request body %q", body)
			}
		}
	}
	noSecret(t, out, errOut)
}

func TestCallRetriesRateLimits(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n <= 2 {
			w.Header().Set("Retry-After", "1")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"error_code":"REQUEST_LIMIT_EXCEEDED","message":"slow down"}`)
			return
		}
		okList(w, r, n)
	})
	code, out, errOut := runBinary(t, cleanEnv(t, "DATABRICKS_HOST="+s.URL, "DATABRICKS_TOKEN="+secretToken), "", "call", "clusters_list")
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	if s.count() != 3 {
		t.Errorf("%d requests, want exactly 3", s.count())
	}
	noSecret(t, out, errOut)
}

func TestCallReportsAPIErrors(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "req-123")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"error_code":"INVALID_PARAMETER_VALUE","message":"Cluster 1234 does not exist"}`)
	})
	code, out, errOut := runBinary(t, cleanEnv(t, "DATABRICKS_HOST="+s.URL, "DATABRICKS_TOKEN="+secretToken), "",
		"call", "clusters_get", `{"cluster_id":"1234"}`)
	if code != 1 || out != "" || !strings.Contains(errOut, "INVALID_PARAMETER_VALUE") {
		t.Fatalf("exit %d, want 1 with the error on stderr only: stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = runBinary(t, cleanEnv(t, "DATABRICKS_HOST="+s.URL, "DATABRICKS_TOKEN="+secretToken), "",
		"call", "--full", "clusters_get", `{"cluster_id":"1234"}`)
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s %s", code, out, errOut)
	}
	var res struct {
		IsError bool `json:"isError"`
		Content []struct{ Text string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("stdout is not a result: %v\n%s", err, out)
	}
	if !res.IsError || len(res.Content) == 0 {
		t.Fatalf("not an error result: %s", out)
	}
	for _, want := range []string{"INVALID_PARAMETER_VALUE", "Cluster 1234 does not exist", "400", "req-123", "not_found"} {
		if !strings.Contains(res.Content[0].Text, want) {
			t.Errorf("error result lacks %q: %s", want, res.Content[0].Text)
		}
	}
	if s.count() != 2 {
		t.Errorf("%d requests for two calls with a non-retryable error, want 2", s.count())
	}
}

func TestCallThroughExplicitProxy(t *testing.T) {
	target := newStub(t, okList)
	var proxied atomic.Int32
	var proxyAuth atomic.Value
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxied.Add(1)
		proxyAuth.Store(r.Header.Get("Proxy-Authorization"))
		if !r.URL.IsAbs() {
			http.Error(w, "not a proxy request", http.StatusBadRequest)
			return
		}
		out, err := http.NewRequest(r.Method, r.URL.String(), r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		out.Header = r.Header.Clone()
		out.Header.Del("Proxy-Authorization")
		resp, err := http.DefaultTransport.RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	defer proxy.Close()
	proxyURL := strings.Replace(proxy.URL, "http://", "http://puser:ppass@", 1)
	code, out, errOut := runBinary(t, cleanEnv(t, "DATABRICKS_HOST="+target.URL, "DATABRICKS_TOKEN="+secretToken), "",
		"call", "clusters_list", "--proxy", proxyURL)
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	if proxied.Load() == 0 || target.count() != 1 {
		t.Fatalf("request did not go through the proxy (proxy saw %d, target %d)", proxied.Load(), target.count())
	}
	if got, _ := proxyAuth.Load().(string); got == "" {
		t.Errorf("proxy credentials from the URL were not sent")
	}
	noSecret(t, out, errOut)
	if strings.Contains(out+errOut, "ppass") {
		t.Errorf("proxy password appears in output")
	}
}

func TestRefusesPlainHTTPOffLoopback(t *testing.T) {
	code, out, errOut := runBinary(t, cleanEnv(t, "DATABRICKS_HOST=http://workspace.example.com", "DATABRICKS_TOKEN="+secretToken), "",
		"call", "clusters_list")
	if code == 0 || !strings.Contains(errOut, "https") {
		t.Errorf("exit %d, stderr %q: want a refusal mentioning https", code, errOut)
	}
	noSecret(t, out, errOut)
}

func TestToolsCommand(t *testing.T) {
	code, out, errOut := runBinary(t, cleanEnv(t), "", "tools", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var list struct {
		Tools []struct{ Name string } `json:"tools"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, tl := range list.Tools {
		names[tl.Name] = true
	}
	for _, want := range expectedTools {
		if !names[want] {
			t.Errorf("tools --json lacks %s", want)
		}
	}
	code, out, _ = runBinary(t, cleanEnv(t), "", "tools", "--read-only")
	if code != 0 || strings.Contains(out, "clusters_create") || !strings.Contains(out, "clusters_get") {
		t.Errorf("tools --read-only: exit %d\n%s", code, out)
	}
	if code, out, _ := runBinary(t, cleanEnv(t), "", "version"); code != 0 || !strings.HasPrefix(out, "dbx-mcp ") {
		t.Errorf("version: exit %d %q", code, out)
	}
	if code, _, _ := runBinary(t, cleanEnv(t), "", "bogus"); code != exitUsage {
		t.Errorf("unknown command: exit %d", code)
	}
}

func TestCallOnEmulatorAndBadArguments(t *testing.T) {
	code, out, errOut := runBinary(t, cleanEnv(t), "", "call", "--emulator", "clusters_spark_versions", "{}")
	if code != 0 || !strings.Contains(out, `"versions"`) {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	code, _, errOut = runBinary(t, cleanEnv(t), `{"cluster_id": 7}`, "call", "clusters_get", "-", "--emulator")
	if code != 1 || !strings.Contains(errOut, "cluster_id") {
		t.Errorf("bad argument via stdin: exit %d %s", code, errOut)
	}
	code, out, errOut = runBinary(t, cleanEnv(t), "", "call", "secrets_put_secret", `{"scope":"s","key":"k","string_value":"hunter2-secret"`, "--emulator")
	if code != exitUsage || !strings.Contains(errOut, "not valid JSON") || strings.Contains(out+errOut, "hunter2") {
		t.Errorf("broken JSON arguments: exit %d, stderr %q (must not echo the arguments)", code, errOut)
	}
}

// TestStdioAnswersEverythingBeforeExit writes requests and closes stdin at
// once, as a script does: every request still gets its answer, including a
// tool call that changes the workspace.
func TestStdioAnswersEverythingBeforeExit(t *testing.T) {
	lines := []string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"clusters_create","arguments":{"cluster_name":"a","spark_version":"x","num_workers":1}}}`,
		`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"secrets_create_scope","arguments":{"scope":"s1"}}}`,
		`{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"clusters_list","arguments":{}}}`,
		`{"jsonrpc":"2.0","id":5,"method":"tools/list"}`,
	}
	code, out, errOut := runBinary(t, cleanEnv(t), strings.Join(lines, "\n")+"\n", "serve", "--emulator", "--log-level", "warn", "--toolsets", "all")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var m struct {
			ID    json.RawMessage `json:"id"`
			Error json.RawMessage `json:"error"`
		}
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not JSON-RPC: %q", line)
		}
		if len(m.Error) > 0 {
			t.Errorf("request %s failed: %s", m.ID, m.Error)
		}
		seen[string(m.ID)] = true
	}
	for _, id := range []string{"1", "2", "3", "4", "5"} {
		if !seen[id] {
			t.Errorf("no answer to request %s after stdin closed; got:\n%s", id, out)
		}
	}
}
