package tools

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/emulator"
	"github.com/dbx-mcp/dbx-mcp/schema"
)

// session serves opts' tools against a fresh emulated workspace to an
// in-process MCP client built with copts and announcing caps.
func session(t *testing.T, opts Options, caps mcp.ClientCapabilities, copts ...mcpclient.ClientOption) (*mcpclient.Client, *Registry) {
	t.Helper()
	emu := emulator.New(emulator.Options{})
	t.Cleanup(func() { emu.Close() })
	return sessionOver(t, emu, opts, caps, copts...)
}

// sessionOver is session against workspace, an emulator possibly wrapped.
func sessionOver(t *testing.T, workspace http.Handler, opts Options, caps mcp.ClientCapabilities, copts ...mcpclient.ClientOption) (*mcpclient.Client, *Registry) {
	t.Helper()
	return sessionAt(t, mcp.LATEST_PROTOCOL_VERSION, workspace, opts, caps, copts...)
}

// sessionAt is sessionOver speaking protocol version.
func sessionAt(t *testing.T, version string, workspace http.Handler, opts Options, caps mcp.ClientCapabilities, copts ...mcpclient.ClientOption) (*mcpclient.Client, *Registry) {
	t.Helper()
	srv := httptest.NewServer(workspace)
	t.Cleanup(srv.Close)
	c, err := client.New(&client.Config{Host: srv.URL, Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if opts.Toolsets == nil {
		opts.Toolsets = []string{AllToolsets}
	}
	reg, err := NewRegistry(func(context.Context) (*client.Client, error) { return c, nil }, opts)
	if err != nil {
		t.Fatal(err)
	}
	mc, err := mcpclient.NewInProcessClientWithOptions(NewServer(reg, nil), copts...)
	if err != nil {
		t.Fatal(err)
	}
	startSession(t, mc, version, caps)
	return mc, reg
}

// startSession starts mc and initializes its session at version with
// caps; the client is closed when the test ends.
func startSession(t *testing.T, mc *mcpclient.Client, version string, caps mcp.ClientCapabilities) {
	t.Helper()
	t.Cleanup(func() { mc.Close() })
	if err := mc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = version
	init.Params.ClientInfo = mcp.Implementation{Name: "test", Version: "1"}
	init.Params.Capabilities = caps
	if _, err := mc.Initialize(context.Background(), init); err != nil {
		t.Fatal(err)
	}
}

func call(t *testing.T, mc *mcpclient.Client, name string, args any) *mcp.CallToolResult {
	t.Helper()
	raw, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = json.RawMessage(raw)
	res, err := mc.CallTool(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

func mustSucceed(t *testing.T, name string, res *mcp.CallToolResult) {
	t.Helper()
	if res.IsError {
		t.Fatalf("%s: error result: %s", name, firstText(res))
	}
}

func texts(res *mcp.CallToolResult) []string {
	var out []string
	for _, c := range res.Content {
		if t, ok := c.(mcp.TextContent); ok {
			out = append(out, t.Text)
		}
	}
	return out
}

// checkWithinBudget fails unless every text and the structured content of
// res fit max, and a cut result says so in its _meta and text.
func checkWithinBudget(t *testing.T, res *mcp.CallToolResult, limit int) cutReport {
	t.Helper()
	raw, _ := json.Marshal(res.StructuredContent)
	if len(raw) > limit {
		t.Errorf("structured content has %d bytes, budget %d", len(raw), limit)
	}
	marked := false
	for _, s := range texts(res) {
		if len(s) > limit {
			t.Errorf("text has %d bytes, budget %d", len(s), limit)
		}
		marked = marked || strings.Contains(s, "[dbx-mcp: this result was cut")
	}
	if !marked {
		t.Errorf("no text of the cut result has the marker: %q", texts(res))
	}
	if res.Meta == nil || res.Meta.AdditionalFields[CutMetaKey] == nil {
		t.Fatalf("cut result has no _meta %s", CutMetaKey)
	}
	var rep cutReport
	b, _ := json.Marshal(res.Meta.AdditionalFields[CutMetaKey])
	if err := json.Unmarshal(b, &rep); err != nil || len(rep.Cuts) == 0 {
		t.Fatalf("_meta %s = %s (%v)", CutMetaKey, b, err)
	}
	return rep
}

// validateOutput checks structured content against the tool's output
// schema.
func validateOutput(t *testing.T, reg *Registry, tool string, res *mcp.CallToolResult) {
	t.Helper()
	tl, ok := reg.LookupOperation(tool)
	if !ok {
		t.Fatalf("no tool %s", tool)
	}
	v, err := schema.NewValidator(tl.Definition.RawOutputSchema)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(res.StructuredContent)
	if problems := v.Validate(raw); len(problems) > 0 {
		t.Errorf("cut %s result no longer validates: %v", tool, problems)
	}
}

// readAll reads a resource window by window, following each window's
// _meta next, and returns the bytes (text, or decoded blobs).
func readAll(t *testing.T, mc *mcpclient.Client, uri string, max int) []byte {
	t.Helper()
	var out []byte
	for range 1000 {
		req := mcp.ReadResourceRequest{}
		req.Params.URI = uri
		res, err := mc.ReadResource(context.Background(), req)
		if err != nil {
			t.Fatalf("read %s: %v", uri, err)
		}
		if len(res.Contents) != 1 {
			t.Fatalf("read %s: %d contents", uri, len(res.Contents))
		}
		var meta map[string]any
		switch c := res.Contents[0].(type) {
		case mcp.TextResourceContents:
			if len(c.Text) > max {
				t.Fatalf("window of %d bytes over the %d budget", len(c.Text), max)
			}
			out = append(out, c.Text...)
			meta = c.Meta
		case mcp.BlobResourceContents:
			if len(c.Blob) > max {
				t.Fatalf("blob window of %d bytes over the %d budget", len(c.Blob), max)
			}
			b, err := base64.StdEncoding.DecodeString(c.Blob)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, b...)
			meta = c.Meta
		}
		next, _ := meta["next"].(string)
		if next == "" {
			return out
		}
		uri = next
	}
	t.Fatal("no end after 1000 windows")
	return nil
}

var resourceInMarker = regexp.MustCompile(`dbx://[^\s)]+`)

func TestWorkspaceExportOf5MBIsCutAndTheRestReachable(t *testing.T) {
	const budget = 64 << 10
	var src strings.Builder
	for i := 0; src.Len() < 5<<20; i++ {
		fmt.Fprintf(&src, "print('line %d of a long notebook')  # ünïcödé\n", i)
	}
	nb := "/Users/emulator-user@example.com/big"
	// The emulator takes request bodies up to 4 MiB, Databricks imports up
	// to 10 MB: the 5 MB notebook is answered beside the emulator, which
	// serves everything else.
	emu := emulator.New(emulator.Options{})
	t.Cleanup(func() { emu.Close() })
	big := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/2.0/workspace/export" && r.URL.Query().Get("path") == nb {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]string{"content": base64.StdEncoding.EncodeToString([]byte(src.String())), "file_type": "py"})
			return
		}
		emu.ServeHTTP(w, r)
	})
	mc, reg := sessionOver(t, big, Options{}, mcp.ClientCapabilities{})
	res := call(t, mc, "workspace_export", map[string]any{"path": nb, "format": "SOURCE"})
	mustSucceed(t, "workspace_export", res)
	rep := checkWithinBudget(t, res, budget)
	validateOutput(t, reg, "workspace_export", res)

	// The marker's workspace resource continues the text the model read.
	text := texts(res)[0]
	var shown struct {
		ContentText string `json:"content_text"`
	}
	if err := json.Unmarshal([]byte(text[:strings.LastIndex(text, "\n[dbx-mcp:")]), &shown); err != nil {
		t.Fatalf("cut text is not JSON before its marker: %v", err)
	}
	var links []string
	for _, u := range resourceInMarker.FindAllString(text, -1) {
		links = append(links, strings.TrimRight(u, ".,;"))
	}
	var rest []byte
	for _, u := range links {
		if strings.HasPrefix(u, "dbx://workspace/") {
			rest = readAll(t, mc, u, budget)
		}
	}
	if shown.ContentText+string(rest) != src.String() {
		t.Errorf("text shown (%d bytes) and the workspace resource from the marker (%d bytes) do not make the %d-byte notebook; links %v", len(shown.ContentText), len(rest), src.Len(), links)
	}

	// The whole answer is behind the resource link, window by window.
	var link string
	for _, c := range res.Content {
		if l, ok := c.(mcp.ResourceLink); ok {
			link = l.URI
		}
	}
	if link == "" || link != rep.Full {
		t.Fatalf("resource link %q, _meta full_answer %q", link, rep.Full)
	}
	whole := readAll(t, mc, link, budget)
	var ans struct {
		Content string `json:"content"`
	}
	if err := json.Unmarshal(whole, &ans); err != nil {
		t.Fatalf("whole answer (%d bytes) is not the API's JSON: %v", len(whole), err)
	}
	if dec, _ := base64.StdEncoding.DecodeString(ans.Content); string(dec) != src.String() {
		t.Errorf("whole answer's content decodes to %d bytes, want the %d-byte notebook", len(dec), src.Len())
	}
}

