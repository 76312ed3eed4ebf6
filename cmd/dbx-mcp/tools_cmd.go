package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/tools"
)

func runTools(_ context.Context, args []string, s stdio) int {
	fs := flag.NewFlagSet("tools", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the full tool definitions (as in tools/list) as JSON")
	toolsets := fs.String("toolsets", tools.AllToolsets, "comma-separated toolsets, \"default\" for what serve offers unless told otherwise")
	toolNames := fs.String("tools", "", "comma-separated tool names besides the toolsets'")
	mode := fs.String("tool-mode", "", "list what this mode of serve lists: tools or discovery")
	readOnly := fs.Bool("read-only", false, "only tools that change nothing")
	cloud := fs.String("cloud", "", "tailor the schemas to a workspace on this cloud: "+strings.Join(tools.Clouds, ", ")+" (default: every cloud's fields)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: dbx-mcp tools [NAME] [flags]\n\nWithout NAME, lists the tools; with NAME, describes that tool and its arguments.\n\nFlags:")
		fs.PrintDefaults()
	}
	pos, code, ok := parseFlags(fs, args, s.err)
	if !ok {
		return code
	}
	if len(pos) > 1 {
		fmt.Fprintln(s.err, "usage: dbx-mcp tools [NAME] [flags]")
		return exitUsage
	}
	sets := splitList(*toolsets)
	if *toolNames != "" && !flagGiven(fs, "toolsets") {
		sets = nil
	}
	reg, err := tools.NewRegistry(nil, tools.Options{Toolsets: sets, Tools: splitList(*toolNames), ReadOnly: *readOnly, Mode: *mode, Cloud: *cloud})
	if err != nil {
		fmt.Fprintln(s.err, "dbx-mcp tools:", err)
		return exitUsage
	}
	if len(pos) == 1 {
		return describeTool(s, reg, pos[0], *asJSON)
	}
	list := reg.Tools()
	if *asJSON {
		defs := make([]mcp.Tool, len(list))
		for i, t := range list {
			defs[i] = t.Definition
		}
		out, err := json.MarshalIndent(map[string]any{"tools": defs}, "", "  ")
		if err != nil {
			fmt.Fprintln(s.err, "dbx-mcp tools:", err)
			return exitFailure
		}
		fmt.Fprintln(s.out, string(out))
		return exitOK
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].Toolset < list[j].Toolset })
	tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TOOL\tTOOLSET\tACCESS\tDEFAULT\tTITLE")
	for _, t := range list {
		def := ""
		if t.Default {
			def = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.Name(), t.Toolset, t.Access(), def, t.Definition.Title)
	}
	tw.Flush()
	fmt.Fprintln(s.out, "\n'dbx-mcp tools NAME' describes one tool and its arguments.")
	return exitOK
}

