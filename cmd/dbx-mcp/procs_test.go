package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeProcs records what a procsGovernor asks for, on a clock the test
// moves.
type fakeProcs struct {
	mu    sync.Mutex
	calls []bool // the set(one) calls, in order
	clock atomic.Int64
}

func (f *fakeProcs) governor() *procsGovernor {
	return &procsGovernor{
		set: func(one bool) {
			f.mu.Lock()
			f.calls = append(f.calls, one)
			f.mu.Unlock()
		},
		now: func() time.Time { return time.Unix(0, f.clock.Load()) },
	}
}

// waitFor waits until the calls are want, as begin applies them on a
// goroutine of its own.
func (f *fakeProcs) waitFor(t *testing.T, want ...bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		f.mu.Lock()
		got := fmt.Sprint(f.calls)
		f.mu.Unlock()
		if got == fmt.Sprint(want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("set calls %s, want %v", got, want)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestProcsGovernor: one processor while requests come one at a time, all
// of them from the moment two overlap, and one again only after relaxAfter
// of single requests; stop leaves the default count.
func TestProcsGovernor(t *testing.T) {
	var f fakeProcs
	g := f.governor()
	g.start()
	f.waitFor(t, true)
	for range 3 { // one at a time: nothing changes
		g.begin()
		g.end()
	}
	f.waitFor(t, true)

	g.begin()
	g.begin() // two in progress
	f.waitFor(t, true, false)
	g.end()
	f.clock.Add(int64(relaxAfter) / 2)
	g.end() // the overlap ended just now
	f.clock.Add(int64(relaxAfter) / 2)
	g.begin() // only relaxAfter/2 after the overlap: stays
	g.end()
	time.Sleep(10 * time.Millisecond)
	f.waitFor(t, true, false)

	f.clock.Add(int64(relaxAfter))
	g.begin() // single requests for longer than relaxAfter: back to one
	f.waitFor(t, true, false, true)
	g.end()

	g.stop()
	f.waitFor(t, true, false, true, false)

	var none *procsGovernor // nothing to govern: every method is a no-op
	none.start()
	none.begin()
	none.end()
	none.stop()
}

// TestNewProcsGovernorLeavesAChosenCount: a GOMAXPROCS the user set is
// theirs.
func TestNewProcsGovernorLeavesAChosenCount(t *testing.T) {
	t.Setenv("GOMAXPROCS", "2")
	if g := newProcsGovernor(); g != nil {
		t.Error("a governor was made although GOMAXPROCS is set")
	}
}
