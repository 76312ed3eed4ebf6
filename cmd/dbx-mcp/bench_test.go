package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/dbx-mcp/dbx-mcp/tools"
)

// The three messages an MCP client sends before it knows the tools, one per
// line as the stdio transport frames them.
const (
	benchInitialize  = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}` + "\n"
	benchInitialized = `{"jsonrpc":"2.0","method":"notifications/initialized"}` + "\n"
	benchToolsList   = `{"jsonrpc":"2.0","id":2,"method":"tools/list"}` + "\n"
)

// BenchmarkStartToFirstToolsList measures how long an editor waits between
// launching dbx-mcp and knowing its tools: the time from starting
// `dbx-mcp serve --emulator` (stdio) to receiving the answer to the first
// tools/list, after initialize and the initialized notification. The client
// side is raw JSON-RPC lines over the process's pipes (no SDK client), so
// nothing but the server is measured.
//
// Sub-benchmarks split the time:
//   - Process: one new process per iteration, the binary TestMain built
//     (a normal `go build`); stderr goes to /dev/null and the default log
//     level is kept. Waiting for the process to exit after stdin closes is
//     not timed.
//   - ProcessVersion: `dbx-mcp version` from start to exit, the floor any
//     command pays (exec, Go runtime and package initialization).
//   - ProcessTools: `dbx-mcp tools` from start to exit: the floor plus
//     building every tool's schemas cold, as a new serve process does.
//   - InProcessServe: the same serve command (run) in this process over
//     io.Pipe: flags, registry, embedded emulator, MCP server, stdio
//     transport and handshake, without process start. Schemas are cached
//     after the first iteration, so this is the warm cost.
//   - InProcessHandshake: only the stdio transport over io.Pipe and the
//     three messages, on a prebuilt tools.NewServer.
//
// Each sub-benchmark also reports the median and 90th percentile of its
// iterations (median-ms, p90-ms), which are steadier than the mean on a
// shared machine. Run it with:
//
//	go test -run x -bench StartToFirstToolsList -benchmem -count 5 ./cmd/dbx-mcp/
//
// and compare two runs with benchstat (old.txt new.txt), which also shows
// the custom metrics. The target is a median under 20 ms for Process.
func BenchmarkStartToFirstToolsList(b *testing.B) {
	env := benchEnv(b)
	b.Run("Process", func(b *testing.B) {
		var lat latencies
		for b.Loop() {
			lat.add(startAndListTools(b, env))
		}
		lat.report(b)
	})
	for _, sub := range []string{"version", "tools"} {
		b.Run("Process"+strings.ToUpper(sub[:1])+sub[1:], func(b *testing.B) {
			var lat latencies
			for b.Loop() {
				cmd := exec.Command(binPath, sub)
				cmd.Env = env
				start := time.Now()
				if out, err := cmd.Output(); err != nil || len(out) == 0 {
					b.Fatalf("dbx-mcp %s: %v (%q)", sub, err, out)
				}
				lat.add(time.Since(start))
			}
			lat.report(b)
		})
	}
	b.Run("InProcessServe", func(b *testing.B) {
		var lat latencies
		for b.Loop() {
			inR, inW := io.Pipe()
			outR, outW := io.Pipe()
			done := make(chan int, 1)
			start := time.Now()
			go func() {
				code := run(context.Background(), []string{"serve", "--emulator"}, inR, outW, io.Discard)
				outW.Close()
				done <- code
			}()
			handshake(b, inW, bufio.NewReader(outR))
			lat.add(time.Since(start))
			b.StopTimer()
			inW.Close()
			io.Copy(io.Discard, outR)
			if code := <-done; code != exitOK {
				b.Fatalf("serve exited with %d", code)
			}
			b.StartTimer()
		}
		lat.report(b)
	})
	b.Run("InProcessHandshake", func(b *testing.B) {
		reg, err := tools.NewRegistry(nil, tools.Options{})
		if err != nil {
			b.Fatal(err)
		}
		s := tools.NewServer(reg, slog.New(slog.DiscardHandler))
		var lat latencies
		for b.Loop() {
			inR, inW := io.Pipe()
			outR, outW := io.Pipe()
			done := make(chan error, 1)
			start := time.Now()
			go func() {
				err := server.NewStdioServer(s).Listen(context.Background(), inR, outW)
				outW.Close()
				done <- err
			}()
			handshake(b, inW, bufio.NewReader(outR))
			lat.add(time.Since(start))
			b.StopTimer()
			inW.Close()
			io.Copy(io.Discard, outR)
			if err := <-done; err != nil {
				b.Fatalf("stdio server: %v", err)
			}
			b.StartTimer()
		}
		lat.report(b)
	})
}

// startAndListTools starts `dbx-mcp serve --emulator`, performs the
// handshake and the first tools/list, and returns the time that took. The
// process is stopped (stdin closed, exit awaited) with the timer off.
func startAndListTools(b *testing.B, env []string) time.Duration {
	b.Helper()
	d, err := timeToToolsList(b, env, binPath, "serve", "--emulator")
	if err != nil {
		b.Fatalf("dbx-mcp serve: %v", err)
	}
	return d
}

// handshake sends initialize, the initialized notification and tools/list,
// and reads the two answers. It checks them just enough that a broken
// server cannot look fast.
func handshake(b *testing.B, w io.Writer, r *bufio.Reader) {
	b.Helper()
	if _, err := io.WriteString(w, benchInitialize); err != nil {
		b.Fatal(err)
	}
	line, err := r.ReadBytes('\n')
	if err != nil || !strings.Contains(string(line), `"serverInfo"`) {
		b.Fatalf("initialize: %v %q", err, line)
	}
	if _, err := io.WriteString(w, benchInitialized+benchToolsList); err != nil {
		b.Fatal(err)
	}
	line, err = r.ReadBytes('\n')
	if err != nil {
		b.Fatalf("tools/list: %v", err)
	}
	var resp struct {
		ID     int `json:"id"`
		Result struct {
			Tools []json.RawMessage `json:"tools"`
		} `json:"result"`
	}
	if err := json.Unmarshal(line, &resp); err != nil || resp.ID != 2 || len(resp.Result.Tools) == 0 {
		b.Fatalf("tools/list answer: %v %.300q", err, line)
	}
}

// latencies collects per-iteration durations for percentile metrics.
type latencies []time.Duration

func (l *latencies) add(d time.Duration) { *l = append(*l, d) }

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	s := slices.Clone(l)
	slices.Sort(s)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(s[len(s)/2]), "median-ms")
	b.ReportMetric(ms(s[(len(s)*9)/10]), "p90-ms")
}

// benchEnv is the environment of the benchmarked processes: the test's own
// without Databricks settings, and a HOME without a .databrickscfg.
func benchEnv(b *testing.B) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "DATABRICKS_") || strings.HasPrefix(k, "ARM_") || strings.HasPrefix(k, "AZURE_") || k == "HOME" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOME="+b.TempDir())
}
