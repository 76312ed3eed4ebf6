package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// What the guard does itself when it serves the sessions (g.own): open
// them, take the client's responses, and hold their GET streams. With
// these, mcp-go's transport keeps no state of a session; it still ends
// one (DELETE, idling), which unregisters the session from mcp-go's
// server.

// initialize opens a session, as mcp-go's transport would, with an
// mcpSession for mcp-go's server to hold: the server handles the request
// in it (recording the client's information and protocol version), and
// the session is issued (its id in Mcp-Session-Id) only when the answer is
// a result. mcp-go's transport issues one for an error too, which the
// client cannot use.
func (g *guard) initialize(w http.ResponseWriter, r *http.Request, body []byte) {
	id := g.sessions.Generate()
	// Running in its session, so that the session cannot idle out before
	// it is issued.
	c := &httpCall{cancel: func() {}}
	g.sessions.enter(id, c)
	defer g.sessions.leave(id, c)
	s := newMCPSession(id)
	ctx := server.WithSupportedProtocolVersions(g.srv.WithContext(r.Context(), s), g.versions)
	resp := g.srv.HandleMessage(ctx, body)
	_, ok := resp.(mcp.JSONRPCResponse)
	if ok {
		if err := g.srv.RegisterSession(ctx, s); err != nil {
			g.sessions.Terminate(id)
			g.log.Error("registering an HTTP session failed", "error", err.Error())
			http.Error(w, "Internal Server Error: the session could not be opened", http.StatusInternalServerError)
			return
		}
		w.Header().Set(server.HeaderKeySessionID, id)
	} else {
		g.sessions.Terminate(id)
	}
	if resp == nil { // a notification, without an id: accepted, as by mcp-go
		w.WriteHeader(http.StatusAccepted)
		return
	}
	g.writeAnswer(w, nil, resp)
}

// clientResponse takes a JSON-RPC response the client posted in session
// id: the answer to a request of the server (an elicitation), handed to
// the request awaiting it (202). With none awaiting it, an empty response
// (as to a ping: no result or error, or empty ones) is accepted as mcp-go
// accepts it, and any other refused with 400, as by mcp-go.
func (g *guard) clientResponse(w http.ResponseWriter, id string, m postedMessage) {
	a := clientAnswer{result: m.Result}
	if !emptyJSON(m.Error) {
		a = clientAnswer{err: &mcp.JSONRPCErrorDetails{Code: mcp.INTERNAL_ERROR, Message: "an error the server could not read"}}
		_ = json.Unmarshal(m.Error, a.err)
	}
	var reqID int64
	if v, ok := g.extras.sessions.Load(id); ok && json.Unmarshal(m.ID, &reqID) == nil {
		if s, ok := v.(*mcpSession); ok && s.answered(reqID, a) {
			w.WriteHeader(http.StatusAccepted)
			return
		}
	}
	if emptyJSON(m.Result) && emptyJSON(m.Error) {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	http.Error(w, "Bad Request: no request of this server in this session awaits this response", http.StatusBadRequest)
}

// emptyJSON: absent, null, {} or [], as mcp-go counts a response's
// result empty.
func emptyJSON(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || string(v) == "null" {
		return true
	}
	var end byte
	switch v[0] {
	case '{':
		end = '}'
	case '[':
		end = ']'
	default:
		return false
	}
	inner := bytes.TrimSpace(v[1:])
	return len(inner) > 0 && inner[0] == end
}

// stream holds a GET stream of session id open until the client leaves
// or the session ends (ctx), and writes it what mcp-go's server sends the
// session: the notifications not sent on a request's own stream.
func (g *guard) stream(w http.ResponseWriter, r *http.Request, ctx context.Context, id string) {
	if v := r.Header.Get(mcp.HeaderProtocolVersion); v != "" && !mcp.IsValidProtocolVersion(v) {
		http.Error(w, "Bad Request: Unsupported protocol version: "+v, http.StatusBadRequest)
		return
	}
	hw := newHTTPWriter(w)
	if !hw.CanStream() {
		http.Error(w, "Method Not Allowed: this connection cannot stream", http.StatusMethodNotAllowed)
		return
	}
	v, ok := g.extras.sessions.Load(id)
	s, mine := v.(*mcpSession)
	if !ok || !mine {
		http.Error(w, "Not Found: no such session (it ended or was never issued)", http.StatusNotFound)
		return
	}
	notes := s.openStream()
	defer s.closeStream()
	sse := sseWriter{w: hw}
	sse.open()
	hw.Flush()
	for {
		select {
		case n := <-notes:
			sse.event(n)
		case <-ctx.Done():
			return
		}
	}
}
