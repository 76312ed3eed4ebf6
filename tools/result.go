package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/schema"
)

// success wraps an API response body, which is always a JSON object for the
// typed operations, as both structured content (the bytes exactly as the
// API sent them, compacted) and compact JSON text for clients that read
// only text. A body that is not JSON (an HTML page from a proxy answering
// 200, a cut-off answer) is an error result: sent on, it would make the
// whole answer unencodable.
func success(raw json.RawMessage) *mcp.CallToolResult {
	valid, compacted, html := scanJSONFlags(raw)
	if !valid {
		return errorResult(fmt.Sprintf("The workspace answered with a body that is not JSON (%d bytes, starting %q); check the host setting and any proxy between dbx-mcp and the workspace.", len(raw), headOf(raw, 80)))
	}
	body := raw
	if !compacted {
		body = compact(raw)
	}
	return &mcp.CallToolResult{
		Content:              []mcp.Content{mcp.NewTextContent(string(body))},
		StructuredContent:    &checkedJSON{body: body, plain: !html},
		RawStructuredContent: body,
	}
}

// checkedJSON is a body success has found valid and compact: AppendMessage
// then writes it without checking it again, and as it is when plain (no
// byte encoding/json would escape in it). It marshals as itself.
type checkedJSON struct {
	body  []byte
	plain bool
}

func (c *checkedJSON) MarshalJSON() ([]byte, error) { return c.body, nil }

// checkedBody is r's structured content when it is a body success
// checked, else nil.
func checkedBody(r *mcp.CallToolResult) *checkedJSON {
	c, ok := r.StructuredContent.(*checkedJSON)
	raw := r.RawStructuredContent
	if !ok || len(c.body) != len(raw) || len(raw) == 0 || &c.body[0] != &raw[0] {
		return nil
	}
	return c
}

// headOf is the first n bytes of b, cut at a rune boundary.
func headOf(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	return string(b[:n]) + "…"
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
