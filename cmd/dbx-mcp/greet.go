package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// byHand reports whether serve's stdin is a terminal, that is, a person
// started it rather than an MCP client, which always hands it a pipe.
func byHand(in io.Reader) bool {
	f, ok := in.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// greet tells a person who ran serve in a terminal what it is and how to
// connect a client to it, since it otherwise sits silently on stdin.
func greet(w io.Writer, emulated bool) {
	exe, err := os.Executable()
	if err != nil {
		exe = "dbx-mcp"
	}
	args := `["serve"]`
	extra := ""
	if emulated {
		args = `["serve", "--emulator"]`
		extra = " --emulator"
	}
	exeJSON, _ := json.Marshal(exe)
	fmt.Fprintf(w, `dbx-mcp %s is an MCP server: it speaks MCP (JSON-RPC) on stdin and stdout and is now waiting for an MCP client.
Typing here does nothing useful. To use it, let a client start it; most take a configuration such as:
  {"mcpServers": {"databricks": {"command": %s, "args": %s}}}
To serve MCP over HTTP instead: dbx-mcp serve%s --http 127.0.0.1:8787   (clients connect to http://127.0.0.1:8787/mcp)
To try one tool from the shell: dbx-mcp call%s clusters_list
Press Ctrl-C to stop.
`, client.Version, exeJSON, args, extra, extra)
}
