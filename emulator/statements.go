package emulator

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// This file is the Statement Execution API under /api/2.0/sql/statements.
//
// Statements are answered by a tiny evaluator (a real SQL engine is for
// later), which knows the forms agents send most:
//   - SELECT <literal> [AS alias], ... (numbers, 'strings', true, false, NULL);
//   - SELECT * | col, ... FROM <table> [LIMIT n], where <table> is a Unity
//     Catalog table (one, two or three parts, completed by the request's
//     catalog and schema) or range(n) / range(start, end);
//   - SHOW CATALOGS, SHOW SCHEMAS [IN catalog], SHOW TABLES [IN catalog.schema].
//
// Anything else FAILs with a Databricks-style SQL error saying so. The
// tables' rows are those of stmtTableRows (the seeded samples.nyctaxi.trips
// has a few); other tables are empty.
//
// Results are INLINE JSON_ARRAY only (values as strings, NULL as null), cut
// by row_limit and byte_limit (manifest.truncated) and split into chunks of
// at most stmtChunkBytes of row data. A statement runs at once on a RUNNING
// warehouse; a STOPPED one is started, and the statement stays PENDING until
// the warehouse runs. The call answers as if it had waited wait_timeout: if
// the warehouse will be running by then, with the result; otherwise PENDING
// (on_wait_timeout CONTINUE) or CANCELED (CANCEL). It never sleeps. A
// result is CLOSED after stmtResultTTL or when stmtKept newer statements
// came after it.

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

// stmtTableRows are the rows of the emulator's tables, by full name, each
// value the string JSON_ARRAY sends (nil for NULL). A table not listed is
// empty.
var stmtTableRows = map[string][][]*string{
	"samples.nyctaxi.trips": {
		strRow("2016-02-13T21:47:53.000Z", "2016-02-13T21:57:15.000Z", "1.4", "8.0", "10103", "10110"),
		strRow("2016-02-13T18:29:09.000Z", "2016-02-13T18:37:23.000Z", "1.31", "7.5", "10023", "10023"),
		strRow("2016-02-06T19:40:58.000Z", "2016-02-06T19:52:32.000Z", "1.8", "9.5", "10001", "10018"),
		strRow("2016-02-12T19:06:43.000Z", "2016-02-12T19:20:54.000Z", "2.3", "11.5", "10044", "10111"),
		strRow("2016-02-23T10:27:56.000Z", "2016-02-23T10:58:33.000Z", "2.6", "18.5", "10199", "10022"),
	},
}

func strRow(vs ...string) []*string {
	out := make([]*string, len(vs))
	for i := range vs {
		out[i] = &vs[i]
	}
	return out
}

// statement is one submitted statement and its evaluated outcome.
type statement struct {
	id, warehouse, text string
	submitted           time.Time
	readyAt             time.Time // when the warehouse runs; the statement finishes then
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
	return &sqlError{"PARSE_SYNTAX_ERROR", "42601", fmt.Sprintf("Syntax error at or near %s. (The emulator's SQL is limited to "+
		"SELECT of literals, SELECT ... FROM <table> [LIMIT n], SHOW CATALOGS, SHOW SCHEMAS and SHOW TABLES.)", near)}
}

func (e *Emulator) declareStatements() {
	stmts := map[string]*statement{}
	var order []*statement // oldest first
	const base = "/api/2.0/sql/statements"
	e.handle("POST", base, func(p *params) (any, *apiError) {
		out, s, aerr := e.executeStatement(p)
		if aerr != nil {
			return nil, aerr
		}
		stmts[s.id], order = s, append(order, s)
		if len(order) > stmtKept {
			old := order[0]
			order = order[1:]
			old.closed, old.rows, old.chunks = true, nil, nil
		}
		return out, nil
	})
	find := func(p *params) (*statement, *apiError) {
		id := p.path["statement_id"]
		s := stmts[id]
		if s == nil {
			return nil, notFound("Statement %s does not exist.", id)
		}
		e.stmtRecord(s)
		return s, nil
	}
	e.handle("GET", base+"/{statement_id}", func(p *params) (any, *apiError) {
		s, aerr := find(p)
		if aerr != nil {
			return nil, aerr
		}
		return e.stmtView(s, e.stmtState(s)), nil
	})
	e.handle("GET", base+"/{statement_id}/result/chunks/{chunk_index}", func(p *params) (any, *apiError) {
		s, aerr := find(p)
		if aerr != nil {
			return nil, aerr
		}
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
		if e.stmtState(s) == "PENDING" {
			s.canceled = true
			e.stmtRecord(s)
		}
		return nil, nil
	})
}

