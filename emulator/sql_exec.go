package emulator

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// This file runs one statement: queries and DML go to the engine through
// the translator; DDL, SHOW and DESCRIBE are done here, keeping Unity
// Catalog and the engine in step. Unity Catalog is read and written under
// the workspace lock; the engine is used only without it, so a slow
// statement never holds up other requests.

// sqlRequest is what a statement runs with.
type sqlRequest struct {
	text, cat, sch      string
	params              map[string]stmtParam
	rowLimit, byteLimit int64
}

// sqlRun is one statement being run.
type sqlRun struct {
	e    *Emulator
	ctx  context.Context
	db   *sql.DB
	req  sqlRequest
	toks []sqlTok
}

func noResult() *result { return &result{} }

// runSQL runs a statement to its result or failure.
func (e *Emulator) runSQL(ctx context.Context, req sqlRequest) (*result, *sqlError) {
	toks, fail := sqlLex(req.text)
	if fail != nil {
		return nil, fail
	}
	for len(toks) > 0 && toks[len(toks)-1].is(";") {
		toks = toks[:len(toks)-1]
	}
	if len(toks) == 0 {
		return nil, syntaxError("end of input")
	}
	for i, t := range toks {
		if t.is(";") {
			return nil, syntaxError(near(toks, i+1))
		}
	}
	db, err := e.engineDB()
	if err != nil {
		return nil, &sqlError{"INTERNAL_ERROR", "XX000", err.Error()}
	}
	r := &sqlRun{e: e, ctx: ctx, db: db, req: req, toks: toks}
	w := func(i int) string {
		if i < len(toks) && toks[i].kind == tkWord {
			return strings.ToUpper(toks[i].text)
		}
		return ""
	}
	switch w(0) {
	case "SELECT", "WITH", "VALUES", "FROM", "TABLE":
		return r.query(0)
	case "":
		if toks[0].is("(") {
			return r.query(0)
		}
	case "SHOW":
		return r.show()
	case "DESCRIBE", "DESC":
		return r.describe()
	case "CREATE":
		i := 1
		replace := false
		if w(1) == "OR" && w(2) == "REPLACE" {
			i, replace = 3, true
		}
		switch w(i) {
		case "TABLE":
			return r.createTable(i+1, replace)
		case "SCHEMA", "DATABASE":
			return r.createSchema(i + 1)
		case "CATALOG":
			return r.createCatalog(i + 1)
		case "VIEW", "TEMP", "TEMPORARY", "FUNCTION", "VOLUME", "MATERIALIZED", "EXTERNAL":
			return nil, unsupported("CREATE " + w(i))
		}
	case "DROP":
		switch w(1) {
		case "TABLE":
			return r.dropTable(2)
		case "SCHEMA", "DATABASE":
			return r.dropSchema(2)
		case "CATALOG":
			return r.dropCatalog(2)
		case "VIEW", "FUNCTION", "VOLUME":
			return nil, unsupported("DROP " + w(1))
		}
	case "INSERT":
		return r.insert()
	case "UPDATE", "DELETE":
		return r.modify()
	case "TRUNCATE":
		if w(1) == "TABLE" {
			return r.truncate(2)
		}
	case "MERGE", "USE", "SET", "ALTER", "OPTIMIZE", "VACUUM", "GRANT", "REVOKE", "COPY", "ANALYZE", "REFRESH", "CACHE", "EXPLAIN", "RESTORE":
		return nil, unsupported(w(0))
	}
	return nil, syntaxError(near(toks, 0))
}

func unsupported(what string) *sqlError {
	return &sqlError{"UNSUPPORTED_FEATURE", "0A000", fmt.Sprintf("The emulator's SQL engine does not support %s statements.", what)}
}

// locked runs f under the workspace lock.
func (r *sqlRun) locked(f func()) {
	r.e.mu.Lock()
	defer r.e.mu.Unlock()
	f()
}

// fullName completes a one-, two- or three-part name with the request's
// catalog and schema, in lower case.
func (r *sqlRun) fullName(parts []string) []string {
	var out []string
	switch len(parts) {
	case 1:
		out = []string{r.req.cat, r.req.sch}
	case 2:
		out = []string{r.req.cat}
	}
	out = append(out, parts...)
	for i := range out {
		out[i] = strings.ToLower(out[i])
	}
	return out
}

