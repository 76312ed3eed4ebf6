package emulator

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver: pure Go, so the binary cross-compiles
)

// This file is the SQL engine behind statement execution: one in-memory
// SQLite database per Emulator, opened on first use. Each Unity Catalog
// table has one engine table, named after its full name and table_id (so
// a table dropped and created again never meets the old one's rows).
// Unity Catalog stays the source of truth for what exists and for the
// Databricks types; the engine holds the rows.
//
// Unlike Delta's snapshots, SQLite's in-memory locking makes a write wait
// for statements still reading tables (range() alone reads none): it waits
// up to busy_timeout, 30 s, then fails saying so.

// sqlEngine is the engine's database and the statements running on it.
type sqlEngine struct {
	openMu  sync.Mutex // held while the database is opened and seeded
	mu      sync.Mutex // guards the fields below
	db      *sql.DB
	keep    *sql.Conn // holds the in-memory database open
	err     error
	closed  bool
	running map[*statement]context.CancelFunc
	wg      sync.WaitGroup // statements and engine clean-ups in flight
}

// engineSeq makes each emulator's in-memory database name unique in the
// process, as tests run many emulators side by side.
var engineSeq atomic.Int64

// stmtMaxResultBytes caps an INLINE result (the JSON of its rows), as
// Databricks caps INLINE results at 25 MiB; a larger one fails instead of
// filling the memory. A variable so tests can lower it.
var stmtMaxResultBytes int64 = 25 << 20

// engineDB returns the engine's database, opening and seeding it on first
// use. Seeding reads Unity Catalog under the workspace lock, so it runs
// under openMu alone: mu is taken by handlers that hold the workspace
// lock, and holding it here would deadlock with them.
func (e *Emulator) engineDB() (*sql.DB, error) {
	en := &e.engine
	en.openMu.Lock()
	defer en.openMu.Unlock()
	en.mu.Lock()
	db, err, closed := en.db, en.err, en.closed
	en.mu.Unlock()
	switch {
	case closed:
		return nil, errors.New("emulator: the SQL engine is closed")
	case db != nil || err != nil:
		return db, err
	}
	name := fmt.Sprintf("file:/dbx-emulator-%d-%s?vfs=memdb&_pragma=busy_timeout(30000)&_pragma=case_sensitive_like(1)", engineSeq.Add(1), newUUID())
	registerFuncs()
	db, err = sql.Open("sqlite", name)
	if err != nil {
		return nil, en.fail(fmt.Errorf("emulator: open the SQL engine: %w", err))
	}
	db.SetMaxIdleConns(4)
	keep, err := db.Conn(context.Background())
	if err != nil {
		_ = db.Close()
		return nil, en.fail(fmt.Errorf("emulator: open the SQL engine: %w", err))
	}
	err = e.seedEngine(db)
	en.mu.Lock()
	defer en.mu.Unlock()
	en.db, en.keep, en.err = db, keep, err
	return db, err
}

func (en *sqlEngine) fail(err error) error {
	en.mu.Lock()
	defer en.mu.Unlock()
	en.err = err
	return err
}

// close cancels the running statements, waits for them and closes the
// database.
func (en *sqlEngine) close() {
	en.mu.Lock()
	if en.closed {
		en.mu.Unlock()
		return
	}
	en.closed = true
	for _, cancel := range en.running {
		cancel()
	}
	en.mu.Unlock()
	en.wg.Wait()
	if en.keep != nil {
		_ = en.keep.Close()
	}
	if en.db != nil {
		_ = en.db.Close()
	}
}

// start runs f in a goroutine the engine waits for on close; it reports
// false when the engine is closed.
func (en *sqlEngine) start(s *statement, cancel context.CancelFunc, f func()) bool {
	en.mu.Lock()
	defer en.mu.Unlock()
	if en.closed {
		return false
	}
	if en.running == nil {
		en.running = map[*statement]context.CancelFunc{}
	}
	if s != nil {
		en.running[s] = cancel
	}
	en.wg.Add(1)
	go func() {
		defer en.wg.Done()
		f()
		if s != nil {
			en.mu.Lock()
			delete(en.running, s)
			en.mu.Unlock()
		}
	}()
	return true
}