func (e *Emulator) executeStatement(p *params) (any, *statement, *apiError) {
	text, aerr := p.requiredStr("statement")
	if aerr != nil {
		return nil, nil, aerr
	}
	whID, aerr := p.requiredStr("warehouse_id")
	if aerr != nil {
		return nil, nil, aerr
	}
	str := map[string]string{}
	for _, f := range []string{"catalog", "schema", "wait_timeout", "on_wait_timeout", "disposition", "format"} {
		if str[f], aerr = p.str(f); aerr != nil {
			return nil, nil, aerr
		}
	}
	wait := 10 * time.Second
	if w := str["wait_timeout"]; w != "" {
		n, err := strconv.Atoi(strings.TrimSuffix(w, "s"))
		if err != nil || !strings.HasSuffix(w, "s") || n != 0 && (n < 5 || n > 50) {
			return nil, nil, invalidParam("wait_timeout must be 0s or between 5s and 50s, got %q.", w)
		}
		wait = time.Duration(n) * time.Second
	}
	for f, allowed := range map[string][]string{
		"on_wait_timeout": {"CONTINUE", "CANCEL"}, "disposition": {"INLINE", "EXTERNAL_LINKS"},
		"format": {"JSON_ARRAY", "ARROW_STREAM", "CSV"},
	} {
		if v := str[f]; v != "" && !slices.Contains(allowed, v) {
			return nil, nil, invalidParam("%s must be one of %s, got %q.", f, strings.Join(allowed, ", "), v)
		}
	}
	if str["disposition"] != "EXTERNAL_LINKS" && (str["format"] == "ARROW_STREAM" || str["format"] == "CSV") {
		return nil, nil, invalidParam("The format %s is only supported with the EXTERNAL_LINKS disposition.", str["format"])
	}
	if str["disposition"] == "EXTERNAL_LINKS" {
		return nil, nil, errorf(http.StatusNotImplemented, "NOT_IMPLEMENTED", "The emulator serves INLINE results only; use disposition INLINE.")
	}
	var limits [2]int64
	for i, f := range []string{"row_limit", "byte_limit"} {
		n, ok, aerr := p.int64(f)
		if aerr != nil {
			return nil, nil, aerr
		}
		if ok && n <= 0 {
			return nil, nil, invalidParam("%s must be positive, got %d.", f, n)
		}
		limits[i] = n
	}
	wr := e.stores["sql warehouses"].find(whID)
	if wr == nil {
		return nil, nil, notFound("Warehouse %s does not exist.", whID)
	}
	w := e.warehouseState(wr)
	now := e.now()
	if w.state == whStopped || w.state == whStopping {
		*w = warehouse{state: whStarting, since: now}
	}
	s := &statement{id: stmtID(), warehouse: whID, text: text, submitted: now, readyAt: now}
	if w.state == whStarting {
		s.readyAt = w.since.Add(e.opts.ClusterStartDelay)
	}
	if w.state == whRunning {
		w.since = now // a query keeps a running warehouse from stopping by itself
	}
	params, aerr := stmtParams(p)
	if aerr != nil {
		return nil, nil, aerr
	}
	cat, sch := cmp.Or(str["catalog"], "main"), cmp.Or(str["schema"], "default")
	s.cols, s.rows, s.failure = e.evalSQL(text, cat, sch, params)
	if s.failure == nil {
		s.cut(limits[0], limits[1])
	}
	state := "PENDING"
	if wait > 0 {
		if !s.readyAt.After(now.Add(wait)) {
			state = e.stmtStateAt(s, s.readyAt)
		} else if str["on_wait_timeout"] == "CANCEL" {
			s.canceled = true
			state = "CANCELED"
		}
	}
	e.stmtRecord(s)
	return e.stmtView(s, state), s, nil
}

