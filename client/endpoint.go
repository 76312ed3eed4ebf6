package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Endpoint declares one REST operation. Everything that is a fact about the
// operation is said here, once: its HTTP method and path, the Go types of
// its request and response, what calling it does (Access, Idempotent), how
// its list pages, how to wait on what it starts, and the words a model
// reads about it. Everything else is derived from this one declaration: the
// typed Call, the raw Invoke used by the MCP tools, the tools' JSON Schemas
// and annotations, the retry rule, the README's tool table and the
// emulator's route-coverage check.
//
// Request fields are routed by their struct tags. A field tagged in:"path"
// fills the {name} placeholder of Path with the same JSON name (a
// {name...} placeholder takes a multi-segment value such as a workspace or
// file path, escaped segment by segment); in:"query" sends it as a query
// parameter; in:"header" as a request header named by its JSON name; a
// []byte field tagged in:"body" with the option raw (in:"body,raw") is the
// whole request body, sent as bytes (base64 in the tool's JSON). Every other
// field goes in the JSON body for POST, PUT and PATCH, and in the query
// string for GET, HEAD and DELETE. Nested objects in a query string are
// flattened with dots (filter_by.state) and arrays repeat the parameter, as
// the Databricks API expects.
//
// Declare an endpoint with Declare, so that registries find it.
type Endpoint[Req, Resp any] struct {
	// Service is the API area, the first part of the tool name ("clusters").
	Service string
	// Name is the operation, the rest of the tool name ("list_node_types").
	Name string
	// Method is the HTTP method.
	Method string
	// Path is the URL path, with {json_name} for path parameters.
	Path string
	// Access says what calling the operation does to the workspace.
	Access Access
	// Idempotent declares that repeating the call is harmless: after a
	// failure in which it may already have been applied it is sent again
	// (see Request.Idempotent), and its tool is hinted idempotent. Reads
	// always are.
	Idempotent bool
	// Title is a short human name ("Create cluster").
	Title string
	// Doc tells a model what the operation does and how to fill it in.
	Doc string
	// Toolset groups the operation's tool for --toolsets; "" means Service.
	Toolset string
	// Default puts the operation's tool in the default toolset, the small
	// set offered when the user chose none.
	Default bool
	// Paging, for list operations, says how the list pages.
	Paging *Paging
	// Wait, for operations that start long work, says how to wait for the
	// object to settle.
	Wait *Wait
	// Header holds fixed request headers the operation needs.
	Header http.Header
	// RawResponse declares an answer that is not JSON (a file download):
	// Invoke returns it as {"contents": base64, ...the headers the Response
	// type names by in:"header" fields}.
	RawResponse bool
	// Prepare, if set, rewrites the arguments (a JSON object of REST fields)
	// before Invoke routes them, for every caller: typed Call, tools and
	// discovery alike. It is for a rule the API leaves to the caller, such as
	// supplying an idempotency_token when none was given so that a retried
	// request cannot start a second run. An error stops the call.
	Prepare func(args json.RawMessage) (json.RawMessage, error)

	once sync.Once
	plan *requestPlan
	err  error
}

// Access says what calling an operation does to the workspace.
type Access int

// The kinds of access.
const (
	// Read changes nothing.
	Read Access = iota + 1
	// Write creates or changes something, and nothing is lost by it.
	Write
	// Destructive removes something, or interrupts or overwrites work in a
	// way that cannot be undone (a restart, a replaced configuration).
	Destructive
)

func (a Access) String() string {
	switch a {
	case Read:
		return "read"
	case Write:
		return "write"
	case Destructive:
		return "destructive"
	}
	return fmt.Sprintf("Access(%d)", int(a))
}

// Operation is an Endpoint with its types erased, for registries that hold
// endpoints of many types.
type Operation interface {
	// Info describes the operation.
	Info() OperationInfo
	// Invoke sends a request given as a JSON object of REST fields by their
	// API names and returns the response body as the API sent it ({} when it
	// sent none). The arguments are not type-checked here; the tools layer
	// validates them against the input schema first.
	Invoke(ctx context.Context, c *Client, args json.RawMessage) (json.RawMessage, error)
}

