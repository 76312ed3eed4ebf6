package client

import (
	"context"
	"fmt"
	"net/http"
)

// newCredentials picks the auth method the configuration describes.
// (Placeholder: the full resolution across every method lives here.)
func newCredentials(cfg *Config, hc *http.Client) (Credentials, error) {
	if cfg.Token != "" {
		return patCredentials{token: cfg.Token}, nil
	}
	return nil, fmt.Errorf("no auth method is configured")
}

type patCredentials struct{ token string }

func (patCredentials) AuthType() string { return "pat" }

func (p patCredentials) Authorize(_ context.Context, req *http.Request) error {
	req.Header.Set("Authorization", "Bearer "+p.token)
	return nil
}
