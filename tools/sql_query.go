package tools

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/client/sql"
	"github.com/dbx-mcp/dbx-mcp/internal/sqlguard"
	"github.com/dbx-mcp/dbx-mcp/schema"
)

// The sql_query tool is the agent's way to run SQL: one call submits the
// statement (asynchronously, so its id is known at once and reported in
// progress), waits as long as the caller allows, and hands back one page of
// the result within a row and byte budget, columns once and rows as arrays,
// with a handle for the next page. The statement execution tools stay for
// callers that want the API's own answer.

var _ = addHandwritten(handwrittenTool{name: "sql_query", toolset: "sql", readOnly: true, isDefault: true, build: newSQLQuery})

// Budgets of one sql_query answer.
const (
	sqlDefaultRows  = 100
	sqlMaxRows      = 10000
	sqlDefaultBytes = 16 << 10
	sqlMaxBytes     = 4 << 20
	// sqlDefaultWait is how long a call waits for a statement when the
	// caller does not say; 0 in the arguments means no limit.
	sqlDefaultWait = 600
	// sqlResultLimit is the byte_limit asked of the warehouse: the INLINE
	// disposition's own limit, so a larger result is cut (and said to be)
	// rather than failed.
	sqlResultLimit = 25 << 20
	// sqlMinCell is the least of a value kept when one row alone is over
	// the byte budget.
	sqlMinCell = 256
)

// SQLPollIntervals are the successive waits between reads of a running
// statement, the last repeated: short at first, because most statements
// take well under a second. Tests may shorten them.
var SQLPollIntervals = []time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond,
	400 * time.Millisecond, 800 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second}

const sqlQueryIn = `{"type":"object","properties":{` +
	`"statement":{"type":"string","description":"One SQL statement (Databricks SQL). Named markers :name are bound from parameters."},` +
	`"warehouse_id":{"type":"string","description":"SQL warehouse to run on. Default: the configured warehouse_id (DATABRICKS_WAREHOUSE_ID), else the first RUNNING warehouse."},` +
	`"catalog":{"type":"string","description":"Catalog for unqualified names."},` +
	`"schema":{"type":"string","description":"Schema for unqualified names."},` +
	`"parameters":{"type":"array","description":"Values of the :name markers.","items":{"type":"object","properties":{` +
	`"name":{"type":"string","description":"Marker name without the colon."},` +
	`"value":{"type":"string","description":"Value as text; omit for NULL."},` +
	`"type":{"type":"string","description":"SQL type, e.g. INT, DATE, DECIMAL(10,2); default STRING."}},"required":["name"],"additionalProperties":false}},` +
	`"max_rows":{"type":"integer","minimum":1,"maximum":10000,"description":"Most rows in this answer (default 100)."},` +
	`"max_bytes":{"type":"integer","minimum":1024,"maximum":4194304,"description":"Most bytes of row text in this answer (default 16384)."},` +
	`"timeout_seconds":{"type":"integer","minimum":0,"description":"How long to wait (default 600; 0 = no limit). Progress carries the statement id; if time runs out it keeps running and next_page waits again."},` +
	`"format":{"type":"string","enum":["csv","json"],"description":"csv (default): the rows as a CSV table in the text, once; json: as typed arrays in rows (structured content, and the text is that JSON)."},` +
	`"page":{"type":"string","description":"A previous answer's next_page: the next rows of that statement, or more waiting for it. Give it instead of statement."},` +
	`"cancel":{"type":"boolean","description":"With page: cancel that statement instead."}` +
	`},"additionalProperties":false}`

