package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestServeHTTPLimits checks that serve applies --http-max-body and
// $DBX_MCP_HTTP_SESSION_IDLE, and refuses values that make no sense.
func TestServeHTTPLimits(t *testing.T) {
	refused := func(env []string, name string, args ...string) {
		t.Helper()
		// A value let through would start the server; the timeout ends it.
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, binPath, append([]string{"serve", "--http", "127.0.0.1:0", "--emulator"}, args...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != exitUsage || !strings.Contains(string(out), name) {
			t.Errorf("serve %v with %s: %v, want exit %d naming %s: %s", args, name, err, exitUsage, name, out)
		}
	}
	refused(cleanEnv(t), "--http-max-body", "--http-max-body", "-1")
	refused(cleanEnv(t), "--http-session-idle", "--http-session-idle", "-1s")
	refused(cleanEnv(t, "DBX_MCP_HTTP_SESSION_IDLE=soon"), "DBX_MCP_HTTP_SESSION_IDLE")

	url := startHTTPServer(t, cleanEnv(t, "DBX_MCP_HTTP_SESSION_IDLE=200ms"), "--emulator", "--http-max-body", "2048")
	post := func(session, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		if session != "" {
			req.Header.Set("Mcp-Session-Id", session)
			req.Header.Set("Mcp-Protocol-Version", "2025-06-18")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, resp.Header.Get("Mcp-Session-Id")
	}
	code, session := post("", `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	if code != 200 || session == "" {
		t.Fatalf("initialize: status %d, session %q", code, session)
	}
	if code, _ := post(session, `{"jsonrpc":"2.0","id":2,"method":"ping","params":{"pad":"`+strings.Repeat("x", 4096)+`"}}`); code != 413 {
		t.Errorf("4 KiB body with --http-max-body 2048: status %d, want 413", code)
	}
	if code, _ := post(session, `{"jsonrpc":"2.0","id":3,"method":"ping"}`); code != 200 {
		t.Errorf("ping: status %d", code)
	}
	time.Sleep(2 * time.Second) // ten times the idle time
	if code, _ := post(session, `{"jsonrpc":"2.0","id":4,"method":"ping"}`); code != 404 {
		t.Errorf("ping after idling past DBX_MCP_HTTP_SESSION_IDLE=200ms: status %d, want 404", code)
	}
}

// TestServeHTTPShutdownClosesStreams: on SIGINT, serve --http ends the
// sessions' open event streams, so that a client's stream does not hold
// the graceful shutdown for its whole 5 s.
func TestServeHTTPShutdownClosesStreams(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT to send on Windows")
	}
	url, p := startWatched(t, cleanEnv(t), servedURL, "serve", "--http", "127.0.0.1:0", "--emulator")

	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	session := resp.Header.Get("Mcp-Session-Id")
	req, _ = http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Mcp-Session-Id", session)
	req.Header.Set("Mcp-Protocol-Version", "2025-06-18")
	stream, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	if stream.StatusCode != 200 {
		t.Fatalf("GET stream: %d", stream.StatusCode)
	}

	start := time.Now()
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	ended := make(chan struct{})
	go func() { io.Copy(io.Discard, stream.Body); close(ended) }()
	select {
	case <-p.exited:
		if p.err != nil {
			t.Errorf("serve exited with %v", p.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve still running 10 s after SIGINT")
	}
	// The shutdown gives open connections 5 s; a stream left open takes
	// all of them.
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("serve took %v to stop with a stream open", d.Round(time.Millisecond))
	}
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Error("the stream did not end")
	}
}
