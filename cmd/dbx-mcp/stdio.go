package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dbx-mcp/dbx-mcp/tools"
)

// drainTimeout bounds how long the end of stdin waits for outstanding
// answers: the longest a tool may legitimately run, plus a margin.
const drainTimeout = time.Duration(tools.MaxWaitSeconds+120) * time.Second

// defaultMaxLine is the default of --stdio-max-line: the longest message
// stdin may carry. It leaves room for the largest bodies the REST API takes
// (a 10 MB workspace import, base64-encoded, is about 13.4 MB) while keeping
// what one line can make the process hold bounded.
const defaultMaxLine = 16 << 20

// readChunk is how much stdioDrain reads from stdin at a time.
const readChunk = 64 << 10

// idScanLimit is how much of an oversize line's start is searched for its
// id. Clients put "id" before "params", so its first bytes show it.
const idScanLimit = 64 << 10

// keepBuffer is the capacity above which a buffer is released once used,
// so one large message does not pin its size for the rest of the session.
const keepBuffer = 1 << 20

// stdioDrain sits between the process's stdin/stdout and mcp-go's stdio
// transport, and does three things the transport does not:
//
//   - It lets a client write its requests, close stdin and still read every
//     answer. The transport cancels running requests when its input ends;
//     stdioDrain holds the end of input back until as many answers have been
//     written as requests were read (or ctx ends, or drainTimeout). A tool
//     call that may already have changed the workspace is thus never
//     abandoned unanswered.
//   - It bounds a line's length. The transport reads whole lines into memory
//     however long they are; stdioDrain hands it only lines of at most
//     maxLine bytes, answers a longer one itself with a JSON-RPC error and
//     skips the rest of it without keeping it, so memory stays bounded
//     whatever stdin holds. Each byte is searched for a newline once.
//   - It holds back the answer to a request the client cancelled
//     (notifications/cancelled), as MCP asks of the receiver: the transport
//     would write the handler's "context canceled" error. Such an answer
//     still counts as written for the end-of-input wait.
type stdioDrain struct {
	ctx     context.Context
	in      io.Reader
	out     io.Writer
	maxLine int
	log     *slog.Logger

	// Read side, used only by the transport's reading goroutine.
	chunk    []byte
	pending  []byte // accepted lines not yet handed to the transport
	pendOff  int    // how much of pending was handed over
	cur      []byte // the line being read, while it is within maxLine
	skipping bool   // the line being read is over maxLine and being skipped
	skipped  int64  // its length so far
	skipID   json.RawMessage
	inErr    error // the error that ended stdin, once it has

	// dispatch, when set, is offered every request line (a copy the
	// callee keeps) before the transport; a line it takes is answered by
	// it, through answer, and never reaches the transport.
	dispatch func(line []byte) bool
	// onCancel, when set, is told of each request in progress the client
	// cancels (by id key), besides the transport.
	onCancel func(key string)

	writeMu sync.Mutex // serialises writes to out
	outLine []byte     // an incomplete line written by the transport, under writeMu

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced on every count change
	requests  int
	responses int
	open      map[string]int  // requests read and not yet answered, by id
	cancelled map[string]bool // those of them the client cancelled
}

