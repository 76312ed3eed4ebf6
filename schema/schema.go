// Package schema derives the JSON Schemas of MCP tools from the Go request
// and response types of package client, and checks tool arguments against
// them with messages a model can act on.
//
// Input schemas are strict: every object lists its properties and rejects
// others, required fields are required, enums are closed, and nothing is
// behind a $ref. Output schemas are lenient in the ways the real API needs:
// Databricks adds fields and enum values over time, and a response that
// carries them must still validate.
package schema

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sync"

	"github.com/invopop/jsonschema"
)

// Enum is implemented by named string types whose values are a closed set.
type Enum interface {
	EnumValues() []string
}

// MultiTyped is implemented by types that accept more than one JSON type,
// such as a configuration value that may be a string, a number or a boolean.
type MultiTyped interface {
	SchemaTypes() []string
}

var (
	rawMessageType = reflect.TypeFor[json.RawMessage]()
	enumType       = reflect.TypeFor[Enum]()
	multiType      = reflect.TypeFor[MultiTyped]()
)

// mapper gives the schema of the Go types the reflector cannot know by
// their shape alone.
func mapper(t reflect.Type) *jsonschema.Schema {
	switch {
	case t == rawMessageType:
		return &jsonschema.Schema{} // any JSON value
	case t.Implements(enumType) && t.Kind() == reflect.String:
		vals := reflect.Zero(t).Interface().(Enum).EnumValues()
		enum := make([]any, len(vals))
		for i, v := range vals {
			enum[i] = v
		}
		return &jsonschema.Schema{Type: "string", Enum: enum}
	case t.Implements(multiType):
		types := reflect.Zero(t).Interface().(MultiTyped).SchemaTypes()
		return &jsonschema.Schema{Extras: map[string]any{"type": types}}
	}
	return nil
}

// docTag reads a field's description from its `doc` struct tag.
func docTag(t reflect.Type, field string) string {
	if field == "" {
		return ""
	}
	if f, ok := t.FieldByName(field); ok {
		return f.Tag.Get("doc")
	}
	return ""
}

func reflector(lenient bool) *jsonschema.Reflector {
	return &jsonschema.Reflector{
		Anonymous:                 true,
		DoNotReference:            true,
		ExpandedStruct:            true,
		AllowAdditionalProperties: lenient,
		Mapper:                    mapper,
		LookupComment:             docTag,
	}
}

var cache sync.Map // cacheKey -> json.RawMessage

type cacheKey struct {
	t      reflect.Type
	output bool
}

// Input is the JSON Schema of a tool's arguments for request type t.
func Input(t reflect.Type) (json.RawMessage, error) {
	return build(t, false)
}

// Output is the JSON Schema of a tool's structured result for response
// type t: no required properties, unknown properties allowed, enum values
// named in the description instead of enforced.
func Output(t reflect.Type) (json.RawMessage, error) {
	return build(t, true)
}

func build(t reflect.Type, output bool) (json.RawMessage, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	key := cacheKey{t, output}
	if v, ok := cache.Load(key); ok {
		return v.(json.RawMessage), nil
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("schema: %s is not a struct", t)
	}
	s := reflector(output).ReflectFromType(t)
	s.Version = ""
	if output {
		walk(s, relax)
		// Descriptions of response fields are for people reading the code;
		// models read the values. Keep tools/list small.
		walk(s, func(n *jsonschema.Schema) { n.Description = "" })
	}
	// MCP clients expect "properties" on an object schema, even an empty
	// one; a non-nil property map is always written.
	if s.Properties == nil {
		s.Properties = jsonschema.NewProperties()
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	cache.Store(key, json.RawMessage(b))
	return b, nil
}

// relax loosens one output schema node.
func relax(n *jsonschema.Schema) {
	n.Required = nil
	if n.AdditionalProperties == jsonschema.FalseSchema {
		n.AdditionalProperties = nil
	}
	if len(n.Enum) > 0 {
		n.Enum = nil
	}
	n.WriteOnly = false
}

// walk calls fn on s and every schema nested in it.
func walk(s *jsonschema.Schema, fn func(*jsonschema.Schema)) {
	if s == nil || s == jsonschema.TrueSchema || s == jsonschema.FalseSchema {
		return
	}
	fn(s)
	if s.Properties != nil {
		for p := s.Properties.Oldest(); p != nil; p = p.Next() {
			walk(p.Value, fn)
		}
	}
	walk(s.Items, fn)
	walk(s.AdditionalProperties, fn)
	for _, sub := range s.AnyOf {
		walk(sub, fn)
	}
	for _, sub := range s.OneOf {
		walk(sub, fn)
	}
	for _, sub := range s.AllOf {
		walk(sub, fn)
	}
}

// WithProperty returns object schema s with one more property, name,
// appended after the others. Tools use it for their few tool-only options.
func WithProperty(s json.RawMessage, name string, prop json.RawMessage) (json.RawMessage, error) {
	var root orderedRaw
	if err := root.UnmarshalJSON(s); err != nil {
		return nil, err
	}
	var props orderedRaw
	for i, k := range root.keys {
		if k == "properties" {
			if err := props.UnmarshalJSON(root.vals[i]); err != nil {
				return nil, err
			}
			for _, existing := range props.keys {
				if existing == name {
					return nil, fmt.Errorf("schema: property %q already exists", name)
				}
			}
			props.keys = append(props.keys, name)
			props.vals = append(props.vals, prop)
			b, err := props.MarshalJSON()
			if err != nil {
				return nil, err
			}
			root.vals[i] = b
			return root.MarshalJSON()
		}
	}
	return nil, fmt.Errorf("schema: not an object schema with properties")
}
