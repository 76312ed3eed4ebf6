package apis_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/schema"
)

var toolName = regexp.MustCompile(`^[a-z0-9_]{1,64}$`)

// multiTyped are the types (ConfValue) whose JSON is one of several kinds
// and which encode themselves; they carry no Extra.
var multiTyped = reflect.TypeFor[schema.MultiTyped]()

// TestDeclarations checks every declared operation for the facts each must
// state, and that they agree with each other.
func TestDeclarations(t *testing.T) {
	ops := client.Operations()
	if len(ops) < 30 {
		t.Fatalf("only %d operations declared; is an area package not linked?", len(ops))
	}
	if !slices.IsSortedFunc(ops, func(a, b client.Operation) int { return strings.Compare(a.Info().FullName(), b.Info().FullName()) }) {
		t.Error("client.Operations is not sorted by tool name")
	}
	names := map[string]bool{}
	routes := map[string]bool{}
	for _, op := range ops {
		var info client.OperationInfo
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%T: Info or its request plan panicked: %v", op, r)
				}
			}()
			info = op.Info()
			info.Params()
		}()
		full := info.FullName()
		if !toolName.MatchString(full) || info.Service == "" || info.Name == "" {
			t.Errorf("%s: tool name is not valid", full)
		}
		if names[full] {
			t.Errorf("%s: declared twice", full)
		}
		names[full] = true
		route := info.Method + " " + info.Path
		if routes[route] {
			t.Errorf("%s: route %s declared twice", full, route)
		}
		routes[route] = true
		if info.Access < client.Read || info.Access > client.Destructive {
			t.Errorf("%s: Access not set", full)
		}
		if info.Method != http.MethodGet && info.Method != http.MethodHead && info.Access == client.Read && info.Method != http.MethodPost {
			t.Errorf("%s: a %s that only reads", full, info.Method)
		}
		if (info.Method == http.MethodGet || info.Method == http.MethodHead) && info.Access != client.Read {
			t.Errorf("%s: a GET must be declared Read", full)
		}
		if info.Access == client.Read && !info.Idempotent {
			t.Errorf("%s: reads are always safe to repeat", full)
		}
		if strings.TrimSpace(info.Title) == "" || len(info.Title) > 60 {
			t.Errorf("%s: Title %q must be set and short", full, info.Title)
		}
		if len(strings.TrimSpace(info.Doc)) < 30 {
			t.Errorf("%s: Doc %q says too little for a model to pick the tool", full, info.Doc)
		}
		if info.Toolset == "" {
			t.Errorf("%s: no toolset", full)
		}
		if w := info.Wait; w != nil {
			g := w.Get.Info()
			if g.Access != client.Read || len(w.IDFields) == 0 || w.State == "" || len(w.Until) == 0 || w.Noun == "" {
				t.Errorf("%s: Wait needs a Read Get, id fields, a state path, target states and a noun", full)
			}
			for _, id := range w.IDFields {
				if _, ok := g.Params()[id]; !ok {
					t.Errorf("%s: Wait id %q is not an argument of %s", full, id, g.FullName())
				}
			}
			if info.Access == client.Read {
				t.Errorf("%s: a read has nothing to wait for", full)
			}
		}
		if p := info.Paging; p != nil {
			if info.Access != client.Read {
				t.Errorf("%s: only lists page", full)
			}
			if p.Items != "" && !hasMember(info.Response, p.Items) {
				t.Errorf("%s: Paging.Items %q is not a member of %s", full, p.Items, info.Response)
			}
			if p.Size != "" {
				if _, ok := info.Params()[p.Size]; !ok {
					t.Errorf("%s: Paging.Size %q is not an argument", full, p.Size)
				}
			}
		}
	}
}

// hasMember reports whether struct type t has a field for JSON member name.
func hasMember(t reflect.Type, name string) bool {
	for i := range t.NumField() {
		f := t.Field(i)
		if n, _, _ := strings.Cut(f.Tag.Get("json"), ","); n == name {
			return true
		}
		if f.Anonymous && f.Type.Kind() == reflect.Struct && hasMember(f.Type, name) {
			return true
		}
	}
	return false
}

