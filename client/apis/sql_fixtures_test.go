package apis_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/internal/fixtures"
)

// sqlFixtureDirs are payload directories of client/sql whose names differ
// from their tool service (sql-warehouses holds warehouses payloads), so
// fixtures.Declared does not find them and TestFixturesRoundTrip skips them.
var sqlFixtureDirs = []string{"sql-statements", "sql-warehouses"}

// sqlFxUnknown is fxUnknown for sqlFixtureDirs: the members real answers
// carry that the API reference does not document (the legacy "endpoints"
// list key, auto_resume, creator_id, the legacy size name), kept in Extra.
var sqlFxUnknown = map[string][]string{
	"sql-warehouses/get.response.1.json":  {"$.auto_resume", "$.creator_id", "$.size"},
	"sql-warehouses/list.response.1.json": {"$.endpoints"},
}

// TestSQLFixturesRoundTrip is the fixture round trip of sqlFixtureDirs:
// decode into the declared struct, encode, compare; an int64 creator_id
// above 2^53 kept in Extra must survive too.
func TestSQLFixturesRoundTrip(t *testing.T) {
	payloads := fixtures.Load(t, sqlFixtureDirs...)
	if len(payloads) < 6 {
		t.Fatalf("only %d payloads in %v", len(payloads), sqlFixtureDirs)
	}
	for _, fx := range payloads {
		t.Run(fx.File, func(t *testing.T) {
			typ, err := fxTypeFor(fx.Operation, fx.Kind)
			if err != nil {
				t.Fatalf("no type mapping: %v", err)
			}
			body := fx.Body
			if fx.Kind == "request" {
				if body, err = fxRequestBody(fx.Operation, fx.Body); err != nil {
					t.Fatal(err)
				}
			}
			ptr := reflect.New(typ)
			if err := json.Unmarshal(body, ptr.Interface()); err != nil {
				t.Fatalf("decode into %s: %v", typ, err)
			}
			out, err := json.Marshal(ptr.Interface())
			if err != nil {
				t.Fatalf("encode %s: %v", typ, err)
			}
			if diffs := fixtures.SemanticDiff(body, out); len(diffs) > 0 {
				t.Errorf("round trip through %s changed the payload:\n  %s\nencoded: %s", typ, strings.Join(diffs, "\n  "), out)
			}
			if unknown, want := fxExtraPaths(ptr.Elem()), sqlFxUnknown[fx.File]; !slices.Equal(unknown, want) {
				t.Errorf("members kept in Extra (no struct field) = %q, want %q", unknown, want)
			}
			for _, bad := range fxEnumViolations(ptr.Elem()) {
				t.Errorf("enum value outside EnumValues(): %s", bad)
			}
		})
	}
}
