package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/schema"
)

// success wraps an API response body, which is always a JSON object for the
// typed operations, as both structured content (the bytes exactly as the
// API sent them) and compact JSON text for clients that read only text.
func success(raw json.RawMessage) *mcp.CallToolResult {
	body := raw
	if !isCompact(raw) {
		if body = compact(raw); body == nil {
			body = raw
		}
	}
	return &mcp.CallToolResult{
		Content:              []mcp.Content{mcp.NewTextContent(string(body))},
		StructuredContent:    body,
		RawStructuredContent: body,
	}
}

// renderedResult is a result whose text is a rendering of its own (a
// table, a description) beside the structured content body, rather than a
// second copy of that JSON.
func renderedResult(body json.RawMessage, text string) *mcp.CallToolResult {
	return &mcp.CallToolResult{
		Content:              []mcp.Content{mcp.NewTextContent(text)},
		StructuredContent:    body,
		RawStructuredContent: body,
	}
}

func errorResult(text string) *mcp.CallToolResult {
	return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{mcp.NewTextContent(text)}}
}

// invalidArguments reports argument problems before anything was sent.
func invalidArguments(tool string, problems []schema.Problem) *mcp.CallToolResult {
	var b strings.Builder
	fmt.Fprintf(&b, "Invalid arguments for %s (nothing was sent to Databricks):", tool)
	for _, p := range problems {
		b.WriteString("\n- " + p.String())
	}
	return errorResult(b.String())
}

// callFailed turns a failed call into a result the model can act on. Only a
// cancelled call is returned as a Go error: there is nobody left to read a
// result.
func callFailed(ctx context.Context, err error) (*mcp.CallToolResult, error) {
	if ctx.Err() != nil {
		return nil, err
	}
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		detail, _ := json.Marshal(struct {
			*client.APIError
			Kind string `json:"kind,omitempty"`
		}{apiErr, apiErr.Kind()})
		text := fmt.Sprintf("Databricks API error: HTTP %d", apiErr.StatusCode)
		if apiErr.ErrorCode != "" {
			text += " " + apiErr.ErrorCode
		}
		text += ": " + apiErr.Message
		if apiErr.RequestID != "" {
			text += " (request id " + apiErr.RequestID + ")"
		}
		if hint := hintFor(apiErr); hint != "" {
			text += "\n" + hint
		}
		return errorResult(text + "\n" + string(detail)), nil
	}
	return errorResult("The call did not complete: " + err.Error()), nil
}

// hintFor suggests the next step for the errors a model can do something
// about.
func hintFor(e *client.APIError) string {
	switch {
	case errors.Is(e, client.ErrUnauthenticated):
		return "Hint: the workspace did not accept the credentials; check the token or auth settings of dbx-mcp."
	case errors.Is(e, client.ErrPermissionDenied):
		return "Hint: the caller lacks permission for this operation; ask a workspace admin or use another object."
	case errors.Is(e, client.ErrNotFound):
		return "Hint: the object does not exist; list the objects to find a valid id or name."
	case errors.Is(e, client.ErrInvalidState):
		return "Hint: the object is not in a state that allows this operation; get its current state and wait or change it first."
	case errors.Is(e, client.ErrRateLimited):
		return "Hint: the workspace is rate limiting; wait before calling again."
	}
	return ""
}

// isCompact reports whether raw has no whitespace outside its strings, so
// that compacting it would give it back unchanged: most API bodies are sent
// compact, and one pass of this loop is far cheaper than the JSON scanner
// and copy of json.Compact. It does not check that raw is valid JSON.
func isCompact(raw []byte) bool {
	inString, escaped := false, false
	for _, c := range raw {
		switch {
		case escaped:
			escaped = false
		case inString:
			switch c {
			case '\\':
				escaped = true
			case '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			return false
		}
	}
	return true
}
