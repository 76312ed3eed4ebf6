package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/dbx-mcp/dbx-mcp/emulator"
)

const startDelay, stopDelay = 3 * time.Second, time.Second

func lifecycleHarness(t *testing.T) *harness {
	return newHarness(t, emulator.Options{ClusterStartDelay: startDelay, ClusterStopDelay: stopDelay})
}

func (h *harness) cluster(id string) response {
	h.t.Helper()
	return h.ok(h.get("/api/2.1/clusters/get", url.Values{"cluster_id": {id}}))
}

func (h *harness) wantState(id, state string) response {
	h.t.Helper()
	r := h.cluster(id)
	if got := r.str("state"); got != state {
		h.t.Fatalf("cluster %s state = %s, want %s", id, got, state)
	}
	return r
}

func (h *harness) createCluster(spec map[string]any) string {
	h.t.Helper()
	r := h.ok(h.post("/api/2.1/clusters/create", spec))
	id := r.str("cluster_id")
	if len(r.body) != 1 || id == "" {
		h.t.Fatalf("create response = %s, want only cluster_id", r.raw)
	}
	return id
}

func eventTypes(t *testing.T, h *harness, id string) []string {
	t.Helper()
	r := h.ok(h.post("/api/2.1/clusters/events", map[string]any{"cluster_id": id, "order": "ASC", "limit": 500}))
	var out []string
	for _, ev := range arr(t, r.body["events"], "events") {
		e := obj(t, ev, "event")
		if e["cluster_id"] != id {
			t.Errorf("event cluster_id = %v", e["cluster_id"])
		}
		if num(t, e["timestamp"], "timestamp") <= 0 {
			t.Errorf("event %v has no timestamp", e)
		}
		out = append(out, e["type"].(string))
	}
	return out
}

