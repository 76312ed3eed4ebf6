package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/emulator"
	"github.com/dbx-mcp/dbx-mcp/tools"
)

// commonFlags are the flags of every command that talks to a workspace.
type commonFlags struct {
	cfg           client.Config
	rateLimit     float64
	retryTimeout  time.Duration
	useEmulator   bool
	emulatorDelay time.Duration
	toolsets      string
	toolNames     string
	toolMode      string
	readOnly      bool
	allowSecrets  bool
	logLevel      string
	localDir      string // serve only: the resolved --local-dir
	maxResult     int
	confirm       bool
	// shared, when set with useEmulator, is a running emulator to use
	// instead of starting an embedded one (call only).
	shared *emulatorRecord
}

func (f *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.cfg.Host, "host", "", "workspace URL (default $DATABRICKS_HOST or the profile's host)")
	fs.StringVar(&f.cfg.Profile, "profile", "", "profile of the config file to use (default $DATABRICKS_CONFIG_PROFILE, then DEFAULT)")
	fs.StringVar(&f.cfg.ConfigFile, "config-file", "", "config file (default $DATABRICKS_CONFIG_FILE or ~/.databrickscfg)")
	fs.StringVar(&f.cfg.AuthType, "auth-type", "", "auth method when several are configured, or one that needs no settings: pat, oauth-m2m, azure-client-secret, azure-msi, databricks-cli, external-browser, azure-cli")
	fs.StringVar(&f.cfg.Proxy, "proxy", "", "proxy URL for every request, loopback included (default: HTTPS_PROXY/NO_PROXY)")
	fs.StringVar(&f.cfg.CACertFile, "ca-cert-file", "", "PEM file of extra CA certificates to trust (TLS-inspecting proxies)")
	fs.Float64Var(&f.rateLimit, "rate-limit", 0, "maximum requests per second to the workspace (default $DATABRICKS_RATE_LIMIT, or none)")
	fs.DurationVar(&f.retryTimeout, "retry-timeout", 0, "total time to keep retrying one call (default 5m)")
	fs.BoolVar(&f.useEmulator, "emulator", false, "use an embedded emulated workspace instead of a real one (no credentials needed)")
	fs.DurationVar(&f.emulatorDelay, "emulator-delay", 3*time.Second, "with --emulator: how long emulated clusters take to start")
	fs.StringVar(&f.toolsets, "toolsets", "", "comma-separated toolsets to offer (default $DBX_MCP_TOOLSETS, else \"default\", the everyday set): "+strings.Join(tools.Toolsets(), ", "))
	fs.StringVar(&f.toolNames, "tools", "", "comma-separated tool names to offer besides the toolsets' (default $DBX_MCP_TOOLS); alone, only these")
	fs.StringVar(&f.toolMode, "tool-mode", "", "tools (every selected operation is a tool) or discovery (three meta-tools that search, describe and invoke them) (default $DBX_MCP_TOOL_MODE, else tools)")
	fs.BoolVar(&f.readOnly, "read-only", false, "offer only tools that change nothing (api_call limited to GET)")
	fs.BoolVar(&f.allowSecrets, "allow-secret-values", false, "let api_call reach endpoints that answer with secret values or new credentials (such as /api/2.0/secrets/get), which it refuses by default")
	fs.IntVar(&f.maxResult, "max-result-bytes", 0, fmt.Sprintf("output budget: a longer result is cut, with a marker saying how to get the rest (default $DBX_MCP_MAX_RESULT_BYTES, else %d; negative: no budget)", tools.DefaultMaxResultBytes))
	fs.BoolVar(&f.confirm, "confirm-destructive", false, "ask the user (MCP elicitation) before a destructive tool runs, when the client can ask")
	fs.StringVar(&f.logLevel, "log-level", "info", "stderr log level: debug, info, warn, error")
}

func (f *commonFlags) logger(w io.Writer) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(f.logLevel)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", f.logLevel)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl})), nil
}

// toolOptions is the tool selection: flags, else the DBX_MCP_ variables.
func (f *commonFlags) toolOptions() tools.Options {
	pick := func(flagValue, env string) string {
		if flagValue != "" {
			return flagValue
		}
		return os.Getenv(env)
	}
	sets, names := pick(f.toolsets, "DBX_MCP_TOOLSETS"), pick(f.toolNames, "DBX_MCP_TOOLS")
	if f.toolsets == "" && f.toolNames != "" {
		sets = "" // --tools alone offers exactly those tools
	}
	if f.toolNames == "" && f.toolsets != "" {
		names = ""
	}
	return tools.Options{
		Toolsets: splitList(sets),
		Tools:    splitList(names),
		ReadOnly: f.readOnly,
		Mode:     strings.TrimSpace(pick(f.toolMode, "DBX_MCP_TOOL_MODE")),

		AllowSecretValues:  f.allowSecrets,
		LocalDir:           f.localDir,
		MaxResultBytes:     maxResultBytes(f.maxResult),
		ConfirmDestructive: f.confirm,
	}
}

// maxResultBytes is the flag's budget, else DBX_MCP_MAX_RESULT_BYTES's; a
// variable that is no number gives a budget Options.Check refuses.
func maxResultBytes(flagValue int) int {
	if flagValue != 0 {
		return flagValue
	}
	env := strings.TrimSpace(os.Getenv("DBX_MCP_MAX_RESULT_BYTES"))
	if env == "" {
		return 0
	}
	n, err := strconv.Atoi(env)
	if err != nil || n == 0 {
		return 1
	}
	return n
}

// connect builds the workspace client: the embedded emulator, or the
// configuration from flags, environment and profile. The returned stop
// releases what connect started.
func (f *commonFlags) connect(ctx context.Context, log *slog.Logger) (*client.Client, func(), error) {
	if f.useEmulator && f.shared != nil {
		token := cmp.Or(f.shared.Token, "dbx-mcp-call")
		c, err := client.New(&client.Config{Host: f.shared.URL, Token: token}, client.WithLogger(log), client.WithCloud(f.shared.Cloud))
		if err != nil {
			return nil, nil, err
		}
		return c, func() {}, nil
	}
	if f.useEmulator {
		token, err := randomToken()
		if err != nil {
			return nil, nil, err
		}
		emu, err := emulator.Start(ctx, "127.0.0.1:0", emulator.Options{Token: token, ClusterStartDelay: f.emulatorDelay, Logger: log, StarterWarehouse: true})
		if err != nil {
			return nil, nil, fmt.Errorf("starting the emulator: %w", err)
		}
		log.Info("using the embedded Databricks emulator", "url", emu.URL())
		c, err := client.New(&client.Config{Host: emu.URL(), Token: token}, client.WithLogger(slog.New(tools.ClientLogHandler(log.Handler()))), client.WithCloud(emulator.CloudName))
		if err != nil {
			emu.Close()
			return nil, nil, err
		}
		return c, func() { emu.Close() }, nil
	}
	explicit := f.cfg
	explicit.RateLimit = f.rateLimit
	explicit.RetryTimeout = f.retryTimeout
	cfg, err := client.LoadConfig(explicit)
	if err != nil {
		return nil, nil, err
	}
	c, err := client.New(cfg, client.WithLogger(slog.New(tools.ClientLogHandler(log.Handler()))))
	if err != nil {
		return nil, nil, err
	}
	log.Info("workspace", "host", c.Host(), "auth", c.AuthType())
	return c, func() {}, nil
}

func randomToken() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "dapi" + hex.EncodeToString(b), nil
}

