package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/tools"
)

// rawServer is `dbx-mcp serve` over stdio driven with raw JSON-RPC lines,
// so a test sees exactly what the server writes, unanswered requests and
// unexpected answers included.
type rawServer struct {
	t     *testing.T
	cmd   *exec.Cmd
	stdin io.WriteCloser

	mu      sync.Mutex
	msgs    []rawMsg
	changed chan struct{} // closed and replaced on every new message
	exited  chan struct{} // closed when the process has exited
	stderr  bytes.Buffer
}

type rawMsg struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	line string
}

// startRaw starts `dbx-mcp serve` with args and performs the MCP handshake.
func startRaw(t *testing.T, args ...string) *rawServer {
	t.Helper()
	cmd := exec.Command(binPath, append([]string{"serve", "--toolsets", "all"}, args...)...)
	cmd.Env = cleanEnv(t)
	s := &rawServer{t: t, cmd: cmd, changed: make(chan struct{}), exited: make(chan struct{})}
	var err error
	if s.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = &lockedWriter{mu: &s.mu, w: &s.stderr}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		r := bufio.NewReaderSize(stdout, 1<<20)
		for {
			line, err := r.ReadString('\n')
			if len(line) > 0 {
				var m rawMsg
				if json.Unmarshal([]byte(line), &m) != nil {
					m.Method = "(not JSON)"
				}
				m.line = strings.TrimSpace(line)
				s.mu.Lock()
				s.msgs = append(s.msgs, m)
				close(s.changed)
				s.changed = make(chan struct{})
				s.mu.Unlock()
			}
			if err != nil {
				break
			}
		}
		cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		s.stdin.Close()
		select {
		case <-s.exited:
		case <-time.After(100 * time.Millisecond):
			cmd.Process.Kill()
			<-s.exited
		}
		if t.Failed() {
			s.mu.Lock()
			t.Logf("server log:\n%s", s.stderr.String())
			s.mu.Unlock()
		}
	})
	s.send(`{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`)
	s.answer(`"init"`, 20*time.Second)
	s.send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	return s
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

func (s *rawServer) send(line string) {
	s.t.Helper()
	if _, err := io.WriteString(s.stdin, line+"\n"); err != nil {
		s.t.Fatalf("writing to the server: %v", err)
	}
}