func TestListCutAtWholeItemsContinuesWithPageSize(t *testing.T) {
	const budget = minResultBytes
	mc, reg := session(t, Options{MaxResultBytes: budget}, mcp.ClientCapabilities{})
	want := map[string]bool{}
	for i := range 60 {
		name := fmt.Sprintf("catalog_with_a_longish_name_%02d", i)
		want[name] = true
		mustSucceed(t, "catalogs_create", call(t, mc, "catalogs_create", map[string]any{"name": name, "comment": strings.Repeat("c", 40)}))
	}
	res := call(t, mc, "catalogs_list", map[string]any{})
	mustSucceed(t, "catalogs_list", res)
	rep := checkWithinBudget(t, res, budget)
	validateOutput(t, reg, "catalogs_list", res)
	c, ok := findCut(rep.Cuts, "catalogs")
	if !ok || c.Unit != "items" || c.Kept == 0 || c.Kept >= c.Total {
		t.Fatalf("cuts %+v, want catalogs cut at whole items", rep.Cuts)
	}
	m := regexp.MustCompile(`max_results (\d+)`).FindStringSubmatch(rep.Next)
	if m == nil {
		t.Fatalf("continuation %q names no max_results", rep.Next)
	}
	// Following the continuation reaches every catalog, page by page.
	got := map[string]bool{}
	size, _ := strconv.Atoi(m[1])
	args := map[string]any{"max_results": size}
	for range 100 {
		res := call(t, mc, "catalogs_list", args)
		mustSucceed(t, "catalogs_list", res)
		if res.Meta != nil && res.Meta.AdditionalFields[CutMetaKey] != nil {
			t.Fatalf("a page of max_results %s is still cut", m[1])
		}
		raw, _ := json.Marshal(res.StructuredContent)
		var page struct {
			Catalogs []struct {
				Name string `json:"name"`
			} `json:"catalogs"`
			Next string `json:"next_page_token"`
		}
		if err := json.Unmarshal(raw, &page); err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Catalogs {
			got[c.Name] = true
		}
		if page.Next == "" {
			break
		}
		args["page_token"] = page.Next
	}
	for n := range want {
		if !got[n] {
			t.Errorf("catalog %s not reached by paging", n)
		}
	}
}

