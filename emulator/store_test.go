package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// These tests declare throwaway stores on a fresh emulator and call them
// over HTTP, to cover the store features no real route uses yet.

type storeHarness struct {
	t   *testing.T
	srv *httptest.Server
}

func newStoreHarness(t *testing.T, declare func(e *Emulator)) *storeHarness {
	t.Helper()
	e := New(Options{})
	declare(e)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &storeHarness{t: t, srv: srv}
}

type reply struct {
	status int
	raw    string
	body   map[string]any
}

func (h *storeHarness) call(method, path string, query url.Values, body any) reply {
	h.t.Helper()
	u := h.srv.URL + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer t")
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	r := reply{status: resp.StatusCode, raw: buf.String()}
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	if err := dec.Decode(&r.body); err != nil {
		h.t.Fatalf("%s %s: not a JSON object: %v: %s", method, path, err, r.raw)
	}
	return r
}

func (h *storeHarness) ok(r reply) reply {
	h.t.Helper()
	if r.status != http.StatusOK {
		h.t.Fatalf("status %d, want 200: %s", r.status, r.raw)
	}
	return r
}

func (h *storeHarness) fails(r reply, status int, code string) {
	h.t.Helper()
	if r.status != status || r.body["error_code"] != code {
		h.t.Errorf("got %d %s, want %d %s", r.status, r.raw, status, code)
	}
}

// names lists the "name" of each item under key.
func names(t *testing.T, r reply, key string) []string {
	t.Helper()
	var out []string
	items, _ := r.body[key].([]any)
	for _, it := range items {
		out = append(out, fmt.Sprint(it.(map[string]any)["name"]))
	}
	return out
}

func TestStoreNumericIDsAndOffsetPages(t *testing.T) {
	const p = "/api/2.0/test/jobs/"
	h := newStoreHarness(t, func(e *Emulator) {
		s := e.store("jobs", storeOpts{
			noun: "job", idField: "job_id", ids: int64IDs,
			fields:   map[string]fieldKind{"name": fString},
			required: []string{"name"},
			listKey:  "jobs",
			paging:   paging{style: offsetPages, def: 2, max: 3},
		})
		s.create("POST", p+"create")
		s.get("GET", p+"get")
		s.get("GET", p+"by-id/{job_id}")
		s.list("GET", p+"list")
		s.delete("POST", p+"delete")
	})
	var ids []json.Number
	for i := range 5 {
		r := h.ok(h.call("POST", p+"create", nil, map[string]any{"name": fmt.Sprint("j", i)}))
		id, ok := r.body["job_id"].(json.Number)
		if !ok || len(r.body) != 1 {
			t.Fatalf("create answered %s, want only a numeric job_id", r.raw)
		}
		if n, err := id.Int64(); err != nil || n < 1e15 || n >= 1<<53 {
			t.Fatalf("job_id %s is not a 16-digit int64 below 2^53", id)
		}
		ids = append(ids, id)
	}
	got := h.ok(h.call("GET", p+"get", url.Values{"job_id": {ids[3].String()}}, nil))
	if got.body["job_id"] != ids[3] || got.body["name"] != "j3" {
		t.Errorf("get = %s", got.raw)
	}
	if got := h.ok(h.call("GET", p+"by-id/0"+ids[2].String(), nil, nil)); got.body["name"] != "j2" {
		t.Errorf("get by path = %s", got.raw)
	}
	h.fails(h.call("GET", p+"by-id/j2", nil, nil), 400, "MALFORMED_REQUEST")
	h.fails(h.call("GET", p+"get", url.Values{"job_id": {"12"}}, nil), 404, "RESOURCE_DOES_NOT_EXIST")
	h.fails(h.call("GET", p+"get", url.Values{"job_id": {"x"}}, nil), 400, "MALFORMED_REQUEST")
	h.fails(h.call("GET", p+"get", nil, nil), 400, "INVALID_PARAMETER_VALUE")
	// A numeric id in a body may come as a number or as a string.
	h.ok(h.call("POST", p+"delete", nil, map[string]any{"job_id": ids[4]}))
	h.fails(h.call("POST", p+"delete", nil, map[string]any{"job_id": ids[4].String()}), 404, "RESOURCE_DOES_NOT_EXIST")

	for _, tc := range []struct {
		query url.Values
		want  []string
		more  bool
	}{
		{nil, []string{"j0", "j1"}, true},
		{url.Values{"offset": {"2"}}, []string{"j2", "j3"}, false},
		{url.Values{"limit": {"10"}}, []string{"j0", "j1", "j2"}, true},
		{url.Values{"offset": {"3"}, "limit": {"1"}}, []string{"j3"}, false},
		{url.Values{"offset": {"9"}}, nil, false},
	} {
		r := h.ok(h.call("GET", p+"list", tc.query, nil))
		if got := names(t, r, "jobs"); !reflect.DeepEqual(got, tc.want) || r.body["has_more"] != tc.more {
			t.Errorf("list %v = %s, want %v has_more %v", tc.query, r.raw, tc.want, tc.more)
		}
	}
	h.fails(h.call("GET", p+"list", url.Values{"offset": {"-1"}}, nil), 400, "INVALID_PARAMETER_VALUE")
	h.fails(h.call("GET", p+"list", url.Values{"limit": {"-1"}}, nil), 400, "INVALID_PARAMETER_VALUE")
}

func TestStoreTokenPages(t *testing.T) {
	const p = "/api/2.0/test/things"
	h := newStoreHarness(t, func(e *Emulator) {
		s := e.store("things", storeOpts{
			noun: "thing", idField: "id", ids: uuidIDs,
			fields:  map[string]fieldKind{"name": fString},
			listKey: "things",
			paging:  paging{style: tokenPages, size: "max_results", max: 4},
		})
		s.create("POST", p)
		s.list("GET", p)
	})
	if r := h.ok(h.call("GET", p, nil, nil)); len(r.body) != 0 {
		t.Errorf("empty list = %s, want {}", r.raw)
	}
	var want []string
	for i := range 7 {
		want = append(want, fmt.Sprint("t", i))
		h.ok(h.call("POST", p, nil, map[string]any{"name": want[i]}))
	}
	for _, size := range []string{"", "2", "3", "100"} {
		var got []string
		q := url.Values{}
		if size != "" {
			q.Set("max_results", size)
		}
		for pages := 0; ; pages++ {
			if pages > 10 {
				t.Fatal("paging does not end")
			}
			r := h.ok(h.call("GET", p, q, nil))
			page := names(t, r, "things")
			if len(page) > 4 {
				t.Errorf("page of %d items; the max is 4", len(page))
			}
			got = append(got, page...)
			tok, _ := r.body["next_page_token"].(string)
			if tok == "" {
				break
			}
			q.Set("page_token", tok)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("max_results %q walked %v, want %v", size, got, want)
		}
	}
	h.fails(h.call("GET", p, url.Values{"page_token": {"garbage"}}, nil), 400, "INVALID_PARAMETER_VALUE")
}

func TestStoreSCIM(t *testing.T) {
	const p = "/api/2.0/preview/scim/v2/Things"
	h := newStoreHarness(t, func(e *Emulator) {
		s := e.store("scim things", storeOpts{
			noun: "thing", idField: "id", ids: digitIDs(16), scim: true,
			fields:   map[string]fieldKind{"userName": fString, "active": fBool},
			required: []string{"userName"},
			unique:   []string{"userName"},
			paging:   paging{style: scimPages, def: 2},
			reply:    replyResource,
			missing:  errSpec{format: "Thing %s not found."},
			exists:   errSpec{format: "Thing with userName %s already exists."},
		})
		s.create("POST", p)
		s.get("GET", p+"/{id}")
		s.list("GET", p)
		s.replace("PUT", p+"/{id}")
		s.delete("DELETE", p+"/{id}")
	})
	r := h.ok(h.call("GET", p, nil, nil))
	if r.raw != `{"itemsPerPage":0,"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"startIndex":1,"totalResults":0}` {
		t.Errorf("empty SCIM list = %s", r.raw)
	}
	var ids []string
	for _, n := range []string{"a", "b", "c"} {
		r := h.ok(h.call("POST", p, nil, map[string]any{"userName": n, "active": true}))
		id, _ := r.body["id"].(string)
		if len(id) != 16 || r.body["userName"] != n || r.body["active"] != true {
			t.Fatalf("create answered %s, want the resource with a 16-digit id", r.raw)
		}
		ids = append(ids, id)
	}
	dup := h.call("POST", p, nil, map[string]any{"userName": "b"})
	if dup.status != 409 || dup.raw != `{"detail":"Thing with userName b already exists.","schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409"}` {
		t.Errorf("duplicate = %d %s", dup.status, dup.raw)
	}
	missing := h.call("GET", p+"/123", nil, nil)
	if missing.status != 404 || missing.raw != `{"detail":"Thing 123 not found.","schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404"}` {
		t.Errorf("missing = %d %s", missing.status, missing.raw)
	}
	if r := h.call("POST", p, nil, map[string]any{}); r.status != 400 || r.body["detail"] != "Missing required field: userName" || r.body["status"] != "400" {
		t.Errorf("missing userName = %d %s", r.status, r.raw)
	}

	list := func(q url.Values) reply { return h.ok(h.call("GET", p, q, nil)) }
	r = list(nil)
	if r.body["totalResults"] != json.Number("3") || r.body["itemsPerPage"] != json.Number("2") || r.body["startIndex"] != json.Number("1") {
		t.Errorf("first page = %s", r.raw)
	}
	r = list(url.Values{"startIndex": {"3"}, "count": {"5"}})
	if items, _ := r.body["Resources"].([]any); len(items) != 1 || items[0].(map[string]any)["userName"] != "c" || r.body["startIndex"] != json.Number("3") {
		t.Errorf("startIndex 3 = %s", r.raw)
	}
	r = list(url.Values{"count": {"0"}})
	if _, has := r.body["Resources"]; has || r.body["totalResults"] != json.Number("3") {
		t.Errorf("count 0 = %s, want the total alone", r.raw)
	}

	// PUT replaces: a field left out is gone; the key stays.
	r = h.ok(h.call("PUT", p+"/"+ids[0], nil, map[string]any{"userName": "a2"}))
	if r.body["id"] != ids[0] || r.body["userName"] != "a2" || r.body["active"] != nil {
		t.Errorf("replace answered %s", r.raw)
	}
	if r := h.call("PUT", p+"/"+ids[0], nil, map[string]any{"userName": "c"}); r.status != 409 {
		t.Errorf("renaming onto a taken userName = %d %s", r.status, r.raw)
	}
	// Replacing with its own userName is no conflict.
	h.ok(h.call("PUT", p+"/"+ids[0], nil, map[string]any{"userName": "a2", "active": false}))
	h.ok(h.call("DELETE", p+"/"+ids[0], nil, nil))
	if r := h.call("DELETE", p+"/"+ids[0], nil, nil); r.status != 404 || r.body["status"] != "404" {
		t.Errorf("second delete = %d %s", r.status, r.raw)
	}
}

