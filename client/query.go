package client

import (
	"encoding/json"
	"net/url"
)

// AddQuery adds one JSON argument to a query string the way Endpoint does:
// scalars as written, arrays as repeated keys, objects as dotted keys, null
// left out. It is for callers that build a Request by hand.
func AddQuery(q url.Values, key string, raw json.RawMessage) error { return addQuery(q, key, raw) }
