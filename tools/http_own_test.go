package tools

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dbx-mcp/dbx-mcp/client"
	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// ownSession is the session mcp-go's server holds for id, which must be
// the guard's own.
func (th *testHTTP) ownSession(t *testing.T, id string) *mcpSession {
	t.Helper()
	v, ok := th.guard.extras.sessions.Load(id)
	if !ok {
		t.Fatalf("mcp-go's server holds no session %s", id)
	}
	s, ok := v.(*mcpSession)
	if !ok {
		t.Fatalf("session %s is a %T, not the guard's own: mcp-go's transport opened it", id, v)
	}
	return s
}

func (th *testHTTP) liveSessions() int {
	th.guard.sessions.mu.Lock()
	defer th.guard.sessions.mu.Unlock()
	return len(th.guard.sessions.live)
}

// TestHTTPOwnSessions: the guard opens and serves the sessions of a server
// NewServer built; mcp-go's server holds the guard's small session for
// each, with what the client said at initialize and its log level, and
// mcp-go's transport none.
func TestHTTPOwnSessions(t *testing.T) {
	th := newTestHTTP(t, HTTPOptions{})
	init := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",` +
		`"capabilities":{"elicitation":{}},"clientInfo":{"name":"own-test","version":"7"}}}`
	r := th.do(t, t.Context(), http.MethodPost, nil, init)
	id := r.header.Get("Mcp-Session-Id")
	if r.status != 200 || id == "" || r.header.Get("Content-Type") != "application/json" || !strings.Contains(r.body, `"protocolVersion":"2025-06-18"`) {
		t.Fatalf("initialize: %d %s, session %q: %s", r.status, r.header.Get("Content-Type"), id, r.body)
	}
	s := th.ownSession(t, id)
	if got := s.GetClientInfo(); got.Name != "own-test" || got.Version != "7" {
		t.Errorf("client info %+v", got)
	}
	if s.GetClientCapabilities().Elicitation == nil {
		t.Error("the client's elicitation capability was not kept")
	}
	if v := s.ProtocolVersion(); v != "2025-06-18" {
		t.Errorf("protocol version %q", v)
	}
	th.guard.srv.AddTool(mcp.NewTool("version", mcp.WithDescription("says the protocol version")), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText("version " + server.RequestProtocolVersion(ctx)), nil
	})
	if r := th.do(t, t.Context(), http.MethodPost, legacy(id), `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"version","arguments":{}}}`); !strings.Contains(r.body, "version 2025-06-18") {
		t.Errorf("a call's protocol version: %s", r.body)
	}
	if !s.Initialized() {
		t.Error("the session is not initialized")
	}
	if s.GetLogLevel() != mcp.LoggingLevelError {
		t.Errorf("log level %q before any logging/setLevel, want error", s.GetLogLevel())
	}
	r = th.do(t, t.Context(), http.MethodPost, legacy(id), `{"jsonrpc":"2.0","id":2,"method":"logging/setLevel","params":{"level":"debug"}}`)
	if r.status != 200 || !strings.Contains(r.body, `"result":{}`) {
		t.Fatalf("logging/setLevel: %d %s", r.status, r.body)
	}
	if s.GetLogLevel() != mcp.LoggingLevelDebug {
		t.Errorf("log level %q after logging/setLevel debug", s.GetLogLevel())
	}

	// A second session is a session of its own.
	other := th.initialize(t)
	if other == id || th.ownSession(t, other) == s {
		t.Fatal("two initializes share a session")
	}
	if th.ownSession(t, other).GetLogLevel() != mcp.LoggingLevelError {
		t.Error("one session's logging/setLevel set another's level")
	}

	// The server sends no requests in these sessions, so a response to
	// one is refused, but without telling the client its session ended
	// (404); an empty one is accepted, as by mcp-go.
	for body, want := range map[string]int{
		`{"jsonrpc":"2.0","id":4,"result":{}}`:                                       202,
		`{"jsonrpc":"2.0","id":5}`:                                                   202,
		`{"jsonrpc":"2.0","id":6,"result":{"action":"accept","content":{}}}`:         400,
		`{"jsonrpc":"2.0","id":7,"error":{"code":-32603,"message":"client failed"}}`: 400,
	} {
		if r := th.do(t, t.Context(), http.MethodPost, legacy(id), body); r.status != want {
			t.Errorf("%s: status %d, want %d (%s)", body, r.status, want, r.body)
		}
	}
	if r := th.ping(t, id); r.status != 200 {
		t.Errorf("ping after the responses: %d", r.status)
	}
}

