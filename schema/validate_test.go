package schema

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

type keywordCase struct {
	schema string
	args   string
	want   []string // substrings, one problem each, in order; nil: valid
}

// keywordCases exercise every keyword of the enforced table, with the
// message a model gets for each.
var keywordCases = []keywordCase{
	// oneOf: exactly one alternative.
	{`{"oneOf":[{"type":"string"},{"type":"integer"}]}`, `"x"`, nil},
	{`{"oneOf":[{"type":"string"},{"type":"integer"}]}`, `true`, []string{"expected a string or an integer, got boolean true"}},
	{`{"oneOf":[{"type":"number"},{"type":"integer"}]}`, `2`, []string{"fits form 1 (a number) and form 2 (an integer), but must fit exactly one"}},
	{`{"oneOf":[{"type":"object","required":["a"],"description":"By name. More."},{"type":"object","required":["b"]}]}`, `{"a":1,"b":2}`,
		[]string{"fits form 1 (By name) and form 2 (an object with b), but must fit exactly one"}},
	{`{"oneOf":[{"type":"object","required":["a"]},{"type":"object","required":["b"]}]}`, `{"b":2}`, nil},
	{`{"oneOf":[{"type":"object","required":["a"]},{"type":"string","minLength":3}]}`, `"ab"`, []string{"must be at least 3 characters long"}},
	// anyOf: at least one.
	{`{"anyOf":[{"type":"number"},{"type":"integer"}]}`, `2`, nil},
	{`{"anyOf":[{"type":"string"},{"type":"boolean"},{"type":"number"}]}`, `[1]`, []string{"expected a string or a boolean or a number, got an array"}},
	// allOf: all of them.
	{`{"allOf":[{"type":"integer"},{"minimum":3}]}`, `2`, []string{"must be at least 3, got 2"}},
	{`{"allOf":[{"type":"integer"},{"minimum":3}]}`, `4`, nil},
	// const and enum compare JSON values, numbers by value.
	{`{"const":"PHOTON"}`, `"PHOTON"`, nil},
	{`{"const":"PHOTON"}`, `"photon"`, []string{`must be "PHOTON", got string "photon"`}},
	{`{"const":{"a":[1,2]}}`, `{"a":[1.0,2e0]}`, nil},
	{`{"enum":[1,"a",null]}`, `1.0`, nil},
	{`{"enum":[1,"a",null]}`, `2`, []string{`number 2 is not an allowed value; allowed values: 1, "a", null`}},
	// pattern: unanchored, like JSON Schema.
	{`{"type":"string","pattern":"^[a-z][a-z0-9-]*$"}`, `"my-scope"`, nil},
	{`{"type":"string","pattern":"^[a-z][a-z0-9-]*$"}`, `"My Scope"`, []string{`must match the regular expression ^[a-z][a-z0-9-]*$, got string "My Scope"`}},
	{`{"type":"string","pattern":"x"}`, `"axb"`, nil},
	// format.
	{`{"type":"string","format":"date-time"}`, `"2024-05-01T12:30:00.5+02:00"`, nil},
	{`{"type":"string","format":"date-time"}`, `"2024-05-01t12:30:00z"`, nil},
	{`{"type":"string","format":"date-time"}`, `"2024-05-01 12:30"`, []string{`must be a date-time as RFC 3339 writes it, e.g. "2024-05-01T12:30:00Z", got string "2024-05-01 12:30"`}},
	{`{"type":"string","format":"date"}`, `"2024-02-30"`, []string{"must be a date"}},
	{`{"type":"string","format":"date"}`, `"2024-02-29"`, nil},
	{`{"type":"string","format":"email"}`, `"a.b@example.com"`, nil},
	{`{"type":"string","format":"email"}`, `"Ann <a@example.com>"`, []string{"must be an email address"}},
	{`{"type":"string","format":"uri"}`, `"https://adb-1.azuredatabricks.net/x?y=1"`, nil},
	{`{"type":"string","format":"uri"}`, `"/relative/path"`, []string{"must be an absolute URI"}},
	{`{"type":"string","format":"uuid"}`, `"123e4567-E89B-12d3-a456-426614174000"`, nil},
	{`{"type":"string","format":"uuid"}`, `"123e4567e89b12d3a456426614174000"`, []string{"must be a UUID"}},
	{`{"type":"string","format":"ipv4"}`, `"10.0.0.1"`, nil},
	{`{"type":"string","format":"ipv4"}`, `"010.0.0.1"`, []string{"must be an IPv4 address"}},
	{`{"type":"string","format":"ipv6"}`, `"fd00::1"`, nil},
	{`{"type":"string","format":"ipv6"}`, `"10.0.0.1"`, []string{"must be an IPv6 address"}},
	{`{"type":"integer","format":"int32"}`, `2147483648`, []string{"must be an integer from -2147483648 to 2147483647, got 2147483648"}},
	{`{"type":"integer","format":"int64"}`, `-9223372036854775808`, nil},
	{`{"format":"date"}`, `12`, nil}, // formats apply to their type only
	{`{"type":"string","contentEncoding":"base64"}`, `"aGVsbG8="`, nil},
	{`{"type":"string","contentEncoding":"base64"}`, `"hello!"`, []string{"must be base64-encoded"}},
	// arrays.
	{`{"type":"array","items":{"type":"string"},"minItems":1}`, `[]`, []string{"must have at least 1 item, got 0"}},
	{`{"type":"array","items":{"type":"string"},"maxItems":2}`, `["a","b","c"]`, []string{"must have at most 2 items, got 3"}},
	{`{"type":"array","items":{"type":"string"},"maxItems":2}`, `["a","b"]`, nil},
	{`{"type":"array","uniqueItems":true}`, `[1,{"a":1,"b":[2]},"x",{"b":[2.0],"a":1}]`, []string{"items [1] and [3] are equal; each item must be different"}},
	{`{"type":"array","uniqueItems":true}`, `[1,"1",[1],{"1":1}]`, nil},
	{`{"type":"array","uniqueItems":true}`, `[1,1e0]`, []string{"items [0] and [1] are equal"}},
	// objects.
	{`{"type":"object","minProperties":1}`, `{}`, []string{"must have at least 1 property, got 0"}},
	{`{"type":"object","maxProperties":1}`, `{"a":1,"b":2}`, []string{"must have at most 1 property, got 2"}},
	// numbers, compared exactly.
	{`{"type":"number","maximum":1}`, `1.0000000000000000001`, []string{"must be at most 1, got 1.0000000000000000001"}},
	{`{"type":"number","minimum":-1.5}`, `-1.5`, nil},
	{`{"type":"number","exclusiveMinimum":0}`, `0`, []string{"must be greater than 0, got 0"}},
	{`{"type":"number","exclusiveMinimum":0}`, `1e-300`, nil},
	{`{"type":"number","exclusiveMaximum":10}`, `10.0`, []string{"must be less than 10, got 10.0"}},
	{`{"type":"number","multipleOf":0.1}`, `0.3`, nil},
	{`{"type":"number","multipleOf":0.1}`, `0.35`, []string{"must be a multiple of 0.1, got 0.35"}},
	{`{"type":"integer","multipleOf":60}`, `120`, nil},
	{`{"type":"integer","multipleOf":60}`, `90`, []string{"must be a multiple of 60, got 90"}},
	{`{"multipleOf":3}`, `1e999999999`, []string{"must be a multiple of 3"}},
	{`{"multipleOf":0.01}`, `1e300`, nil},
	{`{"multipleOf":7}`, `1e-999999999`, []string{"must be a multiple of 7"}},
	// $ref and $defs, recursive.
	{treeSchema, `{"name":"a","children":[{"name":"b","children":[{"name":"c"}]}]}`, nil},
	{treeSchema, `{"name":"a","children":[{"name":"b","children":[{"nme":"c"}]}]}`,
		[]string{`children[0].children[0].name: required property is missing (a string)`, `children[0].children[0].nme: unknown property (did you mean "name"?)`}},
	{`{"type":"object","properties":{"next":{"$ref":"#"}},"additionalProperties":false}`, `{"next":{"next":{"x":1}}}`, []string{"next.next.x: unknown property"}},
	{`{"$defs":{"id":{"type":"integer","minimum":1}},"type":"object","properties":{"a":{"$ref":"#/$defs/id","description":"A."},"b":{"$ref":"#/$defs/id"}},"required":["a"]}`,
		`{"b":0}`, []string{"a: required property is missing (an integer)", "b: must be at least 1, got 0"}},
	// writeOnly values are never quoted, nor anything inside them.
	{`{"type":"string","writeOnly":true,"pattern":"^dapi"}`, `"hunter2"`, []string{"must match the regular expression ^dapi (value not shown)"}},
	{`{"type":"string","writeOnly":true,"format":"uuid"}`, `"hunter2"`, []string{"must be a UUID, e.g. \"123e4567-e89b-12d3-a456-426614174000\" (value not shown)"}},
	{`{"writeOnly":true,"const":"x"}`, `"hunter2"`, []string{"must be \"x\", got a string (value not shown)"}},
	{`{"type":"integer","writeOnly":true,"maximum":10}`, `424242`, []string{"must be at most 10 (value not shown)"}},
	{`{"type":"object","writeOnly":true,"properties":{"k":{"type":"integer"}}}`, `{"k":"hunter2"}`, []string{"k: expected an integer, got a string (value not shown)"}},
	{`{"type":"object","properties":{"s":{"$ref":"#/$defs/s","writeOnly":true}},"$defs":{"s":{"enum":["a"]}}}`, `{"s":"hunter2"}`, []string{"s: a string (value not shown) is not an allowed value"}},
}

