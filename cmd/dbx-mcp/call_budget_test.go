package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCallHasNoOutputBudgetUnlessAsked: a script gets the whole payload of
// a result larger than serve's default 64 KB budget; --max-result-bytes
// still cuts it, with the marker.
func TestCallHasNoOutputBudgetUnlessAsked(t *testing.T) {
	args := `{"statement":"SELECT id, concat('row-', id) AS name FROM range(5000)","max_rows":5000,"max_bytes":4194304,"format":"json"}`
	code, out, errText := runBinary(t, cleanEnv(t), "", "call", "--emulator", "--quiet", "sql_query", args)
	var ans struct {
		RowCount int `json:"row_count"`
	}
	if code != exitOK || len(out) < 64<<10 || json.Unmarshal([]byte(out), &ans) != nil || ans.RowCount != 5000 {
		t.Fatalf("exit %d, %d bytes, rows %d: %.300s %s", code, len(out), ans.RowCount, out, errText)
	}
	code, out, _ = runBinary(t, cleanEnv(t), "", "call", "--emulator", "--quiet", "--text", "--max-result-bytes", "16384", "sql_query", args)
	if code != exitOK || len(out) > 20<<10 || !strings.Contains(out, "dbx-mcp: this result was cut") {
		t.Errorf("with --max-result-bytes: exit %d, %d bytes: %.300s", code, len(out), out)
	}
}
