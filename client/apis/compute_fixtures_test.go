package apis_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/internal/fixtures"
)

// computeFixtureDirs are payload directories whose names differ from their
// tool service (cluster-policies holds cluster_policies payloads,
// instance-pools instance_pools ones), so fixtures.Declared does not find
// them and TestFixturesRoundTrip skips them.
var computeFixtureDirs = []string{"cluster-policies", "instance-pools"}

// computeFxUnknown is fxUnknown for computeFixtureDirs.
var computeFxUnknown = map[string][]string{}

// TestComputeFixturesRoundTrip is the fixture round trip of
// computeFixtureDirs: decode into the declared struct, encode, compare.
func TestComputeFixturesRoundTrip(t *testing.T) {
	payloads := fixtures.Load(t, computeFixtureDirs...)
	if len(payloads) < 9 {
		t.Fatalf("only %d payloads in %v", len(payloads), computeFixtureDirs)
	}
	for _, fx := range payloads {
		t.Run(fx.File, func(t *testing.T) {
			typ, err := fxTypeFor(fx.Operation, fx.Kind)
			if err != nil {
				t.Fatalf("no type mapping: %v", err)
			}
			ptr := reflect.New(typ)
			if err := json.Unmarshal(fx.Body, ptr.Interface()); err != nil {
				t.Fatalf("decode into %s: %v", typ, err)
			}
			out, err := json.Marshal(ptr.Interface())
			if err != nil {
				t.Fatalf("encode %s: %v", typ, err)
			}
			if diffs := fixtures.SemanticDiff(fx.Body, out); len(diffs) > 0 {
				t.Errorf("round trip through %s changed the payload:\n  %s\nencoded: %s", typ, strings.Join(diffs, "\n  "), out)
			}
			if unknown, want := fxExtraPaths(ptr.Elem()), computeFxUnknown[fx.File]; !slices.Equal(unknown, want) {
				t.Errorf("members kept in Extra (no struct field) = %q, want %q", unknown, want)
			}
			for _, bad := range fxEnumViolations(ptr.Elem()) {
				t.Errorf("enum value outside EnumValues(): %s", bad)
			}
		})
	}
}
