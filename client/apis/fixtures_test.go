package apis_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client"
	_ "github.com/dbx-mcp/dbx-mcp/client/apis"
	"github.com/dbx-mcp/dbx-mcp/internal/fixtures"
)

// The fixture round trip: every real payload of a declared operation, in
// whichever directory (fixtures.Covered), is decoded into the struct of its
// operation, encoded again and compared with the original, numbers exactly.

// fxUnknown lists, per fixture file, the members the structs have no field
// for and keep in Extra instead. Each is absent from the SDK model; a member
// appearing here that the SDK does know means a misspelt JSON tag.
var fxUnknown = map[string][]string{
	"clusters/get.response.1.json": {
		"$.disk_spec", "$.driver_instance_source", "$.init_scripts_safe_mode",
		"$.instance_source", "$.pinned_by_user_name",
	},
	"clusters/get.response.2.json": {
		"$.disk_spec", "$.init_scripts_safe_mode", "$.last_activity_time", "$.pinned_by_user_name",
	},
	"clusters/get.response.3.json": {
		"$.disk_spec", "$.init_scripts_safe_mode",
	},
	"clusters/list-node-types.response.1.json": {
		"$.node_types[0].node_info.available_core_quota",
		"$.node_types[0].node_info.total_core_quota",
		"$.node_types[0].node_instance_type.instance_family",
		"$.node_types[0].node_instance_type.swap_size",
	},
	"clusters/list.response.1.json": {
		"$.clusters[0].disk_spec", "$.clusters[0].driver_instance_source", "$.clusters[0].init_scripts_safe_mode",
		"$.clusters[0].instance_source", "$.clusters[0].pinned_by_user_name",
	},
	"clusters/list.response.2.json": {
		"$.clusters[1].disk_spec", "$.clusters[1].init_scripts_safe_mode", "$.clusters[1].pinned_by_user_name",
		"$.clusters[2].disk_spec", "$.clusters[2].init_scripts_safe_mode",
		"$.clusters[3].disk_spec", "$.clusters[3].init_scripts_safe_mode", "$.clusters[3].last_activity_time",
		"$.clusters[3].pinned_by_user_name",
	},
	// jobs/get.response.2: run_as_owner is not in the SDK's Job.
	"jobs/get.response.2.json": {"$.run_as_owner"},
	// jobs/list.response.2 is a Jobs API 2.0 (single-task) list: the task's
	// fields sit in settings, where the 2.2 JobSettings has none of them.
	"jobs/list.response.2.json": {
		"$.jobs[0].settings.libraries", "$.jobs[0].settings.new_cluster", "$.jobs[0].settings.notebook_task",
		"$.jobs[1].settings.existing_cluster_id", "$.jobs[1].settings.notebook_task",
		"$.jobs[2].settings.libraries", "$.jobs[2].settings.max_retries", "$.jobs[2].settings.min_retry_interval_millis",
		"$.jobs[2].settings.new_cluster", "$.jobs[2].settings.retry_on_timeout", "$.jobs[2].settings.spark_jar_task",
		"$.jobs[3].settings.libraries", "$.jobs[3].settings.max_retries", "$.jobs[3].settings.min_retry_interval_millis",
		"$.jobs[3].settings.new_cluster", "$.jobs[3].settings.retry_on_timeout", "$.jobs[3].settings.spark_python_task",
		"$.jobs[4].settings.new_cluster", "$.jobs[4].settings.spark_submit_task",
	},
	// jobs/runs-get-output.response.2: run_id is not in the SDK's RunOutput.
	"jobs/runs-get-output.response.2.json": {"$.run_id"},
	// jobs/runs-submit.request.1: job-level parameters are not a SubmitRun
	// field (the shared README notes it).
	"jobs/runs-submit.request.1.json":      {"$.parameters"},
	"secrets/acls-list.response.2.json":    {"$.acls"},
	"secrets/scopes-list.response.1.json":  {"$.scopes[0].is_databricks_managed"},
	"workspace/get-status.response.2.json": {"$.repos_export_format"},

	// securable_kind is not in the SDK's CatalogInfo.
	"unity-catalog/catalogs-get.response.1.json":  {"$.securable_kind"},
	"unity-catalog/catalogs-list.response.1.json": {"$.catalogs[0].securable_kind"},
	// row_filter.name is the field's old name; the SDK's TableRowFilter has
	// function_name instead.
	"unity-catalog/tables-get.response.1.json":  {"$.row_filter.name"},
	"unity-catalog/tables-list.response.1.json": {"$.tables[0].row_filter.name"},

	// Real warehouse answers carry members the API reference does not
	// document (the legacy "endpoints" list key, auto_resume, creator_id, the
	// legacy size name); an int64 creator_id above 2^53 survives in Extra.
	"sql-warehouses/get.response.1.json":  {"$.auto_resume", "$.creator_id", "$.size"},
	"sql-warehouses/list.response.1.json": {"$.endpoints"},
}

