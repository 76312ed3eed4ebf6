package client

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// FuzzEndpointRouting routes arbitrary JSON arguments through the request
// plans of real and test endpoints, as the tools do with a model's
// arguments (Invoke, without any schema check first), against a server that
// records what reaches it. It runs ClustersGet, ClustersList and
// ClustersEvents (GET with a query string, POST with a body) and the test
// endpoints routeGetEP and routePostEP, whose paths have a parameter.
//
// Invariants:
//   - Invoke never panics;
//   - when it fails, nothing was sent (bad arguments are refused first);
//   - when it succeeds, exactly one request was sent, with the endpoint's
//     method, and its path is the declared path with each {param} replaced
//     by the argument's value as one escaped segment: the decoded path
//     equals the template filled with the raw value, and the escaped path
//     has no more segments than the template;
//   - a path parameter travels only in the path;
//   - a GET sends no body; a POST sends one JSON object holding exactly the
//     arguments that belong in the body, each value the same JSON.
//
// Run it with:
//
//	go test -run x -fuzz FuzzEndpointRouting -fuzztime 60s ./client/
//
// Endpoints shaped like clusters/get, clusters/list and clusters/events:
// routing depends only on the method, the path and the tagged fields.
var (
	fuzzGetEP = &Endpoint[struct {
		ClusterID string `json:"cluster_id"`
	}, Empty]{Service: "fuzz", Name: "get", Method: "GET", Path: "/api/2.1/clusters/get", Access: Read}
	fuzzListEP = &Endpoint[struct {
		PageSize  *int    `json:"page_size,omitzero"`
		PageToken *string `json:"page_token,omitzero"`
	}, Empty]{Service: "fuzz", Name: "list", Method: "GET", Path: "/api/2.1/clusters/list", Access: Read}
	fuzzEventsEP = &Endpoint[struct {
		ClusterID string `json:"cluster_id"`
		Limit     *int64 `json:"limit,omitzero"`
	}, Empty]{Service: "fuzz", Name: "events", Method: "POST", Path: "/api/2.1/clusters/events", Access: Read}
)