func TestDBFSReadCutContinuesAtOffset(t *testing.T) {
	const budget = 16 << 10
	mc, _ := session(t, Options{MaxResultBytes: budget}, mcp.ClientCapabilities{})
	data := bytes.Repeat([]byte("0123456789abcdef"), 40<<10/16)
	mustSucceed(t, "dbfs_put", call(t, mc, "dbfs_put", map[string]any{"path": "/tmp/f", "contents": base64.StdEncoding.EncodeToString(data), "overwrite": true}))
	var got []byte
	offset := 0
	for range 20 {
		res := call(t, mc, "dbfs_read", map[string]any{"path": "/tmp/f", "offset": offset})
		mustSucceed(t, "dbfs_read", res)
		raw, _ := json.Marshal(res.StructuredContent)
		var ans struct {
			Data string `json:"data"`
		}
		_ = json.Unmarshal(raw, &ans)
		dec, err := base64.StdEncoding.DecodeString(ans.Data)
		if err != nil {
			t.Fatalf("cut data does not decode: %v", err)
		}
		got = append(got, dec...)
		if res.Meta == nil || res.Meta.AdditionalFields[CutMetaKey] == nil {
			break
		}
		rep := checkWithinBudget(t, res, budget)
		m := regexp.MustCompile(`offset (\d+)`).FindStringSubmatch(rep.Next)
		if m == nil {
			t.Fatalf("continuation %q names no offset", rep.Next)
		}
		fmt.Sscan(m[1], &offset)
		if offset != len(got) {
			t.Fatalf("continuation offset %d, but %d bytes were handed back", offset, len(got))
		}
	}
	if !bytes.Equal(got, data) {
		t.Errorf("read %d bytes through the continuations, want %d", len(got), len(data))
	}
}