const sqlQueryOut = `{"type":"object","properties":{` +
	`"statement_id":{"type":"string","description":"Statement id."},` +
	`"warehouse_id":{"type":"string","description":"Warehouse the statement was sent to."},` +
	`"state":{"type":"string","description":"SUCCEEDED; PENDING or RUNNING if the wait ran out."},` +
	`"columns":{"type":"array","description":"Result columns in order.","items":{"type":"object","properties":{` +
	`"name":{"type":"string","description":"Column name."},"type":{"type":"string","description":"SQL type, e.g. bigint, decimal(10,2)."}}}},` +
	`"rows":{"type":"array","description":"With format json: rows in column order; NULL is null; numbers past 2^53 and other types are strings.","items":{"type":"array","items":{"anyOf":[{"type":"string"},{"type":"number"},{"type":"boolean"},{"type":"null"}]}}},` +
	`"row_offset":{"type":"integer","description":"Index of the first row here in the whole result."},` +
	`"row_count":{"type":"integer","description":"Rows in this answer."},` +
	`"total_row_count":{"type":"integer","description":"Rows in the whole result."},` +
	`"truncated":{"type":"boolean","description":"Rows or parts of values are not in this answer."},` +
	`"result_truncated":{"type":"boolean","description":"The warehouse kept only the first 25 MiB of the result."},` +
	`"values_cut":{"type":"integer","description":"Values shortened to fit max_bytes, each marked."},` +
	`"next_page":{"type":"string","description":"Pass as page for the next rows (or more waiting); absent at the end."},` +
	`"message":{"type":"string","description":"What is left and how to get it."}}}`

type sqlQueryArgs struct {
	Statement      string                   `json:"statement"`
	WarehouseID    string                   `json:"warehouse_id"`
	Catalog        string                   `json:"catalog"`
	Schema         string                   `json:"schema"`
	Parameters     []sql.StatementParameter `json:"parameters"`
	MaxRows        *int                     `json:"max_rows"`
	MaxBytes       *int                     `json:"max_bytes"`
	TimeoutSeconds *int                     `json:"timeout_seconds"`
	Format         string                   `json:"format"`
	Page           string                   `json:"page"`
	Cancel         bool                     `json:"cancel"`
}

// sqlColumn is a result column as sql_query reports it.
type sqlColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
	kind string // type_name, which decides how values are typed
}

// sqlAnswer is sql_query's structured result.
type sqlAnswer struct {
	StatementID     string      `json:"statement_id"`
	WarehouseID     string      `json:"warehouse_id,omitempty"`
	State           string      `json:"state"`
	Columns         []sqlColumn `json:"columns,omitempty"`
	Rows            [][]any     `json:"rows,omitempty"`
	RowOffset       *int64      `json:"row_offset,omitempty"`
	RowCount        *int        `json:"row_count,omitempty"`
	TotalRowCount   *int64      `json:"total_row_count,omitempty"`
	Truncated       bool        `json:"truncated"`
	ResultTruncated bool        `json:"result_truncated,omitempty"`
	ValuesCut       int         `json:"values_cut,omitempty"`
	NextPage        string      `json:"next_page,omitempty"`
	Message         string      `json:"message,omitempty"`
	text            [][]*string // the rows' values as the API sent them, for the text table
}

// sqlPage is where a handle points: a statement and, once it succeeded,
// the chunk and the row (of the whole result) to go on from.
type sqlPage struct {
	id         string
	chunk, row int64
	waiting    bool // still running: the handle asks for more waiting
}

func (p sqlPage) String() string {
	if p.waiting {
		return p.id
	}
	return fmt.Sprintf("%s/%d/%d", p.id, p.chunk, p.row)
}

func parseSQLPage(s string) (sqlPage, error) {
	parts := strings.Split(s, "/")
	if parts[0] == "" || strings.ContainsAny(parts[0], " ?#%") {
		return sqlPage{}, errors.New("not a next_page value from sql_query")
	}
	switch len(parts) {
	case 1:
		return sqlPage{id: parts[0], waiting: true}, nil
	case 3:
		chunk, err1 := strconv.ParseInt(parts[1], 10, 64)
		row, err2 := strconv.ParseInt(parts[2], 10, 64)
		if err1 != nil || err2 != nil || chunk < 0 || row < 0 {
			return sqlPage{}, errors.New("not a next_page value from sql_query")
		}
		return sqlPage{id: parts[0], chunk: chunk, row: row}, nil
	}
	return sqlPage{}, errors.New("not a next_page value from sql_query")
}

