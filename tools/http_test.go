package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// slowTool is a test tool that runs until its context ends or release is
// closed (at most 3 s), so a test can hold a call in flight.
type slowTool struct {
	ctxs    chan context.Context // each call's context, as it starts
	release chan struct{}
}

func (st *slowTool) handler(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	if req.Params.Meta != nil && req.Params.Meta.ProgressToken != nil {
		// A notification first turns the answer into an event stream.
		err := server.ServerFromContext(ctx).SendNotificationToClient(ctx, "notifications/progress",
			map[string]any{"progressToken": req.Params.Meta.ProgressToken, "progress": 0})
		if err != nil {
			return nil, err
		}
	}
	st.ctxs <- ctx
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-st.release:
	case <-time.After(3 * time.Second):
	}
	return mcp.NewToolResultText("finished"), nil
}

// started is the context of the next call to start.
func (st *slowTool) started(t *testing.T) context.Context {
	t.Helper()
	select {
	case ctx := <-st.ctxs:
		return ctx
	case <-time.After(5 * time.Second):
		t.Fatal("the slow tool was not called")
		return nil
	}
}

type testHTTP struct {
	*httptest.Server
	url   string
	tool  *slowTool
	guard *guard
	ended chan string // ids of sessions mcp-go unregistered
}

// newTestHTTP serves an MCP server with the slow tool through
// NewHTTPHandler on a real HTTP server.
func newTestHTTP(t *testing.T, opts HTTPOptions) *testHTTP {
	return newTestHTTPAnswering(t, opts, true)
}

// newTestHTTPAnswering is newTestHTTP with the guard serving the sessions
// itself, as for a server of NewServer, or (byGuard false) leaving them to
// mcp-go's transport, as for any other server.
func newTestHTTPAnswering(t *testing.T, opts HTTPOptions, byGuard bool) *testHTTP {
	t.Helper()
	th := &testHTTP{
		tool:  &slowTool{ctxs: make(chan context.Context, 8), release: make(chan struct{})},
		ended: make(chan string, 16),
	}
	hooks := &server.Hooks{}
	hooks.AddOnUnregisterSession(func(_ context.Context, s server.ClientSession) { th.ended <- s.SessionID() })
	extras := newServerExtras(false, hooks)
	s := server.NewMCPServer("test", "1", server.WithToolCapabilities(false), server.WithLogging(), server.WithHooks(hooks))
	if byGuard {
		extras.attach(s)
	}
	s.AddTool(mcp.NewTool("slow", mcp.WithDescription("waits")), th.tool.handler)
	if byGuard {
		extras.catchServer(s) // so that the guard runs plain calls without HandleMessage, as it does NewServer's
	}
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	h, err := NewHTTPHandler(s, opts)
	if err != nil {
		t.Fatal(err)
	}
	th.guard = h.(*guard)
	th.Server = httptest.NewServer(h)
	t.Cleanup(th.Close)
	t.Cleanup(func() {
		select {
		case <-th.tool.release:
		default:
			close(th.tool.release)
		}
	})
	th.url = th.URL + EndpointPath
	return th
}

type reply struct {
	status int
	header http.Header
	body   string
}

// do sends one request with the given headers (Content-Type and Accept
// are set for POST) and reads the whole answer.
func (th *testHTTP) do(t *testing.T, ctx context.Context, method string, hdr map[string]string, body string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, th.url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := th.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, th.url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s: reading the answer: %v", method, err)
	}
	return reply{resp.StatusCode, resp.Header, string(b)}
}

func legacy(session string) map[string]string {
	h := map[string]string{"Mcp-Protocol-Version": "2025-06-18"}
	if session != "" {
		h["Mcp-Session-Id"] = session
	}
	return h
}

// initialize opens a session the way clients before 2026-07-28 do.
func (th *testHTTP) initialize(t *testing.T) string {
	t.Helper()
	r := th.do(t, t.Context(), http.MethodPost, nil, initBody)
	id := r.header.Get("Mcp-Session-Id")
	if r.status != 200 || id == "" {
		t.Fatalf("initialize: status %d, session %q: %s", r.status, id, r.body)
	}
	if r := th.do(t, t.Context(), http.MethodPost, legacy(id), `{"jsonrpc":"2.0","method":"notifications/initialized"}`); r.status != 202 {
		t.Fatalf("notifications/initialized: status %d: %s", r.status, r.body)
	}
	return id
}