func TestShrink(t *testing.T) {
	long := strings.Repeat("é", 3000)
	b64 := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1, 2, 3}, 3000))
	items := make([]map[string]int, 500)
	for i := range items {
		items[i] = map[string]int{"id": i}
	}
	tests := []struct {
		name  string
		value any
		room  int
		path  string
		unit  string
	}{
		{"string on a character boundary", map[string]any{"s": long, "n": 1}, 1000, "s", "bytes"},
		{"base64 on a multiple of 4", map[string]any{"data": b64}, 1001, "data", "bytes"},
		{"list at whole items", map[string]any{"items": items, "next_page_token": "t"}, 700, "items", "items"},
		{"nested member", map[string]any{"notebook_output": map[string]any{"result": long, "truncated": false}}, 900, "notebook_output.result", "bytes"},
		{"top-level list", items, 300, "", "items"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, _ := json.Marshal(tt.value)
			var cuts []cut
			out := shrink(raw, tt.room, "", &cuts)
			if len(out) > tt.room {
				t.Errorf("%d bytes, room %d", len(out), tt.room)
			}
			if !json.Valid(out) {
				t.Fatalf("not JSON: %s", out)
			}
			c, ok := findCut(cuts, tt.path)
			if !ok || c.Unit != tt.unit || c.Kept >= c.Total {
				t.Fatalf("cuts %+v, want %s cut in %s", cuts, tt.path, tt.unit)
			}
			if tt.unit == "bytes" && c.base64 {
				if c.Kept%4 != 0 {
					t.Errorf("base64 kept %d, not a multiple of 4", c.Kept)
				}
			}
			if !bytes.Contains(out, []byte(`"`)) && tt.unit == "bytes" {
				t.Errorf("string member lost: %s", out)
			}
		})
	}
	small := []byte(`{"a":1}`)
	var cuts []cut
	if out := shrink(small, 100, "", &cuts); !bytes.Equal(out, small) || len(cuts) != 0 {
		t.Errorf("a value within room changed: %s %v", out, cuts)
	}
}

func TestCutIsReportedAsLogMessage(t *testing.T) {
	var mu sync.Mutex
	var logs []string
	mc, _ := session(t, Options{MaxResultBytes: minResultBytes}, mcp.ClientCapabilities{})
	mc.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method == string(mcp.MethodNotificationMessage) {
			b, _ := json.Marshal(n.Params.AdditionalFields)
			mu.Lock()
			logs = append(logs, string(b))
			mu.Unlock()
		}
	})
	mustSucceed(t, "dbfs_put", call(t, mc, "dbfs_put", map[string]any{"path": "/tmp/f", "contents": base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("x"), 20000)), "overwrite": true}))
	// Protocol 2026-07-28 asks for log messages per request, in _meta.
	req := mcp.CallToolRequest{}
	req.Params.Name = "dbfs_read"
	req.Params.Arguments = json.RawMessage(`{"path":"/tmp/f"}`)
	req.Params.Meta = &mcp.Meta{}
	req.Params.Meta.SetLogLevel(mcp.LoggingLevelInfo)
	res, err := mc.CallTool(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkWithinBudget(t, res, minResultBytes)
	// Notifications may be delivered after the result.
	if !eventually(func() bool {
		mu.Lock()
		defer mu.Unlock()
		return strings.Contains(strings.Join(logs, "\n"), "dbfs_read: result cut")
	}) {
		mu.Lock()
		defer mu.Unlock()
		t.Errorf("no log message about the cut; got %v", logs)
	}
}

