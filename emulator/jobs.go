package emulator

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

var _ = declareArea((*Emulator).declareJobs)

// declareJobs registers the Jobs API 2.2 and the job permission levels.
//
// A run moves PENDING -> RUNNING -> TERMINATED task by task in dependency
// order: each task runs for one ClusterStartDelay after the tasks it
// depends on ended (so a chain of n tasks takes n+1 delays, the first being
// the run's setup). Like the cluster states, a run's state is computed from
// timestamps when it is read. What each task does is decided when the run
// is made: a notebook task whose notebook does not exist fails, a task
// whose dependencies did not meet its run_if is skipped as UPSTREAM_FAILED
// or EXCLUDED, a condition task evaluates its condition, and every other
// task succeeds.
func (e *Emulator) declareJobs() {
	e.jobs = &jobsState{jobs: map[int64]*emuJob{}, runs: map[int64]*emuRun{}, taskRuns: map[int64]*emuTaskRun{}, tokens: map[string]int64{}}
	p := "/api/2.2/jobs/"
	e.handle("POST", p+"create", e.jobsCreate)
	e.handle("GET", p+"list", e.jobsList)
	e.handle("GET", p+"get", e.jobsGet)
	e.handle("POST", p+"reset", e.jobsReset)
	e.handle("POST", p+"update", e.jobsUpdate)
	e.handle("POST", p+"delete", e.jobsDelete)
	e.handle("POST", p+"run-now", e.jobsRunNow)
	e.handle("POST", p+"runs/submit", e.jobsSubmit)
	e.handle("GET", p+"runs/list", e.jobsListRuns)
	e.handle("GET", p+"runs/get", e.jobsGetRun)
	e.handle("GET", p+"runs/get-output", e.jobsGetRunOutput)
	e.handle("POST", p+"runs/cancel", e.jobsCancelRun)
	e.handle("POST", p+"runs/cancel-all", e.jobsCancelAllRuns)
	e.handle("POST", p+"runs/delete", e.jobsDeleteRun)
	e.handle("GET", p+"runs/export", e.jobsExportRun)
	e.handle("POST", p+"runs/repair", e.jobsRepairRun)
	e.handle("GET", "/api/2.0/permissions/jobs/{job_id}/permissionLevels", e.jobsPermissionLevels)
}

// jobsState holds the jobs and runs of the workspace.
type jobsState struct {
	jobs     map[int64]*emuJob
	jobOrder []int64
	runs     map[int64]*emuRun
	taskRuns map[int64]*emuTaskRun // every task run, by its run_id
	tokens   map[string]int64      // idempotency_token -> run_id
}

type emuJob struct {
	id       int64
	created  time.Time
	settings map[string]json.RawMessage
}

// emuRun is a job run or a one-time run. Its tasks hold every attempt; the
// latest attempt of each task_key is the one a run shows.
type emuRun struct {
	id, jobID  int64
	name       string
	runType    string
	start      time.Time
	settings   map[string]json.RawMessage // what the run was made from
	tasks      []*emuTaskRun
	jobParams  []map[string]any
	overriding map[string]any
	repairs    []emuRepair
}

type emuRepair struct {
	id    int64
	at    time.Time
	tasks []int64
}

type emuTaskRun struct {
	run     *emuRun
	key     string
	runID   int64
	spec    map[string]json.RawMessage
	deps    []string
	base    time.Time
	level   int
	result  string
	message string
	output  map[string]any
	outcome string // a condition task's "true" or "false"
	// canceled is when the attempt was canceled, if it was before it ended.
	canceled time.Time
}

func newJobID() int64 {
	const lo = 1_000_000_000_000
	return lo + rand.Int64N(1<<50-lo)
}

// jobNotFound and runNotFound are the Jobs API's answers for unknown ids.
func jobNotFound(id int64) *apiError { return invalidParam("Job %d does not exist.", id) }
func runNotFound(id int64) *apiError { return invalidParam("Run %d does not exist.", id) }

// jobID reads a required job_id.
func jobIDParam(p *params) (int64, *apiError) {
	id, ok, aerr := p.int64("job_id")
	if aerr != nil {
		return 0, aerr
	}
	if !ok {
		return 0, missingField("job_id")
	}
	return id, nil
}

func (e *Emulator) findJob(p *params) (*emuJob, *apiError) {
	id, aerr := jobIDParam(p)
	if aerr != nil {
		return nil, aerr
	}
	j := e.jobs.jobs[id]
	if j == nil {
		return nil, jobNotFound(id)
	}
	return j, nil
}

func (e *Emulator) findRun(p *params) (*emuRun, *apiError) {
	id, ok, aerr := p.int64("run_id")
	if aerr != nil {
		return nil, aerr
	}
	if !ok {
		return nil, missingField("run_id")
	}
	r := e.jobs.runs[id]
	if r == nil {
		return nil, runNotFound(id)
	}
	return r, nil
}

// settingsFields are the members of a job's settings; create takes them at
// the top level beside access_control_list.
var settingsFields = []string{
	"budget_policy_id", "continuous", "deployment", "description", "edit_mode", "email_notifications",
	"environments", "format", "git_source", "health", "job_clusters", "max_concurrent_runs", "name",
	"notification_settings", "parameters", "parent_path", "performance_target", "queue", "run_as",
	"schedule", "tags", "tasks", "timeout_seconds", "trigger", "triggers", "usage_policy_id",
	"webhook_notifications",
}

