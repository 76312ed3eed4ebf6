package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/dbx-mcp/dbx-mcp/client/sql"
	"github.com/dbx-mcp/dbx-mcp/emulator"
	"github.com/dbx-mcp/dbx-mcp/internal/fixtures"
)

const whBase = "/api/2.0/sql/warehouses"

func (h *harness) warehouse(id string) response {
	h.t.Helper()
	return h.ok(h.get(whBase+"/"+id, nil))
}

func (h *harness) wantWarehouseState(id, state string) response {
	h.t.Helper()
	r := h.warehouse(id)
	if got := r.str("state"); got != state {
		h.t.Fatalf("warehouse %s state = %s, want %s", id, got, state)
	}
	return r
}

func (h *harness) createWarehouse(spec map[string]any) string {
	h.t.Helper()
	r := h.ok(h.post(whBase, spec))
	id := r.str("id")
	if len(r.body) != 1 || len(id) != 16 {
		h.t.Fatalf("create answered %s, want only a 16-digit id", r.raw)
	}
	return id
}

// TestWarehouseLifecycle walks a warehouse through its states: created
// STARTING, RUNNING after the start delay, STOPPING then STOPPED, started
// again, restarted by an edit of its size, deleted.
func TestWarehouseLifecycle(t *testing.T) {
	h := lifecycleHarness(t)
	id := h.createWarehouse(map[string]any{"name": "bi", "cluster_size": "2X-Small", "max_num_clusters": 3})

	r := h.wantWarehouseState(id, "STARTING")
	for k, want := range map[string]any{
		"id": id, "name": "bi", "cluster_size": "2X-Small", "creator_name": "emulator-user@example.com",
		"spot_instance_policy": "COST_OPTIMIZED", "warehouse_type": "CLASSIC", "enable_photon": true,
	} {
		if r.body[k] != want {
			t.Errorf("%s = %v, want %v", k, r.body[k], want)
		}
	}
	for k, want := range map[string]int64{"min_num_clusters": 1, "max_num_clusters": 3, "auto_stop_mins": 120, "num_clusters": 0} {
		if got := num(t, r.body[k], k); got != want {
			t.Errorf("%s = %d, want %d", k, got, want)
		}
	}
	if odbc := obj(t, r.body["odbc_params"], "odbc_params"); odbc["path"] != "/sql/1.0/warehouses/"+id {
		t.Errorf("odbc_params = %v", odbc)
	}

	h.clock.Advance(startDelay - time.Millisecond)
	h.wantWarehouseState(id, "STARTING")
	h.clock.Advance(time.Millisecond)
	r = h.wantWarehouseState(id, "RUNNING")
	if num(t, r.body["num_clusters"], "num_clusters") != 1 || obj(t, r.body["health"], "health")["status"] != "HEALTHY" {
		t.Errorf("a running warehouse: %s", r.raw)
	}

	h.ok(h.post(whBase+"/"+id+"/start", nil)) // already running: nothing changes
	h.wantWarehouseState(id, "RUNNING")

	h.ok(h.post(whBase+"/"+id+"/stop", nil))
	h.wantWarehouseState(id, "STOPPING")
	h.clock.Advance(stopDelay)
	h.wantWarehouseState(id, "STOPPED")
	h.ok(h.post(whBase+"/"+id+"/stop", nil))
	h.wantWarehouseState(id, "STOPPED")

	h.ok(h.post(whBase+"/"+id+"/start", map[string]any{}))
	h.wantWarehouseState(id, "STARTING")
	h.clock.Advance(startDelay)
	h.wantWarehouseState(id, "RUNNING")

	// An edit that changes only the name keeps it running; a new size restarts it.
	h.ok(h.post(whBase+"/"+id+"/edit", map[string]any{"name": "bi2"}))
	if r := h.wantWarehouseState(id, "RUNNING"); r.str("name") != "bi2" || r.str("cluster_size") != "2X-Small" {
		t.Errorf("after renaming: %s", r.raw)
	}
	if r := h.ok(h.post(whBase+"/"+id+"/edit", map[string]any{"cluster_size": "Small"})); len(r.body) != 0 {
		t.Errorf("edit answered %s, want {}", r.raw)
	}
	h.wantWarehouseState(id, "STARTING")

	if r := h.ok(h.call(http.MethodDelete, whBase+"/"+id, nil, nil)); len(r.body) != 0 {
		t.Errorf("delete answered %s, want {}", r.raw)
	}
	wantError(t, h.get(whBase+"/"+id, nil), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "Warehouse "+id+" does not exist.")
}

