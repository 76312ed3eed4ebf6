package jobs

// Enumerations of the Jobs API. Each lists the values the API defines, sorted.

// RunLifeCycleState is where a run or task run is in its life (state.life_cycle_state).
type RunLifeCycleState string

// EnumValues lists the values the API defines for RunLifeCycleState.
func (RunLifeCycleState) EnumValues() []string {
	return []string{"BLOCKED", "INTERNAL_ERROR", "PENDING", "QUEUED", "RUNNING", "SKIPPED", "TERMINATED", "TERMINATING", "WAITING_FOR_RETRY"}
}

// RunResultState is the outcome of a finished run or task run (state.result_state).
type RunResultState string

// EnumValues lists the values the API defines for RunResultState.
func (RunResultState) EnumValues() []string {
	return []string{"CANCELED", "DISABLED", "EXCLUDED", "FAILED", "MAXIMUM_CONCURRENT_RUNS_REACHED", "SUCCESS", "SUCCESS_WITH_FAILURES", "TIMEDOUT", "UPSTREAM_CANCELED", "UPSTREAM_FAILED"}
}

// RunStatusState is the 2.2 life cycle state of a run (status.state).
type RunStatusState string

// EnumValues lists the values the API defines for RunStatusState.
func (RunStatusState) EnumValues() []string {
	return []string{"BLOCKED", "PENDING", "QUEUED", "RUNNING", "TERMINATED", "TERMINATING", "WAITING"}
}

// TerminationCode says why a run ended (status.termination_details.code).
type TerminationCode string

// EnumValues lists the values the API defines for TerminationCode.
func (TerminationCode) EnumValues() []string {
	return []string{
		"BREAKING_CHANGE", "BUDGET_POLICY_LIMIT_EXCEEDED", "CANCELED", "CLOUD_FAILURE", "CLUSTER_ERROR",
		"CLUSTER_REQUEST_LIMIT_EXCEEDED", "DISABLED", "DRIVER_ERROR", "FEATURE_DISABLED", "INTERNAL_ERROR",
		"INVALID_CLUSTER_REQUEST", "INVALID_RUN_CONFIGURATION", "LIBRARY_INSTALLATION_ERROR",
		"MAX_CONCURRENT_RUNS_EXCEEDED", "MAX_JOB_QUEUE_SIZE_EXCEEDED", "MAX_SPARK_CONTEXTS_EXCEEDED",
		"REPOSITORY_CHECKOUT_FAILED", "RESOURCE_NOT_FOUND", "RUN_EXECUTION_ERROR", "SKIPPED",
		"STORAGE_ACCESS_ERROR", "SUCCESS", "SUCCESS_WITH_FAILURES", "UNAUTHORIZED_ERROR", "USER_CANCELED",
		"WORKSPACE_RUN_LIMIT_EXCEEDED",
	}
}

// TerminationType says who is at fault for how a run ended.
type TerminationType string

// EnumValues lists the values the API defines for TerminationType.
func (TerminationType) EnumValues() []string {
	return []string{"CLIENT_ERROR", "CLOUD_FAILURE", "INTERNAL_ERROR", "SUCCESS"}
}

// RunType is how a run was made: from a job, submitted once, or by a notebook's dbutils.notebook.run.
type RunType string

// EnumValues lists the values the API defines for RunType.
func (RunType) EnumValues() []string { return []string{"JOB_RUN", "SUBMIT_RUN", "WORKFLOW_RUN"} }

// TriggerType is what started a run.
type TriggerType string

// EnumValues lists the values the API defines for TriggerType.
func (TriggerType) EnumValues() []string {
	return []string{"CONTINUOUS", "CONTINUOUS_RESTART", "FILE_ARRIVAL", "ONE_TIME", "PERIODIC", "RETRY", "RUN_JOB_TASK", "TABLE"}
}

// PauseStatus says whether a schedule, trigger or continuous job is paused.
type PauseStatus string

// EnumValues lists the values the API defines for PauseStatus.
func (PauseStatus) EnumValues() []string { return []string{"PAUSED", "UNPAUSED"} }

// Source says where a task's file comes from: the workspace or the job's git_source.
type Source string

// EnumValues lists the values the API defines for Source.
func (Source) EnumValues() []string { return []string{"GIT", "WORKSPACE"} }

// RunIf is the condition on the dependencies under which a task runs.
type RunIf string

// EnumValues lists the values the API defines for RunIf.
func (RunIf) EnumValues() []string {
	return []string{"ALL_DONE", "ALL_FAILED", "ALL_SUCCESS", "AT_LEAST_ONE_FAILED", "AT_LEAST_ONE_SUCCESS", "NONE_FAILED"}
}

// ConditionOp is the comparison of a condition task.
type ConditionOp string

