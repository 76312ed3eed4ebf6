package jobs

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// Job is a job with its settings, as jobs_get returns it and jobs_list lists
// it (there without tasks and job_clusters unless expand_tasks is set).
type Job struct {
	JobID           *int64        `json:"job_id,omitzero" doc:"Id of the job."`
	Settings        *JobSettings  `json:"settings,omitzero" doc:"The job's settings."`
	CreatorUserName *string       `json:"creator_user_name,omitzero" doc:"Who created the job; absent once that user is deleted."`
	RunAsUserName   *string       `json:"run_as_user_name,omitzero" doc:"User or service principal the job runs as."`
	CreatedTime     *int64        `json:"created_time,omitzero" doc:"When the job was created, epoch milliseconds."`
	TriggerState    *TriggerState `json:"trigger_state,omitzero" doc:"State of the job's trigger."`
	HasMore         *bool         `json:"has_more,omitzero" doc:"More tasks or job_clusters follow: call jobs_get again with next_page_token as page_token."`
	NextPageToken   *string       `json:"next_page_token,omitzero" doc:"page_token for the rest of the tasks and job_clusters."`

	EffectiveBudgetPolicyID *string `json:"effective_budget_policy_id,omitzero" doc:"Budget policy the job's usage is attributed to."`
	EffectiveUsagePolicyID  *string `json:"effective_usage_policy_id,omitzero" doc:"Usage policy the job's usage is attributed to."`

	Extra map[string]json.RawMessage `json:"-"`
}

// TriggerState is the live state of a job's trigger.
type TriggerState struct {
	PauseStatus *PauseStatus `json:"pause_status,omitzero" doc:"PAUSED or UNPAUSED."`

	Extra map[string]json.RawMessage `json:"-"`
}

// CreateJobRequest describes a new job: its settings and who may use it.
type CreateJobRequest struct {
	AccessControlList []AccessControlRequest `json:"access_control_list,omitzero" advertise:"compact" doc:"Permissions to grant: [{user_name|group_name|service_principal_name, permission_level}], levels CAN_VIEW, CAN_MANAGE_RUN, CAN_MANAGE, IS_OWNER."`
	Settings

	Extra map[string]json.RawMessage `json:"-"`
}

