package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// stmtStub is a workspace that speaks the Statement Execution API for one
// result: it stays RUNNING for the first polls GETs, then SUCCEEDED with
// rows split into chunks of chunkRows (or FAILED with failure), and records
// every request.
type stmtStub struct {
	mu         sync.Mutex
	cols       string // manifest.schema.columns JSON
	rows       [][]*string
	chunkRows  int
	polls      int // GETs answered RUNNING before it finishes
	failure    string
	warehouses string // GET /api/2.0/sql/warehouses answer
	requests   []string
	bodies     []string
	canceled   bool
}

func (s *stmtStub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r.Method+" "+r.URL.Path)
	s.bodies = append(s.bodies, string(b))
	w.Header().Set("Content-Type", "application/json")
	const base = "/api/2.0/sql/statements"
	p := r.URL.Path
	switch {
	case p == "/api/2.0/sql/warehouses":
		io.WriteString(w, s.warehouses)
	case r.Method == "POST" && p == base:
		io.WriteString(w, `{"statement_id":"st-1","status":{"state":"PENDING"}}`)
	case r.Method == "POST" && p == base+"/st-1/cancel":
		s.canceled = true
		io.WriteString(w, `{}`)
	case r.Method == "GET" && p == base+"/st-1":
		switch {
		case s.canceled:
			io.WriteString(w, `{"statement_id":"st-1","status":{"state":"CANCELED"}}`)
		case s.polls > 0:
			s.polls--
			io.WriteString(w, `{"statement_id":"st-1","status":{"state":"RUNNING"}}`)
		case s.failure != "":
			io.WriteString(w, s.failure)
		default:
			fmt.Fprintf(w, `{"statement_id":"st-1","status":{"state":"SUCCEEDED"},"manifest":%s,"result":%s}`, s.manifest(), s.chunk(0))
		}
	case r.Method == "GET" && strings.HasPrefix(p, base+"/st-1/result/chunks/"):
		n, _ := strconv.Atoi(strings.TrimPrefix(p, base+"/st-1/result/chunks/"))
		io.WriteString(w, s.chunk(n))
	default:
		w.WriteHeader(404)
		io.WriteString(w, `{"error_code":"NOT_FOUND","message":"no route"}`)
	}
}

func (s *stmtStub) chunkCount() int { return max((len(s.rows)+s.chunkRows-1)/s.chunkRows, 1) }

func (s *stmtStub) manifest() string {
	var chunks []string
	for i := range s.chunkCount() {
		chunks = append(chunks, fmt.Sprintf(`{"chunk_index":%d,"row_offset":%d,"row_count":%d}`, i, i*s.chunkRows, min(s.chunkRows, len(s.rows)-i*s.chunkRows)))
	}
	return fmt.Sprintf(`{"format":"JSON_ARRAY","schema":{"columns":%s},"total_chunk_count":%d,"chunks":[%s],"total_row_count":%d,"truncated":false}`,
		s.cols, s.chunkCount(), strings.Join(chunks, ","), len(s.rows))
}

func (s *stmtStub) chunk(n int) string {
	lo, hi := n*s.chunkRows, min((n+1)*s.chunkRows, len(s.rows))
	rows, _ := json.Marshal(s.rows[lo:hi])
	next := ""
	if n+1 < s.chunkCount() {
		next = fmt.Sprintf(`,"next_chunk_index":%d,"next_chunk_internal_link":"/api/2.0/sql/statements/st-1/result/chunks/%d"`, n+1, n+1)
	}
	return fmt.Sprintf(`{"chunk_index":%d,"row_offset":%d,"row_count":%d,"data_array":%s%s}`, n, lo, hi-lo, rows, next)
}

func (s *stmtStub) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// sqlSession serves the stub to a real MCP client in process.
func sqlSession(t *testing.T, stub *stmtStub, cfg client.Config, opts Options) *mcpclient.Client {
	t.Helper()
	old := SQLPollIntervals
	SQLPollIntervals = []time.Duration{10 * time.Millisecond}
	t.Cleanup(func() { SQLPollIntervals = old })
	return inProcessSessionWith(t, stub, cfg, opts)
}

