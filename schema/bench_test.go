package schema_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client/compute"
	"github.com/dbx-mcp/dbx-mcp/schema"
)

// BenchmarkValidate measures the argument check every tool call makes,
// on clusters_create's input schema (the largest) with arguments that use
// most of it. Compare runs with benchstat:
//
//	go test -run x -bench Validate -benchmem -count 5 ./schema/
func BenchmarkValidate(b *testing.B) {
	in, err := schema.Input(reflect.TypeFor[compute.CreateClusterRequest]())
	if err != nil {
		b.Fatal(err)
	}
	v, err := schema.NewValidator(in)
	if err != nil {
		b.Fatal(err)
	}
	args := json.RawMessage(`{"cluster_name":"etl","spark_version":"15.4.x-scala2.12","node_type_id":"Standard_DS3_v2",` +
		`"autoscale":{"min_workers":1,"max_workers":8},"autotermination_minutes":30,` +
		`"spark_conf":{"spark.speculation":true,"spark.executor.cores":4,"spark.app.name":"etl"},` +
		`"custom_tags":{"team":"data","cost":12.5},"data_security_mode":"SINGLE_USER","single_user_name":"a@b.c",` +
		`"init_scripts":[{"volumes":{"destination":"/Volumes/c/s/v/init.sh"}},{"workspace":{"destination":"/Users/a/x.sh"}}],` +
		`"azure_attributes":{"availability":"SPOT_WITH_FALLBACK_AZURE","first_on_demand":1,"spot_bid_max_price":-1},` +
		`"runtime_engine":"PHOTON","ssh_public_keys":["ssh-rsa AAAA"]}`)
	if p := v.Validate(args); len(p) > 0 {
		b.Fatalf("benchmark arguments are invalid: %v", p)
	}
	b.ReportAllocs()
	for b.Loop() {
		v.Validate(args)
	}
}