// TestWarehouseAutoStop: a running warehouse stops by itself after
// auto_stop_mins; 0 keeps it running.
func TestWarehouseAutoStop(t *testing.T) {
	h := lifecycleHarness(t)
	stops := h.createWarehouse(map[string]any{"name": "a", "cluster_size": "Small", "auto_stop_mins": 10})
	stays := h.createWarehouse(map[string]any{"name": "b", "cluster_size": "Small", "auto_stop_mins": 0})
	h.clock.Advance(startDelay + 10*time.Minute - time.Millisecond)
	h.wantWarehouseState(stops, "RUNNING")
	h.clock.Advance(time.Millisecond)
	h.wantWarehouseState(stops, "STOPPING")
	h.clock.Advance(stopDelay)
	h.wantWarehouseState(stops, "STOPPED")
	h.clock.Advance(24 * time.Hour)
	h.wantWarehouseState(stays, "RUNNING")
}

// TestWarehouseErrors: an unknown id on every route, and the configuration
// rules of create and edit.
func TestWarehouseErrors(t *testing.T) {
	h := lifecycleHarness(t)
	const missing = "Warehouse 0123456789abcdef does not exist."
	for _, r := range []response{
		h.get(whBase+"/0123456789abcdef", nil),
		h.post(whBase+"/0123456789abcdef/edit", map[string]any{"name": "x"}),
		h.post(whBase+"/0123456789abcdef/start", nil),
		h.post(whBase+"/0123456789abcdef/stop", nil),
		h.call(http.MethodDelete, whBase+"/0123456789abcdef", nil, nil),
	} {
		wantError(t, r, http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", missing)
	}

	id := h.createWarehouse(map[string]any{"name": "taken", "cluster_size": "Medium"})
	for _, c := range []struct {
		spec map[string]any
		msg  string
	}{
		{map[string]any{"cluster_size": "Small"}, "Missing required field: name"},
		{map[string]any{"name": "n"}, "Missing required field: cluster_size"},
		{map[string]any{"name": "n", "cluster_size": "Huge"}, "Invalid cluster_size 'Huge'; allowed values are 2X-Small, X-Small, Small, Medium, Large, X-Large, 2X-Large, 3X-Large, 4X-Large, 5X-Large."},
		{map[string]any{"name": "n", "cluster_size": "Small", "min_num_clusters": 3, "max_num_clusters": 2}, "max_num_clusters (2) must be at least min_num_clusters (3)."},
		{map[string]any{"name": "n", "cluster_size": "Small", "max_num_clusters": 41}, "max_num_clusters must be at most 40, got 41."},
		{map[string]any{"name": "n", "cluster_size": "Small", "auto_stop_mins": 5}, "auto_stop_mins must be 0 (no auto stop) or at least 10, got 5."},
		{map[string]any{"name": "n", "cluster_size": "Small", "warehouse_type": "BIG"}, "Invalid warehouse_type 'BIG'; allowed values are CLASSIC, PRO, TYPE_UNSPECIFIED."},
		{map[string]any{"name": "n", "cluster_size": "Small", "warehouse_type": "CLASSIC", "enable_serverless_compute": true}, "Serverless compute needs warehouse_type PRO."},
		{map[string]any{"name": "taken", "cluster_size": "Small"}, "Warehouse with name 'taken' already exists."},
	} {
		r := h.post(whBase, c.spec)
		if r.status == http.StatusOK {
			t.Errorf("create %v succeeded", c.spec)
			continue
		}
		code := "INVALID_PARAMETER_VALUE"
		wantError(t, r, http.StatusBadRequest, code, c.msg)
	}
	wantError(t, h.post(whBase+"/"+id+"/edit", map[string]any{"cluster_size": "Tiny"}), http.StatusBadRequest,
		"INVALID_PARAMETER_VALUE", "Invalid cluster_size 'Tiny'; allowed values are 2X-Small, X-Small, Small, Medium, Large, X-Large, 2X-Large, 3X-Large, 4X-Large, 5X-Large.")
	if r := h.warehouse(id); r.str("cluster_size") != "Medium" {
		t.Errorf("a refused edit changed the warehouse: %s", r.raw)
	}

	// Serverless warehouses default to PRO.
	sid := h.createWarehouse(map[string]any{"name": "sl", "cluster_size": "Small", "enable_serverless_compute": true})
	if got := h.warehouse(sid).str("warehouse_type"); got != "PRO" {
		t.Errorf("serverless warehouse_type = %s, want PRO", got)
	}
}

// TestWarehousesListPages: the list pages by page_size and next_page_token
// in creation order, each warehouse once.
func TestWarehousesListPages(t *testing.T) {
	h := lifecycleHarness(t)
	if r := h.ok(h.get(whBase, nil)); len(r.body) != 0 {
		t.Errorf("an empty workspace lists %s, want {}", r.raw)
	}
	var ids []string
	for _, n := range []string{"a", "b", "c"} {
		ids = append(ids, h.createWarehouse(map[string]any{"name": n, "cluster_size": "Small"}))
	}
	var got []string
	q := url.Values{"page_size": {"2"}}
	for range 5 {
		r := h.ok(h.get(whBase, q))
		for _, w := range arr(t, r.body["warehouses"], "warehouses") {
			m := obj(t, w, "warehouse")
			if m["state"] != "STARTING" {
				t.Errorf("listed state %v", m["state"])
			}
			got = append(got, m["id"].(string))
		}
		tok := r.str("next_page_token")
		if tok == "" {
			break
		}
		q.Set("page_token", tok)
	}
	if len(got) != 3 || got[0] != ids[0] || got[1] != ids[1] || got[2] != ids[2] {
		t.Errorf("listed %v, want %v", got, ids)
	}
}

// TestWarehouseFixtures sends the recorded warehouse create requests: the
// CLI's real one is accepted and read back as sent, with nothing the typed
// client does not know; the API reference's placeholder example is refused
// for its cluster_size "string".
func TestWarehouseFixtures(t *testing.T) {
	h := lifecycleHarness(t)
	seen := 0
	for _, fx := range fixtures.Load(t, "sql-warehouses") {
		if fx.Kind != "request" {
			continue
		}
		seen++
		var body map[string]any
		if err := json.Unmarshal(fx.Body, &body); err != nil {
			t.Fatal(err)
		}
		r := h.post(whBase, body)
		if body["cluster_size"] == "string" {
			wantError(t, r, http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
			continue
		}
		got := h.warehouse(h.ok(r).str("id"))
		for k, v := range body {
			if fmt.Sprint(got.body[k]) != fmt.Sprint(v) {
				t.Errorf("%s: %s = %v, sent %v", fx.File, k, got.body[k], v)
			}
		}
		var w sql.Warehouse
		if err := json.Unmarshal(got.raw, &w); err != nil {
			t.Fatal(err)
		}
		if len(w.Extra) != 0 {
			t.Errorf("get answers members the client does not know: %v", w.Extra)
		}
	}
	if seen != 2 {
		t.Errorf("%d create requests, want 2", seen)
	}
}

// TestStarterWarehouse: with Options.StarterWarehouse the workspace starts
// with one RUNNING serverless warehouse, on which a statement runs at once;
// without it, with none.
func TestStarterWarehouse(t *testing.T) {
	h := newHarness(t, emulator.Options{StarterWarehouse: true})
	list := h.ok(h.get("/api/2.0/sql/warehouses", nil)).body["warehouses"].([]any)
	if len(list) != 1 {
		t.Fatalf("%d warehouses, want the starter one", len(list))
	}
	w := list[0].(map[string]any)
	if w["name"] != emulator.StarterWarehouseName || w["state"] != "RUNNING" || w["enable_serverless_compute"] != true {
		t.Errorf("starter warehouse: %v", w)
	}
	r := h.ok(h.post("/api/2.0/sql/statements", map[string]any{"statement": "SELECT 1 AS one", "warehouse_id": w["id"]}))
	if st := r.body["status"].(map[string]any)["state"]; st != "SUCCEEDED" {
		t.Errorf("first statement on the starter warehouse: %v", r.body)
	}
	empty := newHarness(t, emulator.Options{})
	if got := empty.ok(empty.get("/api/2.0/sql/warehouses", nil)).body["warehouses"]; got != nil {
		t.Errorf("warehouses without the option: %v", got)
	}
}
