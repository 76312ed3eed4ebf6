package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"
)

func TestByHandOnlyForATerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	regular, err := os.CreateTemp(t.TempDir(), "stdin")
	if err != nil {
		t.Fatal(err)
	}
	defer regular.Close()
	cases := []struct {
		name string
		in   io.Reader
		want bool
	}{
		{"pipe (an MCP client)", r, false},
		{"regular file", regular, false},
		{"not a file", strings.NewReader(""), false},
		// A character device, as a terminal is.
		{"character device", devNull, true},
	}
	for _, tc := range cases {
		if got := byHand(tc.in); got != tc.want {
			t.Errorf("%s: byHand = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestGreetNamesTheWayToConnect(t *testing.T) {
	var b bytes.Buffer
	greet(&b, true)
	out := b.String()
	for _, want := range []string{"MCP server", "stdin", `"args": ["serve", "--emulator"]`, "--http", "Ctrl-C"} {
		if !strings.Contains(out, want) {
			t.Errorf("greeting lacks %q:\n%s", want, out)
		}
	}
	start := strings.Index(out, "{")
	end := strings.LastIndex(out, "}")
	var cfg map[string]any
	if start < 0 || json.Unmarshal([]byte(out[start:end+1]), &cfg) != nil {
		t.Errorf("the client configuration is not JSON:\n%s", out)
	}
}

// serve started by a client (stdin a pipe) does not greet.
func TestServeOverAPipeStaysQuiet(t *testing.T) {
	init := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}` + "\n"
	code, out, errOut := runBinary(t, cleanEnv(t), init, "serve", "--emulator")
	if code != 0 || !strings.Contains(out, `"id":1`) {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	if strings.Contains(errOut, "waiting for an MCP client") {
		t.Errorf("serve greeted a client:\n%s", errOut)
	}
}
