package settings

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// Tokens API: personal access tokens of the calling user.

// CreateTokenRequest asks for a new personal access token.
type CreateTokenRequest struct {
	Comment          *string  `json:"comment,omitzero" doc:"Free-text note stored with the token, shown when tokens are listed."`
	LifetimeSeconds  *int64   `json:"lifetime_seconds,omitzero" doc:"How long the token stays valid, in seconds. Omitted, the token is valid for 2 years (or the workspace's maximum lifetime, if lower)."`
	Scopes           []string `json:"scopes,omitzero" doc:"API scopes to restrict the token to. Omit for an unrestricted token."`
	AutoscopeEnabled *bool    `json:"autoscope_enabled,omitzero" doc:"When true, the token records the API paths it is used for so it can later be narrowed to them."`

	Extra map[string]json.RawMessage `json:"-"`
}

// CreateTokenResponse carries the new token. TokenValue is returned this
// once and never again.
type CreateTokenResponse struct {
	TokenInfo  *TokenInfo `json:"token_info,omitzero" doc:"Metadata of the new token."`
	TokenValue *string    `json:"token_value,omitzero" doc:"The secret token value. Shown only in this response; store it now."`

	Extra map[string]json.RawMessage `json:"-"`
}

// TokenInfo describes a token without its secret value.
type TokenInfo struct {
	TokenID        *string         `json:"token_id,omitzero" doc:"Identifier of the token, used to revoke it."`
	Comment        *string         `json:"comment,omitzero" doc:"Note given when the token was created."`
	CreationTime   *int64          `json:"creation_time,omitzero" doc:"When the token was created, in epoch milliseconds."`
	ExpiryTime     *int64          `json:"expiry_time,omitzero" doc:"When the token expires, in epoch milliseconds; -1 when it never does."`
	Scopes         []string        `json:"scopes,omitzero" doc:"Scopes the token was created with."`
	AutoscopeState *AutoscopeState `json:"autoscope_state,omitzero" doc:"Output only: state of scope collection for the token."`
	BackfillScopes []string        `json:"backfill_scopes,omitzero" doc:"Output only: scopes inferred by offline processing."`
	InferredScopes []string        `json:"inferred_scopes,omitzero" doc:"Output only: API path scopes collected while autoscope is on."`

	Extra map[string]json.RawMessage `json:"-"`
}

// AutoscopeState is how far a token's automatic scope collection has got.
type AutoscopeState string

// EnumValues lists the values the API defines for AutoscopeState.
func (AutoscopeState) EnumValues() []string {
	return []string{
		"AUTOSCOPE_STATE_API_NOT_COVERED", "AUTOSCOPE_STATE_BACKFILLED", "AUTOSCOPE_STATE_COMPLETED",
		"AUTOSCOPE_STATE_DISABLED", "AUTOSCOPE_STATE_RUNNING", "AUTOSCOPE_STATE_USER_SELECTED",
	}
}

// RevokeTokenRequest names the token to revoke.
type RevokeTokenRequest struct {
	TokenID string `json:"token_id" doc:"Identifier of the token to revoke (token_id from tokens_list)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListTokensRequest takes no arguments.
type ListTokensRequest struct {
	Extra map[string]json.RawMessage `json:"-"`
}

// ListTokensResponse lists the caller's tokens.
type ListTokensResponse struct {
	TokenInfos []TokenInfo `json:"token_infos,omitzero" doc:"The caller's tokens, without their values."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Tokens endpoints.
var (
	TokensCreate = client.Declare(&client.Endpoint[CreateTokenRequest, CreateTokenResponse]{
		Service: "tokens", Name: "create", Method: "POST", Path: "/api/2.0/token/create",
		Access: client.Write,
		Title:  "Create personal access token",
		Doc: "Create a personal access token for the calling user. The secret value is in token_value " +
			"and is returned only by this call, so hand it to the user right away. Use lifetime_seconds to " +
			"limit how long it works. Each call creates another token.",
	})
	TokensDelete = client.Declare(&client.Endpoint[RevokeTokenRequest, client.Empty]{
		Service: "tokens", Name: "delete", Method: "POST", Path: "/api/2.0/token/delete",
		Access: client.Destructive, Idempotent: true,
		Title: "Revoke personal access token",
		Doc:   "Revoke one of the calling user's personal access tokens by token_id (from tokens_list). Anything using the token stops working at once.",
	})
	TokensList = client.Declare(&client.Endpoint[ListTokensRequest, ListTokensResponse]{
		Service: "tokens", Name: "list", Method: "GET", Path: "/api/2.0/token/list",
		Access: client.Read,
		Title:  "List personal access tokens",
		Doc:    "List the calling user's personal access tokens: id, comment, creation and expiry times. Token values are never shown.",
	})
)
