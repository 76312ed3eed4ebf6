package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dbx-mcp/dbx-mcp/client/sql"
	"github.com/dbx-mcp/dbx-mcp/emulator"
	"github.com/dbx-mcp/dbx-mcp/internal/fixtures"
)

const stmtBase = "/api/2.0/sql/statements"

// stmtAnswer is a statement response as a test reads it.
type stmtAnswer struct {
	StatementID string `json:"statement_id"`
	Status      struct {
		State string `json:"state"`
		Error *struct {
			ErrorCode string `json:"error_code"`
			Message   string `json:"message"`
		} `json:"error"`
		SQLState string `json:"sql_state"`
	} `json:"status"`
	Manifest *struct {
		Format string `json:"format"`
		Schema struct {
			ColumnCount int `json:"column_count"`
			Columns     []struct {
				Name     string `json:"name"`
				TypeName string `json:"type_name"`
				TypeText string `json:"type_text"`
				Position int    `json:"position"`
			} `json:"columns"`
		} `json:"schema"`
		TotalChunkCount int `json:"total_chunk_count"`
		Chunks          []struct {
			ChunkIndex int `json:"chunk_index"`
			RowOffset  int `json:"row_offset"`
			RowCount   int `json:"row_count"`
		} `json:"chunks"`
		TotalRowCount int  `json:"total_row_count"`
		Truncated     bool `json:"truncated"`
	} `json:"manifest"`
	Result *stmtChunk `json:"result"`
}

type stmtChunk struct {
	ChunkIndex     int         `json:"chunk_index"`
	RowOffset      int         `json:"row_offset"`
	RowCount       int         `json:"row_count"`
	DataArray      [][]*string `json:"data_array"`
	NextChunkIndex *int        `json:"next_chunk_index"`
	NextChunkLink  string      `json:"next_chunk_internal_link"`
}

func decodeStmt[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.raw)
	}
	if err := json.Unmarshal(r.raw, &v); err != nil {
		t.Fatalf("decode %s: %v", r.raw, err)
	}
	return v
}

// runningWarehouse creates a warehouse and lets it start.
func runningWarehouse(t *testing.T, h *harness) string {
	t.Helper()
	id := h.ok(h.post("/api/2.0/sql/warehouses", map[string]any{"name": "wh", "cluster_size": "2X-Small"})).str("id")
	h.clock.Advance(emulator.DefaultClusterStartDelay)
	return id
}

func execSQL(t *testing.T, h *harness, wh, sql string, extra map[string]any) stmtAnswer {
	t.Helper()
	body := map[string]any{"statement": sql, "warehouse_id": wh}
	for k, v := range extra {
		body[k] = v
	}
	a := decodeStmt[stmtAnswer](t, h.post(stmtBase, body))
	if _, ok := extra["wait_timeout"]; !ok && a.Status.State == "RUNNING" {
		// The default wait ran out on a slow machine (the race detector):
		// the statement goes on, as on Databricks.
		return waitDone(t, h, a.StatementID)
	}
	return a
}

