package emulator

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
)

// This file registers the functions the engine adds to SQLite's: those
// Databricks has and SQLite lacks, those that differ (Unicode case
// folding, concat's NULL), and the normalizers that keep a DATE,
// TIMESTAMP or BOOLEAN column's values in one form so that comparisons
// and rendering agree. The registrations are the driver's, shared by
// every emulator in the process; their dbx_ names keep them apart from
// SQLite's own.

// sqlFunc is one registered function: its argument count (-1 for any)
// and body.
type sqlFunc struct {
	args int32
	f    func(args []driver.Value) (driver.Value, error)
}

// castError is a value a typed column cannot hold, as Databricks' ANSI
// mode refuses it.
func castError(v driver.Value, typ string) error {
	return fmt.Errorf("[CAST_INVALID_INPUT] The value '%v' of the type \"STRING\" cannot be cast to \"%s\" because it is malformed", v, typ)
}

// asText is a value as a string, for the functions that take text.
func asText(v driver.Value) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case float64:
		return formatDouble(x)
	}
	return fmt.Sprint(v)
}

// asTime reads a date or timestamp value.
func asTime(v driver.Value) (time.Time, bool) {
	if t, ok := v.(time.Time); ok {
		return t.UTC(), true
	}
	return parseTimestamp(asText(v))
}

// timePart is a function of a date or timestamp, NULL for NULL.
func timePart(part func(time.Time) driver.Value) sqlFunc {
	return sqlFunc{1, func(a []driver.Value) (driver.Value, error) {
		if a[0] == nil {
			return nil, nil
		}
		t, ok := asTime(a[0])
		if !ok {
			return nil, castError(a[0], "DATE")
		}
		return part(t), nil
	}}
}

var sqlFuncs = map[string]sqlFunc{
	"dbx_upper": {1, func(a []driver.Value) (driver.Value, error) {
		if a[0] == nil {
			return nil, nil
		}
		return strings.ToUpper(asText(a[0])), nil
	}},
	"dbx_lower": {1, func(a []driver.Value) (driver.Value, error) {
		if a[0] == nil {
			return nil, nil
		}
		return strings.ToLower(asText(a[0])), nil
	}},
	// Databricks' concat is NULL when an argument is; SQLite's skips them.
	"dbx_concat": {-1, func(a []driver.Value) (driver.Value, error) {
		var b strings.Builder
		for _, v := range a {
			if v == nil {
				return nil, nil
			}
			b.WriteString(asText(v))
		}
		return b.String(), nil
	}},
	"dbx_date": {1, func(a []driver.Value) (driver.Value, error) {
		if a[0] == nil {
			return nil, nil
		}
		t, ok := asTime(a[0])
		if !ok {
			return nil, castError(a[0], "DATE")
		}
		return t.Format(time.DateOnly), nil
	}},
	"dbx_timestamp": {1, func(a []driver.Value) (driver.Value, error) {
		if a[0] == nil {
			return nil, nil
		}
		t, ok := asTime(a[0])
		if !ok {
			return nil, castError(a[0], "TIMESTAMP")
		}
		return t.Format("2006-01-02T15:04:05.000Z"), nil
	}},
	"dbx_boolean": {1, func(a []driver.Value) (driver.Value, error) {
		switch x := a[0].(type) {
		case nil:
			return nil, nil
		case int64:
			return boolInt(x != 0), nil
		case float64:
			return boolInt(x != 0), nil
		}
		b, err := strconv.ParseBool(strings.TrimSpace(asText(a[0])))
		if err != nil {
			return nil, castError(a[0], "BOOLEAN")
		}
		return boolInt(b), nil
	}},
	"year":   timePart(func(t time.Time) driver.Value { return int64(t.Year()) }),
	"month":  timePart(func(t time.Time) driver.Value { return int64(t.Month()) }),
	"day":    timePart(func(t time.Time) driver.Value { return int64(t.Day()) }),
	"hour":   timePart(func(t time.Time) driver.Value { return int64(t.Hour()) }),
	"minute": timePart(func(t time.Time) driver.Value { return int64(t.Minute()) }),
	"second": timePart(func(t time.Time) driver.Value { return int64(t.Second()) }),
	"to_date": timePart(func(t time.Time) driver.Value {
		return t.Format(time.DateOnly)
	}),
	"datediff": {2, func(a []driver.Value) (driver.Value, error) {
		if a[0] == nil || a[1] == nil {
			return nil, nil
		}
		end, ok1 := asTime(a[0])
		start, ok2 := asTime(a[1])
		if !ok1 || !ok2 {
			return nil, castError(a[0], "DATE")
		}
		return int64(end.Truncate(24*time.Hour).Sub(start.Truncate(24*time.Hour)) / (24 * time.Hour)), nil
	}},
	"date_add": {2, func(a []driver.Value) (driver.Value, error) { return addDays(a, 1) }},
	"date_sub": {2, func(a []driver.Value) (driver.Value, error) { return addDays(a, -1) }},
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func addDays(a []driver.Value, sign int) (driver.Value, error) {
	if a[0] == nil || a[1] == nil {
		return nil, nil
	}
	t, ok := asTime(a[0])
	n, isInt := a[1].(int64)
	if !ok || !isInt {
		return nil, castError(a[0], "DATE")
	}
	return t.AddDate(0, 0, sign*int(n)).Format(time.DateOnly), nil
}

// typedFuncs return a type SQLite cannot tell.
var typedFuncs = map[string]sqlType{"YEAR": typeInt, "MONTH": typeInt, "DAY": typeInt, "HOUR": typeInt, "MINUTE": typeInt,
	"SECOND": typeInt, "TO_DATE": typeDate, "DATEDIFF": typeInt, "DATE_ADD": typeDate, "DATE_SUB": typeDate}

// registerFuncs registers sqlFuncs with the driver, once, before the first
// engine opens: not at package init, which every dbx-mcp command pays,
// most of them never running a statement.
var registerFuncs = sync.OnceFunc(func() {
	for name, fn := range sqlFuncs {
		f := fn.f
		sqlite.MustRegisterDeterministicScalarFunction(name, fn.args, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			return f(args)
		})
	}
})

// normalizer is the function that keeps a column type's values in one
// form, or "".
func normalizer(t sqlType) string {
	switch t.name {
	case "DATE":
		return "dbx_date"
	case "TIMESTAMP":
		return "dbx_timestamp"
	case "BOOLEAN":
		return "dbx_boolean"
	}
	return ""
}