// callLine is a tools/call request line.
func callLine(id, tool, args string, progressToken ...string) string {
	meta := ""
	if len(progressToken) > 0 {
		meta = `,"_meta":{"progressToken":` + progressToken[0] + `}`
	}
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"method":"tools/call","params":{"name":%q,"arguments":%s%s}}`, id, tool, args, meta)
}

// wait returns the first message (in arrival order) satisfying ok, waiting
// at most timeout for it, and not past the process's exit.
func (s *rawServer) wait(timeout time.Duration, ok func(rawMsg) bool) (rawMsg, bool) {
	deadline := time.After(timeout)
	exited := false
	for {
		s.mu.Lock()
		for _, m := range s.msgs {
			if ok(m) {
				s.mu.Unlock()
				return m, true
			}
		}
		changed := s.changed
		s.mu.Unlock()
		if exited {
			return rawMsg{}, false
		}
		select {
		case <-changed:
		case <-s.exited:
			exited = true // look once more: the last lines may just have come
		case <-deadline:
			return rawMsg{}, false
		}
	}
}

// closeAndAwaitExit closes stdin and fails the test with why unless the
// process exits within timeout.
func (s *rawServer) closeAndAwaitExit(timeout time.Duration, why string) {
	s.t.Helper()
	s.stdin.Close()
	select {
	case <-s.exited:
	case <-time.After(timeout):
		s.t.Fatal(why)
	}
}

// answer waits for the response to request id (its JSON text).
func (s *rawServer) answer(id string, timeout time.Duration) rawMsg {
	s.t.Helper()
	m, ok := s.wait(timeout, func(m rawMsg) bool { return m.Method == "" && string(m.ID) == id })
	if !ok {
		s.t.Fatalf("no answer to request %s within %v", id, timeout)
	}
	return m
}

// progressTokens is the set of progress tokens notified so far.
func (s *rawServer) progressTokens() map[string]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[string]bool{}
	for _, m := range s.msgs {
		if m.Method != "notifications/progress" {
			continue
		}
		var p struct {
			Token json.RawMessage `json:"progressToken"`
		}
		json.Unmarshal(m.Params, &p)
		seen[string(p.Token)] = true
	}
	return seen
}

// startWaits sends n clusters_create calls that wait for their cluster
// (ids and progress tokens "w0", "w1", ...), and returns once each has
// reported progress, that is once all n are waiting at the same time; or
// after timeout, reporting how many got that far.
func (s *rawServer) startWaits(n int, timeout time.Duration) int {
	for i := range n {
		id := fmt.Sprintf(`"w%d"`, i)
		s.send(callLine(id, "clusters_create", fmt.Sprintf(`{"cluster_name":"w%d","spark_version":"x","num_workers":1,"wait_seconds":600}`, i), id))
	}
	deadline := time.Now().Add(timeout)
	for {
		seen := s.progressTokens()
		waiting := 0
		for i := range n {
			if seen[fmt.Sprintf(`"w%d"`, i)] {
				waiting++
			}
		}
		if waiting == n || time.Now().After(deadline) {
			return waiting
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestStdioWaitsDoNotStarveOtherCalls: cluster calls that wait (here for
// a cluster that takes 30 s to start) must not hold up other tool calls,
// however many of them wait at once.
func TestStdioWaitsDoNotStarveOtherCalls(t *testing.T) {
	s := startRaw(t, "--emulator", "--emulator-delay", "30s", "--log-level", "warn")
	if waiting := s.startWaits(8, 10*time.Second); waiting != 8 {
		t.Errorf("only %d of 8 waiting clusters_create calls started within 10 s", waiting)
	}
	start := time.Now()
	s.send(callLine(`"list"`, "clusters_list", `{}`))
	m, ok := s.wait(3*time.Second, func(m rawMsg) bool { return string(m.ID) == `"list"` })
	if !ok {
		t.Fatalf("clusters_list got no answer within 3 s while 8 calls wait")
	}
	if m.Error != nil || !strings.Contains(m.line, "w7") {
		t.Errorf("clusters_list answer (after %v): %.300s", time.Since(start), m.line)
	}
}

// TestStdioBoundsConcurrentWaits: past stdioMaxWaits calls waiting at once,
// a further waiting call is refused up front (nothing done, the reason
// given), and calls that do not wait still run.
func TestStdioBoundsConcurrentWaits(t *testing.T) {
	s := startRaw(t, "--emulator", "--emulator-delay", "30s", "--log-level", "warn")
	if waiting := s.startWaits(stdioMaxWaits, 20*time.Second); waiting != stdioMaxWaits {
		t.Fatalf("only %d of %d waiting calls started", waiting, stdioMaxWaits)
	}
	s.send(callLine(`"extra"`, "clusters_create", `{"cluster_name":"extra","spark_version":"x","num_workers":1,"wait_seconds":60}`))
	m := s.answer(`"extra"`, 5*time.Second)
	if m.Error != nil || !strings.Contains(m.line, `"isError":true`) || !strings.Contains(m.line, "wait_seconds") ||
		!strings.Contains(m.line, "nothing was done") {
		t.Errorf("a waiting call past the bound must be refused as a tool error naming wait_seconds: %.500s", m.line)
	}
	s.send(callLine(`"list"`, "clusters_list", `{}`))
	if m := s.answer(`"list"`, 3*time.Second); strings.Contains(m.line, "extra") {
		t.Errorf("the refused call created a cluster anyway: %.500s", m.line)
	}
	s.send(callLine(`"nowait"`, "clusters_create", `{"cluster_name":"nowait","spark_version":"x","num_workers":1}`))
	if m := s.answer(`"nowait"`, 3*time.Second); m.Error != nil || strings.Contains(m.line, `"isError":true`) {
		t.Errorf("a call without wait_seconds must still run: %.500s", m.line)
	}
}

// TestStdioCancelledCallGetsNoAnswer: after notifications/cancelled the
// server sends nothing for that request (MCP: the receiver should not
// respond), answers what comes next, and still exits promptly when stdin
// ends, although the cancelled request was never answered.
func TestStdioCancelledCallGetsNoAnswer(t *testing.T) {
	s := startRaw(t, "--emulator", "--emulator-delay", "30s", "--log-level", "warn")
	if s.startWaits(1, 10*time.Second) != 1 {
		t.Fatal("the waiting call did not start")
	}
	s.send(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"w0","reason":"user pressed stop"}}`)
	s.send(`{"jsonrpc":"2.0","id":"after","method":"ping"}`)
	s.answer(`"after"`, 5*time.Second)
	// The cancelled call's answer, if the server wrongly wrote one, comes
	// within moments of the cancellation; give it time to show.
	time.Sleep(500 * time.Millisecond)
	s.closeAndAwaitExit(15*time.Second, "the server did not exit within 15 s of stdin closing after a cancelled call")
	if m, ok := s.wait(0, func(m rawMsg) bool { return string(m.ID) == `"w0"` }); ok {
		t.Errorf("the cancelled call was answered: %.300s", m.line)
	}
}

