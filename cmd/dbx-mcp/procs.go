package main

import (
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// procsGovernor runs a stdio server on one processor (GOMAXPROCS=1) while
// its requests come one at a time, as an agent's mostly do, and on all of
// them from the moment two are in progress at once, until requests have
// come one at a time again for relaxAfter.
//
// The reason is the scheduler's spare threads: with a second processor
// idle, every goroutine made ready (the request handed to a worker, the
// HTTP response handed back) wakes a thread to look for work, which finds
// none, as the goroutine runs on the thread that readied it. On small
// virtual machines such a wake-up costs more than the rest of forwarding a
// call: measured with BenchmarkVersusFloor, one processor takes about a
// tenth off a stdio tool call (docs/benchmarks.md). Requests that overlap,
// a call waiting for a cluster while others run, get every processor.
type procsGovernor struct {
	// set puts the process on one processor (one) or back on the
	// runtime's default count; it is runtime.GOMAXPROCS outside tests.
	set func(one bool)
	now func() time.Time

	inProgress  atomic.Int32
	wantAll     atomic.Bool
	lastOverlap atomic.Int64 // Unix nanoseconds when two were last in progress

	mu  sync.Mutex // serialises set; guards one
	one bool       // what set was last asked for
}

// relaxAfter is how long requests must have come one at a time before the
// governor goes back to one processor.
const relaxAfter = time.Second

// newProcsGovernor returns a governor of the process's processor count, or
// nil when it has nothing to govern: the user chose GOMAXPROCS, or there
// is only one processor.
func newProcsGovernor() *procsGovernor {
	if os.Getenv("GOMAXPROCS") != "" || runtime.GOMAXPROCS(0) < 2 {
		return nil
	}
	return &procsGovernor{set: setProcs, now: time.Now}
}

func setProcs(one bool) {
	if one {
		runtime.GOMAXPROCS(1)
	} else {
		runtime.SetDefaultGOMAXPROCS()
	}
}

// start puts the process on one processor.
func (g *procsGovernor) start() {
	if g != nil {
		g.apply()
	}
}

// stop puts the process back on the default count.
func (g *procsGovernor) stop() {
	if g == nil {
		return
	}
	g.wantAll.Store(true)
	g.apply()
}

// begin counts a request in progress. It runs on the goroutine reading
// stdin, so changing the count, which stops the world and may wait for a
// collection to finish, is left to a goroutine of its own.
func (g *procsGovernor) begin() {
	if g == nil {
		return
	}
	n := g.inProgress.Add(1)
	switch {
	case n >= 2:
		g.lastOverlap.Store(g.now().UnixNano())
		if g.wantAll.CompareAndSwap(false, true) {
			go g.apply()
		}
	case g.wantAll.Load() && g.now().UnixNano()-g.lastOverlap.Load() > int64(relaxAfter):
		if g.wantAll.CompareAndSwap(true, false) {
			go g.apply()
		}
	}
}

// end counts a request finished.
func (g *procsGovernor) end() {
	if g == nil {
		return
	}
	if g.inProgress.Add(-1) >= 1 {
		g.lastOverlap.Store(g.now().UnixNano())
	}
}

// apply asks for what wantAll says now, so that goroutines started in one
// order and run in another still leave the last wish in force.
func (g *procsGovernor) apply() {
	g.mu.Lock()
	defer g.mu.Unlock()
	one := !g.wantAll.Load()
	if one != g.one {
		g.set(one)
		g.one = one
	}
}
