package tools

import (
	"testing"

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
