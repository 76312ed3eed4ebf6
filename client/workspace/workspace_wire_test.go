package workspace

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/client/clienttest"
)

// export travels as a GET query and its base64 content comes back as sent.
func TestExportOnTheWire(t *testing.T) {
	srv, c := clienttest.Stub(t, `{"content":"Ly8gRGF0YWJyaWNrcyBub3RlYm9vayBzb3VyY2UKMSsx","file_type":"scala"}`)
	f := ExportFormatSource
	resp, err := WorkspaceExport.Call(context.Background(), c, &ExportRequest{Path: "/Users/me@example.com/my nb", Format: &f})
	if err != nil {
		t.Fatal(err)
	}
	if srv.Method != "GET" || srv.Path != "/api/2.0/workspace/export" || srv.Query.Get("path") != "/Users/me@example.com/my nb" || srv.Query.Get("format") != "SOURCE" || len(srv.Body) != 0 {
		t.Errorf("sent %s %s ?%v body %q", srv.Method, srv.Path, srv.Query, srv.Body)
	}
	if resp.Content == nil || *resp.Content != "Ly8gRGF0YWJyaWNrcyBub3RlYm9vayBzb3VyY2UKMSsx" || resp.FileType == nil || *resp.FileType != "scala" {
		t.Errorf("got %+v", resp)
	}
}

// A repo id is an int64 in the path, kept exactly; the rest is the PATCH
// body.
func TestReposUpdateOnTheWire(t *testing.T) {
	srv, c := clienttest.Stub(t, `{}`)
	if _, err := ReposUpdate.Call(context.Background(), c, &UpdateRepoRequest{RepoID: 5249608814509279, Branch: client.Ptr("main")}); err != nil {
		t.Fatal(err)
	}
	if srv.Method != "PATCH" || srv.Path != "/api/2.0/repos/5249608814509279" || string(srv.Body) != `{"branch":"main"}` {
		t.Errorf("sent %s %s %s", srv.Method, srv.Path, srv.Body)
	}
}

// repos/list asks for the next page with the token under its own name,
// next_page_token, in the query.
func TestReposListPaging(t *testing.T) {
	next, ok, err := ReposList.Info().Paging.Next(json.RawMessage(`{"path_prefix":"/Repos/a"}`),
		json.RawMessage(`{"repos":[{"id":1}],"next_page_token":"tok 2"}`))
	if err != nil || !ok {
		t.Fatalf("next = %s, %v, %v", next, ok, err)
	}
	var args map[string]string
	if err := json.Unmarshal(next, &args); err != nil || args["next_page_token"] != "tok 2" || args["path_prefix"] != "/Repos/a" {
		t.Errorf("next page arguments = %s", next)
	}
	if _, ok, _ := ReposList.Info().Paging.Next(next, json.RawMessage(`{"repos":[{"id":2}]}`)); ok {
		t.Error("a page without next_page_token is the last")
	}
	srv, c := clienttest.Stub(t, `{}`)
	if _, err := ReposList.Call(context.Background(), c, &ListReposRequest{NextPageToken: client.Ptr("tok 2")}); err != nil {
		t.Fatal(err)
	}
	if srv.Path != "/api/2.0/repos" || srv.Query.Get("next_page_token") != "tok 2" {
		t.Errorf("sent %s ?%v", srv.Path, srv.Query)
	}
}
