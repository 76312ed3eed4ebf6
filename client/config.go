package client

import "time"

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
	// "azure-client-secret", "azure-msi", "azure-cli") when several are
	// configured.
	AuthType string

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

	// Sources records where each non-empty setting came from, by attribute
	// name (for example "host": "env DATABRICKS_HOST"), for error messages.
	Sources map[string]string
}