// describeTool prints one tool for a person: what it is, what it may
// change, and its arguments, nested objects one level deep.
func describeTool(s stdio, reg *tools.Registry, name string, asJSON bool) int {
	t, ok := reg.LookupOperation(name)
	if !ok {
		t, ok = reg.Lookup(name)
	}
	if !ok {
		msg := fmt.Sprintf("dbx-mcp tools: no tool %q", name)
		if slices.Contains(tools.ToolNames(), name) {
			msg += " in this selection (see --toolsets, --tools, --read-only)"
		} else if sug := tools.Suggest(name, tools.ToolNames()); sug != "" {
			msg += fmt.Sprintf("; did you mean %s?", sug)
		}
		fmt.Fprintln(s.err, msg+"; 'dbx-mcp tools' lists them")
		return exitUsage
	}
	if asJSON {
		out, err := json.MarshalIndent(t.Definition, "", "  ")
		if err != nil {
			fmt.Fprintln(s.err, "dbx-mcp tools:", err)
			return exitFailure
		}
		fmt.Fprintln(s.out, string(out))
		return exitOK
	}
	w := s.out
	fmt.Fprintf(w, "%s — %s\n\n", t.Name(), t.Definition.Title)
	access := t.Access()
	if a := t.Definition.Annotations; a.IdempotentHint != nil && *a.IdempotentHint {
		access += ", idempotent (safe to repeat)"
	} else {
		access += ", not idempotent (repeating it acts again)"
	}
	def := "no (offered with --toolsets " + t.Toolset + " or --tools " + t.Name() + ")"
	if t.Default {
		def = "yes"
	}
	fmt.Fprintf(w, "Access:   %s\nToolset:  %s\nDefault:  %s\n", access, t.Toolset, def)
	if t.Method != "" {
		fmt.Fprintf(w, "REST:     %s %s\n", t.Method, t.Path)
	}
	desc, _, _ := strings.Cut(t.Definition.Description, "\n\nREST: ")
	fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(desc))
	raw, err := json.Marshal(t.Definition)
	if err != nil {
		fmt.Fprintln(s.err, "dbx-mcp tools:", err)
		return exitFailure
	}
	var d struct {
		InputSchema argSchema `json:"inputSchema"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		fmt.Fprintln(s.err, "dbx-mcp tools: reading the input schema:", err)
		return exitFailure
	}
	rows := argumentRows(d.InputSchema)
	if len(rows) == 0 {
		fmt.Fprintln(w, "\nArguments: none")
		return exitOK
	}
	fmt.Fprintln(w, "\nArguments:")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tTYPE\tREQUIRED\tMEANING")
	for _, r := range rows {
		req := ""
		if r.required {
			req = "yes"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", r.name, r.typ, req, r.meaning)
	}
	tw.Flush()
	fmt.Fprintf(w, "\n'dbx-mcp tools %s --json' prints the whole definition, nested fields included.\n", t.Name())
	return exitOK
}

// argSchema is the part of a JSON Schema the argument table reads.
type argSchema struct {
	Type        string                `json:"type"`
	Description string                `json:"description"`
	Properties  map[string]*argSchema `json:"properties"`
	Required    []string              `json:"required"`
	Items       *argSchema            `json:"items"`
	Enum        []any                 `json:"enum"`
	Ref         string                `json:"$ref"`
	AnyOf       []*argSchema          `json:"anyOf"`
	Defs        map[string]*argSchema `json:"$defs"`
}

type argRow struct {
	name, typ, meaning string
	required           bool
}

// argumentRows lists the top-level arguments, each object's members
// (and those of an array's object items) one level below, by dotted name.
func argumentRows(root argSchema) []argRow {
	resolve := func(s *argSchema) *argSchema {
		if s != nil && strings.HasPrefix(s.Ref, "#/$defs/") {
			if d, ok := root.Defs[strings.TrimPrefix(s.Ref, "#/$defs/")]; ok {
				merged := *d
				if s.Description != "" {
					merged.Description = s.Description
				}
				return &merged
			}
		}
		return s
	}
	var rows []argRow
	var add func(prefix string, s *argSchema, depth int)
	add = func(prefix string, s *argSchema, depth int) {
		for _, name := range sortedArgs(s) {
			p := resolve(s.Properties[name])
			rows = append(rows, argRow{name: prefix + name, typ: typeName(p, resolve), meaning: meaning(p, resolve), required: slices.Contains(s.Required, name)})
			if depth > 0 {
				continue
			}
			if len(p.Properties) > 0 {
				add(prefix+name+".", p, depth+1)
			} else if it := resolve(p.Items); it != nil && len(it.Properties) > 0 {
				add(prefix+name+"[].", it, depth+1)
			}
		}
	}
	add("", &root, 0)
	return rows
}

// sortedArgs orders a schema's properties: required first, then by name.
func sortedArgs(s *argSchema) []string {
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		ri, rj := slices.Contains(s.Required, names[i]), slices.Contains(s.Required, names[j])
		if ri != rj {
			return ri
		}
		return names[i] < names[j]
	})
	return names
}

func typeName(s *argSchema, resolve func(*argSchema) *argSchema) string {
	switch {
	case s == nil:
		return "any"
	case s.Type == "array":
		return "array of " + typeName(resolve(s.Items), resolve)
	case s.Type != "":
		return s.Type
	case len(s.AnyOf) > 0:
		var alts []string
		for _, a := range s.AnyOf {
			alts = append(alts, typeName(resolve(a), resolve))
		}
		return strings.Join(alts, " or ")
	}
	return "any"
}

// meaning is a description's first sentence, with the allowed values.
func meaning(s *argSchema, resolve func(*argSchema) *argSchema) string {
	if s == nil {
		return ""
	}
	text := strings.Join(strings.Fields(s.Description), " ")
	text = firstSentence(text)
	enum := s.Enum
	if it := resolve(s.Items); len(enum) == 0 && it != nil {
		enum = it.Enum
	}
	if len(enum) > 0 {
		vals := make([]string, len(enum))
		for i, v := range enum {
			vals[i] = fmt.Sprint(v)
		}
		text = strings.TrimSpace(text + " One of: " + strings.Join(vals, ", ") + ".")
	}
	return text
}

// firstSentence cuts text after its first full stop that ends a sentence,
// not an abbreviation such as "e.g.".
func firstSentence(text string) string {
	from := 0
	for {
		i := strings.Index(text[from:], ". ")
		if i < 0 {
			return text
		}
		end := from + i + 1
		if !strings.HasSuffix(text[:end], "e.g.") && !strings.HasSuffix(text[:end], "i.e.") {
			return text[:end]
		}
		from = end
	}
}