func newSQLQuery(getClient ClientFunc, opts Options) Tool {
	desc := "Run SQL on a SQL warehouse and get the rows back compactly: columns once, rows as a CSV table (or typed " +
		"arrays, format json), at most max_rows/max_bytes per answer with total_row_count and next_page to page on " +
		"(nothing is cut without saying so). Waits " +
		"with progress (the message carries the statement id) as long as timeout_seconds allows; cancelling the call " +
		"cancels the statement. SQL errors come back as errors with their SQLSTATE."
	hints := Hints{Destructive: true}
	if opts.ReadOnly {
		desc += " Read-only: only SELECT, WITH ... SELECT, VALUES, SHOW, DESCRIBE, EXPLAIN and LIST run."
		hints = read
	}
	return transferTool("sql_query", "Run SQL query", desc, sqlQueryIn, sqlQueryOut, hints, "POST", "/api/2.0/sql/statements", getClient,
		func(ctx context.Context, c *client.Client, req mcp.CallToolRequest, raw json.RawMessage) (*mcp.CallToolResult, error) {
			var a sqlQueryArgs
			if err := json.Unmarshal(raw, &a); err != nil {
				return invalidArguments("sql_query", []schema.Problem{{Message: err.Error()}}), nil
			}
			return runSQLQuery(ctx, c, req, opts, &a)
		})
}

func runSQLQuery(ctx context.Context, c *client.Client, req mcp.CallToolRequest, opts Options, a *sqlQueryArgs) (*mcp.CallToolResult, error) {
	bad := func(field, msg string) (*mcp.CallToolResult, error) {
		return invalidArguments("sql_query", []schema.Problem{{Path: field, Message: msg}}), nil
	}
	budget := sqlBudget{rows: sqlDefaultRows, bytes: sqlDefaultBytes, json: a.Format == "json"}
	if a.MaxRows != nil {
		budget.rows = *a.MaxRows
	}
	if a.MaxBytes != nil {
		budget.bytes = *a.MaxBytes
	}
	wait := time.Duration(sqlDefaultWait) * time.Second
	if a.TimeoutSeconds != nil {
		wait = time.Duration(*a.TimeoutSeconds) * time.Second
	}
	switch {
	case a.Page != "" && a.Statement != "":
		return bad("page", "give either statement (a new query) or page (a previous answer's next_page), not both")
	case a.Page == "" && strings.TrimSpace(a.Statement) == "":
		return bad("statement", "required: the SQL to run (or page, a previous answer's next_page)")
	case a.Cancel && a.Page == "":
		return bad("cancel", "cancel needs page: the next_page of the statement to cancel")
	}
	if a.Page != "" {
		pg, err := parseSQLPage(a.Page)
		if err != nil {
			return bad("page", err.Error())
		}
		if a.Cancel {
			if _, err := sql.StatementExecutionCancelExecution.Call(ctx, c, &sql.StatementIDRequest{StatementID: pg.id}); err != nil {
				return callFailed(ctx, err)
			}
			return jsonResult(sqlAnswer{StatementID: pg.id, State: "CANCELED", Message: "Cancel requested; a statement that had already finished is unchanged."}), nil
		}
		q := &sqlRun{c: c, req: req, id: pg.id}
		if pg.waiting {
			return q.await(ctx, wait, budget)
		}
		return q.page(ctx, pg, budget)
	}
	if opts.ReadOnly {
		if err := sqlguard.Check(a.Statement); err != nil {
			return errorResult("Refused in read-only mode (nothing was sent to Databricks): " + err.Error()), nil
		}
	}
	if !opts.AllowSecretValues {
		if err := sqlguard.SecretCall(a.Statement); err != nil {
			return errorResult("Refused (nothing was sent to Databricks): " + err.Error() +
				" Secret values are kept from the model unless the user starts dbx-mcp with --allow-secret-values."), nil
		}
	}
	wh, err := pickWarehouse(ctx, c, a.WarehouseID)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var apiErr *client.APIError
		if errors.As(err, &apiErr) {
			return callFailed(ctx, err)
		}
		return errorResult(err.Error()), nil
	}
	exec := &sql.ExecuteStatementRequest{
		Statement: a.Statement, WarehouseID: wh, Parameters: a.Parameters,
		WaitTimeout: client.Ptr("0s"), Disposition: client.Ptr(sql.DispositionInline),
		Format: client.Ptr(sql.FormatJSONArray), ByteLimit: client.Ptr(int64(sqlResultLimit)),
	}
	if a.Catalog != "" {
		exec.Catalog = &a.Catalog
	}
	if a.Schema != "" {
		exec.Schema = &a.Schema
	}
	resp, err := sql.StatementExecutionExecuteStatement.Call(ctx, c, exec)
	if err != nil {
		return callFailed(ctx, err)
	}
	if resp.StatementID == nil {
		return errorResult("Databricks accepted the statement but answered without a statement_id"), nil
	}
	q := &sqlRun{c: c, req: req, id: *resp.StatementID, warehouse: wh}
	return q.settle(ctx, resp, wait, budget)
}

