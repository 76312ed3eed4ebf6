package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/tools"
)

func runCall(ctx context.Context, args []string, s stdio) int {
	fs := flag.NewFlagSet("call", flag.ContinueOnError)
	var f commonFlags
	f.register(fs)
	_ = fs.Set("log-level", "warn") // a script wants the result, not log lines
	full := fs.Bool("full", false, "print the whole MCP result (content, structuredContent, isError, _meta) instead of the payload")
	pretty := fs.Bool("pretty", false, "indent JSON output")
	quiet := fs.Bool("quiet", false, "print no progress lines on stderr while the tool waits")
	asText := fs.Bool("text", false, "print the result's text rendering instead of its structured content")
	emulatorAddr := fs.String("emulator-addr", "", "with --emulator: the running 'dbx-mcp emulator' to use (default $"+emulatorAddrEnv+", else the one it recorded in the user cache directory, else a fresh embedded one)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: dbx-mcp call TOOL ['{json args}' | -] [flags]\n\nExit status: 0 success, 1 tool error, 2 usage, 3 configuration or connection, 4 wait timed out, 130 interrupted.\n\nFlags:")
		fs.PrintDefaults()
	}
	pos, code, ok := parseFlags(fs, args, s.err)
	if !ok {
		return code
	}
	if len(pos) < 1 || len(pos) > 2 {
		fmt.Fprintln(s.err, "usage: dbx-mcp call TOOL ['{json args}' | -] [flags]")
		return exitUsage
	}
	log, err := f.logger(s.err)
	if err != nil {
		fmt.Fprintln(s.err, "dbx-mcp call:", err)
		return exitUsage
	}
	argText := "{}"
	if len(pos) == 2 {
		argText = pos[1]
	}
	if argText == "-" {
		b, err := io.ReadAll(s.in)
		if err != nil {
			fmt.Fprintln(s.err, "dbx-mcp call: reading stdin:", err)
			return exitUsage
		}
		argText = string(b)
	}
	if err := checkJSON(argText); err != nil {
		// The arguments may hold a secret value; describe, don't echo them.
		fmt.Fprintf(s.err, "dbx-mcp call: arguments are not valid JSON: %v\n", err)
		return exitUsage
	}
	var c *client.Client
	getClient := func(context.Context) (*client.Client, error) { return c, nil }
	opts := f.toolOptions()
	if opts.MaxResultBytes == 0 {
		// A script reads the whole payload; the output budget protects a
		// model's context, and applies here only when asked for.
		opts.MaxResultBytes = -1
	}
	if len(opts.Toolsets) == 0 && len(opts.Tools) == 0 {
		// Any tool can be called by name; --read-only still applies.
		opts.Toolsets = []string{tools.AllToolsets}
	}
	reg, err := tools.NewRegistry(getClient, opts)
	if err != nil {
		fmt.Fprintln(s.err, "dbx-mcp call:", err)
		return exitUsage
	}
	name := pos[0]
	if _, found := reg.Lookup(name); !found {
		msg := fmt.Sprintf("dbx-mcp call: no tool %q", name)
		if _, exists := reg.LookupOperation(name); !exists && opts.ReadOnly && slices.Contains(tools.ToolNames(), name) {
			msg += " in read-only mode (it changes the workspace)"
		} else if sug := tools.Suggest(name, tools.ToolNames()); sug != "" {
			msg += fmt.Sprintf("; did you mean %s?", sug)
		}
		fmt.Fprintln(s.err, msg+"; 'dbx-mcp tools' lists them")
		return exitUsage
	}
	if f.useEmulator {
		if f.shared, err = findEmulator(*emulatorAddr); err != nil {
			fmt.Fprintln(s.err, "dbx-mcp call:", err)
			return exitFailure
		}
		if f.shared != nil && flagGiven(fs, "emulator-delay") {
			fmt.Fprintf(s.err, "dbx-mcp call: --emulator-delay applies to an embedded emulator; the running one at %s keeps its own (dbx-mcp emulator --cluster-start-delay)\n", f.shared.URL)
		}
		if f.shared == nil {
			fmt.Fprintln(s.err, "dbx-mcp call: using a fresh embedded emulator whose state ends with this call; to keep state across calls, run 'dbx-mcp emulator' in another terminal (call --emulator then uses it)")
		}
	} else if *emulatorAddr != "" {
		fmt.Fprintln(s.err, "dbx-mcp call: --emulator-addr needs --emulator")
		return exitUsage
	}
	var stop func()
	if c, stop, err = f.connect(ctx, log); err != nil {
		fmt.Fprintln(s.err, "dbx-mcp call:", err)
		return exitFailure
	}
	defer stop()

	p := &callProgress{w: s.err, quiet: *quiet, start: time.Now()}
	res, err := callInProcess(ctx, tools.NewServer(reg, log), name, json.RawMessage(argText), p)
	if ctx.Err() != nil {
		return p.interrupted(s.out)
	}
	if err != nil {
		fmt.Fprintln(s.err, "dbx-mcp call:", err)
		return exitFailure
	}
	return printResult(s, res, *full, *pretty, *asText)
}