// TestHTTPOwnInitializeFails: an initialize the server answers with an
// error opens no session: mcp-go's transport would issue one all the same.
func TestHTTPOwnInitializeFails(t *testing.T) {
	th := newTestHTTP(t, HTTPOptions{})
	before := th.liveSessions()
	r := th.do(t, t.Context(), http.MethodPost, nil, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":"not an object"}`)
	if r.status != 200 || !strings.Contains(r.body, `"error"`) {
		t.Fatalf("initialize with bad params: %d %s", r.status, r.body)
	}
	if got := r.header.Get("Mcp-Session-Id"); got != "" {
		t.Errorf("a failed initialize issued session %q", got)
	}
	if n := th.liveSessions(); n != before {
		t.Errorf("%d sessions held after a failed initialize, want %d", n, before)
	}
	n := 0
	th.guard.extras.sessions.Range(func(any, any) bool { n++; return true })
	if n != 0 {
		t.Errorf("mcp-go's server holds %d sessions after a failed initialize", n)
	}
	// initialize sent as a notification (no id) is accepted and opens none.
	if r := th.do(t, t.Context(), http.MethodPost, nil, `{"jsonrpc":"2.0","method":"initialize","params":{}}`); r.status != 202 || r.header.Get("Mcp-Session-Id") != "" {
		t.Errorf("initialize without an id: %d, session %q", r.status, r.header.Get("Mcp-Session-Id"))
	}
	if n := th.liveSessions(); n != before {
		t.Errorf("%d sessions held after an initialize without an id, want %d", n, before)
	}
}

// openStream opens a GET stream in session id; its events arrive on the
// returned channel, which closes when the stream ends.
func (th *testHTTP) openStream(t *testing.T, ctx context.Context, id string) <-chan string {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, th.url, nil)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Mcp-Session-Id", id)
	req.Header.Set("Mcp-Protocol-Version", "2025-06-18")
	resp, err := th.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return streamEvents(t, resp, "GET")
}

// streamEvents checks that resp is an event stream and passes on the data
// of its events; the channel closes when the stream ends.
func streamEvents(t *testing.T, resp *http.Response, what string) <-chan string {
	t.Helper()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		resp.Body.Close()
		t.Fatalf("%s: %d %s", what, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	events := make(chan string, 8)
	go func() {
		defer close(events)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				events <- data
			}
		}
	}()
	return events
}

func nextEvent(t *testing.T, events <-chan string) string {
	t.Helper()
	select {
	case e, ok := <-events:
		if !ok {
			t.Fatal("the stream ended")
		}
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("no event on the stream")
		return ""
	}
}

