package sql

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// Statement Execution API: run SQL on a warehouse and fetch its result,
// under /api/2.0/sql/statements.

// StatementState is where a statement's execution stands. PENDING waits
// for the warehouse; RUNNING runs; SUCCEEDED has a result to fetch; FAILED
// has an error; CANCELED was cancelled (by a call or by on_wait_timeout
// CANCEL); CLOSED succeeded but its result can no longer be fetched.
type StatementState string

// Values of StatementState.
const (
	StatementStateCanceled  StatementState = "CANCELED"
	StatementStateClosed    StatementState = "CLOSED"
	StatementStateFailed    StatementState = "FAILED"
	StatementStatePending   StatementState = "PENDING"
	StatementStateRunning   StatementState = "RUNNING"
	StatementStateSucceeded StatementState = "SUCCEEDED"
)

// EnumValues lists the values the API defines for StatementState.
func (StatementState) EnumValues() []string {
	return []string{"CANCELED", "CLOSED", "FAILED", "PENDING", "RUNNING", "SUCCEEDED"}
}

// Disposition is how a result is delivered: in the answer (INLINE, at most
// 25 MiB) or as links to cloud storage (EXTERNAL_LINKS, up to 100 GiB).
type Disposition string

// Values of Disposition.
const (
	DispositionExternalLinks Disposition = "EXTERNAL_LINKS"
	DispositionInline        Disposition = "INLINE"
)

// EnumValues lists the values the API defines for Disposition.
func (Disposition) EnumValues() []string { return []string{"EXTERNAL_LINKS", "INLINE"} }

// Format is the encoding of result data. ARROW_STREAM and CSV need
// EXTERNAL_LINKS.
type Format string

// Values of Format.
const (
	FormatArrowStream Format = "ARROW_STREAM"
	FormatCSV         Format = "CSV"
	FormatJSONArray   Format = "JSON_ARRAY"
)

// EnumValues lists the values the API defines for Format.
func (Format) EnumValues() []string { return []string{"ARROW_STREAM", "CSV", "JSON_ARRAY"} }

// OnWaitTimeout is what happens to a statement still running when
// wait_timeout ends.
type OnWaitTimeout string

// Values of OnWaitTimeout.
const (
	OnWaitTimeoutCancel   OnWaitTimeout = "CANCEL"
	OnWaitTimeoutContinue OnWaitTimeout = "CONTINUE"
)

// EnumValues lists the values the API defines for OnWaitTimeout.
func (OnWaitTimeout) EnumValues() []string { return []string{"CANCEL", "CONTINUE"} }

