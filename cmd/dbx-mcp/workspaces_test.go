package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/tools"
)

func TestParseWorkspaces(t *testing.T) {
	for _, c := range []struct {
		in      string
		want    []workspaceSpec
		wantErr string
	}{
		{"", nil, ""},
		{"prod", []workspaceSpec{{"prod", "prod"}}, ""},
		{"a=prod, b = dev-west ,DEFAULT", []workspaceSpec{{"a", "prod"}, {"b", "dev-west"}, {"DEFAULT", "DEFAULT"}}, ""},
		{"a=prod,a=dev", nil, "twice"},
		{"a=", nil, "names no profile"},
		{"my ws=prod", nil, "letters"},
		{"=prod", nil, "letters"},
	} {
		got, err := parseWorkspaces(c.in)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%q: error %v, want one saying %q", c.in, err, c.wantErr)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%q: %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	t.Setenv("DBX_MCP_WORKSPACES", "x=p1,y")
	if got, err := parseWorkspaces(""); err != nil || !slices.Equal(got, []workspaceSpec{{"x", "p1"}, {"y", "y"}}) {
		t.Errorf("from the environment: %v, %v", got, err)
	}
}

func metaName(res *mcp.CallToolResult) any {
	if res == nil || res.Meta == nil {
		return nil
	}
	return res.Meta.AdditionalFields[tools.WorkspaceMetaKey]
}

func scopeNames(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var v struct {
		Scopes []struct {
			Name string `json:"name"`
		} `json:"scopes"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range v.Scopes {
		names = append(names, s.Name)
	}
	return names
}

// Two emulated workspaces behind one server over stdio: a scope created in
// b is in b alone, every result names its workspace, workspaces_list shows
// both.
func TestSeveralWorkspacesOverStdio(t *testing.T) {
	c, err := mcpclient.NewStdioMCPClient(binPath, cleanEnv(t), "serve", "--emulator", "--workspaces", "a,b", "--toolsets", "default,secrets")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := newSession(t, c)
	if _, ok := s.tools[tools.WorkspacesListName]; !ok {
		t.Fatalf("no %s among the tools", tools.WorkspacesListName)
	}
	_, res := s.call("secrets_create_scope", `{"scope":"only-in-b","workspace":"b"}`)
	if res.IsError || metaName(res) != "b" {
		t.Fatalf("create in b: %s, _meta %v", resultText(res), metaName(res))
	}
	for _, ws := range []struct {
		args, name string
		present    bool
	}{
		{`{}`, "a", false},
		{`{"workspace":"a"}`, "a", false},
		{`{"workspace":"b"}`, "b", true},
	} {
		raw, res := s.call("secrets_list_scopes", ws.args)
		if res.IsError {
			t.Fatalf("list %s: %s", ws.args, resultText(res))
		}
		if got := slices.Contains(scopeNames(t, raw), "only-in-b"); got != ws.present {
			t.Errorf("list %s: scope present %v, want %v (%s)", ws.args, got, ws.present, raw)
		}
		if metaName(res) != ws.name {
			t.Errorf("list %s: _meta names %v, want %s", ws.args, metaName(res), ws.name)
		}
	}
	s.mustFail("secrets_list_scopes", `{"workspace":"c"}`, `"a", "b"`, "nothing was sent")
	raw := s.mustCall(tools.WorkspacesListName, `{}`)
	var list struct {
		Workspaces []struct {
			Name    string `json:"name"`
			Host    string `json:"host"`
			Default bool   `json:"default"`
		} `json:"workspaces"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Workspaces) != 2 || list.Workspaces[0].Name != "a" || !list.Workspaces[0].Default ||
		list.Workspaces[1].Name != "b" || list.Workspaces[1].Default || list.Workspaces[0].Host == list.Workspaces[1].Host {
		t.Errorf("workspaces_list: %s", raw)
	}
}

// Profiles name the workspaces; an identity setting of the environment,
// which would outrank every profile, is refused, and so is --host.
func TestSeveralWorkspacesFromProfiles(t *testing.T) {
	var stubs []*stub
	for range 2 {
		stubs = append(stubs, newStub(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"scopes":[]}`))
		}))
	}
	cfg := filepath.Join(t.TempDir(), "databrickscfg")
	content := "[prod]\nhost = " + stubs[0].URL + "\ntoken = dapi-prod\n\n[dev]\nhost = " + stubs[1].URL + "\ntoken = dapi-dev\n"
	if err := os.WriteFile(cfg, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	env := cleanEnv(t, "DATABRICKS_CONFIG_FILE="+cfg)
	c, err := mcpclient.NewStdioMCPClient(binPath, env, "serve", "--workspaces", "p=prod,dev")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s := newSession(t, c)
	if _, res := s.call("secrets_list_scopes", `{"workspace":"dev"}`); res.IsError || metaName(res) != "dev" {
		t.Fatalf("list in dev: %s, _meta %v", resultText(res), metaName(res))
	}
	if stubs[0].count() != 0 || stubs[1].count() != 1 {
		t.Fatalf("prod got %d requests, dev %d; want 0 and 1", stubs[0].count(), stubs[1].count())
	}
	if got := stubs[1].request(0).Header.Get("Authorization"); got != "Bearer dapi-dev" {
		t.Errorf("dev was sent %q", got)
	}
	if _, res := s.call("secrets_list_scopes", `{}`); res.IsError || metaName(res) != "p" || stubs[0].count() != 1 {
		t.Errorf("default workspace: %s, _meta %v, prod requests %d", resultText(res), metaName(res), stubs[0].count())
	}

	for _, c := range []struct {
		env  []string
		args []string
		want string
	}{
		{cleanEnv(t, "DATABRICKS_CONFIG_FILE="+cfg, "DATABRICKS_TOKEN=dapi-everywhere"), nil, "DATABRICKS_TOKEN"},
		{cleanEnv(t, "DATABRICKS_CONFIG_FILE="+cfg, "DATABRICKS_HOST="+stubs[0].URL), nil, "DATABRICKS_HOST"},
		{env, []string{"--host", stubs[0].URL}, "--host"},
		{env, []string{"--workspaces", "p=prod,p=dev"}, "twice"},
	} {
		args := append([]string{"serve", "--workspaces", "p=prod,dev"}, c.args...)
		code, _, stderr := runBinary(t, c.env, "", args...)
		if code == 0 || !strings.Contains(stderr, c.want) || strings.Contains(stderr, "dapi-everywhere") {
			t.Errorf("%v: exit %d, stderr %q; want a refusal naming %s", c.args, code, stderr, c.want)
		}
	}
}
