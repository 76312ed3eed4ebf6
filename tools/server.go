package tools

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// NewServer builds the MCP server for a registry's tools. Tool errors are
// logged once, here, with the tool's name; they reach the model as results.
func NewServer(reg *Registry, log *slog.Logger) *server.MCPServer {
	if log == nil {
		log = slog.Default()
	}
	hooks := &server.Hooks{}
	hooks.AddOnRequestInitialization(unknownToolHook(reg))
	opts := []server.ServerOption{
		server.WithToolCapabilities(false),
		server.WithRecovery(),
		server.WithResourceRecovery(),
		// Clients may set a log level (logging/setLevel) to hear of
		// retries, waits and cut results; the server's own log stays on
		// stderr.
		server.WithLogging(),
		server.WithInstructions(instructionsFor(reg)),
		server.WithPromptCapabilities(false),
		server.WithHooks(hooks),
	}
	if reg.confirm {
		opts = append(opts, server.WithElicitation())
	}
	opts = append(opts, reg.resources.options(hooks)...)
	extras := newServerExtras(reg.confirm, hooks)
	extras.passingHooks = len(hooks.OnRequestInitialization) // unknownToolHook's and the extras' own
	extras.served = map[string]bool{}
	for _, t := range reg.Tools() {
		extras.served[t.Name()] = true
	}
	s := server.NewMCPServer("dbx-mcp", client.Version, opts...)
	extras.attach(s)
	for _, t := range reg.Tools() {
		s.AddTool(t.Definition, logged(t.Name(), t.Handler, log))
	}
	reg.resources.register(s)
	addPrompts(s, reg)
	extras.catchServer(s)
	return s
}

// unknownToolHook answers a tools/call for a tool the server does not
// offer with a message that names the nearest tools, which mcp-go's own
// answer ("tool 'x' not found") does not. A request-initialization hook is
// the one place mcp-go lets a server refuse a request with its own words
// before the tool lookup; its answer is a JSON-RPC error with code -32600
// (invalid request) rather than mcp-go's -32602.
func unknownToolHook(reg *Registry) server.OnRequestInitializationFunc {
	served := map[string]bool{}
	var names []string
	for _, t := range reg.Tools() {
		served[t.Name()] = true
		names = append(names, t.Name())
	}
	return func(_ context.Context, _ any, message any) error {
		raw, ok := message.(json.RawMessage)
		if !ok || !bytes.Contains(raw, []byte(mcp.MethodToolsCall)) {
			return nil // most messages are not a tools/call: no decoding for them
		}
		if name, ok := toolNameOf(raw); ok {
			if name == nil || served[*name] {
				return nil
			}
			return errors.New(UnknownToolMessage(reg, *name))
		}
		var m struct {
			Method string `json:"method"`
			Params struct {
				Name *string `json:"name"`
			} `json:"params"`
		}
		if json.Unmarshal(raw, &m) != nil || m.Method != string(mcp.MethodToolsCall) || m.Params.Name == nil || served[*m.Params.Name] {
			return nil
		}
		return errors.New(UnknownToolMessage(reg, *m.Params.Name))
	}
}

// UnknownToolMessage says why a tool name is not served and what to call
// instead: the nearest offered name, the discovery meta-tool that reaches
// it, or the start-up option that would offer it.
func UnknownToolMessage(reg *Registry, name string) string {
	msg := fmt.Sprintf("tool %q not found", name)
	if _, ok := reg.LookupOperation(name); ok {
		return msg + fmt.Sprintf(" among the listed tools: in discovery mode call it through %s with {\"name\":%q,\"arguments\":{...}}", InvokeToolName, name)
	}
	var offered []string
	for _, t := range reg.Operations() {
		offered = append(offered, t.Name())
	}
	if reg.mode == ModeDiscovery {
		for _, t := range reg.Tools() {
			offered = append(offered, t.Name())
		}
	}
	if sug := Suggest(name, offered); sug != "" {
		return msg + fmt.Sprintf("; did you mean %s?", sug)
	}
	if slices.Contains(ToolNames(), name) {
		return msg + ": this server does not offer it (its toolset is not selected, or the server is read-only); start it with --toolsets or --tools naming it"
	}
	if sug := Suggest(name, ToolNames()); sug != "" {
		return msg + fmt.Sprintf("; did you mean %s? (not offered by this server: start it with --toolsets or --tools naming it)", sug)
	}
	return msg + "; tools/list names the tools offered"
}

