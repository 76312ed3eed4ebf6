package tools

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/client/catalog"
	"github.com/dbx-mcp/dbx-mcp/client/sql"
	"github.com/dbx-mcp/dbx-mcp/schema"
)

// tables_describe is what an agent asks first about a table: its columns
// with types and comments, how it is partitioned, and a few rows, in one
// compact answer. The metadata comes from Unity Catalog (tables_get); the
// rows from a LIMIT query on a warehouse, which may be missing (no
// warehouse running) without failing the call.

var _ = addHandwritten(handwrittenTool{name: "tables_describe", toolset: "tables", readOnly: true, isDefault: true, build: newTablesDescribe})

const (
	describeDefaultRows = 5
	describeMaxRows     = 100
	describeBytes       = 4 << 10
	// describeWait bounds the wait for the sample rows: a cold warehouse
	// is not worth minutes for a sample.
	describeWait = 60 * time.Second
)

const tablesDescribeIn = `{"type":"object","properties":{` +
	`"full_name":{"type":"string","description":"catalog.schema.table, e.g. samples.nyctaxi.trips."},` +
	`"sample_rows":{"type":"integer","minimum":0,"maximum":100,"description":"Rows to show (default 5; 0 = none). Needs a SQL warehouse."},` +
	`"warehouse_id":{"type":"string","description":"Warehouse for the sample; default as sql_query."}` +
	`},"required":["full_name"],"additionalProperties":false}`

const tablesDescribeOut = `{"type":"object","properties":{` +
	`"full_name":{"type":"string","description":"catalog.schema.table."},` +
	`"table_type":{"type":"string","description":"MANAGED, EXTERNAL, VIEW, ..."},` +
	`"format":{"type":"string","description":"Storage format, e.g. DELTA."},` +
	`"comment":{"type":"string","description":"Table comment."},` +
	`"owner":{"type":"string","description":"Owner."},` +
	`"partitioned_by":{"type":"array","items":{"type":"string"},"description":"Partition columns, in key order."},` +
	`"columns":{"type":"array","description":"Columns in order.","items":{"type":"object","properties":{` +
	`"name":{"type":"string","description":"Name."},"type":{"type":"string","description":"SQL type."},` +
	`"nullable":{"type":"boolean","description":"false for NOT NULL; absent otherwise."},"comment":{"type":"string","description":"Comment."}}}},` +
	`"sample":{"type":"object","description":"The first rows.","properties":{` +
	`"statement_id":{"type":"string","description":"Statement id."},` +
	`"rows":{"type":"array","description":"Rows in column order, typed as sql_query's format json.","items":{"type":"array","items":{"anyOf":[{"type":"string"},{"type":"number"},{"type":"boolean"},{"type":"null"}]}}},` +
	`"truncated":{"type":"boolean","description":"Values were cut to fit."}}},` +
	`"note":{"type":"string","description":"Why there is no sample."}}}`

type describeColumn struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Nullable *bool  `json:"nullable,omitempty"`
	Comment  string `json:"comment,omitempty"`
}

type describeSample struct {
	StatementID string  `json:"statement_id"`
	Rows        [][]any `json:"rows"`
	Truncated   bool    `json:"truncated,omitempty"`
	text        [][]*string
}

type describeAnswer struct {
	FullName      string           `json:"full_name"`
	TableType     string           `json:"table_type,omitempty"`
	Format        string           `json:"format,omitempty"`
	Comment       string           `json:"comment,omitempty"`
	Owner         string           `json:"owner,omitempty"`
	PartitionedBy []string         `json:"partitioned_by,omitempty"`
	Columns       []describeColumn `json:"columns"`
	Sample        *describeSample  `json:"sample,omitempty"`
	Note          string           `json:"note,omitempty"`
}

func newTablesDescribe(getClient ClientFunc, _ Options) Tool {
	desc := "Describe a Unity Catalog table for querying it: columns with types, nullability and comments, partition " +
		"columns, type, format, owner, comment, and a few sample rows (from a SQL warehouse, within a small budget)."
	return transferTool("tables_describe", "Describe table", desc, tablesDescribeIn, tablesDescribeOut, read,
		"GET", "/api/2.1/unity-catalog/tables/{full_name}, /api/2.0/sql/statements", getClient,
		func(ctx context.Context, c *client.Client, req mcp.CallToolRequest, raw json.RawMessage) (*mcp.CallToolResult, error) {
			var a struct {
				FullName    string `json:"full_name"`
				SampleRows  *int   `json:"sample_rows"`
				WarehouseID string `json:"warehouse_id"`
			}
			if err := json.Unmarshal(raw, &a); err != nil {
				return invalidArguments("tables_describe", []schema.Problem{{Message: err.Error()}}), nil
			}
			parts := strings.Split(a.FullName, ".")
			if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
				return invalidArguments("tables_describe", []schema.Problem{{Path: "full_name", Message: fmt.Sprintf("%q is not catalog.schema.table", a.FullName)}}), nil
			}
			n := describeDefaultRows
			if a.SampleRows != nil {
				n = *a.SampleRows
			}
			info, err := catalog.TablesGet.Call(ctx, c, &catalog.GetTableRequest{FullName: a.FullName})
			if err != nil {
				return callFailed(ctx, err)
			}
			ans := describeTable(info, a.FullName)
			if n > 0 {
				if err := sampleTable(ctx, c, req, &ans, parts, a.WarehouseID, n); err != nil {
					return nil, err
				}
			}
			return describeResult(ans), nil
		})
}

