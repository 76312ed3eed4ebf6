package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// DefaultMaxResultBytes is the output budget unless configured: room for a
// long page of a list or a notebook of some thousand lines, small next to
// the context a model has.
const DefaultMaxResultBytes = 64 << 10

// minResultBytes is the smallest budget accepted: below it the marker
// itself would not fit.
const minResultBytes = 4 << 10

// markerReserve is the room kept in a cut text for the marker that says
// what was cut and how to get the rest.
const markerReserve = 1500

// CutMetaKey names the _meta member of a cut result that says, for a
// program, what was cut (a cutReport).
const CutMetaKey = "dbx-mcp/cut"

// cut is one value shortened to fit: a string kept to its first Kept bytes,
// or a list to its first Kept items, of Total.
type cut struct {
	Path  string `json:"path"`
	Unit  string `json:"unit"` // "bytes" or "items"
	Kept  int    `json:"kept"`
	Total int    `json:"total"`
	// base64 is set for a string of base64 whose kept part decodes on its
	// own (cut at a multiple of 4).
	base64 bool
}

// decodedKept is how many bytes the kept part of a base64 string decodes
// to, or Kept for other strings.
func (c cut) decodedKept() int {
	if c.base64 {
		return c.Kept / 4 * 3
	}
	return c.Kept
}

// cutReport is what a cut result's _meta says.
type cutReport struct {
	Budget int    `json:"budget_bytes"`
	Cuts   []cut  `json:"cuts"`
	Full   string `json:"full_answer,omitempty"`
	Next   string `json:"continue,omitempty"`
}

// continuation tells a caller how to get what a cut left out, in the terms
// of the operation's own arguments; "" when the operation has no way to
// continue. args are the call's arguments.
type continuation func(args map[string]any, cuts []cut) string

// budget cuts results to a byte budget, keeping what was cut reachable.
type budget struct {
	max     int
	results *resultCache
	// notify reports a cut as an MCP log message; nil in tests that do not
	// care.
	notify func(ctx context.Context, level mcp.LoggingLevel, msg string)
}

// budgeted wraps a tool's handler so that no text or structured content of
// its results exceeds b.max bytes without saying so.
func (b *budget) budgeted(name string, next continuation, h server.ToolHandlerFunc) server.ToolHandlerFunc {
	if b == nil || b.max <= 0 {
		return h
	}
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		res, err := h(ctx, req)
		if err != nil || res == nil {
			return res, err
		}
		out, report := b.apply(res, req, next)
		if report != nil && b.notify != nil {
			b.notify(ctx, mcp.LoggingLevelNotice, fmt.Sprintf("%s: result cut to the %d-byte budget (%s)", name, b.max, describeCuts(report.Cuts)))
		}
		return out, nil
	}
}

// apply cuts res to the budget. Structured content is cut at whole list
// items and string values, so it still validates against the tool's output
// schema; the whole answer is kept for a while as a resource the marker
// names. It returns the report when anything was cut.
func (b *budget) apply(res *mcp.CallToolResult, req mcp.CallToolRequest, next continuation) (*mcp.CallToolResult, *cutReport) {
	structured := structuredBytes(res)
	over := len(structured) > b.max
	for _, c := range res.Content {
		if t, ok := c.(mcp.TextContent); ok && len(t.Text) > b.max {
			over = true
		}
	}
	if !over {
		return res, nil
	}
	var args map[string]any
	if raw, err := rawArguments(req); err == nil {
		_ = json.Unmarshal(raw, &args)
	}
	out := *res
	report := &cutReport{Budget: b.max}
	full := structured
	if full == nil {
		full = []byte(joinedText(res))
	}
	if b.results != nil {
		report.Full = b.results.put(full)
	}
	if len(structured) > b.max {
		var cuts []cut
		small := shrink(structured, b.max, "", &cuts)
		out.RawStructuredContent = small
		out.StructuredContent = json.RawMessage(small)
		report.Cuts = cuts
	}
	var textCuts []cut
	content := make([]mcp.Content, 0, len(res.Content)+2)
	marked := false
	for _, c := range res.Content {
		t, ok := c.(mcp.TextContent)
		if !ok || len(t.Text) <= b.max {
			content = append(content, c)
			continue
		}
		var cuts []cut
		text := b.cutText(t.Text, b.max-markerReserve, &cuts)
		marker := b.marker(cuts, next, args, report.Full)
		if len(text)+1+len(marker) > b.max {
			// A long marker: cut the text once more, to what is left.
			cuts = cuts[:0]
			text = b.cutText(t.Text, b.max-1-len(marker), &cuts)
		}
		textCuts = append(textCuts, cuts...)
		content = append(content, mcp.NewTextContent(text+"\n"+marker))
		marked = true
	}
	if report.Cuts == nil {
		report.Cuts = textCuts
	}
	if next != nil {
		report.Next = next(args, report.Cuts)
	}
	if !marked {
		// Only the structured content was cut: the text says so too.
		content = append(content, mcp.NewTextContent(b.marker(report.Cuts, next, args, report.Full)))
	}
	if report.Full != "" {
		content = append(content, mcp.NewResourceLink(report.Full, "full answer", fmt.Sprintf("The whole answer (%d bytes), read in windows of at most %d bytes.", len(full), b.max), "application/json"))
	}
	out.Content = content
	meta := &mcp.Meta{}
	if res.Meta != nil {
		meta = &mcp.Meta{ProgressToken: res.Meta.ProgressToken, AdditionalFields: maps.Clone(res.Meta.AdditionalFields)}
	}
	meta.SetMetaField(CutMetaKey, report)
	out.Meta = meta
	return &out, report
}