// runningStatements counts the statements whose goroutine still runs.
func (en *sqlEngine) runningStatements() int {
	en.mu.Lock()
	defer en.mu.Unlock()
	return len(en.running)
}

// engineName is the engine table of a Unity Catalog table.
func engineName(full, id string) string { return full + "@" + id }

// dropEngineTables drops engine tables whose Unity Catalog tables are gone,
// in the background: the caller holds the workspace lock, which engine
// work must never be done under.
func (e *Emulator) dropEngineTables(names []string) {
	e.engine.mu.Lock()
	opened := e.engine.db != nil
	e.engine.mu.Unlock()
	if len(names) == 0 || !opened { // an engine not yet opened holds no tables
		return
	}
	e.engine.start(nil, nil, func() {
		db, err := e.engineDB()
		if err != nil {
			return
		}
		for _, n := range names {
			_, _ = db.Exec("DROP TABLE IF EXISTS " + sqliteIdent(n))
		}
	})
}

// ucTableEngineNames lists the engine tables of the Unity Catalog tables
// that match, so they can be dropped with them.
func (e *Emulator) ucTableEngineNames(match func(t map[string]any) bool) []string {
	var out []string
	for _, r := range e.ucStore(ucTables).byKey {
		if match(r.in) {
			full, _ := r.in["full_name"].(string)
			id, _ := r.in["table_id"].(string)
			out = append(out, engineName(full, id))
		}
	}
	return out
}

// ucTableColumns reads a Unity Catalog table's columns.
func ucTableColumns(t map[string]any) []ucColumn {
	var out []ucColumn
	cs, _ := t["columns"].([]any)
	for _, c := range cs {
		m, _ := c.(map[string]any)
		col := ucColumn{partition: -1, nullable: true}
		col.name, _ = m["name"].(string)
		col.typeName, _ = m["type_name"].(string)
		col.typeText, _ = m["type_text"].(string)
		col.comment, _ = m["comment"].(string)
		if n, ok := m["nullable"].(bool); ok {
			col.nullable = n
		}
		switch p := m["partition_index"].(type) {
		case int:
			col.partition = p
		case int64:
			col.partition = int(p)
		case float64:
			col.partition = int(p)
		case json.Number:
			if n, err := p.Int64(); err == nil {
				col.partition = int(n)
			}
		}
		out = append(out, col)
	}
	return out
}