func describeTable(info *catalog.TableInfo, name string) describeAnswer {
	ans := describeAnswer{FullName: cmp.Or(deref(info.FullName), name), Comment: deref(info.Comment), Owner: deref(info.Owner),
		Columns: []describeColumn{}}
	if info.TableType != nil {
		ans.TableType = string(*info.TableType)
	}
	if info.DataSourceFormat != nil {
		ans.Format = string(*info.DataSourceFormat)
	}
	parts := map[int64]string{}
	for _, col := range info.Columns {
		typ := strings.ToLower(deref(col.TypeText))
		if typ == "" && col.TypeName != nil {
			typ = strings.ToLower(string(*col.TypeName))
		}
		dc := describeColumn{Name: deref(col.Name), Type: typ, Comment: deref(col.Comment)}
		if col.Nullable != nil && !*col.Nullable {
			dc.Nullable = col.Nullable // only NOT NULL is worth the bytes
		}
		ans.Columns = append(ans.Columns, dc)
		if col.PartitionIndex != nil {
			parts[*col.PartitionIndex] = deref(col.Name)
		}
	}
	for i := range int64(len(parts)) {
		if p, ok := parts[i]; ok {
			ans.PartitionedBy = append(ans.PartitionedBy, p)
		}
	}
	return ans
}

// sampleTable adds the first n rows to ans, or a note saying why there are
// none. Only a cancelled call is an error.
func sampleTable(ctx context.Context, c *client.Client, req mcp.CallToolRequest, ans *describeAnswer, parts []string, warehouse string, n int) error {
	wh, err := pickWarehouse(ctx, c, warehouse)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		ans.Note = "No sample: " + err.Error() + "."
		return nil
	}
	quoted := make([]string, len(parts))
	for i, p := range parts {
		quoted[i] = "`" + strings.ReplaceAll(p, "`", "``") + "`"
	}
	stmt := fmt.Sprintf("SELECT * FROM %s LIMIT %d", strings.Join(quoted, "."), n)
	resp, err := sql.StatementExecutionExecuteStatement.Call(ctx, c, &sql.ExecuteStatementRequest{
		Statement: stmt, WarehouseID: wh, WaitTimeout: client.Ptr("0s"),
		Disposition: client.Ptr(sql.DispositionInline), Format: client.Ptr(sql.FormatJSONArray),
	})
	if err == nil && resp.StatementID == nil {
		err = fmt.Errorf("the warehouse answered without a statement_id")
	}
	var ans2 *sqlAnswer
	var failure *mcp.CallToolResult
	if err == nil {
		q := &sqlRun{c: c, req: req, id: *resp.StatementID, warehouse: wh}
		if resp, err = q.wait(ctx, resp, describeWait); err == nil {
			if st := stmtState(resp); st == "PENDING" || st == "RUNNING" {
				q.cancelAfter(ctx)
				ans.Note = fmt.Sprintf("No sample: the query on warehouse %s was still %s after %s and was cancelled; use sql_query to wait longer.", wh, st, describeWait)
				return nil
			}
			ans2, failure, err = q.collect(ctx, resp, sqlPage{id: q.id}, sqlBudget{rows: n, bytes: describeBytes})
		}
	}
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case err != nil:
		ans.Note = "No sample: " + err.Error() + "."
	case failure != nil:
		ans.Note = "No sample: " + joinedText(failure)
	default:
		ans.Sample = &describeSample{StatementID: ans2.StatementID, Rows: ans2.Rows, Truncated: ans2.ValuesCut > 0, text: ans2.text}
		if ans2.Rows == nil {
			ans.Sample.Rows = [][]any{}
		}
	}
	return nil
}

// describeResult renders the table for reading: a line about the table,
// one per column, then the sample as a CSV table.
func describeResult(ans describeAnswer) *mcp.CallToolResult {
	body, err := json.Marshal(ans)
	if err != nil {
		return errorResult("dbx-mcp could not encode the result: " + err.Error())
	}
	var b strings.Builder
	b.WriteString(ans.FullName)
	if kind := strings.TrimSpace(ans.TableType + " " + ans.Format); kind != "" {
		b.WriteString(" (" + kind + ")")
	}
	if ans.Owner != "" {
		b.WriteString(", owner " + ans.Owner)
	}
	if ans.Comment != "" {
		b.WriteString(": " + ans.Comment)
	}
	b.WriteByte('\n')
	if len(ans.PartitionedBy) > 0 {
		b.WriteString("partitioned by " + strings.Join(ans.PartitionedBy, ", ") + "\n")
	}
	for _, col := range ans.Columns {
		b.WriteString(col.Name + " " + col.Type)
		if col.Nullable != nil && !*col.Nullable {
			b.WriteString(" NOT NULL")
		}
		if col.Comment != "" {
			b.WriteString(" -- " + col.Comment)
		}
		b.WriteByte('\n')
	}
	if s := ans.Sample; s != nil {
		fmt.Fprintf(&b, "sample, %d rows:\n", len(s.Rows))
		for i, col := range ans.Columns {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(csvField(col.Name))
		}
		b.WriteByte('\n')
		writeCSVRows(&b, s.text)
	}
	if ans.Note != "" {
		b.WriteString(ans.Note + "\n")
	}
	return renderedResult(body, b.String())
}