// OperationInfo is the declaration of an Operation.
type OperationInfo struct {
	Service string
	Name    string
	Method  string
	Path    string
	Access  Access
	// Idempotent is the declared Idempotent, or true for a Read.
	Idempotent  bool
	Title       string
	Doc         string
	Toolset     string
	Default     bool
	Paging      *Paging
	Wait        *Wait
	RawResponse bool
	// Request and Response are the Go types (never pointers).
	Request  reflect.Type
	Response reflect.Type
	// planned derives the request plan, on the first call of Params (or of
	// the operation): a server lists every operation's info as it starts,
	// and reflecting over every request type then would cost ~1 ms.
	planned interface{ mustPlan() *requestPlan }
}

// Params lists where each request field travels, by JSON name. It panics
// on a declaration error, a bug caught by the package's tests.
func (i OperationInfo) Params() map[string]ParamLocation {
	if i.planned == nil {
		return nil
	}
	return i.planned.mustPlan().locations
}

// ParamLocation says where a request field travels.
type ParamLocation string

// The places a request field can travel.
const (
	InPath    ParamLocation = "path"
	InQuery   ParamLocation = "query"
	InBody    ParamLocation = "body"
	InHeader  ParamLocation = "header"
	InRawBody ParamLocation = "rawbody"
)

// FullName is the tool name, <service>_<name>.
func (i OperationInfo) FullName() string { return i.Service + "_" + i.Name }

// Info describes the endpoint.
func (e *Endpoint[Req, Resp]) Info() OperationInfo {
	ts := e.Toolset
	if ts == "" {
		ts = e.Service
	}
	return OperationInfo{
		Service: e.Service, Name: e.Name, Method: e.Method, Path: e.Path,
		Access: e.Access, Idempotent: e.repeatable(),
		Title: e.Title, Doc: e.Doc, Toolset: ts, Default: e.Default,
		Paging: e.Paging, Wait: e.Wait, RawResponse: e.RawResponse,
		Request: reflect.TypeFor[Req](), Response: reflect.TypeFor[Resp](), planned: e,
	}
}

// repeatable is the one rule for both the retry of a possibly applied call
// and the tool's idempotentHint.
func (e *Endpoint[Req, Resp]) repeatable() bool { return e.Idempotent || e.Access == Read }

// Call sends req and decodes the response. It is the typed client method
// for the operation.
func (e *Endpoint[Req, Resp]) Call(ctx context.Context, c *Client, req *Req) (*Resp, error) {
	if req == nil {
		req = new(Req)
	}
	args, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("%s: encoding request: %w", e.fullName(), err)
	}
	raw, err := e.Invoke(ctx, c, args)
	if err != nil {
		return nil, err
	}
	resp := new(Resp)
	if err := json.Unmarshal(raw, resp); err != nil {
		return nil, fmt.Errorf("%s: decoding response: %w", e.fullName(), err)
	}
	return resp, nil
}

// NewRequest is the HTTP request Call sends for req, unsent: path, query,
// headers and body routed as declared. It is for callers that send it
// another way, such as DoStream with a body from a file or an answer too
// large to hold.
func (e *Endpoint[Req, Resp]) NewRequest(req *Req) (*Request, error) {
	if req == nil {
		req = new(Req)
	}
	args, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("%s: encoding request: %w", e.fullName(), err)
	}
	return e.request(args)
}

// request routes args as the endpoint declares, after its Prepare.
func (e *Endpoint[Req, Resp]) request(args json.RawMessage) (*Request, error) {
	p := e.mustPlan()
	if e.Prepare != nil {
		var err error
		if args, err = e.Prepare(args); err != nil {
			return nil, fmt.Errorf("%s: %w", e.fullName(), err)
		}
	}
	r, err := p.build(args)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e.fullName(), err)
	}
	r.Idempotent = r.Idempotent || e.repeatable()
	for k, vs := range e.Header {
		if r.Header == nil {
			r.Header = http.Header{}
		}
		for _, v := range vs {
			r.Header.Add(k, v)
		}
	}
	return r, nil
}

