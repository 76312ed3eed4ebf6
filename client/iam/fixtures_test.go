package iam_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client/iam"
	"github.com/dbx-mcp/dbx-mcp/internal/fixtures"
)

// The shared fixture set keeps the SCIM payloads in a directory named scim,
// which is no service name (the services are users, groups,
// service_principals and current_user), so the generic round trip does not
// pick them up; this test does. The users payloads were recorded from the
// account-level SCIM API, whose User bodies are the workspace API's.
func TestSCIMFixturesRoundTrip(t *testing.T) {
	types := map[string]reflect.Type{
		"users-create.response":            reflect.TypeFor[iam.User](),
		"users-get.response":               reflect.TypeFor[iam.User](),
		"service-principals-list.response": reflect.TypeFor[iam.ListServicePrincipalsResponse](),
	}
	payloads := fixtures.Load(t, "scim")
	if len(payloads) < 3 {
		t.Fatalf("only %d scim payloads", len(payloads))
	}
	for _, fx := range payloads {
		t.Run(fx.File, func(t *testing.T) {
			base := strings.TrimPrefix(fx.File, "scim/")
			base = base[:strings.LastIndex(base[:strings.LastIndex(base, ".")], ".")]
			typ, ok := types[base]
			if !ok {
				t.Fatalf("no type for %s (%s)", fx.File, fx.Operation)
			}
			roundTrip(t, typ, fx.Body)
		})
	}
}

// roundTrip decodes body into typ, encodes it again and compares, and
// requires every member to have a struct field (none kept in Extra).
func roundTrip(t *testing.T, typ reflect.Type, body json.RawMessage) {
	t.Helper()
	v := reflect.New(typ)
	if err := json.Unmarshal(body, v.Interface()); err != nil {
		t.Fatalf("decode into %s: %v", typ, err)
	}
	out, err := json.Marshal(v.Interface())
	if err != nil {
		t.Fatal(err)
	}
	if d := fixtures.SemanticDiff(body, out); len(d) > 0 {
		t.Errorf("round trip through %s changed the payload: %v", typ, d)
	}
	if extra := extraMembers("$", v.Elem()); len(extra) > 0 {
		t.Errorf("members with no struct field: %v", extra)
	}
}

func extraMembers(path string, v reflect.Value) []string {
	var out []string
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			out = extraMembers(path, v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			out = append(out, extraMembers(path+"[]", v.Index(i))...)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if f.Name == "Extra" {
				for _, k := range v.Field(i).MapKeys() {
					out = append(out, path+"."+k.String())
				}
				continue
			}
			if f.IsExported() {
				out = append(out, extraMembers(path+"."+f.Name, v.Field(i))...)
			}
		}
	}
	return out
}
