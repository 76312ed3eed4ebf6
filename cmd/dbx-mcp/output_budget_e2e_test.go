package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestOutputBudgetEndToEnd runs `serve --emulator` over stdio with a small
// output budget: a large notebook export comes back cut, still valid
// against its output schema, with a marker whose resources give back the
// rest; resources, completion and prompts work over the same session.
func TestOutputBudgetEndToEnd(t *testing.T) {
	const budget = 16 << 10
	c, err := mcpclient.NewStdioMCPClient(binPath, cleanEnv(t, fmt.Sprintf("DBX_MCP_MAX_RESULT_BYTES=%d", budget)),
		"serve", "--emulator", "--log-level", "warn", "--toolsets", "all")
	if err != nil {
		t.Fatal(err)
	}
	if st, ok := c.GetTransport().(*transport.Stdio); ok {
		go func() {
			var buf [4096]byte
			for {
				if _, err := st.Stderr().Read(buf[:]); err != nil {
					return
				}
			}
		}()
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := newSession(t, c)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// A 5 MB notebook (Databricks imports and exports up to 10 MB).
	var src strings.Builder
	for i := 0; src.Len() < 5<<20; i++ {
		fmt.Fprintf(&src, "display(spark.range(%d))  # cell line ✓\n", i)
	}
	nb := "/Users/emulator-user@example.com/big"
	s.mustCall("workspace_import", fmt.Sprintf(`{"path":%q,"format":"SOURCE","language":"PYTHON","content":%q}`, nb, base64.StdEncoding.EncodeToString([]byte(src.String()))))
	req := mcp.CallToolRequest{}
	req.Params.Name = "workspace_export"
	req.Params.Arguments = json.RawMessage(fmt.Sprintf(`{"path":%q}`, nb))
	res, err := c.CallTool(ctx, req)
	if err != nil || res.IsError {
		t.Fatalf("workspace_export: %v %v", err, res)
	}
	if len(res.RawStructuredContent) > budget {
		t.Errorf("structured content %d bytes, budget %d", len(res.RawStructuredContent), budget)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(res.RawStructuredContent))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.schemas["workspace_export"].Validate(doc); err != nil {
		t.Errorf("cut structured content does not validate: %v", err)
	}
	if res.Meta == nil || res.Meta.AdditionalFields["dbx-mcp/cut"] == nil {
		t.Error("cut result has no _meta dbx-mcp/cut")
	}
	text := resultText(res)
	if len(text) > budget || !strings.Contains(text, "[dbx-mcp: this result was cut") {
		t.Fatalf("text of %d bytes, marker present %v", len(text), strings.Contains(text, "[dbx-mcp:"))
	}
	var shown struct {
		ContentText string `json:"content_text"`
	}
	if err := json.Unmarshal([]byte(text[:strings.LastIndex(text, "\n[dbx-mcp:")]), &shown); err != nil {
		t.Fatalf("text before the marker is not JSON: %v", err)
	}
	next := regexp.MustCompile(`dbx://workspace/\S+offset=\d+\S*`).FindString(text)
	next = strings.TrimRight(next, ".,;")
	if next == "" {
		t.Fatalf("marker names no workspace resource to continue: %s", text[strings.LastIndex(text, "\n[dbx-mcp:"):])
	}
	got := shown.ContentText
	for range 1000 {
		rr := mcp.ReadResourceRequest{}
		rr.Params.URI = next
		out, err := c.ReadResource(ctx, rr)
		if err != nil {
			t.Fatalf("read %s: %v", next, err)
		}
		tc, ok := out.Contents[0].(mcp.TextResourceContents)
		if !ok || len(tc.Text) > budget {
			t.Fatalf("window %T of %d bytes", out.Contents[0], len(tc.Text))
		}
		got += tc.Text
		n, _ := tc.Meta["next"].(string)
		if n == "" {
			break
		}
		next = n
	}
	// The whole answer is behind the result's resource link: its content is
	// the export (the notebook with the header SOURCE exports add).
	var link string
	for _, c := range res.Content {
		if l, ok := c.(mcp.ResourceLink); ok {
			link = l.URI
		}
	}
	var whole []byte
	for uri := link; uri != ""; {
		rr := mcp.ReadResourceRequest{}
		rr.Params.URI = uri
		out, err := c.ReadResource(ctx, rr)
		if err != nil {
			t.Fatalf("read %s: %v", uri, err)
		}
		tc, _ := out.Contents[0].(mcp.TextResourceContents)
		whole = append(whole, tc.Text...)
		uri, _ = tc.Meta["next"].(string)
	}
	var ans struct {
		Content string `json:"content"`
	}
	if err := json.Unmarshal(whole, &ans); err != nil {
		t.Fatalf("whole answer from %q (%d bytes): %v", link, len(whole), err)
	}
	exported, _ := base64.StdEncoding.DecodeString(ans.Content)
	if got != string(exported) || !strings.HasSuffix(got, src.String()) {
		t.Errorf("shown text and resource windows give %d bytes, the whole answer %d, the notebook has %d", len(got), len(exported), src.Len())
	}

	list, err := c.ListResources(ctx, mcp.ListResourcesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(list.Resources, func(r mcp.Resource) bool { return r.URI == "dbx://workspace"+nb }) {
		t.Errorf("resources/list does not list the imported notebook: %+v", list.Resources)
	}
	cr := mcp.CompleteRequest{}
	cr.Params.Ref = mcp.ResourceReference{Type: "ref/resource", URI: "dbx://volumes/{catalog}/{schema}/{volume}{+path}"}
	cr.Params.Argument = mcp.CompleteArgument{Name: "catalog", Value: "sam"}
	comp, err := c.Complete(ctx, cr)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(comp.Completion.Values, "samples") {
		t.Errorf("completion of catalog %q = %v, want samples", "sam", comp.Completion.Values)
	}
	prompts, err := c.ListPrompts(ctx, mcp.ListPromptsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range prompts.Prompts {
		gr := mcp.GetPromptRequest{}
		gr.Params.Name = p.Name
		gr.Params.Arguments = map[string]string{"table": "samples.nyctaxi.trips", "run_id": "1"}
		out, err := c.GetPrompt(ctx, gr)
		if err != nil || len(out.Messages) == 0 {
			t.Errorf("prompts/get %s: %v", p.Name, err)
			continue
		}
		tc, _ := out.Messages[0].Content.(mcp.TextContent)
		parts := strings.Split(tc.Text, "`")
		for i := 1; i < len(parts); i += 2 {
			if _, ok := s.tools[parts[i]]; !ok {
				t.Errorf("prompt %s names %q, not a listed tool", p.Name, parts[i])
			}
		}
	}
	if len(prompts.Prompts) < 3 {
		t.Errorf("%d prompts, want 3", len(prompts.Prompts))
	}
}
