package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/schema"
)

// APICallName is the force-mode tool: any REST call, without type checks.
const APICallName = "api_call"

var apiCallMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

func apiCallInputSchema(methods []string) json.RawMessage {
	enum, _ := json.Marshal(methods)
	return json.RawMessage(`{"type":"object","properties":{` +
		`"method":{"type":"string","enum":` + string(enum) + `,"description":"HTTP method of the call."},` +
		`"path":{"type":"string","description":"URL path under the workspace host, starting with /api/, for example /api/2.1/clusters/list. No scheme, host, query string or '..'; put parameters in query."},` +
		`"query":{"type":"object","description":"Query string parameters. Values may be strings, numbers, booleans or arrays of them (repeated keys); nested objects become dotted keys.","additionalProperties":true},` +
		`"body":{"type":"object","description":"JSON request body, a JSON object, sent as given. Omit for calls without a body.","additionalProperties":true}` +
		`},"required":["method","path"],"additionalProperties":false}`)
}

// apiCallResult is the shape of api_call's structured result: the
// response body, parsed JSON or (when the API did not answer with JSON)
// text, whatever JSON value it is.
type apiCallResult struct {
	Response json.RawMessage `json:"response"`
}

// apiCallOutputSchema is derived like every tool's, so that "any JSON
// value" is spelled in one place (package schema) in a form every client
// takes.
var apiCallOutputSchema = sync.OnceValue(func() json.RawMessage {
	s, err := schema.Output(reflect.TypeFor[apiCallResult]())
	if err != nil {
		panic(err) // a constant type
	}
	return s
})

// newAPICallTool builds api_call. It skips type validation but still goes
// through the shared client (auth, retries, error mapping), only ever to the
// configured workspace host under /api/, and, unless opts.AllowSecretValues,
// never to an endpoint that answers with secret material (secretEndpoints).
// Its output schema is the catalog's (apiCallOutputSchema as go generate
// derived it), read rather than derived at start-up.
func newAPICallTool(getClient ClientFunc, opts Options, output json.RawMessage) Tool {
	methods := apiCallMethods
	desc := "Force mode: call any Databricks REST endpoint of the configured workspace, for operations " +
		"no other tool covers. Arguments are not checked against the API's types, so prefer a typed tool " +
		"when one exists. Only paths under /api/ on the configured workspace are reachable."
	if !opts.AllowSecretValues {
		desc += " Endpoints that answer with secret values or new credentials (such as /api/2.0/secrets/get) are refused."
	}
	hints := Hints{Destructive: true}
	if opts.ReadOnly {
		methods = []string{"GET"}
		desc += " This server is read-only: only GET is allowed."
		hints = read
	}
	in := apiCallInputSchema(methods)
	// Compiled on the first call, not at start-up (TestInputSchemasCompile
	// checks it compiles).
	validator := sync.OnceValues(func() (*schema.Validator, error) { return schema.NewValidator(in) })
	def := mcp.Tool{
		Name:            APICallName,
		Title:           "Call any Databricks REST API",
		Description:     desc,
		RawInputSchema:  in,
		RawOutputSchema: output,
		Annotations:     annotations("Call any Databricks REST API", hints),
	}
	handler := func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		args, err := rawArguments(req)
		if err != nil {
			return invalidArguments(APICallName, []schema.Problem{{Message: err.Error()}}), nil
		}
		v, err := validator()
		if err != nil {
			return nil, fmt.Errorf("%s: input schema: %w", APICallName, err)
		}
		if problems := v.Validate(args); len(problems) > 0 {
			return invalidArguments(APICallName, problems), nil
		}
		var a struct {
			Method string                     `json:"method"`
			Path   string                     `json:"path"`
			Query  map[string]json.RawMessage `json:"query"`
			Body   json.RawMessage            `json:"body"`
		}
		if err := json.Unmarshal(args, &a); err != nil {
			return invalidArguments(APICallName, []schema.Problem{{Message: err.Error()}}), nil
		}
		if err := CheckAPIPath(a.Path); err != nil {
			return invalidArguments(APICallName, []schema.Problem{{Path: "path", Message: err.Error()}}), nil
		}
		query, err := queryValues(a.Query)
		if err != nil {
			return invalidArguments(APICallName, []schema.Problem{{Path: "query", Message: err.Error()}}), nil
		}
		if !opts.AllowSecretValues {
			if why := secretEndpoint(a.Method, a.Path, query, a.Body); why != "" {
				return invalidArguments(APICallName, []schema.Problem{{Path: "path", Message: fmt.Sprintf(
					"%s %s is refused: %s. dbx-mcp never hands secret material to the model (no typed tool returns it either); "+
						"whoever runs the server can allow it by starting dbx-mcp with --allow-secret-values", a.Method, a.Path, why)}}), nil
			}
		}
		r := &client.Request{Method: a.Method, Path: a.Path, Query: query}
		if len(a.Body) > 0 {
			var compact bytes.Buffer
			if err := json.Compact(&compact, a.Body); err != nil {
				return invalidArguments(APICallName, []schema.Problem{{Path: "body", Message: err.Error()}}), nil
			}
			r.Body = compact.Bytes()
		}
		c, err := getClient(ctx)
		if err != nil {
			return errorResult("dbx-mcp is not connected to a workspace: " + err.Error()), nil
		}
		body, err := c.Do(ctx, r)
		if err != nil {
			return callFailed(ctx, err)
		}
		return success(wrapResponse(body)), nil
	}
	return Tool{Definition: def, Toolset: RawToolset, Handler: handler}
}

