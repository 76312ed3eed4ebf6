package main

import (
	"bufio"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestServeStdioProcessorsAndPolledStdin runs `dbx-mcp serve` on a pipe it
// can inspect: while serving, stdin's pipe is in non-blocking mode (read
// through the poller) and back in blocking mode once the process has
// exited; the runtime, traced with GODEBUG=schedtrace, runs on one
// processor while calls come one at a time and on more once two overlap.
func TestServeStdioProcessorsAndPolledStdin(t *testing.T) {
	var env []string
	for _, kv := range cleanEnv(t, "GODEBUG=schedtrace=10") {
		if !strings.HasPrefix(kv, "GOMAXPROCS=") {
			env = append(env, kv)
		}
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	cmd := exec.Command(binPath, "serve", "--toolsets", "all", "--emulator", "--emulator-delay", "30s", "--log-level", "warn")
	cmd.Env = env
	cmd.Stdin = r
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() {
		// The traces come every 10 ms: keep the latest count.
		sc := bufio.NewScanner(stderr)
		re := regexp.MustCompile(`^SCHED .* gomaxprocs=(\d+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				n, _ := strconv.Atoi(m[1])
				startProcs.CompareAndSwap(0, int32(n))
				tracedProcs.Store(int32(n))
			}
		}
	}()
	answers := bufio.NewReader(stdout)
	send := func(line string) {
		t.Helper()
		if _, err := w.WriteString(line + "\n"); err != nil {
			t.Fatal(err)
		}
	}
	read := func() string {
		t.Helper()
		line, err := answers.ReadString('\n')
		if err != nil {
			t.Fatalf("reading an answer: %v", err)
		}
		return line
	}
	send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	read()
	send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	for i := range 5 {
		send(callLine(strconv.Itoa(10+i), "clusters_list", `{}`))
		if a := read(); !strings.Contains(a, `"structuredContent"`) {
			t.Fatalf("clusters_list: %.300s", a)
		}
	}
	if !nonBlocking(t, r) {
		t.Error("stdin's pipe is in blocking mode while serving: it is not read through the poller")
	}
	waitProcs(t, func(n int32) bool { return n == 1 }, "one processor while calls come one at a time")

	// The count the process started with (the first trace, at 0 ms) is
	// the runtime's default, which follows the machine's and any CPU
	// limit of its container: with one, there is nothing to govern.
	if startProcs.Load() >= 2 {
		// A call waiting for a cluster that takes 30 s, and a list beside it.
		send(callLine(`"wait"`, "clusters_create", `{"cluster_name":"w","spark_version":"x","num_workers":1,"wait_seconds":600}`))
		send(callLine(`"list"`, "clusters_list", `{}`))
		if a := read(); !strings.Contains(a, `"list"`) {
			t.Fatalf("want the list's answer first: %.300s", a)
		}
		waitProcs(t, func(n int32) bool { return n > 1 }, "more than one processor while two calls overlap")

		// Cancelled, so that the end of input does not wait for it.
		send(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"wait"}}`)
	}
	w.Close()
	go func() { exited <- cmd.Wait() }()
	select {
	case <-exited:
	case <-time.After(drainTimeout + 30*time.Second):
		cmd.Process.Kill()
		t.Fatal("serve did not exit")
	}
	if nonBlocking(t, r) {
		t.Error("stdin's pipe was left in non-blocking mode after serve exited")
	}
}

// The first and the latest gomaxprocs traced by the process under test.
var startProcs, tracedProcs atomic.Int32

func waitProcs(t *testing.T, ok func(int32) bool, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok(tracedProcs.Load()) {
		if time.Now().After(deadline) {
			t.Fatalf("want %s; the runtime traced gomaxprocs=%d", what, tracedProcs.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// nonBlocking reports whether f's open description has O_NONBLOCK, read
// without f.Fd, which would change it.
func nonBlocking(t *testing.T, f *os.File) bool {
	t.Helper()
	rc, err := f.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var flags uintptr
	var errno syscall.Errno
	if err := rc.Control(func(fd uintptr) {
		flags, _, errno = syscall.Syscall(syscall.SYS_FCNTL, fd, syscall.F_GETFL, 0)
	}); err != nil {
		t.Fatal(err)
	}
	if errno != 0 {
		t.Fatal(errno)
	}
	return flags&syscall.O_NONBLOCK != 0
}
