package jobs

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client/compute"
)

// Settings are a job's settings: what jobs_create takes, jobs_get returns
// under settings, jobs_reset replaces and jobs_update patches. It has no
// Extra of its own: the embedding struct keeps unknown members.
type Settings struct {
	Name                 *string               `json:"name,omitzero" doc:"Job name (need not be unique)."`
	Description          *string               `json:"description,omitzero" doc:"Description of the job."`
	Tasks                []Task                `json:"tasks,omitzero" doc:"The tasks, at most 1000; order comes from depends_on."`
	JobClusters          []JobCluster          `json:"job_clusters,omitzero" doc:"Cluster specs tasks share by job_cluster_key, created for each run."`
	Environments         []Environment         `json:"environments,omitzero" doc:"Serverless environments tasks use by environment_key."`
	Parameters           []ParameterDefinition `json:"parameters,omitzero" doc:"Job parameters with defaults, read as {{job.parameters.<name>}}; jobs_run_now's job_parameters override them."`
	Schedule             *CronSchedule         `json:"schedule,omitzero" doc:"Run on a cron schedule (else only on demand, trigger or continuous)."`
	Continuous           *Continuous           `json:"continuous,omitzero" doc:"Keep one run always active. Not with schedule or trigger."`
	Trigger              *TriggerSettings      `json:"trigger,omitzero" doc:"Run when files arrive, tables update, or periodically."`
	EmailNotifications   *EmailNotifications   `json:"email_notifications,omitzero" doc:"Emails on run start, success, failure."`
	WebhookNotifications *WebhookNotifications `json:"webhook_notifications,omitzero" doc:"Notification destinations called on run events."`
	NotificationSettings *NotificationSettings `json:"notification_settings,omitzero" doc:"Silence notifications of skipped or canceled runs."`
	Health               *HealthRules          `json:"health,omitzero" advertise:"compact" doc:"Health rules that notify when broken: {rules: [{metric: RUN_DURATION_SECONDS|STREAMING_BACKLOG_*, op: GREATER_THAN, value}]}."`
	TimeoutSeconds       *int                  `json:"timeout_seconds,omitzero" doc:"Run timeout in seconds; 0: none."`
	MaxConcurrentRuns    *int                  `json:"max_concurrent_runs,omitzero" doc:"Most concurrent runs (default 1); more are skipped or queued."`
	Queue                *QueueSettings        `json:"queue,omitzero" doc:"Queue runs that cannot start yet instead of skipping them."`
	GitSource            *GitSource            `json:"git_source,omitzero" doc:"Git repository the tasks' files come from."`
	Tags                 map[string]string     `json:"tags,omitzero" doc:"Tags, name to value, at most 25."`
	RunAs                *RunAs                `json:"run_as,omitzero" doc:"Identity runs run as; default the creator."`
	Format               *Format               `json:"format,omitzero" doc:"MULTI_TASK (2.0 jobs: SINGLE_TASK)."`
	EditMode             *EditMode             `json:"edit_mode,omitzero" doc:"UI_LOCKED forbids editing in the UI."`
	Deployment           *Deployment           `json:"deployment,omitzero" advertise:"compact" doc:"Where the job is deployed from (bundles set it): kind, metadata_file_path."`
	PerformanceTarget    *PerformanceTarget    `json:"performance_target,omitzero" doc:"Serverless: PERFORMANCE_OPTIMIZED or STANDARD (cheaper)."`
	BudgetPolicyID       *string               `json:"budget_policy_id,omitzero" doc:"Budget policy id."`
	UsagePolicyID        *string               `json:"usage_policy_id,omitzero" doc:"Usage policy id."`
	ParentPath           *string               `json:"parent_path,omitzero" doc:"Workspace folder of the job."`
}

// JobSettings is a job's settings as one object (a job's settings member,
// jobs_reset's new_settings, jobs_update's new_settings).
type JobSettings struct {
	Settings

	Extra map[string]json.RawMessage `json:"-"`
}