func runServe(ctx context.Context, args []string, s stdio) int {
	started := holdCollectorBack(startupGCPercent, startupGCHold, debug.SetGCPercent)
	defer started()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var f commonFlags
	f.register(fs)
	httpAddr := fs.String("http", "", "serve streamable HTTP at ADDR/mcp (e.g. 127.0.0.1:8787) instead of stdio")
	httpToken := fs.String("http-token", "", "bearer token MCP clients must send over HTTP (default $DBX_MCP_HTTP_TOKEN); required off loopback")
	origins := fs.String("allowed-origins", "", "comma-separated extra browser origins allowed over HTTP (loopback origins always are)")
	hosts := fs.String("allowed-hosts", "", "comma-separated extra Host header values allowed over HTTP")
	sessionIdle := fs.Duration("http-session-idle", 0, "end an HTTP session after this long with nothing running in it; its id then gets 404 (default $DBX_MCP_HTTP_SESSION_IDLE, or 30m)")
	maxBody := fs.Int64("http-max-body", 0, fmt.Sprintf("largest HTTP request body in bytes; a larger one gets 413 unread (default %d, 16 MiB)", tools.DefaultHTTPMaxBody))
	localDir := fs.String("local-dir", "", "over stdio only: offer tools that copy files between DBFS or Unity Catalog volumes and this local directory (nothing outside it is reachable); off by default")
	workspaces := fs.String("workspaces", "", "serve several workspaces: comma-separated name=profile (a bare profile names itself) of the config file; the first is the default, and every tool takes an optional workspace argument (default $DBX_MCP_WORKSPACES); with --emulator, one emulator per name")
	maxLine := byteSize(defaultMaxLine)
	fs.Var(&maxLine, "stdio-max-line", "over stdio, the longest message accepted (bytes, or with KiB/MiB/GiB); a longer one is answered with an error and skipped")
	pos, code, ok := parseFlags(fs, args, s.err)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(s.err, "dbx-mcp serve: unexpected argument %q\n", pos[0])
		return exitUsage
	}
	log, err := f.logger(s.err)
	if err != nil {
		fmt.Fprintln(s.err, "dbx-mcp serve:", err)
		return exitUsage
	}
	idle, err := httpSessionIdle(*sessionIdle)
	if err != nil {
		fmt.Fprintln(s.err, "dbx-mcp serve:", err)
		return exitUsage
	}
	if *maxBody < 0 {
		fmt.Fprintf(s.err, "dbx-mcp serve: --http-max-body %d: want a positive number of bytes\n", *maxBody)
		return exitUsage
	}
	if *localDir != "" {
		if *httpAddr != "" {
			fmt.Fprintln(s.err, "dbx-mcp serve: --local-dir cannot be combined with --http: local files are offered only over stdio")
			return exitUsage
		}
		dir, err := resolveLocalDir(*localDir)
		if err != nil {
			fmt.Fprintln(s.err, "dbx-mcp serve: --local-dir:", err)
			return exitUsage
		}
		f.localDir = dir
	}
	// The selection is checked before connecting, so that a typo fails at
	// once; the tools are then tailored to the workspaces' cloud.
	if err := f.toolOptions().Check(); err != nil {
		fmt.Fprintln(s.err, "dbx-mcp serve:", err)
		return exitUsage
	}
	specs, err := parseWorkspaces(*workspaces)
	if err == nil {
		err = checkWorkspaceFlags(&f, specs)
	}
	if err != nil {
		fmt.Fprintln(s.err, "dbx-mcp serve:", err)
		return exitUsage
	}
	ws, stop, err := f.connectWorkspaces(ctx, log, specs)
	if err != nil {
		fmt.Fprintln(s.err, "dbx-mcp serve:", err)
		return exitFailure
	}
	defer stop()
	reg, err := tools.NewWorkspacesRegistry(ws, f.toolOptions())
	if err != nil {
		fmt.Fprintln(s.err, "dbx-mcp serve:", err)
		return exitFailure
	}
	mcpServer := tools.NewServer(reg, log)
	if *httpAddr == "" {
		if byHand(s.in) {
			greet(s.err, f.useEmulator)
		}
		log.Info("serving MCP over stdio", "tools", len(reg.Tools()))
		opt := stdioOptions{maxLine: int(maxLine), listed: started}
		if s.in == os.Stdin {
			opt.procs = newProcsGovernor()
		}
		var restore func()
		s.in, restore = pollStdin(s.in)
		defer restore()
		if err := serveStdio(ctx, mcpServer, reg, s, log, opt); err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, io.EOF) {
			log.Error("stdio transport stopped", "error", err.Error())
			return exitFailure
		}
		return exitOK
	}
	token := *httpToken
	if token == "" {
		token = os.Getenv("DBX_MCP_HTTP_TOKEN")
	}
	handler, err := tools.NewHTTPHandler(mcpServer, tools.HTTPOptions{
		Addr: *httpAddr, BearerToken: token, Logger: log,
		AllowedOrigins: splitList(*origins), AllowedHosts: splitList(*hosts),
		SessionIdle: idle, MaxBody: *maxBody,
	})
	if err != nil {
		fmt.Fprintln(s.err, "dbx-mcp serve:", err)
		return exitUsage
	}
	ln, err := net.Listen("tcp", *httpAddr)
	if err != nil {
		fmt.Fprintln(s.err, "dbx-mcp serve:", err)
		return exitFailure
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slogWriter(log)}
	if s, ok := handler.(interface{ CloseStreams() }); ok {
		srv.RegisterOnShutdown(s.CloseStreams) // else an open stream holds the shutdown its 5 s
	}
	log.Info("serving MCP over streamable HTTP", "url", "http://"+ln.Addr().String()+tools.EndpointPath, "tools", len(reg.Tools()))
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	started()
	select {
	case err := <-done:
		log.Error("HTTP server stopped", "error", err.Error())
		return exitFailure
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdownCtx)
	return exitOK
}

