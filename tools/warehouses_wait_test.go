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

// TestWarehouseWaits drives a warehouse through the waiting tools against
// the emulator: warehouses_create waits for RUNNING with progress naming
// STARTING, warehouses_stop for STOPPED, warehouses_start for RUNNING again;
// each result is the warehouse as warehouses_get shows it.
func TestWarehouseWaits(t *testing.T) {
	old := client.PollIntervals
	client.PollIntervals = []time.Duration{50 * time.Millisecond}
	t.Cleanup(func() { client.PollIntervals = old })
	mc := emulatedSession(t, 300*time.Millisecond)

	var mu sync.Mutex
	var messages []string
	mc.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method == string(mcp.MethodNotificationProgress) {
			mu.Lock()
			msg, _ := n.Params.AdditionalFields["message"].(string)
			messages = append(messages, msg)
			mu.Unlock()
		}
	})
	call := func(name, args string) *mcp.CallToolResult {
		t.Helper()
		req := mcp.CallToolRequest{}
		req.Params.Name = name
		req.Params.Arguments = json.RawMessage(args)
		req.Params.Meta = &mcp.Meta{ProgressToken: name}
		res, err := mc.CallTool(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if res.IsError {
			t.Fatalf("%s: error result: %v", name, res.Content)
		}
		return res
	}

	res := call("warehouses_create", `{"name":"bi","cluster_size":"2X-Small","wait_seconds":30}`)
	id := stringMember(res.RawStructuredContent, "id")
	if got := stringMember(res.RawStructuredContent, "state"); got != "RUNNING" || id == "" {
		t.Fatalf("after create and wait: state %q, id %q: %s", got, id, res.RawStructuredContent)
	}
	mu.Lock()
	if len(messages) == 0 || !strings.Contains(messages[0], "warehouse "+id+" is STARTING") {
		t.Errorf("progress while starting: %q", messages)
	}
	mu.Unlock()

	res = call("warehouses_stop", `{"id":"`+id+`","wait_seconds":30}`)
	if got := stringMember(res.RawStructuredContent, "state"); got != "STOPPED" {
		t.Errorf("after stop and wait: state %q: %s", got, res.RawStructuredContent)
	}
	res = call("warehouses_start", `{"id":"`+id+`","wait_seconds":30}`)
	if got := stringMember(res.RawStructuredContent, "state"); got != "RUNNING" {
		t.Errorf("after start and wait: state %q: %s", got, res.RawStructuredContent)
	}
}