func sqlCall(t *testing.T, ctx context.Context, mc *mcpclient.Client, args string) *mcp.CallToolResult {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = "sql_query"
	req.Params.Arguments = json.RawMessage(args)
	req.Params.Meta = &mcp.Meta{ProgressToken: "p"}
	res, err := mc.CallTool(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func sp(s string) *string { return &s }

const stubCols = `[{"name":"id","type_name":"BIGINT","type_text":"bigint","position":0},` +
	`{"name":"name","type_name":"STRING","type_text":"string","position":1},` +
	`{"name":"price","type_name":"DECIMAL","type_text":"decimal(10,2)","position":2},` +
	`{"name":"ok","type_name":"BOOLEAN","type_text":"boolean","position":3}]`

// TestSQLQueryWireAndResult runs one statement: the execute request is
// asynchronous (its id is known at once), progress names the statement id,
// and the answer has columns once, typed rows, and a CSV table as text.
func TestSQLQueryWireAndResult(t *testing.T) {
	stub := &stmtStub{cols: stubCols, chunkRows: 10, polls: 2, rows: [][]*string{
		{sp("1"), sp("it's \"quoted\", ok"), sp("10.50"), sp("true")},
		{sp("9007199254740993"), sp("Zürich 東京"), nil, sp("false")},
		{sp("3"), sp(""), sp("0.00"), nil},
		{sp("4"), sp("NULL"), sp("12345678901234567.89"), sp("true")},
	}}
	mc := sqlSession(t, stub, client.Config{WarehouseID: "wh-conf"}, Options{})
	var mu sync.Mutex
	var progress []string
	mc.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method == string(mcp.MethodNotificationProgress) {
			mu.Lock()
			msg, _ := n.Params.AdditionalFields["message"].(string)
			progress = append(progress, msg)
			mu.Unlock()
		}
	})
	res := sqlCall(t, context.Background(), mc, `{"statement":"SELECT * FROM t WHERE d = :d","catalog":"main","parameters":[{"name":"d","value":"2024-01-01","type":"DATE"}]}`)
	if res.IsError {
		t.Fatalf("error: %s", resultText(res))
	}
	stub.mu.Lock()
	var sent map[string]any
	if err := json.Unmarshal([]byte(stub.bodies[0]), &sent); err != nil {
		t.Fatal(err)
	}
	stub.mu.Unlock()
	want := map[string]any{"statement": "SELECT * FROM t WHERE d = :d", "warehouse_id": "wh-conf", "catalog": "main",
		"parameters":   []any{map[string]any{"name": "d", "value": "2024-01-01", "type": "DATE"}},
		"wait_timeout": "0s", "disposition": "INLINE", "format": "JSON_ARRAY", "byte_limit": float64(25 << 20)}
	if fmt.Sprint(sent) != fmt.Sprint(want) {
		t.Errorf("execute body:\n got %v\nwant %v", sent, want)
	}
	if got := stub.seen(); !slices.Equal(got, []string{"POST /api/2.0/sql/statements", "GET /api/2.0/sql/statements/st-1",
		"GET /api/2.0/sql/statements/st-1", "GET /api/2.0/sql/statements/st-1"}) {
		t.Errorf("requests: %q", got)
	}
	mu.Lock()
	if len(progress) == 0 || !strings.Contains(progress[0], "statement st-1 PENDING") || !strings.Contains(strings.Join(progress, "\n"), "st-1 RUNNING") {
		t.Errorf("progress: %q", progress)
	}
	mu.Unlock()

	wantJSON := `{"statement_id":"st-1","warehouse_id":"wh-conf","state":"SUCCEEDED",` +
		`"columns":[{"name":"id","type":"bigint"},{"name":"name","type":"string"},{"name":"price","type":"decimal(10,2)"},{"name":"ok","type":"boolean"}],` +
		`"row_offset":0,"row_count":4,"total_row_count":4,"truncated":false}`
	if !sameJSON(res.RawStructuredContent, []byte(wantJSON)) {
		t.Errorf("structured:\n got %s\nwant %s", res.RawStructuredContent, wantJSON)
	}
	wantText := "statement st-1 SUCCEEDED: 4 rows\n" +
		"id:bigint,name:string,\"price:decimal(10,2)\",ok:boolean\n" +
		"1,\"it's \"\"quoted\"\", ok\",10.50,true\n" +
		"9007199254740993,Zürich 東京,NULL,false\n" +
		"3,\"\",0.00,NULL\n" +
		"4,\"NULL\",12345678901234567.89,true\n"
	if got := resultText(res); got != wantText {
		t.Errorf("text:\n%s\nwant:\n%s", got, wantText)
	}

	// format json: the rows typed in the structured content instead, and
	// that JSON as the text.
	stub.polls = 0
	res = sqlCall(t, context.Background(), mc, `{"statement":"SELECT * FROM t","format":"json"}`)
	wantJSON = strings.Replace(wantJSON, `"row_offset"`, `"rows":[[1,"it's \"quoted\", ok",10.50,true],["9007199254740993","Zürich 東京",null,false],[3,"",0.00,null],[4,"NULL","12345678901234567.89",true]],"row_offset"`, 1)
	if !sameJSON(res.RawStructuredContent, []byte(wantJSON)) || !sameJSON([]byte(resultText(res)), []byte(wantJSON)) {
		t.Errorf("format json:\n got %s\n text %s\nwant %s", res.RawStructuredContent, resultText(res), wantJSON)
	}
}