// waitDone gets a statement until it has left PENDING and RUNNING (the
// engine runs it in real time), with a deadline generous for slow machines.
func waitDone(t *testing.T, h *harness, id string) stmtAnswer {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		g := decodeStmt[stmtAnswer](t, h.get(stmtBase+"/"+id, nil))
		if g.Status.State != "PENDING" && g.Status.State != "RUNNING" {
			return g
		}
		if time.Now().After(deadline) {
			t.Fatalf("statement %s still %s after a minute", id, g.Status.State)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func rowsText(rows [][]*string) string {
	var b strings.Builder
	for _, r := range rows {
		for i, v := range r {
			if i > 0 {
				b.WriteByte('|')
			}
			if v == nil {
				b.WriteString("<null>")
			} else {
				b.WriteString(*v)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// The evaluator's forms: literals with their Databricks types, tables of
// Unity Catalog (the seeded sample has rows), range(), SHOW, and errors.
func TestStatementEvaluator(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	wh := runningWarehouse(t, h)
	type col struct{ name, typeName, typeText string }
	for _, c := range []struct {
		sql  string
		cols []col
		rows string
	}{
		{"SELECT 1", []col{{"1", "INT", "int"}}, "1\n"},
		{"select 1 AS n, 'it''s é' s, true, NULL, 2.50 AS d, 3000000000, -7, 1e3;",
			[]col{{"n", "INT", "int"}, {"s", "STRING", "string"}, {"true", "BOOLEAN", "boolean"}, {"NULL", "NULL", "void"},
				{"d", "DECIMAL", "decimal(3,2)"}, {"3000000000", "LONG", "bigint"}, {"-7", "INT", "int"}, {"1e3", "DOUBLE", "double"}},
			"1|it's é|true|<null>|2.50|3000000000|-7|1000.0\n"},
		{"SELECT * FROM samples.nyctaxi.trips LIMIT 2",
			[]col{{"tpep_pickup_datetime", "TIMESTAMP", "timestamp"}, {"tpep_dropoff_datetime", "TIMESTAMP", "timestamp"},
				{"trip_distance", "DOUBLE", "double"}, {"fare_amount", "DOUBLE", "double"}, {"pickup_zip", "INT", "int"}, {"dropoff_zip", "INT", "int"}},
			"2016-02-13T21:47:53.000Z|2016-02-13T21:57:15.000Z|1.4|8.0|10103|10110\n2016-02-13T18:29:09.000Z|2016-02-13T18:37:23.000Z|1.31|7.5|10023|10023\n"},
		{"SELECT fare_amount AS fare, `pickup_zip` FROM `samples`.`nyctaxi`.`trips` t LIMIT 1",
			[]col{{"fare", "DOUBLE", "double"}, {"pickup_zip", "INT", "int"}}, "8.0|10103\n"},
		{"SELECT id FROM range(3)", []col{{"id", "LONG", "bigint"}}, "0\n1\n2\n"},
		{"/* a comment */ SELECT id -- another\n FROM range(5, 7) AS r;", []col{{"id", "LONG", "bigint"}}, "5\n6\n"},
		{"SELECT * FROM main.default.nothing_here_yet", nil, ""},
		{"SHOW CATALOGS", []col{{"catalog", "STRING", "string"}}, "main\nsamples\n"},
		{"SHOW SCHEMAS IN samples", []col{{"databaseName", "STRING", "string"}}, "information_schema\nnyctaxi\ntpch\n"},
		{"SHOW TABLES IN samples.nyctaxi", []col{{"database", "STRING", "string"}, {"tableName", "STRING", "string"}, {"isTemporary", "BOOLEAN", "boolean"}},
			"nyctaxi|trips|false\n"},
	} {
		t.Run(c.sql, func(t *testing.T) {
			a := execSQL(t, h, wh, c.sql, nil)
			if c.cols == nil {
				if a.Status.State != "FAILED" || a.Status.Error == nil || !strings.Contains(a.Status.Error.Message, "TABLE_OR_VIEW_NOT_FOUND") || a.Status.SQLState != "42P01" {
					t.Fatalf("want TABLE_OR_VIEW_NOT_FOUND, got %+v", a.Status)
				}
				return
			}
			if a.Status.State != "SUCCEEDED" || a.Manifest == nil || a.Result == nil {
				t.Fatalf("not SUCCEEDED with a result: %+v", a)
			}
			var got []col
			for i, c := range a.Manifest.Schema.Columns {
				if c.Position != i {
					t.Errorf("column %d has position %d", i, c.Position)
				}
				got = append(got, col{c.Name, c.TypeName, c.TypeText})
			}
			if !reflect.DeepEqual(got, c.cols) || a.Manifest.Schema.ColumnCount != len(c.cols) {
				t.Errorf("columns %v (count %d), want %v", got, a.Manifest.Schema.ColumnCount, c.cols)
			}
			if s := rowsText(a.Result.DataArray); s != c.rows {
				t.Errorf("rows\n%s want\n%s", s, c.rows)
			}
			if a.Manifest.Format != "JSON_ARRAY" || a.Manifest.TotalRowCount != strings.Count(c.rows, "\n") || a.Manifest.Truncated {
				t.Errorf("manifest %+v", a.Manifest)
			}
		})
	}
}

// What the evaluator does not know, and bad requests, fail as Databricks
// fails them: SQL errors as FAILED statements, request errors as 4xx.
func TestStatementErrors(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	wh := runningWarehouse(t, h)
	for sql, want := range map[string][2]string{
		"DROP TABLE main.default.x":                                 {"TABLE_OR_VIEW_NOT_FOUND", "42P01"},
		"SELECT * FROM nowhere":                                     {"TABLE_OR_VIEW_NOT_FOUND", "42P01"},
		"SELECT 1; DROP TABLE x":                                    {"PARSE_SYNTAX_ERROR", "42601"},
		"SELEC 1":                                                   {"PARSE_SYNTAX_ERROR", "42601"},
		"SELECT 1 +":                                                {"PARSE_SYNTAX_ERROR", "42601"},
		"SELECT 'unterminated":                                      {"PARSE_SYNTAX_ERROR", "42601"},
		"SELECT nope FROM samples.nyctaxi.trips":                    {"UNRESOLVED_COLUMN.WITH_SUGGESTION", "42703"},
		"SHOW SCHEMAS IN nowhere":                                   {"NO_SUCH_CATALOG_EXCEPTION", "42704"},
		"SHOW TABLES IN main.nowhere":                               {"SCHEMA_NOT_FOUND", "42704"},
		"SELECT no_such_function(1)":                                {"UNRESOLVED_ROUTINE", "42883"},
		"MERGE INTO t USING s ON t.a = s.a":                         {"UNSUPPORTED_FEATURE", "0A000"},
		"SELECT :missing":                                           {"UNBOUND_SQL_PARAMETER", "42P02"},
		"CREATE TABLE nowhere.t (a INT)":                            {"SCHEMA_NOT_FOUND", "42704"},
		"CREATE TABLE main.default.x AS SELECT 1 AS a; SELECT 1":    {"PARSE_SYNTAX_ERROR", "42601"},
		"INSERT INTO samples.nyctaxi.trips (pickup_zip) VALUES (1)": {"UNSUPPORTED_FEATURE", "0A000"},
		"DELETE FROM samples.tpch.nation":                           {"UNSUPPORTED_FEATURE", "0A000"},
		"SELECT ? AS p":                                             {"PARSE_SYNTAX_ERROR", "42601"},
		"SELECT typeof(1)":                                          {"UNSUPPORTED_FEATURE", "0A000"},
		"SELECT 'x' ILIKE 'X'":                                      {"UNSUPPORTED_FEATURE", "0A000"},
		"SELECT CAST('nope' AS DATE)":                               {"CAST_INVALID_INPUT", "22018"},
	} {
		a := execSQL(t, h, wh, sql, nil)
		if a.Status.State != "FAILED" || a.Status.Error == nil || a.Status.Error.ErrorCode != "BAD_REQUEST" ||
			!strings.HasPrefix(a.Status.Error.Message, "["+want[0]+"]") || !strings.HasSuffix(a.Status.Error.Message, " SQLSTATE: "+want[1]) ||
			a.Status.SQLState != want[1] || a.Manifest != nil {
			t.Errorf("%s: %+v %v", sql, a.Status, a.Status.Error)
		}
	}
	if a := execSQL(t, h, wh, "SELECT nope FROM samples.nyctaxi.trips", nil); !strings.Contains(a.Status.Error.Message, "`trips`.`fare_amount`") {
		t.Errorf("the message does not suggest the table's columns: %s", a.Status.Error.Message)
	}
	wantError(t, h.post(stmtBase, map[string]any{"statement": "SELECT 1", "warehouse_id": "0123456789abcdef"}),
		http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "Warehouse 0123456789abcdef does not exist.")
	for _, body := range []map[string]any{
		{"statement": "SELECT 1", "warehouse_id": wh, "wait_timeout": "3s"},
		{"statement": "SELECT 1", "warehouse_id": wh, "wait_timeout": "51s"},
		{"statement": "SELECT 1", "warehouse_id": wh, "format": "CSV"},
		{"statement": "SELECT 1", "warehouse_id": wh, "on_wait_timeout": "LATER"},
		{"statement": "SELECT 1", "warehouse_id": wh, "row_limit": 0},
		{"statement": "SELECT 1"},
	} {
		if r := h.post(stmtBase, body); r.status != http.StatusBadRequest || r.str("error_code") != "INVALID_PARAMETER_VALUE" {
			t.Errorf("%v: %d %s", body, r.status, r.raw)
		}
	}
	wantError(t, h.get(stmtBase+"/nope", nil), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "Statement nope does not exist.")
}

// Parameters bind named markers, typed as asked.
func TestStatementParameters(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	wh := runningWarehouse(t, h)
	a := execSQL(t, h, wh, "SELECT :n AS n, :s, :z", map[string]any{"parameters": []any{
		map[string]any{"name": "n", "value": "42", "type": "INT"}, map[string]any{"name": "s", "value": "x"}, map[string]any{"name": "z"},
	}})
	if a.Status.State != "SUCCEEDED" || rowsText(a.Result.DataArray) != "42|x|<null>\n" || a.Manifest.Schema.Columns[0].TypeName != "INT" {
		t.Fatalf("%+v %q", a.Status, rowsText(a.Result.DataArray))
	}
}

// row_limit and byte_limit truncate; a large result comes in chunks that
// page to the end with nothing missing or repeated.
func TestStatementChunksAndLimits(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	wh := runningWarehouse(t, h)
	a := execSQL(t, h, wh, "SELECT * FROM range(10)", map[string]any{"row_limit": 4})
	if !a.Manifest.Truncated || a.Manifest.TotalRowCount != 4 || rowsText(a.Result.DataArray) != "0\n1\n2\n3\n" {
		t.Errorf("row_limit 4: %+v %q", a.Manifest, rowsText(a.Result.DataArray))
	}
	a = execSQL(t, h, wh, "SELECT * FROM range(10)", map[string]any{"byte_limit": 20})
	if !a.Manifest.Truncated || a.Manifest.TotalRowCount != 4 { // ["0"] is 5 bytes
		t.Errorf("byte_limit 20: %+v", a.Manifest)
	}
	if a = execSQL(t, h, wh, "SELECT * FROM range(10)", map[string]any{"row_limit": 10}); a.Manifest.Truncated {
		t.Errorf("a row_limit the result fits in truncates: %+v", a.Manifest)
	}

	const n = 300000 // about 3 MB of rows: several chunks
	a = execSQL(t, h, wh, fmt.Sprintf("SELECT id FROM range(%d)", n), nil)
	m := a.Manifest
	if m.TotalRowCount != n || m.TotalChunkCount < 2 || len(m.Chunks) != m.TotalChunkCount || m.Truncated {
		t.Fatalf("manifest: rows %d, chunks %d/%d", m.TotalRowCount, m.TotalChunkCount, len(m.Chunks))
	}
	next, seen := 0, 0
	chunk := *a.Result
	for {
		info := m.Chunks[chunk.ChunkIndex]
		if chunk.ChunkIndex != next || chunk.RowOffset != seen || chunk.RowCount != len(chunk.DataArray) ||
			info.RowOffset != chunk.RowOffset || info.RowCount != chunk.RowCount {
			t.Fatalf("chunk %d: offset %d count %d (%d rows), manifest %+v; want index %d offset %d",
				chunk.ChunkIndex, chunk.RowOffset, chunk.RowCount, len(chunk.DataArray), info, next, seen)
		}
		for i, r := range chunk.DataArray {
			if *r[0] != fmt.Sprint(seen+i) {
				t.Fatalf("row %d is %s", seen+i, *r[0])
			}
		}
		seen += chunk.RowCount
		if chunk.NextChunkIndex == nil {
			break
		}
		next = *chunk.NextChunkIndex
		if want := fmt.Sprintf("%s/%s/result/chunks/%d", stmtBase, a.StatementID, next); chunk.NextChunkLink != want {
			t.Errorf("next_chunk_internal_link %q, want %q", chunk.NextChunkLink, want)
		}
		chunk = decodeStmt[stmtChunk](t, h.get(fmt.Sprintf("%s/%s/result/chunks/%d", stmtBase, a.StatementID, next), nil))
	}
	if seen != n || next != m.TotalChunkCount-1 {
		t.Errorf("paged %d rows in %d chunks, want %d in %d", seen, next+1, n, m.TotalChunkCount)
	}
	if r := h.get(fmt.Sprintf("%s/%s/result/chunks/%d", stmtBase, a.StatementID, m.TotalChunkCount), nil); r.status != http.StatusBadRequest {
		t.Errorf("chunk past the end: %d %s", r.status, r.raw)
	}
}

// A stopped warehouse starts for a statement, which is PENDING until the
// warehouse runs; wait_timeout decides whether the answer waits for it,
// on_wait_timeout whether a statement left waiting is cancelled; get and
// cancel follow the statement, and the query history records it.
func TestStatementOnStoppedWarehouse(t *testing.T) {
	h := newHarness(t, emulator.Options{ClusterStartDelay: 20 * time.Second})
	wh := h.ok(h.post("/api/2.0/sql/warehouses", map[string]any{"name": "wh", "cluster_size": "2X-Small"})).str("id")
	h.clock.Advance(20 * time.Second)
	h.ok(h.post("/api/2.0/sql/warehouses/"+wh+"/stop", nil))
	h.clock.Advance(emulator.DefaultClusterStopDelay)

	if a := execSQL(t, h, wh, "SELECT 1", map[string]any{"wait_timeout": "30s"}); a.Status.State != "SUCCEEDED" || a.Result == nil {
		t.Errorf("a 30s wait on a 20s start: %+v", a.Status)
	}
	if s := h.get("/api/2.0/sql/warehouses/"+wh, nil).str("state"); s != "STARTING" {
		t.Errorf("the statement did not start the warehouse: %s", s)
	}

	h.ok(h.post("/api/2.0/sql/warehouses/"+wh+"/stop", nil))
	h.clock.Advance(emulator.DefaultClusterStopDelay)
	a := execSQL(t, h, wh, "SELECT 2", map[string]any{"wait_timeout": "0s"})
	if a.Status.State != "PENDING" || a.Manifest != nil || a.StatementID == "" {
		t.Fatalf("0s wait: %+v", a)
	}
	get := func(id string) stmtAnswer { return decodeStmt[stmtAnswer](t, h.get(stmtBase+"/"+id, nil)) }
	h.clock.Advance(10 * time.Second)
	if g := get(a.StatementID); g.Status.State != "PENDING" {
		t.Errorf("after 10s: %s", g.Status.State)
	}
	h.clock.Advance(10 * time.Second)
	if g := waitDone(t, h, a.StatementID); g.Status.State != "SUCCEEDED" || rowsText(g.Result.DataArray) != "2\n" {
		t.Errorf("after 20s: %+v", g.Status)
	}

	h.ok(h.post("/api/2.0/sql/warehouses/"+wh+"/stop", nil))
	h.clock.Advance(emulator.DefaultClusterStopDelay)
	c := execSQL(t, h, wh, "SELECT 3", map[string]any{"wait_timeout": "5s", "on_wait_timeout": "CANCEL"})
	if c.Status.State != "CANCELED" {
		t.Errorf("CANCEL after 5s: %s", c.Status.State)
	}
	p := execSQL(t, h, wh, "SELECT 4", map[string]any{"wait_timeout": "5s"})
	if p.Status.State != "PENDING" {
		t.Errorf("CONTINUE after 5s: %s", p.Status.State)
	}
	h.ok(h.post(stmtBase+"/"+p.StatementID+"/cancel", nil))
	h.ok(h.post(stmtBase+"/"+p.StatementID+"/cancel", nil))
	h.clock.Advance(time.Minute)
	if g := get(p.StatementID); g.Status.State != "CANCELED" {
		t.Errorf("after cancel: %s", g.Status.State)
	}
	if r := h.get(stmtBase+"/"+p.StatementID+"/result/chunks/0", nil); r.status != http.StatusBadRequest {
		t.Errorf("chunk of a cancelled statement: %d", r.status)
	}

	hist := h.ok(h.get("/api/2.0/sql/history/queries", url.Values{"filter_by.statement_ids": {a.StatementID, p.StatementID}}))
	got := map[string]string{}
	for _, q := range arr(t, hist.body["res"], "res") {
		m := obj(t, q, "query")
		got[m["query_text"].(string)] = m["status"].(string)
		if m["warehouse_id"] != wh {
			t.Errorf("history: %v", m)
		}
	}
	if want := map[string]string{"SELECT 2": "FINISHED", "SELECT 4": "CANCELED"}; !reflect.DeepEqual(got, want) {
		t.Errorf("history %v, want %v", got, want)
	}
}

// TestStatementFixtures sends the recorded execute requests (on an emulated
// warehouse): both are accepted; their statements name a table the
// emulator lacks and a placeholder, so they fail as SQL. The answers hold
// nothing the typed client does not know.
func TestStatementFixtures(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	wh := runningWarehouse(t, h)
	seen := 0
	for _, fx := range fixtures.Load(t, "sql-statements") {
		if fx.Kind != "request" {
			continue
		}
		seen++
		var body map[string]any
		if err := json.Unmarshal(fx.Body, &body); err != nil {
			t.Fatal(err)
		}
		body["warehouse_id"] = wh
		r := h.post(stmtBase, body)
		a := decodeStmt[stmtAnswer](t, r)
		if a.Status.State != "FAILED" {
			t.Errorf("%s: %s", fx.File, r.raw)
		}
		var resp sql.StatementResponse
		if err := json.Unmarshal(r.raw, &resp); err != nil {
			t.Fatal(err)
		}
		if len(resp.Extra) != 0 || len(resp.Status.Extra) != 0 || len(resp.Status.Error.Extra) != 0 {
			t.Errorf("%s: members the client does not know: %s", fx.File, r.raw)
		}
	}
	a := execSQL(t, h, wh, "SELECT * FROM samples.nyctaxi.trips", nil)
	var resp sql.StatementResponse
	if err := json.Unmarshal(h.get(stmtBase+"/"+a.StatementID, nil).raw, &resp); err != nil {
		t.Fatal(err)
	}
	if len(resp.Extra)+len(resp.Manifest.Extra)+len(resp.Manifest.Schema.Extra)+len(resp.Manifest.Schema.Columns[0].Extra)+
		len(resp.Manifest.Chunks[0].Extra)+len(resp.Result.Extra) != 0 {
		t.Errorf("get answers members the client does not know: %+v", resp)
	}
	if seen != 2 {
		t.Errorf("%d request fixtures, want 2", seen)
	}
}

// A result is kept an hour: then the statement is CLOSED and its chunks
// cannot be fetched.
func TestStatementClosed(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	wh := runningWarehouse(t, h)
	a := execSQL(t, h, wh, "SELECT 1", nil)
	h.clock.Advance(59 * time.Minute)
	if g := decodeStmt[stmtAnswer](t, h.get(stmtBase+"/"+a.StatementID, nil)); g.Status.State != "SUCCEEDED" {
		t.Fatalf("after 59 minutes: %s", g.Status.State)
	}
	h.clock.Advance(time.Minute)
	if g := decodeStmt[stmtAnswer](t, h.get(stmtBase+"/"+a.StatementID, nil)); g.Status.State != "CLOSED" || g.Result != nil {
		t.Errorf("after an hour: %+v", g)
	}
	if r := h.get(stmtBase+"/"+a.StatementID+"/result/chunks/0", nil); r.status != http.StatusBadRequest {
		t.Errorf("chunk of a closed statement: %d %s", r.status, r.raw)
	}
}
