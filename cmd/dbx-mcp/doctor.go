package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/client/iam"
)

// connectionFlags are the settings of a workspace connection that doctor
// and auth login take from the command line; the names match serve's.
type connectionFlags struct {
	cfg client.Config
}

func (f *connectionFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.cfg.Host, "host", "", "workspace URL (default $DATABRICKS_HOST or the profile's host)")
	fs.StringVar(&f.cfg.Profile, "profile", "", "profile of the config file to use (default $DATABRICKS_CONFIG_PROFILE, then DEFAULT)")
	fs.StringVar(&f.cfg.ConfigFile, "config-file", "", "config file (default $DATABRICKS_CONFIG_FILE or ~/.databrickscfg)")
	fs.StringVar(&f.cfg.AuthType, "auth-type", "", "auth method to use instead of the one the settings imply")
	fs.StringVar(&f.cfg.Proxy, "proxy", "", "proxy URL for every request (default: HTTPS_PROXY/NO_PROXY)")
	fs.StringVar(&f.cfg.CACertFile, "ca-cert-file", "", "PEM file of extra CA certificates to trust")
}

// explicit is the configuration the flags give, each setting sourced to its
// flag so that doctor can say so.
func (f *connectionFlags) explicit(fs *flag.FlagSet) client.Config {
	cfg := f.cfg
	cfg.Sources = map[string]string{}
	for flagName, attr := range map[string]string{"host": "host", "profile": "profile", "config-file": "config_file",
		"auth-type": "auth_type", "proxy": "proxy", "ca-cert-file": "ca_cert_file"} {
		if flagGiven(fs, flagName) {
			cfg.Sources[attr] = "flag --" + flagName
		}
	}
	return cfg
}

// runDoctor shows how dbx-mcp would reach the workspace and whether it
// does: the settings and their sources, the auth method and why, the
// network path and the identity the workspace sees. Secrets are never shown.
func runDoctor(ctx context.Context, args []string, s stdio) int {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	var f connectionFlags
	f.register(fs)
	timeout := fs.Duration("timeout", 30*time.Second, "how long to try reaching the workspace")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: dbx-mcp doctor [flags]\n\nShows the resolved configuration, the auth method and the identity the workspace sees; exits 0 when the workspace answered.\n\nFlags:")
		fs.PrintDefaults()
	}
	pos, code, ok := parseFlags(fs, args, s.err)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(s.err, "dbx-mcp doctor: unexpected argument %q\n", pos[0])
		return exitUsage
	}
	d := &doctor{out: s.out, err: s.err}
	return d.run(ctx, f.explicit(fs), *timeout)
}

type doctor struct {
	out, err io.Writer
}

// fail reports the problem and its fix, on stdout with the rest of the
// report and on stderr for whoever only watches that.
func (d *doctor) fail(problem, fix string) int {
	fmt.Fprintf(d.out, "\nProblem: %s\nFix:     %s\n", problem, fix)
	fmt.Fprintf(d.err, "dbx-mcp doctor: %s\n  fix: %s\n", firstLine(problem), fix)
	return exitFailure
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}