// fxBadEnums lists enum members of the schema-placeholder examples (the
// shared README says the Unity Catalog bodies copy the API reference's
// placeholders) that hold "string" or a *_UNSPECIFIED zero value rather
// than a value the API answers. Any other value outside its type's
// EnumValues() fails the round trip.
var fxBadEnums = map[string][]string{
	"unity-catalog/catalogs-get.response.1.json":  {`$.provisioning_info.state = "STATE_UNSPECIFIED" (catalog.ProvisioningState)`},
	"unity-catalog/catalogs-list.response.1.json": {`$.catalogs[0].provisioning_info.state = "STATE_UNSPECIFIED" (catalog.ProvisioningState)`},
	"unity-catalog/schemas-list.response.1.json":  {`$.schemas[0].catalog_type = "string" (catalog.CatalogType)`},
}

// fxTypeFor maps a fixture's "METHOD /path" and kind to the Go type of the
// declared operation (fxOperation). A declared path parameter matches any
// one segment of the fixture's path (the generic
// /permissions/{request_object_type}/{request_object_id} matches a recorded
// /permissions/clusters/{cluster_id}); the declaration with the most literal
// segments in common wins, so an exact path always does.
func fxTypeFor(operation, kind string) (reflect.Type, error) {
	found, err := fxOperation(operation)
	if err != nil {
		return nil, err
	}
	switch kind {
	case "request":
		return found.Request, nil
	case "response":
		return found.Response, nil
	}
	return nil, fmt.Errorf("unknown kind %q", kind)
}

// fxOperation finds the declared operation of a fixture's "METHOD /path"
// (fixtures.MatchRoute; the most exact match wins).
func fxOperation(operation string) (*client.OperationInfo, error) {
	if _, _, ok := strings.Cut(operation, " "); !ok {
		return nil, fmt.Errorf("operation %q is not METHOD PATH", operation)
	}
	var found *client.OperationInfo
	best := -1
	for _, op := range client.Operations() {
		info := op.Info()
		if literals, _, ok := fixtures.MatchRoute(operation, info.Method+" "+info.Path); ok && literals > best {
			best, found = literals, &info
		}
	}
	if found == nil {
		return nil, fmt.Errorf("no declared operation for %q", operation)
	}
	return found, nil
}

// fxRequestBody is a recorded request body with the path parameters its
// path carries added as members, as the tool's arguments hold them: the
// fixture path's segment, or "1" where it names the parameter only by
// placeholder. A recorded body never has them, and a request struct
// always does.
func fxRequestBody(operation string, body json.RawMessage) (json.RawMessage, error) {
	info, err := fxOperation(operation)
	if err != nil {
		return nil, err
	}
	_, params, _ := fixtures.MatchRoute(operation, info.Method+" "+info.Path)
	var m map[string]json.RawMessage
	if len(params) > 0 {
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, err
		}
	}
	for name, v := range params {
		if v == "" {
			v = "1"
		}
		if f, ok := fieldByJSONName(info.Request, name); ok && f.Type.Kind() >= reflect.Int && f.Type.Kind() <= reflect.Uint64 {
			m[name] = json.RawMessage(v) // an integer id travels as a number in the arguments
			continue
		}
		m[name], _ = json.Marshal(v)
	}
	if m == nil {
		return body, nil
	}
	return json.Marshal(m)
}

// fieldByJSONName finds the field of struct type t a JSON member fills.
func fieldByJSONName(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if n, _, _ := strings.Cut(f.Tag.Get("json"), ","); n == name {
			return f, true
		}
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			if g, ok := fieldByJSONName(f.Type, name); ok {
				return g, true
			}
		}
	}
	return reflect.StructField{}, false
}

// declaredRoutes are the "METHOD /path" of every declared operation, which
// select the payloads to round-trip (fixtures.Covered).
func declaredRoutes() []string {
	var routes []string
	for _, op := range client.Operations() {
		info := op.Info()
		routes = append(routes, info.Method+" "+info.Path)
	}
	return routes
}

func TestFixturesRoundTrip(t *testing.T) {
	payloads := fixtures.Covered(t, declaredRoutes())
	seenUnknown, seenBadEnums := map[string]bool{}, map[string]bool{}
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
			if diffs := fixtures.SemanticDiff(withoutNulls(t, body), withoutNulls(t, out)); len(diffs) > 0 {
				t.Errorf("round trip through %s changed the payload:\n  %s\nencoded: %s", typ, strings.Join(diffs, "\n  "), out)
			}

			unknown := fxExtraPaths(ptr.Elem())
			want := fxUnknown[fx.File]
			seenUnknown[fx.File] = true
			if !slices.Equal(unknown, want) {
				t.Errorf("members kept in Extra (no struct field) = %q, want %q", unknown, want)
			}
			seenBadEnums[fx.File] = true
			if bad, want := fxEnumViolations(ptr.Elem()), fxBadEnums[fx.File]; !slices.Equal(bad, want) {
				t.Errorf("enum values outside EnumValues() = %q, want %q", bad, want)
			}
		})
	}
	for f := range fxUnknown {
		if !seenUnknown[f] {
			t.Errorf("fxUnknown names %s, which is not a fixture any more", f)
		}
	}
	for f := range fxBadEnums {
		if !seenBadEnums[f] {
			t.Errorf("fxBadEnums names %s, which is not a fixture any more", f)
		}
	}
}

