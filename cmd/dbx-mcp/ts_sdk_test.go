package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dbx-mcp/dbx-mcp/tools"
)

// TestTypeScriptSDK runs e2e/ts/check.mjs, which drives the binary with the
// official MCP TypeScript SDK over stdio and streamable HTTP. A client we did
// not write is the check that our server speaks MCP and JSON Schema the way
// the rest of the ecosystem reads them, not just the way mcp-go does.
func TestTypeScriptSDK(t *testing.T) {
	const setup = "run `npm ci --prefix e2e/ts` from the repository root to enable it"
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed; install Node.js 18+ and " + setup)
	}
	dir := filepath.Join("..", "..", "e2e", "ts")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@modelcontextprotocol", "sdk", "package.json")); err != nil {
		t.Skip("e2e/ts/node_modules is missing; " + setup)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "check.mjs", binPath)
	cmd.Dir = dir
	cmd.Env = cleanEnv(t, "DBX_MCP_CHECK_TIMEOUT_MS=25000", "DBX_MCP_EXPECTED_TOOLS="+strings.Join(tools.ToolNames(), ","))
	// check.mjs kills the servers it started when interrupted; WaitDelay
	// bounds the wait should it not.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("check.mjs did not finish in time:\n%s", out)
	}
	if err != nil {
		t.Fatalf("check.mjs failed (%v):\n%s", err, out)
	}
	for _, transport := range []string{"stdio", "http"} {
		if !regexp.MustCompile(`(?m)^\s+` + transport + `\s+PASS: [1-9]\d* checks passed, 0 failed$`).Match(out) {
			t.Errorf("check.mjs exited 0 but reports no passing %s run:\n%s", transport, out)
		}
	}
	t.Logf("%s", out)
}
