package catalog

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// FunctionInfo is a user-defined function registered in a schema.
type FunctionInfo struct {
	Name                *string         `json:"name,omitzero" doc:"Function name."`
	CatalogName         *string         `json:"catalog_name,omitzero" doc:"Parent catalog."`
	SchemaName          *string         `json:"schema_name,omitzero" doc:"Parent schema."`
	FullName            *string         `json:"full_name,omitzero" doc:"catalog.schema.function."`
	FunctionID          *string         `json:"function_id,omitzero" doc:"Unique id of the function."`
	Comment             *string         `json:"comment,omitzero" doc:"Free-text description."`
	Owner               *string         `json:"owner,omitzero" doc:"Owning user or group."`
	InputParams         *FunctionParams `json:"input_params,omitzero" doc:"Parameters."`
	ReturnParams        *FunctionParams `json:"return_params,omitzero" doc:"Columns of a table function's result."`
	DataType            *ColumnTypeName `json:"data_type,omitzero" doc:"Base type of the result (TABLE_TYPE for a table function)."`
	FullDataType        *string         `json:"full_data_type,omitzero" doc:"Full SQL type of the result."`
	RoutineBody         *RoutineBody    `json:"routine_body,omitzero" doc:"SQL or EXTERNAL (e.g. Python)."`
	RoutineDefinition   *string         `json:"routine_definition,omitzero" doc:"The body."`
	RoutineDependencies *DependencyList `json:"routine_dependencies,omitzero" doc:"Tables and functions the body uses."`
	ExternalLanguage    *string         `json:"external_language,omitzero" doc:"Language of an EXTERNAL body."`
	ExternalName        *string         `json:"external_name,omitzero" doc:"External function name."`
	ParameterStyle      *ParameterStyle `json:"parameter_style,omitzero" doc:"Parameter style."`
	IsDeterministic     *bool           `json:"is_deterministic,omitzero" doc:"Same inputs always give the same result."`
	IsNullCall          *bool           `json:"is_null_call,omitzero" doc:"Called even when an input is NULL."`
	SecurityType        *SecurityType   `json:"security_type,omitzero" doc:"Security type."`
	SQLDataAccess       *SQLDataAccess  `json:"sql_data_access,omitzero" doc:"How the body uses SQL."`
	SpecificName        *string         `json:"specific_name,omitzero" doc:"Specific name."`
	SQLPath             *string         `json:"sql_path,omitzero" doc:"Schemas searched for the body's unqualified names."`
	Properties          *string         `json:"properties,omitzero" doc:"Properties as JSON text."`
	BrowseOnly          *bool           `json:"browse_only,omitzero" doc:"True when the caller may only see metadata."`
	MetastoreID         *string         `json:"metastore_id,omitzero" doc:"Metastore holding the function."`
	CreatedAt           *int64          `json:"created_at,omitzero" doc:"Creation time, epoch milliseconds."`
	CreatedBy           *string         `json:"created_by,omitzero" doc:"Creator."`
	UpdatedAt           *int64          `json:"updated_at,omitzero" doc:"Last change, epoch milliseconds."`
	UpdatedBy           *string         `json:"updated_by,omitzero" doc:"Who changed it last."`

	Extra map[string]json.RawMessage `json:"-"`
}

// FunctionParams lists a function's parameters or result columns.
type FunctionParams struct {
	Parameters []FunctionParameter `json:"parameters,omitzero" doc:"In order."`

	Extra map[string]json.RawMessage `json:"-"`
}

// FunctionParameter is one parameter or result column.
type FunctionParameter struct {
	Name             string         `json:"name" doc:"Name."`
	TypeName         ColumnTypeName `json:"type_name" doc:"Base type."`
	TypeText         string         `json:"type_text" doc:"Full SQL type."`
	Position         int64          `json:"position" doc:"Ordinal position."`
	TypeJSON         *string        `json:"type_json,omitzero" doc:"Type as JSON text."`
	TypePrecision    *int64         `json:"type_precision,omitzero" doc:"Decimal precision."`
	TypeScale        *int64         `json:"type_scale,omitzero" doc:"Decimal scale."`
	TypeIntervalType *string        `json:"type_interval_type,omitzero" doc:"Interval unit."`
	ParameterMode    *ParameterMode `json:"parameter_mode,omitzero" doc:"Mode."`
	ParameterType    *ParameterType `json:"parameter_type,omitzero" doc:"PARAM or COLUMN."`
	ParameterDefault *string        `json:"parameter_default,omitzero" doc:"Default value, as SQL text."`
	Comment          *string        `json:"comment,omitzero" doc:"Description."`

	Extra map[string]json.RawMessage `json:"-"`
}

type GetFunctionRequest struct {
	Name          string `json:"name" in:"path" doc:"catalog.schema.function."`
	IncludeBrowse *bool  `json:"include_browse,omitzero" doc:"Also answer for a function the caller may only browse."`

	Extra map[string]json.RawMessage `json:"-"`
}

type ListFunctionsRequest struct {
	CatalogName   string  `json:"catalog_name" doc:"Catalog of the schema."`
	SchemaName    string  `json:"schema_name" doc:"Schema whose functions to list."`
	MaxResults    *int64  `json:"max_results,omitzero" doc:"Page size; 100 when omitted here, 0 for the server's page size."`
	PageToken     *string `json:"page_token,omitzero" doc:"next_page_token of the previous page."`
	IncludeBrowse *bool   `json:"include_browse,omitzero" doc:"Also list functions the caller may only browse."`

	Extra map[string]json.RawMessage `json:"-"`
}

type ListFunctionsResponse struct {
	Functions     []FunctionInfo `json:"functions,omitzero" doc:"The functions of this page."`
	NextPageToken *string        `json:"next_page_token,omitzero" doc:"Token for the next page; absent on the last."`

	Extra map[string]json.RawMessage `json:"-"`
}

var (
	FunctionsList = client.Declare(&client.Endpoint[ListFunctionsRequest, ListFunctionsResponse]{
		Service: "functions", Name: "list", Method: "GET", Path: "/api/2.1/unity-catalog/functions",
		Access:  client.Read,
		Paging:  ucPaging("functions"),
		Prepare: defaultPageSize,
		Title:   "List functions",
		Doc:     "List the user-defined functions of a schema (catalog_name, schema_name)." + pageDoc,
	})
	FunctionsGet = client.Declare(&client.Endpoint[GetFunctionRequest, FunctionInfo]{
		Service: "functions", Name: "get", Method: "GET", Path: "/api/2.1/unity-catalog/functions/{name}",
		Access: client.Read,
		Title:  "Get function",
		Doc:    "Get a function by full name (catalog.schema.function): parameters, result type, body and language.",
	})
)
