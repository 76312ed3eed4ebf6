package schema

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

type color string

func (color) EnumValues() []string { return []string{"RED", "GREEN"} }

type confValue string

func (confValue) SchemaTypes() []string { return []string{"string", "boolean", "number"} }

type inner struct {
	Min   *int32                     `json:"min,omitzero" doc:"Lower bound."`
	Max   int32                      `json:"max" doc:"Upper bound."`
	Extra map[string]json.RawMessage `json:"-"`
}

type sample struct {
	ID      int64                      `json:"id" doc:"The id."`
	Name    *string                    `json:"name,omitzero" doc:"A name."`
	Color   *color                     `json:"color,omitzero" doc:"A color."`
	Range   *inner                     `json:"range,omitzero" doc:"A range."`
	Tags    map[string]string          `json:"tags,omitzero" doc:"Tags."`
	Conf    map[string]confValue       `json:"conf,omitzero" doc:"Conf."`
	List    []inner                    `json:"list,omitzero" doc:"List."`
	Payload json.RawMessage            `json:"payload,omitzero" doc:"Anything."`
	Extra   map[string]json.RawMessage `json:"-"`
}

func mustInput(t *testing.T) json.RawMessage {
	t.Helper()
	s, err := Input(reflect.TypeFor[sample]())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestInputSchemaShape(t *testing.T) {
	s := mustInput(t)
	var m map[string]any
	if err := json.Unmarshal(s, &m); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(s), "$schema") || strings.Contains(string(s), "$id") {
		t.Errorf("schema has meta keys: %s", s)
	}
	if m["type"] != "object" || m["additionalProperties"] != false {
		t.Errorf("root must be a closed object: %s", s)
	}
	if got := m["required"]; !reflect.DeepEqual(got, []any{"id"}) {
		t.Errorf("required = %v, want [id]", got)
	}
	props := m["properties"].(map[string]any)
	if _, ok := props["Extra"]; ok {
		t.Error("Extra must not be a property")
	}
	for name, p := range props {
		if p.(map[string]any)["description"] == "" || p.(map[string]any)["description"] == nil {
			t.Errorf("property %s has no description", name)
		}
	}
	if got := props["id"].(map[string]any)["type"]; got != "integer" {
		t.Errorf("int64 type = %v", got)
	}
	if got := props["color"].(map[string]any)["enum"]; !reflect.DeepEqual(got, []any{"RED", "GREEN"}) {
		t.Errorf("enum = %v", got)
	}
	conf := props["conf"].(map[string]any)["additionalProperties"].(map[string]any)
	if !reflect.DeepEqual(conf["anyOf"], []any{map[string]any{"type": "string"}, map[string]any{"type": "boolean"}, map[string]any{"type": "number"}}) {
		t.Errorf("multi-typed map values = %v", conf)
	}
	// inner is both range and the items of list: it is defined once.
	rng := props["range"].(map[string]any)
	if rng["$ref"] != "#/$defs/inner" || rng["description"] != "A range." {
		t.Errorf("range = %v, want a described reference to inner", rng)
	}
	inner, _ := m["$defs"].(map[string]any)["inner"].(map[string]any)
	if inner["additionalProperties"] != false || !reflect.DeepEqual(inner["required"], []any{"max"}) {
		t.Errorf("nested object not strict: %v", inner)
	}
}

func TestOutputSchemaIsLenient(t *testing.T) {
	s, err := Output(reflect.TypeFor[sample]())
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{`"required"`, `"additionalProperties":false`, `"enum"`, `"description"`} {
		if strings.Contains(string(s), bad) {
			t.Errorf("output schema contains %s: %s", bad, s)
		}
	}
	v, err := NewValidator(s)
	if err != nil {
		t.Fatal(err)
	}
	if p := v.Validate(json.RawMessage(`{"id": 1, "color": "BLUE", "new_field": {"x": 1}, "range": {"other": 2}}`)); len(p) != 0 {
		t.Errorf("lenient output rejected a newer response: %v", p)
	}
}

