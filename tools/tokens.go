package tools

import "github.com/dbx-mcp/dbx-mcp/client"

func tokensTools() []Spec {
	return []Spec{
		{
			Op:    client.TokensCreate,
			Title: "Create personal access token",
			Description: "Create a personal access token for the calling user. The secret value is in token_value " +
				"and is returned only by this call, so hand it to the user right away. Use lifetime_seconds to " +
				"limit how long it works.",
			Hints: create,
		},
		{
			Op:          client.TokensDelete,
			Title:       "Revoke personal access token",
			Description: "Revoke one of the calling user's personal access tokens by token_id (from tokens_list). Anything using the token stops working at once.",
			Hints:       destroy,
		},
		{
			Op:          client.TokensList,
			Title:       "List personal access tokens",
			Description: "List the calling user's personal access tokens: id, comment, creation and expiry times. Token values are never shown.",
			Hints:       read,
		},
	}
}
