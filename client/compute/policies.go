package compute

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// Cluster Policies API (/api/2.0/policies/clusters/) and Policy Families API
// (/api/2.0/policy-families): rules that limit and default the settings of
// the clusters made under them, and the Databricks-provided templates
// policies are made from.

// ListPoliciesSortColumn is what cluster_policies_list sorts by.
type ListPoliciesSortColumn string

// EnumValues lists the values the API defines for ListPoliciesSortColumn.
func (ListPoliciesSortColumn) EnumValues() []string {
	return []string{"POLICY_CREATION_TIME", "POLICY_NAME"}
}

// ListPoliciesSortOrder is ascending or descending order for
// cluster_policies_list.
type ListPoliciesSortOrder string

// EnumValues lists the values the API defines for ListPoliciesSortOrder.
func (ListPoliciesSortOrder) EnumValues() []string {
	return []string{"ASC", "DESC"}
}

// PolicySettings are the writable settings of a cluster policy, shared by
// create, edit and the policy as read back. It has no Extra of its own: the
// embedding struct keeps unknown members.
type PolicySettings struct {
	Definition                      *string   `json:"definition,omitzero" doc:"The rules, as a JSON object encoded in a string: cluster attribute paths to rules, e.g. \"{\\\"autotermination_minutes\\\":{\\\"type\\\":\\\"range\\\",\\\"maxValue\\\":120},\\\"spark_version\\\":{\\\"type\\\":\\\"fixed\\\",\\\"value\\\":\\\"auto:latest-lts\\\"}}\". Rule types: fixed, forbidden, allowlist, blocklist, regex, range, unlimited. Not with policy_family_id."`
	Description                     *string   `json:"description,omitzero" doc:"Human-readable description of the policy."`
	Libraries                       []Library `json:"libraries,omitzero" doc:"Libraries installed on every cluster using the policy, at its next start; at most 500."`
	MaxClustersPerUser              *int64    `json:"max_clusters_per_user,omitzero" doc:"Most active clusters one user may have under the policy; omitted, no limit."`
	PolicyFamilyDefinitionOverrides *string   `json:"policy_family_definition_overrides,omitzero" doc:"With policy_family_id: rules, a JSON object encoded in a string like definition, merged over the family's definition."`
	PolicyFamilyID                  *string   `json:"policy_family_id,omitzero" doc:"Policy family (from policy_families_list, e.g. personal-vm) whose definition the policy inherits. Not with definition; customise it with policy_family_definition_overrides."`
}

// CreatePolicyRequest describes a new cluster policy.
type CreatePolicyRequest struct {
	Name string `json:"name" doc:"Name of the policy, 1 to 100 characters, unique in the workspace."`
	PolicySettings

	Extra map[string]json.RawMessage `json:"-"`
}

// CreatePolicyResponse carries the id of the new policy.
type CreatePolicyResponse struct {
	PolicyID *string `json:"policy_id,omitzero" doc:"Id of the new policy; give it as policy_id in clusters_create."`

	Extra map[string]json.RawMessage `json:"-"`
}

// EditPolicyRequest replaces a policy's settings: fields left out are
// cleared.
type EditPolicyRequest struct {
	PolicyID string `json:"policy_id" doc:"Id of the policy to change (from cluster_policies_list)."`
	Name     string `json:"name" doc:"Name of the policy, 1 to 100 characters, unique in the workspace."`
	PolicySettings

	Extra map[string]json.RawMessage `json:"-"`
}

