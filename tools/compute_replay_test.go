package tools

import (
	"bytes"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/internal/fixtures"
)

// TestReplayComputeDirs replays the payload directories whose names differ
// from their tool service (cluster-policies for cluster_policies,
// instance-pools for instance_pools), which payloadsOf does not find:
// responses must reach structuredContent byte for byte, requests the wire
// unchanged.
func TestReplayComputeDirs(t *testing.T) {
	reg, rec := newReplay(t)
	payloads := fixtures.Load(t, "cluster-policies", "instance-pools")
	if len(payloads) < 9 {
		t.Fatalf("only %d payloads", len(payloads))
	}
	for _, fx := range payloads {
		tool, _, ok := toolFor(reg, fx.Operation)
		if !ok {
			t.Errorf("%s: no tool for %s", fx.File, fx.Operation)
			continue
		}
		if fx.Kind == "response" {
			rec.mu.Lock()
			rec.body = fx.Body
			rec.mu.Unlock()
			res := callTool(t, tool, minimalArgs(t, tool.Definition.RawInputSchema))
			if res.IsError {
				t.Errorf("%s via %s: %s", fx.File, tool.Name(), firstText(res))
			} else if !bytes.Equal(res.RawStructuredContent, compact(fx.Body)) {
				t.Errorf("%s via %s: structuredContent is not the API's bytes\n got %s\nwant %s", fx.File, tool.Name(), res.RawStructuredContent, compact(fx.Body))
			}
			continue
		}
		res := callTool(t, tool, fx.Body)
		if res.IsError {
			t.Errorf("%s: a real request is refused by %s: %s", fx.File, tool.Name(), firstText(res))
			continue
		}
		rec.mu.Lock()
		method, path, got := rec.method, rec.path, rec.got
		rec.mu.Unlock()
		if method != tool.Method || path != tool.Path || !sameJSON(got, fx.Body) {
			t.Errorf("%s: stub got %s %s %s, want %s %s %s", fx.File, method, path, got, tool.Method, tool.Path, fx.Body)
		}
	}
}
