// Package tools is the MCP face of dbx-mcp: it turns the operations
// declared in package client into MCP tools, with schemas derived from
// their Go types, results that keep every byte the API returned, and the
// api_call tool for anything the types do not cover.
package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dbx-mcp/dbx-mcp/client"
	_ "github.com/dbx-mcp/dbx-mcp/client/apis" // every API area declares its operations
	"github.com/dbx-mcp/dbx-mcp/schema"
)

// Hints are the MCP tool annotations, derived for each operation from its
// declaration (client.Endpoint's Access and Idempotent).
type Hints struct {
	ReadOnly    bool
	Destructive bool
	Idempotent  bool
}

// read is a query with no side effects.
var read = Hints{ReadOnly: true, Idempotent: true}

// hintsOf derives an operation's annotations from its declaration: the
// same Idempotent that decides whether the client may repeat the call.
func hintsOf(info client.OperationInfo) Hints {
	return Hints{
		ReadOnly:    info.Access == client.Read,
		Destructive: info.Access == client.Destructive,
		Idempotent:  info.Idempotent,
	}
}

// ClientFunc returns the Databricks client a tool call uses.
type ClientFunc func(ctx context.Context) (*client.Client, error)

// Tool modes.
const (
	// ModeTools offers every selected operation as its own tool.
	ModeTools = "tools"
	// ModeDiscovery offers a few meta-tools that search, describe and
	// invoke the selected operations, for clients that cannot afford the
	// whole tool list.
	ModeDiscovery = "discovery"
)

// Options selects which tools a Registry offers.
type Options struct {
	// Toolsets selects the toolsets to offer: toolset names, DefaultToolset
	// or AllToolsets. Empty means DefaultToolset in ModeTools, AllToolsets
	// in ModeDiscovery, unless Tools is given.
	Toolsets []string
	// Tools selects tools by exact name, besides those of Toolsets.
	Tools []string
	// ReadOnly offers only tools that change nothing, and limits api_call
	// to GET.
	ReadOnly bool
	// Mode is ModeTools (the default) or ModeDiscovery.
	Mode string
	// Cloud is the workspace's cloud (one of Clouds), whose schemas leave
	// out the other clouds' fields; "" keeps all of them.
	Cloud string
	// AllowSecretValues lets api_call reach the endpoints that answer with
	// secret values or new credentials (see secretEndpoints), which it
	// refuses otherwise.
	AllowSecretValues bool
	// LocalDir is the one directory of this machine whose files tools may
	// read and write (the local-file transfer tools are offered only when
	// it is set). Leave it empty for a server reachable over HTTP.
	LocalDir string
	// MaxResultBytes is the output budget: no result's text, nor its
	// structured content, is larger without saying so (see
	// output_budget.go). Zero means DefaultMaxResultBytes; negative turns
	// the budget off.
	MaxResultBytes int
	// ConfirmDestructive asks the user, through MCP elicitation, before a
	// destructive tool runs, when the client supports elicitation.
	ConfirmDestructive bool
}

// Tool is one MCP tool, ready to serve.
type Tool struct {
	Definition mcp.Tool
	Toolset    string
	Handler    server.ToolHandlerFunc
	// Method and Path are the REST call behind the tool ("" for api_call).
	Method, Path string
	// Default is set for the tools of the default toolset.
	Default bool
	// Package is the directory of the Go package that declares the
	// operation ("client/compute"); "" for api_call and the meta-tools.
	Package string
}

// Name is the tool's name.
func (t Tool) Name() string { return t.Definition.Name }

// Registry is the set of tools one server offers.
type Registry struct {
	tools []Tool
	// operations are the selected operations' tools, which discovery mode
	// reaches through its meta-tools rather than listing them.
	operations []Tool
	mode       string
	// resources serves the dbx:// resources, and keeps the whole answers of
	// cut results.
	resources *resources
	// confirm is Options.ConfirmDestructive.
	confirm bool
	// workspaces is WorkspacesSummary's line for the instructions, "" for
	// one workspace.
	workspaces string
}