func TestClusterLifecycle(t *testing.T) {
	h := lifecycleHarness(t)
	created := h.clock.Now()
	id := h.createCluster(map[string]any{
		"cluster_name":     "etl",
		"spark_version":    "15.4.x-scala2.12",
		"node_type_id":     "Standard_DS3_v2",
		"num_workers":      2,
		"spark_conf":       map[string]any{"spark.speculation": "true"},
		"custom_tags":      map[string]any{"team": "data"},
		"azure_attributes": map[string]any{"availability": "SPOT_WITH_FALLBACK_AZURE", "first_on_demand": 1},
		"x_future_field":   map[string]any{"nested": []any{1, "two"}},
	})
	if !regexp.MustCompile(`^\d{4}-\d{6}-[a-z0-9]{8}$`).MatchString(id) {
		t.Errorf("cluster id %q does not look like a Databricks one", id)
	}

	r := h.wantState(id, "PENDING")
	if r.str("state_message") == "" {
		t.Error("PENDING cluster has no state_message")
	}
	// Everything the client sent is echoed, unknown fields included.
	for field, want := range map[string]string{
		"spark_conf":       `{"spark.speculation":"true"}`,
		"custom_tags":      `{"team":"data"}`,
		"azure_attributes": `{"availability":"SPOT_WITH_FALLBACK_AZURE","first_on_demand":1}`,
		"x_future_field":   `{"nested":[1,"two"]}`,
	} {
		got, _ := json.Marshal(r.body[field])
		if string(got) != want {
			t.Errorf("%s = %s, want %s", field, got, want)
		}
	}
	for field, want := range map[string]any{
		"cluster_id": id, "cluster_name": "etl", "creator_user_name": emulator.UserName,
		"cluster_source": "API", "driver_node_type_id": "Standard_DS3_v2",
	} {
		if r.body[field] != want {
			t.Errorf("%s = %v, want %v", field, r.body[field], want)
		}
	}
	if got := num(t, r.body["start_time"], "start_time"); got != created.UnixMilli() {
		t.Errorf("start_time = %d, want %d", got, created.UnixMilli())
	}
	tags := obj(t, r.body["default_tags"], "default_tags")
	if tags["ClusterId"] != id || tags["Vendor"] != "Databricks" || tags["ClusterName"] != "etl" {
		t.Errorf("default_tags = %v", tags)
	}
	if spec := obj(t, r.body["spec"], "spec"); spec["num_workers"] != json.Number("2") || spec["cluster_id"] != nil {
		t.Errorf("spec = %v", spec)
	}

	// Not running yet: resize and restart are refused the way Databricks does.
	wantError(t, h.post("/api/2.1/clusters/resize", map[string]any{"cluster_id": id, "num_workers": 5}),
		http.StatusBadRequest, "INVALID_STATE", fmt.Sprintf("Cluster %s is in unexpected state Pending.", id))
	wantError(t, h.post("/api/2.1/clusters/edit", map[string]any{"cluster_id": id, "spark_version": "x", "num_workers": 1}),
		http.StatusBadRequest, "INVALID_STATE", fmt.Sprintf("Cluster %s is in unexpected state Pending.", id))

	h.clock.Advance(startDelay - time.Millisecond)
	h.wantState(id, "PENDING")
	h.clock.Advance(time.Millisecond)
	r = h.wantState(id, "RUNNING")
	driver := obj(t, r.body["driver"], "driver")
	if driver["node_id"] == "" || driver["private_ip"] == "" {
		t.Errorf("driver = %v", driver)
	}
	if n := len(arr(t, r.body["executors"], "executors")); n != 2 {
		t.Errorf("%d executors, want 2", n)
	}
	if got := num(t, r.body["cluster_memory_mb"], "cluster_memory_mb"); got != 3*14336 {
		t.Errorf("cluster_memory_mb = %d", got)
	}
	// spark_context_id is an int64 above 2^53 and must arrive exact.
	ctxID := r.body["spark_context_id"].(json.Number)
	n, err := strconv.ParseInt(string(ctxID), 10, 64)
	if err != nil || n <= 1<<53 {
		t.Errorf("spark_context_id = %s, want an integer above 2^53", ctxID)
	}
	if int64(float64(n)) == n {
		t.Errorf("spark_context_id %d survives float64, so it does not exercise precision", n)
	}

	wantError(t, h.post("/api/2.1/clusters/start", map[string]any{"cluster_id": id}),
		http.StatusBadRequest, "INVALID_STATE", fmt.Sprintf("Cluster %s is in unexpected state Running.", id))

	// Resize a running cluster.
	h.ok(h.post("/api/2.1/clusters/resize", map[string]any{"cluster_id": id, "num_workers": 4}))
	r = h.wantState(id, "RESIZING")
	if r.body["num_workers"] != json.Number("4") {
		t.Errorf("num_workers during resize = %v, want the target 4", r.body["num_workers"])
	}
	h.clock.Advance(startDelay)
	r = h.wantState(id, "RUNNING")
	if n := len(arr(t, r.body["executors"], "executors")); n != 4 {
		t.Errorf("%d executors after resize, want 4", n)
	}
	if r.body["spark_context_id"] != ctxID {
		t.Error("a resize restarted Spark")
	}

	// Resize to autoscale.
	h.ok(h.post("/api/2.1/clusters/resize", map[string]any{"cluster_id": id, "autoscale": map[string]any{"min_workers": 1, "max_workers": 3}}))
	h.clock.Advance(startDelay)
	r = h.wantState(id, "RUNNING")
	if _, has := r.body["num_workers"]; has {
		t.Error("num_workers kept after resizing to autoscale")
	}
	if n := len(arr(t, r.body["executors"], "executors")); n != 3 {
		t.Errorf("%d executors, want 3 (4 clamped into 1..3)", n)
	}

	// Restart gives a new Spark context.
	h.ok(h.post("/api/2.1/clusters/restart", map[string]any{"cluster_id": id}))
	h.wantState(id, "RESTARTING")
	h.clock.Advance(startDelay)
	r = h.wantState(id, "RUNNING")
	if r.body["spark_context_id"] == ctxID {
		t.Error("restart kept the Spark context")
	}
	if _, ok := r.body["last_restarted_time"]; !ok {
		t.Error("no last_restarted_time after a restart")
	}

	// Editing a running cluster replaces its spec and restarts it.
	h.ok(h.post("/api/2.1/clusters/edit", map[string]any{
		"cluster_id": id, "cluster_name": "etl-v2", "spark_version": "16.4.x-scala2.12",
		"node_type_id": "Standard_DS4_v2", "num_workers": 1,
	}))
	r = h.wantState(id, "RESTARTING")
	if r.body["cluster_name"] != "etl-v2" || r.body["spark_conf"] != nil {
		t.Errorf("after edit cluster_name = %v, spark_conf = %v; edit replaces the spec", r.body["cluster_name"], r.body["spark_conf"])
	}
	h.clock.Advance(startDelay)
	h.wantState(id, "RUNNING")

	h.ok(h.post("/api/2.1/clusters/pin", map[string]any{"cluster_id": id}))
	if r := h.cluster(id); r.str("pinned_by_user_name") == "" {
		t.Error("pinned cluster has no pinned_by_user_name")
	}
	h.ok(h.post("/api/2.1/clusters/unpin", map[string]any{"cluster_id": id}))
	if r := h.cluster(id); r.body["pinned_by_user_name"] != nil {
		t.Error("unpinned cluster keeps pinned_by_user_name")
	}

	// Terminate.
	h.ok(h.post("/api/2.1/clusters/delete", map[string]any{"cluster_id": id}))
	h.wantState(id, "TERMINATING")
	h.clock.Advance(stopDelay)
	r = h.wantState(id, "TERMINATED")
	reason := obj(t, r.body["termination_reason"], "termination_reason")
	if reason["code"] != "USER_REQUEST" || reason["type"] != "SUCCESS" {
		t.Errorf("termination_reason = %v", reason)
	}
	if got := num(t, r.body["terminated_time"], "terminated_time"); got != h.clock.Now().UnixMilli() {
		t.Errorf("terminated_time = %d, want %d", got, h.clock.Now().UnixMilli())
	}
	if r.body["driver"] != nil || r.body["executors"] != nil {
		t.Error("terminated cluster still lists nodes")
	}
	// Deleting a terminated cluster again is harmless.
	h.ok(h.post("/api/2.1/clusters/delete", map[string]any{"cluster_id": id}))

	wantError(t, h.post("/api/2.1/clusters/resize", map[string]any{"cluster_id": id, "num_workers": 3}),
		http.StatusBadRequest, "INVALID_STATE", fmt.Sprintf("Cluster %s is in unexpected state Terminated.", id))
	wantError(t, h.post("/api/2.1/clusters/restart", map[string]any{"cluster_id": id}),
		http.StatusBadRequest, "INVALID_STATE", fmt.Sprintf("Cluster %s is in unexpected state Terminated.", id))

	// Edit of a terminated cluster is allowed and does not start it.
	h.ok(h.post("/api/2.1/clusters/edit", map[string]any{"cluster_id": id, "spark_version": "16.4.x-scala2.12", "num_workers": 2}))
	h.wantState(id, "TERMINATED")

	// Start again.
	h.ok(h.post("/api/2.1/clusters/start", map[string]any{"cluster_id": id}))
	r = h.wantState(id, "PENDING")
	if r.body["termination_reason"] != nil {
		t.Error("a started cluster keeps its termination_reason")
	}
	h.clock.Advance(startDelay)
	h.wantState(id, "RUNNING")

	want := []string{
		"CREATING", "DRIVER_HEALTHY", "RUNNING", "RESIZING", "UPSIZE_COMPLETED", "RESIZING",
		"RESTARTING", "DRIVER_HEALTHY", "RUNNING", "EDITED", "RESTARTING", "DRIVER_HEALTHY", "RUNNING",
		"PINNED", "UNPINNED", "TERMINATING", "EDITED", "STARTING", "DRIVER_HEALTHY", "RUNNING",
	}
	if got := eventTypes(t, h, id); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("events =\n %v\nwant\n %v", got, want)
	}

	// Permanent delete removes it entirely.
	h.ok(h.post("/api/2.1/clusters/permanent-delete", map[string]any{"cluster_id": id}))
	wantError(t, h.get("/api/2.1/clusters/get", url.Values{"cluster_id": {id}}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", fmt.Sprintf("Cluster %s does not exist", id))
}

func TestClusterEventDetails(t *testing.T) {
	h := lifecycleHarness(t)
	id := h.createCluster(map[string]any{"spark_version": "15.4.x-scala2.12", "num_workers": 1})
	h.clock.Advance(startDelay)
	h.ok(h.post("/api/2.1/clusters/resize", map[string]any{"cluster_id": id, "num_workers": 3}))
	h.clock.Advance(startDelay)
	h.ok(h.post("/api/2.1/clusters/delete", map[string]any{"cluster_id": id}))

	r := h.ok(h.post("/api/2.1/clusters/events", map[string]any{"cluster_id": id}))
	events := arr(t, r.body["events"], "events")
	// Default order is DESC: the newest first.
	first := obj(t, events[0], "event")
	if first["type"] != "TERMINATING" {
		t.Fatalf("newest event = %v, want TERMINATING", first["type"])
	}
	d := obj(t, first["details"], "details")
	if obj(t, d["reason"], "reason")["code"] != "USER_REQUEST" || d["user"] != emulator.UserName {
		t.Errorf("TERMINATING details = %v", d)
	}
	for _, ev := range events {
		e := obj(t, ev, "event")
		d := obj(t, e["details"], "details")
		switch e["type"] {
		case "RESIZING":
			if num(t, d["target_num_workers"], "target") != 3 || num(t, d["current_num_workers"], "current") != 1 {
				t.Errorf("RESIZING details = %v", d)
			}
		case "UPSIZE_COMPLETED":
			if num(t, d["current_num_workers"], "current") != 3 {
				t.Errorf("UPSIZE_COMPLETED details = %v", d)
			}
		case "CREATING":
			if d["user"] != emulator.UserName || d["cluster_size"] == nil {
				t.Errorf("CREATING details = %v", d)
			}
		}
	}
	var prev int64 = 1 << 62
	for _, ev := range events {
		ts := num(t, obj(t, ev, "event")["timestamp"], "timestamp")
		if ts > prev {
			t.Errorf("events not in DESC order")
		}
		prev = ts
	}
}

func TestClusterEventsPaging(t *testing.T) {
	h := lifecycleHarness(t)
	id := h.createCluster(map[string]any{"spark_version": "15.4.x-scala2.12", "num_workers": 0})
	for range 6 {
		h.clock.Advance(time.Second)
		h.ok(h.post("/api/2.1/clusters/pin", map[string]any{"cluster_id": id}))
		h.clock.Advance(time.Second)
		h.ok(h.post("/api/2.1/clusters/unpin", map[string]any{"cluster_id": id}))
	}
	// 12 pin/unpin events plus CREATING, DRIVER_HEALTHY and RUNNING.
	const total = 15

	t.Run("offset and limit", func(t *testing.T) {
		req := map[string]any{"cluster_id": id, "order": "ASC", "limit": 4}
		var got []string
		for page := 0; ; page++ {
			if page > 10 {
				t.Fatal("paging does not end")
			}
			r := h.ok(h.post("/api/2.1/clusters/events", req))
			if num(t, r.body["total_count"], "total_count") != total {
				t.Fatalf("total_count = %v", r.body["total_count"])
			}
			for _, ev := range arr(t, r.body["events"], "events") {
				got = append(got, obj(t, ev, "event")["type"].(string))
			}
			next, ok := r.body["next_page"]
			if !ok {
				break
			}
			req = obj(t, next, "next_page")
			if req["cluster_id"] != id || req["limit"] != json.Number("4") {
				t.Fatalf("next_page = %v", req)
			}
		}
		if len(got) != total || got[0] != "CREATING" || got[total-1] != "UNPINNED" {
			t.Errorf("events = %v", got)
		}
	})

	t.Run("event type filter", func(t *testing.T) {
		r := h.ok(h.post("/api/2.1/clusters/events", map[string]any{"cluster_id": id, "event_types": []string{"PINNED"}}))
		if n := num(t, r.body["total_count"], "total_count"); n != 6 {
			t.Errorf("PINNED events = %d, want 6", n)
		}
	})

	t.Run("time window", func(t *testing.T) {
		start := h.clock.Now().Add(-3 * time.Second).UnixMilli()
		r := h.ok(h.post("/api/2.1/clusters/events", map[string]any{"cluster_id": id, "start_time": start, "end_time": h.clock.Now().UnixMilli()}))
		if n := num(t, r.body["total_count"], "total_count"); n != 4 {
			t.Errorf("events in the last 3s = %d, want 4", n)
		}
	})

	t.Run("DESC without end_time pins it for the next page", func(t *testing.T) {
		r := h.ok(h.post("/api/2.1/clusters/events", map[string]any{"cluster_id": id, "limit": 10}))
		next := obj(t, r.body["next_page"], "next_page")
		if next["end_time"] == nil || next["order"] != "DESC" || next["offset"] != json.Number("10") {
			t.Fatalf("next_page = %v", next)
		}
		r = h.ok(h.post("/api/2.1/clusters/events", next))
		if n := len(arr(t, r.body["events"], "events")); n != total-10 {
			t.Errorf("second page has %d events, want %d", n, total-10)
		}
		wantError(t, h.post("/api/2.1/clusters/events", map[string]any{"cluster_id": id, "offset": 5}),
			http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	})

	t.Run("page tokens", func(t *testing.T) {
		req := map[string]any{"cluster_id": id, "page_size": 6}
		seen := 0
		for page := 0; ; page++ {
			if page > 10 {
				t.Fatal("paging does not end")
			}
			r := h.ok(h.post("/api/2.1/clusters/events", req))
			seen += len(arr(t, r.body["events"], "events"))
			if page > 0 && r.str("prev_page_token") == "" {
				t.Error("no prev_page_token after the first page")
			}
			tok := r.str("next_page_token")
			if tok == "" {
				break
			}
			req = map[string]any{"cluster_id": id, "page_size": 6, "page_token": tok}
		}
		if seen != total {
			t.Errorf("page tokens returned %d events, want %d", seen, total)
		}
		wantError(t, h.post("/api/2.1/clusters/events", map[string]any{"cluster_id": id, "page_token": "garbage!"}),
			http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	})

	t.Run("limits", func(t *testing.T) {
		wantError(t, h.post("/api/2.1/clusters/events", map[string]any{"cluster_id": id, "limit": 501}),
			http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
		wantError(t, h.post("/api/2.1/clusters/events", map[string]any{"cluster_id": id, "event_types": []string{"EXPLODED"}}),
			http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
		wantError(t, h.post("/api/2.1/clusters/events", map[string]any{"cluster_id": id, "order": "SIDEWAYS"}),
			http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	})
}

func TestClusterUnknownID(t *testing.T) {
	h := lifecycleHarness(t)
	const id = "0101-000000-nosuchid"
	msg := "Cluster " + id + " does not exist"
	wantError(t, h.get("/api/2.1/clusters/get", url.Values{"cluster_id": {id}}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", msg)
	wantError(t, h.get("/api/2.0/clusters/get", url.Values{"cluster_id": {id}}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", msg)
	for _, op := range []string{"start", "restart", "delete", "permanent-delete", "pin", "unpin", "events"} {
		wantError(t, h.post("/api/2.1/clusters/"+op, map[string]any{"cluster_id": id}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", msg)
	}
	wantError(t, h.post("/api/2.1/clusters/resize", map[string]any{"cluster_id": id, "num_workers": 1}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", msg)
	wantError(t, h.post("/api/2.1/clusters/edit", map[string]any{"cluster_id": id, "spark_version": "15.4.x-scala2.12", "num_workers": 1}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", msg)
	wantError(t, h.post("/api/2.1/clusters/change-owner", map[string]any{"cluster_id": id, "owner_username": "a@b.c"}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", msg)
	wantError(t, h.get("/api/2.1/clusters/get", nil), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "Missing required field: cluster_id")
}

func TestClusterSpecValidation(t *testing.T) {
	h := lifecycleHarness(t)
	sizeMsg := "Exactly 1 of virtual_cluster_size, num_workers or autoscale must be specified."
	for _, tc := range []struct {
		name string
		spec map[string]any
		code string
		msg  string
	}{
		{"no spark_version", map[string]any{"num_workers": 1}, "INVALID_PARAMETER_VALUE", "Missing required field: spark_version"},
		{"no size", map[string]any{"spark_version": "15.4.x-scala2.12"}, "INVALID_PARAMETER_VALUE", sizeMsg},
		{"both sizes", map[string]any{"spark_version": "15.4.x-scala2.12", "num_workers": 2, "autoscale": map[string]any{"min_workers": 1, "max_workers": 2}}, "INVALID_PARAMETER_VALUE", sizeMsg},
		{"negative workers", map[string]any{"spark_version": "15.4.x-scala2.12", "num_workers": -1}, "INVALID_PARAMETER_VALUE", ""},
		{"inverted autoscale", map[string]any{"spark_version": "15.4.x-scala2.12", "autoscale": map[string]any{"min_workers": 5, "max_workers": 2}}, "INVALID_PARAMETER_VALUE", ""},
		{"half autoscale", map[string]any{"spark_version": "15.4.x-scala2.12", "autoscale": map[string]any{"max_workers": 2}}, "INVALID_PARAMETER_VALUE", ""},
		{"short autotermination", map[string]any{"spark_version": "15.4.x-scala2.12", "num_workers": 1, "autotermination_minutes": 5}, "INVALID_PARAMETER_VALUE", ""},
		{"bad security mode", map[string]any{"spark_version": "15.4.x-scala2.12", "num_workers": 1, "data_security_mode": "OPEN"}, "INVALID_PARAMETER_VALUE", ""},
		{"workers as text", map[string]any{"spark_version": "15.4.x-scala2.12", "num_workers": "two"}, "MALFORMED_REQUEST", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, h.post("/api/2.1/clusters/create", tc.spec), http.StatusBadRequest, tc.code, tc.msg)
		})
	}
	// Zero workers (single node) and disabled autotermination are valid.
	h.createCluster(map[string]any{"spark_version": "15.4.x-scala2.12", "num_workers": 0, "autotermination_minutes": 0})
}

func TestClusterUpdateWithMask(t *testing.T) {
	h := lifecycleHarness(t)
	id := h.createCluster(map[string]any{"cluster_name": "a", "spark_version": "15.4.x-scala2.12", "num_workers": 1, "custom_tags": map[string]any{"k": "v"}})
	h.clock.Advance(startDelay)
	h.ok(h.post("/api/2.1/clusters/update", map[string]any{
		"cluster_id": id, "update_mask": "cluster_name,autoscale",
		"cluster": map[string]any{"cluster_name": "b", "autoscale": map[string]any{"min_workers": 1, "max_workers": 4}, "custom_tags": map[string]any{"ignored": "yes"}},
	}))
	r := h.wantState(id, "RESTARTING")
	if r.body["cluster_name"] != "b" || r.body["num_workers"] != nil || r.body["autoscale"] == nil {
		t.Errorf("after update: %s", r.raw)
	}
	if tags := obj(t, r.body["custom_tags"], "custom_tags"); tags["k"] != "v" || tags["ignored"] != nil {
		t.Errorf("custom_tags = %v; fields outside the mask must not change", tags)
	}
	wantError(t, h.post("/api/2.1/clusters/update", map[string]any{"cluster_id": id, "update_mask": "cluster_name", "cluster": map[string]any{"cluster_name": "c"}}),
		http.StatusBadRequest, "INVALID_STATE", "")
}

func TestClusterListFiltersAndPagination(t *testing.T) {
	h := newHarness(t, emulator.Options{ClusterStartDelay: -1, ClusterStopDelay: -1})
	var ids []string
	for i, name := range []string{"delta", "alpha", "echo", "charlie", "bravo"} {
		spec := map[string]any{"cluster_name": name, "spark_version": "15.4.x-scala2.12", "num_workers": 1}
		if i == 0 {
			spec["policy_id"] = "ABC123"
		}
		ids = append(ids, h.createCluster(spec))
	}
	h.ok(h.post("/api/2.1/clusters/delete", map[string]any{"cluster_id": ids[1]}))
	h.ok(h.post("/api/2.1/clusters/delete", map[string]any{"cluster_id": ids[2]}))
	h.ok(h.post("/api/2.1/clusters/pin", map[string]any{"cluster_id": ids[3]}))

	names := func(r response) []string {
		var out []string
		for _, c := range arr(t, r.body["clusters"], "clusters") {
			out = append(out, obj(t, c, "cluster")["cluster_name"].(string))
		}
		return out
	}
	list := func(q url.Values) []string {
		t.Helper()
		return names(h.ok(h.get("/api/2.1/clusters/list", q)))
	}
	check := func(what string, got []string, want ...string) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	// Default order: running before terminated, pinned first, then by name.
	check("all", list(nil), "charlie", "bravo", "delta", "alpha", "echo")
	check("terminated", list(url.Values{"filter_by.cluster_states": {"TERMINATED"}}), "alpha", "echo")
	check("running or terminated", list(url.Values{"filter_by.cluster_states": {"RUNNING", "TERMINATED"}}), "charlie", "bravo", "delta", "alpha", "echo")
	check("pending", list(url.Values{"filter_by.cluster_states": {"PENDING"}}))
	check("pinned", list(url.Values{"filter_by.is_pinned": {"true"}}), "charlie")
	check("policy", list(url.Values{"filter_by.policy_id": {"ABC123"}}), "delta")
	check("source API", list(url.Values{"filter_by.cluster_sources": {"API"}}), "charlie", "bravo", "delta", "alpha", "echo")
	check("source UI", list(url.Values{"filter_by.cluster_sources": {"UI"}}))
	check("by name", list(url.Values{"sort_by.field": {"CLUSTER_NAME"}, "sort_by.direction": {"ASC"}}), "alpha", "bravo", "charlie", "delta", "echo")
	check("by name desc", list(url.Values{"sort_by.field": {"CLUSTER_NAME"}, "sort_by.direction": {"DESC"}}), "echo", "delta", "charlie", "bravo", "alpha")

	// An empty listing is an empty object, as Databricks sends it.
	if r := h.ok(h.get("/api/2.1/clusters/list", url.Values{"filter_by.cluster_states": {"ERROR"}})); len(r.body) != 0 {
		t.Errorf("empty list = %s, want {}", r.raw)
	}

	// Pages of two, following next_page_token to the end.
	var paged []string
	q := url.Values{"page_size": {"2"}, "sort_by.field": {"CLUSTER_NAME"}}
	for page := 0; ; page++ {
		if page > 5 {
			t.Fatal("paging does not end")
		}
		r := h.ok(h.get("/api/2.1/clusters/list", q))
		got := names(r)
		if len(got) > 2 {
			t.Fatalf("page of %d, want at most 2", len(got))
		}
		paged = append(paged, got...)
		if page > 0 && r.str("prev_page_token") == "" {
			t.Error("no prev_page_token after the first page")
		}
		tok := r.str("next_page_token")
		if tok == "" {
			break
		}
		q.Set("page_token", tok)
	}
	check("paged", paged, "alpha", "bravo", "charlie", "delta", "echo")

	wantError(t, h.get("/api/2.1/clusters/list", url.Values{"page_token": {"not-a-token"}}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	wantError(t, h.get("/api/2.1/clusters/list", url.Values{"filter_by.cluster_states": {"SLEEPING"}}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	wantError(t, h.get("/api/2.1/clusters/list", url.Values{"filter_by.is_pinned": {"maybe"}}), http.StatusBadRequest, "MALFORMED_REQUEST", "")
	wantError(t, h.get("/api/2.1/clusters/list", url.Values{"page_size": {"-1"}}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
}

func TestClusterCatalogs(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	r := h.ok(h.get("/api/2.1/clusters/list-node-types", nil))
	found := false
	for _, nt := range arr(t, r.body["node_types"], "node_types") {
		n := obj(t, nt, "node type")
		for _, f := range []string{"node_type_id", "memory_mb", "num_cores", "description", "instance_type_id", "category"} {
			if _, ok := n[f]; !ok {
				t.Errorf("node type %v lacks %s", n["node_type_id"], f)
			}
		}
		if n["node_type_id"] == "Standard_DS3_v2" {
			found = true
			if num(t, n["memory_mb"], "memory_mb") != 14336 || num(t, n["num_cores"], "num_cores") != 4 {
				t.Errorf("Standard_DS3_v2 = %v", n)
			}
		}
	}
	if !found {
		t.Error("Standard_DS3_v2 not listed")
	}
	r = h.ok(h.get("/api/2.1/clusters/spark-versions", nil))
	versions := arr(t, r.body["versions"], "versions")
	if len(versions) < 3 {
		t.Fatalf("%d spark versions", len(versions))
	}
	for _, v := range versions {
		m := obj(t, v, "version")
		if m["key"] == "" || m["name"] == "" {
			t.Errorf("version %v", m)
		}
	}
	r = h.ok(h.get("/api/2.1/clusters/list-zones", nil))
	if len(arr(t, r.body["zones"], "zones")) == 0 || r.str("default_zone") == "" {
		t.Errorf("list-zones = %s", r.raw)
	}
}

func TestClusterChangeOwner(t *testing.T) {
	h := newHarness(t, emulator.Options{ClusterStartDelay: -1})
	id := h.createCluster(map[string]any{"spark_version": "15.4.x-scala2.12", "num_workers": 0})
	h.ok(h.post("/api/2.1/clusters/change-owner", map[string]any{"cluster_id": id, "owner_username": "new@example.com"}))
	if got := h.cluster(id).str("creator_user_name"); got != "new@example.com" {
		t.Errorf("creator_user_name = %q", got)
	}
	wantError(t, h.post("/api/2.1/clusters/change-owner", map[string]any{"cluster_id": id}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "Missing required field: owner_username")
}
