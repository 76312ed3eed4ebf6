package client

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// cfgEnv is a fake environment for LoadConfig.
func cfgEnv(vars map[string]string) LoadOption {
	return WithEnv(func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	})
}

// cfgHome makes a home directory holding .databrickscfg with content
// (none when content is empty) and returns the directory and file path.
func cfgHome(t *testing.T, content string) (home, file string) {
	t.Helper()
	home = t.TempDir()
	file = filepath.Join(home, ".databrickscfg")
	if content != "" {
		if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return home, file
}

const cfgTestFile = `
; a comment
# another comment
[__settings__]
default_profile = team

[DEFAULT]
host = https://default.azuredatabricks.net/
token = default-token

[team]
host  = team.azuredatabricks.net
token = team-token
rate_limit = 7.5

[dev]
host = dev.azuredatabricks.net
client_id = dev-client
client_secret = dev-secret
retry_timeout_seconds = 90
http_timeout_seconds = 15
skip_verify = true
`

func TestLoadConfigPrecedence(t *testing.T) {
	tests := []struct {
		name     string
		file     string // content of ~/.databrickscfg
		explicit Config
		env      map[string]string
		want     Config
		sources  map[string]string
	}{
		{
			name:     "explicit beats env beats profile",
			file:     cfgTestFile,
			explicit: Config{Host: "explicit.azuredatabricks.net", Profile: "team"},
			env:      map[string]string{"DATABRICKS_HOST": "env.azuredatabricks.net", "DATABRICKS_RATE_LIMIT": "3"},
			want:     Config{Host: "https://explicit.azuredatabricks.net", Token: "team-token", RateLimit: 3, Profile: "team"},
			sources: map[string]string{
				"host":       "explicit",
				"rate_limit": "env DATABRICKS_RATE_LIMIT",
				"token":      "profile team in HOME/.databrickscfg line 13",
				"profile":    "explicit",
			},
		},
		{
			name:     "env beats profile",
			file:     cfgTestFile,
			explicit: Config{},
			env:      map[string]string{"DATABRICKS_CONFIG_PROFILE": "dev", "DATABRICKS_CLIENT_SECRET": "env-secret"},
			want: Config{Host: "https://dev.azuredatabricks.net", ClientID: "dev-client", ClientSecret: "env-secret", Profile: "dev",
				RetryTimeout: 90 * time.Second, HTTPTimeout: 15 * time.Second, InsecureSkipVerify: true},
			sources: map[string]string{
				"host":                  "profile dev in HOME/.databrickscfg line 17",
				"client_secret":         "env DATABRICKS_CLIENT_SECRET",
				"client_id":             "profile dev in HOME/.databrickscfg line 18",
				"retry_timeout_seconds": "profile dev in HOME/.databrickscfg line 20",
				"skip_verify":           "profile dev in HOME/.databrickscfg line 22",
				"profile":               "env DATABRICKS_CONFIG_PROFILE",
			},
		},
		{
			name: "default_profile from __settings__",
			file: cfgTestFile,
			want: Config{Host: "https://team.azuredatabricks.net", Token: "team-token", RateLimit: 7.5, Profile: "team"},
			sources: map[string]string{
				"host":    "profile team in HOME/.databrickscfg line 12",
				"profile": "default_profile in [__settings__] of HOME/.databrickscfg",
			},
		},
		{
			name:    "DEFAULT without settings",
			file:    "[DEFAULT]\nhost = https://default.azuredatabricks.net/\ntoken = default-token\n",
			want:    Config{Host: "https://default.azuredatabricks.net", Token: "default-token", Profile: "DEFAULT"},
			sources: map[string]string{"token": "profile DEFAULT in HOME/.databrickscfg line 3"},
		},
		{
			name:    "keys before any section are DEFAULT",
			file:    "host = https://default.azuredatabricks.net/\ntoken = default-token\n",
			want:    Config{Host: "https://default.azuredatabricks.net", Token: "default-token", Profile: "DEFAULT"},
			sources: map[string]string{"host": "profile DEFAULT in HOME/.databrickscfg line 1"},
		},
		{
			name:    "warehouse_id from the profile, DATABRICKS_WAREHOUSE_ID over it",
			file:    "[DEFAULT]\nhost = https://default.azuredatabricks.net\ntoken = t\nwarehouse_id = wh-profile\n",
			want:    Config{Host: "https://default.azuredatabricks.net", Token: "t", Profile: "DEFAULT", WarehouseID: "wh-profile"},
			sources: map[string]string{"warehouse_id": "profile DEFAULT in HOME/.databrickscfg line 4"},
		},
		{
			name:    "warehouse_id from the environment",
			file:    "[DEFAULT]\nhost = https://default.azuredatabricks.net\ntoken = t\nwarehouse_id = wh-profile\n",
			env:     map[string]string{"DATABRICKS_WAREHOUSE_ID": "wh-env"},
			want:    Config{Host: "https://default.azuredatabricks.net", Token: "t", Profile: "DEFAULT", WarehouseID: "wh-env"},
			sources: map[string]string{"warehouse_id": "env DATABRICKS_WAREHOUSE_ID"},
		},
		{
			name:    "missing default file is fine",
			env:     map[string]string{"DATABRICKS_HOST": "https://adb-1.2.azuredatabricks.net/?o=1", "DATABRICKS_TOKEN": "tok"},
			want:    Config{Host: "https://adb-1.2.azuredatabricks.net", Token: "tok"},
			sources: map[string]string{"host": "env DATABRICKS_HOST", "token": "env DATABRICKS_TOKEN"},
		},
		{
			// As in the Databricks SDKs: with credentials in the environment
			// and no profile named, the file's DEFAULT must not add another
			// auth method.
			name:    "env credentials without a profile skip the file",
			file:    "[DEFAULT]\nhost = https://default.azuredatabricks.net\nclient_id = c\nclient_secret = s\n",
			env:     map[string]string{"DATABRICKS_HOST": "env.azuredatabricks.net", "DATABRICKS_TOKEN": "env-token"},
			want:    Config{Host: "https://env.azuredatabricks.net", Token: "env-token"},
			sources: map[string]string{"client_id": ""},
		},
		{
			name: "environment variables of every kind",
			env: map[string]string{
				"DATABRICKS_HOST": "http://127.0.0.1:8080/", "DATABRICKS_AUTH_TYPE": "azure-msi",
				"ARM_CLIENT_ID": "mi-client", "ARM_TENANT_ID": "tenant", "ARM_CLIENT_SECRET": "arm-secret", "ARM_USE_MSI": "true",
				"DATABRICKS_AZURE_RESOURCE_ID": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Databricks/workspaces/w",
				"DATABRICKS_PROXY":             "http://proxy.corp:3128", "DATABRICKS_CA_CERT_FILE": "/etc/ca.pem",
				"DATABRICKS_INSECURE_SKIP_VERIFY": "1", "DATABRICKS_RATE_LIMIT": "2.5",
				"DATABRICKS_RETRY_TIMEOUT_SECONDS": "30", "DATABRICKS_HTTP_TIMEOUT_SECONDS": "5",
			},
			want: Config{Host: "http://127.0.0.1:8080", AuthType: "azure-msi", AzureClientID: "mi-client", AzureTenantID: "tenant",
				AzureClientSecret: "arm-secret", AzureUseMSI: true,
				AzureResourceID: "/subscriptions/s/resourceGroups/r/providers/Microsoft.Databricks/workspaces/w",
				Proxy:           "http://proxy.corp:3128", CACertFile: "/etc/ca.pem", InsecureSkipVerify: true, RateLimit: 2.5,
				RetryTimeout: 30 * time.Second, HTTPTimeout: 5 * time.Second},
			sources: map[string]string{"azure_use_msi": "env ARM_USE_MSI", "skip_verify": "env DATABRICKS_INSECURE_SKIP_VERIFY"},
		},
		{
			name: "profile keys of every kind",
			file: "[p]\nhost = h.azuredatabricks.net\nauth_type = azure-client-secret\nazure_client_id = a\n" +
				"azure_client_secret = \"se#cr;et\"\nazure_tenant_id = t ; trailing comment\nazure_use_msi = false\n" +
				"azure_workspace_resource_id = /r\nproxy = proxy:8080\nca_cert_file = ~/ca.pem\nINSECURE_SKIP_VERIFY = true\n" +
				"cluster_id = ignored\n",
			explicit: Config{Profile: "p"},
			want: Config{Host: "https://h.azuredatabricks.net", AuthType: "azure-client-secret", AzureClientID: "a",
				AzureClientSecret: "se#cr;et", AzureTenantID: "t", AzureResourceID: "/r", Proxy: "proxy:8080",
				CACertFile: "~/ca.pem", InsecureSkipVerify: true, Profile: "p"},
			sources: map[string]string{"skip_verify": "profile p in HOME/.databrickscfg line 11"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home, _ := cfgHome(t, tt.file)
			got, err := LoadConfig(tt.explicit, cfgEnv(tt.env), WithHomeDir(home))
			if err != nil {
				t.Fatalf("LoadConfig: %v", err)
			}
			want := tt.want
			if tt.file != "" && (want.Profile != "") {
				want.ConfigFile = filepath.Join(home, ".databrickscfg")
			}
			sources := got.Sources
			got.Sources, want.Sources = nil, nil
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("config:\n got %+v\nwant %+v", *got, want)
			}
			for attr, src := range tt.sources {
				src = strings.ReplaceAll(src, "HOME", home)
				if sources[attr] != src {
					t.Errorf("Sources[%q] = %q, want %q", attr, sources[attr], src)
				}
			}
		})
	}
}

