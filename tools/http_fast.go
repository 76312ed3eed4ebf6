package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"runtime"
	"sync"
	"weak"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// serverExtras is what the HTTP transport needs of a server NewServer
// built beyond mcp-go's own state: whether destructive calls ask for
// confirmation, and the session mcp-go registered for each session id.
type serverExtras struct {
	confirm  bool
	sessions sync.Map // session id → server.ClientSession
	fastCallState
}

// extrasByServer finds a server's extras; an entry goes when its server is
// collected.
var extrasByServer sync.Map // weak.Pointer[server.MCPServer] → *serverExtras

// newServerExtras records the sessions mcp-go registers through hooks.
func newServerExtras(confirm bool, hooks *server.Hooks) *serverExtras {
	ex := &serverExtras{confirm: confirm}
	ex.hooks = hooks
	hooks.AddOnRequestInitialization(ex.catchServerHook)
	hooks.AddOnRegisterSession(func(_ context.Context, s server.ClientSession) {
		ex.sessions.Store(s.SessionID(), s)
	})
	hooks.AddOnUnregisterSession(func(_ context.Context, s server.ClientSession) {
		ex.sessions.CompareAndDelete(s.SessionID(), s)
		if own, ok := s.(*mcpSession); ok {
			own.end()
		}
	})
	return ex
}

func (ex *serverExtras) attach(s *server.MCPServer) {
	key := weak.Make(s)
	extrasByServer.Store(key, ex)
	runtime.AddCleanup(s, func(k weak.Pointer[server.MCPServer]) { extrasByServer.Delete(k) }, key)
}

func extrasOf(s *server.MCPServer) *serverExtras {
	if v, ok := extrasByServer.Load(weak.Make(s)); ok {
		return v.(*serverExtras)
	}
	return nil
}

// answer serves a message of a session (id) the guard has admitted, as
// mcp-go's transport would, when the guard serves the sessions (g.own):
// the message is handled in a session of its own for its notifications
// (progress, log messages), which turn the answer into an SSE stream when
// there are any, and the registered session for all else. Tool calls and
// the tool list are the point: their answers are large, and mcp-go's
// transport encodes them with encoding/json at several times the cost of
// AppendMessage (for a clusters_list call, half of what the server spent
// on it). It reports false, having done nothing, for what it leaves to
// mcp-go: everything when mcp-go serves the sessions, a session mcp-go's
// server does not hold, a protocol version or content type mcp-go refuses.
func (g *guard) answer(hw *httpWriter, r *http.Request, ctx context.Context, id, method string, body []byte) bool {
	if !g.own {
		return false
	}
	if v := r.Header.Get(mcp.HeaderProtocolVersion); v != "" && !mcp.IsValidProtocolVersion(v) {
		return false
	}
	if !jsonBody(r) {
		return false
	}
	v, ok := g.extras.sessions.Load(id)
	if !ok {
		return false
	}
	sse := &sseWriter{w: hw}
	cs := &callSession{ClientSession: v.(server.ClientSession), sse: sse}
	ctx = g.srv.WithContext(ctx, cs)
	if method != string(mcp.MethodToolsCall) {
		ctx = server.WithSupportedProtocolVersions(ctx, g.versions) // for server/discover
	}
	resp := func() mcp.JSONRPCMessage {
		defer cs.finish() // also should a handler panic
		if call, ok := g.extras.prepare(ctx, g.srv, body); ok {
			// The guard ends ctx when the client cancels the call.
			return call.Run(ctx)
		}
		return g.srv.HandleMessage(ctx, body)
	}()
	switch {
	case ctx.Err() != nil:
		// The client went away or cancelled the call: no answer, as
		// mcp-go writes none once a request's context has ended.
		return true
	case resp == nil:
		if !sse.started {
			hw.WriteHeader(http.StatusAccepted)
		}
		return true
	}
	g.writeAnswer(hw, sse, resp)
	return true
}

// writeAnswer writes resp as the last event of sse once that has begun,
// else as a JSON body (sse may be nil).
func (g *guard) writeAnswer(w http.ResponseWriter, sse *sseWriter, resp mcp.JSONRPCMessage) {
	bp := answerBuffers.Get().(*[]byte)
	out := AppendAnswer((*bp)[:0], resp, g.log)
	if sse != nil && sse.started {
		sse.raw(out)
	} else {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		out = append(out, '\n')
		if _, err := w.Write(out); err != nil {
			g.log.Debug("writing an answer failed", "error", err.Error())
		}
	}
	if cap(out) <= answerBufferKeep {
		*bp = out[:0]
		answerBuffers.Put(bp)
	}
}

// notificationBuffer is how many notifications a call may have waiting to
// be written, as in mcp-go's sessions; more are dropped, as there.
const notificationBuffer = 100

// answerBuffers hold encoded answers between calls.
var answerBuffers = sync.Pool{New: func() any { return new([]byte) }}

// answerBufferKeep is the largest buffer put back in answerBuffers, so that
// one large answer does not stay allocated.
const answerBufferKeep = 1 << 20

// callSession is the session one request answered by the guard runs in:
// notifications go to that request's own stream, everything else is the
// registered session's. The channel and the goroutine that writes the
// stream come with the first notification: most requests send none.
type callSession struct {
	server.ClientSession
	sse *sseWriter

	mu        sync.Mutex
	notes     chan mcp.JSONRPCNotification
	requests  chan []byte   // requests to the client, in order with notes
	done      chan struct{} // ends forward
	forwarded chan struct{} // closed when forward has ended
	finished  bool          // the request was handled: no more notifications
}

func (s *callSession) NotificationChannel() chan<- mcp.JSONRPCNotification {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.notes == nil && !s.finished {
		s.notes = make(chan mcp.JSONRPCNotification, notificationBuffer)
		s.requests = make(chan []byte)
		s.done, s.forwarded = make(chan struct{}), make(chan struct{})
		go s.forward()
	}
	return s.notes
}

// forward writes the request's notifications and its requests to the
// client to its stream as they come, each request after the
// notifications sent before it.
func (s *callSession) forward() {
	defer close(s.forwarded)
	for {
		select {
		case n := <-s.notes:
			s.sse.event(n)
		case msg := <-s.requests:
			for len(s.notes) > 0 {
				s.sse.event(<-s.notes)
			}
			s.sse.raw(msg)
		case <-s.done:
			return
		}
	}
}

// send hands a request to the client to forward; it reports false once
// the request has been handled.
func (s *callSession) send(msg []byte) bool {
	if s.NotificationChannel() == nil {
		return false
	}
	select {
	case s.requests <- msg:
		return true
	case <-s.done:
		return false
	}
}

// finish follows the request's handling: the forwarding ends, and what
// it left is written, so that the answer comes after every notification.
// A notification sent later is dropped.
func (s *callSession) finish() {
	s.mu.Lock()
	s.finished = true
	notes := s.notes
	s.mu.Unlock()
	if notes == nil {
		return
	}
	close(s.done)
	<-s.forwarded
	for len(notes) > 0 {
		s.sse.event(<-notes)
	}
}

// The registered session's log level and client information stay its own.
var (
	_ server.SessionWithLogging         = (*callSession)(nil)
	_ server.SessionWithClientInfo      = (*callSession)(nil)
	_ server.SessionWithElicitation     = (*callSession)(nil)
	_ server.SessionWithProtocolVersion = (*callSession)(nil)
)

// ProtocolVersion is the version the registered session negotiated.
func (s *callSession) ProtocolVersion() string {
	if v, ok := s.ClientSession.(server.SessionWithProtocolVersion); ok {
		return v.ProtocolVersion()
	}
	return ""
}

var errSessionEnded = errors.New("the session ended before the client answered")

// RequestElicitation asks the client on the request's own stream, as
// mcp-go's transport does, and waits for the answer the client posts in
// the session (guard.clientResponse), or for the request to end.
func (s *callSession) RequestElicitation(ctx context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	own, ok := s.ClientSession.(*mcpSession)
	if !ok {
		return nil, server.ErrElicitationNotSupported
	}
	id, answer, ok := own.ask()
	if !ok {
		return nil, errSessionEnded
	}
	defer own.forget(id)
	b, err := AppendMessage(nil, mcp.JSONRPCRequest{
		JSONRPC: mcp.JSONRPC_VERSION,
		ID:      mcp.NewRequestId(id),
		Request: mcp.Request{Method: string(mcp.MethodElicitationCreate)},
		Params:  req.Params,
	})
	if err != nil {
		return nil, err
	}
	if !s.send(b) {
		return nil, errors.New("the request has ended")
	}
	select {
	case a := <-answer:
		if a.ended {
			return nil, errSessionEnded
		}
		if a.err != nil {
			return nil, fmt.Errorf("%s error %d: %s", mcp.MethodElicitationCreate, a.err.Code, a.err.Message)
		}
		var res mcp.ElicitationResult
		if err := json.Unmarshal(a.result, &res); err != nil {
			return nil, fmt.Errorf("the client's answer to %s: %w", mcp.MethodElicitationCreate, err)
		}
		return &res, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *callSession) SetLogLevel(level mcp.LoggingLevel) {
	if l, ok := s.ClientSession.(server.SessionWithLogging); ok {
		l.SetLogLevel(level)
	}
}

func (s *callSession) GetLogLevel() mcp.LoggingLevel {
	if l, ok := s.ClientSession.(server.SessionWithLogging); ok {
		return l.GetLogLevel()
	}
	return mcp.LoggingLevelError
}

func (s *callSession) GetClientInfo() mcp.Implementation {
	if c, ok := s.ClientSession.(server.SessionWithClientInfo); ok {
		return c.GetClientInfo()
	}
	return mcp.Implementation{}
}

func (s *callSession) SetClientInfo(info mcp.Implementation) {
	if c, ok := s.ClientSession.(server.SessionWithClientInfo); ok {
		c.SetClientInfo(info)
	}
}

func (s *callSession) GetClientCapabilities() mcp.ClientCapabilities {
	if c, ok := s.ClientSession.(server.SessionWithClientInfo); ok {
		return c.GetClientCapabilities()
	}
	return mcp.ClientCapabilities{}
}

func (s *callSession) SetClientCapabilities(caps mcp.ClientCapabilities) {
	if c, ok := s.ClientSession.(server.SessionWithClientInfo); ok {
		c.SetClientCapabilities(caps)
	}
}

// sseWriter turns an answer into a server-sent event stream at its first
// notification, in the events mcp-go writes. One goroutine writes at a
// time: a request's forwarder, then, once it has ended, the request's own.
type sseWriter struct {
	w       *httpWriter
	started bool
}

func (s *sseWriter) event(n mcp.JSONRPCNotification) {
	b, err := AppendMessage(nil, n)
	if err != nil {
		return
	}
	s.raw(b)
}

// open begins the stream: its headers, once.
func (s *sseWriter) open() {
	if s.started {
		return
	}
	h := s.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Connection", "keep-alive")
	h.Set("Cache-Control", "no-cache")
	s.w.WriteHeader(http.StatusOK)
	s.started = true
}

func (s *sseWriter) raw(msg []byte) {
	s.open()
	buf := make([]byte, 0, len(msg)+len("event: message\ndata: \n\n"))
	buf = append(buf, "event: message\ndata: "...)
	buf = append(buf, msg...)
	buf = append(buf, "\n\n"...)
	_, _ = s.w.Write(buf)
	s.w.Flush()
}

// jsonBody reports whether a POST's body is JSON by its Content-Type, as
// mcp-go's transport requires.
func jsonBody(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/json"
}
