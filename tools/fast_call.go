package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// A ToolCall is a tools/call request read once, ready to run without
// mcp-go's HandleMessage. HandleMessage decodes a call's message four
// times (its head, its protocol fields, its _meta, then the request with
// the arguments into a map nothing here reads) and sets up what only
// other requests use; for a list call that was more than the rest of the
// server's own work. PrepareCall reads the message in one pass and takes
// only the calls whose answer through it is the same: a plain request of
// a tool the server offers, with name and arguments and nothing else, so
// no progress token, task or protocol _meta; on a server NewServer built,
// without confirmation of destructive calls (elicitation) and without
// hooks on calls. Everything else is left to HandleMessage.
type ToolCall struct {
	extras  *serverExtras
	id      json.RawMessage
	idValue any // the id as HandleMessage decodes it (float64 or string)
	req     mcp.CallToolRequest
	tool    *server.ServerTool
	refused error // a request-initialization hook's refusal
}

// ID is the request's id, as the message spells it.
func (c *ToolCall) ID() json.RawMessage { return c.id }

// PrepareCall reads msg as a tools/call request for s, in the context the
// transport would hand HandleMessage (with the client session); ok is
// false, with nothing done, when the message is to go to HandleMessage.
// The request-initialization hooks run here, as HandleMessage runs them
// before anything else; a call one of them refuses is left to
// HandleMessage, which gives the refusal.
func PrepareCall(ctx context.Context, s *server.MCPServer, msg []byte) (*ToolCall, bool) {
	return CallPreparer(s)(ctx, msg)
}

// CallPreparer is PrepareCall for s, with what it needs of s looked up
// once.
func CallPreparer(s *server.MCPServer) func(ctx context.Context, msg []byte) (*ToolCall, bool) {
	ex := extrasOf(s)
	return func(ctx context.Context, msg []byte) (*ToolCall, bool) {
		if ex == nil {
			return nil, false
		}
		return ex.prepare(ctx, s, msg)
	}
}

func (ex *serverExtras) prepare(ctx context.Context, s *server.MCPServer, msg []byte) (*ToolCall, bool) {
	if !ex.fastCalls() {
		return nil, false
	}
	id, name, args, ok := plainToolCall(msg)
	if !ok || (ex.served != nil && !ex.served[name]) {
		return nil, false
	}
	tool := s.GetTool(name)
	if tool == nil || tool.Tool.Execution != nil {
		return nil, false
	}
	if st, ok := server.ClientSessionFromContext(ctx).(server.SessionWithTools); ok {
		if _, own := st.GetSessionTools()[name]; own {
			return nil, false
		}
	}
	c := &ToolCall{extras: ex, id: id, tool: tool, idValue: idValue(id)}
	if c.idValue == nil {
		return nil, false
	}
	c.req.Method = string(mcp.MethodToolsCall)
	c.req.Params.Name = name
	c.req.Header = http.Header{}
	if len(args) > 0 {
		// Decoded as mcp-go decodes them, for handlers that read the
		// arguments as a map; arguments it cannot decode (a number beyond
		// float64) are left to HandleMessage, which refuses the request.
		// Before the hooks, so that they run once either way.
		if json.Unmarshal(args, &c.req.Params.Arguments) != nil {
			return nil, false
		}
		// A copy, as mcp-go keeps: the message's buffer is the caller's.
		c.req.Params.RawArguments = append(json.RawMessage(nil), args...)
	}
	// The hooks NewServer added pass every call of a tool it serves
	// (checked above); the others run as HandleMessage runs them, and a
	// refusal is answered as it answers one.
	if hooks := ex.hooks.OnRequestInitialization; len(hooks) > ex.passingHooks {
		hctx := ex.withServer(ctx)
		for _, hook := range hooks[ex.passingHooks:] {
			if err := hook(hctx, c.idValue, json.RawMessage(msg)); err != nil {
				c.refused = err
				break
			}
		}
	}
	return c, true
}

