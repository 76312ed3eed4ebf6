package client

import (
	"fmt"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// azureClientSecretAuth is an Azure AD service principal with a client
// secret (ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_TENANT_ID).
var azureClientSecretAuth = &authMethod{
	name:     "azure-client-secret",
	required: []string{"azure_client_id", "azure_client_secret", "azure_tenant_id"},
	build: func(cfg *Config, hc *http.Client) (Credentials, error) {
		opts := &azidentity.ClientSecretCredentialOptions{
			ClientOptions:            azureClientOptions(cfg, hc),
			DisableInstanceDiscovery: customAuthorityHost(),
		}
		opts.Retry.ShouldRetry = retryUnlessCertificateError
		tc, err := azidentity.NewClientSecretCredential(cfg.AzureTenantID, cfg.AzureClientID, cfg.AzureClientSecret, opts)
		if err != nil {
			return nil, fmt.Errorf("azure-client-secret: %w", err)
		}
		return newAzureCredentials("azure-client-secret", cfg, tc, false), nil
	},
}
