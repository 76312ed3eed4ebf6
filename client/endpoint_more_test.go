package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Files-API-shaped endpoints: a multi-segment path, a header argument, a
// raw upload and a raw download answered partly in headers.
type filePathReq struct {
	FilePath  string `json:"file_path" in:"path"`
	Overwrite *bool  `json:"overwrite,omitzero" in:"query"`
	Contents  []byte `json:"contents" in:"body,raw"`
}

type fileGetReq struct {
	FilePath string  `json:"file_path" in:"path"`
	Range    *string `json:"range,omitzero" in:"header"`
}

type fileGetResp struct {
	Contents      []byte  `json:"contents"`
	ContentType   *string `json:"content_type,omitzero" in:"header"`
	ContentLength *string `json:"content_length,omitzero" in:"header"`
}

var (
	uploadEP = &Endpoint[filePathReq, Empty]{Service: "files", Name: "upload", Method: "PUT",
		Path: "/api/2.0/fs/files{file_path...}", Access: Destructive, Idempotent: true}
	downloadEP = &Endpoint[fileGetReq, fileGetResp]{Service: "files", Name: "download", Method: "GET",
		Path: "/api/2.0/fs/files{file_path...}", Access: Read, RawResponse: true,
		Header: http.Header{"Accept": {"application/octet-stream"}}}
)

func TestEndpointMultiSegmentPathAndRawBody(t *testing.T) {
	rec := newRecorder(t, reply(204, ``))
	c := newTestClient(t, rec.URL, nil)
	args := `{"file_path":"/Volumes/main/my schema/vol/a b%.csv","overwrite":true,"contents":"aGVsbG8="}`
	if _, err := uploadEP.Invoke(context.Background(), c, json.RawMessage(args)); err != nil {
		t.Fatal(err)
	}
	r := rec.requests()[0]
	if want := "/api/2.0/fs/files/Volumes/main/my%20schema/vol/a%20b%25.csv?overwrite=true"; r.RequestURI != want {
		t.Errorf("request URI %s, want %s", r.RequestURI, want)
	}
	if string(r.Body) != "hello" || r.Header.Get("Content-Type") != "application/octet-stream" {
		t.Errorf("body %q as %s, want the raw bytes as application/octet-stream", r.Body, r.Header.Get("Content-Type"))
	}
	for _, bad := range []string{
		`{"file_path":"/Volumes/a/../b","contents":""}`,
		`{"file_path":"/Volumes/./b","contents":""}`,
		`{"file_path":"/Volumes//b","contents":""}`,
		`{"file_path":"Volumes/b","contents":""}`,
	} {
		_, err := uploadEP.Invoke(context.Background(), c, json.RawMessage(bad))
		if err == nil {
			t.Errorf("%s: sent", bad)
		}
	}
	if n := len(rec.requests()); n != 1 {
		t.Errorf("%d requests reached the server; bad paths must be refused before sending", n)
	}
}

func TestEndpointRawResponseAndHeaders(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		w.Header().Set("Content-Length", "4")
		w.Write([]byte("a,b\n"))
	})
	c := newTestClient(t, rec.URL, nil)
	raw, err := downloadEP.Invoke(context.Background(), c, json.RawMessage(`{"file_path":"/Volumes/m/s/v/x.csv","range":"bytes=0-3"}`))
	if err != nil {
		t.Fatal(err)
	}
	var got fileGetResp
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if string(got.Contents) != "a,b\n" || got.ContentType == nil || *got.ContentType != "text/csv" || got.ContentLength == nil || *got.ContentLength != "4" {
		t.Errorf("result %s", raw)
	}
	r := rec.requests()[0]
	if r.Header.Get("Range") != "bytes=0-3" || r.Header.Get("Accept") != "application/octet-stream" || r.HasBody {
		t.Errorf("sent headers %v body %v", r.Header, r.HasBody)
	}
	if _, err := downloadEP.Invoke(context.Background(), c, json.RawMessage(`{"file_path":"/x","range":"a\r\nAuthorization: x"}`)); err == nil {
		t.Error("a header value with a line break was sent")
	}
}