// CreateJobResponse carries the new job's id.
type CreateJobResponse struct {
	JobID *int64 `json:"job_id,omitzero" doc:"Id of the new job."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListJobsRequest filters and pages the job list.
type ListJobsRequest struct {
	Name        *string `json:"name,omitzero" doc:"Only jobs with exactly this name (case-insensitive)."`
	ExpandTasks *bool   `json:"expand_tasks,omitzero" doc:"Include tasks and job_clusters in each job's settings."`
	Limit       *int    `json:"limit,omitzero" doc:"Jobs per page, 1 to 100; default 20."`
	Offset      *int    `json:"offset,omitzero" doc:"Deprecated; use page_token."`
	PageToken   *string `json:"page_token,omitzero" doc:"next_page_token of the previous page."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListJobsResponse is one page of jobs.
type ListJobsResponse struct {
	Jobs          []Job   `json:"jobs,omitzero" doc:"The jobs."`
	HasMore       *bool   `json:"has_more,omitzero" doc:"Whether more jobs follow."`
	NextPageToken *string `json:"next_page_token,omitzero" doc:"page_token for the next page."`
	PrevPageToken *string `json:"prev_page_token,omitzero" doc:"page_token for the previous page."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GetJobRequest names a job.
type GetJobRequest struct {
	JobID     int64   `json:"job_id" doc:"Id of the job (job_id from jobs_list)."`
	PageToken *string `json:"page_token,omitzero" doc:"For jobs with over 100 tasks: next_page_token of the previous answer."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ResetJobRequest replaces all of a job's settings.
type ResetJobRequest struct {
	JobID       int64       `json:"job_id" doc:"Id of the job to overwrite."`
	NewSettings JobSettings `json:"new_settings" doc:"The complete new settings; everything left out is removed or reset to its default."`

	Extra map[string]json.RawMessage `json:"-"`
}

// UpdateJobRequest changes some of a job's settings.
type UpdateJobRequest struct {
	JobID          int64        `json:"job_id" doc:"Id of the job to change."`
	NewSettings    *JobSettings `json:"new_settings,omitzero" doc:"Top-level settings to replace; tasks and job_clusters are merged by task_key/job_cluster_key, others replaced whole."`
	FieldsToRemove []string     `json:"fields_to_remove,omitzero" doc:"Top-level settings to remove, or tasks/<task_key> and job_clusters/<key>, e.g. [\"libraries\", \"tasks/ingest\"]."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DeleteJobRequest names a job to delete.
type DeleteJobRequest struct {
	JobID int64 `json:"job_id" doc:"Id of the job to delete."`

	Extra map[string]json.RawMessage `json:"-"`
}

// RunNowRequest starts a run of a job, optionally with other parameters.
type RunNowRequest struct {
	JobID             int64              `json:"job_id" doc:"Id of the job to run."`
	JobParameters     map[string]string  `json:"job_parameters,omitzero" doc:"Job parameter values, name to value."`
	IdempotencyToken  *string            `json:"idempotency_token,omitzero" doc:"Up to 64 characters; a repeat with the same token returns the first run. Generated when omitted; give one to make repeating this call safe."`
	Only              []string           `json:"only,omitzero" doc:"Run only these task_keys."`
	Queue             *QueueSettings     `json:"queue,omitzero" doc:"Override the job's queue setting."`
	PerformanceTarget *PerformanceTarget `json:"performance_target,omitzero" doc:"Serverless performance target."`
	NotebookParams    map[string]string  `json:"notebook_params,omitzero" doc:"Deprecated; use job_parameters."`
	PythonParams      []string           `json:"python_params,omitzero" doc:"Deprecated."`
	PythonNamedParams map[string]string  `json:"python_named_params,omitzero" doc:"Deprecated."`
	JarParams         []string           `json:"jar_params,omitzero" doc:"Deprecated."`
	SparkSubmitParams []string           `json:"spark_submit_params,omitzero" doc:"Deprecated."`
	SQLParams         map[string]string  `json:"sql_params,omitzero" doc:"Deprecated."`
	DbtCommands       []string           `json:"dbt_commands,omitzero" doc:"Deprecated."`
	PipelineParams    *PipelineParams    `json:"pipeline_params,omitzero" advertise:"compact" doc:"Pipeline task options: full_refresh, refresh_selection, ..."`

	Extra map[string]json.RawMessage `json:"-"`
}

// RunNowResponse names the started run.
type RunNowResponse struct {
	RunID       *int64 `json:"run_id,omitzero" doc:"Id of the run; follow it with jobs_get_run."`
	NumberInJob *int64 `json:"number_in_job,omitzero" doc:"Deprecated; same as run_id."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SubmitRunRequest describes a one-time run that creates no job.
type SubmitRunRequest struct {
	RunName              *string                `json:"run_name,omitzero" doc:"Name; default Untitled."`
	Tasks                []SubmitTask           `json:"tasks,omitzero" doc:"The tasks to run."`
	IdempotencyToken     *string                `json:"idempotency_token,omitzero" doc:"Up to 64 characters; a repeat with the same token returns the first run. Generated when omitted; give one to make repeating this call safe."`
	Environments         []Environment          `json:"environments,omitzero" doc:"Serverless environments tasks use by environment_key."`
	GitSource            *GitSource             `json:"git_source,omitzero" doc:"Git repository of the tasks' files."`
	TimeoutSeconds       *int                   `json:"timeout_seconds,omitzero" doc:"Timeout in seconds; 0: none."`
	Queue                *QueueSettings         `json:"queue,omitzero" doc:"Queue the run if it cannot start yet."`
	RunAs                *RunAs                 `json:"run_as,omitzero" doc:"Identity the run runs as."`
	Health               *HealthRules           `json:"health,omitzero" advertise:"compact" doc:"Health rules: {rules: [{metric, op, value}]}."`
	EmailNotifications   *EmailNotifications    `json:"email_notifications,omitzero" doc:"Emails on run events."`
	WebhookNotifications *WebhookNotifications  `json:"webhook_notifications,omitzero" doc:"Destinations on run events."`
	NotificationSettings *NotificationSettings  `json:"notification_settings,omitzero" doc:"Silenced notifications."`
	AccessControlList    []AccessControlRequest `json:"access_control_list,omitzero" advertise:"compact" doc:"Permissions on the run: [{user_name|group_name|service_principal_name, permission_level}]."`
	BudgetPolicyID       *string                `json:"budget_policy_id,omitzero" doc:"Budget policy id."`
	UsagePolicyID        *string                `json:"usage_policy_id,omitzero" doc:"Usage policy id."`
	PerformanceTarget    *PerformanceTarget     `json:"performance_target,omitzero" doc:"Serverless: PERFORMANCE_OPTIMIZED or STANDARD."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SubmitRunResponse names the run.
type SubmitRunResponse struct {
	RunID *int64 `json:"run_id,omitzero" doc:"Id of the run; follow it with jobs_get_run."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListRunsRequest filters and pages the run list.
type ListRunsRequest struct {
	JobID         *int64   `json:"job_id,omitzero" doc:"Only runs of this job."`
	ActiveOnly    *bool    `json:"active_only,omitzero" doc:"Only QUEUED, PENDING, RUNNING or TERMINATING runs."`
	CompletedOnly *bool    `json:"completed_only,omitzero" doc:"Only finished runs."`
	RunType       *RunType `json:"run_type,omitzero" doc:"Only JOB_RUN, SUBMIT_RUN or WORKFLOW_RUN runs."`
	StartTimeFrom *int64   `json:"start_time_from,omitzero" doc:"Only runs started at or after this epoch millisecond."`
	StartTimeTo   *int64   `json:"start_time_to,omitzero" doc:"Only runs started at or before this epoch millisecond."`
	ExpandTasks   *bool    `json:"expand_tasks,omitzero" doc:"Include each run's tasks."`
	Limit         *int     `json:"limit,omitzero" doc:"Runs per page, 1 to 25; default 20."`
	Offset        *int     `json:"offset,omitzero" doc:"Deprecated; use page_token."`
	PageToken     *string  `json:"page_token,omitzero" doc:"next_page_token of the previous page."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListRunsResponse is one page of runs, newest first.
type ListRunsResponse struct {
	Runs          []Run   `json:"runs,omitzero" doc:"The runs."`
	HasMore       *bool   `json:"has_more,omitzero" doc:"Whether more runs follow."`
	NextPageToken *string `json:"next_page_token,omitzero" doc:"page_token for the next page."`
	PrevPageToken *string `json:"prev_page_token,omitzero" doc:"page_token for the previous page."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GetRunRequest names a run.
type GetRunRequest struct {
	RunID                 int64   `json:"run_id" doc:"Id of the run (from jobs_run_now, jobs_submit or jobs_list_runs)."`
	IncludeHistory        *bool   `json:"include_history,omitzero" doc:"Include repair_history."`
	IncludeResolvedValues *bool   `json:"include_resolved_values,omitzero" doc:"Include the tasks' parameters as resolved."`
	PageToken             *string `json:"page_token,omitzero" doc:"For runs with over 100 tasks: next_page_token of the previous answer."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GetRunOutputRequest names a task run.
type GetRunOutputRequest struct {
	RunID int64 `json:"run_id" doc:"Id of a task run (tasks[].run_id of jobs_get_run), not of a multitask run."`

	Extra map[string]json.RawMessage `json:"-"`
}

// CancelRunRequest names a run to cancel.
type CancelRunRequest struct {
	RunID int64 `json:"run_id" doc:"Id of the run to cancel."`

	Extra map[string]json.RawMessage `json:"-"`
}

// CancelAllRunsRequest names the runs to cancel.
type CancelAllRunsRequest struct {
	JobID         *int64 `json:"job_id,omitzero" doc:"Cancel every active run of this job."`
	AllQueuedRuns *bool  `json:"all_queued_runs,omitzero" doc:"Cancel every queued run in the workspace (with no job_id)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DeleteRunRequest names a finished run to delete.
type DeleteRunRequest struct {
	RunID int64 `json:"run_id" doc:"Id of the run to delete; it must not be active."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ExportRunRequest names a run to export.
type ExportRunRequest struct {
	RunID         int64          `json:"run_id" doc:"Id of a task run."`
	ViewsToExport *ViewsToExport `json:"views_to_export,omitzero" doc:"CODE (default), DASHBOARDS or ALL."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ExportRunResponse holds a run's views.
type ExportRunResponse struct {
	Views []ViewItem `json:"views,omitzero" doc:"The exported notebooks and dashboards as HTML."`

	Extra map[string]json.RawMessage `json:"-"`
}

// RepairRunRequest re-runs tasks of a finished job run.
type RepairRunRequest struct {
	RunID               int64              `json:"run_id" doc:"Id of the job run to repair (not of a task run); it must be finished."`
	RerunTasks          []string           `json:"rerun_tasks,omitzero" doc:"task_keys to re-run."`
	RerunAllFailedTasks *bool              `json:"rerun_all_failed_tasks,omitzero" doc:"Re-run every task that did not succeed. Not with rerun_tasks."`
	RerunDependentTasks *bool              `json:"rerun_dependent_tasks,omitzero" doc:"Also re-run the tasks that depend on those, even if they succeeded."`
	LatestRepairID      *int64             `json:"latest_repair_id,omitzero" doc:"Id of the latest repair (repair_history); needed from the second repair on."`
	JobParameters       map[string]string  `json:"job_parameters,omitzero" doc:"Job parameter values for the repair."`
	PerformanceTarget   *PerformanceTarget `json:"performance_target,omitzero" doc:"Serverless performance target for the repair."`
	NotebookParams      map[string]string  `json:"notebook_params,omitzero" doc:"Deprecated."`
	PythonParams        []string           `json:"python_params,omitzero" doc:"Deprecated."`
	PythonNamedParams   map[string]string  `json:"python_named_params,omitzero" doc:"Deprecated."`
	JarParams           []string           `json:"jar_params,omitzero" doc:"Deprecated."`
	SparkSubmitParams   []string           `json:"spark_submit_params,omitzero" doc:"Deprecated."`
	SQLParams           map[string]string  `json:"sql_params,omitzero" doc:"Deprecated."`
	DbtCommands         []string           `json:"dbt_commands,omitzero" doc:"Deprecated."`
	PipelineParams      *PipelineParams    `json:"pipeline_params,omitzero" advertise:"compact" doc:"Pipeline task options: full_refresh, refresh_selection, ..."`

	Extra map[string]json.RawMessage `json:"-"`
}

// RepairRunResponse names the repair.
type RepairRunResponse struct {
	RepairID *int64 `json:"repair_id,omitzero" doc:"Id of the repair; the next repair gives it as latest_repair_id."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GetPermissionLevelsRequest names a job.
type GetPermissionLevelsRequest struct {
	JobID int64 `json:"job_id" in:"path" doc:"Id of the job."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GetPermissionLevelsResponse lists the permission levels of jobs.
type GetPermissionLevelsResponse struct {
	PermissionLevels []PermissionDescription `json:"permission_levels,omitzero" doc:"The levels one can be granted."`

	Extra map[string]json.RawMessage `json:"-"`
}

// PermissionDescription describes one permission level.
type PermissionDescription struct {
	PermissionLevel *PermissionLevel `json:"permission_level,omitzero" doc:"The level."`
	Description     *string          `json:"description,omitzero" doc:"What it allows."`

	Extra map[string]json.RawMessage `json:"-"`
}

// untilDone waits for a run to finish. A run reports both the 2.1 state
// (state.life_cycle_state, its outcome in state.result_state) and the 2.2
// status.state; the wait reads the former, whose result state tells a
// finished failure (FAILED, TIMEDOUT, CANCELED, ...) from a success.
var untilDone = &client.Wait{
	Get: JobsGetRun, IDFields: []string{"run_id"}, Noun: "run",
	State: "state.life_cycle_state", Message: "state.state_message",
	Until: []string{"TERMINATED", "SKIPPED"}, FailOn: []string{"INTERNAL_ERROR"},
	Result: "state.result_state",
	Failed: []string{"FAILED", "TIMEDOUT", "CANCELED", "MAXIMUM_CONCURRENT_RUNS_REACHED"},
	Parts:  "tasks", PartName: "task_key", PartState: "state.life_cycle_state",
}

// Jobs endpoints, under /api/2.2/jobs/ as the SDK calls them.
var (
	JobsCreate = client.Declare(&client.Endpoint[CreateJobRequest, CreateJobResponse]{
		Service: "jobs", Name: "create", Method: "POST", Path: "/api/2.2/jobs/create",
		Access: client.Write,
		Title:  "Create job",
		Doc: "Create a job: tasks (each with a task_key and one of notebook_task, spark_python_task, " +
			"python_wheel_task, spark_jar_task, spark_submit_task, sql_task, dbt_task, pipeline_task, " +
			"run_job_task, condition_task, for_each_task) and their compute (existing_cluster_id, " +
			"job_cluster_key or new_cluster, or serverless with environment_key), plus schedule, trigger, " +
			"notifications and parameters. Returns job_id; start it with jobs_run_now. Each call creates another job.",
	})
	JobsList = client.Declare(&client.Endpoint[ListJobsRequest, ListJobsResponse]{
		Service: "jobs", Name: "list", Method: "GET", Path: "/api/2.2/jobs/list",
		Access: client.Read, Default: true,
		Paging: &client.Paging{Style: client.PageToken, Items: "jobs", Size: "limit"},
		Title:  "List jobs",
		Doc:    "List the workspace's jobs with their settings (tasks only with expand_tasks). Find one by exact name with name; page with next_page_token.",
	})
	JobsGet = client.Declare(&client.Endpoint[GetJobRequest, Job]{
		Service: "jobs", Name: "get", Method: "GET", Path: "/api/2.2/jobs/get",
		Access: client.Read,
		Title:  "Get job",
		Doc:    "Get a job's settings: tasks, clusters, schedule, triggers, notifications, parameters. Over 100 tasks page with next_page_token.",
	})
	JobsReset = client.Declare(&client.Endpoint[ResetJobRequest, client.Empty]{
		Service: "jobs", Name: "reset", Method: "POST", Path: "/api/2.2/jobs/reset",
		Access: client.Destructive, Idempotent: true,
		Title: "Overwrite job settings",
		Doc:   "Replace all of a job's settings with new_settings; anything left out is removed. To change only some settings use jobs_update. Active runs keep their settings.",
	})
	JobsUpdate = client.Declare(&client.Endpoint[UpdateJobRequest, client.Empty]{
		Service: "jobs", Name: "update", Method: "POST", Path: "/api/2.2/jobs/update",
		Access: client.Destructive, Idempotent: true,
		Title: "Update job settings",
		Doc:   "Change some of a job's settings: top-level fields in new_settings replace the old ones (tasks and job_clusters merge by key); fields_to_remove removes settings or single tasks.",
	})
	JobsDelete = client.Declare(&client.Endpoint[DeleteJobRequest, client.Empty]{
		Service: "jobs", Name: "delete", Method: "POST", Path: "/api/2.2/jobs/delete",
		Access: client.Destructive, Idempotent: true,
		Title: "Delete job",
		Doc:   "Delete a job and stop its schedule and triggers. This cannot be undone.",
	})
	JobsRunNow = client.Declare(&client.Endpoint[RunNowRequest, RunNowResponse]{
		Service: "jobs", Name: "run_now", Method: "POST", Path: "/api/2.2/jobs/run-now",
		Access: client.Write, Idempotent: true, Default: true, Wait: untilDone,
		Prepare: addIdempotencyToken,
		Title:   "Run job now",
		Doc: "Start a run of a job, optionally with job_parameters or only some tasks. Returns run_id; follow it " +
			"with jobs_get_run, read task output with jobs_get_run_output.",
	})
	JobsSubmit = client.Declare(&client.Endpoint[SubmitRunRequest, SubmitRunResponse]{
		Service: "jobs", Name: "submit", Method: "POST", Path: "/api/2.2/jobs/runs/submit",
		Access: client.Write, Idempotent: true, Wait: untilDone,
		Prepare: addIdempotencyToken,
		Title:   "Submit one-time run",
		Doc: "Run tasks once without creating a job (tasks take the same forms as in jobs_create, without " +
			"job clusters). Returns run_id; follow it with jobs_get_run. An idempotency_token is added when none " +
			"is given, so a retried request starts one run only.",
	})
	JobsListRuns = client.Declare(&client.Endpoint[ListRunsRequest, ListRunsResponse]{
		Service: "jobs", Name: "list_runs", Method: "GET", Path: "/api/2.2/jobs/runs/list",
		Access: client.Read, Default: true,
		Paging: &client.Paging{Style: client.PageToken, Items: "runs", Size: "limit"},
		Title:  "List job runs",
		Doc:    "List runs, newest first: of one job (job_id) or all, active_only or completed_only, in a start time window. Page with next_page_token.",
	})
	JobsGetRun = client.Declare(&client.Endpoint[GetRunRequest, Run]{
		Service: "jobs", Name: "get_run", Method: "GET", Path: "/api/2.2/jobs/runs/get",
		Access: client.Read,
		Title:  "Get job run",
		Doc:    "Get a run: state (life_cycle_state, result_state, state_message), status, timing and its task runs with their run_ids (for jobs_get_run_output).",
	})
	JobsGetRunOutput = client.Declare(&client.Endpoint[GetRunOutputRequest, RunOutput]{
		Service: "jobs", Name: "get_run_output", Method: "GET", Path: "/api/2.2/jobs/runs/get-output",
		Access: client.Read,
		Title:  "Get task run output",
		Doc:    "Get what one task run produced: notebook_output.result (dbutils.notebook.exit), logs, error and error_trace. Takes a task's run_id from jobs_get_run's tasks, not the job run's.",
	})
	JobsCancelRun = client.Declare(&client.Endpoint[CancelRunRequest, client.Empty]{
		Service: "jobs", Name: "cancel_run", Method: "POST", Path: "/api/2.2/jobs/runs/cancel",
		Access: client.Destructive, Idempotent: true,
		Title: "Cancel job run",
		Doc:   "Cancel a run: it stops asynchronously and ends with result_state CANCELED. Nothing happens to a finished run.",
	})
	JobsCancelAllRuns = client.Declare(&client.Endpoint[CancelAllRunsRequest, client.Empty]{
		Service: "jobs", Name: "cancel_all_runs", Method: "POST", Path: "/api/2.2/jobs/runs/cancel-all",
		Access: client.Destructive, Idempotent: true,
		Title: "Cancel all runs of a job",
		Doc:   "Cancel every active run of a job (job_id), or every queued run of the workspace (all_queued_runs). The runs end CANCELED.",
	})
	JobsDeleteRun = client.Declare(&client.Endpoint[DeleteRunRequest, client.Empty]{
		Service: "jobs", Name: "delete_run", Method: "POST", Path: "/api/2.2/jobs/runs/delete",
		Access: client.Destructive, Idempotent: true,
		Title: "Delete job run",
		Doc:   "Delete a finished run from the run history. An active run cannot be deleted; cancel it first.",
	})
	JobsExportRun = client.Declare(&client.Endpoint[ExportRunRequest, ExportRunResponse]{
		Service: "jobs", Name: "export_run", Method: "GET", Path: "/api/2.2/jobs/runs/export",
		Access: client.Read,
		Title:  "Export job run",
		Doc:    "Export a task run's notebook (and dashboards) as HTML views.",
	})
	JobsRepairRun = client.Declare(&client.Endpoint[RepairRunRequest, RepairRunResponse]{
		Service: "jobs", Name: "repair_run", Method: "POST", Path: "/api/2.2/jobs/runs/repair",
		Access: client.Write, Wait: untilDone,
		Title: "Repair job run",
		Doc: "Re-run some tasks of a finished job run (rerun_tasks, or rerun_all_failed_tasks) in the same run. " +
			"From the second repair on, give latest_repair_id (jobs_get_run with include_history). Each call " +
			"starts another repair.",
	})
	JobsGetPermissionLevels = client.Declare(&client.Endpoint[GetPermissionLevelsRequest, GetPermissionLevelsResponse]{
		Service: "jobs", Name: "get_permission_levels", Method: "GET", Path: "/api/2.0/permissions/jobs/{job_id}/permissionLevels",
		Access: client.Read,
		Title:  "List job permission levels",
		Doc:    "List the permission levels that can be granted on a job (CAN_VIEW, CAN_MANAGE_RUN, IS_OWNER, CAN_MANAGE) with what each allows.",
	})
)