func logged(name string, h server.ToolHandlerFunc, log *slog.Logger) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		start := time.Now()
		res, err := h(ctx, req)
		switch {
		case ctx.Err() != nil:
			log.Info("tool call cancelled", "tool", name, "duration", time.Since(start))
		case err != nil:
			log.Warn("tool call failed", "tool", name, "error", err.Error(), "duration", time.Since(start))
		case res != nil && res.IsError:
			log.Info("tool call returned an error", "tool", name, "error", firstText(res), "duration", time.Since(start))
		default:
			log.Debug("tool call", "tool", name, "duration", time.Since(start))
		}
		return res, err
	}
}

// firstText is the start of a result's text for a log line: its first line,
// and for argument errors the first problem too.
func firstText(res *mcp.CallToolResult) string {
	for _, c := range res.Content {
		if t, ok := c.(mcp.TextContent); ok {
			lines := strings.SplitN(t.Text, "\n", 3)
			if len(lines) > 1 && strings.HasPrefix(lines[1], "- ") {
				return lines[0] + " " + lines[1]
			}
			return lines[0]
		}
	}
	return ""
}

// HTTPOptions secures the streamable HTTP endpoint.
type HTTPOptions struct {
	// Addr is the listen address; it decides which defaults apply.
	Addr string
	// BearerToken, when set, must be presented by every request as
	// "Authorization: Bearer <token>". Required off loopback.
	BearerToken string
	// AllowedOrigins are the browser origins (scheme://host[:port]) allowed
	// besides the server's own.
	AllowedOrigins []string
	// AllowedHosts are extra Host header values accepted besides loopback
	// names and the listen address.
	AllowedHosts []string
	// SessionIdle ends a session (protocol revisions before 2026-07-28)
	// after this long with nothing running in it; later requests with
	// its id get 404. Zero means DefaultHTTPSessionIdle.
	SessionIdle time.Duration
	// MaxBody is the largest request body accepted, in bytes; a larger
	// one gets 413 before it is read into memory. Zero means
	// DefaultHTTPMaxBody.
	MaxBody int64
	Logger  *slog.Logger
}

// DefaultHTTPMaxBody is the request body limit unless configured: room
// for the largest argument a tool takes (a 1 MB DBFS block, base64) many
// times over.
const DefaultHTTPMaxBody = 16 << 20

// DefaultHTTPSessionIdle is how long an idle HTTP session lasts unless
// configured: longer than any tool waits (MaxWaitSeconds), so a client
// that polls a slow operation keeps its session.
const DefaultHTTPSessionIdle = 30 * time.Minute

// EndpointPath is where the streamable HTTP transport is served.
const EndpointPath = "/mcp"