// StatementParameter is a value bound to a named :marker of the statement.
type StatementParameter struct {
	Name  string  `json:"name" doc:"Marker name, without the colon (:my_date -> my_date)."`
	Value *string `json:"value,omitzero" doc:"Value as a string; omit for NULL."`
	Type  *string `json:"type,omitzero" doc:"SQL type the value is cast to (INT, DATE, DECIMAL(10,2), ...); default STRING."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ExecuteStatementRequest is a statement to run and how to return its
// result.
type ExecuteStatementRequest struct {
	Statement     string               `json:"statement" doc:"The SQL statement (one statement, up to 16 MiB); may use named :markers bound by parameters."`
	WarehouseID   string               `json:"warehouse_id" doc:"Warehouse that runs it (from warehouses_list); a stopped one is started."`
	Catalog       *string              `json:"catalog,omitzero" doc:"Default catalog for unqualified names, as USE CATALOG."`
	Schema        *string              `json:"schema,omitzero" doc:"Default schema for unqualified names, as USE SCHEMA."`
	Parameters    []StatementParameter `json:"parameters,omitzero" doc:"Values of the statement's named parameter markers."`
	RowLimit      *int64               `json:"row_limit,omitzero" doc:"Most rows returned; manifest.truncated says whether rows were cut."`
	ByteLimit     *int64               `json:"byte_limit,omitzero" doc:"Most bytes of result; manifest.truncated says whether it was cut. EXTERNAL_LINKS defaults to 100 GiB."`
	WaitTimeout   *string              `json:"wait_timeout,omitzero" doc:"How long the call waits for the result: \"0s\" (return at once, PENDING, poll statement_execution_get_statement) or \"5s\" to \"50s\" (default 10s)."`
	OnWaitTimeout *OnWaitTimeout       `json:"on_wait_timeout,omitzero" doc:"When wait_timeout ends first: CONTINUE (default; keep running, poll by statement_id) or CANCEL."`
	Disposition   *Disposition         `json:"disposition,omitzero" doc:"INLINE (default; rows in the answer, at most 25 MiB) or EXTERNAL_LINKS (links to download chunks)."`
	Format        *Format              `json:"format,omitzero" doc:"JSON_ARRAY (default; rows of strings and nulls), or ARROW_STREAM or CSV (EXTERNAL_LINKS only)."`
	QueryTags     []QueryTag           `json:"query_tags,omitzero" doc:"Key-value tags recorded with the query (at most 20)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// StatementIDRequest names a statement.
type StatementIDRequest struct {
	StatementID string `json:"statement_id" in:"path" doc:"Statement id (from statement_execution_execute_statement)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GetStatementResultChunkNRequest names a chunk of a statement's result.
type GetStatementResultChunkNRequest struct {
	StatementID string `json:"statement_id" in:"path" doc:"Statement id (from statement_execution_execute_statement)."`
	ChunkIndex  int64  `json:"chunk_index" in:"path" doc:"Chunk to fetch, from 0; the previous chunk's next_chunk_index."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ServiceError is why a statement failed.
type ServiceError struct {
	ErrorCode *string `json:"error_code,omitzero" doc:"Error class, e.g. BAD_REQUEST, NOT_FOUND, DEADLINE_EXCEEDED, or a SQL error class."`
	Message   *string `json:"message,omitzero" doc:"What went wrong."`

	Extra map[string]json.RawMessage `json:"-"`
}

// StatementStatus is a statement's state and, when it failed, its error.
type StatementStatus struct {
	State    *StatementState `json:"state,omitzero" doc:"PENDING, RUNNING, SUCCEEDED, FAILED, CANCELED or CLOSED."`
	Error    *ServiceError   `json:"error,omitzero" doc:"The error, when FAILED."`
	SQLState *string         `json:"sql_state,omitzero" doc:"SQLSTATE code, when FAILED."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ColumnInfo describes one column of a result.
type ColumnInfo struct {
	Name             *string `json:"name,omitzero" doc:"Column name."`
	Position         *int64  `json:"position,omitzero" doc:"Position, from 0."`
	TypeName         *string `json:"type_name,omitzero" doc:"Base type: STRING, INT, LONG, DOUBLE, DECIMAL, BOOLEAN, DATE, TIMESTAMP, ARRAY, MAP, STRUCT, ..."`
	TypeText         *string `json:"type_text,omitzero" doc:"Full SQL type, e.g. decimal(10,2), array<string>."`
	TypePrecision    *int64  `json:"type_precision,omitzero" doc:"Digits of a DECIMAL."`
	TypeScale        *int64  `json:"type_scale,omitzero" doc:"Digits after the point of a DECIMAL."`
	TypeIntervalType *string `json:"type_interval_type,omitzero" doc:"Format of an INTERVAL."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ResultSchema is the ordered list of a result's columns.
type ResultSchema struct {
	ColumnCount *int64       `json:"column_count,omitzero" doc:"Number of columns."`
	Columns     []ColumnInfo `json:"columns,omitzero" doc:"The columns, in order."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ChunkInfo locates one chunk of a result.
type ChunkInfo struct {
	ChunkIndex *int64 `json:"chunk_index,omitzero" doc:"Chunk index, from 0."`
	RowOffset  *int64 `json:"row_offset,omitzero" doc:"Row of the result the chunk starts at."`
	RowCount   *int64 `json:"row_count,omitzero" doc:"Rows in the chunk."`
	ByteCount  *int64 `json:"byte_count,omitzero" doc:"Bytes in the chunk (EXTERNAL_LINKS only)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ResultManifest describes a whole result: format, columns and chunks.
type ResultManifest struct {
	Format          *Format       `json:"format,omitzero" doc:"Result format."`
	Schema          *ResultSchema `json:"schema,omitzero" doc:"Columns of the result."`
	TotalChunkCount *int64        `json:"total_chunk_count,omitzero" doc:"Chunks the result is split into."`
	Chunks          []ChunkInfo   `json:"chunks,omitzero" doc:"Where each chunk starts and how many rows it has."`
	TotalRowCount   *int64        `json:"total_row_count,omitzero" doc:"Rows in the result."`
	TotalByteCount  *int64        `json:"total_byte_count,omitzero" doc:"Bytes in the result (EXTERNAL_LINKS only)."`
	Truncated       *bool         `json:"truncated,omitzero" doc:"True when row_limit or byte_limit cut the result."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ExternalLink is a short-lived URL of one chunk of a result.
type ExternalLink struct {
	ChunkIndex            *int64            `json:"chunk_index,omitzero" doc:"Chunk index."`
	RowOffset             *int64            `json:"row_offset,omitzero" doc:"First row of the chunk."`
	RowCount              *int64            `json:"row_count,omitzero" doc:"Rows in the chunk."`
	ByteCount             *int64            `json:"byte_count,omitzero" doc:"Bytes in the chunk."`
	ExternalLink          *string           `json:"external_link,omitzero" doc:"Presigned URL of the chunk (sensitive; fetch without Databricks auth)."`
	Expiration            *string           `json:"expiration,omitzero" doc:"When the link expires."`
	HTTPHeaders           map[string]string `json:"http_headers,omitzero" doc:"Headers to send with the GET (sensitive)."`
	NextChunkIndex        *int64            `json:"next_chunk_index,omitzero" doc:"Index of the next chunk; absent on the last."`
	NextChunkInternalLink *string           `json:"next_chunk_internal_link,omitzero" doc:"API path of the next chunk; absent on the last."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ResultData is one chunk of a result.
type ResultData struct {
	ChunkIndex            *int64         `json:"chunk_index,omitzero" doc:"Chunk index, from 0."`
	RowOffset             *int64         `json:"row_offset,omitzero" doc:"Row of the result the chunk starts at."`
	RowCount              *int64         `json:"row_count,omitzero" doc:"Rows in the chunk."`
	ByteCount             *int64         `json:"byte_count,omitzero" doc:"Bytes in the chunk (EXTERNAL_LINKS only)."`
	DataArray             [][]*string    `json:"data_array,omitzero" doc:"Rows (JSON_ARRAY): each an array of values as strings, null for NULL."`
	ExternalLinks         []ExternalLink `json:"external_links,omitzero" doc:"Links to the chunk's data (EXTERNAL_LINKS)."`
	NextChunkIndex        *int64         `json:"next_chunk_index,omitzero" doc:"Chunk to fetch next with statement_execution_get_statement_result_chunk_n; absent on the last."`
	NextChunkInternalLink *string        `json:"next_chunk_internal_link,omitzero" doc:"API path of the next chunk; absent on the last."`

	Extra map[string]json.RawMessage `json:"-"`
}

// StatementResponse is a statement's status and, once it succeeded, its
// manifest and first chunk.
type StatementResponse struct {
	StatementID *string          `json:"statement_id,omitzero" doc:"Statement id, for get, result chunks and cancel."`
	Status      *StatementStatus `json:"status,omitzero" doc:"State, and the error when FAILED."`
	Manifest    *ResultManifest  `json:"manifest,omitzero" doc:"Columns and chunks of the result, once SUCCEEDED."`
	Result      *ResultData      `json:"result,omitzero" doc:"First chunk of the result, once SUCCEEDED."`

	Extra map[string]json.RawMessage `json:"-"`
}

// untilDone waits for a statement to finish.
var untilDone = &client.Wait{Get: StatementExecutionGetStatement, IDFields: []string{"statement_id"}, State: "status.state",
	Message: "status.error.message", Noun: "statement", Until: []string{"SUCCEEDED"}, FailOn: []string{"FAILED", "CANCELED", "CLOSED"}}

// Statement execution endpoints. execute_statement is not idempotent (each
// call runs the statement again); cancel interrupts a running statement and
// repeating it is harmless.
var (
	StatementExecutionExecuteStatement = client.Declare(&client.Endpoint[ExecuteStatementRequest, StatementResponse]{
		Service: "statement_execution", Name: "execute_statement", Method: "POST", Path: "/api/2.0/sql/statements",
		Access: client.Write, Wait: untilDone,
		Title: "Execute SQL statement",
		Doc: "Run one SQL statement on a SQL warehouse. Waits up to wait_timeout (default 10s, at most 50s) and returns " +
			"the state, the result's manifest and first chunk (rows as arrays of strings); if still PENDING or RUNNING, " +
			"poll statement_execution_get_statement with the statement_id, or cancel it. Fetch further chunks with " +
			"statement_execution_get_statement_result_chunk_n. Each call runs the statement again.",
	})
	StatementExecutionGetStatement = client.Declare(&client.Endpoint[StatementIDRequest, StatementResponse]{
		Service: "statement_execution", Name: "get_statement", Method: "GET", Path: "/api/2.0/sql/statements/{statement_id}",
		Access: client.Read,
		Title:  "Get SQL statement",
		Doc:    "Get a statement's state and, once SUCCEEDED, its manifest and first result chunk; FAILED carries the error.",
	})
	StatementExecutionGetStatementResultChunkN = client.Declare(&client.Endpoint[GetStatementResultChunkNRequest, ResultData]{
		Service: "statement_execution", Name: "get_statement_result_chunk_n", Method: "GET",
		Path:   "/api/2.0/sql/statements/{statement_id}/result/chunks/{chunk_index}",
		Access: client.Read,
		Title:  "Get SQL result chunk",
		Doc:    "Get one chunk of a SUCCEEDED statement's result by index; next_chunk_index names the one after.",
	})
	StatementExecutionCancelExecution = client.Declare(&client.Endpoint[StatementIDRequest, client.Empty]{
		Service: "statement_execution", Name: "cancel_execution", Method: "POST", Path: "/api/2.0/sql/statements/{statement_id}/cancel",
		Access: client.Destructive, Idempotent: true,
		Title: "Cancel SQL statement",
		Doc:   "Cancel a running statement; it becomes CANCELED. Cancelling a finished statement changes nothing.",
	})
)
