package tools

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/emulator"
)

const home = "/Users/emulator-user@example.com"

func readOne(t *testing.T, mc interface {
	ReadResource(context.Context, mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error)
}, uri string) mcp.ResourceContents {
	t.Helper()
	req := mcp.ReadResourceRequest{}
	req.Params.URI = uri
	res, err := mc.ReadResource(context.Background(), req)
	if err != nil {
		t.Fatalf("read %s: %v", uri, err)
	}
	if len(res.Contents) != 1 {
		t.Fatalf("read %s: %d contents", uri, len(res.Contents))
	}
	return res.Contents[0]
}

func TestResourcesListAndReadAnImportedNotebook(t *testing.T) {
	mc, _ := session(t, Options{}, mcp.ClientCapabilities{})
	src := "# Databricks notebook source\nprint('hello')\n"
	mustSucceed(t, "workspace_mkdirs", call(t, mc, "workspace_mkdirs", map[string]any{"path": home + "/proj"}))
	mustSucceed(t, "workspace_import", call(t, mc, "workspace_import", map[string]any{
		"path": home + "/proj/nb", "format": "SOURCE", "language": "PYTHON", "content": base64.StdEncoding.EncodeToString([]byte(src)),
	}))
	list, err := mc.ListResources(context.Background(), mcp.ListResourcesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	want := "dbx://workspace" + home + "/proj/nb"
	var uris []string
	for _, r := range list.Resources {
		uris = append(uris, r.URI)
	}
	if !slices.Contains(uris, want) {
		t.Fatalf("resources/list = %v, want %s", uris, want)
	}
	c, ok := readOne(t, mc, want).(mcp.TextResourceContents)
	if !ok {
		t.Fatalf("notebook read as %T, want text", c)
	}
	if !strings.Contains(c.Text, "print('hello')") {
		t.Errorf("notebook text %q", c.Text)
	}
	if c.Meta["next"] != nil {
		t.Errorf("a small notebook names a next window: %v", c.Meta)
	}

	templates, err := mc.ListResourceTemplates(context.Background(), mcp.ListResourceTemplatesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var raws []string
	for _, tp := range templates.ResourceTemplates {
		raws = append(raws, tp.URITemplate.Raw())
	}
	for _, w := range []string{workspaceTemplate, volumesTemplate, runOutputTemplate, resultsTemplate} {
		if !slices.Contains(raws, w) {
			t.Errorf("templates %v lack %s", raws, w)
		}
	}
}

func TestVolumeResourceTextBlobAndWindows(t *testing.T) {
	mc, _ := session(t, Options{MaxResultBytes: minResultBytes}, mcp.ClientCapabilities{})
	mustSucceed(t, "schemas_create", call(t, mc, "schemas_create", map[string]any{"catalog_name": "main", "name": "s"}))
	mustSucceed(t, "volumes_create", call(t, mc, "volumes_create", map[string]any{"catalog_name": "main", "schema_name": "s", "name": "v", "volume_type": "MANAGED"}))
	text := strings.Repeat("a line of text ✓\n", 1000)
	bin := []byte{0, 1, 2, 0xff, 0xfe}
	for p, b := range map[string][]byte{"/Volumes/main/s/v/dir/t.txt": []byte(text), "/Volumes/main/s/v/b.bin": bin} {
		mustSucceed(t, "files_upload", call(t, mc, "files_upload", map[string]any{"file_path": p, "contents": base64.StdEncoding.EncodeToString(b)}))
	}
	if got := string(readAll(t, mc, "dbx://volumes/main/s/v/dir/t.txt", minResultBytes)); got != text {
		t.Errorf("text file read in windows: %d bytes, want %d", len(got), len(text))
	}
	if _, ok := readOne(t, mc, "dbx://volumes/main/s/v/dir/t.txt").(mcp.TextResourceContents); !ok {
		t.Error("text file not read as text")
	}
	b, ok := readOne(t, mc, "dbx://volumes/main/s/v/b.bin").(mcp.BlobResourceContents)
	if !ok {
		t.Fatal("binary file not read as a blob")
	}
	if dec, _ := base64.StdEncoding.DecodeString(b.Blob); string(dec) != string(bin) {
		t.Errorf("blob %v, want %v", dec, bin)
	}
}

func TestCompletionSuggestsNamesFromTheWorkspace(t *testing.T) {
	mc, _ := session(t, Options{}, mcp.ClientCapabilities{})
	mustSucceed(t, "catalogs_create", call(t, mc, "catalogs_create", map[string]any{"name": "sales"}))
	mustSucceed(t, "workspace_mkdirs", call(t, mc, "workspace_mkdirs", map[string]any{"path": home + "/proj"}))
	tests := []struct {
		ref   any
		arg   string
		value string
		ctx   map[string]string
		want  string
	}{
		{mcp.ResourceReference{Type: "ref/resource", URI: volumesTemplate}, "catalog", "sa", nil, "sales"},
		{mcp.ResourceReference{Type: "ref/resource", URI: volumesTemplate}, "schema", "", map[string]string{"catalog": "samples"}, "nyctaxi"},
		{mcp.ResourceReference{Type: "ref/resource", URI: workspaceTemplate}, "path", home + "/p", nil, home + "/proj/"},
		{mcp.PromptReference{Type: "ref/prompt", Name: "explore_table"}, "table", "samples.nyctaxi.", nil, "samples.nyctaxi.trips"},
		{mcp.PromptReference{Type: "ref/prompt", Name: "explore_table"}, "table", "sam", nil, "samples."},
	}
	for _, tt := range tests {
		req := mcp.CompleteRequest{}
		req.Params.Ref = tt.ref
		req.Params.Argument = mcp.CompleteArgument{Name: tt.arg, Value: tt.value}
		req.Params.Context = mcp.CompleteContext{Arguments: tt.ctx}
		res, err := mc.Complete(context.Background(), req)
		if err != nil {
			t.Fatalf("complete %s=%q: %v", tt.arg, tt.value, err)
		}
		if !slices.Contains(res.Completion.Values, tt.want) {
			t.Errorf("complete %s=%q: %v, want %s among them", tt.arg, tt.value, res.Completion.Values, tt.want)
		}
		for _, v := range res.Completion.Values {
			if !strings.HasPrefix(v, tt.value) {
				t.Errorf("complete %s=%q offers %q", tt.arg, tt.value, v)
			}
		}
	}
}

// promptSession is a session whose emulator paces clusters and runs
// quickly, for the recipes that wait.
func promptSession(t *testing.T) *sessionClient {
	t.Helper()
	old := client.PollIntervals
	client.PollIntervals = []time.Duration{20 * time.Millisecond}
	t.Cleanup(func() { client.PollIntervals = old })
	emu := emulator.New(emulator.Options{ClusterStartDelay: 30 * time.Millisecond, ClusterStopDelay: 30 * time.Millisecond})
	t.Cleanup(func() { emu.Close() })
	mc, reg := sessionOver(t, emu, Options{}, mcp.ClientCapabilities{})
	return &sessionClient{mc, reg}
}

type sessionClient struct {
	*mcpclient.Client
	reg *Registry
}

func getPrompt(t *testing.T, sc *sessionClient, name string, args map[string]string) string {
	t.Helper()
	req := mcp.GetPromptRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := sc.GetPrompt(context.Background(), req)
	if err != nil {
		t.Fatalf("prompts/get %s: %v", name, err)
	}
	var text strings.Builder
	for _, m := range res.Messages {
		if c, ok := m.Content.(mcp.TextContent); ok {
			text.WriteString(c.Text)
		}
	}
	// Every tool a recipe names exists and is offered.
	parts := strings.Split(text.String(), "`")
	if len(parts) < 5 {
		t.Errorf("prompt %s names fewer than two tools: %s", name, text.String())
	}
	for i := 1; i < len(parts); i += 2 {
		if _, ok := sc.reg.LookupOperation(parts[i]); !ok {
			t.Errorf("prompt %s names %q, which is no tool offered", name, parts[i])
		}
	}
	for _, v := range args {
		if !strings.Contains(text.String(), v) {
			t.Errorf("prompt %s does not use its argument %q", name, v)
		}
	}
	return text.String()
}

func members(t *testing.T, res *mcp.CallToolResult) map[string]json.RawMessage {
	t.Helper()
	raw, _ := json.Marshal(res.StructuredContent)
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("structured content %s: %v", raw, err)
	}
	return m
}

func TestPromptsAreListedAndEachRecipeRuns(t *testing.T) {
	sc := promptSession(t)
	list, err := sc.ListPrompts(context.Background(), mcp.ListPromptsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range list.Prompts {
		names = append(names, p.Name)
	}
	for _, r := range recipes {
		if !slices.Contains(names, r.name) {
			t.Errorf("prompts/list %v lacks %s", names, r.name)
		}
	}

	t.Run("explore_table", func(t *testing.T) {
		getPrompt(t, sc, "explore_table", map[string]string{"table": "samples.nyctaxi.trips"})
		mustSucceed(t, "warehouses_create", call(t, sc.Client, "warehouses_create", map[string]any{"name": "w", "cluster_size": "2X-Small", "wait_seconds": 60}))
		res := call(t, sc.Client, "tables_describe", map[string]any{"full_name": "samples.nyctaxi.trips"})
		mustSucceed(t, "tables_describe", res)
		if len(members(t, res)["columns"]) < 10 {
			t.Errorf("tables_describe gave no columns")
		}
		res = call(t, sc.Client, "sql_query", map[string]any{"statement": "SELECT * FROM samples.nyctaxi.trips LIMIT 20"})
		mustSucceed(t, "sql_query", res)
		res = call(t, sc.Client, "tables_list", map[string]any{"catalog_name": "samples", "schema_name": "nyctaxi"})
		mustSucceed(t, "tables_list", res)
		if !strings.Contains(string(members(t, res)["tables"]), "trips") {
			t.Errorf("tables_list does not list trips")
		}
	})

	t.Run("debug_failed_job_run", func(t *testing.T) {
		res := call(t, sc.Client, "jobs_submit", map[string]any{"run_name": "broken", "tasks": []any{map[string]any{"task_key": "b", "notebook_task": map[string]any{"notebook_path": "/Users/me/missing"}}}, "wait_seconds": 60})
		if !res.IsError {
			t.Fatalf("a run of a missing notebook did not fail: %s", firstText(res))
		}
		runs := call(t, sc.Client, "jobs_list_runs", map[string]any{})
		mustSucceed(t, "jobs_list_runs", runs)
		var list []struct {
			RunID json.Number `json:"run_id"`
		}
		_ = json.Unmarshal(members(t, runs)["runs"], &list)
		if len(list) == 0 {
			t.Fatal("no runs listed")
		}
		runID := list[0].RunID.String()
		getPrompt(t, sc, "debug_failed_job_run", map[string]string{"run_id": runID})
		res = call(t, sc.Client, "jobs_get_run", map[string]any{"run_id": json.Number(runID)})
		mustSucceed(t, "jobs_get_run", res)
		var tasks []struct {
			RunID json.Number `json:"run_id"`
			State struct {
				ResultState string `json:"result_state"`
			} `json:"state"`
		}
		_ = json.Unmarshal(members(t, res)["tasks"], &tasks)
		if len(tasks) == 0 || tasks[0].State.ResultState == "SUCCESS" {
			t.Fatalf("tasks %+v, want a failed one", tasks)
		}
		out := call(t, sc.Client, "jobs_get_run_output", map[string]any{"run_id": tasks[0].RunID})
		mustSucceed(t, "jobs_get_run_output", out)
		if !strings.Contains(firstText(out), "Unable to access the notebook") {
			t.Errorf("run output does not give the error: %s", firstText(out))
		}
		c, ok := readOne(t, sc, "dbx://jobs/runs/"+tasks[0].RunID.String()+"/output").(mcp.TextResourceContents)
		if !ok || !strings.Contains(c.Text, "Unable to access the notebook") {
			t.Errorf("run output resource: %+v", c)
		}
	})

	t.Run("find_idle_clusters", func(t *testing.T) {
		getPrompt(t, sc, "find_idle_clusters", nil)
		res := call(t, sc.Client, "clusters_create", map[string]any{"cluster_name": "idle", "spark_version": "15.4.x-scala2.12", "node_type_id": "Standard_DS3_v2", "num_workers": 1, "wait_seconds": 60})
		mustSucceed(t, "clusters_create", res)
		res = call(t, sc.Client, "clusters_list", map[string]any{})
		mustSucceed(t, "clusters_list", res)
		var clusters []struct {
			ID    string `json:"cluster_id"`
			State string `json:"state"`
		}
		_ = json.Unmarshal(members(t, res)["clusters"], &clusters)
		running := 0
		for _, c := range clusters {
			if c.State != "RUNNING" {
				continue
			}
			running++
			mustSucceed(t, "clusters_events", call(t, sc.Client, "clusters_events", map[string]any{"cluster_id": c.ID}))
		}
		if running == 0 {
			t.Errorf("no RUNNING cluster in %+v", clusters)
		}
	})
}

func TestResourceURIsThatNameNothingAreRefused(t *testing.T) {
	mc, _ := session(t, Options{}, mcp.ClientCapabilities{})
	for uri, want := range map[string]string{
		"dbx://workspace/Users/../etc":           "'..' segments",
		"dbx://workspace/Users//x":               "empty",
		"dbx://volumes/main/s/v/../../x/y":       "'..' segments",
		"dbx://volumes/main/s/v":                 "names no file",
		"dbx://workspace/Users/x?offset=-1":      "not a byte offset",
		"dbx://jobs/runs/abc/output":             "run_id",
		"dbx://results/0123456789abcdef?offset=": "no longer kept",
	} {
		req := mcp.ReadResourceRequest{}
		req.Params.URI = uri
		_, err := mc.ReadResource(context.Background(), req)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("read %s: %v, want an error saying %q", uri, err, want)
		}
	}
}