// GetPolicyRequest names the policy to read.
type GetPolicyRequest struct {
	PolicyID string `json:"policy_id" doc:"Id of the policy (from cluster_policies_list)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Policy is a cluster policy as the API reports it.
type Policy struct {
	PolicyID           *string `json:"policy_id,omitzero" doc:"Id of the policy, 16 hex digits, e.g. ABCD000000000000."`
	Name               *string `json:"name,omitzero" doc:"Name of the policy."`
	CreatedAtTimestamp *int64  `json:"created_at_timestamp,omitzero" doc:"When the policy was created, in epoch milliseconds."`
	CreatorUserName    *string `json:"creator_user_name,omitzero" doc:"User who created the policy; absent once that user is deleted."`
	IsDefault          *bool   `json:"is_default,omitzero" doc:"Whether Databricks made and manages the policy; such policies cannot be deleted and their family cannot change."`
	PolicySettings

	Extra map[string]json.RawMessage `json:"-"`
}

// ListPoliciesRequest orders the list of policies.
type ListPoliciesRequest struct {
	SortColumn *ListPoliciesSortColumn `json:"sort_column,omitzero" doc:"POLICY_CREATION_TIME (the default) or POLICY_NAME."`
	SortOrder  *ListPoliciesSortOrder  `json:"sort_order,omitzero" doc:"ASC (the default) or DESC."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListPoliciesResponse lists the policies the caller can see.
type ListPoliciesResponse struct {
	Policies   []Policy `json:"policies,omitzero" doc:"The policies."`
	TotalCount *int     `json:"total_count,omitzero" doc:"Number of policies listed."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DeletePolicyRequest names the policy to delete.
type DeletePolicyRequest struct {
	PolicyID string `json:"policy_id" doc:"Id of the policy to delete (from cluster_policies_list)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// PolicyFamily is a Databricks-provided policy template.
type PolicyFamily struct {
	PolicyFamilyID *string `json:"policy_family_id,omitzero" doc:"Id of the family, e.g. personal-vm; give it as policy_family_id in cluster_policies_create."`
	Name           *string `json:"name,omitzero" doc:"Name of the family, e.g. Personal Compute."`
	Description    *string `json:"description,omitzero" doc:"What the family is for."`
	Definition     *string `json:"definition,omitzero" doc:"The family's rules, a JSON object encoded in a string."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GetPolicyFamilyRequest names the family to read.
type GetPolicyFamilyRequest struct {
	PolicyFamilyID string `json:"policy_family_id" in:"path" doc:"Id of the family, e.g. personal-vm (from policy_families_list)."`
	Version        *int64 `json:"version,omitzero" doc:"Version of the family's definition; omitted, the latest."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListPolicyFamiliesRequest pages through the policy families.
type ListPolicyFamiliesRequest struct {
	MaxResults *int64  `json:"max_results,omitzero" doc:"Most families to return in one page."`
	PageToken  *string `json:"page_token,omitzero" doc:"next_page_token from a previous answer, to fetch the next page."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListPolicyFamiliesResponse is one page of policy families.
type ListPolicyFamiliesResponse struct {
	PolicyFamilies []PolicyFamily `json:"policy_families,omitzero" doc:"The families at their latest version."`
	NextPageToken  *string        `json:"next_page_token,omitzero" doc:"Pass as page_token to get the next page; absent on the last page."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Cluster policies and policy families endpoints. edit and delete are
// idempotent; create is not (a repeat fails on the taken name).
var (
	ClusterPoliciesCreate = client.Declare(&client.Endpoint[CreatePolicyRequest, CreatePolicyResponse]{
		Service: "cluster_policies", Name: "create", Method: "POST", Path: "/api/2.0/policies/clusters/create",
		Access: client.Write,
		Title:  "Create cluster policy",
		Doc: "Create a cluster policy (workspace admins): rules that fix, limit or default the settings of the " +
			"clusters made with its policy_id. Give a definition, or a policy_family_id with optional " +
			"policy_family_definition_overrides. Returns the new policy_id.",
	})
	ClusterPoliciesEdit = client.Declare(&client.Endpoint[EditPolicyRequest, client.Empty]{
		Service: "cluster_policies", Name: "edit", Method: "POST", Path: "/api/2.0/policies/clusters/edit",
		Access: client.Destructive, Idempotent: true,
		Title: "Edit cluster policy",
		Doc: "Replace a cluster policy's name, rules, description, limits and libraries (fields left out are " +
			"cleared, so send all of them, from cluster_policies_get). Clusters already using it are not changed " +
			"until they are edited.",
	})
	ClusterPoliciesGet = client.Declare(&client.Endpoint[GetPolicyRequest, Policy]{
		Service: "cluster_policies", Name: "get", Method: "GET", Path: "/api/2.0/policies/clusters/get",
		Access: client.Read,
		Title:  "Get cluster policy",
		Doc:    "Get a cluster policy: its definition (the rules, a JSON string), family, limits and libraries.",
	})
	ClusterPoliciesList = client.Declare(&client.Endpoint[ListPoliciesRequest, ListPoliciesResponse]{
		Service: "cluster_policies", Name: "list", Method: "GET", Path: "/api/2.0/policies/clusters/list",
		Access: client.Read,
		Title:  "List cluster policies",
		Doc:    "List the cluster policies the caller may use, with their definitions; sort by creation time or name.",
	})
	ClusterPoliciesDelete = client.Declare(&client.Endpoint[DeletePolicyRequest, client.Empty]{
		Service: "cluster_policies", Name: "delete", Method: "POST", Path: "/api/2.0/policies/clusters/delete",
		Access: client.Destructive, Idempotent: true,
		Title: "Delete cluster policy",
		Doc:   "Delete a cluster policy. Clusters made under it keep running but can no longer be edited under it. This cannot be undone.",
	})

	PolicyFamiliesList = client.Declare(&client.Endpoint[ListPolicyFamiliesRequest, ListPolicyFamiliesResponse]{
		Service: "policy_families", Name: "list", Method: "GET", Path: "/api/2.0/policy-families",
		Access: client.Read,
		Paging: &client.Paging{Style: client.PageToken, Items: "policy_families", Size: "max_results"},
		Title:  "List policy families",
		Doc:    "List the Databricks-provided policy families (Personal Compute, Shared Compute, Job Compute, ...) with their definitions; a cluster policy can inherit one through policy_family_id.",
	})
	PolicyFamiliesGet = client.Declare(&client.Endpoint[GetPolicyFamilyRequest, PolicyFamily]{
		Service: "policy_families", Name: "get", Method: "GET", Path: "/api/2.0/policy-families/{policy_family_id}",
		Access: client.Read,
		Title:  "Get policy family",
		Doc:    "Get one policy family's definition, at its latest version or a given one.",
	})
)
