package emulator

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file is the Statement Execution API under /api/2.0/sql/statements.
//
// Statements run on an embedded SQL engine (SQLite, in memory, one
// database per Emulator: sql_engine.go), which is given Databricks SQL as
// users and agents type it, translated (sql_translate.go):
//   - Unity Catalog names of one, two or three parts (completed by the
//     request's catalog and schema), `backquoted`, case-insensitive;
//     '...' and "..." strings with Databricks' escapes; :name markers bound
//     from parameters by their type;
//   - SELECT with joins, WHERE, GROUP BY, ORDER BY, LIMIT/OFFSET, CTEs,
//     subqueries and set operations; VALUES; range(n) and range(start, end
//     [, step]) as a streamed source of id BIGINT; SQLite's functions, with
//     current_date(), current_timestamp() and now() as Databricks spells them;
//   - INSERT INTO|OVERWRITE, UPDATE, DELETE, TRUNCATE TABLE;
//   - CREATE [OR REPLACE] TABLE [IF NOT EXISTS] with columns, PARTITIONED
//     BY, COMMENT, TBLPROPERTIES, or AS SELECT; DROP TABLE; CREATE and DROP
//     SCHEMA, DATABASE and CATALOG; SHOW CATALOGS, SCHEMAS and TABLES;
//     DESCRIBE [TABLE] [EXTENDED] (sql_exec.go).
//
// DDL goes through Unity Catalog, so the REST tables API, SHOW and DESCRIBE
// agree with the engine; column types are Unity Catalog's, and values
// render as Databricks prints them (sql_types.go). What the engine cannot
// run FAILs with a Databricks-style error ([CLASS] message SQLSTATE: x),
// never with a wrong answer as far as the translation can tell.
//
// A statement runs in a goroutine of its own with a context, so cancel
// interrupts the engine: PENDING while its warehouse starts (computed from
// the emulator's clock), RUNNING, then SUCCEEDED, FAILED or CANCELED. The
// execute call waits up to wait_timeout in real time, without holding the
// workspace lock, then answers with the result or, on_wait_timeout, leaves
// the statement running (CONTINUE) or cancels it (CANCEL). A statement
// whose warehouse starts within wait_timeout is run at once, as if the
// wait had passed. Get answers at once with the current state.
//
// Results are INLINE JSON_ARRAY only (values as strings, NULL as null), cut
// by row_limit and byte_limit (manifest.truncated), capped at
// stmtMaxResultBytes, and split into chunks of at most stmtChunkBytes of
// row data. A result is CLOSED after stmtResultTTL or when stmtKept newer
// statements came after it.

var _ = declareArea((*Emulator).declareStatements)

// A result can be fetched for stmtResultTTL after the statement succeeded
// (Databricks keeps it about an hour), and only the stmtKept newest
// statements keep theirs (bounding the emulator's memory); then the
// statement is CLOSED.
const (
	stmtResultTTL = time.Hour
	stmtKept      = 200
)

// stmtChunkBytes bounds the row data of one result chunk (the JSON of its
// rows), so a large result comes in several chunks as on Databricks.
var stmtChunkBytes = 1 << 20

func strRow(vs ...string) []*string {
	out := make([]*string, len(vs))
	for i := range vs {
		out[i] = &vs[i]
	}
	return out
}

// statement is one submitted statement and its outcome. Its fields are
// guarded by the workspace lock; done is closed once it has finished.
type statement struct {
	id, warehouse, text string
	req                 sqlRequest
	submitted           time.Time
	readyAt             time.Time // when the warehouse runs; the statement may start then
	launched, finished  bool
	finishedAt          time.Time
	done                chan struct{}
	cancel              context.CancelFunc
	canceled, closed    bool
	failure             *sqlError
	cols                []stmtColumn
	rows                [][]*string
	produced            int // rows of the result, kept when it is closed
	truncated           bool
	chunks              [][2]int // row offset and count of each chunk
}

type stmtColumn struct {
	name, typeName, typeText string
	prec, scale              int // of decimals
}

// sqlError is a statement's failure, as status.error and status.sql_state
// carry it.
type sqlError struct {
	class, sqlState, msg string
}

func (s *sqlError) message() string {
	return fmt.Sprintf("[%s] %s SQLSTATE: %s", s.class, s.msg, s.sqlState)
}