// writable refuses writes to a Delta Sharing catalog such as samples,
// whose tables are read-only on Databricks too.
func (r *sqlRun) writable(catalog string) *sqlError {
	var shared bool
	r.locked(func() {
		c := r.e.ucFind(ucCatalogs, strings.ToLower(catalog))
		shared = c != nil && c["catalog_type"] == "DELTASHARING_CATALOG"
	})
	if shared {
		return &sqlError{"UNSUPPORTED_FEATURE", "0A000", fmt.Sprintf("The catalog `%s` is a Delta Sharing catalog: its tables are read-only.", strings.ToLower(catalog))}
	}
	return nil
}

// refCatalog is the catalog of a resolved table.
func refCatalog(ref tableRef) string {
	cat, _, _ := strings.Cut(ref.name, ".")
	return cat
}

func tableNotFound(n []string) *sqlError {
	return &sqlError{"TABLE_OR_VIEW_NOT_FOUND", "42P01", fmt.Sprintf(
		"The table or view `%s`.`%s`.`%s` cannot be found. Verify the spelling and correctness of the schema and catalog.", n[0], n[1], n[2])}
}

func schemaNotFound(cat, sch string) *sqlError {
	return &sqlError{"SCHEMA_NOT_FOUND", "42704", fmt.Sprintf(
		"The schema `%s`.`%s` cannot be found. Verify the spelling and correctness of the schema and catalog.", cat, sch)}
}

func catalogNotFound(cat string) *sqlError {
	return &sqlError{"NO_SUCH_CATALOG_EXCEPTION", "42704", fmt.Sprintf("Catalog '%s' was not found.", cat)}
}

// lookup finds a Unity Catalog table under the workspace lock; the caller
// holds it.
func (r *sqlRun) lookup(parts []string) (tableRef, *sqlError) {
	if len(parts) > 3 {
		return tableRef{}, &sqlError{"REQUIRES_SINGLE_PART_NAMESPACE", "42K05", fmt.Sprintf("%s is not a valid name: at most three parts.", strings.Join(parts, "."))}
	}
	n := r.fullName(parts)
	full := strings.Join(n, ".")
	t := r.e.ucFind(ucTables, full)
	if t == nil {
		return tableRef{}, tableNotFound(n)
	}
	id, _ := t["table_id"].(string)
	return tableRef{full: engineName(full, id), name: full, cols: ucTableColumns(t)}, nil
}

// translateAt translates toks[from:to], resolving its tables.
func (r *sqlRun) translateAt(from, to int) (*translation, *sqlError) {
	tr := &translator{toks: r.toks, params: r.req.params, now: r.e.now(), resolve: r.lookup}
	var out *translation
	var fail *sqlError
	r.locked(func() { out, fail = tr.translate(from, to) })
	if fail != nil {
		return nil, fail
	}
	out.src = r.req.text
	for _, ref := range out.refs {
		if ref.full == "" {
			continue // range()
		}
		if err := createEngineTable(r.ctx, r.db, ref.full, ref.cols); err != nil {
			return nil, engineFail(err, out.refs)
		}
	}
	return out, nil
}

// query runs the query at toks[from:].
func (r *sqlRun) query(from int) (*result, *sqlError) {
	tr, fail := r.translateAt(from, len(r.toks))
	if fail != nil {
		return nil, fail
	}
	sqlText := tr.sql
	if r.toks[from].is("TABLE") {
		sqlText = "SELECT * FROM " + strings.TrimSpace(strings.TrimPrefix(sqlText, r.toks[from].text))
	}
	rows, err := r.db.QueryContext(r.ctx, sqlText, tr.args...)
	if err != nil {
		return nil, engineFail(err, tr.refs)
	}
	defer rows.Close()
	return readRows(rows, tr, r.req.rowLimit, r.req.byteLimit)
}

// affected is the one-row result of a DML statement.
func affected(names []string, counts ...int64) *result {
	res := &result{}
	row := make([]*string, len(counts))
	for i, n := range names {
		res.cols = append(res.cols, stmtColumn{name: n, typeName: typeBigint.name, typeText: typeBigint.text})
		s := fmt.Sprint(counts[i])
		row[i] = &s
	}
	res.rows = [][]*string{row}
	return res
}

