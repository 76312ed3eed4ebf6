package emulator

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Route is one operation the emulator serves.
type Route struct {
	// Method is the HTTP method, such as "GET".
	Method string
	// Path is the URL path; path parameters are written {name}.
	Path string
}

// handlerFunc serves one operation. It runs with e.mu held and returns the
// response body (nil for an empty object) or an API error.
type handlerFunc func(p *params) (any, *apiError)

type route struct {
	Route
	segments []string
	handle   handlerFunc
	scim     bool // errors go out in SCIM shape
}

// maxBodyBytes bounds request bodies: room for the largest legitimate JSON
// request, a 10 MB workspace import (about 13.4 MB as base64), as 16 MiB
// is serve's own --http-max-body default.
const maxBodyBytes = 16 << 20

// areas are the API areas' declarations, each registered from its own file
// with declareArea, so adding an area touches nothing here.
var areas []func(*Emulator)

// declareArea registers an area's declaration; files call it in a package
// variable's initializer: var _ = declareArea((*Emulator).declareTokens).
func declareArea(declare func(*Emulator)) bool {
	areas = append(areas, declare)
	return true
}

// declare registers every operation the emulator serves.
func (e *Emulator) declare() {
	e.declaring = true
	for _, declare := range areas {
		declare(e)
	}
	e.declaring = false
	e.sortRoutes()
}

// handle registers one operation with its handler.
func (e *Emulator) handle(method, path string, h handlerFunc) { e.addRoute(method, path, false, h) }

// addRoute adds a route to the routes, which are kept sorted by path and
// method (at the end of declare while it runs: sorting on every addition
// moved the whole table each time).
func (e *Emulator) addRoute(method, path string, scim bool, h handlerFunc) {
	e.routes = append(e.routes, route{
		Route:    Route{Method: method, Path: path},
		segments: strings.Split(strings.Trim(path, "/"), "/"),
		handle:   h,
		scim:     scim,
	})
	if !e.declaring {
		e.sortRoutes()
	}
}

// sortRoutes sorts the routes by path and method. A route declared twice is
// a bug in the declarations and panics when the emulator is made.
func (e *Emulator) sortRoutes() {
	byRoute := func(a, b route) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), strings.Compare(a.Method, b.Method))
	}
	slices.SortStableFunc(e.routes, byRoute)
	for i := 1; i < len(e.routes); i++ {
		if byRoute(e.routes[i-1], e.routes[i]) == 0 {
			panic(fmt.Sprintf("emulator: %s %s declared twice", e.routes[i].Method, e.routes[i].Path))
		}
	}
}

// Routes lists every operation the emulator serves, sorted by path and
// method, so that callers can check their endpoint declarations against it.
func (e *Emulator) Routes() []Route { return e.allRoutes() }

// match finds the route for method and path. Literal segments win over
// {param} segments, so /token/list is never taken for /token/{token_id}.
func (e *Emulator) match(method, path string) (*route, map[string]string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	var best *route
	var bestVars map[string]string
	bestLiterals := -1
	for i := range e.routes {
		r := &e.routes[i]
		if r.Method != method || len(r.segments) != len(segs) {
			continue
		}
		vars := map[string]string{}
		literals := 0
		ok := true
		for k, s := range r.segments {
			if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
				if segs[k] == "" {
					ok = false
					break
				}
				vars[s[1:len(s)-1]] = segs[k]
				continue
			}
			if s != segs[k] {
				ok = false
				break
			}
			literals++
		}
		if ok && literals > bestLiterals {
			best, bestVars, bestLiterals = r, vars, literals
		}
	}
	return best, bestVars
}

// apiError is an error response in the Databricks envelope.
type apiError struct {
	status int
	code   string
	msg    string
}

func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, msg: fmt.Sprintf(format, args...)}
}

func invalidParam(format string, args ...any) *apiError {
	return errorf(http.StatusBadRequest, "INVALID_PARAMETER_VALUE", format, args...)
}

func malformed(format string, args ...any) *apiError {
	return errorf(http.StatusBadRequest, "MALFORMED_REQUEST", format, args...)
}

