package emulator_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/dbx-mcp/dbx-mcp/emulator"
)

const libraries = "/api/2.0/libraries/"

// libStatuses returns the status of each library of a cluster, by its
// compact JSON.
func (h *harness) libStatuses(cid string) map[string]string {
	h.t.Helper()
	r := h.ok(h.get(libraries+"cluster-status", url.Values{"cluster_id": {cid}}))
	if r.str("cluster_id") != cid {
		h.t.Fatalf("cluster-status = %s", r.raw)
	}
	out := map[string]string{}
	if r.body["library_statuses"] == nil {
		return out
	}
	for _, it := range arr(h.t, r.body["library_statuses"], "library_statuses") {
		st := obj(h.t, it, "library status")
		if st["is_library_for_all_clusters"] != false {
			h.t.Errorf("is_library_for_all_clusters = %v", st["is_library_for_all_clusters"])
		}
		out[fmt.Sprint(st["library"])], _ = st["status"].(string)
	}
	return out
}

func TestLibrariesFollowTheCluster(t *testing.T) {
	h := newHarness(t, emulator.Options{ClusterStartDelay: startDelay, ClusterStopDelay: stopDelay})
	cid := h.createCluster(map[string]any{"spark_version": "15.4.x-scala2.12", "node_type_id": "Standard_DS3_v2", "num_workers": 1})
	pypi := map[string]any{"pypi": map[string]any{"package": "simplejson==3.8.0"}}
	maven := map[string]any{"maven": map[string]any{"coordinates": "org.jsoup:jsoup:1.7.2", "exclusions": []string{"slf4j:slf4j"}}}
	const pypiKey, mavenKey = "map[pypi:map[package:simplejson==3.8.0]]", "map[maven:map[coordinates:org.jsoup:jsoup:1.7.2 exclusions:[slf4j:slf4j]]]"

	// Asked for while the cluster starts: PENDING until it runs.
	h.ok(h.post(libraries+"install", map[string]any{"cluster_id": cid, "libraries": []any{pypi}}))
	if got := h.libStatuses(cid)[pypiKey]; got != "PENDING" {
		t.Errorf("on a starting cluster: %s, want PENDING", got)
	}
	h.clock.Advance(startDelay)
	h.wantState(cid, "RUNNING")
	for _, step := range []struct {
		after time.Duration
		want  string
	}{{0, "PENDING"}, {startDelay / 2, "INSTALLING"}, {startDelay / 2, "INSTALLED"}} {
		h.clock.Advance(step.after)
		if got := h.libStatuses(cid)[pypiKey]; got != step.want {
			t.Errorf("running cluster, %v later: %s, want %s", step.after, got, step.want)
		}
	}

	// Installing it again changes nothing; another library follows its own clock.
	h.ok(h.post(libraries+"install", map[string]any{"cluster_id": cid, "libraries": []any{pypi, maven}}))
	if st := h.libStatuses(cid); len(st) != 2 || st[pypiKey] != "INSTALLED" || st[mavenKey] != "PENDING" {
		t.Errorf("after the second install: %v", st)
	}
	h.clock.Advance(startDelay)

	// Uninstall marks it; the restart removes it.
	h.ok(h.post(libraries+"uninstall", map[string]any{"cluster_id": cid, "libraries": []any{pypi}}))
	if st := h.libStatuses(cid); st[pypiKey] != "UNINSTALL_ON_RESTART" || st[mavenKey] != "INSTALLED" {
		t.Errorf("after uninstall: %v", st)
	}
	r := h.ok(h.get(libraries+"cluster-status", url.Values{"cluster_id": {cid}}))
	if last := arr(t, r.body["library_statuses"], "library_statuses")[1]; obj(t, last, "status")["status"] != "UNINSTALL_ON_RESTART" {
		t.Errorf("a library marked for removal is not listed last: %s", r.raw)
	}
	h.ok(h.post("/api/2.1/clusters/restart", map[string]any{"cluster_id": cid}))
	if st := h.libStatuses(cid); st[pypiKey] != "UNINSTALL_ON_RESTART" || st[mavenKey] != "PENDING" {
		t.Errorf("while restarting: %v", st)
	}
	h.clock.Advance(2 * startDelay)
	if st := h.libStatuses(cid); len(st) != 1 || st[mavenKey] != "INSTALLED" {
		t.Errorf("after the restart: %v, want only the maven library, installed", st)
	}

	// A terminated cluster's libraries wait for its next start.
	h.ok(h.post("/api/2.1/clusters/delete", map[string]any{"cluster_id": cid}))
	h.clock.Advance(stopDelay)
	h.wantState(cid, "TERMINATED")
	h.ok(h.post(libraries+"install", map[string]any{"cluster_id": cid, "libraries": []any{map[string]any{"whl": "/Volumes/main/default/libs/a-1.0-py3-none-any.whl"}}}))
	h.clock.Advance(time.Hour)
	for k, v := range h.libStatuses(cid) {
		if v != "PENDING" {
			t.Errorf("%s on a terminated cluster: %s, want PENDING", k, v)
		}
	}

	all := h.ok(h.get(libraries+"all-cluster-statuses", nil))
	statuses := arr(t, all.body["statuses"], "statuses")
	if len(statuses) != 1 || obj(t, statuses[0], "status")["cluster_id"] != cid ||
		len(arr(t, obj(t, statuses[0], "status")["library_statuses"], "library_statuses")) != 2 {
		t.Errorf("all-cluster-statuses = %s", all.raw)
	}
}

