// Package schema derives the JSON Schemas of MCP tools from the Go request
// and response types of package client, and checks tool arguments against
// them with messages a model can act on.
//
// Input schemas are strict: every object lists its properties and rejects
// others, required fields are required, and enums are closed. Output
// schemas are lenient in the ways the real API needs: Databricks adds
// fields and enum values over time, and a response that carries them must
// still validate. In both, a struct type used more than once in one
// schema, or recursively, is defined once in the schema's root $defs and
// referenced locally; every other type is written where it is used. No
// schema has a type array or admits anything ({}): PortabilityProblems
// says why.
package schema

import (
	"encoding/json"
	"fmt"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
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
// their shape alone. It writes no type arrays and no empty schemas, which
// some clients (GPT-backed ones among them) reject: several types are an
// anyOf of one-type schemas, and any JSON value is the JSONValue
// definition, which says what a JSON value is.
func mapper(t reflect.Type) *jsonschema.Schema {
	switch {
	case t == rawMessageType:
		return &jsonschema.Schema{Ref: defsPrefix + jsonValueDef}
	case t.Implements(enumType) && t.Kind() == reflect.String:
		vals := reflect.Zero(t).Interface().(Enum).EnumValues()
		enum := make([]any, len(vals))
		for i, v := range vals {
			enum[i] = v
		}
		return &jsonschema.Schema{Type: "string", Enum: enum}
	case t.Implements(multiType):
		return anyOfTypes(reflect.Zero(t).Interface().(MultiTyped).SchemaTypes())
	}
	return nil
}

func anyOfTypes(types []string) *jsonschema.Schema {
	if len(types) == 1 {
		return &jsonschema.Schema{Type: types[0]}
	}
	s := &jsonschema.Schema{}
	for _, t := range types {
		s.AnyOf = append(s.AnyOf, &jsonschema.Schema{Type: t})
	}
	return s
}

// jsonValueDef names the definition of any JSON value, the schema of a
// json.RawMessage; no Go type gets this name.
const jsonValueDef = "JSONValue"

// jsonValue is the JSONValue definition: any JSON value, spelled with
// one-type schemas only (an array's items are JSON values again).
func jsonValue() *jsonschema.Schema {
	s := anyOfTypes([]string{"object", "array", "string", "number", "boolean", "null"})
	s.AnyOf[0].AdditionalProperties = jsonschema.TrueSchema
	s.AnyOf[1].Items = &jsonschema.Schema{Ref: defsPrefix + jsonValueDef}
	s.Description = "Any JSON value."
	return s
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

func reflector(lenient bool, n *namer) *jsonschema.Reflector {
	return &jsonschema.Reflector{
		Anonymous:                 true,
		ExpandedStruct:            false, // the root is a $def too; layout decides
		AllowAdditionalProperties: lenient,
		Mapper:                    mapper,
		LookupComment:             docTag,
		Namer:                     n.name,
	}
}

var cache sync.Map // cacheKey -> json.RawMessage

type cacheKey struct {
	t      reflect.Type
	output bool
	cloud  string
}

// Input is the JSON Schema of a tool's arguments for request type t.
func Input(t reflect.Type) (json.RawMessage, error) {
	return build(t, false, "")
}

// Output is the JSON Schema of a tool's structured result for response
// type t: no required properties, unknown properties allowed, enum values
// named in the description instead of enforced.
func Output(t reflect.Type) (json.RawMessage, error) {
	return build(t, true, "")
}

// InputFor is Input tailored to the workspaces of one cloud, "aws",
// "azure" or "gcp": struct fields tagged for other clouds (`cloud:"aws"`,
// or a list such as `cloud:"aws,gcp"`) are left out, so that a model is
// not offered, and cannot send, azure_attributes to an AWS workspace.
// Untagged fields are kept; cloud "" keeps every field, as Input does.
func InputFor(t reflect.Type, cloud string) (json.RawMessage, error) {
	return build(t, false, cloud)
}

// OutputFor is Output tailored to one cloud, as InputFor is Input. Since
// output schemas admit unknown properties, a response that carries a
// field of another cloud still validates.
func OutputFor(t reflect.Type, cloud string) (json.RawMessage, error) {
	return build(t, true, cloud)
}

// clouds are the values of the cloud struct tag and of InputFor's cloud.
var clouds = []string{"aws", "azure", "gcp"}

func build(t reflect.Type, output bool, cloud string) (json.RawMessage, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	key := cacheKey{t, output, cloud}
	if v, ok := cache.Load(key); ok {
		return v.(json.RawMessage), nil
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("schema: %s is not a struct", t)
	}
	if cloud != "" && !slices.Contains(clouds, cloud) {
		return nil, fmt.Errorf("schema: unknown cloud %q; known clouds: %s", cloud, strings.Join(clouds, ", "))
	}
	names := newNamer()
	r := reflector(output, names).ReflectFromType(t)
	rootName, ok := strings.CutPrefix(r.Ref, defsPrefix)
	if !ok || r.Definitions[rootName] == nil {
		return nil, fmt.Errorf("schema: %s was not reflected as a definition", t)
	}
	for name, def := range r.Definitions {
		if typ := names.types[name]; typ != nil && typ.Kind() == reflect.Struct {
			if err := dropOtherClouds(def, typ, cloud); err != nil {
				return nil, err
			}
		}
	}
	r.Definitions[jsonValueDef] = jsonValue() // dropped by layout when unused
	if output {
		for _, def := range r.Definitions {
			walk(def, relax)
			// Descriptions of response fields are for people reading the
			// code; models read the values. Keep tools/list small.
			walk(def, func(n *jsonschema.Schema) { n.Description = "" })
		}
	}
	s := layout(r.Definitions, rootName)
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

const defsPrefix = "#/$defs/"

// namer names the $defs of one schema: a type's own name, sanitized, and
// made unique when two packages use the same one.
type namer struct {
	names map[reflect.Type]string
	types map[string]reflect.Type
}

func newNamer() *namer {
	return &namer{names: map[reflect.Type]string{}, types: map[string]reflect.Type{jsonValueDef: nil}}
}

// name is the definition name of t. Every struct gets one, so that the
// reflector gives every struct a definition, which layout then inlines or
// keeps; unnamed types other than structs get none and stay inline.
func (n *namer) name(t reflect.Type) string {
	if s, ok := n.names[t]; ok {
		return s
	}
	base := t.Name()
	if base == "" {
		if t.Kind() != reflect.Struct {
			return ""
		}
		base = "object"
	}
	base = defName(base)
	taken := func(s string) bool { _, ok := n.types[s]; return ok }
	s := base
	if taken(s) && t.PkgPath() != "" {
		s = defName(path.Base(t.PkgPath())) + "_" + base
	}
	for i := 2; taken(s); i++ {
		s = base + strconv.Itoa(i)
	}
	n.names[t] = s
	n.types[s] = t
	return s
}

// dropOtherClouds removes from def, the schema of struct type t, the
// properties of fields tagged for clouds other than cloud (none when cloud
// is ""), and checks every cloud tag names known clouds: a misspelt tag
// would otherwise drop a field everywhere.
func dropOtherClouds(def *jsonschema.Schema, t reflect.Type, cloud string) error {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, embedded := propertyName(f)
		if name == "" && !embedded {
			continue
		}
		keep := true
		if tag, ok := f.Tag.Lookup("cloud"); ok {
			tagged := strings.Split(tag, ",")
			for _, c := range tagged {
				if !slices.Contains(clouds, c) {
					return fmt.Errorf("schema: field %s of %s: cloud tag %q names an unknown cloud; known clouds: %s", f.Name, t, tag, strings.Join(clouds, ", "))
				}
			}
			keep = cloud == "" || slices.Contains(tagged, cloud)
		}
		switch {
		case embedded && keep:
			if err := dropOtherClouds(def, deref(f.Type), cloud); err != nil {
				return err
			}
		case embedded:
			dropFields(def, deref(f.Type))
		case !keep:
			dropProperty(def, name)
		}
	}
	return nil
}

// dropFields removes the properties of t's fields, which t's embedding
// gave def.
func dropFields(def *jsonschema.Schema, t reflect.Type) {
	for i := 0; i < t.NumField(); i++ {
		switch name, embedded := propertyName(t.Field(i)); {
		case embedded:
			dropFields(def, deref(t.Field(i).Type))
		case name != "":
			dropProperty(def, name)
		}
	}
}

func dropProperty(def *jsonschema.Schema, name string) {
	if def.Properties != nil {
		def.Properties.Delete(name)
	}
	def.Required = slices.DeleteFunc(def.Required, func(r string) bool { return r == name })
}

func deref(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		return t.Elem()
	}
	return t
}

// propertyName is the property the reflector makes of struct field f, by
// the rules of encoding/json it follows: "" when it makes none, and
// embedded when the fields of f's struct become properties themselves.
func propertyName(f reflect.StructField) (name string, embedded bool) {
	tags := strings.Split(f.Tag.Get("json"), ",")
	if tags[0] == "-" || strings.Split(f.Tag.Get("jsonschema"), ",")[0] == "-" {
		return "", false
	}
	if f.Anonymous && tags[0] == "" && deref(f.Type).Kind() == reflect.Struct {
		return "", true
	}
	if slices.Contains(tags[1:], "inline") {
		return "", true
	}
	if !f.Anonymous && !f.IsExported() {
		return "", false
	}
	if tags[0] != "" {
		return tags[0], false
	}
	return f.Name, false
}

var (
	pkgPrefix = regexp.MustCompile(`[^\[\],]*/`)
	notName   = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)
)

