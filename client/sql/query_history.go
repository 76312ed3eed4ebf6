package sql

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// Query History API: the statements run on SQL warehouses (and serverless
// compute), newest first, for finding a slow or failed query.

// QueryStatus is where a query in the history stands.
type QueryStatus string

// Values of QueryStatus.
const (
	QueryStatusCanceled QueryStatus = "CANCELED"
	QueryStatusFailed   QueryStatus = "FAILED"
	QueryStatusFinished QueryStatus = "FINISHED"
	QueryStatusQueued   QueryStatus = "QUEUED"
	QueryStatusRunning  QueryStatus = "RUNNING"
)

// EnumValues lists the values the API defines for QueryStatus.
func (QueryStatus) EnumValues() []string {
	return []string{"CANCELED", "COMPILED", "COMPILING", "FAILED", "FINISHED", "QUEUED", "RUNNING", "STARTED"}
}

// StatementType is the kind of SQL statement a query was.
type StatementType string

// EnumValues lists the values the API defines for StatementType.
func (StatementType) EnumValues() []string {
	return []string{
		"ALTER", "ANALYZE", "COPY", "CREATE", "DELETE", "DESCRIBE", "DROP", "EXPLAIN", "GRANT", "INSERT",
		"MERGE", "OPTIMIZE", "OTHER", "REFRESH", "REPLACE", "REVOKE", "SELECT", "SET", "SHOW", "TRUNCATE",
		"UPDATE", "USE",
	}
}

// PlansState says whether a query's plans were kept, or why not.
type PlansState string

// EnumValues lists the values the API defines for PlansState.
func (PlansState) EnumValues() []string {
	return []string{
		"EMPTY", "EXISTS", "IGNORED_LARGE_PLANS_SIZE", "IGNORED_SMALL_DURATION", "IGNORED_SPARK_PLAN_TYPE",
		"UNKNOWN",
	}
}

