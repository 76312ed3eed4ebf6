package workspace

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// Secrets API: secret scopes, the secrets in them and who may use them.
// Secret values only ever travel towards Databricks (put_secret): reading a
// value back (secrets/get) is meant for code running on a cluster and is
// deliberately not declared here, so no tool can return one.

// ScopeBackendType is where a secret scope keeps its secrets.
type ScopeBackendType string

// Values of ScopeBackendType.
const (
	ScopeBackendDatabricks    ScopeBackendType = "DATABRICKS"
	ScopeBackendAzureKeyvault ScopeBackendType = "AZURE_KEYVAULT"
)

// EnumValues lists the values the API defines for ScopeBackendType.
func (ScopeBackendType) EnumValues() []string {
	return []string{"AZURE_KEYVAULT", "DATABRICKS"}
}

// AclPermission is a level of access to a secret scope. Each level includes
// the ones before it: READ, then WRITE, then MANAGE.
type AclPermission string

// Values of AclPermission.
const (
	AclPermissionRead   AclPermission = "READ"
	AclPermissionWrite  AclPermission = "WRITE"
	AclPermissionManage AclPermission = "MANAGE"
)

// EnumValues lists the values the API defines for AclPermission.
func (AclPermission) EnumValues() []string {
	return []string{"MANAGE", "READ", "WRITE"}
}

// AzureKeyVaultMetadata identifies the Azure Key Vault behind a scope of
// type AZURE_KEYVAULT.
type AzureKeyVaultMetadata struct {
	ResourceID string `json:"resource_id" doc:"Azure resource id of the key vault, /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>."`
	DNSName    string `json:"dns_name" doc:"DNS name (vault URI) of the key vault, e.g. https://my-vault.vault.azure.net/."`

	Extra map[string]json.RawMessage `json:"-"`
}

