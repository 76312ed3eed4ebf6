package catalog

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// VolumeInfo is a volume: governed file storage in a schema, reached as
// /Volumes/catalog/schema/volume/ by the Files API.
type VolumeInfo struct {
	Name            *string     `json:"name,omitzero" doc:"Volume name."`
	CatalogName     *string     `json:"catalog_name,omitzero" doc:"Parent catalog."`
	SchemaName      *string     `json:"schema_name,omitzero" doc:"Parent schema."`
	FullName        *string     `json:"full_name,omitzero" doc:"catalog.schema.volume."`
	VolumeType      *VolumeType `json:"volume_type,omitzero" doc:"MANAGED or EXTERNAL."`
	StorageLocation *string     `json:"storage_location,omitzero" doc:"Storage URL of the volume's files."`
	Comment         *string     `json:"comment,omitzero" doc:"Free-text description."`
	Owner           *string     `json:"owner,omitzero" doc:"Owning user or group."`
	VolumeID        *string     `json:"volume_id,omitzero" doc:"Unique id of the volume."`
	AccessPoint     *string     `json:"access_point,omitzero" doc:"Storage access point."`
	BrowseOnly      *bool       `json:"browse_only,omitzero" doc:"True when the caller may only see metadata."`
	MetastoreID     *string     `json:"metastore_id,omitzero" doc:"Metastore holding the volume."`
	CreatedAt       *int64      `json:"created_at,omitzero" doc:"Creation time, epoch milliseconds."`
	CreatedBy       *string     `json:"created_by,omitzero" doc:"Creator."`
	UpdatedAt       *int64      `json:"updated_at,omitzero" doc:"Last change, epoch milliseconds."`
	UpdatedBy       *string     `json:"updated_by,omitzero" doc:"Who changed it last."`

	Extra map[string]json.RawMessage `json:"-"`
}

type CreateVolumeRequest struct {
	CatalogName     string     `json:"catalog_name" doc:"Catalog of the schema."`
	SchemaName      string     `json:"schema_name" doc:"Schema to create the volume in."`
	Name            string     `json:"name" doc:"Name of the new volume."`
	VolumeType      VolumeType `json:"volume_type" doc:"MANAGED (storage managed by Unity Catalog) or EXTERNAL (needs storage_location)."`
	StorageLocation *string    `json:"storage_location,omitzero" doc:"For EXTERNAL: cloud storage URL inside an external location."`
	Comment         *string    `json:"comment,omitzero" doc:"Free-text description."`

	Extra map[string]json.RawMessage `json:"-"`
}

type ReadVolumeRequest struct {
	Name          string `json:"name" in:"path" doc:"catalog.schema.volume."`
	IncludeBrowse *bool  `json:"include_browse,omitzero" doc:"Also answer for a volume the caller may only browse."`

	Extra map[string]json.RawMessage `json:"-"`
}

type DeleteVolumeRequest struct {
	Name string `json:"name" in:"path" doc:"catalog.schema.volume."`

	Extra map[string]json.RawMessage `json:"-"`
}

type ListVolumesRequest struct {
	CatalogName   string  `json:"catalog_name" doc:"Catalog of the schema."`
	SchemaName    string  `json:"schema_name" doc:"Schema whose volumes to list."`
	MaxResults    *int64  `json:"max_results,omitzero" doc:"Page size; 100 when omitted here, 0 for the server's page size."`
	PageToken     *string `json:"page_token,omitzero" doc:"next_page_token of the previous page."`
	IncludeBrowse *bool   `json:"include_browse,omitzero" doc:"Also list volumes the caller may only browse."`

	Extra map[string]json.RawMessage `json:"-"`
}

type ListVolumesResponse struct {
	Volumes       []VolumeInfo `json:"volumes,omitzero" doc:"The volumes of this page."`
	NextPageToken *string      `json:"next_page_token,omitzero" doc:"Token for the next page; absent on the last."`

	Extra map[string]json.RawMessage `json:"-"`
}

var (
	VolumesList = client.Declare(&client.Endpoint[ListVolumesRequest, ListVolumesResponse]{
		Service: "volumes", Name: "list", Method: "GET", Path: "/api/2.1/unity-catalog/volumes",
		Access:  client.Read,
		Paging:  ucPaging("volumes"),
		Prepare: defaultPageSize,
		Title:   "List volumes",
		Doc:     "List the volumes of a schema (catalog_name, schema_name). A page may hold fewer than max_results, even none, with more to come." + pageDoc,
	})
	VolumesRead = client.Declare(&client.Endpoint[ReadVolumeRequest, VolumeInfo]{
		Service: "volumes", Name: "read", Method: "GET", Path: "/api/2.1/unity-catalog/volumes/{name}",
		Access: client.Read,
		Title:  "Get volume",
		Doc:    "Get a volume by full name (catalog.schema.volume): type, storage location, owner, comment. Its files are at /Volumes/catalog/schema/volume/.",
	})
	VolumesCreate = client.Declare(&client.Endpoint[CreateVolumeRequest, VolumeInfo]{
		Service: "volumes", Name: "create", Method: "POST", Path: "/api/2.1/unity-catalog/volumes",
		Access: client.Write,
		Title:  "Create volume",
		Doc:    "Create a volume in a schema: MANAGED, or EXTERNAL at a storage_location inside an external location.",
	})
	VolumesDelete = client.Declare(&client.Endpoint[DeleteVolumeRequest, client.Empty]{
		Service: "volumes", Name: "delete", Method: "DELETE", Path: "/api/2.1/unity-catalog/volumes/{name}",
		Access: client.Destructive, Idempotent: true,
		Title: "Delete volume",
		Doc:   "Delete a volume (catalog.schema.volume). A managed volume's files are deleted with it; an external one's stay in storage.",
	})
)