func newStdioDrain(ctx context.Context, in io.Reader, out io.Writer, maxLine int, log *slog.Logger) *stdioDrain {
	if maxLine <= 0 {
		maxLine = defaultMaxLine
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &stdioDrain{
		ctx: ctx, in: in, out: out, maxLine: maxLine, log: log,
		chunk:   make([]byte, readChunk),
		changed: make(chan struct{}),
		open:    map[string]int{}, cancelled: map[string]bool{},
	}
}

// Reader is the transport's stdin.
func (d *stdioDrain) Reader() io.Reader { return drainReader{d} }

// Writer is the transport's stdout.
func (d *stdioDrain) Writer() io.Writer { return drainWriter{d} }

type drainReader struct{ d *stdioDrain }
type drainWriter struct{ d *stdioDrain }

func (r drainReader) Read(p []byte) (int, error) {
	d := r.d
	for d.pendOff == len(d.pending) {
		d.pending, d.pendOff = d.pending[:0], 0
		if cap(d.pending) > keepBuffer {
			d.pending = nil
		}
		if d.inErr != nil {
			if d.inErr == io.EOF {
				d.waitForAnswers()
			}
			return 0, d.inErr
		}
		n, err := d.in.Read(d.chunk)
		d.take(d.chunk[:n])
		if err != nil {
			d.endOfInput()
			d.inErr = err
		}
	}
	n := copy(p, d.pending[d.pendOff:])
	d.pendOff += n
	return n, nil
}

// take splits newly read bytes into lines. Only the new bytes are searched
// for the end of a line, and a line is copied only while it is within
// maxLine.
func (d *stdioDrain) take(data []byte) {
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		piece := data
		if i >= 0 {
			piece = data[:i]
		}
		switch {
		case d.skipping:
			d.skipped += int64(len(piece))
		case len(d.cur)+len(piece) > d.maxLine:
			d.startSkipping(piece)
		case i < 0:
			d.cur = append(d.cur, piece...)
		case len(d.cur) == 0:
			d.accept(piece)
		case len(d.pending) == 0:
			// The line is all in cur: hand cur over instead of copying it.
			d.cur = append(d.cur, piece...)
			if d.note(d.cur) && d.offer(d.cur) {
				d.cur = d.cur[:0]
				break
			}
			d.pending, d.cur = append(d.cur, '\n'), d.pending[:0]
		default:
			d.cur = append(d.cur, piece...)
			d.accept(d.cur)
			d.cur = d.cur[:0]
			if cap(d.cur) > keepBuffer {
				d.cur = nil
			}
		}
		if i < 0 {
			return
		}
		if d.skipping {
			d.refuseSkipped()
		}
		data = data[i+1:]
	}
}

// endOfInput settles the last line when stdin ends without a newline: an
// oversize one is answered; any other goes to the transport as it is (which
// ignores an unterminated last line, as it always did).
func (d *stdioDrain) endOfInput() {
	if d.skipping {
		d.refuseSkipped()
	}
	d.pending = append(d.pending, d.cur...)
	d.cur = nil
}

// accept hands a complete line within the limit to the transport, counting
// it if it is a request and noting a cancellation.
func (d *stdioDrain) accept(line []byte) {
	if d.note(line) && d.offer(line) {
		return
	}
	d.pending = append(d.pending, line...)
	d.pending = append(d.pending, '\n')
}

// offer hands a request line to dispatch, if there is one, and reports
// whether it took it.
func (d *stdioDrain) offer(line []byte) bool {
	return d.dispatch != nil && d.dispatch(bytes.Clone(line))
}

// note counts a request (an id and a method) and records a cancellation;
// it reports whether line is a request.
func (d *stdioDrain) note(line []byte) bool {
	var m struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
	}
	var ok bool
	if m.ID, m.Method, ok = tools.RequestHead(line); !ok && json.Unmarshal(line, &m) != nil {
		return false
	}
	if m.Method == "" {
		return false
	}
	if m.Method == string(mcp.MethodNotificationCancelled) {
		var n struct {
			Params struct {
				RequestID json.RawMessage `json:"requestId"`
			} `json:"params"`
		}
		if json.Unmarshal(line, &n) != nil {
			return false
		}
		key, ok := idKey(n.Params.RequestID)
		d.mu.Lock()
		open := ok && d.open[key] > 0
		if open {
			d.cancelled[key] = true
		}
		d.mu.Unlock()
		if open && d.onCancel != nil {
			d.onCancel(key)
		}
		return false
	}
	key, ok := idKey(m.ID)
	if !ok {
		return false
	}
	d.mu.Lock()
	d.requests++
	d.open[key]++
	d.signal()
	d.mu.Unlock()
	return true
}

// wasCancelled reports whether the client cancelled the request in
// progress with id key.
func (d *stdioDrain) wasCancelled(key string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cancelled[key]
}