// EnumValues lists the values the API defines for ConditionOp.
func (ConditionOp) EnumValues() []string {
	return []string{"EQUAL_TO", "GREATER_THAN", "GREATER_THAN_OR_EQUAL", "LESS_THAN", "LESS_THAN_OR_EQUAL", "NOT_EQUAL"}
}

// GitProvider is the service hosting a job's git repository.
type GitProvider string

// EnumValues lists the values the API defines for GitProvider.
func (GitProvider) EnumValues() []string {
	return []string{
		"awsCodeCommit", "azureDevOpsServices", "bitbucketCloud", "bitbucketServer", "gitHub",
		"gitHubEnterprise", "gitLab", "gitLabEnterpriseEdition",
	}
}

// HealthMetric is what a health rule measures.
type HealthMetric string

// EnumValues lists the values the API defines for HealthMetric.
func (HealthMetric) EnumValues() []string {
	return []string{"RUN_DURATION_SECONDS", "STREAMING_BACKLOG_BYTES", "STREAMING_BACKLOG_FILES", "STREAMING_BACKLOG_RECORDS", "STREAMING_BACKLOG_SECONDS"}
}

// HealthOperator compares a health metric with its threshold.
type HealthOperator string

// EnumValues lists the values the API defines for HealthOperator.
func (HealthOperator) EnumValues() []string { return []string{"GREATER_THAN"} }

// Format is a job's settings format; every 2.1+ job is MULTI_TASK.
type Format string

// EnumValues lists the values the API defines for Format.
func (Format) EnumValues() []string { return []string{"MULTI_TASK", "SINGLE_TASK"} }

// EditMode says whether a job may be edited in the UI.
type EditMode string

// EnumValues lists the values the API defines for EditMode.
func (EditMode) EnumValues() []string { return []string{"EDITABLE", "UI_LOCKED"} }

// PerformanceTarget trades start-up speed for cost on serverless compute.
type PerformanceTarget string

// EnumValues lists the values the API defines for PerformanceTarget.
func (PerformanceTarget) EnumValues() []string { return []string{"PERFORMANCE_OPTIMIZED", "STANDARD"} }

// PeriodicUnit is the unit of a periodic trigger's interval.
type PeriodicUnit string

// EnumValues lists the values the API defines for PeriodicUnit.
func (PeriodicUnit) EnumValues() []string { return []string{"DAYS", "HOURS", "MINUTES", "WEEKS"} }

// TableCondition says which table updates fire a table update trigger.
type TableCondition string

// EnumValues lists the values the API defines for TableCondition.
func (TableCondition) EnumValues() []string { return []string{"ALL_UPDATED", "ANY_UPDATED"} }

// TaskRetryMode says whether a continuous job retries failed tasks.
type TaskRetryMode string

// EnumValues lists the values the API defines for TaskRetryMode.
func (TaskRetryMode) EnumValues() []string { return []string{"NEVER", "ON_FAILURE"} }

// QueueCode says why a run is queued.
type QueueCode string

// EnumValues lists the values the API defines for QueueCode.
func (QueueCode) EnumValues() []string {
	return []string{"ACTIVE_RUNS_LIMIT_REACHED", "ACTIVE_RUN_JOB_TASKS_LIMIT_REACHED", "MAX_CONCURRENT_RUNS_REACHED"}
}

// PermissionLevel is a permission on a job.
type PermissionLevel string

// EnumValues lists the values the API defines for PermissionLevel.
func (PermissionLevel) EnumValues() []string {
	return []string{"CAN_MANAGE", "CAN_MANAGE_RUN", "CAN_VIEW", "IS_OWNER"}
}

// ViewType is the kind of an exported view.
type ViewType string

// EnumValues lists the values the API defines for ViewType.
func (ViewType) EnumValues() []string { return []string{"DASHBOARD", "NOTEBOOK"} }

// ViewsToExport selects the views jobs_export_run returns.
type ViewsToExport string

// EnumValues lists the values the API defines for ViewsToExport.
func (ViewsToExport) EnumValues() []string { return []string{"ALL", "CODE", "DASHBOARDS"} }

// RepairType says whether a repair history entry is the original run or a repair.
type RepairType string

// EnumValues lists the values the API defines for RepairType.
func (RepairType) EnumValues() []string { return []string{"ORIGINAL", "REPAIR"} }

// DeploymentKind says what deployed a job.
type DeploymentKind string

// EnumValues lists the values the API defines for DeploymentKind.
func (DeploymentKind) EnumValues() []string { return []string{"BUNDLE", "SYSTEM_MANAGED"} }

// DirtyState says how a job differs from its definition in git.
type DirtyState string

// EnumValues lists the values the API defines for DirtyState.
func (DirtyState) EnumValues() []string { return []string{"DISCONNECTED", "NOT_SYNCED"} }
