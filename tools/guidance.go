package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// instructions is what initialize tells a client about working with these
// tools. Every byte is paid for in each session, so it stays short
// (TestInstructionsBudget).
const instructions = `dbx-mcp: the Databricks REST API. Tools are <service>_<operation> (Databricks CLI names); arguments are the REST fields. See tools/list (discovery mode: search_operations, then describe_operation).
- Long work: pass wait_seconds; progress comes as notifications, and a wait that runs out says so.
- Lists give one page: send next_page_token back as page_token; sql_query pages with next_page.
- A result over the output budget is cut, with a marker saying how to get the rest (offset, range or a dbx:// resource).
- Read-only mode offers only tools that change nothing.
- Errors are results with HTTP status, error_code and request id.
- api_call only when no typed tool fits.`

// instructionsFor is the instructions of reg's server: with several
// workspaces, a last line names them and how to pick one.
func instructionsFor(reg *Registry) string {
	if reg.workspaces == "" {
		return instructions
	}
	return instructions + "\n- " + reg.workspaces
}

// logger is the logger name of the MCP log messages the server sends.
const logger = "dbx-mcp"

// notifyClient sends msg as an MCP log message to the client of the call
// ctx belongs to, if it asked for that level; it never fails a call.
func notifyClient(ctx context.Context, level mcp.LoggingLevel, msg string) {
	s := server.ServerFromContext(ctx)
	if s == nil {
		return
	}
	_ = s.SendLogMessageToClient(ctx, mcp.NewLoggingMessageNotification(level, logger, msg))
}

// ClientLogHandler forwards the log records made with a tool call's
// context (the shared client's retries, at debug) to that call's MCP
// client as log messages, besides handing them to next. Records without a
// call's context only go to next, so no session hears of another's calls.
func ClientLogHandler(next slog.Handler) slog.Handler { return clientLog{next: next} }

type clientLog struct {
	next  slog.Handler
	attrs []slog.Attr
}

// Enabled is true for a level the call's client asked to hear, by the
// rules SendLogMessageToClient applies (the request's level from protocol
// 2026-07-28 on, else the session's, error by default): a record no one
// reads is then not built, which the client's debug line of every request
// otherwise was.
func (h clientLog) Enabled(ctx context.Context, l slog.Level) bool {
	if clientWants(ctx, mcpLevel(l)) {
		return true
	}
	return h.next.Enabled(ctx, l)
}

func clientWants(ctx context.Context, level mcp.LoggingLevel) bool {
	session := server.ClientSessionFromContext(ctx)
	if session == nil {
		return false
	}
	if info := server.RequestProtocolInfoFromContext(ctx); info != nil && info.Modern {
		return info.LogLevel != "" && level.ShouldSendTo(info.LogLevel)
	}
	s, ok := session.(server.SessionWithLogging)
	return ok && level.ShouldSendTo(s.GetLogLevel())
}

// mcpLevel is the MCP log level of a record's level.
func mcpLevel(l slog.Level) mcp.LoggingLevel {
	switch {
	case l >= slog.LevelError:
		return mcp.LoggingLevelError
	case l >= slog.LevelWarn:
		return mcp.LoggingLevelWarning
	case l >= slog.LevelInfo:
		return mcp.LoggingLevelInfo
	}
	return mcp.LoggingLevelDebug
}

func (h clientLog) Handle(ctx context.Context, r slog.Record) error {
	if clientWants(ctx, mcpLevel(r.Level)) {
		data := map[string]any{"message": r.Message}
		for _, a := range h.attrs {
			data[a.Key] = a.Value.String()
		}
		r.Attrs(func(a slog.Attr) bool {
			data[a.Key] = a.Value.String()
			return true
		})
		if s := server.ServerFromContext(ctx); s != nil {
			_ = s.SendLogMessageToClient(ctx, mcp.NewLoggingMessageNotification(mcpLevel(r.Level), logger, data))
		}
	}
	if h.next.Enabled(ctx, r.Level) {
		return h.next.Handle(ctx, r)
	}
	return nil
}

func (h clientLog) WithAttrs(attrs []slog.Attr) slog.Handler {
	return clientLog{next: h.next.WithAttrs(attrs), attrs: append(append([]slog.Attr{}, h.attrs...), attrs...)}
}

func (h clientLog) WithGroup(name string) slog.Handler {
	return clientLog{next: h.next.WithGroup(name), attrs: h.attrs}
}