// startSkipping begins skipping an oversize line, of which cur and piece
// are the start, keeping its id when its first bytes show one.
func (d *stdioDrain) startSkipping(piece []byte) {
	head := d.cur
	if len(head) < idScanLimit {
		head = append(head, piece[:min(len(piece), idScanLimit-len(head))]...)
	}
	d.skipID = requestIDOf(head[:min(len(head), idScanLimit)])
	d.skipping, d.skipped = true, int64(len(d.cur)+len(piece))
	d.cur = nil
}

// refuseSkipped answers the oversize line just skipped. The answer is not
// counted: the request never reached the transport.
func (d *stdioDrain) refuseSkipped() {
	id := d.skipID
	if id == nil {
		id = json.RawMessage("null")
	}
	msg := fmt.Sprintf("message of %d bytes exceeds the stdio transport's line limit of %d bytes (--stdio-max-line); it was discarded unread",
		d.skipped, d.maxLine)
	type details struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	resp, _ := json.Marshal(struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   details         `json:"error"`
	}{mcp.JSONRPC_VERSION, id, details{mcp.INVALID_REQUEST, msg}})
	d.log.Warn("discarded an oversize message from stdin", "bytes", d.skipped, "limit", d.maxLine, "id", string(id))
	d.writeMu.Lock()
	_, err := d.out.Write(append(resp, '\n'))
	d.writeMu.Unlock()
	if err != nil {
		d.log.Warn("writing the answer to an oversize message", "error", err.Error())
	}
	d.skipping, d.skipped, d.skipID = false, 0, nil
}

// requestIDOf finds the top-level id of a request in the start of a JSON
// object, or nil when that start shows no id and method (a notification,
// a response of the client's, or too little to tell).
func requestIDOf(head []byte) json.RawMessage {
	dec := json.NewDecoder(bytes.NewReader(head))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var id json.RawMessage
	method := false
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil
		}
		key, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			break // the value runs past what was kept
		}
		switch key {
		case "id":
			if _, ok := idKey(v); ok {
				id = v
			}
		case "method":
			method = true
		}
		if id != nil && method {
			return id
		}
	}
	return nil
}

// idKey is the identity of a JSON-RPC id, the same however its JSON is
// spelt (1, 1.0 and 1e0; "a" and "\u0061"); ok is false for a missing or null id
// and for one that is neither a string nor a number.
func idKey(raw json.RawMessage) (string, bool) {
	// The ids clients send, small integers and plain strings, without a
	// decoder; anything else (escapes, exponents, spaces) is decoded.
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' && plainASCII(raw[1:n-1]) {
		return "s" + string(raw[1:n-1]), true
	}
	if n := len(raw); n > 0 && n <= 15 && allDigits(raw) && (raw[0] != '0' || n == 1) {
		f, _ := strconv.ParseFloat(string(raw), 64)
		return "n" + strconv.FormatFloat(f, 'g', -1, 64), true
	}
	return decodedIDKey(raw)
}

// decodedIDKey is idKey by decoding the id.
func decodedIDKey(raw json.RawMessage) (string, bool) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if len(raw) == 0 || dec.Decode(&v) != nil {
		return "", false
	}
	switch v := v.(type) {
	case string:
		return "s" + v, true
	case json.Number:
		// As float64, as mcp-go decodes the id it echoes. A number beyond
		// float64 is no id mcp-go can read: it answers such a message with
		// a null id, so counting it would leave the end of input waiting
		// for an answer that never comes.
		if f, err := v.Float64(); err == nil {
			return "n" + strconv.FormatFloat(f, 'g', -1, 64), true
		}
		return "", false
	}
	return "", false
}

// plainASCII reports whether b is printable ASCII without quotes or
// backslashes: a string's content that decodes to itself.
func plainASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func (w drainWriter) Write(p []byte) (int, error) {
	d := w.d
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	done := 0
	for done < len(p) {
		rest := p[done:]
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			d.outLine = append(d.outLine, rest...)
			return len(p), nil
		}
		line := rest[:i+1]
		if len(d.outLine) > 0 {
			d.outLine = append(d.outLine, line...)
			line = d.outLine
		}
		if err := d.emit(line); err != nil {
			return done, err
		}
		d.outLine = d.outLine[:0]
		if cap(d.outLine) > keepBuffer {
			d.outLine = nil
		}
		done += i + 1
	}
	return done, nil
}

