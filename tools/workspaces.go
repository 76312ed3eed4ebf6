package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/schema"
)

// WorkspaceOption is the tool-only argument that picks the workspace a
// call goes to. Tools have it only when the server serves several
// workspaces; no operation's request has a top-level field of this name
// (TestWorkspaceOptionIsFree).
const WorkspaceOption = "workspace"

// WorkspaceMetaKey is the result's _meta member naming the workspace that
// answered, {"dbx-mcp/workspace": name}: in _meta, so that the structured
// content stays the API's own object whichever workspace answered.
const WorkspaceMetaKey = "dbx-mcp/workspace"

// WorkspacesListName is the tool that lists the served workspaces, offered
// only when there are several.
const WorkspacesListName = "workspaces_list"

// workspacesToolset is the toolset of workspaces_list.
const workspacesToolset = "workspaces"

// Workspace is one workspace a server serves, under the name the model
// uses to pick it.
type Workspace struct {
	Name   string
	Client *client.Client
}

// workspaceNamePattern is what a workspace name must match, which
// CheckWorkspaceName checks without a regular expression: compiling this
// one, with its bounded repetition, at package initialisation cost every
// command ~0.15 ms.
const workspaceNamePattern = `^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`

// CheckWorkspaceName reports why a name cannot name a workspace: it must
// be short and plain, as it becomes an enum value the model writes.
func CheckWorkspaceName(name string) error {
	alnum := func(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' }
	ok := len(name) > 0 && len(name) <= 64 && alnum(name[0])
	for i := 1; ok && i < len(name); i++ {
		ok = alnum(name[i]) || name[i] == '.' || name[i] == '_' || name[i] == '-'
	}
	if !ok {
		return fmt.Errorf("workspace name %q: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit", name)
	}
	return nil
}

type workspaceKey struct{}

// NewWorkspacesRegistry builds the tools opts select over one or more
// workspaces, the first being the default. With one it is NewRegistry for
// that workspace, byte for byte. With several, every tool that calls a
// workspace gains the optional WorkspaceOption, each result names the
// workspace that answered (WorkspaceMetaKey), workspaces_list joins the
// default toolset, and schemas are tailored to the workspaces' cloud only
// when they all share it (opts.Cloud is set here from the clients).
func NewWorkspacesRegistry(ws []Workspace, opts Options) (*Registry, error) {
	if len(ws) == 0 {
		return nil, fmt.Errorf("no workspace to serve")
	}
	seen := map[string]bool{}
	for _, w := range ws {
		if err := CheckWorkspaceName(w.Name); err != nil {
			return nil, err
		}
		if seen[w.Name] {
			return nil, fmt.Errorf("workspace name %q is given twice", w.Name)
		}
		seen[w.Name] = true
		if w.Client == nil {
			return nil, fmt.Errorf("workspace %q has no client", w.Name)
		}
	}
	opts.Cloud = commonCloud(ws)
	if len(ws) == 1 {
		c := ws[0].Client
		return NewRegistry(func(context.Context) (*client.Client, error) { return c, nil }, opts)
	}
	byName := map[string]*client.Client{}
	for _, w := range ws {
		byName[w.Name] = w.Client
	}
	getClient := func(ctx context.Context) (*client.Client, error) {
		name, _ := ctx.Value(workspaceKey{}).(string)
		if c, ok := byName[name]; ok {
			return c, nil
		}
		return ws[0].Client, nil
	}
	reg, err := NewRegistry(getClient, opts)
	if err != nil {
		return nil, err
	}
	sel, err := opts.selection()
	if err != nil {
		return nil, err
	}
	listed := sel.wants(WorkspacesListName, workspacesToolset, true)
	prop := workspaceProperty(workspaceNames(ws), listed)
	check, err := schema.NewValidator(json.RawMessage(`{"type":"object","properties":{"` + WorkspaceOption + `":` + string(prop) + `}}`))
	if err != nil {
		return nil, fmt.Errorf("workspace option schema: %w", err)
	}
	for i, t := range reg.tools {
		if t.Name() == SearchToolName || t.Name() == DescribeToolName {
			continue // they read the catalogue, not a workspace
		}
		in, err := schema.WithProperty(t.Definition.RawInputSchema, WorkspaceOption, prop)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Name(), err)
		}
		t.Definition.RawInputSchema = in
		t.Handler = routed(t.Name(), t.Handler, check, ws[0].Name)
		reg.tools[i] = t
	}
	reg.workspaces = WorkspacesSummary(ws)
	if listed {
		list := newWorkspacesList(ws)
		if reg.mode == ModeDiscovery {
			reg.operations = append(reg.operations, list)
		} else {
			reg.tools = append(reg.tools, list)
		}
	}
	return reg, nil
}

// commonCloud is the cloud every workspace is on, or "" when they differ:
// one set of schemas serves them all, so it keeps every cloud's fields.
func commonCloud(ws []Workspace) string {
	cloud := ws[0].Client.Cloud()
	for _, w := range ws[1:] {
		if w.Client.Cloud() != cloud {
			return ""
		}
	}
	return cloud
}

