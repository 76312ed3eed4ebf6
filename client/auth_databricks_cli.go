package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// databricksCLIAuth borrows the token the Databricks CLI holds for the
// workspace (after databricks auth login), by running databricks auth token
// as the Databricks SDKs do. It needs no settings of its own, so besides
// being named it serves as a fallback, tried before azure-cli as in the
// SDKs' default chain, when the CLI is installed and hands out a token.
var databricksCLIAuth = &authMethod{
	name: "databricks-cli",
	fallback: func(cfg *Config) string {
		if cfg.Host == "" {
			return "needs host (DATABRICKS_HOST)"
		}
		c, err := newDatabricksCLICredentials(cfg, nil)
		if err != nil {
			return strings.TrimPrefix(err.Error(), "databricks-cli: ")
		}
		ctx, cancel := context.WithTimeout(context.Background(), cliTokenTimeout)
		defer cancel()
		if _, err := c.(*databricksCLICredentials).fetch(ctx); err != nil {
			return strings.TrimPrefix(err.Error(), "databricks-cli: ")
		}
		return ""
	},
	build: newDatabricksCLICredentials,
}

const (
	// legacyCLIMaxSize tells the legacy Python databricks CLI, which has no
	// auth token command, from the Go one (a binary of many megabytes),
	// the way the Databricks SDKs do.
	legacyCLIMaxSize = 1 << 20
	// cliTokenTimeout bounds one run of the CLI.
	cliTokenTimeout = time.Minute
)

// CLI versions from which databricks auth token takes --profile, and
// --force-refresh (without which it may hand back a cached token close to
// its expiry).
var (
	cliVersionProfile      = [3]int{0, 207, 1}
	cliVersionForceRefresh = [3]int{0, 296, 0}
)

// databricksCLICredentials runs the CLI for a token and keeps it until
// shortly before it expires.
type databricksCLICredentials struct {
	args []string
	// login is the command that signs the user in for args.
	login string
	env   []string
	cache *tokenCache
}

