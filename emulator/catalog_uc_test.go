package emulator_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/emulator"
)

const uc = "/api/2.1/unity-catalog"

func names(t *testing.T, r response, listKey, field string) []string {
	t.Helper()
	var out []string
	for i, it := range arr(t, r.body[listKey], listKey) {
		s, _ := obj(t, it, listKey+"[i]")[field].(string)
		if s == "" {
			t.Fatalf("%s[%d] has no %s", listKey, i, field)
		}
		out = append(out, s)
	}
	return out
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The seeded metastore browses from catalogs down to the sample table's
// columns.
func TestUCSeedBrowse(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	if got := names(t, h.ok(h.get(uc+"/catalogs", nil)), "catalogs", "name"); !sameStrings(got, []string{"main", "samples"}) {
		t.Errorf("catalogs = %v", got)
	}
	if got := names(t, h.ok(h.get(uc+"/schemas", url.Values{"catalog_name": {"main"}})), "schemas", "full_name"); !sameStrings(got, []string{"main.default", "main.information_schema"}) {
		t.Errorf("main schemas = %v", got)
	}
	tbls := h.ok(h.get(uc+"/tables", url.Values{"catalog_name": {"samples"}, "schema_name": {"nyctaxi"}}))
	if got := names(t, tbls, "tables", "full_name"); !sameStrings(got, []string{"samples.nyctaxi.trips"}) {
		t.Errorf("tables = %v", got)
	}
	tbl := h.ok(h.get(uc+"/tables/samples.nyctaxi.trips", nil))
	cols := arr(t, tbl.body["columns"], "columns")
	if len(cols) != 6 || tbl.str("table_type") != "EXTERNAL" || tbl.str("data_source_format") != "DELTA" {
		t.Fatalf("trips = %s", tbl.raw)
	}
	c1 := obj(t, cols[1], "columns[1]")
	if c1["name"] != "tpep_dropoff_datetime" || c1["type_name"] != "TIMESTAMP" || c1["type_text"] != "timestamp" || num(t, c1["position"], "position") != 1 {
		t.Errorf("columns[1] = %v", c1)
	}
	if tj, _ := c1["type_json"].(string); tj != `{"name":"tpep_dropoff_datetime","type":"timestamp","nullable":true,"metadata":{}}` {
		t.Errorf("type_json = %s", tj)
	}
	slim := h.ok(h.get(uc+"/tables", url.Values{"catalog_name": {"samples"}, "schema_name": {"nyctaxi"}, "omit_columns": {"true"}}))
	if _, has := obj(t, arr(t, slim.body["tables"], "tables")[0], "table")["columns"]; has {
		t.Errorf("omit_columns kept the columns: %s", slim.raw)
	}
	sum := h.ok(h.get(uc+"/table-summaries", url.Values{"catalog_name": {"samples"}, "table_name_pattern": {"tr%"}}))
	if string(sum.raw) != `{"tables":[{"full_name":"samples.nyctaxi.trips","table_type":"EXTERNAL"}]}` {
		t.Errorf("summaries = %s", sum.raw)
	}
	if r := h.ok(h.get(uc+"/table-summaries", url.Values{"catalog_name": {"samples"}, "table_name_pattern": {"x%"}})); string(r.raw) != `{}` {
		t.Errorf("no match = %s", r.raw)
	}
	for full, want := range map[string]string{"samples.nyctaxi.trips": `{"table_exists":true}`, "samples.nyctaxi.nope": `{"table_exists":false}`} {
		if r := h.ok(h.get(uc+"/tables/"+full+"/exists", nil)); string(r.raw) != want {
			t.Errorf("exists %s = %s", full, r.raw)
		}
	}
	fns := h.ok(h.get(uc+"/functions", url.Values{"catalog_name": {"main"}, "schema_name": {"default"}}))
	if got := names(t, fns, "functions", "full_name"); !sameStrings(got, []string{"main.default.to_fahrenheit"}) {
		t.Errorf("functions = %v", got)
	}
	fn := h.ok(h.get(uc+"/functions/main.default.to_fahrenheit", nil))
	if fn.str("routine_body") != "SQL" || fn.str("data_type") != "DOUBLE" {
		t.Errorf("function = %s", fn.raw)
	}
}

// Missing parents and objects answer Databricks' error codes.
func TestUCErrors(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	wantError(t, h.get(uc+"/catalogs/nope", nil), http.StatusNotFound, "CATALOG_DOES_NOT_EXIST", "Catalog 'nope' does not exist.")
	wantError(t, h.get(uc+"/schemas/main.nope", nil), http.StatusNotFound, "SCHEMA_DOES_NOT_EXIST", "Schema 'main.nope' does not exist.")
	wantError(t, h.get(uc+"/schemas", url.Values{"catalog_name": {"nope"}}), http.StatusNotFound, "CATALOG_DOES_NOT_EXIST", "")
	wantError(t, h.get(uc+"/tables/main.default.nope", nil), http.StatusNotFound, "TABLE_DOES_NOT_EXIST", "Table 'main.default.nope' does not exist.")
	wantError(t, h.get(uc+"/tables", url.Values{"catalog_name": {"main"}, "schema_name": {"nope"}}), http.StatusNotFound, "SCHEMA_DOES_NOT_EXIST", "")
	wantError(t, h.get(uc+"/tables/main.default", nil), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	wantError(t, h.post(uc+"/catalogs", map[string]any{"name": "Main"}), http.StatusConflict, "CATALOG_ALREADY_EXISTS", "Catalog 'main' already exists.")
	wantError(t, h.post(uc+"/catalogs", map[string]any{}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	wantError(t, h.post(uc+"/schemas", map[string]any{"catalog_name": "main", "name": "default"}), http.StatusConflict, "SCHEMA_ALREADY_EXISTS", "")
	wantError(t, h.post(uc+"/schemas", map[string]any{"catalog_name": "nope", "name": "x"}), http.StatusNotFound, "CATALOG_DOES_NOT_EXIST", "")
	wantError(t, h.get(uc+"/catalogs", url.Values{"max_results": {"-1"}}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	wantError(t, h.get(uc+"/volumes/main.default.nope", nil), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	wantError(t, h.post(uc+"/volumes", map[string]any{"catalog_name": "main", "schema_name": "default", "name": "v", "volume_type": "EXTERNAL"}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
}

// Create, list, delete: a catalog with a schema and volumes, refused while
// not empty, gone with force.
func TestUCLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	cat := h.ok(h.post(uc+"/catalogs", map[string]any{"name": "Sales", "comment": "q", "properties": map[string]string{"a": "b"}}))
	if cat.str("name") != "sales" || cat.str("full_name") != "sales" || cat.str("catalog_type") != "MANAGED_CATALOG" || cat.str("owner") != emulator.UserName {
		t.Errorf("created %s", cat.raw)
	}
	if got := names(t, h.ok(h.get(uc+"/schemas", url.Values{"catalog_name": {"sales"}})), "schemas", "name"); !sameStrings(got, []string{"default", "information_schema"}) {
		t.Errorf("new catalog's schemas = %v", got)
	}
	sch := h.ok(h.post(uc+"/schemas", map[string]any{"catalog_name": "sales", "name": "raw"}))
	if sch.str("full_name") != "sales.raw" || sch.str("catalog_name") != "sales" || sch.str("schema_id") == "" {
		t.Errorf("schema %s", sch.raw)
	}
	mv := h.ok(h.post(uc+"/volumes", map[string]any{"catalog_name": "sales", "schema_name": "raw", "name": "landing", "volume_type": "MANAGED"}))
	if mv.str("full_name") != "sales.raw.landing" || mv.str("storage_location") == "" || mv.str("volume_id") == "" {
		t.Errorf("managed volume %s", mv.raw)
	}
	ev := h.ok(h.post(uc+"/volumes", map[string]any{"catalog_name": "sales", "schema_name": "raw", "name": "ext", "volume_type": "EXTERNAL", "storage_location": "abfss://c@a.dfs.core.windows.net/x"}))
	if ev.str("storage_location") != "abfss://c@a.dfs.core.windows.net/x" || ev.str("volume_type") != "EXTERNAL" {
		t.Errorf("external volume %s", ev.raw)
	}
	wantError(t, h.post(uc+"/volumes", map[string]any{"catalog_name": "sales", "schema_name": "raw", "name": "ext", "volume_type": "MANAGED"}), http.StatusConflict, "RESOURCE_ALREADY_EXISTS", "")
	if got := names(t, h.ok(h.get(uc+"/volumes", url.Values{"catalog_name": {"sales"}, "schema_name": {"raw"}})), "volumes", "name"); !sameStrings(got, []string{"ext", "landing"}) {
		t.Errorf("volumes = %v", got)
	}
	if r := h.ok(h.get(uc+"/volumes/sales.raw.landing", nil)); r.str("volume_type") != "MANAGED" {
		t.Errorf("read %s", r.raw)
	}
	wantError(t, h.call(http.MethodDelete, uc+"/schemas/sales.raw", nil, nil), http.StatusBadRequest, "INVALID_STATE", "")
	wantError(t, h.call(http.MethodDelete, uc+"/catalogs/sales", nil, nil), http.StatusBadRequest, "INVALID_STATE", "")
	h.ok(h.call(http.MethodDelete, uc+"/volumes/sales.raw.ext", nil, nil))
	wantError(t, h.get(uc+"/volumes/sales.raw.ext", nil), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	h.ok(h.call(http.MethodDelete, uc+"/catalogs/sales", url.Values{"force": {"true"}}, nil))
	wantError(t, h.get(uc+"/catalogs/sales", nil), http.StatusNotFound, "CATALOG_DOES_NOT_EXIST", "")
	wantError(t, h.get(uc+"/volumes/sales.raw.landing", nil), http.StatusNotFound, "CATALOG_DOES_NOT_EXIST", "")
	// Recreated, it is empty: its volumes went with it.
	h.ok(h.post(uc+"/catalogs", map[string]any{"name": "sales"}))
	h.ok(h.post(uc+"/schemas", map[string]any{"catalog_name": "sales", "name": "raw"}))
	if r := h.ok(h.get(uc+"/volumes", url.Values{"catalog_name": {"sales"}, "schema_name": {"raw"}})); string(r.raw) != `{}` {
		t.Errorf("volumes after recreate = %s", r.raw)
	}
	// An empty catalog (default and information_schema only) deletes without force.
	h.ok(h.call(http.MethodDelete, uc+"/schemas/sales.raw", nil, nil))
	h.ok(h.call(http.MethodDelete, uc+"/catalogs/sales", nil, nil))
	h.ok(h.call(http.MethodDelete, uc+"/tables/samples.nyctaxi.trips", nil, nil))
	wantError(t, h.call(http.MethodDelete, uc+"/tables/samples.nyctaxi.trips", nil, nil), http.StatusNotFound, "TABLE_DOES_NOT_EXIST", "")
}
