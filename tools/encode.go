package tools

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"
)

// AppendMessage appends to dst the JSON encoding of msg, a message mcp-go's
// HandleMessage returned, byte for byte what json.Marshal gives for it.
//
// It exists for the two answers that are large and frequent: a tool call's
// result (the API body twice, as text and as structuredContent) and the
// tool list. encoding/json encodes mcp-go's results through their
// MarshalJSON methods, which build maps, and then scans every byte they
// return once more to compact it: for a 14 KB clusters_list answer that was
// about 40 % of what a call cost the server. Here the body's bytes are
// copied once and the text escaped once; everything small (ids, _meta,
// annotations, other content types) still goes through encoding/json, and
// any other message entirely.
func AppendMessage(dst []byte, msg mcp.JSONRPCMessage) ([]byte, error) {
	resp, ok := msg.(mcp.JSONRPCResponse)
	if !ok {
		return appendMarshal(dst, msg)
	}
	var appendResult func([]byte) ([]byte, error)
	switch r := resp.Result.(type) {
	case *mcp.CallToolResult:
		if r != nil && fastCallToolResult(r) {
			appendResult = func(b []byte) ([]byte, error) { return appendCallToolResult(b, r) }
		}
	case mcp.CallToolResult:
		if fastCallToolResult(&r) {
			appendResult = func(b []byte) ([]byte, error) { return appendCallToolResult(b, &r) }
		}
	case *mcp.ListToolsResult:
		if r != nil {
			appendResult = func(b []byte) ([]byte, error) { return appendListToolsResult(b, r) }
		}
	case mcp.ListToolsResult:
		appendResult = func(b []byte) ([]byte, error) { return appendListToolsResult(b, &r) }
	}
	if appendResult == nil {
		return appendMarshal(dst, msg)
	}
	start := len(dst)
	dst = append(dst, `{"jsonrpc":`...)
	dst = appendJSONString(dst, resp.JSONRPC)
	dst = append(dst, `,"id":`...)
	var err error
	if dst, err = AppendRequestID(dst, resp.ID); err != nil {
		return dst[:start], err
	}
	dst = append(dst, `,"result":`...)
	if dst, err = appendResult(dst); err != nil {
		return dst[:start], err
	}
	return append(dst, '}'), nil
}

// AppendAnswer appends msg as AppendMessage does or, for a message it
// cannot encode (one json.Marshal refuses too), logs why and appends in its
// place a JSON-RPC internal error carrying msg's id: the transport then
// still answers the request rather than leaving its client waiting.
func AppendAnswer(dst []byte, msg mcp.JSONRPCMessage, log *slog.Logger) []byte {
	out, err := AppendMessage(dst, msg)
	if err == nil {
		return out
	}
	log.Error("encoding an answer failed", "error", err.Error())
	var id mcp.RequestId
	if r, ok := msg.(mcp.JSONRPCResponse); ok {
		id = r.ID
	}
	out, _ = AppendMessage(dst, mcp.NewJSONRPCError(id, mcp.INTERNAL_ERROR, "the answer could not be encoded: "+err.Error(), nil))
	return out
}

// AppendRequestID appends id as json.Marshal writes it, the ids clients
// send (strings, integers) without reflection.
func AppendRequestID(dst []byte, id mcp.RequestId) ([]byte, error) {
	switch v := id.Value().(type) {
	case string:
		return appendJSONString(dst, v), nil
	case int64:
		return strconv.AppendInt(dst, v, 10), nil
	case int:
		return strconv.AppendInt(dst, int64(v), 10), nil
	case float64:
		// Integral and well within float64's exact integers, encoding/json
		// writes it as digits.
		// (Negative zero is written -0.)
		if v == float64(int64(v)) && math.Abs(v) < 1e15 && !(v == 0 && math.Signbit(v)) {
			return strconv.AppendInt(dst, int64(v), 10), nil
		}
	}
	return appendMarshal(dst, id)
}

func appendMarshal(dst []byte, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return dst, err
	}
	return append(dst, b...), nil
}

// fastCallToolResult reports whether appendCallToolResult encodes r: the
// multi round-trip fields, rare, are left to encoding/json.
func fastCallToolResult(r *mcp.CallToolResult) bool {
	return len(r.InputRequests) == 0 && r.RequestState == ""
}

