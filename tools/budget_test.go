package tools

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/client/workspace"
	"github.com/dbx-mcp/dbx-mcp/schema"
)

// The context budgets (README, docs/benchmarks.md), for every cloud the
// schemas can be tailored to and for an unknown one.
func TestBudgets(t *testing.T) {
	size := func(v any) int { b, _ := json.Marshal(v); return len(b) }
	for _, cloud := range append([]string{""}, Clouds...) {
		all, err := NewRegistry(nil, Options{Toolsets: []string{AllToolsets}, Cloud: cloud})
		if err != nil {
			t.Fatal(err)
		}
		for _, tool := range all.Tools() {
			if n := size(tool.Definition); n > 16<<10 {
				t.Errorf("cloud %q: %s is %d bytes, over 16 KB", cloud, tool.Name(), n)
			}
		}
		def, err := NewRegistry(nil, Options{Cloud: cloud})
		if err != nil {
			t.Fatal(err)
		}
		if n := size(map[string]any{"tools": definitions(def)}); n > 40<<10 {
			t.Errorf("cloud %q: default tools/list is %d bytes, over 40 KB", cloud, n)
		}
	}
	disc, err := NewRegistry(nil, Options{Mode: ModeDiscovery})
	if err != nil {
		t.Fatal(err)
	}
	if n := size(map[string]any{"tools": definitions(disc)}); n > 2<<10 {
		t.Errorf("discovery tools/list is %d bytes, over 2 KB", n)
	}
}

