package catalog

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// CatalogInfo is a catalog, the first level of Unity Catalog's namespace.
type CatalogInfo struct {
	Name                                *string                              `json:"name,omitzero" doc:"Catalog name."`
	FullName                            *string                              `json:"full_name,omitzero" doc:"Full name (the name, for a catalog)."`
	CatalogType                         *CatalogType                         `json:"catalog_type,omitzero" doc:"How the catalog is backed."`
	Comment                             *string                              `json:"comment,omitzero" doc:"Free-text description."`
	Owner                               *string                              `json:"owner,omitzero" doc:"Owning user or group."`
	Properties                          map[string]string                    `json:"properties,omitzero" doc:"Key-value properties."`
	Options                             map[string]string                    `json:"options,omitzero" doc:"Options of a foreign catalog's connection."`
	StorageRoot                         *string                              `json:"storage_root,omitzero" doc:"Storage root URL for the catalog's managed tables."`
	StorageLocation                     *string                              `json:"storage_location,omitzero" doc:"Storage location the server derived from storage_root."`
	ConnectionName                      *string                              `json:"connection_name,omitzero" doc:"Connection of a foreign catalog."`
	ProviderName                        *string                              `json:"provider_name,omitzero" doc:"Delta Sharing provider of a shared catalog."`
	ShareName                           *string                              `json:"share_name,omitzero" doc:"Share of a shared catalog."`
	IsolationMode                       *CatalogIsolationMode                `json:"isolation_mode,omitzero" doc:"OPEN: every workspace of the metastore; ISOLATED: bound workspaces only."`
	BrowseOnly                          *bool                                `json:"browse_only,omitzero" doc:"True when the caller may only see metadata."`
	EnablePredictiveOptimization        *EnablePredictiveOptimization        `json:"enable_predictive_optimization,omitzero" doc:"Predictive optimization setting."`
	EffectivePredictiveOptimizationFlag *EffectivePredictiveOptimizationFlag `json:"effective_predictive_optimization_flag,omitzero" doc:"Predictive optimization in effect and where it comes from."`
	CustomMaxRetentionHours             *int64                               `json:"custom_max_retention_hours,omitzero" doc:"Custom retention of dropped data, in hours."`
	ProvisioningInfo                    *ProvisioningInfo                    `json:"provisioning_info,omitzero" doc:"Provisioning state of a catalog that takes time to set up."`
	SecurableType                       *string                              `json:"securable_type,omitzero" doc:"Securable type (CATALOG)."`
	MetastoreID                         *string                              `json:"metastore_id,omitzero" doc:"Metastore holding the catalog."`
	CreatedAt                           *int64                               `json:"created_at,omitzero" doc:"Creation time, epoch milliseconds."`
	CreatedBy                           *string                              `json:"created_by,omitzero" doc:"Creator."`
	UpdatedAt                           *int64                               `json:"updated_at,omitzero" doc:"Last change, epoch milliseconds."`
	UpdatedBy                           *string                              `json:"updated_by,omitzero" doc:"Who changed it last."`

	Extra map[string]json.RawMessage `json:"-"`
}