// appendCallToolResult writes r as mcp.CallToolResult.MarshalJSON does,
// members in the order of its map's sorted keys.
func appendCallToolResult(dst []byte, r *mcp.CallToolResult) ([]byte, error) {
	dst = append(dst, '{')
	if r.Meta != nil {
		meta, err := json.Marshal(r.Meta)
		if err != nil {
			return dst, err
		}
		dst = append(dst, `"_meta":`...)
		dst = append(dst, meta...)
		dst = append(dst, ',')
	}
	dst = append(dst, `"content":[`...)
	for i, c := range r.Content {
		if i > 0 {
			dst = append(dst, ',')
		}
		if t, ok := c.(mcp.TextContent); ok && t.Annotations == nil && t.Meta == nil {
			dst = append(dst, `{"type":`...)
			dst = appendJSONString(dst, t.Type)
			dst = append(dst, `,"text":`...)
			dst = appendJSONString(dst, t.Text)
			dst = append(dst, '}')
			continue
		}
		var err error
		if dst, err = appendMarshal(dst, c); err != nil {
			return dst, err
		}
	}
	dst = append(dst, ']')
	if r.IsError {
		dst = append(dst, `,"isError":true`...)
	}
	if r.ResultType != "" {
		dst = append(dst, `,"resultType":`...)
		dst = appendJSONString(dst, string(r.ResultType))
	}
	switch checked := checkedBody(r); {
	case checked != nil:
		dst = append(dst, `,"structuredContent":`...)
		if checked.plain {
			dst = append(dst, r.RawStructuredContent...)
		} else {
			dst = appendHTMLEscaped(dst, r.RawStructuredContent)
		}
	case len(r.RawStructuredContent) > 0:
		dst = append(dst, `,"structuredContent":`...)
		var err error
		if dst, err = appendRawJSON(dst, r.RawStructuredContent); err != nil {
			return dst, fmt.Errorf("structuredContent: %w", err)
		}
	case r.StructuredContent != nil:
		dst = append(dst, `,"structuredContent":`...)
		var err error
		if dst, err = appendMarshal(dst, r.StructuredContent); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// appendListToolsResult writes r as encoding/json does: its other members
// (cursor, cache hints, _meta) by encoding/json with the tools left out,
// then each tool.
func appendListToolsResult(dst []byte, r *mcp.ListToolsResult) ([]byte, error) {
	rest := *r
	rest.Tools = nil
	head, err := json.Marshal(rest)
	if err != nil {
		return dst, err
	}
	// Tools is the struct's last field, so its member ends the object.
	const nilTools = `"tools":null}`
	if !bytes.HasSuffix(head, []byte(nilTools)) {
		return appendMarshal(dst, r)
	}
	dst = append(dst, head[:len(head)-len("null}")]...)
	if r.Tools == nil {
		return append(dst, "null}"...), nil
	}
	dst = append(dst, '[')
	for i := range r.Tools {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = appendTool(dst, &r.Tools[i]); err != nil {
			return dst, err
		}
	}
	return append(dst, "]}"...), nil
}

// appendTool writes t as mcp.Tool.MarshalJSON does, members in the order of
// its map's sorted keys, when its schemas are raw JSON as ours are.
func appendTool(dst []byte, t *mcp.Tool) ([]byte, error) {
	if t.RawInputSchema == nil || t.InputSchema.Type != "" || t.OutputSchema.Type != "" {
		return appendMarshal(dst, t)
	}
	dst = append(dst, '{')
	small := func(key string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		dst = append(dst, '"')
		dst = append(dst, key...)
		dst = append(dst, `":`...)
		dst = append(dst, b...)
		dst = append(dst, ',')
		return nil
	}
	if t.Meta != nil {
		if err := small("_meta", t.Meta); err != nil {
			return dst, err
		}
	}
	if err := small("annotations", t.Annotations); err != nil {
		return dst, err
	}
	if t.DeferLoading {
		dst = append(dst, `"defer_loading":true,`...)
	}
	if t.Description != "" {
		dst = append(dst, `"description":`...)
		dst = appendJSONString(dst, t.Description)
		dst = append(dst, ',')
	}
	if t.Execution != nil {
		if err := small("execution", t.Execution); err != nil {
			return dst, err
		}
	}
	if t.Icons != nil {
		if err := small("icons", t.Icons); err != nil {
			return dst, err
		}
	}
	dst = append(dst, `"inputSchema":`...)
	var err error
	if dst, err = appendRawJSON(dst, t.RawInputSchema); err != nil {
		return dst, fmt.Errorf("tool %s: inputSchema: %w", t.Name, err)
	}
	dst = append(dst, `,"name":`...)
	dst = appendJSONString(dst, t.Name)
	if t.RawOutputSchema != nil {
		dst = append(dst, `,"outputSchema":`...)
		if dst, err = appendRawJSON(dst, t.RawOutputSchema); err != nil {
			return dst, fmt.Errorf("tool %s: outputSchema: %w", t.Name, err)
		}
	}
	if t.Title != "" {
		dst = append(dst, `,"title":`...)
		dst = appendJSONString(dst, t.Title)
	}
	return append(dst, '}'), nil
}

// appendRawJSON writes raw JSON as encoding/json writes a json.RawMessage
// inside a value: checked, compacted, with <, >, & and U+2028/U+2029 in its
// strings escaped. Those five can occur only inside strings of valid JSON.
func appendRawJSON(dst, raw []byte) ([]byte, error) {
	valid, compact := scanJSON(raw)
	if !valid {
		return dst, fmt.Errorf("not valid JSON")
	}
	if !compact {
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return dst, err
		}
		raw = buf.Bytes()
	}
	return appendHTMLEscaped(dst, raw), nil
}

// appendHTMLEscaped writes valid, compact JSON with <, >, & and U+2028 and
// U+2029 escaped, as encoding/json writes them.
func appendHTMLEscaped(dst, raw []byte) []byte {
	start := 0
	for i := 0; i < len(raw); i++ {
		for i < len(raw) && !rawEscaped[raw[i]] {
			i++
		}
		if i == len(raw) {
			break
		}
		var esc string
		switch c := raw[i]; c {
		case '<':
			esc = `\u003c`
		case '>':
			esc = `\u003e`
		case '&':
			esc = `\u0026`
		case 0xE2:
			if i+2 < len(raw) && raw[i+1] == 0x80 && (raw[i+2] == 0xA8 || raw[i+2] == 0xA9) {
				dst = append(dst, raw[start:i]...)
				dst = append(dst, `\u202`...)
				dst = append(dst, hexDigits[raw[i+2]&0xF])
				i += 2
				start = i + 1
			}
			continue
		default:
			continue
		}
		dst = append(dst, raw[start:i]...)
		dst = append(dst, esc...)
		start = i + 1
	}
	return append(dst, raw[start:]...)
}

const hexDigits = "0123456789abcdef"

// plainByte marks the ASCII bytes encoding/json writes inside a string as
// they are (with HTML escaping, its default): not a control character,
// quote, backslash, <, > or &.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendJSONString writes s as a JSON string exactly as encoding/json does
// by default: HTML-sensitive characters, U+2028 and U+2029 escaped, invalid
// UTF-8 replaced by U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		for i < len(s) && plainByte[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// maxJSONDepth is encoding/json's nesting limit, which scanJSON applies too.
const maxJSONDepth = 10000

// strClass classifies the bytes inside a JSON string: 0 for those held as
// they are and that encoding/json writes as they are; strHTML for those it
// holds as they are but escapes (<, >, & and the lead byte of U+2028 and
// U+2029); strStop for the quote, the backslash and control characters.
// Bytes of multi-byte UTF-8 sequences are held as they are: like
// encoding/json, scanJSON leaves UTF-8 alone.
var strClass = func() (t [256]byte) {
	for c := 0; c < 0x20; c++ {
		t[c] = strStop
	}
	t['"'], t['\\'] = strStop, strStop
	t['<'], t['>'], t['&'], t[0xE2] = strHTML, strHTML, strHTML, strHTML
	return t
}()

const (
	strHTML = 1
	strStop = 2
)

// rawEscaped marks the bytes appendRawJSON may have to rewrite: <, >, &
// and the lead byte of U+2028 and U+2029.
var rawEscaped = func() (t [256]bool) {
	t['<'], t['>'], t['&'], t[0xE2] = true, true, true, true
	return t
}()

// jsonScanner is the state of scanJSON.
type jsonScanner struct {
	b       []byte
	i       int
	compact bool
	html    bool // a string holds a byte of class strHTML
}

func (s *jsonScanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.compact = false
			s.i++
		default:
			return
		}
	}
}

