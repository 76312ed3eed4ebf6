package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// meStub answers current_user_me as the given user, or with status when it
// is not 200.
func meStub(t *testing.T, status int) *stub {
	return newStub(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path != "/api/2.0/preview/scim/v2/Me" {
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"error_code":"ENDPOINT_NOT_FOUND","message":"no such endpoint"}`)
			return
		}
		if status != http.StatusOK {
			w.WriteHeader(status)
			io.WriteString(w, `{"error_code":"401","message":"Credential was not sent or was of an unsupported type for this API."}`)
			return
		}
		io.WriteString(w, `{"id":"7421","userName":"ada@example.com","displayName":"Ada Lovelace","active":true}`)
	})
}

func TestDoctor(t *testing.T) {
	ok := meStub(t, http.StatusOK)
	refused := meStub(t, http.StatusUnauthorized)
	cfgDir := t.TempDir()
	cfgFile := filepath.Join(cfgDir, "databrickscfg")
	// The dev profile's host is on line 5 and its token on line 6.
	content := fmt.Sprintf("[DEFAULT]\nhost = https://wrong.example\n\n[dev]\nhost = %s\ntoken = %s\n", ok.URL, secretToken)
	if err := os.WriteFile(cfgFile, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".databricks"), 0o700); err != nil {
		t.Fatal(err)
	}
	login := fmt.Sprintf(`{"version":1,"tokens":{%q:{"access_token":%q,"token_type":"Bearer","refresh_token":"refresh-secret-77","expiry":%q}}}`,
		ok.URL, secretToken, time.Now().Add(time.Hour).Format(time.RFC3339))
	if err := os.WriteFile(filepath.Join(home, ".databricks", "token-cache.json"), []byte(login), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name     string
		env      []string
		args     []string
		wantCode int
		want     []string
		reject   []string
	}{
		{
			name:     "token from the environment",
			env:      []string{"DATABRICKS_HOST=" + ok.URL, "DATABRICKS_TOKEN=" + secretToken},
			want:     []string{"host", ok.URL, "(from env DATABRICKS_HOST)", "token", "set (value hidden)", "(from env DATABRICKS_TOKEN)", "method pat", "only method whose settings are all present: token from env DATABRICKS_TOKEN", "ada@example.com", "Ada Lovelace", "7421", "proxy", "none: direct", "OK:"},
			wantCode: 0,
		},
		{
			name:     "profile file and line",
			env:      []string{"DATABRICKS_CONFIG_FILE=" + cfgFile},
			args:     []string{"--profile", "dev"},
			want:     []string{"(from profile dev in " + cfgFile + " line 5)", "(from profile dev in " + cfgFile + " line 6)", "profile", "(from flag --profile)", "method pat", "ada@example.com"},
			wantCode: 0,
		},
		{
			name:     "host by flag, auth type by environment, proxy credentials hidden",
			env:      []string{"DATABRICKS_TOKEN=" + secretToken, "DATABRICKS_AUTH_TYPE=pat", "NO_PROXY=*"},
			args:     []string{"--host", ok.URL, "--proxy", "http://proxyuser:proxy-pass-42@127.0.0.1:1"},
			want:     []string{"(from flag --host)", "named by auth_type from env DATABRICKS_AUTH_TYPE", "http://127.0.0.1:1 (credentials hidden), for every request (from flag --proxy)", "the proxy could not be reached"},
			reject:   []string{"proxy-pass-42", "proxyuser"},
			wantCode: exitFailure, // nothing listens at the proxy
		},
		{
			name:     "a cached browser login",
			env:      []string{"DATABRICKS_HOST=" + ok.URL, "HOME=" + home, "PATH=" + t.TempDir()},
			want:     []string{"method external-browser", "fallbacks were tried in order (databricks-cli, external-browser)", "login cache", "token-cache.json", "ada@example.com"},
			reject:   []string{"refresh-secret-77"},
			wantCode: 0,
		},
		{
			name:     "401 says the token is wrong or expired",
			env:      []string{"DATABRICKS_HOST=" + refused.URL, "DATABRICKS_TOKEN=" + secretToken},
			want:     []string{"refused the credentials (401)", "wrong, expired or for another workspace", "create a new personal access token", "where the old one came from (env DATABRICKS_TOKEN)"},
			wantCode: exitFailure,
		},
		{
			name:     "no host",
			env:      []string{"DATABRICKS_TOKEN=" + secretToken},
			want:     []string{"no workspace host", "set DATABRICKS_HOST"},
			wantCode: exitFailure,
		},
		{
			name:     "no credentials",
			env:      []string{"DATABRICKS_HOST=" + ok.URL},
			want:     []string{"no auth method is configured", "pat: needs token (DATABRICKS_TOKEN)", "configure one auth method"},
			wantCode: exitFailure,
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runBinary(t, cleanEnv(t, tt.env...), "", append([]string{"doctor", "--timeout", "20s"}, tt.args...)...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, out, errOut)
			}
			all := out + errOut
			spaced := strings.Join(strings.Fields(all), " ") // table columns are padded
			for _, w := range tt.want {
				if !strings.Contains(spaced, w) {
					t.Errorf("output lacks %q:\n%s\nstderr:\n%s", w, out, errOut)
				}
			}
			for _, r := range tt.reject {
				if strings.Contains(all, r) {
					t.Errorf("output shows %q:\n%s", r, all)
				}
			}
			if tt.wantCode != 0 && !strings.Contains(errOut, "fix: ") {
				t.Errorf("stderr names no fix:\n%s", errOut)
			}
			noSecret(t, out, errOut)
		})
	}
	if got := ok.request(0).Header.Get("Authorization"); got != "Bearer "+secretToken {
		t.Errorf("the workspace got Authorization %q", got)
	}
}

// TestAuthLoginWithoutHost refuses to sign in to nothing, naming the flags
// that say where; the sign-in itself is tested against a fake
// authorization server in the client package.
func TestAuthLoginWithoutHost(t *testing.T) {
	code, out, errOut := runBinary(t, cleanEnv(t), "", "auth", "login")
	if code != exitUsage || !strings.Contains(errOut, "--host") || !strings.Contains(errOut, "--profile") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	code, _, errOut = runBinary(t, cleanEnv(t), "", "auth", "logout")
	if code != exitUsage || !strings.Contains(errOut, "dbx-mcp auth login") {
		t.Errorf("unknown subcommand: exit %d, stderr:\n%s", code, errOut)
	}
}
