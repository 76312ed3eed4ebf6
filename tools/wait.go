package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/schema"
)

// WaitOption is the tool-only argument of tools that start long work: how
// many seconds to wait, after the call succeeds, for the object to settle.
const WaitOption = "wait_seconds"

// MaxWaitSeconds caps WaitOption, below the timeouts MCP clients commonly
// allow a call that keeps reporting progress.
const MaxWaitSeconds = 1200

// Wait makes a tool able to wait for the object it acted on to reach a
// state, polling with Get and sending MCP progress notifications meanwhile.
type Wait struct {
	// Get reads the object; its only argument is IDField.
	Get client.Operation
	// IDField names the object's id, taken from the response if there,
	// else from the arguments.
	IDField string
	// Noun names the object in messages ("cluster").
	Noun string
	// Until are the states that end the wait.
	Until []string
	// FailOn are states in which the wait has failed.
	FailOn []string
}

// pollIntervals are the successive waits between reads, the last repeated.
var pollIntervals = []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 3 * time.Second, 5 * time.Second}

func (w *Wait) option() json.RawMessage {
	desc := fmt.Sprintf("Tool option, not sent to Databricks: after the call succeeds, wait up to this many seconds "+
		"(at most %d) for the %s to become %s, reporting progress meanwhile; the result is then the %s's "+
		"details (as its get tool returns them). If the time runs out first, the details show the state it "+
		"is still in; check state before going on. Omit or 0 to return at once.", MaxWaitSeconds, w.Noun, strings.Join(w.Until, " or "), w.Noun)
	b, _ := json.Marshal(map[string]any{"type": "integer", "minimum": 0, "maximum": MaxWaitSeconds, "description": desc})
	return b
}

// withWaitOption adds the option to an input schema.
func (w *Wait) inputSchema(in json.RawMessage) (json.RawMessage, error) {
	return schema.WithProperty(in, WaitOption, w.option())
}

// takeWaitOption removes the option from the arguments (which were
// validated already), leaving the API's own arguments byte for byte.
func takeWaitOption(args json.RawMessage) (json.RawMessage, int, error) {
	if !bytes.Contains(args, []byte(`"`+WaitOption+`"`)) {
		return args, 0, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(args, &m); err != nil {
		return nil, 0, err
	}
	raw, ok := m[WaitOption]
	if !ok {
		return args, 0, nil
	}
	var secs float64
	if err := json.Unmarshal(raw, &secs); err != nil {
		return nil, 0, err
	}
	delete(m, WaitOption)
	out, err := json.Marshal(m)
	return out, int(secs), err
}

// await polls until the object reaches a final state or time runs out.
func (w *Wait) await(ctx context.Context, c *client.Client, req mcp.CallToolRequest, resp, args json.RawMessage, secs int) (*mcp.CallToolResult, error) {
	id := stringMember(resp, w.IDField)
	if id == "" {
		id = stringMember(args, w.IDField)
	}
	if id == "" {
		return success(resp), nil
	}
	getArgs, _ := json.Marshal(map[string]string{w.IDField: id})
	start := time.Now()
	deadline := start.Add(time.Duration(secs) * time.Second)
	notify := progressNotifier(ctx, req, float64(secs))
	for i := 0; ; i++ {
		cur, err := w.Get.Invoke(ctx, c, getArgs)
		if err != nil {
			return callFailed(ctx, err)
		}
		state, msg := stringMember(cur, "state"), stringMember(cur, "state_message")
		switch {
		case slices.Contains(w.Until, state):
			return success(cur), nil
		case slices.Contains(w.FailOn, state):
			text := fmt.Sprintf("The call succeeded, but the %s %s became %s while waiting for %s", w.Noun, id, state, strings.Join(w.Until, " or "))
			if msg != "" {
				text += ": " + msg
			}
			return errorResult(text + "\n" + string(cur)), nil
		case !time.Now().Before(deadline):
			return success(cur), nil
		}
		status := fmt.Sprintf("%s %s is %s", w.Noun, id, state)
		if msg != "" {
			status += ": " + msg
		}
		notify(time.Since(start).Seconds(), status)
		d := pollIntervals[min(i, len(pollIntervals)-1)]
		if left := time.Until(deadline); d > left {
			d = left
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// progressNotifier sends notifications/progress for the call when the
// client asked for them with a progress token; otherwise it does nothing.
func progressNotifier(ctx context.Context, req mcp.CallToolRequest, total float64) func(progress float64, message string) {
	var token mcp.ProgressToken
	if req.Params.Meta != nil {
		token = req.Params.Meta.ProgressToken
	}
	srv := server.ServerFromContext(ctx)
	if token == nil || srv == nil {
		return func(float64, string) {}
	}
	return func(progress float64, message string) {
		_ = srv.SendNotificationToClient(ctx, string(mcp.MethodNotificationProgress), map[string]any{
			"progressToken": token,
			"progress":      progress,
			"total":         total,
			"message":       message,
		})
	}
}

// stringMember reads a top-level string member of a JSON object.
func stringMember(obj json.RawMessage, name string) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(obj, &m) != nil {
		return ""
	}
	var s string
	if json.Unmarshal(m[name], &s) != nil {
		return ""
	}
	return s
}
