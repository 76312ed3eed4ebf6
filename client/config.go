package client

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Config is everything the client needs to reach a workspace. LoadConfig
// fills it the way the Databricks CLI and SDKs do; a program embedding the
// client may also fill it by hand.
type Config struct {
	// Host is the workspace URL, e.g. https://adb-123.4.azuredatabricks.net.
	Host string
	// Token is a personal access token (auth type "pat").
	Token string
	// Profile is the section of the config file to read.
	Profile string
	// ConfigFile is the path of the profile file (default ~/.databrickscfg).
	ConfigFile string
	// AuthType forces one auth method by name ("pat", "oauth-m2m",
	// "azure-client-secret", "azure-msi", "databricks-cli",
	// "external-browser", "azure-cli") when several are configured, or one
	// that needs no settings.
	AuthType string
	// DatabricksCLIPath is the Databricks CLI that auth type
	// "databricks-cli" runs: a path, or a name looked up on PATH (default
	// "databricks").
	DatabricksCLIPath string

	// ClientID and ClientSecret are a Databricks service principal's OAuth
	// credentials (auth type "oauth-m2m").
	ClientID     string
	ClientSecret string

	// AzureClientID, AzureClientSecret and AzureTenantID are an Azure AD
	// service principal (auth type "azure-client-secret"); AzureClientID
	// alone selects a user-assigned managed identity with AzureUseMSI.
	AzureClientID     string
	AzureClientSecret string
	AzureTenantID     string
	// AzureUseMSI selects managed identity (auth type "azure-msi").
	AzureUseMSI bool
	// AzureResourceID is the workspace's Azure resource id,
	// /subscriptions/.../providers/Microsoft.Databricks/workspaces/NAME.
	AzureResourceID string

	// Proxy is an explicit proxy URL for every request, loopback included;
	// credentials may be given in its user info. When empty, HTTPS_PROXY,
	// HTTP_PROXY and NO_PROXY apply.
	Proxy string
	// CACertFile is a PEM bundle trusted in addition to the system roots,
	// for TLS-inspecting corporate proxies.
	CACertFile string
	// InsecureSkipVerify turns certificate checks off. Only for tests.
	InsecureSkipVerify bool

	// RateLimit caps requests per second from this client; 0 means no cap.
	RateLimit float64
	// RetryTimeout bounds the total time spent retrying one call
	// (default 5 minutes).
	RetryTimeout time.Duration
	// HTTPTimeout bounds a single HTTP exchange (default 60 seconds).
	HTTPTimeout time.Duration

	// WarehouseID is the SQL warehouse statements run on when a caller
	// names none (the SDKs' warehouse_id, DATABRICKS_WAREHOUSE_ID).
	WarehouseID string

	// Sources records where each non-empty setting came from, by attribute
	// name (for example "host": "env DATABRICKS_HOST", or "profile dev in
	// /home/me/.databrickscfg line 4"), for error messages and doctor.
	Sources map[string]string
}

// LoadOption adjusts where LoadConfig looks for settings.
type LoadOption func(*loadOptions)

type loadOptions struct {
	lookupEnv func(string) (string, bool)
	homeDir   string
}

// WithEnv replaces the process environment as the source of DATABRICKS_*
// and ARM_* variables, so that tests and embedding programs control it.
func WithEnv(lookup func(string) (string, bool)) LoadOption {
	return func(o *loadOptions) { o.lookupEnv = lookup }
}

// WithHomeDir sets the directory holding the default .databrickscfg (and the
// one "~" expands to), instead of the user's home directory.
func WithHomeDir(dir string) LoadOption {
	return func(o *loadOptions) { o.homeDir = dir }
}

