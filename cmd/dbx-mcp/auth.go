package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// runAuth holds the sign-in commands; login is the one there is.
func runAuth(ctx context.Context, args []string, s stdio) int {
	if len(args) == 0 || args[0] != "login" {
		fmt.Fprintln(s.err, "Usage: dbx-mcp auth login [--host H | --profile P]\n\nSigns you in to the workspace in your browser (Databricks OAuth) and keeps the login in the\nDatabricks CLI's token cache (~/.databricks/token-cache.json), which auth type external-browser\n(and the Databricks CLI) then use and refresh.")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return exitOK
		}
		return exitUsage
	}
	fs := flag.NewFlagSet("auth login", flag.ContinueOnError)
	var f connectionFlags
	f.register(fs)
	pos, code, ok := parseFlags(fs, args[1:], s.err)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(s.err, "dbx-mcp auth login: unexpected argument %q\n", pos[0])
		return exitUsage
	}
	explicit := f.explicit(fs)
	if explicit.AuthType == "" {
		// The login is for external-browser whatever else the profile holds.
		explicit.AuthType = "external-browser"
	}
	cfg, err := client.LoadConfig(explicit)
	if err != nil {
		fmt.Fprintf(s.err, "dbx-mcp auth login: %v\n", err)
		return exitFailure
	}
	if cfg.Host == "" {
		fmt.Fprintln(s.err, "dbx-mcp auth login: no workspace host; pass --host https://<workspace> or --profile NAME (a profile with a host)")
		return exitUsage
	}
	if err := client.Login(ctx, cfg); err != nil {
		fmt.Fprintf(s.err, "dbx-mcp auth login: %v\n", err)
		return exitFailure
	}
	path, _ := client.TokenCachePath()
	fmt.Fprintf(s.err, "Signed in to %s; the login is kept in %s.\nUse it with DATABRICKS_AUTH_TYPE=external-browser (or auth_type = external-browser in the profile).\n", cfg.Host, path)
	return exitOK
}
