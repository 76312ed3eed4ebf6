package jobs

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client/compute"
)

// Run is one run of a job or a one-time run: its settings as run, its state
// and its tasks. jobs_get_run returns it; jobs_list_runs lists runs without
// tasks unless expand_tasks is set. The iterations of a for_each task's run
// are not typed here, to keep the tool's output schema small; they reach the
// caller all the same (Extra).
type Run struct {
	RunID                *int64              `json:"run_id,omitzero" doc:"Run id."`
	JobID                *int64              `json:"job_id,omitzero" doc:"Job id; absent for one-time runs."`
	RunName              *string             `json:"run_name,omitzero" doc:"Name."`
	RunType              *RunType            `json:"run_type,omitzero" doc:"JOB_RUN, SUBMIT_RUN or WORKFLOW_RUN."`
	State                *RunState           `json:"state,omitzero" doc:"life_cycle_state, result_state, state_message."`
	Status               *RunStatus          `json:"status,omitzero" doc:"2.2 state and termination_details."`
	Tasks                []RunTask           `json:"tasks,omitzero" doc:"Task runs (100 per page)."`
	JobParameters        []JobParameter      `json:"job_parameters,omitzero" doc:"Job parameters used."`
	OverridingParameters *RunParameters      `json:"overriding_parameters,omitzero" doc:"Parameters given at start."`
	StartTime            *int64              `json:"start_time,omitzero" doc:"Epoch ms."`
	EndTime              *int64              `json:"end_time,omitzero" doc:"Epoch ms; 0 while running."`
	SetupDuration        *int64              `json:"setup_duration,omitzero" doc:"ms."`
	ExecutionDuration    *int64              `json:"execution_duration,omitzero" doc:"ms."`
	CleanupDuration      *int64              `json:"cleanup_duration,omitzero" doc:"ms."`
	RunDuration          *int64              `json:"run_duration,omitzero" doc:"ms."`
	QueueDuration        *int64              `json:"queue_duration,omitzero" doc:"ms."`
	RunPageURL           *string             `json:"run_page_url,omitzero" doc:"UI link."`
	NumberInJob          *int64              `json:"number_in_job,omitzero" doc:"Deprecated."`
	AttemptNumber        *int                `json:"attempt_number,omitzero" doc:"Retry count."`
	OriginalAttemptRunID *int64              `json:"original_attempt_run_id,omitzero" doc:"First attempt's run_id."`
	JobRunID             *int64              `json:"job_run_id,omitzero" doc:"Job run of a task run."`
	CreatorUserName      *string             `json:"creator_user_name,omitzero" doc:"Who started it."`
	Description          *string             `json:"description,omitzero" doc:"Description."`
	Trigger              *TriggerType        `json:"trigger,omitzero" doc:"What started it."`
	TriggerInfo          *TriggerInfo        `json:"trigger_info,omitzero" doc:"Run of the run_job task that started it."`
	Schedule             *CronSchedule       `json:"schedule,omitzero" doc:"Schedule that started it."`
	ClusterInstance      *ClusterInstance    `json:"cluster_instance,omitzero" doc:"Cluster used."`
	ClusterSpec          *RunClusterSpec     `json:"cluster_spec,omitzero" doc:"Compute of a single-task run."`
	JobClusters          []JobCluster        `json:"job_clusters,omitzero" doc:"Job clusters."`
	GitSource            *GitSource          `json:"git_source,omitzero" doc:"Repository used."`
	RepairHistory        []RepairHistoryItem `json:"repair_history,omitzero" doc:"Original run and repairs."`
	HasMore              *bool               `json:"has_more,omitzero" doc:"More tasks follow."`
	NextPageToken        *string             `json:"next_page_token,omitzero" doc:"page_token for more tasks."`
	DeploymentID         *string             `json:"deployment_id,omitzero" doc:"Deployment."`
	VersionID            *string             `json:"version_id,omitzero" doc:"Version."`

	EffectivePerformanceTarget *PerformanceTarget `json:"effective_performance_target,omitzero" doc:"Performance target."`
	EffectiveUsagePolicyID     *string            `json:"effective_usage_policy_id,omitzero" doc:"Usage policy."`

	Extra map[string]json.RawMessage `json:"-"`
}

