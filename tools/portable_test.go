package tools

import (
	"testing"

	"github.com/dbx-mcp/dbx-mcp/schema"
)

// TestSchemasPortable holds every tool's schemas, for every cloud and in
// discovery mode too, to what every MCP client accepts and our validator
// enforces (schema.PortabilityProblems).
func TestSchemasPortable(t *testing.T) {
	var regs []*Registry
	for _, cloud := range append([]string{""}, Clouds...) {
		reg, err := NewRegistry(nil, Options{Toolsets: []string{AllToolsets}, Cloud: cloud})
		if err != nil {
			t.Fatal(err)
		}
		regs = append(regs, reg)
	}
	disc, err := NewRegistry(nil, Options{Mode: ModeDiscovery})
	if err != nil {
		t.Fatal(err)
	}
	regs = append(regs, disc)
	for _, reg := range regs {
		for _, tool := range reg.Tools() {
			for _, p := range schema.PortabilityProblems(tool.Definition.RawInputSchema) {
				t.Errorf("%s input: %s", tool.Name(), p)
			}
			if out := tool.Definition.RawOutputSchema; out != nil {
				for _, p := range schema.PortabilityProblems(out) {
					t.Errorf("%s output: %s", tool.Name(), p)
				}
			}
		}
	}
}