// TestStdioCancelledPlainCall is TestStdioCancelledCallGetsNoAnswer for a
// call without a progress token, which the server runs without mcp-go's
// HandleMessage (tools.PrepareCall): the cancellation must reach it all
// the same, or its wait would hold the end of input back for 600 s.
func TestStdioCancelledPlainCall(t *testing.T) {
	s := startRaw(t, "--emulator", "--emulator-delay", "30s", "--log-level", "warn")
	s.send(callLine(`"w"`, "clusters_create", `{"cluster_name":"w","spark_version":"x","num_workers":1,"wait_seconds":600}`))
	// The call is waiting once its cluster exists.
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; ; i++ {
		id := fmt.Sprintf(`"l%d"`, i)
		s.send(callLine(id, "clusters_list", `{}`))
		if strings.Contains(s.answer(id, 5*time.Second).line, `\"cluster_name\":\"w\"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the waiting call did not create its cluster")
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.send(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"w"}}`)
	time.Sleep(300 * time.Millisecond)
	s.closeAndAwaitExit(15*time.Second, "the server did not exit within 15 s of stdin closing: the cancelled call kept waiting")
	if m, ok := s.wait(0, func(m rawMsg) bool { return string(m.ID) == `"w"` }); ok {
		t.Errorf("the cancelled call was answered: %.300s", m.line)
	}
}

// TestStdioUnreadableIDDoesNotHoldTheEnd: a request whose id is a number
// beyond float64 is answered with a null id (mcp-go cannot read it), and
// the end of input does not wait for an answer with that id.
func TestStdioUnreadableIDDoesNotHoldTheEnd(t *testing.T) {
	s := startRaw(t, "--emulator", "--log-level", "warn")
	s.send(`{"jsonrpc":"2.0","id":1e400,"method":"ping"}`)
	s.send(`{"jsonrpc":"2.0","id":"after","method":"ping"}`)
	s.answer(`"after"`, 5*time.Second)
	s.closeAndAwaitExit(15*time.Second, "the server did not exit within 15 s of stdin closing: it waits for an answer to id 1e400")
	if _, ok := s.wait(0, func(m rawMsg) bool { return string(m.ID) == "null" && m.Error != nil }); !ok {
		t.Error("the message with id 1e400 got no error answer")
	}
}

// TestStdioOversizeLine: a line longer than --stdio-max-line is answered
// with a JSON-RPC error (its id when the line's start shows one, else null)
// and discarded; the requests after it are served as usual.
func TestStdioOversizeLine(t *testing.T) {
	s := startRaw(t, "--emulator", "--stdio-max-line", "1MiB", "--log-level", "warn")
	big := strings.Repeat("x", 3<<20)
	s.send(callLine(`"big"`, "secrets_put_secret", `{"scope":"s","key":"k","string_value":"`+big+`"}`))
	s.send(`{"jsonrpc":"2.0","id":"next","method":"ping"}`)
	// An oversize line whose start shows no id is answered with id null.
	s.send(`{"jsonrpc":"2.0","params":{"blob":"` + big + `"},"method":"tools/call","id":"late"}`)
	s.send(callLine(`"fits"`, "clusters_list", `{}`))

	m := s.answer(`"big"`, 10*time.Second)
	if m.Error == nil || m.Error.Code != -32600 || !strings.Contains(m.Error.Message, "--stdio-max-line") ||
		!strings.Contains(m.Error.Message, "1048576") {
		t.Errorf("oversize line: want error -32600 naming the limit, got %.300s", m.line)
	}
	if m := s.answer(`"next"`, 10*time.Second); m.Error != nil {
		t.Errorf("ping after the oversize line: %s", m.line)
	}
	null, ok := s.wait(10*time.Second, func(m rawMsg) bool { return string(m.ID) == "null" && m.Error != nil })
	if !ok || null.Error.Code != -32600 {
		t.Errorf("oversize line without a visible id: want an error with id null, got %.300s", null.line)
	}
	if m := s.answer(`"fits"`, 10*time.Second); m.Error != nil || strings.Contains(m.line, `"isError":true`) {
		t.Errorf("request after the second oversize line: %.300s", m.line)
	}
	if _, ok := s.wait(0, func(m rawMsg) bool { return string(m.ID) == `"late"` }); ok {
		t.Error("the oversize line was handed to the transport after all")
	}
}

// lineSource is stdin holding one line of n bytes of filler after prefix
// (then a newline unless open) and then tail, served in reads of at most
// 64 KiB as a pipe would, without holding the line in memory.
type lineSource struct {
	prefix, tail string
	n            int64 // filler bytes left
	open         bool
	stage        int
}

func (s *lineSource) Read(p []byte) (int, error) {
	if len(p) > 64<<10 {
		p = p[:64<<10]
	}
	for {
		switch s.stage {
		case 0:
			if s.prefix != "" {
				n := copy(p, s.prefix)
				s.prefix = s.prefix[n:]
				return n, nil
			}
		case 1:
			if s.n > 0 {
				n := int(min(int64(len(p)), s.n))
				for i := range p[:n] {
					p[i] = 'x'
				}
				s.n -= int64(n)
				return n, nil
			}
		case 2:
			if !s.open {
				s.open = true
				p[0] = '\n'
				return 1, nil
			}
		case 3:
			if s.tail != "" {
				n := copy(p, s.tail)
				s.tail = s.tail[n:]
				return n, nil
			}
		default:
			return 0, io.EOF
		}
		s.stage++
	}
}

// answered is a context already done: at the end of input the drain then
// does not wait for answers, which these tests do not write.
func answered() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// readLines reads the drain's output to the transport as mcp-go does
// (bufio, one ReadString per line) and returns the lines.
func readLines(t testing.TB, r io.Reader) []string {
	t.Helper()
	br := bufio.NewReader(r)
	var lines []string
	for {
		line, err := br.ReadString('\n')
		if len(line) > 0 {
			lines = append(lines, line)
		}
		if err == io.EOF {
			return lines
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestStdioDrainOversizeLineMemory: an oversize line costs memory bounded
// by the limit, not by its length, whether a newline ends it or stdin does;
// the transport never sees it, and the request after it gets through.
func TestStdioDrainOversizeLineMemory(t *testing.T) {
	const limit = 1 << 20
	const prefix = `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"x":"`
	for _, tc := range []struct {
		name string
		src  *lineSource
		want []string // lines the transport must get
	}{
		{"newline", &lineSource{prefix: prefix, n: 200 << 20,
			tail: `{"jsonrpc":"2.0","id":8,"method":"ping"}` + "\n"}, []string{`{"jsonrpc":"2.0","id":8,"method":"ping"}` + "\n"}},
		{"end of input", &lineSource{prefix: prefix, n: 200 << 20, open: true}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			d := newStdioDrain(answered(), tc.src, &out, limit, nil)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			got := readLines(t, d.Reader())
			runtime.ReadMemStats(&after)
			if !slices.Equal(got, tc.want) {
				t.Errorf("the transport got %d lines %.200q, want %q", len(got), got, tc.want)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8*limit {
				t.Errorf("skipping a 200 MB line allocated %d bytes; want at most %d (8 × the limit)", alloc, 8*limit)
			}
			var resp rawMsg
			if err := json.Unmarshal(out.Bytes(), &resp); err != nil || string(resp.ID) != "7" || resp.Error == nil ||
				resp.Error.Code != -32600 || !strings.Contains(resp.Error.Message, fmt.Sprintf("message of %d bytes", len(prefix)+200<<20)) {
				t.Errorf("answer to the oversize line: %v %s", err, out.Bytes())
			}
		})
	}
}

// TestStdioDrainLines: lines split across reads or sharing one, at and
// past the limit, reach the transport whole and unchanged, or are refused.
func TestStdioDrainLines(t *testing.T) {
	const limit = 40
	ok := `{"jsonrpc":"2.0","id":1,"method":"ping"}` // exactly 40 bytes
	if len(ok) != limit {
		t.Fatalf("fixture is %d bytes", len(ok))
	}
	long := `{"jsonrpc":"2.0","id":22,"method":"ping"}`
	input := ok + "\n" + long + "\n" + "\n" + `{"jsonrpc":"2.0","method":"notifications/initialized"}` + "\n" + ok + "\n" + "tail"
	for _, step := range []int{1, 3, 7, 41, len(input)} {
		var out bytes.Buffer
		d := newStdioDrain(answered(), &stepReader{s: input, step: step}, &out, limit, nil)
		got := strings.Join(readLines(t, d.Reader()), "")
		want := ok + "\n" + "\n" + ok + "\n" + "tail"
		if got != want {
			t.Errorf("reads of %d bytes: the transport got %q, want %q", step, got, want)
		}
		if !strings.Contains(out.String(), `"id":22`) || strings.Count(out.String(), "\n") != 2 {
			t.Errorf("reads of %d bytes: want two refusals (the long request, by id, and the long notification), got %q", step, out.String())
		}
		if d.requests != 2 {
			t.Errorf("reads of %d bytes: %d requests counted, want 2", step, d.requests)
		}
	}
}

type stepReader struct {
	s    string
	step int
}

func (r *stepReader) Read(p []byte) (int, error) {
	if r.s == "" {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.step)], r.s)
	r.s = r.s[n:]
	return n, nil
}

// TestStdioDrainHoldsBackCancelledErrors: the error answer to a cancelled
// request is not written but counted; other answers, a cancelled request's
// successful result among them, are written whole even when split across
// writes.
func TestStdioDrainHoldsBackCancelledErrors(t *testing.T) {
	in := strings.Join([]string{
		`{"jsonrpc":"2.0","id":1,"method":"tools/call"}`,
		`{"jsonrpc":"2.0","id":"two","method":"tools/call"}`,
		`{"jsonrpc":"2.0","id":3,"method":"tools/call"}`,
		`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1.0}}`,
		`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"two"}}`,
		`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":99}}`,
	}, "\n") + "\n"
	var out bytes.Buffer
	d := newStdioDrain(t.Context(), strings.NewReader(in), &out, 0, nil)
	if lines := readLinesUntil(t, d.Reader(), 6); len(lines) != 6 {
		t.Fatalf("the transport got %d lines", len(lines))
	}
	w := d.Writer()
	for _, chunk := range []string{
		`{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"context canceled"}}` + "\n",
		`{"jsonrpc":"2.0","id":"two","res`, `ult":{"content":[]}}` + "\n" + `{"jsonrpc":"2.0","method":"notifications/progress","params":{}}` + "\n",
		`{"jsonrpc":"2.0","id":3,"error":{"code":-32603,"message":"boom"}}` + "\n",
	} {
		if n, err := io.WriteString(w, chunk); err != nil || n != len(chunk) {
			t.Fatalf("Write: %d, %v", n, err)
		}
	}
	want := `{"jsonrpc":"2.0","id":"two","result":{"content":[]}}` + "\n" +
		`{"jsonrpc":"2.0","method":"notifications/progress","params":{}}` + "\n" +
		`{"jsonrpc":"2.0","id":3,"error":{"code":-32603,"message":"boom"}}` + "\n"
	if out.String() != want {
		t.Errorf("written:\n%s\nwant:\n%s", out.String(), want)
	}
	if d.requests != 3 || d.responses != 3 || len(d.open) != 0 || len(d.cancelled) != 0 {
		t.Errorf("requests %d, responses %d, open %v, cancelled %v", d.requests, d.responses, d.open, d.cancelled)
	}
}

// readLinesUntil reads n lines (not waiting for the end of input, which
// would wait for answers).
func readLinesUntil(t *testing.T, r io.Reader, n int) []string {
	t.Helper()
	br := bufio.NewReader(r)
	var lines []string
	for len(lines) < n {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("after %d lines: %v", len(lines), err)
		}
		lines = append(lines, line)
	}
	return lines
}

// FuzzIDKey checks idKey's shortcut for plain ids against decoding them:
// the same key for every id, so that an answer read back by emit and one
// counted by answer close the same request.
func FuzzIDKey(f *testing.F) {
	for _, id := range []string{`7`, `0`, `00`, `123456789012345`, `1234567890123456789`, `10000000`, `-3`, `1.0`, `1e0`,
		`"abc"`, `"é東"`, `"\u0061"`, `"a\"b"`, `""`, `"`, `null`, `true`, `{}`, ` 7`, `1e400`, `-1e309`} {
		f.Add([]byte(id))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		gotKey, gotOK := idKey(raw)
		wantKey, wantOK := decodedIDKey(raw)
		if gotKey != wantKey || gotOK != wantOK {
			t.Fatalf("idKey(%s) = %q, %v; decoding gives %q, %v", raw, gotKey, gotOK, wantKey, wantOK)
		}
	})
}