// NewHTTPHandler serves s over streamable HTTP at /mcp behind the checks a
// network-facing MCP server needs: the Host header (against DNS rebinding),
// the Origin header (against cross-site browser requests), when configured
// a bearer token compared in constant time, and a body size limit. It keeps
// the session rules mcp-go leaves loose: only sessions the server issued
// and holds are served, idle ones end, and no caller reaches another's
// call by its request id. The handler has a CloseStreams method, for
// http.Server.RegisterOnShutdown.
func NewHTTPHandler(s *server.MCPServer, opts HTTPOptions) (http.Handler, error) {
	host, _, err := net.SplitHostPort(opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen address %q: %w", opts.Addr, err)
	}
	loopback := client.IsLoopback(host)
	if !loopback && opts.BearerToken == "" {
		return nil, fmt.Errorf("listening on %s (not loopback) requires a bearer token for the MCP endpoint: set --http-token or DBX_MCP_HTTP_TOKEN", opts.Addr)
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	g := &guard{
		token:    []byte(opts.BearerToken),
		origins:  normalizeOrigins(opts.AllowedOrigins),
		hosts:    opts.AllowedHosts,
		bindHost: host,
		loopback: loopback,
		log:      log,
	}
	g.maxBody = opts.MaxBody
	if g.maxBody <= 0 {
		g.maxBody = DefaultHTTPMaxBody
	}
	idle := opts.SessionIdle
	if idle <= 0 {
		idle = DefaultHTTPSessionIdle
	}
	g.sessions = newHTTPSessions(idle, g.endSession)
	g.srv, g.extras = s, extrasOf(s)
	// The guard calls Handle, not ServeHTTP: it has read the body already,
	// and checks Host itself (honouring AllowedHosts), which is all the
	// ServeHTTP wrapper would add for this configuration.
	g.mcp = server.NewStreamableHTTPServer(s,
		server.WithEndpointPath(EndpointPath),
		server.WithSessionIdManager(g.sessions),
		server.WithStreamableHTTPLogger(log),
	)
	g.own = g.extras != nil
	g.versions = server.FilterSupportedVersions(g.mcp)
	return g, nil
}

type guard struct {
	mcp      *server.StreamableHTTPServer
	srv      *server.MCPServer
	extras   *serverExtras // nil for a server NewServer did not build
	sessions *httpSessions
	// own: the guard serves the sessions itself (initialize, every
	// request, the client's responses, GET streams) and mcp-go's server
	// holds an mcpSession for each, for a server NewServer built; for any
	// other server mcp-go's transport serves them.
	own      bool
	versions []string // the protocol versions the transport serves
	maxBody  int64
	token    []byte
	origins  []string
	hosts    []string
	bindHost string
	loopback bool
	log      *slog.Logger
}

// CloseStreams ends the open event streams (GET) of every session, which
// would otherwise hold their connections open through a server's
// graceful shutdown: pass it to http.Server.RegisterOnShutdown. Calls in
// progress go on and answer.
func (g *guard) CloseStreams() { g.sessions.closeStreams() }

func (g *guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != EndpointPath {
		http.NotFound(w, r)
		return
	}
	if !g.hostAllowed(r.Host) {
		g.log.Warn("refused MCP request: Host not allowed", "host", r.Host, "remote", r.RemoteAddr)
		http.Error(w, "Forbidden: Host header not allowed", http.StatusForbidden)
		return
	}
	if origin := r.Header.Get("Origin"); origin != "" && !g.originAllowed(origin, r.Host) {
		g.log.Warn("refused MCP request: Origin not allowed", "origin", origin, "remote", r.RemoteAddr)
		http.Error(w, "Forbidden: Origin not allowed", http.StatusForbidden)
		return
	}
	if len(g.token) > 0 {
		scheme, got, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), g.token) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="dbx-mcp"`)
			http.Error(w, "Unauthorized: a valid bearer token is required", http.StatusUnauthorized)
			return
		}
	}
	switch r.Method {
	case http.MethodPost:
		g.post(w, r)
	case http.MethodGet, http.MethodDelete:
		g.sessionMethod(w, r)
	default:
		g.forward(w, r, r.Context(), nil)
	}
}

// post checks a message against the session rules before mcp-go sees it.
// Revisions before 2026-07-28 address everything but initialize to a
// session the server issued: no id is a malformed request (400), an id the
// server does not hold is 404. 2026-07-28 has no sessions.
func (g *guard) post(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > g.maxBody {
		g.tooLarge(w)
		return
	}
	// A body of unannounced length (chunked) is cut at the limit.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, g.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			g.tooLarge(w)
			return
		}
		http.Error(w, "Bad Request: reading the body failed", http.StatusBadRequest)
		return
	}
	var msg postedMessage
	if json.Unmarshal(body, &msg) != nil {
		g.forward(w, r, r.Context(), body) // mcp-go answers the parse error
		return
	}
	if modernMessage(r.Header, msg.Params) {
		if msg.Method == string(mcp.MethodNotificationCancelled) {
			// mcp-go keys calls to cancel by session id and request id,
			// and every sessionless caller has the same empty session id:
			// passed on, this would cancel whichever caller's call has
			// that request id. A 2026-07-28 call is cancelled by ending
			// its own HTTP request instead.
			g.log.Debug("dropped a sessionless notifications/cancelled", "remote", r.RemoteAddr)
			w.WriteHeader(http.StatusAccepted)
			return
		}
		g.forward(w, r, r.Context(), body)
		return
	}
	if msg.Method == string(mcp.MethodInitialize) {
		if !g.own || !jsonBody(r) {
			g.forward(w, r, r.Context(), body) // opens a session, or refuses the body
			return
		}
		g.initialize(w, r, body)
		return
	}
	id := r.Header.Get(server.HeaderKeySessionID)
	if id == "" {
		http.Error(w, "Bad Request: Mcp-Session-Id header required; send initialize first", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	c := &httpCall{cancel: cancel}
	if msg.Method != "" {
		c.id = idKey(msg.ID)
	}
	if !g.sessions.enter(id, c) {
		http.Error(w, "Not Found: no such session (it ended or was never issued); initialize a new one", http.StatusNotFound)
		return
	}
	defer g.sessions.leave(id, c)
	if msg.Method == string(mcp.MethodNotificationCancelled) {
		// mcp-go cancels the call's handler; ending the call's own request
		// too makes mcp-go send no reply for it, as the specification asks
		// (it writes nothing once a request's context has ended).
		var p struct {
			RequestID json.RawMessage `json:"requestId"`
		}
		if json.Unmarshal(msg.Params, &p) == nil {
			g.sessions.cancel(id, idKey(p.RequestID))
		}
	}
	if g.own && msg.Method == "" && len(msg.ID) > 0 {
		v := r.Header.Get(mcp.HeaderProtocolVersion)
		if jsonBody(r) && (v == "" || mcp.IsValidProtocolVersion(v)) {
			g.clientResponse(w, id, msg)
			return
		}
		// mcp-go refuses it (400) without looking at the session.
	}
	hw := newHTTPWriter(w)
	answerable := string(msg.ID) != "null" && (len(msg.ID) > 0 || g.own)
	if !answerable || !g.answer(hw, r, ctx, id, msg.Method, body) {
		g.mcp.Handle(hw, &server.HTTPRequest{Method: r.Method, URL: r.URL, Header: r.Header, Body: body, Context: ctx})
	}
	if c.cancelled.Load() && !hw.wrote.Load() {
		w.WriteHeader(http.StatusAccepted) // no JSON-RPC reply, but an HTTP answer
	}
}

// postedMessage is what the guard reads of a POST's JSON-RPC message.
type postedMessage struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"` // of the client's response
	Error  json.RawMessage `json:"error"`  // of the client's response
}