// newDatabricksCLICredentials finds the CLI and works out its command line;
// it runs the CLI once to learn its version.
func newDatabricksCLICredentials(cfg *Config, _ *http.Client) (Credentials, error) {
	if cfg.Host == "" && cfg.Profile == "" {
		return nil, errors.New("databricks-cli: needs host (DATABRICKS_HOST) or a profile")
	}
	path, err := findDatabricksCLI(cfg.DatabricksCLIPath)
	if err != nil {
		return nil, fmt.Errorf("databricks-cli: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), cliTokenTimeout)
	defer cancel()
	ver, known := databricksCLIVersion(ctx, path)
	args := []string{path, "auth", "token"}
	// The implicit [DEFAULT] is not passed on: the CLI keys a host login by
	// the host, as the SDKs (which leave the profile unset then) ask for it.
	named := cfg.Profile != "" && cfg.Sources["profile"] != "default"
	switch {
	case named && known && !versionBefore(ver, cliVersionProfile):
		args = append(args, "--profile", cfg.Profile)
	case cfg.Host != "":
		args = append(args, "--host", cfg.Host)
	default:
		return nil, fmt.Errorf("databricks-cli: the Databricks CLI at %s is older than 0.207.1 and cannot take --profile, and no host is set; upgrade the CLI or set DATABRICKS_HOST", path)
	}
	if known && !versionBefore(ver, cliVersionForceRefresh) {
		args = append(args, "--force-refresh")
	}
	c := &databricksCLICredentials{args: args, login: "databricks auth login " + strings.Join(args[3:5], " ")}
	if cfg.ConfigFile != "" {
		c.env = append(os.Environ(), "DATABRICKS_CONFIG_FILE="+cfg.ConfigFile)
	}
	c.cache = newTokenCache(databricksTokenLead, c.fetch)
	return c, nil
}

func (*databricksCLICredentials) AuthType() string { return "databricks-cli" }

func (c *databricksCLICredentials) Authorize(ctx context.Context, req *http.Request) error {
	tok, err := c.cache.token(ctx)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

// fetch runs databricks auth token and reads its JSON answer. Errors carry
// the CLI's own message (which tells the user to run databricks auth login),
// never its standard output, which holds the token.
func (c *databricksCLICredentials) fetch(ctx context.Context) (accessToken, error) {
	cmd := exec.CommandContext(ctx, c.args[0], c.args[1:]...)
	cmd.Env = c.env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 1000 {
			msg = msg[:1000] + "..."
		}
		if msg != "" {
			msg = ": " + msg
		}
		return accessToken{}, fmt.Errorf("databricks-cli: databricks %s failed%s (%w); sign in with %s", strings.Join(c.args[1:], " "), msg, err, c.login)
	}
	var resp struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		Expiry      string `json:"expiry"`
	}
	if json.Unmarshal(out, &resp) != nil {
		return accessToken{}, errors.New("databricks-cli: databricks auth token printed something that is not its JSON token answer")
	}
	if resp.AccessToken == "" {
		return accessToken{}, errors.New("databricks-cli: databricks auth token answered without an access_token")
	}
	if resp.TokenType != "" && !strings.EqualFold(resp.TokenType, "bearer") {
		return accessToken{}, fmt.Errorf("databricks-cli: databricks auth token gave a %q token; only bearer tokens are supported", resp.TokenType)
	}
	tok := accessToken{value: resp.AccessToken}
	if resp.Expiry != "" {
		exp, err := parseCLIExpiry(resp.Expiry)
		if err != nil {
			return accessToken{}, fmt.Errorf("databricks-cli: %w", err)
		}
		tok.expiry = exp
	}
	return tok, nil
}

// parseCLIExpiry reads the expiry the CLI prints (RFC 3339), and the
// space-separated local times other Databricks tools write.
func parseCLIExpiry(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04:05.999999999", s, time.Local); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("cannot read the token expiry %q", s)
}

// findDatabricksCLI locates the Go Databricks CLI: the path or command name
// given (databricks_cli_path, DATABRICKS_CLI_PATH), else databricks on PATH.
func findDatabricksCLI(given string) (string, error) {
	if strings.ContainsAny(given, `/\`) {
		return checkDatabricksCLI(given)
	}
	names := []string{given}
	if given == "" {
		names = []string{"databricks"}
		if runtime.GOOS == "windows" {
			names = append(names, "databricks.exe")
		}
	}
	legacy := ""
	for _, name := range names {
		for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
			if dir == "" {
				continue
			}
			p, err := checkDatabricksCLI(filepath.Join(dir, name))
			if err == nil {
				return p, nil
			}
			if errors.Is(err, errLegacyCLI) {
				legacy = filepath.Join(dir, name)
			}
		}
	}
	if legacy != "" {
		return "", fmt.Errorf("%s is the legacy Python Databricks CLI; install the current one (0.207.1 or later) and run databricks auth login", legacy)
	}
	return "", errors.New("the Databricks CLI (databricks) is not on PATH; install it and run databricks auth login, or set DATABRICKS_CLI_PATH")
}

var errLegacyCLI = errors.New("legacy Databricks CLI")

func checkDatabricksCLI(path string) (string, error) {
	info, err := os.Stat(path)
	switch {
	case err != nil || info.IsDir():
		return "", fmt.Errorf("the Databricks CLI is not at %s", path)
	case info.Size() < legacyCLIMaxSize:
		return "", fmt.Errorf("%s: %w", path, errLegacyCLI)
	}
	return path, nil
}

// databricksCLIVersion runs databricks version ("Databricks CLI v0.240.0").
// When it cannot tell, the caller falls back to the flags every version
// knows.
func databricksCLIVersion(ctx context.Context, path string) ([3]int, bool) {
	out, err := exec.CommandContext(ctx, path, "version").Output()
	if err != nil {
		return [3]int{}, false
	}
	return parseCLIVersion(string(out))
}

// parseCLIVersion reads major.minor.patch; a development build (v0.0.0-dev)
// counts as unknown, since it compares below every release.
func parseCLIVersion(s string) ([3]int, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "Databricks CLI ")
	s = strings.TrimPrefix(s, "v")
	if i := strings.IndexAny(s, "-+ "); i >= 0 {
		if strings.HasPrefix(s[i:], "-dev") {
			return [3]int{}, false
		}
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return [3]int{}, false
	}
	var v [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return [3]int{}, false
		}
		v[i] = n
	}
	if v == ([3]int{}) {
		return v, false
	}
	return v, true
}

func versionBefore(v, w [3]int) bool {
	for i := range v {
		if v[i] != w[i] {
			return v[i] < w[i]
		}
	}
	return false
}
