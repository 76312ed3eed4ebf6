package emulator

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// This file maps Databricks types to the engine's columns and back, and
// renders engine values as JSON_ARRAY strings.
//
// An engine column's declared type is the Databricks type, with a word
// added where SQLite's affinity rules would otherwise change the values:
// "STRING TEXT" keeps '007' a string, "DATE TEXT" and "TIMESTAMP TEXT"
// keep the text as written (the driver would parse bare DATE and
// TIMESTAMP into time values), "BOOLEAN INT" stores 1 and 0. DECIMAL(p,s)
// has NUMERIC affinity: exact as SQLite's lossless conversion allows, and
// compared as a number. SQLite reports the declared type of a result
// column that reads a table column, which gives the result its type.

// sqlType is a Databricks type: the enum of manifest columns and the text
// Databricks prints.
type sqlType struct {
	name, text  string
	prec, scale int // decimals only
}

var (
	typeString  = sqlType{name: "STRING", text: "string"}
	typeInt     = sqlType{name: "INT", text: "int"}
	typeBigint  = sqlType{name: "LONG", text: "bigint"}
	typeDouble  = sqlType{name: "DOUBLE", text: "double"}
	typeBoolean = sqlType{name: "BOOLEAN", text: "boolean"}
	typeDate    = sqlType{name: "DATE", text: "date"}
	typeTS      = sqlType{name: "TIMESTAMP", text: "timestamp"}
	typeNull    = sqlType{name: "NULL", text: "void"}
)

// typeAliases are the spellings Databricks accepts for its types.
var typeAliases = map[string]string{
	"string": "string", "varchar": "string", "char": "string", "text": "string",
	"int": "int", "integer": "int", "bigint": "bigint", "long": "bigint", "smallint": "smallint", "short": "smallint",
	"tinyint": "tinyint", "byte": "tinyint", "double": "double", "float": "float", "real": "float",
	"boolean": "boolean", "bool": "boolean", "date": "date", "timestamp": "timestamp", "timestamp_ltz": "timestamp",
	"timestamp_ntz": "timestamp_ntz", "binary": "binary", "decimal": "decimal", "dec": "decimal", "numeric": "decimal",
	"void": "void",
}

// parseType reads a type name at toks[i], such as DECIMAL(10, 2), and
// returns its Databricks text and the index after it.
func parseType(toks []sqlTok, i int) (string, int, *sqlError) {
	if i >= len(toks) || toks[i].kind != tkWord {
		return "", 0, syntaxError(near(toks, i))
	}
	word := strings.ToLower(toks[i].text)
	base, ok := typeAliases[word]
	if !ok {
		if i+1 < len(toks) && toks[i+1].is("<") || word == "array" || word == "map" || word == "struct" {
			return "", 0, &sqlError{"UNSUPPORTED_DATATYPE", "0A000", fmt.Sprintf("The emulator's SQL engine does not support the data type %q.", strings.ToUpper(word))}
		}
		return "", 0, &sqlError{"UNSUPPORTED_DATATYPE", "0A000", fmt.Sprintf("Unsupported data type %q.", strings.ToUpper(word))}
	}
	i++
	var args []int
	if i < len(toks) && toks[i].is("(") {
		i++
		for {
			if i >= len(toks) || toks[i].kind != tkNumber {
				return "", 0, syntaxError(near(toks, i))
			}
			n, err := strconv.Atoi(toks[i].text)
			if err != nil {
				return "", 0, syntaxError(near(toks, i))
			}
			args = append(args, n)
			i++
			if i < len(toks) && toks[i].is(",") {
				i++
				continue
			}
			if i >= len(toks) || !toks[i].is(")") {
				return "", 0, syntaxError(near(toks, i))
			}
			i++
			break
		}
	}
	switch {
	case base == "decimal":
		p, s := 10, 0
		if len(args) > 0 {
			p = args[0]
		}
		if len(args) > 1 {
			s = args[1]
		}
		if len(args) > 2 || p < 1 || p > 38 || s < 0 || s > p {
			return "", 0, &sqlError{"DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION", "22003", fmt.Sprintf("Decimal precision %d exceeds max precision 38 or the scale %d is not in [0, %d].", p, s, p)}
		}
		return fmt.Sprintf("decimal(%d,%d)", p, s), i, nil
	case (word == "varchar" || word == "char") && len(args) == 1:
		return fmt.Sprintf("%s(%d)", word, args[0]), i, nil
	case len(args) > 0:
		return "", 0, syntaxError(near(toks, i-1))
	}
	return base, i, nil
}