// pickWarehouse is the warehouse a statement runs on: the caller's, the
// configured one, or the first running one.
func pickWarehouse(ctx context.Context, c *client.Client, given string) (string, error) {
	if given != "" {
		return given, nil
	}
	if id := c.WarehouseID(); id != "" {
		return id, nil
	}
	var seen []string
	for page, err := range sql.WarehousesList.Pages(ctx, c, &sql.ListWarehousesRequest{}) {
		if err != nil {
			return "", err
		}
		for _, w := range page.Warehouses {
			if w.ID == nil {
				continue
			}
			state := ""
			if w.State != nil {
				state = string(*w.State)
			}
			if state == "RUNNING" {
				return *w.ID, nil
			}
			if len(seen) < 5 {
				name := ""
				if w.Name != nil {
					name = *w.Name + " "
				}
				seen = append(seen, fmt.Sprintf("%s(%s, %s)", name, *w.ID, cmp.Or(state, "state unknown")))
			}
		}
	}
	if len(seen) == 0 {
		return "", errors.New("no SQL warehouse is available to this user: create one (warehouses_create) or set warehouse_id")
	}
	return "", fmt.Errorf("no SQL warehouse is RUNNING, and none is configured (warehouse_id in the profile or DATABRICKS_WAREHOUSE_ID). "+
		"Pass warehouse_id to use one of: %s; a stopped warehouse is started, which takes a few minutes and costs money", strings.Join(seen, ", "))
}

// sqlRun is one statement being waited on and read.
type sqlRun struct {
	c         *client.Client
	req       mcp.CallToolRequest
	id        string
	warehouse string
}

// await reads the statement until it settles or wait runs out.
func (q *sqlRun) await(ctx context.Context, wait time.Duration, b sqlBudget) (*mcp.CallToolResult, error) {
	resp, err := sql.StatementExecutionGetStatement.Call(ctx, q.c, &sql.StatementIDRequest{StatementID: q.id})
	if err != nil {
		return callFailed(ctx, err)
	}
	return q.settle(ctx, resp, wait, b)
}

// settle waits from a first answer until the statement is final or wait
// (0: no limit) runs out, and answers with the page at its start.
func (q *sqlRun) settle(ctx context.Context, resp *sql.StatementResponse, wait time.Duration, b sqlBudget) (*mcp.CallToolResult, error) {
	resp, err := q.wait(ctx, resp, wait)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return callFailed(ctx, err)
	}
	if state := stmtState(resp); state == "PENDING" || state == "RUNNING" {
		return jsonResult(sqlAnswer{StatementID: q.id, WarehouseID: q.warehouse, State: state, Truncated: true,
			NextPage: sqlPage{id: q.id, waiting: true}.String(),
			Message: fmt.Sprintf("Still %s after %s: it keeps running on the warehouse. Call again with page to wait more, or with page and cancel=true to stop it.",
				state, wait)}), nil
	}
	return q.answer(ctx, resp, sqlPage{id: q.id}, b)
}