// TestSQLQueryPagesAcrossChunks pages a 23-row result held in chunks of 5
// rows, 7 rows per answer, through next_page: every row once, in order.
func TestSQLQueryPagesAcrossChunks(t *testing.T) {
	stub := &stmtStub{cols: `[{"name":"id","type_name":"INT","type_text":"int","position":0}]`, chunkRows: 5}
	for i := range 23 {
		stub.rows = append(stub.rows, []*string{sp(strconv.Itoa(i))})
	}
	mc := sqlSession(t, stub, client.Config{WarehouseID: "w"}, Options{})
	var got []int
	args := `{"statement":"SELECT id FROM range(23)","max_rows":7,"format":"json"}`
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		res := sqlCall(t, context.Background(), mc, args)
		if res.IsError {
			t.Fatalf("page %d: %s", pages, resultText(res))
		}
		var ans struct {
			Rows      [][]int `json:"rows"`
			RowOffset int     `json:"row_offset"`
			Total     int     `json:"total_row_count"`
			Truncated bool    `json:"truncated"`
			NextPage  string  `json:"next_page"`
		}
		if err := json.Unmarshal(res.RawStructuredContent, &ans); err != nil {
			t.Fatal(err)
		}
		if ans.RowOffset != len(got) || ans.Total != 23 || ans.Truncated != (ans.NextPage != "") {
			t.Fatalf("page %d: offset %d after %d rows, total %d, truncated %v, next %q", pages, ans.RowOffset, len(got), ans.Total, ans.Truncated, ans.NextPage)
		}
		for _, r := range ans.Rows {
			got = append(got, r[0])
		}
		if ans.NextPage == "" {
			break
		}
		if !strings.Contains(resultText(res), ans.NextPage) {
			t.Errorf("the text does not say how to get the rest: %s", resultText(res))
		}
		args = `{"page":"` + ans.NextPage + `","max_rows":7,"format":"json"}`
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("rows out of order or repeated: %v", got)
		}
	}
	if len(got) != 23 {
		t.Fatalf("got %d rows of 23: %v", len(got), got)
	}
}

// TestSQLQueryByteBudget cuts a page at max_bytes, and shortens the values
// of a row that alone is over it with a marker, saying so.
func TestSQLQueryByteBudget(t *testing.T) {
	long := strings.Repeat("x", 5000)
	stub := &stmtStub{cols: `[{"name":"s","type_name":"STRING","type_text":"string","position":0}]`, chunkRows: 100,
		rows: [][]*string{{sp(long)}, {sp("short")}}}
	mc := sqlSession(t, stub, client.Config{WarehouseID: "w"}, Options{})
	res := sqlCall(t, context.Background(), mc, `{"statement":"SELECT s FROM t","max_bytes":1024,"format":"json"}`)
	var ans struct {
		Rows      [][]string `json:"rows"`
		Truncated bool       `json:"truncated"`
		ValuesCut int        `json:"values_cut"`
		NextPage  string     `json:"next_page"`
		Message   string     `json:"message"`
	}
	if err := json.Unmarshal(res.RawStructuredContent, &ans); err != nil {
		t.Fatal(err)
	}
	if len(ans.Rows) != 1 || !ans.Truncated || ans.ValuesCut != 1 || ans.NextPage != "st-1/0/1" ||
		!strings.HasSuffix(ans.Rows[0][0], "…[4008 more bytes]") || !strings.Contains(ans.Message, "cut") {
		t.Fatalf("answer: rows %d, truncated %v, cut %d, next %q, message %q", len(ans.Rows), ans.Truncated, ans.ValuesCut, ans.NextPage, ans.Message)
	}
	res = sqlCall(t, context.Background(), mc, `{"statement":"SELECT s FROM t","max_bytes":1024}`)
	table := strings.SplitN(resultText(res), "\n", 3) // summary, header, rows
	if len(table) != 3 || len(table[2]) > 1024 || !strings.Contains(table[0], "cut") {
		t.Errorf("csv text over the 1024-byte budget or not saying so: %d lines, rows %d bytes: %.300s", len(table), len(table[len(table)-1]), resultText(res))
	}
}

