package client

import (
	"context"
	"net/http"
)

// patAuth is a personal access token sent as a bearer token.
var patAuth = &authMethod{
	name:     "pat",
	required: []string{"token"},
	build: func(cfg *Config, _ *http.Client) (Credentials, error) {
		return patCredentials{token: cfg.Token}, nil
	},
}

type patCredentials struct{ token string }

func (patCredentials) AuthType() string { return "pat" }

func (p patCredentials) Authorize(_ context.Context, req *http.Request) error {
	req.Header.Set("Authorization", "Bearer "+p.token)
	return nil
}