// str reads a string, at its opening quote.
func (s *jsonScanner) str() bool {
	b, i := s.b, s.i+1
	for {
		for i < len(b) && strClass[b[i]] != strStop {
			if strClass[b[i]] == strHTML {
				s.html = true
			}
			i++
		}
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case '"':
			s.i = i + 1
			return true
		case '\\':
			if i+1 >= len(b) {
				return false
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) {
					return false
				}
				for _, h := range b[i+2 : i+6] {
					if !isHex(h) {
						return false
					}
				}
				i += 6
			default:
				return false
			}
		default: // a control character
			return false
		}
	}
}

// key reads an object member's name and colon, spaces before it skipped.
func (s *jsonScanner) key() bool {
	if s.i >= len(s.b) || s.b[s.i] != '"' || !s.str() {
		return false
	}
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != ':' {
		return false
	}
	s.i++
	return true
}

func (s *jsonScanner) digits() bool {
	start := s.i
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		s.i++
	}
	return s.i > start
}

func (s *jsonScanner) num() bool {
	if s.b[s.i] == '-' {
		s.i++
	}
	switch {
	case s.i < len(s.b) && s.b[s.i] == '0':
		s.i++
	case s.i < len(s.b) && s.b[s.i] >= '1' && s.b[s.i] <= '9':
		s.digits()
	default:
		return false
	}
	if s.i < len(s.b) && s.b[s.i] == '.' {
		s.i++
		if !s.digits() {
			return false
		}
	}
	if s.i < len(s.b) && (s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		s.i++
		if s.i < len(s.b) && (s.b[s.i] == '+' || s.b[s.i] == '-') {
			s.i++
		}
		if !s.digits() {
			return false
		}
	}
	return true
}

