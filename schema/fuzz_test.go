package schema_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client/compute"
	"github.com/dbx-mcp/dbx-mcp/internal/fixtures"
	"github.com/dbx-mcp/dbx-mcp/schema"
)

// FuzzValidate feeds arbitrary bytes as the arguments of clusters_create, the
// largest input schema of the server (nested objects, arrays, enums, maps of
// string|boolean|number, integers), to the validator the tool runs before
// anything is sent.
//
// The validator is the only gate between a model's arguments and the
// request the client routes, so what it accepts must be something the
// request type can hold. Invariants:
//   - Validate never panics, whatever the bytes.
//   - When it reports no problem, the arguments are one JSON object, and
//     json.Unmarshal decodes them into compute.CreateClusterRequest.
//   - That decoded request, encoded again, still validates: what the typed
//     client would send for it is accepted too.
//
// Run it with:
//
//	go test -run x -fuzz FuzzValidate -fuzztime 60s ./schema/
//
// A plain go test runs the seeds below and the clusters fixtures of
// internal/fixtures (the real create requests among them).
func FuzzValidate(f *testing.F) {
	in, err := schema.Input(reflect.TypeFor[compute.CreateClusterRequest]())
	if err != nil {
		f.Fatal(err)
	}
	v, err := schema.NewValidator(in)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		`{"spark_version":"15.4.x-scala2.12","node_type_id":"Standard_DS3_v2","num_workers":2}`,
		`{"spark_version":"15.4.x-scala2.12","autoscale":{"min_workers":1,"max_workers":8},"autotermination_minutes":30}`,
		`{"spark_version":"x","spark_conf":{"spark.speculation":true,"spark.executor.cores":4,"spark.app.name":"etl"}}`,
		`{"spark_version":"x","custom_tags":{"team":"data","cost":12.5},"data_security_mode":"SINGLE_USER","single_user_name":"a@b.c"}`,
		`{"spark_version":"x","init_scripts":[{"volumes":{"destination":"/Volumes/c/s/v/init.sh"}},{"workspace":{"destination":"/Users/a/x.sh"}}]}`,
		`{"spark_version":"x","azure_attributes":{"availability":"SPOT_WITH_FALLBACK_AZURE","first_on_demand":1,"spot_bid_max_price":-1}}`,
		`{"spark_version":"x","runtime_engine":"PHOTON","ssh_public_keys":["ssh-rsa AAAA"],"workload_type":{"clients":{"jobs":true,"notebooks":false}}}`,
		`{"spark_version":"x","num_workers":9007199254740993}`,
		`{"spark_version":"x","num_workers":-0}`,
		`{"spark_version":"x","cluster_name":null}`,
		`{"spark_version":"x","clone_from":{"source_cluster_id":"0101-abc"}}`,
		`{"spark_version":"x","spark_version":"y"}`,
		`{"spark_version":"\ud800"}`,
		`{"spark_version":"x","num_wokers":2}`,
		`{"spark_version":"x","data_security_mode":"single_user"}`,
		`{"spark_version":"x","num_workers":3.0}`, `{"spark_version":"x","num_workers":1e3}`,
		`{"spark_version":"x"}}`, `{"spark_version":"x","azure_attributes":{"spot_bid_max_price":1e400}}`,
		`{}`, `[]`, `null`, `"x"`, `1`, `{"spark_version":"x"} {}`, `{"spark_version":"x"`, ``, "\x00",
	} {
		f.Add([]byte(seed))
	}
	for _, p := range fixtures.Load(f, "clusters") {
		if p.Operation == "POST /api/2.1/clusters/create" || p.Operation == "POST /api/2.0/clusters/create" {
			f.Add([]byte(p.Body))
		}
	}

	f.Fuzz(func(t *testing.T, args []byte) {
		problems := v.Validate(args)
		if len(problems) > 0 {
			for _, p := range problems {
				if p.Message == "" {
					t.Errorf("problem without a message at %q for %q", p.Path, args)
				}
			}
			return
		}
		trimmed := bytes.TrimSpace(args)
		if !json.Valid(args) || len(trimmed) == 0 || trimmed[0] != '{' {
			t.Fatalf("Validate accepted %q, which is not a JSON object", args)
		}
		var req compute.CreateClusterRequest
		if err := json.Unmarshal(args, &req); err != nil {
			t.Fatalf("Validate accepted %q, but it does not decode into CreateClusterRequest: %v", args, err)
		}
		again, err := json.Marshal(req)
		if err != nil {
			t.Fatalf("re-encoding the request decoded from %q: %v", args, err)
		}
		if p := v.Validate(again); len(p) > 0 {
			t.Fatalf("Validate accepted %q, but not its re-encoding %s: %v", args, again, p)
		}
	})
}