// insert runs INSERT INTO|OVERWRITE [TABLE] t [(cols)] VALUES ... | query.
func (r *sqlRun) insert() (*result, *sqlError) {
	toks := r.toks
	if len(toks) < 3 || !toks[1].is("INTO") && !toks[1].is("OVERWRITE") {
		return nil, syntaxError(near(toks, 1))
	}
	overwrite := toks[1].is("OVERWRITE")
	tr, fail := r.translateAt(0, len(toks))
	if fail != nil {
		return nil, fail
	}
	if len(tr.refs) == 0 {
		return nil, syntaxError(near(toks, 2))
	}
	target := tr.refs[0]
	if fail := r.writable(refCatalog(target)); fail != nil {
		return nil, fail
	}
	// INSERT OVERWRITE [TABLE] is SQLite's INSERT INTO after a DELETE.
	sqlText := tr.sql
	if overwrite {
		rest := strings.TrimSpace(sqlText[len(toks[0].text):])
		rest = strings.TrimSpace(rest[len(toks[1].text):])
		sqlText = "INSERT INTO " + strings.TrimPrefix(strings.TrimPrefix(rest, "TABLE "), "table ")
	} else if toks[2].is("TABLE") {
		i := strings.Index(strings.ToUpper(sqlText), "TABLE")
		sqlText = sqlText[:i] + sqlText[i+len("TABLE"):]
	}
	tx, err := r.db.BeginTx(r.ctx, nil)
	if err != nil {
		return nil, engineFail(err, tr.refs)
	}
	defer func() { _ = tx.Rollback() }()
	if overwrite {
		if _, err := tx.ExecContext(r.ctx, "DELETE FROM "+sqliteIdent(target.full)); err != nil {
			return nil, engineFail(err, tr.refs)
		}
	}
	res, err := tx.ExecContext(r.ctx, sqlText, tr.args...)
	if err != nil {
		return nil, engineFail(err, tr.refs)
	}
	if err := tx.Commit(); err != nil {
		return nil, engineFail(err, tr.refs)
	}
	n, _ := res.RowsAffected()
	return affected([]string{"num_affected_rows", "num_inserted_rows"}, n, n), nil
}

// modify runs UPDATE and DELETE.
func (r *sqlRun) modify() (*result, *sqlError) {
	tr, fail := r.translateAt(0, len(r.toks))
	if fail != nil {
		return nil, fail
	}
	if len(tr.refs) > 0 {
		if fail := r.writable(refCatalog(tr.refs[0])); fail != nil {
			return nil, fail
		}
	}
	res, err := r.db.ExecContext(r.ctx, tr.sql, tr.args...)
	if err != nil {
		return nil, engineFail(err, tr.refs)
	}
	n, _ := res.RowsAffected()
	return affected([]string{"num_affected_rows"}, n), nil
}

// truncate runs TRUNCATE TABLE t.
func (r *sqlRun) truncate(i int) (*result, *sqlError) {
	parts, end := dottedName(r.toks, i)
	if end != len(r.toks) {
		return nil, syntaxError(near(r.toks, max(end, i)))
	}
	var ref tableRef
	var fail *sqlError
	r.locked(func() { ref, fail = r.lookup(parts) })
	if fail == nil {
		fail = r.writable(refCatalog(ref))
	}
	if fail != nil {
		return nil, fail
	}
	if err := createEngineTable(r.ctx, r.db, ref.full, ref.cols); err != nil {
		return nil, engineFail(err, nil)
	}
	if _, err := r.db.ExecContext(r.ctx, "DELETE FROM "+sqliteIdent(ref.full)); err != nil {
		return nil, engineFail(err, nil)
	}
	return noResult(), nil
}

// ifExists reads IF [NOT] EXISTS at toks[i].
func ifExists(toks []sqlTok, i int, not bool) (bool, int) {
	if not && i+2 < len(toks) && toks[i].is("IF") && toks[i+1].is("NOT") && toks[i+2].is("EXISTS") {
		return true, i + 3
	}
	if !not && i+1 < len(toks) && toks[i].is("IF") && toks[i+1].is("EXISTS") {
		return true, i + 2
	}
	return false, i
}