func (d *doctor) run(ctx context.Context, explicit client.Config, timeout time.Duration) int {
	cfg, err := client.LoadConfig(explicit)
	if err != nil {
		return d.fail(err.Error(), "correct the setting named above (flag, environment variable or profile line)")
	}
	if cfg.RetryTimeout == 0 {
		cfg.RetryTimeout = timeout
		cfg.Sources["retry_timeout_seconds"] = "doctor --timeout"
	}

	fmt.Fprintln(d.out, "Configuration")
	tw := tabwriter.NewWriter(d.out, 2, 4, 2, ' ', 0)
	for _, st := range cfg.Settings() {
		v := st.Value
		if st.Secret {
			v = "set (value hidden)"
		}
		src := st.Source
		if src == "" {
			src = "unknown"
		}
		fmt.Fprintf(tw, "  %s\t%s\t(from %s)\n", st.Name, v, src)
	}
	tw.Flush()

	if cfg.Host == "" {
		return d.fail("no workspace host is configured",
			"set DATABRICKS_HOST (or --host), or name a profile with a host in ~/.databrickscfg (DATABRICKS_CONFIG_PROFILE or --profile)")
	}

	fmt.Fprintln(d.out, "\nNetwork")
	tw = tabwriter.NewWriter(d.out, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  proxy\t%s\n", describeProxy(cfg))
	if np := envEither("NO_PROXY", "no_proxy"); np != "" && cfg.Proxy == "" {
		fmt.Fprintf(tw, "  NO_PROXY\t%s\n", np)
	}
	if cfg.CACertFile != "" {
		fmt.Fprintf(tw, "  CA file\t%s (from %s), besides the system roots\n", cfg.CACertFile, cfg.Sources["ca_cert_file"])
	} else {
		fmt.Fprintf(tw, "  CA file\tnone: the system roots only\n")
	}
	if cfg.InsecureSkipVerify {
		fmt.Fprintf(tw, "  TLS\tcertificate checks are OFF (skip_verify from %s): for tests only\n", cfg.Sources["skip_verify"])
	}
	tw.Flush()

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c, err := client.New(cfg, client.WithLogger(log))
	if err != nil {
		return d.fail(err.Error(), authFix(cfg))
	}
	fmt.Fprintln(d.out, "\nAuth")
	tw = tabwriter.NewWriter(d.out, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  method\t%s\n", c.AuthType())
	fmt.Fprintf(tw, "  why\t%s\n", client.AuthChoice(cfg, c.AuthType()))
	if c.AuthType() == "external-browser" {
		if path, err := client.TokenCachePath(); err == nil {
			fmt.Fprintf(tw, "  login cache\t%s (shared with the Databricks CLI)\n", path)
		}
	}
	tw.Flush()

	fmt.Fprintf(d.out, "\nWorkspace %s\n", c.Host())
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	me, err := iam.CurrentUserMe.Call(ctx, c, &iam.MeRequest{})
	if err != nil {
		problem, fix := diagnose(err, cfg, c.AuthType())
		return d.fail(problem, fix)
	}
	tw = tabwriter.NewWriter(d.out, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  identity\t%s\n", deref(me.UserName))
	if me.DisplayName != nil {
		fmt.Fprintf(tw, "  display name\t%s\n", *me.DisplayName)
	}
	if me.ID != nil {
		fmt.Fprintf(tw, "  id\t%s\n", *me.ID)
	}
	tw.Flush()
	fmt.Fprintln(d.out, "\nOK: the workspace answered as this identity.")
	return exitOK
}

func deref(p *string) string {
	if p == nil || *p == "" {
		return "(no userName in the answer)"
	}
	return *p
}

func envEither(names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}

// describeProxy names the proxy requests to the workspace go through, its
// user info hidden, and where it was set.
func describeProxy(cfg *client.Config) string {
	if cfg.Proxy != "" {
		return hideUserInfo(cfg.Proxy) + ", for every request (from " + cfg.Sources["proxy"] + ")"
	}
	host, err := url.Parse(cfg.Host)
	if err != nil {
		return "unknown"
	}
	p, err := http.ProxyFromEnvironment(&http.Request{URL: host})
	if err != nil {
		return "the environment's proxy setting is not valid: " + err.Error()
	}
	if p == nil {
		return "none: direct to the workspace"
	}
	vars := []string{"HTTPS_PROXY", "https_proxy"}
	if host.Scheme == "http" {
		vars = []string{"HTTP_PROXY", "http_proxy"}
	}
	from := "the environment"
	for _, v := range vars {
		if os.Getenv(v) != "" {
			from = "env " + v
			break
		}
	}
	return hideUserInfo(p.String()) + " (from " + from + ")"
}

// hideUserInfo shows a proxy URL without its user name and password.
func hideUserInfo(raw string) string {
	s := raw
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "(set, not shown: it does not parse as a URL)"
	}
	hidden := ""
	if u.User != nil {
		hidden = " (credentials hidden)"
		u.User = nil
	}
	return u.Scheme + "://" + u.Host + hidden
}

// authFix says what to do when no auth method could be set up.
func authFix(cfg *client.Config) string {
	switch cfg.AuthType {
	case "databricks-cli":
		return "install the Databricks CLI and sign in: databricks auth login --host " + cfg.Host
	case "external-browser":
		return "sign in: dbx-mcp auth login --host " + cfg.Host
	}
	return "configure one auth method (see the list above and the README's Authentication section): for example DATABRICKS_TOKEN, or sign in with dbx-mcp auth login --host " + cfg.Host
}

// diagnose turns a failed call to the workspace into what went wrong and
// what fixes it.
func diagnose(err error, cfg *client.Config, authType string) (string, string) {
	msg := err.Error()
	var apiErr *client.APIError
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusUnauthorized:
		fix := "the credentials are wrong, expired or for another workspace: "
		switch authType {
		case "pat":
			fix += "create a new personal access token in the workspace (Settings > Developer) and set it"
			if src := cfg.Sources["token"]; src != "" {
				fix += " where the old one came from (" + src + ")"
			}
		case "databricks-cli":
			fix += "sign in again with databricks auth login --host " + cfg.Host
		case "external-browser":
			fix += "sign in again with dbx-mcp auth login --host " + cfg.Host
		case "oauth-m2m":
			fix += "check the service principal's client id and OAuth secret, and that the secret has not expired"
		default:
			fix += "check that the identity's credentials are current and that it was added to this workspace"
		}
		return "the workspace refused the credentials (401): " + msg, fix
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusForbidden:
		return "the workspace knows the identity but refused it (403): " + msg,
			"ask a workspace admin to add the identity to the workspace (or grant it access), or use another identity"
	case errors.As(err, &apiErr):
		return "the workspace answered with an error: " + msg, "check the host is a Databricks workspace URL; the error above says more"
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr), strings.Contains(msg, "x509: "):
		return "the workspace's TLS certificate was not trusted: " + msg,
			"if a corporate proxy inspects TLS, trust its CA with --ca-cert-file or DATABRICKS_CA_CERT_FILE (ca_cert_file in the profile); otherwise check the host"
	case strings.Contains(msg, "proxyconnect "):
		return "the proxy could not be reached or refused the connection: " + msg,
			"check the proxy URL and that the proxy is running (" + describeProxy(cfg) + ")"
	case errors.As(err, &dnsErr):
		return "the host name does not resolve: " + msg,
			"check the host (" + cfg.Host + "); on a network that only reaches out through a proxy, set HTTPS_PROXY or --proxy"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "nothing accepted the connection: " + msg,
			"check the host and port (" + cfg.Host + ") and the proxy (HTTPS_PROXY, NO_PROXY, --proxy)"
	case errors.Is(err, context.DeadlineExceeded):
		return "the workspace did not answer in time: " + msg,
			"check the host and the proxy (HTTPS_PROXY, NO_PROXY, --proxy); a firewall may drop the traffic"
	}
	return "the call to the workspace failed: " + msg, "check the host, the proxy and the credentials shown above"
}