// LoadConfig resolves the configuration as the Databricks CLI and SDKs do.
// Every setting is taken from the first place that has it: a non-zero field
// of explicit, then its environment variable, then the profile in the config
// file. The profile is the one named by explicit.Profile or
// DATABRICKS_CONFIG_PROFILE, else default_profile in the file's
// [__settings__] section, else [DEFAULT]; the file is DATABRICKS_CONFIG_FILE
// or ~/.databrickscfg.
//
// Like the Databricks SDKs, LoadConfig does not read the file at all when no
// profile is named and the host or any credential is already set explicitly
// or in the environment: a stray [DEFAULT] profile must not mix its
// credentials into a setup described by environment variables.
//
// The host is normalized (see NormalizeHost); Sources tells where each
// setting came from.
func LoadConfig(explicit Config, opts ...LoadOption) (*Config, error) {
	o := loadOptions{lookupEnv: os.LookupEnv}
	for _, opt := range opts {
		opt(&o)
	}
	cfg := explicit
	cfg.Sources = make(map[string]string, len(attributes))
	for _, a := range attributes {
		if !a.isZero(&cfg) {
			cfg.Sources[a.name] = "explicit"
			if src := explicit.Sources[a.name]; src != "" {
				cfg.Sources[a.name] = src
			}
		}
	}
	for _, a := range attributes {
		if a.env == "" || !a.isZero(&cfg) {
			continue
		}
		v, ok := o.lookupEnv(a.env)
		if !ok || strings.TrimSpace(v) == "" {
			continue
		}
		if err := a.set(&cfg, v); err != nil {
			return nil, fmt.Errorf("environment variable %s: %w", a.env, err)
		}
		cfg.Sources[a.name] = "env " + a.env
	}
	if err := loadProfile(&cfg, &o); err != nil {
		return nil, err
	}
	if cfg.Host != "" {
		u, err := NormalizeHost(cfg.Host)
		if err != nil {
			return nil, fmt.Errorf("host (from %s): %w", cfg.Sources["host"], err)
		}
		cfg.Host = u.String()
	}
	if cfg.AuthType != "" && findAuthMethod(cfg.AuthType) == nil {
		return nil, fmt.Errorf("auth type %q (from %s) is not known; valid auth types: %s",
			cfg.AuthType, cfg.Sources["auth_type"], strings.Join(authMethodNames(), ", "))
	}
	if cfg.Proxy != "" {
		if _, err := parseProxyURL(cfg.Proxy); err != nil {
			return nil, fmt.Errorf("proxy (from %s): %w", cfg.Sources["proxy"], err)
		}
	}
	return &cfg, nil
}

// settingsSection holds tool settings in .databrickscfg; it is not a profile.
const settingsSection = "__settings__"

