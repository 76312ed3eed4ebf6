package lossless

import (
	"encoding/json"
	"reflect"
	"testing"
)

type lossInner struct {
	ID    *int64                     `json:"id,omitzero"`
	Tags  map[string]string          `json:"tags,omitzero"`
	Extra map[string]json.RawMessage `json:"-"`
}

type lossOuter struct {
	Name   *string                    `json:"name,omitzero"`
	Count  int                        `json:"count"`
	Inner  *lossInner                 `json:"inner,omitzero"`
	Value  lossInner                  `json:"value"`
	Items  []lossInner                `json:"items,omitzero"`
	Labels []string                   `json:"labels,omitzero"`
	Extra  map[string]json.RawMessage `json:"-"`
}

func (v *lossInner) UnmarshalJSON(b []byte) error {
	type plain lossInner
	return Decode(b, (*plain)(v), &v.Extra)
}
func (v lossInner) MarshalJSON() ([]byte, error) {
	type plain lossInner
	return Encode(plain(v), v.Extra)
}
func (v *lossOuter) UnmarshalJSON(b []byte) error {
	type plain lossOuter
	return Decode(b, (*plain)(v), &v.Extra)
}
func (v lossOuter) MarshalJSON() ([]byte, error) {
	type plain lossOuter
	return Encode(plain(v), v.Extra)
}

func roundTrip(t *testing.T, in string) (lossOuter, string) {
	t.Helper()
	var v lossOuter
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatalf("decode %s: %v", in, err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return v, string(out)
}

func TestLosslessRoundTrip(t *testing.T) {
	cases := []struct{ name, in, out string }{
		{"known fields only",
			`{"name":"n","count":2,"value":{}}`,
			`{"name":"n","count":2,"value":{}}`},
		{"unknown members kept at every level, sorted after the fields",
			`{"zeta":1,"inner":{"id":9007199254740993,"new_in":"x"},"alpha":{"deep":[1,{"b":2}]},"count":0,"value":{"later":true},"items":[{"id":1,"u":null}]}`,
			`{"count":0,"inner":{"id":9007199254740993,"new_in":"x"},"value":{"later":true},"items":[{"id":1,"u":null}],"alpha":{"deep":[1,{"b":2}]},"zeta":1}`},
		{"empty objects and arrays kept",
			`{"count":1,"value":{"tags":{}},"items":[],"labels":[],"e_obj":{},"e_arr":[]}`,
			`{"count":1,"value":{"tags":{}},"items":[],"labels":[],"e_arr":[],"e_obj":{}}`},
		{"null known fields drop, null unknown members stay",
			`{"name":null,"count":3,"inner":null,"value":null,"items":null,"mystery":null}`,
			`{"count":3,"value":{},"mystery":null}`},
		// Numbers keep their text; json.Marshal escapes <>& in whatever
		// a MarshalJSON returns, which changes no value.
		{"unknown values keep their text, whitespace and HTML escaping aside",
			`{"count":1,"value":{},"n":1.50,"big":123456789012345678901234567890,"s":"\u00e9<>&"}`,
			`{"count":1,"value":{},"big":123456789012345678901234567890,"n":1.50,"s":"\u00e9\u003c\u003e\u0026"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, out := roundTrip(t, tc.in)
			if out != tc.out {
				t.Errorf("round trip\n got %s\nwant %s", out, tc.out)
			}
			// A second trip changes nothing.
			if _, again := roundTrip(t, out); again != out {
				t.Errorf("second trip\n got %s\nwant %s", again, out)
			}
		})
	}
}

func TestLosslessDecodesIntoFields(t *testing.T) {
	v, _ := roundTrip(t, `{"name":"n","count":7,"inner":{"id":9007199254740993},"value":{"id":1},"x":true}`)
	if v.Name == nil || *v.Name != "n" || v.Count != 7 || v.Inner == nil || *v.Inner.ID != 9007199254740993 || *v.Value.ID != 1 {
		t.Errorf("fields not filled: %+v", v)
	}
	if len(v.Extra) != 1 || string(v.Extra["x"]) != "true" {
		t.Errorf("Extra = %v, want only x", v.Extra)
	}
	if v.Inner.Extra != nil {
		t.Errorf("inner Extra = %v, want nil when nothing is unknown", v.Inner.Extra)
	}
}

func TestLosslessCaseInsensitiveNames(t *testing.T) {
	// encoding/json fills Name from "NAME"; the member must not also be
	// kept in Extra, or it would be written twice.
	v, out := roundTrip(t, `{"NAME":"n","count":1,"value":{}}`)
	if v.Name == nil || *v.Name != "n" || len(v.Extra) != 0 {
		t.Errorf("decoded %+v", v)
	}
	if out != `{"name":"n","count":1,"value":{}}` {
		t.Errorf("encoded %s", out)
	}
}

func TestLosslessNullKeepsValue(t *testing.T) {
	v := lossOuter{Name: ptr("keep"), Extra: map[string]json.RawMessage{"k": json.RawMessage(`1`)}}
	if err := json.Unmarshal([]byte(`null`), &v); err != nil {
		t.Fatal(err)
	}
	if v.Name == nil || *v.Name != "keep" || string(v.Extra["k"]) != "1" {
		t.Errorf("null changed the value: %+v", v)
	}
}

func TestLosslessEncodeRules(t *testing.T) {
	v := lossOuter{Count: 1, Extra: map[string]json.RawMessage{
		"name":  json.RawMessage(`"from extra"`), // a field's name: the field decides
		"empty": nil,                             // no bytes: nothing to write
		"b":     json.RawMessage(" [ 1 ,\n 2 ] "),
		"a":     json.RawMessage(`{"x" : 1}`),
	}}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"count":1,"value":{},"a":{"x":1},"b":[1,2]}`; string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
	v.Extra = map[string]json.RawMessage{"bad": json.RawMessage(`{nope`)}
	if _, err := json.Marshal(v); err == nil {
		t.Error("invalid Extra JSON: no error")
	}
	var w lossOuter
	if err := json.Unmarshal([]byte(`{"count":"x"}`), &w); err == nil {
		t.Error("wrong type: no error")
	}
	if err := json.Unmarshal([]byte(`[1]`), &w); err == nil {
		t.Error("array into struct: no error")
	}
}

func TestLosslessEmbeddedFieldsAreKnown(t *testing.T) {
	type base struct {
		A string `json:"a"`
	}
	type withEmbedded struct {
		base
		B     string `json:"b"`
		skip  string
		Skip  string `json:"-"`
		Extra map[string]json.RawMessage
	}
	keys := knownKeys(reflectTypeOf[withEmbedded]())
	for _, k := range []string{"a", "b", "Extra"} {
		if !keys.has(k) {
			t.Errorf("%q not known", k)
		}
	}
	for _, k := range []string{"skip", "Skip", "-", "base"} {
		if keys.has(k) {
			t.Errorf("%q wrongly known", k)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func reflectTypeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }
