package iam_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/client/clienttest"
	"github.com/dbx-mcp/dbx-mcp/client/iam"
	"github.com/dbx-mcp/dbx-mcp/emulator"
)

// SCIM list parameters travel in the query string under their camelCase
// SCIM names.
func TestSCIMListOnTheWire(t *testing.T) {
	srv, c := clienttest.Stub(t, `{"totalResults":0,"startIndex":1,"itemsPerPage":0}`)
	order := iam.SortOrder("descending")
	_, err := iam.GroupsList.Call(context.Background(), c, &iam.ListRequest{
		Filter: client.Ptr(`displayName sw "data"`), StartIndex: client.Ptr(int64(101)), Count: client.Ptr(int64(100)),
		ExcludedAttributes: client.Ptr("members"), SortBy: client.Ptr("displayName"), SortOrder: &order,
	})
	if err != nil {
		t.Fatal(err)
	}
	q := srv.Query
	if srv.Method != "GET" || srv.Path != "/api/2.0/preview/scim/v2/Groups" || q.Get("filter") != `displayName sw "data"` ||
		q.Get("startIndex") != "101" || q.Get("count") != "100" || q.Get("excludedAttributes") != "members" ||
		q.Get("sortBy") != "displayName" || q.Get("sortOrder") != "descending" || len(srv.Body) != 0 {
		t.Errorf("sent %s %s ?%v body %q", srv.Method, srv.Path, q, srv.Body)
	}
}

// A SCIM PATCH sends Operations (capitalised, as SCIM spells it) and the id
// in the path.
func TestSCIMPatchOnTheWire(t *testing.T) {
	srv, c := clienttest.Stub(t, ``)
	_, err := iam.GroupsPatch.Call(context.Background(), c, &iam.PatchRequest{
		ID:      "123",
		Schemas: []iam.PatchSchema{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		Operations: []iam.PatchOperation{{
			Op: iam.PatchAdd, Path: client.Ptr("members"), Value: json.RawMessage(`[{"value":"456"}]`),
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Operations":[{"op":"add","path":"members","value":[{"value":"456"}]}],"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}`
	if srv.Method != "PATCH" || srv.Path != "/api/2.0/preview/scim/v2/Groups/123" || string(srv.Body) != want {
		t.Errorf("sent %s %s %s\nwant body %s", srv.Method, srv.Path, srv.Body, want)
	}
}

// The object type and id fill the permissions path; the grants are the body.
func TestPermissionsOnTheWire(t *testing.T) {
	srv, c := clienttest.Stub(t, `{"object_id":"/cluster-policies/ABC","object_type":"cluster-policy"}`)
	level := iam.PermissionLevel("CAN_USE")
	resp, err := iam.PermissionsUpdate.Call(context.Background(), c, &iam.SetPermissionsRequest{
		RequestObjectType: "cluster-policies", RequestObjectID: "ABC",
		AccessControlList: []iam.AccessControlRequest{{GroupName: client.Ptr("users"), PermissionLevel: &level}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"access_control_list":[{"group_name":"users","permission_level":"CAN_USE"}]}`; srv.Method != "PATCH" ||
		srv.Path != "/api/2.0/permissions/cluster-policies/ABC" || string(srv.Body) != want {
		t.Errorf("sent %s %s %s", srv.Method, srv.Path, srv.Body)
	}
	if resp.ObjectType == nil || *resp.ObjectType != "cluster-policy" {
		t.Errorf("object_type = %v", resp.ObjectType)
	}
}

// Against the emulator: a SCIM list pages by startIndex to the end, and a
// group built by create and patch shows its members.
func TestSCIMAgainstEmulator(t *testing.T) {
	emu := emulator.New(emulator.Options{})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	c, err := client.New(&client.Config{Host: srv.URL, Token: "dapi-test"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var ids []string
	for _, name := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		u, err := iam.UsersCreate.Call(ctx, c, &iam.CreateUserRequest{UserName: name})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, *u.ID)
	}
	var seen []string
	pages := 0
	for page, err := range iam.UsersList.Pages(ctx, c, &iam.ListRequest{Count: client.Ptr(int64(2)), Attributes: client.Ptr("userName")}) {
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, u := range page.Resources {
			seen = append(seen, *u.UserName)
		}
	}
	if pages != 2 || !slices.Equal(seen, []string{emulator.UserName, "a@example.com", "b@example.com", "c@example.com"}) {
		t.Errorf("%d pages, users %v", pages, seen)
	}

	g, err := iam.GroupsCreate.Call(ctx, c, &iam.CreateGroupRequest{DisplayName: "eng", Members: []iam.ComplexValue{{Value: &ids[0]}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = iam.GroupsPatch.Call(ctx, c, &iam.PatchRequest{ID: *g.ID, Operations: []iam.PatchOperation{
		{Op: iam.PatchAdd, Path: client.Ptr("members"), Value: json.RawMessage(`[{"value":"` + ids[1] + `"}]`)},
		{Op: iam.PatchRemove, Path: client.Ptr(`members[value eq "` + ids[0] + `"]`)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := iam.GroupsGet.Call(ctx, c, &iam.GetByIDRequest{ID: *g.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Members) != 1 || *got.Members[0].Value != ids[1] || *got.Members[0].Display != "b@example.com" {
		t.Errorf("members = %+v", got.Members)
	}
	_, err = iam.GroupsGet.Call(ctx, c, &iam.GetByIDRequest{ID: "404"})
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Message != "Group with id 404 not found." {
		t.Errorf("unknown group: %v", err)
	}
}