func TestLoadConfigConfigFileEnv(t *testing.T) {
	home, _ := cfgHome(t, "[DEFAULT]\nhost = home.azuredatabricks.net\ntoken = home-token\n")
	other := filepath.Join(t.TempDir(), "other.cfg")
	if err := os.WriteFile(other, []byte("[DEFAULT]\nhost = other.azuredatabricks.net\ntoken = other-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := LoadConfig(Config{}, cfgEnv(map[string]string{"DATABRICKS_CONFIG_FILE": other}), WithHomeDir(home))
	if err != nil {
		t.Fatal(err)
	}
	if got.Host != "https://other.azuredatabricks.net" || got.Token != "other-token" {
		t.Errorf("got host %q token %q, want the values of %s", got.Host, got.Token, other)
	}
	if got.Sources["host"] != "profile DEFAULT in "+other+" line 2" || got.Sources["config_file"] != "env DATABRICKS_CONFIG_FILE" {
		t.Errorf("sources: %v", got.Sources)
	}

	// "~" in the file name expands to the home directory.
	got, err = LoadConfig(Config{ConfigFile: "~/.databrickscfg"}, cfgEnv(nil), WithHomeDir(home))
	if err != nil {
		t.Fatal(err)
	}
	if got.Token != "home-token" {
		t.Errorf("~ expansion: token %q", got.Token)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	const secret = "dapiSECRET-value-123"
	tests := []struct {
		name     string
		file     string
		explicit Config
		env      map[string]string
		want     []string // substrings of the error
	}{
		{
			name: "missing named config file",
			env:  map[string]string{"DATABRICKS_CONFIG_FILE": "/nonexistent/dbcfg"},
			want: []string{"/nonexistent/dbcfg", "does not exist", "env DATABRICKS_CONFIG_FILE"},
		},
		{
			name: "profile requested but no file",
			env:  map[string]string{"DATABRICKS_CONFIG_PROFILE": "prod"},
			want: []string{`profile "prod"`, "does not exist"},
		},
		{
			name: "unknown profile lists the others",
			file: cfgTestFile,
			env:  map[string]string{"DATABRICKS_CONFIG_PROFILE": "prod"},
			want: []string{`profile "prod"`, "not found", "DEFAULT, team, dev", "env DATABRICKS_CONFIG_PROFILE"},
		},
		{
			name: "default_profile naming a missing profile",
			file: "[__settings__]\ndefault_profile = gone\n[a]\nhost = x\n",
			want: []string{`profile "gone"`, "default_profile", "profiles there: a"},
		},
		{
			name: "__settings__ is not a profile",
			file: "[__settings__]\ndefault_profile = x\n",
			env:  map[string]string{"DATABRICKS_CONFIG_PROFILE": "__settings__"},
			want: []string{"reserved"},
		},
		{
			name: "malformed line names file and line",
			file: "[DEFAULT]\nhost = h\n\ntoken " + secret + "\n",
			want: []string{"HOME/.databrickscfg line 4", `"key = value"`},
		},
		{
			name: "unterminated section header",
			file: "; c\n[DEFAULT\n",
			want: []string{"HOME/.databrickscfg line 2", "]"},
		},
		{
			name: "bad number in env",
			env:  map[string]string{"DATABRICKS_RATE_LIMIT": "fast"},
			want: []string{"DATABRICKS_RATE_LIMIT", `"fast"`, "number"},
		},
		{
			name: "bad seconds in env",
			env:  map[string]string{"DATABRICKS_HTTP_TIMEOUT_SECONDS": "1.5"},
			want: []string{"DATABRICKS_HTTP_TIMEOUT_SECONDS", "seconds"},
		},
		{
			name: "bad bool in profile",
			file: "[DEFAULT]\nhost = h\n\nazure_use_msi = maybe\n",
			want: []string{"HOME/.databrickscfg line 4", "azure_use_msi", `"maybe"`, "boolean"},
		},
		{
			name: "unknown auth type lists valid ones",
			env:  map[string]string{"DATABRICKS_AUTH_TYPE": "magic"},
			want: []string{`"magic"`, "env DATABRICKS_AUTH_TYPE", "pat, oauth-m2m, azure-client-secret, azure-msi, databricks-cli, external-browser, azure-cli"},
		},
		{
			name: "plain http to a remote host",
			env:  map[string]string{"DATABRICKS_HOST": "http://adb-1.2.azuredatabricks.net", "DATABRICKS_TOKEN": secret},
			want: []string{"env DATABRICKS_HOST", "http://", "loopback"},
		},
		{
			name: "invalid proxy hides its password",
			env:  map[string]string{"DATABRICKS_PROXY": "http://user:" + secret + "@proxy:port"},
			want: []string{"env DATABRICKS_PROXY", "proxy URL", "xxxxx@proxy:port"},
		},
		{
			name: "proxy with an unsupported scheme",
			env:  map[string]string{"DATABRICKS_PROXY": "ftp://user:" + secret + "@proxy:21"},
			want: []string{"unsupported scheme", "ftp"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home, _ := cfgHome(t, tt.file)
			_, err := LoadConfig(tt.explicit, cfgEnv(tt.env), WithHomeDir(home))
			if err == nil {
				t.Fatal("LoadConfig succeeded, want an error")
			}
			msg := err.Error()
			for _, w := range tt.want {
				if w = strings.ReplaceAll(w, "HOME", home); !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			if strings.Contains(msg, secret) {
				t.Errorf("error %q reveals the secret", msg)
			}
		})
	}
}

func TestLoadConfigHostNormalization(t *testing.T) {
	for in, want := range map[string]string{
		"adb-1.2.azuredatabricks.net":            "https://adb-1.2.azuredatabricks.net",
		"https://ADB-1.2.azuredatabricks.net/":   "https://adb-1.2.azuredatabricks.net",
		"https://h.azuredatabricks.net/?o=12345": "https://h.azuredatabricks.net",
		"https://h.cloud.databricks.com/login":   "https://h.cloud.databricks.com",
		"http://localhost:8080":                  "http://localhost:8080",
		"http://[::1]:9/":                        "http://[::1]:9",
	} {
		got, err := LoadConfig(Config{Host: in}, cfgEnv(nil), WithHomeDir(t.TempDir()))
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if got.Host != want {
			t.Errorf("%q normalized to %q, want %q", in, got.Host, want)
		}
	}
}

func TestLoadConfigKeepsExplicitSources(t *testing.T) {
	got, err := LoadConfig(Config{Host: "h.azuredatabricks.net", Sources: map[string]string{"host": "flag --host"}},
		cfgEnv(map[string]string{"DATABRICKS_HOST": "other"}), WithHomeDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	if got.Sources["host"] != "flag --host" {
		t.Errorf("Sources[host] = %q", got.Sources["host"])
	}
}
