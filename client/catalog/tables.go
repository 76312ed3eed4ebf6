package catalog

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// TableInfo is a table or view, the third level of the namespace.
type TableInfo struct {
	Name                                *string                              `json:"name,omitzero" doc:"Table name."`
	CatalogName                         *string                              `json:"catalog_name,omitzero" doc:"Parent catalog."`
	SchemaName                          *string                              `json:"schema_name,omitzero" doc:"Parent schema."`
	FullName                            *string                              `json:"full_name,omitzero" doc:"catalog.schema.table."`
	TableType                           *TableType                           `json:"table_type,omitzero" doc:"MANAGED, EXTERNAL, VIEW, ..."`
	DataSourceFormat                    *DataSourceFormat                    `json:"data_source_format,omitzero" doc:"Storage format, e.g. DELTA."`
	Columns                             []ColumnInfo                         `json:"columns,omitzero" doc:"The columns, in order."`
	Comment                             *string                              `json:"comment,omitzero" doc:"Free-text description."`
	Owner                               *string                              `json:"owner,omitzero" doc:"Owning user or group."`
	Properties                          map[string]string                    `json:"properties,omitzero" doc:"Table properties."`
	StorageLocation                     *string                              `json:"storage_location,omitzero" doc:"Storage URL of the table's data."`
	StorageCredentialName               *string                              `json:"storage_credential_name,omitzero" doc:"Credential used to reach the storage."`
	ViewDefinition                      *string                              `json:"view_definition,omitzero" doc:"SQL text of a view."`
	ViewDependencies                    *DependencyList                      `json:"view_dependencies,omitzero" doc:"Tables and functions a view depends on."`
	SQLPath                             *string                              `json:"sql_path,omitzero" doc:"Schemas searched for a view's unqualified names."`
	TableConstraints                    []TableConstraint                    `json:"table_constraints,omitzero" doc:"Primary key, foreign key and named constraints."`
	RowFilter                           *TableRowFilter                      `json:"row_filter,omitzero" doc:"Row filter function applied to reads."`
	TableID                             *string                              `json:"table_id,omitzero" doc:"Unique id of the table."`
	PipelineID                          *string                              `json:"pipeline_id,omitzero" doc:"Pipeline that defines a streaming table or materialized view."`
	DataAccessConfigurationID           *string                              `json:"data_access_configuration_id,omitzero" doc:"Unique id of the data access configuration."`
	DeltaRuntimePropertiesKvpairs       *DeltaRuntimeProperties              `json:"delta_runtime_properties_kvpairs,omitzero" doc:"Delta runtime properties."`
	EnablePredictiveOptimization        *EnablePredictiveOptimization        `json:"enable_predictive_optimization,omitzero" doc:"Predictive optimization setting."`
	EffectivePredictiveOptimizationFlag *EffectivePredictiveOptimizationFlag `json:"effective_predictive_optimization_flag,omitzero" doc:"Predictive optimization in effect and where it comes from."`
	AccessPoint                         *string                              `json:"access_point,omitzero" doc:"Storage access point."`
	BrowseOnly                          *bool                                `json:"browse_only,omitzero" doc:"True when the caller may only see metadata."`
	MetastoreID                         *string                              `json:"metastore_id,omitzero" doc:"Metastore holding the table."`
	CreatedAt                           *int64                               `json:"created_at,omitzero" doc:"Creation time, epoch milliseconds."`
	CreatedBy                           *string                              `json:"created_by,omitzero" doc:"Creator."`
	UpdatedAt                           *int64                               `json:"updated_at,omitzero" doc:"Last change, epoch milliseconds."`
	UpdatedBy                           *string                              `json:"updated_by,omitzero" doc:"Who changed it last."`
	DeletedAt                           *int64                               `json:"deleted_at,omitzero" doc:"When a dropped table was deleted, epoch milliseconds."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ColumnInfo is one column of a table.
type ColumnInfo struct {
	Name             *string         `json:"name,omitzero" doc:"Column name."`
	TypeName         *ColumnTypeName `json:"type_name,omitzero" doc:"Base type."`
	TypeText         *string         `json:"type_text,omitzero" doc:"Full SQL type, e.g. decimal(10,2)."`
	TypeJSON         *string         `json:"type_json,omitzero" doc:"Spark type as JSON text."`
	TypePrecision    *int64          `json:"type_precision,omitzero" doc:"Decimal precision."`
	TypeScale        *int64          `json:"type_scale,omitzero" doc:"Decimal scale."`
	TypeIntervalType *string         `json:"type_interval_type,omitzero" doc:"Interval unit, for INTERVAL."`
	Position         *int64          `json:"position,omitzero" doc:"Ordinal position, from 0."`
	Nullable         *bool           `json:"nullable,omitzero" doc:"Whether the column may hold NULL."`
	Comment          *string         `json:"comment,omitzero" doc:"Column description."`
	PartitionIndex   *int64          `json:"partition_index,omitzero" doc:"Position in the partition key, if the table is partitioned by it."`
	Mask             *ColumnMask     `json:"mask,omitzero" doc:"Column mask function."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ColumnMask is a function that masks a column's values on read.
type ColumnMask struct {
	FunctionName     *string  `json:"function_name,omitzero" doc:"Mask function's full name."`
	UsingColumnNames []string `json:"using_column_names,omitzero" doc:"Further columns passed to it."`

	Extra map[string]json.RawMessage `json:"-"`
}

// TableRowFilter is a function that filters a table's rows on read.
type TableRowFilter struct {
	FunctionName     *string  `json:"function_name,omitzero" doc:"Filter function's full name."`
	InputColumnNames []string `json:"input_column_names,omitzero" doc:"Columns passed to it."`

	Extra map[string]json.RawMessage `json:"-"`
}

// TableConstraint is one constraint; exactly one member is set.
type TableConstraint struct {
	PrimaryKeyConstraint *PrimaryKeyConstraint `json:"primary_key_constraint,omitzero" doc:"A primary key."`
	ForeignKeyConstraint *ForeignKeyConstraint `json:"foreign_key_constraint,omitzero" doc:"A foreign key."`
	NamedTableConstraint *NamedTableConstraint `json:"named_table_constraint,omitzero" doc:"Another named constraint."`

	Extra map[string]json.RawMessage `json:"-"`
}

type PrimaryKeyConstraint struct {
	Name              string   `json:"name" doc:"Constraint name."`
	ChildColumns      []string `json:"child_columns,omitzero" doc:"Key columns."`
	TimeseriesColumns []string `json:"timeseries_columns,omitzero" doc:"Time series key columns."`
	Rely              *bool    `json:"rely,omitzero" doc:"Whether the optimizer may rely on it."`

	Extra map[string]json.RawMessage `json:"-"`
}

type ForeignKeyConstraint struct {
	Name          string   `json:"name" doc:"Constraint name."`
	ChildColumns  []string `json:"child_columns,omitzero" doc:"Referencing columns."`
	ParentTable   string   `json:"parent_table" doc:"Referenced table's full name."`
	ParentColumns []string `json:"parent_columns,omitzero" doc:"Referenced columns."`
	Rely          *bool    `json:"rely,omitzero" doc:"Whether the optimizer may rely on it."`

	Extra map[string]json.RawMessage `json:"-"`
}

type NamedTableConstraint struct {
	Name string `json:"name" doc:"Constraint name."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DependencyList lists what a view or function depends on.
type DependencyList struct {
	Dependencies []Dependency `json:"dependencies,omitzero" doc:"The dependencies."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Dependency is one table or function depended on; one member is set.
type Dependency struct {
	Table    *TableDependency    `json:"table,omitzero" doc:"A table."`
	Function *FunctionDependency `json:"function,omitzero" doc:"A function."`

	Extra map[string]json.RawMessage `json:"-"`
}

type TableDependency struct {
	TableFullName string `json:"table_full_name" doc:"Table's full name."`

	Extra map[string]json.RawMessage `json:"-"`
}

type FunctionDependency struct {
	FunctionFullName string `json:"function_full_name" doc:"Function's full name."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DeltaRuntimeProperties holds a table's Delta runtime properties.
type DeltaRuntimeProperties struct {
	DeltaRuntimeProperties map[string]string `json:"delta_runtime_properties,omitzero" doc:"The properties."`

	Extra map[string]json.RawMessage `json:"-"`
}

type GetTableRequest struct {
	FullName             string `json:"full_name" in:"path" doc:"catalog.schema.table, e.g. samples.nyctaxi.trips."`
	IncludeDeltaMetadata *bool  `json:"include_delta_metadata,omitzero" doc:"Also return Delta metadata."`
	IncludeBrowse        *bool  `json:"include_browse,omitzero" doc:"Also answer for a table the caller may only browse."`

	Extra map[string]json.RawMessage `json:"-"`
}

type TableExistsRequest struct {
	FullName string `json:"full_name" in:"path" doc:"catalog.schema.table."`

	Extra map[string]json.RawMessage `json:"-"`
}

type TableExistsResponse struct {
	TableExists *bool `json:"table_exists,omitzero" doc:"Whether the table exists and the caller may see it."`

	Extra map[string]json.RawMessage `json:"-"`
}

type DeleteTableRequest struct {
	FullName string `json:"full_name" in:"path" doc:"catalog.schema.table."`

	Extra map[string]json.RawMessage `json:"-"`
}

type ListTablesRequest struct {
	CatalogName    string  `json:"catalog_name" doc:"Catalog of the schema."`
	SchemaName     string  `json:"schema_name" doc:"Schema whose tables to list."`
	MaxResults     *int64  `json:"max_results,omitzero" doc:"Page size; 100 when omitted here, 0 for the server's page size."`
	PageToken      *string `json:"page_token,omitzero" doc:"next_page_token of the previous page."`
	OmitColumns    *bool   `json:"omit_columns,omitzero" doc:"Leave out the columns (much smaller answers)."`
	OmitProperties *bool   `json:"omit_properties,omitzero" doc:"Leave out the table properties."`
	OmitUsername   *bool   `json:"omit_username,omitzero" doc:"Leave out owner and created_by/updated_by."`
	IncludeBrowse  *bool   `json:"include_browse,omitzero" doc:"Also list tables the caller may only browse."`

	Extra map[string]json.RawMessage `json:"-"`
}

type ListTablesResponse struct {
	Tables        []TableInfo `json:"tables,omitzero" doc:"The tables of this page."`
	NextPageToken *string     `json:"next_page_token,omitzero" doc:"Token for the next page; absent on the last."`

	Extra map[string]json.RawMessage `json:"-"`
}

type ListTableSummariesRequest struct {
	CatalogName       string  `json:"catalog_name" doc:"Catalog to search."`
	SchemaNamePattern *string `json:"schema_name_pattern,omitzero" doc:"SQL LIKE pattern (% and _) for schema names; all schemas when omitted."`
	TableNamePattern  *string `json:"table_name_pattern,omitzero" doc:"SQL LIKE pattern (% and _) for table names; all tables when omitted."`
	MaxResults        *int64  `json:"max_results,omitzero" doc:"Page size; 100 when omitted here, 0 for the server's page size."`
	PageToken         *string `json:"page_token,omitzero" doc:"next_page_token of the previous page."`

	Extra map[string]json.RawMessage `json:"-"`
}

// TableSummary is a table's full name and type.
type TableSummary struct {
	FullName  *string    `json:"full_name,omitzero" doc:"catalog.schema.table."`
	TableType *TableType `json:"table_type,omitzero" doc:"MANAGED, EXTERNAL, VIEW, ..."`

	Extra map[string]json.RawMessage `json:"-"`
}

type ListTableSummariesResponse struct {
	Tables        []TableSummary `json:"tables,omitzero" doc:"The tables of this page."`
	NextPageToken *string        `json:"next_page_token,omitzero" doc:"Token for the next page; absent on the last."`

	Extra map[string]json.RawMessage `json:"-"`
}

var (
	TablesList = client.Declare(&client.Endpoint[ListTablesRequest, ListTablesResponse]{
		Service: "tables", Name: "list", Method: "GET", Path: "/api/2.1/unity-catalog/tables",
		Access:  client.Read,
		Paging:  ucPaging("tables"),
		Prepare: defaultPageSize,
		Title:   "List tables",
		Doc:     "List the tables and views of a schema (catalog_name, schema_name) with their columns; omit_columns makes it much smaller. tables_list_summaries searches names across a catalog." + pageDoc,
	})
	TablesListSummaries = client.Declare(&client.Endpoint[ListTableSummariesRequest, ListTableSummariesResponse]{
		Service: "tables", Name: "list_summaries", Method: "GET", Path: "/api/2.1/unity-catalog/table-summaries",
		Access:  client.Read,
		Paging:  ucPaging("tables"),
		Prepare: defaultPageSize,
		Title:   "Search table names",
		Doc:     "List the full names and types of a catalog's tables, optionally filtered by LIKE patterns on schema and table names." + pageDoc,
	})
	TablesGet = client.Declare(&client.Endpoint[GetTableRequest, TableInfo]{
		Service: "tables", Name: "get", Method: "GET", Path: "/api/2.1/unity-catalog/tables/{full_name}",
		Access: client.Read,
		Title:  "Get table",
		Doc:    "Get a table by full name (catalog.schema.table): columns (types, comments, partition_index), type, format, location, properties, owner, view definition.",
	})
	TablesExists = client.Declare(&client.Endpoint[TableExistsRequest, TableExistsResponse]{
		Service: "tables", Name: "exists", Method: "GET", Path: "/api/2.1/unity-catalog/tables/{full_name}/exists",
		Access: client.Read,
		Title:  "Check table exists",
		Doc:    "Answer table_exists for a full name (catalog.schema.table), without an error when it does not.",
	})
	TablesDelete = client.Declare(&client.Endpoint[DeleteTableRequest, client.Empty]{
		Service: "tables", Name: "delete", Method: "DELETE", Path: "/api/2.1/unity-catalog/tables/{full_name}",
		Access: client.Destructive, Idempotent: true,
		Title: "Delete table",
		Doc:   "Drop a table or view (catalog.schema.table). A managed table's data goes with it.",
	})
)
