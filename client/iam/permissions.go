package iam

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// The Permissions API: access control lists of workspace objects, one
// generic path for every object type,
// /api/2.0/permissions/{request_object_type}/{request_object_id}.

// ObjectType is the kind of object whose permissions are read or written,
// as the Permissions API's path names it.
type ObjectType string

// EnumValues lists the values the API defines for ObjectType.
func (ObjectType) EnumValues() []string {
	return []string{
		"alerts", "alertsv2", "authorization", "cluster-policies", "clusters", "dashboards",
		"database-projects", "dbsql-dashboards", "directories", "experiments", "files", "genie",
		"instance-pools", "jobs", "knowledge-assistants", "notebooks", "pipelines", "queries",
		"registered-models", "repos", "serving-endpoints", "supervisor-agents",
		"vector-search-endpoints", "warehouses",
	}
}

// PermissionLevel is a level of access to an object. Which levels an object
// takes depends on its type (permissions_get_permission_levels lists them).
type PermissionLevel string

// EnumValues lists the values the API defines for PermissionLevel.
func (PermissionLevel) EnumValues() []string {
	return []string{
		"CAN_ATTACH_TO", "CAN_BIND", "CAN_CREATE", "CAN_CREATE_APP", "CAN_EDIT", "CAN_EDIT_METADATA",
		"CAN_MANAGE", "CAN_MANAGE_PRODUCTION_VERSIONS", "CAN_MANAGE_RUN", "CAN_MANAGE_STAGING_VERSIONS",
		"CAN_MONITOR", "CAN_MONITOR_ONLY", "CAN_QUERY", "CAN_READ", "CAN_RESTART", "CAN_RUN", "CAN_USE",
		"CAN_VIEW", "CAN_VIEW_METADATA", "IS_OWNER",
	}
}

// ObjectRef names one object of the Permissions API.
type ObjectRef struct {
	RequestObjectType ObjectType `json:"request_object_type" in:"path" doc:"Object type: clusters, cluster-policies, instance-pools, jobs, pipelines, notebooks, directories, files, repos, warehouses, serving-endpoints, experiments, registered-models, authorization (id tokens or passwords), ..."`
	RequestObjectID   string     `json:"request_object_id" in:"path" doc:"The object's id: cluster_id, job_id, pipeline_id, warehouse id, the numeric object_id of a notebook, directory or file (workspace_get_status), ..."`

	Extra map[string]json.RawMessage `json:"-"`
}

