package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/emulator"
)

// wsRecorder is a workspace stub that answers every call with an empty
// object and keeps what it was sent.
type wsRecorder struct {
	mu   sync.Mutex
	seen []string // "METHOD path?query body"
}

func (r *wsRecorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.seen = append(r.seen, req.Method+" "+req.URL.RequestURI()+" "+string(body))
	r.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{}`)
}

func (r *wsRecorder) requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.seen)
}

// stubWorkspace starts a recording stub and a client for it on cloud.
func stubWorkspace(t *testing.T, name, cloud string) (Workspace, *wsRecorder) {
	t.Helper()
	rec := &wsRecorder{}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	c, err := client.New(&client.Config{Host: srv.URL, Token: "dapi-" + name}, client.WithCloud(cloud))
	if err != nil {
		t.Fatal(err)
	}
	return Workspace{Name: name, Client: c}, rec
}

func definitionsJSON(t *testing.T, reg *Registry) [][]byte {
	t.Helper()
	var out [][]byte
	for _, tool := range reg.Tools() {
		b, err := json.Marshal(tool.Definition)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// One workspace is today's server: the same tools, byte for byte, as
// NewRegistry builds from the catalog snapshots (TestCatalog ties those
// to the snapshots), in every mode.
func TestOneWorkspaceIsUnchanged(t *testing.T) {
	for _, opts := range []Options{
		{},
		{Toolsets: []string{AllToolsets}, LocalDir: t.TempDir()},
		{Mode: ModeDiscovery},
		{ReadOnly: true},
	} {
		for _, cloud := range append([]string{""}, Clouds...) {
			ws, _ := stubWorkspace(t, "only", cloud)
			got, err := NewWorkspacesRegistry([]Workspace{ws}, opts)
			if err != nil {
				t.Fatal(err)
			}
			opts.Cloud = cloud
			want, err := NewRegistry(nil, opts)
			if err != nil {
				t.Fatal(err)
			}
			g, w := definitionsJSON(t, got), definitionsJSON(t, want)
			if len(g) != len(w) {
				t.Fatalf("%+v: %d tools, want %d", opts, len(g), len(w))
			}
			for i := range g {
				if !bytes.Equal(g[i], w[i]) {
					t.Errorf("%+v: %s differs from the one-workspace definition", opts, got.Tools()[i].Name())
				}
				if workspaceArgOf(t, got.Tools()[i]) != nil {
					t.Errorf("%+v: %s has a workspace argument with one workspace", opts, got.Tools()[i].Name())
				}
			}
		}
	}
}

// The option's name is free: no tool in any mode, on any cloud's
// schemas, has a top-level argument of that name of its own.
func TestWorkspaceOptionIsFree(t *testing.T) {
	var regs []*Registry
	for _, opts := range []Options{
		{Toolsets: []string{AllToolsets}, LocalDir: t.TempDir()},
		{Toolsets: []string{AllToolsets}, Mode: ModeDiscovery},
	} {
		reg, err := NewRegistry(nil, opts)
		if err != nil {
			t.Fatal(err)
		}
		regs = append(regs, reg)
	}
	n := 0
	for _, reg := range regs {
		for _, tool := range append(reg.Tools(), reg.Operations()...) {
			var s struct {
				Properties map[string]json.RawMessage `json:"properties"`
			}
			if err := json.Unmarshal(tool.Definition.RawInputSchema, &s); err != nil {
				t.Fatalf("%s: %v", tool.Name(), err)
			}
			if _, ok := s.Properties[WorkspaceOption]; ok {
				t.Errorf("%s declares its own %q argument; pick another name for the tool option", tool.Name(), WorkspaceOption)
			}
			n++
		}
	}
	if n < len(ToolNames()) {
		t.Fatalf("checked %d tools, fewer than the %d there are", n, len(ToolNames()))
	}
}

type workspaceArg struct {
	Type        string   `json:"type"`
	Enum        []string `json:"enum"`
	Description string   `json:"description"`
}

func workspaceArgOf(t *testing.T, tool Tool) *workspaceArg {
	t.Helper()
	var s struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Required   []string                   `json:"required"`
	}
	if err := json.Unmarshal(tool.Definition.RawInputSchema, &s); err != nil {
		t.Fatalf("%s: %v", tool.Name(), err)
	}
	raw, ok := s.Properties[WorkspaceOption]
	if !ok {
		return nil
	}
	if slices.Contains(s.Required, WorkspaceOption) {
		t.Errorf("%s: the workspace argument is required", tool.Name())
	}
	var a workspaceArg
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("%s: %v", tool.Name(), err)
	}
	return &a
}

// With two workspaces every tool that calls one takes the enum'd option;
// the meta-tools that only read the catalogue do not.
func TestSeveralWorkspacesSchemas(t *testing.T) {
	a, _ := stubWorkspace(t, "a", "azure")
	b, _ := stubWorkspace(t, "b", "azure")
	for _, opts := range []Options{
		{},
		{Toolsets: []string{AllToolsets}, LocalDir: t.TempDir()},
		{Mode: ModeDiscovery},
		{ReadOnly: true},
	} {
		reg, err := NewWorkspacesRegistry([]Workspace{a, b}, opts)
		if err != nil {
			t.Fatal(err)
		}
		_, listed := reg.Lookup(WorkspacesListName)
		_, reached := reg.LookupOperation(WorkspacesListName)
		if listed == (opts.Mode == ModeDiscovery) || !reached {
			t.Errorf("%+v: workspaces_list listed %v, reached %v", opts, listed, reached)
		}
		for _, tool := range reg.Tools() {
			arg := workspaceArgOf(t, tool)
			switch tool.Name() {
			case SearchToolName, DescribeToolName, WorkspacesListName:
				if arg != nil {
					t.Errorf("%+v: %s takes a workspace argument, but calls none", opts, tool.Name())
				}
				continue
			}
			if arg == nil {
				t.Errorf("%+v: %s has no workspace argument", opts, tool.Name())
				continue
			}
			if arg.Type != "string" || !slices.Equal(arg.Enum, []string{"a", "b"}) || !strings.Contains(arg.Description, "default a") {
				t.Errorf("%+v: %s: workspace argument %+v", opts, tool.Name(), arg)
			}
		}
	}
	// Without workspaces_list (a selection by tool name) the description
	// does not point to it.
	reg, err := NewWorkspacesRegistry([]Workspace{a, b}, Options{Tools: []string{"secrets_list_scopes"}})
	if err != nil {
		t.Fatal(err)
	}
	tool, _ := reg.Lookup("secrets_list_scopes")
	if _, ok := reg.Lookup(WorkspacesListName); ok || strings.Contains(workspaceArgOf(t, tool).Description, WorkspacesListName) {
		t.Errorf("--tools selection: workspaces_list offered or named")
	}
}

func wsCall(t *testing.T, reg *Registry, name, args string) *mcp.CallToolResult {
	t.Helper()
	tool, ok := reg.Lookup(name)
	if !ok {
		t.Fatalf("no tool %s", name)
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.RawArguments = json.RawMessage(args)
	res, err := tool.Handler(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func metaWorkspace(res *mcp.CallToolResult) any {
	if res.Meta == nil {
		return nil
	}
	return res.Meta.AdditionalFields[WorkspaceMetaKey]
}

// Calls go to the workspace named (the first when none is), the option
// never reaches the wire, the result names the workspace, and a wrong name
// is refused with the allowed ones before anything is sent.
func TestSeveralWorkspacesRouting(t *testing.T) {
	a, recA := stubWorkspace(t, "a", "")
	b, recB := stubWorkspace(t, "b", "")
	ws := []Workspace{a, b}
	reg, err := NewWorkspacesRegistry(ws, Options{Toolsets: []string{AllToolsets}})
	if err != nil {
		t.Fatal(err)
	}
	disc, err := NewWorkspacesRegistry(ws, Options{Mode: ModeDiscovery})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		reg       *Registry
		tool      string
		args      string
		workspace string
		want      string // the request the workspace receives
	}{
		{reg, "secrets_list_scopes", `{}`, "a", "GET /api/2.0/secrets/scopes/list "},
		{reg, "secrets_list_scopes", `{"workspace":"b"}`, "b", "GET /api/2.0/secrets/scopes/list "},
		{reg, "secrets_create_scope", `{"scope":"s","workspace":"b"}`, "b", `POST /api/2.0/secrets/scopes/create {"scope":"s"}`},
		{reg, "secrets_create_scope", `{"workspace":"a","scope":"t"}`, "a", `POST /api/2.0/secrets/scopes/create {"scope":"t"}`},
		// An escaped key is the same key.
		{reg, "secrets_create_scope", `{"scope":"u","work\u0073pace":"b"}`, "b", `POST /api/2.0/secrets/scopes/create {"scope":"u"}`},
		{reg, APICallName, `{"method":"GET","path":"/api/2.0/secrets/scopes/list","workspace":"b"}`, "b", "GET /api/2.0/secrets/scopes/list "},
		{disc, InvokeToolName, `{"name":"secrets_create_scope","arguments":{"scope":"v"},"workspace":"b"}`, "b", `POST /api/2.0/secrets/scopes/create {"scope":"v"}`},
		{disc, InvokeToolName, `{"name":"secrets_list_scopes"}`, "a", "GET /api/2.0/secrets/scopes/list "},
	}
	for _, c := range cases {
		beforeA, beforeB := len(recA.requests()), len(recB.requests())
		res := wsCall(t, c.reg, c.tool, c.args)
		if res.IsError {
			t.Errorf("%s %s: %s", c.tool, c.args, allText(res))
			continue
		}
		if got := metaWorkspace(res); got != c.workspace {
			t.Errorf("%s %s: _meta names %v, want %s", c.tool, c.args, got, c.workspace)
		}
		to, other := recA, recB
		n, m := beforeA, beforeB
		if c.workspace == "b" {
			to, other, n, m = recB, recA, beforeB, beforeA
		}
		got := to.requests()[n:]
		if len(got) != 1 || got[0] != c.want {
			t.Errorf("%s %s: workspace %s received %q, want %q", c.tool, c.args, c.workspace, got, c.want)
		}
		if extra := other.requests()[m:]; len(extra) > 0 {
			t.Errorf("%s %s: the other workspace received %q", c.tool, c.args, extra)
		}
	}
	for _, c := range []struct {
		reg        *Registry
		tool, args string
	}{
		{reg, "secrets_list_scopes", `{"workspace":"c"}`},
		{reg, "secrets_create_scope", `{"scope":"s","workspace":"A"}`},
		{reg, APICallName, `{"method":"GET","path":"/api/2.0/clusters/list","workspace":"c"}`},
		{disc, InvokeToolName, `{"name":"secrets_list_scopes","workspace":"c"}`},
	} {
		beforeA, beforeB := len(recA.requests()), len(recB.requests())
		res := wsCall(t, c.reg, c.tool, c.args)
		text := allText(res)
		if !res.IsError || !strings.Contains(text, "nothing was sent") || !strings.Contains(text, WorkspaceOption) || !strings.Contains(text, `"a", "b"`) {
			t.Errorf("%s %s: want a refusal naming the allowed workspaces, got %q", c.tool, c.args, text)
		}
		if len(recA.requests()) != beforeA || len(recB.requests()) != beforeB {
			t.Errorf("%s %s: a refused call reached a workspace", c.tool, c.args)
		}
	}
	// An API argument's own value "workspace" is left alone.
	res := wsCall(t, reg, "secrets_create_scope", `{"scope":"workspace","workspace":"a"}`)
	if got := recA.requests(); res.IsError || got[len(got)-1] != `POST /api/2.0/secrets/scopes/create {"scope":"workspace"}` {
		t.Errorf("scope named workspace: %s, sent %q", allText(res), got[len(got)-1])
	}
}

func TestWorkspacesList(t *testing.T) {
	a, recA := stubWorkspace(t, "a", "azure")
	b, recB := stubWorkspace(t, "b", "aws")
	reg, err := NewWorkspacesRegistry([]Workspace{a, b}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := wsCall(t, reg, WorkspacesListName, `{}`)
	var got struct {
		Workspaces []map[string]any `json:"workspaces"`
	}
	if err := json.Unmarshal(res.RawStructuredContent, &got); err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{
		{"name": "a", "host": a.Client.Host(), "cloud": "azure", "auth_type": "pat", "default": true},
		{"name": "b", "host": b.Client.Host(), "cloud": "aws", "auth_type": "pat", "default": false},
	}
	wb, _ := json.Marshal(want)
	gb, _ := json.Marshal(got.Workspaces)
	if !bytes.Equal(wb, gb) {
		t.Errorf("workspaces_list: %s, want %s", gb, wb)
	}
	if strings.Contains(allText(res), "dapi-") {
		t.Errorf("workspaces_list shows a token: %s", allText(res))
	}
	if len(recA.requests())+len(recB.requests()) != 0 {
		t.Errorf("workspaces_list called a workspace")
	}
	if s := WorkspacesSummary([]Workspace{a, b}); !strings.Contains(s, "a ("+a.Client.Host()+")") || !strings.Contains(s, "b ("+b.Client.Host()+")") || strings.Contains(s, "\n") {
		t.Errorf("summary %q", s)
	}
	if s := WorkspacesSummary([]Workspace{a}); s != "" {
		t.Errorf("one workspace: summary %q, want none", s)
	}
}

// Schemas are tailored to the workspaces' cloud only when they share it.
func TestSeveralWorkspacesCloud(t *testing.T) {
	for _, c := range []struct {
		clouds   []string
		keepsAWS bool
	}{
		{[]string{"azure", "azure"}, false},
		{[]string{"azure", "aws"}, true},
		{[]string{"azure", ""}, true},
	} {
		var ws []Workspace
		for i, cloud := range c.clouds {
			w, _ := stubWorkspace(t, string(rune('a'+i)), cloud)
			ws = append(ws, w)
		}
		reg, err := NewWorkspacesRegistry(ws, Options{Tools: []string{"clusters_create"}})
		if err != nil {
			t.Fatal(err)
		}
		tool, _ := reg.Lookup("clusters_create")
		if got := bytes.Contains(tool.Definition.RawInputSchema, []byte(`"aws_attributes"`)); got != c.keepsAWS {
			t.Errorf("clouds %q: aws_attributes advertised %v, want %v", c.clouds, got, c.keepsAWS)
		}
	}
}

func TestWorkspacesRefused(t *testing.T) {
	a, _ := stubWorkspace(t, "a", "")
	for _, c := range []struct {
		ws   []Workspace
		want string
	}{
		{nil, "no workspace"},
		{[]Workspace{a, a}, "twice"},
		{[]Workspace{{Name: "a b", Client: a.Client}}, "letters"},
		{[]Workspace{{Name: "", Client: a.Client}}, "letters"},
		{[]Workspace{a, {Name: "b"}}, "no client"},
	} {
		if _, err := NewWorkspacesRegistry(c.ws, Options{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one saying %q", c.ws, err, c.want)
		}
	}
}

// The bytes the option adds to the default tools/list (README, "Several
// workspaces"): two workspaces stay within the budget of one.
func TestSeveralWorkspacesBudget(t *testing.T) {
	size := func(reg *Registry) int {
		b, _ := json.Marshal(map[string]any{"tools": definitions(reg)})
		return len(b)
	}
	a, _ := stubWorkspace(t, "a", "azure")
	b, _ := stubWorkspace(t, "b", "azure")
	one, err := NewWorkspacesRegistry([]Workspace{a}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	two, err := NewWorkspacesRegistry([]Workspace{a, b}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n1, n2 := size(one), size(two)
	list, _ := two.Lookup(WorkspacesListName)
	lb, _ := json.Marshal(list.Definition)
	perTool := (n2 - n1 - len(lb) - 1) / len(one.Tools())
	t.Logf("default tools/list: %d bytes with one workspace, %d with two (workspaces_list %d bytes, %d bytes per tool for the option)", n1, n2, len(lb), perTool)
	// Two workspaces keep the default list within the 40 KB budget of one.
	if n2 > 40<<10 || perTool > 128 || len(lb) > 1<<10 {
		t.Errorf("two workspaces: default tools/list %d bytes (budget 40 KB), the option %d bytes per tool (want at most 128), workspaces_list %d bytes (want at most 1 KB)", n2, perTool, len(lb))
	}
	disc1, _ := NewWorkspacesRegistry([]Workspace{a}, Options{Mode: ModeDiscovery})
	disc2, _ := NewWorkspacesRegistry([]Workspace{a, b}, Options{Mode: ModeDiscovery})
	t.Logf("discovery tools/list: %d bytes with one workspace, %d with two", size(disc1), size(disc2))
	if n := size(disc2); n > 2<<10 {
		t.Errorf("discovery tools/list with two workspaces is %d bytes, over 2 KB", n)
	}
}

// A call that waits polls the workspace it went to: a cluster created in
// b, waited for there, exists in b alone.
func TestSeveralWorkspacesWait(t *testing.T) {
	var ws []Workspace
	for _, name := range []string{"a", "b"} {
		emu := emulator.New(emulator.Options{ClusterStartDelay: 10 * time.Millisecond})
		t.Cleanup(func() { emu.Close() })
		srv := httptest.NewServer(emu)
		t.Cleanup(srv.Close)
		c, err := client.New(&client.Config{Host: srv.URL, Token: "t"}, client.WithCloud(emu.Cloud()))
		if err != nil {
			t.Fatal(err)
		}
		ws = append(ws, Workspace{Name: name, Client: c})
	}
	reg, err := NewWorkspacesRegistry(ws, Options{Toolsets: []string{"clusters"}})
	if err != nil {
		t.Fatal(err)
	}
	res := wsCall(t, reg, "clusters_create", `{"cluster_name":"w","spark_version":"15.4.x-scala2.12","node_type_id":"Standard_DS3_v2","num_workers":0,"wait_seconds":120,"workspace":"b"}`)
	if res.IsError || !strings.Contains(allText(res), `"RUNNING"`) || metaWorkspace(res) != "b" {
		t.Fatalf("create and wait in b: %s, _meta %v", allText(res), metaWorkspace(res))
	}
	for name, want := range map[string]int{"a": 0, "b": 1} {
		res := wsCall(t, reg, "clusters_list", `{"workspace":"`+name+`"}`)
		var got struct {
			Clusters []json.RawMessage `json:"clusters"`
		}
		if err := json.Unmarshal(res.RawStructuredContent, &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Clusters) != want {
			t.Errorf("workspace %s lists %d clusters, want %d", name, len(got.Clusters), want)
		}
	}
}

// TestSeveralWorkspacesInInstructions: with several workspaces the MCP
// instructions end with a line naming them and the argument that picks
// one; with one, they are the plain instructions.
func TestSeveralWorkspacesInInstructions(t *testing.T) {
	a, _ := stubWorkspace(t, "a", "azure")
	b, _ := stubWorkspace(t, "b", "azure")
	reg, err := NewWorkspacesRegistry([]Workspace{a, b}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := instructionsFor(reg)
	want := "a (" + a.Client.Host() + "), b (" + b.Client.Host() + ")"
	if !strings.HasPrefix(got, instructions) || !strings.Contains(got, want) || !strings.Contains(got, `"workspace"`) {
		t.Errorf("instructions with two workspaces:\n%s", got)
	}
	one, err := NewWorkspacesRegistry([]Workspace{a}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if instructionsFor(one) != instructions {
		t.Errorf("instructions with one workspace: %s", instructionsFor(one))
	}
}
