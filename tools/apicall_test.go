package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
)

func TestCheckAPIPath(t *testing.T) {
	ok := []string{
		"/api/2.1/clusters/list",
		"/api/2.0/workspace/get-status",
		"/api/2.0/fs/files/Volumes/main/default/v/my%20file.txt",
		"/api/2.1/unity-catalog/tables/main.default.t",
	}
	bad := []string{
		"", "api/2.0/clusters/list", "/2.0/clusters/list", "/apis/x",
		"https://evil.example/api/2.0/clusters/list",
		"//evil.example/api/2.0/x",
		"/api/2.0/../../admin",
		"/api/2.0/clusters/..",
		"/api/2.0/..;/x",
		"/api/2.0/.;/x",
		"/api/./2.0",
		"/api/2.0/%2e%2e/x",
		"/api/2.0/%2E%2E/x",
		"/api/2.0/a%2fb",
		"/api/2.0/a%5cb",
		"/api/2.0/%252e%252e/x",
		"/api/2.0/a\\b",
		"/api/2.0/list?x=1",
		"/api/2.0/list#frag",
		"/api//2.0/list",
		"/api/2.0/a%0ab",
		"/api/2.0/a\nb",
		"/api/2.0/a%zz",
		"/api/2.0/a%2",
		"/api/2.0/caf\u00e9",
	}
	for _, p := range ok {
		if err := CheckAPIPath(p); err != nil {
			t.Errorf("CheckAPIPath(%q) = %v, want ok", p, err)
		}
	}
	for _, p := range bad {
		if err := CheckAPIPath(p); err == nil {
			t.Errorf("CheckAPIPath(%q) accepted a path it must refuse", p)
		}
	}
}

func TestSecretEndpoint(t *testing.T) {
	type call struct {
		method, path string
		query        url.Values
		body         string
	}
	refused := []call{
		{"GET", "/api/2.0/secrets/get", nil, ""},
		{"POST", "/api/2.0/secrets/get", nil, `{"scope":"s","key":"k"}`},
		{"GET", "/api/2.0/Secrets/GET", nil, ""},
		{"GET", "/api/2.0/secrets/get/", nil, ""},
		{"GET", "/api/2.0//secrets//get", nil, ""},
		{"GET", "/api/2.0/../2.0/secrets/get", nil, ""},
		{"GET", "/api/2.0/secrets/./get", nil, ""},
		{"GET", "/api/2.0/secrets/%67et", nil, ""},
		{"GET", "/api/2.0/%73ecrets/%47ET", nil, ""},
		{"GET", "/api/2.0/secrets%2fget", nil, ""},
		{"GET", "/api/2.0/secrets/%2567et", nil, ""},
		{"GET", "/api/2.0/secrets/get;x=1", nil, ""},
		{"GET", "/api/2.0/secrets/get%20", nil, ""},
		{"GET", "/api/2.1/secrets/get", nil, ""},
		{"GET", "/api/2.2/secrets/get", nil, ""},
		{"GET", "/api/1.2/secrets/get", nil, ""},
		{"GET", "/api/2.0/preview/secrets/get", nil, ""},
		{"GET", "/api/secrets/get", nil, ""},
		{"GET", "/api/2.1/unity-catalog/secrets/main.default.pw", url.Values{"include_value": {"true"}}, ""},
		{"GET", "/api/2.1/unity-catalog/secrets/main.default.pw", url.Values{"INCLUDE_VALUE": {"1"}}, ""},
		{"POST", "/api/2.1/unity-catalog/secrets/main.default.pw", nil, `{"include_value":true}`},
		{"POST", "/api/2.0/unity-catalog/temporary-table-credentials", nil, `{"table_id":"x","operation":"READ"}`},
		{"POST", "/api/2.0/unity-catalog/temporary-path-credentials", nil, ""},
		{"POST", "/api/2.0/unity-catalog/temporary-volume-credentials", nil, ""},
		{"POST", "/api/2.1/unity-catalog/temporary-service-credentials", nil, ""},
		{"GET", "/api/2.1/unity-catalog/public/data_sharing_activation/abc", nil, ""},
		{"POST", "/api/2.0/database/credentials", nil, ""},
		{"POST", "/api/2.0/postgres/credentials", nil, ""},
		{"POST", "/api/2.0/token-management/on-behalf-of/tokens", nil, `{"application_id":"x"}`},
		{"POST", "/api/2.0/credentials-manager/exchange-tokens/token", nil, ""},
		{"POST", "/api/2.0/accounts/servicePrincipals/123/credentials/secrets", nil, ""},
		{"POST", "/api/2.0/accounts/abc/servicePrincipals/123/credentials/secrets", nil, ""},
		{"post", "/api/2.0/accounts/abc/oauth2/custom-app-integrations", nil, ""},
	}
	allowed := []call{
		{"GET", "/api/2.0/secrets/list", url.Values{"scope": {"s"}}, ""},
		{"GET", "/api/2.0/secrets/scopes/list", nil, ""},
		{"POST", "/api/2.0/secrets/put", nil, `{"scope":"s","key":"k","string_value":"v"}`},
		{"GET", "/api/2.0/secrets/acls/get", nil, ""},
		{"POST", "/api/2.0/token/create", nil, `{"comment":"x"}`}, // tokens_create returns it too
		{"GET", "/api/2.0/token-management/tokens", nil, ""},
		{"GET", "/api/2.1/unity-catalog/secrets/main.default.pw", nil, ""},
		{"GET", "/api/2.1/unity-catalog/secrets/main.default.pw", url.Values{"include_value": {"false"}}, ""},
		{"GET", "/api/2.1/unity-catalog/secrets", url.Values{"catalog_name": {"main"}}, ""},
		{"GET", "/api/2.1/unity-catalog/public/data_sharing_activation_info/abc", nil, ""},
		{"GET", "/api/2.0/accounts/servicePrincipals/123/credentials/secrets", nil, ""},
		{"GET", "/api/2.0/git-credentials", nil, ""},
		{"GET", "/api/2.0/workspace-conf", url.Values{"keys": {"enableTokensConfig"}}, ""},
		{"GET", "/api/2.1/clusters/get", url.Values{"cluster_id": {"secrets"}}, ""},
		{"GET", "/api/2.0/workspace/get-status", url.Values{"path": {"/secrets/get"}}, ""},
	}
	for _, c := range refused {
		if why := secretEndpoint(c.method, c.path, c.query, json.RawMessage(c.body)); why == "" {
			t.Errorf("%s %s %v %s: allowed, want refused", c.method, c.path, c.query, c.body)
		}
	}
	for _, c := range allowed {
		if why := secretEndpoint(c.method, c.path, c.query, json.RawMessage(c.body)); why != "" {
			t.Errorf("%s %s %v %s: refused (%s), want allowed", c.method, c.path, c.query, c.body, why)
		}
	}
}

