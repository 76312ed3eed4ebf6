package client

import (
	"github.com/dbx-mcp/dbx-mcp/client/internal/lossless"

	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// Request and response types for routing tests. Their lossless methods are
// written out here as internal/lossgen would generate them (it skips
// _test.go files).

type routePolicy struct {
	ID    *int64                     `json:"id,omitzero"`
	Extra map[string]json.RawMessage `json:"-"`
}

type routeFilter struct {
	States   []string                   `json:"states,omitzero"`
	IsPinned *bool                      `json:"is_pinned,omitzero"`
	Policy   *routePolicy               `json:"policy,omitzero"`
	Extra    map[string]json.RawMessage `json:"-"`
}

type routeQuery struct {
	ClusterID string                     `json:"cluster_id" in:"path"`
	FilterBy  *routeFilter               `json:"filter_by,omitzero"`
	Tags      []string                   `json:"tags,omitzero"`
	Flag      *bool                      `json:"flag,omitzero"`
	Limit     *int                       `json:"limit,omitzero"`
	Since     *int64                     `json:"since,omitzero"`
	Name      *string                    `json:"name,omitzero"`
	Extra     map[string]json.RawMessage `json:"-"`
}

type routePost struct {
	JobID    int64                      `json:"job_id" in:"path"`
	DryRun   *bool                      `json:"dry_run,omitzero" in:"query"`
	Name     string                     `json:"name"`
	Big      *int64                     `json:"bigID,omitzero"`
	Settings *routeFilter               `json:"settings,omitzero"`
	Extra    map[string]json.RawMessage `json:"-"`
}

type routeBody struct {
	Name  string                     `json:"name"`
	Extra map[string]json.RawMessage `json:"-"`
}

type routeNone struct {
	Extra map[string]json.RawMessage `json:"-"`
}

type routeDelete struct {
	ID    string                     `json:"id"`
	Extra map[string]json.RawMessage `json:"-"`
}

type routeCommon struct {
	WorkspaceID string `json:"workspace_id" in:"path"`
}

type routeEmbedded struct {
	routeCommon
	Note  *string                    `json:"note,omitzero"`
	Extra map[string]json.RawMessage `json:"-"`
}

type routeResp struct {
	ID    *int64                     `json:"id,omitzero"`
	Items []routePolicy              `json:"items,omitzero"`
	Extra map[string]json.RawMessage `json:"-"`
}

func (v *routePolicy) UnmarshalJSON(b []byte) error {
	type plain routePolicy
	return lossless.Decode(b, (*plain)(v), &v.Extra)
}
func (v routePolicy) MarshalJSON() ([]byte, error) {
	type plain routePolicy
	return lossless.Encode(plain(v), v.Extra)
}
func (v *routeFilter) UnmarshalJSON(b []byte) error {
	type plain routeFilter
	return lossless.Decode(b, (*plain)(v), &v.Extra)
}
func (v routeFilter) MarshalJSON() ([]byte, error) {
	type plain routeFilter
	return lossless.Encode(plain(v), v.Extra)
}
func (v routeQuery) MarshalJSON() ([]byte, error) {
	type plain routeQuery
	return lossless.Encode(plain(v), v.Extra)
}
func (v routePost) MarshalJSON() ([]byte, error) {
	type plain routePost
	return lossless.Encode(plain(v), v.Extra)
}
func (v routeBody) MarshalJSON() ([]byte, error) {
	type plain routeBody
	return lossless.Encode(plain(v), v.Extra)
}
func (v routeNone) MarshalJSON() ([]byte, error) {
	type plain routeNone
	return lossless.Encode(plain(v), v.Extra)
}
func (v *routeResp) UnmarshalJSON(b []byte) error {
	type plain routeResp
	return lossless.Decode(b, (*plain)(v), &v.Extra)
}
func (v routeResp) MarshalJSON() ([]byte, error) {
	type plain routeResp
	return lossless.Encode(plain(v), v.Extra)
}

var (
	routeGetEP      = &Endpoint[routeQuery, routeResp]{Service: "test", Name: "events", Method: "GET", Path: "/api/2.0/test/{cluster_id}/events"}
	routePostEP     = &Endpoint[routePost, routeResp]{Service: "test", Name: "update", Method: "POST", Path: "/api/2.1/test/jobs/{job_id}/update"}
	routeNoneEP     = &Endpoint[routeNone, routeNone]{Service: "test", Name: "none", Method: "POST", Path: "/api/2.0/test/none"}
	routeDeleteEP   = &Endpoint[routeDelete, routeNone]{Service: "test", Name: "delete", Method: "DELETE", Path: "/api/2.0/test/thing"}
	routeEmbeddedEP = &Endpoint[routeEmbedded, routeNone]{Service: "test", Name: "embedded", Method: "PATCH", Path: "/api/2.0/test/ws/{workspace_id}"}
)

const bigID = 9007199254740993 // 2^53 + 1: float64 would turn it into ...992

func TestEndpointGETQueryAndPath(t *testing.T) {
	rec := newRecorder(t, reply(200, `{"id":9007199254740993}`))
	c := newTestClient(t, rec.URL, nil)
	req := &routeQuery{
		ClusterID: "0101-abc/def ghi",
		FilterBy: &routeFilter{
			States:   []string{"RUNNING", "PENDING"},
			IsPinned: Ptr(false),
			Policy:   &routePolicy{ID: Ptr[int64](bigID), Extra: map[string]json.RawMessage{"kind": json.RawMessage(`"x"`)}},
		},
		Tags:  []string{"b", "a"},
		Flag:  Ptr(true),
		Limit: Ptr(0),
		Since: Ptr[int64](bigID),
		Name:  Ptr("a b&c=d"),
		Extra: map[string]json.RawMessage{
			"x_extra": json.RawMessage(`"hello"`),
			"x_obj":   json.RawMessage(`{"b":2,"a":[true,null,1.5e3]}`),
			"x_null":  json.RawMessage(`null`),
		},
	}
	resp, err := routeGetEP.Call(t.Context(), c, req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.ID == nil || *resp.ID != bigID {
		t.Errorf("response id %v, want %d", resp.ID, int64(bigID))
	}
	reqs := rec.requests()
	if len(reqs) != 1 {
		t.Fatalf("server saw %d requests", len(reqs))
	}
	r := reqs[0]
	if r.Method != "GET" || r.HasBody || r.Header.Get("Content-Type") != "" {
		t.Errorf("%s with body %q and content type %q; want a GET without body", r.Method, r.Body, r.Header.Get("Content-Type"))
	}
	wantPath, wantQuery, _ := strings.Cut(r.RequestURI, "?")
	if want := "/api/2.0/test/0101-abc%2Fdef%20ghi/events"; wantPath != want {
		t.Errorf("path %q, want %q", wantPath, want)
	}
	want := "filter_by.is_pinned=false" +
		"&filter_by.policy.id=9007199254740993" +
		"&filter_by.policy.kind=x" +
		"&filter_by.states=RUNNING&filter_by.states=PENDING" +
		"&flag=true" +
		"&limit=0" +
		"&name=a+b%26c%3Dd" +
		"&since=9007199254740993" +
		"&tags=b&tags=a" +
		"&x_extra=hello" +
		"&x_obj.a=true&x_obj.a=1.5e3" +
		"&x_obj.b=2"
	if wantQuery != want {
		t.Errorf("query\n got %s\nwant %s", wantQuery, want)
	}
}

func TestEndpointPOSTBodyExact(t *testing.T) {
	rec := newRecorder(t, reply(200, `{}`))
	c := newTestClient(t, rec.URL, nil)
	req := &routePost{
		JobID:  bigID,
		DryRun: Ptr(true),
		Big:    Ptr[int64](9223372036854775807),
		Settings: &routeFilter{
			States: []string{"A"},
			Extra:  map[string]json.RawMessage{"zz_unknown": json.RawMessage(`{}`), "aa_list": json.RawMessage(`[ ]`)},
		},
		Extra: map[string]json.RawMessage{"x_extra": json.RawMessage(`[1, {"k": null}]`)},
	}
	if _, err := routePostEP.Call(t.Context(), c, req); err != nil {
		t.Fatal(err)
	}
	r := rec.requests()[0]
	if r.Method != "POST" || r.RequestURI != "/api/2.1/test/jobs/9007199254740993/update?dry_run=true" {
		t.Errorf("%s %s", r.Method, r.RequestURI)
	}
	// The required name goes out even when empty; the path and query
	// parameters do not repeat in the body; unknown members travel.
	want := `{"bigID":9223372036854775807,"name":"","settings":{"states":["A"],"aa_list":[],"zz_unknown":{}},"x_extra":[1,{"k":null}]}`
	if string(r.Body) != want {
		t.Errorf("body\n got %s\nwant %s", r.Body, want)
	}
	if r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("content type %q", r.Header.Get("Content-Type"))
	}
}

func TestEndpointEmptyPOSTSendsEmptyObject(t *testing.T) {
	rec := newRecorder(t, reply(200, ``))
	c := newTestClient(t, rec.URL, nil)
	for _, req := range []*routeNone{nil, {}} {
		resp, err := routeNoneEP.Call(t.Context(), c, req)
		if err != nil || resp == nil {
			t.Fatalf("Call: %v, %v", resp, err)
		}
	}
	raw, err := routeNoneEP.Invoke(t.Context(), c, nil)
	if err != nil || string(raw) != `{}` {
		t.Errorf("Invoke of an empty answer: %q, %v; want {}", raw, err)
	}
	for i, r := range rec.requests() {
		if string(r.Body) != `{}` || r.RequestURI != "/api/2.0/test/none" {
			t.Errorf("request %d: %s body %q, want {}", i, r.RequestURI, r.Body)
		}
	}
}

func TestEndpointDELETEUsesQuery(t *testing.T) {
	rec := newRecorder(t, reply(200, `{}`))
	c := newTestClient(t, rec.URL, nil)
	if _, err := routeDeleteEP.Call(t.Context(), c, &routeDelete{ID: "x y"}); err != nil {
		t.Fatal(err)
	}
	r := rec.requests()[0]
	if r.Method != "DELETE" || r.RequestURI != "/api/2.0/test/thing?id=x+y" || r.HasBody {
		t.Errorf("%s %s body %q", r.Method, r.RequestURI, r.Body)
	}
}

func TestEndpointEmbeddedFields(t *testing.T) {
	rec := newRecorder(t, reply(200, `{}`))
	c := newTestClient(t, rec.URL, nil)
	if _, err := routeEmbeddedEP.Call(t.Context(), c, &routeEmbedded{routeCommon: routeCommon{WorkspaceID: "123"}, Note: Ptr("n")}); err != nil {
		t.Fatal(err)
	}
	r := rec.requests()[0]
	if r.Method != "PATCH" || r.RequestURI != "/api/2.0/test/ws/123" || string(r.Body) != `{"note":"n"}` {
		t.Errorf("%s %s body %q", r.Method, r.RequestURI, r.Body)
	}
	if loc := routeEmbeddedEP.Info().Params()["workspace_id"]; loc != InPath {
		t.Errorf("embedded workspace_id travels in %q", loc)
	}
}

func TestEndpointInvokeRawArguments(t *testing.T) {
	rec := newRecorder(t, reply(200, `{"id": 1, "brand_new": {"x": [ ]}}`))
	c := newTestClient(t, rec.URL, nil)
	raw, err := routeGetEP.Invoke(t.Context(), c, json.RawMessage(`{"cluster_id": 42, "limit": 5, "not_declared": "u", "filter_by": {"states": []}}`))
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != `{"id": 1, "brand_new": {"x": [ ]}}` {
		t.Errorf("Invoke changed the response: %s", raw)
	}
	if got := rec.requests()[0].RequestURI; got != "/api/2.0/test/42/events?limit=5&not_declared=u" {
		t.Errorf("request URI %s", got)
	}
}

func TestEndpointRejectsBadArgumentsBeforeSending(t *testing.T) {
	rec := newRecorder(t, reply(200, `{}`))
	c := newTestClient(t, rec.URL, nil)
	for _, args := range []string{
		`{}`, `null`, ``, `{"cluster_id": ""}`, `{"cluster_id": null}`, `{"cluster_id": {"a": 1}}`,
		`{"cluster_id": ["a"]}`, `{"cluster_id": ".."}`, `{"cluster_id": "."}`, `[1]`, `"x"`, `{"cluster_id": "a", "x": [}`,
	} {
		if _, err := routeGetEP.Invoke(t.Context(), c, json.RawMessage(args)); err == nil {
			t.Errorf("arguments %s: no error", args)
		} else if !strings.HasPrefix(err.Error(), "test_events: ") {
			t.Errorf("arguments %s: error %q does not name the operation", args, err)
		}
	}
	if _, err := routeGetEP.Call(t.Context(), c, &routeQuery{}); err == nil || !strings.Contains(err.Error(), `"cluster_id"`) {
		t.Errorf("missing path parameter: %v", err)
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("server saw %d requests, want 0", n)
	}
}

func TestEndpointCallDecodesLosslessly(t *testing.T) {
	const body = `{"id":9007199254740993,"items":[{"id":1,"future":true}],"later":{"nested":[]}}`
	rec := newRecorder(t, reply(200, body))
	c := newTestClient(t, rec.URL, nil)
	resp, err := routeGetEP.Call(t.Context(), c, &routeQuery{ClusterID: "c"})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Extra["later"]) != `{"nested":[]}` || string(resp.Items[0].Extra["future"]) != `true` {
		t.Errorf("unknown members lost: %+v", resp)
	}
	out, err := json.Marshal(resp)
	if err != nil || string(out) != body {
		t.Errorf("re-encoded\n got %s\nwant %s (%v)", out, body, err)
	}
}

func TestEndpointCallErrors(t *testing.T) {
	rec := newRecorder(t, reply(200, `{"id":"not a number"}`), reply(404, `{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"no"}`))
	c := newTestClient(t, rec.URL, nil)
	if _, err := routeGetEP.Call(t.Context(), c, &routeQuery{ClusterID: "c"}); err == nil || !strings.Contains(err.Error(), "decoding response") {
		t.Errorf("undecodable response: %v", err)
	}
	_, err := routeGetEP.Call(t.Context(), c, &routeQuery{ClusterID: "c"})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("404: %v", err)
	}
}

func TestEndpointInfo(t *testing.T) {
	info := routePostEP.Info()
	if info.FullName() != "test_update" || info.Method != "POST" || info.Path != "/api/2.1/test/jobs/{job_id}/update" {
		t.Errorf("info %+v", info)
	}
	if info.Request != reflect.TypeFor[routePost]() || info.Response != reflect.TypeFor[routeResp]() {
		t.Errorf("types %v, %v", info.Request, info.Response)
	}
	want := map[string]ParamLocation{"job_id": InPath, "dry_run": InQuery, "name": InBody, "bigID": InBody, "settings": InBody}
	if !reflect.DeepEqual(info.Params(), want) {
		t.Errorf("params %v, want %v", info.Params(), want)
	}
	if !idemEndpoint.Info().Idempotent {
		t.Error("Idempotent lost")
	}
	var _ Operation = routePostEP
}