func TestRequestIDOf(t *testing.T) {
	for head, want := range map[string]string{
		`{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"a":"xxx`: "5",
		`{"method":"x","id":"a\"b","params":`:                              `"a\"b"`,
		`{"jsonrpc":"2.0","method":"x","params":{"id":1,"blob":"xx`:        "", // nested id, top-level id not seen
		`{"jsonrpc":"2.0","id":5,"result":{"blob":"xx`:                     "", // a response of the client's
		`{"id":null,"method":"x","params":`:                                "", // null id
		`{"id":{"a":1},"method":"x"`:                                       "", // not an id
		`[{"id":1,"method":"x"`:                                            "", // a batch
		`{"id":1`:                                                          "", // too little to tell
	} {
		if got := string(requestIDOf([]byte(head))); got != want {
			t.Errorf("requestIDOf(%q) = %q, want %q", head, got, want)
		}
	}
}

func TestByteSizeFlag(t *testing.T) {
	for in, want := range map[string]int{"1": 1, "4096": 4096, "64KiB": 64 << 10, "16MiB": 16 << 20, "1GiB": 1 << 30} {
		var b byteSize
		if err := b.Set(in); err != nil || int(b) != want {
			t.Errorf("Set(%q) = %d, %v; want %d", in, b, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "1MB", "x", "3GiB1", "4096GiB"} {
		var b byteSize
		if err := b.Set(in); err == nil {
			t.Errorf("Set(%q) accepted %d", in, b)
		}
	}
	if b := byteSize(defaultMaxLine); b.String() != "16MiB" {
		t.Errorf("default shows as %q", b.String())
	}
}

// BenchmarkStdioDrainLongLine measures the drain on one long line, read
// from stdin in 64 KiB pieces and read off by mcp-go's bufio line reader:
// the time per byte (MB/s) must not grow with the line, that is the drain
// looks at each byte once. Within/40MB is the line the quadratic drain took
// 8.8 s for; Oversize/200MB is a line over the limit, skipped unkept. Run:
//
//	go test -run x -bench StdioDrainLongLine -benchtime 3x ./cmd/dbx-mcp/
func BenchmarkStdioDrainLongLine(b *testing.B) {
	prefix := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"blob":"`
	suffix := `"}}}`
	for _, tc := range []struct {
		name    string
		size    int64
		maxLine int
	}{
		{"Within/10MB", 10 << 20, 64 << 20},
		{"Within/40MB", 40 << 20, 64 << 20},
		{"Oversize/200MB", 200 << 20, defaultMaxLine},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(tc.size)
			for b.Loop() {
				src := &lineSource{prefix: prefix, n: tc.size, tail: suffix}
				// The suffix lands after the newline here; it is the
				// next, unterminated line, which is fine for the measure.
				d := newStdioDrain(answered(), src, io.Discard, tc.maxLine, nil)
				lines := readLines(b, d.Reader())
				if tc.size < int64(tc.maxLine) && (len(lines) == 0 || int64(len(lines[0])) < tc.size) {
					b.Fatalf("the line did not get through: %d lines", len(lines))
				}
			}
		})
	}
}