// AccessControlRequest grants one principal one permission level.
type AccessControlRequest struct {
	UserName             *string          `json:"user_name,omitzero" doc:"User, by user name (email). Give exactly one of user_name, group_name, service_principal_name."`
	GroupName            *string          `json:"group_name,omitzero" doc:"Group, by name (users, admins or a custom group)."`
	ServicePrincipalName *string          `json:"service_principal_name,omitzero" doc:"Service principal, by applicationId."`
	PermissionLevel      *PermissionLevel `json:"permission_level,omitzero" doc:"Level to grant; it must suit the object type (e.g. clusters: CAN_ATTACH_TO, CAN_RESTART, CAN_MANAGE; jobs: CAN_VIEW, CAN_MANAGE_RUN, IS_OWNER, CAN_MANAGE; notebooks: CAN_READ, CAN_RUN, CAN_EDIT, CAN_MANAGE)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SetPermissionsRequest replaces or extends an object's access control list.
type SetPermissionsRequest struct {
	RequestObjectType ObjectType             `json:"request_object_type" in:"path" doc:"Object type: clusters, cluster-policies, instance-pools, jobs, pipelines, notebooks, directories, files, repos, warehouses, serving-endpoints, experiments, registered-models, authorization, ..."`
	RequestObjectID   string                 `json:"request_object_id" in:"path" doc:"The object's id (cluster_id, job_id, a notebook's numeric object_id, ...)."`
	AccessControlList []AccessControlRequest `json:"access_control_list,omitzero" doc:"Grants, one principal and level each."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Permission is one level a principal holds, directly or inherited.
type Permission struct {
	PermissionLevel     *PermissionLevel `json:"permission_level,omitzero" doc:"The level."`
	Inherited           *bool            `json:"inherited,omitzero" doc:"Whether it comes from a parent object (a folder, the object type's root)."`
	InheritedFromObject []string         `json:"inherited_from_object,omitzero" doc:"Where it is inherited from, such as /directories/123 or /clusters/."`

	Extra map[string]json.RawMessage `json:"-"`
}

// AccessControlResponse is what one principal holds on an object.
type AccessControlResponse struct {
	UserName             *string      `json:"user_name,omitzero" doc:"User, by user name."`
	GroupName            *string      `json:"group_name,omitzero" doc:"Group, by name."`
	ServicePrincipalName *string      `json:"service_principal_name,omitzero" doc:"Service principal, by applicationId."`
	DisplayName          *string      `json:"display_name,omitzero" doc:"Display name of the user or service principal."`
	AllPermissions       []Permission `json:"all_permissions,omitzero" doc:"Every level the principal holds, direct and inherited."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ObjectPermissions is an object's access control list.
type ObjectPermissions struct {
	ObjectID          *string                 `json:"object_id,omitzero" doc:"The object, as /<type>/<id>."`
	ObjectType        *string                 `json:"object_type,omitzero" doc:"The object's type in the singular (cluster, job, notebook, ...)."`
	AccessControlList []AccessControlResponse `json:"access_control_list,omitzero" doc:"Who holds what."`

	Extra map[string]json.RawMessage `json:"-"`
}

// PermissionsDescription describes one permission level.
type PermissionsDescription struct {
	PermissionLevel *PermissionLevel `json:"permission_level,omitzero" doc:"The level."`
	Description     *string          `json:"description,omitzero" doc:"What it allows."`

	Extra map[string]json.RawMessage `json:"-"`
}

// PermissionLevelsResponse lists the levels an object takes.
type PermissionLevelsResponse struct {
	PermissionLevels []PermissionsDescription `json:"permission_levels,omitzero" doc:"The levels the object's type defines."`

	Extra map[string]json.RawMessage `json:"-"`
}

const permissionsPath = "/api/2.0/permissions/{request_object_type}/{request_object_id}"

// Permissions endpoints.
var (
	PermissionsGet = client.Declare(&client.Endpoint[ObjectRef, ObjectPermissions]{
		Service: "permissions", Name: "get", Method: "GET", Path: permissionsPath,
		Access: client.Read,
		Title:  "Get object permissions",
		Doc:    "Who may do what on one workspace object (a cluster, job, notebook, warehouse, ...): each user, group and service principal with its direct and inherited levels.",
	})
	PermissionsSet = client.Declare(&client.Endpoint[SetPermissionsRequest, ObjectPermissions]{
		Service: "permissions", Name: "set", Method: "PUT", Path: permissionsPath,
		Access: client.Destructive, Idempotent: true,
		Title: "Replace object permissions",
		Doc: "Replace an object's direct permissions with access_control_list: grants left out are revoked " +
			"(admins keep CAN_MANAGE). To add grants without removing others use permissions_update.",
	})
	PermissionsUpdate = client.Declare(&client.Endpoint[SetPermissionsRequest, ObjectPermissions]{
		Service: "permissions", Name: "update", Method: "PATCH", Path: permissionsPath,
		Access: client.Write, Idempotent: true,
		Title: "Grant object permissions",
		Doc:   "Add or change grants on an object; other principals' permissions stay. Returns the resulting access control list.",
	})
	PermissionsGetPermissionLevels = client.Declare(&client.Endpoint[ObjectRef, PermissionLevelsResponse]{
		Service: "permissions", Name: "get_permission_levels", Method: "GET", Path: permissionsPath + "/permissionLevels",
		Access: client.Read,
		Title:  "List permission levels",
		Doc:    "List the permission levels an object takes, with what each allows.",
	})
)
