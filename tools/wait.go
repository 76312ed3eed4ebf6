package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// WaitOption is the tool-only argument of tools that start long work: how
// many seconds to wait, after the call succeeds, for the object to settle.
const WaitOption = "wait_seconds"

// MaxWaitSeconds caps WaitOption, below the timeouts MCP clients commonly
// allow a call that keeps reporting progress.
const MaxWaitSeconds = 1200

// waitOption is the schema of WaitOption for an operation's wait.
func waitOption(w *client.Wait) json.RawMessage {
	desc := fmt.Sprintf("Tool option, not sent to Databricks: after the call succeeds, wait up to this many seconds "+
		"(at most %d) for the %s to become %s, reporting progress meanwhile; the result is then the %s's "+
		"details (as its get tool returns them). If the time runs out first, the result says so and shows "+
		"the state it is still in. Omit or 0 to return at once.", MaxWaitSeconds, w.Noun, strings.Join(w.Until, " or "), w.Noun)
	if len(w.Failed) > 0 {
		desc += fmt.Sprintf(" A %s that ends %s is reported as an error.", w.Noun, strings.Join(w.Failed, ", "))
	}
	b, _ := json.Marshal(map[string]any{"type": "integer", "minimum": 0, "maximum": MaxWaitSeconds, "description": desc})
	return b
}

// takeWaitOption removes the option from the arguments (which were
// validated already), leaving the API's own arguments byte for byte.
func takeWaitOption(args json.RawMessage) (json.RawMessage, int, error) {
	// A key may be written with escapes ("wait\u005fseconds"), which the
	// validator decodes; only then is a decode needed to be sure.
	if !bytes.Contains(args, []byte(`"`+WaitOption+`"`)) && !bytes.Contains(args, []byte(`\u`)) {
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

// WaitMetaKey is the result's _meta member by which a program tells a wait
// that ran out without parsing words:
// {"timed_out":true,"state":...,"until":[...],"waited_seconds":N,"ids":{...},"get":...}.
// It lives in _meta, not in the structured content, because that content
// is the API's object, which a model may pass back to Databricks as it is.
const WaitMetaKey = "dbx-mcp/wait"

// WaitMeta is the value of WaitMetaKey, and what a wait observer is told.
type WaitMeta struct {
	TimedOut      bool            `json:"timed_out,omitempty"`
	State         string          `json:"state,omitempty"`
	Until         []string        `json:"until,omitempty"`
	WaitedSeconds int             `json:"waited_seconds,omitempty"`
	IDs           json.RawMessage `json:"ids,omitempty"`
	// Get is the tool that reads the object, with IDs as its arguments.
	Get string `json:"get,omitempty"`
}

// await polls until the object reaches a final state or time runs out,
// sending progress notifications on the way.
func await(ctx context.Context, c *client.Client, w *client.Wait, req mcp.CallToolRequest, resp, args json.RawMessage, secs int) (*mcp.CallToolResult, error) {
	ids, ok := w.IDs(resp, args)
	if !ok {
		return success(resp), nil
	}
	id := idText(ids, w.IDFields)
	observe, _ := ctx.Value(waitObserverKey{}).(func(WaitMeta))
	if observe == nil {
		observe = func(WaitMeta) {}
	}
	get := w.Get.Info().FullName()
	observe(WaitMeta{IDs: ids, Get: get})
	start := time.Now()
	notify := progressNotifier(ctx, req, float64(secs))
	st, err := w.Poll(ctx, c, ids, start.Add(time.Duration(secs)*time.Second), func(st client.WaitStatus) {
		observe(WaitMeta{State: st.State, IDs: ids, Get: get})
		notify(time.Since(start).Seconds(), w.Describe(id, st))
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return callFailed(ctx, err)
	}
	if st.Failed {
		text := fmt.Sprintf("The call succeeded, but the %s %s became %s while waiting for %s", w.Noun, id, st.State, strings.Join(w.Until, " or "))
		if st.Reached {
			text = fmt.Sprintf("The call succeeded, but the %s %s ended %s with result %s", w.Noun, id, st.State, st.Result)
		}
		if st.Message != "" {
			text += ": " + st.Message
		}
		return errorResult(text + "\n" + string(st.Object)), nil
	}
	res := success(st.Object)
	if !st.Reached {
		res.Content = append(res.Content, mcp.NewTextContent(fmt.Sprintf(
			"Waited %d s; the %s %s is still %s (wanted %s); it keeps going: call %s with %s to check on it later.",
			secs, w.Noun, id, st.State, strings.Join(w.Until, " or "), get, ids)))
		res.Meta = &mcp.Meta{AdditionalFields: map[string]any{WaitMetaKey: WaitMeta{
			TimedOut: true, State: st.State, Until: w.Until, WaitedSeconds: secs, IDs: ids, Get: get,
		}}}
	}
	return res, nil
}

type waitObserverKey struct{}

// WithWaitObserver returns a context whose tool calls tell observe where
// each of their waits stands: first, before any polling, the ids of the
// object the call created or acted on, then each state seen. A caller
// running the server in process (dbx-mcp call) learns the ids this way, so
// that giving up on a wait never loses what was created; MCP clients read
// them from the progress messages, which name the object.
func WithWaitObserver(ctx context.Context, observe func(WaitMeta)) context.Context {
	return context.WithValue(ctx, waitObserverKey{}, observe)
}

// idText names the object in messages by its id values.
func idText(ids json.RawMessage, fields []string) string {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(ids, &m)
	parts := make([]string, 0, len(fields))
	for _, f := range fields {
		var s string
		if json.Unmarshal(m[f], &s) != nil {
			s = string(m[f])
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "/")
}

// progressNotifier sends notifications/progress for the call when the
// client asked for them with a progress token; otherwise it does nothing.
// A total of 0 sends none: the work has no known end.
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
		n := map[string]any{"progressToken": token, "progress": progress, "message": message}
		if total > 0 { // 0: no known end
			n["total"] = total
		}
		_ = srv.SendNotificationToClient(ctx, string(mcp.MethodNotificationProgress), n)
	}
}