// answer writes the answer to a dispatched request, one complete line,
// counted as the transport's answers are; id is the request's, and isError
// whether the answer is an error, which is held back if the client
// cancelled the request.
func (d *stdioDrain) answer(id mcp.RequestId, isError bool, line []byte) error {
	var buf [32]byte
	raw, err := tools.AppendRequestID(buf[:0], id)
	if err != nil {
		return err
	}
	key, ok := idKey(raw)
	if !ok {
		d.writeMu.Lock()
		defer d.writeMu.Unlock()
		return d.emit(line)
	}
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	return d.emitAnswer(key, isError, raw, line)
}

// emit writes one complete line of the transport's, unless it is the
// error answer to a request the client cancelled, and counts answers
// (an id and no method). d.writeMu is held.
func (d *stdioDrain) emit(line []byte) error {
	m := headOf(line)
	if !m.ok || m.Method != "" {
		_, err := d.out.Write(line)
		return err
	}
	key, answer := idKey(m.ID)
	if !answer {
		_, err := d.out.Write(line)
		return err
	}
	return d.emitAnswer(key, len(m.Error) > 0 && string(m.Error) != "null", m.ID, line)
}

// emitAnswer writes the answer to request key, unless it is an error and
// the client cancelled the request, and counts it. d.writeMu is held.
func (d *stdioDrain) emitAnswer(key string, isError bool, id json.RawMessage, line []byte) error {
	d.mu.Lock()
	drop := isError && d.cancelled[key]
	d.mu.Unlock()
	if drop {
		d.log.Debug("held back the answer to a cancelled request", "id", string(id))
	} else if _, err := d.out.Write(line); err != nil {
		return err
	}
	d.mu.Lock()
	d.responses++
	if d.open[key]--; d.open[key] <= 0 {
		delete(d.open, key)
		delete(d.cancelled, key)
	}
	d.signal()
	d.mu.Unlock()
	return nil
}

// messageHead is what emit needs of a message the transport writes.
type messageHead struct {
	ID     json.RawMessage
	Method string
	Error  json.RawMessage
	ok     bool // the line is a JSON object
}

// headOf reads a message's id, method and error without reading its
// result: an answer to tools/list or a large tool call is tens of kilobytes
// whose every byte a full decoding would scan again, after the transport
// just encoded it. JSON-RPC answers carry either result or error, so once
// result follows the id nothing after it matters. A message in another
// shape (result before the id, invalid JSON) is decoded whole.
func headOf(line []byte) messageHead {
	var h messageHead
	dec := json.NewDecoder(bytes.NewReader(line))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return decodeHead(line)
	}
	for dec.More() {
		t, err := dec.Token()
		key, isKey := t.(string)
		if err != nil || !isKey {
			return decodeHead(line)
		}
		var dst any
		switch key {
		case "result":
			if h.ID == nil {
				return decodeHead(line)
			}
			h.ok = true
			return h
		case "id":
			dst = &h.ID
		case "method":
			dst = &h.Method
		case "error":
			dst = &h.Error
		default:
			dst = new(json.RawMessage)
		}
		if dec.Decode(dst) != nil {
			return decodeHead(line)
		}
	}
	return decodeHead(line) // no result: small, and checked whole
}

// decodeHead is headOf by decoding the whole line.
func decodeHead(line []byte) messageHead {
	var m struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
		Error  json.RawMessage `json:"error"`
	}
	if json.Unmarshal(line, &m) != nil {
		return messageHead{}
	}
	return messageHead{ID: m.ID, Method: m.Method, Error: m.Error, ok: true}
}

// signal wakes waitForAnswers. d.mu is held.
func (d *stdioDrain) signal() {
	close(d.changed)
	d.changed = make(chan struct{})
}