// defName turns a Go type name into a $defs key that needs no escaping in
// a JSON pointer: Page[github.com/x/client.Cluster] becomes
// Page_client.Cluster.
func defName(s string) string {
	s = pkgPrefix.ReplaceAllString(s, "")
	return strings.Trim(notName.ReplaceAllString(s, "_"), "_")
}

// layout turns the reflector's output, where every struct is a definition,
// into the schema a tool advertises: a definition used once is written
// where it is used, as if there were no references; one used more than
// once, or recursively, stays in the root's $defs, referenced locally.
func layout(defs jsonschema.Definitions, rootName string) *jsonschema.Schema {
	refs := map[string][]string{} // definition -> the definitions its body references, with repeats
	for name, def := range defs {
		walkRefs(def, func(target string) { refs[name] = append(refs[name], target) })
	}
	reachable := map[string]bool{}
	var visit func(string)
	visit = func(name string) {
		if reachable[name] {
			return
		}
		reachable[name] = true
		for _, next := range refs[name] {
			visit(next)
		}
	}
	visit(rootName)
	uses := map[string]int{rootName: 1}
	for name := range reachable {
		for _, target := range refs[name] {
			uses[target]++
		}
	}
	// A definition used twice stays. That covers recursion too: on every
	// cycle, the first definition reached from the root (or the root,
	// whose one use is the schema itself) is used from outside the cycle
	// and from inside it, so no cycle is ever inlined.
	keep := map[string]bool{}
	for name := range reachable {
		if uses[name] > 1 {
			keep[name] = true
		}
	}
	var inline func(s *jsonschema.Schema)
	inline = func(s *jsonschema.Schema) {
		eachChild(s, func(slot **jsonschema.Schema) {
			c := *slot
			if name, ok := strings.CutPrefix(c.Ref, defsPrefix); ok && !keep[name] {
				*slot = merged(defs[name], c)
			} else if c.Ref != "" {
				return
			}
			inline(*slot)
		})
	}
	root := defs[rootName]
	inline(root)
	kept := jsonschema.Definitions{}
	for name := range keep {
		if name != rootName {
			inline(defs[name])
		}
		kept[name] = defs[name]
	}
	top := *root
	if len(kept) > 0 {
		top.Definitions = kept
	}
	return &top
}