// resolveLocalDir makes --local-dir absolute with its links resolved, and
// checks that it is a directory.
func resolveLocalDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if abs, err = filepath.EvalSymlinks(abs); err != nil {
		return "", err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return "", err
	}
	if !st.IsDir() {
		return "", fmt.Errorf("%s is not a directory", dir)
	}
	return abs, nil
}

// httpSessionIdle is --http-session-idle, else $DBX_MCP_HTTP_SESSION_IDLE;
// zero leaves the default to tools.
func httpSessionIdle(flagValue time.Duration) (time.Duration, error) {
	if flagValue < 0 {
		return 0, fmt.Errorf("--http-session-idle %s: want a positive duration such as 30m", flagValue)
	}
	env := os.Getenv("DBX_MCP_HTTP_SESSION_IDLE")
	if flagValue > 0 || env == "" {
		return flagValue, nil
	}
	d, err := time.ParseDuration(env)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("DBX_MCP_HTTP_SESSION_IDLE %q: want a positive duration such as 30m", env)
	}
	return d, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// slogWriter adapts a library's *log.Logger output to slog at warn level.
func slogWriter(l *slog.Logger) *log.Logger {
	return slog.NewLogLogger(l.Handler(), slog.LevelWarn)
}

func runEmulator(ctx context.Context, args []string, s stdio) int {
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8788", "listen address")
	token := fs.String("token", "", "accept only this bearer token (default: any non-empty token)")
	delay := fs.Duration("cluster-start-delay", 3*time.Second, "how long emulated clusters take to start")
	logLevel := fs.String("log-level", "info", "stderr log level")
	if _, code, ok := parseFlags(fs, args, s.err); !ok {
		return code
	}
	f := commonFlags{logLevel: *logLevel}
	log, err := f.logger(s.err)
	if err != nil {
		fmt.Fprintln(s.err, "dbx-mcp emulator:", err)
		return exitUsage
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		fmt.Fprintln(s.err, "dbx-mcp emulator:", err)
		return exitUsage
	}
	if !client.IsLoopback(host) {
		log.Warn("the emulator serves plain HTTP on a non-loopback address; dbx-mcp and other Databricks clients will only talk to http:// on loopback")
	}
	srv, err := emulator.Start(ctx, *addr, emulator.Options{Token: *token, ClusterStartDelay: *delay, Logger: log, StarterWarehouse: true})
	if err != nil {
		fmt.Fprintln(s.err, "dbx-mcp emulator:", err)
		return exitFailure
	}
	defer srv.Close()
	log.Info("emulated Databricks workspace listening", "url", srv.URL())
	// `call --emulator` finds the emulator by this record and shares its state.
	if remove, err := writeEmulatorRecord(emulatorRecord{URL: srv.URL(), PID: os.Getpid(), Token: *token, Cloud: srv.Emulator().Cloud()}); err != nil {
		log.Warn("could not record the emulator's address for 'dbx-mcp call --emulator'", "error", err.Error())
	} else {
		defer remove()
	}
	fmt.Fprintf(s.err, "Try: dbx-mcp call --emulator clusters_list   (or DATABRICKS_HOST=%s DATABRICKS_TOKEN=anything dbx-mcp serve)\n", srv.URL())
	<-ctx.Done()
	return exitOK
}

func runVersion(_ context.Context, _ []string, s stdio) int {
	fmt.Fprintf(s.out, "dbx-mcp %s (%s %s/%s)\n", client.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}

// flagGiven reports whether the command line set the flag.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// Start-up allocates a few MB (package initialisation alone ~2.5 MB, most
// of it a dependency's), so the collector's first cycle, due at 4 MB, used
// to land in the middle of the first tools/list, costing 1-3 ms there to
// collect a heap that is nearly all live. While serve starts, the
// collector runs at startupGCPercent instead (the first cycle then comes
// at tens of MB, which start-up does not reach): over stdio until the
// first tools/list is answered, over HTTP until it listens, and at most
// for startupGCHold.
const (
	startupGCPercent = 800
	startupGCHold    = 2 * time.Second
)

// holdCollectorBack sets the collector's target to percent for hold, unless
// GOGC already asks for as much or turns it off, and returns a function
// that sets it back early; both set back what was there before. set is
// debug.SetGCPercent, or a test's stand-in.
func holdCollectorBack(percent int, hold time.Duration, set func(int) int) func() {
	old := set(percent)
	if old < 0 || old >= percent {
		set(old)
		return func() {}
	}
	var once sync.Once
	restore := func() { once.Do(func() { set(old) }) }
	t := time.AfterFunc(hold, restore)
	return func() {
		t.Stop()
		restore()
	}
}
