package tools

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// The catalog: tools/catalog/<tool>.json records each tool's definition as
// it is derived from the operation's declaration and Go types. It is the
// reviewable snapshot of every schema (a change to one tool is a diff of
// that tool's file alone). Beside the snapshots of tools with cloud-specific
// or compact fields, <tool>.<cloud>.json holds the schemas tailored to each
// cloud.
//
// Start-up reads none of them: zz_catalog.go holds, for every tool and
// cloud, the exact compact schema bytes tools/list sends, found by a binary
// search with no JSON decoding, so that starting costs what the offered
// tools' definitions weigh and nothing for the tools not offered. The full
// input schema a tool's arguments are checked against is read from the
// files on the tool's first call (most tools of a session are never
// called). `go generate ./...` rewrites both; TestCatalog fails when either
// is stale, and a tool with no served schemas or no snapshot stops the
// server from starting rather than being derived again.
//
//go:generate go run ./internal/gen -catalog catalog -served zz_catalog.go -readme ../README.md
//go:embed catalog/*.json
var catalogFS embed.FS

// CatalogDir is the catalog's directory, relative to the tools package.
const CatalogDir = "catalog"

// ServedFile is the Go file, relative to the tools package, that holds the
// schemas served at start-up.
const ServedFile = "zz_catalog.go"

// servedTool is one tool's schemas as its definition in tools/list carries
// them.
type servedTool struct {
	name string
	// variants holds the schemas for each cloud key (tailoredKey), or a
	// single one with no key for a tool whose schemas are the same on every
	// cloud.
	variants []servedVariant
}

type servedVariant struct {
	cloud, input, output string
}

// catalogEntry is a tool's schemas as they are derived: in full, with the
// paths of the fields that are tailored away or advertised compactly.
type catalogEntry struct {
	input, output json.RawMessage
	// cloudOnly lists, per cloud, the argument paths of fields that apply
	// on that cloud only (see tailor).
	cloudOnly map[string][][]string
	// outputCloudOnly is cloudOnly for the output schema: the response's
	// fields of one cloud, and those advertised compactly.
	outputCloudOnly map[string][][]string
}

// tailoredSchemas are one cloud's schemas of a tool, which go generate
// writes beside the snapshot as <tool>.<key>.json: the input schema to
// advertise, the one to validate against (omitted: the snapshot's full
// inputSchema) and the output schema (omitted: the snapshot's).
type tailoredSchemas struct {
	Input  json.RawMessage `json:"input"`
	Full   json.RawMessage `json:"full,omitempty"`
	Output json.RawMessage `json:"output,omitempty"`
}

// tailoredKey is the key of a cloud's schemas in a snapshot: the cloud, or
// "unknown" for a workspace whose cloud is not known.
func tailoredKey(cloud string) string {
	if cloud == "" {
		return "unknown"
	}
	return cloud
}

// tailor makes the tool's schemas for a workspace of cloud from the full
// ones and the paths of their cloud-specific and compact fields.
func (e catalogEntry) tailor(cloud string) (in, full, out json.RawMessage, err error) {
	if in, full, err = tailor(e.input, e.cloudOnly, cloud); err != nil {
		return nil, nil, nil, err
	}
	if out, _, err = tailor(e.output, e.outputCloudOnly, cloud); err != nil {
		return nil, nil, nil, fmt.Errorf("output: %w", err)
	}
	return in, full, out, nil
}

// toolSchemas are a tool's schemas for one cloud: those its definition
// advertises, needed at start-up, and the full input schema its arguments
// are validated against, needed on its first call.
type toolSchemas struct {
	input, output json.RawMessage
	full          func() (json.RawMessage, error)
}

// catalogLookup returns one tool's schemas for a workspace of cloud.
type catalogLookup func(name, cloud string) (toolSchemas, error)

// loadCatalog reads tools' schemas from the generated served schemas and
// the embedded catalog.
func loadCatalog() (catalogLookup, error) {
	return catalogFrom(served, catalogFS), nil
}