// RunState is the state of a run or task run.
type RunState struct {
	LifeCycleState          *RunLifeCycleState `json:"life_cycle_state,omitzero" doc:"Life cycle state."`
	ResultState             *RunResultState    `json:"result_state,omitzero" doc:"Outcome once TERMINATED."`
	StateMessage            *string            `json:"state_message,omitzero" doc:"Explanation, such as the error."`
	UserCancelledOrTimedout *bool              `json:"user_cancelled_or_timedout,omitzero" doc:"Canceled or timed out."`
	QueueReason             *string            `json:"queue_reason,omitzero" doc:"Why queued."`

	Extra map[string]json.RawMessage `json:"-"`
}

// RunStatus is the 2.2 state of a run.
type RunStatus struct {
	State              *RunStatusState     `json:"state,omitzero" doc:"State."`
	QueueDetails       *QueueDetails       `json:"queue_details,omitzero" doc:"Why queued."`
	TerminationDetails *TerminationDetails `json:"termination_details,omitzero" doc:"How it ended."`

	Extra map[string]json.RawMessage `json:"-"`
}

// QueueDetails says why a run waits in the queue.
type QueueDetails struct {
	Code    *QueueCode `json:"code,omitzero" doc:"Reason code."`
	Message *string    `json:"message,omitzero" doc:"Explanation."`

	Extra map[string]json.RawMessage `json:"-"`
}

// TerminationDetails says how a run ended.
type TerminationDetails struct {
	Code    *TerminationCode `json:"code,omitzero" doc:"SUCCESS, RUN_EXECUTION_ERROR, USER_CANCELED, ..."`
	Type    *TerminationType `json:"type,omitzero" doc:"SUCCESS, CLIENT_ERROR, INTERNAL_ERROR or CLOUD_FAILURE."`
	Message *string          `json:"message,omitzero" doc:"Explanation."`

	Extra map[string]json.RawMessage `json:"-"`
}

// RunTask is one task's run within a run.
type RunTask struct {
	TaskKey           string            `json:"task_key" doc:"task_key."`
	RunID             *int64            `json:"run_id,omitzero" doc:"Task run id (for jobs_get_run_output)."`
	JobClusterKey     *string           `json:"job_cluster_key,omitzero" doc:"Job cluster."`
	State             *RunState         `json:"state,omitzero" doc:"State."`
	Status            *RunStatus        `json:"status,omitzero" doc:"2.2 state."`
	ConditionTask     *RunConditionTask `json:"condition_task,omitzero" doc:"Condition and outcome."`
	ForEachTask       *RunForEachTask   `json:"for_each_task,omitzero" doc:"For-each task and stats."`
	AttemptNumber     *int              `json:"attempt_number,omitzero" doc:"Retry count."`
	StartTime         *int64            `json:"start_time,omitzero" doc:"Epoch ms."`
	EndTime           *int64            `json:"end_time,omitzero" doc:"Epoch ms."`
	SetupDuration     *int64            `json:"setup_duration,omitzero" doc:"ms."`
	ExecutionDuration *int64            `json:"execution_duration,omitzero" doc:"ms."`
	CleanupDuration   *int64            `json:"cleanup_duration,omitzero" doc:"ms."`
	RunDuration       *int64            `json:"run_duration,omitzero" doc:"ms."`
	QueueDuration     *int64            `json:"queue_duration,omitzero" doc:"ms."`
	RunPageURL        *string           `json:"run_page_url,omitzero" doc:"UI link."`
	ClusterInstance   *ClusterInstance  `json:"cluster_instance,omitzero" doc:"Cluster used."`
	GitSource         *GitSource        `json:"git_source,omitzero" doc:"Repository used."`

	EffectivePerformanceTarget *PerformanceTarget `json:"effective_performance_target,omitzero" doc:"Performance target."`
	TaskFields

	Extra map[string]json.RawMessage `json:"-"`
}

// RunConditionTask is a condition task as run.
type RunConditionTask struct {
	Left    string      `json:"left" doc:"Left operand."`
	Op      ConditionOp `json:"op" doc:"Comparison."`
	Right   string      `json:"right" doc:"Right operand."`
	Outcome *string     `json:"outcome,omitzero" doc:"\"true\" or \"false\"."`

	Extra map[string]json.RawMessage `json:"-"`
}