// TaskFields are what every kind of task carries: its work (one of the
// *_task members), its compute and its behaviour. Task, SubmitTask and
// RunTask embed it.
type TaskFields struct {
	DependsOn               []TaskDependency      `json:"depends_on,omitzero" doc:"Tasks to finish first."`
	RunIf                   *RunIf                `json:"run_if,omitzero" doc:"Run condition; default ALL_SUCCESS."`
	Description             *string               `json:"description,omitzero" doc:"Description."`
	NotebookTask            *NotebookTask         `json:"notebook_task,omitzero" doc:"Run a notebook."`
	SparkPythonTask         *SparkPythonTask      `json:"spark_python_task,omitzero" doc:"Run a Python file."`
	PythonWheelTask         *PythonWheelTask      `json:"python_wheel_task,omitzero" doc:"Run a Python wheel entry point."`
	SparkJarTask            *SparkJarTask         `json:"spark_jar_task,omitzero" doc:"Run a JAR's main class."`
	SparkSubmitTask         *SparkSubmitTask      `json:"spark_submit_task,omitzero" doc:"Run spark-submit."`
	SQLTask                 *SQLTask              `json:"sql_task,omitzero" advertise:"compact" doc:"Run SQL on a warehouse: warehouse_id and one of query {query_id}, file {path, source}, alert {alert_id}, dashboard {dashboard_id}; parameters."`
	DbtTask                 *DbtTask              `json:"dbt_task,omitzero" advertise:"compact" doc:"Run dbt: commands (list), project_directory, profiles_directory, warehouse_id, catalog, schema, source."`
	PipelineTask            *PipelineTask         `json:"pipeline_task,omitzero" advertise:"compact" doc:"Update a pipeline: pipeline_id, full_refresh, refresh_selection, full_refresh_selection (lists of tables)."`
	RunJobTask              *RunJobTask           `json:"run_job_task,omitzero" advertise:"compact" doc:"Run another job: job_id, job_parameters (name to value)."`
	ExistingClusterID       *string               `json:"existing_cluster_id,omitzero" doc:"All-purpose cluster to run on."`
	NewCluster              *compute.ClusterSpec  `json:"new_cluster,omitzero" advertise:"compact" doc:"New cluster for this task: the cluster spec clusters_create takes."`
	Libraries               []compute.Library     `json:"libraries,omitzero" advertise:"compact" doc:"Libraries installed on the task's cluster: the Library objects libraries_install takes, e.g. {\"whl\": \"/Volumes/v/x.whl\"}, {\"jar\": ...}, {\"pypi\": {\"package\": \"pandas==2.2\"}}, {\"maven\": {\"coordinates\": \"g:a:v\"}}."`
	EnvironmentKey          *string               `json:"environment_key,omitzero" doc:"Serverless environment to run in."`
	MaxRetries              *int                  `json:"max_retries,omitzero" doc:"Retries on failure; -1: unlimited."`
	MinRetryIntervalMillis  *int                  `json:"min_retry_interval_millis,omitzero" doc:"Milliseconds before a retry."`
	RetryOnTimeout          *bool                 `json:"retry_on_timeout,omitzero" doc:"Retry after a timeout too."`
	TimeoutSeconds          *int                  `json:"timeout_seconds,omitzero" doc:"Timeout in seconds."`
	Disabled                *bool                 `json:"disabled,omitzero" doc:"Skip the task."`
	DisableAutoOptimization *bool                 `json:"disable_auto_optimization,omitzero" doc:"No serverless auto-optimization."`
	Health                  *HealthRules          `json:"health,omitzero" advertise:"compact" doc:"Health rules: {rules: [{metric, op, value}]}."`
	EmailNotifications      *EmailNotifications   `json:"email_notifications,omitzero" doc:"Emails on task events."`
	WebhookNotifications    *WebhookNotifications `json:"webhook_notifications,omitzero" doc:"Destinations on task events."`
	NotificationSettings    *NotificationSettings `json:"notification_settings,omitzero" doc:"Silenced notifications."`
}