// TestAPICallRefusesSecretValues: the refusal comes before anything is
// sent, says why and names the opt-in; with the opt-in the call is made.
func TestAPICallRefusesSecretValues(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"key":"k","value":"aHVudGVyMg=="}`)
	}))
	defer srv.Close()
	c, err := client.New(&client.Config{Host: srv.URL, Token: "dapi-test"})
	if err != nil {
		t.Fatal(err)
	}
	getClient := func(context.Context) (*client.Client, error) { return c, nil }
	call := func(opts Options) *mcp.CallToolResult {
		t.Helper()
		tool := newAPICallTool(getClient, opts, apiCallOutputSchema())
		req := mcp.CallToolRequest{}
		req.Params.Name = APICallName
		req.Params.RawArguments = json.RawMessage(`{"method":"GET","path":"/api/2.0/secrets/get","query":{"scope":"s","key":"k"}}`)
		res, err := tool.Handler(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	for _, opts := range []Options{{}, {ReadOnly: true}} {
		res := call(opts)
		text := res.Content[0].(mcp.TextContent).Text
		if !res.IsError || !strings.Contains(text, "--allow-secret-values") || !strings.Contains(text, "secret") ||
			strings.Contains(text, "aHVudGVy") {
			t.Errorf("%+v: want a refusal naming --allow-secret-values, got %q", opts, text)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("a refused call reached the workspace %d times", n)
	}
	if res := call(Options{AllowSecretValues: true}); res.IsError || hits.Load() != 1 {
		t.Errorf("with AllowSecretValues the call must be made: %+v", res)
	}
}

// FuzzSecretEndpointSpellings: however /api/<version>/secrets/get is
// spelt (case, percent-escapes, empty, dot and ;param segments, trailing
// slashes, any version), api_call refuses it. The fuzzer's bytes choose
// the spelling.
//
//	go test -run x -fuzz FuzzSecretEndpointSpellings -fuzztime 60s ./tools/
func FuzzSecretEndpointSpellings(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	f.Add([]byte("\xff\x80\x40\x20\x10\x08\x04\x02\x01"))
	f.Fuzz(func(t *testing.T, choices []byte) {
		next := func() byte {
			if len(choices) == 0 {
				return 0
			}
			c := choices[0]
			choices = choices[1:]
			return c
		}
		versions := []string{"2.0", "2.1", "2.2", "1.2", "3.0", "v2", "latest", "preview", "2.0/preview"}
		spell := func(word string) string {
			var b strings.Builder
			for i := 0; i < len(word); i++ {
				c := word[i]
				switch next() % 4 {
				case 1:
					b.WriteString(strings.ToUpper(string(c)))
				case 2:
					fmt.Fprintf(&b, "%%%02X", c)
				case 3:
					fmt.Fprintf(&b, "%%%02x", c)
				default:
					b.WriteByte(c)
				}
			}
			return b.String()
		}
		sep := func() string {
			return []string{"/", "/", "//", "/./", "/x/../", "/%2e/"}[next()%6]
		}
		p := "/api" + sep() + versions[int(next())%len(versions)] + sep() + spell("secrets") + sep() + spell("get")
		p += []string{"", "/", "//", ";x", "/;x", "/."}[next()%6]
		method := []string{"GET", "get", "POST", "Post"}[next()%4]
		if secretEndpoint(method, p, nil, nil) == "" {
			t.Errorf("%s %s is allowed", method, p)
		}
	})
}