const treeSchema = `{"$ref":"#/$defs/node","$defs":{"node":{"type":"object","properties":{` +
	`"name":{"type":"string"},"children":{"type":"array","items":{"$ref":"#/$defs/node"}}},` +
	`"required":["name"],"additionalProperties":false}}}`

func TestValidateKeywords(t *testing.T) {
	for _, c := range keywordCases {
		v, err := NewValidator(json.RawMessage(c.schema))
		if err != nil {
			t.Errorf("%s: %v", c.schema, err)
			continue
		}
		got := v.Validate(json.RawMessage(c.args))
		if len(got) != len(c.want) {
			t.Errorf("%s with %s: got %d problems %v, want %d %v", c.schema, c.args, len(got), got, len(c.want), c.want)
			continue
		}
		for i, w := range c.want {
			if !strings.Contains(got[i].String(), w) {
				t.Errorf("%s with %s: problem %d = %q, want it to contain %q", c.schema, c.args, i, got[i], w)
			}
			if strings.Contains(got[i].String(), "hunter2") || strings.Contains(got[i].String(), "424242") {
				t.Errorf("%s with %s: problem %q quotes a writeOnly value", c.schema, c.args, got[i])
			}
		}
	}
}

// TestValidateAgreesWithReference runs the keyword cases through
// santhosh-tekuri/jsonschema, a complete 2020-12 implementation: whatever
// our validator accepts or refuses, it must too. (The cases avoid where we
// differ on purpose: integers written 3.0, non-float64 numbers, and
// formats, which it reads a little more loosely.)
func TestValidateAgreesWithReference(t *testing.T) {
	for _, c := range keywordCases {
		if strings.Contains(c.schema, `"format"`) || strings.Contains(c.schema, "contentEncoding") || strings.Contains(c.args, "999999999") {
			continue
		}
		ref := referenceSchema(t, c.schema)
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(c.args))
		if err != nil {
			t.Fatal(err)
		}
		refOK := ref.Validate(inst) == nil
		if ours := c.want == nil; ours != refOK {
			t.Errorf("%s with %s: we accept: %v, the reference accepts: %v", c.schema, c.args, ours, refOK)
		}
	}
}