// Invoke implements Operation.
func (e *Endpoint[Req, Resp]) Invoke(ctx context.Context, c *Client, args json.RawMessage) (json.RawMessage, error) {
	p := e.mustPlan()
	r, err := e.request(args)
	if err != nil {
		return nil, err
	}
	if e.RawResponse {
		resp, err := c.DoResponse(ctx, r)
		if err != nil {
			return nil, err
		}
		return p.rawResult(resp)
	}
	body, err := c.Do(ctx, r)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return json.RawMessage("{}"), nil
	}
	return body, nil
}

func (e *Endpoint[Req, Resp]) fullName() string { return e.Service + "_" + e.Name }

// mustPlan derives the request routing once. A declaration error is a bug
// in this package, caught by its tests, hence the panic.
func (e *Endpoint[Req, Resp]) mustPlan() *requestPlan {
	e.once.Do(func() {
		e.plan, e.err = newRequestPlan(e.Method, e.Path, reflect.TypeFor[Req]())
		if e.err == nil && e.RawResponse {
			e.err = e.plan.collectResponseHeaders(reflect.TypeFor[Resp]())
		}
	})
	if e.err != nil {
		panic(fmt.Sprintf("client: endpoint %s: %v", e.fullName(), e.err))
	}
	return e.plan
}

