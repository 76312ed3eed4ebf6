package tools

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
)

type waitResultReq struct {
	RunID int64                      `json:"run_id"`
	Extra map[string]json.RawMessage `json:"-"`
}

// A run that finished FAILED is the end of the wait, but the tool's result
// must not look like success: it is an error naming the result state and
// the run's message, with the run's details.
func TestAwaitReportsAFailedResultAsError(t *testing.T) {
	var body atomic.Value
	body.Store(`{"run_id":7,"state":{"life_cycle_state":"TERMINATED","result_state":"FAILED","state_message":"Task t failed"}}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body.Load().(string))
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(&client.Config{Host: srv.URL, Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	get := &client.Endpoint[waitResultReq, client.Empty]{Service: "test", Name: "get_run", Method: "GET", Path: "/api/2.2/test/runs/get", Access: client.Read}
	w := &client.Wait{Get: get, IDFields: []string{"run_id"}, State: "state.life_cycle_state", Message: "state.state_message",
		Noun: "run", Until: []string{"TERMINATED"}, Result: "state.result_state", Failed: []string{"FAILED"}}
	res, err := await(t.Context(), c, w, mcp.CallToolRequest{}, json.RawMessage(`{"run_id":7}`), json.RawMessage(`{}`), 5)
	if err != nil {
		t.Fatal(err)
	}
	text := res.Content[0].(mcp.TextContent).Text
	if !res.IsError || !strings.Contains(text, "run 7 ended TERMINATED with result FAILED: Task t failed") || !strings.Contains(text, `"run_id":7`) {
		t.Errorf("isError %v, text %q", res.IsError, text)
	}
	if !strings.Contains(string(waitOption(w)), "A run that ends FAILED is reported as an error.") {
		t.Errorf("wait option does not say so: %s", waitOption(w))
	}

	body.Store(`{"run_id":7,"state":{"life_cycle_state":"TERMINATED","result_state":"SUCCESS"}}`)
	res, err = await(t.Context(), c, w, mcp.CallToolRequest{}, json.RawMessage(`{"run_id":7}`), json.RawMessage(`{}`), 5)
	if err != nil || res.IsError {
		t.Errorf("a successful run: %v %v", err, res)
	}
}