// wait reads the statement from a first answer until it is final or wait
// (0: no limit) runs out, reporting progress that names it; a cancelled
// call cancels the statement on the warehouse. The last answer read is
// returned: still PENDING or RUNNING when the time ran out.
func (q *sqlRun) wait(ctx context.Context, resp *sql.StatementResponse, wait time.Duration) (*sql.StatementResponse, error) {
	start := time.Now()
	total := 0.0
	if wait > 0 {
		total = wait.Seconds()
	}
	notify := progressNotifier(ctx, q.req, total)
	last := ""
	for i := 0; ; i++ {
		state := stmtState(resp)
		if state != last || i%5 == 0 {
			msg := fmt.Sprintf("statement %s %s after %s", q.id, state, time.Since(start).Round(100*time.Millisecond))
			if q.warehouse != "" {
				msg += " on warehouse " + q.warehouse
			}
			notify(time.Since(start).Seconds(), msg)
			last = state
		}
		if state != "PENDING" && state != "RUNNING" {
			return resp, nil
		}
		d := SQLPollIntervals[min(i, len(SQLPollIntervals)-1)]
		if wait > 0 {
			left := wait - time.Since(start)
			if left <= 0 {
				return resp, nil
			}
			d = min(d, left)
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			q.cancelAfter(ctx)
			return nil, ctx.Err()
		case <-t.C:
		}
		next, err := sql.StatementExecutionGetStatement.Call(ctx, q.c, &sql.StatementIDRequest{StatementID: q.id})
		if err != nil {
			if ctx.Err() != nil {
				q.cancelAfter(ctx)
			}
			return nil, err
		}
		resp = next
	}
}

// cancelAfter cancels the statement once the call itself was cancelled, so
// nothing keeps running for a caller who is gone.
func (q *sqlRun) cancelAfter(ctx context.Context) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), closeTimeout)
	defer cancel()
	_, _ = sql.StatementExecutionCancelExecution.Call(cctx, q.c, &sql.StatementIDRequest{StatementID: q.id})
}

func stmtState(resp *sql.StatementResponse) string {
	if resp.Status == nil || resp.Status.State == nil {
		return ""
	}
	return string(*resp.Status.State)
}

// page answers a handle to the rows of a statement that succeeded.
func (q *sqlRun) page(ctx context.Context, pg sqlPage, b sqlBudget) (*mcp.CallToolResult, error) {
	resp, err := sql.StatementExecutionGetStatement.Call(ctx, q.c, &sql.StatementIDRequest{StatementID: q.id})
	if err != nil {
		return callFailed(ctx, err)
	}
	return q.answer(ctx, resp, pg, b)
}

// answer turns a final statement into the tool's result: an error for a
// failed, cancelled or closed one; else the page at pg within budget.
func (q *sqlRun) answer(ctx context.Context, resp *sql.StatementResponse, pg sqlPage, b sqlBudget) (*mcp.CallToolResult, error) {
	ans, failure, err := q.collect(ctx, resp, pg, b)
	switch {
	case err != nil:
		return callFailed(ctx, err)
	case failure != nil:
		return failure, nil
	}
	return sqlResult(*ans, b.json), nil
}

