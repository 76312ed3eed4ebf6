package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/tools"
)

// gcSetting stands in for debug.SetGCPercent, so that the test neither
// changes the process's collector nor is disturbed by a server another test
// left running.
type gcSetting struct {
	mu sync.Mutex
	p  int
}

func (g *gcSetting) set(p int) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	old := g.p
	g.p = p
	return old
}

func (g *gcSetting) get() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.p
}

// TestHoldCollectorBack: the setting is raised while held and put back by
// the returned function or when the hold runs out; a GOGC already higher,
// or off, is left alone.
func TestHoldCollectorBack(t *testing.T) {
	g := &gcSetting{p: 100}
	done := holdCollectorBack(800, time.Hour, g.set)
	if p := g.get(); p != 800 {
		t.Errorf("while held: GOGC %d, want 800", p)
	}
	done()
	done()
	if p := g.get(); p != 100 {
		t.Errorf("after: GOGC %d, want 100 back", p)
	}

	holdCollectorBack(800, 10*time.Millisecond, g.set)
	for deadline := time.Now().Add(10 * time.Second); g.get() != 100; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the hold did not run out")
		}
	}

	for _, p := range []int{-1, 1000} {
		g.set(p)
		done := holdCollectorBack(800, time.Hour, g.set)
		if got := g.get(); got != p {
			t.Errorf("GOGC %d held: %d", p, got)
		}
		done()
		if got := g.get(); got != p {
			t.Errorf("GOGC %d after: %d", p, got)
		}
	}
}

// TestServeStdioCallsListedAfterToolsList: the start-up hook runs once the
// first tools/list has been answered, not before, and once only.
func TestServeStdioCallsListedAfterToolsList(t *testing.T) {
	reg, err := tools.NewRegistry(func(context.Context) (*client.Client, error) { return nil, nil }, tools.Options{})
	if err != nil {
		t.Fatal(err)
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var calls atomic.Int32
	done := make(chan error, 1)
	go func() {
		done <- serveStdio(t.Context(), tools.NewServer(reg, nil), reg, stdio{in: inR, out: outW}, slog.New(slog.DiscardHandler), stdioOptions{listed: func() { calls.Add(1) }})
		outW.Close()
	}()
	out := bufio.NewReader(outR)
	exchange := func(line, want string) {
		t.Helper()
		if _, err := io.WriteString(inW, line+"\n"); err != nil {
			t.Fatal(err)
		}
		got, err := out.ReadString('\n')
		if err != nil || !strings.Contains(got, want) {
			t.Fatalf("answer to %s: %.200s (%v)", line, got, err)
		}
	}
	exchange(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`, `"serverInfo"`)
	exchange(`{"jsonrpc":"2.0","id":2,"method":"ping"}`, `"id":2`)
	if n := calls.Load(); n != 0 {
		t.Errorf("listed called %d times before any tools/list", n)
	}
	exchange(`{"jsonrpc":"2.0","id":3,"method":"tools/list"}`, `"tools":[`)
	exchange(`{"jsonrpc":"2.0","id":4,"method":"tools/list"}`, `"tools":[`)
	inW.Close()
	if err := <-done; err != nil {
		t.Errorf("serveStdio: %v", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("listed called %d times after two tools/list, want 1", n)
	}
}
