package client

import (
	"context"
	"net/http"
)

// Credentials authorizes outgoing requests for one auth method. An
// implementation caches whatever tokens it obtains and is safe for
// concurrent use.
type Credentials interface {
	// AuthType is the method's name as DATABRICKS_AUTH_TYPE spells it,
	// such as "pat"; it also appears in the User-Agent.
	AuthType() string
	// Authorize sets the request's authorization headers, fetching or
	// refreshing a token first when needed.
	Authorize(ctx context.Context, req *http.Request) error
}
