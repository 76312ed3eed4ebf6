package emulator

import (
	"fmt"
	"net/url"
	"testing"
)

// ucPutTable registers a table every read then shows, and the lists page
// through a large schema by max_results and page_token with nothing
// missing or repeated; without max_results they answer everything.
func TestUCPutTableAndPaging(t *testing.T) {
	e := New(Options{})
	e.mu.Lock()
	const n = 250
	for i := range n {
		e.ucPutTable(map[string]any{"catalog_name": "main", "schema_name": "Default", "name": fmt.Sprintf("t%03d", i),
			"columns": []any{map[string]any{"name": "id", "type_name": "LONG", "type_text": "bigint", "nullable": false}}})
	}
	e.mu.Unlock()
	list := func(q url.Values) map[string]any {
		q.Set("catalog_name", "main")
		q.Set("schema_name", "default")
		out, aerr := e.ucListTables(&params{query: q})
		if aerr != nil {
			t.Fatalf("list %v: %v", q, aerr.msg)
		}
		return out.(map[string]any)
	}
	if all := list(url.Values{}); len(all["tables"].([]any)) != n || all["next_page_token"] != nil {
		t.Errorf("unpaged list: %d tables, next %v", len(all["tables"].([]any)), all["next_page_token"])
	}
	seen := map[string]bool{}
	tok, pages := "", 0
	for {
		q := url.Values{"max_results": {"100"}}
		if tok != "" {
			q.Set("page_token", tok)
		}
		page := list(q)
		pages++
		for _, it := range page["tables"].([]any) {
			name := it.(map[string]any)["full_name"].(string)
			if seen[name] {
				t.Fatalf("%s listed twice", name)
			}
			seen[name] = true
		}
		next, _ := page["next_page_token"].(string)
		if next == "" {
			break
		}
		tok = next
	}
	if len(seen) != n || pages != 3 {
		t.Errorf("%d tables in %d pages, want %d in 3", len(seen), pages, n)
	}
	got, aerr := e.ucGetTable(&params{path: map[string]string{"full_name": "MAIN.default.t007"}})
	if aerr != nil {
		t.Fatal(aerr.msg)
	}
	tbl := got.(map[string]any)
	col := tbl["columns"].([]any)[0].(map[string]any)
	if tbl["full_name"] != "main.default.t007" || tbl["table_type"] != "MANAGED" || tbl["data_source_format"] != "DELTA" ||
		tbl["storage_location"] == nil || tbl["table_id"] == nil || col["position"] != 0 ||
		col["type_json"] != `{"name":"id","type":"bigint","nullable":false,"metadata":{}}` {
		t.Errorf("registered table = %v", tbl)
	}
}
