// Package tools is the MCP face of dbx-mcp: it turns the operations
// declared in package client into MCP tools, with schemas derived from
// their Go types, results that keep every byte the API returned, and the
// api_call tool for anything the types do not cover.
package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/schema"
)

// serviceTools is the table of every API area the server exposes. Adding an
// API area is one file in client/, one file here with its specs, and one
// line in this table.
var serviceTools = []func() []Spec{
	clustersTools,
	secretsTools,
	tokensTools,
}

// Spec describes how one client operation appears as a tool: the words a
// model reads and the behaviour hints a client shows its user.
type Spec struct {
	Op          client.Operation
	Title       string
	Description string
	// Toolset groups tools for --toolsets; it defaults to the service name.
	Toolset string
	Hints   Hints
	// Wait, when set, gives the tool the wait_seconds option.
	Wait *Wait
}

// Hints are the MCP tool annotations, set deliberately for every tool.
type Hints struct {
	ReadOnly    bool
	Destructive bool
	Idempotent  bool
}

var (
	// read is a query with no side effects.
	read = Hints{ReadOnly: true, Idempotent: true}
	// create adds something new; repeating it adds another.
	create = Hints{}
	// update changes something in place; repeating it changes nothing more.
	update = Hints{Idempotent: true}
	// destroy removes or stops something; repeating it changes nothing more.
	destroy = Hints{Destructive: true, Idempotent: true}
	// disrupt interrupts running work and does it again on every call.
	disrupt = Hints{Destructive: true}
)

// ClientFunc returns the Databricks client a tool call uses.
type ClientFunc func(ctx context.Context) (*client.Client, error)

// Options selects which tools a Registry offers.
type Options struct {
	// Toolsets limits the tools to these toolsets; empty means all.
	Toolsets []string
	// ReadOnly offers only tools that change nothing, and limits api_call
	// to GET.
	ReadOnly bool
	// AllowSecretValues lets api_call reach the endpoints that answer with
	// secret values or new credentials (see secretEndpoints), which it
	// refuses otherwise.
	AllowSecretValues bool
}

// Tool is one MCP tool, ready to serve.
type Tool struct {
	Definition mcp.Tool
	Toolset    string
	Handler    server.ToolHandlerFunc
	// Method and Path are the REST call behind the tool ("" for api_call).
	Method, Path string
}

// Name is the tool's name.
func (t Tool) Name() string { return t.Definition.Name }

// Registry is the set of tools one server offers.
type Registry struct {
	tools []Tool
}

var toolName = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)

// RawToolset is the toolset of api_call.
const RawToolset = "raw"

// Toolsets lists every toolset name, sorted.
func Toolsets() []string {
	set := map[string]bool{RawToolset: true}
	for _, f := range serviceTools {
		for _, s := range f() {
			set[s.toolset()] = true
		}
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// NewRegistry builds the tools opts select. getClient is called on each tool
// call, so a registry can be built (to list tools) with no workspace at all.
func NewRegistry(getClient ClientFunc, opts Options) (*Registry, error) {
	return newRegistry(getClient, opts, loadCatalog())
}

// newRegistry builds the registry, taking each tool's schemas from catalog
// when it has them and deriving them from the Go types otherwise.
func newRegistry(getClient ClientFunc, opts Options, catalog map[string]catalogSchemas) (*Registry, error) {
	known := Toolsets()
	for _, ts := range opts.Toolsets {
		if !slices.Contains(known, ts) {
			return nil, fmt.Errorf("unknown toolset %q; known toolsets: %s", ts, strings.Join(known, ", "))
		}
	}
	want := func(ts string) bool { return len(opts.Toolsets) == 0 || slices.Contains(opts.Toolsets, ts) }
	r := &Registry{}
	seen := map[string]bool{}
	for _, f := range serviceTools {
		for _, s := range f() {
			if !want(s.toolset()) || (opts.ReadOnly && !s.Hints.ReadOnly) {
				continue
			}
			t, err := newOperationTool(s, getClient, catalog)
			if err != nil {
				return nil, err
			}
			if seen[t.Name()] {
				return nil, fmt.Errorf("tool %s is declared twice", t.Name())
			}
			seen[t.Name()] = true
			r.tools = append(r.tools, t)
		}
	}
	if want(RawToolset) {
		r.tools = append(r.tools, newAPICallTool(getClient, opts))
	}
	return r, nil
}

// Tools lists the registry's tools in declaration order.
func (r *Registry) Tools() []Tool { return slices.Clone(r.tools) }

// Lookup finds a tool by name.
func (r *Registry) Lookup(name string) (Tool, bool) {
	for _, t := range r.tools {
		if t.Name() == name {
			return t, true
		}
	}
	return Tool{}, false
}

func (s Spec) toolset() string {
	if s.Toolset != "" {
		return s.Toolset
	}
	return s.Op.Info().Service
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

// newOperationTool derives a tool from an operation: name, schemas and a
// handler that validates, routes and sends the arguments.
func newOperationTool(s Spec, getClient ClientFunc, catalog map[string]catalogSchemas) (Tool, error) {
	info := s.Op.Info()
	name := info.FullName()
	if !toolName.MatchString(name) {
		return Tool{}, fmt.Errorf("tool name %q does not match %s", name, toolName)
	}
	in, out := catalog[name].input, catalog[name].output
	if in == nil || out == nil {
		var err error
		if in, out, err = deriveSchemas(s); err != nil {
			return Tool{}, fmt.Errorf("%s: %w", name, err)
		}
	}
	// Compiled on first use: most tools of a session are never called.
	validator := sync.OnceValues(func() (*schema.Validator, error) { return schema.NewValidator(in) })
	def := mcp.Tool{
		Name:            name,
		Title:           s.Title,
		Description:     s.Description + "\n\nREST: " + info.Method + " " + info.Path,
		RawInputSchema:  in,
		RawOutputSchema: out,
		Annotations:     annotations(s.Title, s.Hints),
	}
	op, wait := s.Op, s.Wait
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
			return wait.await(ctx, c, req, raw, args, waitSecs)
		}
		return success(raw), nil
	}
	return Tool{Definition: def, Toolset: s.toolset(), Handler: handler, Method: info.Method, Path: info.Path}, nil
}

// deriveSchemas reflects a tool's input and output schemas from the Go
// types of its operation.
func deriveSchemas(s Spec) (in, out json.RawMessage, err error) {
	info := s.Op.Info()
	if in, err = schema.Input(info.Request); err != nil {
		return nil, nil, err
	}
	if out, err = schema.Output(info.Response); err != nil {
		return nil, nil, err
	}
	if s.Wait != nil {
		if in, err = s.Wait.inputSchema(in); err != nil {
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