func notFound(format string, args ...any) *apiError {
	return errorf(http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", format, args...)
}

func invalidState(format string, args ...any) *apiError {
	return errorf(http.StatusBadRequest, "INVALID_STATE", format, args...)
}

func missingField(name string) *apiError {
	return invalidParam("Missing required field: %s", name)
}

// ServeHTTP serves one REST call: it authenticates the bearer token, routes
// by method and path, decodes the parameters and runs the operation.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	reqID := newUUID()
	w.Header().Set("X-Request-Id", reqID)
	status := e.serve(w, r)
	e.logger.Debug("emulator request",
		"method", r.Method, "path", r.URL.Path, "status", status,
		"request_id", reqID, "duration", time.Since(start))
}

func (e *Emulator) serve(w http.ResponseWriter, r *http.Request) int {
	token, aerr := bearerToken(r)
	if aerr != nil {
		return writeError(w, aerr)
	}
	e.mu.Lock()
	aerr = e.authenticate(token)
	e.mu.Unlock()
	if aerr != nil {
		return writeError(w, aerr)
	}
	if rr, rest := e.matchRaw(r.Method, r.URL.Path); rr != nil {
		return e.serveRaw(rr, w, r, rest)
	}
	rt, vars := e.match(r.Method, r.URL.Path)
	if rt == nil {
		return writeError(w, errorf(http.StatusNotFound, "ENDPOINT_NOT_FOUND",
			"No API found for '%s %s'", r.Method, apiRelativePath(r.URL.Path)))
	}
	// The body is read before taking the lock so a slow client cannot stall
	// every other caller.
	p, aerr := readParams(r, vars)
	if aerr != nil {
		return rt.fail(w, aerr)
	}
	b, aerr := e.handleLocked(rt, p)
	if aerr != nil {
		return rt.fail(w, aerr)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	return http.StatusOK
}

// handleLocked runs a handler under the workspace lock and encodes its
// answer before letting go: answers share maps with the state (a cluster's
// spec), which the next request may change. A handler that panics becomes
// a 500 and leaves the lock free, so one bug cannot wedge every later call.
func (e *Emulator) handleLocked(rt *route, p *params) (b []byte, aerr *apiError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			e.logger.Error("emulator handler panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			b, aerr = nil, errorf(http.StatusInternalServerError, "INTERNAL_ERROR", "The emulator failed to handle the request.")
		}
	}()
	body, aerr := rt.handle(p)
	if aerr != nil {
		return nil, aerr
	}
	if body == nil {
		body = struct{}{}
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, errorf(http.StatusInternalServerError, "INTERNAL_ERROR", "The emulator could not encode its response.")
	}
	return b, nil
}

