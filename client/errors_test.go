package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dbx-mcp/dbx-mcp/internal/fixtures"
)

var allKinds = []error{
	ErrNotFound, ErrAlreadyExists, ErrInvalidParameter, ErrInvalidState, ErrPermissionDenied,
	ErrUnauthenticated, ErrRateLimited, ErrUnavailable, ErrDeadline, ErrBadRequest, ErrConflict,
	ErrInternal, ErrNotImplemented, ErrRequestCancelled, ErrResourceExhausted,
}

// checkKinds asserts that err is exactly the kinds in want, by errors.Is.
func checkKinds(t *testing.T, err error, want ...error) {
	t.Helper()
	for _, k := range allKinds {
		is := errors.Is(err, k)
		wanted := false
		for _, w := range want {
			wanted = wanted || w == k
		}
		if is != wanted {
			t.Errorf("errors.Is(err, %q) = %v, want %v (err: %v)", k, is, wanted, err)
		}
	}
}

// errorServer answers every request with the current status, headers and
// body; a client with no retry budget turns it into an error.
type errorServer struct {
	*recorder
	status int
	header http.Header
	body   []byte
	c      *Client
}

func newErrorServer(t *testing.T) *errorServer {
	s := &errorServer{}
	s.recorder = newRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
		for k, v := range s.header {
			w.Header()[k] = v
		}
		w.WriteHeader(s.status)
		w.Write(s.body)
	})
	s.c = newTestClient(t, s.URL, func(cfg *Config) { cfg.RetryTimeout = time.Nanosecond })
	return s
}

// call sends method path and returns the APIError it got.
func (s *errorServer) call(t *testing.T, method, path string, status int, header http.Header, body []byte) (*APIError, error) {
	t.Helper()
	s.status, s.header, s.body = status, header, body
	var reqBody []byte
	if method != "GET" {
		reqBody = []byte(`{}`)
	}
	_, err := s.c.Do(t.Context(), &Request{Method: method, Path: path, Body: reqBody})
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("%s %s answered %d: error %v is not an *APIError", method, path, status, err)
	}
	return apiErr, err
}

