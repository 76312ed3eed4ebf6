// Command benchproxy is the floor under the stdio call benchmark's floor:
// the least a Go process between an MCP client and the workspace does to
// relay a clusters_list call. It reads a request line from stdin, sends
// GET /api/2.1/clusters/list to DATABRICKS_HOST with DATABRICKS_TOKEN, and
// writes the body back as a tool result (text and structuredContent) — no
// MCP library, no validation, no checks. It runs as dbx-mcp serve does:
// one processor, stdin read through the poller (Linux). cmd/dbx-mcp's
// BenchmarkVersusFloor builds it and times it beside the tool calls, to
// show how much of a call's cost is the hop itself.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
)

func main() {
	runtime.GOMAXPROCS(1)
	in := stdin()
	url := os.Getenv("DATABRICKS_HOST") + "/api/2.1/clusters/list"
	auth := "Bearer " + os.Getenv("DATABRICKS_TOKEN")
	r := bufio.NewReaderSize(in, 64<<10)
	hc := &http.Client{}
	var out []byte
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return
		}
		id := member(line, `"id":`)
		if id == nil {
			continue // a notification
		}
		out = append(out[:0], `{"jsonrpc":"2.0","id":`...)
		out = append(out, id...)
		switch {
		case bytes.Contains(line, []byte(`"tools/call"`)):
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			req.Header.Set("Authorization", auth)
			resp, err := hc.Do(req)
			if err != nil {
				fmt.Fprintln(os.Stderr, "benchproxy:", err)
				os.Exit(1)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				fmt.Fprintln(os.Stderr, "benchproxy:", err)
				os.Exit(1)
			}
			out = append(out, `,"result":{"content":[{"type":"text","text":"`...)
			out = escape(out, body)
			out = append(out, `"}],"structuredContent":`...)
			out = append(out, body...)
			out = append(out, `}}`...)
		case bytes.Contains(line, []byte(`"tools/list"`)):
			out = append(out, `,"result":{"tools":[{"name":"clusters_list","inputSchema":{"type":"object"}}]}}`...)
		default: // initialize
			out = append(out, `,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"benchproxy","version":"1"}}}`...)
		}
		out = append(out, '\n')
		if _, err := os.Stdout.Write(out); err != nil {
			return
		}
	}
}

// member is the value after key in line, up to the next comma or brace:
// enough for the numeric and plain string ids the benchmark sends.
func member(line []byte, key string) []byte {
	i := bytes.Index(line, []byte(key))
	if i < 0 {
		return nil
	}
	v := line[i+len(key):]
	if j := bytes.IndexAny(v, ",}"); j >= 0 {
		return v[:j]
	}
	return nil
}

// escape appends b as the inside of a JSON string, for the ASCII JSON
// bodies of the benchmark: quotes and backslashes escaped, control
// characters as \u00XX.
func escape(dst, b []byte) []byte {
	start := 0
	for i, c := range b {
		if c != '"' && c != '\\' && c >= 0x20 {
			continue
		}
		dst = append(dst, b[start:i]...)
		if c < 0x20 {
			dst = append(dst, fmt.Sprintf(`\u%04x`, c)...)
		} else {
			dst = append(dst, '\\', c)
		}
		start = i + 1
	}
	return append(dst, b[start:]...)
}