// withDefaults fills what Databricks reports for settings left out.
func withDefaults(s map[string]json.RawMessage) {
	def := map[string]string{
		"name": `"Untitled"`, "format": `"MULTI_TASK"`, "max_concurrent_runs": `1`, "timeout_seconds": `0`,
		"email_notifications": `{}`, "webhook_notifications": `{}`,
	}
	for k, v := range def {
		if raw, ok := s[k]; !ok || string(raw) == "null" {
			s[k] = json.RawMessage(v)
		}
	}
	for k, v := range s {
		if string(v) == "null" {
			delete(s, k)
		}
	}
}

// taskList decodes a settings member holding tasks.
func taskList(raw json.RawMessage) ([]map[string]json.RawMessage, *apiError) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var tasks []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &tasks); err != nil {
		return nil, badType("tasks", "an array of objects")
	}
	return tasks, nil
}

func rawStr(raw json.RawMessage) string {
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}

// dependsOn lists a task's dependencies and the outcome each needs.
func dependsOn(t map[string]json.RawMessage) (keys []string, outcomes map[string]string) {
	var deps []struct {
		TaskKey string `json:"task_key"`
		Outcome string `json:"outcome"`
	}
	_ = json.Unmarshal(t["depends_on"], &deps)
	outcomes = map[string]string{}
	for _, d := range deps {
		keys = append(keys, d.TaskKey)
		if d.Outcome != "" {
			outcomes[d.TaskKey] = d.Outcome
		}
	}
	return keys, outcomes
}

// checkTasks applies the rules Databricks checks on a task graph: every
// task has a unique task_key, dependencies name tasks of the graph and do
// not form a cycle, job_cluster_key names a job cluster.
func checkTasks(tasks []map[string]json.RawMessage, jobClusters json.RawMessage) *apiError {
	keys := map[string]bool{}
	for _, t := range tasks {
		k := rawStr(t["task_key"])
		if k == "" {
			return missingField("task_key")
		}
		if keys[k] {
			return invalidParam("Task key %s is used by more than one task.", k)
		}
		keys[k] = true
	}
	var clusters []struct {
		Key string `json:"job_cluster_key"`
	}
	_ = json.Unmarshal(jobClusters, &clusters)
	for _, t := range tasks {
		deps, _ := dependsOn(t)
		for _, d := range deps {
			if !keys[d] {
				return invalidParam("Task %s depends on %s, which is not a task of the job.", rawStr(t["task_key"]), d)
			}
		}
		if ck := rawStr(t["job_cluster_key"]); ck != "" && !slices.ContainsFunc(clusters, func(c struct {
			Key string `json:"job_cluster_key"`
		}) bool {
			return c.Key == ck
		}) {
			return invalidParam("Task %s uses job cluster %s, which is not in job_clusters.", rawStr(t["task_key"]), ck)
		}
	}
	if _, cyclic := topoOrder(tasks); cyclic {
		return invalidParam("The tasks' dependencies form a cycle.")
	}
	return nil
}

// topoOrder sorts tasks so that each comes after the tasks it depends on.
func topoOrder(tasks []map[string]json.RawMessage) ([]map[string]json.RawMessage, bool) {
	byKey := map[string]map[string]json.RawMessage{}
	for _, t := range tasks {
		byKey[rawStr(t["task_key"])] = t
	}
	var out []map[string]json.RawMessage
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(k string) bool
	visit = func(k string) bool {
		switch state[k] {
		case 1:
			return false
		case 2:
			return true
		}
		state[k] = 1
		t := byKey[k]
		deps, _ := dependsOn(t)
		for _, d := range deps {
			if _, ok := byKey[d]; ok && !visit(d) {
				return false
			}
		}
		state[k] = 2
		out = append(out, t)
		return true
	}
	for _, t := range tasks {
		if !visit(rawStr(t["task_key"])) {
			return nil, true
		}
	}
	return out, false
}

func (e *Emulator) jobsCreate(p *params) (any, *apiError) {
	s := map[string]json.RawMessage{}
	for _, k := range settingsFields {
		if raw, ok := p.body[k]; ok {
			s[k] = raw
		}
	}
	if aerr := checkSettings(s); aerr != nil {
		return nil, aerr
	}
	withDefaults(s)
	j := &emuJob{id: newJobID(), created: e.now(), settings: s}
	for e.jobs.jobs[j.id] != nil {
		j.id = newJobID()
	}
	e.jobs.jobs[j.id] = j
	e.jobs.jobOrder = append(e.jobs.jobOrder, j.id)
	return map[string]any{"job_id": j.id}, nil
}

func checkSettings(s map[string]json.RawMessage) *apiError {
	tasks, aerr := taskList(s["tasks"])
	if aerr != nil {
		return aerr
	}
	if len(tasks) > 1000 {
		return invalidParam("A job can have at most 1000 tasks.")
	}
	if n, ok := s["max_concurrent_runs"]; ok && string(n) != "null" {
		if v, err := parseInt(n); err != nil || v < 0 || v > 1000 {
			return invalidParam("max_concurrent_runs must be between 0 and 1000.")
		}
	}
	return checkTasks(tasks, s["job_clusters"])
}

// jobView is a job as get (full) or list (without tasks and job clusters
// unless expanded) shows it.
func jobView(j *emuJob, full bool) map[string]any {
	s := maps.Clone(j.settings)
	if !full {
		delete(s, "tasks")
		delete(s, "job_clusters")
	}
	return map[string]any{
		"job_id": j.id, "created_time": millis(j.created), "creator_user_name": UserName,
		"run_as_user_name": UserName, "settings": s,
	}
}

func (e *Emulator) jobsGet(p *params) (any, *apiError) {
	j, aerr := e.findJob(p)
	if aerr != nil {
		return nil, aerr
	}
	v := jobView(j, true)
	v["has_more"] = false
	return v, nil
}