func callArgs(t *testing.T, reg *Registry, name, args string) *mcp.CallToolResult {
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

// Cloud tailoring: an Azure server refuses AWS fields; a server of unknown
// cloud advertises them compactly yet checks them in full, before anything
// is sent (no client is configured here, so a call that passed validation
// would fail on the missing workspace instead).
func TestCloudTailoring(t *testing.T) {
	azure, err := NewRegistry(nil, Options{Tools: []string{"clusters_create"}, Cloud: "azure"})
	if err != nil {
		t.Fatal(err)
	}
	create, _ := azure.Lookup("clusters_create")
	in := string(create.Definition.RawInputSchema)
	if strings.Contains(in, `"aws_attributes"`) || strings.Contains(in, `"gcp_attributes"`) || !strings.Contains(in, `"azure_attributes"`) || strings.Contains(in, `"gcs"`) {
		t.Errorf("Azure schema keeps other clouds' fields or lost its own")
	}
	res := callArgs(t, azure, "clusters_create", `{"spark_version":"x","num_workers":0,"aws_attributes":{"zone_id":"auto"}}`)
	if !res.IsError || !strings.Contains(firstText(res), "aws_attributes") {
		t.Errorf("Azure server accepted aws_attributes: %v", firstText(res))
	}

	unknown, err := NewRegistry(nil, Options{Tools: []string{"clusters_create"}})
	if err != nil {
		t.Fatal(err)
	}
	create, _ = unknown.Lookup("clusters_create")
	var sch struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(create.Definition.RawInputSchema, &sch); err != nil {
		t.Fatal(err)
	}
	if aws := string(sch.Properties["aws_attributes"]); aws == "" || strings.Contains(aws, "properties") {
		t.Errorf("unknown cloud: aws_attributes advertised as %s, want type and description only", aws)
	}
	res = callArgs(t, unknown, "clusters_create", `{"spark_version":"x","num_workers":0,"aws_attributes":{"availability":"CHEAP"}}`)
	if !res.IsError || !strings.Contains(firstText(res)+allText(res), "aws_attributes.availability") {
		t.Errorf("unknown cloud: a bad field inside aws_attributes was not caught precisely: %v", allText(res))
	}
}

func allText(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// The schemas a server tailors at start-up from the catalog's cloudOnly
// paths are the ones schema.InputFor derives from the Go types for that
// cloud: two ways to the same answer, one cheap at start-up, one plain.
func TestCloudTailoringMatchesDerivation(t *testing.T) {
	checked := 0
	for _, op := range client.Operations() {
		info := op.Info()
		entry, err := derivedEntry(info.FullName())
		if err != nil {
			t.Fatal(err)
		}
		if len(entry.cloudOnly) == 0 {
			continue
		}
		for _, cloud := range Clouds {
			_, got, err := tailor(entry.input, entry.cloudOnly, cloud)
			if err != nil {
				t.Fatal(err)
			}
			want, err := schema.InputFor(info.Request, cloud)
			if err != nil {
				t.Fatal(err)
			}
			if want, err = schema.TerseDescriptions(want, terseFromDepth); err != nil {
				t.Fatal(err)
			}
			if info.Wait != nil {
				if want, err = schema.WithProperty(want, WaitOption, waitOption(info.Wait)); err != nil {
					t.Fatal(err)
				}
			}
			if !jsonEqual(got, want) {
				t.Errorf("%s for %s: tailored schema differs from InputFor's\n got %s\nwant %s", info.FullName(), cloud, got, want)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no operation has cloud-specific fields")
	}
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

// A field tagged advertise:"compact" is listed as its type and description
// for every cloud, and still validated in full.
func TestCompactAdvertisedField(t *testing.T) {
	type spec struct {
		Name          string `json:"name" doc:"Name."`
		AwsAttributes *struct {
			ZoneID *string `json:"zone_id,omitzero" doc:"Zone."`
		} `json:"aws_attributes,omitzero" cloud:"aws" doc:"AWS only."`
	}
	type req struct {
		NewCluster *spec `json:"new_cluster,omitzero" advertise:"compact" doc:"The cluster spec clusters_create takes."`
		Other      *int  `json:"other,omitzero" doc:"Other."`
	}
	paths := cloudPaths(reflect.TypeFor[req]())
	if !reflect.DeepEqual(paths[compactKey], [][]string{{"new_cluster"}}) || !reflect.DeepEqual(paths["aws"], [][]string{{"new_cluster", "aws_attributes"}}) {
		t.Fatalf("paths %v", paths)
	}
	in, err := schema.Input(reflect.TypeFor[req]())
	if err != nil {
		t.Fatal(err)
	}
	for _, cloud := range []string{"", "aws", "azure"} {
		adv, full, err := tailor(in, paths, cloud)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(adv), `"new_cluster":{"type":"object","description":"The cluster spec clusters_create takes."}`) {
			t.Errorf("cloud %q: advertised %s", cloud, adv)
		}
		v, err := schema.NewValidator(full)
		if err != nil {
			t.Fatal(err)
		}
		if p := v.Validate(json.RawMessage(`{"new_cluster":{"name":"x","nmae":"y"}}`)); len(p) == 0 || !strings.Contains(p[0].String(), "new_cluster.nmae") {
			t.Errorf("cloud %q: a wrong field inside the compact spec passed: %v", cloud, p)
		}
	}
}

// An exported notebook reads as text in the tool's text result, while the
// structured result is the API's answer byte for byte; binary content stays
// base64.
func TestExportShowsSourceAsText(t *testing.T) {
	src := "# Databricks notebook source\nprint(\"héllo\")\n"
	answer := `{"content":"` + base64.StdEncoding.EncodeToString([]byte(src)) + `","file_type":"py"}`
	res := successWithText(json.RawMessage(answer), []string{"content"})
	if string(res.RawStructuredContent) != answer {
		t.Errorf("structured content changed: %s", res.RawStructuredContent)
	}
	var text map[string]string
	if err := json.Unmarshal([]byte(allText(res)), &text); err != nil || text["content_text"] != src || text["file_type"] != "py" || text["content"] != "" {
		t.Errorf("text rendering %s (%v)", allText(res), err)
	}
	binary := `{"content":"` + base64.StdEncoding.EncodeToString([]byte{0, 1, 2, 0xff}) + `"}`
	if got := allText(successWithText(json.RawMessage(binary), []string{"content"})); got != binary {
		t.Errorf("binary content rendered as %s", got)
	}
	if got := base64TextFields(reflect.TypeFor[workspace.ExportResponse]()); !slices.Equal(got, []string{"content"}) {
		t.Errorf("workspace_export's text fields = %v", got)
	}
}