// Run calls the tool in ctx (the transport's, with the client session,
// cancelled when the client cancels the call) and returns the answer
// HandleMessage would: the tool's result, or an internal error when its
// handler fails, panics or returns nothing.
func (c *ToolCall) Run(ctx context.Context) mcp.JSONRPCMessage {
	if c.refused != nil {
		return c.errorAnswer(mcp.INVALID_REQUEST, c.refused.Error(), nil)
	}
	// A request without _meta is of the protocol's earlier era, as
	// HandleMessage records it.
	ctx = server.WithRequestProtocolInfo(c.extras.withServer(ctx), &server.RequestProtocolInfo{})
	handler := c.extras.chain(c.tool.Handler)
	result, err := handler(ctx, c.req)
	switch {
	case err != nil:
		if required, ok := urlElicitationRequired(err); ok {
			details := required.JSONRPCError().Error
			return c.errorAnswer(details.Code, err.Error(), details.Data)
		}
		return c.internalError(err)
	case result == nil:
		return c.internalError(fmt.Errorf("tool '%s' handler returned no result", c.req.Params.Name))
	case result.NeedsInput():
		// No tool here asks for input this way; HandleMessage would
		// resolve it, which this path cannot.
		return c.internalError(errors.New("tool asked for input, which this server does not support on this path"))
	}
	return mcp.NewJSONRPCResultResponse(mcp.NewRequestId(c.idValue), result)
}

func (c *ToolCall) internalError(err error) mcp.JSONRPCMessage {
	return c.errorAnswer(mcp.INTERNAL_ERROR, err.Error(), nil)
}

func (c *ToolCall) errorAnswer(code int, message string, data any) mcp.JSONRPCMessage {
	return mcp.JSONRPCError{
		JSONRPC: mcp.JSONRPC_VERSION,
		ID:      mcp.NewRequestId(c.idValue),
		Error:   mcp.NewJSONRPCErrorDetails(code, message, data),
	}
}

// urlElicitationRequired finds the error a handler returns to send the
// user to a URL, which HandleMessage answers with its own code and data
// for clients of the earlier protocol era, as a request without _meta is.
func urlElicitationRequired(err error) (mcp.URLElicitationRequiredError, bool) {
	var required mcp.URLElicitationRequiredError
	if errors.As(err, &required) {
		return required, true
	}
	var pointer *mcp.URLElicitationRequiredError
	if errors.As(err, &pointer) && pointer != nil {
		return *pointer, true
	}
	return required, false
}

// UseToolMiddleware adds mw to s's tool handlers, as s.Use does, so that
// calls PrepareCall takes go through it too. A server NewServer built must
// be given its middleware this way: one added with s.Use alone would be
// skipped by those calls.
func UseToolMiddleware(s *server.MCPServer, mw server.ToolHandlerMiddleware) {
	s.Use(mw)
	if ex := extrasOf(s); ex != nil {
		ex.mu.Lock()
		ex.middleware = append(slices.Clip(ex.middleware), mw)
		ex.mu.Unlock()
	}
}

// chain wraps a tool's handler as HandleMessage does: in the middleware
// added through UseToolMiddleware, the first added outermost, all inside
// the panic recovery NewServer asks of mcp-go (server.WithRecovery).
func (ex *serverExtras) chain(h server.ToolHandlerFunc) server.ToolHandlerFunc {
	ex.mu.Lock()
	mws := ex.middleware
	ex.mu.Unlock()
	for _, mw := range slices.Backward(mws) {
		h = mw(h)
	}
	return recovered(h)
}

// recovered turns a panic of h into the error server.WithRecovery makes
// of it.
func recovered(h server.ToolHandlerFunc) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (result *mcp.CallToolResult, err error) {
		defer func() {
			if r := recover(); r != nil {
				result, err = nil, fmt.Errorf("panic recovered in %s tool handler: %v", req.Params.Name, r)
			}
		}()
		return h(ctx, req)
	}
}

// fastCalls reports whether PrepareCall may take calls of the server:
// mcp-go's server value was caught for handlers' contexts, no destructive
// call asks for confirmation, and no hook watches tool calls (it would
// be skipped).
func (ex *serverExtras) fastCalls() bool {
	if ex.confirm || ex.serverCtx.Load() == nil {
		return false
	}
	h := ex.hooks
	return len(h.OnBeforeAny) == 0 && len(h.OnSuccess) == 0 && len(h.OnError) == 0 &&
		len(h.OnBeforeCallTool) == 0 && len(h.OnAfterCallTool) == 0
}

// catchServer runs a ping through s so that a request-initialization hook
// catches the context HandleMessage gives hooks: one holding mcp-go's
// server value, which handlers read (server.ServerFromContext) to notify
// the client, and which only HandleMessage can set. The context is kept
// only if it holds s, and nothing of any session: it derives from the
// background context.
func (ex *serverExtras) catchServer(s *server.MCPServer) {
	ctx := context.WithValue(context.Background(), catchServerKey{}, ex)
	s.HandleMessage(ctx, json.RawMessage(`{"jsonrpc":"2.0","id":0,"method":"ping"}`))
	if c := ex.serverCtx.Load(); c == nil || server.ServerFromContext(*c) != s {
		ex.serverCtx.Store(nil)
	}
}