type pageReq struct {
	PageToken  *string `json:"page_token,omitzero"`
	Offset     *int64  `json:"offset,omitzero"`
	StartIndex *int64  `json:"startIndex,omitzero"`
	PageSize   *int64  `json:"page_size,omitzero"`
}

type pageResp struct {
	Items []json.RawMessage `json:"items,omitzero"`
}

func TestPagingStyles(t *testing.T) {
	cases := []struct {
		name   string
		paging Paging
		pages  []string
		want   []string // the query of each request
	}{
		{"page token", Paging{Style: PageToken, Items: "items"},
			[]string{`{"items":[1,2],"next_page_token":"t2"}`, `{"items":[3],"next_page_token":""}`},
			[]string{"page_size=2", "page_size=2&page_token=t2"}},
		{"has_more ends a token list", Paging{Style: PageToken, Items: "items"},
			[]string{`{"items":[1,2],"next_page_token":"t2","has_more":false}`},
			[]string{"page_size=2"}},
		{"has_next_page ends a token list", Paging{Style: PageToken, Items: "items"},
			[]string{`{"items":[1,2],"next_page_token":"t2","has_next_page":false}`},
			[]string{"page_size=2"}},
		{"offset", Paging{Style: Offset, Items: "items"},
			[]string{`{"items":[1,2],"has_more":true}`, `{"items":[3],"has_more":false}`},
			[]string{"page_size=2", "offset=2&page_size=2"}},
		{"scim", Paging{Style: SCIM, Items: "Resources"},
			[]string{`{"Resources":[1,2],"totalResults":3,"itemsPerPage":2}`, `{"Resources":[3],"totalResults":3}`},
			[]string{"page_size=2", "page_size=2&startIndex=3"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var hs []http.HandlerFunc
			for _, p := range tc.pages {
				hs = append(hs, reply(200, p))
			}
			rec := newRecorder(t, hs...)
			c := newTestClient(t, rec.URL, nil)
			p := tc.paging
			ep := &Endpoint[pageReq, pageResp]{Service: "t", Name: "list", Method: "GET", Path: "/api/2.0/t/list", Access: Read, Paging: &p}
			n := 0
			for page, err := range ep.Pages(context.Background(), c, &pageReq{PageSize: Ptr(int64(2))}) {
				if err != nil {
					t.Fatal(err)
				}
				if page == nil {
					t.Fatal("nil page")
				}
				n++
			}
			reqs := rec.requests()
			if n != len(tc.want) || len(reqs) != len(tc.want) {
				t.Fatalf("%d pages, %d requests; want %d", n, len(reqs), len(tc.want))
			}
			for i, r := range reqs {
				if r.RawQuery != tc.want[i] {
					t.Errorf("request %d: ?%s, want ?%s", i, r.RawQuery, tc.want[i])
				}
			}
		})
	}
}

func TestPagingNextRequest(t *testing.T) {
	p := Paging{Style: NextRequest, Items: "events"}
	next, ok, err := p.Next(json.RawMessage(`{"cluster_id":"c","limit":2}`), json.RawMessage(`{"events":[1,2],"next_page":{"cluster_id":"c","limit":2,"offset":2}}`))
	if err != nil || !ok || string(next) != `{"cluster_id":"c","limit":2,"offset":2}` {
		t.Errorf("next = %s, %v, %v", next, ok, err)
	}
	if _, ok, _ := p.Next(nil, json.RawMessage(`{"events":[1]}`)); ok {
		t.Error("a page without next_page is the last")
	}
}

type waitReq struct {
	RunID int64 `json:"run_id"`
}