// pageWindow reads limit and page_token (an offset the emulator wrote).
func pageWindow(p *params, def, maxLimit int) (offset, limit int, aerr *apiError) {
	n, ok, aerr := p.int64("limit")
	if aerr != nil {
		return 0, 0, aerr
	}
	limit = def
	if ok {
		if n < 1 || n > int64(maxLimit) {
			return 0, 0, invalidParam("limit must be between 1 and %d.", maxLimit)
		}
		limit = int(n)
	}
	if tok, _ := p.str("page_token"); tok != "" {
		o, err := strconv.Atoi(tok)
		if err != nil || o < 0 {
			return 0, 0, invalidParam("Invalid page token.")
		}
		offset = o
	} else if o, ok, aerr := p.int64("offset"); aerr != nil {
		return 0, 0, aerr
	} else if ok {
		offset = int(max(o, 0))
	}
	return offset, limit, nil
}

// page answers one page of items under key, with has_more and the tokens.
func page[T any](items []T, offset, limit int, key string, view func(T) any) map[string]any {
	out := map[string]any{}
	end := min(offset+limit, len(items))
	var shown []any
	if offset < len(items) {
		for _, it := range items[offset:end] {
			shown = append(shown, view(it))
		}
	}
	if len(shown) > 0 {
		out[key] = shown
	}
	out["has_more"] = end < len(items)
	if end < len(items) {
		out["next_page_token"] = strconv.Itoa(end)
	}
	if offset > 0 {
		out["prev_page_token"] = strconv.Itoa(max(offset-limit, 0))
	}
	return out
}

func (e *Emulator) jobsList(p *params) (any, *apiError) {
	offset, limit, aerr := pageWindow(p, 20, 100)
	if aerr != nil {
		return nil, aerr
	}
	expand, _, aerr := p.boolean("expand_tasks")
	if aerr != nil {
		return nil, aerr
	}
	name, _ := p.str("name")
	var jobs []*emuJob
	for _, id := range e.jobs.jobOrder {
		j := e.jobs.jobs[id]
		if name != "" && !strings.EqualFold(rawStr(j.settings["name"]), name) {
			continue
		}
		jobs = append(jobs, j)
	}
	return page(jobs, offset, limit, "jobs", func(j *emuJob) any { return jobView(j, expand) }), nil
}

func (e *Emulator) jobsReset(p *params) (any, *apiError) {
	j, aerr := e.findJob(p)
	if aerr != nil {
		return nil, aerr
	}
	ns, ok, aerr := p.object("new_settings")
	if aerr != nil {
		return nil, aerr
	}
	if !ok {
		return nil, missingField("new_settings")
	}
	if aerr := checkSettings(ns); aerr != nil {
		return nil, aerr
	}
	withDefaults(ns)
	j.settings = ns
	return map[string]any{}, nil
}

// mergeByKey merges the new entries of a tasks or job_clusters list into
// the old one by key: a new entry replaces the old one of its key, others
// are appended.
func mergeByKey(old, upd json.RawMessage, key string) json.RawMessage {
	var a, b []map[string]json.RawMessage
	_ = json.Unmarshal(old, &a)
	_ = json.Unmarshal(upd, &b)
	for _, n := range b {
		i := slices.IndexFunc(a, func(o map[string]json.RawMessage) bool { return rawStr(o[key]) == rawStr(n[key]) })
		if i >= 0 {
			a[i] = n
		} else {
			a = append(a, n)
		}
	}
	out, _ := json.Marshal(a)
	return out
}

func removeByKey(list json.RawMessage, key, value string) json.RawMessage {
	var a []map[string]json.RawMessage
	_ = json.Unmarshal(list, &a)
	a = slices.DeleteFunc(a, func(o map[string]json.RawMessage) bool { return rawStr(o[key]) == value })
	out, _ := json.Marshal(a)
	return out
}

func (e *Emulator) jobsUpdate(p *params) (any, *apiError) {
	j, aerr := e.findJob(p)
	if aerr != nil {
		return nil, aerr
	}
	ns, _, aerr := p.object("new_settings")
	if aerr != nil {
		return nil, aerr
	}
	remove, aerr := p.strs("fields_to_remove")
	if aerr != nil {
		return nil, aerr
	}
	s := maps.Clone(j.settings)
	for k, v := range ns {
		switch k {
		case "tasks":
			s[k] = mergeByKey(s[k], v, "task_key")
		case "job_clusters":
			s[k] = mergeByKey(s[k], v, "job_cluster_key")
		default:
			s[k] = v
		}
	}
	for _, f := range remove {
		switch {
		case strings.HasPrefix(f, "tasks/"):
			s["tasks"] = removeByKey(s["tasks"], "task_key", strings.TrimPrefix(f, "tasks/"))
		case strings.HasPrefix(f, "job_clusters/"):
			s["job_clusters"] = removeByKey(s["job_clusters"], "job_cluster_key", strings.TrimPrefix(f, "job_clusters/"))
		case slices.Contains(settingsFields, f):
			delete(s, f)
		default:
			return nil, invalidParam("Cannot remove %s: it is not a job setting.", f)
		}
	}
	if aerr := checkSettings(s); aerr != nil {
		return nil, aerr
	}
	withDefaults(s)
	j.settings = s
	return map[string]any{}, nil
}

func (e *Emulator) jobsDelete(p *params) (any, *apiError) {
	j, aerr := e.findJob(p)
	if aerr != nil {
		return nil, aerr
	}
	delete(e.jobs.jobs, j.id)
	e.jobs.jobOrder = slices.DeleteFunc(e.jobs.jobOrder, func(id int64) bool { return id == j.id })
	return map[string]any{}, nil
}

