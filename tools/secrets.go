package tools

import "github.com/dbx-mcp/dbx-mcp/client"

func secretsTools() []Spec {
	return []Spec{
		{
			Op:    client.SecretsCreateScope,
			Title: "Create secret scope",
			Description: "Create a secret scope, a named container of secrets with its own access control. The " +
				"creator gets MANAGE; initial_manage_principal \"users\" gives MANAGE to everyone instead. A scope " +
				"can be backed by Azure Key Vault (scope_backend_type AZURE_KEYVAULT with backend_azure_keyvault).",
			Hints: create,
		},
		{
			Op:          client.SecretsDeleteScope,
			Title:       "Delete secret scope",
			Description: "Delete a secret scope with all its secrets and ACLs. Jobs and notebooks reading them will fail. This cannot be undone.",
			Hints:       destroy,
		},
		{
			Op:          client.SecretsListScopes,
			Title:       "List secret scopes",
			Description: "List every secret scope in the workspace with its backend type.",
			Hints:       read,
		},
		{
			Op:    client.SecretsPutSecret,
			Title: "Put secret",
			Description: "Store a secret in a scope, replacing any value under the same key. Give the value as " +
				"string_value (text) or bytes_value (base64), not both; at most 128 KB. Values can be read back " +
				"only by code running in the workspace, never by this server.",
			Hints: update,
		},
		{
			Op:          client.SecretsDeleteSecret,
			Title:       "Delete secret",
			Description: "Delete one secret from a scope. Anything reading it will fail. This cannot be undone.",
			Hints:       destroy,
		},
		{
			Op:          client.SecretsListSecrets,
			Title:       "List secrets",
			Description: "List the secret keys in a scope with their last update time. Values are never returned.",
			Hints:       read,
		},
		{
			Op:          client.SecretsPutAcl,
			Title:       "Set secret scope permission",
			Description: "Give a user, group or service principal READ, WRITE or MANAGE permission on a secret scope, replacing the permission it had.",
			Hints:       update,
		},
		{
			Op:          client.SecretsDeleteAcl,
			Title:       "Remove secret scope permission",
			Description: "Remove a principal's permission on a secret scope.",
			Hints:       destroy,
		},
		{
			Op:          client.SecretsGetAcl,
			Title:       "Get secret scope permission",
			Description: "Get the permission one principal has on a secret scope.",
			Hints:       read,
		},
		{
			Op:          client.SecretsListAcls,
			Title:       "List secret scope permissions",
			Description: "List who has which permission (READ, WRITE, MANAGE) on a secret scope.",
			Hints:       read,
		},
	}
}