// createEngineTable creates the engine table for columns if it is missing.
func createEngineTable(ctx context.Context, db *sql.DB, name string, cols []ucColumn) error {
	var b strings.Builder
	b.WriteString("CREATE TABLE IF NOT EXISTS " + sqliteIdent(name) + " (")
	for i, c := range cols {
		decl, _, fail := sqliteType(c.typeText)
		if fail != nil {
			decl = "TEXT"
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(sqliteIdent(c.name) + " " + decl)
		if !c.nullable {
			b.WriteString(" NOT NULL")
		}
	}
	if len(cols) == 0 {
		b.WriteString(`"_no_columns" TEXT`)
	}
	b.WriteString(")")
	if _, err := db.ExecContext(ctx, b.String()); err != nil {
		return err
	}
	// Triggers keep DATE, TIMESTAMP and BOOLEAN values in one form
	// whatever a statement writes ('2024-01-31 10:00' and 'true' too).
	var sets []string
	for _, c := range cols {
		if f := normalizer(typeOf(c.typeText)); f != "" {
			sets = append(sets, fmt.Sprintf("%s = %s(%s)", sqliteIdent(c.name), f, sqliteIdent(c.name)))
		}
	}
	if len(sets) == 0 {
		return nil
	}
	for _, on := range []string{"INSERT", "UPDATE"} {
		trig := fmt.Sprintf("CREATE TRIGGER IF NOT EXISTS %s AFTER %s ON %s BEGIN UPDATE %s SET %s WHERE rowid = NEW.rowid; END",
			sqliteIdent(name+"#"+on), on, sqliteIdent(name), sqliteIdent(name), strings.Join(sets, ", "))
		if _, err := db.ExecContext(ctx, trig); err != nil {
			return err
		}
	}
	return nil
}

// engineFail is an engine error as the Databricks error it stands for.
func engineFail(err error, refs []tableRef) *sqlError {
	msg := err.Error()
	if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "SQL logic error") {
		msg = msg[i+2:]
	}
	msg = strings.TrimSuffix(msg, " (1)")
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded), strings.Contains(msg, "interrupted"):
		return &sqlError{"OPERATION_CANCELED", "HY008", "The statement was canceled."}
	case strings.Contains(msg, "no such column: "):
		col := msg[strings.Index(msg, "no such column: ")+len("no such column: "):]
		col = strings.TrimSuffix(strings.Fields(col + " ")[0], ")")
		var names []string
		for _, r := range refs {
			for _, c := range r.cols {
				names = append(names, "`"+r.parts[len(r.parts)-1]+"`.`"+c.name+"`")
			}
		}
		if len(names) == 0 {
			return &sqlError{"UNRESOLVED_COLUMN.WITHOUT_SUGGESTION", "42703", fmt.Sprintf(
				"A column, variable, or function parameter with name `%s` cannot be resolved.", col)}
		}
		return &sqlError{"UNRESOLVED_COLUMN.WITH_SUGGESTION", "42703", fmt.Sprintf(
			"A column, variable, or function parameter with name `%s` cannot be resolved. Did you mean one of the following? [%s].",
			col, strings.Join(names, ", "))}
	case strings.Contains(msg, "no such function: "):
		fn := msg[strings.Index(msg, "no such function: ")+len("no such function: "):]
		return &sqlError{"UNRESOLVED_ROUTINE", "42883", fmt.Sprintf(
			"Cannot resolve routine `%s` on search path [`system`.`builtin`, `system`.`session`]. (The emulator's SQL engine is SQLite with Databricks names; this function is not among them.)", fn)}
	case strings.Contains(msg, "no such table: "):
		return &sqlError{"TABLE_OR_VIEW_NOT_FOUND", "42P01", "The table or view " + msg[strings.Index(msg, "no such table: ")+len("no such table: "):] + " cannot be found."}
	case strings.Contains(msg, "syntax error") || strings.Contains(msg, "incomplete input"):
		at := "end of input"
		if i := strings.Index(msg, `near "`); i >= 0 {
			rest := msg[i+len(`near "`):]
			if j := strings.Index(rest, `"`); j >= 0 {
				at = "'" + rest[:j] + "'"
			}
		}
		return syntaxError(at)
	case strings.Contains(msg, "database is locked"):
		return &sqlError{"UNSUPPORTED_FEATURE", "0A000", "The emulator's SQL engine cannot write while another statement is still reading tables; " +
			"this one waited 30 seconds. Retry once the other statement has finished, or cancel it."}
	case strings.Contains(msg, "[CAST_INVALID_INPUT] "):
		rest := msg[strings.Index(msg, "[CAST_INVALID_INPUT] ")+len("[CAST_INVALID_INPUT] "):]
		return &sqlError{"CAST_INVALID_INPUT", "22018", rest + ". Correct the value as per the syntax, or change its target type."}
	case strings.Contains(msg, "NOT NULL constraint failed"):
		return &sqlError{"DELTA_NOT_NULL_CONSTRAINT_VIOLATED", "23502", "NOT NULL constraint violated for column: " +
			msg[strings.LastIndex(msg, ".")+1:] + "."}
	case strings.Contains(msg, "values for") && strings.Contains(msg, "columns"):
		return &sqlError{"INSERT_COLUMN_ARITY_MISMATCH", "21S01", "Cannot write to the table: " + msg + "."}
	case strings.Contains(msg, "ambiguous column name"):
		return &sqlError{"AMBIGUOUS_REFERENCE", "42704", "Reference " + msg[strings.Index(msg, ": ")+2:] + " is ambiguous."}
	case strings.Contains(msg, "misuse of aggregate") || strings.Contains(msg, "GROUP BY"):
		return &sqlError{"MISSING_AGGREGATION", "42803", "The expression is neither in GROUP BY nor an aggregate: " + msg + "."}
	}
	return &sqlError{"UNSUPPORTED_FEATURE", "0A000", "The emulator's SQL engine (SQLite) cannot run this statement: " + msg + "."}
}

func encodeBase64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// result is what a statement produced.
type result struct {
	cols      []stmtColumn
	rows      [][]*string
	truncated bool
}

