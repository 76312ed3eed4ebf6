package tools

import (
	"bytes"
	"encoding/json"
	"go/format"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/schema"
)

func allTools(t *testing.T) []Tool {
	t.Helper()
	reg, err := NewRegistry(nil, Options{Toolsets: []string{AllToolsets}})
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

// TestCatalog keeps tools/catalog/ and zz_catalog.go equal to the
// definitions derived from the declarations and Go types, so that a change
// of any schema, description or annotation shows up in review, and the
// schemas the server starts with, for every cloud, and those it validates
// arguments against are the derived ones. `go generate ./...` accepts a
// change.
func TestCatalog(t *testing.T) {
	if err := CheckCatalog(CatalogDir, ServedFile); err != nil {
		t.Fatal(err)
	}
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, cloud := range append([]string{""}, Clouds...) {
		opts := Options{Toolsets: []string{AllToolsets}, Cloud: cloud}
		derived, err := newRegistry(nil, opts, derivedCatalog)
		if err != nil {
			t.Fatal(err)
		}
		fromCatalog, err := NewRegistry(nil, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(fromCatalog.Tools()) != len(derived.Tools()) {
			t.Fatalf("cloud %q: %d tools from the catalog, %d derived", cloud, len(fromCatalog.Tools()), len(derived.Tools()))
		}
		for i, tool := range fromCatalog.Tools() {
			got, _ := json.Marshal(tool.Definition)
			exp, _ := json.Marshal(derived.Tools()[i].Definition)
			if !bytes.Equal(got, exp) {
				t.Errorf("cloud %q: %s: definition from the catalog differs from the derived one", cloud, tool.Name())
			}
			if _, err := derivedEntry(tool.Name()); err != nil {
				continue // hand-written: its schemas are its code's
			}
			read, err := cat(tool.Name(), cloud)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := derivedCatalog(tool.Name(), cloud)
			gotFull, err := read.full()
			if err != nil {
				t.Fatal(err)
			}
			wantFull, _ := want.full()
			if !bytes.Equal(gotFull, compact(wantFull)) {
				t.Errorf("cloud %q: %s: the schema arguments are checked against differs from the derived one", cloud, tool.Name())
			}
		}
	}
}

// A tool whose served schemas or snapshot are missing or broken stops the
// registry, naming the file and the fix; one whose snapshot cannot be read
// fails its calls the same way. Nothing is derived behind the user's back.
func TestCatalogFailsLoudly(t *testing.T) {
	snap, err := fs.ReadFile(catalogFS, CatalogDir+"/clusters_get.json")
	if err != nil {
		t.Fatal(err)
	}
	good := fstest.MapFS{CatalogDir + "/clusters_get.json": &fstest.MapFile{Data: snap}}
	obj := servedVariant{input: `{"type":"object"}`, output: `{"type":"object"}`}
	for name, tc := range map[string]struct {
		served []servedTool
		fsys   fs.FS
		file   string
	}{
		"no served schemas":  {nil, good, ServedFile},
		"another tool only":  {[]servedTool{{name: "clusters_list", variants: []servedVariant{obj}}}, good, ServedFile},
		"not for the cloud":  {[]servedTool{{name: "clusters_get", variants: []servedVariant{{cloud: "aws", input: obj.input, output: obj.output}}}}, good, ServedFile},
		"not objects":        {[]servedTool{{name: "clusters_get", variants: []servedVariant{{input: `[]`, output: `"x"`}}}}, good, ServedFile},
		"truncated":          {[]servedTool{{name: "clusters_get", variants: []servedVariant{{input: `{"type":"obj`, output: obj.output}}}}, good, ServedFile},
		"no snapshot":        {[]servedTool{{name: "clusters_get", variants: []servedVariant{obj}}}, fstest.MapFS{}, "clusters_get.json"},
		"snapshot elsewhere": {[]servedTool{{name: "clusters_get", variants: []servedVariant{obj}}}, fstest.MapFS{"clusters_get.json": &fstest.MapFile{Data: snap}}, "clusters_get.json"},
	} {
		_, err := newRegistry(nil, Options{Tools: []string{"clusters_get"}, Cloud: "azure"}, catalogFrom(tc.served, tc.fsys))
		if err == nil || !strings.Contains(err.Error(), tc.file) || !strings.Contains(err.Error(), "go generate") {
			t.Errorf("%s: error %v, want one naming %s and go generate", name, err, tc.file)
		}
	}
	// The snapshot is read on the first call.
	for name, content := range map[string]string{
		"unparsable":  `{"name":"clusters_get","inputSchema":{`,
		"wrong name":  `{"name":"clusters_list","inputSchema":{"type":"object"},"outputSchema":{"type":"object"}}`,
		"no schemas":  `{"name":"clusters_get"}`,
		"not objects": `{"name":"clusters_get","inputSchema":[],"outputSchema":"x"}`,
		// A snapshot with cloud-specific fields needs the schemas made for
		// the workspace's cloud beside it: clusters_get.azure.json here.
		"alone": string(snap),
	} {
		fsys := fstest.MapFS{CatalogDir + "/clusters_get.json": &fstest.MapFile{Data: []byte(content)}}
		reg, err := newRegistry(nil, Options{Tools: []string{"clusters_get"}, Cloud: "azure"}, catalogFrom(served, fsys))
		if err != nil {
			t.Fatalf("%s snapshot: %v", name, err)
		}
		tool, _ := reg.Lookup("clusters_get")
		req := mcp.CallToolRequest{}
		req.Params.Name = "clusters_get"
		req.Params.Arguments = map[string]any{"cluster_id": "1"}
		file := "clusters_get.json"
		if name == "alone" {
			file = "clusters_get.azure.json"
		}
		if _, err := tool.Handler(t.Context(), req); err == nil || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), "go generate") {
			t.Errorf("%s snapshot: call error %v, want one naming %s and go generate", name, err, file)
		}
	}
	dir := t.TempDir()
	if err := CheckCatalog(dir, dir+"/"+ServedFile); err == nil || !strings.Contains(err.Error(), "missing") || !strings.Contains(err.Error(), ServedFile) {
		t.Errorf("an empty catalog directory passed the check: %v", err)
	}
}