func TestLibrariesEggOnNewRuntimeFails(t *testing.T) {
	h := newHarness(t, emulator.Options{ClusterStartDelay: -1, ClusterStopDelay: -1})
	cid := h.createCluster(map[string]any{"spark_version": "14.3.x-scala2.12", "num_workers": 0})
	h.ok(h.post(libraries+"install", map[string]any{"cluster_id": cid, "libraries": []any{map[string]any{"egg": "/Workspace/a.egg"}}}))
	r := h.ok(h.get(libraries+"cluster-status", url.Values{"cluster_id": {cid}}))
	st := obj(t, arr(t, r.body["library_statuses"], "library_statuses")[0], "status")
	if st["status"] != "FAILED" || len(arr(t, st["messages"], "messages")) != 1 {
		t.Errorf("egg on DBR 14.3 = %v, want FAILED with a message", st)
	}
}

func TestLibrariesRequests(t *testing.T) {
	h := newHarness(t, emulator.Options{ClusterStartDelay: -1, ClusterStopDelay: -1})
	cid := h.createCluster(map[string]any{"spark_version": "15.4.x-scala2.12", "num_workers": 0})
	for _, tc := range []struct {
		name string
		body map[string]any
		code string
	}{
		{"no libraries", map[string]any{"cluster_id": cid}, "INVALID_PARAMETER_VALUE"},
		{"empty libraries", map[string]any{"cluster_id": cid, "libraries": []any{}}, "INVALID_PARAMETER_VALUE"},
		{"libraries an object", map[string]any{"cluster_id": cid, "libraries": map[string]any{}}, "MALFORMED_REQUEST"},
		{"two kinds", map[string]any{"cluster_id": cid, "libraries": []any{map[string]any{"jar": "/a.jar", "whl": "/a.whl"}}}, "INVALID_PARAMETER_VALUE"},
		{"no kind", map[string]any{"cluster_id": cid, "libraries": []any{map[string]any{"npm": "left-pad"}}}, "INVALID_PARAMETER_VALUE"},
		{"pypi without package", map[string]any{"cluster_id": cid, "libraries": []any{map[string]any{"pypi": map[string]any{"repo": "https://x"}}}}, "INVALID_PARAMETER_VALUE"},
		{"bad maven coordinates", map[string]any{"cluster_id": cid, "libraries": []any{map[string]any{"maven": map[string]any{"coordinates": "jsoup"}}}}, "INVALID_PARAMETER_VALUE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, h.post(libraries+"install", tc.body), http.StatusBadRequest, tc.code, "")
		})
	}
	if st := h.libStatuses(cid); len(st) != 0 {
		t.Errorf("refused installs left libraries: %v", st)
	}
	wantError(t, h.post(libraries+"install", map[string]any{"cluster_id": "0000-000000-nothere0", "libraries": []any{map[string]any{"jar": "/a.jar"}}}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "Cluster 0000-000000-nothere0 does not exist")
	wantError(t, h.get(libraries+"cluster-status", url.Values{"cluster_id": {"0000-000000-nothere0"}}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	// Uninstalling what the cluster does not have is ignored.
	h.ok(h.post(libraries+"uninstall", map[string]any{"cluster_id": cid, "libraries": []any{map[string]any{"jar": "/a.jar"}}}))
	if all := h.ok(h.get(libraries+"all-cluster-statuses", nil)); len(all.body) != 0 {
		t.Errorf("all-cluster-statuses with no libraries = %s, want {}", all.raw)
	}
}