// readRows reads a query's rows, typed by inferTypes and bounded by the
// limits (0 for none) and by stmtMaxResultBytes.
func readRows(rows *sql.Rows, tr *translation, rowLimit, byteLimit int64) (*result, *sqlError) {
	names, err := rows.Columns()
	if err != nil {
		return nil, engineFail(err, tr.refs)
	}
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, engineFail(err, tr.refs)
	}
	decl := make([]string, len(cts))
	for i, c := range cts {
		decl[i] = c.DatabaseTypeName()
	}
	out := &result{}
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var types []sqlType
	var total int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, engineFail(err, tr.refs)
		}
		if types == nil {
			out.cols, types = tr.columns(names, decl, vals)
		}
		if rowLimit > 0 && int64(len(out.rows)) >= rowLimit {
			out.truncated = true
			break
		}
		row := make([]*string, len(vals))
		for i, v := range vals {
			row[i] = render(v, types[i])
		}
		b, _ := json.Marshal(row)
		size := int64(len(b))
		if byteLimit > 0 && total+size > byteLimit {
			out.truncated = true
			break
		}
		total += size
		if total > stmtMaxResultBytes {
			return nil, &sqlError{"INLINE_RESULT_TOO_LARGE", "54000", fmt.Sprintf(
				"The result exceeds the %d MiB limit of the INLINE disposition. Set row_limit or byte_limit, or add a LIMIT clause.", stmtMaxResultBytes>>20)}
		}
		out.rows = append(out.rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, engineFail(err, tr.refs)
	}
	if types == nil {
		out.cols, _ = tr.columns(names, decl, nil)
	}
	return out, nil
}

// columns names and types a result's columns, from the select list when
// it is known, the engine's declared types and the first row's values.
func (tr *translation) columns(names, decl []string, first []any) ([]stmtColumn, []sqlType) {
	cols := make([]stmtColumn, len(names))
	types := make([]sqlType, len(names))
	items := tr.items
	if len(items) != len(names) {
		items = nil
	}
	for i, n := range names {
		var v any
		if first != nil {
			v = first[i]
		}
		t := typeOfDecl(decl[i])
		if items != nil {
			n = tr.itemName(items[i], n)
			if t.name == "" {
				t = tr.itemType(items[i].toks)
			}
		} else if tr.isValues {
			n = fmt.Sprintf("col%d", i+1)
		} else if t.name == "" {
			t = tr.columnType([]string{n})
		}
		if t.name == "" {
			t = kindType(v)
		}
		types[i] = t
		cols[i] = stmtColumn{name: n, typeName: t.name, typeText: t.text, prec: t.prec, scale: t.scale}
	}
	return cols, types
}

// kindType types a value the select list says nothing about.
func kindType(v any) sqlType {
	switch x := v.(type) {
	case int64:
		if x > 1<<31-1 || x < -1<<31 {
			return typeBigint
		}
		return typeInt
	case float64:
		return typeDouble
	case []byte:
		return sqlType{name: "BINARY", text: "binary"}
	case bool:
		return typeBoolean
	}
	return typeString
}

// itemName is a select item's column name as Databricks gives it.
func (tr *translation) itemName(it selectItem, engineName string) string {
	if it.alias != "" {
		return it.alias
	}
	toks := it.toks
	switch {
	case len(toks) == 1 && toks[0].kind == tkString:
		return toks[0].text
	case len(toks) == 1 && toks[0].kind == tkParam:
		return toks[0].text
	case len(toks) >= 1 && toks[0].isName():
		if parts, end := dottedName(toks, 0); end == len(toks) {
			return parts[len(parts)-1]
		}
	}
	if len(toks) > 0 && tr.src != "" {
		text := tr.src[toks[0].pos:toks[len(toks)-1].end]
		if len(toks) >= 3 && toks[0].kind == tkWord && toks[1].is("(") && closes(toks, 1) == len(toks)-1 {
			// Databricks names a call in lower case, count(*) as count(1).
			fn := strings.ToLower(toks[0].text)
			if fn == "count" && len(toks) == 4 && toks[2].is("*") {
				return "count(1)"
			}
			text = fn + text[len(toks[0].text):]
		}
		return text
	}
	return engineName
}