func (d *stdioDrain) waitForAnswers() {
	deadline := time.NewTimer(drainTimeout)
	defer deadline.Stop()
	for {
		d.mu.Lock()
		done, changed := d.responses >= d.requests, d.changed
		d.mu.Unlock()
		if done {
			return
		}
		select {
		case <-changed:
		case <-d.ctx.Done():
			return
		case <-deadline.C:
			return
		}
	}
}

// Over stdio, at most stdioWorkers+stdioQueue requests are in progress at
// once (the pool and queue mcp-go's transport had); a call that waits for a
// cluster holds its slot for up to tools.MaxWaitSeconds, and waiting calls
// may take at most stdioMaxWaits slots: a waiting call beyond that is
// refused before it does anything, so the other slots always serve the
// calls that do not wait.
const (
	stdioWorkers  = 100
	stdioMaxWaits = 64
	stdioQueue    = 1000
)

// limitWaits is the tool middleware bounding the calls that wait at once:
// a call of a tool in waitTools with a positive wait_seconds needs one of
// limit slots, and is refused with a tool error when none is free.
func limitWaits(waitTools map[string]bool, limit int) server.ToolHandlerMiddleware {
	slots := make(chan struct{}, limit)
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			if !waitTools[req.Params.Name] || !waits(req) {
				return next(ctx, req)
			}
			select {
			case slots <- struct{}{}:
			default:
				return mcp.NewToolResultError(fmt.Sprintf("%s: %d calls are already waiting, the most this server runs at once over stdio, "+
					"so this call was refused and nothing was done. Call again without %s and follow the state with the get tool "+
					"(clusters_get for a cluster), or once one of the waiting calls has finished.", tools.WaitOption, limit, tools.WaitOption)), nil
			}
			defer func() { <-slots }()
			return next(ctx, req)
		}
	}
}

// waits reports whether a call asks to wait: a positive wait_seconds.
// A value that is not a number counts as not waiting; the tool itself
// rejects it.
func waits(req mcp.CallToolRequest) bool {
	var opt json.RawMessage
	switch a := req.GetRawArguments().(type) {
	case json.RawMessage:
		var args map[string]json.RawMessage
		if json.Unmarshal(a, &args) != nil {
			return false
		}
		opt = args[tools.WaitOption]
	case map[string]any:
		v, ok := a[tools.WaitOption]
		if !ok {
			return false
		}
		opt, _ = json.Marshal(v)
	}
	var secs float64
	return json.Unmarshal(opt, &secs) == nil && secs > 0
}

// waitingTools names the tools that take the wait option.
func waitingTools(reg *tools.Registry) map[string]bool {
	out := map[string]bool{}
	for _, t := range reg.Tools() {
		var s struct {
			Properties map[string]json.RawMessage `json:"properties"`
		}
		raw := t.Definition.RawInputSchema
		if len(raw) == 0 {
			raw, _ = json.Marshal(t.Definition.InputSchema)
		}
		// Only a schema naming the option anywhere is decoded: this runs
		// at start-up, and few tools wait.
		if bytes.Contains(raw, []byte(`"`+tools.WaitOption+`"`)) && json.Unmarshal(raw, &s) == nil && s.Properties[tools.WaitOption] != nil {
			out[t.Name()] = true
		}
	}
	return out
}

// serveStdio runs the MCP server over the process's stdin and stdout.
// mcp-go's stdio transport reads the notifications and the client's own
// answers (to elicitation); every request is answered by stdioCalls, in
// the transport's context and session.
func serveStdio(ctx context.Context, mcpServer *server.MCPServer, reg *tools.Registry, s stdio, log *slog.Logger, opt stdioOptions) error {
	tools.UseToolMiddleware(mcpServer, limitWaits(waitingTools(reg), stdioMaxWaits))
	stdioServer := server.NewStdioServer(mcpServer)
	stdioServer.SetErrorLogger(slogWriter(log))
	drain := newStdioDrain(ctx, s.in, s.out, opt.maxLine, log)
	calls := newStdioCalls(mcpServer, drain, log)
	drain.onCancel = calls.cancel
	if opt.listed != nil {
		calls.listed = sync.OnceFunc(opt.listed)
	}
	calls.procs = opt.procs
	opt.procs.start()
	defer opt.procs.stop()
	stdioServer.SetContextFunc(calls.bind)
	drain.dispatch = calls.dispatch
	err := stdioServer.Listen(ctx, drain.Reader(), drain.Writer())
	calls.close()
	return err
}

