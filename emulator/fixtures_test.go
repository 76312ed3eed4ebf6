package emulator_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	pathpkg "path"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/emulator"
	"github.com/dbx-mcp/dbx-mcp/internal/fixtures"
)

// servedBy reports whether the emulator serves the fixture's operation.
func servedBy(routes []emulator.Route, method, path string) bool {
	for _, r := range routes {
		if r.Method == method && r.Path == path {
			return true
		}
	}
	return false
}

// TestFixtureRequestsAccepted sends every real request payload for an
// operation the emulator serves and expects a 2xx, after giving the payload
// the state it refers to (a cluster, a scope, a token) and replacing the
// CLI test harness's [UNIQUE_NAME] placeholder, which no scope name allows.
func TestFixtureRequestsAccepted(t *testing.T) {
	var requests []fixtures.Payload
	var declared []string
	for _, op := range client.Operations() {
		info := op.Info()
		declared = append(declared, info.Method+" "+info.Path)
	}
	for _, p := range fixtures.Covered(t, declared) {
		if p.Kind == "request" {
			requests = append(requests, p)
		}
	}

	h := newHarness(t, emulator.Options{ClusterStartDelay: -1, ClusterStopDelay: -1})
	routes := emulator.New(emulator.Options{}).Routes()
	sent := 0
	for i, fx := range requests {
		t.Run(fx.File, func(t *testing.T) {
			method, path, _ := strings.Cut(fx.Operation, " ")
			if !servedBy(routes, method, path) {
				t.Skipf("%s is not an operation the emulator serves", fx.Operation)
			}
			var body map[string]any
			if err := json.Unmarshal(fx.Body, &body); err != nil {
				t.Fatalf("fixture body: %v", err)
			}
			unique := fmt.Sprintf("fixture%d", i)
			for k, v := range body {
				if s, ok := v.(string); ok {
					body[k] = strings.ReplaceAll(s, "[UNIQUE_NAME]", unique)
				}
			}
			path = prepare(t, h, path, body)

			var r response
			if method == http.MethodGet {
				q := url.Values{}
				for k, v := range body {
					q.Set(k, fmt.Sprint(v))
				}
				r = h.get(path, q)
			} else {
				r = h.call(method, path, nil, body)
			}
			if r.status/100 != 2 {
				t.Fatalf("%s rejected the fixture: %d %s", fx.Operation, r.status, r.raw)
			}
			sent++
			if clustersAPI.MatchString(path) && strings.HasSuffix(path, "/create") {
				checkEchoed(t, h, r.str("cluster_id"), body)
			}
		})
	}
	if sent < 10 {
		t.Errorf("only %d fixtures were sent; expected the clusters, secrets and tokens requests", sent)
	}
}

// clustersAPI matches the Clusters API's paths (not the cluster policies').
var clustersAPI = regexp.MustCompile(`^/api/2\.[01]/clusters/`)