type catchServerKey struct{}

// catchServerHook is the hook catchServer relies on.
func (ex *serverExtras) catchServerHook(ctx context.Context, _ any, _ any) error {
	if ex.serverCtx.Load() == nil && ctx.Value(catchServerKey{}) == ex {
		c := context.WithoutCancel(ctx)
		ex.serverCtx.Store(&c)
	}
	return nil
}

// withServer is ctx with mcp-go's server value besides its own.
func (ex *serverExtras) withServer(ctx context.Context) context.Context {
	return serverValueContext{Context: ctx, server: *ex.serverCtx.Load()}
}

// serverValueContext looks a value up in its own context first, then in
// the caught one (which holds the server and catchServer's key only).
type serverValueContext struct {
	context.Context
	server context.Context
}

func (c serverValueContext) Value(key any) any {
	if v := c.Context.Value(key); v != nil {
		return v
	}
	return c.server.Value(key)
}

// idValue is a request id as HandleMessage decodes it, a float64 or a
// string; nil for another value. The ids clients send, small integers and
// plain strings, are read without a decoder.
func idValue(raw json.RawMessage) any {
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' && plainASCII(raw[1:n-1]) {
		return string(raw[1 : n-1])
	}
	if n := len(raw); n > 0 && n <= 15 && (raw[0] != '0' || n == 1) && digitsOnly(raw) {
		f, err := strconv.ParseFloat(string(raw), 64)
		if err == nil {
			return f
		}
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil
	}
	switch v.(type) {
	case string, float64:
		return v
	}
	return nil
}

func digitsOnly(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// fastCallState is the part of serverExtras PrepareCall uses.
type fastCallState struct {
	// served names the tools NewServer registered, and passingHooks how
	// many request-initialization hooks it added first, which pass every
	// call of those tools (the unknown-tool refusal and catchServerHook);
	// zero for a server built otherwise, whose hooks all run.
	served       map[string]bool
	passingHooks int
	hooks        *server.Hooks
	serverCtx    atomic.Pointer[context.Context]
	mu           sync.Mutex
	middleware   []server.ToolHandlerMiddleware
}

// plainToolCall reads a tools/call request of the plain shape: exactly the
// members jsonrpc "2.0", a number or string id, method "tools/call" and
// params, each once and spelt as such, params holding a plain name and
// optionally an object of arguments, and nothing else. ok is false for
// any other message.
func plainToolCall(msg []byte) (id json.RawMessage, name string, args json.RawMessage, ok bool) {
	if valid, _ := scanJSON(msg); !valid || firstNonSpace(msg) != '{' {
		return nil, "", nil, false
	}
	var params []byte
	seen := 0
	ok = true
	topMembers(msg, func(key, val []byte) bool {
		bit := 0
		switch string(key) {
		case "jsonrpc":
			bit, ok = 1, string(val) == `"2.0"`
		case "id":
			bit, ok = 2, len(val) > 0 && (val[0] == '"' && plainASCII(val[1:len(val)-1]) || val[0] == '-' || val[0] >= '0' && val[0] <= '9')
			id = val
		case "method":
			bit, ok = 4, string(val) == `"tools/call"`
		case "params":
			bit, ok = 8, len(val) > 0 && val[0] == '{'
			params = val
		default:
			ok = false
		}
		ok = ok && seen&bit == 0
		seen |= bit
		return ok
	})
	if !ok || seen != 15 {
		return nil, "", nil, false
	}
	seen = 0
	topMembers(params, func(key, val []byte) bool {
		switch string(key) {
		case "name":
			ok = seen&1 == 0 && len(val) >= 2 && val[0] == '"' && plainASCII(val[1:len(val)-1])
			if ok {
				name = string(val[1 : len(val)-1])
			}
			seen |= 1
		case "arguments":
			ok = seen&2 == 0 && len(val) > 0 && val[0] == '{'
			args = val
			seen |= 2
		default:
			ok = false
		}
		return ok
	})
	if !ok || seen&1 == 0 {
		return nil, "", nil, false
	}
	return id, name, args, true
}