// withoutNulls drops the null members of every object: a null for an
// optional field ("git_source": null, as the Azure client writes) leaves
// the field unset and is not sent again, by design (see package lossless),
// which Databricks reads as the same request.
func withoutNulls(t *testing.T, b []byte) []byte {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	var strip func(v any) any
	strip = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, m := range x {
				if m == nil {
					delete(x, k)
				} else {
					x[k] = strip(m)
				}
			}
		case []any:
			for i, m := range x {
				x[i] = strip(m)
			}
		}
		return v
	}
	out, err := json.Marshal(strip(v))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// fxWalk calls visit for v and everything reachable from it, with a JSON
// path built from the fields' JSON names. Extra maps are not entered.
func fxWalk(path string, v reflect.Value, visit func(path string, v reflect.Value)) {
	visit(path, v)
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			fxWalk(path, v.Elem(), visit)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			fxWalk(path+"."+name, v.Field(i), visit)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		for i := range v.Len() {
			fxWalk(fmt.Sprintf("%s[%d]", path, i), v.Index(i), visit)
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			fxWalk(path+"."+k.String(), v.MapIndex(k), visit)
		}
	}
}

// fxExtraPaths lists the members kept in Extra anywhere in v, sorted.
func fxExtraPaths(v reflect.Value) []string {
	var out []string
	fxWalk("$", v, func(path string, v reflect.Value) {
		if v.Kind() != reflect.Struct {
			return
		}
		extra := v.FieldByName("Extra")
		if !extra.IsValid() || extra.Kind() != reflect.Map {
			return
		}
		for _, k := range extra.MapKeys() {
			out = append(out, path+"."+k.String())
		}
	})
	sort.Strings(out)
	return out
}

type fxEnum interface{ EnumValues() []string }

// fxEnumViolations lists enum-typed values in v that their type does not
// list, which catches a typo in an EnumValues list.
func fxEnumViolations(v reflect.Value) []string {
	var out []string
	fxWalk("$", v, func(path string, v reflect.Value) {
		if v.Kind() != reflect.String || !v.CanInterface() {
			return
		}
		e, ok := v.Interface().(fxEnum)
		if !ok {
			return
		}
		if !slices.Contains(e.EnumValues(), v.String()) {
			out = append(out, fmt.Sprintf("%s = %q (%s)", path, v.String(), v.Type()))
		}
	})
	return out
}

// TestFixtureDiffCanFail keeps the comparison honest: each of these pairs
// differs and must be reported.
func TestFixtureDiffCanFail(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{`{"spark_context_id": 5631707659504820000}`, `{"spark_context_id": 5631707659504819712}`},
		{`{"a": 1}`, `{}`},
		{`{}`, `{"a": 0}`},
		{`{"spark_conf": {"x": true}}`, `{"spark_conf": {"x": "true"}}`},
		{`{"a": [1, 2]}`, `{"a": [2, 1]}`},
		{`{"a": null}`, `{"a": ""}`},
		{`{"a": {"b": 1}}`, `{"a": {"b": 1, "c": 2}}`},
	} {
		if d := fixtures.SemanticDiff([]byte(c.a), []byte(c.b)); len(d) == 0 {
			t.Errorf("%s vs %s: no difference reported", c.a, c.b)
		}
	}
	for _, c := range []struct{ a, b string }{
		{`{"a": 1.0, "b": [1e2]}`, `{"b": [100], "a": 1}`},
		{`{"x": -1}`, `{"x": -1.00}`},
	} {
		if d := fixtures.SemanticDiff([]byte(c.a), []byte(c.b)); len(d) != 0 {
			t.Errorf("%s vs %s: %v", c.a, c.b, d)
		}
	}
}

// TestFixtureUnknownMapping makes sure an undeclared operation is reported
// rather than silently skipped.
func TestFixtureUnknownMapping(t *testing.T) {
	if _, err := fxTypeFor("GET /api/2.0/secrets/get", "response"); err == nil {
		t.Error("secrets/get must not be declared (it returns secret values)")
	}
	if _, err := fxTypeFor("POST /api/2.0/clusters/create", "request"); err != nil {
		t.Errorf("2.0 clusters path not mapped: %v", err)
	}
}