func (e *Emulator) jobsPermissionLevels(p *params) (any, *apiError) {
	id, err := strconv.ParseInt(p.path["job_id"], 10, 64)
	if err != nil || e.jobs.jobs[id] == nil {
		return nil, notFound("Job %s does not exist.", p.path["job_id"])
	}
	return map[string]any{"permission_levels": []map[string]any{
		{"permission_level": "CAN_VIEW", "description": "Can view job"},
		{"permission_level": "CAN_MANAGE_RUN", "description": "Can manage runs of the job"},
		{"permission_level": "IS_OWNER", "description": "Is the owner of the job"},
		{"permission_level": "CAN_MANAGE", "description": "Can manage the job"},
	}}, nil
}

// idempotent answers a repeated idempotency_token with the run it started.
func (e *Emulator) idempotent(p *params) (string, map[string]any, *apiError) {
	tok, aerr := p.str("idempotency_token")
	if aerr != nil {
		return "", nil, aerr
	}
	if len(tok) > 64 {
		return "", nil, invalidParam("idempotency_token must be at most 64 characters.")
	}
	if id, ok := e.jobs.tokens[tok]; ok && tok != "" {
		return tok, map[string]any{"run_id": id, "number_in_job": id}, nil
	}
	return tok, nil, nil
}

func (e *Emulator) newRunID() int64 {
	id := newJobID()
	for e.jobs.runs[id] != nil || e.jobs.taskRuns[id] != nil {
		id = newJobID()
	}
	return id
}

func (e *Emulator) jobsRunNow(p *params) (any, *apiError) {
	j, aerr := e.findJob(p)
	if aerr != nil {
		return nil, aerr
	}
	tok, prev, aerr := e.idempotent(p)
	if aerr != nil || prev != nil {
		return prev, aerr
	}
	tasks, _ := taskList(j.settings["tasks"])
	only, aerr := p.strs("only")
	if aerr != nil {
		return nil, aerr
	}
	if len(only) > 0 {
		for _, k := range only {
			if !slices.ContainsFunc(tasks, func(t map[string]json.RawMessage) bool { return rawStr(t["task_key"]) == k }) {
				return nil, invalidParam("Task %s does not exist in job %d.", k, j.id)
			}
		}
		tasks = slices.DeleteFunc(slices.Clone(tasks), func(t map[string]json.RawMessage) bool { return !slices.Contains(only, rawStr(t["task_key"])) })
		for _, t := range tasks {
			deps, _ := dependsOn(t)
			kept := slices.DeleteFunc(deps, func(d string) bool { return !slices.Contains(only, d) })
			if len(kept) == 0 {
				delete(t, "depends_on")
			}
		}
	}
	// Job parameters: the job's defaults, overridden by job_parameters.
	var defs []struct{ Name, Default string }
	_ = json.Unmarshal(j.settings["parameters"], &defs)
	given, _, aerr := p.object("job_parameters")
	if aerr != nil {
		return nil, aerr
	}
	var jobParams []map[string]any
	values := map[string]string{}
	for _, d := range defs {
		v := d.Default
		if raw, ok := given[d.Name]; ok {
			v = rawStr(raw)
		}
		values[d.Name] = v
		jobParams = append(jobParams, map[string]any{"name": d.Name, "default": d.Default, "value": v})
	}
	overriding := map[string]any{}
	for _, k := range []string{"notebook_params", "python_params", "python_named_params", "jar_params", "spark_submit_params", "sql_params", "dbt_commands", "pipeline_params"} {
		if raw, ok := p.raw(k); ok {
			overriding[k] = raw
		}
	}
	var nbParams map[string]string
	if raw, ok := p.raw("notebook_params"); ok {
		_ = json.Unmarshal(raw, &nbParams)
	}
	r := &emuRun{
		id: e.newRunID(), jobID: j.id, name: rawStr(j.settings["name"]), runType: "JOB_RUN", start: e.now(),
		settings: j.settings, jobParams: jobParams, overriding: overriding,
	}
	e.schedule(r, tasks, values, nbParams, r.start)
	e.addRun(r, tok)
	return map[string]any{"run_id": r.id, "number_in_job": r.id}, nil
}

func (e *Emulator) jobsSubmit(p *params) (any, *apiError) {
	tok, prev, aerr := e.idempotent(p)
	if aerr != nil || prev != nil {
		if prev != nil {
			delete(prev, "number_in_job")
		}
		return prev, aerr
	}
	tasks, aerr := taskList(p.body["tasks"])
	if aerr != nil {
		return nil, aerr
	}
	if len(tasks) == 0 {
		return nil, invalidParam("A run must have at least one task.")
	}
	if aerr := checkTasks(tasks, p.body["job_clusters"]); aerr != nil {
		return nil, aerr
	}
	name, _ := p.str("run_name")
	if name == "" {
		name = "Untitled"
	}
	r := &emuRun{id: e.newRunID(), name: name, runType: "SUBMIT_RUN", start: e.now(), settings: maps.Clone(p.body)}
	e.schedule(r, tasks, nil, nil, r.start)
	e.addRun(r, tok)
	return map[string]any{"run_id": r.id}, nil
}

func (e *Emulator) addRun(r *emuRun, tok string) {
	e.jobs.runs[r.id] = r
	if tok != "" {
		e.jobs.tokens[tok] = r.id
	}
}

// latest returns the latest attempt of each task of a run, in task order.
func (r *emuRun) latest() []*emuTaskRun {
	var out []*emuTaskRun
	idx := map[string]int{}
	for _, t := range r.tasks {
		if i, ok := idx[t.key]; ok {
			out[i] = t
			continue
		}
		idx[t.key] = len(out)
		out = append(out, t)
	}
	return out
}

