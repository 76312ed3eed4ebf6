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
	"sort"
	"strings"
	"sync"
)

// Endpoint declares one REST operation: its HTTP method, its path, and the
// Go types of its request and response. Everything else is derived from this
// one declaration: the typed Call, the raw Invoke used by the MCP tools, the
// tools' JSON Schemas, and how each request field travels (path, query or
// body).
//
// Request fields are routed by their struct tags. A field tagged in:"path"
// fills the {name} placeholder of Path with the same JSON name; in:"query"
// sends it as a query parameter. Every other field goes in the JSON body for
// POST, PUT and PATCH, and in the query string for GET, HEAD and DELETE.
// Nested objects in a query string are flattened with dots (filter_by.state)
// and arrays repeat the parameter, as the Databricks API expects.
type Endpoint[Req, Resp any] struct {
	// Service is the API area, the first part of the tool name ("clusters").
	Service string
	// Name is the operation, the rest of the tool name ("list_node_types").
	Name string
	// Method is the HTTP method.
	Method string
	// Path is the URL path, with {json_name} for path parameters.
	Path string
	// Idempotent declares that repeating the call after a failure in which
	// it may already have been applied is harmless (see Request.Idempotent).
	Idempotent bool

	once sync.Once
	plan *requestPlan
	err  error
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
	Service    string
	Name       string
	Method     string
	Path       string
	Idempotent bool
	// Request and Response are the Go types (never pointers).
	Request  reflect.Type
	Response reflect.Type
	// Params lists where each request field travels, by JSON name.
	Params map[string]ParamLocation
}

// ParamLocation says where a request field travels.
type ParamLocation string

// The places a request field can travel.
const (
	InPath  ParamLocation = "path"
	InQuery ParamLocation = "query"
	InBody  ParamLocation = "body"
)

// FullName is the tool name, <service>_<name>.
func (i OperationInfo) FullName() string { return i.Service + "_" + i.Name }

// Info describes the endpoint.
func (e *Endpoint[Req, Resp]) Info() OperationInfo {
	p := e.mustPlan()
	return OperationInfo{
		Service: e.Service, Name: e.Name, Method: e.Method, Path: e.Path, Idempotent: e.Idempotent,
		Request: reflect.TypeFor[Req](), Response: reflect.TypeFor[Resp](), Params: p.locations,
	}
}

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

// Invoke implements Operation.
func (e *Endpoint[Req, Resp]) Invoke(ctx context.Context, c *Client, args json.RawMessage) (json.RawMessage, error) {
	p := e.mustPlan()
	r, err := p.build(args)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e.fullName(), err)
	}
	r.Idempotent = r.Idempotent || e.Idempotent
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
	e.once.Do(func() { e.plan, e.err = newRequestPlan(e.Method, e.Path, reflect.TypeFor[Req]()) })
	if e.err != nil {
		panic(fmt.Sprintf("client: endpoint %s: %v", e.fullName(), e.err))
	}
	return e.plan
}

var pathParam = regexp.MustCompile(`\{([a-z0-9_]+)\}`)

// requestPlan is how one endpoint's request fields travel.
type requestPlan struct {
	method      string
	path        string
	pathParams  []string
	locations   map[string]ParamLocation
	defaultLoc  ParamLocation
	bodyAllowed bool
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
	for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
		if p.locations[m[1]] != InPath {
			return nil, fmt.Errorf("path parameter {%s} has no request field tagged in:\"path\"", m[1])
		}
		p.pathParams = append(p.pathParams, m[1])
	}
	for name, loc := range p.locations {
		if loc == InPath && !strings.Contains(path, "{"+name+"}") {
			return nil, fmt.Errorf("field %q is tagged in:\"path\" but the path has no {%s}", name, name)
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
		default:
			return fmt.Errorf("field %s: unknown in:%q", f.Name, in)
		}
		p.locations[name] = loc
	}
	return nil
}

// build routes the members of args to the path, query string and body.
func (p *requestPlan) build(args json.RawMessage) (*Request, error) {
	var members map[string]json.RawMessage
	if t := bytes.TrimSpace(args); len(t) > 0 && !bytes.Equal(t, []byte("null")) {
		if err := json.Unmarshal(t, &members); err != nil {
			return nil, fmt.Errorf("arguments must be a JSON object: %w", err)
		}
	}
	r := &Request{Method: p.method}
	path := p.path
	for _, name := range p.pathParams {
		raw, ok := members[name]
		v, isScalar := scalarText(raw)
		if !ok || !isScalar || v == "" {
			return nil, fmt.Errorf("path parameter %q is required and must be a non-empty string or number", name)
		}
		if v == "." || v == ".." {
			return nil, fmt.Errorf("path parameter %q must not be %q", name, v)
		}
		path = strings.Replace(path, "{"+name+"}", url.PathEscape(v), 1)
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
		case InBody:
			body[name] = raw
		}
	}
	if p.bodyAllowed {
		b, err := marshalSorted(body)
		if err != nil {
			return nil, err
		}
		r.Body = b
	}
	return r, nil
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