// prepare creates what the payload refers to and points it there; it
// returns the path to call, with its path parameters filled in.
func prepare(t *testing.T, h *harness, path string, body map[string]any) string {
	t.Helper()
	switch {
	case clustersAPI.MatchString(path) && (strings.HasSuffix(path, "/edit") || strings.HasSuffix(path, "/events")):
		body["cluster_id"] = h.createCluster(map[string]any{"spark_version": "15.4.x-scala2.12", "num_workers": 1})
	case path == "/api/2.0/policies/clusters/edit":
		r := h.ok(h.post("/api/2.0/policies/clusters/create", map[string]any{"name": fmt.Sprintf("for %v", body["name"]), "definition": "{}"}))
		body["policy_id"] = r.body["policy_id"]
		// An earlier fixture created a policy of the same name, which
		// Databricks would refuse as well.
		body["name"] = fmt.Sprintf("%v %v", body["name"], r.body["policy_id"])
	case path == "/api/2.0/groups/add-member", path == "/api/2.0/groups/list-members":
		// The groups and users the payload names, made through SCIM.
		for _, key := range []string{"parent_name", "group_name"} {
			if name, ok := body[key].(string); ok {
				h.call("POST", "/api/2.0/preview/scim/v2/Groups", nil, map[string]any{"displayName": name})
			}
		}
		if name, ok := body["user_name"].(string); ok {
			h.call("POST", "/api/2.0/preview/scim/v2/Users", nil, map[string]any{"userName": name})
		}
	case path == "/api/2.0/secrets/put", path == "/api/2.0/secrets/acls/put":
		scope, _ := body["scope"].(string)
		h.ok(h.post("/api/2.0/secrets/scopes/create", map[string]any{"scope": scope}))
	case path == "/api/2.0/dbfs/add-block":
		body["handle"] = h.ok(h.post("/api/2.0/dbfs/create", map[string]any{"path": "/fixtures/add-block", "overwrite": true})).body["handle"]
	case path == "/api/2.0/dbfs/put" && body["path"] == "PATH":
		// The doc example's placeholders ("PATH", "BASE64") stand for a path
		// and base64 contents, which Databricks would require too.
		body["path"], body["contents"] = "/fixtures/put", "QkFTRTY0"
	case path == "/api/2.0/sql/warehouses" && body["cluster_size"] == "string":
		// The API reference example's placeholder, which Databricks refuses
		// too.
		body["cluster_size"] = "2X-Small"
	case path == "/api/2.0/sql/statements":
		// A warehouse of the caller's to run on, and the table the CLI's
		// recorded query reads.
		wh := h.ok(h.post("/api/2.0/sql/warehouses", map[string]any{"name": fmt.Sprintf("for %v", body["statement"]), "cluster_size": "2X-Small"})).body["id"]
		h.ok(h.post(path, map[string]any{"warehouse_id": wh, "wait_timeout": "30s",
			"statement": "CREATE TABLE IF NOT EXISTS main.default.people (id INT, name STRING)"}))
		body["warehouse_id"] = wh
	case path == "/api/2.0/token/delete":
		r := h.ok(h.post("/api/2.0/token/create", map[string]any{}))
		body["token_id"] = obj(t, r.body["token_info"], "token_info")["token_id"]
	case path == "/api/2.0/workspace/delete":
		h.ok(h.post("/api/2.0/workspace/mkdirs", map[string]any{"path": body["path"]}))
	case path == "/api/2.0/workspace/import":
		p, _ := body["path"].(string)
		h.ok(h.post("/api/2.0/workspace/mkdirs", map[string]any{"path": pathpkg.Dir(p)}))
		// The CLI harness redacts content to "[HELLO-WORLD]", which is not
		// base64; the workspace would refuse it too.
		if c, _ := body["content"].(string); c == "[HELLO-WORLD]" {
			body["content"] = base64.StdEncoding.EncodeToString([]byte("Hello, World!\n"))
		}
	case path == "/api/2.0/repos/{repo_id}":
		r := h.ok(h.post("/api/2.0/repos", map[string]any{"url": "https://github.com/jsmith/test", "provider": "gitHub"}))
		return strings.Replace(path, "{repo_id}", fmt.Sprint(r.body["id"]), 1)
	}
	return path
}

// checkEchoed verifies that a created cluster reports every field of its
// create payload unchanged, including values of unusual types.
func checkEchoed(t *testing.T, h *harness, id string, sent map[string]any) {
	t.Helper()
	got := h.cluster(id)
	for k, want := range sent {
		wantJSON, _ := json.Marshal(want)
		var norm any
		_ = json.Unmarshal(wantJSON, &norm)
		gotJSON, _ := json.Marshal(got.body[k])
		var gotNorm any
		_ = json.Unmarshal(gotJSON, &gotNorm)
		if !reflect.DeepEqual(norm, gotNorm) {
			t.Errorf("field %s: sent %s, get returns %s", k, wantJSON, gotJSON)
		}
	}
}