func referenceSchema(t testing.TB, schema string) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(schema))
	if err != nil {
		t.Fatal(err)
	}
	comp := jsonschema.NewCompiler()
	if err := comp.AddResource("s.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := comp.Compile("s.json")
	if err != nil {
		t.Fatalf("%s: %v", schema, err)
	}
	return s
}

// referenceProbe is one schema with every enforced keyword but format and
// contentEncoding, for FuzzValidateAgreesWithReference.
const referenceProbe = `{"$defs":{"item":{"type":"object","properties":{"id":{"type":"number","exclusiveMinimum":0,"multipleOf":0.5},` +
	`"kind":{"oneOf":[{"const":"a"},{"enum":["b","c"]},{"type":"number","maximum":3}]},"next":{"$ref":"#/$defs/item"}},` +
	`"required":["id"],"additionalProperties":false,"maxProperties":2}},` +
	`"type":"object","properties":{"items":{"type":"array","items":{"$ref":"#/$defs/item"},"minItems":1,"maxItems":3,"uniqueItems":true},` +
	`"name":{"type":"string","pattern":"^[a-z]{2,}$","minLength":3,"maxLength":5},"any":{"anyOf":[{"type":"boolean"},{"type":"null"}]},` +
	`"all":{"allOf":[{"type":"number","minimum":-2},{"maximum":2}]}},"minProperties":1,"additionalProperties":{"type":"string"}}`