// pathParam is compiled on the first request plan, not at package
// initialisation.
var pathParam = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{([a-z0-9_]+)(\.\.\.)?\}`) })

// requestPlan is how one endpoint's request fields travel.
type requestPlan struct {
	method      string
	path        string
	pathParams  []pathParamSpec
	locations   map[string]ParamLocation
	defaultLoc  ParamLocation
	bodyAllowed bool
	rawBody     string // JSON name of the in:"body,raw" field, if any
	// respHeaders maps response header names to the JSON members of a raw
	// response's result.
	respHeaders map[string]string
}

type pathParamSpec struct {
	name  string
	multi bool // {name...}: several segments
}

func newRequestPlan(method, path string, req reflect.Type) (*requestPlan, error) {
	if req.Kind() != reflect.Struct {
		return nil, fmt.Errorf("request type %s is not a struct", req)
	}
	p := &requestPlan{method: method, path: path, locations: map[string]ParamLocation{}}
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		p.defaultLoc, p.bodyAllowed = InBody, true
	case http.MethodGet, http.MethodHead, http.MethodDelete:
		p.defaultLoc = InQuery
	default:
		return nil, fmt.Errorf("unsupported method %q", method)
	}
	if !strings.HasPrefix(path, "/api/") {
		return nil, fmt.Errorf("path %q is not under /api/", path)
	}
	if err := p.collect(req); err != nil {
		return nil, err
	}
	for _, m := range pathParam().FindAllStringSubmatch(path, -1) {
		if p.locations[m[1]] != InPath {
			return nil, fmt.Errorf("path parameter {%s} has no request field tagged in:\"path\"", m[1])
		}
		p.pathParams = append(p.pathParams, pathParamSpec{name: m[1], multi: m[2] != ""})
	}
	for name, loc := range p.locations {
		if loc == InPath && !slices.ContainsFunc(p.pathParams, func(s pathParamSpec) bool { return s.name == name }) {
			return nil, fmt.Errorf("field %q is tagged in:\"path\" but the path has no {%s}", name, name)
		}
	}
	if p.rawBody != "" {
		if !p.bodyAllowed {
			return nil, fmt.Errorf("field %q is a raw body, but %s sends none", p.rawBody, method)
		}
		for name, loc := range p.locations {
			if loc == InBody {
				return nil, fmt.Errorf("field %q would travel in the body, which is the raw field %q", name, p.rawBody)
			}
		}
	}
	return p, nil
}

// collect records where each field of struct type t travels, following
// encoding/json's rules: untagged embedded structs lend their fields, a
// json:"-" field is not sent.
func (p *requestPlan) collect(t reflect.Type) error {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if err := p.collect(ft); err != nil {
					return err
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		loc := p.defaultLoc
		switch in := f.Tag.Get("in"); in {
		case "":
		case "path":
			loc = InPath
		case "query":
			loc = InQuery
		case "header":
			loc = InHeader
		case "body":
			loc = InBody
		case "body,raw":
			if f.Type != reflect.TypeFor[[]byte]() {
				return fmt.Errorf("field %s: a raw body must be []byte, not %s", f.Name, f.Type)
			}
			if p.rawBody != "" {
				return fmt.Errorf("field %s: a second raw body (the first is %q)", f.Name, p.rawBody)
			}
			p.rawBody, loc = name, InRawBody
		default:
			return fmt.Errorf("field %s: unknown in:%q", f.Name, in)
		}
		p.locations[name] = loc
	}
	return nil
}

// collectResponseHeaders records the in:"header" fields of a raw response
// type: the headers whose values a raw result carries.
func (p *requestPlan) collectResponseHeaders(t reflect.Type) error {
	if t.Kind() != reflect.Struct {
		return fmt.Errorf("response type %s is not a struct", t)
	}
	p.respHeaders = map[string]string{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Tag.Get("in") != "header" {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			return fmt.Errorf("response field %s: in:\"header\" needs a JSON name", f.Name)
		}
		p.respHeaders[http.CanonicalHeaderKey(strings.ReplaceAll(name, "_", "-"))] = name
	}
	return nil
}

// RawContents is the member of a raw response's result holding the body,
// base64-encoded.
const RawContents = "contents"

// rawResult turns a raw (non-JSON) answer into the JSON result: the body
// base64-encoded under RawContents, and the declared headers by name. A
// HEAD answer has no body, so its result holds the headers only.
func (p *requestPlan) rawResult(resp *Response) (json.RawMessage, error) {
	out := map[string]any{}
	if p.method != http.MethodHead {
		out[RawContents] = resp.Body
	}
	for h, name := range p.respHeaders {
		if v := resp.Header.Get(h); v != "" {
			out[name] = v
		}
	}
	return json.Marshal(out)
}

// build routes the members of args to the path, query string, headers and
// body.
func (p *requestPlan) build(args json.RawMessage) (*Request, error) {
	var members map[string]json.RawMessage
	if t := bytes.TrimSpace(args); len(t) > 0 && !bytes.Equal(t, []byte("null")) {
		if err := json.Unmarshal(t, &members); err != nil {
			return nil, fmt.Errorf("arguments must be a JSON object: %w", err)
		}
	}
	r := &Request{Method: p.method}
	path := p.path
	for _, pp := range p.pathParams {
		raw, ok := members[pp.name]
		v, isScalar := scalarText(raw)
		if !ok || !isScalar || v == "" {
			return nil, fmt.Errorf("path parameter %q is required and must be a non-empty string or number", pp.name)
		}
		escaped, err := escapePathParam(pp, v)
		if err != nil {
			return nil, err
		}
		placeholder := "{" + pp.name + "}"
		if pp.multi {
			placeholder = "{" + pp.name + "...}"
		}
		path = strings.Replace(path, placeholder, escaped, 1)
	}
	r.Path = path
	body := map[string]json.RawMessage{}
	for name, raw := range members {
		loc, ok := p.locations[name]
		if !ok {
			loc = p.defaultLoc
		}
		switch loc {
		case InPath:
		case InQuery:
			if r.Query == nil {
				r.Query = url.Values{}
			}
			if err := addQuery(r.Query, name, raw); err != nil {
				return nil, err
			}
		case InHeader:
			v, ok := scalarText(raw)
			if !ok {
				if t := bytes.TrimSpace(raw); bytes.Equal(t, []byte("null")) {
					continue
				}
				return nil, fmt.Errorf("argument %q is sent as a header and must be a string, number or boolean", name)
			}
			if strings.ContainsAny(v, "\r\n") {
				return nil, fmt.Errorf("argument %q is sent as a header and must not contain line breaks", name)
			}
			if r.Header == nil {
				r.Header = http.Header{}
			}
			r.Header.Set(strings.ReplaceAll(name, "_", "-"), v)
		case InRawBody:
			var b []byte
			if err := json.Unmarshal(raw, &b); err != nil {
				return nil, fmt.Errorf("argument %q must be base64-encoded bytes: %w", name, err)
			}
			r.Body, r.ContentType = b, "application/octet-stream"
			if r.Body == nil {
				r.Body = []byte{}
			}
		case InBody:
			body[name] = raw
		}
	}
	if p.bodyAllowed && p.rawBody == "" {
		b, err := marshalSorted(body)
		if err != nil {
			return nil, err
		}
		r.Body = b
	}
	return r, nil
}

// escapePathParam escapes a path parameter's value. A single-segment
// parameter is escaped whole (a slash in it stays data); a multi-segment one
// segment by segment, refusing empty, "." and ".." segments so that a value
// can never climb out of the declared path.
func escapePathParam(pp pathParamSpec, v string) (string, error) {
	if !pp.multi {
		if v == "." || v == ".." {
			return "", fmt.Errorf("path parameter %q must not be %q", pp.name, v)
		}
		return url.PathEscape(v), nil
	}
	if !strings.HasPrefix(v, "/") {
		return "", fmt.Errorf("path parameter %q must be an absolute path starting with /", pp.name)
	}
	segs := strings.Split(v[1:], "/")
	for i, seg := range segs {
		switch {
		case seg == "." || seg == "..":
			return "", fmt.Errorf("path parameter %q must not contain %q segments", pp.name, seg)
		case seg == "" && i != len(segs)-1:
			return "", fmt.Errorf("path parameter %q must not contain empty segments (//)", pp.name)
		}
		segs[i] = url.PathEscape(seg)
	}
	return "/" + strings.Join(segs, "/"), nil
}

// marshalSorted writes a JSON object from raw members in key order, with
// each value's bytes as given (so int64s and unknown shapes pass untouched).
func marshalSorted(m map[string]json.RawMessage) ([]byte, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		if err := json.Compact(&b, m[k]); err != nil {
			return nil, fmt.Errorf("argument %q: %w", k, err)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// scalarText renders a JSON string, number or boolean as query/path text.
func scalarText(raw json.RawMessage) (string, bool) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "", false
	}
	switch t[0] {
	case '"':
		var s string
		if json.Unmarshal(t, &s) != nil {
			return "", false
		}
		return s, true
	case '{', '[', 'n':
		return "", false
	default:
		return string(t), true // number, true, false: the literal as sent
	}
}

// addQuery adds one argument to a query string: scalars as they are, arrays
// as repeated keys, objects flattened with dotted keys; null is left out.
func addQuery(q url.Values, key string, raw json.RawMessage) error {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return nil
	}
	switch t[0] {
	case '[':
		var items []json.RawMessage
		if err := json.Unmarshal(t, &items); err != nil {
			return fmt.Errorf("argument %q: %w", key, err)
		}
		for _, it := range items {
			if err := addQuery(q, key, it); err != nil {
				return err
			}
		}
	case '{':
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(t, &obj); err != nil {
			return fmt.Errorf("argument %q: %w", key, err)
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if err := addQuery(q, key+"."+k, obj[k]); err != nil {
				return err
			}
		}
	default:
		v, ok := scalarText(t)
		if !ok {
			return fmt.Errorf("argument %q: cannot be sent in a query string", key)
		}
		q.Add(key, v)
	}
	return nil
}
