package iam_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client"
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

// TestGroups20FixturesRoundTrip round-trips the shared set's Groups 2.0
// payloads of the declared membership calls. The directory (groups) also
// holds Groups 2.0 create, delete and list, which are not declared (their
// tool names are the SCIM groups_create, groups_delete and groups_list), so
// it is not copied into the repository, where the generic round trip would
// require them: this test reads the shared set itself, when it is beside
// the repository.
func TestGroups20FixturesRoundTrip(t *testing.T) {
	dir := sharedGroupsDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no payloads in %s: %v", dir, err)
	}
	types := map[string]reflect.Type{
		"POST /api/2.0/groups/add-member request":   reflect.TypeFor[iam.MembershipRequest](),
		"POST /api/2.0/groups/add-member response":  reflect.TypeFor[client.Empty](),
		"GET /api/2.0/groups/list-members request":  reflect.TypeFor[iam.ListMembersRequest](),
		"GET /api/2.0/groups/list-members response": reflect.TypeFor[iam.ListMembersResponse](),
		"GET /api/2.0/groups/list-parents response": reflect.TypeFor[iam.GroupNamesResponse](),
	}
	undeclared := []string{"POST /api/2.0/groups/create", "POST /api/2.0/groups/delete", "GET /api/2.0/groups/list"}
	tested := 0
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var fx fixtures.Payload
			if err := json.Unmarshal(data, &fx); err != nil {
				t.Fatal(err)
			}
			typ, ok := types[fx.Operation+" "+fx.Kind]
			if !ok {
				if !slices.Contains(undeclared, fx.Operation) {
					t.Fatalf("%s %s: no type, and not one of the undeclared Groups 2.0 calls", fx.Operation, fx.Kind)
				}
				return
			}
			tested++
			roundTrip(t, typ, fx.Body)
		})
	}
	if tested < 6 {
		t.Errorf("only %d membership payloads round-tripped", tested)
	}
}

func sharedGroupsDir(t *testing.T) string {
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		cand := filepath.Join(dir, "shared", "fixtures", "databricks-payloads", "groups")
		if st, err := os.Stat(cand); err == nil && st.IsDir() {
			return cand
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("shared/fixtures/databricks-payloads is not beside the repository")
		}
		dir = parent
	}
}
