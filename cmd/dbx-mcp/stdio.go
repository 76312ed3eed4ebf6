package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"sync"
	"time"

	"github.com/dbx-mcp/dbx-mcp/tools"
)

// drainTimeout bounds how long the end of stdin waits for outstanding
// answers: the longest a tool may legitimately run, plus a margin.
const drainTimeout = time.Duration(tools.MaxWaitSeconds+120) * time.Second

// stdioDrain lets a client write its requests, close stdin and still read
// every answer. The stdio transport cancels running requests when its
// input ends; stdioDrain holds the end of input back until as many answers
// have been written as requests were read (or ctx ends, or drainTimeout).
// A tool call that may already have changed the workspace is thus never
// abandoned unanswered.
type stdioDrain struct {
	ctx context.Context
	in  io.Reader
	out io.Writer

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced on every count change
	requests  int
	responses int
	inLine    []byte
	outLine   []byte
}

func newStdioDrain(ctx context.Context, in io.Reader, out io.Writer) *stdioDrain {
	return &stdioDrain{ctx: ctx, in: in, out: out, changed: make(chan struct{})}
}

// Reader is the transport's stdin.
func (d *stdioDrain) Reader() io.Reader { return drainReader{d} }

// Writer is the transport's stdout.
func (d *stdioDrain) Writer() io.Writer { return drainWriter{d} }

type drainReader struct{ d *stdioDrain }
type drainWriter struct{ d *stdioDrain }

func (r drainReader) Read(p []byte) (int, error) {
	d := r.d
	n, err := d.in.Read(p)
	d.mu.Lock()
	d.inLine = d.scan(d.inLine, p[:n], true)
	d.mu.Unlock()
	if err == io.EOF {
		d.waitForAnswers()
	}
	return n, err
}

func (w drainWriter) Write(p []byte) (int, error) {
	d := w.d
	n, err := d.out.Write(p)
	d.mu.Lock()
	d.outLine = d.scan(d.outLine, p[:n], false)
	d.mu.Unlock()
	return n, err
}

// scan counts the complete JSON-RPC lines in buf+p: requests (an id and a
// method) when reading, responses (an id and no method) when writing. It
// returns the incomplete tail. d.mu is held.
func (d *stdioDrain) scan(buf, p []byte, reading bool) []byte {
	buf = append(buf, p...)
	for {
		i := bytes.IndexByte(buf, '\n')
		if i < 0 {
			return buf
		}
		line := buf[:i]
		buf = buf[i+1:]
		var m struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
		}
		if json.Unmarshal(line, &m) != nil || len(m.ID) == 0 || string(m.ID) == "null" {
			continue
		}
		switch {
		case reading && m.Method != "":
			d.requests++
		case !reading && m.Method == "":
			d.responses++
		default:
			continue
		}
		close(d.changed)
		d.changed = make(chan struct{})
	}
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