// loadProfile fills the zero fields of cfg from the selected profile.
func loadProfile(cfg *Config, o *loadOptions) error {
	if cfg.Profile == "" && (cfg.Host != "" || anyAuthAttribute(cfg)) {
		return nil
	}
	path, named := cfg.ConfigFile, cfg.ConfigFile != ""
	home := o.homeDir
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	switch {
	case !named && home == "":
		if cfg.Profile != "" {
			return fmt.Errorf("profile %q (from %s) was requested, but there is no home directory to find .databrickscfg in; set DATABRICKS_CONFIG_FILE", cfg.Profile, cfg.Sources["profile"])
		}
		return nil
	case !named:
		path = filepath.Join(home, ".databrickscfg")
	case path == "~" || strings.HasPrefix(path, "~/") || strings.HasPrefix(path, `~\`):
		if home == "" {
			return fmt.Errorf("config file %q (from %s): no home directory to expand ~ to", path, cfg.Sources["config_file"])
		}
		path = filepath.Join(home, path[1:])
	}
	f, err := readConfigFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			if named {
				return fmt.Errorf("config file %s (from %s) does not exist", path, cfg.Sources["config_file"])
			}
			if cfg.Profile != "" {
				return fmt.Errorf("profile %q (from %s) was requested, but %s does not exist", cfg.Profile, cfg.Sources["profile"], path)
			}
			return nil
		}
		return err
	}
	name, how, fallback := cfg.Profile, cfg.Sources["profile"], false
	if name == "" {
		if s := f.section(settingsSection); s != nil && strings.TrimSpace(s.values["default_profile"].value) != "" {
			name = strings.TrimSpace(s.values["default_profile"].value)
			how = fmt.Sprintf("default_profile in [%s] of %s", settingsSection, path)
		} else {
			name, how, fallback = "DEFAULT", "default", true
		}
	}
	if name == settingsSection {
		return fmt.Errorf("profile %q (from %s) is reserved for settings and is not a profile", name, how)
	}
	sec := f.section(name)
	if sec == nil {
		if fallback {
			return nil
		}
		profiles := f.profiles()
		if len(profiles) == 0 {
			return fmt.Errorf("profile %q (from %s) not found: %s has no profiles", name, how, path)
		}
		return fmt.Errorf("profile %q (from %s) not found in %s; profiles there: %s", name, how, path, strings.Join(profiles, ", "))
	}
	src := fmt.Sprintf("profile %s in %s", name, path)
	for _, key := range sec.keys {
		a := attributeForKey(key)
		if a == nil || a.name == "profile" || a.name == "config_file" || !a.isZero(cfg) {
			continue
		}
		e := sec.values[key]
		if strings.TrimSpace(e.value) == "" {
			continue
		}
		if err := a.set(cfg, e.value); err != nil {
			return fmt.Errorf("%s line %d: %s: %w", path, e.line, key, err)
		}
		cfg.Sources[a.name] = fmt.Sprintf("%s line %d", src, e.line)
	}
	cfg.Profile = name
	if cfg.Sources["profile"] == "" {
		cfg.Sources["profile"] = how
	}
	cfg.ConfigFile = path
	if cfg.Sources["config_file"] == "" {
		cfg.Sources["config_file"] = "default location"
	}
	return nil
}

// anyAuthAttribute reports whether any credential or auth selector is set.
func anyAuthAttribute(cfg *Config) bool {
	for _, a := range attributes {
		if a.auth && !a.isZero(cfg) {
			return true
		}
	}
	return false
}

// attribute is one setting as Databricks tools name it: its profile key
// (the SDKs' attribute name) and its environment variable.
type attribute struct {
	name string
	env  string
	// aliases are further profile keys accepted for the attribute.
	aliases []string
	// auth marks credentials and auth selectors.
	auth bool
	// sensitive marks a secret, whose value never appears in a message.
	sensitive bool
	// field points into a Config: *string, *bool, *float64, or a
	// *time.Duration given in whole seconds.
	field func(*Config) any
}

// attributes lists every setting LoadConfig resolves. Names follow the
// Databricks SDK where it has one (config.Config's "name" tags); proxy,
// ca_cert_file and the DATABRICKS_*_SECONDS / INSECURE_SKIP_VERIFY variables
// are this project's own.
var attributes = []*attribute{
	{name: "host", env: "DATABRICKS_HOST", field: func(c *Config) any { return &c.Host }},
	{name: "token", env: "DATABRICKS_TOKEN", auth: true, sensitive: true, field: func(c *Config) any { return &c.Token }},
	{name: "profile", env: "DATABRICKS_CONFIG_PROFILE", field: func(c *Config) any { return &c.Profile }},
	{name: "config_file", env: "DATABRICKS_CONFIG_FILE", field: func(c *Config) any { return &c.ConfigFile }},
	{name: "auth_type", env: "DATABRICKS_AUTH_TYPE", field: func(c *Config) any { return &c.AuthType }},
	{name: "client_id", env: "DATABRICKS_CLIENT_ID", auth: true, field: func(c *Config) any { return &c.ClientID }},
	{name: "client_secret", env: "DATABRICKS_CLIENT_SECRET", auth: true, sensitive: true, field: func(c *Config) any { return &c.ClientSecret }},
	{name: "azure_client_id", env: "ARM_CLIENT_ID", auth: true, field: func(c *Config) any { return &c.AzureClientID }},
	{name: "azure_client_secret", env: "ARM_CLIENT_SECRET", auth: true, sensitive: true, field: func(c *Config) any { return &c.AzureClientSecret }},
	{name: "azure_tenant_id", env: "ARM_TENANT_ID", auth: true, field: func(c *Config) any { return &c.AzureTenantID }},
	{name: "azure_use_msi", env: "ARM_USE_MSI", auth: true, field: func(c *Config) any { return &c.AzureUseMSI }},
	{name: "azure_workspace_resource_id", env: "DATABRICKS_AZURE_RESOURCE_ID", auth: true, field: func(c *Config) any { return &c.AzureResourceID }},
	{name: "databricks_cli_path", env: "DATABRICKS_CLI_PATH", field: func(c *Config) any { return &c.DatabricksCLIPath }},
	{name: "proxy", env: "DATABRICKS_PROXY", sensitive: true, field: func(c *Config) any { return &c.Proxy }},
	{name: "ca_cert_file", env: "DATABRICKS_CA_CERT_FILE", field: func(c *Config) any { return &c.CACertFile }},
	{name: "skip_verify", env: "DATABRICKS_INSECURE_SKIP_VERIFY", aliases: []string{"insecure_skip_verify"}, field: func(c *Config) any { return &c.InsecureSkipVerify }},
	{name: "rate_limit", env: "DATABRICKS_RATE_LIMIT", field: func(c *Config) any { return &c.RateLimit }},
	{name: "retry_timeout_seconds", env: "DATABRICKS_RETRY_TIMEOUT_SECONDS", field: func(c *Config) any { return &c.RetryTimeout }},
	{name: "http_timeout_seconds", env: "DATABRICKS_HTTP_TIMEOUT_SECONDS", field: func(c *Config) any { return &c.HTTPTimeout }},
	{name: "warehouse_id", env: "DATABRICKS_WAREHOUSE_ID", field: func(c *Config) any { return &c.WarehouseID }},
}

func attributeNamed(name string) *attribute {
	for _, a := range attributes {
		if a.name == name {
			return a
		}
	}
	return nil
}

// attributeForKey finds the attribute a profile key sets; keys are matched
// without regard to case.
func attributeForKey(key string) *attribute {
	key = strings.ToLower(key)
	for _, a := range attributes {
		if a.name == key || slices.Contains(a.aliases, key) {
			return a
		}
	}
	return nil
}

func (a *attribute) isZero(c *Config) bool {
	switch p := a.field(c).(type) {
	case *string:
		return *p == ""
	case *bool:
		return !*p
	case *float64:
		return *p == 0
	case *time.Duration:
		return *p == 0
	}
	panic("client: attribute " + a.name + " has an unsupported field type")
}

// set parses v into the attribute's field. Its errors quote v only when the
// attribute is not a secret.
func (a *attribute) set(c *Config, v string) error {
	v = strings.TrimSpace(v)
	shown := strconv.Quote(v)
	if a.sensitive {
		shown = "the value"
	}
	switch p := a.field(c).(type) {
	case *string:
		*p = v
	case *bool:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%s is not a boolean (use true or false)", shown)
		}
		*p = b
	case *float64:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
			return fmt.Errorf("%s is not a non-negative number", shown)
		}
		*p = f
	case *time.Duration:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 || n > math.MaxInt64/int64(time.Second) {
			return fmt.Errorf("%s is not a non-negative whole number of seconds", shown)
		}
		*p = time.Duration(n) * time.Second
	default:
		panic("client: attribute " + a.name + " has an unsupported field type")
	}
	return nil
}

// describeAttribute names an attribute the ways a user can set it, e.g.
// "client_secret (DATABRICKS_CLIENT_SECRET)".
func describeAttribute(name string) string {
	a := attributeNamed(name)
	if a == nil || a.env == "" {
		return name
	}
	return name + " (" + a.env + ")"
}