func TestWaitBoundSeesWaitingCalls(t *testing.T) {
	reg, err := tools.NewRegistry(nil, tools.Options{Toolsets: []string{tools.AllToolsets}})
	if err != nil {
		t.Fatal(err)
	}
	got := waitingTools(reg)
	declaredWaits := 0
	for _, op := range client.Operations() {
		info := op.Info()
		if info.Wait != nil {
			declaredWaits++
		}
		if got[info.FullName()] != (info.Wait != nil) {
			t.Errorf("%s: declared wait %v, bounded as waiting %v", info.FullName(), info.Wait != nil, got[info.FullName()])
		}
	}
	if declaredWaits == 0 {
		t.Error("no operation declares a wait")
	}
	if got[tools.APICallName] {
		t.Errorf("api_call counted as waiting")
	}
	for _, tc := range []struct {
		args any
		raw  string
		want bool
	}{
		{raw: `{"cluster_id":"x","wait_seconds":30}`, want: true},
		{raw: `{"cluster_id":"x","wait_seconds":0.5}`, want: true},
		{raw: `{"cluster_id":"x","wait_seconds":0}`},
		{raw: `{"cluster_id":"x","wait_seconds":"30"}`}, // invalid: the tool says so
		{raw: `{"cluster_id":"x"}`},
		{raw: `not json`},
		{args: map[string]any{"wait_seconds": 30}, want: true},
		{args: map[string]any{"cluster_id": "x"}},
	} {
		req := mcp.CallToolRequest{}
		req.Params.Arguments = tc.args
		if tc.raw != "" {
			req.Params.RawArguments = json.RawMessage(tc.raw)
		}
		if got := waits(req); got != tc.want {
			t.Errorf("waits(%v %s) = %v, want %v", tc.args, tc.raw, got, tc.want)
		}
	}
}

