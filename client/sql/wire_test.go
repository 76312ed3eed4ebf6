package sql

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/client/clienttest"
)

// The query history filter travels in the query string with dotted names,
// nested objects included, and arrays as repeated parameters, as the API
// reference asks (filter_by.statement_ids, ...).
func TestQueryHistoryFilterOnTheWire(t *testing.T) {
	srv, c := clienttest.Stub(t, `{"res":[{"query_id":"q1","status":"FAILED","user_id":9007199254740993}],"has_next_page":false}`)
	got, err := QueryHistoryList.Call(context.Background(), c, &ListQueryHistoryRequest{
		FilterBy: &QueryFilter{
			WarehouseIDs:        []string{"w1", "w2"},
			UserIDs:             []int64{9007199254740993},
			Statuses:            []QueryStatus{QueryStatusFailed},
			QueryStartTimeRange: &TimeRange{StartTimeMs: client.Ptr(int64(1700000000000)), EndTimeMs: client.Ptr(int64(1700000600000))},
		},
		MaxResults:     client.Ptr(int64(10)),
		IncludeMetrics: client.Ptr(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{
		"filter_by.warehouse_ids":                        {"w1", "w2"},
		"filter_by.user_ids":                             {"9007199254740993"},
		"filter_by.statuses":                             {"FAILED"},
		"filter_by.query_start_time_range.start_time_ms": {"1700000000000"},
		"filter_by.query_start_time_range.end_time_ms":   {"1700000600000"},
		"max_results":                                    {"10"},
		"include_metrics":                                {"true"},
	}
	if srv.Method != http.MethodGet || srv.Path != "/api/2.0/sql/history/queries" || srv.Query.Encode() != want.Encode() || len(srv.Body) != 0 {
		t.Errorf("sent %s %s ?%s body %q, want ?%s", srv.Method, srv.Path, srv.Query.Encode(), srv.Body, want.Encode())
	}
	if len(got.Res) != 1 || *got.Res[0].UserID != 9007199254740993 || *got.Res[0].Status != QueryStatusFailed {
		t.Errorf("decoded %+v", got.Res)
	}
}

// Edit sends the id in the path only and the configuration in the body.
func TestWarehouseEditOnTheWire(t *testing.T) {
	srv, c := clienttest.Stub(t, `{}`)
	_, err := WarehousesEdit.Call(context.Background(), c, &EditWarehouseRequest{
		ID:            "f562046bc1272886",
		WarehouseSpec: WarehouseSpec{ClusterSize: client.Ptr("Small"), MaxNumClusters: client.Ptr(int64(2))},
	})
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(srv.Body, &body); err != nil {
		t.Fatal(err)
	}
	if srv.Method != http.MethodPost || srv.Path != "/api/2.0/sql/warehouses/f562046bc1272886/edit" || len(body) != 2 ||
		body["cluster_size"] != "Small" || body["max_num_clusters"] != float64(2) {
		t.Errorf("sent %s %s body %s", srv.Method, srv.Path, srv.Body)
	}
}

// Execute sends its fields in the body by their REST names; NULL values of
// data_array decode as nil, values as strings.
func TestExecuteStatementOnTheWire(t *testing.T) {
	srv, c := clienttest.Stub(t, `{"statement_id":"s1","status":{"state":"SUCCEEDED"},"result":{"data_array":[["1",null]]}}`)
	got, err := StatementExecutionExecuteStatement.Call(context.Background(), c, &ExecuteStatementRequest{
		Statement: "SELECT :a, NULL", WarehouseID: "w1", RowLimit: client.Ptr(int64(5)),
		WaitTimeout: client.Ptr("0s"), Disposition: client.Ptr(DispositionInline),
		Parameters: []StatementParameter{{Name: "a", Value: client.Ptr("1"), Type: client.Ptr("INT")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"statement":"SELECT :a, NULL","warehouse_id":"w1","parameters":[{"name":"a","value":"1","type":"INT"}],"row_limit":5,"wait_timeout":"0s","disposition":"INLINE"}`
	var sent, wanted any
	if err := json.Unmarshal(srv.Body, &sent); err != nil {
		t.Fatal(err)
	}
	_ = json.Unmarshal([]byte(want), &wanted)
	if srv.Method != http.MethodPost || srv.Path != "/api/2.0/sql/statements" || !reflect.DeepEqual(sent, wanted) {
		t.Errorf("sent %s %s %s, want %s", srv.Method, srv.Path, srv.Body, want)
	}
	if row := got.Result.DataArray[0]; len(row) != 2 || *row[0] != "1" || row[1] != nil {
		t.Errorf("decoded %v", row)
	}
}

// The chunk index travels in the path, after the statement id.
func TestResultChunkOnTheWire(t *testing.T) {
	srv, c := clienttest.Stub(t, `{"chunk_index":3,"row_offset":300,"row_count":1,"data_array":[["x"]]}`)
	got, err := StatementExecutionGetStatementResultChunkN.Call(context.Background(), c,
		&GetStatementResultChunkNRequest{StatementID: "01ef-abc", ChunkIndex: 3})
	if err != nil {
		t.Fatal(err)
	}
	if srv.Method != http.MethodGet || srv.Path != "/api/2.0/sql/statements/01ef-abc/result/chunks/3" || len(srv.Body) != 0 {
		t.Errorf("sent %s %s %q", srv.Method, srv.Path, srv.Body)
	}
	if *got.ChunkIndex != 3 || *got.RowOffset != 300 {
		t.Errorf("decoded %+v", got)
	}
}