// EffectivePredictiveOptimizationFlag is the predictive optimization
// setting in effect on a securable.
type EffectivePredictiveOptimizationFlag struct {
	Value             EnablePredictiveOptimization `json:"value" doc:"Setting in effect."`
	InheritedFromName *string                      `json:"inherited_from_name,omitzero" doc:"Parent it was inherited from."`
	InheritedFromType *InheritedFromType           `json:"inherited_from_type,omitzero" doc:"Kind of that parent."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ProvisioningInfo is the provisioning state of a securable.
type ProvisioningInfo struct {
	State *ProvisioningState `json:"state,omitzero" doc:"Provisioning state."`

	Extra map[string]json.RawMessage `json:"-"`
}

type CreateCatalogRequest struct {
	Name                    string            `json:"name" doc:"Name of the new catalog."`
	Comment                 *string           `json:"comment,omitzero" doc:"Free-text description."`
	Properties              map[string]string `json:"properties,omitzero" doc:"Key-value properties."`
	StorageRoot             *string           `json:"storage_root,omitzero" doc:"Cloud storage URL for the catalog's managed tables (an external location); omit to use the metastore's."`
	ConnectionName          *string           `json:"connection_name,omitzero" doc:"For a foreign catalog: the connection to the external database."`
	Options                 map[string]string `json:"options,omitzero" doc:"For a foreign catalog: connection options (e.g. database)."`
	ProviderName            *string           `json:"provider_name,omitzero" doc:"For a Delta Sharing catalog: the provider."`
	ShareName               *string           `json:"share_name,omitzero" doc:"For a Delta Sharing catalog: the share."`
	CustomMaxRetentionHours *int64            `json:"custom_max_retention_hours,omitzero" doc:"Custom retention of dropped data, in hours."`

	Extra map[string]json.RawMessage `json:"-"`
}

type GetCatalogRequest struct {
	Name          string `json:"name" in:"path" doc:"Catalog name."`
	IncludeBrowse *bool  `json:"include_browse,omitzero" doc:"Also answer for a catalog the caller may only browse."`

	Extra map[string]json.RawMessage `json:"-"`
}

type DeleteCatalogRequest struct {
	Name  string `json:"name" in:"path" doc:"Catalog name."`
	Force *bool  `json:"force,omitzero" doc:"Delete even when the catalog still holds schemas, and everything in them."`

	Extra map[string]json.RawMessage `json:"-"`
}

type ListCatalogsRequest struct {
	MaxResults     *int64  `json:"max_results,omitzero" doc:"Page size; 100 when omitted here, 0 for the server's page size."`
	PageToken      *string `json:"page_token,omitzero" doc:"next_page_token of the previous page."`
	IncludeBrowse  *bool   `json:"include_browse,omitzero" doc:"Also list catalogs the caller may only browse."`
	IncludeUnbound *bool   `json:"include_unbound,omitzero" doc:"Also list catalogs not bound to this workspace."`

	Extra map[string]json.RawMessage `json:"-"`
}

type ListCatalogsResponse struct {
	Catalogs      []CatalogInfo `json:"catalogs,omitzero" doc:"The catalogs of this page."`
	NextPageToken *string       `json:"next_page_token,omitzero" doc:"Token for the next page; absent on the last."`

	Extra map[string]json.RawMessage `json:"-"`
}

var (
	CatalogsList = client.Declare(&client.Endpoint[ListCatalogsRequest, ListCatalogsResponse]{
		Service: "catalogs", Name: "list", Method: "GET", Path: "/api/2.1/unity-catalog/catalogs",
		Access: client.Read, Default: true,
		Paging:  ucPaging("catalogs"),
		Prepare: defaultPageSize,
		Title:   "List catalogs",
		Doc:     "List the Unity Catalog catalogs the caller can see." + pageDoc,
	})
	CatalogsGet = client.Declare(&client.Endpoint[GetCatalogRequest, CatalogInfo]{
		Service: "catalogs", Name: "get", Method: "GET", Path: "/api/2.1/unity-catalog/catalogs/{name}",
		Access: client.Read,
		Title:  "Get catalog",
		Doc:    "Get one catalog by name: type, owner, comment, properties, storage root.",
	})
	CatalogsCreate = client.Declare(&client.Endpoint[CreateCatalogRequest, CatalogInfo]{
		Service: "catalogs", Name: "create", Method: "POST", Path: "/api/2.1/unity-catalog/catalogs",
		Access: client.Write,
		Title:  "Create catalog",
		Doc:    "Create a catalog. A managed catalog needs only a name; give connection_name (foreign) or provider_name and share_name (Delta Sharing) for the other kinds. Fails with CATALOG_ALREADY_EXISTS if the name is taken.",
	})
	CatalogsDelete = client.Declare(&client.Endpoint[DeleteCatalogRequest, client.Empty]{
		Service: "catalogs", Name: "delete", Method: "DELETE", Path: "/api/2.1/unity-catalog/catalogs/{name}",
		Access: client.Destructive, Idempotent: true,
		Title: "Delete catalog",
		Doc:   "Delete a catalog. It must be empty (no schemas but information_schema) unless force is true, which deletes its schemas, tables, volumes and functions too.",
	})
)