// CreateScopeRequest describes a new secret scope.
type CreateScopeRequest struct {
	Scope                  string                 `json:"scope" doc:"Name of the new scope, unique in the workspace: letters, digits, dashes, underscores and periods, at most 128 characters."`
	ScopeBackendType       *ScopeBackendType      `json:"scope_backend_type,omitzero" doc:"Where the secrets live: DATABRICKS (the default), an empty scope stored by Databricks, or AZURE_KEYVAULT, a read-only view of an Azure Key Vault given in backend_azure_keyvault."`
	BackendAzureKeyvault   *AzureKeyVaultMetadata `json:"backend_azure_keyvault,omitzero" doc:"The key vault to expose, required when scope_backend_type is AZURE_KEYVAULT."`
	InitialManagePrincipal *string                `json:"initial_manage_principal,omitzero" doc:"Principal given MANAGE on the new scope; only the group users (every workspace user) is accepted. Omitted, the caller gets MANAGE."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DeleteScopeRequest names the secret scope to delete, with all its secrets
// and ACLs.
type DeleteScopeRequest struct {
	Scope string `json:"scope" doc:"Name of the scope to delete (from secrets_list_scopes)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListScopesRequest takes no arguments.
type ListScopesRequest struct {
	Extra map[string]json.RawMessage `json:"-"`
}

// ListScopesResponse lists the workspace's secret scopes.
type ListScopesResponse struct {
	Scopes []SecretScope `json:"scopes,omitzero" doc:"The secret scopes."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SecretScope describes one secret scope.
type SecretScope struct {
	Name             *string                `json:"name,omitzero" doc:"Name of the scope, unique in the workspace."`
	BackendType      *ScopeBackendType      `json:"backend_type,omitzero" doc:"DATABRICKS or AZURE_KEYVAULT."`
	KeyvaultMetadata *AzureKeyVaultMetadata `json:"keyvault_metadata,omitzero" doc:"The Azure Key Vault behind the scope, for AZURE_KEYVAULT scopes."`

	Extra map[string]json.RawMessage `json:"-"`
}

// PutSecretRequest stores a secret, replacing any secret of the same key.
// It carries the secret value: never log it or echo it back.
type PutSecretRequest struct {
	Scope       string  `json:"scope" doc:"Scope to store the secret in (from secrets_list_scopes). It must be a DATABRICKS scope; Azure Key Vault scopes are read-only."`
	Key         string  `json:"key" doc:"Name of the secret within the scope: letters, digits, dashes, underscores and periods, at most 128 characters. An existing secret of that name is overwritten."`
	StringValue *string `json:"string_value,omitzero" jsonschema:"writeOnly=true" doc:"The secret as text (stored as UTF-8). Give exactly one of string_value and bytes_value. At most 128 KB."`
	BytesValue  *string `json:"bytes_value,omitzero" jsonschema:"writeOnly=true" doc:"The secret as binary data, base64-encoded. Give exactly one of string_value and bytes_value. At most 128 KB."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DeleteSecretRequest names the secret to delete.
type DeleteSecretRequest struct {
	Scope string `json:"scope" doc:"Scope holding the secret (a DATABRICKS scope)."`
	Key   string `json:"key" doc:"Name of the secret to delete (from secrets_list_secrets)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListSecretsRequest names the scope whose secret names to list.
type ListSecretsRequest struct {
	Scope string `json:"scope" doc:"Scope to list (from secrets_list_scopes). Needs READ on the scope."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListSecretsResponse lists the secrets of a scope, without their values.
type ListSecretsResponse struct {
	Secrets []SecretMetadata `json:"secrets,omitzero" doc:"The secrets in the scope (names and timestamps only; values are never returned)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SecretMetadata describes one secret without its value.
type SecretMetadata struct {
	Key                  *string `json:"key,omitzero" doc:"Name of the secret."`
	LastUpdatedTimestamp *int64  `json:"last_updated_timestamp,omitzero" doc:"When the secret was last written, in epoch milliseconds."`

	Extra map[string]json.RawMessage `json:"-"`
}

// PutAclRequest grants a principal a level of access to a scope, replacing
// the level it had.
type PutAclRequest struct {
	Scope      string        `json:"scope" doc:"Scope to grant access to (from secrets_list_scopes). Needs MANAGE on the scope."`
	Principal  string        `json:"principal" doc:"Existing user (user name) or group (group name) to grant access to."`
	Permission AclPermission `json:"permission" doc:"READ (read secrets and list their names), WRITE (also write them) or MANAGE (also change ACLs). A principal holding several grants gets the strongest."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DeleteAclRequest removes a principal's access to a scope.
type DeleteAclRequest struct {
	Scope     string `json:"scope" doc:"Scope to remove access from. Needs MANAGE on the scope."`
	Principal string `json:"principal" doc:"User or group whose ACL to remove (from secrets_list_acls)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GetAclRequest names the ACL to describe.
type GetAclRequest struct {
	Scope     string `json:"scope" doc:"Scope the ACL is on. Needs MANAGE on the scope."`
	Principal string `json:"principal" doc:"User or group whose access to describe."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListAclsRequest names the scope whose ACLs to list.
type ListAclsRequest struct {
	Scope string `json:"scope" doc:"Scope whose ACLs to list. Needs MANAGE on the scope."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListAclsResponse lists who may use a scope. (Some Databricks examples
// show the list under "acls"; the API sends "items", and any other member
// is kept in Extra.)
type ListAclsResponse struct {
	Items []AclItem `json:"items,omitzero" doc:"The principals with access to the scope and their levels."`

	Extra map[string]json.RawMessage `json:"-"`
}

// AclItem is one principal's access to a secret scope.
type AclItem struct {
	Principal  *string        `json:"principal,omitzero" doc:"User or group the access is granted to."`
	Permission *AclPermission `json:"permission,omitzero" doc:"READ, WRITE or MANAGE."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Secrets endpoints. Every write here reaches the same end state however
// often it is repeated (put_secret and put_acl overwrite, deletes and
// create_scope at worst report that there is nothing to do), so all are
// Idempotent. secrets/get is left out on purpose: it returns secret values.
var (
	SecretsCreateScope = client.Declare(&client.Endpoint[CreateScopeRequest, client.Empty]{
		Service: "secrets", Name: "create_scope", Method: "POST", Path: "/api/2.0/secrets/scopes/create",
		Access: client.Write, Idempotent: true,
		Title: "Create secret scope",
		Doc: "Create a secret scope, a named container of secrets with its own access control. The " +
			"creator gets MANAGE; initial_manage_principal \"users\" gives MANAGE to everyone instead. A scope " +
			"can be backed by Azure Key Vault (scope_backend_type AZURE_KEYVAULT with backend_azure_keyvault). " +
			"Creating a scope that exists fails with RESOURCE_ALREADY_EXISTS and changes nothing.",
	})
	SecretsDeleteScope = client.Declare(&client.Endpoint[DeleteScopeRequest, client.Empty]{
		Service: "secrets", Name: "delete_scope", Method: "POST", Path: "/api/2.0/secrets/scopes/delete",
		Access: client.Destructive, Idempotent: true,
		Title: "Delete secret scope",
		Doc:   "Delete a secret scope with all its secrets and ACLs. Jobs and notebooks reading them will fail. This cannot be undone.",
	})
	SecretsListScopes = client.Declare(&client.Endpoint[ListScopesRequest, ListScopesResponse]{
		Service: "secrets", Name: "list_scopes", Method: "GET", Path: "/api/2.0/secrets/scopes/list",
		Access: client.Read, Default: true,
		Title: "List secret scopes",
		Doc:   "List every secret scope in the workspace with its backend type.",
	})
	SecretsPutSecret = client.Declare(&client.Endpoint[PutSecretRequest, client.Empty]{
		Service: "secrets", Name: "put_secret", Method: "POST", Path: "/api/2.0/secrets/put",
		Access: client.Destructive, Idempotent: true,
		Title: "Put secret",
		Doc: "Store a secret in a scope, replacing any value under the same key (the old value is lost). Give " +
			"the value as string_value (text) or bytes_value (base64), not both; at most 128 KB. Values can be " +
			"read back only by code running in the workspace, never by this server.",
	})
	SecretsDeleteSecret = client.Declare(&client.Endpoint[DeleteSecretRequest, client.Empty]{
		Service: "secrets", Name: "delete_secret", Method: "POST", Path: "/api/2.0/secrets/delete",
		Access: client.Destructive, Idempotent: true,
		Title: "Delete secret",
		Doc:   "Delete one secret from a scope. Anything reading it will fail. This cannot be undone.",
	})
	SecretsListSecrets = client.Declare(&client.Endpoint[ListSecretsRequest, ListSecretsResponse]{
		Service: "secrets", Name: "list_secrets", Method: "GET", Path: "/api/2.0/secrets/list",
		Access: client.Read, Default: true,
		Title: "List secrets",
		Doc:   "List the secret keys in a scope with their last update time. Values are never returned.",
	})
	SecretsPutAcl = client.Declare(&client.Endpoint[PutAclRequest, client.Empty]{
		Service: "secrets", Name: "put_acl", Method: "POST", Path: "/api/2.0/secrets/acls/put",
		Access: client.Write, Idempotent: true,
		Title: "Set secret scope permission",
		Doc:   "Give a user, group or service principal READ, WRITE or MANAGE permission on a secret scope, replacing the permission it had.",
	})
	SecretsDeleteAcl = client.Declare(&client.Endpoint[DeleteAclRequest, client.Empty]{
		Service: "secrets", Name: "delete_acl", Method: "POST", Path: "/api/2.0/secrets/acls/delete",
		Access: client.Destructive, Idempotent: true,
		Title: "Remove secret scope permission",
		Doc:   "Remove a principal's permission on a secret scope.",
	})
	SecretsGetAcl = client.Declare(&client.Endpoint[GetAclRequest, AclItem]{
		Service: "secrets", Name: "get_acl", Method: "GET", Path: "/api/2.0/secrets/acls/get",
		Access: client.Read,
		Title:  "Get secret scope permission",
		Doc:    "Get the permission one principal has on a secret scope.",
	})
	SecretsListAcls = client.Declare(&client.Endpoint[ListAclsRequest, ListAclsResponse]{
		Service: "secrets", Name: "list_acls", Method: "GET", Path: "/api/2.0/secrets/acls/list",
		Access: client.Read,
		Title:  "List secret scope permissions",
		Doc:    "List who has which permission (READ, WRITE, MANAGE) on a secret scope.",
	})
)