func syntaxError(near string) *sqlError {
	return &sqlError{"PARSE_SYNTAX_ERROR", "42601", fmt.Sprintf("Syntax error at or near %s.", near)}
}

func (e *Emulator) declareStatements() {
	stmts := map[string]*statement{}
	var order []*statement // oldest first
	const base = "/api/2.0/sql/statements"
	e.handle("POST", base, func(p *params) (any, *apiError) {
		s, wait, onTimeout, aerr := e.newStatement(p)
		if aerr != nil {
			return nil, aerr
		}
		stmts[s.id], order = s, append(order, s)
		if len(order) > stmtKept {
			old := order[0]
			order = order[1:]
			old.closed, old.rows, old.chunks = true, nil, nil
		}
		return e.awaitStatement(s, wait, onTimeout), nil
	})
	find := func(p *params) (*statement, *apiError) {
		id := p.path["statement_id"]
		s := stmts[id]
		if s == nil {
			return nil, notFound("Statement %s does not exist.", id)
		}
		return s, nil
	}
	e.handle("GET", base+"/{statement_id}", func(p *params) (any, *apiError) {
		s, aerr := find(p)
		if aerr != nil {
			return nil, aerr
		}
		e.pokeStatement(s)
		return e.stmtView(s, e.stmtState(s)), nil
	})
	e.handle("GET", base+"/{statement_id}/result/chunks/{chunk_index}", func(p *params) (any, *apiError) {
		s, aerr := find(p)
		if aerr != nil {
			return nil, aerr
		}
		e.pokeStatement(s)
		n, err := strconv.Atoi(p.path["chunk_index"])
		if err != nil {
			return nil, invalidParam("chunk_index must be an integer, got %q.", p.path["chunk_index"])
		}
		if st := e.stmtState(s); st != "SUCCEEDED" {
			return nil, invalidState("Statement %s is %s; its result cannot be fetched.", s.id, st)
		}
		if n < 0 || n >= len(s.chunks) {
			return nil, invalidParam("chunk_index %d is out of range: the result has %d chunks.", n, len(s.chunks))
		}
		return s.chunk(n), nil
	})
	e.handle("POST", base+"/{statement_id}/cancel", func(p *params) (any, *apiError) {
		s, aerr := find(p)
		if aerr != nil {
			return nil, aerr
		}
		e.cancelStatement(s)
		return nil, nil
	})
}

// newStatement reads an execute request into a statement, starting the
// warehouse and the statement as their states allow.
func (e *Emulator) newStatement(p *params) (*statement, time.Duration, string, *apiError) {
	text, aerr := p.requiredStr("statement")
	if aerr != nil {
		return nil, 0, "", aerr
	}
	whID, aerr := p.requiredStr("warehouse_id")
	if aerr != nil {
		return nil, 0, "", aerr
	}
	str := map[string]string{}
	for _, f := range []string{"catalog", "schema", "wait_timeout", "on_wait_timeout", "disposition", "format"} {
		if str[f], aerr = p.str(f); aerr != nil {
			return nil, 0, "", aerr
		}
	}
	wait := 10 * time.Second
	if w := str["wait_timeout"]; w != "" {
		n, err := strconv.Atoi(strings.TrimSuffix(w, "s"))
		if err != nil || !strings.HasSuffix(w, "s") || n != 0 && (n < 5 || n > 50) {
			return nil, 0, "", invalidParam("wait_timeout must be 0s or between 5s and 50s, got %q.", w)
		}
		wait = time.Duration(n) * time.Second
	}
	for f, allowed := range map[string][]string{
		"on_wait_timeout": {"CONTINUE", "CANCEL"}, "disposition": {"INLINE", "EXTERNAL_LINKS"},
		"format": {"JSON_ARRAY", "ARROW_STREAM", "CSV"},
	} {
		if v := str[f]; v != "" && !slices.Contains(allowed, v) {
			return nil, 0, "", invalidParam("%s must be one of %s, got %q.", f, strings.Join(allowed, ", "), v)
		}
	}
	if str["disposition"] != "EXTERNAL_LINKS" && (str["format"] == "ARROW_STREAM" || str["format"] == "CSV") {
		return nil, 0, "", invalidParam("The format %s is only supported with the EXTERNAL_LINKS disposition.", str["format"])
	}
	if str["disposition"] == "EXTERNAL_LINKS" {
		return nil, 0, "", errorf(http.StatusNotImplemented, "NOT_IMPLEMENTED", "The emulator serves INLINE results only; use disposition INLINE.")
	}
	var limits [2]int64
	for i, f := range []string{"row_limit", "byte_limit"} {
		n, ok, aerr := p.int64(f)
		if aerr != nil {
			return nil, 0, "", aerr
		}
		if ok && n <= 0 {
			return nil, 0, "", invalidParam("%s must be positive, got %d.", f, n)
		}
		limits[i] = n
	}
	params, aerr := stmtParams(p)
	if aerr != nil {
		return nil, 0, "", aerr
	}
	wr := e.stores["sql warehouses"].find(whID)
	if wr == nil {
		return nil, 0, "", notFound("Warehouse %s does not exist.", whID)
	}
	w := e.warehouseState(wr)
	now := e.now()
	if w.state == whStopped || w.state == whStopping {
		*w = warehouse{state: whStarting, since: now}
	}
	s := &statement{id: stmtID(), warehouse: whID, text: text, submitted: now, readyAt: now, done: make(chan struct{})}
	if w.state == whStarting {
		s.readyAt = w.since.Add(e.opts.ClusterStartDelay)
	}
	if w.state == whRunning {
		w.since = now // a query keeps a running warehouse from stopping by itself
	}
	s.req = sqlRequest{text: text, cat: cmp.Or(str["catalog"], "main"), sch: cmp.Or(str["schema"], "default"),
		params: params, rowLimit: limits[0], byteLimit: limits[1]}
	if !s.readyAt.After(now) || wait > 0 && !s.readyAt.After(now.Add(wait)) {
		e.launchStatement(s)
	}
	return s, wait, str["on_wait_timeout"], nil
}

