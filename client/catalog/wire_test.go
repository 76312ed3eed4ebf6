package catalog

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/client/clienttest"
)

// A list sent without max_results asks for DefaultPageSize items, since an
// unset max_results makes Unity Catalog answer everything at once; a
// caller's own max_results, 0 included, goes out unchanged.
func TestListsPageByDefault(t *testing.T) {
	srv, c := clienttest.Stub(t, `{"tables":[]}`)
	ctx := context.Background()
	if _, err := TablesList.Call(ctx, c, &ListTablesRequest{CatalogName: "main", SchemaName: "default"}); err != nil {
		t.Fatal(err)
	}
	if got := srv.Query.Get("max_results"); got != "100" || srv.Query.Get("catalog_name") != "main" || srv.Path != "/api/2.1/unity-catalog/tables" {
		t.Errorf("sent %s ?%v, want max_results=100", srv.Path, srv.Query)
	}
	for _, n := range []int64{0, 7} {
		if _, err := TablesList.Call(ctx, c, &ListTablesRequest{CatalogName: "main", SchemaName: "default", MaxResults: client.Ptr(n)}); err != nil {
			t.Fatal(err)
		}
		if got, want := srv.Query.Get("max_results"), map[int64]string{0: "0", 7: "7"}[n]; got != want {
			t.Errorf("max_results %d sent as %q", n, got)
		}
	}
	// The raw path the tools use gets the default too.
	for _, op := range []client.Operation{CatalogsList, SchemasList, TablesListSummaries, VolumesList, FunctionsList} {
		if _, err := op.Invoke(ctx, c, json.RawMessage(`{"catalog_name":"main","schema_name":"default"}`)); err != nil {
			t.Fatal(err)
		}
		if srv.Query.Get("max_results") != "100" {
			t.Errorf("%s sent ?%v", op.Info().FullName(), srv.Query)
		}
	}
}

// Full names travel as one path segment.
func TestFullNamesInPath(t *testing.T) {
	srv, c := clienttest.Stub(t, `{"table_exists":true}`)
	resp, err := TablesExists.Call(context.Background(), c, &TableExistsRequest{FullName: "samples.nyctaxi.trips"})
	if err != nil {
		t.Fatal(err)
	}
	if srv.Method != "GET" || srv.Path != "/api/2.1/unity-catalog/tables/samples.nyctaxi.trips/exists" {
		t.Errorf("sent %s %s", srv.Method, srv.Path)
	}
	if resp.TableExists == nil || !*resp.TableExists {
		t.Errorf("table_exists = %v", resp.TableExists)
	}
	if _, err := CatalogsDelete.Call(context.Background(), c, &DeleteCatalogRequest{Name: "scratch", Force: client.Ptr(true)}); err != nil {
		t.Fatal(err)
	}
	if srv.Method != "DELETE" || srv.Path != "/api/2.1/unity-catalog/catalogs/scratch" || srv.Query.Get("force") != "true" {
		t.Errorf("sent %s %s ?%v", srv.Method, srv.Path, srv.Query)
	}
}
