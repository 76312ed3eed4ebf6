package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"
)

// historyList calls the query history route as a client would.
func historyList(t *testing.T, e *Emulator, q url.Values) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/api/2.0/sql/history/queries?"+q.Encode(), nil)
	req.Header.Set("Authorization", "Bearer dapi-test")
	w := httptest.NewRecorder()
	e.ServeHTTP(w, req)
	var body map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("not JSON: %s", w.Body.Bytes())
	}
	return w.Code, body
}

func queryIDs(t *testing.T, body map[string]any) []string {
	t.Helper()
	res, ok := body["res"].([]any)
	if !ok {
		t.Fatalf("no res array: %v", body)
	}
	var ids []string
	for _, q := range res {
		ids = append(ids, q.(map[string]any)["query_id"].(string))
	}
	return ids
}

// TestQueryHistory: what recordQuery records, the history lists newest
// first, filtered by warehouse, user, status, statement and start time,
// paged by max_results, with metrics only when asked.
func TestQueryHistory(t *testing.T) {
	e := New(Options{})
	if code, body := historyList(t, e, nil); code != http.StatusOK || len(queryIDs(t, body)) != 0 || body["has_next_page"] != false {
		t.Fatalf("empty history: %d %v", code, body)
	}
	e.mu.Lock()
	for _, q := range []map[string]any{
		{"query_id": "q1", "warehouse_id": "w1", "status": "FINISHED", "user_id": 1, "query_start_time_ms": int64(1000), "metrics": map[string]any{"total_time_ms": 5}},
		{"query_id": "q2", "warehouse_id": "w2", "status": "FAILED", "user_id": 2, "query_start_time_ms": int64(2000), "error_message": "boom"},
		{"query_id": "q3", "warehouse_id": "w1", "status": "RUNNING", "user_id": 1, "query_start_time_ms": int64(3000)},
		{"query_id": "q3", "warehouse_id": "w1", "status": "FINISHED", "user_id": 1, "query_start_time_ms": int64(3000)},
	} {
		e.recordQuery(q)
	}
	e.mu.Unlock()

	for _, c := range []struct {
		q    url.Values
		want []string
	}{
		{nil, []string{"q3", "q2", "q1"}},
		{url.Values{"filter_by.warehouse_ids": {"w1"}}, []string{"q3", "q1"}},
		{url.Values{"filter_by.warehouse_ids": {"w1", "w2"}}, []string{"q3", "q2", "q1"}},
		{url.Values{"filter_by.user_ids": {"2"}}, []string{"q2"}},
		{url.Values{"filter_by.statuses": {"FINISHED"}}, []string{"q3", "q1"}},
		{url.Values{"filter_by.statement_ids": {"q1"}}, []string{"q1"}},
		{url.Values{"filter_by.query_start_time_range.start_time_ms": {"1500"}, "filter_by.query_start_time_range.end_time_ms": {"2500"}}, []string{"q2"}},
	} {
		code, body := historyList(t, e, c.q)
		if got := queryIDs(t, body); code != http.StatusOK || !slices.Equal(got, c.want) {
			t.Errorf("%v: %d %v, want %v", c.q, code, got, c.want)
		}
	}

	// Paging: one query a page, to the end, each once.
	var got []string
	q := url.Values{"max_results": {"1"}}
	for range 5 {
		_, body := historyList(t, e, q)
		got = append(got, queryIDs(t, body)...)
		tok, _ := body["next_page_token"].(string)
		if body["has_next_page"] != (tok != "") {
			t.Errorf("has_next_page %v with token %q", body["has_next_page"], tok)
		}
		if tok == "" {
			break
		}
		q.Set("page_token", tok)
	}
	if !slices.Equal(got, []string{"q3", "q2", "q1"}) {
		t.Errorf("paged %v", got)
	}

	_, body := historyList(t, e, url.Values{"filter_by.statement_ids": {"q1"}})
	if _, has := body["res"].([]any)[0].(map[string]any)["metrics"]; has {
		t.Error("metrics without include_metrics")
	}
	_, body = historyList(t, e, url.Values{"filter_by.statement_ids": {"q1"}, "include_metrics": {"true"}})
	if _, has := body["res"].([]any)[0].(map[string]any)["metrics"]; !has {
		t.Error("no metrics with include_metrics")
	}
	if code, body := historyList(t, e, url.Values{"max_results": {"1000"}}); code != http.StatusBadRequest || body["error_code"] != "INVALID_PARAMETER_VALUE" {
		t.Errorf("max_results 1000: %d %v", code, body)
	}
}