// callInProcess serves the tool over an in-process MCP session, as a
// client would reach it: progress notifications reach p, and so do the ids
// of what a waiting tool created, before it starts waiting.
func callInProcess(ctx context.Context, srv *server.MCPServer, name string, args json.RawMessage, p *callProgress) (*mcp.CallToolResult, error) {
	mc, err := mcpclient.NewInProcessClient(srv)
	if err != nil {
		return nil, err
	}
	defer mc.Close()
	mc.OnNotification(p.notify)
	if err := mc.Start(ctx); err != nil {
		return nil, fmt.Errorf("starting the in-process session: %w", err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "dbx-mcp call", Version: client.Version}
	if _, err := mc.Initialize(ctx, init); err != nil {
		return nil, fmt.Errorf("initializing the in-process session: %w", err)
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	req.Params.Meta = &mcp.Meta{ProgressToken: "call"}
	return mc.CallTool(tools.WithWaitObserver(ctx, p.observe), req)
}

// callProgress prints a waiting tool's progress on stderr, one line per
// change, and remembers what an interrupted call must not lose.
type callProgress struct {
	w     io.Writer
	quiet bool
	start time.Time

	mu      sync.Mutex
	last    string          // the last progress message
	ids     json.RawMessage // of the object the call created or acted on
	get     string          // the tool that reads it
	printed bool
}

func (p *callProgress) notify(n mcp.JSONRPCNotification) {
	if n.Method != string(mcp.MethodNotificationProgress) {
		return
	}
	msg, _ := n.Params.AdditionalFields["message"].(string)
	if msg == "" {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if msg == p.last {
		return
	}
	p.last = msg
	if !p.quiet {
		fmt.Fprintf(p.w, "[%s] %s\n", time.Since(p.start).Round(100*time.Millisecond), msg)
	}
}

func (p *callProgress) observe(m tools.WaitMeta) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ids, p.get = m.IDs, m.Get
}

// interrupted reports a call stopped by a signal: the ids of what it
// created on stdout, so that a script can pick them up, and in words on
// stderr what was last seen.
func (p *callProgress) interrupted(out io.Writer) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	elapsed := time.Since(p.start).Round(100 * time.Millisecond)
	var b strings.Builder
	fmt.Fprintf(&b, "dbx-mcp call: interrupted after %s", elapsed)
	if p.last != "" {
		fmt.Fprintf(&b, "; last seen: %s", p.last)
	}
	if len(p.ids) > 0 {
		fmt.Fprintln(out, string(p.ids))
		fmt.Fprintf(&b, ". The call itself had succeeded and is not undone: %s (on stdout) names what it created or changed", p.ids)
		if p.get != "" {
			fmt.Fprintf(&b, "; check on it with: dbx-mcp call %s '%s'", p.get, p.ids)
		}
	} else {
		b.WriteString(". The call may or may not have taken effect")
	}
	fmt.Fprintln(p.w, b.String())
	return exitInterrupted
}

// printResult writes the result's payload on stdout (or the whole result
// with full) and returns the exit status it calls for.
func printResult(s stdio, res *mcp.CallToolResult, full, pretty, asText bool) int {
	status := exitOK
	var notes []string
	timedOut, waitNote := waitRanOut(res)
	switch {
	case res.IsError:
		status = exitToolError
	case timedOut:
		status = exitWaitTimeout
		notes = append(notes, waitNote)
	}
	texts := textsOf(res)
	if full {
		writeJSON(s, res, pretty)
		return status
	}
	switch {
	case res.IsError:
		// The error is for the reader; stdout stays empty for a pipe.
		fmt.Fprintln(s.err, strings.Join(texts, "\n"))
		return status
	case asText || len(res.RawStructuredContent) == 0 && res.StructuredContent == nil:
		fmt.Fprintln(s.out, strings.Join(texts, "\n"))
	case len(texts) > 0 && !json.Valid([]byte(texts[0])):
		// The tool renders its payload as text of its own (sql_query's
		// CSV table), which the structured content does not repeat.
		fmt.Fprintln(s.out, texts[0])
		notes = append(notes, texts[1:]...)
	default:
		if len(res.RawStructuredContent) > 0 {
			writeJSON(s, res.RawStructuredContent, pretty)
		} else {
			writeJSON(s, res.StructuredContent, pretty)
		}
		if len(texts) > 1 && !timedOut {
			notes = append(notes, texts[1:]...)
		}
	}
	for _, n := range notes {
		fmt.Fprintln(s.err, "dbx-mcp call:", n)
	}
	return status
}

// waitRanOut tells a result whose wait ran out, by the tools' _meta signal
// or by sql_query's own answer (state PENDING or RUNNING with a next_page
// to wait more), and says so in words.
func waitRanOut(res *mcp.CallToolResult) (bool, string) {
	if res.IsError {
		return false, ""
	}
	if res.Meta != nil {
		if v, ok := res.Meta.AdditionalFields[tools.WaitMetaKey]; ok {
			var m tools.WaitMeta
			if b, err := json.Marshal(v); err == nil && json.Unmarshal(b, &m) == nil && m.TimedOut {
				if texts := textsOf(res); len(texts) > 1 {
					return true, texts[len(texts)-1]
				}
				return true, fmt.Sprintf("the wait ran out after %d s in state %s", m.WaitedSeconds, m.State)
			}
		}
	}
	var sq struct {
		State    string `json:"state"`
		NextPage string `json:"next_page"`
		Message  string `json:"message"`
	}
	if len(res.RawStructuredContent) > 0 && json.Unmarshal(res.RawStructuredContent, &sq) == nil &&
		(sq.State == "PENDING" || sq.State == "RUNNING") && sq.NextPage != "" {
		return true, "the wait ran out: " + sq.Message
	}
	return false, ""
}

func textsOf(res *mcp.CallToolResult) []string {
	var out []string
	for _, c := range res.Content {
		if t, ok := c.(mcp.TextContent); ok {
			out = append(out, t.Text)
		}
	}
	return out
}

func writeJSON(s stdio, v any, pretty bool) {
	b, ok := v.(json.RawMessage)
	if !ok {
		var err error
		if b, err = json.Marshal(v); err != nil {
			fmt.Fprintln(s.err, "dbx-mcp call:", err)
			return
		}
	}
	var buf bytes.Buffer
	if pretty {
		if json.Indent(&buf, b, "", "  ") != nil {
			buf.Reset()
			buf.Write(b)
		}
	} else if json.Compact(&buf, b) != nil {
		buf.Reset()
		buf.Write(b)
	}
	fmt.Fprintln(s.out, buf.String())
}

// checkJSON reports where text stops being one JSON value, without
// quoting it.
func checkJSON(text string) error {
	dec := json.NewDecoder(strings.NewReader(text))
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fmt.Errorf("syntax error at byte %d", se.Offset)
		}
		return errors.New("unexpected end of input")
	}
	if strings.TrimSpace(text[dec.InputOffset():]) != "" {
		return fmt.Errorf("extra data after byte %d", dec.InputOffset())
	}
	return nil
}
