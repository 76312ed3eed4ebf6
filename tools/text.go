package tools

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"
)

// TextTag marks a base64 member of a response whose bytes are usually text
// (an exported notebook's source): text:"base64". The tool's structured
// result keeps the API's JSON exactly; its text rendering shows that member
// decoded, as <name>_text, so a model reads the source, not base64.
const TextTag = "text"

// base64TextFields lists the JSON names of the top-level members of
// response type t tagged text:"base64".
func base64TextFields(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Tag.Get(TextTag) != "base64" {
			continue
		}
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// successWithText is success with the named base64 members shown decoded
// in the text rendering, where they decode to UTF-8 text; the structured
// content is the API's answer untouched.
func successWithText(raw json.RawMessage, fields []string) *mcp.CallToolResult {
	res := success(raw)
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return res
	}
	changed := false
	for _, f := range fields {
		var enc string
		if json.Unmarshal(m[f], &enc) != nil || enc == "" {
			continue
		}
		dec, err := base64.StdEncoding.DecodeString(enc)
		if err != nil || !utf8.Valid(dec) || bytes.IndexByte(dec, 0) >= 0 {
			continue
		}
		delete(m, f)
		m[f+"_text"], _ = json.Marshal(string(dec))
		changed = true
	}
	if !changed {
		return res
	}
	if text, err := json.Marshal(m); err == nil {
		res.Content = []mcp.Content{mcp.NewTextContent(string(text))}
	}
	return res
}