// cutText cuts a text to room bytes: structurally when it is JSON, else
// on a character boundary.
func (b *budget) cutText(text string, room int, cuts *[]cut) string {
	if s := bytes.TrimSpace([]byte(text)); json.Valid(s) && (s[0] == '{' || s[0] == '[') {
		return string(shrink(s, room, "", cuts))
	}
	kept := cutString(text, room, false)
	*cuts = append(*cuts, cut{Path: "text", Unit: "bytes", Kept: len(kept), Total: len(text)})
	return kept
}

// marker is the words a cut text ends with: what was cut, and how to get
// the rest.
func (b *budget) marker(cuts []cut, next continuation, args map[string]any, full string) string {
	var m strings.Builder
	fmt.Fprintf(&m, "[dbx-mcp: this result was cut to the %d-byte budget: %s.", b.max, describeCuts(cuts))
	if next != nil {
		if s := next(args, cuts); s != "" {
			m.WriteString(" To continue: " + s + ".")
		}
	}
	if full != "" {
		fmt.Fprintf(&m, " The whole answer is the resource %s (read it with resources/read; each read gives at most %d bytes and names the ?offset= of the next part).", full, b.max)
	}
	m.WriteString("]")
	return m.String()
}

// describedCuts bounds how many cuts a marker names one by one.
const describedCuts = 4

func describeCuts(cuts []cut) string {
	parts := make([]string, 0, len(cuts))
	for i, c := range cuts {
		if i == describedCuts {
			parts = append(parts, fmt.Sprintf("and %d more values", len(cuts)-i))
			break
		}
		name := c.Path
		if name == "" {
			name = "the answer"
		}
		parts = append(parts, fmt.Sprintf("%s kept %d of %d %s (%d left out)", name, c.Kept, c.Total, c.Unit, c.Total-c.Kept))
	}
	return strings.Join(parts, "; ")
}

func structuredBytes(res *mcp.CallToolResult) []byte {
	if len(res.RawStructuredContent) > 0 {
		return res.RawStructuredContent
	}
	if res.StructuredContent == nil {
		return nil
	}
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		return nil
	}
	return b
}

func joinedText(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if t, ok := c.(mcp.TextContent); ok {
			b.WriteString(t.Text)
		}
	}
	return b.String()
}

// shrink returns raw, a JSON value, cut to at most room bytes where it can
// be: lists keep their first whole items, strings their first bytes, and
// objects shorten their largest members first. Numbers, booleans and the
// members' names are never touched, so the value keeps its shape. Each cut
// is appended to cuts under its path (members joined by ".").
func shrink(raw []byte, room int, path string, cuts *[]cut) []byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) <= room || len(raw) == 0 {
		return raw
	}
	switch raw[0] {
	case '{':
		return shrinkObject(raw, room, path, cuts)
	case '[':
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return raw
		}
		size, kept := 2, 0
		for _, it := range items {
			if size+len(it)+1 > room {
				break
			}
			size += len(it) + 1
			kept++
		}
		*cuts = append(*cuts, cut{Path: path, Unit: "items", Kept: kept, Total: len(items)})
		out, _ := json.Marshal(items[:kept])
		return out
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return raw
		}
		b64 := isBase64(s)
		kept := cutString(s, room-2, b64)
		enc, _ := json.Marshal(kept)
		for len(enc) > room && kept != "" {
			// Escapes made it longer than its bytes: cut by the excess.
			kept = cutString(kept, len(kept)-(len(enc)-room), b64)
			enc, _ = json.Marshal(kept)
		}
		*cuts = append(*cuts, cut{Path: path, Unit: "bytes", Kept: len(kept), Total: len(s), base64: b64})
		return enc
	}
	return raw
}