func (th *testHTTP) ping(t *testing.T, session string) reply {
	t.Helper()
	return th.do(t, t.Context(), http.MethodPost, legacy(session), `{"jsonrpc":"2.0","id":99,"method":"ping"}`)
}

func callBody(id any) string {
	b, _ := json.Marshal(id)
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"method":"tools/call","params":{"name":"slow","arguments":{}}}`, b)
}

func cancelBody(id any) string {
	b, _ := json.Marshal(id)
	return fmt.Sprintf(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":%s,"reason":"test"}}`, b)
}

// modern builds a protocol 2026-07-28 message: no session, the version in
// _meta and in the headers.
func modern(t *testing.T, id any, method string, params map[string]any) (map[string]string, string) {
	t.Helper()
	if params == nil {
		params = map[string]any{}
	}
	params["_meta"] = map[string]any{
		mcp.MetaKeyProtocolVersion:    mcp.ProtocolVersion20260728,
		mcp.MetaKeyClientInfo:         map[string]any{"name": "t", "version": "1"},
		mcp.MetaKeyClientCapabilities: map[string]any{},
	}
	msg := map[string]any{"jsonrpc": "2.0", "method": method, "params": params}
	if id != nil {
		msg["id"] = id
	}
	body, err := json.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	hdr := map[string]string{"Mcp-Protocol-Version": mcp.ProtocolVersion20260728, "Mcp-Method": method}
	if name, ok := params["name"].(string); ok {
		hdr["Mcp-Name"] = name
	}
	return hdr, string(body)
}

// async sends a request on its own goroutine; the reply arrives on the
// returned channel.
func (th *testHTTP) async(t *testing.T, ctx context.Context, hdr map[string]string, body string) <-chan reply {
	ch := make(chan reply, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, th.url, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := th.Client().Do(req)
		if err != nil {
			ch <- reply{status: -1, body: err.Error()}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		ch <- reply{resp.StatusCode, resp.Header, string(b)}
	}()
	return ch
}

func wait(t *testing.T, ch <-chan reply) reply {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no answer")
		return reply{}
	}
}

// TestHTTPStreamNeedsIssuedSession: a GET stream opens only for a session
// the server issued and has not ended, and ends with the session.
func TestHTTPStreamNeedsIssuedSession(t *testing.T) {
	th := newTestHTTP(t, HTTPOptions{})
	get := func(session string) reply {
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, th.url, nil)
		req.Header.Set("Accept", "text/event-stream")
		if session != "" {
			req.Header.Set("Mcp-Session-Id", session)
		}
		resp, err := th.Client().Do(req)
		if err != nil {
			t.Fatalf("GET: %v", err)
		}
		defer resp.Body.Close()
		if resp.Header.Get("Content-Type") == "text/event-stream" {
			return reply{status: resp.StatusCode, header: resp.Header} // a stream: don't wait for its end
		}
		b, _ := io.ReadAll(resp.Body)
		return reply{resp.StatusCode, resp.Header, string(b)}
	}
	for _, c := range []struct {
		session string
		want    int
	}{
		{"", 400},
		{"bogus", 404},
		{"mcp-session-00000000-0000-4000-8000-000000000000", 404},
	} {
		if r := get(c.session); r.status != c.want {
			t.Errorf("GET with session %q: status %d (%s), want %d", c.session, r.status, r.header.Get("Content-Type"), c.want)
		}
	}

	id := th.initialize(t)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, th.url, nil)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Mcp-Session-Id", id)
	resp, err := th.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("GET in the issued session: status %d, %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if r := th.do(t, t.Context(), http.MethodDelete, map[string]string{"Mcp-Session-Id": id}, ""); r.status != 200 {
		t.Fatalf("DELETE: status %d: %s", r.status, r.body)
	}
	ended := make(chan error, 1)
	go func() { _, err := io.Copy(io.Discard, resp.Body); ended <- err }()
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Error("the stream stayed open after its session ended")
	}
	if r := get(id); r.status != 404 {
		t.Errorf("GET in the ended session: status %d, want 404", r.status)
	}
}

