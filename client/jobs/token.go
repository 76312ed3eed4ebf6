package jobs

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
)

// addIdempotencyToken gives a run request an idempotency_token when the
// caller gave none (or an empty one), so that the shared client may repeat
// the request after a failure without starting a second run: Databricks
// answers a repeated token with the run the first request started.
func addIdempotencyToken(args json.RawMessage) (json.RawMessage, error) {
	m := map[string]json.RawMessage{}
	if len(args) > 0 && string(args) != "null" {
		if err := json.Unmarshal(args, &m); err != nil {
			return nil, fmt.Errorf("arguments must be a JSON object: %w", err)
		}
	}
	var tok string
	if raw, ok := m["idempotency_token"]; ok && json.Unmarshal(raw, &tok) == nil && tok != "" {
		return args, nil
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	b[6] = b[6]&0x0f | 0x40 // a version 4 UUID
	b[8] = b[8]&0x3f | 0x80
	tok = fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
	m["idempotency_token"], _ = json.Marshal(tok)
	return json.Marshal(m)
}
