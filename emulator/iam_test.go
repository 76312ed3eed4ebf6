package emulator_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/emulator"
)

const scimV2 = "/api/2.0/preview/scim/v2/"

// wantSCIMError checks an error in the RFC 7644 shape SCIM routes answer.
func wantSCIMError(t *testing.T, r response, status int, detail string) {
	t.Helper()
	if r.status != status {
		t.Errorf("status = %d, want %d (body %s)", r.status, status, r.raw)
	}
	schemas := arr(t, r.body["schemas"], "schemas")
	if len(schemas) != 1 || schemas[0] != "urn:ietf:params:scim:api:messages:2.0:Error" {
		t.Errorf("schemas = %v", schemas)
	}
	if r.str("status") != strconv.Itoa(status) {
		t.Errorf("status member = %q, want %q", r.str("status"), strconv.Itoa(status))
	}
	if detail != "" && r.str("detail") != detail {
		t.Errorf("detail = %q, want %q", r.str("detail"), detail)
	}
	if len(r.body) != 3 {
		t.Errorf("error body has members %v, want schemas, detail and status", keys(r.body))
	}
}

// displays lists the display members of complex values.
func displays(t *testing.T, v any, what string) []string {
	t.Helper()
	var out []string
	for _, it := range arr(t, v, what) {
		d, _ := obj(t, it, what)["display"].(string)
		out = append(out, d)
	}
	return out
}

func (h *harness) scimCreate(kind string, body map[string]any) string {
	h.t.Helper()
	r := h.ok(h.post(scimV2+kind, body))
	id := r.str("id")
	if id == "" {
		h.t.Fatalf("create %s answered no id: %s", kind, r.raw)
	}
	return id
}

func TestSCIMCurrentUserAndBuiltinGroups(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	me := h.ok(h.get(scimV2+"Me", nil))
	if me.str("userName") != emulator.UserName || me.str("id") == "" {
		t.Fatalf("Me = %s", me.raw)
	}
	if got := displays(t, me.body["groups"], "groups"); !slices.Equal(got, []string{"admins", "users"}) {
		t.Errorf("Me groups = %v, want admins and users", got)
	}
	slim := h.ok(h.get(scimV2+"Me", url.Values{"attributes": {"userName"}}))
	if _, has := slim.body["groups"]; has || slim.str("userName") == "" || slim.str("id") == "" {
		t.Errorf("Me?attributes=userName = %s, want id, schemas and userName only", slim.raw)
	}

	r := h.ok(h.get(scimV2+"Groups", url.Values{"filter": {`displayName eq "admins"`}}))
	if num(t, r.body["totalResults"], "totalResults") != 1 {
		t.Fatalf("admins filter = %s", r.raw)
	}
	admins := obj(t, arr(t, r.body["Resources"], "Resources")[0], "group")
	if got := displays(t, admins["members"], "members"); !slices.Equal(got, []string{"Emulator User"}) {
		t.Errorf("admins members = %v", got)
	}
	wantSCIMError(t, h.call("DELETE", scimV2+"Groups/"+admins["id"].(string), nil, nil), http.StatusForbidden, "")
}

func TestSCIMGroupLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	ann := h.scimCreate("Users", map[string]any{"userName": "ann@example.com", "displayName": "Ann"})
	bob := h.scimCreate("Users", map[string]any{"userName": "bob@example.com"})
	gid := h.scimCreate("Groups", map[string]any{"displayName": "data-eng", "members": []any{map[string]any{"value": ann}}})

	wantSCIMError(t, h.post(scimV2+"Groups", map[string]any{"displayName": "DATA-ENG"}), http.StatusConflict, "Group with name DATA-ENG already exists.")
	wantSCIMError(t, h.post(scimV2+"Groups", map[string]any{"displayName": "x", "members": []any{map[string]any{"value": "42"}}}), http.StatusNotFound, "Member with id 42 not found.")

	patch := func(ops ...map[string]any) response {
		return h.call("PATCH", scimV2+"Groups/"+gid, nil, map[string]any{
			"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}, "Operations": ops,
		})
	}
	h.ok(patch(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": bob}}},
		map[string]any{"op": "add", "path": "entitlements", "value": []any{map[string]any{"value": "allow-cluster-create"}}}))
	g := h.ok(h.get(scimV2+"Groups/"+gid, nil))
	if got := displays(t, g.body["members"], "members"); !slices.Equal(got, []string{"Ann", "bob@example.com"}) {
		t.Errorf("members after add = %v", got)
	}
	if ents := arr(t, g.body["entitlements"], "entitlements"); len(ents) != 1 {
		t.Errorf("entitlements = %v", ents)
	}
	// A user's groups follow the groups' members.
	u := h.ok(h.get(scimV2+"Users/"+bob, nil))
	if got := displays(t, u.body["groups"], "groups"); !slices.Contains(got, "data-eng") {
		t.Errorf("bob's groups = %v, want data-eng among them", got)
	}

	h.ok(patch(map[string]any{"op": "remove", "path": `members[value eq "` + ann + `"]`},
		map[string]any{"op": "replace", "path": "displayName", "value": "platform"}))
	g = h.ok(h.get(scimV2+"Groups/"+gid, nil))
	if g.str("displayName") != "platform" || !slices.Equal(displays(t, g.body["members"], "members"), []string{"bob@example.com"}) {
		t.Errorf("after remove and rename: %s", g.raw)
	}
	wantSCIMError(t, patch(map[string]any{"op": "move", "path": "members"}), http.StatusBadRequest, "")
	wantSCIMError(t, patch(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": "999"}}}), http.StatusNotFound, "")

	// PUT replaces: members left out are gone.
	h.ok(h.call("PUT", scimV2+"Groups/"+gid, nil, map[string]any{"displayName": "platform"}))
	g = h.ok(h.get(scimV2+"Groups/"+gid, nil))
	if _, has := g.body["members"]; has {
		t.Errorf("members after PUT without members: %s", g.raw)
	}

	h.ok(h.call("DELETE", scimV2+"Groups/"+gid, nil, nil))
	wantSCIMError(t, h.get(scimV2+"Groups/"+gid, nil), http.StatusNotFound, "Group with id "+gid+" not found.")
	wantSCIMError(t, h.get(scimV2+"Users/"+gid, nil), http.StatusNotFound, "User with id "+gid+" not found.")
}

func TestSCIMUsersListFilterSortPaging(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	for _, n := range []string{"carol", "alice", "bert"} {
		h.scimCreate("Users", map[string]any{"userName": n + "@corp.com", "displayName": n})
	}
	wantSCIMError(t, h.post(scimV2+"Users", map[string]any{"userName": "ALICE@corp.com"}), http.StatusConflict, "User with username ALICE@corp.com already exists.")
	wantSCIMError(t, h.post(scimV2+"Users", map[string]any{"displayName": "nobody"}), http.StatusBadRequest, "")

	names := func(r response) []string {
		var out []string
		for _, it := range arr(t, r.body["Resources"], "Resources") {
			out = append(out, obj(t, it, "user")["userName"].(string))
		}
		return out
	}
	r := h.ok(h.get(scimV2+"Users", url.Values{"filter": {`userName ew "@corp.com"`}, "sortBy": {"userName"}, "sortOrder": {"descending"}}))
	if got := names(r); !slices.Equal(got, []string{"carol@corp.com", "bert@corp.com", "alice@corp.com"}) {
		t.Errorf("sorted descending = %v", got)
	}
	r = h.ok(h.get(scimV2+"Users", url.Values{"filter": {`userName sw "b" or displayName eq "CAROL"`}}))
	if got := names(r); !slices.Equal(got, []string{"carol@corp.com", "bert@corp.com"}) {
		t.Errorf("or filter = %v", got)
	}
	r = h.ok(h.get(scimV2+"Users", url.Values{"filter": {`emails.value co "alice" and active eq true`}}))
	if got := names(r); !slices.Equal(got, []string{"alice@corp.com"}) {
		t.Errorf("emails.value filter = %v", got)
	}
	wantSCIMError(t, h.get(scimV2+"Users", url.Values{"filter": {`userName eq`}}), http.StatusBadRequest, "")

	// Pages: 4 users (the caller and three), two per page.
	r = h.ok(h.get(scimV2+"Users", url.Values{"startIndex": {"3"}, "count": {"2"}, "attributes": {"userName"}}))
	if num(t, r.body["totalResults"], "totalResults") != 4 || num(t, r.body["startIndex"], "startIndex") != 3 ||
		num(t, r.body["itemsPerPage"], "itemsPerPage") != 2 {
		t.Errorf("page = %s", r.raw)
	}
	for _, it := range arr(t, r.body["Resources"], "Resources") {
		if _, has := obj(t, it, "user")["emails"]; has {
			t.Errorf("attributes=userName still returns emails: %v", it)
		}
	}
	r = h.ok(h.get(scimV2+"Users", url.Values{"startIndex": {"9"}}))
	if _, has := r.body["Resources"]; has || num(t, r.body["itemsPerPage"], "itemsPerPage") != 0 {
		t.Errorf("past the end = %s", r.raw)
	}

	// Deactivate through PATCH; Azure AD sends the boolean as a string.
	bert := arr(t, h.ok(h.get(scimV2+"Users", url.Values{"filter": {`userName eq "bert@corp.com"`}})).body["Resources"], "Resources")[0].(map[string]any)["id"].(string)
	h.ok(h.call("PATCH", scimV2+"Users/"+bert, nil, map[string]any{"Operations": []any{map[string]any{"op": "Replace", "path": "active", "value": "False"}}}))
	if h.ok(h.get(scimV2+"Users/"+bert, nil)).body["active"] != false {
		t.Error("bert still active")
	}
}

func TestSCIMServicePrincipals(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	id := h.scimCreate("ServicePrincipals", map[string]any{"displayName": "etl-bot"})
	sp := h.ok(h.get(scimV2+"ServicePrincipals/"+id, nil))
	app := sp.str("applicationId")
	if len(app) != 36 || sp.body["active"] != true {
		t.Errorf("service principal = %s", sp.raw)
	}
	wantSCIMError(t, h.post(scimV2+"ServicePrincipals", map[string]any{"applicationId": app}), http.StatusConflict, "")
	r := h.ok(h.get(scimV2+"ServicePrincipals", url.Values{"filter": {`displayName eq "etl-bot"`}}))
	if num(t, r.body["totalResults"], "totalResults") != 1 {
		t.Errorf("list = %s", r.raw)
	}
	h.ok(h.call("DELETE", scimV2+"ServicePrincipals/"+id, nil, nil))
	wantSCIMError(t, h.call("DELETE", scimV2+"ServicePrincipals/"+id, nil, nil), http.StatusNotFound, "Service Principal with id "+id+" not found.")
}

func TestGroups20Membership(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	h.scimCreate("Users", map[string]any{"userName": "ann@example.com"})
	h.scimCreate("Groups", map[string]any{"displayName": "eng"})
	h.scimCreate("Groups", map[string]any{"displayName": "all-staff"})

	h.ok(h.post("/api/2.0/groups/add-member", map[string]any{"user_name": "ann@example.com", "parent_name": "eng"}))
	h.ok(h.post("/api/2.0/groups/add-member", map[string]any{"group_name": "eng", "parent_name": "all-staff"}))
	r := h.ok(h.get("/api/2.0/groups/list-members", url.Values{"group_name": {"all-staff"}}))
	if m := arr(t, r.body["members"], "members"); len(m) != 1 || obj(t, m[0], "member")["group_name"] != "eng" {
		t.Errorf("all-staff members = %s", r.raw)
	}
	r = h.ok(h.get("/api/2.0/groups/list-parents", url.Values{"user_name": {"ann@example.com"}}))
	if g := arr(t, r.body["group_names"], "group_names"); !slices.Equal(g, []any{"users", "eng"}) {
		t.Errorf("ann's groups = %v", g)
	}
	// The same groups through SCIM.
	g := h.ok(h.get(scimV2+"Groups", url.Values{"filter": {`displayName eq "eng"`}}))
	eng := obj(t, arr(t, g.body["Resources"], "Resources")[0], "eng")
	if got := displays(t, eng["members"], "members"); !slices.Equal(got, []string{"ann@example.com"}) {
		t.Errorf("eng members via SCIM = %v", got)
	}

	h.ok(h.post("/api/2.0/groups/remove-member", map[string]any{"user_name": "ann@example.com", "parent_name": "eng"}))
	wantError(t, h.post("/api/2.0/groups/remove-member", map[string]any{"user_name": "ann@example.com", "parent_name": "eng"}), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	wantError(t, h.post("/api/2.0/groups/add-member", map[string]any{"user_name": "ann@example.com", "parent_name": "nope"}), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "Group nope does not exist.")
	wantError(t, h.post("/api/2.0/groups/add-member", map[string]any{"user_name": "a", "group_name": "b", "parent_name": "eng"}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
}

func TestPermissions(t *testing.T) {
	h := newHarness(t, emulator.Options{ClusterStartDelay: -1, ClusterStopDelay: -1})
	h.scimCreate("Users", map[string]any{"userName": "ann@example.com", "displayName": "Ann"})
	h.scimCreate("Groups", map[string]any{"displayName": "eng"})

	wantError(t, h.get("/api/2.0/permissions/clusters/0000-000000-nope", nil), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	wantError(t, h.get("/api/2.0/permissions/gadgets/1", nil), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")

	id := h.createCluster(map[string]any{"spark_version": "15.4.x-scala2.12", "num_workers": 1})
	base := "/api/2.0/permissions/clusters/" + id
	r := h.ok(h.call("PUT", base, nil, map[string]any{"access_control_list": []any{
		map[string]any{"user_name": "ann@example.com", "permission_level": "CAN_RESTART"},
	}}))
	if r.str("object_id") != "/clusters/"+id || r.str("object_type") != "cluster" {
		t.Errorf("set = %s", r.raw)
	}
	h.ok(h.call("PATCH", base, nil, map[string]any{"access_control_list": []any{
		map[string]any{"group_name": "eng", "permission_level": "CAN_ATTACH_TO"},
	}}))
	acl := arr(t, h.ok(h.get(base, nil)).body["access_control_list"], "access_control_list")
	var who []string
	for _, it := range acl {
		e := obj(t, it, "entry")
		for _, f := range []string{"user_name", "group_name"} {
			if s, ok := e[f].(string); ok {
				who = append(who, s)
			}
		}
	}
	if !slices.Equal(who, []string{"ann@example.com", "eng", "admins"}) {
		t.Errorf("after set and update: %v", who)
	}
	// PUT replaces the direct grants.
	h.ok(h.call("PUT", base, nil, map[string]any{"access_control_list": []any{}}))
	if acl := arr(t, h.ok(h.get(base, nil)).body["access_control_list"], "acl"); len(acl) != 1 {
		t.Errorf("after empty set: %v", acl)
	}

	wantError(t, h.call("PATCH", base, nil, map[string]any{"access_control_list": []any{
		map[string]any{"user_name": "ann@example.com", "permission_level": "CAN_RUN"},
	}}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "Permission level CAN_RUN is not supported for cluster objects. Supported levels: CAN_MANAGE, CAN_RESTART, CAN_ATTACH_TO.")
	wantError(t, h.call("PATCH", base, nil, map[string]any{"access_control_list": []any{
		map[string]any{"user_name": "ghost@example.com", "permission_level": "CAN_MANAGE"},
	}}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "Principal: UserName(ghost@example.com) does not exist")

	levels := arr(t, h.ok(h.get(base+"/permissionLevels", nil)).body["permission_levels"], "permission_levels")
	if len(levels) != 3 || obj(t, levels[0], "level")["description"] != "Can Manage permission on cluster" {
		t.Errorf("permission levels = %v", levels)
	}

	// Jobs and workspace objects are checked against their areas: an id
	// that names nothing is refused, a real one takes its type's levels.
	wantError(t, h.call("PUT", "/api/2.0/permissions/jobs/123", nil, map[string]any{"access_control_list": []any{
		map[string]any{"user_name": emulator.UserName, "permission_level": "IS_OWNER"},
	}}), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "job 123 does not exist.")
	job := h.ok(h.post("/api/2.2/jobs/create", map[string]any{"name": "perm"})).body["job_id"]
	jobPath := fmt.Sprintf("/api/2.0/permissions/jobs/%v", job)
	h.ok(h.call("PUT", jobPath, nil, map[string]any{"access_control_list": []any{
		map[string]any{"user_name": emulator.UserName, "permission_level": "IS_OWNER"},
	}}))
	wantError(t, h.call("PUT", jobPath, nil, map[string]any{"access_control_list": []any{
		map[string]any{"user_name": emulator.UserName, "permission_level": "CAN_RESTART"},
	}}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	h.ok(h.post("/api/2.0/workspace/mkdirs", map[string]any{"path": "/Shared/perm"}))
	dir := h.ok(h.get("/api/2.0/workspace/get-status", url.Values{"path": {"/Shared/perm"}})).body["object_id"]
	h.ok(h.call("PATCH", fmt.Sprintf("/api/2.0/permissions/directories/%v", dir), nil, map[string]any{"access_control_list": []any{
		map[string]any{"group_name": "users", "permission_level": "CAN_READ"},
	}}))
	wantError(t, h.call("PATCH", fmt.Sprintf("/api/2.0/permissions/notebooks/%v", dir), nil, map[string]any{"access_control_list": []any{
		map[string]any{"group_name": "users", "permission_level": "CAN_READ"},
	}}), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
}