func TestBudgetOptions(t *testing.T) {
	if _, err := NewRegistry(nil, Options{MaxResultBytes: 100}); err == nil {
		t.Error("a budget below the least one was accepted")
	}
	for name := range continuations {
		if !contains(ToolNames(), name) {
			t.Errorf("continuation for unknown tool %s", name)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Lists answer one page and hand the API's way to the next one to the
// caller: every paged operation's output schema has its next-page member.
func TestListsSurfaceTheirPageToken(t *testing.T) {
	reg, err := NewRegistry(nil, Options{Toolsets: []string{AllToolsets}})
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range client.Operations() {
		info := op.Info()
		p := info.Paging
		if p == nil {
			continue
		}
		member := p.NextToken
		switch {
		case member != "":
		case p.Style == client.NextRequest:
			member = "next_page"
		case p.Style == client.Offset:
			member = "has_more"
		case p.Style == client.SCIM:
			member = "totalResults"
		default:
			member = "next_page_token"
		}
		tl, ok := reg.Lookup(info.FullName())
		if !ok {
			t.Fatalf("no tool %s", info.FullName())
		}
		var s struct {
			Properties map[string]json.RawMessage `json:"properties"`
		}
		if err := json.Unmarshal(tl.Definition.RawOutputSchema, &s); err != nil {
			t.Fatal(err)
		}
		if _, ok := s.Properties[member]; !ok {
			t.Errorf("%s pages by %s, which its output schema lacks", info.FullName(), member)
		}
	}
}

// eventually polls cond until it holds or a generous deadline passes.
func eventually(cond func() bool) bool {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return cond()
}

func TestFilesDownloadCutContinuesWithRange(t *testing.T) {
	const budget = 16 << 10
	mc, _ := session(t, Options{MaxResultBytes: budget}, mcp.ClientCapabilities{})
	mustSucceed(t, "schemas_create", call(t, mc, "schemas_create", map[string]any{"catalog_name": "main", "name": "s"}))
	mustSucceed(t, "volumes_create", call(t, mc, "volumes_create", map[string]any{"catalog_name": "main", "schema_name": "s", "name": "v", "volume_type": "MANAGED"}))
	data := bytes.Repeat([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 250}, 5000)
	file := "/Volumes/main/s/v/f.bin"
	mustSucceed(t, "files_upload", call(t, mc, "files_upload", map[string]any{"file_path": file, "contents": base64.StdEncoding.EncodeToString(data)}))
	var got []byte
	args := map[string]any{"file_path": file}
	for range 20 {
		res := call(t, mc, "files_download", args)
		mustSucceed(t, "files_download", res)
		raw, _ := json.Marshal(res.StructuredContent)
		var ans struct {
			Contents string `json:"contents"`
		}
		_ = json.Unmarshal(raw, &ans)
		dec, err := base64.StdEncoding.DecodeString(ans.Contents)
		if err != nil {
			t.Fatalf("cut contents do not decode: %v", err)
		}
		got = append(got, dec...)
		if res.Meta == nil || res.Meta.AdditionalFields[CutMetaKey] == nil {
			break
		}
		rep := checkWithinBudget(t, res, budget)
		m := regexp.MustCompile(`range (bytes=\d+-\d*)`).FindStringSubmatch(rep.Next)
		if m == nil {
			t.Fatalf("continuation %q names no range", rep.Next)
		}
		args = map[string]any{"file_path": file, "range": m[1]}
	}
	if !bytes.Equal(got, data) {
		t.Errorf("downloaded %d bytes through the continuations, want %d", len(got), len(data))
	}
}

func TestApplyMarksEveryCutResult(t *testing.T) {
	const limit = minResultBytes
	many := map[string]string{}
	for i := range 40 {
		many[fmt.Sprintf("member_%02d", i)] = strings.Repeat("v", 400)
	}
	manyJSON, _ := json.Marshal(many)
	tests := []struct {
		name string
		res  *mcp.CallToolResult
	}{
		{"structured cut, short text", &mcp.CallToolResult{
			Content:              []mcp.Content{mcp.NewTextContent("a summary")},
			StructuredContent:    json.RawMessage(manyJSON),
			RawStructuredContent: manyJSON,
		}},
		{"many values cut in both", success(manyJSON)},
		{"plain text only", &mcp.CallToolResult{Content: []mcp.Content{mcp.NewTextContent(strings.Repeat("log line ✓\n", 2000))}}},
		{"error result", errorResult(strings.Repeat("trace ", 3000))},
	}
	b := &budget{max: limit, results: newResultCache()}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, rep := b.apply(tt.res, mcp.CallToolRequest{}, nil)
			if rep == nil {
				t.Fatal("nothing reported cut")
			}
			checkWithinBudget(t, out, limit)
			if out.IsError != tt.res.IsError {
				t.Errorf("isError changed to %v", out.IsError)
			}
			if body, ok := b.results.get(strings.TrimPrefix(rep.Full, "dbx://results/")); !ok || len(body) <= limit {
				t.Errorf("whole answer not kept (%d bytes, %v)", len(body), ok)
			}
		})
	}
}
