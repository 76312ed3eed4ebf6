package tools

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"sync"
)

// catalog.json records every tool's definition as the registry derives it
// (`go test ./tools -run Catalog -update` rewrites it; a test fails when it
// is stale). It is both the reviewable snapshot of every schema and the
// source of the schemas at start-up: reflecting over the Go types takes
// tens of milliseconds, reading this file well under one.
//
//go:embed catalog.json
var catalogJSON []byte

type catalogSchemas struct {
	input, output json.RawMessage
}

// loadCatalog returns the recorded schemas by tool name.
var loadCatalog = sync.OnceValue(func() map[string]catalogSchemas {
	var defs []struct {
		Name         string          `json:"name"`
		InputSchema  json.RawMessage `json:"inputSchema"`
		OutputSchema json.RawMessage `json:"outputSchema"`
	}
	if err := json.Unmarshal(catalogJSON, &defs); err != nil {
		return nil // derive everything instead; the catalog test reports it
	}
	out := make(map[string]catalogSchemas, len(defs))
	for _, d := range defs {
		out[d.Name] = catalogSchemas{input: compact(d.InputSchema), output: compact(d.OutputSchema)}
	}
	return out
})

func compact(raw json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return nil
	}
	return b.Bytes()
}