// stdioOptions are serveStdio's settings.
type stdioOptions struct {
	maxLine int    // --stdio-max-line; 0 for defaultMaxLine
	listed  func() // if not nil, called once the first tools/list is answered
	// procs, if not nil, governs the processor count by the requests in
	// progress.
	procs *procsGovernor
}

// stdioCalls answers requests read from stdin, each on its own goroutine,
// instead of mcp-go's stdio transport: the transport encodes every answer
// with encoding/json, which for a tool call's result (the API body twice)
// cost more than the rest of the call; tools.AppendMessage writes the same
// bytes for a fraction of it. Cancellation (notifications/cancelled, which
// the transport passes on to the server) and notifications work as before:
// the requests run in the context the transport would run them in, with
// its session.
type stdioCalls struct {
	srv   *server.MCPServer
	drain *stdioDrain
	log   *slog.Logger
	// ctx is the transport's context, with its session. bind sets it
	// before the transport reads its first line, and so before dispatch.
	ctx context.Context
	// slots bounds the requests in progress, as the transport's worker
	// pool and queue did: when all are taken, reading stdin waits.
	slots chan struct{}
	wg    sync.WaitGroup // requests in progress
	// Requests run on workers that stay for the next request, up to
	// maxIdleWorkers of them idle: a goroutine started per request spent
	// more on growing its stack to the depth of a call than on the rest of
	// a ping.
	listed  func()         // called after each tools/list answer; nil for none
	procs   *procsGovernor // nil for none
	work    chan []byte    // unbuffered: a send is taken only by an idle worker
	mu      sync.Mutex
	running map[string][]*context.CancelFunc // the calls run runs, by id key
	prepare func(context.Context, []byte) (*tools.ToolCall, bool)
	idle    atomic.Int32
	stop    chan struct{}
	workers sync.WaitGroup
}

// maxIdleWorkers is how many workers stay waiting for requests.
const maxIdleWorkers = 8

func newStdioCalls(srv *server.MCPServer, drain *stdioDrain, log *slog.Logger) *stdioCalls {
	return &stdioCalls{
		srv: srv, drain: drain, log: log,
		slots:   make(chan struct{}, stdioWorkers+stdioQueue),
		work:    make(chan []byte),
		running: map[string][]*context.CancelFunc{},
		prepare: tools.CallPreparer(srv),
		stop:    make(chan struct{}),
	}
}

func (c *stdioCalls) bind(ctx context.Context) context.Context {
	c.ctx = ctx
	return ctx
}

// dispatch takes a request line and answers it on a worker.
func (c *stdioCalls) dispatch(line []byte) bool {
	if c.ctx == nil {
		return false
	}
	c.slots <- struct{}{}
	c.wg.Add(1)
	c.procs.begin()
	select {
	case c.work <- line:
	default:
		c.workers.Add(1)
		go c.worker(line)
	}
	return true
}

func (c *stdioCalls) worker(line []byte) {
	defer c.workers.Done()
	for {
		c.serve(line)
		<-c.slots
		c.wg.Done()
		if c.idle.Add(1) > maxIdleWorkers {
			c.idle.Add(-1)
			return
		}
		select {
		case line = <-c.work:
			c.idle.Add(-1)
		case <-c.stop:
			c.idle.Add(-1)
			return
		}
	}
}

// close waits for the requests in progress and ends the idle workers.
func (c *stdioCalls) close() {
	c.wg.Wait()
	close(c.stop)
	c.workers.Wait()
}

// answerBuffers are the buffers answers are encoded into.
var answerBuffers = sync.Pool{New: func() any { return new([]byte) }}