// collect reads the page at pg of a final statement within budget; a
// statement that did not succeed, or a page past its end, is a failure
// result for the caller.
func (q *sqlRun) collect(ctx context.Context, resp *sql.StatementResponse, pg sqlPage, b sqlBudget) (*sqlAnswer, *mcp.CallToolResult, error) {
	switch state := stmtState(resp); state {
	case "SUCCEEDED":
	case "FAILED":
		text := "SQL statement " + q.id + " FAILED"
		if resp.Status.SQLState != nil {
			text += " (SQLSTATE " + *resp.Status.SQLState + ")"
		}
		if e := resp.Status.Error; e != nil && e.Message != nil {
			text += ": " + *e.Message
		}
		return nil, errorResult(text), nil
	case "CANCELED":
		return nil, errorResult("SQL statement " + q.id + " was CANCELED before it finished; run it again to get a result."), nil
	case "CLOSED":
		return nil, errorResult("The result of SQL statement " + q.id + " is CLOSED (results are kept for a limited time); run the statement again."), nil
	default:
		return nil, errorResult(fmt.Sprintf("SQL statement %s is %s, which sql_query does not know; see statement_execution_get_statement.", q.id, cmp.Or(state, "in no state"))), nil
	}
	ans := sqlAnswer{StatementID: q.id, WarehouseID: q.warehouse, State: "SUCCEEDED"}
	m := resp.Manifest
	if m != nil && m.Schema != nil {
		for _, col := range m.Schema.Columns {
			sc := sqlColumn{Name: deref(col.Name), Type: strings.ToLower(deref(col.TypeText)), kind: strings.ToUpper(deref(col.TypeName))}
			if sc.Type == "" {
				sc.Type = strings.ToLower(sc.kind)
			}
			ans.Columns = append(ans.Columns, sc)
		}
	}
	var totalRows int64
	if m != nil {
		totalRows = derefInt(m.TotalRowCount)
		ans.ResultTruncated = m.Truncated != nil && *m.Truncated
	}
	ans.TotalRowCount = &totalRows
	ans.RowOffset = client.Ptr(pg.row)
	if pg.row > totalRows {
		return nil, invalidArguments("sql_query", []schema.Problem{{Path: "page", Message: fmt.Sprintf("row %d is past the end of the result (%d rows)", pg.row, totalRows)}}), nil
	}
	chunk := resp.Result
	if totalRows > 0 && (chunk == nil || derefInt(chunk.ChunkIndex) != pg.chunk) {
		var err error
		if chunk, err = q.chunk(ctx, pg.chunk); err != nil {
			return nil, nil, err
		}
	}
	used, row := 0, pg.row
	for chunk != nil {
		off, full := derefInt(chunk.RowOffset), false
		for i := max(row-off, 0); i < int64(len(chunk.DataArray)); i++ {
			vals := chunk.DataArray[i]
			size, cut := rowSize(vals), 0
			if len(ans.Rows) >= b.rows || used+size > b.bytes && len(ans.Rows) > 0 {
				full = true
				break
			}
			if used+size > b.bytes {
				vals, cut = cutRow(vals, b.bytes)
				size = rowSize(vals)
			}
			ans.text = append(ans.text, vals)
			ans.Rows = append(ans.Rows, typedRow(ans.Columns, vals))
			ans.ValuesCut += cut
			used += size
			row = off + i + 1
		}
		if full {
			ans.NextPage = sqlPage{id: q.id, chunk: derefInt(chunk.ChunkIndex), row: row}.String()
			break
		}
		if chunk.NextChunkIndex == nil {
			break
		}
		if len(ans.Rows) >= b.rows {
			ans.NextPage = sqlPage{id: q.id, chunk: *chunk.NextChunkIndex, row: row}.String()
			break
		}
		var err error
		if chunk, err = q.chunk(ctx, *chunk.NextChunkIndex); err != nil {
			return nil, nil, err
		}
	}
	if row >= totalRows {
		ans.NextPage = ""
	}
	ans.Truncated = ans.NextPage != "" || ans.ValuesCut > 0
	switch {
	case ans.NextPage != "":
		ans.Message = fmt.Sprintf("Rows %d to %d of %d. More: call sql_query with page=%q.", pg.row+1, row, totalRows, ans.NextPage)
	case pg.row > 0:
		ans.Message = fmt.Sprintf("Rows %d to %d of %d: the end of the result.", pg.row+1, row, totalRows)
	}
	if ans.ValuesCut > 0 {
		ans.Message = strings.TrimSpace(ans.Message + fmt.Sprintf(" %d values were too long for max_bytes and were cut; raise max_bytes or select substring(col, n, len) to read the rest.", ans.ValuesCut))
	}
	if ans.ResultTruncated {
		ans.Message = strings.TrimSpace(ans.Message + " The warehouse kept only the first rows of a larger result (25 MiB limit): add a LIMIT, filter or aggregate to see the rest.")
	}
	return &ans, nil, nil
}

func (q *sqlRun) chunk(ctx context.Context, n int64) (*sql.ResultData, error) {
	return sql.StatementExecutionGetStatementResultChunkN.Call(ctx, q.c, &sql.GetStatementResultChunkNRequest{StatementID: q.id, ChunkIndex: n})
}

// sqlBudget is what one answer may hold, and how it holds the rows: as a
// CSV table in the text, or (json) as typed arrays in the structured
// content.
type sqlBudget struct {
	rows, bytes int
	json        bool
}

// rowSize is what a row costs: its bytes in the text table.
func rowSize(vals []*string) int {
	n := 1
	for _, v := range vals {
		n++
		if v == nil {
			n += 4
		} else {
			n += len(*v) + 2
		}
	}
	return n
}