// stringFuncs return STRING whatever their arguments.
var stringFuncs = map[string]bool{"CONCAT": true, "CONCAT_WS": true, "LOWER": true, "UPPER": true, "LCASE": true, "UCASE": true,
	"SUBSTR": true, "SUBSTRING": true, "TRIM": true, "LTRIM": true, "RTRIM": true, "REPLACE": true, "LPAD": true, "RPAD": true,
	"INITCAP": true, "DATE_FORMAT": true, "FORMAT_NUMBER": true, "STRING": true, "REVERSE": true, "REPEAT": true, "LEFT": true, "RIGHT": true,
	"HEX": true}

// intFuncs return INT.
var intFuncs = map[string]bool{"LENGTH": true, "CHAR_LENGTH": true, "CHARACTER_LENGTH": true, "INSTR": true, "YEAR": true, "MONTH": true,
	"DAY": true, "DAYOFMONTH": true, "HOUR": true, "MINUTE": true, "SECOND": true, "DATEDIFF": true, "DAYOFWEEK": true, "QUARTER": true}

// boolOps make an expression BOOLEAN when they stand at its top level.
var boolOps = map[string]bool{"=": true, "==": true, "<": true, ">": true, "<=": true, ">=": true, "<>": true, "!=": true, "<=>": true,
	"AND": true, "OR": true, "NOT": true, "IS": true, "IN": true, "LIKE": true, "ILIKE": true, "BETWEEN": true, "EXISTS": true, "RLIKE": true}

// itemType types an expression from its tokens, or returns the zero type
// when only its values can tell.
func (tr *translation) itemType(toks []sqlTok) sqlType {
	if len(toks) == 0 {
		return sqlType{}
	}
	if len(toks) == 2 && (toks[0].is("-") || toks[0].is("+")) && toks[1].kind == tkNumber {
		if col, _, ok := numberLiteral(toks[1].text, toks[0].is("-")); ok {
			return typeOf(col.typeText)
		}
	}
	if len(toks) == 1 {
		t := toks[0]
		switch {
		case t.kind == tkNumber:
			if col, _, ok := numberLiteral(t.text, false); ok {
				return typeOf(col.typeText)
			}
		case t.kind == tkString:
			return typeString
		case t.kind == tkParam:
			if p, ok := tr.params[strings.ToLower(t.text)]; ok {
				return p.sqlType()
			}
		case t.is("TRUE"), t.is("FALSE"):
			return typeBoolean
		case t.is("NULL"):
			return typeNull
		case t.is("CURRENT_DATE"):
			return typeDate
		case t.is("CURRENT_TIMESTAMP"):
			return typeTS
		}
	}
	if toks[0].is("CASE") && toks[len(toks)-1].is("END") {
		// The type of the first THEN's result.
		depth := 0
		for i, t := range toks {
			switch {
			case t.is("("):
				depth++
			case t.is(")"):
				depth--
			case depth == 0 && t.is("THEN"):
				end := i + 1
				for end < len(toks) && (depth > 0 || !toks[end].is("WHEN") && !toks[end].is("ELSE") && !toks[end].is("END")) {
					if toks[end].is("(") {
						depth++
					} else if toks[end].is(")") {
						depth--
					}
					end++
				}
				return tr.itemType(toks[i+1 : end])
			}
		}
		return sqlType{}
	}
	depth := 0
	var operands [][]sqlTok // split at top-level arithmetic
	cur, divides := 0, false
	for i, t := range toks {
		switch {
		case t.is("("):
			depth++
		case t.is(")"):
			depth--
		case depth == 0 && (t.kind == tkOp || t.kind == tkWord) && boolOps[strings.ToUpper(t.text)]:
			return typeBoolean
		case depth == 0 && i > 0 && (t.is("+") || t.is("-") || t.is("*") || t.is("/") || t.is("%")):
			operands = append(operands, toks[cur:i])
			cur = i + 1
			divides = divides || t.is("/")
		}
	}
	if operands != nil {
		if divides {
			return typeDouble
		}
		out := typeInt
		for _, o := range append(operands, toks[cur:]) {
			switch ot := tr.itemType(o); ot.name {
			case "DOUBLE", "FLOAT", "DECIMAL":
				return typeDouble
			case "LONG":
				out = typeBigint
			case "INT", "SHORT", "BYTE":
			default:
				return sqlType{}
			}
		}
		return out
	}
	if len(toks) >= 3 && toks[0].kind == tkWord && toks[1].is("(") && toks[len(toks)-1].is(")") && closes(toks, 1) == len(toks)-1 {
		fn := strings.ToUpper(toks[0].text)
		args := splitArgs(toks[2 : len(toks)-1])
		first := func() sqlType { // the first argument's type that is not NULL
			for _, a := range args {
				if t := tr.itemType(a); t.name != "NULL" {
					return t
				}
			}
			return sqlType{}
		}
		switch {
		case fn == "COUNT" || fn == "COUNT_IF":
			return typeBigint
		case fn == "AVG" || fn == "MEAN" || fn == "STDDEV" || fn == "VARIANCE" || fn == "RAND" || fn == "RANDOM":
			return typeDouble
		case fn == "SUM":
			switch a := first(); a.name {
			case "DECIMAL":
				p := min(a.prec+10, 38)
				return sqlType{name: "DECIMAL", text: fmt.Sprintf("decimal(%d,%d)", p, a.scale), prec: p, scale: a.scale}
			case "INT", "LONG", "SHORT", "BYTE":
				return typeBigint
			case "DOUBLE", "FLOAT":
				return typeDouble
			}
		case fn == "MIN" || fn == "MAX" || fn == "COALESCE" || fn == "IFNULL" || fn == "NVL" || fn == "FIRST" ||
			fn == "LAST" || fn == "ANY_VALUE" || fn == "ABS" || fn == "ROUND":
			return first()
		case fn == "FLOOR" || fn == "CEIL" || fn == "CEILING":
			return typeBigint
		case fn == "CAST" || fn == "TRY_CAST":
			for k := len(toks) - 2; k > 1; k-- {
				if toks[k].is("AS") {
					if text, end, fail := parseType(toks, k+1); fail == nil && end == len(toks)-1 {
						return typeOf(text)
					}
					break
				}
			}
		case typedFuncs[fn].name != "":
			return typedFuncs[fn]
		case stringFuncs[fn]:
			return typeString
		case intFuncs[fn]:
			return typeInt
		case fn == "CURRENT_DATE" || fn == "CURDATE" || fn == "TO_DATE" || fn == "DATE" || fn == "DATE_ADD" || fn == "DATE_SUB":
			return typeDate
		case fn == "CURRENT_TIMESTAMP" || fn == "NOW" || fn == "TO_TIMESTAMP" || fn == "TIMESTAMP":
			return typeTS
		}
		return sqlType{}
	}
	if parts, end := dottedName(toks, 0); end == len(toks) && len(parts) > 0 {
		return tr.columnType(parts)
	}
	return sqlType{}
}