func TestErrorFixtures(t *testing.T) {
	payloads := fixtures.Load(t, "errors")
	type want struct {
		code, message, requestID string
		kinds                    []error
	}
	wants := map[string]want{
		"generic.response.1.json":                         {"RESOURCE_DOES_NOT_EXIST", "Cluster abc does not exist", "", []error{ErrNotFound}},
		"generic.response.2.json":                         {"RESOURCE_DOES_NOT_EXIST", "Cluster abc does not exist", "req42", []error{ErrNotFound}},
		"generic.response.3.json":                         {"500", "Cluster abc does not exist", "", []error{ErrBadRequest}},
		"groups-add-member.response.1.json":               {"MALFORMED_REQUEST", "Group membership cannot be updated as group-name can only be managed in account.", "", []error{ErrInvalidParameter, ErrBadRequest}},
		"groups-create.response.1.json":                   {"RESOURCE_DOES_NOT_EXIST", "Account group with name 'new-group' does not exist", "", []error{ErrNotFound}},
		"groups-remove-member.response.1.json":            {"MALFORMED_REQUEST", "Group membership cannot be updated as 'groupName' can only be managed in account.", "", []error{ErrInvalidParameter, ErrBadRequest}},
		"jobs-create.response.1.json":                     {"PERMISSION_DENIED", "Invalid access token.", "", []error{ErrPermissionDenied}},
		"jobs-create.response.2.json":                     {"INVALID_PARAMETER_VALUE", "Shared job cluster feature is only supported in multi-task jobs.", "", []error{ErrInvalidParameter, ErrBadRequest}},
		"runs-submit.response.1.json":                     {"INVALID_PARAMETER_VALUE", "One of job_cluster_key, new_cluster, or existing_cluster_id must be specified.", "", []error{ErrInvalidParameter, ErrBadRequest}},
		"secrets-scopes-create.response.1.json":           {"PERMISSION_DENIED", "user does not have permission to create secret scopes", "", []error{ErrPermissionDenied}},
		"uc-current-metastore-assignment.response.1.json": {"FEATURE_DISABLED", "Unity Catalog is not available for feature tier STANDARD_TIER.", "", []error{ErrNotFound}},
		"workspace-export.response.1.json":                {"MAX_NOTEBOOK_SIZE_EXCEEDED", "Notebook size exceeds maximum allowed size", "", []error{ErrBadRequest}},
	}
	srv := newErrorServer(t)
	seen := map[string]bool{}
	for _, fx := range payloads {
		name := strings.TrimPrefix(fx.File, "errors/")
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			w, ok := wants[name]
			if !ok {
				t.Fatalf("fixture %s has no expectation in this table; add one", name)
			}
			if fx.Status == nil {
				t.Fatalf("error fixture %s has no status", name)
			}
			status := *fx.Status
			method, path, _ := strings.Cut(fx.Operation, " ")
			if method == "ANY" {
				method, path = "GET", "/api/2.0/test"
			}
			path, _, _ = strings.Cut(path, " ")
			apiErr, err := srv.call(t, method, path, status, nil, fx.Body)
			if apiErr.StatusCode != status || apiErr.ErrorCode != w.code || apiErr.Message != w.message || apiErr.RequestID != w.requestID {
				t.Errorf("got status %d code %q message %q request id %q\nwant status %d code %q message %q request id %q",
					apiErr.StatusCode, apiErr.ErrorCode, apiErr.Message, apiErr.RequestID, status, w.code, w.message, w.requestID)
			}
			if apiErr.Method != method || apiErr.Path != path {
				t.Errorf("error names %s %s, want %s %s", apiErr.Method, apiErr.Path, method, path)
			}
			checkKinds(t, err, w.kinds...)
			var body struct {
				Details []json.RawMessage `json:"details"`
			}
			json.Unmarshal(fx.Body, &body)
			if len(apiErr.Details) != len(body.Details) {
				t.Fatalf("%d details, want %d", len(apiErr.Details), len(body.Details))
			}
			for i := range body.Details {
				if !jsonEqual(t, apiErr.Details[i], body.Details[i]) {
					t.Errorf("detail %d changed: %s, want %s", i, apiErr.Details[i], body.Details[i])
				}
			}
		})
	}
	for name := range wants {
		if !seen[name] {
			t.Errorf("expectation for %s, but no such fixture", name)
		}
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(x) == fmt.Sprint(y)
}

