package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/schema"
)

// Discovery mode's meta-tools. They reach every operation the registry
// selected (toolsets, tool names and the read-only filter applied) while
// tools/list carries only these three.
const (
	SearchToolName   = "search_operations"
	DescribeToolName = "describe_operation"
	InvokeToolName   = "invoke_operation"
)

// searchLimit bounds one search's answer.
const searchLimit = 15

func discoveryTools(r *Registry) []Tool {
	readOnly := true
	for _, t := range r.operations {
		if a := t.Definition.Annotations; a.ReadOnlyHint == nil || !*a.ReadOnlyHint {
			readOnly = false
		}
	}
	invokeHints := Hints{Destructive: true}
	if readOnly {
		invokeHints = read
	}
	search := mcp.Tool{
		Name:  SearchToolName,
		Title: "Search Databricks operations",
		Description: "Find Databricks REST operations by words (e.g. \"list clusters\", \"secret scope\"). " +
			"Returns names, titles and access; then describe_operation for arguments, invoke_operation to call.",
		RawInputSchema: json.RawMessage(`{"type":"object","properties":{"query":{"type":"string","minLength":1,"description":"Words to look for in operation names, titles and descriptions."}},"required":["query"],"additionalProperties":false}`),
		Annotations:    annotations("Search Databricks operations", read),
	}
	describe := mcp.Tool{
		Name:           DescribeToolName,
		Title:          "Describe a Databricks operation",
		Description:    "Give an operation's description, access and input JSON Schema, by name from search_operations.",
		RawInputSchema: json.RawMessage(`{"type":"object","properties":{"name":{"type":"string","minLength":1,"description":"Operation name, e.g. clusters_list."}},"required":["name"],"additionalProperties":false}`),
		Annotations:    annotations("Describe a Databricks operation", read),
	}
	invoke := mcp.Tool{
		Name:  InvokeToolName,
		Title: "Invoke a Databricks operation",
		Description: "Call an operation by name with its arguments (checked against its input schema before " +
			"anything is sent). Check its access with describe_operation first.",
		RawInputSchema: json.RawMessage(`{"type":"object","properties":{"name":{"type":"string","minLength":1,"description":"Operation name, e.g. clusters_list."},"arguments":{"type":"object","additionalProperties":true,"description":"The operation's arguments, as its input schema says."}},"required":["name"],"additionalProperties":false}`),
		Annotations:    annotations("Invoke a Databricks operation", invokeHints),
	}
	return []Tool{
		{Definition: search, Toolset: ModeDiscovery, Handler: r.handleSearch},
		{Definition: describe, Toolset: ModeDiscovery, Handler: r.handleDescribe},
		{Definition: invoke, Toolset: ModeDiscovery, Handler: r.handleInvoke},
	}
}

func metaArgs(req mcp.CallToolRequest, into any) *mcp.CallToolResult {
	args, err := rawArguments(req)
	if err == nil {
		err = json.Unmarshal(args, into)
	}
	if err != nil {
		return invalidArguments(req.Params.Name, []schema.Problem{{Message: "arguments must be a JSON object: " + err.Error()}})
	}
	return nil
}

// unknownOperation answers a name the registry does not reach, with a
// did-you-mean among those it does.
func (r *Registry) unknownOperation(name string) *mcp.CallToolResult {
	names := make([]string, 0, len(r.operations))
	for _, t := range r.operations {
		names = append(names, t.Name())
	}
	msg := fmt.Sprintf("No operation %q is available on this server", name)
	if s := Suggest(name, names); s != "" {
		msg += fmt.Sprintf("; did you mean %s?", s)
	} else {
		msg += "; use search_operations to find one."
	}
	return errorResult(msg)
}

type searchHit struct {
	Name   string `json:"name"`
	Title  string `json:"title"`
	Access string `json:"access"`
	score  int
}

func (r *Registry) handleSearch(_ context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	var a struct {
		Query string `json:"query"`
	}
	if bad := metaArgs(req, &a); bad != nil {
		return bad, nil
	}
	words := strings.Fields(strings.ToLower(strings.NewReplacer("_", " ", "-", " ").Replace(a.Query)))
	if len(words) == 0 {
		return invalidArguments(SearchToolName, []schema.Problem{{Path: "query", Message: "give at least one word"}}), nil
	}
	var hits []searchHit
	for _, t := range r.operations {
		name := strings.ReplaceAll(t.Name(), "_", " ")
		title := strings.ToLower(t.Definition.Title)
		desc := strings.ToLower(t.Definition.Description)
		score := 0
		for _, w := range words {
			stem := strings.TrimSuffix(w, "s")
			switch {
			case strings.Contains(name, w) || strings.Contains(name, stem):
				score += 3
			case strings.Contains(title, stem):
				score += 2
			case strings.Contains(desc, stem):
				score++
			}
		}
		if score > 0 {
			hits = append(hits, searchHit{Name: t.Name(), Title: t.Definition.Title, Access: t.Access(), score: score})
		}
	}
	slices.SortStableFunc(hits, func(x, y searchHit) int { return y.score - x.score })
	total := len(hits)
	if len(hits) > searchLimit {
		hits = hits[:searchLimit]
	}
	if hits == nil {
		hits = []searchHit{}
	}
	body, _ := json.Marshal(map[string]any{"operations": hits, "total": total})
	return success(body), nil
}

func (r *Registry) handleDescribe(_ context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	var a struct {
		Name string `json:"name"`
	}
	if bad := metaArgs(req, &a); bad != nil {
		return bad, nil
	}
	t, ok := r.LookupOperation(a.Name)
	if !ok {
		return r.unknownOperation(a.Name), nil
	}
	d := t.Definition
	body, err := json.Marshal(map[string]any{
		"name":         d.Name,
		"title":        d.Title,
		"description":  d.Description,
		"access":       t.Access(),
		"annotations":  d.Annotations,
		"input_schema": d.RawInputSchema,
	})
	if err != nil {
		return nil, err
	}
	return success(body), nil
}

func (r *Registry) handleInvoke(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	var a struct {
		Name      string          `json:"name"`
		Arguments json.RawMessage `json:"arguments"`
	}
	if bad := metaArgs(req, &a); bad != nil {
		return bad, nil
	}
	t, ok := r.LookupOperation(a.Name)
	if !ok {
		return r.unknownOperation(a.Name), nil
	}
	inner := req
	inner.Params.Name = a.Name
	inner.Params.RawArguments = a.Arguments
	inner.Params.Arguments = nil
	if len(a.Arguments) == 0 || string(a.Arguments) == "null" {
		inner.Params.RawArguments = json.RawMessage("{}")
	}
	return t.Handler(ctx, inner)
}