// apiRelativePath strips the /api/X.Y prefix, as Databricks does when it
// names an unknown endpoint ("No API found for 'GET /repos'").
// Compiled on first use, not at package initialisation.
var apiVersionPrefix = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^/api/[0-9]+\.[0-9]+(/|$)`) })

func apiRelativePath(path string) string {
	if loc := apiVersionPrefix().FindStringIndex(path); loc != nil {
		return "/" + path[loc[1]:]
	}
	return path
}

// bearerToken extracts the token of an "Authorization: Bearer" header.
func bearerToken(r *http.Request) (string, *apiError) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", errorf(http.StatusUnauthorized, "UNAUTHENTICATED",
			"Credential was not sent or was of an unsupported type for this API.")
	}
	return token, nil
}

func writeError(w http.ResponseWriter, e *apiError) int {
	if e.status == http.StatusForbidden || e.status == http.StatusUnauthorized {
		w.Header().Set("X-Databricks-Reason-Phrase", e.msg)
	}
	return writeJSON(w, e.status, map[string]string{"error_code": e.code, "message": e.msg})
}

// fail answers an error in the route's shape: the Databricks envelope, or
// for SCIM routes the RFC 7644 error with the status as a string.
func (rt *route) fail(w http.ResponseWriter, e *apiError) int {
	if !rt.scim {
		return writeError(w, e)
	}
	return writeJSON(w, e.status, map[string]any{
		"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:Error"},
		"detail":  e.msg,
		"status":  strconv.Itoa(e.status),
	})
}

func writeJSON(w http.ResponseWriter, status int, body any) int {
	b, err := json.Marshal(body)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error_code":"INTERNAL_ERROR","message":"the emulator could not encode its response"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
	return status
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// params holds the parameters of one call. GET and DELETE carry them in the
// query string, with nested objects flattened into dotted keys and arrays as
// repeated keys; the other methods carry a JSON object body. Path parameters
// come from the URL in both cases.
type params struct {
	query url.Values
	body  map[string]json.RawMessage
	path  map[string]string
}

func readParams(r *http.Request, vars map[string]string) (*params, *apiError) {
	p := &params{path: vars, query: r.URL.Query()}
	if r.Method == http.MethodGet || r.Method == http.MethodDelete || r.Method == http.MethodHead {
		return p, nil
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return nil, malformed("Could not read the request body.")
	}
	if len(raw) > maxBodyBytes {
		return nil, errorf(http.StatusRequestEntityTooLarge, "MAX_READ_SIZE_EXCEEDED",
			"Request body exceeds the maximum of %d bytes.", maxBodyBytes)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		p.body = map[string]json.RawMessage{}
		return p, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var obj map[string]json.RawMessage
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, malformed("Could not parse request object: the body is not a JSON object.")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, malformed("Could not parse request object: unexpected data after the JSON object.")
	}
	p.body = obj
	return p, nil
}

func (p *params) isQuery() bool { return p.body == nil }

// has reports whether the caller sent the field (a JSON null counts as not
// sent, as in the real API).
func (p *params) has(name string) bool {
	if v, ok := p.path[name]; ok {
		return v != ""
	}
	if p.isQuery() {
		_, ok := p.query[name]
		return ok
	}
	raw, ok := p.body[name]
	return ok && string(raw) != "null"
}

func (p *params) raw(name string) (json.RawMessage, bool) {
	if p.isQuery() {
		return nil, false
	}
	raw, ok := p.body[name]
	if !ok || string(raw) == "null" {
		return nil, false
	}
	return raw, true
}

func badType(name, want string) *apiError {
	return malformed("Could not parse request object: field '%s' must be %s.", name, want)
}

// str returns a string field ("" when absent).
func (p *params) str(name string) (string, *apiError) {
	if v, ok := p.path[name]; ok {
		return v, nil
	}
	if p.isQuery() {
		return p.query.Get(name), nil
	}
	raw, ok := p.raw(name)
	if !ok {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", badType(name, "a string")
	}
	return s, nil
}

// requiredStr returns a string field that must be present and non-empty.
func (p *params) requiredStr(name string) (string, *apiError) {
	s, aerr := p.str(name)
	if aerr != nil {
		return "", aerr
	}
	if s == "" {
		return "", missingField(name)
	}
	return s, nil
}

// int64 returns an integer field and whether it was present.
func (p *params) int64(name string) (int64, bool, *apiError) {
	if p.isQuery() {
		v := p.query.Get(name)
		if _, ok := p.query[name]; !ok || v == "" {
			return 0, false, nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, true, badType(name, "an integer")
		}
		return n, true, nil
	}
	raw, ok := p.raw(name)
	if !ok {
		return 0, false, nil
	}
	n, err := parseInt(raw)
	if err != nil {
		return 0, true, badType(name, "an integer")
	}
	return n, true, nil
}

// parseInt accepts a JSON integer, or a string holding one as proto3 JSON
// encodes int64 values.
func parseInt(raw json.RawMessage) (int64, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strconv.ParseInt(s, 10, 64)
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, err
	}
	return n.Int64()
}

// boolean returns a boolean field and whether it was present.
func (p *params) boolean(name string) (bool, bool, *apiError) {
	if p.isQuery() {
		v := p.query.Get(name)
		if _, ok := p.query[name]; !ok || v == "" {
			return false, false, nil
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return false, true, badType(name, "true or false")
		}
		return b, true, nil
	}
	raw, ok := p.raw(name)
	if !ok {
		return false, false, nil
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err != nil {
		return false, true, badType(name, "true or false")
	}
	return b, true, nil
}

// strs returns an array-of-strings field: repeated query keys, or a JSON
// array of strings.
func (p *params) strs(name string) ([]string, *apiError) {
	if p.isQuery() {
		return p.query[name], nil
	}
	raw, ok := p.raw(name)
	if !ok {
		return nil, nil
	}
	var out []string
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, badType(name, "an array of strings")
	}
	return out, nil
}

// object returns an object field as its members.
func (p *params) object(name string) (map[string]json.RawMessage, bool, *apiError) {
	raw, ok := p.raw(name)
	if !ok {
		return nil, false, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, true, badType(name, "an object")
	}
	return obj, true, nil
}

func oneOf(v string, allowed ...string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

func millis(t time.Time) int64 { return t.UnixMilli() }