// TestSQLQueryFailureAndTimeout: a FAILED statement is an error result with
// its SQLSTATE; a wait that runs out says so and hands back a page that
// waits again.
func TestSQLQueryFailureAndTimeout(t *testing.T) {
	stub := &stmtStub{cols: stubCols, chunkRows: 10,
		failure: `{"statement_id":"st-1","status":{"state":"FAILED","sql_state":"42P01","error":{"error_code":"BAD_REQUEST","message":"[TABLE_OR_VIEW_NOT_FOUND] The table or view nope cannot be found."}}}`}
	mc := sqlSession(t, stub, client.Config{WarehouseID: "w"}, Options{})
	res := sqlCall(t, context.Background(), mc, `{"statement":"SELECT * FROM nope"}`)
	if !res.IsError || !strings.Contains(resultText(res), "SQLSTATE 42P01") || !strings.Contains(resultText(res), "TABLE_OR_VIEW_NOT_FOUND") {
		t.Errorf("failure: error %v, %s", res.IsError, resultText(res))
	}

	stub = &stmtStub{cols: stubCols, chunkRows: 10, polls: 1 << 30}
	mc = sqlSession(t, stub, client.Config{WarehouseID: "w"}, Options{})
	res = sqlCall(t, context.Background(), mc, `{"statement":"SELECT 1","timeout_seconds":1}`)
	var ans map[string]any
	_ = json.Unmarshal(res.RawStructuredContent, &ans)
	if res.IsError || ans["state"] != "RUNNING" || ans["next_page"] != "st-1" || !strings.Contains(fmt.Sprint(ans["message"]), "keeps running") {
		t.Fatalf("timed out wait: %v %v", res.IsError, ans)
	}
	if stub.canceled {
		t.Error("a wait that ran out cancelled the statement")
	}
	res = sqlCall(t, context.Background(), mc, `{"page":"st-1","cancel":true}`)
	if res.IsError || !stub.canceled {
		t.Errorf("cancel by page: %v %s", res.IsError, resultText(res))
	}
}

