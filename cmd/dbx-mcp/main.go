// Command dbx-mcp is an MCP server for the Databricks REST API.
//
//	dbx-mcp serve [--http ADDR] [--emulator]   serve MCP over stdio, or streamable HTTP at ADDR/mcp
//	dbx-mcp call TOOL 'JSON' [--emulator]      call one tool, print its payload
//	dbx-mcp tools [NAME] [--json]              list the tools, or describe one
//	dbx-mcp doctor [--host H | --profile P]    check configuration, auth and identity
//	dbx-mcp auth login [--host H | --profile P] sign in in the browser (OAuth U2M)
//	dbx-mcp emulator [--addr ADDR]             run the emulated workspace alone
//	dbx-mcp version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses, documented in the README ("Commands") and in
// 'dbx-mcp call -h'; scripts branch on them.
const (
	exitOK          = 0
	exitToolError   = 1   // the tool ran and returned an error result
	exitUsage       = 2   // bad command line: flags, arguments, unknown tool
	exitFailure     = 3   // could not run: configuration, credentials, connection
	exitWaitTimeout = 4   // the call succeeded but its wait ran out first
	exitInterrupted = 130 // stopped by Ctrl-C (SIGINT) or SIGTERM, as shells report 128+2
)

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, io stdio) int
}

type stdio struct {
	in       io.Reader
	out, err io.Writer
}

func commands() []command {
	return []command{
		{"serve", "serve MCP over stdio, or over streamable HTTP with --http ADDR", runServe},
		{"call", "call one tool and print its payload: dbx-mcp call TOOL '{json args}' (args '-' reads stdin)", runCall},
		{"tools", "list the tools, or describe one: dbx-mcp tools NAME (--json for definitions)", runTools},
		{"doctor", "check the configuration, auth and network path to the workspace, and who it sees", runDoctor},
		{"auth", "auth login: sign in to a workspace in the browser (Databricks OAuth)", runAuth},
		{"emulator", "run the emulated Databricks workspace alone (--addr, default 127.0.0.1:8788)", runEmulator},
		{"version", "print the version", runVersion},
	}
}

func run(ctx context.Context, args []string, in io.Reader, out, errw io.Writer) int {
	s := stdio{in: in, out: out, err: errw}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(errw)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], s)
		}
	}
	fmt.Fprintf(errw, "dbx-mcp: unknown command %q\n\n", args[0])
	usage(errw)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "dbx-mcp: an MCP server for the Databricks REST API\n\nUsage: dbx-mcp <command> [flags] [args]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'dbx-mcp <command> -h' for a command's flags.")
}

// parseInterspersed parses flags that may stand before, between or after
// positional arguments; everything after "--" is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var tail []string
	for i, a := range args {
		if a == "--" {
			args, tail = args[:i], args[i+1:]
			break
		}
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	return append(pos, tail...), nil
}

// parseFlags runs parseInterspersed and turns -h and parse errors into the
// right exit code.
func parseFlags(fs *flag.FlagSet, args []string, errw io.Writer) ([]string, int, bool) {
	fs.SetOutput(errw)
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil, exitOK, false
	}
	if err != nil {
		return nil, exitUsage, false
	}
	return pos, 0, true
}
