package client

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testAzureTenant  = "test-tenant-0001"
	testManagement   = "https://management.core.windows.net/.default"
	testResourceID   = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Databricks/workspaces/ws"
	aadWorkspaceTok  = "aad-workspace-token"
	aadManagementTok = "aad-management-token"
)

// fakeAAD is an Azure AD authority over TLS: the tenant's OpenID
// configuration and its v2.0 token endpoint for the client-credentials
// grant. It issues a token per scope and records the scopes asked for.
type fakeAAD struct {
	srv          *httptest.Server
	clientID     string
	clientSecret string

	mu     sync.Mutex
	scopes []string
}

func newFakeAAD(t *testing.T, clientID, clientSecret string) *fakeAAD {
	t.Helper()
	a := &fakeAAD{clientID: clientID, clientSecret: clientSecret}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /"+testAzureTenant+"/v2.0/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		base := a.srv.URL + "/" + testAzureTenant
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{
			"token_endpoint":         base + "/oauth2/v2.0/token",
			"authorization_endpoint": base + "/oauth2/v2.0/authorize",
			"issuer":                 base + "/v2.0",
		})
	})
	mux.HandleFunc("POST /"+testAzureTenant+"/oauth2/v2.0/token", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Errorf("AAD token form: %v", err)
		}
		f := r.PostForm
		w.Header().Set("Content-Type", "application/json")
		if f.Get("grant_type") != "client_credentials" || f.Get("client_id") != a.clientID || f.Get("client_secret") != a.clientSecret {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 1\r\nCorrelation ID: 2","error_codes":[7000215]}`)
			return
		}
		scopes := strings.Fields(f.Get("scope"))
		var tok string
		switch {
		case slices.Contains(scopes, azureDatabricksScope):
			tok = aadWorkspaceTok
		case slices.Contains(scopes, testManagement):
			tok = aadManagementTok
		default:
			t.Errorf("AAD token request for unexpected scopes %q", scopes)
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":"invalid_scope"}`)
			return
		}
		a.mu.Lock()
		a.scopes = append(a.scopes, f.Get("scope"))
		a.mu.Unlock()
		fmt.Fprintf(w, `{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":%q}`, tok)
	})
	a.srv = httptest.NewUnstartedServer(mux)
	a.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshakes the tests make fail on purpose
	a.srv.StartTLS()
	t.Cleanup(a.srv.Close)
	return a
}

func (a *fakeAAD) tokenRequests() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.scopes...)
}

// writeCA saves srv's certificate as a PEM bundle and returns its path.
func writeCA(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "ca.pem")
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestAuthAzureClientSecret(t *testing.T) {
	const secret = "azure-sp-secret~value"
	for _, tt := range []struct {
		name       string
		resourceID string
		wantScopes int
	}{
		{name: "without resource id", wantScopes: 1},
		{name: "with resource id", resourceID: testResourceID, wantScopes: 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			aad := newFakeAAD(t, "sp-app-id", secret)
			t.Setenv("AZURE_AUTHORITY_HOST", aad.srv.URL)
			ws := newAuthWorkspace(t)
			c := newAuthClient(t, Config{
				Host: ws.srv.URL, AzureClientID: "sp-app-id", AzureClientSecret: secret, AzureTenantID: testAzureTenant,
				AzureResourceID: tt.resourceID, CACertFile: writeCA(t, aad.srv),
			})
			if c.AuthType() != "azure-client-secret" {
				t.Fatalf("auth type %q", c.AuthType())
			}
			for range 2 {
				if err := listClusters(c); err != nil {
					t.Fatal(err)
				}
			}
			h := ws.last(t)
			if got := h.Get("Authorization"); got != "Bearer "+aadWorkspaceTok {
				t.Errorf("Authorization = %q", got)
			}
			wantMgmt, wantRes := "", ""
			if tt.resourceID != "" {
				wantMgmt, wantRes = aadManagementTok, tt.resourceID
			}
			if got := h.Get(headerAzureManagementToken); got != wantMgmt {
				t.Errorf("%s = %q, want %q", headerAzureManagementToken, got, wantMgmt)
			}
			if got := h.Get(headerAzureResourceID); got != wantRes {
				t.Errorf("%s = %q, want %q", headerAzureResourceID, got, wantRes)
			}
			if got := aad.tokenRequests(); len(got) != tt.wantScopes {
				t.Errorf("token requests for scopes %q, want %d (tokens are cached)", got, tt.wantScopes)
			}
		})
	}
}

