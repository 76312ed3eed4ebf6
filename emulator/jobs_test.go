package emulator_test

import (
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dbx-mcp/dbx-mcp/emulator"
)

const jobsAPI = "/api/2.2/jobs/"

// importNotebook puts a notebook at p (its folder made first), as a
// notebook task needs.
func importNotebook(h *harness, p string) {
	h.t.Helper()
	h.ok(h.post("/api/2.0/workspace/mkdirs", map[string]any{"path": path.Dir(p)}))
	h.ok(h.post("/api/2.0/workspace/import", map[string]any{"path": p, "format": "SOURCE", "language": "PYTHON", "content": b64s("print(1)")}))
}

func runQuery(id int64) url.Values { return url.Values{"run_id": {strconv.FormatInt(id, 10)}} }

// twoTaskJob is a job whose notebook task "report" runs after "ingest".
func twoTaskJob(h *harness) int64 {
	h.t.Helper()
	if h.get("/api/2.0/workspace/get-status", url.Values{"path": {"/Users/me/report"}}).status != http.StatusOK {
		importNotebook(h, "/Users/me/report")
	}
	r := h.ok(h.post(jobsAPI+"create", map[string]any{
		"name":       "nightly",
		"parameters": []any{map[string]any{"name": "day", "default": "mon"}},
		"tasks": []any{
			map[string]any{"task_key": "ingest", "spark_python_task": map[string]any{"python_file": "/Workspace/ingest.py"}, "existing_cluster_id": "0101-abc"},
			map[string]any{"task_key": "report", "depends_on": []any{map[string]any{"task_key": "ingest"}},
				"notebook_task": map[string]any{"notebook_path": "/Users/me/report", "base_parameters": map[string]any{"x": "1"}}},
		},
	}))
	return num(h.t, r.body["job_id"], "job_id")
}

func runState(t *testing.T, r response) (life, result string) {
	t.Helper()
	st := obj(t, r.body["state"], "state")
	life, _ = st["life_cycle_state"].(string)
	result, _ = st["result_state"].(string)
	if s := obj(t, r.body["status"], "status")["state"]; s != life {
		t.Errorf("status.state %v disagrees with life_cycle_state %s", s, life)
	}
	return life, result
}