func TestRequestPlanRejectsBadDeclarations(t *testing.T) {
	type withPath struct {
		ID string `json:"id" in:"path"`
	}
	type badIn struct {
		ID string `json:"id" in:"cookie"`
	}
	type rawNotBytes struct {
		Contents string `json:"contents" in:"body,raw"`
	}
	type rawAndBody struct {
		Contents []byte `json:"contents" in:"body,raw"`
		Other    string `json:"other"`
	}
	cases := []struct {
		name, method, path string
		typ                reflect.Type
	}{
		{"placeholder without field", "GET", "/api/2.0/x/{other}", reflect.TypeFor[withPath]()},
		{"path field without placeholder", "GET", "/api/2.0/x", reflect.TypeFor[withPath]()},
		{"unknown in tag", "GET", "/api/2.0/x", reflect.TypeFor[badIn]()},
		{"unsupported method", "OPTIONS", "/api/2.0/x/{id}", reflect.TypeFor[withPath]()},
		{"not under /api/", "GET", "/oidc/x/{id}", reflect.TypeFor[withPath]()},
		{"not a struct", "GET", "/api/2.0/x", reflect.TypeFor[string]()},
		{"raw body not bytes", "PUT", "/api/2.0/x", reflect.TypeFor[rawNotBytes]()},
		{"raw body beside body fields", "PUT", "/api/2.0/x", reflect.TypeFor[rawAndBody]()},
		{"raw body on a GET", "GET", "/api/2.0/x", reflect.TypeFor[struct {
			Contents []byte `json:"contents" in:"body,raw"`
		}]()},
	}
	for _, tc := range cases {
		if _, err := newRequestPlan(tc.method, tc.path, tc.typ); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	if _, err := newRequestPlan("GET", "/api/2.0/x/{id}", reflect.TypeFor[withPath]()); err != nil {
		t.Errorf("valid declaration: %v", err)
	}
	bad := &Endpoint[withPath, routeNone]{Service: "t", Name: "bad", Method: "GET", Path: "/api/2.0/x"}
	defer func() {
		if recover() == nil {
			t.Error("a bad declaration did not panic")
		}
	}()
	bad.Info().Params()
}

func TestQueryFlatteningErrors(t *testing.T) {
	q := map[string][]string{}
	if err := addQuery(q, "k", json.RawMessage(`{"a":`)); err == nil {
		t.Error("broken object: no error")
	}
	if err := addQuery(q, "k", json.RawMessage(`[1,`)); err == nil {
		t.Error("broken array: no error")
	}
	if err := addQuery(q, "k", json.RawMessage(`"unterminated`)); err == nil {
		t.Error("broken string: no error")
	}
	if err := addQuery(q, "k", json.RawMessage(`[[1,2],[3]]`)); err != nil || strings.Join(q["k"], ",") != "1,2,3" {
		t.Errorf("nested arrays: %v %v", q, err)
	}
}

func TestEndpointAgainstStatusHandler(t *testing.T) {
	// A GET on an endpoint hits exactly the declared path with no body even
	// when the struct has only query fields set to zero values.
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "" {
			http.Error(w, `{"error_code":"INVALID_PARAMETER_VALUE","message":"unexpected query `+r.URL.RawQuery+`"}`, 400)
			return
		}
		w.Write([]byte(`{}`))
	})
	c := newTestClient(t, rec.URL, nil)
	if _, err := routeGetEP.Call(t.Context(), c, &routeQuery{ClusterID: "c"}); err != nil {
		t.Errorf("unset optional fields were sent: %v", err)
	}
}