// Task is one task of a job.
type Task struct {
	TaskKey       string         `json:"task_key" doc:"Unique task name."`
	JobClusterKey *string        `json:"job_cluster_key,omitzero" doc:"Job cluster to run on."`
	ConditionTask *ConditionTask `json:"condition_task,omitzero" doc:"Compare values; dependants test the outcome."`
	ForEachTask   *ForEachTask   `json:"for_each_task,omitzero" doc:"Run a task per input."`
	TaskFields

	Extra map[string]json.RawMessage `json:"-"`
}

// SubmitTask is one task of a one-time run (jobs_submit).
type SubmitTask struct {
	TaskKey       string         `json:"task_key" doc:"Unique task name."`
	ConditionTask *ConditionTask `json:"condition_task,omitzero" doc:"Compare values; dependants test the outcome."`
	ForEachTask   *ForEachTask   `json:"for_each_task,omitzero" doc:"Run a task per input."`
	TaskFields

	Extra map[string]json.RawMessage `json:"-"`
}

// TaskDependency names a task that must finish first.
type TaskDependency struct {
	TaskKey string  `json:"task_key" doc:"The task_key."`
	Outcome *string `json:"outcome,omitzero" doc:"Condition outcome needed."`

	Extra map[string]json.RawMessage `json:"-"`
}