// TestHTTPLegacyPostNeedsSession: before 2026-07-28 everything but
// initialize needs a session id (400 without one); 2026-07-28 clients need
// none.
func TestHTTPLegacyPostNeedsSession(t *testing.T) {
	th := newTestHTTP(t, HTTPOptions{})
	for _, version := range []string{"", "2025-03-26", "2025-06-18", "2025-11-25"} {
		for _, body := range []string{
			`{"jsonrpc":"2.0","id":1,"method":"ping"}`,
			`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`,
			callBody(3),
			`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
			cancelBody(3),
			`{"jsonrpc":"2.0","id":4,"result":{}}`,
		} {
			hdr := map[string]string{}
			if version != "" {
				hdr["Mcp-Protocol-Version"] = version
			}
			if r := th.do(t, t.Context(), http.MethodPost, hdr, body); r.status != 400 {
				t.Errorf("version %q, no session, %s: status %d, want 400 (%s)", version, body, r.status, r.body)
			}
		}
	}
	if r := th.do(t, t.Context(), http.MethodPost, nil, initBody); r.status != 200 || r.header.Get("Mcp-Session-Id") == "" {
		t.Errorf("initialize without a session: status %d, session %q", r.status, r.header.Get("Mcp-Session-Id"))
	}

	hdr, body := modern(t, 1, "server/discover", nil)
	r := th.do(t, t.Context(), http.MethodPost, hdr, body)
	if r.status != 200 || !strings.Contains(r.body, `"supportedVersions"`) || r.header.Get("Mcp-Session-Id") != "" {
		t.Errorf("2026-07-28 server/discover: status %d, session %q: %s", r.status, r.header.Get("Mcp-Session-Id"), r.body)
	}
	hdr, body = modern(t, 2, "tools/list", nil)
	if r := th.do(t, t.Context(), http.MethodPost, hdr, body); r.status != 200 || !strings.Contains(r.body, `"slow"`) {
		t.Errorf("2026-07-28 tools/list: status %d: %s", r.status, r.body)
	}
	close(th.tool.release)
	hdr, body = modern(t, 3, "tools/call", map[string]any{"name": "slow", "arguments": map[string]any{}})
	if r := th.do(t, t.Context(), http.MethodPost, hdr, body); r.status != 200 || !strings.Contains(r.body, "finished") {
		t.Errorf("2026-07-28 tools/call: status %d: %s", r.status, r.body)
	}
}

// TestHTTPDeleteSession: DELETE ends an issued session and refuses ids
// the server does not hold.
func TestHTTPDeleteSession(t *testing.T) {
	th := newTestHTTP(t, HTTPOptions{})
	del := func(session string) int {
		hdr := map[string]string{}
		if session != "" {
			hdr["Mcp-Session-Id"] = session
		}
		return th.do(t, t.Context(), http.MethodDelete, hdr, "").status
	}
	if code := del(""); code != 400 {
		t.Errorf("DELETE without a session: status %d, want 400", code)
	}
	if code := del("bogus"); code != 404 {
		t.Errorf("DELETE of an unknown session: status %d, want 404", code)
	}
	id := th.initialize(t)
	if r := th.ping(t, id); r.status != 200 {
		t.Fatalf("ping: %d", r.status)
	}
	if code := del(id); code != 200 {
		t.Errorf("DELETE of the issued session: status %d, want 200", code)
	}
	select {
	case got := <-th.ended:
		if got != id {
			t.Errorf("DELETE of %s unregistered %s", id, got)
		}
	case <-time.After(5 * time.Second):
		t.Error("DELETE did not unregister the session from mcp-go's server")
	}
	if _, held := th.guard.extras.sessions.Load(id); held {
		t.Error("the guard still holds the deleted session")
	}
	if n := th.liveSessions(); n != 0 {
		t.Errorf("%d sessions live after the only one was deleted", n)
	}
	if r := th.ping(t, id); r.status != 404 {
		t.Errorf("ping after DELETE: status %d, want 404", r.status)
	}
	if code := del(id); code != 404 {
		t.Errorf("second DELETE: status %d, want 404", code)
	}
}

// TestHTTPCancelTouchesOnlyOwnCalls: a caller can't cancel another
// caller's call by reusing its request id, with or without sessions; a
// 2026-07-28 caller still cancels its own by ending its request.
func TestHTTPCancelTouchesOnlyOwnCalls(t *testing.T) {
	for _, byGuard := range []bool{true, false} {
		t.Run(fmt.Sprintf("guard answers %v", byGuard), func(t *testing.T) { testHTTPCancelTouchesOnlyOwnCalls(t, byGuard) })
	}
}

func testHTTPCancelTouchesOnlyOwnCalls(t *testing.T, byGuard bool) {
	th := newTestHTTPAnswering(t, HTTPOptions{}, byGuard)

	// Ending its own request is how a 2026-07-28 caller cancels.
	ctx, stop := context.WithCancel(t.Context())
	hdr, body := modern(t, 2, "tools/call", map[string]any{"name": "slow", "arguments": map[string]any{}})
	own := th.async(t, ctx, hdr, body)
	ctxOwn := th.tool.started(t)
	stop()
	select {
	case <-ctxOwn.Done():
	case <-time.After(5 * time.Second):
		t.Error("ending the request did not cancel its call")
	}
	<-own

	hdr, body = modern(t, 1, "tools/call", map[string]any{"name": "slow", "arguments": map[string]any{}})
	a := th.async(t, t.Context(), hdr, body)
	ctxA := th.tool.started(t)
	cancelHdr, cancel := modern(t, nil, "notifications/cancelled", map[string]any{"requestId": 1, "reason": "not yours"})
	if r := th.do(t, t.Context(), http.MethodPost, cancelHdr, cancel); r.status != 202 {
		t.Errorf("2026-07-28 notifications/cancelled: status %d, want 202 (%s)", r.status, r.body)
	}
	if ctxA.Err() != nil {
		t.Error("a sessionless notifications/cancelled cancelled another caller's call")
	}

	sessionA, sessionB := th.initialize(t), th.initialize(t)
	legacyA := th.async(t, t.Context(), legacy(sessionA), callBody(1))
	ctxLegacyA := th.tool.started(t)
	if r := th.do(t, t.Context(), http.MethodPost, legacy(sessionB), cancelBody(1)); r.status != 202 {
		t.Errorf("notifications/cancelled in session B: status %d, want 202 (%s)", r.status, r.body)
	}
	if ctxLegacyA.Err() != nil {
		t.Error("session B cancelled session A's call")
	}

	close(th.tool.release)
	if r := wait(t, a); r.status != 200 || !strings.Contains(r.body, "finished") {
		t.Errorf("caller A's call: status %d: %s", r.status, r.body)
	}
	if r := wait(t, legacyA); r.status != 200 || !strings.Contains(r.body, "finished") {
		t.Errorf("session A's call: status %d: %s", r.status, r.body)
	}
}

// TestHTTPCancelledCallGetsNoReply: a call cancelled with
// notifications/cancelled gets no JSON-RPC reply.
func TestHTTPCancelledCallGetsNoReply(t *testing.T) {
	for _, byGuard := range []bool{true, false} {
		t.Run(fmt.Sprintf("guard answers %v", byGuard), func(t *testing.T) { testHTTPCancelledCallGetsNoReply(t, byGuard) })
	}
}

func testHTTPCancelledCallGetsNoReply(t *testing.T, byGuard bool) {
	th := newTestHTTPAnswering(t, HTTPOptions{}, byGuard)
	id := th.initialize(t)
	call := th.async(t, t.Context(), legacy(id), callBody("call-7"))
	ctx := th.tool.started(t)
	if r := th.do(t, t.Context(), http.MethodPost, legacy(id), cancelBody("call-7")); r.status != 202 {
		t.Errorf("notifications/cancelled: status %d, want 202 (%s)", r.status, r.body)
	}
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("notifications/cancelled did not cancel the call")
	}
	r := wait(t, call)
	if r.status != 202 || r.body != "" {
		t.Errorf("the cancelled call: status %d, body %q; want 202 and no reply", r.status, r.body)
	}
	if r := th.ping(t, id); r.status != 200 {
		t.Errorf("ping after the cancellation: status %d", r.status)
	}

	// With progress reported, the answer is an event stream: it ends
	// after the progress, without a reply. The cancellation is sent once
	// the progress has arrived: mcp-go's transport drops a notification it
	// has not yet written when the request's context ends.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, th.url,
		strings.NewReader(`{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"slow","arguments":{},"_meta":{"progressToken":"p8"}}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range legacy(id) {
		req.Header.Set(k, v)
	}
	resp, err := th.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	events := streamEvents(t, resp, "the streaming call")
	ctx = th.tool.started(t)
	if e := nextEvent(t, events); !strings.Contains(e, `"notifications/progress"`) {
		t.Errorf("the streaming call's first event: %s; want the progress", e)
	}
	if r := th.do(t, t.Context(), http.MethodPost, legacy(id), cancelBody(8)); r.status != 202 {
		t.Errorf("notifications/cancelled: status %d, want 202 (%s)", r.status, r.body)
	}
	for e := range events {
		if strings.Contains(e, `"id":8`) {
			t.Errorf("the cancelled streaming call answered: %s", e)
		}
	}
	if ctx.Err() == nil {
		t.Error("the streaming call was not cancelled")
	}
}

// TestHTTPGuardAnswersAsMCPGo checks the answers of the guard, which
// serves the sessions itself, against those of mcp-go's transport for the
// same requests, initialize included: the same status, content type and
// JSON-RPC message, as plain JSON or, once the call sends a notification,
// as an event stream of the notification then the answer.
func TestHTTPGuardAnswersAsMCPGo(t *testing.T) {
	// The call with progress comes last: after a notification, mcp-go
	// answers everything in the session as an event stream, the guard only
	// the calls that send one.
	requests := []string{
		`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`,
		`{"jsonrpc":"2.0","id":"s-2","method":"tools/call","params":{"name":"slow","arguments":{}}}`,
		`{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"missing","arguments":{}}}`,
		`{"jsonrpc":"2.0","id":5,"method":"ping"}`,
		`{"jsonrpc":"2.0","id":6,"method":"resources/list"}`,
		`{"jsonrpc":"2.0","id":7,"method":"logging/setLevel","params":{"level":"debug"}}`,
		`{"jsonrpc":"2.0","id":8,"method":"no/such/method"}`,
		`{"jsonrpc":"2.0","id":9,"method":"tools/call","params":"not an object"}`,
		`{"jsonrpc":"2.0","method":"notifications/roots/list_changed"}`,
		`{"jsonrpc":"2.0","id":10,"result":{}}`,
		`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"slow","arguments":{},"_meta":{"progressToken":"p3"}}}`,
	}
	// Client responses to no request, and messages that are neither a
	// request nor a response, some with headers mcp-go refuses.
	odd := []struct {
		hdr  map[string]string
		body string
	}{
		{nil, `{"jsonrpc":"2.0","id":11,"result":{}}`},
		{nil, `{"jsonrpc":"2.0","id":12,"error":{}}`},
		{nil, `{"jsonrpc":"2.0","id":13,"result":[]}`},
		{nil, `{"jsonrpc":"2.0","id":14,"result":null}`},
		{nil, `{"jsonrpc":"2.0","id":null,"result":{}}`},
		{nil, `{"jsonrpc":"2.0","id":15,"result":{"action":"accept"}}`},
		{nil, `{"jsonrpc":"2.0","id":"x","result":{"action":"accept"}}`},
		{nil, `{"jsonrpc":"2.0","id":16,"error":{"code":-32000,"message":"no"}}`},
		{nil, `{"jsonrpc":"2.0","result":{"a":1}}`},
		{nil, `{}`},
		{nil, `{"id":17,"method":"ping"}`},
		{map[string]string{"Mcp-Protocol-Version": "1999-01-01"}, `{"jsonrpc":"2.0","id":18,"result":{}}`},
		{map[string]string{"Mcp-Protocol-Version": "1999-01-01"}, `{"jsonrpc":"2.0","id":19,"method":"ping"}`},
		{map[string]string{"Content-Type": "text/plain"}, `{"jsonrpc":"2.0","id":20,"result":{}}`},
		{map[string]string{"Content-Type": "text/plain"}, `{"jsonrpc":"2.0","id":21,"method":"ping"}`},
	}
	answers, oddAnswers := map[bool][]reply{}, map[bool][]reply{}
	for _, byGuard := range []bool{true, false} {
		th := newTestHTTPAnswering(t, HTTPOptions{}, byGuard)
		close(th.tool.release) // the slow tool answers at once
		init := th.do(t, t.Context(), http.MethodPost, nil, initBody)
		if init.header.Get("Mcp-Session-Id") == "" {
			t.Fatalf("guard answering %v: initialize issued no session: %d %s", byGuard, init.status, init.body)
		}
		answers[byGuard] = append(answers[byGuard], init)
		id := init.header.Get("Mcp-Session-Id")
		if r := th.do(t, t.Context(), http.MethodPost, legacy(id), `{"jsonrpc":"2.0","method":"notifications/initialized"}`); r.status != 202 {
			t.Fatalf("notifications/initialized: status %d: %s", r.status, r.body)
		}
		for _, o := range odd {
			hdr := legacy(id)
			maps.Copy(hdr, o.hdr)
			oddAnswers[byGuard] = append(oddAnswers[byGuard], th.do(t, t.Context(), http.MethodPost, hdr, o.body))
		}
		for _, req := range requests {
			answers[byGuard] = append(answers[byGuard], th.do(t, t.Context(), http.MethodPost, legacy(id), req))
		}
		// The guard's calls keep their notifications to themselves, and so
		// the session's later answers stay plain JSON.
		want := map[bool]string{true: "application/json", false: "text/event-stream"}[byGuard]
		if r := th.ping(t, id); r.status != 200 || r.header.Get("Content-Type") != want {
			t.Errorf("guard answering %v: ping after a call with progress: %d %s, want %s", byGuard, r.status, r.header.Get("Content-Type"), want)
		}
	}
	// The answer is the last message of a stream. mcp-go's transport may
	// drop a notification sent just before the answer (its forwarder can
	// take one off the channel after the answer's drain), so only the
	// guard's stream is checked for the progress.
	lastMessage := func(body string) string {
		if msgs := strings.Split(strings.TrimSpace(body), "\n\n"); strings.HasPrefix(body, "event: ") {
			return msgs[len(msgs)-1]
		}
		return body
	}
	// A plain-text HTTP error's words are the guard's own; its status and
	// type must match.
	plainError := func(r reply) bool {
		return r.status >= 400 && strings.HasPrefix(r.header.Get("Content-Type"), "text/plain")
	}
	for i, o := range odd {
		got, want := oddAnswers[true][i], oddAnswers[false][i]
		if got.status != want.status || got.header.Get("Content-Type") != want.header.Get("Content-Type") || (got.body != want.body && !plainError(got)) {
			t.Errorf("%v %s:\nguard:  %d %s %q\nmcp-go: %d %s %q", o.hdr, o.body, got.status, got.header.Get("Content-Type"), got.body,
				want.status, want.header.Get("Content-Type"), want.body)
		}
	}
	for i, req := range append([]string{initBody}, requests...) {
		got, want := answers[true][i], answers[false][i]
		if got.status != want.status || got.header.Get("Content-Type") != want.header.Get("Content-Type") || lastMessage(got.body) != lastMessage(want.body) {
			t.Errorf("%s:\nguard:  %d %s %q\nmcp-go: %d %s %q", req, got.status, got.header.Get("Content-Type"), got.body,
				want.status, want.header.Get("Content-Type"), want.body)
		}
	}
	if sse := answers[true][len(requests)]; !strings.HasPrefix(sse.body, "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"") ||
		!strings.Contains(sse.body, `"id":3,"result":`) {
		t.Errorf("the call with progress: %q; want the progress, then the answer, as events", sse.body)
	}
}

// TestHTTPSessionIdle: a session with nothing in progress ends after the
// idle time: mcp-go forgets it, and its id gets 404. A running call keeps
// its session alive.
func TestHTTPSessionIdle(t *testing.T) {
	const idle = 100 * time.Millisecond
	th := newTestHTTP(t, HTTPOptions{SessionIdle: idle})
	endedWithin := func(id string) {
		t.Helper()
		deadline := time.After(5 * time.Second)
		for {
			select {
			case got := <-th.ended:
				if got == id {
					return
				}
			case <-deadline:
				t.Fatalf("session %s did not end", id)
			}
		}
	}

	id := th.initialize(t)
	endedWithin(id)
	if r := th.ping(t, id); r.status != 404 {
		t.Errorf("ping in an expired session: status %d, want 404", r.status)
	}
	if r := th.do(t, t.Context(), http.MethodDelete, map[string]string{"Mcp-Session-Id": id}, ""); r.status != 404 {
		t.Errorf("DELETE of an expired session: status %d, want 404", r.status)
	}

	busy := th.initialize(t)
	call := th.async(t, t.Context(), legacy(busy), callBody(1))
	th.tool.started(t)
	time.Sleep(5 * idle)
	if r := th.ping(t, busy); r.status != 200 {
		t.Errorf("ping in a session with a call running for 5x the idle time: status %d, want 200", r.status)
	}
	close(th.tool.release)
	if r := wait(t, call); r.status != 200 || !strings.Contains(r.body, "finished") {
		t.Errorf("the long call: status %d: %s", r.status, r.body)
	}
	endedWithin(busy)
	th.guard.sessions.mu.Lock()
	left := len(th.guard.sessions.live)
	th.guard.sessions.mu.Unlock()
	if left != 0 {
		t.Errorf("%d sessions still held after all idled out", left)
	}
}

type zeros struct{ n *atomic.Int64 }

func (z zeros) Read(p []byte) (int, error) {
	clear(p)
	if z.n != nil {
		z.n.Add(int64(len(p)))
	}
	return len(p), nil
}

// TestHTTPBodyLimit: a body over the limit gets 413 without being read
// into memory, whether its length is announced or not.
func TestHTTPBodyLimit(t *testing.T) {
	th := newTestHTTP(t, HTTPOptions{})
	const size = 48 << 20
	post := func(length int64, sent *atomic.Int64) (int, error) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, th.url, io.LimitReader(zeros{sent}, size))
		req.ContentLength = length
		req.Header.Set("Content-Type", "application/json")
		resp, err := th.Client().Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, nil
	}

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	status, err := post(size, nil)
	runtime.ReadMemStats(&after)
	if err != nil || status != 413 {
		t.Errorf("48 MB with Content-Length: status %d, %v; want 413", status, err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
		t.Errorf("48 MB with Content-Length: %d MB allocated while refusing it", grew>>20)
	}

	var sent atomic.Int64
	status, err = post(-1, &sent)
	if err != nil || status != 413 {
		t.Errorf("48 MB chunked: status %d, %v; want 413", status, err)
	}
	// What the server read, plus what the sockets buffer.
	if n := sent.Load(); n > 2*DefaultHTTPMaxBody {
		t.Errorf("48 MB chunked: %d MB taken before the refusal", n>>20)
	}

	small := newTestHTTP(t, HTTPOptions{MaxBody: 1024})
	if r := small.do(t, t.Context(), http.MethodPost, nil, initBody); r.status != 200 {
		t.Errorf("initialize under a 1 KiB limit: status %d", r.status)
	}
	big := `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"` + strings.Repeat("x", 2048) + `"}}`
	if r := small.do(t, t.Context(), http.MethodPost, nil, big); r.status != 413 {
		t.Errorf("2 KiB under a 1 KiB limit: status %d, want 413", r.status)
	}
}
