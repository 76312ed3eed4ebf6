package tools

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// httpSessions is the session table of the streamable HTTP transport and
// the SessionIdManager mcp-go consults. A session lives from the initialize
// that issued its id until DELETE ends it or it has been idle for the idle
// time; an id it does not hold is refused. mcp-go's own stateful manager
// keeps every ended id forever and knows nothing of what runs in a
// session; this table keeps only live sessions, with the requests and
// streams in progress in each.
//
// Idle means nothing running (no call, no open stream) since the last
// request ended. mcp-go's WithSessionIdleTTL counts from the last request's
// start instead, so it would end a session in the middle of a long wait.
type httpSessions struct {
	idle time.Duration
	// expire frees the transport's state for a session that idled out.
	expire func(id string)

	mu   sync.Mutex
	live map[string]*httpSession
}

type httpSession struct {
	running map[*httpCall]struct{}
	calls   map[string]*httpCall // running requests by JSON-RPC id (idKey)
	quiet   time.Time            // when running last became empty
	timer   *time.Timer          // runs out the idle time while nothing runs
}

// httpCall is one HTTP request in progress in a session: a POST or a GET
// stream.
type httpCall struct {
	cancel    context.CancelFunc // ends the request's context
	stream    bool               // a GET stream, closed when its session ends
	id        string             // idKey of the JSON-RPC request it carries, if any
	cancelled atomic.Bool        // by the client's notifications/cancelled
}

var errNoSession = errors.New("no such session: it ended or was never issued")

func newHTTPSessions(idle time.Duration, expire func(id string)) *httpSessions {
	return &httpSessions{idle: idle, expire: expire, live: map[string]*httpSession{}}
}

// Generate issues a new session id (130 random bits).
func (t *httpSessions) Generate() string {
	id := rand.Text()
	s := &httpSession{running: map[*httpCall]struct{}{}, calls: map[string]*httpCall{}, quiet: time.Now()}
	t.mu.Lock()
	t.live[id] = s
	s.timer = time.AfterFunc(t.idle, func() { t.idleOut(id, s) })
	t.mu.Unlock()
	return id
}

// idleOut ends session id if it has been idle for the idle time.
func (t *httpSessions) idleOut(id string, s *httpSession) {
	t.mu.Lock()
	expired := t.live[id] == s && len(s.running) == 0 && time.Since(s.quiet) >= t.idle
	if expired {
		delete(t.live, id)
	}
	t.mu.Unlock()
	if expired {
		t.expire(id)
	}
}

// Validate accepts only live sessions; mcp-go answers an error with 404.
func (t *httpSessions) Validate(id string) (isTerminated bool, err error) {
	if !t.has(id) {
		return false, errNoSession
	}
	return false, nil
}

// Terminate ends a session: its id is forgotten and its streams close.
// Calls in progress run to completion and answer.
func (t *httpSessions) Terminate(id string) (isNotAllowed bool, err error) {
	var streams []*httpCall
	t.mu.Lock()
	if s := t.live[id]; s != nil {
		streams = s.appendStreams(streams)
		s.timer.Stop()
		delete(t.live, id)
	}
	t.mu.Unlock()
	for _, c := range streams {
		c.cancel()
	}
	return false, nil
}

// closeStreams ends every open stream of every session; the sessions
// and their calls go on.
func (t *httpSessions) closeStreams() {
	var streams []*httpCall
	t.mu.Lock()
	for _, s := range t.live {
		streams = s.appendStreams(streams)
	}
	t.mu.Unlock()
	for _, c := range streams {
		c.cancel()
	}
}

// appendStreams appends the session's open streams to dst; the table's
// lock is held.
func (s *httpSession) appendStreams(dst []*httpCall) []*httpCall {
	for c := range s.running {
		if c.stream {
			dst = append(dst, c)
		}
	}
	return dst
}

func (t *httpSessions) has(id string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.live[id] != nil
}

// enter records c as running in session id; it reports false when the
// session is not live.
func (t *httpSessions) enter(id string, c *httpCall) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.live[id]
	if s == nil {
		return false
	}
	if len(s.running) == 0 {
		s.timer.Stop()
	}
	s.running[c] = struct{}{}
	if c.id != "" {
		s.calls[c.id] = c
	}
	return true
}

// leave records that c, entered in session id, has ended.
func (t *httpSessions) leave(id string, c *httpCall) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s := t.live[id]; s != nil {
		delete(s.running, c)
		if s.calls[c.id] == c {
			delete(s.calls, c.id)
		}
		if len(s.running) == 0 {
			s.quiet = time.Now()
			s.timer.Reset(t.idle)
		}
	}
}

// cancel ends the HTTP request of the call with JSON-RPC id requestID
// (an idKey) in session id, if it is running, and marks it cancelled.
// Only a request of the same session can name it.
func (t *httpSessions) cancel(id, requestID string) {
	t.mu.Lock()
	var c *httpCall
	if s := t.live[id]; s != nil && requestID != "" {
		c = s.calls[requestID]
		delete(s.calls, requestID)
	}
	t.mu.Unlock()
	if c != nil {
		c.cancelled.Store(true)
		c.cancel()
	}
}

// idKey is a JSON-RPC id as a map key: the string "7" and the number 7
// are different ids. Null and malformed ids have none.
func idKey(raw json.RawMessage) string {
	switch v := idValue(raw).(type) {
	case string:
		return "s" + v
	case float64:
		return "n" + strconv.FormatFloat(v, 'g', -1, 64)
	}
	return ""
}