func TestAuthAzureClientSecretRejected(t *testing.T) {
	const wrong = "the-wrong-secret-value"
	aad := newFakeAAD(t, "sp-app-id", "the-right-secret")
	t.Setenv("AZURE_AUTHORITY_HOST", aad.srv.URL)
	ws := newAuthWorkspace(t)
	c := newAuthClient(t, Config{
		Host: ws.srv.URL, AzureClientID: "sp-app-id", AzureClientSecret: wrong, AzureTenantID: testAzureTenant,
		CACertFile: writeCA(t, aad.srv),
	})
	err := listClusters(c)
	if err == nil {
		t.Fatal("call succeeded with a wrong secret")
	}
	msg := err.Error()
	for _, w := range []string{"azure-client-secret", "401", "invalid_client", "AADSTS7000215: Invalid client secret provided."} {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not contain %q", msg, w)
		}
	}
	if strings.Contains(msg, wrong) || strings.Contains(msg, "Trace ID") || strings.Contains(msg, "\n") {
		t.Errorf("error is not a concise, secret-free line: %q", msg)
	}
	if len(ws.all()) != 0 {
		t.Error("the API request was sent without a token")
	}
}

// TestAuthAzureClientSecretNeedsTrust checks that the identity provider's
// certificate is verified: without the CA bundle the token request fails.
func TestAuthAzureClientSecretNeedsTrust(t *testing.T) {
	aad := newFakeAAD(t, "sp-app-id", "s")
	t.Setenv("AZURE_AUTHORITY_HOST", aad.srv.URL)
	ws := newAuthWorkspace(t)
	c := newAuthClient(t, Config{Host: ws.srv.URL, AzureClientID: "sp-app-id", AzureClientSecret: "s", AzureTenantID: testAzureTenant})
	err := listClusters(c)
	if err == nil || !strings.Contains(err.Error(), "certificate") || !strings.Contains(err.Error(), "DATABRICKS_CA_CERT_FILE") {
		t.Fatalf("got %v, want a certificate error with a hint", err)
	}
}

// TestAuthAzureMSI uses the App Service flavour of managed identity, whose
// endpoint the environment names, so that it can be served locally. An
// explicit proxy is set to check that the identity endpoint is reached
// directly while the workspace is reached through the proxy.
func TestAuthAzureMSI(t *testing.T) {
	// The Azure library caches managed-identity tokens process-wide by
	// client id; a fresh id per run keeps -count=N runs from being served
	// from that cache instead of the fake endpoint.
	clientID := fmt.Sprintf("user-assigned-id-%d", time.Now().UnixNano())
	var mu sync.Mutex
	var resources []string
	msi := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.Header.Get("X-IDENTITY-HEADER") != "identity-header-secret" || q.Get("client_id") != clientID {
			t.Errorf("MSI request header %q, query %v", r.Header.Get("X-IDENTITY-HEADER"), q)
		}
		mu.Lock()
		resources = append(resources, q.Get("resource"))
		mu.Unlock()
		tok := "msi-workspace-token"
		if strings.HasPrefix(q.Get("resource"), "https://management.core.windows.net") {
			tok = "msi-management-token"
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"expires_on":"%d","resource":%q,"token_type":"Bearer"}`,
			tok, time.Now().Add(time.Hour).Unix(), q.Get("resource"))
	}))
	defer msi.Close()
	t.Setenv("IDENTITY_ENDPOINT", msi.URL+"/msi/token")
	t.Setenv("IDENTITY_HEADER", "identity-header-secret")

	proxy := newForwardProxy(t, "", "")
	ws := newAuthWorkspace(t)
	c := newAuthClient(t, Config{
		Host: ws.srv.URL, AzureUseMSI: true, AzureClientID: clientID, AzureResourceID: testResourceID,
		Proxy: proxy.srv.URL,
	})
	if err := listClusters(c); err != nil {
		t.Fatal(err)
	}
	h := ws.last(t)
	if got := h.Get("Authorization"); got != "Bearer msi-workspace-token" {
		t.Errorf("Authorization = %q", got)
	}
	if got := h.Get(headerAzureManagementToken); got != "msi-management-token" {
		t.Errorf("%s = %q", headerAzureManagementToken, got)
	}
	if got := h.Get(headerAzureResourceID); got != testResourceID {
		t.Errorf("%s = %q", headerAzureResourceID, got)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"2ff814a6-3304-4ab8-85cb-cd0e6f879c1d", "https://management.core.windows.net"}
	if !slices.Equal(resources, want) {
		t.Errorf("MSI resources %q, want %q", resources, want)
	}
	if got := proxy.targets(); len(got) != 1 || !strings.HasPrefix(got[0], ws.srv.URL+"/api/") {
		t.Errorf("proxy saw %q, want only the workspace request", got)
	}
}

// fakeAz is a shell script standing in for the Azure CLI: it logs its
// arguments and prints a token for the resource asked for.
func fakeAz(t *testing.T, failManagement bool) (logFile string) {
	t.Helper()
	logFile = filepath.Join(t.TempDir(), "az.log")
	fail := ""
	if failManagement {
		fail = "echo 'ERROR: AADSTS50000: no access to management' >&2; exit 1"
	}
	script := fmt.Sprintf(`#!/bin/sh
echo "$*" >> %q
case "$*" in
*"--resource https://management.core.windows.net"*) %s
  tok=cli-management-token ;;
