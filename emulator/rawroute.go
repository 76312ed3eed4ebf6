package emulator

import (
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
)

// Raw routes serve operations that are not JSON calls: the Files API takes
// and answers raw bytes, answers metadata in headers, and addresses a file
// by the rest of the URL path (/api/2.0/fs/files/Volumes/...). A raw route
// is declared with a path ending in a {name...} placeholder; every request
// under its literal prefix reaches it.

// rawHandlerFunc serves one raw operation. It runs with e.mu held; rest is
// the decoded URL path after the route's prefix ("" or starting with /).
// body is the request body, read before the lock was taken (at most
// maxRawBodyBytes). It writes the answer itself and returns its status, or
// an API error that is answered in the Databricks envelope.
type rawHandlerFunc func(w http.ResponseWriter, r *http.Request, rest string, body []byte) (int, *apiError)

// maxRawBodyBytes bounds a raw request body: the emulator holds uploaded
// files in memory (Databricks takes files up to 5 GiB). It leaves room for
// the streaming transfer tests' file of more than 64 MiB.
const maxRawBodyBytes = 128 << 20

type rawRoute struct {
	Route
	prefix string
	handle rawHandlerFunc
}

// handleRaw registers a raw operation; path must end in {name...}.
func (e *Emulator) handleRaw(method, path string, h rawHandlerFunc) {
	i := strings.LastIndex(path, "{")
	if i < 0 || !strings.HasSuffix(path, "...}") {
		panic(fmt.Sprintf("emulator: raw route %s %s needs a trailing {name...}", method, path))
	}
	for _, rr := range e.rawRoutes {
		if rr.Method == method && rr.prefix == path[:i] {
			panic(fmt.Sprintf("emulator: %s %s declared twice", method, path))
		}
	}
	e.rawRoutes = append(e.rawRoutes, rawRoute{Route: Route{Method: method, Path: path}, prefix: path[:i], handle: h})
}

// matchRaw finds the raw route serving method and path.
func (e *Emulator) matchRaw(method, path string) (*rawRoute, string) {
	for i := range e.rawRoutes {
		rr := &e.rawRoutes[i]
		if rr.Method != method {
			continue
		}
		if rest, ok := strings.CutPrefix(path, rr.prefix); ok && (rest == "" || rest[0] == '/') {
			return rr, rest
		}
	}
	return nil, ""
}

// serveRaw reads the body, then runs a raw handler under the workspace
// lock, so a slow client cannot stall other callers; a panic becomes a 500,
// as for JSON routes.
func (e *Emulator) serveRaw(rr *rawRoute, w http.ResponseWriter, r *http.Request, rest string) (status int) {
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = io.ReadAll(io.LimitReader(r.Body, maxRawBodyBytes+1)); err != nil {
			return writeError(w, malformed("Could not read the request body."))
		}
		if len(body) > maxRawBodyBytes {
			return writeError(w, errorf(http.StatusRequestEntityTooLarge, "RESOURCE_EXHAUSTED",
				"The emulator holds request bodies of at most %d bytes in memory.", maxRawBodyBytes))
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	defer func() {
		if p := recover(); p != nil {
			e.logger.Error("emulator handler panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			status = writeError(w, errorf(http.StatusInternalServerError, "INTERNAL_ERROR", "The emulator failed to handle the request."))
		}
	}()
	status, aerr := rr.handle(w, r, rest, body)
	if aerr != nil {
		return writeError(w, aerr)
	}
	return status
}

// allRoutes is the JSON and raw routes together, sorted by path and method.
func (e *Emulator) allRoutes() []Route {
	out := make([]Route, 0, len(e.routes)+len(e.rawRoutes))
	for _, r := range e.routes {
		out = append(out, r.Route)
	}
	for _, r := range e.rawRoutes {
		out = append(out, r.Route)
	}
	slices.SortFunc(out, func(a, b Route) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Method, b.Method)
	})
	return out
}