// createTable runs CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name
// [(columns)] [USING fmt] [PARTITIONED BY (cols)] [COMMENT '...']
// [TBLPROPERTIES (...)] [LOCATION '...'] [AS query].
func (r *sqlRun) createTable(i int, replace bool) (*result, *sqlError) {
	toks := r.toks
	ifNot, i := ifExists(toks, i, true)
	parts, end := dottedName(toks, i)
	if end < 0 || len(parts) > 3 {
		return nil, syntaxError(near(toks, i))
	}
	n := r.fullName(parts)
	if fail := r.writable(n[0]); fail != nil {
		return nil, fail
	}
	i = end
	var cols []ucColumn
	if i < len(toks) && toks[i].is("(") {
		var fail *sqlError
		if cols, i, fail = parseColumns(toks, i+1); fail != nil {
			return nil, fail
		}
	}
	comment, props, location := "", map[string]any{}, ""
	var partitions []string
	query := -1
	for i < len(toks) && query < 0 {
		switch t := toks[i]; {
		case t.is("USING"):
			if i+1 >= len(toks) || toks[i+1].kind != tkWord {
				return nil, syntaxError(near(toks, i+1))
			}
			if f := strings.ToUpper(toks[i+1].text); f != "DELTA" {
				return nil, &sqlError{"UNSUPPORTED_FEATURE", "0A000", fmt.Sprintf("The emulator creates Delta tables only, not %s.", f)}
			}
			i += 2
		case t.is("PARTITIONED") && i+2 < len(toks) && toks[i+1].is("BY") && toks[i+2].is("("):
			j := i + 3
			for j < len(toks) && toks[j].isName() {
				partitions = append(partitions, strings.ToLower(toks[j].text))
				j++
				if j < len(toks) && toks[j].kind == tkWord && !toks[j].is(")") { // a typed partition column
					typ, k, fail := parseType(toks, j)
					if fail != nil {
						return nil, fail
					}
					cols = append(cols, ucColumn{name: partitions[len(partitions)-1], typeText: typ, nullable: true, partition: -1})
					j = k
				}
				if j < len(toks) && toks[j].is(",") {
					j++
				}
			}
			if j >= len(toks) || !toks[j].is(")") || len(partitions) == 0 {
				return nil, syntaxError(near(toks, j))
			}
			i = j + 1
		case t.is("COMMENT") && i+1 < len(toks) && toks[i+1].kind == tkString:
			comment, i = toks[i+1].text, i+2
		case t.is("LOCATION") && i+1 < len(toks) && toks[i+1].kind == tkString:
			location, i = toks[i+1].text, i+2
		case t.is("TBLPROPERTIES") && i+1 < len(toks) && toks[i+1].is("("):
			j := i + 2
			for j+2 < len(toks) && (toks[j].kind == tkString || toks[j].isName()) {
				k := j
				key := toks[k].text
				for k+2 < len(toks) && toks[k+1].is(".") && toks[k+2].isName() {
					key += "." + toks[k+2].text
					k += 2
				}
				if k+2 >= len(toks) || !toks[k+1].is("=") {
					return nil, syntaxError(near(toks, k+1))
				}
				props[key] = toks[k+2].text
				j = k + 3
				if j < len(toks) && toks[j].is(",") {
					j++
				}
			}
			if j >= len(toks) || !toks[j].is(")") {
				return nil, syntaxError(near(toks, j))
			}
			i = j + 1
		case t.is("AS"):
			query = i + 1
		case t.is("SELECT") || t.is("WITH") || t.is("VALUES"):
			query = i
		default:
			return nil, syntaxError(near(toks, i))
		}
	}
	if query >= len(toks) {
		return nil, syntaxError("end of input")
	}
	if query < 0 && cols == nil {
		return nil, syntaxError("end of input")
	}
	// CREATE TABLE ... AS: the query's columns make the table.
	var tr *translation
	if query >= 0 {
		var fail *sqlError
		if tr, fail = r.translateAt(query, len(toks)); fail != nil {
			return nil, fail
		}
		rows, err := r.db.QueryContext(r.ctx, tr.sql, tr.args...)
		if err != nil {
			return nil, engineFail(err, tr.refs)
		}
		res, fail := readRows(rows, tr, 1, 0)
		_ = rows.Close()
		if fail != nil {
			return nil, fail
		}
		if cols != nil && len(cols) != len(res.cols) {
			return nil, &sqlError{"INSERT_COLUMN_ARITY_MISMATCH", "21S01", "The query's columns do not match the table's."}
		}
		if cols == nil {
			for _, c := range res.cols {
				text := c.typeText
				if c.typeName == "NULL" {
					text = "string"
				}
				cols = append(cols, ucColumn{name: c.name, typeText: text, nullable: true, partition: -1})
			}
		}
	}
	for k := range cols {
		t := typeOf(cols[k].typeText)
		cols[k].typeName, cols[k].typeText = t.name, t.text
		if slices.ContainsFunc(cols[:k], func(c ucColumn) bool { return strings.EqualFold(c.name, cols[k].name) }) {
			return nil, &sqlError{"COLUMN_ALREADY_EXISTS", "42711", fmt.Sprintf("The column `%s` already exists.", cols[k].name)}
		}
	}
	for pi, p := range partitions {
		k := slices.IndexFunc(cols, func(c ucColumn) bool { return strings.EqualFold(c.name, p) })
		if k < 0 {
			return nil, &sqlError{"DELTA_PARTITION_COLUMN_NOT_FOUND", "42703", fmt.Sprintf("Partition column `%s` not found in schema.", p)}
		}
		cols[k].partition = pi
	}
	// Unity Catalog decides; then the engine follows.
	full := strings.Join(n, ".")
	var fail *sqlError
	var exists bool
	var oldEngine, newEngine string
	r.locked(func() {
		if r.e.ucFind(ucCatalogs, n[0]) == nil {
			fail = catalogNotFound(n[0])
			return
		}
		if r.e.ucFind(ucSchemas, n[0]+"."+n[1]) == nil {
			fail = schemaNotFound(n[0], n[1])
			return
		}
		if old := r.e.ucFind(ucTables, full); old != nil {
			exists = true
			if !replace && !ifNot {
				fail = &sqlError{"TABLE_OR_VIEW_ALREADY_EXISTS", "42P07", fmt.Sprintf(
					"Cannot create table or view `%s`.`%s`.`%s` because it already exists. Choose a different name, drop or replace the existing object, or add the IF NOT EXISTS clause to tolerate pre-existing objects.", n[0], n[1], n[2])}
				return
			}
			id, _ := old["table_id"].(string)
			oldEngine = engineName(full, id)
		}
	})
	if fail != nil {
		return nil, fail
	}
	if exists && !replace {
		return noResult(), nil
	}
	id := newUUID()
	newEngine = engineName(full, id)
	if err := createEngineTable(r.ctx, r.db, newEngine, cols); err != nil {
		return nil, engineFail(err, nil)
	}
	if tr != nil {
		if _, err := r.db.ExecContext(r.ctx, "INSERT INTO "+sqliteIdent(newEngine)+" "+tr.sql, tr.args...); err != nil {
			_, _ = r.db.Exec("DROP TABLE IF EXISTS " + sqliteIdent(newEngine))
			return nil, engineFail(err, tr.refs)
		}
	}
	ucCols := make([]map[string]any, len(cols))
	for k, c := range cols {
		m := map[string]any{"name": c.name, "type_name": c.typeName, "type_text": c.typeText, "nullable": c.nullable, "position": k}
		if c.comment != "" {
			m["comment"] = c.comment
		}
		if c.partition >= 0 {
			m["partition_index"] = c.partition
		}
		ucCols[k] = m
	}
	t := map[string]any{"catalog_name": n[0], "schema_name": n[1], "name": n[2], "columns": ucCols, "table_id": id,
		"table_type": "MANAGED", "data_source_format": "DELTA"}
	if comment != "" {
		t["comment"] = comment
	}
	if len(props) > 0 {
		t["properties"] = props
	}
	if location != "" {
		t["table_type"], t["storage_location"] = "EXTERNAL", location
	}
	r.locked(func() {
		if old := r.e.ucFind(ucTables, full); old != nil {
			t["created_at"], t["created_by"] = old["created_at"], old["created_by"]
		}
		delete(r.e.ucStore(ucTables).byKey, full)
		r.e.ucPutTable(t)
	})
	if oldEngine != "" {
		_, _ = r.db.ExecContext(context.Background(), "DROP TABLE IF EXISTS "+sqliteIdent(oldEngine))
	}
	return noResult(), nil
}

// parseColumns reads column definitions after an open parenthesis.
func parseColumns(toks []sqlTok, i int) ([]ucColumn, int, *sqlError) {
	var cols []ucColumn
	for {
		if i >= len(toks) || !toks[i].isName() {
			return nil, 0, syntaxError(near(toks, i))
		}
		c := ucColumn{name: toks[i].text, nullable: true, partition: -1}
		typ, j, fail := parseType(toks, i+1)
		if fail != nil {
			return nil, 0, fail
		}
		c.typeText, i = typ, j
		for i < len(toks) && !toks[i].is(",") && !toks[i].is(")") {
			switch {
			case i+1 < len(toks) && toks[i].is("NOT") && toks[i+1].is("NULL"):
				c.nullable, i = false, i+2
			case toks[i].is("NULL"):
				i++
			case i+1 < len(toks) && toks[i].is("COMMENT") && toks[i+1].kind == tkString:
				c.comment, i = toks[i+1].text, i+2
			case toks[i].is("DEFAULT"), toks[i].is("GENERATED"), toks[i].is("PRIMARY"), toks[i].is("CONSTRAINT"), toks[i].is("MASK"):
				return nil, 0, &sqlError{"UNSUPPORTED_FEATURE", "0A000", fmt.Sprintf("The emulator's SQL engine does not support %s in a column definition.", strings.ToUpper(toks[i].text))}
			default:
				return nil, 0, syntaxError(near(toks, i))
			}
		}
		cols = append(cols, c)
		if i >= len(toks) {
			return nil, 0, syntaxError("end of input")
		}
		i++
		if toks[i-1].is(")") {
			return cols, i, nil
		}
	}
}

// dropTable runs DROP TABLE [IF EXISTS] name.
func (r *sqlRun) dropTable(i int) (*result, *sqlError) {
	ifEx, i := ifExists(r.toks, i, false)
	parts, end := dottedName(r.toks, i)
	if end != len(r.toks) || len(parts) > 3 {
		return nil, syntaxError(near(r.toks, max(end, i)))
	}
	n := r.fullName(parts)
	if fail := r.writable(n[0]); fail != nil {
		return nil, fail
	}
	full := strings.Join(n, ".")
	var fail *sqlError
	var engine string
	r.locked(func() {
		t := r.e.ucFind(ucTables, full)
		if t == nil {
			if !ifEx {
				fail = tableNotFound(n)
			}
			return
		}
		id, _ := t["table_id"].(string)
		engine = engineName(full, id)
		delete(r.e.ucStore(ucTables).byKey, full)
	})
	if fail != nil {
		return nil, fail
	}
	if engine != "" {
		if _, err := r.db.ExecContext(context.Background(), "DROP TABLE IF EXISTS "+sqliteIdent(engine)); err != nil {
			return nil, engineFail(err, nil)
		}
	}
	return noResult(), nil
}

// ucCall runs a Unity Catalog REST handler with a JSON body, for the DDL
// that does what a REST call does.
func (r *sqlRun) ucCall(h func(*params) (any, *apiError), path map[string]string, body map[string]any) *apiError {
	p := &params{path: path, body: map[string]json.RawMessage{}}
	for k, v := range body {
		b, _ := json.Marshal(v)
		p.body[k] = b
	}
	var aerr *apiError
	r.locked(func() { _, aerr = h(p) })
	return aerr
}

// nameAndComment reads [IF NOT EXISTS] name [COMMENT '...'] and ignores the
// storage and property clauses that follow.
func (r *sqlRun) nameAndComment(i int, maxParts int) (bool, []string, string, *sqlError) {
	ifNot, i := ifExists(r.toks, i, true)
	parts, end := dottedName(r.toks, i)
	if end < 0 || len(parts) > maxParts {
		return false, nil, "", syntaxError(near(r.toks, i))
	}
	comment := ""
	for k := end; k+1 < len(r.toks); k++ {
		if r.toks[k].is("COMMENT") && r.toks[k+1].kind == tkString {
			comment = r.toks[k+1].text
		}
	}
	for k := range parts {
		parts[k] = strings.ToLower(parts[k])
	}
	return ifNot, parts, comment, nil
}

// createSchema runs CREATE SCHEMA|DATABASE [IF NOT EXISTS] [cat.]sch.
func (r *sqlRun) createSchema(i int) (*result, *sqlError) {
	ifNot, parts, comment, fail := r.nameAndComment(i, 2)
	if fail != nil {
		return nil, fail
	}
	cat := strings.ToLower(r.req.cat)
	if len(parts) == 2 {
		cat = parts[0]
	}
	sch := parts[len(parts)-1]
	body := map[string]any{"catalog_name": cat, "name": sch}
	if comment != "" {
		body["comment"] = comment
	}
	switch aerr := r.ucCall(r.e.ucCreateSchema, nil, body); {
	case aerr == nil:
	case aerr.code == "SCHEMA_ALREADY_EXISTS":
		if !ifNot {
			return nil, &sqlError{"SCHEMA_ALREADY_EXISTS", "42P06", fmt.Sprintf(
				"Cannot create schema `%s`.`%s` because it already exists. Choose a different name, drop the existing schema, or add the IF NOT EXISTS clause to tolerate pre-existing schema.", cat, sch)}
		}
	case aerr.code == "CATALOG_DOES_NOT_EXIST" || aerr.status == 404:
		return nil, catalogNotFound(cat)
	default:
		return nil, &sqlError{"INVALID_PARAMETER_VALUE", "22023", aerr.msg}
	}
	return noResult(), nil
}

// createCatalog runs CREATE CATALOG [IF NOT EXISTS] name.
func (r *sqlRun) createCatalog(i int) (*result, *sqlError) {
	ifNot, parts, comment, fail := r.nameAndComment(i, 1)
	if fail != nil {
		return nil, fail
	}
	body := map[string]any{"name": parts[0]}
	if comment != "" {
		body["comment"] = comment
	}
	switch aerr := r.ucCall(r.e.ucCreateCatalog, nil, body); {
	case aerr == nil:
	case aerr.code == "CATALOG_ALREADY_EXISTS":
		if !ifNot {
			return nil, &sqlError{"CATALOG_ALREADY_EXISTS", "42P04", fmt.Sprintf("Cannot create catalog `%s` because it already exists.", parts[0])}
		}
	default:
		return nil, &sqlError{"INVALID_PARAMETER_VALUE", "22023", aerr.msg}
	}
	return noResult(), nil
}

// dropSchema runs DROP SCHEMA|DATABASE [IF EXISTS] [cat.]sch [CASCADE|RESTRICT].
func (r *sqlRun) dropSchema(i int) (*result, *sqlError) {
	ifEx, i := ifExists(r.toks, i, false)
	parts, end := dottedName(r.toks, i)
	if end < 0 || len(parts) > 2 {
		return nil, syntaxError(near(r.toks, i))
	}
	cascade := false
	if end < len(r.toks) {
		if end+1 != len(r.toks) || !r.toks[end].is("CASCADE") && !r.toks[end].is("RESTRICT") {
			return nil, syntaxError(near(r.toks, end))
		}
		cascade = r.toks[end].is("CASCADE")
	}
	cat := strings.ToLower(r.req.cat)
	if len(parts) == 2 {
		cat = strings.ToLower(parts[0])
	}
	sch := strings.ToLower(parts[len(parts)-1])
	aerr := r.ucCall(r.e.ucDeleteSchema, map[string]string{"full_name": cat + "." + sch}, map[string]any{"force": cascade})
	switch {
	case aerr == nil:
	case aerr.status == 404:
		if !ifEx {
			return nil, schemaNotFound(cat, sch)
		}
	case aerr.code == "INVALID_STATE":
		return nil, &sqlError{"SCHEMA_NOT_EMPTY", "2BP01", fmt.Sprintf(
			"Cannot drop a schema `%s`.`%s` because it contains objects. Use DROP SCHEMA ... CASCADE to drop the schema and all its objects.", cat, sch)}
	default:
		return nil, &sqlError{"INVALID_PARAMETER_VALUE", "22023", aerr.msg}
	}
	return noResult(), nil
}

// dropCatalog runs DROP CATALOG [IF EXISTS] name [CASCADE|RESTRICT].
func (r *sqlRun) dropCatalog(i int) (*result, *sqlError) {
	ifEx, i := ifExists(r.toks, i, false)
	if i >= len(r.toks) || !r.toks[i].isName() {
		return nil, syntaxError(near(r.toks, i))
	}
	name := strings.ToLower(r.toks[i].text)
	cascade := i+1 < len(r.toks) && r.toks[i+1].is("CASCADE")
	aerr := r.ucCall(r.e.ucDeleteCatalog, map[string]string{"name": name}, map[string]any{"force": cascade})
	switch {
	case aerr == nil:
	case aerr.status == 404:
		if !ifEx {
			return nil, catalogNotFound(name)
		}
	case aerr.code == "INVALID_STATE":
		return nil, &sqlError{"SCHEMA_NOT_EMPTY", "2BP01", fmt.Sprintf("Cannot drop catalog `%s` because it contains schemas. Use DROP CATALOG ... CASCADE.", name)}
	default:
		return nil, &sqlError{"INVALID_PARAMETER_VALUE", "22023", aerr.msg}
	}
	return noResult(), nil
}

func stringCols(names ...string) []stmtColumn {
	out := make([]stmtColumn, len(names))
	for i, n := range names {
		out[i] = stmtColumn{name: n, typeName: "STRING", typeText: "string"}
	}
	return out
}