// walkRefs calls fn with the definition name of every local $ref in s,
// not following them.
func walkRefs(s *jsonschema.Schema, fn func(string)) {
	if name, ok := strings.CutPrefix(s.Ref, defsPrefix); ok {
		fn(name)
	}
	eachChild(s, func(slot **jsonschema.Schema) { walkRefs(*slot, fn) })
}

// merged is the definition body written in place of a reference to it:
// the body with the keywords of the reference site (its description,
// writeOnly and the like, which the reflector puts there) on top.
func merged(body, site *jsonschema.Schema) *jsonschema.Schema {
	out := *body
	dst, src := reflect.ValueOf(&out).Elem(), reflect.ValueOf(site).Elem()
	for i := 0; i < src.NumField(); i++ {
		f := src.Type().Field(i)
		if !f.IsExported() || f.Name == "Ref" || src.Field(i).IsZero() {
			continue
		}
		dst.Field(i).Set(src.Field(i))
	}
	return &out
}

// eachChild calls fn with the address of every schema directly nested in
// s (not the true and false schemas), so that fn may replace it.
func eachChild(s *jsonschema.Schema, fn func(**jsonschema.Schema)) {
	if s == nil || s == jsonschema.TrueSchema || s == jsonschema.FalseSchema {
		return
	}
	one := func(slot **jsonschema.Schema) {
		if *slot != nil && *slot != jsonschema.TrueSchema && *slot != jsonschema.FalseSchema {
			fn(slot)
		}
	}
	if s.Properties != nil {
		for p := s.Properties.Oldest(); p != nil; p = p.Next() {
			one(&p.Value)
		}
	}
	for _, list := range [][]*jsonschema.Schema{s.AllOf, s.AnyOf, s.OneOf, s.PrefixItems} {
		for i := range list {
			one(&list[i])
		}
	}
	for _, m := range []map[string]*jsonschema.Schema{s.PatternProperties, s.DependentSchemas} {
		for k, v := range m {
			one(&v)
			m[k] = v
		}
	}
	for _, slot := range []**jsonschema.Schema{&s.Items, &s.AdditionalProperties, &s.Not, &s.If, &s.Then, &s.Else,
		&s.Contains, &s.PropertyNames, &s.ContentSchema} {
		one(slot)
	}
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

// walk calls fn on s and every schema nested in it, not following $refs.
func walk(s *jsonschema.Schema, fn func(*jsonschema.Schema)) {
	if s == nil || s == jsonschema.TrueSchema || s == jsonschema.FalseSchema {
		return
	}
	fn(s)
	eachChild(s, func(slot **jsonschema.Schema) { walk(*slot, fn) })
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