// RunForEachTask is a for-each task as run.
type RunForEachTask struct {
	Inputs      string        `json:"inputs" doc:"The inputs."`
	Task        Task          `json:"task" doc:"The nested task."`
	Concurrency *int          `json:"concurrency,omitzero" doc:"Most iterations at once."`
	Stats       *ForEachStats `json:"stats,omitzero" doc:"Iteration counts and errors."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ForEachStats counts a for-each task's iterations.
type ForEachStats struct {
	TaskRunStats      *ForEachRunStats      `json:"task_run_stats,omitzero" doc:"Iterations by state."`
	ErrorMessageStats []ForEachErrorMessage `json:"error_message_stats,omitzero" doc:"Errors by message."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ForEachRunStats counts iterations by state.
type ForEachRunStats struct {
	TotalIterations     *int `json:"total_iterations,omitzero" doc:"All."`
	ScheduledIterations *int `json:"scheduled_iterations,omitzero" doc:"Scheduled."`
	ActiveIterations    *int `json:"active_iterations,omitzero" doc:"Running."`
	CompletedIterations *int `json:"completed_iterations,omitzero" doc:"Finished."`
	SucceededIterations *int `json:"succeeded_iterations,omitzero" doc:"Succeeded."`
	FailedIterations    *int `json:"failed_iterations,omitzero" doc:"Failed."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ForEachErrorMessage counts iterations failing with one message.
type ForEachErrorMessage struct {
	ErrorMessage        *string `json:"error_message,omitzero" doc:"The message."`
	Count               *int    `json:"count,omitzero" doc:"Iterations failing with it."`
	TerminationCategory *string `json:"termination_category,omitzero" doc:"Category of the failure."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ClusterInstance names the cluster a run used.
type ClusterInstance struct {
	ClusterID *string `json:"cluster_id,omitzero" doc:"Id of the cluster."`
	// SparkContextID is a string in the Jobs API (a number in the Clusters API).
	SparkContextID *string `json:"spark_context_id,omitzero" doc:"Spark context id, as a string."`

	Extra map[string]json.RawMessage `json:"-"`
}

// RunClusterSpec is the compute of a single-task run.
type RunClusterSpec struct {
	ExistingClusterID *string              `json:"existing_cluster_id,omitzero" doc:"All-purpose cluster used."`
	JobClusterKey     *string              `json:"job_cluster_key,omitzero" doc:"Job cluster used."`
	NewCluster        *compute.ClusterSpec `json:"new_cluster,omitzero" advertise:"compact" doc:"The cluster spec clusters_create takes, as used for the run."`
	Libraries         []compute.Library    `json:"libraries,omitzero" doc:"Libraries installed."`

	Extra map[string]json.RawMessage `json:"-"`
}

// JobParameter is a job parameter as a run used it.
type JobParameter struct {
	Name    *string `json:"name,omitzero" doc:"Name."`
	Default *string `json:"default,omitzero" doc:"The job's default."`
	Value   *string `json:"value,omitzero" doc:"Value used."`

	Extra map[string]json.RawMessage `json:"-"`
}

// RunParameters are the task parameters a run was started with.
type RunParameters struct {
	NotebookParams    map[string]string `json:"notebook_params,omitzero" doc:"Notebook widget values."`
	PythonParams      []string          `json:"python_params,omitzero" doc:"Python task arguments."`
	PythonNamedParams map[string]string `json:"python_named_params,omitzero" doc:"Wheel task named arguments."`
	JarParams         []string          `json:"jar_params,omitzero" doc:"JAR task arguments."`
	SparkSubmitParams []string          `json:"spark_submit_params,omitzero" doc:"spark-submit arguments."`
	SQLParams         map[string]string `json:"sql_params,omitzero" doc:"SQL task parameters."`
	DbtCommands       []string          `json:"dbt_commands,omitzero" doc:"dbt commands."`
	PipelineParams    *PipelineParams   `json:"pipeline_params,omitzero" doc:"Pipeline options."`

	Extra map[string]json.RawMessage `json:"-"`
}

// TriggerInfo links a run to the run_job task that started it.
type TriggerInfo struct {
	RunID *int64 `json:"run_id,omitzero" doc:"Run of the run_job task."`

	Extra map[string]json.RawMessage `json:"-"`
}

// RepairHistoryItem is the original run or one repair.
type RepairHistoryItem struct {
	ID         *int64      `json:"id,omitzero" doc:"Repair id (for latest_repair_id); for the original run, its run id."`
	Type       *RepairType `json:"type,omitzero" doc:"ORIGINAL or REPAIR."`
	StartTime  *int64      `json:"start_time,omitzero" doc:"Epoch ms."`
	EndTime    *int64      `json:"end_time,omitzero" doc:"Epoch ms."`
	State      *RunState   `json:"state,omitzero" doc:"State of this attempt."`
	Status     *RunStatus  `json:"status,omitzero" doc:"2.2 state of this attempt."`
	TaskRunIDs []int64     `json:"task_run_ids,omitzero" doc:"Task runs of this attempt."`

	EffectivePerformanceTarget *PerformanceTarget `json:"effective_performance_target,omitzero" doc:"Performance target."`

	Extra map[string]json.RawMessage `json:"-"`
}

// RunOutput is what a task run produced.
type RunOutput struct {
	NotebookOutput *NotebookOutput `json:"notebook_output,omitzero" doc:"Notebook exit value (result)."`
	SQLOutput      *SQLOutput      `json:"sql_output,omitzero" doc:"SQL task output."`
	DbtOutput      *DbtOutput      `json:"dbt_output,omitzero" doc:"dbt artifacts."`
	RunJobOutput   *RunJobOutput   `json:"run_job_output,omitzero" doc:"Run of a run_job task."`
	Logs           *string         `json:"logs,omitzero" doc:"stdout of a Python, wheel or JAR task."`
	LogsTruncated  *bool           `json:"logs_truncated,omitzero" doc:"logs was cut."`
	Error          *string         `json:"error,omitzero" doc:"Error message."`
	ErrorTrace     *string         `json:"error_trace,omitzero" doc:"Stack trace."`
	Info           *string         `json:"info,omitzero" doc:"Information."`
	Metadata       *Run            `json:"metadata,omitzero" doc:"The task run."`

	Extra map[string]json.RawMessage `json:"-"`
}

// NotebookOutput is a notebook's exit value.
type NotebookOutput struct {
	Result    *string `json:"result,omitzero" doc:"Value passed to dbutils.notebook.exit (first 5 MB)."`
	Truncated *bool   `json:"truncated,omitzero" doc:"Whether result was cut."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DbtOutput points to a dbt task's artifacts.
type DbtOutput struct {
	ArtifactsLink    *string           `json:"artifacts_link,omitzero" doc:"Short-lived link to the artifacts archive."`
	ArtifactsHeaders map[string]string `json:"artifacts_headers,omitzero" doc:"Headers for downloading it."`

	Extra map[string]json.RawMessage `json:"-"`
}

// RunJobOutput names the run a run_job task started.
type RunJobOutput struct {
	RunID *int64 `json:"run_id,omitzero" doc:"Run of the job."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ViewItem is one exported view of a run.
type ViewItem struct {
	Name    *string   `json:"name,omitzero" doc:"Name of the view (notebook or dashboard)."`
	Type    *ViewType `json:"type,omitzero" doc:"NOTEBOOK or DASHBOARD."`
	Content *string   `json:"content,omitzero" doc:"The view's HTML."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SQLOutput is a SQL task's output: one of its members, by the kind of task.
type SQLOutput struct {
	QueryOutput *SQLStatementOutput `json:"query_output,omitzero" doc:"Output of a query or file task."`
	AlertOutput *SQLStatementOutput `json:"alert_output,omitzero" doc:"Output of an alert task."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SQLStatementOutput locates what a SQL query or alert produced.
type SQLStatementOutput struct {
	OutputLink  *string `json:"output_link,omitzero" doc:"Link to the result in the UI."`
	QueryText   *string `json:"query_text,omitzero" doc:"The query run."`
	WarehouseID *string `json:"warehouse_id,omitzero" doc:"Warehouse it ran on."`
	AlertState  *string `json:"alert_state,omitzero" doc:"For an alert: OK, TRIGGERED or UNKNOWN."`

	Extra map[string]json.RawMessage `json:"-"`
}