func TestWaitNestedStateAndIDs(t *testing.T) {
	rec := newRecorder(t,
		reply(200, `{"run_id":9007199254740993,"state":{"life_cycle_state":"PENDING"}}`),
		reply(200, `{"run_id":9007199254740993,"state":{"life_cycle_state":"RUNNING","state_message":"in progress"}}`),
		reply(200, `{"run_id":9007199254740993,"state":{"life_cycle_state":"TERMINATED","state_message":"done"}}`),
	)
	c := newTestClient(t, rec.URL, nil)
	get := &Endpoint[waitReq, Empty]{Service: "runs", Name: "get", Method: "GET", Path: "/api/2.2/jobs/runs/get", Access: Read}
	w := &Wait{Get: get, IDFields: []string{"run_id"}, State: "state.life_cycle_state", Message: "state.state_message",
		Noun: "run", Until: []string{"TERMINATED"}, FailOn: []string{"INTERNAL_ERROR"}}
	ids, ok := w.IDs(json.RawMessage(`{"run_id":9007199254740993}`), json.RawMessage(`{}`))
	if !ok || string(ids) != `{"run_id":9007199254740993}` {
		t.Fatalf("ids %s %v", ids, ok)
	}
	var seen []string
	orig := PollIntervals
	PollIntervals = []time.Duration{time.Millisecond}
	defer func() { PollIntervals = orig }()
	st, err := w.Poll(context.Background(), c, ids, time.Now().Add(10*time.Second), func(s WaitStatus) { seen = append(seen, w.Describe("9007199254740993", s)) })
	if err != nil {
		t.Fatal(err)
	}
	if !st.Reached || st.State != "TERMINATED" || st.Message != "done" {
		t.Errorf("status %+v", st)
	}
	if strings.Join(seen, "|") != "run 9007199254740993 is PENDING|run 9007199254740993 is RUNNING: in progress" {
		t.Errorf("progress %q", seen)
	}
	if q := rec.requests()[0].RawQuery; q != "run_id=9007199254740993" {
		t.Errorf("poll query %s", q)
	}
	if _, ok := w.IDs(json.RawMessage(`{}`), json.RawMessage(`{}`)); ok {
		t.Error("a missing id must be reported")
	}
}

func TestWaitDescribesParts(t *testing.T) {
	w := &Wait{Noun: "run", Parts: "tasks", PartName: "task_key", PartState: "state.life_cycle_state"}
	obj := json.RawMessage(`{"tasks":[{"task_key":"ingest","state":{"life_cycle_state":"TERMINATED"}},{"task_key":"report","state":{"life_cycle_state":"RUNNING"}}]}`)
	got := w.Describe("7", WaitStatus{State: "RUNNING", Object: obj})
	if want := "run 7 is RUNNING; tasks: ingest TERMINATED, report RUNNING"; got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
	if got := (&Wait{Noun: "cluster"}).Describe("c", WaitStatus{State: "PENDING", Object: obj}); got != "cluster c is PENDING" {
		t.Errorf("without Parts: %q", got)
	}
}

type fileHeadResp struct {
	ContentType   *string `json:"content_type,omitzero" in:"header"`
	ContentLength *string `json:"content_length,omitzero" in:"header"`
}

// A HEAD answer is headers only: a raw result of one carries them, and no
// contents member, and a HEAD that fails still gives the status.
func TestEndpointRawResponseHead(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Content-Length", "1234")
	}, reply(404, ``))
	c := newTestClient(t, rec.URL, nil)
	headEP := &Endpoint[fileGetReq, fileHeadResp]{Service: "files", Name: "get_metadata", Method: "HEAD",
		Path: "/api/2.0/fs/files{file_path...}", Access: Read, RawResponse: true}
	raw, err := headEP.Invoke(context.Background(), c, json.RawMessage(`{"file_path":"/Volumes/m/s/v/x.png"}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"content_length":"1234","content_type":"image/png"}`; string(raw) != want {
		t.Errorf("result %s, want %s", raw, want)
	}
	if r := rec.requests()[0]; r.Method != "HEAD" || r.RequestURI != "/api/2.0/fs/files/Volumes/m/s/v/x.png" || r.HasBody {
		t.Errorf("sent %s %s body %v", r.Method, r.RequestURI, r.HasBody)
	}
	_, err = headEP.Invoke(context.Background(), c, json.RawMessage(`{"file_path":"/Volumes/m/s/v/gone"}`))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || !errors.Is(err, ErrNotFound) {
		t.Errorf("missing file: %v, want a 404 not-found APIError", err)
	}
}