// confirmed wraps a destructive tool's handler so that, when the client
// can elicit, the user is asked first; a decline sends nothing. It asks the
// multi round-trip way (an input_required result the client answers by
// retrying), which mcp-go turns into a server-initiated elicitation/create
// for clients before protocol 2026-07-28. A client without elicitation gets
// the call as without the option: its own approval of tools marked
// destructiveHint is the confirmation there, and refusing would make every
// destructive tool unusable in it.
func confirmed(name string, h server.ToolHandlerFunc) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		if !canElicit(ctx, req) {
			return h(ctx, req)
		}
		if ans := server.ElicitationResponse(req.Params.InputResponses, confirmID); ans != nil {
			if ans.Action != mcp.ElicitationResponseActionAccept || !confirmedContent(ans.Content) {
				return errorResult(fmt.Sprintf("%s was not run: the user did not confirm it (%s); nothing was sent to Databricks.", name, ans.Action)), nil
			}
			return h(ctx, req)
		}
		args, _ := rawArguments(req)
		ask := mcp.ElicitationParams{
			Message: fmt.Sprintf("%s changes or deletes something in the Databricks workspace, and may not be undone. Arguments: %s. Go ahead?", name, clip(string(args), 500)),
			RequestedSchema: map[string]any{
				"type": "object",
				"properties": map[string]any{
					"confirm": map[string]any{"type": "boolean", "title": "Run " + name, "description": "Yes to run the call."},
				},
				"required": []string{"confirm"},
			},
		}
		return server.NewInputRequestBuilder("").Elicit(confirmID, ask).ToolResult(), nil
	}
}

// confirmID names the confirmation among a call's input requests.
const confirmID = "dbx-mcp-confirm"

// canElicit reports whether the client of the call declared elicitation:
// in the request's _meta (protocol 2026-07-28), else at initialize.
func canElicit(ctx context.Context, req mcp.CallToolRequest) bool {
	if caps := req.Params.Meta.ClientCapabilities(); caps != nil {
		return caps.Elicitation != nil
	}
	s, ok := server.ClientSessionFromContext(ctx).(server.SessionWithClientInfo)
	return ok && s.GetClientCapabilities().Elicitation != nil
}

func confirmedContent(content any) bool {
	b, err := json.Marshal(content)
	if err != nil {
		return false
	}
	var v struct {
		Confirm bool `json:"confirm"`
	}
	return json.Unmarshal(b, &v) == nil && v.Confirm
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return cutString(s, n, false) + "…"
}

// waitLogged reports a call's wait as MCP log messages: when it starts,
// and when it ends with the state the object reached, so a client's log
// shows what a long call was doing even without progress notifications.
func waitLogged(name string, h server.ToolHandlerFunc) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var opt struct {
			Wait int `json:"wait_seconds"`
		}
		if raw, err := rawArguments(req); err != nil || json.Unmarshal(raw, &opt) != nil || opt.Wait <= 0 {
			return h(ctx, req)
		}
		notifyClient(ctx, mcp.LoggingLevelInfo, fmt.Sprintf("%s: waiting up to %ds for the work to finish", name, opt.Wait))
		start := time.Now()
		res, err := h(ctx, req)
		took := time.Since(start).Round(time.Second)
		switch {
		case ctx.Err() != nil || err != nil:
			notifyClient(ctx, mcp.LoggingLevelInfo, fmt.Sprintf("%s: wait stopped after %s: the call was cancelled", name, took))
		case res != nil && res.IsError:
			notifyClient(ctx, mcp.LoggingLevelWarning, fmt.Sprintf("%s: wait ended after %s with an error: %s", name, took, firstText(res)))
		case res != nil:
			notifyClient(ctx, mcp.LoggingLevelInfo, fmt.Sprintf("%s: wait ended after %s, state %s", name, took, stateOf(structuredBytes(res))))
		}
		return res, err
	}
}

// stateOf is the state an answer reports: a cluster's or warehouse's
// state, or a run's life cycle and result states.
func stateOf(raw []byte) string {
	var a struct {
		State json.RawMessage `json:"state"`
	}
	if json.Unmarshal(raw, &a) != nil || len(a.State) == 0 {
		return "unknown"
	}
	var s string
	if json.Unmarshal(a.State, &s) == nil {
		return s
	}
	var run struct {
		Life   string `json:"life_cycle_state"`
		Result string `json:"result_state"`
	}
	if json.Unmarshal(a.State, &run) == nil && run.Life != "" {
		if run.Result != "" {
			return run.Life + " (" + run.Result + ")"
		}
		return run.Life
	}
	return "unknown"
}
