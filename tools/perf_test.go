package tools

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/schema"
)

// TestInputSchemasCompile compiles every tool's input schema, in every
// shape a registry offers it: validators are compiled on a tool's first
// call rather than at start-up, so a schema that does not compile would
// otherwise show only when the tool is called.
func TestInputSchemasCompile(t *testing.T) {
	for _, opts := range []Options{
		{Toolsets: []string{AllToolsets}, LocalDir: t.TempDir()},
		{Toolsets: []string{AllToolsets}, LocalDir: t.TempDir(), ReadOnly: true},
		{Toolsets: []string{AllToolsets}, Cloud: Clouds[0]},
		{Mode: ModeDiscovery},
	} {
		reg, err := NewRegistry(nil, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, tool := range append(reg.Tools(), reg.Operations()...) {
			if _, err := schema.NewValidator(tool.Definition.RawInputSchema); err != nil {
				t.Errorf("%s (%+v): input schema does not compile: %v", tool.Name(), opts, err)
			}
		}
	}
}

// TestSuccessCompacts checks the shortcut success takes: a compact body is
// carried as it is, a body with whitespace between tokens is compacted, and
// a body that is not JSON is an error result naming it.
func TestSuccessCompacts(t *testing.T) {
	for _, tc := range []struct {
		body, want string
	}{
		{`{"a":1,"b":[true,null,"x y"]}`, `{"a":1,"b":[true,null,"x y"]}`},
		{`{"s":"tab\there \" quoted: {\"a\": 1}","n":-1.5e3}`, `{"s":"tab\there \" quoted: {\"a\": 1}","n":-1.5e3}`},
		{`{"s":"a\\","t":"b c"}`, `{"s":"a\\","t":"b c"}`},
		{`{}`, `{}`},
		{`{"a": 1}`, `{"a":1}`},
		{"{\"a\":1}\n", `{"a":1}`},
		{"{\"a\":\t1}", `{"a":1}`},
		{`{"s":"a\\" , "t":1}`, `{"s":"a\\","t":1}`},
		{`[1, 2]`, `[1,2]`},
	} {
		res := success([]byte(tc.body))
		if res.IsError || string(res.RawStructuredContent) != tc.want || res.Content[0].(mcp.TextContent).Text != tc.want {
			t.Errorf("success(%s) = %+v, want %s", tc.body, res, tc.want)
		}
	}
	for _, body := range []string{``, `<html>Sign in</html>`, `{"a":1`, `{"a":1}{"b":2}`} {
		res := success([]byte(body))
		if text := res.Content[0].(mcp.TextContent).Text; !res.IsError || !strings.Contains(text, "not JSON") || res.RawStructuredContent != nil {
			t.Errorf("success(%q) = %+v, want an error result", body, res)
		}
	}
}

// TestCatalogRefusesTrailingData keeps the reading of a snapshot, on a
// tool's first call, as strict as json.Unmarshal was: a snapshot with
// anything after its definition fails the call, and trailing whitespace
// does not.
func TestCatalogRefusesTrailingData(t *testing.T) {
	const def = `{"name":"clusters_get","inputSchema":{"type":"object"},"outputSchema":{"type":"object"}}`
	tools := []servedTool{{name: "clusters_get", variants: []servedVariant{{input: `{"type":"object"}`, output: `{"type":"object"}`}}}}
	for content, ok := range map[string]bool{
		def:              true,
		def + "\n":       true,
		def + " {}":      false,
		def + "\n}":      false,
		"  " + def + "x": false,
	} {
		lookup := catalogFrom(tools, fstest.MapFS{CatalogDir + "/clusters_get.json": &fstest.MapFile{Data: []byte(content)}})
		s, err := lookup("clusters_get", "")
		if err != nil {
			t.Fatalf("snapshot %q: %v", content, err)
		}
		if _, err := s.full(); (err == nil) != ok {
			t.Errorf("snapshot %q: error %v, want ok %v", content, err, ok)
		}
	}
}
