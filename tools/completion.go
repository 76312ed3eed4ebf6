package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
)

// maxCompletions is the most values one completion answers, as MCP allows.
const maxCompletions = 100

// completer suggests values for resource template and prompt arguments
// from the workspace: paths, catalog, schema and table names, and ids.
// Errors answer no values: a completion is a convenience, never a failure.
type completer struct{ r *resources }

func (c completer) CompleteResourceArgument(ctx context.Context, _ string, arg mcp.CompleteArgument, cc mcp.CompleteContext) (*mcp.Completion, error) {
	return c.complete(ctx, arg, cc), nil
}

func (c completer) CompletePromptArgument(ctx context.Context, _ string, arg mcp.CompleteArgument, cc mcp.CompleteContext) (*mcp.Completion, error) {
	return c.complete(ctx, arg, cc), nil
}

func (c completer) complete(ctx context.Context, arg mcp.CompleteArgument, cc mcp.CompleteContext) *mcp.Completion {
	var values []string
	switch arg.Name {
	case "path":
		values = c.paths(ctx, arg.Value, cc.Arguments)
	case "catalog":
		values = c.names(ctx, "catalogs_list", "catalogs", "name", nil)
	case "schema":
		values = c.names(ctx, "schemas_list", "schemas", "name", map[string]any{"catalog_name": cc.Arguments["catalog"]})
	case "volume":
		values = c.names(ctx, "volumes_list", "volumes", "name", map[string]any{"catalog_name": cc.Arguments["catalog"], "schema_name": cc.Arguments["schema"]})
	case "table":
		values = c.tables(ctx, arg.Value)
	case "run_id":
		values = c.names(ctx, "jobs_list_runs", "runs", "run_id", map[string]any{"limit": 25})
	case "job_id":
		values = c.names(ctx, "jobs_list", "jobs", "job_id", map[string]any{"limit": 25})
	case "cluster_id":
		values = c.names(ctx, "clusters_list", "clusters", "cluster_id", nil)
	case "warehouse_id":
		values = c.names(ctx, "warehouses_list", "warehouses", "id", nil)
	}
	return completion(values, arg.Value)
}

// completion keeps the values that start with prefix, at most
// maxCompletions of them.
func completion(values []string, prefix string) *mcp.Completion {
	out := []string{}
	for _, v := range values {
		if strings.HasPrefix(v, prefix) {
			out = append(out, v)
		}
	}
	res := &mcp.Completion{Values: out, Total: len(out)}
	if len(out) > maxCompletions {
		res.Values, res.HasMore = out[:maxCompletions], true
	}
	return res
}

// names lists one member of a list's items: a page, not the whole list.
func (c completer) names(ctx context.Context, op, items, member string, args map[string]any) []string {
	for k, v := range args {
		if v == nil || v == "" {
			delete(args, k)
		}
	}
	if args == nil {
		args = map[string]any{}
	}
	raw, err := c.r.invoke(ctx, op, args)
	if err != nil {
		return nil
	}
	var ans map[string]json.RawMessage
	var list []map[string]json.RawMessage
	if json.Unmarshal(raw, &ans) != nil || json.Unmarshal(ans[items], &list) != nil {
		return nil
	}
	var out []string
	for _, it := range list {
		v := it[member]
		var s string
		if json.Unmarshal(v, &s) != nil {
			s = string(v) // an id given as a number keeps its digits
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// tables completes catalog.schema.table one part at a time.
func (c completer) tables(ctx context.Context, value string) []string {
	parts := strings.Split(value, ".")
	switch len(parts) {
	case 1:
		return suffixed(c.names(ctx, "catalogs_list", "catalogs", "name", nil), ".")
	case 2:
		return prefixed(parts[0]+".", suffixed(c.names(ctx, "schemas_list", "schemas", "name", map[string]any{"catalog_name": parts[0]}), "."))
	default:
		return prefixed(parts[0]+"."+parts[1]+".", c.names(ctx, "tables_list", "tables", "name", map[string]any{"catalog_name": parts[0], "schema_name": parts[1]}))
	}
}

func suffixed(v []string, s string) []string {
	for i := range v {
		v[i] += s
	}
	return v
}

func prefixed(p string, v []string) []string {
	for i := range v {
		v[i] = p + v[i]
	}
	return v
}

// paths completes a workspace path (or, with a volume's arguments, a path
// inside the volume) from the listing of the directory typed so far.
func (c completer) paths(ctx context.Context, value string, args map[string]string) []string {
	dir := value
	if !strings.HasSuffix(dir, "/") {
		dir = path.Dir(dir)
	}
	if dir == "." || dir == "" {
		dir = "/"
	}
	if args["catalog"] != "" && args["schema"] != "" && args["volume"] != "" {
		root := fmt.Sprintf("/Volumes/%s/%s/%s", args["catalog"], args["schema"], args["volume"])
		raw, err := c.r.invoke(ctx, "files_list_directory_contents", map[string]string{"directory_path": root + strings.TrimSuffix(dir, "/")})
		if err != nil {
			return nil
		}
		var ans struct {
			Contents []struct {
				Path  string `json:"path"`
				IsDir bool   `json:"is_directory"`
			} `json:"contents"`
		}
		if json.Unmarshal(raw, &ans) != nil {
			return nil
		}
		var out []string
		for _, e := range ans.Contents {
			p := strings.TrimPrefix(e.Path, root)
			if e.IsDir {
				p += "/"
			}
			out = append(out, p)
		}
		return out
	}
	if dir != "/" {
		dir = strings.TrimSuffix(dir, "/")
	}
	objs, err := c.r.listWorkspace(ctx, dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, o := range objs {
		p := o.Path
		if o.ObjectType == "DIRECTORY" {
			p += "/"
		}
		out = append(out, p)
	}
	return out
}