// QueryFilter narrows the history.
type QueryFilter struct {
	WarehouseIDs        []string      `json:"warehouse_ids,omitzero" doc:"Only queries of these warehouses."`
	UserIDs             []int64       `json:"user_ids,omitzero" doc:"Only queries of these users (numeric ids)."`
	Statuses            []QueryStatus `json:"statuses,omitzero" doc:"Only queries in these statuses (QUEUED, RUNNING, CANCELED, FAILED, FINISHED); one status per call works best."`
	StatementIDs        []string      `json:"statement_ids,omitzero" doc:"Only these statements (query_id)."`
	QueryStartTimeRange *TimeRange    `json:"query_start_time_range,omitzero" doc:"Only queries started in this window (at most 30 days)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// TimeRange is a window of time in epoch milliseconds.
type TimeRange struct {
	StartTimeMs *int64 `json:"start_time_ms,omitzero" doc:"Start, epoch ms."`
	EndTimeMs   *int64 `json:"end_time_ms,omitzero" doc:"End, epoch ms."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListQueryHistoryRequest pages the query history.
type ListQueryHistoryRequest struct {
	FilterBy       *QueryFilter `json:"filter_by,omitzero" doc:"Filters: warehouse_ids, user_ids, statuses, statement_ids, query_start_time_range."`
	MaxResults     *int64       `json:"max_results,omitzero" doc:"Most queries per page, below 1000. Default 100."`
	PageToken      *string      `json:"page_token,omitzero" doc:"next_page_token of the previous page."`
	IncludeMetrics *bool        `json:"include_metrics,omitzero" doc:"Add each query's execution metrics (time, bytes and rows read, spill); use with a small max_results."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListQueriesResponse is one page of the history.
type ListQueriesResponse struct {
	Res           []QueryInfo `json:"res,omitzero" doc:"The queries, newest first."`
	HasNextPage   *bool       `json:"has_next_page,omitzero" doc:"Whether another page follows."`
	NextPageToken *string     `json:"next_page_token,omitzero" doc:"Token of the next page."`

	Extra map[string]json.RawMessage `json:"-"`
}

// QueryInfo is one query of the history.
type QueryInfo struct {
	QueryID            *string        `json:"query_id,omitzero" doc:"Query id (the statement id)."`
	Status             *QueryStatus   `json:"status,omitzero" doc:"QUEUED, RUNNING, CANCELED, FAILED or FINISHED."`
	QueryText          *string        `json:"query_text,omitzero" doc:"The SQL text."`
	StatementType      *StatementType `json:"statement_type,omitzero" doc:"Kind of statement."`
	ErrorMessage       *string        `json:"error_message,omitzero" doc:"Why the query did not complete."`
	WarehouseID        *string        `json:"warehouse_id,omitzero" doc:"Warehouse it ran on."`
	EndpointID         *string        `json:"endpoint_id,omitzero" doc:"Same as warehouse_id."`
	UserID             *int64         `json:"user_id,omitzero" doc:"Id of the user who ran it."`
	UserName           *string        `json:"user_name,omitzero" doc:"User who ran it."`
	ExecutedAsUserID   *int64         `json:"executed_as_user_id,omitzero" doc:"Id of the user whose credentials ran it."`
	ExecutedAsUserName *string        `json:"executed_as_user_name,omitzero" doc:"User whose credentials ran it."`
	QueryStartTimeMs   *int64         `json:"query_start_time_ms,omitzero" doc:"When it started, epoch ms."`
	ExecutionEndTimeMs *int64         `json:"execution_end_time_ms,omitzero" doc:"When execution ended, epoch ms."`
	QueryEndTimeMs     *int64         `json:"query_end_time_ms,omitzero" doc:"When it ended, epoch ms."`
	Duration           *int64         `json:"duration,omitzero" doc:"Execution time in ms, without fetching the results."`
	RowsProduced       *int64         `json:"rows_produced,omitzero" doc:"Rows returned."`
	IsFinal            *bool          `json:"is_final,omitzero" doc:"False while more updates are expected."`
	ClientApplication  *string        `json:"client_application,omitzero" doc:"Client that ran it (SQL editor, a BI tool, ...)."`
	SessionID          *string        `json:"session_id,omitzero" doc:"Spark session it ran in."`
	CacheQueryID       *string        `json:"cache_query_id,omitzero" doc:"Query whose cached result was returned."`
	LookupKey          *string        `json:"lookup_key,omitzero" doc:"Key to look up query details."`
	SparkUIURL         *string        `json:"spark_ui_url,omitzero" doc:"Spark UI URL of the query plan."`
	PlansState         *PlansState    `json:"plans_state,omitzero" doc:"Whether plans were kept."`
	ChannelUsed        *Channel       `json:"channel_used,omitzero" doc:"Warehouse channel when it ran."`
	QuerySource        *QuerySource   `json:"query_source,omitzero" doc:"Job, notebook, dashboard, alert or Genie space it came from."`
	QueryTags          []QueryTag     `json:"query_tags,omitzero" doc:"Tags the query was annotated with."`
	Metrics            *QueryMetrics  `json:"metrics,omitzero" doc:"Execution metrics, with include_metrics."`

	Extra map[string]json.RawMessage `json:"-"`
}

// QueryTag is a key-value annotation of a query.
type QueryTag struct {
	Key   string  `json:"key" doc:"Tag key."`
	Value *string `json:"value,omitzero" doc:"Tag value."`

	Extra map[string]json.RawMessage `json:"-"`
}

// QuerySource names the Databricks objects a query came from.
type QuerySource struct {
	JobInfo           *QuerySourceJob `json:"job_info,omitzero" doc:"Job, run and task run."`
	NotebookID        *string         `json:"notebook_id,omitzero" doc:"Notebook id."`
	DashboardID       *string         `json:"dashboard_id,omitzero" doc:"Lakeview dashboard id."`
	LegacyDashboardID *string         `json:"legacy_dashboard_id,omitzero" doc:"Legacy dashboard id."`
	AlertID           *string         `json:"alert_id,omitzero" doc:"SQL alert id."`
	SQLQueryID        *string         `json:"sql_query_id,omitzero" doc:"Saved SQL query id."`
	GenieSpaceID      *string         `json:"genie_space_id,omitzero" doc:"Genie space id."`

	Extra map[string]json.RawMessage `json:"-"`
}

// QuerySourceJob names the job run a query came from.
type QuerySourceJob struct {
	JobID        *string `json:"job_id,omitzero" doc:"Job id."`
	JobRunID     *string `json:"job_run_id,omitzero" doc:"Run id."`
	JobTaskRunID *string `json:"job_task_run_id,omitzero" doc:"Task run id."`

	Extra map[string]json.RawMessage `json:"-"`
}

// QueryMetrics are a query's execution metrics (times in ms, sizes in
// bytes).
type QueryMetrics struct {
	TotalTimeMs                       *int64             `json:"total_time_ms,omitzero" doc:"Total time seen by the client."`
	CompilationTimeMs                 *int64             `json:"compilation_time_ms,omitzero" doc:"Metadata loading and optimizing."`
	ExecutionTimeMs                   *int64             `json:"execution_time_ms,omitzero" doc:"Execution."`
	ResultFetchTimeMs                 *int64             `json:"result_fetch_time_ms,omitzero" doc:"Fetching results after execution."`
	TaskTotalTimeMs                   *int64             `json:"task_total_time_ms,omitzero" doc:"Sum of all tasks' time."`
	PhotonTotalTimeMs                 *int64             `json:"photon_total_time_ms,omitzero" doc:"Sum of Photon tasks' time."`
	ReadBytes                         *int64             `json:"read_bytes,omitzero" doc:"Data read."`
	ReadCacheBytes                    *int64             `json:"read_cache_bytes,omitzero" doc:"Read from cache."`
	ReadRemoteBytes                   *int64             `json:"read_remote_bytes,omitzero" doc:"Read from cloud storage."`
	ReadFilesBytes                    *int64             `json:"read_files_bytes,omitzero" doc:"File bytes of tables read."`
	ReadFilesCount                    *int64             `json:"read_files_count,omitzero" doc:"Files read after pruning."`
	ReadPartitionsCount               *int64             `json:"read_partitions_count,omitzero" doc:"Partitions read after pruning."`
	PrunedBytes                       *int64             `json:"pruned_bytes,omitzero" doc:"File bytes skipped by pruning."`
	PrunedFilesCount                  *int64             `json:"pruned_files_count,omitzero" doc:"Files skipped by pruning."`
	RowsReadCount                     *int64             `json:"rows_read_count,omitzero" doc:"Rows read."`
	RowsProducedCount                 *int64             `json:"rows_produced_count,omitzero" doc:"Rows returned."`
	SpillToDiskBytes                  *int64             `json:"spill_to_disk_bytes,omitzero" doc:"Spilled to disk."`
	NetworkSentBytes                  *int64             `json:"network_sent_bytes,omitzero" doc:"Shuffled between executors."`
	WriteRemoteBytes                  *int64             `json:"write_remote_bytes,omitzero" doc:"Written to cloud storage."`
	ResultFromCache                   *bool              `json:"result_from_cache,omitzero" doc:"Result came from cache."`
	ProvisioningQueueStartTimestamp   *int64             `json:"provisioning_queue_start_timestamp,omitzero" doc:"When it queued for a cluster to be provisioned, epoch ms."`
	OverloadingQueueStartTimestamp    *int64             `json:"overloading_queue_start_timestamp,omitzero" doc:"When it queued on a fully loaded warehouse, epoch ms."`
	QueryCompilationStartTimestamp    *int64             `json:"query_compilation_start_timestamp,omitzero" doc:"When compilation started, epoch ms."`
	RemainingTaskCount                *int64             `json:"remaining_task_count,omitzero" doc:"Tasks left."`
	RunnableTasks                     *int64             `json:"runnable_tasks,omitzero" doc:"Deprecated: remaining_task_count."`
	ProjectedRemainingTaskTotalTimeMs *int64             `json:"projected_remaining_task_total_time_ms,omitzero" doc:"Projected task time left."`
	ProjectedRemainingWallclockTimeMs *int64             `json:"projected_remaining_wallclock_time_ms,omitzero" doc:"Projected lower bound of wall time left."`
	WorkToBeDone                      *int64             `json:"work_to_be_done,omitzero" doc:"Deprecated: projected_remaining_task_total_time_ms."`
	TaskTimeOverTimeRange             *TaskTimeOverRange `json:"task_time_over_time_range,omitzero" doc:"Task time completed per interval."`

	Extra map[string]json.RawMessage `json:"-"`
}

// TaskTimeOverRange is task time completed per interval since the query
// started.
type TaskTimeOverRange struct {
	Interval *int64                   `json:"interval,omitzero" doc:"Length of each interval, ms."`
	Entries  []TaskTimeOverRangeEntry `json:"entries,omitzero" doc:"One per interval."`

	Extra map[string]json.RawMessage `json:"-"`
}

// TaskTimeOverRangeEntry is one interval of a TaskTimeOverRange.
type TaskTimeOverRangeEntry struct {
	TaskCompletedTimeMs *int64 `json:"task_completed_time_ms,omitzero" doc:"Task time completed in the interval, ms."`

	Extra map[string]json.RawMessage `json:"-"`
}

// QueryHistoryList reads the query history.
var QueryHistoryList = client.Declare(&client.Endpoint[ListQueryHistoryRequest, ListQueriesResponse]{
	Service: "query_history", Name: "list", Method: "GET", Path: "/api/2.0/sql/history/queries",
	Access: client.Read,
	Paging: &client.Paging{Style: client.PageToken, Items: "res", Size: "max_results"},
	Title:  "List query history",
	Doc: "List the SQL statements run on warehouses, newest first, with status, duration, user, error and " +
		"(include_metrics) execution metrics: find a slow or failed query. Filter with filter_by " +
		"(warehouse_ids, user_ids, statuses, query_start_time_range in epoch ms); page with page_token.",
})