// columnType is the type of a (qualified) column of the query's tables.
func (tr *translation) columnType(parts []string) sqlType {
	col := parts[len(parts)-1]
	q := parts[:len(parts)-1]
	for _, r := range tr.refs {
		if len(q) == 1 && r.alias != "" && !strings.EqualFold(q[0], r.alias) {
			continue
		}
		if len(q) > 0 && r.alias == "" && qualifier([]tableRef{r}, q) == "" {
			continue
		}
		for _, c := range r.cols {
			if strings.EqualFold(c.name, col) {
				return typeOf(c.typeText)
			}
		}
	}
	return sqlType{}
}

// closes is the index of the parenthesis closing the one at toks[i].
func closes(toks []sqlTok, i int) int {
	depth := 0
	for k := i; k < len(toks); k++ {
		if toks[k].is("(") {
			depth++
		} else if toks[k].is(")") {
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}

// splitArgs splits a function's arguments at the top-level commas.
func splitArgs(toks []sqlTok) [][]sqlTok {
	var out [][]sqlTok
	depth, cur := 0, 0
	for i, t := range toks {
		switch {
		case t.is("("):
			depth++
		case t.is(")"):
			depth--
		case depth == 0 && t.is(","):
			out = append(out, toks[cur:i])
			cur = i + 1
		}
	}
	if cur < len(toks) {
		out = append(out, toks[cur:])
	}
	return out
}

// seedTrips are the sample trips' rows beyond the first five: generated
// deterministically so every workspace serves the same sample.
func seedTrips() [][]any {
	rows := [][]any{
		{"2016-02-13T21:47:53.000Z", "2016-02-13T21:57:15.000Z", 1.4, 8.0, 10103, 10110},
		{"2016-02-13T18:29:09.000Z", "2016-02-13T18:37:23.000Z", 1.31, 7.5, 10023, 10023},
		{"2016-02-06T19:40:58.000Z", "2016-02-06T19:52:32.000Z", 1.8, 9.5, 10001, 10018},
		{"2016-02-12T19:06:43.000Z", "2016-02-12T19:20:54.000Z", 2.3, 11.5, 10044, 10111},
		{"2016-02-23T10:27:56.000Z", "2016-02-23T10:58:33.000Z", 2.6, 18.5, 10199, 10022},
	}
	zips := []int{10001, 10003, 10011, 10012, 10014, 10016, 10018, 10019, 10021, 10022, 10023, 10024, 10025, 10028, 10036, 10065, 10103, 10110, 10111, 10199}
	base := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	x := uint32(2016)
	next := func(n uint32) uint32 { x = x*1664525 + 1013904223; return (x >> 8) % n }
	for i := 0; i < 45; i++ {
		start := base.Add(time.Duration(next(60*24*60))*time.Minute + time.Duration(next(60))*time.Second)
		miles := float64(next(1200)+30) / 100
		minutes := int(miles*4) + int(next(12)) + 2
		end := start.Add(time.Duration(minutes)*time.Minute + time.Duration(next(60))*time.Second)
		fare := float64(int(2.5*2+miles*2.5*2+float64(minutes)*0.5*2)) / 2
		rows = append(rows, []any{start.Format("2006-01-02T15:04:05.000Z"), end.Format("2006-01-02T15:04:05.000Z"),
			miles, fare, zips[next(uint32(len(zips)))], zips[next(uint32(len(zips)))]})
	}
	return rows
}

// tpchNations are TPC-H's nation table.
var tpchNations = []struct {
	name   string
	region int
}{
	{"ALGERIA", 0}, {"ARGENTINA", 1}, {"BRAZIL", 1}, {"CANADA", 1}, {"EGYPT", 4}, {"ETHIOPIA", 0}, {"FRANCE", 3},
	{"GERMANY", 3}, {"INDIA", 2}, {"INDONESIA", 2}, {"IRAN", 4}, {"IRAQ", 4}, {"JAPAN", 2}, {"JORDAN", 4}, {"KENYA", 0},
	{"MOROCCO", 0}, {"MOZAMBIQUE", 0}, {"PERU", 1}, {"CHINA", 2}, {"ROMANIA", 3}, {"SAUDI ARABIA", 4}, {"VIETNAM", 2},
	{"RUSSIA", 3}, {"UNITED KINGDOM", 3}, {"UNITED STATES", 1},
}

// seedEngine fills the sample tables that Unity Catalog was seeded with.
func (e *Emulator) seedEngine(db *sql.DB) error {
	seeds := map[string][][]any{"samples.nyctaxi.trips": seedTrips()}
	var nations [][]any
	for i, n := range tpchNations {
		nations = append(nations, []any{i, n.name, n.region, "Nation " + strings.ToLower(n.name) + " of the TPC-H sample."})
	}
	seeds["samples.tpch.nation"] = nations
	type seed struct {
		name string
		cols []ucColumn
		rows [][]any
	}
	var todo []seed
	e.mu.Lock()
	for full, rows := range seeds {
		if t := e.ucFind(ucTables, full); t != nil {
			id, _ := t["table_id"].(string)
			todo = append(todo, seed{engineName(full, id), ucTableColumns(t), rows})
		}
	}
	e.mu.Unlock()
	ctx := context.Background()
	for _, s := range todo {
		if err := createEngineTable(ctx, db, s.name, s.cols); err != nil {
			return fmt.Errorf("emulator: seed %s: %w", s.name, err)
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(s.cols)), ", ")
		for _, r := range s.rows {
			if _, err := db.ExecContext(ctx, "INSERT INTO "+sqliteIdent(s.name)+" VALUES ("+marks+")", r...); err != nil {
				return fmt.Errorf("emulator: seed %s: %w", s.name, err)
			}
		}
	}
	return nil
}