// NotebookTask runs a notebook.
type NotebookTask struct {
	NotebookPath   string            `json:"notebook_path" doc:"Absolute workspace path (or repo path)."`
	BaseParameters map[string]string `json:"base_parameters,omitzero" doc:"Widget values."`
	Source         *Source           `json:"source,omitzero" doc:"WORKSPACE or GIT."`
	WarehouseID    *string           `json:"warehouse_id,omitzero" doc:"Warehouse for SQL notebooks."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SparkPythonTask runs a Python file.
type SparkPythonTask struct {
	PythonFile string   `json:"python_file" doc:"Workspace path or cloud URI."`
	Parameters []string `json:"parameters,omitzero" doc:"Command-line arguments."`
	Source     *Source  `json:"source,omitzero" doc:"WORKSPACE or GIT."`

	Extra map[string]json.RawMessage `json:"-"`
}

// PythonWheelTask runs an entry point of a wheel.
type PythonWheelTask struct {
	PackageName     string            `json:"package_name" doc:"Name of the package."`
	EntryPoint      string            `json:"entry_point" doc:"Entry point."`
	Parameters      []string          `json:"parameters,omitzero" doc:"Command-line arguments."`
	NamedParameters map[string]string `json:"named_parameters,omitzero" doc:"Arguments as --name=value."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SparkJarTask runs a JAR's main class.
type SparkJarTask struct {
	MainClassName *string  `json:"main_class_name,omitzero" doc:"Class with the main method."`
	Parameters    []string `json:"parameters,omitzero" doc:"Arguments of the main method."`
	JarURI        *string  `json:"jar_uri,omitzero" doc:"Deprecated; put the JAR in libraries."`
	RunAsRepl     *bool    `json:"run_as_repl,omitzero" doc:"Deprecated."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SparkSubmitTask runs spark-submit.
type SparkSubmitTask struct {
	Parameters []string `json:"parameters,omitzero" doc:"spark-submit arguments."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SQLTask runs SQL on a warehouse; exactly one of query, file, alert, dashboard.
type SQLTask struct {
	WarehouseID string            `json:"warehouse_id" doc:"Warehouse id."`
	Query       *SQLTaskQuery     `json:"query,omitzero" doc:"Saved query to run."`
	File        *SQLTaskFile      `json:"file,omitzero" doc:"SQL file to run."`
	Alert       *SQLTaskAlert     `json:"alert,omitzero" advertise:"compact" doc:"Alert to evaluate: alert_id, subscriptions."`
	Dashboard   *SQLTaskDashboard `json:"dashboard,omitzero" advertise:"compact" doc:"Legacy dashboard to refresh: dashboard_id, subscriptions."`
	Parameters  map[string]string `json:"parameters,omitzero" doc:"Query parameters."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SQLTaskQuery names a saved query.
type SQLTaskQuery struct {
	QueryID string `json:"query_id" doc:"Id of the query."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SQLTaskFile names a SQL file.
type SQLTaskFile struct {
	Path   string  `json:"path" doc:"Path of the file."`
	Source *Source `json:"source,omitzero" doc:"WORKSPACE or GIT."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SQLTaskAlert names an alert.
type SQLTaskAlert struct {
	AlertID            string                `json:"alert_id" doc:"Id of the alert."`
	PauseSubscriptions *bool                 `json:"pause_subscriptions,omitzero" doc:"Send no notifications."`
	Subscriptions      []SQLTaskSubscription `json:"subscriptions,omitzero" doc:"Who is notified."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SQLTaskDashboard names a legacy dashboard.
type SQLTaskDashboard struct {
	DashboardID        string                `json:"dashboard_id" doc:"Id of the dashboard."`
	CustomSubject      *string               `json:"custom_subject,omitzero" doc:"Subject of the email sent."`
	PauseSubscriptions *bool                 `json:"pause_subscriptions,omitzero" doc:"Send no notifications."`
	Subscriptions      []SQLTaskSubscription `json:"subscriptions,omitzero" doc:"Who is notified."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SQLTaskSubscription is one recipient of an alert or dashboard task.
type SQLTaskSubscription struct {
	UserName      *string `json:"user_name,omitzero" doc:"User to email."`
	DestinationID *string `json:"destination_id,omitzero" doc:"Notification destination id."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DbtTask runs dbt.
type DbtTask struct {
	Commands          []string `json:"commands,omitzero" doc:"dbt commands in order (required)."`
	ProjectDirectory  *string  `json:"project_directory,omitzero" doc:"Directory of dbt_project.yml."`
	ProfilesDirectory *string  `json:"profiles_directory,omitzero" doc:"Directory of profiles.yml."`
	WarehouseID       *string  `json:"warehouse_id,omitzero" doc:"SQL warehouse dbt connects to."`
	Catalog           *string  `json:"catalog,omitzero" doc:"Catalog to use."`
	Schema            *string  `json:"schema,omitzero" doc:"Schema to write to."`
	Source            *Source  `json:"source,omitzero" doc:"WORKSPACE or GIT."`

	Extra map[string]json.RawMessage `json:"-"`
}

// PipelineTask updates a pipeline.
type PipelineTask struct {
	PipelineID               string            `json:"pipeline_id" doc:"Id of the pipeline."`
	FullRefresh              *bool             `json:"full_refresh,omitzero" doc:"Full refresh."`
	FullRefreshSelection     []string          `json:"full_refresh_selection,omitzero" doc:"Tables to fully refresh."`
	RefreshSelection         []string          `json:"refresh_selection,omitzero" doc:"Tables to refresh."`
	RefreshFlowSelection     []string          `json:"refresh_flow_selection,omitzero" doc:"Flows to refresh."`
	ResetCheckpointSelection []string          `json:"reset_checkpoint_selection,omitzero" doc:"Flows whose checkpoints are reset."`
	Parameters               map[string]string `json:"parameters,omitzero" doc:"Pipeline parameters."`

	Extra map[string]json.RawMessage `json:"-"`
}

// PipelineParams are run-time options of pipeline tasks.
type PipelineParams struct {
	FullRefresh              *bool    `json:"full_refresh,omitzero" doc:"Full refresh."`
	FullRefreshSelection     []string `json:"full_refresh_selection,omitzero" doc:"Tables to fully refresh."`
	RefreshSelection         []string `json:"refresh_selection,omitzero" doc:"Tables to refresh."`
	RefreshFlowSelection     []string `json:"refresh_flow_selection,omitzero" doc:"Flows to refresh."`
	ResetCheckpointSelection []string `json:"reset_checkpoint_selection,omitzero" doc:"Flows whose checkpoints are reset."`

	Extra map[string]json.RawMessage `json:"-"`
}

// RunJobTask runs another job.
type RunJobTask struct {
	JobID             int64             `json:"job_id" doc:"Id of the job to run."`
	JobParameters     map[string]string `json:"job_parameters,omitzero" doc:"Job parameters."`
	NotebookParams    map[string]string `json:"notebook_params,omitzero" doc:"Deprecated."`
	PythonParams      []string          `json:"python_params,omitzero" doc:"Deprecated."`
	PythonNamedParams map[string]string `json:"python_named_params,omitzero" doc:"Deprecated."`
	JarParams         []string          `json:"jar_params,omitzero" doc:"Deprecated."`
	SparkSubmitParams []string          `json:"spark_submit_params,omitzero" doc:"Deprecated."`
	SQLParams         map[string]string `json:"sql_params,omitzero" doc:"Deprecated."`
	DbtCommands       []string          `json:"dbt_commands,omitzero" doc:"Deprecated."`
	PipelineParams    *PipelineParams   `json:"pipeline_params,omitzero" advertise:"compact" doc:"Pipeline task options (full_refresh, ...)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ConditionTask compares two values.
type ConditionTask struct {
	Left  string      `json:"left" doc:"Left operand."`
	Op    ConditionOp `json:"op" doc:"Comparison."`
	Right string      `json:"right" doc:"Right operand."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ForEachTask runs a nested task once per input.
type ForEachTask struct {
	Inputs      string `json:"inputs" doc:"JSON array text; each item is {{input}}."`
	Task        Task   `json:"task" doc:"The task run for each input."`
	Concurrency *int   `json:"concurrency,omitzero" doc:"Parallel iterations."`

	Extra map[string]json.RawMessage `json:"-"`
}

// JobCluster is a cluster spec tasks share.
type JobCluster struct {
	JobClusterKey string               `json:"job_cluster_key" doc:"Name tasks use as job_cluster_key."`
	NewCluster    *compute.ClusterSpec `json:"new_cluster,omitzero" advertise:"compact" doc:"The cluster spec clusters_create takes (spark_version, node_type_id, num_workers or autoscale, ...)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Environment is a serverless environment tasks can run in.
type Environment struct {
	EnvironmentKey string           `json:"environment_key" doc:"Name tasks use as environment_key."`
	Spec           *EnvironmentSpec `json:"spec,omitzero" doc:"Version and dependencies."`

	Extra map[string]json.RawMessage `json:"-"`
}

// EnvironmentSpec is a serverless environment's content.
type EnvironmentSpec struct {
	EnvironmentVersion *string  `json:"environment_version,omitzero" doc:"Serverless environment version, e.g. \"2\"."`
	BaseEnvironment    *string  `json:"base_environment,omitzero" doc:"Base environment."`
	Client             *string  `json:"client,omitzero" doc:"Deprecated; use environment_version."`
	Dependencies       []string `json:"dependencies,omitzero" doc:"pip requirements."`
	JavaDependencies   []string `json:"java_dependencies,omitzero" doc:"JAR paths."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ParameterDefinition is a job parameter with its default.
type ParameterDefinition struct {
	Name    string `json:"name" doc:"Name."`
	Default string `json:"default" doc:"Default value."`

	Extra map[string]json.RawMessage `json:"-"`
}

// CronSchedule runs a job on a cron schedule.
type CronSchedule struct {
	QuartzCronExpression string       `json:"quartz_cron_expression" doc:"Quartz cron, e.g. \"0 0 6 * * ?\"."`
	TimezoneID           string       `json:"timezone_id" doc:"Java time zone id, e.g. UTC."`
	PauseStatus          *PauseStatus `json:"pause_status,omitzero" doc:"PAUSED or UNPAUSED (default)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Continuous keeps a run always active.
type Continuous struct {
	PauseStatus   *PauseStatus   `json:"pause_status,omitzero" doc:"PAUSED or UNPAUSED (default)."`
	TaskRetryMode *TaskRetryMode `json:"task_retry_mode,omitzero" doc:"Retry failed tasks?"`

	Extra map[string]json.RawMessage `json:"-"`
}

// TriggerSettings start runs on events; exactly one of its kinds.
type TriggerSettings struct {
	PauseStatus *PauseStatus        `json:"pause_status,omitzero" doc:"PAUSED or UNPAUSED (default)."`
	FileArrival *FileArrivalTrigger `json:"file_arrival,omitzero" advertise:"compact" doc:"On new files: url (required), min_time_between_triggers_seconds, wait_after_last_change_seconds."`
	TableUpdate *TableUpdateTrigger `json:"table_update,omitzero" advertise:"compact" doc:"On table updates: table_names (required), condition ANY_UPDATED|ALL_UPDATED, min_time_between_triggers_seconds, wait_after_last_change_seconds."`
	Periodic    *PeriodicTrigger    `json:"periodic,omitzero" doc:"Every interval units."`

	Extra map[string]json.RawMessage `json:"-"`
}

// FileArrivalTrigger watches a storage location.
type FileArrivalTrigger struct {
	URL                           string `json:"url" doc:"Location or volume URL."`
	MinTimeBetweenTriggersSeconds *int   `json:"min_time_between_triggers_seconds,omitzero" doc:"Min seconds between runs."`
	WaitAfterLastChangeSeconds    *int   `json:"wait_after_last_change_seconds,omitzero" doc:"Quiet seconds before a run."`

	Extra map[string]json.RawMessage `json:"-"`
}

// TableUpdateTrigger watches tables.
type TableUpdateTrigger struct {
	TableNames                    []string        `json:"table_names,omitzero" doc:"catalog.schema.table names (required)."`
	Condition                     *TableCondition `json:"condition,omitzero" doc:"ANY_UPDATED or ALL_UPDATED."`
	MinTimeBetweenTriggersSeconds *int            `json:"min_time_between_triggers_seconds,omitzero" doc:"Min seconds between runs."`
	WaitAfterLastChangeSeconds    *int            `json:"wait_after_last_change_seconds,omitzero" doc:"Quiet seconds before a run."`

	Extra map[string]json.RawMessage `json:"-"`
}

// PeriodicTrigger runs at a fixed interval.
type PeriodicTrigger struct {
	Interval int          `json:"interval" doc:"Units between runs."`
	Unit     PeriodicUnit `json:"unit" doc:"Unit."`

	Extra map[string]json.RawMessage `json:"-"`
}

// EmailNotifications lists addresses per event.
type EmailNotifications struct {
	OnStart                            []string `json:"on_start,omitzero" doc:"On start."`
	OnSuccess                          []string `json:"on_success,omitzero" doc:"On success."`
	OnFailure                          []string `json:"on_failure,omitzero" doc:"On failure."`
	OnDurationWarningThresholdExceeded []string `json:"on_duration_warning_threshold_exceeded,omitzero" doc:"On a duration rule."`
	OnStreamingBacklogExceeded         []string `json:"on_streaming_backlog_exceeded,omitzero" doc:"On a backlog rule."`
	NoAlertForSkippedRuns              *bool    `json:"no_alert_for_skipped_runs,omitzero" doc:"Deprecated; use notification_settings."`

	Extra map[string]json.RawMessage `json:"-"`
}

// WebhookNotifications lists notification destinations per event.
type WebhookNotifications struct {
	OnStart                            []Webhook `json:"on_start,omitzero" doc:"On start."`
	OnSuccess                          []Webhook `json:"on_success,omitzero" doc:"On success."`
	OnFailure                          []Webhook `json:"on_failure,omitzero" doc:"On failure."`
	OnDurationWarningThresholdExceeded []Webhook `json:"on_duration_warning_threshold_exceeded,omitzero" doc:"On a duration rule."`
	OnStreamingBacklogExceeded         []Webhook `json:"on_streaming_backlog_exceeded,omitzero" doc:"On a backlog rule."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Webhook names a notification destination.
type Webhook struct {
	ID string `json:"id" doc:"Id of the notification destination."`

	Extra map[string]json.RawMessage `json:"-"`
}

// NotificationSettings silences some notifications.
type NotificationSettings struct {
	NoAlertForSkippedRuns  *bool `json:"no_alert_for_skipped_runs,omitzero" doc:"No notifications for skipped runs."`
	NoAlertForCanceledRuns *bool `json:"no_alert_for_canceled_runs,omitzero" doc:"No notifications for canceled runs."`
	AlertOnLastAttempt     *bool `json:"alert_on_last_attempt,omitzero" doc:"Tasks only: notify only after the last retry."`

	Extra map[string]json.RawMessage `json:"-"`
}

// HealthRules are a job's or task's health rules.
type HealthRules struct {
	Rules []HealthRule `json:"rules,omitzero" doc:"The rules."`

	Extra map[string]json.RawMessage `json:"-"`
}

// HealthRule is broken when metric op value holds.
type HealthRule struct {
	Metric HealthMetric   `json:"metric" doc:"Metric."`
	Op     HealthOperator `json:"op" doc:"GREATER_THAN."`
	Value  int64          `json:"value" doc:"Threshold."`

	Extra map[string]json.RawMessage `json:"-"`
}

// QueueSettings turns run queueing on or off.
type QueueSettings struct {
	Enabled bool `json:"enabled" doc:"Queue runs that cannot start yet."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GitSource is the remote repository of a job's files; give one of branch, tag, commit.
type GitSource struct {
	GitURL         string          `json:"git_url" doc:"Repository URL."`
	GitProvider    GitProvider     `json:"git_provider" doc:"Hosting service."`
	GitBranch      *string         `json:"git_branch,omitzero" doc:"Branch to check out."`
	GitTag         *string         `json:"git_tag,omitzero" doc:"Tag to check out."`
	GitCommit      *string         `json:"git_commit,omitzero" doc:"Commit to check out."`
	GitSnapshot    *GitSnapshot    `json:"git_snapshot,omitzero" advertise:"compact" doc:"Read only: the commit a run used."`
	JobSource      *JobSource      `json:"job_source,omitzero" advertise:"compact" doc:"Where the job definition lives in git: job_config_path, import_from_git_branch."`
	SparseCheckout *SparseCheckout `json:"sparse_checkout,omitzero" advertise:"compact" doc:"Check out only some paths: patterns."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GitSnapshot is the commit a run used.
type GitSnapshot struct {
	UsedCommit *string `json:"used_commit,omitzero" doc:"Commit hash used."`

	Extra map[string]json.RawMessage `json:"-"`
}

// JobSource is where a job's definition lives in git.
type JobSource struct {
	JobConfigPath       string      `json:"job_config_path" doc:"Path of the job definition in the repository."`
	ImportFromGitBranch string      `json:"import_from_git_branch" doc:"Branch the definition is imported from."`
	DirtyState          *DirtyState `json:"dirty_state,omitzero" doc:"NOT_SYNCED or DISCONNECTED."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SparseCheckout limits a checkout to some paths.
type SparseCheckout struct {
	Patterns []string `json:"patterns,omitzero" doc:"Cone patterns of the paths to check out."`

	Extra map[string]json.RawMessage `json:"-"`
}

// RunAs names the identity runs run as; exactly one member.
type RunAs struct {
	UserName             *string `json:"user_name,omitzero" doc:"User email."`
	ServicePrincipalName *string `json:"service_principal_name,omitzero" doc:"Service principal application id."`
	GroupName            *string `json:"group_name,omitzero" doc:"Group name."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Deployment says where a job is deployed from.
type Deployment struct {
	Kind             DeploymentKind `json:"kind" doc:"BUNDLE or SYSTEM_MANAGED."`
	MetadataFilePath *string        `json:"metadata_file_path,omitzero" doc:"Path of the deployment metadata file."`
	DeploymentID     *string        `json:"deployment_id,omitzero" doc:"Id of the deployment."`
	VersionID        *string        `json:"version_id,omitzero" doc:"Version of the deployment."`

	Extra map[string]json.RawMessage `json:"-"`
}

// AccessControlRequest grants one principal a permission on a job.
type AccessControlRequest struct {
	UserName             *string          `json:"user_name,omitzero" doc:"User email."`
	GroupName            *string          `json:"group_name,omitzero" doc:"Group name."`
	ServicePrincipalName *string          `json:"service_principal_name,omitzero" doc:"Service principal application id."`
	PermissionLevel      *PermissionLevel `json:"permission_level,omitzero" doc:"Level."`

	Extra map[string]json.RawMessage `json:"-"`
}