// awaitStatement waits up to wait for the statement to finish, with the
// workspace lock (held by every handler) let go meanwhile so that other
// requests, a get or a cancel of this very statement, go on. Nothing in
// the unlocked stretch can panic, which keeps handleLocked's recovery
// sound.
func (e *Emulator) awaitStatement(s *statement, wait time.Duration, onTimeout string) map[string]any {
	if wait > 0 && s.launched {
		t := time.NewTimer(wait)
		e.mu.Unlock()
		select {
		case <-s.done:
		case <-t.C:
		}
		e.mu.Lock()
		t.Stop()
	}
	if st := e.stmtState(s); wait > 0 && (st == "PENDING" || st == "RUNNING") && onTimeout == "CANCEL" {
		e.cancelStatement(s)
	}
	e.stmtRecord(s)
	return e.stmtView(s, e.stmtState(s))
}

// launchStatement starts the statement's goroutine.
func (e *Emulator) launchStatement(s *statement) {
	ctx, cancel := context.WithCancel(context.Background())
	s.launched, s.cancel = true, cancel
	started := e.engine.start(s, cancel, func() {
		res, fail := e.runSQL(ctx, s.req)
		cancel()
		e.mu.Lock()
		e.finishStatement(s, res, fail)
		e.stmtRecord(s)
		e.mu.Unlock()
		close(s.done)
	})
	if !started {
		cancel()
		e.finishStatement(s, nil, &sqlError{"OPERATION_CANCELED", "HY008", "The emulator is shutting down."})
		close(s.done)
	}
}

// finishStatement stores a statement's outcome; the caller holds the lock.
func (e *Emulator) finishStatement(s *statement, res *result, fail *sqlError) {
	s.finished, s.finishedAt = true, e.now()
	if s.canceled {
		return
	}
	if fail != nil {
		s.failure = fail
		return
	}
	s.cols, s.rows, s.truncated = res.cols, res.rows, res.truncated
	s.cut()
	if s.closed {
		s.rows, s.chunks = nil, nil
	}
}

// pokeStatement starts a statement whose warehouse has come up since.
func (e *Emulator) pokeStatement(s *statement) {
	if !s.launched && !s.canceled && !s.closed && !e.now().Before(s.readyAt) {
		e.launchStatement(s)
		e.stmtRecord(s)
	}
}

// cancelStatement cancels a PENDING or RUNNING statement; the engine stops
// its query through the context.
func (e *Emulator) cancelStatement(s *statement) {
	if st := e.stmtState(s); st != "PENDING" && st != "RUNNING" {
		return
	}
	s.canceled = true
	if s.cancel != nil {
		s.cancel()
	}
	if !s.launched {
		s.finishedAt = e.now()
	}
	e.stmtRecord(s)
}

