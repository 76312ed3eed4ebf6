package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
)

// TestSQLEndToEnd is an agent's SQL session with a real MCP client over
// stdio and over streamable HTTP, each against its own `serve --emulator`:
// a table is created and filled through sql_query, read back value by
// value, described and listed in agreement with the data; a 10 000-row
// result is paged to its end through next_page; a slow statement reports
// its id in progress and is cancelled on the warehouse by cancelling the
// MCP request. A read-only server refuses writes and multi-statement
// tricks before anything is sent.
func TestSQLEndToEnd(t *testing.T) {
	args := []string{"--emulator", "--emulator-delay", "300ms", "--toolsets", "all"}
	t.Run("stdio", func(t *testing.T) {
		t.Parallel()
		c, err := mcpclient.NewStdioMCPClient(binPath, cleanEnv(t), append([]string{"serve"}, args...)...)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if st, ok := c.GetTransport().(*transport.Stdio); ok {
			go drain(st)
		}
		if err := c.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		sqlScenario(t, c)
	})
	t.Run("http", func(t *testing.T) {
		t.Parallel()
		url := startHTTPServer(t, cleanEnv(t), args...)
		c, err := mcpclient.NewStreamableHttpClient(url, transport.WithHTTPTimeout(60*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		sqlScenario(t, c)
	})
	t.Run("read-only", func(t *testing.T) {
		t.Parallel()
		c, err := mcpclient.NewStdioMCPClient(binPath, cleanEnv(t), "serve", "--emulator", "--read-only")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if st, ok := c.GetTransport().(*transport.Stdio); ok {
			go drain(st)
		}
		if err := c.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		readOnlySQL(t, newSession(t, c))
	})
}

func drain(st *transport.Stdio) {
	var buf [4096]byte
	for {
		if _, err := st.Stderr().Read(buf[:]); err != nil {
			return
		}
	}
}

// sqlAnswer is sql_query's structured result, as a client reads it.
type sqlAnswer struct {
	StatementID string `json:"statement_id"`
	State       string `json:"state"`
	Columns     []struct {
		Name, Type string
	} `json:"columns"`
	Rows      [][]any `json:"rows"`
	RowOffset int     `json:"row_offset"`
	Total     int     `json:"total_row_count"`
	Truncated bool    `json:"truncated"`
	NextPage  string  `json:"next_page"`
}

// query runs sql_query and decodes its answer; the result must validate
// against the output schema and its text must be the table, not JSON.
func (s *toolSession) query(args string) sqlAnswer {
	s.t.Helper()
	raw, res := s.callMeta("sql_query", args, nil)
	if res.IsError {
		s.t.Fatalf("sql_query %s: %s", args, resultText(res))
	}
	text := resultText(res)
	if asJSON := strings.Contains(args, `"format":"json"`); asJSON != json.Valid([]byte(text)) {
		s.t.Errorf("sql_query's text (format json: %v) is not what the format asks for: %.200s", asJSON, text)
	}
	var a sqlAnswer
	if err := json.Unmarshal(raw, &a); err != nil {
		s.t.Fatal(err)
	}
	return a
}

func sqlScenario(t *testing.T, c *mcpclient.Client) {
	s := newSession(t, c)
	if _, ok := s.tools["sql_query"]; !ok {
		t.Fatal("sql_query is not offered")
	}
	// A warehouse to run on: the first RUNNING one is the default.
	wh := str(t, s.mustCall("warehouses_create", `{"name":"e2e","cluster_size":"2X-Small","wait_seconds":60}`), "id")

	for _, stmt := range []string{
		"CREATE SCHEMA IF NOT EXISTS main.e2e",
		"CREATE TABLE main.e2e.people (id INT NOT NULL COMMENT 'key', name STRING, city STRING, born DATE, balance DECIMAL(10,2), seen TIMESTAMP, active BOOLEAN) COMMENT 'who is who' PARTITIONED BY (city)",
		`INSERT INTO main.e2e.people VALUES
		  (1, 'O''Brien, "Bob"', 'Zürich', DATE'1990-02-28', 1234.50, TIMESTAMP'2024-01-02 03:04:05', true),
		  (2, '東京の花子 🌸', '東京', DATE'2000-12-31', -0.07, TIMESTAMP'2023-06-30 23:59:59', false),
		  (3, NULL, NULL, NULL, NULL, NULL, NULL),
		  (4, '', 'x,y', DATE'1970-01-01', 0.00, TIMESTAMP'1970-01-01 00:00:00', true)`,
	} {
		a := s.query(fmt.Sprintf(`{"statement":%q,"warehouse_id":%q}`, stmt, wh))
		if a.State != "SUCCEEDED" {
			t.Fatalf("%s: %+v", stmt, a)
		}
	}
	a := s.query(`{"statement":"SELECT * FROM people ORDER BY id","catalog":"main","schema":"e2e","format":"json"}`)
	wantRows := [][]any{
		{1.0, `O'Brien, "Bob"`, "Zürich", "1990-02-28", 1234.5, "2024-01-02T03:04:05.000Z", true},
		{2.0, "東京の花子 🌸", "東京", "2000-12-31", -0.07, "2023-06-30T23:59:59.000Z", false},
		{3.0, nil, nil, nil, nil, nil, nil},
		{4.0, "", "x,y", "1970-01-01", 0.0, "1970-01-01T00:00:00.000Z", true},
	}
	if fmt.Sprint(a.Rows) != fmt.Sprint(wantRows) || a.Total != 4 || a.Truncated || a.NextPage != "" {
		t.Errorf("rows:\n got %v\nwant %v\n(total %d, truncated %v, next %q)", a.Rows, wantRows, a.Total, a.Truncated, a.NextPage)
	}
	// The same rows as the default CSV table.
	_, res := s.callMeta("sql_query", `{"statement":"SELECT * FROM main.e2e.people ORDER BY id"}`, nil)
	wantCSV := "id:int,name:string,city:string,born:date,\"balance:decimal(10,2)\",seen:timestamp,active:boolean\n" +
		"1,\"O'Brien, \"\"Bob\"\"\",Zürich,1990-02-28,1234.50,2024-01-02T03:04:05.000Z,true\n" +
		"2,東京の花子 🌸,東京,2000-12-31,-0.07,2023-06-30T23:59:59.000Z,false\n" +
		"3,NULL,NULL,NULL,NULL,NULL,NULL\n" +
		"4,\"\",\"x,y\",1970-01-01,0.00,1970-01-01T00:00:00.000Z,true\n"
	if _, table, _ := strings.Cut(resultText(res), "\n"); res.IsError || table != wantCSV {
		t.Errorf("csv table:\n%s\nwant:\n%s", table, wantCSV)
	}
	var types []string
	for _, col := range a.Columns {
		types = append(types, col.Name+" "+col.Type)
	}
	wantTypes := []string{"id int", "name string", "city string", "born date", "balance decimal(10,2)", "seen timestamp", "active boolean"}
	if !slices.Equal(types, wantTypes) {
		t.Errorf("columns: %q, want %q", types, wantTypes)
	}

	// The catalog agrees with the engine.
	list := s.mustCall("tables_list", `{"catalog_name":"main","schema_name":"e2e"}`)
	if !strings.Contains(string(list), `"full_name":"main.e2e.people"`) {
		t.Errorf("tables_list does not show the table: %.500s", list)
	}
	raw, res := s.callMeta("tables_describe", `{"full_name":"main.e2e.people","sample_rows":2}`, nil)
	if res.IsError {
		t.Fatalf("tables_describe: %s", resultText(res))
	}
	var d struct {
		Comment       string   `json:"comment"`
		PartitionedBy []string `json:"partitioned_by"`
		Columns       []struct {
			Name, Type, Comment string
			Nullable            *bool
		} `json:"columns"`
		Sample struct {
			Rows [][]any `json:"rows"`
		} `json:"sample"`
		Note string `json:"note"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	var dtypes []string
	for _, col := range d.Columns {
		dtypes = append(dtypes, col.Name+" "+col.Type)
	}
	if !slices.Equal(dtypes, wantTypes) || d.Comment != "who is who" || !slices.Equal(d.PartitionedBy, []string{"city"}) ||
		d.Columns[0].Comment != "key" || d.Columns[0].Nullable == nil || *d.Columns[0].Nullable || len(d.Sample.Rows) != 2 {
		t.Errorf("tables_describe: %s", raw)
	}
	if !strings.Contains(resultText(res), "id int NOT NULL -- key") {
		t.Errorf("tables_describe text: %s", resultText(res))
	}

	// 10 000 rows, paged to the end: every id once, in order.
	var ids []int
	args := `{"statement":"SELECT id FROM range(10000) ORDER BY id","max_rows":3000,"max_bytes":4194304,"format":"json"}`
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		p := s.query(args)
		if p.Total != 10000 || p.RowOffset != len(ids) {
			t.Fatalf("page %d: total %d, offset %d after %d rows", pages, p.Total, p.RowOffset, len(ids))
		}
		for _, r := range p.Rows {
			ids = append(ids, int(r[0].(float64)))
		}
		if p.NextPage == "" {
			break
		}
		args = fmt.Sprintf(`{"page":%q,"max_rows":3000,"max_bytes":4194304,"format":"json"}`, p.NextPage)
	}
	if len(ids) != 10000 {
		t.Fatalf("%d rows of 10000", len(ids))
	}
	for i, v := range ids {
		if v != i {
			t.Fatalf("row %d is %d: missing or repeated rows", i, v)
		}
	}

	// A slow statement: its id is in the first progress message; cancelling
	// the request cancels it on the warehouse.
	plog := &progressLog{messages: map[string][]string{}}
	c.OnNotification(plog.handle)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		req := mcp.CallToolRequest{}
		req.Params.Name = "sql_query"
		req.Params.Arguments = json.RawMessage(`{"statement":"SELECT count(*) FROM range(100000000000)"}`)
		req.Params.Meta = &mcp.Meta{ProgressToken: "slow"}
		_, err := c.CallTool(ctx, req)
		done <- err
	}()
	var id string
	poll(t, 20*time.Second, "a progress message naming the statement", func() (bool, string) {
		msgs := plog.of("slow")
		for _, m := range msgs {
			if f := strings.Fields(m); len(f) > 2 && f[0] == "statement" {
				id = f[1]
				return true, ""
			}
		}
		return false, fmt.Sprint(msgs)
	})
	cancel()
	if err := <-done; err == nil {
		t.Error("the cancelled call returned a result")
	}
	poll(t, 20*time.Second, "the statement CANCELED on the warehouse", func() (bool, string) {
		st := s.mustCall("statement_execution_get_statement", fmt.Sprintf(`{"statement_id":%q}`, id))
		state := str(t, st, "status", "state")
		return state == "CANCELED", state
	})

	// A SQL error is an error result with its SQLSTATE.
	s.mustFail("sql_query", `{"statement":"SELECT * FROM main.e2e.nope"}`, "SQLSTATE 42P01", "TABLE_OR_VIEW_NOT_FOUND")
}

// readOnlySQL: only statements that change nothing run; the rest, and the
// tricks that hide a second statement, are refused before anything is
// sent (so the query history stays empty of them).
func readOnlySQL(t *testing.T, s *toolSession) {
	if ann := s.tools["sql_query"].Annotations; ann.ReadOnlyHint == nil || !*ann.ReadOnlyHint {
		t.Error("sql_query is not annotated read-only on a read-only server")
	}
	for _, stmt := range []string{
		"DROP TABLE samples.nyctaxi.trips",
		"SELECT 1; DROP TABLE samples.nyctaxi.trips",
		"SELECT 1 -- harmless\n; DELETE FROM samples.nyctaxi.trips",
		"/* just a comment */ DELETE FROM samples.nyctaxi.trips",
		"WITH x AS (SELECT 1) INSERT INTO samples.nyctaxi.trips SELECT * FROM x",
		"CREATE TABLE main.default.t AS SELECT 1",
	} {
		s.mustFail("sql_query", fmt.Sprintf(`{"statement":%q,"warehouse_id":"none"}`, stmt), "read-only", "nothing was sent")
	}
	// What changes nothing runs, on the starter warehouse `serve --emulator`
	// comes with.
	if a := s.query(`{"statement":"SELECT n_name FROM samples.tpch.nation WHERE n_nationkey = 7","format":"json"}`); fmt.Sprint(a.Rows) != "[[GERMANY]]" {
		t.Errorf("SELECT in read-only mode: %v", a.Rows)
	}
	if a := s.query(`{"statement":"SHOW TABLES IN samples.tpch"}`); a.State != "SUCCEEDED" {
		t.Errorf("SHOW TABLES in read-only mode: %+v", a)
	}
	if _, ok := s.tools["warehouses_create"]; ok {
		t.Error("warehouses_create is offered on a read-only server")
	}
}