// typeOf is the Databricks type of a type text such as "decimal(10,2)".
func typeOf(text string) sqlType {
	text = strings.ToLower(strings.TrimSpace(text))
	if rest, ok := strings.CutPrefix(text, "decimal("); ok {
		var p, s int
		if _, err := fmt.Sscanf(strings.TrimSuffix(rest, ")"), "%d,%d", &p, &s); err == nil {
			return sqlType{name: "DECIMAL", text: fmt.Sprintf("decimal(%d,%d)", p, s), prec: p, scale: s}
		}
	}
	if strings.HasPrefix(text, "varchar(") || strings.HasPrefix(text, "char(") {
		return sqlType{name: "STRING", text: text}
	}
	switch typeAliases[text] {
	case "string":
		return typeString
	case "int":
		return typeInt
	case "bigint":
		return typeBigint
	case "smallint":
		return sqlType{name: "SHORT", text: "smallint"}
	case "tinyint":
		return sqlType{name: "BYTE", text: "tinyint"}
	case "double":
		return typeDouble
	case "float":
		return sqlType{name: "FLOAT", text: "float"}
	case "boolean":
		return typeBoolean
	case "date":
		return typeDate
	case "timestamp":
		return typeTS
	case "timestamp_ntz":
		return sqlType{name: "TIMESTAMP", text: "timestamp_ntz"}
	case "binary":
		return sqlType{name: "BINARY", text: "binary"}
	case "decimal":
		return sqlType{name: "DECIMAL", text: "decimal(10,0)", prec: 10}
	case "void":
		return typeNull
	}
	return sqlType{}
}

// sqliteType is the engine's declared type for a Databricks type text.
func sqliteType(text string) (string, sqlType, *sqlError) {
	t := typeOf(text)
	switch t.name {
	case "":
		return "", t, &sqlError{"UNSUPPORTED_DATATYPE", "0A000", fmt.Sprintf("Unsupported data type %q.", strings.ToUpper(text))}
	case "STRING":
		return "STRING TEXT", t, nil
	case "DATE", "TIMESTAMP", "NULL":
		return strings.ToUpper(t.text) + " TEXT", t, nil
	case "BOOLEAN":
		return "BOOLEAN INT", t, nil
	case "BINARY":
		return "BINARY BLOB", t, nil
	case "DECIMAL":
		return strings.ToUpper(t.text), t, nil
	}
	return strings.ToUpper(t.text), t, nil
}

// typeOfDecl is the Databricks type of an engine column's declared type,
// or the zero type when it is not one of ours.
func typeOfDecl(decl string) sqlType {
	if decl == "" {
		return sqlType{}
	}
	word, _, _ := strings.Cut(decl, " ")
	return typeOf(word)
}

// render is an engine value as JSON_ARRAY carries it for type t.
func render(v any, t sqlType) *string {
	var s string
	switch x := v.(type) {
	case nil:
		return nil
	case []byte:
		s = string(x)
		if t.name == "BINARY" {
			s = encodeBase64(x)
		}
	case string:
		s = x
	case int64:
		switch t.name {
		case "BOOLEAN":
			s = strconv.FormatBool(x != 0)
		case "DOUBLE", "FLOAT":
			s = formatDouble(float64(x))
		case "DECIMAL":
			s = formatDecimal(strconv.FormatInt(x, 10), t.scale)
		default:
			s = strconv.FormatInt(x, 10)
		}
		return &s
	case float64:
		switch t.name {
		case "DECIMAL":
			s = strconv.FormatFloat(x, 'f', t.scale, 64)
		case "INT", "LONG", "SHORT", "BYTE":
			s = strconv.FormatInt(int64(x), 10)
		default:
			s = formatDouble(x)
		}
		return &s
	case bool:
		s = strconv.FormatBool(x)
		return &s
	case time.Time:
		s = x.UTC().Format("2006-01-02T15:04:05.000Z")
		return &s
	default:
		s = fmt.Sprint(x)
	}
	switch t.name {
	case "TIMESTAMP":
		if ts, ok := parseTimestamp(s); ok {
			s = ts.Format("2006-01-02T15:04:05.000Z")
			if t.text == "timestamp_ntz" {
				s = ts.Format("2006-01-02T15:04:05.000")
			}
		}
	case "DATE":
		if ts, ok := parseTimestamp(s); ok {
			s = ts.Format(time.DateOnly)
		}
	case "BOOLEAN":
		if b, err := strconv.ParseBool(s); err == nil {
			s = strconv.FormatBool(b)
		}
	case "DECIMAL":
		s = formatDecimal(s, t.scale)
	}
	return &s
}

