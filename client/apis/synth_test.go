package apis_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/internal/fixtures"
	"github.com/dbx-mcp/dbx-mcp/schema"
)

// TestSynthesizedPayloadsRoundTrip goes beyond the recorded payloads: for
// every declared request and response type it builds a payload with every
// field its schema has, an int64 beyond 2^53 wherever an integer goes, and a
// member no struct knows in every object, then decodes it into the type and
// encodes it again. Nothing may be lost or changed.
func TestSynthesizedPayloadsRoundTrip(t *testing.T) {
	checked := 0
	for _, op := range client.Operations() {
		info := op.Info()
		for _, typ := range []reflect.Type{info.Request, info.Response} {
			raw, err := schema.Input(typ) // every field, and which are required
			if err != nil {
				t.Fatal(err)
			}
			var root map[string]any
			if err := json.Unmarshal(raw, &root); err != nil {
				t.Fatal(err)
			}
			payload, err := json.Marshal(synth(root, root, 0))
			if err != nil {
				t.Fatal(err)
			}
			ptr := reflect.New(typ)
			if err := json.Unmarshal(payload, ptr.Interface()); err != nil {
				t.Errorf("%s %s: decode: %v\n%s", info.FullName(), typ, err, payload)
				continue
			}
			out, err := json.Marshal(ptr.Interface())
			if err != nil {
				t.Errorf("%s %s: encode: %v", info.FullName(), typ, err)
				continue
			}
			if diffs := fixtures.SemanticDiff(payload, out); len(diffs) > 0 {
				t.Errorf("%s %s: round trip changed the payload:\n  %s", info.FullName(), typ, strings.Join(diffs, "\n  "))
			}
			checked++
		}
	}
	if checked < 2*len(client.Operations()) {
		t.Errorf("only %d types checked", checked)
	}
}

// synth makes a value for schema node s of root: every property, and one
// unknown member in every object that is not a map.
func synth(root, s map[string]any, depth int) any {
	if ref, ok := s["$ref"].(string); ok {
		defs, _ := root["$defs"].(map[string]any)
		def, _ := defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
		if def == nil {
			return nil
		}
		return synth(root, def, depth+1)
	}
	if enum, ok := s["enum"].([]any); ok && len(enum) > 0 {
		return enum[0]
	}
	for _, k := range []string{"anyOf", "oneOf"} {
		if branches, ok := s[k].([]any); ok && len(branches) > 0 {
			b, _ := branches[0].(map[string]any)
			return synth(root, b, depth+1)
		}
	}
	switch s["type"] {
	case "object":
		props, _ := s["properties"].(map[string]any)
		out := map[string]any{}
		if len(props) == 0 {
			if ap, ok := s["additionalProperties"].(map[string]any); ok {
				out["some_key"] = synth(root, ap, depth+1)
			}
			return out
		}
		// Deep down (recursive types) only what is required goes in, so
		// the payload ends and stays whole.
		required := map[string]bool{}
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				required[r.(string)] = true
			}
		}
		for name, p := range props {
			if depth > 6 && !required[name] {
				continue
			}
			ps, _ := p.(map[string]any)
			if v := synth(root, ps, depth+1); v != nil {
				out[name] = v
			}
		}
		if depth > 6 {
			return out
		}
		out["zz_member_no_struct_knows"] = map[string]any{"kept": []any{json.Number("9007199254740993"), "as sent"}}
		return out
	case "array":
		items, _ := s["items"].(map[string]any)
		if v := synth(root, items, depth+1); v != nil {
			return []any{v}
		}
		return []any{}
	case "string":
		if s["contentEncoding"] == "base64" {
			return "aGVsbG8="
		}
		switch s["format"] {
		case "date-time":
			return "2026-12-01T12:00:00Z"
		case "uuid":
			return "123e4567-e89b-12d3-a456-426614174000"
		}
		return "text"
	case "integer":
		return json.Number("9007199254740993")
	case "number":
		return json.Number("0.50")
	case "boolean":
		return true
	}
	return nil
}
