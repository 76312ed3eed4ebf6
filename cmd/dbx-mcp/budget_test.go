package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dbx-mcp/dbx-mcp/schema"
	"github.com/dbx-mcp/dbx-mcp/tools"
)

// Context budgets a model pays for before it does anything (README,
// docs/benchmarks.md).
const (
	defaultListBudget   = 40 << 10
	toolBudget          = 16 << 10
	discoveryListBudget = 2 << 10
)

// listingSession speaks JSON-RPC over the binary's stdio line by line, so the
// tests see the exact bytes a client receives.
type listingSession struct {
	t      *testing.T
	in     io.WriteCloser
	out    *bufio.Reader
	nextID atomic.Int64
}

func startListing(t *testing.T, env []string, args ...string) *listingSession {
	t.Helper()
	cmd := exec.Command(binPath, append([]string{"serve", "--emulator", "--emulator-delay", "200ms", "--log-level", "warn"}, args...)...)
	cmd.Env = env
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		in.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
	})
	s := &listingSession{t: t, in: in, out: bufio.NewReaderSize(out, 1<<20)}
	s.request("initialize", `{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"budget","version":"1"}}`)
	fmt.Fprintln(in, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	return s
}

// request sends one request and returns the raw result member of its
// answer, failing the test on a JSON-RPC error.
func (s *listingSession) request(method, params string) json.RawMessage {
	s.t.Helper()
	id := s.nextID.Add(1)
	fmt.Fprintf(s.in, `{"jsonrpc":"2.0","id":%d,"method":%q,"params":%s}`+"\n", id, method, params)
	for {
		line, err := s.out.ReadBytes('\n')
		if err != nil {
			s.t.Fatalf("%s: reading the answer: %v", method, err)
		}
		var m struct {
			ID     json.RawMessage `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  json.RawMessage `json:"error"`
		}
		if json.Unmarshal(line, &m) != nil || string(m.ID) != fmt.Sprint(id) {
			continue // a notification
		}
		if m.Error != nil {
			s.t.Fatalf("%s: %s", method, m.Error)
		}
		return m.Result
	}
}

type listedTool struct {
	Name         string          `json:"name"`
	InputSchema  json.RawMessage `json:"inputSchema"`
	OutputSchema json.RawMessage `json:"outputSchema"`
}

func (s *listingSession) listTools() (raw json.RawMessage, list []listedTool) {
	s.t.Helper()
	raw = s.request("tools/list", `{}`)
	var r struct {
		Tools []json.RawMessage `json:"tools"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		s.t.Fatal(err)
	}
	for _, b := range r.Tools {
		var lt listedTool
		if err := json.Unmarshal(b, &lt); err != nil {
			s.t.Fatal(err)
		}
		if len(b) > toolBudget {
			s.t.Errorf("%s: definition is %d bytes, over the %d budget", lt.Name, len(b), toolBudget)
		}
		list = append(list, lt)
	}
	return raw, list
}

func toolNames(list []listedTool) []string {
	out := make([]string, len(list))
	for i, t := range list {
		out[i] = t.Name
	}
	return out
}

func TestToolListBudgets(t *testing.T) {
	t.Run("default", func(t *testing.T) {
		raw, list := startListing(t, cleanEnv(t)).listTools()
		t.Logf("default tools/list: %d tools, %d bytes", len(list), len(raw))
		if len(raw) > defaultListBudget {
			t.Errorf("default tools/list is %d bytes, over the %d budget", len(raw), defaultListBudget)
		}
		names := toolNames(list)
		for _, want := range []string{"clusters_list", "clusters_get"} {
			if !slices.Contains(names, want) {
				t.Errorf("default tools lack %s: %v", want, names)
			}
		}
		if len(names) >= len(tools.ToolNames()) {
			t.Errorf("the default toolset offers all %d tools", len(names))
		}
	})
	for name, s := range map[string]*listingSession{
		"flag": startListing(t, cleanEnv(t), "--toolsets", "all"),
		"env":  startListing(t, cleanEnv(t, "DBX_MCP_TOOLSETS=all")),
	} {
		t.Run("all by "+name, func(t *testing.T) {
			raw, list := s.listTools()
			t.Logf("all tools/list: %d tools, %d bytes", len(list), len(raw))
			if got, want := toolNames(list), tools.ToolNames(); !slices.Equal(sortedCopy(got), sortedCopy(want)) {
				t.Errorf("listed %v, want every tool %v", got, want)
			}
			for _, tl := range list {
				for _, sch := range []json.RawMessage{tl.InputSchema, tl.OutputSchema} {
					for _, p := range schema.PortabilityProblems(sch) {
						t.Errorf("%s: %s", tl.Name, p)
					}
				}
			}
		})
	}
	t.Run("exact tools", func(t *testing.T) {
		for _, s := range []*listingSession{
			startListing(t, cleanEnv(t), "--tools", "clusters_get,clusters_list"),
			startListing(t, cleanEnv(t, "DBX_MCP_TOOLS=clusters_get,clusters_list")),
		} {
			_, list := s.listTools()
			if got := toolNames(list); !slices.Equal(got, []string{"clusters_get", "clusters_list"}) {
				t.Errorf("listed %v, want exactly clusters_get and clusters_list", got)
			}
		}
	})
	t.Run("discovery", func(t *testing.T) {
		s := startListing(t, cleanEnv(t), "--tool-mode", "discovery")
		raw, list := s.listTools()
		t.Logf("discovery tools/list: %d tools, %d bytes", len(list), len(raw))
		if len(raw) > discoveryListBudget {
			t.Errorf("discovery tools/list is %d bytes, over the %d budget", len(raw), discoveryListBudget)
		}
		found := s.request("tools/call", `{"name":"search_operations","arguments":{"query":"list clusters"}}`)
		if !strings.Contains(string(found), `"name":"clusters_list"`) {
			t.Errorf("search for list clusters: %s", found)
		}
		described := s.request("tools/call", `{"name":"describe_operation","arguments":{"name":"clusters_list"}}`)
		if !strings.Contains(string(described), `filter_by`) || !strings.Contains(string(described), `"access":"read"`) {
			t.Errorf("describe clusters_list: %s", described)
		}
		s.request("tools/call", `{"name":"invoke_operation","arguments":{"name":"clusters_create","arguments":{"cluster_name":"d","spark_version":"15.4.x-scala2.12","num_workers":0}}}`)
		listed := s.request("tools/call", `{"name":"invoke_operation","arguments":{"name":"clusters_list","arguments":{}}}`)
		if !strings.Contains(string(listed), `"cluster_name":"d"`) || strings.Contains(string(listed), `"isError":true`) {
			t.Errorf("invoke clusters_list: %s", listed)
		}
		bad := s.request("tools/call", `{"name":"invoke_operation","arguments":{"name":"clusters_list","arguments":{"filter_by":{"cluster_states":["SLEEPING"]}}}}`)
		if !strings.Contains(string(bad), `"isError":true`) || !strings.Contains(string(bad), "nothing was sent") {
			t.Errorf("a bad argument through invoke_operation was not caught: %s", bad)
		}
		typo := s.request("tools/call", `{"name":"invoke_operation","arguments":{"name":"clusters_lst"}}`)
		if !strings.Contains(string(typo), "did you mean clusters_list?") {
			t.Errorf("unknown operation: %s", typo)
		}
	})
	t.Run("discovery read-only", func(t *testing.T) {
		s := startListing(t, cleanEnv(t), "--tool-mode", "discovery", "--read-only")
		res := s.request("tools/call", `{"name":"invoke_operation","arguments":{"name":"clusters_create","arguments":{"cluster_name":"d","spark_version":"x","num_workers":0}}}`)
		if !strings.Contains(string(res), `"isError":true`) || !strings.Contains(string(res), "No operation") {
			t.Errorf("read-only discovery invoked clusters_create: %s", res)
		}
		found := s.request("tools/call", `{"name":"search_operations","arguments":{"query":"create cluster"}}`)
		if strings.Contains(string(found), `"name":"clusters_create"`) {
			t.Errorf("read-only discovery finds clusters_create: %s", found)
		}
	})
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}
