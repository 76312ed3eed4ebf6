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
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// The catalog: tools/catalog/<tool>.json records each tool's definition as
// it is derived from the operation's declaration and Go types. It is the
// reviewable snapshot of every schema (a change to one tool is a diff of
// that tool's file alone) and the source of the schemas at start-up:
// reflecting over the Go types takes tens of milliseconds, reading the
// files of the tools listed well under one. `go generate ./...` rewrites
// it; TestCatalog fails when it is stale, and a missing or unparsable file
// stops the server from starting rather than being derived again.
//
//go:generate go run ./internal/gen -catalog catalog -readme ../README.md
//go:embed catalog/*.json
var catalogFS embed.FS

// CatalogDir is the catalog's directory, relative to the tools package.
const CatalogDir = "catalog"

type catalogEntry struct {
	input, output json.RawMessage
	// cloudOnly lists, per cloud, the argument paths of fields that apply
	// on that cloud only (see tailor).
	cloudOnly map[string][][]string
	// outputCloudOnly is cloudOnly for the output schema: the response's
	// fields of one cloud, and those advertised compactly.
	outputCloudOnly map[string][][]string
	// tailored reads the schemas tailor makes from the above for one cloud
	// (tailoredKey), which go generate writes beside the snapshot as
	// <tool>.<key>.json so that start-up reads them instead of making
	// them; nil when there are none.
	tailored func(key string) (tailoredSchemas, bool)
	name     string
}

// tailoredSchemas are one cloud's schemas of a tool: the input schema to
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

// schemasFor is the tool's schemas for a workspace of cloud: the input
// schema to advertise, the one to validate against, and the output schema.
func (e catalogEntry) schemasFor(cloud string) (in, full, out json.RawMessage, err error) {
	if e.tailored == nil {
		return e.tailor(cloud)
	}
	if t, ok := e.tailored(tailoredKey(cloud)); ok {
		in, full, out = compact(t.Input), e.input, e.output
		if t.Full != nil {
			full = compact(t.Full)
		}
		if t.Output != nil {
			out = compact(t.Output)
		}
		if in == nil || full == nil || out == nil {
			return nil, nil, nil, fmt.Errorf("%s/%s.%s.json holds no valid schemas; run go generate ./...", CatalogDir, e.name, tailoredKey(cloud))
		}
		return in, full, out, nil
	}
	return nil, nil, nil, fmt.Errorf("%s/%s.%s.json, the schemas for that cloud beside the snapshot, is missing or not valid JSON; run go generate ./...",
		CatalogDir, e.name, tailoredKey(cloud))
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

// catalogLookup returns one tool's recorded schemas.
type catalogLookup func(name string) (catalogEntry, error)

// loadCatalog reads tools' schemas from the embedded catalog on demand.
func loadCatalog() (catalogLookup, error) {
	return catalogFrom(catalogFS), nil
}

func catalogFrom(fsys fs.FS) catalogLookup {
	return func(name string) (catalogEntry, error) {
		data, err := fs.ReadFile(fsys, CatalogDir+"/"+name+".json")
		if err != nil {
			return catalogEntry{}, fmt.Errorf("%s: no schema snapshot %s/%s.json; run go generate ./...", name, CatalogDir, name)
		}
		var d struct {
			Name         string                `json:"name"`
			InputSchema  json.RawMessage       `json:"inputSchema"`
			OutputSchema json.RawMessage       `json:"outputSchema"`
			CloudOnly    map[string][][]string `json:"cloudOnly"`
			OutputCloud  map[string][][]string `json:"outputCloudOnly"`
		}
		// A Decoder scans the file once before decoding it; Unmarshal would
		// scan it a second time to check it first. This runs for every
		// tool offered, at start-up.
		dec := json.NewDecoder(bytes.NewReader(data))
		if err := dec.Decode(&d); err != nil || dec.InputOffset() != int64(len(bytes.TrimRight(data, " \t\r\n"))) {
			if err == nil {
				err = errors.New("data after the definition")
			}
			return catalogEntry{}, fmt.Errorf("%s: schema snapshot %s/%s.json is not valid JSON (%v); run go generate ./...", name, CatalogDir, name, err)
		}
		in, out := compact(d.InputSchema), compact(d.OutputSchema)
		if d.Name != name || in == nil || out == nil || in[0] != '{' || out[0] != '{' {
			return catalogEntry{}, fmt.Errorf("%s: schema snapshot %s/%s.json lacks its name or schemas; run go generate ./...", name, CatalogDir, name)
		}
		entry := catalogEntry{input: in, output: out, cloudOnly: d.CloudOnly, outputCloudOnly: d.OutputCloud, name: name}
		if len(d.CloudOnly) > 0 || len(d.OutputCloud) > 0 {
			entry.tailored = func(key string) (tailoredSchemas, bool) {
				var t tailoredSchemas
				data, err := fs.ReadFile(fsys, CatalogDir+"/"+name+"."+key+".json")
				return t, err == nil && json.Unmarshal(data, &t) == nil
			}
		}
		return entry, nil
	}
}

// derivedCatalog derives every schema from the Go types, for the generator
// and the staleness test.
func derivedCatalog(name string) (catalogEntry, error) {
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
// from which the schemas for one cloud and the compact ones for an unknown
// cloud are made at start-up.
func Snapshots() (map[string][]byte, error) {
	reg, err := newRegistry(nil, Options{Toolsets: []string{AllToolsets}}, derivedCatalog)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, t := range reg.Tools() {
		def := t.Definition
		entry, derr := derivedCatalog(t.Name())
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

// WriteCatalog rewrites dir to hold exactly the Snapshots.
func WriteCatalog(dir string) error {
	snaps, err := Snapshots()
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
	return nil
}

// CheckCatalog reports how dir differs from the Snapshots: stale, missing
// and extra files.
func CheckCatalog(dir string) error {
	snaps, err := Snapshots()
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
