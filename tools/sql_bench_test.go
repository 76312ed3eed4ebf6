package tools

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// sqlBenchStatement is a 1 000-row query with the column types of a
// typical fact table: an integer key, a text label, a decimal amount, a
// date, a timestamp and a flag.
const sqlBenchStatement = "SELECT id, concat('customer-', id) AS name, CAST(id * 2.5 AS DECIMAL(10,2)) AS amount, " +
	"DATE'2024-01-01' AS day, TIMESTAMP'2024-01-01 12:30:00' AS seen, id % 2 = 0 AS even FROM range(1000)"

// BenchmarkSQLResultBytes measures what a model pays for one result: the
// bytes of the whole tools/call result (text content and structuredContent,
// as mcp-go marshals it onto the wire) per row, for sql_query and for
// statement_execution_execute_statement, the same 1 000-row query
// (sqlBenchStatement) on the emulator. sql_query is given budgets that
// hold all 1 000 rows, so both answers carry the same data. The target is
// sql_query at most half of execute_statement (ratio ≤ 0.5). Run it with:
//
//	go test -run x -bench SQLResultBytes ./tools/
//
// The byte figures do not depend on the machine; ns/op is one call of each
// tool in turn, for context only.
func BenchmarkSQLResultBytes(b *testing.B) {
	old := client.PollIntervals
	client.PollIntervals = []time.Duration{20 * time.Millisecond}
	b.Cleanup(func() { client.PollIntervals = old })
	mc := emulatedSession(b, 10*time.Millisecond)
	call := func(name, args string) (*mcp.CallToolResult, int) {
		b.Helper()
		req := mcp.CallToolRequest{}
		req.Params.Name = name
		req.Params.Arguments = json.RawMessage(args)
		res, err := mc.CallTool(context.Background(), req)
		if err != nil {
			b.Fatal(err)
		}
		if res.IsError {
			b.Fatalf("%s: %v", name, res.Content)
		}
		wire, err := json.Marshal(res)
		if err != nil {
			b.Fatal(err)
		}
		return res, len(wire)
	}
	res, _ := call("warehouses_create", `{"name":"bench","cluster_size":"2X-Small","wait_seconds":60}`)
	wh := stringMember(res.RawStructuredContent, "id")
	stmt, _ := json.Marshal(sqlBenchStatement)
	queryArgs := `{"statement":` + string(stmt) + `,"warehouse_id":"` + wh + `","max_rows":10000,"max_bytes":4194304}`
	execArgs := `{"statement":` + string(stmt) + `,"warehouse_id":"` + wh + `","wait_timeout":"30s"}`

	res, query := call("sql_query", queryArgs)
	var ans struct {
		RowCount int `json:"row_count"`
	}
	if err := json.Unmarshal(res.RawStructuredContent, &ans); err != nil || ans.RowCount != 1000 {
		b.Fatalf("sql_query returned %d rows (%v)", ans.RowCount, err)
	}
	res, exec := call("statement_execution_execute_statement", execArgs)
	var full struct {
		Result struct {
			DataArray [][]*string `json:"data_array"`
		} `json:"result"`
	}
	if err := json.Unmarshal(res.RawStructuredContent, &full); err != nil || len(full.Result.DataArray) != 1000 {
		b.Fatalf("execute_statement returned %d rows (%v)", len(full.Result.DataArray), err)
	}
	b.ResetTimer()
	for b.Loop() {
		call("sql_query", queryArgs)
		call("statement_execution_execute_statement", execArgs)
	}
	b.ReportMetric(float64(query)/1000, "query-B/row")
	b.ReportMetric(float64(exec)/1000, "execute-B/row")
	b.ReportMetric(float64(query)/float64(exec), "ratio")
}