*"--resource 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d"*) tok=cli-workspace-token ;;
*) echo "unexpected arguments" >&2; exit 2 ;;
esac
printf '{"accessToken":"%%s","expiresOn":"2000-01-01 00:00:00.000000","expires_on":%d,"tokenType":"Bearer"}\n' "$tok"
`, logFile, fail, time.Now().Add(time.Hour).Unix())
	pathWith(t, script)
	return logFile
}

func TestAuthAzureCLI(t *testing.T) {
	for _, tt := range []struct {
		name           string
		failManagement bool
		wantMgmt       string
	}{
		{name: "with management token", wantMgmt: "cli-management-token"},
		{name: "management token unavailable", failManagement: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			log := fakeAz(t, tt.failManagement)
			ws := newAuthWorkspace(t)
			c := newAuthClient(t, Config{Host: ws.srv.URL, AuthType: "azure-cli", AzureTenantID: testAzureTenant, AzureResourceID: testResourceID})
			for range 2 {
				if err := listClusters(c); err != nil {
					t.Fatal(err)
				}
			}
			h := ws.last(t)
			if got := h.Get("Authorization"); got != "Bearer cli-workspace-token" {
				t.Errorf("Authorization = %q", got)
			}
			if got := h.Get(headerAzureManagementToken); got != tt.wantMgmt {
				t.Errorf("%s = %q, want %q", headerAzureManagementToken, got, tt.wantMgmt)
			}
			if got := h.Get(headerAzureResourceID); got != testResourceID {
				t.Errorf("%s = %q", headerAzureResourceID, got)
			}
			data, err := os.ReadFile(log)
			if err != nil {
				t.Fatal(err)
			}
			calls := strings.Split(strings.TrimSpace(string(data)), "\n")
			// One call per token; a management token that could not be had
			// is not asked for again.
			if len(calls) != 2 {
				t.Fatalf("az ran %d times, want 2:\n%s", len(calls), data)
			}
			for _, want := range []string{"account get-access-token", "--resource 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d", "--tenant " + testAzureTenant} {
				if !strings.Contains(calls[0], want) {
					t.Errorf("az arguments %q lack %q", calls[0], want)
				}
			}
		})
	}
}

func TestAzureCloudFor(t *testing.T) {
	for host, want := range map[string]string{
		"https://adb-1.2.azuredatabricks.net":        "https://management.core.windows.net/.default",
		"adb-1.2.databricks.azure.us":                "https://management.core.usgovcloudapi.net/.default",
		"https://ADB-1.2.DATABRICKS.AZURE.CN/?o=1":   "https://management.core.chinacloudapi.cn/.default",
		"https://dbc-1.cloud.databricks.com":         "",
		"http://127.0.0.1:8080":                      "",
		"https://azuredatabricks.net.attacker.com/x": "",
	} {
		c, ok := azureCloudFor(host)
		if got := map[bool]string{true: c.managementScope}[ok]; got != want {
			t.Errorf("%s: management scope %q, want %q", host, got, want)
		}
	}
}
