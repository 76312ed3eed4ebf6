package client

import (
	"fmt"
	"net/http"
	"strings"
)

// authMethod describes one way of authorizing requests. Adding a method is
// one file defining its authMethod and Credentials, plus its line in
// authMethods.
type authMethod struct {
	// name is the method's DATABRICKS_AUTH_TYPE value.
	name string
	// required are the attributes (by profile key) that together configure
	// the method. Settings a method merely may use (such as a user-assigned
	// identity's client id for azure-msi) are not listed.
	required []string
	// fallback, when set, lets the method serve as the last resort when no
	// method is configured. It returns why the method cannot serve cfg that
	// way, or "" when it can. (Named in AuthType, the method is built
	// regardless, and build reports what stops it.)
	fallback func(cfg *Config) string
	// build creates the credentials; hc is the client's HTTP client, which
	// identity-provider requests must use so that proxy and TLS settings
	// apply.
	build func(cfg *Config, hc *http.Client) (Credentials, error)
}

// authMethods are tried in this order; since two configured methods are an
// error, the order matters for the names in messages and for which fallback
// is tried first (databricks-cli before azure-cli, as in the SDKs' chain).
var authMethods = []*authMethod{
	patAuth,
	oauthM2MAuth,
	azureClientSecretAuth,
	azureMSIAuth,
	databricksCLIAuth,
	externalBrowserAuth,
	azureCLIAuth,
}

func findAuthMethod(name string) *authMethod {
	for _, m := range authMethods {
		if m.name == name {
			return m
		}
	}
	return nil
}

func authMethodNames() []string {
	names := make([]string, len(authMethods))
	for i, m := range authMethods {
		names[i] = m.name
	}
	return names
}

// present and missing split m's required attributes by whether cfg sets them.
func (m *authMethod) present(cfg *Config) (present, missing []string) {
	for _, name := range m.required {
		if a := attributeNamed(name); a != nil && !a.isZero(cfg) {
			present = append(present, name)
		} else {
			missing = append(missing, name)
		}
	}
	return present, missing
}

// configured reports whether cfg sets everything m requires. A method with
// no requirements is never configured by settings alone.
func (m *authMethod) configured(cfg *Config) bool {
	present, missing := m.present(cfg)
	return len(present) > 0 && len(missing) == 0
}

// newCredentials picks the auth method the configuration describes: the one
// AuthType names, else the single configured one, else a fallback method
// that can serve the host. Errors explain what each method lacked and name
// settings by where they came from, never by value.
func newCredentials(cfg *Config, hc *http.Client) (Credentials, error) {
	if cfg.AuthType != "" {
		m := findAuthMethod(cfg.AuthType)
		if m == nil {
			return nil, fmt.Errorf("auth type %q%s is not known; valid auth types: %s",
				cfg.AuthType, sourceSuffix(cfg, "auth_type"), strings.Join(authMethodNames(), ", "))
		}
		if _, missing := m.present(cfg); len(missing) > 0 {
			return nil, fmt.Errorf("auth type %s%s needs %s, which %s not set",
				m.name, sourceSuffix(cfg, "auth_type"), describeList(missing), isAre(len(missing)))
		}
		return m.build(cfg, hc)
	}

	var configured []*authMethod
	for _, m := range authMethods {
		if m.configured(cfg) {
			configured = append(configured, m)
		}
	}
	switch {
	case len(configured) == 1:
		return configured[0].build(cfg, hc)
	case len(configured) > 1:
		parts := make([]string, len(configured))
		names := make([]string, len(configured))
		for i, m := range configured {
			names[i] = m.name
			parts[i] = fmt.Sprintf("%s (%s)", m.name, describeSet(cfg, m.required))
		}
		return nil, fmt.Errorf("more than one auth method is configured: %s; set DATABRICKS_AUTH_TYPE (or auth_type in the profile) to one of %s, or remove the settings you do not mean to use",
			strings.Join(parts, "; "), strings.Join(names, ", "))
	}

	var tried []string
	for _, m := range authMethods {
		present, missing := m.present(cfg)
		switch {
		case m.fallback != nil:
			why := m.fallback(cfg)
			if why == "" {
				return m.build(cfg, hc)
			}
			tried = append(tried, fmt.Sprintf("%s: %s", m.name, why))
		case len(present) > 0:
			tried = append(tried, fmt.Sprintf("%s: has %s but needs %s too", m.name, describeSet(cfg, present), describeList(missing)))
		default:
			tried = append(tried, fmt.Sprintf("%s: needs %s", m.name, describeList(missing)))
		}
	}
	return nil, fmt.Errorf("no auth method is configured for %s; tried:\n  %s", cfg.Host, strings.Join(tried, "\n  "))
}

// describeList names attributes with their environment variables.
func describeList(names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = describeAttribute(n)
	}
	return joinAnd(parts)
}

// describeSet names attributes that are set, with where each came from.
func describeSet(cfg *Config, names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + sourceSuffix(cfg, n)
	}
	return joinAnd(parts)
}

func sourceSuffix(cfg *Config, name string) string {
	if src := cfg.Sources[name]; src != "" {
		return " from " + src
	}
	return ""
}

func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