// stmtID is a statement id: a UUID, as Databricks gives them.
func stmtID() string { return newUUID() }

// stmtParam is a value bound to a named parameter marker.
type stmtParam struct {
	value *string
	typ   string
}

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

// cut applies row_limit and byte_limit and splits the rows into chunks.
func (s *statement) cut(rowLimit, byteLimit int64) {
	if rowLimit > 0 && int64(len(s.rows)) > rowLimit {
		s.rows, s.truncated = s.rows[:rowLimit], true
	}
	var total int64
	start, size := 0, 0
	for i, r := range s.rows {
		b, _ := json.Marshal(r)
		if byteLimit > 0 && total+int64(len(b)) > byteLimit {
			s.rows, s.truncated = s.rows[:i], true
			break
		}
		total += int64(len(b))
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
func (e *Emulator) stmtState(s *statement) string { return e.stmtStateAt(s, e.now()) }

func (e *Emulator) stmtStateAt(s *statement, t time.Time) string {
	switch {
	case s.canceled:
		return "CANCELED"
	case t.Before(s.readyAt):
		return "PENDING"
	case s.failure != nil:
		return "FAILED"
	case s.closed || !t.Before(s.readyAt.Add(stmtResultTTL)):
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
		"statement_type": stmtType(s.text), "is_final": state != "PENDING",
		"client_application": "Databricks SQL Statement Execution API",
	}
	switch state {
	case "PENDING":
		q["status"] = "QUEUED"
	case "CANCELED":
		q["status"] = "CANCELED"
		q["query_end_time_ms"] = millis(e.now())
	default: // SUCCEEDED, FAILED, CLOSED
		end := millis(s.readyAt)
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

func stmtType(text string) string {
	f := strings.Fields(strings.ToUpper(text))
	if len(f) > 0 && (f[0] == "SELECT" || f[0] == "SHOW") {
		return f[0]
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
		cols[i] = map[string]any{"name": c.name, "type_name": c.typeName, "type_text": c.typeText, "position": i}
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

// The evaluator.

var sqlToken = regexp.MustCompile(`\s+|--[^\n]*|/\*(?s:.*?)\*/|` + "`(?:[^`]|``)*`" + `|'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.)*"|[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?[dDlLsSyY]?|\.[0-9]+|[A-Za-z_][A-Za-z0-9_]*|[(),.*;:+-]|.`)

type sqlTok struct {
	text  string
	quote byte // ', " or ` for quoted tokens
}

func sqlTokens(text string) []sqlTok {
	var out []sqlTok
	for _, t := range sqlToken.FindAllString(text, -1) {
		if strings.TrimSpace(t) == "" || strings.HasPrefix(t, "--") || strings.HasPrefix(t, "/*") {
			continue
		}
		switch t[0] {
		case '\'', '"':
			out = append(out, sqlTok{unquoteSQL(t[1:len(t)-1], t[0]), t[0]})
		case '`':
			out = append(out, sqlTok{strings.ReplaceAll(t[1:len(t)-1], "``", "`"), '`'})
		default:
			out = append(out, sqlTok{text: t})
		}
	}
	return out
}

// unquoteSQL undoes Databricks' string escapes: backslash escapes and a
// doubled quote.
func unquoteSQL(s string, q byte) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '0':
				b.WriteByte(0)
			default:
				b.WriteByte(s[i])
			}
		case c == q && i+1 < len(s) && s[i+1] == q:
			b.WriteByte(q)
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

type sqlParser struct {
	toks   []sqlTok
	i      int
	params map[string]stmtParam
}

// sqlKeywords end a select item or a source without an alias.
var sqlKeywords = []string{"FROM", "LIMIT", "WHERE", "GROUP", "ORDER", "HAVING", "JOIN", "LEFT", "RIGHT",
	"INNER", "OUTER", "CROSS", "FULL", "UNION", "EXCEPT", "INTERSECT", "ON", "USING", "WINDOW", "QUALIFY"}

// alias reads an alias with or without AS, if there is one.
func (p *sqlParser) alias() (string, bool, *sqlError) {
	if p.accept("AS") {
		a, ok := p.ident()
		if !ok {
			return "", false, syntaxError(p.near())
		}
		return a, true, nil
	}
	for _, kw := range sqlKeywords {
		if p.is(kw) {
			return "", false, nil
		}
	}
	a, ok := p.ident()
	return a, ok, nil
}

func (p *sqlParser) peek() sqlTok {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return sqlTok{}
}

// is reports whether the next token is the unquoted keyword or symbol kw.
func (p *sqlParser) is(kw string) bool {
	t := p.peek()
	return t.quote == 0 && strings.EqualFold(t.text, kw)
}

func (p *sqlParser) accept(kw string) bool {
	if p.is(kw) {
		p.i++
		return true
	}
	return false
}

func (p *sqlParser) near() string {
	if p.i >= len(p.toks) {
		return "end of input"
	}
	return "'" + p.toks[p.i].text + "'"
}

// ident reads an identifier (plain or backquoted).
func (p *sqlParser) ident() (string, bool) {
	t := p.peek()
	if t.quote == '`' || t.quote == 0 && t.text != "" && (unicode.IsLetter(rune(t.text[0])) || t.text[0] == '_') {
		p.i++
		return t.text, true
	}
	return "", false
}

// name reads a dotted name of up to three parts.
func (p *sqlParser) name() ([]string, bool) {
	var parts []string
	for {
		id, ok := p.ident()
		if !ok {
			return nil, false
		}
		parts = append(parts, id)
		if len(parts) == 3 || !p.accept(".") {
			return parts, true
		}
	}
}

// evalSQL evaluates a statement against the workspace's catalog, with cat
// and sch the defaults for names of fewer than three parts.
func (e *Emulator) evalSQL(text, cat, sch string, params map[string]stmtParam) ([]stmtColumn, [][]*string, *sqlError) {
	p := &sqlParser{toks: sqlTokens(text), params: params}
	for len(p.toks) > 0 && p.toks[len(p.toks)-1].quote == 0 && p.toks[len(p.toks)-1].text == ";" {
		p.toks = p.toks[:len(p.toks)-1]
	}
	var cols []stmtColumn
	var rows [][]*string
	var fail *sqlError
	switch {
	case p.accept("SELECT"):
		cols, rows, fail = e.evalSelect(p, cat, sch)
	case p.accept("SHOW"):
		cols, rows, fail = e.evalShow(p, cat, sch)
	default:
		return nil, nil, syntaxError(p.near())
	}
	if fail == nil && p.i < len(p.toks) {
		fail = syntaxError(p.near())
	}
	return cols, rows, fail
}

func (e *Emulator) evalShow(p *sqlParser, cat, sch string) ([]stmtColumn, [][]*string, *sqlError) {
	str := stmtColumn{typeName: "STRING", typeText: "string"}
	col := func(name string) stmtColumn { c := str; c.name = name; return c }
	switch {
	case p.accept("CATALOGS"):
		var rows [][]*string
		for _, c := range e.ucChildren(ucCatalogs, nil) {
			rows = append(rows, strRow(c["name"].(string)))
		}
		return []stmtColumn{col("catalog")}, rows, nil
	case p.accept("SCHEMAS"), p.accept("DATABASES"):
		if p.accept("IN") || p.accept("FROM") {
			n, ok := p.name()
			if !ok || len(n) != 1 {
				return nil, nil, syntaxError(p.near())
			}
			cat = n[0]
		}
		cat = strings.ToLower(cat)
		if e.ucFind(ucCatalogs, cat) == nil {
			return nil, nil, &sqlError{"NO_SUCH_CATALOG_EXCEPTION", "42704", fmt.Sprintf("Catalog '%s' was not found.", cat)}
		}
		var rows [][]*string
		for _, s := range e.ucChildren(ucSchemas, map[string]string{"catalog_name": cat}) {
			rows = append(rows, strRow(s["name"].(string)))
		}
		return []stmtColumn{col("databaseName")}, rows, nil
	case p.accept("TABLES"):
		if p.accept("IN") || p.accept("FROM") {
			n, ok := p.name()
			if !ok || len(n) > 2 {
				return nil, nil, syntaxError(p.near())
			}
			if len(n) == 2 {
				cat, sch = n[0], n[1]
			} else {
				sch = n[0]
			}
		}
		cat, sch = strings.ToLower(cat), strings.ToLower(sch)
		if e.ucFind(ucSchemas, cat+"."+sch) == nil {
			return nil, nil, &sqlError{"SCHEMA_NOT_FOUND", "42704", fmt.Sprintf("The schema `%s`.`%s` cannot be found.", cat, sch)}
		}
		var rows [][]*string
		for _, t := range e.ucChildren(ucTables, map[string]string{"catalog_name": cat, "schema_name": sch}) {
			rows = append(rows, strRow(sch, t["name"].(string), "false"))
		}
		boolean := stmtColumn{name: "isTemporary", typeName: "BOOLEAN", typeText: "boolean"}
		return []stmtColumn{col("database"), col("tableName"), boolean}, rows, nil
	}
	return nil, nil, syntaxError(p.near())
}

// selectItem is one item of a select list: a literal or a column.
type selectItem struct {
	col   stmtColumn
	value *string // the literal's value
	ref   string  // the column referred to, or "*"
}

func (e *Emulator) evalSelect(p *sqlParser, cat, sch string) ([]stmtColumn, [][]*string, *sqlError) {
	var items []selectItem
	for {
		it, fail := p.selectItem()
		if fail != nil {
			return nil, nil, fail
		}
		items = append(items, it)
		if !p.accept(",") {
			break
		}
	}
	srcCols, srcRows := []stmtColumn(nil), [][]*string{nil} // no FROM: one row of nothing
	if p.accept("FROM") {
		var fail *sqlError
		if srcCols, srcRows, fail = e.fromSource(p, cat, sch); fail != nil {
			return nil, nil, fail
		}
	}
	if p.accept("LIMIT") {
		t := p.peek()
		n, err := strconv.Atoi(t.text)
		if t.quote != 0 || err != nil {
			return nil, nil, syntaxError(p.near())
		}
		p.i++
		srcRows = srcRows[:min(n, len(srcRows))]
	}
	var cols []stmtColumn
	var pick []int // source column of each output column, -1 for a literal
	var lits []*string
	for _, it := range items {
		switch {
		case it.ref == "*":
			if srcCols == nil {
				return nil, nil, &sqlError{"INVALID_USAGE_OF_STAR_OR_REGEX", "42000", "Invalid usage of '*' in the select list without FROM."}
			}
			for i, c := range srcCols {
				cols, pick, lits = append(cols, c), append(pick, i), append(lits, nil)
			}
		case it.ref != "":
			i := slices.IndexFunc(srcCols, func(c stmtColumn) bool { return strings.EqualFold(c.name, it.ref) })
			if i < 0 && srcCols == nil {
				return nil, nil, &sqlError{"UNRESOLVED_COLUMN.WITHOUT_SUGGESTION", "42703", fmt.Sprintf(
					"A column, variable, or function parameter with name `%s` cannot be resolved.", it.ref)}
			}
			if i < 0 {
				names := make([]string, len(srcCols))
				for j, c := range srcCols {
					names[j] = "`" + c.name + "`"
				}
				return nil, nil, &sqlError{"UNRESOLVED_COLUMN.WITH_SUGGESTION", "42703", fmt.Sprintf(
					"A column, variable, or function parameter with name `%s` cannot be resolved. Did you mean one of the following? [%s].",
					it.ref, strings.Join(names, ", "))}
			}
			c := srcCols[i]
			if it.col.name != "" {
				c.name = it.col.name
			}
			cols, pick, lits = append(cols, c), append(pick, i), append(lits, nil)
		default:
			cols, pick, lits = append(cols, it.col), append(pick, -1), append(lits, it.value)
		}
	}
	rows := make([][]*string, len(srcRows))
	for r, src := range srcRows {
		row := make([]*string, len(cols))
		for c, i := range pick {
			if i < 0 {
				row[c] = lits[c]
			} else {
				row[c] = src[i]
			}
		}
		rows[r] = row
	}
	return cols, rows, nil
}

// selectItem reads a literal or column reference with an optional alias.
func (p *sqlParser) selectItem() (selectItem, *sqlError) {
	var it selectItem
	t := p.peek()
	neg := false
	switch {
	case p.accept("*"):
		return selectItem{ref: "*"}, nil
	case t.quote == '\'' || t.quote == '"':
		p.i++
		v := t.text
		it = selectItem{col: stmtColumn{name: v, typeName: "STRING", typeText: "string"}, value: &v}
	case p.is("TRUE"), p.is("FALSE"):
		p.i++
		v := strings.ToLower(t.text)
		it = selectItem{col: stmtColumn{name: v, typeName: "BOOLEAN", typeText: "boolean"}, value: &v}
	case p.is("NULL"):
		p.i++
		it = selectItem{col: stmtColumn{name: "NULL", typeName: "NULL", typeText: "void"}}
	case p.accept(":"):
		name, ok := p.ident()
		if !ok {
			return it, syntaxError(p.near())
		}
		v, ok := p.params[strings.ToLower(name)]
		if !ok {
			return it, &sqlError{"UNBOUND_SQL_PARAMETER", "42P02", fmt.Sprintf("Found the unbound parameter: %s. Please, fix `args` and provide a mapping of the parameter to a SQL literal.", name)}
		}
		it = selectItem{col: paramColumn(name, v.typ), value: v.value}
	default:
		if p.accept("-") {
			neg, t = true, p.peek()
		} else if p.accept("+") {
			t = p.peek()
		}
		if t.quote == 0 && t.text != "" && (t.text[0] >= '0' && t.text[0] <= '9' || t.text[0] == '.') {
			p.i++
			col, v, ok := numberLiteral(t.text, neg)
			if !ok {
				return it, syntaxError("'" + t.text + "'")
			}
			it = selectItem{col: col, value: &v}
			break
		}
		if neg {
			return it, syntaxError(p.near())
		}
		n, ok := p.name()
		if !ok {
			return it, syntaxError(p.near())
		}
		if p.is("(") {
			return it, &sqlError{"UNSUPPORTED_FEATURE", "0A000", fmt.Sprintf("The emulator does not evaluate functions such as %s().", strings.Join(n, "."))}
		}
		it = selectItem{ref: n[len(n)-1]}
	}
	a, ok, fail := p.alias()
	if fail != nil {
		return it, fail
	}
	if ok {
		it.col.name = a
	}
	return it, nil
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
		return stmtColumn{name, "DOUBLE", "double"}, v, true
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
		return stmtColumn{name, "DECIMAL", fmt.Sprintf("decimal(%d,%d)", max(prec, len(frac)), len(frac))}, sign + v, true
	}
	n, err := strconv.ParseInt(name, 10, 64)
	if err != nil {
		return stmtColumn{}, "", false
	}
	v := strconv.FormatInt(n, 10)
	switch {
	case suffix == "L" || suffix == "" && (n > 1<<31-1 || n < -1<<31):
		return stmtColumn{name, "LONG", "bigint"}, v, true
	case suffix == "S":
		return stmtColumn{name, "SHORT", "smallint"}, v, n >= -1<<15 && n < 1<<15
	case suffix == "Y":
		return stmtColumn{name, "BYTE", "tinyint"}, v, n >= -128 && n < 128
	}
	return stmtColumn{name, "INT", "int"}, v, true
}

// stmtMaxRange bounds range(n), so a typo cannot exhaust memory.
const stmtMaxRange = 1_000_000

// fromSource reads the FROM source: a table name or range(...).
func (e *Emulator) fromSource(p *sqlParser, cat, sch string) ([]stmtColumn, [][]*string, *sqlError) {
	n, ok := p.name()
	if !ok {
		return nil, nil, syntaxError(p.near())
	}
	if len(n) == 1 && strings.EqualFold(n[0], "range") && p.accept("(") {
		var args []int64
		for {
			t := p.peek()
			v, err := strconv.ParseInt(t.text, 10, 64)
			if t.quote != 0 || err != nil {
				return nil, nil, syntaxError(p.near())
			}
			p.i++
			args = append(args, v)
			if !p.accept(",") {
				break
			}
		}
		if !p.accept(")") || len(args) > 2 {
			return nil, nil, syntaxError(p.near())
		}
		lo, hi := int64(0), args[0]
		if len(args) == 2 {
			lo, hi = args[0], args[1]
		}
		if hi-lo > stmtMaxRange {
			return nil, nil, &sqlError{"UNSUPPORTED_FEATURE", "0A000", fmt.Sprintf("The emulator's range() makes at most %d rows.", stmtMaxRange)}
		}
		var rows [][]*string
		for i := lo; i < hi; i++ {
			rows = append(rows, strRow(strconv.FormatInt(i, 10)))
		}
		if _, _, fail := p.alias(); fail != nil {
			return nil, nil, fail
		}
		return []stmtColumn{{"id", "LONG", "bigint"}}, rows, nil
	}
	switch len(n) {
	case 1:
		n = []string{cat, sch, n[0]}
	case 2:
		n = []string{cat, n[0], n[1]}
	}
	full := strings.ToLower(strings.Join(n, "."))
	t := e.ucFind(ucTables, full)
	if t == nil {
		return nil, nil, &sqlError{"TABLE_OR_VIEW_NOT_FOUND", "42P01", fmt.Sprintf(
			"The table or view `%s`.`%s`.`%s` cannot be found. Verify the spelling and correctness of the schema and catalog.", n[0], n[1], n[2])}
	}
	if _, _, fail := p.alias(); fail != nil {
		return nil, nil, fail
	}
	var cols []stmtColumn
	if cs, ok := t["columns"].([]any); ok {
		for _, c := range cs {
			m, _ := c.(map[string]any)
			name, _ := m["name"].(string)
			tn, _ := m["type_name"].(string)
			tt, _ := m["type_text"].(string)
			cols = append(cols, stmtColumn{name, tn, tt})
		}
	}
	rows := stmtTableRows[full]
	if rows == nil {
		rows = [][]*string{}
	}
	return cols, slices.Clone(rows), nil
}

// paramColumn is the column of a parameter marker of SQL type typ.
func paramColumn(name, typ string) stmtColumn {
	names := map[string][2]string{
		"STRING": {"STRING", "string"}, "INT": {"INT", "int"}, "INTEGER": {"INT", "int"}, "BIGINT": {"LONG", "bigint"},
		"LONG": {"LONG", "bigint"}, "SMALLINT": {"SHORT", "smallint"}, "TINYINT": {"BYTE", "tinyint"},
		"DOUBLE": {"DOUBLE", "double"}, "FLOAT": {"FLOAT", "float"}, "BOOLEAN": {"BOOLEAN", "boolean"},
		"DATE": {"DATE", "date"}, "TIMESTAMP": {"TIMESTAMP", "timestamp"},
	}
	t, ok := names[typ]
	if !ok && strings.HasPrefix(typ, "DECIMAL") {
		t = [2]string{"DECIMAL", strings.ToLower(typ)}
	} else if !ok {
		t = [2]string{"STRING", "string"}
	}
	return stmtColumn{name, t[0], t[1]}
}
