package iam

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// The workspace SCIM 2.0 API (RFC 7643/7644) under /api/2.0/preview/scim/v2/:
// users, groups, service principals and the caller's own user. Its members
// are camelCase, as SCIM names them; lists page by startIndex and count.

// ComplexValue is a SCIM multi-valued attribute entry: a member, a group
// membership, an entitlement, a role or an email.
type ComplexValue struct {
	Value   *string `json:"value,omitzero" doc:"The value: a member's or group's SCIM id, an entitlement name (workspace-access, databricks-sql-access, allow-cluster-create, allow-instance-pool-create), a role (instance profile ARN) or an email address."`
	Display *string `json:"display,omitzero" doc:"Human-readable name of the referenced object; output only."`
	Ref     *string `json:"$ref,omitzero" doc:"URI of the referenced object, such as Users/123; output only."`
	Type    *string `json:"type,omitzero" doc:"Kind of entry (for emails: work; for groups: direct or indirect)."`
	Primary *bool   `json:"primary,omitzero" doc:"Whether this is the primary entry (emails)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ResourceMeta says what kind of resource a SCIM object is.
type ResourceMeta struct {
	ResourceType *string `json:"resourceType,omitzero" doc:"WorkspaceGroup for a workspace-local group, Group for an account group."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Name is a user's given and family name.
type Name struct {
	GivenName  *string `json:"givenName,omitzero" doc:"Given (first) name."`
	FamilyName *string `json:"familyName,omitzero" doc:"Family (last) name."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GroupSchema is the SCIM schema URN of a group.
type GroupSchema string

// EnumValues lists the values the API defines for GroupSchema.
func (GroupSchema) EnumValues() []string {
	return []string{"urn:ietf:params:scim:schemas:core:2.0:Group"}
}

// UserSchema is a SCIM schema URN of a user.
type UserSchema string

// EnumValues lists the values the API defines for UserSchema.
func (UserSchema) EnumValues() []string {
	return []string{
		"urn:ietf:params:scim:schemas:core:2.0:User",
		"urn:ietf:params:scim:schemas:extension:workspace:2.0:User",
	}
}

// ServicePrincipalSchema is the SCIM schema URN of a service principal.
type ServicePrincipalSchema string

// EnumValues lists the values the API defines for ServicePrincipalSchema.
func (ServicePrincipalSchema) EnumValues() []string {
	return []string{"urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"}
}

// ListResponseSchema is the SCIM schema URN of a list reply.
type ListResponseSchema string

// EnumValues lists the values the API defines for ListResponseSchema.
func (ListResponseSchema) EnumValues() []string {
	return []string{"urn:ietf:params:scim:api:messages:2.0:ListResponse"}
}

// PatchSchema is the SCIM schema URN of a PATCH request.
type PatchSchema string

// EnumValues lists the values the API defines for PatchSchema.
func (PatchSchema) EnumValues() []string {
	return []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}
}

// SortOrder orders a SCIM list by its sortBy attribute.
type SortOrder string

// EnumValues lists the values the API defines for SortOrder.
func (SortOrder) EnumValues() []string { return []string{"ascending", "descending"} }

// PatchOpKind is what one SCIM PATCH operation does.
type PatchOpKind string

// Values of PatchOpKind.
const (
	PatchAdd     PatchOpKind = "add"
	PatchRemove  PatchOpKind = "remove"
	PatchReplace PatchOpKind = "replace"
)

// EnumValues lists the values the API defines for PatchOpKind.
func (PatchOpKind) EnumValues() []string { return []string{"add", "remove", "replace"} }

// PatchOperation is one change of a SCIM PATCH.
type PatchOperation struct {
	Op    PatchOpKind     `json:"op" doc:"add, remove or replace."`
	Path  *string         `json:"path,omitzero" doc:"Attribute to change: members, entitlements, roles, groups, displayName, active; a filter selects entries, as members[value eq \"123\"]. Omitted for add/replace, value is an object of attributes."`
	Value json.RawMessage `json:"value,omitzero" doc:"New value: for members/entitlements/roles/groups an array of {\"value\": ...} entries; for displayName a string; for active a boolean. Omitted for remove with a filtered path."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListRequest is the SCIM list query every SCIM list takes.
type ListRequest struct {
	Filter             *string    `json:"filter,omitzero" doc:"SCIM filter: attribute, operator (eq, ne, co, sw) and quoted value, joined with and/or; e.g. displayName eq \"data-eng\" or userName sw \"ann\"."`
	Attributes         *string    `json:"attributes,omitzero" doc:"Comma-separated attributes to return (e.g. id,displayName); others are left out. Cuts large replies."`
	ExcludedAttributes *string    `json:"excludedAttributes,omitzero" doc:"Comma-separated attributes to leave out (e.g. members)."`
	StartIndex         *int64     `json:"startIndex,omitzero" doc:"1-based index of the first result. Default 1."`
	Count              *int64     `json:"count,omitzero" doc:"Results per page; the server may cap it."`
	SortBy             *string    `json:"sortBy,omitzero" doc:"Attribute to sort by, e.g. displayName or userName."`
	SortOrder          *SortOrder `json:"sortOrder,omitzero" doc:"ascending or descending."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Group is a SCIM group of the workspace.
type Group struct {
	ID           *string        `json:"id,omitzero" doc:"The group's SCIM id."`
	DisplayName  *string        `json:"displayName,omitzero" doc:"The group's name, unique in the workspace."`
	ExternalID   *string        `json:"externalId,omitzero" doc:"Identifier of the group in an external identity provider."`
	Members      []ComplexValue `json:"members,omitzero" doc:"Direct members: users, service principals and groups, by SCIM id in value."`
	Groups       []ComplexValue `json:"groups,omitzero" doc:"Groups this group belongs to."`
	Entitlements []ComplexValue `json:"entitlements,omitzero" doc:"Entitlements granted to every member, by name in value."`
	Roles        []ComplexValue `json:"roles,omitzero" doc:"Roles (AWS instance profile ARNs) granted to members."`
	Meta         *ResourceMeta  `json:"meta,omitzero" doc:"Whether the group is workspace-local or an account group."`
	Schemas      []GroupSchema  `json:"schemas,omitzero" doc:"SCIM schema URNs of the object."`

	Extra map[string]json.RawMessage `json:"-"`
}

// CreateGroupRequest creates a workspace group.
type CreateGroupRequest struct {
	DisplayName  string         `json:"displayName" doc:"Name of the new group, unique in the workspace."`
	ExternalID   *string        `json:"externalId,omitzero" doc:"Identifier in an external identity provider."`
	Members      []ComplexValue `json:"members,omitzero" doc:"Initial members, each {\"value\": \"<user, service principal or group SCIM id>\"}."`
	Groups       []ComplexValue `json:"groups,omitzero" doc:"Parent groups, each {\"value\": \"<group id>\"}."`
	Entitlements []ComplexValue `json:"entitlements,omitzero" doc:"Entitlements, each {\"value\": \"allow-cluster-create\"} (or workspace-access, databricks-sql-access, allow-instance-pool-create)."`
	Roles        []ComplexValue `json:"roles,omitzero" doc:"Roles, each {\"value\": \"<instance profile ARN>\"} (AWS)."`
	Schemas      []GroupSchema  `json:"schemas,omitzero" doc:"SCIM schema URNs; may be omitted."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ReplaceGroupRequest replaces a group's definition.
type ReplaceGroupRequest struct {
	ID           string         `json:"id" in:"path" doc:"SCIM id of the group to replace."`
	DisplayName  *string        `json:"displayName,omitzero" doc:"The group's name."`
	ExternalID   *string        `json:"externalId,omitzero" doc:"Identifier in an external identity provider."`
	Members      []ComplexValue `json:"members,omitzero" doc:"The complete member list, each {\"value\": \"<SCIM id>\"}; members left out are removed."`
	Groups       []ComplexValue `json:"groups,omitzero" doc:"Parent groups, each {\"value\": \"<group id>\"}."`
	Entitlements []ComplexValue `json:"entitlements,omitzero" doc:"The complete entitlement list; entitlements left out are revoked."`
	Roles        []ComplexValue `json:"roles,omitzero" doc:"The complete role list."`
	Schemas      []GroupSchema  `json:"schemas,omitzero" doc:"SCIM schema URNs; may be omitted."`

	Extra map[string]json.RawMessage `json:"-"`
}

// PatchRequest changes parts of one SCIM object.
type PatchRequest struct {
	ID         string           `json:"id" in:"path" doc:"SCIM id of the object to change."`
	Operations []PatchOperation `json:"Operations,omitzero" doc:"The changes, applied in order (at least one)."`
	Schemas    []PatchSchema    `json:"schemas,omitzero" doc:"Send [\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"]."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GetByIDRequest names one SCIM object.
type GetByIDRequest struct {
	ID string `json:"id" in:"path" doc:"SCIM id of the object."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListGroupsResponse is one page of groups.
type ListGroupsResponse struct {
	TotalResults *int64               `json:"totalResults,omitzero" doc:"How many groups match the filter in all."`
	StartIndex   *int64               `json:"startIndex,omitzero" doc:"1-based index of this page's first group."`
	ItemsPerPage *int64               `json:"itemsPerPage,omitzero" doc:"How many groups this page holds."`
	Resources    []Group              `json:"Resources,omitzero" doc:"The groups."`
	Schemas      []ListResponseSchema `json:"schemas,omitzero" doc:"SCIM schema URN of the reply."`

	Extra map[string]json.RawMessage `json:"-"`
}

// User is a SCIM user of the workspace.
type User struct {
	ID           *string        `json:"id,omitzero" doc:"The user's SCIM id."`
	UserName     *string        `json:"userName,omitzero" doc:"The user's email address, their login."`
	DisplayName  *string        `json:"displayName,omitzero" doc:"Full name."`
	Active       *bool          `json:"active,omitzero" doc:"Whether the user may sign in."`
	Name         *Name          `json:"name,omitzero" doc:"Given and family name."`
	Emails       []ComplexValue `json:"emails,omitzero" doc:"Email addresses."`
	ExternalID   *string        `json:"externalId,omitzero" doc:"Identifier in an external identity provider."`
	Groups       []ComplexValue `json:"groups,omitzero" doc:"Groups the user belongs to."`
	Entitlements []ComplexValue `json:"entitlements,omitzero" doc:"Entitlements granted to the user directly."`
	Roles        []ComplexValue `json:"roles,omitzero" doc:"Roles (AWS instance profile ARNs)."`
	Schemas      []UserSchema   `json:"schemas,omitzero" doc:"SCIM schema URNs of the object."`

	Extra map[string]json.RawMessage `json:"-"`
}

// CreateUserRequest adds a user to the workspace.
type CreateUserRequest struct {
	UserName     string         `json:"userName" doc:"The user's email address."`
	DisplayName  *string        `json:"displayName,omitzero" doc:"Full name."`
	Active       *bool          `json:"active,omitzero" doc:"Whether the user may sign in; default true."`
	Name         *Name          `json:"name,omitzero" doc:"Given and family name."`
	Emails       []ComplexValue `json:"emails,omitzero" doc:"Email addresses, each {\"value\": ..., \"type\": \"work\", \"primary\": true}."`
	ExternalID   *string        `json:"externalId,omitzero" doc:"Identifier in an external identity provider."`
	Groups       []ComplexValue `json:"groups,omitzero" doc:"Groups to add the user to, each {\"value\": \"<group id>\"}."`
	Entitlements []ComplexValue `json:"entitlements,omitzero" doc:"Entitlements, each {\"value\": \"workspace-access\"} (or databricks-sql-access, allow-cluster-create, allow-instance-pool-create)."`
	Roles        []ComplexValue `json:"roles,omitzero" doc:"Roles, each {\"value\": \"<instance profile ARN>\"} (AWS)."`
	Schemas      []UserSchema   `json:"schemas,omitzero" doc:"SCIM schema URNs; may be omitted."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ReplaceUserRequest replaces a user's definition.
type ReplaceUserRequest struct {
	ID           string         `json:"id" in:"path" doc:"SCIM id of the user to replace."`
	UserName     *string        `json:"userName,omitzero" doc:"The user's email address (it cannot be changed)."`
	DisplayName  *string        `json:"displayName,omitzero" doc:"Full name."`
	Active       *bool          `json:"active,omitzero" doc:"Whether the user may sign in."`
	Name         *Name          `json:"name,omitzero" doc:"Given and family name."`
	Emails       []ComplexValue `json:"emails,omitzero" doc:"Email addresses (they cannot be changed)."`
	ExternalID   *string        `json:"externalId,omitzero" doc:"Identifier in an external identity provider."`
	Groups       []ComplexValue `json:"groups,omitzero" doc:"Groups, each {\"value\": \"<group id>\"}."`
	Entitlements []ComplexValue `json:"entitlements,omitzero" doc:"The complete entitlement list; entitlements left out are revoked."`
	Roles        []ComplexValue `json:"roles,omitzero" doc:"The complete role list."`
	Schemas      []UserSchema   `json:"schemas,omitzero" doc:"SCIM schema URNs; may be omitted."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GetUserRequest names one user.
type GetUserRequest struct {
	ID                 string  `json:"id" in:"path" doc:"SCIM id of the user."`
	Attributes         *string `json:"attributes,omitzero" doc:"Comma-separated attributes to return."`
	ExcludedAttributes *string `json:"excludedAttributes,omitzero" doc:"Comma-separated attributes to leave out."`

	Extra map[string]json.RawMessage `json:"-"`
}

// MeRequest asks for the caller's own user.
type MeRequest struct {
	Attributes         *string `json:"attributes,omitzero" doc:"Comma-separated attributes to return (e.g. userName,id)."`
	ExcludedAttributes *string `json:"excludedAttributes,omitzero" doc:"Comma-separated attributes to leave out (e.g. groups)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListUsersResponse is one page of users.
type ListUsersResponse struct {
	TotalResults *int64               `json:"totalResults,omitzero" doc:"How many users match the filter in all."`
	StartIndex   *int64               `json:"startIndex,omitzero" doc:"1-based index of this page's first user."`
	ItemsPerPage *int64               `json:"itemsPerPage,omitzero" doc:"How many users this page holds."`
	Resources    []User               `json:"Resources,omitzero" doc:"The users."`
	Schemas      []ListResponseSchema `json:"schemas,omitzero" doc:"SCIM schema URN of the reply."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ServicePrincipal is a SCIM service principal of the workspace.
type ServicePrincipal struct {
	ID            *string                  `json:"id,omitzero" doc:"The service principal's SCIM id."`
	ApplicationID *string                  `json:"applicationId,omitzero" doc:"Application (client) id, a UUID; the name permissions and tokens use."`
	DisplayName   *string                  `json:"displayName,omitzero" doc:"Display name."`
	Active        *bool                    `json:"active,omitzero" doc:"Whether it may authenticate."`
	ExternalID    *string                  `json:"externalId,omitzero" doc:"Identifier in an external identity provider."`
	Groups        []ComplexValue           `json:"groups,omitzero" doc:"Groups it belongs to."`
	Entitlements  []ComplexValue           `json:"entitlements,omitzero" doc:"Entitlements granted to it directly."`
	Roles         []ComplexValue           `json:"roles,omitzero" doc:"Roles (AWS instance profile ARNs)."`
	Schemas       []ServicePrincipalSchema `json:"schemas,omitzero" doc:"SCIM schema URNs of the object."`

	Extra map[string]json.RawMessage `json:"-"`
}

// CreateServicePrincipalRequest adds a service principal to the workspace.
type CreateServicePrincipalRequest struct {
	ApplicationID *string                  `json:"applicationId,omitzero" doc:"Application (client) id. Required on Azure: the Microsoft Entra ID application's id. Elsewhere omit it and one is generated."`
	DisplayName   *string                  `json:"displayName,omitzero" doc:"Display name."`
	Active        *bool                    `json:"active,omitzero" doc:"Whether it may authenticate; default true."`
	ExternalID    *string                  `json:"externalId,omitzero" doc:"Identifier in an external identity provider."`
	Groups        []ComplexValue           `json:"groups,omitzero" doc:"Groups to add it to, each {\"value\": \"<group id>\"}."`
	Entitlements  []ComplexValue           `json:"entitlements,omitzero" doc:"Entitlements, each {\"value\": \"workspace-access\"} (or databricks-sql-access, allow-cluster-create, allow-instance-pool-create)."`
	Roles         []ComplexValue           `json:"roles,omitzero" doc:"Roles, each {\"value\": \"<instance profile ARN>\"} (AWS)."`
	Schemas       []ServicePrincipalSchema `json:"schemas,omitzero" doc:"SCIM schema URNs; may be omitted."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ReplaceServicePrincipalRequest replaces a service principal's definition.
type ReplaceServicePrincipalRequest struct {
	ID            string                   `json:"id" in:"path" doc:"SCIM id of the service principal to replace."`
	ApplicationID *string                  `json:"applicationId,omitzero" doc:"Application (client) id (it cannot be changed)."`
	DisplayName   *string                  `json:"displayName,omitzero" doc:"Display name."`
	Active        *bool                    `json:"active,omitzero" doc:"Whether it may authenticate."`
	ExternalID    *string                  `json:"externalId,omitzero" doc:"Identifier in an external identity provider."`
	Groups        []ComplexValue           `json:"groups,omitzero" doc:"Groups, each {\"value\": \"<group id>\"}."`
	Entitlements  []ComplexValue           `json:"entitlements,omitzero" doc:"The complete entitlement list; entitlements left out are revoked."`
	Roles         []ComplexValue           `json:"roles,omitzero" doc:"The complete role list."`
	Schemas       []ServicePrincipalSchema `json:"schemas,omitzero" doc:"SCIM schema URNs; may be omitted."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListServicePrincipalsResponse is one page of service principals.
type ListServicePrincipalsResponse struct {
	TotalResults *int64               `json:"totalResults,omitzero" doc:"How many service principals match the filter in all."`
	StartIndex   *int64               `json:"startIndex,omitzero" doc:"1-based index of this page's first entry."`
	ItemsPerPage *int64               `json:"itemsPerPage,omitzero" doc:"How many entries this page holds."`
	Resources    []ServicePrincipal   `json:"Resources,omitzero" doc:"The service principals."`
	Schemas      []ListResponseSchema `json:"schemas,omitzero" doc:"SCIM schema URN of the reply."`

	Extra map[string]json.RawMessage `json:"-"`
}

const (
	scimGroups = "/api/2.0/preview/scim/v2/Groups"
	scimUsers  = "/api/2.0/preview/scim/v2/Users"
	scimSPs    = "/api/2.0/preview/scim/v2/ServicePrincipals"
)

var scimPaging = &client.Paging{Style: client.SCIM, Items: "Resources", Token: "startIndex", Size: "count"}

// Current user.
var CurrentUserMe = client.Declare(&client.Endpoint[MeRequest, User]{
	Service: "current_user", Name: "me", Method: "GET", Path: "/api/2.0/preview/scim/v2/Me",
	Access: client.Read, Default: true,
	Title: "Get current user",
	Doc:   "Who the caller is: userName, SCIM id, groups and entitlements. Use it to learn the user name for permissions, owners or home folders (/Users/<userName>).",
})

// Groups endpoints (SCIM).
var (
	GroupsList = client.Declare(&client.Endpoint[ListRequest, ListGroupsResponse]{
		Service: "groups", Name: "list", Method: "GET", Path: scimGroups,
		Access: client.Read, Paging: scimPaging,
		Title: "List groups",
		Doc: "List the workspace's groups, optionally filtered (filter: displayName eq \"name\"). " +
			"Pass attributes=id,displayName to leave out the member lists of large groups.",
	})
	GroupsGet = client.Declare(&client.Endpoint[GetByIDRequest, Group]{
		Service: "groups", Name: "get", Method: "GET", Path: scimGroups + "/{id}",
		Access: client.Read,
		Title:  "Get group",
		Doc:    "Get one group by SCIM id (from groups_list): name, members, parent groups, entitlements and roles.",
	})
	GroupsCreate = client.Declare(&client.Endpoint[CreateGroupRequest, Group]{
		Service: "groups", Name: "create", Method: "POST", Path: scimGroups,
		Access: client.Write,
		Title:  "Create group",
		Doc:    "Create a workspace group, optionally with members and entitlements. Returns the group with its new SCIM id.",
	})
	GroupsUpdate = client.Declare(&client.Endpoint[ReplaceGroupRequest, client.Empty]{
		Service: "groups", Name: "update", Method: "PUT", Path: scimGroups + "/{id}",
		Access: client.Destructive, Idempotent: true,
		Title: "Replace group",
		Doc: "Replace a group's whole definition: members, entitlements and roles left out are removed. " +
			"To add or remove a few members use groups_patch instead.",
	})
	GroupsPatch = client.Declare(&client.Endpoint[PatchRequest, client.Empty]{
		Service: "groups", Name: "patch", Method: "PATCH", Path: scimGroups + "/{id}",
		Access: client.Destructive, Idempotent: true,
		Title: "Change group",
		Doc: "Change parts of a group with SCIM operations, e.g. add a member: " +
			"{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"<SCIM id>\"}]}; remove one: " +
			"{\"op\":\"remove\",\"path\":\"members[value eq \\\"<SCIM id>\\\"]\"}; rename: {\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"new\"}.",
	})
	GroupsDelete = client.Declare(&client.Endpoint[GetByIDRequest, client.Empty]{
		Service: "groups", Name: "delete", Method: "DELETE", Path: scimGroups + "/{id}",
		Access: client.Destructive, Idempotent: true,
		Title: "Delete group",
		Doc:   "Delete a group by SCIM id. Its members stay, but lose what the group granted them.",
	})
)

// Users endpoints.
var (
	UsersList = client.Declare(&client.Endpoint[ListRequest, ListUsersResponse]{
		Service: "users", Name: "list", Method: "GET", Path: scimUsers,
		Access: client.Read, Paging: scimPaging,
		Title: "List users",
		Doc:   "List the workspace's users, optionally filtered (filter: userName eq \"a@b.com\", displayName co \"ann\").",
	})
	UsersGet = client.Declare(&client.Endpoint[GetUserRequest, User]{
		Service: "users", Name: "get", Method: "GET", Path: scimUsers + "/{id}",
		Access: client.Read,
		Title:  "Get user",
		Doc:    "Get one user by SCIM id (from users_list): userName, groups, entitlements, active.",
	})
	UsersCreate = client.Declare(&client.Endpoint[CreateUserRequest, User]{
		Service: "users", Name: "create", Method: "POST", Path: scimUsers,
		Access: client.Write,
		Title:  "Add user",
		Doc:    "Add a user to the workspace by email (userName), optionally into groups and with entitlements. Returns the user with its SCIM id.",
	})
	UsersUpdate = client.Declare(&client.Endpoint[ReplaceUserRequest, client.Empty]{
		Service: "users", Name: "update", Method: "PUT", Path: scimUsers + "/{id}",
		Access: client.Destructive, Idempotent: true,
		Title: "Replace user",
		Doc:   "Replace a user's whole definition: entitlements and roles left out are revoked. For small changes use users_patch.",
	})
	UsersPatch = client.Declare(&client.Endpoint[PatchRequest, client.Empty]{
		Service: "users", Name: "patch", Method: "PATCH", Path: scimUsers + "/{id}",
		Access: client.Destructive, Idempotent: true,
		Title: "Change user",
		Doc: "Change parts of a user with SCIM operations, e.g. deactivate: {\"op\":\"replace\",\"path\":\"active\",\"value\":false}; " +
			"grant an entitlement: {\"op\":\"add\",\"path\":\"entitlements\",\"value\":[{\"value\":\"allow-cluster-create\"}]}.",
	})
	UsersDelete = client.Declare(&client.Endpoint[GetByIDRequest, client.Empty]{
		Service: "users", Name: "delete", Method: "DELETE", Path: scimUsers + "/{id}",
		Access: client.Destructive, Idempotent: true,
		Title: "Remove user",
		Doc:   "Remove a user from the workspace by SCIM id. Objects they own are not deleted.",
	})
)

// Service principals endpoints.
var (
	ServicePrincipalsList = client.Declare(&client.Endpoint[ListRequest, ListServicePrincipalsResponse]{
		Service: "service_principals", Name: "list", Method: "GET", Path: scimSPs,
		Access: client.Read, Paging: scimPaging,
		Title: "List service principals",
		Doc:   "List the workspace's service principals, optionally filtered (filter: displayName eq \"etl-bot\").",
	})
	ServicePrincipalsGet = client.Declare(&client.Endpoint[GetByIDRequest, ServicePrincipal]{
		Service: "service_principals", Name: "get", Method: "GET", Path: scimSPs + "/{id}",
		Access: client.Read,
		Title:  "Get service principal",
		Doc:    "Get one service principal by SCIM id (from service_principals_list): applicationId, groups, entitlements.",
	})
	ServicePrincipalsCreate = client.Declare(&client.Endpoint[CreateServicePrincipalRequest, ServicePrincipal]{
		Service: "service_principals", Name: "create", Method: "POST", Path: scimSPs,
		Access: client.Write,
		Title:  "Add service principal",
		Doc:    "Add a service principal to the workspace. On Azure give the Entra ID application's applicationId. Returns it with its SCIM id.",
	})
	ServicePrincipalsUpdate = client.Declare(&client.Endpoint[ReplaceServicePrincipalRequest, client.Empty]{
		Service: "service_principals", Name: "update", Method: "PUT", Path: scimSPs + "/{id}",
		Access: client.Destructive, Idempotent: true,
		Title: "Replace service principal",
		Doc:   "Replace a service principal's whole definition: entitlements and roles left out are revoked. For small changes use service_principals_patch.",
	})
	ServicePrincipalsPatch = client.Declare(&client.Endpoint[PatchRequest, client.Empty]{
		Service: "service_principals", Name: "patch", Method: "PATCH", Path: scimSPs + "/{id}",
		Access: client.Destructive, Idempotent: true,
		Title: "Change service principal",
		Doc:   "Change parts of a service principal with SCIM operations, e.g. {\"op\":\"replace\",\"path\":\"active\",\"value\":false}.",
	})
	ServicePrincipalsDelete = client.Declare(&client.Endpoint[GetByIDRequest, client.Empty]{
		Service: "service_principals", Name: "delete", Method: "DELETE", Path: scimSPs + "/{id}",
		Access: client.Destructive, Idempotent: true,
		Title: "Remove service principal",
		Doc:   "Remove a service principal from the workspace by SCIM id. Jobs and tokens running as it stop working.",
	})
)
