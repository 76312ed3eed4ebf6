package schema

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestPortabilityProblems(t *testing.T) {
	for _, c := range []struct {
		schema string
		want   []string // substrings, one problem each, in order
	}{
		{`{"type":"object","properties":{"a":{"type":"string","format":"uuid","pattern":"^x"}},"additionalProperties":false}`, nil},
		{`{"type":"object","properties":{"q":{"type":"object","additionalProperties":true,"description":"Free-form."}}}`, nil},
		{`{"$defs":{"n":{"type":"object","properties":{"next":{"$ref":"#/$defs/n"}}}},"type":"object","properties":{"n":{"$ref":"#/$defs/n","description":"N."}}}`, nil},
		{`{"type":"object","properties":{"v":{"type":["string","boolean","number"]}}}`,
			[]string{`/properties/v: "type" is an array (["string","boolean","number"]), which GPT-backed clients reject; use anyOf`}},
		{`{"type":"object","properties":{"body":{}}}`, []string{"/properties/body: the schema admits any value"}},
		{`{"type":"object","properties":{"body":{"description":"Anything."}}}`, []string{"/properties/body: the schema admits any value"}},
		{`{"type":"object","properties":{"body":true}}`, []string{"/properties/body: the boolean schema true is not portable"}},
		{`{"type":"object","properties":{"l":{"type":"array","items":true}}}`, []string{"/properties/l/items: the boolean schema true"}},
		{`{"type":"object","properties":{"l":{"type":"array"}}}`, []string{"/properties/l: an array schema needs items"}},
		{`{"type":"object","properties":{"x":{"anyOf":[{"type":"string"},{}]}}}`, []string{"/properties/x/anyOf/1: the schema admits any value"}},
		{`{"type":"object","properties":{"x":{"$ref":"https://example.com/x.json"}}}`, []string{`/properties/x: $ref "https://example.com/x.json" is not a local reference`}},
		{`{"type":"object","properties":{"x":{"$ref":"#/properties/y"},"y":{"type":"string"}}}`, []string{`/properties/x: $ref "#/properties/y" is not a local reference`}},
		{`{"type":"object","properties":{"x":{"$ref":"#/$defs/y"}}}`, []string{`/properties/x: $ref "#/$defs/y" does not resolve`}},
		{`{"$defs":{"y":{"type":"integer"}},"type":"object","properties":{"x":{"$ref":"#/$defs/y","minimum":1,"description":"X.","writeOnly":true}}}`,
			[]string{`/properties/x: keyword "minimum" beside $ref is ignored by clients that read JSON Schema draft-07`}},
		{`{"$defs":{"a":{}},"type":"object"}`, []string{"/$defs/a: the schema admits any value"}},
		{`{"type":"object","properties":{"x":{"type":"object","$defs":{"y":{"type":"string"}}}}}`, []string{"/properties/x: $defs is only supported at the root"}},
		{`{"type":"object","properties":{"x":{"type":"string","format":"hostname"}}}`, []string{`/properties/x: format "hostname" is not enforced`}},
		{`{"type":"object","properties":{"x":{"type":"string","contentEncoding":"base32"}}}`, []string{`content encoding "base32" is not enforced`}},
		{`{"type":"object","properties":{"x":{"type":"string","pattern":"(?<=a)b"}}}`, []string{"is not a Go (RE2) regular expression"}},
		{`{"type":"object","patternProperties":{"^x":{"type":"string"}},"properties":{"n":{"type":"string","nullable":true}}}`,
			[]string{`/: keyword "patternProperties" is not enforced`, `/properties/n: keyword "nullable" is not enforced`}},
		{`{"type":"object","properties":{"x":{"type":"strng"}}}`, []string{`/: schema: at /properties/x: type: unknown type "strng"`}},
		{`[]`, []string{"/: a tool schema must be a JSON object"}},
	} {
		got := PortabilityProblems(json.RawMessage(c.schema))
		if len(got) != len(c.want) {
			t.Errorf("%s: got %d problems %q, want %d %q", c.schema, len(got), got, len(c.want), c.want)
			continue
		}
		for i, w := range c.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("%s: problem %d = %q, want it to contain %q", c.schema, i, got[i], w)
			}
		}
	}
}

// TestDerivedSchemasPortable checks the schemas this package derives, for
// types using each of its mappings (enums, multi-typed values, raw JSON,
// repeated and recursive types, secrets).
func TestDerivedSchemasPortable(t *testing.T) {
	for _, typ := range []reflect.Type{
		reflect.TypeFor[sample](), reflect.TypeFor[withSecret](), reflect.TypeFor[emptyRequest](),
		reflect.TypeFor[submitJob](), reflect.TypeFor[linked](),
	} {
		for _, output := range []bool{false, true} {
			s, err := build(typ, output, "")
			if err != nil {
				t.Fatal(err)
			}
			if p := PortabilityProblems(s); len(p) > 0 {
				t.Errorf("%s output=%v: %q\n%s", typ, output, p, s)
			}
		}
	}
}

// TestRawJSONValue checks that a json.RawMessage field takes any JSON
// value, and only JSON values our validator can pass on.
func TestRawJSONValue(t *testing.T) {
	v, err := NewValidator(mustInput(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, payload := range []string{`{"a":[1,{"b":null}],"c":"d"}`, `[1,"x",[true,[null]]]`, `"x"`, `-1.5`, `false`, `null`} {
		if p := v.Validate(json.RawMessage(`{"id":1,"payload":` + payload + `}`)); len(p) > 0 {
			t.Errorf("payload %s: %v", payload, p)
		}
	}
	if p := v.Validate(json.RawMessage(`{"id":1,"payload":[1,[1e400]]}`)); len(p) != 1 || p[0].Path != "payload[1][0]" {
		t.Errorf("a number beyond float64 inside raw JSON: %v", p)
	}
}