// TestSQLQueryCancelledCallCancelsStatement: cancelling the MCP request
// cancels the statement on the warehouse.
func TestSQLQueryCancelledCallCancelsStatement(t *testing.T) {
	stub := &stmtStub{cols: stubCols, chunkRows: 10, polls: 1 << 30}
	mc := sqlSession(t, stub, client.Config{WarehouseID: "w"}, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		req := mcp.CallToolRequest{}
		req.Params.Name = "sql_query"
		req.Params.Arguments = json.RawMessage(`{"statement":"SELECT count(*) FROM range(10000000000)"}`)
		_, _ = mc.CallTool(ctx, req)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !slices.Contains(stub.seen(), "GET /api/2.0/sql/statements/st-1") {
		if time.Now().After(deadline) {
			t.Fatal("the statement was never polled")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	for !slices.Contains(stub.seen(), "POST /api/2.0/sql/statements/st-1/cancel") {
		if time.Now().After(deadline) {
			t.Fatalf("the statement was not cancelled: %q", stub.seen())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestSQLQueryPicksWarehouse: without warehouse_id or a configured one, the
// first RUNNING warehouse; with none running, an error naming them.
func TestSQLQueryPicksWarehouse(t *testing.T) {
	stub := &stmtStub{cols: stubCols, chunkRows: 10,
		warehouses: `{"warehouses":[{"id":"a1","name":"cold","state":"STOPPED"},{"id":"b2","name":"hot","state":"RUNNING"}]}`}
	mc := sqlSession(t, stub, client.Config{}, Options{})
	res := sqlCall(t, context.Background(), mc, `{"statement":"SELECT 1"}`)
	if res.IsError || !strings.Contains(stub.bodies[1], `"warehouse_id":"b2"`) {
		t.Errorf("picked: %v %q", resultText(res), stub.bodies)
	}
	stub.warehouses = `{"warehouses":[{"id":"a1","name":"cold","state":"STOPPED"}]}`
	res = sqlCall(t, context.Background(), mc, `{"statement":"SELECT 1"}`)
	if !res.IsError || !strings.Contains(resultText(res), "cold (a1, STOPPED)") {
		t.Errorf("none running: %v %s", res.IsError, resultText(res))
	}
}

// TestSQLQueryArguments: a wrong combination is refused before anything
// is sent.
func TestSQLQueryArguments(t *testing.T) {
	stub := &stmtStub{cols: stubCols, chunkRows: 10}
	mc := sqlSession(t, stub, client.Config{WarehouseID: "w"}, Options{})
	for _, args := range []string{`{}`, `{"statement":" "}`, `{"statement":"SELECT 1","page":"st-1"}`, `{"cancel":true,"statement":"x"}`,
		`{"page":"a/b"}`, `{"page":"st-1/x/1"}`, `{"statement":"SELECT 1","max_rows":0}`, `{"statement":"SELECT 1","bogus":1}`} {
		res := sqlCall(t, context.Background(), mc, args)
		if !res.IsError || !strings.Contains(resultText(res), "nothing was sent") {
			t.Errorf("%s: %v %s", args, res.IsError, resultText(res))
		}
	}
	if got := stub.seen(); len(got) != 0 {
		t.Errorf("requests sent for bad arguments: %q", got)
	}
}

// TestSQLQueryGuards: in read-only mode only statements that change
// nothing are sent, and the tool says it is read-only; secret() is refused
// in every mode unless secret values were allowed.
func TestSQLQueryGuards(t *testing.T) {
	stub := &stmtStub{cols: stubCols, chunkRows: 10}
	mc := sqlSession(t, stub, client.Config{WarehouseID: "w"}, Options{ReadOnly: true})
	list, err := mc.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range list.Tools {
		if tool.Name == "sql_query" && (tool.Annotations.ReadOnlyHint == nil || !*tool.Annotations.ReadOnlyHint || !strings.Contains(tool.Description, "Read-only")) {
			t.Errorf("sql_query on a read-only server: %+v %q", tool.Annotations, tool.Description)
		}
	}
	for _, stmt := range []string{"DROP TABLE t", "SELECT 1; DROP TABLE t", "/* x */ DELETE FROM t", "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x"} {
		res := sqlCall(t, context.Background(), mc, fmt.Sprintf(`{"statement":%q}`, stmt))
		if !res.IsError || !strings.Contains(resultText(res), "read-only") {
			t.Errorf("%s: %v %s", stmt, res.IsError, resultText(res))
		}
	}
	if got := stub.seen(); len(got) != 0 {
		t.Fatalf("refused statements reached the workspace: %q", got)
	}
	if res := sqlCall(t, context.Background(), mc, `{"statement":"SELECT * FROM t"}`); res.IsError {
		t.Errorf("SELECT refused in read-only mode: %s", resultText(res))
	}

	secret := `{"statement":"SELECT secret('scope', 'key')"}`
	stub = &stmtStub{cols: stubCols, chunkRows: 10}
	mc = sqlSession(t, stub, client.Config{WarehouseID: "w"}, Options{})
	if res := sqlCall(t, context.Background(), mc, secret); !res.IsError || !strings.Contains(resultText(res), "--allow-secret-values") || len(stub.seen()) != 0 {
		t.Errorf("secret() in write mode: %v %s %q", res.IsError, resultText(res), stub.seen())
	}
	mc = sqlSession(t, stub, client.Config{WarehouseID: "w"}, Options{AllowSecretValues: true})
	if res := sqlCall(t, context.Background(), mc, secret); res.IsError {
		t.Errorf("secret() with --allow-secret-values: %s", resultText(res))
	}
}
