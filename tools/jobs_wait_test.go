package tools

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
)

func callJSON(t *testing.T, ctx context.Context, call func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error), name, args string) *mcp.CallToolResult {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = json.RawMessage(args)
	res, err := call(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// jobs_run_now with wait_seconds returns the finished run; a run that
// ends CANCELED while the tool waits, or one that finishes FAILED, is an
// error result naming the result state.
func TestJobsRunNowWaits(t *testing.T) {
	old := client.PollIntervals
	client.PollIntervals = []time.Duration{20 * time.Millisecond}
	t.Cleanup(func() { client.PollIntervals = old })
	mc := emulatedSession(t, 400*time.Millisecond)
	ctx := context.Background()

	for _, c := range []struct{ tool, args string }{
		{"workspace_mkdirs", `{"path":"/Users/me"}`},
		{"workspace_import", `{"path":"/Users/me/a","format":"SOURCE","language":"PYTHON","content":"cHJpbnQoMSk="}`},
	} {
		if res := callJSON(t, ctx, mc.CallTool, c.tool, c.args); res.IsError {
			t.Fatalf("%s: %s", c.tool, firstText(res))
		}
	}
	res := callJSON(t, ctx, mc.CallTool, "jobs_create", `{"name":"w","tasks":[{"task_key":"a","notebook_task":{"notebook_path":"/Users/me/a"}}]}`)
	if res.IsError {
		t.Fatalf("create: %s", firstText(res))
	}
	var created struct {
		JobID int64 `json:"job_id"`
	}
	_ = json.Unmarshal(res.RawStructuredContent, &created)

	res = callJSON(t, ctx, mc.CallTool, "jobs_run_now", `{"job_id":`+jsonInt(created.JobID)+`,"wait_seconds":30}`)
	if res.IsError || !strings.Contains(string(res.RawStructuredContent), `"result_state":"SUCCESS"`) || !strings.Contains(string(res.RawStructuredContent), `"life_cycle_state":"TERMINATED"`) {
		t.Fatalf("waited run: %v %s", res.IsError, res.RawStructuredContent)
	}

	done := make(chan *mcp.CallToolResult, 1)
	go func() {
		done <- callJSON(t, ctx, mc.CallTool, "jobs_run_now", `{"job_id":`+jsonInt(created.JobID)+`,"wait_seconds":30}`)
	}()
	// Cancel once the run exists (it stays active for two delays).
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		l := callJSON(t, ctx, mc.CallTool, "jobs_list_runs", `{"active_only":true}`)
		if strings.Contains(string(l.RawStructuredContent), `"run_id"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the run never became active")
		}
	}
	if c := callJSON(t, ctx, mc.CallTool, "jobs_cancel_all_runs", `{"job_id":`+jsonInt(created.JobID)+`}`); c.IsError {
		t.Fatalf("cancel: %s", firstText(c))
	}
	res = <-done
	if !res.IsError || !strings.Contains(firstText(res), "ended TERMINATED with result CANCELED") {
		t.Errorf("canceled run: %v %s", res.IsError, firstText(res))
	}

	// A one-time run of a notebook never imported finishes FAILED.
	res = callJSON(t, ctx, mc.CallTool, "jobs_submit", `{"tasks":[{"task_key":"b","notebook_task":{"notebook_path":"/Users/me/missing"}}],"wait_seconds":30}`)
	if text := firstText(res); !res.IsError || !strings.Contains(text, "ended TERMINATED with result FAILED: Task b failed with message: Unable to access the notebook") {
		t.Errorf("failed run: %v %s", res.IsError, text)
	}
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }
