package emulator

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// This file turns a Databricks SQL query into SQLite SQL: Unity Catalog
// names in table positions become the engine's quoted table names,
// strings and backquoted names are requoted the SQLite way, markers become
// bound arguments, range() becomes a recursive CTE, and the few spellings
// SQLite lacks are translated. Everything else passes through, so what
// SQLite cannot run fails there and is reported as a Databricks error.

// tableRef is a table the query names, resolved to its engine table.
type tableRef struct {
	full  string   // the engine table's name: catalog.schema.table@table_id
	name  string   // catalog.schema.table
	parts []string // the name as written, lower case
	alias string   // lower case, "" if none
	cols  []ucColumn
}

// ucColumn is a table column as Unity Catalog keeps it.
type ucColumn struct {
	name, typeName, typeText, comment string
	nullable                          bool
	partition                         int // -1 unless a partition column
}

// selectItem is one item of the outermost select list, for naming and
// typing the result's columns.
type selectItem struct {
	toks  []sqlTok
	alias string
	text  string // the item as written
}

// translation is a query ready for the engine.
type translation struct {
	sql      string
	args     []any
	refs     []tableRef
	items    []selectItem // nil when the list has a * or is not known
	isValues bool
	params   map[string]stmtParam
	src      string // the statement as written, for naming columns
}

// translator holds what translating one statement needs.
type translator struct {
	toks    []sqlTok
	params  map[string]stmtParam
	resolve func(parts []string) (tableRef, *sqlError)
	now     time.Time
	ranges  int
}

// tableKeywords are the words after which a name is a table's.
var tableKeywords = map[string]bool{"FROM": true, "JOIN": true, "INTO": true, "OVERWRITE": true, "UPDATE": true, "TABLE": true}

// notAlias are words that end a table reference rather than name it.
var notAlias = map[string]bool{
	"WHERE": true, "JOIN": true, "LEFT": true, "RIGHT": true, "INNER": true, "OUTER": true, "CROSS": true, "FULL": true,
	"NATURAL": true, "ON": true, "USING": true, "GROUP": true, "ORDER": true, "HAVING": true, "LIMIT": true, "OFFSET": true,
	"UNION": true, "EXCEPT": true, "INTERSECT": true, "MINUS": true, "WINDOW": true, "QUALIFY": true, "SET": true,
	"VALUES": true, "SELECT": true, "AS": true, "LATERAL": true, "SEMI": true, "ANTI": true, "SORT": true,
	"CLUSTER": true, "DISTRIBUTE": true, "TABLESAMPLE": true, "PARTITION": true, "BY": true, "WITH": true,
}

// textFunctions take FROM inside their parentheses without it naming a
// table: EXTRACT(YEAR FROM d), TRIM(BOTH 'x' FROM s), SUBSTRING(s FROM 2).
var textFunctions = map[string]bool{"EXTRACT": true, "TRIM": true, "SUBSTRING": true, "SUBSTR": true, "POSITION": true, "OVERLAY": true}

// translate rewrites toks[from:to].
func (tr *translator) translate(from, to int) (*translation, *sqlError) {
	toks := tr.toks[from:to]
	ctes := map[string]bool{}
	for i := 0; i+2 < len(toks); i++ {
		if toks[i].isName() && toks[i+1].is("AS") && toks[i+2].is("(") {
			ctes[strings.ToLower(toks[i].text)] = true
		}
	}
	// Pass 1: the table references.
	type span struct {
		end int
		ref int // index in refs, or -1 for a CTE
		rng string
	}
	spans := map[int]span{}
	var refs []tableRef
	var parens []string // the word before each open parenthesis
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.is("("):
			prev := ""
			if i > 0 && toks[i-1].kind == tkWord {
				prev = strings.ToUpper(toks[i-1].text)
			}
			parens = append(parens, prev)
			continue
		case t.is(")"):
			if len(parens) > 0 {
				parens = parens[:len(parens)-1]
			}
			continue
		case t.kind != tkWord || !tableKeywords[strings.ToUpper(t.text)]:
			continue
		}
		kw := strings.ToUpper(t.text)
		if kw == "FROM" && len(parens) > 0 && textFunctions[parens[len(parens)-1]] {
			continue
		}
		if (kw == "INTO" || kw == "OVERWRITE") && i+1 < len(toks) && toks[i+1].is("TABLE") {
			continue
		}
		if kw == "TABLE" && i > 0 && !toks[i-1].is("INTO") && !toks[i-1].is("OVERWRITE") {
			continue
		}
		for j := i + 1; j < len(toks); {
			if !toks[j].isName() {
				break
			}
			cur := -1 // the reference just read
			if toks[j].kind == tkWord && strings.EqualFold(toks[j].text, "range") && j+1 < len(toks) && toks[j+1].is("(") {
				sql, end, fail := tr.rangeSource(toks, j+2)
				if fail != nil {
					return nil, fail
				}
				spans[j] = span{end: end, ref: -1, rng: sql}
				cur = len(refs)
				refs = append(refs, tableRef{cols: []ucColumn{{name: "id", typeName: "LONG", typeText: "bigint", partition: -1}}})
				j = end
			} else {
				parts, end := dottedName(toks, j)
				if end < 0 {
					return nil, syntaxError(near(toks, j))
				}
				if len(parts) > 1 || !ctes[strings.ToLower(parts[0])] {
					ref, fail := tr.resolve(parts)
					if fail != nil {
						return nil, fail
					}
					for k := range parts {
						parts[k] = strings.ToLower(parts[k])
					}
					ref.parts = parts
					cur = len(refs)
					spans[j] = span{end: end, ref: cur}
					refs = append(refs, ref)
				}
				j = end
			}
			if kw != "FROM" && kw != "JOIN" {
				break
			}
			// An alias, then perhaps another table of a FROM list.
			alias := ""
			if j < len(toks) && toks[j].is("AS") && j+1 < len(toks) && toks[j+1].isName() {
				alias, j = toks[j+1].text, j+2
			} else if j < len(toks) && (toks[j].kind == tkQuoted || toks[j].kind == tkWord && !notAlias[strings.ToUpper(toks[j].text)]) {
				alias, j = toks[j].text, j+1
			}
			if cur >= 0 {
				refs[cur].alias = strings.ToLower(alias)
			}
			if kw == "FROM" && j < len(toks) && toks[j].is(",") {
				j++
				continue
			}
			break
		}
	}
	// Pass 2: write SQLite SQL.
	out := &translation{refs: refs, params: tr.params}
	var b strings.Builder
	emit := func(t sqlTok, s string) {
		if b.Len() > 0 && (t.space || needsSpace(b.String(), s)) {
			b.WriteByte(' ')
		}
		b.WriteString(s)
	}
	var casts []int              // parenthesis depth of each open CAST
	closeExtra := map[int]bool{} // closing parentheses of wrapped casts
	depth := 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if sp, ok := spans[i]; ok {
			switch {
			case sp.rng != "":
				emit(t, sp.rng)
			case sp.ref >= 0:
				emit(t, sqliteIdent(refs[sp.ref].full))
			default:
				for k := i; k < sp.end; k++ {
					emit(toks[k], sqliteIdent(toks[k].text))
					if k+1 < sp.end {
						k++
						emit(toks[k], ".")
					}
				}
			}
			i = sp.end - 1
			continue
		}
		switch t.kind {
		case tkString:
			emit(t, sqliteString(t.text))
			continue
		case tkParam:
			p, ok := tr.params[strings.ToLower(t.text)]
			if !ok {
				return nil, &sqlError{"UNBOUND_SQL_PARAMETER", "42P02", fmt.Sprintf(
					"Found the unbound parameter: %s. Please, fix `args` and provide a mapping of the parameter to either a SQL literal or collection constructor functions such as `map()`, `array()`, `struct()`.", t.text)}
			}
			v, fail := p.bind()
			if fail != nil {
				return nil, fail
			}
			out.args = append(out.args, v)
			emit(t, "?")
			continue
		case tkNumber:
			emit(t, sqliteNumber(t.text))
			continue
		case tkOp:
			switch t.text {
			case "(":
				depth++
			case ")":
				if closeExtra[i] {
					emit(t, "))")
					depth--
					casts = casts[:len(casts)-1]
					continue
				}
				depth--
				if len(casts) > 0 && casts[len(casts)-1] == depth+1 {
					casts = casts[:len(casts)-1]
				}
			case "<=>":
				emit(t, "IS")
				continue
			case "/":
				// Databricks divides as doubles: 10 / 4 is 2.5.
				emit(t, "* 1.0 /")
				continue
			case "?", "$", "@":
				// SQLite would take these for parameters and bind NULL.
				return nil, syntaxError(near(toks, i))
			case "::":
				return nil, &sqlError{"UNSUPPORTED_FEATURE", "0A000", "The emulator's SQL engine does not support the :: cast syntax; use CAST(x AS type)."}
			}
			emit(t, t.text)
			continue
		}
		// A word or a quoted name.
		if t.kind == tkWord {
			up := strings.ToUpper(t.text)
			switch {
			case (up == "UPPER" || up == "UCASE" || up == "LOWER" || up == "LCASE") && i+1 < len(toks) && toks[i+1].is("("):
				if up == "UPPER" || up == "UCASE" {
					emit(t, "dbx_upper")
				} else {
					emit(t, "dbx_lower")
				}
				continue
			case up == "CONCAT" && i+1 < len(toks) && toks[i+1].is("("):
				emit(t, "dbx_concat")
				continue
			case up == "TYPEOF" && i+1 < len(toks) && toks[i+1].is("("):
				return nil, &sqlError{"UNSUPPORTED_FEATURE", "0A000", "The emulator's SQL engine does not support typeof(): its engine's storage classes are not Databricks types."}
			case up == "ILIKE" || up == "RLIKE" || up == "REGEXP":
				return nil, &sqlError{"UNSUPPORTED_FEATURE", "0A000", fmt.Sprintf("The emulator's SQL engine does not support %s; use LIKE (case-sensitive) or lower(x) LIKE pattern.", up)}
			case up == "CAST" && i+1 < len(toks) && toks[i+1].is("("):
				casts = append(casts, depth+1)
				// A cast to DATE, TIMESTAMP or BOOLEAN also takes the value
				// to the form the engine keeps (and fails on bad input).
				if end := closes(toks, i+1); end > 0 {
					for k := end - 1; k > i+1; k-- {
						if toks[k].is("AS") {
							if typ, _, fail := parseType(toks, k+1); fail == nil {
								if f := normalizer(typeOf(typ)); f != "" {
									emit(t, f+"(CAST")
									closeExtra[end] = true
									i++
									emit(toks[i], "(")
									depth++
									goto next
								}
							}
							break
						}
					}
				}
			case up == "AS" && len(casts) > 0 && casts[len(casts)-1] == depth && i+1 < len(toks) && toks[i+1].kind == tkWord:
				typ, end, fail := parseType(toks, i+1)
				if fail != nil {
					return nil, fail
				}
				sqlType, st, fail := sqliteType(typ)
				if fail != nil {
					return nil, fail
				}
				if normalizer(st) != "" {
					sqlType = "TEXT" // the wrapping normalizer does the cast
				}
				emit(t, "AS "+sqlType)
				i = end - 1
				continue
			case (up == "DATE" || up == "TIMESTAMP" || up == "TIMESTAMP_NTZ") && i+1 < len(toks) && toks[i+1].kind == tkString:
				// A typed literal, DATE'2024-01-31': the engine keeps dates
				// and timestamps as text in a normal form.
				v := toks[i+1].text
				if ts, ok := parseTimestamp(v); ok {
					v = ts.Format("2006-01-02T15:04:05.000Z")
					if up == "DATE" {
						v = ts.Format(time.DateOnly)
					}
				}
				emit(t, sqliteString(v))
				i++
				continue
			case up == "CURRENT_DATE" || up == "CURDATE" || up == "CURRENT_TIMESTAMP" || up == "NOW":
				end := i + 1
				if end+1 < len(toks) && toks[end].is("(") && toks[end+1].is(")") {
					end += 2
				} else if up == "NOW" || up == "CURDATE" {
					break
				}
				v := tr.now.UTC().Format("2006-01-02T15:04:05.000Z")
				if up == "CURRENT_DATE" || up == "CURDATE" {
					v = tr.now.UTC().Format(time.DateOnly)
				}
				emit(t, sqliteString(v))
				i = end - 1
				continue
			}
		}
		if t.isName() && i+2 < len(toks) && toks[i+1].is(".") && toks[i+2].isName() {
			parts, end := dottedName(toks, i)
			if end > 0 && len(parts) <= 4 {
				if q := qualifier(refs, parts[:len(parts)-1]); q != "" {
					emit(t, q+"."+sqliteIdent(parts[len(parts)-1]))
					i = end - 1
					continue
				}
			}
		}
		if t.kind == tkQuoted {
			emit(t, sqliteIdent(t.text))
		} else {
			emit(t, t.text)
		}
	next:
	}
	out.sql = b.String()
	out.items, out.isValues = selectItems(toks)
	return out, nil
}

// needsSpace keeps two words from running together.
func needsSpace(prev, next string) bool {
	if prev == "" || next == "" {
		return false
	}
	a, b := prev[len(prev)-1], next[0]
	return isWordByte(a) && isWordByte(b) || a == '\'' && b == '\'' || a == '"' && b == '"'
}

// qualifier is the engine's name for the table that a column reference's
// qualifier (t, schema.t or catalog.schema.t) names, or "" when it is an
// alias or names no table of the query.
func qualifier(refs []tableRef, q []string) string {
	for _, r := range refs {
		if r.alias != "" || r.name == "" {
			continue
		}
		full := strings.Split(r.name, ".")
		if len(q) > len(full) {
			continue
		}
		ok := true
		for k := range q {
			if !strings.EqualFold(q[len(q)-1-k], full[len(full)-1-k]) {
				ok = false
				break
			}
		}
		if ok {
			return sqliteIdent(r.full)
		}
	}
	return ""
}

// dottedName reads a name of dotted parts at toks[i]; end is -1 when a
// dot is not followed by a name.
func dottedName(toks []sqlTok, i int) ([]string, int) {
	var parts []string
	for {
		if i >= len(toks) || !toks[i].isName() {
			return nil, -1
		}
		parts = append(parts, toks[i].text)
		i++
		if i+1 >= len(toks) || !toks[i].is(".") || !toks[i+1].isName() {
			return parts, i
		}
		i++
	}
}

// rangeSource is range(end), range(start, end) or range(start, end, step)
// as a recursive CTE that SQLite streams row by row; toks[i] is its first
// argument.
func (tr *translator) rangeSource(toks []sqlTok, i int) (string, int, *sqlError) {
	var args []int64
	for {
		neg := false
		if i < len(toks) && (toks[i].is("-") || toks[i].is("+")) {
			neg = toks[i].is("-")
			i++
		}
		if i >= len(toks) || toks[i].kind != tkNumber {
			return "", 0, &sqlError{"UNSUPPORTED_FEATURE", "0A000", "The emulator's range() takes integer literals only."}
		}
		n, err := strconv.ParseInt(strings.TrimRight(toks[i].text, "lL"), 10, 64)
		if err != nil {
			return "", 0, syntaxError(near(toks, i))
		}
		if neg {
			n = -n
		}
		args = append(args, n)
		i++
		if i < len(toks) && toks[i].is(",") {
			i++
			continue
		}
		if i >= len(toks) || !toks[i].is(")") || len(args) > 3 {
			return "", 0, syntaxError(near(toks, i))
		}
		i++
		break
	}
	start, end, step := int64(0), args[0], int64(1)
	if len(args) > 1 {
		start, end = args[0], args[1]
	}
	if len(args) > 2 {
		step = args[2]
	}
	if step == 0 {
		return "", 0, &sqlError{"FAILED_FUNCTION_CALL", "38000", "The step of range() must not be 0."}
	}
	cmp := "<"
	if step < 0 {
		cmp = ">"
	}
	tr.ranges++
	name := fmt.Sprintf("_range%d", tr.ranges)
	return fmt.Sprintf("(WITH RECURSIVE %[1]s(id) AS (SELECT %[2]d WHERE %[2]d %[5]s %[3]d UNION ALL SELECT id + %[4]d FROM %[1]s WHERE id + %[4]d %[5]s %[3]d) SELECT id FROM %[1]s)",
		name, start, end, step, cmp), i, nil
}

// sqliteNumber writes a Databricks numeric literal for SQLite: the type
// suffixes go (the result's type comes from the literal as written).
func sqliteNumber(s string) string {
	last := s[len(s)-1]
	switch last {
	case 'l', 'L', 's', 'S', 'y', 'Y':
		return s[:len(s)-1]
	case 'd', 'D':
		s = s[:len(s)-1]
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
	}
	return s
}

// selectItems splits the outermost select list of a query into its items.
// The second result reports a VALUES query, whose columns are col1, col2...
func selectItems(toks []sqlTok) ([]selectItem, bool) {
	depth, start := 0, -1
	for i, t := range toks {
		switch {
		case t.is("("):
			depth++
		case t.is(")"):
			depth--
		case depth == 0 && t.is("VALUES") && start < 0:
			return nil, i == 0 || toks[0].is("(")
		case depth == 0 && t.is("SELECT"):
			start = i + 1
		}
		if start >= 0 {
			break
		}
	}
	if start < 0 {
		return nil, false
	}
	if start < len(toks) && (toks[start].is("DISTINCT") || toks[start].is("ALL")) {
		start++
	}
	var items []selectItem
	cur := start
	depth = 0
	end := len(toks)
	for i := start; i < len(toks); i++ {
		t := toks[i]
		if t.is("(") {
			depth++
		} else if t.is(")") {
			depth--
		}
		if depth < 0 || depth == 0 && t.kind == tkWord && listEnd[strings.ToUpper(t.text)] {
			end = i
			break
		}
		if depth == 0 && t.is(",") {
			items = append(items, newItem(toks[cur:i]))
			cur = i + 1
		}
	}
	if cur < end {
		items = append(items, newItem(toks[cur:end]))
	}
	for _, it := range items {
		if len(it.toks) == 0 || it.toks[len(it.toks)-1].is("*") {
			return nil, false
		}
	}
	return items, false
}

// listEnd are the words that end a select list.
var listEnd = map[string]bool{"FROM": true, "WHERE": true, "GROUP": true, "HAVING": true, "ORDER": true, "LIMIT": true,
	"UNION": true, "EXCEPT": true, "INTERSECT": true, "WINDOW": true, "QUALIFY": true, "OFFSET": true, "INTO": true}

// aliasStops are words that end an expression without being an alias.
var aliasStops = map[string]bool{"NULL": true, "END": true, "TRUE": true, "FALSE": true, "ASC": true, "DESC": true,
	"AND": true, "OR": true, "NOT": true, "IS": true, "IN": true, "LIKE": true, "BETWEEN": true, "THEN": true, "ELSE": true}

func newItem(toks []sqlTok) selectItem {
	it := selectItem{toks: toks}
	n := len(toks)
	if n < 2 {
		return it
	}
	last, prev := toks[n-1], toks[n-2]
	switch {
	case prev.is("AS") && last.isName():
		it.alias, it.toks = last.text, toks[:n-2]
	case (last.kind == tkQuoted || last.kind == tkWord && !aliasStops[strings.ToUpper(last.text)]) &&
		(prev.kind != tkOp || prev.is(")")):
		it.alias, it.toks = last.text, toks[:n-1]
	}
	return it
}
