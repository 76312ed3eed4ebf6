package tools

import (
	"testing"

	"github.com/dbx-mcp/dbx-mcp/schema"
)

// TestSchemasPortable holds every tool's schemas to what every MCP client
// accepts and our validator enforces (schema.PortabilityProblems).
func TestSchemasPortable(t *testing.T) {
	reg, err := NewRegistry(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range reg.Tools() {
		for _, p := range schema.PortabilityProblems(tool.Definition.RawInputSchema) {
			t.Errorf("%s input: %s", tool.Name(), p)
		}
		for _, p := range schema.PortabilityProblems(tool.Definition.RawOutputSchema) {
			t.Errorf("%s output: %s", tool.Name(), p)
		}
	}
}