func shrinkObject(raw []byte, room int, path string, cuts *[]cut) []byte {
	var members map[string]json.RawMessage
	if json.Unmarshal(raw, &members) != nil {
		return raw
	}
	names := make([]string, 0, len(members))
	for k := range members {
		names = append(names, k)
	}
	// Largest first: the few big values are what a budget is about.
	slices.SortFunc(names, func(a, b string) int {
		if d := len(members[b]) - len(members[a]); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	total := len(raw)
	for _, k := range names {
		if total <= room {
			break
		}
		v := members[k]
		target := max(len(v)-(total-room), 2)
		sub := k
		if path != "" {
			sub = path + "." + k
		}
		small := shrink(v, target, sub, cuts)
		total -= len(v) - len(small)
		members[k] = small
	}
	out, err := json.Marshal(members)
	if err != nil {
		return raw
	}
	return out
}

// cutString keeps at most n bytes of s, ending on a character boundary,
// or for base64 on a multiple of 4 so the kept part decodes alone.
func cutString(s string, n int, b64 bool) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	if b64 {
		return s[:n/4*4]
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// isBase64 tells a base64 payload (DBFS data, an export's content) from
// text: long, a multiple of 4, and only the alphabet's characters.
func isBase64(s string) bool {
	if len(s) < 64 || len(s)%4 != 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	return true
}

// continuations are the operations whose API can continue a cut read:
// their byte offsets or ranges, and workspace exports through the
// workspace resource.
var continuations = map[string]continuation{
	"dbfs_read":        offsetContinuation("dbfs_read", "data", "length"),
	"dbfs_download":    offsetContinuation("dbfs_download", "data", "length"),
	"files_download":   rangeContinuation,
	"workspace_export": exportContinuation,
	"sql_query":        sqlContinuation,
}

// sqlContinuation points back to sql_query's own budget: its pages are
// the way through a large result.
func sqlContinuation(map[string]any, []cut) string {
	return "call sql_query again with max_bytes well under the budget (or fewer max_rows); its next_page pages through the rest"
}

// continuationFor is the way a tool's cut results continue: by name, or
// for lists by the declaration's paging.
func continuationFor(name string, paging *client.Paging) continuation {
	if c, ok := continuations[name]; ok {
		return c
	}
	if paging != nil {
		return pagingContinuation(name, paging)
	}
	return nil
}

func findCut(cuts []cut, path string) (cut, bool) {
	for _, c := range cuts {
		if c.Path == path {
			return c, true
		}
	}
	return cut{}, false
}

func intArg(args map[string]any, name string) int64 {
	switch v := args[name].(type) {
	case float64:
		return int64(v)
	case json.Number:
		n, _ := v.Int64()
		return n
	case string:
		n, _ := strconv.ParseInt(v, 10, 64)
		return n
	}
	return 0
}

func offsetContinuation(tool, member, length string) continuation {
	return func(args map[string]any, cuts []cut) string {
		c, ok := findCut(cuts, member)
		if !ok {
			return ""
		}
		next := intArg(args, "offset") + int64(c.decodedKept())
		s := fmt.Sprintf("call %s with path %q and offset %d", tool, args["path"], next)
		if l := intArg(args, length); l > 0 {
			s += fmt.Sprintf(" (and %s %d less what was kept, %d)", length, l, l-int64(c.decodedKept()))
		}
		return s
	}
}

func rangeContinuation(args map[string]any, cuts []cut) string {
	c, ok := findCut(cuts, "contents")
	if !ok {
		return ""
	}
	first, last := int64(0), ""
	if r, _ := args["range"].(string); r != "" {
		a, b, _ := strings.Cut(strings.TrimPrefix(r, "bytes="), "-")
		first, _ = strconv.ParseInt(a, 10, 64)
		last = b
	}
	return fmt.Sprintf("call files_download with file_path %q and range bytes=%d-%s", args["file_path"], first+int64(c.decodedKept()), last)
}

func exportContinuation(args map[string]any, cuts []cut) string {
	c, ok := findCut(cuts, "content")
	if !ok {
		if c, ok = findCut(cuts, "content_text"); !ok {
			return ""
		}
	}
	p, _ := args["path"].(string)
	u := workspaceURI(p, map[string]string{"offset": strconv.Itoa(c.decodedKept()), "format": stringArg(args, "format")})
	return fmt.Sprintf("read the resource %s for the exported bytes from offset %d on", u, c.decodedKept())
}

func stringArg(args map[string]any, name string) string {
	s, _ := args[name].(string)
	return s
}

// pagingContinuation says how to reach the items a cut left out of a
// list's page, in the list's own paging terms.
func pagingContinuation(tool string, p *client.Paging) continuation {
	return func(args map[string]any, cuts []cut) string {
		items := p.Items
		if items == "" && p.Style == client.SCIM {
			items = "Resources"
		}
		var c cut
		found := false
		for _, x := range cuts {
			if x.Unit == "items" && (items == "" || x.Path == items) {
				c, found = x, true
				break
			}
		}
		if !found {
			return ""
		}
		switch p.Style {
		case client.Offset:
			tok := p.Token
			if tok == "" {
				tok = "offset"
			}
			return fmt.Sprintf("call %s again with %s %d (the items after the %d kept)", tool, tok, intArg(args, tok)+int64(c.Kept), c.Kept)
		case client.SCIM:
			start := max(intArg(args, "startIndex"), 1)
			return fmt.Sprintf("call %s again with startIndex %d", tool, start+int64(c.Kept))
		}
		s := fmt.Sprintf("the page's token continues after the whole page, so to see the %d items left out of this one call %s again", c.Total-c.Kept, tool)
		if p.Size != "" {
			s += fmt.Sprintf(" with %s %d, pages that fit", p.Size, max(c.Kept, 1))
		} else {
			s += " with a filter that narrows the list"
		}
		return s
	}
}