// mcpSession is what mcp-go's server holds of an HTTP session the guard
// serves itself (every server NewServer built): what the client said at
// initialize, its log level, and a notification channel only while a GET
// stream is open to carry them. mcp-go's own HTTP session keeps ~10 KB of channels for as long as
// the session lives; this keeps a few hundred bytes. A request to the
// client (the elicitation that confirms a destructive call) goes on the
// stream of the request that makes it, as mcp-go sends it too, and its
// answer comes back here.
type mcpSession struct {
	id string

	mu      sync.Mutex
	ready   bool // initialize answered
	info    mcp.Implementation
	caps    mcp.ClientCapabilities
	version string
	level   mcp.LoggingLevel
	notes   chan mcp.JSONRPCNotification // nil while no stream is open
	streams int
	asked   int64                         // the last id of a request to the client
	waiting map[int64]chan<- clientAnswer // requests to the client awaiting its answer
	ended   bool                          // unregistered from mcp-go's server
}

// clientAnswer is a client's answer to a request of the server: a result
// or an error; or, ended, the news that its session ended first.
type clientAnswer struct {
	result json.RawMessage
	err    *mcp.JSONRPCErrorDetails
	ended  bool
}

// ask reserves an id for a request to the client; its answer will come on
// the channel, once, until forget. It reports false once the session has
// ended.
func (s *mcpSession) ask() (int64, <-chan clientAnswer, bool) {
	ch := make(chan clientAnswer, 1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return 0, nil, false
	}
	s.asked++
	if s.waiting == nil {
		s.waiting = map[int64]chan<- clientAnswer{}
	}
	s.waiting[s.asked] = ch
	return s.asked, ch, true
}

func (s *mcpSession) forget(id int64) {
	s.mu.Lock()
	delete(s.waiting, id)
	if len(s.waiting) == 0 {
		s.waiting = nil
	}
	s.mu.Unlock()
}

// end follows the session's end (mcp-go's server unregistered it): the
// requests awaiting the client learn that no answer can come, since the
// client's answer would now get 404, and no new one is made.
func (s *mcpSession) end() {
	s.mu.Lock()
	waiting := s.waiting
	s.waiting, s.ended = nil, true
	s.mu.Unlock()
	for _, ch := range waiting {
		ch <- clientAnswer{ended: true}
	}
}

// answered hands the client's answer to the request with that id; it
// reports false when no request awaits one.
func (s *mcpSession) answered(id int64, a clientAnswer) bool {
	s.mu.Lock()
	ch, ok := s.waiting[id]
	delete(s.waiting, id)
	s.mu.Unlock()
	if ok {
		ch <- a
	}
	return ok
}

var (
	_ server.SessionWithClientInfo      = (*mcpSession)(nil)
	_ server.SessionWithLogging         = (*mcpSession)(nil)
	_ server.SessionWithProtocolVersion = (*mcpSession)(nil)
)

func newMCPSession(id string) *mcpSession {
	return &mcpSession{id: id, level: mcp.LoggingLevelError}
}

func (s *mcpSession) SessionID() string { return s.id }

func (s *mcpSession) Initialize() {
	s.mu.Lock()
	s.ready = true
	s.mu.Unlock()
}

func (s *mcpSession) Initialized() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ready
}

// NotificationChannel is the open streams' channel. With none open it is
// nil, and mcp-go, which never blocks on it, drops what it would send.
func (s *mcpSession) NotificationChannel() chan<- mcp.JSONRPCNotification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notes
}

// openStream returns the channel a new GET stream reads; the streams of a
// session share it, as in mcp-go.
func (s *mcpSession) openStream() <-chan mcp.JSONRPCNotification {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.notes == nil {
		s.notes = make(chan mcp.JSONRPCNotification, streamBuffer)
	}
	s.streams++
	return s.notes
}

// closeStream ends a stream; the channel goes with the last one. It is
// dropped, not closed: mcp-go may be sending on it at that moment.
func (s *mcpSession) closeStream() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.streams--; s.streams == 0 {
		s.notes = nil
	}
}

// streamBuffer is how many notifications may wait for a session's GET
// streams to write them; more are dropped, as mcp-go drops them.
const streamBuffer = 16

func (s *mcpSession) GetClientInfo() mcp.Implementation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.info
}

func (s *mcpSession) SetClientInfo(info mcp.Implementation) {
	s.mu.Lock()
	s.info = info
	s.mu.Unlock()
}

func (s *mcpSession) GetClientCapabilities() mcp.ClientCapabilities {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.caps
}

func (s *mcpSession) SetClientCapabilities(caps mcp.ClientCapabilities) {
	s.mu.Lock()
	s.caps = caps
	s.mu.Unlock()
}

// ProtocolVersion is the version negotiated at initialize.
func (s *mcpSession) ProtocolVersion() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version
}

// SetProtocolVersion is how mcp-go's initialize records that version.
func (s *mcpSession) SetProtocolVersion(v string) {
	s.mu.Lock()
	s.version = v
	s.mu.Unlock()
}

func (s *mcpSession) GetLogLevel() mcp.LoggingLevel {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.level
}

func (s *mcpSession) SetLogLevel(level mcp.LoggingLevel) {
	s.mu.Lock()
	s.level = level
	s.mu.Unlock()
}