func (s *jsonScanner) lit(word string) bool {
	if len(s.b)-s.i < len(word) || string(s.b[s.i:s.i+len(word)]) != word {
		return false
	}
	s.i += len(word)
	return true
}

// scanJSON reports whether b is one valid JSON value, as json.Valid does,
// and whether it is compact (no whitespace outside strings), in one pass
// several times faster than encoding/json's scanner. Like json.Valid, it
// does not check that strings are valid UTF-8.
func scanJSON(b []byte) (valid, compact bool) {
	valid, compact, _ = scanJSONFlags(b)
	return valid, compact
}

// scanJSONFlags is scanJSON, also reporting whether a string of b holds a
// byte encoding/json would escape when writing b as a json.RawMessage.
func scanJSONFlags(b []byte) (valid, compact, html bool) {
	var stackBuf [32]byte
	stack := stackBuf[:0]
	s := jsonScanner{b: b, compact: true}
	for {
		// A value.
		s.ws()
		if s.i >= len(b) {
			return false, s.compact, s.html
		}
		ok := true
		switch c := b[s.i]; {
		case c == '{' || c == '[':
			s.i++
			s.ws()
			closer := byte('}')
			if c == '[' {
				closer = ']'
			}
			if s.i < len(b) && b[s.i] == closer {
				s.i++
				break
			}
			if len(stack) >= maxJSONDepth {
				return false, s.compact, s.html
			}
			stack = append(stack, c)
			if c == '{' && !s.key() {
				return false, s.compact, s.html
			}
			continue
		case c == '"':
			ok = s.str()
		case c == '-' || (c >= '0' && c <= '9'):
			ok = s.num()
		case c == 't':
			ok = s.lit("true")
		case c == 'f':
			ok = s.lit("false")
		case c == 'n':
			ok = s.lit("null")
		default:
			ok = false
		}
		if !ok {
			return false, s.compact, s.html
		}
		// After a value: close containers until a comma starts the next.
	after:
		for {
			s.ws()
			if len(stack) == 0 {
				return s.i == len(b), s.compact, s.html
			}
			if s.i >= len(b) {
				return false, s.compact, s.html
			}
			top, c := stack[len(stack)-1], b[s.i]
			s.i++
			switch {
			case c == ',':
				if top == '{' {
					s.ws()
					if !s.key() {
						return false, s.compact, s.html
					}
				}
				break after
			case (top == '{' && c == '}') || (top == '[' && c == ']'):
				stack = stack[:len(stack)-1]
			default:
				return false, s.compact, s.html
			}
		}
	}
}