// catalogFrom looks tools up in tools, sorted by name, and reads their full
// schemas from the catalog in fsys.
func catalogFrom(tools []servedTool, fsys fs.FS) catalogLookup {
	return func(name, cloud string) (toolSchemas, error) {
		i, ok := slices.BinarySearchFunc(tools, name, func(t servedTool, name string) int { return strings.Compare(t.name, name) })
		if !ok {
			return toolSchemas{}, fmt.Errorf("%s: no served schemas in %s; run go generate ./...", name, ServedFile)
		}
		key := tailoredKey(cloud)
		j := slices.IndexFunc(tools[i].variants, func(v servedVariant) bool { return v.cloud == "" || v.cloud == key })
		if j < 0 {
			return toolSchemas{}, fmt.Errorf("%s: no served schemas for %s in %s; run go generate ./...", name, key, ServedFile)
		}
		v := tools[i].variants[j]
		if !isObject(v.input) || !isObject(v.output) {
			return toolSchemas{}, fmt.Errorf("%s: the served schemas in %s are not JSON objects; run go generate ./...", name, ServedFile)
		}
		// The snapshot is read on the first call, but its absence is known
		// now, and a server whose tool could never be called must not start.
		if _, err := fs.Stat(fsys, CatalogDir+"/"+name+".json"); err != nil {
			return toolSchemas{}, fmt.Errorf("%s: no schema snapshot %s/%s.json; run go generate ./...", name, CatalogDir, name)
		}
		return toolSchemas{
			input:  json.RawMessage(v.input),
			output: json.RawMessage(v.output),
			full:   func() (json.RawMessage, error) { return fullSchema(fsys, name, cloud) },
		}, nil
	}
}

// isObject is a cheap check of a served schema's shape: generated, it is
// compact JSON, so an object starts and ends with a brace.
func isObject(s string) bool {
	return len(s) >= 2 && s[0] == '{' && s[len(s)-1] == '}'
}

// fullSchema reads the input schema a tool's arguments are validated
// against on a workspace of cloud: the snapshot's, or, for a tool with
// cloud-specific fields, the one tailored to the cloud beside it.
func fullSchema(fsys fs.FS, name, cloud string) (json.RawMessage, error) {
	data, err := fs.ReadFile(fsys, CatalogDir+"/"+name+".json")
	if err != nil {
		return nil, fmt.Errorf("%s: no schema snapshot %s/%s.json; run go generate ./...", name, CatalogDir, name)
	}
	var d struct {
		Name        string                `json:"name"`
		InputSchema json.RawMessage       `json:"inputSchema"`
		CloudOnly   map[string][][]string `json:"cloudOnly"`
		OutputCloud map[string][][]string `json:"outputCloudOnly"`
	}
	// A Decoder scans the file once before decoding it; Unmarshal would
	// scan it a second time to check it first.
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&d); err != nil || dec.InputOffset() != int64(len(bytes.TrimRight(data, " \t\r\n"))) {
		if err == nil {
			err = errors.New("data after the definition")
		}
		return nil, fmt.Errorf("%s: schema snapshot %s/%s.json is not valid JSON (%v); run go generate ./...", name, CatalogDir, name, err)
	}
	in := compact(d.InputSchema)
	if d.Name != name || in == nil || in[0] != '{' {
		return nil, fmt.Errorf("%s: schema snapshot %s/%s.json lacks its name or input schema; run go generate ./...", name, CatalogDir, name)
	}
	if len(d.CloudOnly) == 0 && len(d.OutputCloud) == 0 {
		return in, nil
	}
	file := name + "." + tailoredKey(cloud) + ".json"
	var t tailoredSchemas
	data, err = fs.ReadFile(fsys, CatalogDir+"/"+file)
	if err != nil || json.Unmarshal(data, &t) != nil || t.Input == nil {
		return nil, fmt.Errorf("%s/%s, the schemas for that cloud beside the snapshot, is missing or not valid JSON; run go generate ./...", CatalogDir, file)
	}
	if t.Full == nil {
		return in, nil
	}
	if full := compact(t.Full); full != nil {
		return full, nil
	}
	return nil, fmt.Errorf("%s/%s holds no valid schemas; run go generate ./...", CatalogDir, file)
}

