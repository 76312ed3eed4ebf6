package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// recipe is an MCP prompt: a short workflow over this server's own tools.
// Its steps name the tools they call (in backquotes), so a test checks
// that every one exists and runs them against the emulator.
type recipe struct {
	name, title, description string
	args                     []mcp.PromptArgument
	// text is the recipe with {arg} placeholders for its arguments.
	text string
}

var recipes = []recipe{
	{
		name: "explore_table", title: "Explore a table",
		description: "Describe a Unity Catalog table and look at some of its rows.",
		args:        []mcp.PromptArgument{{Name: "table", Description: "Full name: catalog.schema.table.", Required: true}},
		text: `Explore the table {table}:
1. Call ` + "`tables_describe`" + ` with full_name "{table}": columns, types, partitioning, owner, comment and a few sample rows.
2. If more rows help, call ` + "`sql_query`" + ` with a statement such as SELECT * FROM {table} LIMIT 20 (next_page pages on); for profiles use count(*), count(DISTINCT col), min and max.
3. To find related tables, call ` + "`tables_list`" + ` with the same catalog_name and schema_name.
Summarize what the table holds, its grain and anything odd (nulls, skew).`,
	},
	{
		name: "debug_failed_job_run", title: "Debug a failed job run",
		description: "Find why a job run failed: its tasks, their errors and output.",
		args:        []mcp.PromptArgument{{Name: "run_id", Description: "The job run's run_id (jobs_list_runs lists recent ones).", Required: true}},
		text: `Find out why job run {run_id} failed:
1. Call ` + "`jobs_get_run`" + ` with run_id {run_id}: its state.result_state and state_message, and its tasks with their own states and run_ids.
2. For each task whose result_state is not SUCCESS, call ` + "`jobs_get_run_output`" + ` with that task's run_id: error, error_trace and logs (long output is cut with a marker saying how to read the rest).
3. If a task ran on a cluster, call ` + "`clusters_events`" + ` with its cluster_id for terminations or driver problems.
Explain the cause in a few sentences and propose a fix; ` + "`jobs_repair_run`" + ` reruns failed tasks once it is fixed (ask first).`,
	},
	{
		name: "find_idle_clusters", title: "Find idle clusters",
		description: "List running clusters that cost money without doing work.",
		text: `Find clusters that run without doing anything:
1. Call ` + "`clusters_list`" + `; keep the clusters whose state is RUNNING.
2. For each, call ` + "`clusters_events`" + ` with its cluster_id to see its recent activity, and note autotermination_minutes (0 means it never stops on its own).
3. Report each idle-looking cluster: name, cluster_id, creator, size and how long it has run.
Do not stop anything yourself: suggest ` + "`clusters_delete`" + ` (which terminates, keeping the configuration) and let the user decide.`,
	},
}

// promptText fills a recipe's placeholders with the caller's arguments.
func (r recipe) promptText(args map[string]string) (string, error) {
	text := r.text
	for _, a := range r.args {
		v := args[a.Name]
		if v == "" && a.Required {
			return "", fmt.Errorf("prompt %s needs the argument %s", r.name, a.Name)
		}
		text = strings.ReplaceAll(text, "{"+a.Name+"}", v)
	}
	return text, nil
}

// addPrompts offers the recipes whose tools the registry reaches: a prompt
// naming a tool the server does not offer would send the model astray.
func addPrompts(s *server.MCPServer, reg *Registry) {
	for _, r := range recipes {
		if !reg.reaches(r.tools()) {
			continue
		}
		opts := []mcp.PromptOption{mcp.WithPromptDescription(r.description)}
		for _, a := range r.args {
			o := []mcp.ArgumentOption{mcp.ArgumentDescription(a.Description)}
			if a.Required {
				o = append(o, mcp.RequiredArgument())
			}
			opts = append(opts, mcp.WithArgument(a.Name, o...))
		}
		p := mcp.NewPrompt(r.name, opts...)
		p.Title = r.title
		s.AddPrompt(p, func(_ context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			text, err := r.promptText(req.Params.Arguments)
			if err != nil {
				return nil, err
			}
			return mcp.NewGetPromptResult(r.description, []mcp.PromptMessage{
				mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(text)),
			}), nil
		})
	}
}

// tools are the tool names the recipe's text names, in backquotes.
func (r recipe) tools() []string {
	var out []string
	parts := strings.Split(r.text, "`")
	for i := 1; i < len(parts); i += 2 {
		out = append(out, parts[i])
	}
	return out
}

// reaches reports whether the registry offers the first of the named tools
// (the recipe's first step), directly or through discovery mode.
func (r *Registry) reaches(names []string) bool {
	if len(names) == 0 {
		return true
	}
	_, ok := r.LookupOperation(names[0])
	return ok
}