// toolNamePattern is what a tool name must match, which validToolName
// checks without a regular expression: compiling this one, with its
// bounded repetition, at package initialisation cost every command
// ~0.15 ms.
const toolNamePattern = `^[a-z0-9_]{1,64}$`

func validToolName(name string) bool {
	if len(name) == 0 || len(name) > 64 {
		return false
	}
	for i := range len(name) {
		if c := name[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// Toolset names with a meaning of their own.
const (
	// RawToolset is the toolset of api_call.
	RawToolset = "raw"
	// DefaultToolset is the small set of everyday tools each operation's
	// declaration opts into (client.Endpoint.Default), plus api_call.
	DefaultToolset = "default"
	// AllToolsets selects every tool.
	AllToolsets = "all"
)

// Toolsets lists every toolset name, sorted, then "default" and "all".
func Toolsets() []string { return slices.Clone(declarations().toolsets) }

// ToolNames lists the name of every tool there is, in any mode, but for
// the tools that exist only with a local directory (LocalFileToolNames).
func ToolNames() []string { return slices.Clone(declarations().names) }

// LocalFileToolNames lists the tools offered only when Options.LocalDir is
// set, which read or write files of the machine the server runs on.
func LocalFileToolNames() []string { return slices.Clone(declarations().localNames) }

// declared is what selecting tools needs to know of every operation and
// hand-written tool there is.
type declared struct {
	ops []client.Operation
	// selectable are ops' facts that selection looks at, by index: an
	// OperationInfo for every operation would be most of start-up's garbage.
	selectable                  []selectable
	toolsets, names, localNames []string
}

type selectable struct {
	name, toolset string
	isDefault     bool
	access        client.Access
}

// declarations gathers the declared once: operations and hand-written
// tools are all declared by package variables, so none is added after
// initialisation, while a server checks and selects among them several
// times as it starts.
var declarations = sync.OnceValue(func() *declared {
	ops := client.Operations()
	d := &declared{ops: ops, selectable: make([]selectable, len(ops)), names: make([]string, 0, 1+len(ops)+len(handwritten))}
	d.names = append(d.names, APICallName)
	set := map[string]bool{RawToolset: true}
	for i, op := range ops {
		info := op.Info()
		d.selectable[i] = selectable{name: info.FullName(), toolset: info.Toolset, isDefault: info.Default, access: info.Access}
		set[info.Toolset] = true
		d.names = append(d.names, d.selectable[i].name)
	}
	for _, h := range handwritten {
		set[h.toolset] = true
		if h.localFiles {
			d.localNames = append(d.localNames, h.name)
		} else {
			d.names = append(d.names, h.name)
		}
	}
	d.toolsets = append(slices.Sorted(maps.Keys(set)), DefaultToolset, AllToolsets)
	return d
})

// handwrittenTool is a tool whose handler is written by hand rather than
// derived from one operation: the exception for work that takes many
// calls (chunked transfers). Each is registered from its own file with
// addHandwritten, so the registry keeps no list of names.
type handwrittenTool struct {
	name, toolset string
	// readOnly tools change nothing, here or on this machine, and are
	// offered in read-only mode.
	readOnly bool
	// localFiles tools touch files under Options.LocalDir and exist only
	// when it is set.
	localFiles bool
	// isDefault puts the tool in the default toolset.
	isDefault bool
	build     func(getClient ClientFunc, opts Options) Tool
}

var handwritten []handwrittenTool

// addHandwritten registers a hand-written tool; files call it in a package
// variable's initializer.
func addHandwritten(h handwrittenTool) bool {
	handwritten = append(handwritten, h)
	return true
}

// NewRegistry builds the tools opts select. getClient is called on each tool
// call, so a registry can be built (to list tools) with no workspace at all.
func NewRegistry(getClient ClientFunc, opts Options) (*Registry, error) {
	cat, err := loadCatalog()
	if err != nil {
		return nil, err
	}
	return newRegistry(getClient, opts, cat)
}

// selection is what Options chose, checked.
type selection struct {
	sets     map[string]bool
	names    map[string]bool
	all, def bool
}

// Check reports what is wrong with the options (an unknown mode, cloud,
// toolset or tool name) without building any tool.
func (o Options) Check() error {
	switch o.Mode {
	case "", ModeTools, ModeDiscovery:
	default:
		return fmt.Errorf("unknown tool mode %q; use %s or %s", o.Mode, ModeTools, ModeDiscovery)
	}
	if o.MaxResultBytes > 0 && o.MaxResultBytes < minResultBytes {
		return fmt.Errorf("output budget %d bytes is below the least, %d: set --max-result-bytes or DBX_MCP_MAX_RESULT_BYTES to a byte count of at least %d, or negative for no budget", o.MaxResultBytes, minResultBytes, minResultBytes)
	}
	if o.Cloud != "" && !slices.Contains(Clouds, o.Cloud) {
		return fmt.Errorf("unknown cloud %q; use %s", o.Cloud, strings.Join(Clouds, ", "))
	}
	_, err := o.selection()
	return err
}

func (o Options) selection() (*selection, error) {
	d := declarations()
	known := d.toolsets
	sel := &selection{sets: map[string]bool{}, names: map[string]bool{}}
	for _, ts := range o.Toolsets {
		if !slices.Contains(known, ts) {
			return nil, fmt.Errorf("unknown toolset %q; known toolsets: %s", ts, strings.Join(known, ", "))
		}
		switch ts {
		case AllToolsets:
			sel.all = true
		case DefaultToolset:
			sel.def = true
		default:
			sel.sets[ts] = true
		}
	}
	names := d.names
	for _, n := range o.Tools {
		if slices.Contains(d.localNames, n) {
			if o.LocalDir == "" {
				return nil, fmt.Errorf("tool %q reads or writes local files; it is offered only when the server is started with --local-dir DIR (and never over HTTP)", n)
			}
			sel.names[n] = true
			continue
		}
		if !slices.Contains(names, n) {
			msg := fmt.Sprintf("unknown tool %q", n)
			if s := Suggest(n, names); s != "" {
				msg += fmt.Sprintf("; did you mean %s?", s)
			}
			return nil, errors.New(msg + " ('dbx-mcp tools' lists every tool)")
		}
		sel.names[n] = true
	}
	if len(o.Toolsets) == 0 && len(o.Tools) == 0 {
		if o.Mode == ModeDiscovery {
			sel.all = true
		} else {
			sel.def = true
		}
	}
	return sel, nil
}

func (s *selection) wants(name, toolset string, isDefault bool) bool {
	return s.all || s.names[name] || s.sets[toolset] || (s.def && isDefault)
}

// newRegistry builds the registry, taking each tool's schemas from the
// recorded catalog.
func newRegistry(getClient ClientFunc, opts Options, catalog catalogLookup) (*Registry, error) {
	if err := opts.Check(); err != nil {
		return nil, err
	}
	sel, err := opts.selection()
	if err != nil {
		return nil, err
	}
	r := &Registry{mode: opts.Mode, confirm: opts.ConfirmDestructive}
	if r.mode == "" {
		r.mode = ModeTools
	}
	max := opts.MaxResultBytes
	if max == 0 {
		max = DefaultMaxResultBytes
	}
	r.resources = &resources{getClient: getClient, max: max, results: newResultCache()}
	if max < 0 {
		r.resources.max = DefaultMaxResultBytes // resource windows still need a size
	}
	b := &budget{max: max, results: r.resources.results, notify: notifyClient}
	seen := map[string]bool{}
	d := declarations()
	wanted := func(o selectable) bool {
		return sel.wants(o.name, o.toolset, o.isDefault) && (!opts.ReadOnly || o.access == client.Read)
	}
	// Sized at once: a Tool is large, and growing the slice tool by tool
	// left several copies of the list as garbage.
	n := 1 + len(handwritten)
	for _, o := range d.selectable {
		if wanted(o) {
			n++
		}
	}
	picked := make([]Tool, 0, n)
	for i, op := range d.ops {
		if !wanted(d.selectable[i]) {
			continue
		}
		info := op.Info()
		t, err := newOperationTool(op, info, getClient, catalog, opts.Cloud)
		if err != nil {
			return nil, err
		}
		if seen[t.Name()] {
			return nil, fmt.Errorf("tool %s is declared twice", t.Name())
		}
		seen[t.Name()] = true
		t.Handler = b.budgeted(t.Name(), continuationFor(t.Name(), info.Paging), t.Handler)
		if info.Wait != nil {
			t.Handler = waitLogged(t.Name(), t.Handler)
		}
		picked = append(picked, t)
	}
	for _, h := range handwritten {
		if !sel.wants(h.name, h.toolset, h.isDefault) || (opts.ReadOnly && !h.readOnly) || (h.localFiles && opts.LocalDir == "") {
			continue
		}
		t := h.build(getClient, opts)
		t.Default, t.Toolset = h.isDefault, h.toolset
		if seen[t.Name()] || t.Name() != h.name {
			return nil, fmt.Errorf("tool %s is declared twice or misnamed", h.name)
		}
		seen[t.Name()] = true
		t.Handler = b.budgeted(t.Name(), continuationFor(t.Name(), nil), t.Handler)
		picked = append(picked, t)
	}
	if sel.wants(APICallName, RawToolset, true) {
		schemas, err := catalog(APICallName, opts.Cloud)
		if err != nil {
			return nil, err
		}
		api := newAPICallTool(getClient, opts, schemas.output)
		api.Default = true // force mode is part of everyday work
		api.Handler = b.budgeted(api.Name(), nil, api.Handler)
		picked = append(picked, api)
	}
	if r.confirm {
		for i, t := range picked {
			if h := t.Definition.Annotations.DestructiveHint; h != nil && *h {
				picked[i].Handler = confirmed(t.Name(), t.Handler)
			}
		}
	}
	if r.mode == ModeDiscovery {
		r.operations = picked
		r.tools = discoveryTools(r)
		return r, nil
	}
	r.tools = picked
	return r, nil
}

// Tools lists the registry's tools in declaration order.
func (r *Registry) Tools() []Tool { return slices.Clone(r.tools) }

// Operations lists the tools the registry reaches: in ModeTools its tools,
// in ModeDiscovery the operations its meta-tools search and invoke.
func (r *Registry) Operations() []Tool {
	if r.mode == ModeDiscovery {
		return slices.Clone(r.operations)
	}
	return slices.Clone(r.tools)
}

// Lookup finds a tool by name.
func (r *Registry) Lookup(name string) (Tool, bool) {
	for _, t := range r.tools {
		if t.Name() == name {
			return t, true
		}
	}
	return Tool{}, false
}

// LookupOperation finds a tool the registry reaches by name, listed or
// behind discovery mode's meta-tools.
func (r *Registry) LookupOperation(name string) (Tool, bool) {
	reached := r.tools
	if r.mode == ModeDiscovery {
		reached = r.operations
	}
	for _, t := range reached {
		if t.Name() == name {
			return t, true
		}
	}
	return Tool{}, false
}

func annotations(title string, h Hints) mcp.ToolAnnotation {
	return mcp.ToolAnnotation{
		Title:           title,
		ReadOnlyHint:    mcp.ToBoolPtr(h.ReadOnly),
		DestructiveHint: mcp.ToBoolPtr(h.Destructive),
		IdempotentHint:  mcp.ToBoolPtr(h.Idempotent),
		OpenWorldHint:   mcp.ToBoolPtr(true),
	}
}

// newOperationTool derives a tool from an operation and its info: name,
// schemas and a handler that validates, routes and sends the arguments.
func newOperationTool(op client.Operation, info client.OperationInfo, getClient ClientFunc, catalog catalogLookup, cloud string) (Tool, error) {
	name := info.FullName()
	if !validToolName(name) {
		return Tool{}, fmt.Errorf("tool name %q does not match %s", name, toolNamePattern)
	}
	// The output schema only describes answers (they are never checked
	// against it): other clouds' members and compact ones are advertised
	// as for arguments.
	schemas, err := catalog(name, cloud)
	if err != nil {
		return Tool{}, err
	}
	// Read and compiled on first use: most tools of a session are never
	// called.
	validator := sync.OnceValues(func() (*schema.Validator, error) {
		full, err := schemas.full()
		if err != nil {
			return nil, err
		}
		return schema.NewValidator(full)
	})
	def := mcp.Tool{
		Name:            name,
		Title:           info.Title,
		Description:     describe(info),
		RawInputSchema:  schemas.input,
		RawOutputSchema: schemas.output,
		Annotations:     annotations(info.Title, hintsOf(info)),
	}
	wait := info.Wait
	textFields := base64TextFields(info.Response)
	handler := func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		args, err := rawArguments(req)
		if err != nil {
			return invalidArguments(name, []schema.Problem{{Message: err.Error()}}), nil
		}
		v, err := validator()
		if err != nil {
			return nil, fmt.Errorf("%s: input schema: %w", name, err)
		}
		if problems := v.Validate(args); len(problems) > 0 {
			return invalidArguments(name, problems), nil
		}
		waitSecs := 0
		if wait != nil {
			if args, waitSecs, err = takeWaitOption(args); err != nil {
				return invalidArguments(name, []schema.Problem{{Path: WaitOption, Message: err.Error()}}), nil
			}
		}
		c, err := getClient(ctx)
		if err != nil {
			return errorResult("dbx-mcp is not connected to a workspace: " + err.Error()), nil
		}
		raw, err := op.Invoke(ctx, c, args)
		if err != nil {
			return callFailed(ctx, err)
		}
		if waitSecs > 0 {
			return await(ctx, c, wait, req, raw, args, waitSecs)
		}
		if len(textFields) > 0 {
			return successWithText(raw, textFields), nil
		}
		return success(raw), nil
	}
	pkg := strings.TrimPrefix(info.Request.PkgPath(), "github.com/dbx-mcp/dbx-mcp/")
	return Tool{Definition: def, Toolset: info.Toolset, Handler: handler, Method: info.Method, Path: info.Path, Default: info.Default, Package: pkg}, nil
}

// describe is the tool description: the declaration's words and the REST
// call behind them.
func describe(info client.OperationInfo) string {
	return info.Doc + "\n\nREST: " + info.Method + " " + info.Path
}

// Schema budgets (see docs/benchmarks.md): descriptions of arguments nested
// terseFromDepth deep or more keep their first sentence; output schemas
// list properties down to outputDepth (a list's items and their fields),
// deeper objects only their type.
const (
	terseFromDepth = 2
	outputDepth    = 2
)

// deriveSchemas reflects a tool's input and output schemas from the Go
// types of its operation.
func deriveSchemas(info client.OperationInfo) (in, out json.RawMessage, err error) {
	if in, err = schema.Input(info.Request); err != nil {
		return nil, nil, err
	}
	if in, err = schema.TerseDescriptions(in, terseFromDepth); err != nil {
		return nil, nil, err
	}
	if out, err = schema.Output(info.Response); err != nil {
		return nil, nil, err
	}
	if out, err = schema.TrimOutput(out, outputDepth); err != nil {
		return nil, nil, err
	}
	if info.Wait != nil {
		if in, err = schema.WithProperty(in, WaitOption, waitOption(info.Wait)); err != nil {
			return nil, nil, err
		}
	}
	return in, out, nil
}

// rawArguments returns the call's arguments as the JSON the client sent,
// so that integers beyond 2^53 are never routed through float64.
func rawArguments(req mcp.CallToolRequest) (json.RawMessage, error) {
	if raw := req.Params.RawArguments; len(raw) > 0 && string(raw) != "null" {
		return raw, nil
	}
	if req.Params.Arguments == nil {
		return json.RawMessage("{}"), nil
	}
	b, err := json.Marshal(req.Params.Arguments)
	if err != nil {
		return nil, fmt.Errorf("arguments cannot be encoded as JSON: %w", err)
	}
	return b, nil
}
