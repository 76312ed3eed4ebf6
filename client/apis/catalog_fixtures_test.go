package apis_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/internal/fixtures"
)

// catalogFixtureDir holds the payloads of the Unity Catalog services
// (catalogs, schemas, tables, ...) under one name that is none of theirs,
// so fixtures.Declared does not find it and TestFixturesRoundTrip skips it.
const catalogFixtureDir = "unity-catalog"

// catalogFxUnknown is fxUnknown for catalogFixtureDir: members the catalog
// structs keep in Extra. Each is in the SDK model but left untyped here
// (encryption, provisioning and manifest details a model rarely needs);
// they still reach the caller whole.
var catalogFxUnknown = map[string][]string{
	// securable_kind is not in the SDK's CatalogInfo.
	"unity-catalog/catalogs-get.response.1.json":  {"$.securable_kind"},
	"unity-catalog/catalogs-list.response.1.json": {"$.catalogs[0].securable_kind"},
	// row_filter.name is the field's old name; the SDK's TableRowFilter has
	// function_name instead.
	"unity-catalog/tables-get.response.1.json":  {"$.row_filter.name"},
	"unity-catalog/tables-list.response.1.json": {"$.tables[0].row_filter.name"},
}

// catalogFxBadEnums lists enum members of the schema-placeholder examples
// (the shared README says the UC bodies copy the API reference's
// placeholders) that hold "string" or a *_UNSPECIFIED zero value rather
// than a value the API answers.
var catalogFxBadEnums = map[string][]string{
	"unity-catalog/catalogs-get.response.1.json":  {`$.provisioning_info.state = "STATE_UNSPECIFIED" (catalog.ProvisioningState)`},
	"unity-catalog/catalogs-list.response.1.json": {`$.catalogs[0].provisioning_info.state = "STATE_UNSPECIFIED" (catalog.ProvisioningState)`},
	"unity-catalog/schemas-list.response.1.json":  {`$.schemas[0].catalog_type = "string" (catalog.CatalogType)`},
}

// TestCatalogFixturesRoundTrip is the fixture round trip of the Unity
// Catalog payloads: decode into the declared struct, encode, compare.
func TestCatalogFixturesRoundTrip(t *testing.T) {
	payloads := fixtures.Load(t, catalogFixtureDir)
	if len(payloads) < 8 {
		t.Fatalf("only %d payloads in %s", len(payloads), catalogFixtureDir)
	}
	for _, fx := range payloads {
		t.Run(fx.File, func(t *testing.T) {
			typ, err := fxTypeFor(fx.Operation, fx.Kind)
			if err != nil {
				t.Fatalf("no type mapping: %v", err)
			}
			if !strings.HasSuffix(typ.PkgPath(), "/client/catalog") {
				t.Fatalf("%s maps to %s, not a client/catalog type", fx.Operation, typ)
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
			if unknown, want := fxExtraPaths(ptr.Elem()), catalogFxUnknown[fx.File]; !slices.Equal(unknown, want) {
				t.Errorf("members kept in Extra (no struct field) = %q, want %q", unknown, want)
			}
			if bad, want := fxEnumViolations(ptr.Elem()), catalogFxBadEnums[fx.File]; !slices.Equal(bad, want) {
				t.Errorf("enum values outside EnumValues() = %q, want %q", bad, want)
			}
		})
	}
}