// TestStdioInProcess runs the serve command in this process over pipes,
// so that -race sees the drain and mcp-go's transport together: a call
// answered while another waits, the waiting one cancelled (no answer), an
// oversize line refused, a ping after it, and a prompt end once stdin
// closes.
func TestStdioInProcess(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(context.Background(), []string{"serve", "--toolsets", "all", "--emulator", "--emulator-delay", "30s",
			"--stdio-max-line", "64KiB", "--log-level", "error"}, inR, outW, io.Discard)
		outW.Close()
	}()
	answers := make(chan rawMsg, 100)
	go func() {
		r := bufio.NewReader(outR)
		for {
			line, err := r.ReadString('\n')
			if len(line) > 0 {
				var m rawMsg
				json.Unmarshal([]byte(line), &m)
				m.line = line
				if m.Method == "" {
					answers <- m
				}
			}
			if err != nil {
				close(answers)
				return
			}
		}
	}()
	send := func(line string) {
		t.Helper()
		if _, err := io.WriteString(inW, line+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	next := func() rawMsg {
		t.Helper()
		select {
		case m, ok := <-answers:
			if !ok {
				t.Fatal("the server's output ended")
			}
			return m
		case <-time.After(20 * time.Second):
			t.Fatal("no answer within 20 s")
		}
		return rawMsg{}
	}
	send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}`)
	if m := next(); string(m.ID) != "1" {
		t.Fatalf("initialize: %s", m.line)
	}
	send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	send(callLine("2", "clusters_create", `{"cluster_name":"c","spark_version":"x","num_workers":1,"wait_seconds":600}`))
	send(callLine("3", "clusters_list", `{}`))
	if m := next(); string(m.ID) != "3" || m.Error != nil {
		t.Fatalf("clusters_list while a call waits: %s", m.line)
	}
	send(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":2}}`)
	send(`{"jsonrpc":"2.0","id":4,"method":"ping","params":{"pad":"` + strings.Repeat("x", 100<<10) + `"}}`)
	send(`{"jsonrpc":"2.0","id":5,"method":"ping"}`)
	if m := next(); string(m.ID) != "4" || m.Error == nil || m.Error.Code != -32600 {
		t.Errorf("oversize ping: %.300s", m.line)
	}
	if m := next(); string(m.ID) != "5" || m.Error != nil {
		t.Errorf("ping: %.300s", m.line)
	}
	inW.Close()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("serve exited with %d", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not end within 20 s of stdin closing")
	}
	for m := range answers {
		t.Errorf("unexpected answer: %.300s", m.line)
	}
}

