package tools

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// A wait that runs out says so over MCP: in words, in a second text block,
// and in the result's _meta for programs; the structured content stays
// the API's object. An in-process observer learns the cluster's id first.
func TestWaitTimeoutIsUnmistakable(t *testing.T) {
	old := client.PollIntervals
	client.PollIntervals = []time.Duration{50 * time.Millisecond}
	t.Cleanup(func() { client.PollIntervals = old })
	mc := emulatedSession(t, time.Hour)

	var mu sync.Mutex
	var seen []WaitMeta
	ctx := WithWaitObserver(context.Background(), func(m WaitMeta) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, m)
	})
	req := mcp.CallToolRequest{}
	req.Params.Name = "clusters_create"
	req.Params.Arguments = json.RawMessage(`{"cluster_name":"w","spark_version":"15.4.x-scala2.12","node_type_id":"Standard_DS3_v2","num_workers":1,"wait_seconds":1}`)
	res, err := mc.CallTool(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	id := stringMember(res.RawStructuredContent, "cluster_id")
	if res.IsError || id == "" || stringMember(res.RawStructuredContent, "state") != "PENDING" {
		t.Fatalf("want the pending cluster's details, got isError %v %s", res.IsError, res.RawStructuredContent)
	}
	if strings.Contains(string(res.RawStructuredContent), "timed_out") {
		t.Errorf("the API object was changed: %s", res.RawStructuredContent)
	}
	if len(res.Content) != 2 {
		t.Fatalf("%d content blocks, want the object and the words", len(res.Content))
	}
	words := res.Content[1].(mcp.TextContent).Text
	for _, want := range []string{"Waited 1 s", "cluster " + id + " is still PENDING", "wanted RUNNING", "clusters_get"} {
		if !strings.Contains(words, want) {
			t.Errorf("the words lack %q: %s", want, words)
		}
	}
	if res.Meta == nil {
		t.Fatal("no _meta on a timed-out result")
	}
	raw, err := json.Marshal(res.Meta.AdditionalFields[WaitMetaKey])
	if err != nil {
		t.Fatal(err)
	}
	var meta WaitMeta
	if err := json.Unmarshal(raw, &meta); err != nil {
		t.Fatalf("_meta %s: %v", raw, err)
	}
	if !meta.TimedOut || meta.State != "PENDING" || meta.WaitedSeconds != 1 || stringMember(meta.IDs, "cluster_id") != id || meta.Get != "clusters_get" {
		t.Errorf("_meta %s", raw)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) == 0 || seen[0].State != "" || stringMember(seen[0].IDs, "cluster_id") != id || seen[0].Get != "clusters_get" {
		t.Fatalf("the observer was not told the id before polling: %+v", seen)
	}
	if len(seen) < 2 || seen[1].State != "PENDING" {
		t.Errorf("the observer was not told the states: %+v", seen)
	}
}

// A wait that reached its state carries no timeout signal.
func TestWaitReachedHasNoTimeoutSignal(t *testing.T) {
	old := client.PollIntervals
	client.PollIntervals = []time.Duration{50 * time.Millisecond}
	t.Cleanup(func() { client.PollIntervals = old })
	mc := emulatedSession(t, 100*time.Millisecond)
	req := mcp.CallToolRequest{}
	req.Params.Name = "clusters_create"
	req.Params.Arguments = json.RawMessage(`{"cluster_name":"w","spark_version":"15.4.x-scala2.12","node_type_id":"Standard_DS3_v2","num_workers":1,"wait_seconds":60}`)
	res, err := mc.CallTool(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.IsError || stringMember(res.RawStructuredContent, "state") != "RUNNING" {
		t.Fatalf("isError %v %s", res.IsError, res.RawStructuredContent)
	}
	if res.Meta != nil && res.Meta.AdditionalFields[WaitMetaKey] != nil || len(res.Content) != 1 {
		t.Errorf("a reached wait looks timed out: meta %v, %d blocks", res.Meta, len(res.Content))
	}
}