func FuzzEndpointRouting(f *testing.F) {
	rec := newRecorder(f, reply(200, `{}`))
	c := newTestClient(f, rec.URL, nil)
	type target struct {
		op    Operation
		query map[string]bool // arguments a POST sends in the query string
	}
	targets := []target{
		{op: fuzzGetEP}, {op: fuzzListEP}, {op: fuzzEventsEP},
		{op: routeGetEP}, {op: routePostEP, query: map[string]bool{"dry_run": true}},
	}
	for _, seed := range []struct {
		which uint8
		args  string
	}{
		{0, `{"cluster_id":"0101-abc"}`},
		{0, `{"cluster_id":"a/b?c#d e%2F"}`},
		{1, `{"filter_by":{"cluster_states":["RUNNING","PENDING"],"is_pinned":true},"page_size":10}`},
		{1, `{"sort_by":{"direction":"ASC","field":"CLUSTER_NAME"},"page_token":"x&y=z"}`},
		{2, `{"cluster_id":"0101-abc","event_types":["STARTING"],"limit":9007199254740993}`},
		{3, `{"cluster_id":"0101-abc/def ghi","filter_by":{"states":["A"]},"tags":["b","a"]}`},
		{3, `{"cluster_id":".."}`},
		{3, `{"cluster_id":"..."}`},
		{3, `{"cluster_id":"%2e%2e"}`},
		{3, `{"cluster_id":""}`},
		{3, `{"cluster_id":12.5e3}`},
		{3, `{"cluster_id":true}`},
		{3, `{"cluster_id":null}`},
		{3, `{"cluster_id":["a"]}`},
		{3, `{"cluster_id":"\u0000\ud800/"}`},
		{3, `{"cluster_id":"a","cluster_id":"b"}`},
		{4, `{"job_id":9007199254740993,"dry_run":true,"name":"n","settings":{"states":["x"]}}`},
		{4, `{"job_id":"7","dry_run":{"a":[1,2]},"x":null,"y":[{}]}`},
		{4, `{"job_id":1,"name":"n" , "z" : { "k" : 1 } }`},
		{4, `[]`}, {4, `null`}, {4, ``}, {4, `{"job_id":1,}`}, {0, `{"cluster_id":{}}`},
	} {
		f.Add(seed.which, []byte(seed.args))
	}

	f.Fuzz(func(t *testing.T, which uint8, args []byte) {
		tg := targets[int(which)%len(targets)]
		info := tg.op.Info()
		before := len(rec.requests())
		_, err := tg.op.Invoke(t.Context(), c, args)
		sent := rec.requests()[before:]
		if err != nil {
			if len(sent) != 0 {
				t.Fatalf("%s %q failed (%v) after sending %d requests", info.FullName(), args, err, len(sent))
			}
			return
		}
		if len(sent) != 1 {
			t.Fatalf("%s %q sent %d requests, want 1", info.FullName(), args, len(sent))
		}
		r := sent[0]
		if r.Method != info.Method {
			t.Fatalf("%s %q sent %s, want %s", info.FullName(), args, r.Method, info.Method)
		}
		members := map[string]json.RawMessage{}
		if trimmed := bytes.TrimSpace(args); len(trimmed) > 0 && string(trimmed) != "null" {
			if err := json.Unmarshal(trimmed, &members); err != nil {
				t.Fatalf("%s accepted %q, which is not a JSON object: %v", info.FullName(), args, err)
			}
		}
		rawPath, _, _ := strings.Cut(r.RequestURI, "?")
		wantPath := info.Path
		for name, loc := range info.Params() {
			if loc != InPath {
				continue
			}
			v := pathValue(t, members[name])
			wantPath = strings.Replace(wantPath, "{"+name+"}", v, 1)
		}
		if r.Path != wantPath {
			t.Fatalf("%s %q: server decoded path %q, want %q", info.FullName(), args, r.Path, wantPath)
		}
		if strings.Count(rawPath, "/") != strings.Count(info.Path, "/") {
			t.Fatalf("%s %q: path %q has other segments than %q", info.FullName(), args, rawPath, info.Path)
		}
		query, err := url.ParseQuery(r.RawQuery)
		if err != nil {
			t.Fatalf("%s %q: query %q does not parse: %v", info.FullName(), args, r.RawQuery, err)
		}
		for key := range query {
			if info.Params()[key] == InPath {
				t.Fatalf("%s %q: path parameter %q also sent in the query %q", info.FullName(), args, key, r.RawQuery)
			}
			top, _, _ := strings.Cut(key, ".")
			if info.Method == "POST" && !tg.query[top] {
				t.Fatalf("%s %q: body argument %q sent in the query %q", info.FullName(), args, top, r.RawQuery)
			}
		}
		if info.Method == "GET" {
			if r.HasBody {
				t.Fatalf("%s %q: GET sent a body %q", info.FullName(), args, r.Body)
			}
			return
		}
		var body map[string]json.RawMessage
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatalf("%s %q: body %q is not a JSON object: %v", info.FullName(), args, r.Body, err)
		}
		for name, raw := range members {
			got, inBody := body[name]
			switch {
			case info.Params()[name] == InPath || tg.query[name]:
				if inBody {
					t.Fatalf("%s %q: %q sent in the body %s", info.FullName(), args, name, r.Body)
				}
			case !inBody:
				t.Fatalf("%s %q: %q missing from the body %s", info.FullName(), args, name, r.Body)
			case !sameCompact(got, raw):
				t.Fatalf("%s %q: %q sent as %s, want %s", info.FullName(), args, name, got, raw)
			}
		}
		if len(body) > len(members) {
			t.Fatalf("%s %q: body %s has members that were not given", info.FullName(), args, r.Body)
		}
	})
}

// pathValue is the text a path parameter's JSON value stands for: a
// string's contents, or a number or boolean literal as written.
func pathValue(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("path parameter %q accepted but not JSON: %v", raw, err)
	}
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	t.Fatalf("path parameter %s accepted but not a scalar", raw)
	return ""
}

func sameCompact(a, b json.RawMessage) bool {
	var x, y bytes.Buffer
	return json.Compact(&x, a) == nil && json.Compact(&y, b) == nil && bytes.Equal(x.Bytes(), y.Bytes())
}