// cutRow shortens the values of a row that alone is over the byte budget,
// each long one ending in a marker of how much was left out.
func cutRow(vals []*string, budget int) ([]*string, int) {
	keep := max(budget/max(len(vals), 1)-32, sqlMinCell) // 32: room for the marker and separators
	out := make([]*string, len(vals))
	cut := 0
	for i, v := range vals {
		out[i] = v
		if v == nil || len(*v) <= keep {
			continue
		}
		n := keep
		for n > 0 && !utf8.RuneStart((*v)[n]) {
			n--
		}
		s := fmt.Sprintf("%s…[%d more bytes]", (*v)[:n], len(*v)-n)
		out[i] = &s
		cut++
	}
	return out, cut
}

// typedRow gives a row's values their JSON types: numbers and booleans as
// such where that keeps every digit, the rest as the API's strings.
func typedRow(cols []sqlColumn, vals []*string) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		if v == nil {
			continue
		}
		kind := ""
		if i < len(cols) {
			kind = cols[i].kind
		}
		out[i] = typedValue(kind, *v)
	}
	return out
}

const maxExactInt = 1 << 53

func typedValue(kind, v string) any {
	switch kind {
	case "BYTE", "TINYINT", "SHORT", "SMALLINT", "INT", "INTEGER", "LONG", "BIGINT":
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n <= maxExactInt && n >= -maxExactInt {
			return json.Number(v)
		}
	case "FLOAT", "DOUBLE", "DECIMAL":
		// A JSON number as written, when it is one and no more digits
		// than a double holds exactly.
		if isJSONNumber(v) && significantDigits(v) <= 15 {
			return json.Number(v)
		}
	case "BOOLEAN":
		switch v {
		case "true":
			return true
		case "false":
			return false
		}
	}
	return v
}

func isJSONNumber(s string) bool {
	var n json.Number
	return json.Unmarshal([]byte(s), &n) == nil && !strings.ContainsAny(s, " \t\n\"")
}

func significantDigits(s string) int {
	mant, _, _ := strings.Cut(strings.ToLower(s), "e")
	n := 0
	started := false
	for _, r := range mant {
		if r >= '1' && r <= '9' || r == '0' && started {
			started = true
			n++
		}
	}
	return n
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefInt(n *int64) int64 {
	if n == nil {
		return 0
	}
	return *n
}

// sqlResult is the answer as structured content and text. The rows are
// there once: by default as a compact table in the text (a line saying
// what this is, a name:type header, CSV rows with NULL for null) beside
// structured content that describes them; with asJSON as typed arrays in
// the structured content, whose JSON is then the text too.
func sqlResult(ans sqlAnswer, asJSON bool) *mcp.CallToolResult {
	ans.RowCount = client.Ptr(len(ans.text))
	if asJSON {
		if ans.Rows == nil {
			ans.Rows = [][]any{}
		}
		return jsonResult(ans)
	}
	ans.Rows = nil
	body, err := json.Marshal(ans)
	if err != nil {
		return errorResult("dbx-mcp could not encode the result: " + err.Error())
	}
	var b strings.Builder
	fmt.Fprintf(&b, "statement %s %s: %d rows", ans.StatementID, ans.State, len(ans.text))
	if ans.TotalRowCount != nil && *ans.TotalRowCount != int64(len(ans.text)) {
		fmt.Fprintf(&b, " of %d", *ans.TotalRowCount)
	}
	if ans.Message != "" {
		b.WriteString(". " + ans.Message)
	}
	b.WriteByte('\n')
	for i, col := range ans.Columns {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(csvField(col.Name + ":" + col.Type))
	}
	b.WriteByte('\n')
	writeCSVRows(&b, ans.text)
	return renderedResult(body, b.String())
}

// writeCSVRows writes rows as CSV lines, NULL for null.
func writeCSVRows(b *strings.Builder, rows [][]*string) {
	for _, r := range rows {
		for i, v := range r {
			if i > 0 {
				b.WriteByte(',')
			}
			if v == nil {
				b.WriteString("NULL")
			} else {
				b.WriteString(csvField(*v))
			}
		}
		b.WriteByte('\n')
	}
}

// csvField quotes a value when CSV needs it, and when it could be read as
// something else: an empty string, or the word NULL.
func csvField(s string) string {
	if s != "" && s != "NULL" && !strings.ContainsAny(s, ",\"\n\r") && strings.TrimSpace(s) == s {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
