package tools

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/schema"
)

var updateGolden = flag.Bool("update", false, "rewrite schema snapshots and the README tool list")

func allTools(t *testing.T) []Tool {
	t.Helper()
	reg, err := NewRegistry(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return reg.Tools()
}

// TestToolGuards holds every tool to the catalogue's rules: unique valid
// names, a title, a description, a toolset, all four annotations set, and
// self-contained schemas our validator compiles.
func TestToolGuards(t *testing.T) {
	seen := map[string]bool{}
	for _, tool := range allTools(t) {
		d := tool.Definition
		name := d.Name
		if !regexp.MustCompile(`^[a-z0-9_]{1,64}$`).MatchString(name) {
			t.Errorf("%s: invalid name", name)
		}
		if seen[name] {
			t.Errorf("%s: duplicate name", name)
		}
		seen[name] = true
		if d.Title == "" || d.Annotations.Title == "" {
			t.Errorf("%s: no title", name)
		}
		if len(d.Description) < 40 {
			t.Errorf("%s: description too short to guide a model: %q", name, d.Description)
		}
		if tool.Toolset == "" {
			t.Errorf("%s: no toolset", name)
		}
		a := d.Annotations
		if a.ReadOnlyHint == nil || a.DestructiveHint == nil || a.IdempotentHint == nil || a.OpenWorldHint == nil {
			t.Errorf("%s: annotations not all set: %+v", name, a)
		} else if *a.ReadOnlyHint && *a.DestructiveHint {
			t.Errorf("%s: read-only and destructive at once", name)
		}
		if tool.Toolset != RawToolset && !strings.HasPrefix(name, tool.Toolset+"_") {
			t.Errorf("%s: not prefixed by its toolset %s", name, tool.Toolset)
		}
		checkSchema(t, name+" input", d.RawInputSchema, true)
		checkSchema(t, name+" output", d.RawOutputSchema, false)
	}
}

func checkSchema(t *testing.T, what string, raw json.RawMessage, input bool) {
	t.Helper()
	if key := duplicateKey(json.NewDecoder(bytes.NewReader(raw))); key != "" {
		t.Errorf("%s: schema has the key %q twice in one object", what, key)
	}
	// The validator refuses any $ref but local ones that resolve.
	if _, err := schema.NewValidator(raw); err != nil {
		t.Errorf("%s: schema does not compile: %v", what, err)
	}
	var root map[string]any
	if err := json.Unmarshal(raw, &root); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if root["type"] != "object" {
		t.Errorf("%s: root type is %v, want object", what, root["type"])
	}
	if _, ok := root["properties"]; !ok {
		t.Errorf("%s: no properties", what)
	}
	if input {
		if root["additionalProperties"] != false {
			t.Errorf("%s: input must reject unknown properties", what)
		}
		noDescription := func(path string, p map[string]any) {
			if d, _ := p["description"].(string); d == "" {
				t.Errorf("%s: property %s has no description", what, path)
			}
		}
		walkProps(root, "", noDescription)
		defs, _ := root["$defs"].(map[string]any)
		for name, def := range defs {
			if d, ok := def.(map[string]any); ok {
				walkProps(d, "$defs."+name+".", noDescription)
			}
		}
	}
}

func walkProps(s map[string]any, path string, fn func(string, map[string]any)) {
	if props, ok := s["properties"].(map[string]any); ok {
		for k, v := range props {
			p, _ := v.(map[string]any)
			if p == nil {
				continue
			}
			fn(path+k, p)
			walkProps(p, path+k+".", fn)
			if items, ok := p["items"].(map[string]any); ok {
				walkProps(items, path+k+"[].", fn)
			}
			if ap, ok := p["additionalProperties"].(map[string]any); ok {
				walkProps(ap, path+k+"{}.", fn)
			}
		}
	}
}

// TestCatalog keeps catalog.json equal to the definitions derived from the
// Go types, so that a change of any schema, description or annotation shows
// up in review, and the schemas the server starts with are the derived
// ones. Run `go test ./tools -run Catalog -update` to accept a change.
func TestCatalog(t *testing.T) {
	derived, err := newRegistry(nil, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defs := make([]mcp.Tool, 0, len(derived.Tools()))
	for _, tool := range derived.Tools() {
		defs = append(defs, tool.Definition)
	}
	want, err := json.MarshalIndent(defs, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	if *updateGolden {
		if err := os.WriteFile("catalog.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(catalogJSON, want) {
		t.Fatal("catalog.json is stale: the tool definitions changed; review the change and run go test ./tools -run Catalog -update")
	}
	// The registry built from the catalog must serve exactly the derived
	// definitions.
	fromCatalog, err := NewRegistry(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, tool := range fromCatalog.Tools() {
		got, _ := json.Marshal(tool.Definition)
		exp, _ := json.Marshal(derived.Tools()[i].Definition)
		if !bytes.Equal(got, exp) {
			t.Errorf("%s: definition from the catalog differs from the derived one", tool.Name())
		}
	}
}

func TestToolsetsAndReadOnlyFilter(t *testing.T) {
	reg, err := NewRegistry(nil, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range reg.Tools() {
		if !*tool.Definition.Annotations.ReadOnlyHint {
			t.Errorf("read-only registry offers %s", tool.Name())
		}
	}
	api, ok := reg.Lookup(APICallName)
	if !ok {
		t.Fatal("read-only registry lacks api_call")
	}
	if !strings.Contains(string(api.Definition.RawInputSchema), `"enum":["GET"]`) {
		t.Errorf("read-only api_call allows more than GET: %s", api.Definition.RawInputSchema)
	}
	only, err := NewRegistry(nil, Options{Toolsets: []string{"tokens"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range only.Tools() {
		if tool.Toolset != "tokens" {
			t.Errorf("toolset filter let through %s", tool.Name())
		}
	}
	if len(only.Tools()) == 0 {
		t.Error("tokens toolset is empty")
	}
	if _, err := NewRegistry(nil, Options{Toolsets: []string{"nope"}}); err == nil || !strings.Contains(err.Error(), "tokens") {
		t.Errorf("unknown toolset error should list known ones, got %v", err)
	}
}

func TestDefinitionMarshalsForClients(t *testing.T) {
	for _, tool := range allTools(t) {
		b, err := json.Marshal(tool.Definition)
		if err != nil {
			t.Fatalf("%s: %v", tool.Name(), err)
		}
		var back mcp.Tool
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", tool.Name(), err)
		}
		for _, key := range []string{`"inputSchema"`, `"outputSchema"`, `"annotations"`, `"title"`} {
			if !strings.Contains(string(b), key) {
				t.Errorf("%s: marshalled definition lacks %s", tool.Name(), key)
			}
		}
	}
}

// duplicateKey returns a key that occurs twice in one object of the JSON
// value dec reads, or "". encoding/json keeps the last one silently; other
// clients may not.
func duplicateKey(dec *json.Decoder) string {
	tok, err := dec.Token()
	if err != nil {
		return ""
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for dec.More() {
			k, _ := dec.Token()
			key, _ := k.(string)
			if seen[key] {
				return key
			}
			seen[key] = true
			if d := duplicateKey(dec); d != "" {
				return d
			}
		}
		dec.Token()
	case json.Delim('['):
		for dec.More() {
			if d := duplicateKey(dec); d != "" {
				return d
			}
		}
		dec.Token()
	}
	return ""
}