// TestHTTPOwnStream: what mcp-go's server sends a session goes to its GET
// stream; with none open it is dropped at once, never queued (the session
// has no channel), and a closed stream leaves none behind.
func TestHTTPOwnStream(t *testing.T) {
	th := newTestHTTP(t, HTTPOptions{})
	id := th.initialize(t)
	s := th.ownSession(t, id)
	srv := th.guard.srv
	// Without a stream: sent nowhere, and nothing waits.
	srv.SendNotificationToAllClients("notifications/message", map[string]any{"level": "info", "data": "unheard"})
	if s.NotificationChannel() != nil {
		t.Fatal("a session without a stream has a notification channel")
	}

	ctx, stop := context.WithCancel(t.Context())
	events := th.openStream(t, ctx, id)
	srv.SendNotificationToAllClients("notifications/message", map[string]any{"level": "info", "data": "first"})
	if e := nextEvent(t, events); !strings.Contains(e, `"method":"notifications/message"`) || !strings.Contains(e, `"first"`) {
		t.Errorf("event %s", e)
	}

	// A call's progress goes on the call's own stream, not the session's.
	close(th.tool.release)
	r := th.do(t, t.Context(), http.MethodPost, legacy(id), `{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"slow","arguments":{},"_meta":{"progressToken":"p5"}}}`)
	if !strings.Contains(r.body, `"notifications/progress"`) || !strings.Contains(r.body, `"id":5,`) {
		t.Errorf("the call with progress: %s", r.body)
	}
	select {
	case e := <-events:
		t.Errorf("the session's stream carried %s", e)
	case <-time.After(200 * time.Millisecond):
	}

	// A second stream shares the session's channel; with one left, it
	// still carries what is sent.
	ctx2, stop2 := context.WithCancel(t.Context())
	events2 := th.openStream(t, ctx2, id)
	stop()
	for range events {
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		s.mu.Lock()
		n := s.streams
		s.mu.Unlock()
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d streams held after one of two closed", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	srv.SendNotificationToAllClients("notifications/message", map[string]any{"level": "info", "data": "second"})
	if e := nextEvent(t, events2); !strings.Contains(e, `"second"`) {
		t.Errorf("event %s", e)
	}
	stop2()
	for range events2 {
	}
	deadline = time.Now().Add(5 * time.Second)
	for s.NotificationChannel() != nil {
		if time.Now().After(deadline) {
			t.Fatal("the channel stayed after the last stream closed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if r := th.ping(t, id); r.status != 200 {
		t.Errorf("ping after the streams: %d", r.status)
	}

	// A stream with an unsupported protocol version is refused, as by
	// mcp-go.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, th.url, nil)
	req.Header.Set("Mcp-Session-Id", id)
	req.Header.Set("Mcp-Protocol-Version", "1999-01-01")
	resp, err := th.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("GET with protocol version 1999-01-01: %d, want 400", resp.StatusCode)
	}
}

// sessionOverHTTP is sessionAt over streamable HTTP: NewServer behind
// NewHTTPHandler on a real HTTP server, and mcp-go's HTTP client.
func sessionOverHTTP(t *testing.T, version string, workspace http.Handler, opts Options, caps mcp.ClientCapabilities, copts ...mcpclient.ClientOption) *mcpclient.Client {
	t.Helper()
	ws := httptest.NewServer(workspace)
	t.Cleanup(ws.Close)
	c, err := client.New(&client.Config{Host: ws.URL, Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := NewRegistry(func(context.Context) (*client.Client, error) { return c, nil }, opts)
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewHTTPHandler(NewServer(reg, nil), HTTPOptions{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	tr, err := transport.NewStreamableHTTP(srv.URL + EndpointPath)
	if err != nil {
		t.Fatal(err)
	}
	mc := mcpclient.NewClient(tr, copts...)
	startSession(t, mc, version, caps)
	return mc
}

// TestHTTPOwnElicitation: a request to the client goes on the stream of
// the call that makes it, after the notifications the call sent before
// it, and only an answer posted in the same session reaches it; a session
// that ends releases the calls waiting in it.
func TestHTTPOwnElicitation(t *testing.T) {
	th := newTestHTTP(t, HTTPOptions{})
	th.guard.srv.AddTool(mcp.NewTool("ask", mcp.WithDescription("asks the user")), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		srv := server.ServerFromContext(ctx)
		for i := range 3 {
			if err := srv.SendNotificationToClient(ctx, "notifications/message", map[string]any{"level": "info", "data": fmt.Sprintf("note %d", i)}); err != nil {
				return nil, err
			}
		}
		res, err := srv.RequestElicitation(ctx, mcp.ElicitationRequest{Params: mcp.ElicitationParams{
			Message: "go ahead?", RequestedSchema: map[string]any{"type": "object", "properties": map[string]any{}},
		}})
		if err != nil {
			return mcp.NewToolResultError("asking failed: " + err.Error()), nil
		}
		return mcp.NewToolResultText("user said " + string(res.Action)), nil
	})
	a, b := th.initialize(t), th.initialize(t)

	// ask calls the tool in session and returns the id of the elicitation
	// it sends and the rest of the call's stream.
	ask := func(session string, callID int) (int64, <-chan string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, th.url,
			strings.NewReader(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"ask","arguments":{}}}`, callID)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		for k, v := range legacy(session) {
			req.Header.Set(k, v)
		}
		resp, err := th.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		events := streamEvents(t, resp, "the asking call")
		for i := range 3 {
			if e := nextEvent(t, events); !strings.Contains(e, fmt.Sprintf(`"note %d"`, i)) {
				t.Fatalf("event %d of the asking call: %s, want note %d", i, e, i)
			}
		}
		var elicit struct {
			ID     int64  `json:"id"`
			Method string `json:"method"`
			Params struct {
				Message string `json:"message"`
			} `json:"params"`
		}
		if e := nextEvent(t, events); json.Unmarshal([]byte(e), &elicit) != nil || elicit.Method != "elicitation/create" || elicit.Params.Message != "go ahead?" {
			t.Fatalf("the asking call's event after its notes: %s", e)
		}
		return elicit.ID, events
	}
	answer := func(session string, body string) int {
		return th.do(t, t.Context(), http.MethodPost, legacy(session), body).status
	}
	reply := func(id int64, action string) string {
		return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"result":{"action":%q,"content":{}}}`, id, action)
	}

	// Both sessions wait on an elicitation of the same id; each answer
	// reaches its own session's call.
	idA, eventsA := ask(a, 1)
	idB, eventsB := ask(b, 1)
	if idA != idB {
		t.Fatalf("elicitation ids %d and %d: the check below wants them equal", idA, idB)
	}
	if code := answer(b, reply(idB, "decline")); code != 202 {
		t.Errorf("session b answering its elicitation: status %d, want 202", code)
	}
	if e := nextEvent(t, eventsB); !strings.Contains(e, "user said decline") {
		t.Errorf("session b's call: %s", e)
	}
	if code := answer(a, reply(idA, "accept")); code != 202 {
		t.Errorf("session a answering its elicitation: status %d, want 202", code)
	}
	if e := nextEvent(t, eventsA); !strings.Contains(e, `"id":1,`) || !strings.Contains(e, "user said accept") {
		t.Errorf("session a's call: %s", e)
	}
	if code := answer(a, reply(idA, "accept")); code != 400 {
		t.Errorf("answering the same elicitation again: status %d, want 400", code)
	}
	idA, eventsA = ask(a, 2)
	if code := answer(b, reply(idA, "accept")); code != 400 {
		t.Errorf("session b answering session a's elicitation: status %d, want 400", code)
	}

	// The client's error reaches the tool as an error.
	if code := answer(a, fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"error":{"code":-32000,"message":"no user here"}}`, idA)); code != 202 {
		t.Errorf("answering with an error: status %d, want 202", code)
	}
	if e := nextEvent(t, eventsA); !strings.Contains(e, "asking failed") || !strings.Contains(e, "no user here") {
		t.Errorf("the call's answer after the client's error: %s", e)
	}

	waiting := func(session string) int {
		s := th.ownSession(t, session)
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.waiting)
	}
	// A call cancelled while it waits stops waiting, and its elicitation
	// can no longer be answered.
	idA, _ = ask(a, 3)
	if r := th.do(t, t.Context(), http.MethodPost, legacy(a), cancelBody(3)); r.status != 202 {
		t.Errorf("notifications/cancelled: %d", r.status)
	}
	deadline := time.Now().Add(5 * time.Second)
	for waiting(a) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the cancelled call still waits for its answer")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if code := answer(a, reply(idA, "accept")); code != 400 {
		t.Errorf("answering a cancelled call's elicitation: status %d, want 400", code)
	}

	// A session that ends releases the call waiting in it, which answers.
	_, eventsB = ask(b, 4)
	if r := th.do(t, t.Context(), http.MethodDelete, map[string]string{"Mcp-Session-Id": b}, ""); r.status != 200 {
		t.Fatalf("DELETE: %d %s", r.status, r.body)
	}
	if e := nextEvent(t, eventsB); !strings.Contains(e, `"id":4,`) || !strings.Contains(e, "asking failed") || !strings.Contains(e, "session ended") {
		t.Errorf("the call waiting in the ended session: %s", e)
	}
}