// derivedEntry derives a tool's schemas from the Go types, for the
// generator and the staleness test.
func derivedEntry(name string) (catalogEntry, error) {
	if name == APICallName {
		return catalogEntry{input: apiCallInputSchema(apiCallMethods), output: apiCallOutputSchema()}, nil
	}
	for _, op := range client.Operations() {
		if info := op.Info(); info.FullName() == name {
			in, out, err := deriveSchemas(info)
			if err != nil {
				return catalogEntry{}, fmt.Errorf("%s: %w", name, err)
			}
			return catalogEntry{input: in, output: out, cloudOnly: cloudPaths(info.Request), outputCloudOnly: cloudPaths(info.Response)}, nil
		}
	}
	return catalogEntry{}, fmt.Errorf("%s: no such operation", name)
}

// derivedCatalog is the catalogLookup that derives every schema instead of
// reading it, for the generator and the staleness test.
func derivedCatalog(name, cloud string) (toolSchemas, error) {
	entry, err := derivedEntry(name)
	if err != nil {
		return toolSchemas{}, err
	}
	in, full, out, err := entry.tailor(cloud)
	if err != nil {
		return toolSchemas{}, fmt.Errorf("%s: %w", name, err)
	}
	return toolSchemas{input: in, output: out, full: func() (json.RawMessage, error) { return full, nil }}, nil
}

func compact(raw json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil || b.Len() == 0 {
		return nil
	}
	return b.Bytes()
}

// Snapshots derives the catalog's files, by file name: each tool's
// definition (every tool there is, api_call included) with its full input
// and output schemas, and beside them, for tools with cloud-specific or
// compact fields, cloudOnly and outputCloudOnly: their paths per cloud,
// and the files of the schemas tailored to each cloud.
func Snapshots() (map[string][]byte, error) {
	reg, err := newRegistry(nil, Options{Toolsets: []string{AllToolsets}}, derivedCatalog)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, t := range reg.Tools() {
		def := t.Definition
		entry, derr := derivedEntry(t.Name())
		if derr == nil {
			// In full, every cloud's fields.
			def.RawInputSchema, def.RawOutputSchema = entry.input, entry.output
		}
		b, err := json.MarshalIndent(def, "", "  ")
		if err != nil {
			return nil, err
		}
		if derr == nil {
			for _, extra := range []struct {
				key   string
				paths map[string][][]string
			}{{"cloudOnly", entry.cloudOnly}, {"outputCloudOnly", entry.outputCloudOnly}} {
				if len(extra.paths) == 0 {
					continue
				}
				paths, err := json.Marshal(extra.paths)
				if err != nil {
					return nil, err
				}
				b = append(bytes.TrimSuffix(b, []byte("\n}")), []byte(",\n  \""+extra.key+"\": "+string(paths)+"\n}")...)
			}
			tailored, err := tailoredSnapshots(entry)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", t.Name(), err)
			}
			for key, data := range tailored {
				out[t.Name()+"."+key+".json"] = data
			}
		}
		out[t.Name()+".json"] = append(b, '\n')
	}
	return out, nil
}

// tailoredSnapshots are the files beside a tool's snapshot, by cloud key:
// its schemas for every cloud and for an unknown one, made by tailor; none
// for a tool whose schemas are the same everywhere.
func tailoredSnapshots(entry catalogEntry) (map[string][]byte, error) {
	if len(entry.cloudOnly) == 0 && len(entry.outputCloudOnly) == 0 {
		return nil, nil
	}
	files := map[string][]byte{}
	for _, cloud := range append([]string{""}, Clouds...) {
		in, full, out, err := entry.tailor(cloud)
		if err != nil {
			return nil, err
		}
		t := tailoredSchemas{Input: in}
		if !bytes.Equal(full, entry.input) {
			t.Full = full
		}
		if !bytes.Equal(out, entry.output) {
			t.Output = out
		}
		b, err := json.Marshal(t)
		if err != nil {
			return nil, err
		}
		files[tailoredKey(cloud)] = append(b, '\n')
	}
	return files, nil
}

