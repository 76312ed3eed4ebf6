package main

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	mcpclient "github.com/mark3labs/mcp-go/client"

	"github.com/dbx-mcp/dbx-mcp/emulator"
)

// secretPaths are spellings of GET /api/2.0/secrets/get (and its kin) a
// model might try; some reach the endpoint on the emulator, the rest on a
// more lenient server.
var secretPaths = []string{
	"/api/2.0/secrets/get",
	"/api/2.0/secrets/get/",
	"/api/2.0/secrets/%67et",
	"/api/2.0/%73ecrets/get",
	"/api/2.0/Secrets/Get",
	"/api/2.0/SECRETS/GET",
	"/api/2.0//secrets/get",
	"/api/2.0/../2.0/secrets/get",
	"/api/2.0/secrets/./get",
	"/api/2.0/secrets%2Fget",
	"/api/2.0/secrets/get;x",
	"/api/2.1/secrets/get",
	"/api/2.2/secrets/get",
	"/api/2.0/preview/secrets/get",
}

// TestAPICallNeverReturnsSecretValues: a secret put with secrets_put_secret
// never comes back through api_call, on a normal or a --read-only server,
// however the path is spelt; only --allow-secret-values lets it through
// (which also shows the emulator would hand it over).
func TestAPICallNeverReturnsSecretValues(t *testing.T) {
	const token = "dapi-e2e-secrets-0123456789"
	emu, err := emulator.Start(t.Context(), "127.0.0.1:0", emulator.Options{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	env := cleanEnv(t, "DATABRICKS_HOST="+emu.URL(), "DATABRICKS_TOKEN="+token)
	const value = "hunter2-e2e-secret-value"
	encoded := base64.StdEncoding.EncodeToString([]byte(value))
	leaks := func(s string) bool { return strings.Contains(s, value) || strings.Contains(s, encoded) }

	session := func(args ...string) (*toolSession, func()) {
		c, err := mcpclient.NewStdioMCPClient(binPath, env, append([]string{"serve", "--log-level", "warn", "--toolsets", "all"}, args...)...)
		if err != nil {
			t.Fatal(err)
		}
		return newSession(t, c), func() { c.Close() }
	}
	// apiCall returns everything the model would see of one api_call.
	apiCall := func(s *toolSession, method, path, params string) (string, bool) {
		args := fmt.Sprintf(`{"method":%q,"path":%q,"query":%s}`, method, path, params)
		if method == "POST" {
			args = fmt.Sprintf(`{"method":"POST","path":%q,"body":%s}`, path, params)
		}
		raw, res := s.call("api_call", args)
		return string(raw) + resultText(res), res.IsError
	}

	s, closeNormal := session()
	s.mustCall("secrets_create_scope", `{"scope":"e2e"}`)
	s.mustCall("secrets_put_secret", fmt.Sprintf(`{"scope":"e2e","key":"pw","string_value":%q}`, value))
	for name, args := range map[string][]string{"normal": nil, "read-only": {"--read-only"}} {
		t.Run(name, func(t *testing.T) {
			s := s
			if args != nil {
				var stop func()
				s, stop = session(args...)
				defer stop()
			}
			for _, path := range secretPaths {
				for _, method := range []string{"GET", "POST"} {
					out, isError := apiCall(s, method, path, `{"scope":"e2e","key":"pw"}`)
					if leaks(out) {
						t.Errorf("api_call %s %s returned the secret value: %s", method, path, out)
					}
					if !isError {
						t.Errorf("api_call %s %s succeeded, want it refused: %s", method, path, out)
					}
					if method == "GET" && !strings.Contains(path, "//") && !strings.Contains(path, "..") &&
						!strings.Contains(path, "/./") && !strings.Contains(path, "%2F") && !strings.Contains(out, "--allow-secret-values") {
						t.Errorf("api_call %s %s: the refusal does not say how to allow it: %s", method, path, out)
					}
				}
			}
			// Listing shows the key, not the value.
			if out, _ := apiCall(s, "GET", "/api/2.0/secrets/list", `{"scope":"e2e"}`); leaks(out) || !strings.Contains(out, "pw") {
				t.Errorf("secrets/list through api_call: %s", out)
			}
		})
	}
	closeNormal()

	t.Run("allow-secret-values", func(t *testing.T) {
		s, stop := session("--allow-secret-values")
		defer stop()
		for _, path := range []string{"/api/2.0/secrets/get", "/api/2.0/secrets/%67et", "/api/2.0/secrets/get/"} {
			if out, isError := apiCall(s, "GET", path, `{"scope":"e2e","key":"pw"}`); isError || !strings.Contains(out, encoded) {
				t.Errorf("with --allow-secret-values, api_call GET %s must return the value: %s", path, out)
			}
		}
	})
}