// RequestHead reads the top-level id and method of a JSON-RPC message
// without decoding the rest of it (a tool call's arguments can be
// megabytes): what json.Unmarshal gives into a struct of an id
// json.RawMessage and a method string. ok is false when line is not a
// valid JSON object, and when a top-level key or the method is written
// with escapes or the method is not a string: the caller then decodes the
// message itself.
func RequestHead(line []byte) (id json.RawMessage, method string, ok bool) {
	if valid, _ := scanJSON(line); !valid {
		return nil, "", false
	}
	ok = true
	topMembers(line, func(key, val []byte) bool {
		// encoding/json matches keys to fields ignoring case, and decodes
		// escapes and invalid UTF-8: such keys and methods are left to it.
		switch {
		case !plainASCII(key):
			ok = false
		case string(key) == "id":
			id = val
		case string(key) == "method":
			if len(val) < 2 || val[0] != '"' || !plainASCII(val[1:len(val)-1]) {
				ok = false
			} else {
				method = string(val[1 : len(val)-1])
			}
		case bytes.EqualFold(key, []byte("id")) || bytes.EqualFold(key, []byte("method")):
			ok = false
		}
		return ok
	})
	if !ok || (len(line) > 0 && firstNonSpace(line) != '{') {
		return nil, "", false
	}
	return id, method, true
}

// plainASCII reports whether b is printable ASCII without quotes or
// backslashes, which JSON decoding leaves as it is.
func plainASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// toolNameOf reads params.name of a tools/call message as RequestHead
// reads its method: name is nil when the message is not a tools/call or
// names no tool, and ok false when the message is left to decoding.
func toolNameOf(line []byte) (name *string, ok bool) {
	_, method, ok := RequestHead(line)
	if !ok || method != string(mcp.MethodToolsCall) {
		return nil, ok
	}
	var params []byte
	topMembers(line, func(key, val []byte) bool {
		switch {
		case string(key) == "params":
			params = val
		case bytes.EqualFold(key, []byte("params")):
			ok = false
		}
		return ok
	})
	if !ok || len(params) == 0 || params[0] != '{' {
		return nil, ok
	}
	topMembers(params, func(key, val []byte) bool {
		switch {
		case !plainASCII(key) || (bytes.EqualFold(key, []byte("name")) && string(key) != "name"):
			ok = false
		case string(key) == "name":
			if len(val) < 2 || val[0] != '"' || !plainASCII(val[1:len(val)-1]) {
				ok = false
			} else {
				n := string(val[1 : len(val)-1])
				name = &n
			}
		}
		return ok
	})
	if !ok {
		return nil, false
	}
	return name, true
}

func firstNonSpace(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r':
		default:
			return c
		}
	}
	return 0
}

// topMembers calls f with the key (its bytes between the quotes, undecoded)
// and raw value of each top-level member of obj, a valid JSON object,
// until f returns false.
func topMembers(obj []byte, f func(key, val []byte) bool) {
	s := jsonScanner{b: obj}
	s.ws()
	if s.i >= len(obj) || obj[s.i] != '{' {
		return
	}
	s.i++
	for {
		s.ws()
		if s.i >= len(obj) || obj[s.i] != '"' {
			return
		}
		start := s.i
		s.str()
		key := obj[start+1 : s.i-1]
		s.ws()
		s.i++ // the colon
		s.ws()
		start = s.i
		s.skipValue()
		if !f(key, obj[start:s.i]) {
			return
		}
		s.ws()
		if s.i >= len(obj) || obj[s.i] != ',' {
			return
		}
		s.i++
	}
}

// skipValue moves past one value of valid JSON.
func (s *jsonScanner) skipValue() {
	depth := 0
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '"':
			s.str()
			if depth == 0 {
				return
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 { // the end of the object holding a number or literal
				return
			}
			if depth--; depth == 0 {
				s.i++
				return
			}
		case ',', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return
			}
		}
		s.i++
	}
}
