package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// Shared by the Azure AD auth methods (azure-client-secret, azure-msi,
// azure-cli): which cloud a host is in, the scopes to ask for, and the
// headers a workspace expects.

// azureDatabricksScope asks Azure AD for a token for the AzureDatabricks
// first-party application, which is what a workspace accepts.
const azureDatabricksScope = "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default"

// azureTokenLead is how early an Azure AD token is replaced. It stays below
// the 5 minutes within which azidentity's own cache stops handing out a
// token, so that a refresh really gets a new one.
const azureTokenLead = 4 * time.Minute

const (
	// headerAzureManagementToken carries an Azure Resource Manager token,
	// with which Databricks adds a service principal that has rights on the
	// workspace resource but is not yet a workspace user.
	headerAzureManagementToken = "X-Databricks-Azure-SP-Management-Token"
	// headerAzureResourceID names the workspace resource that token is for.
	headerAzureResourceID = "X-Databricks-Azure-Workspace-Resource-Id"
)

// azureCloud is one Azure cloud, recognized by its Databricks DNS zone.
type azureCloud struct {
	zone string
	// identity is the azidentity cloud; zero for the public cloud, so that
	// azidentity keeps honoring AZURE_AUTHORITY_HOST there.
	identity        cloud.Configuration
	managementScope string
}

var azureClouds = []azureCloud{
	{zone: ".azuredatabricks.net", managementScope: "https://management.core.windows.net/.default"},
	{zone: ".databricks.azure.us", identity: cloud.AzureGovernment, managementScope: "https://management.core.usgovcloudapi.net/.default"},
	{zone: ".databricks.azure.cn", identity: cloud.AzureChina, managementScope: "https://management.core.chinacloudapi.cn/.default"},
}

// azureCloudFor finds the cloud of a workspace host; ok is false for a host
// outside every Azure Databricks zone, which is then treated as public.
func azureCloudFor(host string) (c azureCloud, ok bool) {
	name := host
	if u, err := NormalizeHost(host); err == nil {
		name = u.Hostname()
	}
	name = strings.ToLower(name)
	for _, c := range azureClouds {
		if strings.HasSuffix(name, c.zone) {
			return c, true
		}
	}
	return azureClouds[0], false
}

// azureClientOptions routes azidentity's requests through the client's
// HTTP client and picks the host's cloud.
func azureClientOptions(cfg *Config, hc *http.Client) azcore.ClientOptions {
	c, _ := azureCloudFor(cfg.Host)
	return azcore.ClientOptions{Transport: hc, Cloud: c.identity}
}

// customAuthorityHost reports whether AZURE_AUTHORITY_HOST names an Azure AD
// authority explicitly (Azure Stack, a private cloud, a test). Instance
// discovery, which asks login.microsoftonline.com to vouch for the
// authority, is then skipped, as azidentity advises for such clouds.
func customAuthorityHost() bool {
	return os.Getenv("AZURE_AUTHORITY_HOST") != ""
}

// retryableAzureStatus are the statuses azcore retries by default.
var retryableAzureStatus = []int{
	http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
	http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout,
}

// retryUnlessCertificateError keeps azcore's retry policy for Azure AD
// requests, except that a certificate that cannot be verified fails at
// once: repeating the handshake cannot help, and a user behind a
// TLS-inspecting proxy should learn about ca_cert_file without waiting
// through several back-offs.
func retryUnlessCertificateError(resp *http.Response, err error) bool {
	if err != nil {
		return !isCertificateError(err)
	}
	return slices.Contains(retryableAzureStatus, resp.StatusCode)
}

func isCertificateError(err error) bool {
	var verify *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verify) || errors.As(err, &unknown) || errors.As(err, &hostname) || errors.As(err, &invalid)
}

// certificateHint points at the CA bundle setting when err is a failed
// certificate check, the usual symptom of a TLS-inspecting proxy. MSAL
// flattens the errors it reports to text, hence the second test.
func certificateHint(err error) string {
	if !isCertificateError(err) && !strings.Contains(err.Error(), "x509: ") {
		return ""
	}
	return " (if a proxy inspects TLS traffic, trust its CA with ca_cert_file or DATABRICKS_CA_CERT_FILE)"
}