func TestValidateMessages(t *testing.T) {
	v, err := NewValidator(mustInput(t))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args string
		want []string // substrings, one problem each, in order
	}{
		{`{"id": 12345678901234567}`, nil},
		{`{"id": 3, "conf": {"a": "x", "b": true, "c": 1.5}, "payload": [1, {"z": null}]}`, nil},
		{`{"id": 3.0}`, []string{"id: expected an integer, got number 3.0"}},
		{`{"id": 1e3}`, []string{"id: expected an integer, got number 1e3"}},
		{`{"id": 9700000000000000000}`, []string{"id: expected an integer"}},
		{`{"id": 1, "conf": {"a": 1e400}}`, []string{"conf.a: expected a string or a boolean or a number, got number 1e400"}},
		{`{"id": 1}}`, []string{"nothing after it"}},
		{`{"id": 1} {}`, []string{"nothing after it"}},
		{`{}`, []string{"id: required property is missing (an integer)"}},
		{`{"id": "12"}`, []string{`id: expected an integer, got string "12"`}},
		{`{"id": 1.5}`, []string{"id: expected an integer, got number 1.5"}},
		{`{"id": 1, "color": "BLUE"}`, []string{`color: string "BLUE" is not an allowed value; allowed values: "RED", "GREEN"`}},
		{`{"id": 1, "nmae": "x"}`, []string{`nmae: unknown property (did you mean "name"?); allowed properties: id, name`}},
		{`{"id": 1, "range": {"min": "a"}}`, []string{"range.max: required property is missing", `range.min: expected an integer, got string "a"`}},
		{`{"id": 1, "list": [{"max": 1}, {"max": true}]}`, []string{"list[1].max: expected an integer, got boolean true"}},
		{`{"id": 1, "conf": {"a": [1]}}`, []string{"conf.a: expected a string or a boolean or a number, got an array"}},
		{`{"id": 1, "tags": {"a": 1}}`, []string{"tags.a: expected a string, got number 1"}},
		{`[1]`, []string{"expected an object, got an array"}},
		{`{"id": 1`, []string{"arguments are not valid JSON"}},
	}
	for _, c := range cases {
		got := v.Validate(json.RawMessage(c.args))
		if len(got) != len(c.want) {
			t.Errorf("%s: got %d problems %v, want %d %v", c.args, len(got), got, len(c.want), c.want)
			continue
		}
		for i, w := range c.want {
			if !strings.Contains(got[i].String(), w) {
				t.Errorf("%s: problem %d = %q, want it to contain %q", c.args, i, got[i], w)
			}
		}
	}
}

func TestWithProperty(t *testing.T) {
	s := mustInput(t)
	out, err := WithProperty(s, "wait_seconds", json.RawMessage(`{"type":"integer","description":"Wait."}`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"payload":{"$ref":"#/$defs/JSONValue","description":"Anything."},"wait_seconds":{"type":"integer","description":"Wait."}},"additionalProperties":false`) {
		t.Errorf("property not appended last: %s", out)
	}
	v, err := NewValidator(out)
	if err != nil {
		t.Fatal(err)
	}
	if p := v.Validate(json.RawMessage(`{"id":1,"wait_seconds":"x"}`)); len(p) != 1 || p[0].Path != "wait_seconds" {
		t.Errorf("added property not validated: %v", p)
	}
	if _, err := WithProperty(out, "id", json.RawMessage(`{}`)); err == nil {
		t.Error("a colliding property was added")
	}
}

type withSecret struct {
	Key   string                     `json:"key" doc:"Name."`
	Value *string                    `json:"value,omitzero" jsonschema:"writeOnly=true" doc:"The secret."`
	Extra map[string]json.RawMessage `json:"-"`
}

func TestSecretValuesNeverQuoted(t *testing.T) {
	s, err := Input(reflect.TypeFor[withSecret]())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(s), `"writeOnly":true`) {
		t.Fatalf("secret property not marked writeOnly: %s", s)
	}
	v, err := NewValidator(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range []string{`{"key":"k","value":424242}`, `{"key":"k","value":{"x":"424242"}}`, `{"key":424242}`} {
		p := v.Validate(json.RawMessage(args))
		if len(p) != 1 {
			t.Fatalf("%s: %v", args, p)
		}
		quoted := strings.Contains(p[0].String(), "424242")
		if wantQuoted := strings.HasPrefix(args, `{"key":4`); quoted != wantQuoted {
			t.Errorf("%s: problem %q quotes the value: %v, want %v", args, p[0], quoted, wantQuoted)
		}
	}
}

type emptyRequest struct {
	Extra map[string]json.RawMessage `json:"-"`
}

// TestEmptyObjectSchema checks that an object without fields still lists
// (empty) properties, exactly once.
func TestEmptyObjectSchema(t *testing.T) {
	for _, output := range []bool{false, true} {
		var s json.RawMessage
		var err error
		if output {
			s, err = Output(reflect.TypeFor[emptyRequest]())
		} else {
			s, err = Input(reflect.TypeFor[emptyRequest]())
		}
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(s), `"properties"`); n != 1 {
			t.Errorf("output=%v: %d properties keys in %s", output, n, s)
		}
	}
}
