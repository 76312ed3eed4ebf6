// Command benchfloor is the floor the start-up benchmark times dbx-mcp
// against: mcp-go's stdio server with one trivial tool, the least an MCP
// server written in Go with the same library does before it can answer
// tools/list. cmd/dbx-mcp's BenchmarkVersusFloor builds and runs it.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

func main() {
	s := server.NewMCPServer("benchfloor", "1", server.WithToolCapabilities(false))
	s.AddTool(mcp.NewTool("ping", mcp.WithDescription("Answer pong.")),
		func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return mcp.NewToolResultText("pong"), nil
		})
	if err := server.ServeStdio(s); err != nil {
		fmt.Fprintln(os.Stderr, "benchfloor:", err)
		os.Exit(1)
	}
}