// secretEndpoints are the operations whose answers carry secret material
// that no typed tool returns: stored secret values, and credentials minted
// by the call itself. (tokens_create returns its new token, so
// /api/2.0/token/create is not among them.) Paths are matched after the
// /api/<version>/ prefix, any version, as secretEndpoint normalises them;
// "*" stands for one segment. Sources: the Databricks REST reference and
// databricks-sdk-go v0.175.0's service definitions.
var secretEndpoints = []struct {
	method string // "" for any
	path   string
	// flag, when set, limits the refusal to calls that ask for the secret
	// with this query or body member (anything but false).
	flag string
	why  string
}{
	{"", "secrets/get", "", "it answers with the secret's value"},
	{"", "unity-catalog/secrets/*", "include_value", "with include_value it answers with the Unity Catalog secret's value"},
	{"", "unity-catalog/temporary-table-credentials", "", "it answers with short-lived cloud storage credentials"},
	{"", "unity-catalog/temporary-path-credentials", "", "it answers with short-lived cloud storage credentials"},
	{"", "unity-catalog/temporary-volume-credentials", "", "it answers with short-lived cloud storage credentials"},
	{"", "unity-catalog/temporary-service-credentials", "", "it answers with short-lived cloud service credentials"},
	{"", "unity-catalog/public/data_sharing_activation/*", "", "it answers with a Delta Sharing recipient's bearer token"},
	{"", "database/credentials", "", "it answers with a database login token"},
	{"", "postgres/credentials", "", "it answers with a database login token"},
	{"", "token-management/on-behalf-of/tokens", "", "it answers with a new access token for a service principal"},
	{"", "credentials-manager/exchange-tokens/token", "", "it answers with access tokens"},
	{"POST", "accounts/serviceprincipals/*/credentials/secrets", "", "it answers with a new OAuth secret of a service principal"},
	{"POST", "accounts/*/serviceprincipals/*/credentials/secrets", "", "it answers with a new OAuth secret of a service principal"},
	{"POST", "accounts/*/oauth2/custom-app-integrations", "", "it answers with a new OAuth client secret"},
}

// secretEndpoint returns why a call must not be made, or "" if it may. The
// path is compared as a server could resolve it, so that no spelling slips
// through: percent-escapes decoded, case folded, empty segments and
// ";params" dropped, dot segments resolved, the version segment (2.0, 2.1,
// ...) and a "preview" segment after it skipped.
func secretEndpoint(method, path string, query url.Values, body json.RawMessage) string {
	segs := normalizedSegments(path)
	if len(segs) < 2 || segs[0] != "api" {
		return ""
	}
	// The operation's path follows /api/ and the version, whatever the
	// version is spelt (or if it is missing), and an optional "preview".
	var candidates [][]string
	for _, rest := range [][]string{segs[1:], segs[2:]} {
		candidates = append(candidates, rest)
		if len(rest) > 0 && rest[0] == "preview" {
			candidates = append(candidates, rest[1:])
		}
	}
	for _, e := range secretEndpoints {
		if e.method != "" && !strings.EqualFold(e.method, method) {
			continue
		}
		for _, c := range candidates {
			if segmentsMatch(strings.Split(e.path, "/"), c) && (e.flag == "" || asksFor(e.flag, query, body)) {
				return e.why
			}
		}
	}
	return ""
}