func (g *guard) tooLarge(w http.ResponseWriter) {
	// The rest of the body is not read; the connection can't be reused.
	w.Header().Set("Connection", "close")
	http.Error(w, fmt.Sprintf("Request Entity Too Large: a body may have at most %d bytes", g.maxBody), http.StatusRequestEntityTooLarge)
}

// sessionMethod admits a GET (the server-to-client stream) or a DELETE
// (the end of a session) only for a live session. 2026-07-28 clients have
// neither; mcp-go tells them so (405).
func (g *guard) sessionMethod(w http.ResponseWriter, r *http.Request) {
	if mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion)) {
		g.forward(w, r, r.Context(), nil)
		return
	}
	id := r.Header.Get(server.HeaderKeySessionID)
	if id == "" {
		http.Error(w, "Bad Request: Mcp-Session-Id header required", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	c := &httpCall{cancel: cancel, stream: r.Method == http.MethodGet}
	if !g.sessions.enter(id, c) {
		http.Error(w, "Not Found: no such session (it ended or was never issued)", http.StatusNotFound)
		return
	}
	defer g.sessions.leave(id, c)
	if g.own && r.Method == http.MethodGet {
		g.stream(w, r, ctx, id)
		return
	}
	g.forward(w, r, ctx, nil)
}

// endSession makes mcp-go forget a session the table has ended, by
// handing it the DELETE a client would send: short of its own idle sweeper,
// mcp-go has no other way to free one session's state.
func (g *guard) endSession(id string) {
	h := http.Header{}
	h.Set(server.HeaderKeySessionID, id)
	g.mcp.Handle(discardWriter{http.Header{}}, &server.HTTPRequest{Method: http.MethodDelete, Header: h, Context: context.Background()})
	g.log.Info("HTTP session ended after idling", "idle", g.sessions.idle)
}

type discardWriter struct{ h http.Header }

func (d discardWriter) Header() http.Header       { return d.h }
func (discardWriter) WriteHeader(int)             {}
func (discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (discardWriter) Flush()                      {}
func (discardWriter) CanStream() bool             { return false }

// modernMessage reports whether a POST speaks protocol 2026-07-28 or
// later, by the rule mcp-go applies: either the Mcp-Protocol-Version
// header or the body's _meta names such a version.
func modernMessage(h http.Header, params json.RawMessage) bool {
	var p struct {
		Meta *mcp.Meta `json:"_meta"`
	}
	if len(params) > 0 && json.Unmarshal(params, &p) == nil && mcp.IsModernProtocol(p.Meta.ProtocolVersion()) {
		return true
	}
	return mcp.IsModernProtocol(h.Get(mcp.HeaderProtocolVersion))
}

// forward hands the request to mcp-go with ctx as its context and body as
// its already-read body.
func (g *guard) forward(w http.ResponseWriter, r *http.Request, ctx context.Context, body []byte) {
	hw := newHTTPWriter(w)
	g.mcp.Handle(hw, &server.HTTPRequest{Method: r.Method, URL: r.URL, Header: r.Header, Body: body, Context: ctx})
}

// httpWriter is the server.HTTPResponseWriter the guard hands mcp-go.
type httpWriter struct {
	w       http.ResponseWriter
	flusher http.Flusher
	wrote   atomic.Bool // whether mcp-go began an answer
}

func newHTTPWriter(w http.ResponseWriter) *httpWriter {
	hw := &httpWriter{w: w}
	hw.flusher, _ = w.(http.Flusher)
	return hw
}

func (hw *httpWriter) Header() http.Header { return hw.w.Header() }
func (hw *httpWriter) WriteHeader(code int) {
	hw.wrote.Store(true)
	hw.w.WriteHeader(code)
}
func (hw *httpWriter) Write(p []byte) (int, error) {
	hw.wrote.Store(true)
	return hw.w.Write(p)
}
func (hw *httpWriter) Flush() {
	if hw.flusher != nil {
		hw.flusher.Flush()
	}
}
func (hw *httpWriter) CanStream() bool { return hw.flusher != nil }

func (g *guard) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if client.IsLoopback(host) || slices.ContainsFunc(g.hosts, func(h string) bool { return strings.EqualFold(h, host) || strings.EqualFold(h, hostport) }) {
		return true
	}
	if g.loopback {
		return false
	}
	// Off loopback the bearer token is the gate; a Host check would only
	// break reverse proxies, unless the operator listed hosts.
	return len(g.hosts) == 0 || strings.EqualFold(host, g.bindHost)
}

// originAllowed admits a browser only from the server's own origin (a page
// the server itself would have served) or from an origin the operator
// listed. Other local pages are refused too: a web page on another local
// port is as foreign to this server as one on the internet.
func (g *guard) originAllowed(origin, host string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	if slices.Contains(g.origins, strings.ToLower(u.Scheme+"://"+u.Host)) {
		return true
	}
	return strings.EqualFold(u.Host, host) && g.hostAllowed(host)
}

func normalizeOrigins(in []string) []string {
	out := make([]string, 0, len(in))
	for _, o := range in {
		out = append(out, strings.ToLower(strings.TrimSuffix(strings.TrimSpace(o), "/")))
	}
	return out
}