// schedule adds an attempt of each given task to the run, starting at base,
// and decides how each ends. Dependencies outside the given tasks count
// with the latest attempt the run has of them.
func (e *Emulator) schedule(r *emuRun, tasks []map[string]json.RawMessage, jobParams, nbParams map[string]string, base time.Time) []int64 {
	ordered, _ := topoOrder(tasks)
	prior := map[string]*emuTaskRun{}
	for _, t := range r.latest() {
		prior[t.key] = t
	}
	this := map[string]*emuTaskRun{}
	var ids []int64
	for _, spec := range ordered {
		t := &emuTaskRun{run: r, key: rawStr(spec["task_key"]), runID: e.newRunID(), spec: maps.Clone(spec), base: base, level: 1}
		t.deps, _ = dependsOn(spec)
		_, outcomes := dependsOn(spec)
		var depResults []string
		excluded := false
		for _, d := range t.deps {
			dt := this[d]
			if dt != nil {
				t.level = max(t.level, dt.level+1)
			} else {
				dt = prior[d]
			}
			if dt == nil {
				continue
			}
			depResults = append(depResults, dt.result)
			if want, ok := outcomes[d]; ok && dt.outcome != want {
				excluded = true
			}
		}
		runIf := rawStr(spec["run_if"])
		switch {
		case string(spec["disabled"]) == "true":
			t.result, t.message = "DISABLED", "The task is disabled."
		case excluded:
			t.result, t.message = "EXCLUDED", "The condition of the task's dependency was not met."
		case !runIfMet(runIf, depResults):
			t.result, t.message = "UPSTREAM_FAILED", "Upstream task failed."
		default:
			e.execute(t, jobParams, nbParams)
		}
		this[t.key] = t
		r.tasks = append(r.tasks, t)
		e.jobs.taskRuns[t.runID] = t
		ids = append(ids, t.runID)
	}
	return ids
}

func succeeded(res string) bool { return res == "SUCCESS" || res == "SUCCESS_WITH_FAILURES" }
func failed(res string) bool {
	return res == "FAILED" || res == "TIMEDOUT" || res == "UPSTREAM_FAILED" || res == "INTERNAL_ERROR"
}

// runIfMet applies a task's run_if to its dependencies' results.
func runIfMet(runIf string, deps []string) bool {
	if len(deps) == 0 {
		return true
	}
	count := func(f func(string) bool) int {
		n := 0
		for _, d := range deps {
			if f(d) {
				n++
			}
		}
		return n
	}
	switch runIf {
	case "ALL_DONE":
		return true
	case "NONE_FAILED":
		return count(failed) == 0
	case "AT_LEAST_ONE_SUCCESS":
		return count(succeeded) > 0
	case "ALL_FAILED":
		return count(failed) == len(deps)
	case "AT_LEAST_ONE_FAILED":
		return count(failed) > 0
	}
	return count(func(r string) bool { return succeeded(r) || r == "EXCLUDED" }) == len(deps)
}

// execute decides how a task that runs ends, and what it outputs.
func (e *Emulator) execute(t *emuTaskRun, jobParams, nbParams map[string]string) {
	t.result = "SUCCESS"
	switch {
	case t.spec["notebook_task"] != nil:
		var nb struct {
			Path   string            `json:"notebook_path"`
			Params map[string]string `json:"base_parameters"`
			Source string            `json:"source"`
		}
		_ = json.Unmarshal(t.spec["notebook_task"], &nb)
		if nb.Source != "GIT" && !e.notebookExists(nb.Path) {
			t.result = "FAILED"
			t.message = fmt.Sprintf("Unable to access the notebook %q. Either it does not exist, or the identity used to run this job, %s, lacks the required permissions.", nb.Path, UserName)
			t.output = map[string]any{"error": t.message}
			return
		}
		params := map[string]string{}
		maps.Copy(params, nb.Params)
		maps.Copy(params, jobParams)
		maps.Copy(params, nbParams)
		result, _ := json.Marshal(map[string]any{"notebook_path": nb.Path, "parameters": params})
		t.output = map[string]any{"notebook_output": map[string]any{"result": string(result), "truncated": false}}
	case t.spec["condition_task"] != nil:
		var c struct{ Left, Op, Right string }
		_ = json.Unmarshal(t.spec["condition_task"], &c)
		t.outcome = strconv.FormatBool(compare(c.Left, c.Op, c.Right))
		var ct map[string]any
		_ = json.Unmarshal(t.spec["condition_task"], &ct)
		ct["outcome"] = t.outcome
		t.spec["condition_task"], _ = json.Marshal(ct)
		t.output = map[string]any{}
	case t.spec["spark_python_task"] != nil, t.spec["python_wheel_task"] != nil, t.spec["spark_jar_task"] != nil, t.spec["spark_submit_task"] != nil:
		t.output = map[string]any{"logs": "", "logs_truncated": false}
	default:
		t.output = map[string]any{}
	}
}

