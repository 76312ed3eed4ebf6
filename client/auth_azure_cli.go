package client

import (
	"fmt"
	"net/http"
	"os/exec"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// azureCLIAuth uses the account signed in to the Azure CLI (az login). It
// needs no settings, so it is chosen only by name or as the last resort for
// an Azure Databricks workspace when nothing else is configured.
var azureCLIAuth = &authMethod{
	name: "azure-cli",
	fallback: func(cfg *Config) string {
		if _, azure := azureCloudFor(cfg.Host); !azure && cfg.AzureResourceID == "" {
			return "only tried for Azure Databricks hosts (*.azuredatabricks.net) or with azure_workspace_resource_id (DATABRICKS_AZURE_RESOURCE_ID) set"
		}
		if _, err := exec.LookPath("az"); err != nil {
			return "the Azure CLI (az) is not on PATH"
		}
		return ""
	},
	build: func(cfg *Config, _ *http.Client) (Credentials, error) {
		if _, err := exec.LookPath("az"); err != nil {
			return nil, fmt.Errorf("azure-cli: the Azure CLI (az) is not on PATH; install it and run az login, or choose another auth type")
		}
		tc, err := azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: cfg.AzureTenantID})
		if err != nil {
			return nil, fmt.Errorf("azure-cli: %w", err)
		}
		// A user signed in to az may not reach the management endpoint;
		// the workspace token alone then has to do.
		return newAzureCredentials("azure-cli", cfg, tc, true), nil
	},
}
