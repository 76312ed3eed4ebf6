package tools

import (
	"bytes"
	"testing"
	"testing/fstest"

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

// TestIsCompact checks the shortcut success takes: a body isCompact accepts
// is the one json.Compact would make of it, and every body with whitespace
// between tokens is compacted.
func TestIsCompact(t *testing.T) {
	for _, tc := range []struct {
		body    string
		compact bool
	}{
		{`{"a":1,"b":[true,null,"x y"]}`, true},
		{`{"s":"tab\there \" quoted: {\"a\": 1}","n":-1.5e3}`, true},
		{`{"s":"a\\","t":"b c"}`, true},
		{`{}`, true},
		{``, true},
		{`{"a": 1}`, false},
		{"{\"a\":1}\n", false},
		{"{\"a\":\t1}", false},
		{`{"s":"a\\" , "t":1}`, false},
		{`[1, 2]`, false},
	} {
		if got := isCompact([]byte(tc.body)); got != tc.compact {
			t.Errorf("isCompact(%s) = %v, want %v", tc.body, got, tc.compact)
		}
		if c := compact([]byte(tc.body)); c != nil && tc.compact != bytes.Equal(c, []byte(tc.body)) {
			t.Errorf("json.Compact(%s) = %s: isCompact should be %v", tc.body, c, !tc.compact)
		}
		res := success([]byte(tc.body))
		if want := compact([]byte(tc.body)); want != nil && !bytes.Equal(res.RawStructuredContent, want) {
			t.Errorf("success(%s) carries %s, want %s", tc.body, res.RawStructuredContent, want)
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