// FuzzStdioDrain checks the drain's line handling against a plain model:
// whatever stdin holds and however it is split into reads, the transport
// gets exactly the lines within the limit, in order and unchanged (the
// last, unterminated one as it is), and each longer line gets one refusal.
func FuzzStdioDrain(f *testing.F) {
	f.Add([]byte(`{"jsonrpc":"2.0","id":1,"method":"ping"}`+"\n"), uint8(3), uint8(40))
	f.Add([]byte("a\n\nbbbbbbbbbbbbbbbbbbbb\nc\n"), uint8(1), uint8(4))
	f.Add([]byte(`{"id":"x","method":"m","params":"`+strings.Repeat("y", 80)+"\"}\nz"), uint8(7), uint8(16))
	f.Add([]byte("no newline at all, and long"), uint8(5), uint8(8))
	f.Fuzz(func(t *testing.T, data []byte, step, limit uint8) {
		maxLine := int(limit%64) + 1
		var want strings.Builder
		refusals := 0
		lines := bytes.Split(data, []byte("\n"))
		for i, line := range lines {
			last := i == len(lines)-1
			switch {
			case len(line) > maxLine:
				refusals++
			case !last:
				want.Write(line)
				want.WriteByte('\n')
			default:
				want.Write(line)
			}
		}
		var out bytes.Buffer
		d := newStdioDrain(answered(), &stepReader{s: string(data), step: int(step%16) + 1}, &out, maxLine, nil)
		got, err := io.ReadAll(d.Reader())
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want.String() {
			t.Errorf("limit %d: the transport got %q, want %q", maxLine, got, want.String())
		}
		if n := bytes.Count(out.Bytes(), []byte(`"code":-32600`)); n != refusals || bytes.Count(out.Bytes(), []byte("\n")) != refusals {
			t.Errorf("limit %d: %d refusals written (%q), want %d", maxLine, n, out.Bytes(), refusals)
		}
	})
}