// stmtID is a statement id: a UUID, as Databricks gives them.
func stmtID() string { return newUUID() }

// stmtParams reads the parameters of a statement.
func stmtParams(p *params) (map[string]stmtParam, *apiError) {
	raw, ok := p.raw("parameters")
	if !ok {
		return nil, nil
	}
	var list []struct {
		Name  string  `json:"name"`
		Value *string `json:"value"`
		Type  string  `json:"type"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, badType("parameters", "an array of {name, value, type} objects")
	}
	out := map[string]stmtParam{}
	for _, it := range list {
		if it.Name == "" {
			return nil, missingField("parameters.name")
		}
		out[strings.ToLower(it.Name)] = stmtParam{it.Value, strings.ToUpper(cmp.Or(it.Type, "STRING"))}
	}
	return out, nil
}

// cut splits the rows into chunks of at most stmtChunkBytes.
func (s *statement) cut() {
	start, size := 0, 0
	for i, r := range s.rows {
		b, _ := json.Marshal(r)
		if size > 0 && size+len(b) > stmtChunkBytes {
			s.chunks = append(s.chunks, [2]int{start, i - start})
			start, size = i, 0
		}
		size += len(b)
	}
	s.produced = len(s.rows)
	if len(s.rows) > start || len(s.chunks) == 0 {
		s.chunks = append(s.chunks, [2]int{start, len(s.rows) - start})
	}
}

// stmtState is the statement's state now.
func (e *Emulator) stmtState(s *statement) string {
	switch {
	case s.canceled:
		return "CANCELED"
	case !s.launched:
		return "PENDING"
	case !s.finished:
		return "RUNNING"
	case s.failure != nil:
		return "FAILED"
	case s.closed || !e.now().Before(s.finishedAt.Add(stmtResultTTL)):
		return "CLOSED"
	}
	return "SUCCEEDED"
}

// stmtRecord writes the statement into the query history.
func (e *Emulator) stmtRecord(s *statement) {
	uid, _ := strconv.ParseInt(userID, 10, 64)
	state := e.stmtState(s)
	q := map[string]any{
		"query_id": s.id, "warehouse_id": s.warehouse, "endpoint_id": s.warehouse, "query_text": s.text,
		"query_start_time_ms": millis(s.submitted), "user_id": uid, "user_name": UserName,
		"executed_as_user_id": uid, "executed_as_user_name": UserName,
		"statement_type": stmtType(s.text), "is_final": state != "PENDING" && state != "RUNNING",
		"client_application": "Databricks SQL Statement Execution API",
	}
	switch state {
	case "PENDING":
		q["status"] = "QUEUED"
	case "RUNNING":
		q["status"] = "RUNNING"
	case "CANCELED":
		q["status"] = "CANCELED"
		q["query_end_time_ms"] = millis(cmp.Or(s.finishedAt, e.now()))
	default: // SUCCEEDED, FAILED, CLOSED
		end := millis(s.finishedAt)
		q["query_end_time_ms"], q["execution_end_time_ms"] = end, end
		q["duration"] = end - millis(s.submitted)
		if s.failure != nil {
			q["status"], q["error_message"] = "FAILED", s.failure.message()
		} else {
			q["status"], q["rows_produced"] = "FINISHED", int64(s.produced)
		}
	}
	e.recordQuery(q)
}

// stmtTypes are the history's statement types named by a first word.
var stmtTypes = []string{"ALTER", "ANALYZE", "COPY", "CREATE", "DELETE", "DESCRIBE", "DROP", "EXPLAIN", "GRANT", "INSERT",
	"MERGE", "OPTIMIZE", "REFRESH", "REPLACE", "REVOKE", "SELECT", "SET", "SHOW", "TRUNCATE", "UPDATE", "USE"}

func stmtType(text string) string {
	toks, _ := sqlLex(text)
	if len(toks) == 0 || toks[0].kind != tkWord {
		return "OTHER"
	}
	w := strings.ToUpper(toks[0].text)
	switch w {
	case "WITH", "VALUES":
		return "SELECT"
	case "DESC":
		return "DESCRIBE"
	}
	if slices.Contains(stmtTypes, w) {
		return w
	}
	return "OTHER"
}

// stmtView is the statement as execute and get answer it in state.
func (e *Emulator) stmtView(s *statement, state string) map[string]any {
	st := map[string]any{"state": state}
	out := map[string]any{"statement_id": s.id, "status": st}
	if state == "FAILED" {
		st["error"] = map[string]any{"error_code": "BAD_REQUEST", "message": s.failure.message()}
		st["sql_state"] = s.failure.sqlState
	}
	if state != "SUCCEEDED" {
		return out
	}
	cols := make([]any, len(s.cols))
	for i, c := range s.cols {
		col := map[string]any{"name": c.name, "type_name": c.typeName, "type_text": c.typeText, "position": i}
		if c.typeName == "DECIMAL" {
			col["type_precision"], col["type_scale"] = c.prec, c.scale
		}
		cols[i] = col
	}
	chunks := make([]any, len(s.chunks))
	for i, c := range s.chunks {
		chunks[i] = map[string]any{"chunk_index": i, "row_offset": c[0], "row_count": c[1]}
	}
	out["manifest"] = map[string]any{
		"format": "JSON_ARRAY", "schema": map[string]any{"column_count": len(cols), "columns": cols},
		"total_chunk_count": len(s.chunks), "chunks": chunks, "total_row_count": len(s.rows), "truncated": s.truncated,
	}
	out["result"] = s.chunk(0)
	return out
}

// chunk is chunk n of the result, as the result member and the chunk
// route answer it.
func (s *statement) chunk(n int) map[string]any {
	c := s.chunks[n]
	rows := s.rows[c[0] : c[0]+c[1]]
	if rows == nil {
		rows = [][]*string{}
	}
	out := map[string]any{"chunk_index": n, "row_offset": c[0], "row_count": c[1], "data_array": rows}
	if n+1 < len(s.chunks) {
		out["next_chunk_index"] = n + 1
		out["next_chunk_internal_link"] = fmt.Sprintf("/api/2.0/sql/statements/%s/result/chunks/%d", s.id, n+1)
	}
	return out
}

// numberLiteral types a numeric literal as Databricks does: an integer is
// INT, or BIGINT when it does not fit; with a point, DECIMAL; with an
// exponent, DOUBLE; the suffixes L, S, Y and D make BIGINT, SMALLINT,
// TINYINT and DOUBLE.
func numberLiteral(text string, neg bool) (stmtColumn, string, bool) {
	sign := ""
	if neg {
		sign = "-"
	}
	suffix := strings.ToUpper(text[len(text)-1:])
	if strings.Contains("DLSY", suffix) {
		text = text[:len(text)-1]
	} else {
		suffix = ""
	}
	name := sign + text
	switch {
	case suffix == "D" || strings.ContainsAny(text, "eE"):
		f, err := strconv.ParseFloat(name, 64)
		if err != nil {
			return stmtColumn{}, "", false
		}
		v := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(v, ".") {
			v += ".0"
		}
		return stmtColumn{name: name, typeName: "DOUBLE", typeText: "double"}, v, true
	case strings.Contains(text, "."):
		whole, frac, _ := strings.Cut(text, ".")
		whole = strings.TrimLeft(whole, "0")
		prec := max(len(whole)+len(frac), 1)
		v := whole
		if v == "" {
			v = "0"
		}
		if frac != "" {
			v += "." + frac
		}
		return stmtColumn{name: name, typeName: "DECIMAL", typeText: fmt.Sprintf("decimal(%d,%d)", max(prec, len(frac)), len(frac))}, sign + v, true
	}
	n, err := strconv.ParseInt(name, 10, 64)
	if err != nil {
		return stmtColumn{}, "", false
	}
	v := strconv.FormatInt(n, 10)
	switch {
	case suffix == "L" || suffix == "" && (n > 1<<31-1 || n < -1<<31):
		return stmtColumn{name: name, typeName: "LONG", typeText: "bigint"}, v, true
	case suffix == "S":
		return stmtColumn{name: name, typeName: "SHORT", typeText: "smallint"}, v, n >= -1<<15 && n < 1<<15
	case suffix == "Y":
		return stmtColumn{name: name, typeName: "BYTE", typeText: "tinyint"}, v, n >= -128 && n < 128
	}
	return stmtColumn{name: name, typeName: "INT", typeText: "int"}, v, true
}