func TestStoreUpdates(t *testing.T) {
	const p = "/api/2.0/test/widgets/"
	h := newStoreHarness(t, func(e *Emulator) {
		s := e.store("widgets", storeOpts{
			noun: "widget", idField: "widget_id", ids: hexIDs(16), open: true,
			fields:   map[string]fieldKind{"name": fString, "size": fInt, "tags": fStrings, "spec": fObject},
			required: []string{"name"},
			mutable:  []string{"name", "size", "tags"},
			onCreate: func(o *op) *apiError { o.r.set("created_at", int64(1)); return nil },
			onUpdate: func(o *op) *apiError {
				if n, _ := o.r.int("size"); n > 10 {
					return invalidParam("size %d is too big", n)
				}
				return nil
			},
		})
		s.create("POST", p+"create")
		s.get("GET", p+"get")
		s.update("POST", p+"update")
		s.replace("POST", p+"reset", under("new_settings"))
		s.patch("PATCH", p+"{widget_id}", maskIn("field_mask"), replying(replyResource))
	})
	r := h.ok(h.call("POST", p+"create", nil, map[string]any{
		"name": "w", "size": "3", "tags": []string{"a"}, "spec": map[string]any{"x": 1},
		"extra": map[string]any{"big": 9007199254740993}, "created_at": 99,
	}))
	id, _ := r.body["widget_id"].(string)
	if len(id) != 16 || strings.ToUpper(id) != id {
		t.Fatalf("widget_id %q is not 16 upper-case hex digits", id)
	}
	get := func() map[string]any {
		return h.ok(h.call("GET", p+"get", url.Values{"widget_id": {id}}, nil)).body
	}
	w := get()
	if w["size"] != json.Number("3") || w["created_at"] != json.Number("1") ||
		fmt.Sprint(w["extra"]) != "map[big:9007199254740993]" {
		t.Errorf("created widget = %v (an int given as a string is stored as an int; unknown fields are echoed exactly; computed fields win)", w)
	}

	for _, tc := range []struct {
		body any
		code string
	}{
		{map[string]any{"name": 5}, "MALFORMED_REQUEST"},
		{map[string]any{"name": "w", "size": 1.5}, "MALFORMED_REQUEST"},
		{map[string]any{"name": "w", "tags": []int{1}}, "MALFORMED_REQUEST"},
		{map[string]any{"name": "w", "spec": []int{1}}, "MALFORMED_REQUEST"},
		{map[string]any{"name": ""}, "INVALID_PARAMETER_VALUE"},
		{map[string]any{"size": 1}, "INVALID_PARAMETER_VALUE"},
	} {
		h.fails(h.call("POST", p+"create", nil, tc.body), 400, tc.code)
	}

	// Merge: only what the request carries changes.
	h.ok(h.call("POST", p+"update", nil, map[string]any{"widget_id": id, "size": 4}))
	if w := get(); w["size"] != json.Number("4") || w["name"] != "w" || w["tags"] == nil {
		t.Errorf("after merge = %v", w)
	}
	h.fails(h.call("POST", p+"update", nil, map[string]any{"widget_id": id, "size": 11}), 400, "INVALID_PARAMETER_VALUE")
	if w := get(); w["size"] != json.Number("4") {
		t.Errorf("a refused update changed the widget: %v", w)
	}

	// Replace: written fields not sent are gone, computed ones stay.
	h.fails(h.call("POST", p+"reset", nil, map[string]any{"widget_id": id}), 400, "INVALID_PARAMETER_VALUE")
	h.ok(h.call("POST", p+"reset", nil, map[string]any{"widget_id": id, "new_settings": map[string]any{"name": "v", "more": true}}))
	if w := get(); w["name"] != "v" || w["size"] != nil || w["extra"] != nil || w["more"] != true || w["created_at"] != json.Number("1") || w["widget_id"] != id {
		t.Errorf("after replace = %v", w)
	}

	// Patch: exactly the masked fields, from the query's field_mask.
	mask := func(m string) url.Values { return url.Values{"field_mask": {m}} }
	r = h.ok(h.call("PATCH", p+id, mask("size,tags"), map[string]any{"size": 7, "name": "ignored"}))
	if r.body["size"] != json.Number("7") || r.body["name"] != "v" || fmt.Sprint(r.body["tags"]) != "[]" {
		t.Errorf("patch answered %s (tags masked without a value become [])", r.raw)
	}
	if r := h.call("PATCH", p+id, mask("name,spec"), map[string]any{"name": "x"}); r.status != 400 ||
		r.body["message"] != "Field 'spec' of a widget cannot be updated; only name, size and tags can." {
		t.Errorf("masking an immutable field = %s", r.raw)
	}
	h.fails(h.call("PATCH", p+id, nil, map[string]any{"name": "x"}), 400, "INVALID_PARAMETER_VALUE")
	h.fails(h.call("PATCH", p+id, mask("*"), map[string]any{"name": "x", "size": 12}), 400, "INVALID_PARAMETER_VALUE")
	h.fails(h.call("PATCH", p+"0000", mask("name"), map[string]any{}), 404, "RESOURCE_DOES_NOT_EXIST")
}

