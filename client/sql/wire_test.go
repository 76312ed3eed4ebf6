package sql

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
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