func TestErrorShapes(t *testing.T) {
	long := strings.Repeat("é", 3000)
	cases := []struct {
		name         string
		method, path string
		status       int
		header       http.Header
		body         string
		code, msg    string
		requestID    string
		kinds        []error
	}{
		{"legacy 1.2 error", "POST", "/api/1.2/commands/execute", 400, nil,
			`{"error":"ClusterNotFound: cluster 123 not found"}`, "", "ClusterNotFound: cluster 123 not found", "", []error{ErrBadRequest}},
		{"SCIM error", "GET", "/api/2.0/preview/scim/v2/Users/7", 404, nil,
			`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"User 7 not found.","status":"404"}`, "SCIM_404", "User 7 not found.", "", []error{ErrNotFound}},
		{"SCIM error with scimType and numeric status", "POST", "/api/2.0/preview/scim/v2/Groups", 409, nil,
			`{"detail":"Group with name admins already exists.","status":409,"scimType":"uniqueness"}`, "SCIM_409", "uniqueness Group with name admins already exists.", "", []error{ErrConflict}},
		{"SCIM null detail", "GET", "/api/2.0/preview/scim/v2/Me", 500, nil,
			`{"detail":"null","status":"500"}`, "SCIM_500", "SCIM API internal error", "", []error{ErrInternal}},
		{"code: message text", "GET", "/api/2.0/accounts/x", 400, nil,
			"MALFORMED_REQUEST: vpc_endpoints malformed parameters", "MALFORMED_REQUEST", "vpc_endpoints malformed parameters", "", []error{ErrInvalidParameter, ErrBadRequest}},
		{"plain text", "GET", "/api/2.0/x", 502, nil,
			"upstream connect error or disconnect/reset before headers\n", "", "upstream connect error or disconnect/reset before headers", "", nil},
		{"HTML with pre", "POST", "/api/2.0/clusters/create", 400, nil,
			"<html>\n<head><title>Error 400</title></head>\n<body><h2>HTTP ERROR 400</h2>\n<p>Problem accessing /api/2.0/clusters/create. Reason:\n<pre>    worker env WorkerEnvId(workerenv-1) not found.</pre></p>\n</body>\n</html>",
			"", "worker env WorkerEnvId(workerenv-1) not found", "", []error{ErrBadRequest}},
		{"HTML with title only", "GET", "/api/2.0/x", 504, nil,
			"<!DOCTYPE html><html><head><title>504 Gateway Time-out &amp; more</title></head><body></body></html>", "", "504 Gateway Time-out & more", "", []error{ErrDeadline}},
		{"HTML without title", "GET", "/api/2.0/x", 503, nil,
			"<html><body>down</body></html>", "", "Service Unavailable", "", []error{ErrUnavailable}},
		{"empty body", "GET", "/api/2.0/x", 401, nil, "", "", "Unauthorized", "", []error{ErrUnauthenticated}},
		{"whitespace body", "GET", "/api/2.0/x", 403, nil, " \n", "", "Forbidden", "", []error{ErrPermissionDenied}},
		{"empty object", "GET", "/api/2.0/x", 404, nil, "{}", "", "Not Found", "", []error{ErrNotFound}},
		{"object without message", "GET", "/api/2.0/x", 500, nil, `{"foo":"bar"}`, "", `{"foo":"bar"}`, "", []error{ErrInternal}},
		{"message of the wrong type", "GET", "/api/2.0/x", 400, nil, `{"error_code":"INVALID_STATE","message":{"text":"odd"}}`, "INVALID_STATE", `{"error_code":"INVALID_STATE","message":{"text":"odd"}}`, "", []error{ErrInvalidState, ErrBadRequest}},
		{"details of an unexpected shape", "GET", "/api/2.0/x", 404, nil, `{"error_code":"NOT_FOUND","message":"gone","details":{"a":1}}`, "NOT_FOUND", "gone", "", []error{ErrNotFound}},
		{"OAuth error", "POST", "/oidc/v1/token", 401, nil, `{"error":"invalid_client","error_description":"Client authentication failed"}`, "", "invalid_client: Client authentication failed", "", []error{ErrUnauthenticated}},
		{"request id header", "GET", "/api/2.0/x", 500, http.Header{"X-Request-Id": {"hdr-1"}}, `{"error_code":"INTERNAL_ERROR","message":"boom"}`, "INTERNAL_ERROR", "boom", "hdr-1", []error{ErrInternal}},
		{"RequestInfo beats the header", "GET", "/api/2.0/x", 500, http.Header{"X-Request-Id": {"hdr-1"}},
			`{"error_code":"UNKNOWN","message":"boom","details":[{"@type":"type.googleapis.com/google.rpc.RequestInfo","request_id":"body-2"}]}`, "UNKNOWN", "boom", "body-2", []error{ErrInternal}},
		{"long text is cut", "GET", "/api/2.0/x", 500, nil, long, "", long[:maxMessageBytes] + "… (truncated)", "", []error{ErrInternal}},

		// The kinds the tools layer and callers branch on.
		{"already exists", "POST", "/api/2.0/secrets/scopes/create", 400, nil, `{"error_code":"RESOURCE_ALREADY_EXISTS","message":"Scope s already exists"}`, "RESOURCE_ALREADY_EXISTS", "Scope s already exists", "", []error{ErrAlreadyExists, ErrConflict, ErrBadRequest}},
		{"already exists 409", "POST", "/api/2.0/repos", 409, nil, `{"error_code":"ALREADY_EXISTS","message":"exists"}`, "ALREADY_EXISTS", "exists", "", []error{ErrAlreadyExists, ErrConflict}},
		{"invalid state", "POST", "/api/2.1/clusters/start", 400, nil, `{"error_code":"INVALID_STATE","message":"Cluster 1 is in unexpected state Running."}`, "INVALID_STATE", "Cluster 1 is in unexpected state Running.", "", []error{ErrInvalidState, ErrBadRequest}},
		{"unauthenticated", "GET", "/api/2.0/x", 401, nil, `{"error_code":"UNAUTHENTICATED","message":"Invalid access token"}`, "UNAUTHENTICATED", "Invalid access token", "", []error{ErrUnauthenticated}},
		{"rate limited", "GET", "/api/2.0/x", 429, nil, `{"error_code":"TOO_MANY_REQUESTS","message":"Too many requests"}`, "TOO_MANY_REQUESTS", "Too many requests", "", []error{ErrRateLimited}},
		{"resource exhausted", "POST", "/api/2.1/clusters/create", 400, nil, `{"error_code":"RESOURCE_EXHAUSTED","message":"quota"}`, "RESOURCE_EXHAUSTED", "quota", "", []error{ErrResourceExhausted, ErrRateLimited, ErrBadRequest}},
		{"unavailable", "GET", "/api/2.0/x", 503, nil, `{"error_code":"TEMPORARILY_UNAVAILABLE","message":"try later"}`, "TEMPORARILY_UNAVAILABLE", "try later", "", []error{ErrUnavailable}},
		{"deadline", "GET", "/api/2.0/x", 504, nil, `{"error_code":"DEADLINE_EXCEEDED","message":"Timed out"}`, "DEADLINE_EXCEEDED", "Timed out", "", []error{ErrDeadline}},
		{"cancelled", "GET", "/api/2.0/x", 499, nil, `{"error_code":"CANCELLED","message":"gone"}`, "CANCELLED", "gone", "", []error{ErrRequestCancelled}},
		{"not implemented", "GET", "/api/2.0/x", 501, nil, `{"error_code":"NOT_IMPLEMENTED","message":"no"}`, "NOT_IMPLEMENTED", "no", "", []error{ErrNotImplemented}},
		{"aborted", "POST", "/api/2.0/x", 409, nil, `{"error_code":"ABORTED","message":"retry"}`, "ABORTED", "retry", "", []error{ErrConflict}},
		{"data loss", "GET", "/api/2.0/x", 500, nil, `{"error_code":"DATA_LOSS","message":"lost"}`, "DATA_LOSS", "lost", "", []error{ErrInternal}},

		// Unknown ids that some GET operations report as 400 INVALID_PARAMETER_VALUE.
		{"clusters/get unknown id", "GET", "/api/2.1/clusters/get", 400, nil, `{"error_code":"INVALID_PARAMETER_VALUE","message":"Cluster 0101-x does not exist"}`, "INVALID_PARAMETER_VALUE", "Cluster 0101-x does not exist", "", []error{ErrNotFound, ErrInvalidParameter, ErrBadRequest}},
		{"jobs/get unknown id", "GET", "/api/2.2/jobs/get", 400, nil, `{"error_code":"INVALID_PARAMETER_VALUE","message":"Job 123 does not exist."}`, "INVALID_PARAMETER_VALUE", "Job 123 does not exist.", "", []error{ErrNotFound, ErrInvalidParameter, ErrBadRequest}},
		{"jobs/runs/get unknown id", "GET", "/api/2.1/jobs/runs/get", 400, nil, `{"error_code":"INVALID_PARAMETER_VALUE","message":"Run 42 does not exist."}`, "INVALID_PARAMETER_VALUE", "Run 42 does not exist.", "", []error{ErrNotFound, ErrInvalidParameter, ErrBadRequest}},
		{"jobs/runs/get run in job", "GET", "/api/2.1/jobs/runs/get", 400, nil, `{"error_code":"INVALID_PARAMETER_VALUE","message":"Run: 42 in job: 7 doesn't exist"}`, "INVALID_PARAMETER_VALUE", "Run: 42 in job: 7 doesn't exist", "", []error{ErrNotFound, ErrInvalidParameter, ErrBadRequest}},
		{"jobs/runs/get-output unknown id", "GET", "/api/2.1/jobs/runs/get-output", 400, nil, `{"error_code":"INVALID_PARAMETER_VALUE","message":"Run 42 does not exist."}`, "INVALID_PARAMETER_VALUE", "Run 42 does not exist.", "", []error{ErrNotFound, ErrInvalidParameter, ErrBadRequest}},
		{"clusters/get other invalid value", "GET", "/api/2.1/clusters/get", 400, nil, `{"error_code":"INVALID_PARAMETER_VALUE","message":"cluster_id must be set"}`, "INVALID_PARAMETER_VALUE", "cluster_id must be set", "", []error{ErrInvalidParameter, ErrBadRequest}},
		{"same message on another operation", "POST", "/api/2.1/clusters/edit", 400, nil, `{"error_code":"INVALID_PARAMETER_VALUE","message":"Cluster 0101-x does not exist"}`, "INVALID_PARAMETER_VALUE", "Cluster 0101-x does not exist", "", []error{ErrInvalidParameter, ErrBadRequest}},
	}
	srv := newErrorServer(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			apiErr, err := srv.call(t, tc.method, tc.path, tc.status, tc.header, []byte(tc.body))
			if apiErr.StatusCode != tc.status || apiErr.ErrorCode != tc.code || apiErr.Message != tc.msg || apiErr.RequestID != tc.requestID {
				t.Errorf("got status %d code %q message %q request id %q\nwant status %d code %q message %q request id %q",
					apiErr.StatusCode, apiErr.ErrorCode, apiErr.Message, apiErr.RequestID, tc.status, tc.code, tc.msg, tc.requestID)
			}
			checkKinds(t, err, tc.kinds...)
		})
	}
}