// show runs SHOW CATALOGS, SHOW SCHEMAS [IN cat], SHOW TABLES [IN [cat.]sch].
func (r *sqlRun) show() (*result, *sqlError) {
	toks := r.toks
	if len(toks) < 2 {
		return nil, syntaxError("end of input")
	}
	in := func(i, maxParts int) ([]string, *sqlError) {
		if i >= len(toks) {
			return nil, nil
		}
		if !toks[i].is("IN") && !toks[i].is("FROM") {
			return nil, syntaxError(near(toks, i))
		}
		parts, end := dottedName(toks, i+1)
		if end != len(toks) || len(parts) > maxParts {
			return nil, syntaxError(near(toks, max(end, i+1)))
		}
		for k := range parts {
			parts[k] = strings.ToLower(parts[k])
		}
		return parts, nil
	}
	res := &result{}
	switch {
	case toks[1].is("CATALOGS") && len(toks) == 2:
		res.cols = stringCols("catalog")
		r.locked(func() {
			for _, c := range r.e.ucChildren(ucCatalogs, nil) {
				res.rows = append(res.rows, strRow(c["name"].(string)))
			}
		})
	case toks[1].is("SCHEMAS") || toks[1].is("DATABASES"):
		parts, fail := in(2, 1)
		if fail != nil {
			return nil, fail
		}
		cat := strings.ToLower(r.req.cat)
		if len(parts) == 1 {
			cat = parts[0]
		}
		res.cols = stringCols("databaseName")
		r.locked(func() {
			if r.e.ucFind(ucCatalogs, cat) == nil {
				fail = catalogNotFound(cat)
				return
			}
			for _, s := range r.e.ucChildren(ucSchemas, map[string]string{"catalog_name": cat}) {
				res.rows = append(res.rows, strRow(s["name"].(string)))
			}
		})
		if fail != nil {
			return nil, fail
		}
	case toks[1].is("TABLES"):
		parts, fail := in(2, 2)
		if fail != nil {
			return nil, fail
		}
		cat, sch := strings.ToLower(r.req.cat), strings.ToLower(r.req.sch)
		switch len(parts) {
		case 1:
			sch = parts[0]
		case 2:
			cat, sch = parts[0], parts[1]
		}
		res.cols = append(stringCols("database", "tableName"), stmtColumn{name: "isTemporary", typeName: "BOOLEAN", typeText: "boolean"})
		r.locked(func() {
			if r.e.ucFind(ucSchemas, cat+"."+sch) == nil {
				fail = schemaNotFound(cat, sch)
				return
			}
			for _, t := range r.e.ucChildren(ucTables, map[string]string{"catalog_name": cat, "schema_name": sch}) {
				res.rows = append(res.rows, strRow(sch, t["name"].(string), "false"))
			}
		})
		if fail != nil {
			return nil, fail
		}
	default:
		return nil, syntaxError(near(toks, 1))
	}
	return res, nil
}

// describe runs DESCRIBE [TABLE] [EXTENDED|FORMATTED] name: the columns,
// the partition columns, and with EXTENDED the table's details.
func (r *sqlRun) describe() (*result, *sqlError) {
	toks := r.toks
	i := 1
	if i < len(toks) && toks[i].is("TABLE") {
		i++
	}
	extended := false
	if i+1 < len(toks) && (toks[i].is("EXTENDED") || toks[i].is("FORMATTED")) && toks[i+1].isName() {
		extended, i = true, i+1
	}
	if i < len(toks) && (toks[i].is("SCHEMA") || toks[i].is("DATABASE") || toks[i].is("CATALOG") || toks[i].is("FUNCTION") || toks[i].is("HISTORY") || toks[i].is("DETAIL") || toks[i].is("QUERY")) && i+1 < len(toks) {
		return nil, unsupported("DESCRIBE " + strings.ToUpper(toks[i].text))
	}
	parts, end := dottedName(toks, i)
	if end != len(toks) || len(parts) > 3 {
		return nil, syntaxError(near(toks, max(end, i)))
	}
	n := r.fullName(parts)
	var t map[string]any
	r.locked(func() {
		if found := r.e.ucFind(ucTables, strings.Join(n, ".")); found != nil {
			t = map[string]any{}
			for k, v := range found {
				t[k] = v
			}
		}
	})
	if t == nil {
		return nil, tableNotFound(n)
	}
	res := &result{cols: stringCols("col_name", "data_type", "comment")}
	row := func(a, b string, c *string) { res.rows = append(res.rows, []*string{&a, &b, c}) }
	str := func(s string) *string { return &s }
	cols := ucTableColumns(t)
	for _, c := range cols {
		var cm *string
		if c.comment != "" {
			cm = str(c.comment)
		}
		row(c.name, c.typeText, cm)
	}
	var parts2 []ucColumn
	for _, c := range cols {
		if c.partition >= 0 {
			parts2 = append(parts2, c)
		}
	}
	slices.SortFunc(parts2, func(a, b ucColumn) int { return a.partition - b.partition })
	if len(parts2) > 0 {
		row("# Partition Information", "", str(""))
		row("# col_name", "data_type", str("comment"))
		for _, c := range parts2 {
			var cm *string
			if c.comment != "" {
				cm = str(c.comment)
			}
			row(c.name, c.typeText, cm)
		}
	}
	if extended {
		get := func(k string) string { s, _ := t[k].(string); return s }
		row("", "", str(""))
		row("# Detailed Table Information", "", str(""))
		row("Catalog", n[0], str(""))
		row("Database", n[1], str(""))
		row("Table", n[2], str(""))
		row("Owner", get("owner"), str(""))
		row("Type", get("table_type"), str(""))
		row("Location", get("storage_location"), str(""))
		row("Provider", strings.ToLower(get("data_source_format")), str(""))
		if c := get("comment"); c != "" {
			row("Comment", c, str(""))
		}
	}
	return res, nil
}
