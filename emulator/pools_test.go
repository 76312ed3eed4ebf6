package emulator_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/emulator"
	"github.com/dbx-mcp/dbx-mcp/internal/fixtures"
)

const pools = "/api/2.0/instance-pools/"

var poolID = regexp.MustCompile(`^\d{4}-\d{6}-[a-z0-9]{7}-pool-[a-z0-9]{8}$`)

func (h *harness) pool(id string) response {
	h.t.Helper()
	return h.ok(h.get(pools+"get", url.Values{"instance_pool_id": {id}}))
}

func TestInstancePoolLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{ClusterStartDelay: startDelay, ClusterStopDelay: stopDelay})

	// The real create request of the CLI's acceptance test.
	var body map[string]any
	for _, fx := range fixtures.Load(t, "instance-pools") {
		if fx.Kind == "request" {
			if err := json.Unmarshal(fx.Body, &body); err != nil {
				t.Fatal(err)
			}
		}
	}
	if body == nil {
		t.Fatal("no instance-pools request fixture")
	}
	body["custom_tags"] = map[string]any{"team": "data"}
	body["preloaded_spark_versions"] = []string{"15.4.x-scala2.12"}
	r := h.ok(h.post(pools+"create", body))
	id := r.str("instance_pool_id")
	if !poolID.MatchString(id) || len(r.body) != 1 {
		t.Fatalf("create answered %s, want only an instance_pool_id like 1234-567890-abcd123-pool-12abcde3", r.raw)
	}

	p := h.pool(id)
	for k, want := range map[string]string{
		"instance_pool_id": id, "instance_pool_name": "my_instance_pool", "node_type_id": "Standard_DS3_v2",
		"state": "ACTIVE", "max_capacity": "5", "min_idle_instances": "0", "idle_instance_autotermination_minutes": "60",
	} {
		if got, _ := p.body[k].(json.Number); got.String() != want && p.str(k) != want {
			t.Errorf("%s = %v, want %s", k, p.body[k], want)
		}
	}
	if tags := obj(t, p.body["default_tags"], "default_tags"); tags["Vendor"] != "Databricks" || tags["DatabricksInstancePoolId"] != id {
		t.Errorf("default_tags = %v", tags)
	}
	if az := obj(t, p.body["azure_attributes"], "azure_attributes"); az["availability"] != "ON_DEMAND_AZURE" {
		t.Errorf("azure_attributes = %v, want the Azure default", az)
	}
	stats := obj(t, p.body["stats"], "stats")
	if num(t, stats["used_count"], "used_count") != 0 || num(t, stats["idle_count"], "idle_count") != 0 {
		t.Errorf("stats of an unused pool = %v", stats)
	}

	// A running cluster on the pool uses its nodes: the driver and workers.
	cid := h.createCluster(map[string]any{"spark_version": "15.4.x-scala2.12", "instance_pool_id": id, "num_workers": 2})
	if st := obj(t, h.pool(id).body["stats"], "stats"); num(t, st["pending_used_count"], "pending_used_count") != 3 {
		t.Errorf("stats while the cluster starts = %v, want 3 pending used", st)
	}
	h.clock.Advance(startDelay)
	h.wantState(cid, "RUNNING")
	if st := obj(t, h.pool(id).body["stats"], "stats"); num(t, st["used_count"], "used_count") != 3 {
		t.Errorf("stats with a running cluster = %v, want 3 used", st)
	}

	// Edit replaces the editable fields and keeps the settled ones.
	h.ok(h.post(pools+"edit", map[string]any{
		"instance_pool_id": id, "instance_pool_name": "renamed", "node_type_id": "Standard_DS3_v2",
		"min_idle_instances": 1, "max_capacity": 10, "azure_attributes": map[string]any{"availability": "SPOT_AZURE"},
	}))
	p = h.pool(id)
	if p.str("instance_pool_name") != "renamed" || p.body["idle_instance_autotermination_minutes"] != nil || p.body["custom_tags"] != nil {
		t.Errorf("after edit: %s", p.raw)
	}
	if az := obj(t, p.body["azure_attributes"], "azure_attributes"); az["availability"] != "ON_DEMAND_AZURE" {
		t.Errorf("edit changed azure_attributes: %v", az)
	}
	if v := arr(t, p.body["preloaded_spark_versions"], "preloaded_spark_versions"); len(v) != 1 {
		t.Errorf("edit dropped preloaded_spark_versions: %v", v)
	}
	if st := obj(t, p.body["stats"], "stats"); num(t, st["idle_count"], "idle_count") != 1 {
		t.Errorf("stats after min_idle_instances 1 = %v", st)
	}
	wantError(t, h.post(pools+"edit", map[string]any{"instance_pool_id": id, "instance_pool_name": "renamed", "node_type_id": "Standard_DS4_v2"}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")

	l := h.ok(h.get(pools+"list", nil))
	if items := arr(t, l.body["instance_pools"], "instance_pools"); len(items) != 1 || obj(t, items[0], "pool")["instance_pool_id"] != id {
		t.Errorf("list = %s", l.raw)
	}

	h.ok(h.post(pools+"delete", map[string]any{"instance_pool_id": id}))
	wantError(t, h.get(pools+"get", url.Values{"instance_pool_id": {id}}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE",
		"Can't find an instance pool with id: "+id+".")
	if l := h.ok(h.get(pools+"list", nil)); len(l.body) != 0 {
		t.Errorf("list after delete = %s, want {}", l.raw)
	}
}

func TestInstancePoolRules(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	base := func(extra map[string]any) map[string]any {
		b := map[string]any{"instance_pool_name": "p", "node_type_id": "Standard_DS3_v2"}
		for k, v := range extra {
			b[k] = v
		}
		return b
	}
	for _, tc := range []struct {
		name string
		body map[string]any
		code string
	}{
		{"no name", map[string]any{"node_type_id": "Standard_DS3_v2"}, "INVALID_PARAMETER_VALUE"},
		{"no node type", map[string]any{"instance_pool_name": "p"}, "INVALID_PARAMETER_VALUE"},
		{"unknown node type", base(map[string]any{"node_type_id": "Standard_Nope"}), "INVALID_PARAMETER_VALUE"},
		{"min idle above max", base(map[string]any{"min_idle_instances": 3, "max_capacity": 2}), "INVALID_PARAMETER_VALUE"},
		{"autotermination too long", base(map[string]any{"idle_instance_autotermination_minutes": 10001}), "INVALID_PARAMETER_VALUE"},
		{"two preloaded versions", base(map[string]any{"preloaded_spark_versions": []string{"a", "b"}}), "INVALID_PARAMETER_VALUE"},
		{"tags not an object", base(map[string]any{"custom_tags": []string{}}), "MALFORMED_REQUEST"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, h.post(pools+"create", tc.body), http.StatusBadRequest, tc.code, "")
		})
	}
	h.ok(h.post(pools+"create", base(nil)))
	wantError(t, h.post(pools+"create", base(nil)), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "Instance pool with name p already exists.")
	if l := h.ok(h.get(pools+"list", nil)); len(arr(t, l.body["instance_pools"], "instance_pools")) != 1 {
		t.Errorf("refused creates left pools behind: %s", l.raw)
	}
}