// compare evaluates a condition task: numbers for the ordering operators,
// strings for EQUAL_TO and NOT_EQUAL.
func compare(l, op, r string) bool {
	switch op {
	case "EQUAL_TO":
		return l == r
	case "NOT_EQUAL":
		return l != r
	}
	a, err1 := strconv.ParseFloat(l, 64)
	b, err2 := strconv.ParseFloat(r, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	switch op {
	case "GREATER_THAN":
		return a > b
	case "GREATER_THAN_OR_EQUAL":
		return a >= b
	case "LESS_THAN":
		return a < b
	case "LESS_THAN_OR_EQUAL":
		return a <= b
	}
	return false
}

// times are when a task attempt starts and ends, cancellation included.
func (e *Emulator) times(t *emuTaskRun) (start, end time.Time, canceled bool) {
	d := e.opts.ClusterStartDelay
	start = t.base.Add(time.Duration(t.level) * d)
	end = start.Add(d)
	if c := t.canceled; !c.IsZero() && c.Before(end) {
		if c.Before(start) {
			start = c
		}
		return start, c, true
	}
	return start, end, false
}

// taskState is the life cycle and result of a task attempt now.
func (e *Emulator) taskState(t *emuTaskRun) (life, result, msg string, start, end time.Time) {
	start, end, canceled := e.times(t)
	now := e.now()
	switch {
	case !now.Before(end) && canceled:
		return "TERMINATED", "CANCELED", "Run cancelled.", start, end
	case !now.Before(end):
		return "TERMINATED", t.result, t.message, start, end
	case !now.Before(start):
		return "RUNNING", "", "In run", start, time.Time{}
	}
	return "PENDING", "", "Waiting for the tasks it depends on", start, time.Time{}
}

func stateView(life, result, msg string, canceled bool) map[string]any {
	st := map[string]any{"life_cycle_state": life, "state_message": msg, "user_cancelled_or_timedout": canceled}
	if result != "" {
		st["result_state"] = result
	}
	return st
}

func statusView(life, result, msg string) map[string]any {
	s := map[string]any{"state": life}
	if life == "TERMINATED" {
		code, typ := "SUCCESS", "SUCCESS"
		switch {
		case result == "CANCELED":
			code, typ = "USER_CANCELED", "SUCCESS"
		case failed(result):
			code, typ = "RUN_EXECUTION_ERROR", "CLIENT_ERROR"
		case result == "DISABLED":
			code = "DISABLED"
		case result == "EXCLUDED":
			code = "SKIPPED"
		}
		s["termination_details"] = map[string]any{"code": code, "type": typ, "message": msg}
	}
	return s
}

func (e *Emulator) taskView(t *emuTaskRun) map[string]any {
	life, result, msg, start, end := e.taskState(t)
	v := map[string]any{}
	for k, raw := range t.spec {
		v[k] = raw
	}
	v["run_id"] = t.runID
	v["task_key"] = t.key
	v["attempt_number"] = 0
	v["state"] = stateView(life, result, msg, result == "CANCELED")
	v["status"] = statusView(life, result, msg)
	v["start_time"] = millis(start)
	v["end_time"] = int64(0)
	v["setup_duration"], v["cleanup_duration"] = int64(0), int64(0)
	v["execution_duration"] = int64(0)
	if !end.IsZero() {
		v["end_time"] = millis(end)
		v["execution_duration"] = end.Sub(start).Milliseconds()
	}
	v["run_page_url"] = fmt.Sprintf("https://emulator.azuredatabricks.net/?o=0#job/%d/run/%d", t.run.jobID, t.runID)
	if c := rawStr(t.spec["existing_cluster_id"]); c != "" {
		v["cluster_instance"] = map[string]any{"cluster_id": c}
	}
	return v
}

// runState is a run's life cycle, result and message now, with its end.
func (e *Emulator) runState(r *emuRun) (life, result, msg string, end time.Time) {
	tasks := r.latest()
	if len(tasks) == 0 {
		return "TERMINATED", "SUCCESS", "", r.start
	}
	now := e.now()
	done, started := 0, false
	var failedTask *emuTaskRun
	upstream, canceled := false, false
	for _, t := range tasks {
		l, res, m, s, en := e.taskState(t)
		if !now.Before(s) {
			started = true
		}
		if l == "TERMINATED" {
			done++
			end = maxTime(end, en)
			if res == "FAILED" && failedTask == nil {
				failedTask, msg = t, m
			}
			upstream = upstream || res == "UPSTREAM_FAILED"
			canceled = canceled || res == "CANCELED"
		}
	}
	switch {
	case done < len(tasks) && started:
		return "RUNNING", "", "In run", time.Time{}
	case done < len(tasks):
		return "PENDING", "", "Waiting for cluster", time.Time{}
	case canceled:
		return "TERMINATED", "CANCELED", "Run cancelled.", end
	case failedTask != nil:
		msg = fmt.Sprintf("Task %s failed with message: %s", failedTask.key, msg)
		if upstream {
			msg += " This caused all downstream tasks to get skipped."
		}
		return "TERMINATED", "FAILED", msg, end
	}
	return "TERMINATED", "SUCCESS", "", end
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func (e *Emulator) runView(r *emuRun, withTasks, history bool) map[string]any {
	life, result, msg, end := e.runState(r)
	v := map[string]any{
		"run_id": r.id, "run_name": r.name, "run_type": r.runType, "creator_user_name": UserName,
		"number_in_job": r.id, "original_attempt_run_id": r.id, "attempt_number": 0,
		"state":      stateView(life, result, msg, result == "CANCELED"),
		"status":     statusView(life, result, msg),
		"start_time": millis(r.start), "end_time": int64(0), "setup_duration": int64(0),
		"execution_duration": int64(0), "cleanup_duration": int64(0), "run_duration": int64(0),
		"trigger": "ONE_TIME", "format": "MULTI_TASK",
		"run_page_url": fmt.Sprintf("https://emulator.azuredatabricks.net/?o=0#job/%d/run/%d", r.jobID, r.id),
	}
	if r.jobID != 0 {
		v["job_id"] = r.jobID
	}
	if !end.IsZero() {
		v["end_time"] = millis(end)
		v["run_duration"] = end.Sub(r.start).Milliseconds()
		v["execution_duration"] = v["run_duration"]
	}
	for _, k := range []string{"job_clusters", "git_source", "environments", "description"} {
		if raw, ok := r.settings[k]; ok && string(raw) != "null" {
			v[k] = raw
		}
	}
	if r.jobParams != nil {
		v["job_parameters"] = r.jobParams
	}
	if len(r.overriding) > 0 {
		v["overriding_parameters"] = r.overriding
	}
	if withTasks {
		var tasks []any
		for _, t := range r.latest() {
			tasks = append(tasks, e.taskView(t))
		}
		v["tasks"] = tasks
		v["has_more"] = false
	}
	if history {
		orig := map[string]any{"type": "ORIGINAL", "id": r.id, "start_time": millis(r.start)}
		var origIDs []int64
		for _, t := range r.tasks {
			if t.base.Equal(r.start) {
				origIDs = append(origIDs, t.runID)
			}
		}
		orig["task_run_ids"] = origIDs
		h := []any{orig}
		for _, rp := range r.repairs {
			h = append(h, map[string]any{"type": "REPAIR", "id": rp.id, "start_time": millis(rp.at), "task_run_ids": rp.tasks})
		}
		v["repair_history"] = h
	}
	return v
}

func (e *Emulator) jobsGetRun(p *params) (any, *apiError) {
	id, ok, aerr := p.int64("run_id")
	if aerr != nil {
		return nil, aerr
	}
	if !ok {
		return nil, missingField("run_id")
	}
	hist, _, aerr := p.boolean("include_history")
	if aerr != nil {
		return nil, aerr
	}
	if r := e.jobs.runs[id]; r != nil {
		return e.runView(r, true, hist), nil
	}
	if t := e.jobs.taskRuns[id]; t != nil && e.jobs.runs[t.run.id] != nil {
		return e.taskRunAsRun(t), nil
	}
	return nil, runNotFound(id)
}

// taskRunAsRun shows a task run the way runs/get and get-output's metadata
// do: as a run of its own, with the job run it belongs to.
func (e *Emulator) taskRunAsRun(t *emuTaskRun) map[string]any {
	v := e.taskView(t)
	v["job_run_id"] = t.run.id
	v["run_name"] = t.key
	v["run_type"] = t.run.runType
	if t.run.jobID != 0 {
		v["job_id"] = t.run.jobID
	}
	return v
}

func (e *Emulator) jobsListRuns(p *params) (any, *apiError) {
	offset, limit, aerr := pageWindow(p, 20, 25)
	if aerr != nil {
		return nil, aerr
	}
	jobID, byJob, aerr := p.int64("job_id")
	if aerr != nil {
		return nil, aerr
	}
	active, _, aerr := p.boolean("active_only")
	if aerr != nil {
		return nil, aerr
	}
	completed, _, aerr := p.boolean("completed_only")
	if aerr != nil {
		return nil, aerr
	}
	if active && completed {
		return nil, invalidParam("active_only and completed_only cannot both be true.")
	}
	expand, _, aerr := p.boolean("expand_tasks")
	if aerr != nil {
		return nil, aerr
	}
	runType, _ := p.str("run_type")
	if runType != "" && !oneOf(runType, "JOB_RUN", "SUBMIT_RUN", "WORKFLOW_RUN") {
		return nil, invalidParam("Invalid run_type %s.", runType)
	}
	from, _, aerr := p.int64("start_time_from")
	if aerr != nil {
		return nil, aerr
	}
	to, hasTo, aerr := p.int64("start_time_to")
	if aerr != nil {
		return nil, aerr
	}
	var runs []*emuRun
	for _, r := range e.jobs.runs {
		life, _, _, _ := e.runState(r)
		switch {
		case byJob && r.jobID != jobID,
			active && life == "TERMINATED",
			completed && life != "TERMINATED",
			runType != "" && r.runType != runType,
			millis(r.start) < from,
			hasTo && millis(r.start) > to:
			continue
		}
		runs = append(runs, r)
	}
	slices.SortFunc(runs, func(a, b *emuRun) int {
		if c := b.start.Compare(a.start); c != 0 {
			return c
		}
		return int(b.id - a.id)
	})
	return page(runs, offset, limit, "runs", func(r *emuRun) any { return e.runView(r, expand, false) }), nil
}

// outputTask is the task run a get-output or export call names: a task run,
// or the only task of a job run.
func (e *Emulator) outputTask(p *params) (*emuTaskRun, *apiError) {
	id, ok, aerr := p.int64("run_id")
	if aerr != nil {
		return nil, aerr
	}
	if !ok {
		return nil, missingField("run_id")
	}
	if t := e.jobs.taskRuns[id]; t != nil && e.jobs.runs[t.run.id] != nil {
		return t, nil
	}
	r := e.jobs.runs[id]
	if r == nil {
		return nil, runNotFound(id)
	}
	if tasks := r.latest(); len(tasks) == 1 {
		return tasks[0], nil
	}
	return nil, invalidParam("Retrieving the output of runs with multiple tasks is not supported. Please retrieve the output of each individual task run instead.")
}

func (e *Emulator) jobsGetRunOutput(p *params) (any, *apiError) {
	t, aerr := e.outputTask(p)
	if aerr != nil {
		return nil, aerr
	}
	out := map[string]any{"metadata": e.taskRunAsRun(t)}
	if life, result, msg, _, _ := e.taskState(t); life == "TERMINATED" {
		switch {
		case result == "SUCCESS":
			maps.Copy(out, t.output)
		case result == "CANCELED":
		default:
			out["error"] = msg
			if t.output["error"] != nil {
				out["error_trace"] = msg
			}
		}
	}
	return out, nil
}

func (e *Emulator) jobsExportRun(p *params) (any, *apiError) {
	t, aerr := e.outputTask(p)
	if aerr != nil {
		return nil, aerr
	}
	views, _ := p.str("views_to_export")
	if views != "" && !oneOf(views, "CODE", "DASHBOARDS", "ALL") {
		return nil, invalidParam("Invalid views_to_export %s.", views)
	}
	out := []any{}
	var nb struct {
		Path string `json:"notebook_path"`
	}
	if t.spec["notebook_task"] != nil && views != "DASHBOARDS" {
		_ = json.Unmarshal(t.spec["notebook_task"], &nb)
		out = append(out, map[string]any{
			"name": path.Base(nb.Path), "type": "NOTEBOOK",
			"content": fmt.Sprintf("<html><head><title>%s</title></head><body><p>Emulated run %d of %s</p></body></html>", path.Base(nb.Path), t.runID, nb.Path),
		})
	}
	return map[string]any{"views": out}, nil
}

// cancel ends the attempts of a run that have not ended yet.
func (e *Emulator) cancel(r *emuRun) {
	now := e.now()
	for _, t := range r.latest() {
		if _, end, _ := e.times(t); now.Before(end) {
			t.canceled = now
		}
	}
}

func (e *Emulator) jobsCancelRun(p *params) (any, *apiError) {
	r, aerr := e.findRun(p)
	if aerr != nil {
		return nil, aerr
	}
	e.cancel(r)
	return map[string]any{}, nil
}

func (e *Emulator) jobsCancelAllRuns(p *params) (any, *apiError) {
	jobID, byJob, aerr := p.int64("job_id")
	if aerr != nil {
		return nil, aerr
	}
	queued, _, aerr := p.boolean("all_queued_runs")
	if aerr != nil {
		return nil, aerr
	}
	if !byJob && !queued {
		return nil, invalidParam("Either job_id or all_queued_runs must be given.")
	}
	if byJob && e.jobs.jobs[jobID] == nil {
		return nil, jobNotFound(jobID)
	}
	for _, r := range e.jobs.runs {
		life, _, _, _ := e.runState(r)
		switch {
		case byJob && r.jobID == jobID:
			e.cancel(r)
		case !byJob && queued && (life == "PENDING" || life == "QUEUED"):
			e.cancel(r)
		}
	}
	return map[string]any{}, nil
}

func (e *Emulator) jobsDeleteRun(p *params) (any, *apiError) {
	r, aerr := e.findRun(p)
	if aerr != nil {
		return nil, aerr
	}
	if life, _, _, _ := e.runState(r); life != "TERMINATED" {
		return nil, invalidState("Run %d is active and cannot be deleted; cancel it first.", r.id)
	}
	delete(e.jobs.runs, r.id)
	for _, t := range r.tasks {
		delete(e.jobs.taskRuns, t.runID)
	}
	return map[string]any{}, nil
}

func (e *Emulator) jobsRepairRun(p *params) (any, *apiError) {
	r, aerr := e.findRun(p)
	if aerr != nil {
		return nil, aerr
	}
	if life, _, _, _ := e.runState(r); life != "TERMINATED" {
		return nil, invalidState("Run %d is still active; only a finished run can be repaired.", r.id)
	}
	latest, hasLatest, aerr := p.int64("latest_repair_id")
	if aerr != nil {
		return nil, aerr
	}
	if n := len(r.repairs); n > 0 && (!hasLatest || latest != r.repairs[n-1].id) {
		return nil, invalidParam("latest_repair_id must be the id of the run's latest repair, %d.", r.repairs[n-1].id)
	}
	rerun, aerr := p.strs("rerun_tasks")
	if aerr != nil {
		return nil, aerr
	}
	allFailed, _, aerr := p.boolean("rerun_all_failed_tasks")
	if aerr != nil {
		return nil, aerr
	}
	dependents, _, aerr := p.boolean("rerun_dependent_tasks")
	if aerr != nil {
		return nil, aerr
	}
	if len(rerun) == 0 && !allFailed {
		return nil, invalidParam("Either rerun_tasks or rerun_all_failed_tasks must be given.")
	}
	tasks := r.latest()
	pick := map[string]bool{}
	for _, k := range rerun {
		if !slices.ContainsFunc(tasks, func(t *emuTaskRun) bool { return t.key == k }) {
			return nil, invalidParam("Task %s is not a task of run %d.", k, r.id)
		}
		pick[k] = true
	}
	for _, t := range tasks {
		if _, res, _, _, _ := e.taskState(t); allFailed && !succeeded(res) {
			pick[t.key] = true
		}
	}
	for changed := dependents; changed; {
		changed = false
		for _, t := range tasks {
			if !pick[t.key] && slices.ContainsFunc(t.deps, func(d string) bool { return pick[d] }) {
				pick[t.key], changed = true, true
			}
		}
	}
	var specs []map[string]json.RawMessage
	for _, t := range tasks {
		if pick[t.key] {
			spec := maps.Clone(t.spec)
			if ct, ok := spec["condition_task"]; ok {
				var c map[string]any
				_ = json.Unmarshal(ct, &c)
				delete(c, "outcome")
				spec["condition_task"], _ = json.Marshal(c)
			}
			specs = append(specs, spec)
		}
	}
	var nbParams, jobParams map[string]string
	if raw, ok := p.raw("notebook_params"); ok {
		_ = json.Unmarshal(raw, &nbParams)
	}
	jobParams = map[string]string{}
	for _, jp := range r.jobParams {
		jobParams[fmt.Sprint(jp["name"])] = fmt.Sprint(jp["value"])
	}
	if raw, ok := p.raw("job_parameters"); ok {
		var given map[string]string
		_ = json.Unmarshal(raw, &given)
		maps.Copy(jobParams, given)
	}
	now := e.now()
	ids := e.schedule(r, specs, jobParams, nbParams, now)
	rp := emuRepair{id: e.newRunID(), at: now, tasks: ids}
	r.repairs = append(r.repairs, rp)
	return map[string]any{"repair_id": rp.id}, nil
}
