package emulator_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dbx-mcp/dbx-mcp/emulator"
)

// engineHarness is a harness that also hands out its Emulator.
func engineHarness(t *testing.T) (*harness, *emulator.Emulator, string) {
	t.Helper()
	clock := newClock()
	emu := emulator.New(emulator.Options{Now: clock.Now})
	srv := httptest.NewServer(emu)
	t.Cleanup(func() {
		srv.Close()
		emu.Close()
	})
	h := &harness{t: t, srv: srv, clock: clock, token: "dapi-test-token"}
	return h, emu, runningWarehouse(t, h)
}

// colTypes is the manifest's columns as name:type_name:type_text, with
// precision and scale for decimals.
func colTypes(t *testing.T, h *harness, id string) string {
	t.Helper()
	r := h.ok(h.get(stmtBase+"/"+id, nil))
	var out []string
	for _, c := range arr(t, obj(t, obj(t, r.body["manifest"], "manifest")["schema"], "schema")["columns"], "columns") {
		m := obj(t, c, "column")
		s := fmt.Sprintf("%s:%s:%s", m["name"], m["type_name"], m["type_text"])
		if m["type_name"] == "DECIMAL" {
			s += fmt.Sprintf(":%v,%v", m["type_precision"], m["type_scale"])
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// mustSQL runs a statement that must succeed and returns its answer.
func mustSQL(t *testing.T, h *harness, wh, sql string, extra map[string]any) stmtAnswer {
	t.Helper()
	a := execSQL(t, h, wh, sql, extra)
	if a.Status.State != "SUCCEEDED" {
		msg := ""
		if a.Status.Error != nil {
			msg = a.Status.Error.Message
		}
		t.Fatalf("%s: %s %s", sql, a.Status.State, msg)
	}
	return a
}

// Every Databricks type a table column can have goes in and comes back
// value by value, with quotes, non-ASCII text and NULLs byte-exact.
func TestSQLTypesRoundTrip(t *testing.T) {
	h, _, wh := engineHarness(t)
	mustSQL(t, h, wh, "CREATE SCHEMA IF NOT EXISTS main.shop", nil)
	mustSQL(t, h, wh, `CREATE TABLE main.shop.items (
		s STRING COMMENT 'a string', i INT NOT NULL, b BIGINT, d DOUBLE, m DECIMAL(10,2), day DATE, ts TIMESTAMP, ok BOOLEAN
	) USING DELTA COMMENT 'everything' TBLPROPERTIES ('delta.appendOnly' = 'false')`, nil)
	ins := mustSQL(t, h, wh, `INSERT INTO main.shop.items VALUES
		('it''s', 1, 3000000000, 1.5, 12.5, '2024-02-29', '2016-02-13 21:47:53', true),
		("\"quoted\"", 2, -1, 0.1, 0.07, DATE'2001-01-01', '2016-02-13T21:47:53.120Z', false),
		('Zürich 東京 🎉', 3, NULL, NULL, NULL, NULL, NULL, NULL),
		('007', 4, 0, 1e10, -3, '1999-12-31', '1999-12-31T23:59:59Z', NULL)`, nil)
	if got := rowsText(ins.Result.DataArray); got != "4|4\n" {
		t.Errorf("insert answered %q", got)
	}
	a := mustSQL(t, h, wh, "SELECT * FROM main.shop.items ORDER BY i", nil)
	want := "it's|1|3000000000|1.5|12.50|2024-02-29|2016-02-13T21:47:53.000Z|true\n" +
		`"quoted"|2|-1|0.1|0.07|2001-01-01|2016-02-13T21:47:53.120Z|false` + "\n" +
		"Zürich 東京 🎉|3|<null>|<null>|<null>|<null>|<null>|<null>\n" +
		"007|4|0|1.0E10|-3.00|1999-12-31|1999-12-31T23:59:59.000Z|<null>\n"
	if got := rowsText(a.Result.DataArray); got != want {
		t.Errorf("rows\n%s want\n%s", got, want)
	}
	wantCols := "s:STRING:string i:INT:int b:LONG:bigint d:DOUBLE:double m:DECIMAL:decimal(10,2):10,2 day:DATE:date ts:TIMESTAMP:timestamp ok:BOOLEAN:boolean"
	if got := colTypes(t, h, a.StatementID); got != wantCols {
		t.Errorf("columns\n%s want\n%s", got, wantCols)
	}
	// Filters compare by the column's type: numbers as numbers, strings
	// as strings.
	for sql, want := range map[string]string{
		"SELECT i FROM main.shop.items WHERE m > 10":                         "1\n",
		"SELECT i FROM main.shop.items WHERE s = '007'":                      "4\n",
		"SELECT i FROM main.shop.items WHERE ok":                             "1\n",
		"SELECT i FROM main.shop.items WHERE day >= '2001-01-01' ORDER BY i": "1\n2\n",
		"SELECT count(*) AS n, sum(m) AS total FROM main.shop.items":         "4|9.57\n",
	} {
		if got := rowsText(mustSQL(t, h, wh, sql, nil).Result.DataArray); got != want {
			t.Errorf("%s: %q, want %q", sql, got, want)
		}
	}
	if a := execSQL(t, h, wh, "INSERT INTO main.shop.items (s) VALUES ('no i')", nil); a.Status.State != "FAILED" || a.Status.SQLState != "23502" {
		t.Errorf("a NULL into NOT NULL: %+v", a.Status)
	}
	if a := execSQL(t, h, wh, "INSERT INTO main.shop.items (i, day) VALUES (5, 'not a date')", nil); a.Status.State != "FAILED" || a.Status.SQLState != "22018" {
		t.Errorf("a bad date: %+v", a.Status)
	}
	// Dates and timestamps are kept in one form, so they compare as time.
	mustSQL(t, h, wh, "UPDATE main.shop.items SET ts = '2016-02-13 21:47:53.5' WHERE i = 2", nil)
	if got := rowsText(mustSQL(t, h, wh, "SELECT i, ts FROM main.shop.items WHERE ts >= '2016-02-13T21:47:53.000Z' AND ts < TIMESTAMP'2016-02-14' ORDER BY ts", nil).Result.DataArray); got != "1|2016-02-13T21:47:53.000Z\n2|2016-02-13T21:47:53.500Z\n" {
		t.Errorf("timestamps compared: %q", got)
	}
}

// What SQL creates, Unity Catalog lists, and what the REST API deletes, the
// engine forgets.
func TestSQLMetadataAgrees(t *testing.T) {
	h, _, wh := engineHarness(t)
	const uc = "/api/2.1/unity-catalog"
	mustSQL(t, h, wh, "CREATE DATABASE Sales", nil)
	mustSQL(t, h, wh, "CREATE TABLE sales.Orders (id BIGINT NOT NULL, region STRING COMMENT 'where', amount DECIMAL(8,2)) PARTITIONED BY (region) COMMENT 'orders'", nil)
	tbl := h.ok(h.get(uc+"/tables/main.sales.orders", nil))
	if tbl.str("table_type") != "MANAGED" || tbl.str("data_source_format") != "DELTA" || tbl.str("comment") != "orders" ||
		!strings.HasPrefix(tbl.str("storage_location"), "abfss://") {
		t.Errorf("tables_get: %s", tbl.raw)
	}
	var cols []string
	for _, c := range arr(t, tbl.body["columns"], "columns") {
		m := obj(t, c, "column")
		s := fmt.Sprintf("%s %s %s %v %v", m["name"], m["type_name"], m["type_text"], m["position"], m["nullable"])
		if p, ok := m["partition_index"]; ok {
			s += fmt.Sprintf(" p%v", p)
		}
		if m["type_json"] == nil {
			s += " no type_json"
		}
		cols = append(cols, s)
	}
	if want := []string{"id LONG bigint 0 false", "region STRING string 1 true p0", "amount DECIMAL decimal(8,2) 2 true"}; !reflect.DeepEqual(cols, want) {
		t.Errorf("columns %q, want %q", cols, want)
	}
	if got := rowsText(mustSQL(t, h, wh, "SHOW TABLES IN main.sales", nil).Result.DataArray); got != "sales|orders|false\n" {
		t.Errorf("SHOW TABLES: %q", got)
	}
	d := mustSQL(t, h, wh, "DESCRIBE TABLE main.sales.orders", nil)
	want := "id|bigint|<null>\nregion|string|where\namount|decimal(8,2)|<null>\n# Partition Information||\n# col_name|data_type|comment\nregion|string|where\n"
	if got := rowsText(d.Result.DataArray); got != want {
		t.Errorf("DESCRIBE\n%s want\n%s", got, want)
	}
	if got := rowsText(mustSQL(t, h, wh, "DESCRIBE EXTENDED sales.orders", nil).Result.DataArray); !strings.Contains(got, "# Detailed Table Information") || !strings.Contains(got, "Type|MANAGED|") {
		t.Errorf("DESCRIBE EXTENDED:\n%s", got)
	}

	mustSQL(t, h, wh, "INSERT INTO sales.orders VALUES (1, 'EU', 9.99)", nil)
	h.ok(h.call(http.MethodDelete, uc+"/tables/main.sales.orders", nil, nil))
	if a := execSQL(t, h, wh, "SELECT * FROM sales.orders", nil); a.Status.SQLState != "42P01" {
		t.Errorf("a table deleted over REST: %+v", a.Status)
	}
	mustSQL(t, h, wh, "CREATE TABLE sales.orders (id BIGINT)", nil)
	if got := rowsText(mustSQL(t, h, wh, "SELECT count(*) FROM sales.orders", nil).Result.DataArray); got != "0\n" {
		t.Errorf("a new table of an old name has rows: %q", got)
	}
	if a := execSQL(t, h, wh, "CREATE TABLE sales.orders (id BIGINT)", nil); a.Status.SQLState != "42P07" || !strings.Contains(a.Status.Error.Message, "TABLE_OR_VIEW_ALREADY_EXISTS") {
		t.Errorf("create over an existing table: %+v", a.Status)
	}
	mustSQL(t, h, wh, "CREATE TABLE IF NOT EXISTS sales.orders (other STRING)", nil)
	mustSQL(t, h, wh, "CREATE OR REPLACE TABLE sales.orders AS SELECT id, 'x' AS tag, 2.5 AS price FROM range(3)", nil)
	if got := colTypes(t, h, mustSQL(t, h, wh, "SELECT * FROM sales.orders", nil).StatementID); got != "id:LONG:bigint tag:STRING:string price:DECIMAL:decimal(2,1):2,1" {
		t.Errorf("CTAS columns: %s", got)
	}
	if a := execSQL(t, h, wh, "DROP SCHEMA sales", nil); a.Status.SQLState != "2BP01" {
		t.Errorf("dropping a schema with tables: %+v", a.Status)
	}
	mustSQL(t, h, wh, "DROP SCHEMA sales CASCADE", nil)
	if r := h.ok(h.get(uc+"/tables/main.sales.orders/exists", nil)); string(r.raw) != `{"table_exists":false}` {
		t.Errorf("after DROP SCHEMA CASCADE: %s", r.raw)
	}
	mustSQL(t, h, wh, "CREATE SCHEMA sales", nil)
	if a := execSQL(t, h, wh, "SELECT * FROM sales.orders", nil); a.Status.SQLState != "42P01" {
		t.Errorf("a table of a dropped schema: %+v", a.Status)
	}
	mustSQL(t, h, wh, "CREATE TABLE sales.t (a INT)", nil)
	mustSQL(t, h, wh, "DROP TABLE sales.t", nil)
	mustSQL(t, h, wh, "DROP TABLE IF EXISTS sales.t", nil)
	if r := h.ok(h.get(uc+"/tables/main.sales.t/exists", nil)); string(r.raw) != `{"table_exists":false}` {
		t.Errorf("after DROP TABLE: %s", r.raw)
	}
}

// Queries as users type them: names of every form, strings and comments
// left alone, joins, aggregates, CTEs, subqueries, set operations, DML.
func TestSQLQueries(t *testing.T) {
	h, _, wh := engineHarness(t)
	mustSQL(t, h, wh, "CREATE TABLE `my table` (`the id` INT, name STRING)", nil)
	mustSQL(t, h, wh, "INSERT INTO TABLE main.default.`MY TABLE` VALUES (1, 'from main.default.x -- not a comment'), (2, 'b'), (3, NULL)", nil)
	mustSQL(t, h, wh, "CREATE TABLE default.regions (n_regionkey BIGINT, r_name STRING)", nil)
	mustSQL(t, h, wh, "INSERT INTO regions SELECT id, concat('R', id) FROM range(5)", nil)
	for _, c := range []struct {
		sql, cols, rows string
		extra           map[string]any
	}{
		{sql: "SELECT `the id`, name FROM `my table` /* FROM nowhere */ WHERE `the id` = 1 -- FROM nowhere",
			cols: "the id:INT:int name:STRING:string", rows: "1|from main.default.x -- not a comment\n"},
		{sql: "SELECT t.`the id` AS id FROM main.default.`my table` t WHERE t.name IS NULL", cols: "id:INT:int", rows: "3\n"},
		{sql: "SELECT `my table`.name FROM `my table` WHERE `my table`.`the id` = 2", cols: "name:STRING:string", rows: "b\n"},
		{sql: "select N_NAME from SAMPLES.TPCH.NATION where n_nationkey = 6", cols: "N_NAME:STRING:string", rows: "FRANCE\n"},
		{sql: "SELECT n.n_name, r.r_name FROM samples.tpch.nation n JOIN regions r ON n.n_regionkey = r.n_regionkey WHERE n.n_nationkey < 3 ORDER BY 1",
			cols: "n_name:STRING:string r_name:STRING:string", rows: "ALGERIA|R0\nARGENTINA|R1\nBRAZIL|R1\n"},
		{sql: "SELECT n_regionkey, count(*) AS n FROM samples.tpch.nation GROUP BY n_regionkey HAVING count(*) > 4 ORDER BY n_regionkey LIMIT 2 OFFSET 1",
			cols: "n_regionkey:LONG:bigint n:LONG:bigint", rows: "1|5\n2|5\n"},
		{sql: "WITH big AS (SELECT * FROM samples.nyctaxi.trips WHERE fare_amount > 10) SELECT count(*) FROM big WHERE trip_distance > 0",
			cols: "count(1):LONG:bigint", rows: "" /* checked below */},
		{sql: "SELECT CASE WHEN n_nationkey > 23 THEN 'late' ELSE 'early' END AS c, Max(n_nationkey) FROM samples.tpch.nation GROUP BY 1 ORDER BY 1",
			cols: "c:STRING:string max(n_nationkey):LONG:bigint", rows: "early|23\nlate|24\n"},
		{sql: "SELECT name FROM `my table` WHERE `the id` IN (SELECT n_regionkey FROM regions WHERE n_regionkey > 1) ORDER BY 1",
			cols: "name:STRING:string", rows: "<null>\nb\n"},
		{sql: "SELECT 1 AS x UNION ALL SELECT 2 ORDER BY x DESC", cols: "x:INT:int", rows: "2\n1\n"},
		{sql: "VALUES (1, 'a'), (2, 'b')", cols: "col1:INT:int col2:STRING:string", rows: "1|a\n2|b\n"},
		{sql: "SELECT upper('é'), lower(\"ABC\"), coalesce(NULL, 'x'), cast('7' AS INT) + 1, cast(1 AS STRING), cast('2.5' AS DECIMAL(4,2))",
			cols: "upper('é'):STRING:string lower(\"ABC\"):STRING:string coalesce(NULL, 'x'):STRING:string cast('7' AS INT) + 1:INT:int cast(1 AS STRING):STRING:string cast('2.5' AS DECIMAL(4,2)):DECIMAL:decimal(4,2):4,2",
			rows: "É|abc|x|8|1|2.50\n"},
		{sql: "SELECT 1 = 1 AS t, 'a' || 'b' AS s, 10 / 4 AS q, 7 % 3 AS r, 2 * 3.5 AS d", cols: "t:BOOLEAN:boolean s:STRING:string q:DOUBLE:double r:INT:int d:DOUBLE:double", rows: "true|ab|2.5|1|7.0\n"},
		{sql: "SELECT :d AS d, :ts AS ts, :b AS b, :x AS x, :m AS m", extra: map[string]any{"parameters": []any{
			map[string]any{"name": "d", "value": "2024-01-02", "type": "DATE"},
			map[string]any{"name": "ts", "value": "2024-01-02 03:04:05", "type": "TIMESTAMP"},
			map[string]any{"name": "b", "value": "true", "type": "BOOLEAN"},
			map[string]any{"name": "x", "value": "0.5", "type": "DOUBLE"},
			map[string]any{"name": "m", "value": "1.50", "type": "DECIMAL(5,2)"},
		}}, cols: "d:DATE:date ts:TIMESTAMP:timestamp b:BOOLEAN:boolean x:DOUBLE:double m:DECIMAL:decimal(5,2):5,2",
			rows: "2024-01-02|2024-01-02T03:04:05.000Z|true|0.5|1.50\n"},
		{sql: "SELECT name FROM `my table` WHERE `the id` = :id", extra: map[string]any{"parameters": []any{map[string]any{"name": "ID", "value": "2", "type": "INT"}}},
			cols: "name:STRING:string", rows: "b\n"},
		{sql: "SELECT id FROM range(10, 0, -3)", cols: "id:LONG:bigint", rows: "10\n7\n4\n1\n"},
		{sql: "SELECT r.id * 2 AS twice FROM range(2) AS r", cols: "twice:LONG:bigint", rows: "0\n2\n"},
		{sql: "SELECT current_date() = current_date AS same, length(cast(now() AS STRING)) AS n", cols: "same:BOOLEAN:boolean n:INT:int", rows: "true|24\n"},
		{sql: "SELECT name FROM `my table` WHERE name LIKE 'B%' OR name LIKE 'from%'", cols: "name:STRING:string", rows: "from main.default.x -- not a comment\n"},
		{sql: "SELECT concat('a', NULL) AS n, concat('a', 1, 'b') AS s, concat_ws('-', 'a', NULL, 'b') AS w",
			cols: "n:STRING:string s:STRING:string w:STRING:string", rows: "<null>|a1b|a-b\n"},
		{sql: "SELECT cast('true' AS BOOLEAN) AS b, cast('2024-03-01 10:11:12' AS TIMESTAMP) AS ts, cast('2024-03-01T10:11:12Z' AS DATE) AS d, year(DATE'2024-03-01') AS y",
			cols: "b:BOOLEAN:boolean ts:TIMESTAMP:timestamp d:DATE:date y:INT:int", rows: "true|2024-03-01T10:11:12.000Z|2024-03-01|2024\n"},
		{sql: "TABLE regions", cols: "n_regionkey:LONG:bigint r_name:STRING:string", rows: "0|R0\n1|R1\n2|R2\n3|R3\n4|R4\n"},
		{sql: "UPDATE `my table` SET name = upper(name) WHERE `the id` = 2", cols: "num_affected_rows:LONG:bigint", rows: "1\n"},
		{sql: "DELETE FROM `my table` WHERE name IS NULL", cols: "num_affected_rows:LONG:bigint", rows: "1\n"},
		{sql: "SELECT name FROM `my table` ORDER BY `the id`", cols: "name:STRING:string", rows: "from main.default.x -- not a comment\nB\n"},
		{sql: "INSERT OVERWRITE regions VALUES (9, 'nine')", cols: "num_affected_rows:LONG:bigint num_inserted_rows:LONG:bigint", rows: "1|1\n"},
		{sql: "SELECT * FROM regions", cols: "n_regionkey:LONG:bigint r_name:STRING:string", rows: "9|nine\n"},
		{sql: "TRUNCATE TABLE regions", cols: "", rows: ""},
		{sql: "SELECT count(*) AS n FROM regions", cols: "n:LONG:bigint", rows: "0\n"},
	} {
		t.Run(c.sql, func(t *testing.T) {
			a := mustSQL(t, h, wh, c.sql, c.extra)
			if got := colTypes(t, h, a.StatementID); got != c.cols {
				t.Errorf("columns\n%s want\n%s", got, c.cols)
			}
			got := rowsText(a.Result.DataArray)
			if strings.HasPrefix(c.sql, "WITH big") {
				if got == "" || got == "0\n" {
					t.Errorf("the CTE counted %q", got)
				}
				return
			}
			if got != c.rows {
				t.Errorf("rows\n%s want\n%s", got, c.rows)
			}
		})
	}
	// The samples hold rows for a first SELECT.
	if a := mustSQL(t, h, wh, "SELECT count(*) FROM samples.nyctaxi.trips", nil); rowsText(a.Result.DataArray) != "50\n" {
		t.Errorf("trips: %q", rowsText(a.Result.DataArray))
	}
	if a := mustSQL(t, h, wh, "SELECT count(*) FROM samples.tpch.nation", nil); rowsText(a.Result.DataArray) != "25\n" {
		t.Errorf("nation: %q", rowsText(a.Result.DataArray))
	}
}

// A streamed range pages through small chunks with every id once, in order.
func TestSQLRangeInChunks(t *testing.T) {
	defer emulator.SetChunkBytes(4 << 10)()
	h, _, wh := engineHarness(t)
	a := mustSQL(t, h, wh, "SELECT id FROM range(10000)", nil)
	if a.Manifest.TotalChunkCount < 5 || a.Manifest.TotalRowCount != 10000 {
		t.Fatalf("manifest: %+v", a.Manifest)
	}
	next := 0
	chunk := *a.Result
	for {
		for _, r := range chunk.DataArray {
			if *r[0] != fmt.Sprint(next) {
				t.Fatalf("row %d is %s", next, *r[0])
			}
			next++
		}
		if chunk.NextChunkIndex == nil {
			break
		}
		chunk = decodeStmt[stmtChunk](t, h.get(fmt.Sprintf("%s/%s/result/chunks/%d", stmtBase, a.StatementID, *chunk.NextChunkIndex), nil))
	}
	if next != 10000 {
		t.Errorf("paged %d rows", next)
	}
}

// A result past the INLINE cap fails rather than filling the memory;
// row_limit and byte_limit keep a large result within it.
func TestSQLResultCap(t *testing.T) {
	defer emulator.SetMaxResultBytes(10000)()
	h, _, wh := engineHarness(t)
	a := execSQL(t, h, wh, "SELECT id FROM range(1000000000)", nil)
	if a.Status.State != "FAILED" || a.Status.Error == nil || !strings.HasPrefix(a.Status.Error.Message, "[INLINE_RESULT_TOO_LARGE]") {
		t.Errorf("a result past the cap: %+v", a.Status)
	}
	for _, limit := range []map[string]any{{"row_limit": 100}, {"byte_limit": 5000}} {
		a := mustSQL(t, h, wh, "SELECT id FROM range(1000000000)", limit)
		if !a.Manifest.Truncated || a.Manifest.TotalRowCount == 0 {
			t.Errorf("%v: %+v", limit, a.Manifest)
		}
	}
}

// waitState gets a statement until it is in state, with a generous deadline.
func waitState(t *testing.T, h *harness, id, state string) stmtAnswer {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		g := decodeStmt[stmtAnswer](t, h.get(stmtBase+"/"+id, nil))
		if g.Status.State == state {
			return g
		}
		if time.Now().After(deadline) {
			t.Fatalf("statement %s is %s after a minute, want %s", id, g.Status.State, state)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A slow statement runs while other requests are answered; cancel stops
// the engine's query, and its goroutine ends.
func TestSQLCancelRunning(t *testing.T) {
	h, emu, wh := engineHarness(t)
	a := execSQL(t, h, wh, "SELECT count(*) FROM range(5000000000)", map[string]any{"wait_timeout": "0s"})
	if a.Status.State != "RUNNING" || a.StatementID == "" {
		t.Fatalf("0s wait on a slow statement: %+v", a.Status)
	}
	if g := decodeStmt[stmtAnswer](t, h.get(stmtBase+"/"+a.StatementID, nil)); g.Status.State != "RUNNING" {
		t.Errorf("get meanwhile: %s", g.Status.State)
	}
	if q := mustSQL(t, h, wh, "SELECT 1", nil); rowsText(q.Result.DataArray) != "1\n" {
		t.Errorf("another statement meanwhile: %q", rowsText(q.Result.DataArray))
	}
	h.ok(h.post(stmtBase+"/"+a.StatementID+"/cancel", nil))
	if g := waitState(t, h, a.StatementID, "CANCELED"); g.Manifest != nil {
		t.Errorf("a cancelled statement has a manifest: %+v", g)
	}
	deadline := time.Now().Add(time.Minute)
	for emulator.RunningStatements(emu) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the cancelled statement's goroutine still runs after a minute")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// on_wait_timeout CANCEL cancels what the wait did not see finish.
	c := execSQL(t, h, wh, "SELECT count(*) FROM range(5000000000)", map[string]any{"wait_timeout": "5s", "on_wait_timeout": "CANCEL"})
	if c.Status.State != "CANCELED" {
		t.Errorf("CANCEL after 5s: %s", c.Status.State)
	}
}

// BenchmarkSelect1000 measures a 1 000-row SELECT through the HTTP API.
func BenchmarkSelect1000(b *testing.B) {
	emu := emulator.New(emulator.Options{ClusterStartDelay: -1})
	srv := httptest.NewServer(emu)
	defer emu.Close()
	defer srv.Close()
	post := func(path, body string) string {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer dapi-bench")
		resp, err := srv.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("%d %s", resp.StatusCode, raw)
		}
		return string(raw)
	}
	var wh struct{ ID string }
	if err := json.Unmarshal([]byte(post("/api/2.0/sql/warehouses", `{"name":"wh","cluster_size":"2X-Small"}`)), &wh); err != nil {
		b.Fatal(err)
	}
	body := `{"warehouse_id":"` + wh.ID + `","statement":"SELECT id, concat('row ', id) AS name, id * 1.5 AS x FROM range(1000)"}`
	for b.Loop() {
		if r := post(stmtBase, body); !strings.Contains(r, `"SUCCEEDED"`) {
			b.Fatal(r)
		}
	}
}