// workspaceProperty is the schema of WorkspaceOption.
func workspaceProperty(names []string, listed bool) json.RawMessage {
	desc := fmt.Sprintf("Workspace (default %s)", names[0])
	if listed {
		desc += "; see " + WorkspacesListName + "."
	} else {
		desc += "."
	}
	b, _ := json.Marshal(map[string]any{"type": "string", "enum": names, "description": desc})
	return b
}

// routed wraps a tool's handler: it checks and removes WorkspaceOption,
// runs the tool against that workspace and names it in the result's _meta.
func routed(tool string, h server.ToolHandlerFunc, check *schema.Validator, def string) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		args, err := rawArguments(req)
		if err != nil {
			return invalidArguments(tool, []schema.Problem{{Message: err.Error()}}), nil
		}
		if problems := check.Validate(args); len(problems) > 0 {
			return invalidArguments(tool, problems), nil
		}
		args, name, err := takeWorkspaceOption(args)
		if err != nil {
			return invalidArguments(tool, []schema.Problem{{Path: WorkspaceOption, Message: err.Error()}}), nil
		}
		if name == "" {
			name = def
		}
		inner := req
		inner.Params.RawArguments = args
		inner.Params.Arguments = nil
		res, err := h(context.WithValue(ctx, workspaceKey{}, name), inner)
		if res != nil {
			if res.Meta == nil {
				res.Meta = &mcp.Meta{}
			}
			if res.Meta.AdditionalFields == nil {
				res.Meta.AdditionalFields = map[string]any{}
			}
			res.Meta.AdditionalFields[WorkspaceMetaKey] = name
		}
		return res, err
	}
}

// takeWorkspaceOption removes the option from arguments already checked
// against its schema, leaving the others byte for byte; "" when absent.
func takeWorkspaceOption(args json.RawMessage) (json.RawMessage, string, error) {
	// As in takeWaitOption: only a key that may be the option is decoded.
	if !bytes.Contains(args, []byte(`"`+WorkspaceOption+`"`)) && !bytes.Contains(args, []byte(`\u`)) {
		return args, "", nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(args, &m); err != nil {
		return nil, "", err
	}
	raw, ok := m[WorkspaceOption]
	if !ok {
		return args, "", nil
	}
	var name string
	if err := json.Unmarshal(raw, &name); err != nil {
		return nil, "", err
	}
	delete(m, WorkspaceOption)
	out, err := json.Marshal(m)
	return out, name, err
}

// workspaceInfo is one line of workspaces_list: what a model needs to pick
// a workspace, and no credential.
type workspaceInfo struct {
	Name     string `json:"name"`
	Host     string `json:"host"`
	Cloud    string `json:"cloud,omitempty"`
	AuthType string `json:"auth_type"`
	Default  bool   `json:"default"`
}

func workspaceInfos(ws []Workspace) []workspaceInfo {
	out := make([]workspaceInfo, len(ws))
	for i, w := range ws {
		out[i] = workspaceInfo{Name: w.Name, Host: w.Client.Host(), Cloud: w.Client.Cloud(), AuthType: w.Client.AuthType(), Default: i == 0}
	}
	return out
}

// workspacesListOutput is terse like the derived output schemas: the
// tool's description says what the fields mean.
const workspacesListOutput = `{"type":"object","properties":{"workspaces":{"type":"array","items":{"type":"object","properties":{` +
	`"name":{"type":"string"},"host":{"type":"string"},"cloud":{"type":"string"},"auth_type":{"type":"string"},"default":{"type":"boolean"}}}}}}`

func newWorkspacesList(ws []Workspace) Tool {
	body, err := json.Marshal(map[string]any{"workspaces": workspaceInfos(ws)})
	if err != nil {
		panic(err) // strings and booleans
	}
	def := mcp.Tool{
		Name:            WorkspacesListName,
		Title:           "List workspaces",
		Description:     "List the workspaces this server calls: name (any tool's workspace argument), host, cloud, auth type, and which is the default.",
		RawInputSchema:  json.RawMessage(`{"type":"object","properties":{},"additionalProperties":false}`),
		RawOutputSchema: json.RawMessage(workspacesListOutput),
		Annotations:     annotations("List workspaces", read),
	}
	handler := func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return success(body), nil
	}
	return Tool{Definition: def, Toolset: workspacesToolset, Handler: handler, Default: true, Package: "tools"}
}

// WorkspacesSummary says in one line which workspaces a server calls, for
// the MCP instructions: "" for one workspace, which needs no words.
func WorkspacesSummary(ws []Workspace) string {
	if len(ws) < 2 {
		return ""
	}
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.Name + " (" + w.Client.Host() + ")"
	}
	return fmt.Sprintf("Workspaces: %s; the first is the default, and every tool takes an optional %q argument to pick another.",
		strings.Join(parts, ", "), WorkspaceOption)
}

// workspaceNames lists the names, the default first.
func workspaceNames(ws []Workspace) []string {
	names := make([]string, len(ws))
	for i, w := range ws {
		names[i] = w.Name
	}
	return names
}