func names(tools []Tool) []string {
	out := make([]string, len(tools))
	for i, t := range tools {
		out[i] = t.Name()
	}
	return out
}

func TestToolSelection(t *testing.T) {
	def, err := NewRegistry(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	all := allTools(t)
	var wantDefault []string
	for _, tool := range all {
		if tool.Default {
			wantDefault = append(wantDefault, tool.Name())
		}
	}
	if got := names(def.Tools()); !slices.Equal(got, wantDefault) || len(got) < 5 || len(got) >= len(all) {
		t.Errorf("default tools %v, want the %d declared Default plus api_call (of %d)", got, len(wantDefault), len(all))
	}
	explicit, err := NewRegistry(nil, Options{Toolsets: []string{DefaultToolset}})
	if err != nil || !slices.Equal(names(explicit.Tools()), wantDefault) {
		t.Errorf("--toolsets default = %v, %v", names(explicit.Tools()), err)
	}
	two, err := NewRegistry(nil, Options{Tools: []string{"clusters_get", "clusters_list"}})
	if err != nil || !slices.Equal(names(two.Tools()), []string{"clusters_get", "clusters_list"}) {
		t.Errorf("--tools clusters_get,clusters_list = %v, %v", names(two.Tools()), err)
	}
	mixed, err := NewRegistry(nil, Options{Toolsets: []string{"tokens"}, Tools: []string{"clusters_get"}})
	if err != nil || !slices.Equal(names(mixed.Tools()), []string{"clusters_get", "tokens_create", "tokens_delete", "tokens_list"}) {
		t.Errorf("--toolsets tokens --tools clusters_get = %v, %v", names(mixed.Tools()), err)
	}
	ro, err := NewRegistry(nil, Options{Toolsets: []string{"tokens"}, Tools: []string{"clusters_create"}, ReadOnly: true})
	if err != nil || !slices.Equal(names(ro.Tools()), []string{"tokens_list"}) {
		t.Errorf("read-only selection = %v, %v", names(ro.Tools()), err)
	}
	_, err = NewRegistry(nil, Options{Tools: []string{"clusters_lst"}})
	if err == nil || !strings.Contains(err.Error(), "did you mean clusters_list?") {
		t.Errorf("unknown tool error: %v", err)
	}
	if _, err := NewRegistry(nil, Options{Mode: "everything"}); err == nil {
		t.Error("an unknown mode was accepted")
	}
}

func TestToolsetsAndReadOnlyFilter(t *testing.T) {
	reg, err := NewRegistry(nil, Options{ReadOnly: true, Toolsets: []string{AllToolsets}})
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

// The annotations come from the declaration: idempotentHint is the very
// field that lets the client repeat a call, readOnly and destructive follow
// Access.
func TestAnnotationsFollowDeclarations(t *testing.T) {
	byName := map[string]client.OperationInfo{}
	for _, op := range client.Operations() {
		byName[op.Info().FullName()] = op.Info()
	}
	for _, tool := range allTools(t) {
		info, ok := byName[tool.Name()]
		if !ok {
			continue
		}
		a := tool.Definition.Annotations
		if *a.IdempotentHint != info.Idempotent || *a.ReadOnlyHint != (info.Access == client.Read) || *a.DestructiveHint != (info.Access == client.Destructive) {
			t.Errorf("%s: annotations %+v disagree with the declaration (access %s, idempotent %v)", tool.Name(), a, info.Access, info.Idempotent)
		}
		if (info.Wait != nil) != strings.Contains(string(tool.Definition.RawInputSchema), `"`+WaitOption+`"`) {
			t.Errorf("%s: wait option present iff the declaration has a Wait", tool.Name())
		}
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

// validToolName is toolNamePattern without a regular expression: both
// agree on every case.
func TestValidToolName(t *testing.T) {
	pattern := regexp.MustCompile(toolNamePattern)
	for name, want := range map[string]bool{
		"clusters_get":          true,
		"a":                     true,
		"0_9":                   true,
		strings.Repeat("a", 64): true,
		strings.Repeat("a", 65): false,
		"":                      false,
		"Clusters_get":          false,
		"clusters-get":          false,
		"clusters get":          false,
		"clusters_get\n":        false,
		"clusters.get":          false,
		"é":                     false,
	} {
		if got := validToolName(name); got != want || pattern.MatchString(name) != want {
			t.Errorf("validToolName(%q) = %v, pattern %v, want %v", name, got, pattern.MatchString(name), want)
		}
	}
}

// CheckWorkspaceName is workspaceNamePattern without a regular expression:
// both agree on every case.
func TestCheckWorkspaceName(t *testing.T) {
	pattern := regexp.MustCompile(workspaceNamePattern)
	for name, want := range map[string]bool{
		"prod":                        true,
		"P":                           true,
		"9.x_y-z":                     true,
		"a" + strings.Repeat("-", 63): true,
		"a" + strings.Repeat("-", 64): false,
		"":                            false,
		"-prod":                       false,
		".prod":                       false,
		"_prod":                       false,
		"pro d":                       false,
		"prod/eu":                     false,
		"prod\n":                      false,
		"prød":                        false,
	} {
		if got := CheckWorkspaceName(name) == nil; got != want || pattern.MatchString(name) != want {
			t.Errorf("CheckWorkspaceName(%q) ok = %v, pattern %v, want %v", name, got, pattern.MatchString(name), want)
		}
	}
}

// ServedSource writes zz_catalog.go as gofmt would, without go/format.
func TestServedSourceIsFormatted(t *testing.T) {
	src, err := ServedSource()
	if err != nil {
		t.Fatal(err)
	}
	formatted, err := format.Source(src)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(src, formatted) {
		t.Error("ServedSource is not gofmt-formatted")
	}
}