func TestJobsCreateGetListUpdateDelete(t *testing.T) {
	h := newHarness(t, emulator.Options{ClusterStartDelay: -1})
	id := twoTaskJob(h)
	got := h.ok(h.get(jobsAPI+"get", url.Values{"job_id": {strconv.FormatInt(id, 10)}}))
	s := obj(t, got.body["settings"], "settings")
	if s["name"] != "nightly" || len(arr(t, s["tasks"], "tasks")) != 2 || s["format"] != "MULTI_TASK" || num(t, s["max_concurrent_runs"], "max_concurrent_runs") != 1 {
		t.Errorf("settings %v", s)
	}
	if got.body["creator_user_name"] != emulator.UserName {
		t.Errorf("creator %v", got.body["creator_user_name"])
	}

	// update: a task replaced by key, a new one appended, a setting removed.
	h.ok(h.post(jobsAPI+"update", map[string]any{"job_id": id,
		"new_settings": map[string]any{"tasks": []any{
			map[string]any{"task_key": "report", "notebook_task": map[string]any{"notebook_path": "/Users/me/report2"}},
			map[string]any{"task_key": "extra", "spark_submit_task": map[string]any{"parameters": []any{"a"}}},
		}},
		"fields_to_remove": []any{"parameters"}}))
	s = obj(t, h.ok(h.get(jobsAPI+"get", url.Values{"job_id": {fmt.Sprint(id)}})).body["settings"], "settings")
	tasks := arr(t, s["tasks"], "tasks")
	if len(tasks) != 3 || !strings.Contains(fmt.Sprint(tasks[1]), "report2") || s["parameters"] != nil {
		t.Errorf("after update: %v", s)
	}

	// list pages with page_token; without expand_tasks no tasks are shown.
	for range 2 {
		h.ok(h.post(jobsAPI+"create", map[string]any{"name": "other"}))
	}
	first := h.ok(h.get(jobsAPI+"list", url.Values{"limit": {"2"}}))
	if len(arr(t, first.body["jobs"], "jobs")) != 2 || first.body["has_more"] != true || first.str("next_page_token") == "" {
		t.Fatalf("first page %s", first.raw)
	}
	if _, has := obj(t, arr(t, first.body["jobs"], "jobs")[0], "job")["settings"].(map[string]any)["tasks"]; has {
		t.Errorf("list shows tasks without expand_tasks")
	}
	second := h.ok(h.get(jobsAPI+"list", url.Values{"limit": {"2"}, "page_token": {first.str("next_page_token")}}))
	if len(arr(t, second.body["jobs"], "jobs")) != 1 || second.body["has_more"] != false {
		t.Errorf("second page %s", second.raw)
	}
	byName := h.ok(h.get(jobsAPI+"list", url.Values{"name": {"NIGHTLY"}, "expand_tasks": {"true"}}))
	if js := arr(t, byName.body["jobs"], "jobs"); len(js) != 1 || obj(t, js[0], "job")["settings"].(map[string]any)["tasks"] == nil {
		t.Errorf("by name %s", byName.raw)
	}
	wantError(t, h.get(jobsAPI+"list", url.Values{"limit": {"101"}}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")

	levels := h.ok(h.get(fmt.Sprintf("/api/2.0/permissions/jobs/%d/permissionLevels", id), nil))
	if len(arr(t, levels.body["permission_levels"], "permission_levels")) != 4 {
		t.Errorf("permission levels %s", levels.raw)
	}

	h.ok(h.post(jobsAPI+"delete", map[string]any{"job_id": id}))
	wantError(t, h.get(jobsAPI+"get", url.Values{"job_id": {fmt.Sprint(id)}}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", fmt.Sprintf("Job %d does not exist.", id))
	wantError(t, h.get(fmt.Sprintf("/api/2.0/permissions/jobs/%d/permissionLevels", id), nil), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
}

func TestJobsCreateChecksTheTaskGraph(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	for name, tasks := range map[string][]any{
		"duplicate key":   {map[string]any{"task_key": "a"}, map[string]any{"task_key": "a"}},
		"unknown dep":     {map[string]any{"task_key": "a", "depends_on": []any{map[string]any{"task_key": "zz"}}}},
		"cycle":           {map[string]any{"task_key": "a", "depends_on": []any{map[string]any{"task_key": "b"}}}, map[string]any{"task_key": "b", "depends_on": []any{map[string]any{"task_key": "a"}}}},
		"missing key":     {map[string]any{"notebook_task": map[string]any{"notebook_path": "/x"}}},
		"unknown cluster": {map[string]any{"task_key": "a", "job_cluster_key": "nope"}},
	} {
		r := h.post(jobsAPI+"create", map[string]any{"tasks": tasks})
		if r.status != http.StatusBadRequest || r.str("error_code") != "INVALID_PARAMETER_VALUE" {
			t.Errorf("%s: %d %s", name, r.status, r.raw)
		}
	}
}

// A run moves PENDING, RUNNING, TERMINATED, its tasks in dependency order,
// one ClusterStartDelay each.
func TestJobsRunMovesTaskByTask(t *testing.T) {
	const d = 10 * time.Second
	h := newHarness(t, emulator.Options{ClusterStartDelay: d})
	id := twoTaskJob(h)
	run := h.ok(h.post(jobsAPI+"run-now", map[string]any{"job_id": id, "job_parameters": map[string]any{"day": "tue"}}))
	runID := num(t, run.body["run_id"], "run_id")

	taskStates := func() map[string]string {
		r := h.ok(h.get(jobsAPI+"runs/get", runQuery(runID)))
		out := map[string]string{}
		for _, tk := range arr(t, r.body["tasks"], "tasks") {
			m := obj(t, tk, "task")
			out[m["task_key"].(string)] = obj(t, m["state"], "task state")["life_cycle_state"].(string)
		}
		life, _ := runState(t, r)
		out["run"] = life
		return out
	}
	for _, step := range []map[string]string{
		{"run": "PENDING", "ingest": "PENDING", "report": "PENDING"},
		{"run": "RUNNING", "ingest": "RUNNING", "report": "PENDING"},
		{"run": "RUNNING", "ingest": "TERMINATED", "report": "RUNNING"},
		{"run": "TERMINATED", "ingest": "TERMINATED", "report": "TERMINATED"},
	} {
		if got := taskStates(); fmt.Sprint(got) != fmt.Sprint(step) {
			t.Errorf("at %s: %v, want %v", h.clock.Now().Format(time.TimeOnly), got, step)
		}
		h.clock.Advance(d)
	}
	r := h.ok(h.get(jobsAPI+"runs/get", runQuery(runID)))
	if _, res := runState(t, r); res != "SUCCESS" || num(t, r.body["job_id"], "job_id") != id || r.body["run_type"] != "JOB_RUN" {
		t.Errorf("finished run %s", r.raw)
	}
	if jp := arr(t, r.body["job_parameters"], "job_parameters"); len(jp) != 1 || obj(t, jp[0], "p")["value"] != "tue" {
		t.Errorf("job_parameters %v", jp)
	}

	// The output of a multitask run is read per task.
	wantError(t, h.get(jobsAPI+"runs/get-output", runQuery(runID)), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	var reportRun int64
	for _, tk := range arr(t, r.body["tasks"], "tasks") {
		if m := obj(t, tk, "task"); m["task_key"] == "report" {
			reportRun = num(t, m["run_id"], "task run_id")
		}
	}
	out := h.ok(h.get(jobsAPI+"runs/get-output", runQuery(reportRun)))
	res := obj(t, out.body["notebook_output"], "notebook_output")["result"].(string)
	if !strings.Contains(res, `"/Users/me/report"`) || !strings.Contains(res, `"day":"tue"`) || !strings.Contains(res, `"x":"1"`) {
		t.Errorf("notebook result %q", res)
	}
	if num(t, obj(t, out.body["metadata"], "metadata")["job_run_id"], "job_run_id") != runID {
		t.Errorf("metadata %v", out.body["metadata"])
	}
	views := h.ok(h.get(jobsAPI+"runs/export", runQuery(reportRun)))
	if v := arr(t, views.body["views"], "views"); len(v) != 1 || obj(t, v[0], "view")["type"] != "NOTEBOOK" {
		t.Errorf("export %s", views.raw)
	}

	// list_runs: newest first, filtered, paged.
	h.ok(h.post(jobsAPI+"run-now", map[string]any{"job_id": id}))
	runs := h.ok(h.get(jobsAPI+"runs/list", url.Values{"job_id": {fmt.Sprint(id)}, "limit": {"1"}}))
	if rs := arr(t, runs.body["runs"], "runs"); len(rs) != 1 || num(t, obj(t, rs[0], "run")["run_id"], "run_id") == runID || runs.str("next_page_token") == "" {
		t.Errorf("runs list %s", runs.raw)
	}
	active := h.ok(h.get(jobsAPI+"runs/list", url.Values{"active_only": {"true"}}))
	if len(arr(t, active.body["runs"], "runs")) != 1 {
		t.Errorf("active runs %s", active.raw)
	}
}

func TestJobsRunNowIsIdempotentByToken(t *testing.T) {
	h := newHarness(t, emulator.Options{ClusterStartDelay: -1})
	id := twoTaskJob(h)
	a := h.ok(h.post(jobsAPI+"run-now", map[string]any{"job_id": id, "idempotency_token": "tok-1"}))
	b := h.ok(h.post(jobsAPI+"run-now", map[string]any{"job_id": id, "idempotency_token": "tok-1"}))
	c := h.ok(h.post(jobsAPI+"run-now", map[string]any{"job_id": id, "idempotency_token": "tok-2"}))
	if a.body["run_id"] != b.body["run_id"] || a.body["run_id"] == c.body["run_id"] {
		t.Errorf("runs %v %v %v", a.body["run_id"], b.body["run_id"], c.body["run_id"])
	}
	s1 := h.ok(h.post(jobsAPI+"runs/submit", map[string]any{"idempotency_token": "sub", "tasks": []any{map[string]any{"task_key": "t", "notebook_task": map[string]any{"notebook_path": "/n"}}}}))
	s2 := h.ok(h.post(jobsAPI+"runs/submit", map[string]any{"idempotency_token": "sub", "tasks": []any{}}))
	if s1.body["run_id"] != s2.body["run_id"] {
		t.Errorf("submit repeated: %v %v", s1.raw, s2.raw)
	}
	one := h.ok(h.get(jobsAPI+"runs/get", runQuery(num(t, s1.body["run_id"], "run_id"))))
	if _, has := one.body["job_id"]; has || one.body["run_type"] != "SUBMIT_RUN" {
		t.Errorf("one-time run %s", one.raw)
	}
	wantError(t, h.post(jobsAPI+"run-now", map[string]any{"job_id": 1}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "Job 1 does not exist.")
}

func TestJobsCancelRepairDelete(t *testing.T) {
	const d = 10 * time.Second
	h := newHarness(t, emulator.Options{ClusterStartDelay: d})
	id := twoTaskJob(h)
	runID := num(t, h.ok(h.post(jobsAPI+"run-now", map[string]any{"job_id": id})).body["run_id"], "run_id")
	h.clock.Advance(d + d/2) // ingest running
	wantError(t, h.post(jobsAPI+"runs/delete", map[string]any{"run_id": runID}), http.StatusBadRequest, "INVALID_STATE", "")
	wantError(t, h.post(jobsAPI+"runs/repair", map[string]any{"run_id": runID, "rerun_all_failed_tasks": true}), http.StatusBadRequest, "INVALID_STATE", "")
	h.ok(h.post(jobsAPI+"runs/cancel-all", map[string]any{"job_id": id}))
	r := h.ok(h.get(jobsAPI+"runs/get", runQuery(runID)))
	if life, res := runState(t, r); life != "TERMINATED" || res != "CANCELED" {
		t.Fatalf("after cancel: %s %s", life, res)
	}

	rep := h.ok(h.post(jobsAPI+"runs/repair", map[string]any{"run_id": runID, "rerun_all_failed_tasks": true}))
	repairID := num(t, rep.body["repair_id"], "repair_id")
	if life, _ := runState(t, h.ok(h.get(jobsAPI+"runs/get", runQuery(runID)))); life != "PENDING" {
		t.Errorf("repaired run is %s, want PENDING", life)
	}
	h.clock.Advance(5 * d)
	r = h.ok(h.get(jobsAPI+"runs/get", runQuery(runID)))
	if life, res := runState(t, r); life != "TERMINATED" || res != "SUCCESS" {
		t.Errorf("after repair: %s %s", life, res)
	}
	hist := h.ok(h.get(jobsAPI+"runs/get", url.Values{"run_id": {fmt.Sprint(runID)}, "include_history": {"true"}}))
	if rh := arr(t, hist.body["repair_history"], "repair_history"); len(rh) != 2 || num(t, obj(t, rh[1], "repair")["id"], "id") != repairID {
		t.Errorf("repair history %v", hist.body["repair_history"])
	}
	// A second repair names the latest one.
	wantError(t, h.post(jobsAPI+"runs/repair", map[string]any{"run_id": runID, "rerun_tasks": []any{"report"}}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	h.ok(h.post(jobsAPI+"runs/repair", map[string]any{"run_id": runID, "rerun_tasks": []any{"report"}, "latest_repair_id": repairID}))
	h.clock.Advance(5 * d)

	h.ok(h.post(jobsAPI+"runs/delete", map[string]any{"run_id": runID}))
	wantError(t, h.get(jobsAPI+"runs/get", runQuery(runID)), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", fmt.Sprintf("Run %d does not exist.", runID))
}

// A condition task's outcome decides which dependants run.
func TestJobsConditionTaskExcludesTheOtherBranch(t *testing.T) {
	h := newHarness(t, emulator.Options{ClusterStartDelay: -1})
	importNotebook(h, "/Shared/y")
	importNotebook(h, "/Shared/n")
	dep := func(outcome string) []any {
		return []any{map[string]any{"task_key": "check", "outcome": outcome}}
	}
	sub := h.ok(h.post(jobsAPI+"runs/submit", map[string]any{"run_name": "branch", "tasks": []any{
		map[string]any{"task_key": "check", "condition_task": map[string]any{"left": "3", "op": "GREATER_THAN", "right": "2"}},
		map[string]any{"task_key": "yes", "depends_on": dep("true"), "notebook_task": map[string]any{"notebook_path": "/Shared/y"}},
		map[string]any{"task_key": "no", "depends_on": dep("false"), "notebook_task": map[string]any{"notebook_path": "/n"}},
	}}))
	r := h.ok(h.get(jobsAPI+"runs/get", runQuery(num(t, sub.body["run_id"], "run_id"))))
	results := map[string]any{}
	for _, tk := range arr(t, r.body["tasks"], "tasks") {
		m := obj(t, tk, "task")
		results[m["task_key"].(string)] = obj(t, m["state"], "state")["result_state"]
	}
	if fmt.Sprint(results) != "map[check:SUCCESS no:EXCLUDED yes:SUCCESS]" {
		t.Errorf("results %v", results)
	}
	if _, res := runState(t, r); res != "SUCCESS" {
		t.Errorf("run result %s", res)
	}
}

// A notebook task whose notebook was never imported fails with Databricks'
// message, its dependants are UPSTREAM_FAILED, and the run is FAILED.
func TestJobsMissingNotebookFailsTheRun(t *testing.T) {
	h := newHarness(t, emulator.Options{ClusterStartDelay: -1})
	sub := h.ok(h.post(jobsAPI+"runs/submit", map[string]any{"tasks": []any{
		map[string]any{"task_key": "nb", "notebook_task": map[string]any{"notebook_path": "/Users/me/missing"}},
		map[string]any{"task_key": "after", "depends_on": []any{map[string]any{"task_key": "nb"}}, "spark_python_task": map[string]any{"python_file": "/x.py"}},
	}}))
	r := h.ok(h.get(jobsAPI+"runs/get", runQuery(num(t, sub.body["run_id"], "run_id"))))
	life, res := runState(t, r)
	msg := obj(t, r.body["state"], "state")["state_message"].(string)
	if life != "TERMINATED" || res != "FAILED" || !strings.Contains(msg, `Unable to access the notebook "/Users/me/missing"`) || !strings.Contains(msg, "downstream tasks") {
		t.Errorf("run %s %s %q", life, res, msg)
	}
	tasks := arr(t, r.body["tasks"], "tasks")
	nb := obj(t, tasks[0], "task")
	if obj(t, obj(t, tasks[1], "task")["state"], "state")["result_state"] != "UPSTREAM_FAILED" {
		t.Errorf("dependant %v", tasks[1])
	}
	out := h.ok(h.get(jobsAPI+"runs/get-output", runQuery(num(t, nb["run_id"], "run_id"))))
	if !strings.Contains(out.str("error"), "Unable to access the notebook") || out.body["notebook_output"] != nil {
		t.Errorf("output %s", out.raw)
	}
}