// timestampLayouts are the forms a timestamp or date string may be in.
var timestampLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999Z", "2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04", "2006-01-02 15:04",
	time.DateOnly,
}

func parseTimestamp(s string) (time.Time, bool) {
	for _, l := range timestampLayouts {
		if t, err := time.Parse(l, strings.TrimSpace(s)); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// formatDouble prints a double as Databricks (Java) does: at least one
// fractional digit, scientific notation outside [1e-3, 1e7).
func formatDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	if a := math.Abs(f); a == 0 || a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'E', -1, 64)
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	exp = strings.TrimPrefix(exp, "+")
	if neg := strings.HasPrefix(exp, "-"); neg {
		exp = "-" + strings.TrimLeft(exp[1:], "0")
	} else {
		exp = strings.TrimLeft(exp, "0")
	}
	return mant + "E" + exp
}

// formatDecimal writes a decimal's text with exactly scale fractional
// digits; text that is not a plain number is left as it is.
func formatDecimal(s string, scale int) string {
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return s
		}
		return strconv.FormatFloat(f, 'f', scale, 64)
	}
	sign := ""
	body := s
	if strings.HasPrefix(body, "-") || strings.HasPrefix(body, "+") {
		if body[0] == '-' {
			sign = "-"
		}
		body = body[1:]
	}
	whole, frac, _ := strings.Cut(body, ".")
	for _, c := range whole + frac {
		if c < '0' || c > '9' {
			return s
		}
	}
	if whole == "" {
		whole = "0"
	}
	if len(frac) > scale {
		f, err := strconv.ParseFloat(s, 64)
		if err == nil {
			return strconv.FormatFloat(f, 'f', scale, 64)
		}
		frac = frac[:scale]
	}
	frac += strings.Repeat("0", scale-len(frac))
	if scale == 0 {
		return sign + whole
	}
	return sign + whole + "." + frac
}

// stmtParam is a value bound to a named parameter marker.
type stmtParam struct {
	value *string
	typ   string
}

// bind is the parameter's value for the engine, parsed by its type as
// Databricks parses a typed parameter.
func (p stmtParam) bind() (any, *sqlError) {
	if p.value == nil {
		return nil, nil
	}
	v := *p.value
	bad := func() (any, *sqlError) {
		return nil, &sqlError{"INVALID_PARAMETER_MARKER_VALUE.INVALID_VALUE_FOR_DATA_TYPE", "22023",
			fmt.Sprintf("An invalid parameter mapping was provided: the value '%s' cannot be converted to %s.", v, p.typ)}
	}
	t := typeOf(strings.ToLower(p.typ))
	switch t.name {
	case "INT", "LONG", "SHORT", "BYTE":
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return bad()
		}
		return n, nil
	case "DOUBLE", "FLOAT":
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return bad()
		}
		return f, nil
	case "DECIMAL":
		if _, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err != nil {
			return bad()
		}
		return strings.TrimSpace(v), nil
	case "BOOLEAN":
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return bad()
		}
		if b {
			return int64(1), nil
		}
		return int64(0), nil
	case "DATE", "TIMESTAMP":
		ts, ok := parseTimestamp(v)
		if !ok {
			return bad()
		}
		if t.name == "DATE" {
			return ts.Format(time.DateOnly), nil
		}
		return ts.Format("2006-01-02T15:04:05.000Z"), nil
	}
	return v, nil
}

// paramType is the Databricks type of a parameter marker.
func (p stmtParam) sqlType() sqlType {
	t := typeOf(strings.ToLower(p.typ))
	if t.name == "" {
		return typeString
	}
	return t
}
