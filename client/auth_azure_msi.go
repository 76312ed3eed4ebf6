package client

import (
	"fmt"
	"net"
	"net/http"
	"net/url"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// azureMSIAuth is the Azure managed identity of the machine, container or
// App Service the program runs on (ARM_USE_MSI); ARM_CLIENT_ID picks a
// user-assigned identity instead of the system-assigned one.
var azureMSIAuth = &authMethod{
	name:     "azure-msi",
	required: []string{"azure_use_msi"},
	build: func(cfg *Config, hc *http.Client) (Credentials, error) {
		opts := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: azureClientOptions(cfg, hc)}
		opts.Transport = directToLocal(hc)
		if cfg.AzureClientID != "" {
			opts.ID = azidentity.ClientID(cfg.AzureClientID)
		}
		tc, err := azidentity.NewManagedIdentityCredential(opts)
		if err != nil {
			return nil, fmt.Errorf("azure-msi: %w", err)
		}
		return newAzureCredentials("azure-msi", cfg, tc, false), nil
	},
}

// directToLocal returns hc, changed so that requests to link-local and
// loopback addresses bypass the proxy: the managed identity endpoint
// (169.254.169.254, or a localhost endpoint on App Service) is only
// reachable from the machine itself.
func directToLocal(hc *http.Client) *http.Client {
	tr, ok := hc.Transport.(*http.Transport)
	if !ok || tr.Proxy == nil {
		return hc
	}
	t := tr.Clone()
	proxy := tr.Proxy
	t.Proxy = func(r *http.Request) (*url.URL, error) {
		host := r.URL.Hostname()
		if ip := net.ParseIP(host); IsLoopback(host) || (ip != nil && ip.IsLinkLocalUnicast()) {
			return nil, nil
		}
		return proxy(r)
	}
	return &http.Client{Transport: t, Timeout: hc.Timeout, CheckRedirect: hc.CheckRedirect}
}