// segmentsMatch matches path segments against a pattern's, "*" matching
// any one segment.
func segmentsMatch(pattern, segs []string) bool {
	if len(pattern) != len(segs) {
		return false
	}
	for i, p := range pattern {
		if p != "*" && p != segs[i] {
			return false
		}
	}
	return true
}

// normalizedSegments splits a path into lower-case segments the way a
// lenient server might read it.
func normalizedSegments(path string) []string {
	for range 3 { // escapes of escapes: CheckAPIPath refuses them; decode anyway
		dec, err := url.PathUnescape(path)
		if err != nil || dec == path {
			break
		}
		path = dec
	}
	var out []string
	for _, seg := range strings.FieldsFunc(strings.ToLower(path), func(r rune) bool { return r == '/' || r == '\\' }) {
		seg, _, _ = strings.Cut(seg, ";")
		switch seg = strings.TrimSpace(seg); seg {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, seg)
		}
	}
	return out
}

// asksFor reports whether a query parameter or top-level body member named
// flag is set to anything but false.
func asksFor(flag string, query url.Values, body json.RawMessage) bool {
	for k, vs := range query {
		if !strings.EqualFold(k, flag) {
			continue
		}
		for _, v := range vs {
			if v = strings.ToLower(strings.TrimSpace(v)); v != "false" && v != "0" {
				return true
			}
		}
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return false
	}
	for k, v := range m {
		if strings.EqualFold(k, flag) {
			switch strings.ToLower(strings.Trim(string(v), `" `)) {
			case "false", "0", "null":
			default:
				return true
			}
		}
	}
	return false
}

// wrapResponse puts any response body under "response": JSON as JSON, and
// anything else as a string.
func wrapResponse(body []byte) json.RawMessage {
	t := bytes.TrimSpace(body)
	if len(t) == 0 {
		return json.RawMessage(`{"response":null}`)
	}
	if !json.Valid(t) {
		s, _ := json.Marshal(string(body))
		t = s
	}
	out := make([]byte, 0, len(t)+14)
	out = append(out, `{"response":`...)
	out = append(out, t...)
	return append(out, '}')
}

// CheckAPIPath accepts only a plain absolute path under /api/: no scheme,
// host, query, fragment, backslash, empty or dot segment, control
// character, or percent-encoded form of any of them. The token never leaves
// the configured workspace, and no path climbs out of /api/.
func CheckAPIPath(p string) error {
	if !strings.HasPrefix(p, "/api/") {
		return fmt.Errorf("must start with /api/ (got %q)", p)
	}
	for _, bad := range []string{"://", "\\", "?", "#", "//"} {
		if strings.Contains(p, bad) {
			return fmt.Errorf("must be a plain path without %q; give query parameters in query", bad)
		}
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c < 0x20 || c == 0x7f || c > 0x7e {
			return fmt.Errorf("contains a control or non-ASCII character at byte %d; percent-encode it", i)
		}
		if c != '%' {
			continue
		}
		if i+2 >= len(p) || !isHex(p[i+1]) || !isHex(p[i+2]) {
			return fmt.Errorf("has a malformed percent escape at byte %d", i)
		}
		b := unhex(p[i+1])<<4 | unhex(p[i+2])
		if b == '/' || b == '\\' || b == '.' || b == '%' || b < 0x20 || b == 0x7f {
			return fmt.Errorf("must not percent-encode %q (at byte %d)", string(rune(b)), i)
		}
	}
	for _, seg := range strings.Split(p[1:], "/") {
		// Some servers drop ";params" from a segment, so "..;x" can act as "..".
		if name, _, _ := strings.Cut(seg, ";"); name == "." || name == ".." {
			return fmt.Errorf("must not contain %q segments", seg)
		}
	}
	return nil
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// queryValues renders api_call's query object.
func queryValues(q map[string]json.RawMessage) (url.Values, error) {
	if len(q) == 0 {
		return nil, nil
	}
	v := url.Values{}
	for k, raw := range q {
		if err := client.AddQuery(v, k, raw); err != nil {
			return nil, err
		}
	}
	return v, nil
}