// FuzzValidateAgreesWithReference checks, for any JSON value, that our
// validator and santhosh-tekuri/jsonschema agree on whether it is valid
// against a schema using every enforced keyword. Run it with:
//
//	go test -run x -fuzz FuzzValidateAgreesWithReference -fuzztime 60s ./schema/
func FuzzValidateAgreesWithReference(f *testing.F) {
	v, err := NewValidator(json.RawMessage(referenceProbe))
	if err != nil {
		f.Fatal(err)
	}
	ref := referenceSchema(f, referenceProbe)
	for _, seed := range []string{
		`{"name":"abc"}`, `{"name":"ab"}`, `{"name":"abcdef"}`, `{"name":"ab1"}`, `{}`, `{"x":"y"}`, `{"x":1}`,
		`{"items":[{"id":1.5,"kind":"a"}]}`, `{"items":[{"id":1,"kind":2},{"id":1.0,"kind":2}]}`,
		`{"items":[{"id":0.5,"next":{"id":1,"next":{"id":1.25}}}]}`, `{"items":[{"id":1,"kind":"d"}]}`,
		`{"items":[]}`, `{"items":[{"id":1},{"id":2},{"id":3},{"id":4}]}`, `{"items":[{"id":1,"kind":"a","next":{"id":1}}]}`,
		`{"any":null}`, `{"any":0}`, `{"all":2.5}`, `{"all":-2}`, `{"all":"x"}`, `[]`, `"x"`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, args string) {
		if !json.Valid([]byte(args)) || !plainNumbers([]byte(args)) {
			return
		}
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(args))
		if err != nil {
			return
		}
		ours := v.Validate(json.RawMessage(args))
		refErr := ref.Validate(inst)
		if (len(ours) == 0) != (refErr == nil) {
			t.Fatalf("%s: we report %v, the reference %v", args, ours, refErr)
		}
	})
}

// plainNumbers reports whether every number in a JSON document is one both
// validators read alike: a float64, written without a huge exponent.
func plainNumbers(doc []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			return true
		}
		if n, ok := tok.(json.Number); ok {
			if len(n) > 30 || !isFinite(n) {
				return false
			}
		}
	}
}

func TestValidatorRefusesWhatItCannotEnforce(t *testing.T) {
	for _, c := range []struct{ schema, want string }{
		{`{"$ref":"#/$defs/x"}`, `$ref names "x", which $defs does not define`},
		{`{"$ref":"https://example.com/s.json"}`, "is not supported"},
		{`{"$ref":"#/properties/a"}`, "is not supported"},
		{`{"properties":{"a":{"$defs":{"x":{}}}}}`, "$defs is only supported at the root"},
		{`{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"anyOf":[{"$ref":"#/$defs/a"}]}},"$ref":"#/$defs/a"}`, "comes back to itself"},
		{`{"type":"object","patternProperties":{"^x":{}}}`, `keyword "patternProperties" is not enforced`},
		{`{"not":{"type":"string"}}`, `keyword "not" is not enforced`},
		{`{"type":"string","format":"hostname"}`, `format "hostname" is not enforced`},
		{`{"type":"string","contentEncoding":"base32"}`, "only base64 is"},
		{`{"type":"string","pattern":"^(?!x)"}`, "not a Go (RE2) regular expression"},
		{`{"type":"strng"}`, `unknown type "strng"`},
		{`{"multipleOf":0}`, "must be greater than 0"},
		{`{"items":[{"type":"string"}]}`, "tuple form"},
		{`{"anyOf":[]}`, "at least one schema"},
		{`[]`, "must be an object or a boolean"},
	} {
		_, err := NewValidator(json.RawMessage(c.schema))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.schema, err, c.want)
		}
	}
}

func TestDecimal(t *testing.T) {
	for _, c := range []struct {
		a, b string
		cmp  int
	}{
		{"1", "1.0", 0}, {"1e2", "100", 0}, {"-0", "0", 0}, {"0.0001", "1e-4", 0},
		{"0.12", "0.123", -1}, {"0.2", "0.123", 1}, {"-1", "1", -1}, {"-2", "-10", 1},
		{"1e999999999999999999", "1e400", 1}, {"123.45", "12345e-2", 0}, {"0", "-1e-400", 1},
	} {
		a, ok1 := parseDecimal(c.a)
		b, ok2 := parseDecimal(c.b)
		if !ok1 || !ok2 {
			t.Fatalf("%s or %s not parsed", c.a, c.b)
		}
		if got := a.cmp(b); got != c.cmp {
			t.Errorf("cmp(%s, %s) = %d, want %d", c.a, c.b, got, c.cmp)
		}
		if got := b.cmp(a); got != -c.cmp {
			t.Errorf("cmp(%s, %s) = %d, want %d", c.b, c.a, got, -c.cmp)
		}
	}
	for _, bad := range []string{"", "-", ".", "1e", "1x", "e5"} {
		if _, ok := parseDecimal(bad); ok {
			t.Errorf("%q parsed as a number", bad)
		}
	}
}