// ServedSource derives zz_catalog.go: for every tool with a snapshot, its
// schemas as its definition carries them in tools/list, for each cloud
// when they differ by cloud, sorted by name.
func ServedSource() ([]byte, error) {
	reg, err := newRegistry(nil, Options{Toolsets: []string{AllToolsets}}, derivedCatalog)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("// Code generated by tools/internal/gen (go generate ./...); DO NOT EDIT.\n\n")
	b.WriteString("package tools\n\n")
	b.WriteString("// served holds, sorted by name, the schemas each tool's definition carries\n")
	b.WriteString("// in tools/list, made from the catalog as go generate derives it.\n")
	b.WriteString("var served = []servedTool{\n")
	names := slices.Sorted(func(yield func(string) bool) {
		for _, t := range reg.Tools() {
			if !yield(t.Name()) {
				return
			}
		}
	})
	for _, name := range names {
		entry, err := derivedEntry(name)
		if err != nil {
			continue // a hand-written tool, whose schemas are its code's
		}
		var variants []servedVariant
		for _, cloud := range append([]string{""}, Clouds...) {
			in, _, out, err := entry.tailor(cloud)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			in, out = compact(in), compact(out)
			if in == nil || out == nil {
				return nil, fmt.Errorf("%s: schemas for %s are not valid JSON", name, tailoredKey(cloud))
			}
			variants = append(variants, servedVariant{cloud: tailoredKey(cloud), input: string(in), output: string(out)})
		}
		if !slices.ContainsFunc(variants, func(v servedVariant) bool { return v.input != variants[0].input || v.output != variants[0].output }) {
			variants = []servedVariant{{input: variants[0].input, output: variants[0].output}}
		}
		// As gofmt lays it out (TestServedSourceIsFormatted), without
		// linking go/format into the server for the generator's sake.
		fmt.Fprintf(&b, "\t{name: %q, variants: []servedVariant{\n", name)
		for _, v := range variants {
			b.WriteString("\t\t{\n")
			if v.cloud != "" {
				fmt.Fprintf(&b, "\t\t\tcloud:  %q,\n", v.cloud)
			}
			fmt.Fprintf(&b, "\t\t\tinput:  %s,\n\t\t\toutput: %s,\n\t\t},\n", goString(v.input), goString(v.output))
		}
		b.WriteString("\t}},\n")
	}
	b.WriteString("}\n")
	return []byte(b.String()), nil
}

// goString is s as a Go string literal: raw, so that the schemas read as
// the JSON they are, unless s holds what a raw literal cannot.
func goString(s string) string {
	if utf8.ValidString(s) && !strings.ContainsAny(s, "`\r\x00\ufeff") {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}

// WriteCatalog rewrites dir to hold exactly the Snapshots, and servedFile
// to be the ServedSource.
func WriteCatalog(dir, servedFile string) error {
	snaps, err := Snapshots()
	if err != nil {
		return err
	}
	src, err := ServedSource()
	if err != nil {
		return err
	}
	old, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, f := range old {
		if _, keep := snaps[filepath.Base(f)]; !keep {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	for name, b := range snaps {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(servedFile, src, 0o644)
}

// CheckCatalog reports how dir differs from the Snapshots, and servedFile
// from the ServedSource: stale, missing and extra files.
func CheckCatalog(dir, servedFile string) error {
	snaps, err := Snapshots()
	if err != nil {
		return err
	}
	src, err := ServedSource()
	if err != nil {
		return err
	}
	var problems []string
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, f := range files {
		if _, ok := snaps[filepath.Base(f)]; !ok {
			problems = append(problems, filepath.Base(f)+" names no tool")
		}
	}
	for _, name := range slices.Sorted(maps.Keys(snaps)) {
		got, err := os.ReadFile(filepath.Join(dir, name))
		switch {
		case err != nil:
			problems = append(problems, name+" is missing")
		case !bytes.Equal(got, snaps[name]):
			problems = append(problems, name+" is stale")
		}
	}
	switch got, err := os.ReadFile(servedFile); {
	case err != nil:
		problems = append(problems, servedFile+" is missing")
	case !bytes.Equal(got, src):
		problems = append(problems, servedFile+" is stale")
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; ") + ": review the change and run go generate ./...")
	}
	return nil
}

// definitions lists the tool definitions of a registry, as tools/list
// sends them.
func definitions(r *Registry) []mcp.Tool {
	defs := make([]mcp.Tool, 0, len(r.tools))
	for _, t := range r.tools {
		defs = append(defs, t.Definition)
	}
	return defs
}