func (c *stdioCalls) serve(line []byte) {
	resp := c.handle(line)
	if resp == nil {
		c.procs.end()
		return
	}
	bp := answerBuffers.Get().(*[]byte)
	out := tools.AppendAnswer((*bp)[:0], resp, c.log)
	out = append(out, '\n')
	// Finished before its answer is written: a client that calls one
	// tool after another sends its next request as soon as it reads it.
	c.procs.end()
	var id mcp.RequestId
	isError := false
	switch r := resp.(type) {
	case mcp.JSONRPCResponse:
		id = r.ID
	case mcp.JSONRPCError:
		id, isError = r.ID, true
	}
	if err := c.drain.answer(id, isError, out); err != nil {
		c.log.Warn("writing an answer to stdout failed", "error", err.Error())
	}
	if r, ok := resp.(mcp.JSONRPCResponse); ok && c.listed != nil {
		switch r.Result.(type) {
		case *mcp.ListToolsResult, mcp.ListToolsResult:
			c.listed()
		}
	}
	if cap(out) <= keepBuffer {
		*bp = out[:0]
		answerBuffers.Put(bp)
	}
}

// handle runs the request through the server; a panic is answered with an
// internal error carrying the request's id, as the transport did.
func (c *stdioCalls) handle(line []byte) (resp mcp.JSONRPCMessage) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("panic recovered serving a request", "panic", fmt.Sprint(r))
			var m struct {
				ID any `json:"id"`
			}
			_ = json.Unmarshal(line, &m)
			resp = mcp.NewJSONRPCError(mcp.NewRequestId(m.ID), mcp.INTERNAL_ERROR, fmt.Sprintf("internal panic: %v", r), nil)
		}
	}()
	if call, ok := c.prepare(c.ctx, line); ok {
		return c.run(call)
	}
	return c.srv.HandleMessage(c.ctx, line)
}

// run runs a call tools.PrepareCall took, in a context the client's
// notifications/cancelled cancels, as HandleMessage's is.
func (c *stdioCalls) run(call *tools.ToolCall) mcp.JSONRPCMessage {
	key, _ := idKey(call.ID()) // PrepareCall takes only ids idKey keys
	ctx, cancel := context.WithCancel(c.ctx)
	defer cancel()
	entry := &cancel
	c.mu.Lock()
	c.running[key] = append(c.running[key], entry)
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		rest := slices.DeleteFunc(c.running[key], func(e *context.CancelFunc) bool { return e == entry })
		if len(rest) == 0 {
			delete(c.running, key)
		} else {
			c.running[key] = rest
		}
		c.mu.Unlock()
	}()
	if c.drain.wasCancelled(key) {
		cancel() // the cancellation came before the call started
	}
	return call.Run(ctx)
}

// cancel cancels the calls in progress with id key that run runs (more
// than one only if the client reused an id).
func (c *stdioCalls) cancel(key string) {
	c.mu.Lock()
	entries := slices.Clone(c.running[key])
	c.mu.Unlock()
	for _, cancel := range entries {
		(*cancel)()
	}
}

// byteSize is a flag value in bytes: a plain number, or one with a KiB,
// MiB or GiB suffix.
type byteSize int

func (b *byteSize) String() string {
	switch n := int(*b); {
	case n > 0 && n%(1<<30) == 0:
		return strconv.Itoa(n>>30) + "GiB"
	case n > 0 && n%(1<<20) == 0:
		return strconv.Itoa(n>>20) + "MiB"
	case n > 0 && n%(1<<10) == 0:
		return strconv.Itoa(n>>10) + "KiB"
	default:
		return strconv.Itoa(n)
	}
}

func (b *byteSize) Set(s string) error {
	num, unit := s, 1
	for _, u := range []struct {
		suffix string
		size   int
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}} {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			num, unit = n, u.size
			break
		}
	}
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 || n > (1<<31-1)/unit {
		return fmt.Errorf("want a positive size in bytes, optionally with KiB, MiB or GiB (got %q)", s)
	}
	*b = byteSize(n * unit)
	return nil
}