// azureCredentials authorizes requests with Azure AD tokens: a token for
// the AzureDatabricks application, and when the workspace resource id is
// known, a management token and the resource id too.
type azureCredentials struct {
	authType   string
	resourceID string
	workspace  *tokenCache
	management *tokenCache
	// managementOptional skips the management token when it cannot be had
	// (a user signed in to the Azure CLI may lack rights on the management
	// endpoint) instead of failing the request.
	managementOptional bool
	managementOff      atomic.Bool
}

func newAzureCredentials(authType string, cfg *Config, tc azcore.TokenCredential, managementOptional bool) *azureCredentials {
	c := &azureCredentials{
		authType:           authType,
		resourceID:         cfg.AzureResourceID,
		workspace:          newTokenCache(azureTokenLead, azureFetcher(tc, azureDatabricksScope)),
		managementOptional: managementOptional,
	}
	if cfg.AzureResourceID != "" {
		cl, _ := azureCloudFor(cfg.Host)
		c.management = newTokenCache(azureTokenLead, azureFetcher(tc, cl.managementScope))
	}
	return c
}

func (c *azureCredentials) AuthType() string { return c.authType }

func (c *azureCredentials) Authorize(ctx context.Context, req *http.Request) error {
	tok, err := c.workspace.token(ctx)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	if c.resourceID == "" {
		return nil
	}
	req.Header.Set(headerAzureResourceID, c.resourceID)
	if c.management == nil || c.managementOff.Load() {
		return nil
	}
	mgmt, err := c.management.token(ctx)
	if err != nil {
		if c.managementOptional && ctx.Err() == nil {
			c.managementOff.Store(true)
			slog.Debug("not sending an Azure management token", "auth_type", c.authType, "reason", err.Error())
			return nil
		}
		return fmt.Errorf("management token: %w", err)
	}
	req.Header.Set(headerAzureManagementToken, mgmt)
	return nil
}

// azureFetcher gets tokens for one scope from an azidentity credential.
func azureFetcher(tc azcore.TokenCredential, scope string) tokenFetcher {
	return func(ctx context.Context) (accessToken, error) {
		t, err := tc.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{scope}})
		if err != nil {
			return accessToken{}, fmt.Errorf("getting an Azure AD token for %s: %w%s", scope, conciseAzureError(err), certificateHint(err))
		}
		return accessToken{value: t.Token, expiry: t.ExpiresOn}, nil
	}
}

// azureError shortens azidentity's multi-line failure report (request line,
// whole response body) to the status and the OAuth error fields, keeping
// the original reachable through errors.As.
type azureError struct {
	msg string
	err error
}

func (e *azureError) Error() string { return e.msg }
func (e *azureError) Unwrap() error { return e.err }

func conciseAzureError(err error) error {
	var afe *azidentity.AuthenticationFailedError
	if !errors.As(err, &afe) || afe.RawResponse == nil {
		return err
	}
	resp := afe.RawResponse
	msg := "identity endpoint answered " + resp.Status
	if resp.Request != nil && resp.Request.URL != nil {
		msg = fmt.Sprintf("%s://%s%s answered %s", resp.Request.URL.Scheme, resp.Request.URL.Host, resp.Request.URL.Path, resp.Status)
	}
	var body struct {
		Error       json.RawMessage `json:"error"`
		Description string          `json:"error_description"`
		Message     string          `json:"message"`
	}
	if data, err := runtime.Payload(resp); err == nil {
		_ = json.Unmarshal(data, &body)
	}
	if code := jsonErrorCode(body.Error); code != "" {
		msg += ": " + code
	}
	desc := body.Description
	if desc == "" {
		desc = body.Message
	}
	if d, _, found := strings.Cut(desc, "\r\n"); found {
		desc = d // Azure AD appends trace and correlation ids on further lines
	}
	if desc = strings.TrimSpace(desc); desc != "" {
		msg += ": " + desc
	}
	return &azureError{msg: msg, err: err}
}

// jsonErrorCode reads an "error" member that is either a string (OAuth) or
// an object with a code (Azure Resource Manager, some managed identity
// endpoints).
func jsonErrorCode(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var o struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &o) == nil {
		return strings.TrimSpace(o.Code + " " + o.Message)
	}
	return ""
}