// TestEnumTypes checks every enum type reachable from a declaration: its
// values are unique, non-empty and trimmed.
func TestEnumTypes(t *testing.T) {
	enumType := reflect.TypeFor[schema.Enum]()
	seen := map[reflect.Type]bool{}
	enums := 0
	var walk func(reflect.Type)
	walk = func(typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if seen[typ] {
			return
		}
		seen[typ] = true
		if typ.Kind() == reflect.String && typ.Implements(enumType) {
			enums++
			vals := reflect.Zero(typ).Interface().(schema.Enum).EnumValues()
			if len(vals) == 0 {
				t.Errorf("%s: no values", typ)
			}
			if !slices.IsSorted(vals) {
				t.Errorf("%s: values are not sorted", typ)
			}
			for i, v := range vals {
				if v == "" || strings.TrimSpace(v) != v || (i > 0 && vals[i-1] == v) {
					t.Errorf("%s: bad or repeated value %q", typ, v)
				}
			}
		}
		if typ.Kind() == reflect.Struct {
			for i := range typ.NumField() {
				walk(typ.Field(i).Type)
			}
		}
	}
	for _, op := range client.Operations() {
		walk(op.Info().Request)
		walk(op.Info().Response)
	}
	if enums < 20 {
		t.Errorf("only %d enum types reached; the walk is broken", enums)
	}
}

// TestAPIStructConventions checks every struct reachable from the declared
// requests and responses: it keeps unknown members (Extra), every field has
// a doc, optional fields are pointers/maps/slices tagged omitzero and
// required ones are plain values without omit options.
func TestAPIStructConventions(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var check func(t reflect.Type, from string)
	var checkFields func(typ, owner reflect.Type)
	rawMap := reflect.TypeFor[map[string]json.RawMessage]()
	check = func(typ reflect.Type, from string) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] || typ.Implements(multiTyped) {
			return
		}
		seen[typ] = true
		extra, ok := typ.FieldByName("Extra")
		if !ok || extra.Type != rawMap || extra.Tag.Get("json") != "-" {
			t.Errorf("%s (via %s): no Extra map[string]json.RawMessage `json:\"-\"`", typ, from)
		}
		if _, ok := reflect.New(typ).Interface().(json.Unmarshaler); !ok {
			t.Errorf("%s: no generated UnmarshalJSON; run go generate ./...", typ)
		}
		checkFields(typ, typ)
	}
	// checkFields applies the field rules to typ's fields, and to those of
	// field groups it embeds: structs without Extra or JSON methods of their
	// own (which would be promoted and take over the encoding of owner).
	checkFields = func(typ, owner reflect.Type) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			if f.Name == "Extra" {
				continue
			}
			if f.Anonymous {
				_, hasExtra := f.Type.FieldByName("Extra")
				_, marshals := reflect.New(f.Type).Interface().(json.Marshaler)
				_, unmarshals := reflect.New(f.Type).Interface().(json.Unmarshaler)
				if f.Type.Kind() != reflect.Struct || hasExtra || marshals || unmarshals || f.Tag.Get("json") != "" {
					t.Errorf("%s.%s: an embedded struct must be a plain field group (no Extra, no JSON methods, no json tag)", owner, f.Name)
					continue
				}
				checkFields(f.Type, owner)
				continue
			}
			tag := f.Tag.Get("json")
			name, opts, _ := strings.Cut(tag, ",")
			if name == "" || name == "-" {
				t.Errorf("%s.%s: json tag %q has no name", owner, f.Name, tag)
			}
			if strings.TrimSpace(f.Tag.Get("doc")) == "" {
				t.Errorf("%s.%s: no doc tag", owner, f.Name)
			}
			optional := f.Type.Kind() == reflect.Pointer || f.Type.Kind() == reflect.Map || f.Type.Kind() == reflect.Slice
			switch {
			case optional && opts != "omitzero":
				t.Errorf("%s.%s: optional field must be tagged exactly %q, got %q", owner, f.Name, name+",omitzero", tag)
			case !optional && opts != "":
				t.Errorf("%s.%s: required field must have no omit option, got %q", owner, f.Name, tag)
			}
			check(f.Type, owner.String()+"."+f.Name)
		}
	}
	for _, op := range client.Operations() {
		info := op.Info()
		check(info.Request, info.FullName()+" request")
		check(info.Response, info.FullName()+" response")
	}
	if len(seen) < 60 {
		t.Errorf("only %d struct types reached; the walk is broken", len(seen))
	}
}