func TestAPIErrorRendering(t *testing.T) {
	srv := newErrorServer(t)
	apiErr, err := srv.call(t, "GET", "/api/2.1/clusters/get", 400, http.Header{"Retry-After": {"7"}},
		[]byte(`{"error_code":"INVALID_PARAMETER_VALUE","message":"Cluster c does not exist","details":[{"@type":"type.googleapis.com/google.rpc.RequestInfo","request_id":"r-9"}]}`))
	want := "GET /api/2.1/clusters/get: 400 INVALID_PARAMETER_VALUE: Cluster c does not exist (request id r-9)"
	if apiErr.Error() != want {
		t.Errorf("Error() = %q, want %q", apiErr.Error(), want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("wrapped error %q lacks %q", err, want)
	}
	if apiErr.Kind() != "not_found" {
		t.Errorf("Kind() = %q, want not_found", apiErr.Kind())
	}
	if apiErr.RetryAfter != "7" {
		t.Errorf("RetryAfter = %q", apiErr.RetryAfter)
	}
	out, _ := json.Marshal(apiErr)
	var fields map[string]any
	json.Unmarshal(out, &fields)
	for _, k := range []string{"status_code", "error_code", "message", "details", "request_id", "method", "path"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("JSON form %s lacks %q", out, k)
		}
	}
	wrapped := fmt.Errorf("tool: %w", err)
	var again *APIError
	if !errors.As(wrapped, &again) || !errors.Is(wrapped, ErrNotFound) {
		t.Errorf("kinds lost through wrapping: %v", wrapped)
	}
	if (&APIError{StatusCode: 418}).Kind() != "" {
		t.Error("an error without kinds has a Kind")
	}
	for _, k := range allKinds {
		if kindNames[k] == "" {
			t.Errorf("kind %q has no name", k)
		}
	}
}

func TestScalarString(t *testing.T) {
	for in, want := range map[string]string{
		`"X"`: "X", `500`: "500", `1.5`: "1.5", `null`: "", `{}`: "", `[]`: "", `true`: "", ``: "",
	} {
		if got := scalarString(json.RawMessage(in)); got != want {
			t.Errorf("scalarString(%s) = %q, want %q", in, got, want)
		}
	}
}