func TestStoreClientKeysAndLimit(t *testing.T) {
	const p = "/api/2.1/test/catalogs"
	h := newStoreHarness(t, func(e *Emulator) {
		s := e.store("catalogs", storeOpts{
			noun: "catalog", idField: "name",
			fields:   map[string]fieldKind{"name": fString, "comment": fString},
			maxCount: 2,
			listKey:  "catalogs",
			reply:    replyResource,
			order:    func(*params) (func(a, b *resource) int, *apiError) { return byKeyDesc, nil },
		})
		s.create("POST", p)
		s.get("GET", p+"/{name}")
		s.list("GET", p)
		s.update("PATCH", p+"/{name}")
	})
	h.fails(h.call("POST", p, nil, map[string]any{"comment": "x"}), 400, "INVALID_PARAMETER_VALUE")
	h.ok(h.call("POST", p, nil, map[string]any{"name": "a"}))
	if r := h.call("POST", p, nil, map[string]any{"name": "a"}); r.status != 409 || r.body["message"] != "Catalog a already exists." {
		t.Errorf("taken name = %s", r.raw)
	}
	h.ok(h.call("POST", p, nil, map[string]any{"name": "b"}))
	if r := h.call("POST", p, nil, map[string]any{"name": "c"}); r.status != 400 || r.body["error_code"] != "RESOURCE_LIMIT_EXCEEDED" {
		t.Errorf("third catalog = %s", r.raw)
	}
	if got := names(t, h.ok(h.call("GET", p, nil, nil)), "catalogs"); !reflect.DeepEqual(got, []string{"b", "a"}) {
		t.Errorf("list order = %v, want the declared order (by name, descending)", got)
	}
	// An update does not rename a client-named resource.
	r := h.ok(h.call("PATCH", p+"/a", nil, map[string]any{"name": "z", "comment": "hi"}))
	if r.body["name"] != "a" || r.body["comment"] != "hi" {
		t.Errorf("update answered %s", r.raw)
	}
	if r := h.ok(h.call("GET", p+"/a", nil, nil)); r.body["comment"] != "hi" {
		t.Errorf("get after update = %s", r.raw)
	}
}

func byKeyDesc(a, b *resource) int { return strings.Compare(b.key, a.key) }

func TestDeclaringTwicePanics(t *testing.T) {
	for name, declare := range map[string]func(e *Emulator){
		"route": func(e *Emulator) { e.handle("GET", "/api/2.0/token/list", e.clustersListZones) },
		"store": func(e *Emulator) { e.store("tokens", storeOpts{noun: "token", idField: "id"}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			declare(New(Options{}))
		})
	}
}
