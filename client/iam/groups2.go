package iam

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// The legacy Groups API 2.0 (/api/2.0/groups/), which names principals by
// user name and group name instead of SCIM ids. Only its membership calls are
// declared: its create, delete and list overlap the SCIM groups tools, whose
// names they would take. The official Go SDK does not cover this API; the
// facts are from the Databricks REST API 2.0 Groups reference.

// MembershipRequest adds or removes one member of a group.
type MembershipRequest struct {
	UserName   *string `json:"user_name,omitzero" doc:"User to add or remove, by user name (email). Give this or group_name."`
	GroupName  *string `json:"group_name,omitzero" doc:"Group to add or remove as a member, by name. Give this or user_name."`
	ParentName string  `json:"parent_name" doc:"Name of the group gaining or losing the member."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListMembersRequest names the group whose members to list.
type ListMembersRequest struct {
	GroupName string `json:"group_name" doc:"Name of the group."`

	Extra map[string]json.RawMessage `json:"-"`
}

// PrincipalName names a user or a group.
type PrincipalName struct {
	UserName  *string `json:"user_name,omitzero" doc:"A user, by user name."`
	GroupName *string `json:"group_name,omitzero" doc:"A group, by name."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListMembersResponse lists a group's direct members.
type ListMembersResponse struct {
	Members []PrincipalName `json:"members,omitzero" doc:"Direct members: users by user_name, groups by group_name."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListParentsRequest names the user or group whose groups to list.
type ListParentsRequest struct {
	UserName  *string `json:"user_name,omitzero" doc:"User whose groups to list. Give this or group_name."`
	GroupName *string `json:"group_name,omitzero" doc:"Group whose parent groups to list. Give this or user_name."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GroupNamesResponse lists group names.
type GroupNamesResponse struct {
	GroupNames []string `json:"group_names,omitzero" doc:"Names of the groups."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Groups 2.0 endpoints.
var (
	GroupsAddMember = client.Declare(&client.Endpoint[MembershipRequest, client.Empty]{
		Service: "groups", Name: "add_member", Method: "POST", Path: "/api/2.0/groups/add-member",
		Access: client.Write, Idempotent: true,
		Title: "Add group member by name",
		Doc:   "Add a user (user_name) or a group (group_name) to the group parent_name, all by name rather than SCIM id. Not available on identity-federated workspaces; use groups_patch there.",
	})
	GroupsRemoveMember = client.Declare(&client.Endpoint[MembershipRequest, client.Empty]{
		Service: "groups", Name: "remove_member", Method: "POST", Path: "/api/2.0/groups/remove-member",
		Access: client.Destructive, Idempotent: true,
		Title: "Remove group member by name",
		Doc:   "Remove a user (user_name) or a group (group_name) from the group parent_name, by name. They lose what the group granted them.",
	})
	GroupsListMembers = client.Declare(&client.Endpoint[ListMembersRequest, ListMembersResponse]{
		Service: "groups", Name: "list_members", Method: "GET", Path: "/api/2.0/groups/list-members",
		Access: client.Read,
		Title:  "List group members by name",
		Doc:    "List the direct members of a group, given by name: users by user_name, groups by group_name.",
	})
	GroupsListParents = client.Declare(&client.Endpoint[ListParentsRequest, GroupNamesResponse]{
		Service: "groups", Name: "list_parents", Method: "GET", Path: "/api/2.0/groups/list-parents",
		Access: client.Read,
		Title:  "List groups of a user or group",
		Doc:    "List the names of the groups a user (user_name) or group (group_name) directly belongs to.",
	})
)
