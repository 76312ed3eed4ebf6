package catalog

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// SchemaInfo is a schema (database), the second level of the namespace.
type SchemaInfo struct {
	Name                                *string                              `json:"name,omitzero" doc:"Schema name."`
	CatalogName                         *string                              `json:"catalog_name,omitzero" doc:"Parent catalog."`
	FullName                            *string                              `json:"full_name,omitzero" doc:"catalog.schema."`
	CatalogType                         *CatalogType                         `json:"catalog_type,omitzero" doc:"Type of the parent catalog."`
	Comment                             *string                              `json:"comment,omitzero" doc:"Free-text description."`
	Owner                               *string                              `json:"owner,omitzero" doc:"Owning user or group."`
	Properties                          map[string]string                    `json:"properties,omitzero" doc:"Key-value properties."`
	StorageRoot                         *string                              `json:"storage_root,omitzero" doc:"Storage root URL for the schema's managed tables."`
	StorageLocation                     *string                              `json:"storage_location,omitzero" doc:"Storage location the server derived from storage_root."`
	SchemaID                            *string                              `json:"schema_id,omitzero" doc:"Unique id of the schema."`
	BrowseOnly                          *bool                                `json:"browse_only,omitzero" doc:"True when the caller may only see metadata."`
	EnablePredictiveOptimization        *EnablePredictiveOptimization        `json:"enable_predictive_optimization,omitzero" doc:"Predictive optimization setting."`
	EffectivePredictiveOptimizationFlag *EffectivePredictiveOptimizationFlag `json:"effective_predictive_optimization_flag,omitzero" doc:"Predictive optimization in effect and where it comes from."`
	CustomMaxRetentionHours             *int64                               `json:"custom_max_retention_hours,omitzero" doc:"Custom retention of dropped data, in hours."`
	MetastoreID                         *string                              `json:"metastore_id,omitzero" doc:"Metastore holding the schema."`
	CreatedAt                           *int64                               `json:"created_at,omitzero" doc:"Creation time, epoch milliseconds."`
	CreatedBy                           *string                              `json:"created_by,omitzero" doc:"Creator."`
	UpdatedAt                           *int64                               `json:"updated_at,omitzero" doc:"Last change, epoch milliseconds."`
	UpdatedBy                           *string                              `json:"updated_by,omitzero" doc:"Who changed it last."`

	Extra map[string]json.RawMessage `json:"-"`
}

type CreateSchemaRequest struct {
	Name                    string            `json:"name" doc:"Name of the new schema."`
	CatalogName             string            `json:"catalog_name" doc:"Catalog to create it in."`
	Comment                 *string           `json:"comment,omitzero" doc:"Free-text description."`
	Properties              map[string]string `json:"properties,omitzero" doc:"Key-value properties."`
	StorageRoot             *string           `json:"storage_root,omitzero" doc:"Cloud storage URL for the schema's managed tables; omit to use the catalog's."`
	CustomMaxRetentionHours *int64            `json:"custom_max_retention_hours,omitzero" doc:"Custom retention of dropped data, in hours."`

	Extra map[string]json.RawMessage `json:"-"`
}

type GetSchemaRequest struct {
	FullName      string `json:"full_name" in:"path" doc:"catalog.schema, e.g. main.default."`
	IncludeBrowse *bool  `json:"include_browse,omitzero" doc:"Also answer for a schema the caller may only browse."`

	Extra map[string]json.RawMessage `json:"-"`
}

type DeleteSchemaRequest struct {
	FullName string `json:"full_name" in:"path" doc:"catalog.schema."`
	Force    *bool  `json:"force,omitzero" doc:"Delete even when the schema still holds tables, volumes or functions, and them with it."`

	Extra map[string]json.RawMessage `json:"-"`
}

type ListSchemasRequest struct {
	CatalogName   string  `json:"catalog_name" doc:"Catalog whose schemas to list."`
	MaxResults    *int64  `json:"max_results,omitzero" doc:"Page size; 100 when omitted here, 0 for the server's page size."`
	PageToken     *string `json:"page_token,omitzero" doc:"next_page_token of the previous page."`
	IncludeBrowse *bool   `json:"include_browse,omitzero" doc:"Also list schemas the caller may only browse."`

	Extra map[string]json.RawMessage `json:"-"`
}

type ListSchemasResponse struct {
	Schemas       []SchemaInfo `json:"schemas,omitzero" doc:"The schemas of this page."`
	NextPageToken *string      `json:"next_page_token,omitzero" doc:"Token for the next page; absent on the last."`

	Extra map[string]json.RawMessage `json:"-"`
}

var (
	SchemasList = client.Declare(&client.Endpoint[ListSchemasRequest, ListSchemasResponse]{
		Service: "schemas", Name: "list", Method: "GET", Path: "/api/2.1/unity-catalog/schemas",
		Access:  client.Read,
		Paging:  ucPaging("schemas"),
		Prepare: defaultPageSize,
		Title:   "List schemas",
		Doc:     "List the schemas of a catalog (catalog_name)." + pageDoc,
	})
	SchemasGet = client.Declare(&client.Endpoint[GetSchemaRequest, SchemaInfo]{
		Service: "schemas", Name: "get", Method: "GET", Path: "/api/2.1/unity-catalog/schemas/{full_name}",
		Access: client.Read,
		Title:  "Get schema",
		Doc:    "Get one schema by full name (catalog.schema): owner, comment, properties, storage root.",
	})
	SchemasCreate = client.Declare(&client.Endpoint[CreateSchemaRequest, SchemaInfo]{
		Service: "schemas", Name: "create", Method: "POST", Path: "/api/2.1/unity-catalog/schemas",
		Access: client.Write,
		Title:  "Create schema",
		Doc:    "Create a schema in a catalog. Fails with SCHEMA_ALREADY_EXISTS if the name is taken there.",
	})
	SchemasDelete = client.Declare(&client.Endpoint[DeleteSchemaRequest, client.Empty]{
		Service: "schemas", Name: "delete", Method: "DELETE", Path: "/api/2.1/unity-catalog/schemas/{full_name}",
		Access: client.Destructive, Idempotent: true,
		Title: "Delete schema",
		Doc:   "Delete a schema (catalog.schema). It must be empty unless force is true, which deletes its tables, volumes and functions too.",
	})
)
