package emulator_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dbx-mcp/dbx-mcp/emulator"
)

func TestSecretScopeNames(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	for _, name := range []string{"ok-name_1.2", strings.Repeat("a", 128), "A"} {
		h.ok(h.post("/api/2.0/secrets/scopes/create", map[string]any{"scope": name}))
	}
	for _, name := range []string{strings.Repeat("a", 129), "has space", "slash/es", "ümlaut", "test-scope-[UNIQUE_NAME]"} {
		wantError(t, h.post("/api/2.0/secrets/scopes/create", map[string]any{"scope": name}),
			http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	}
	wantError(t, h.post("/api/2.0/secrets/scopes/create", map[string]any{}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "Missing required field: scope")
	wantError(t, h.post("/api/2.0/secrets/scopes/create", map[string]any{"scope": "ok-name_1.2"}),
		http.StatusBadRequest, "RESOURCE_ALREADY_EXISTS", "Scope ok-name_1.2 already exists!")
	wantError(t, h.post("/api/2.0/secrets/scopes/create", map[string]any{"scope": "x", "scope_backend_type": "VAULT"}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	wantError(t, h.post("/api/2.0/secrets/scopes/create", map[string]any{"scope": "x", "initial_manage_principal": "someone@example.com"}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")

	r := h.ok(h.get("/api/2.0/secrets/scopes/list", nil))
	scopes := arr(t, r.body["scopes"], "scopes")
	if len(scopes) != 3 {
		t.Fatalf("%d scopes, want 3: %s", len(scopes), r.raw)
	}
	for _, s := range scopes {
		if obj(t, s, "scope")["backend_type"] != "DATABRICKS" {
			t.Errorf("scope %v", s)
		}
	}

	h.ok(h.post("/api/2.0/secrets/scopes/delete", map[string]any{"scope": "A"}))
	wantError(t, h.post("/api/2.0/secrets/scopes/delete", map[string]any{"scope": "A"}),
		http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "Scope A does not exist!")
}

func TestSecretScopeInitialACL(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	h.ok(h.post("/api/2.0/secrets/scopes/create", map[string]any{"scope": "mine"}))
	h.ok(h.post("/api/2.0/secrets/scopes/create", map[string]any{"scope": "everyone", "initial_manage_principal": "users"}))

	r := h.ok(h.get("/api/2.0/secrets/acls/list", url.Values{"scope": {"mine"}}))
	if got := fmt.Sprint(r.body["items"]); got != fmt.Sprintf("[map[permission:MANAGE principal:%s]]", emulator.UserName) {
		t.Errorf("creator ACL = %s", got)
	}
	r = h.ok(h.get("/api/2.0/secrets/acls/list", url.Values{"scope": {"everyone"}}))
	if got := fmt.Sprint(r.body["items"]); got != "[map[permission:MANAGE principal:users]]" {
		t.Errorf("users ACL = %s", got)
	}
}

func TestSecretsPutGetListDelete(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	h.ok(h.post("/api/2.0/secrets/scopes/create", map[string]any{"scope": "app"}))
	const secretValue = "s3cr3t-value-never-listed"
	h.ok(h.post("/api/2.0/secrets/put", map[string]any{"scope": "app", "key": "db-password", "string_value": secretValue}))
	h.clock.Advance(time.Second)
	raw := []byte{0, 1, 2, 0xff, 'x'}
	h.ok(h.post("/api/2.0/secrets/put", map[string]any{"scope": "app", "key": "blob", "bytes_value": base64.StdEncoding.EncodeToString(raw)}))

	r := h.ok(h.get("/api/2.0/secrets/list", url.Values{"scope": {"app"}}))
	if bytes.Contains(r.raw, []byte(secretValue)) || bytes.Contains(r.raw, []byte(base64.StdEncoding.EncodeToString([]byte(secretValue)))) {
		t.Fatalf("secrets/list leaks a value: %s", r.raw)
	}
	secrets := arr(t, r.body["secrets"], "secrets")
	if len(secrets) != 2 {
		t.Fatalf("%d secrets listed, want 2", len(secrets))
	}
	for _, s := range secrets {
		m := obj(t, s, "secret")
		if len(m) != 2 || m["key"] == nil || m["last_updated_timestamp"] == nil {
			t.Errorf("secret metadata %v, want only key and last_updated_timestamp", m)
		}
	}
	first := obj(t, secrets[0], "secret")
	if first["key"] != "blob" || num(t, first["last_updated_timestamp"], "ts") != h.clock.Now().UnixMilli() {
		t.Errorf("first listed secret = %v", first)
	}

	// get returns the bytes base64-encoded.
	r = h.ok(h.get("/api/2.0/secrets/get", url.Values{"scope": {"app"}, "key": {"db-password"}}))
	if r.str("key") != "db-password" || r.str("value") != base64.StdEncoding.EncodeToString([]byte(secretValue)) {
		t.Errorf("get = %s", r.raw)
	}
	r = h.ok(h.get("/api/2.0/secrets/get", url.Values{"scope": {"app"}, "key": {"blob"}}))
	if got, _ := base64.StdEncoding.DecodeString(r.str("value")); !bytes.Equal(got, raw) {
		t.Errorf("bytes_value round trip = %v, want %v", got, raw)
	}

	// Overwrite keeps one entry.
	h.ok(h.post("/api/2.0/secrets/put", map[string]any{"scope": "app", "key": "db-password", "string_value": "new"}))
	if n := len(arr(t, h.ok(h.get("/api/2.0/secrets/list", url.Values{"scope": {"app"}})).body["secrets"], "secrets")); n != 2 {
		t.Errorf("%d secrets after overwrite, want 2", n)
	}

	h.ok(h.post("/api/2.0/secrets/delete", map[string]any{"scope": "app", "key": "db-password"}))
	wantError(t, h.post("/api/2.0/secrets/delete", map[string]any{"scope": "app", "key": "db-password"}),
		http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	wantError(t, h.get("/api/2.0/secrets/get", url.Values{"scope": {"app"}, "key": {"db-password"}}),
		http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")

	for _, path := range []string{"/api/2.0/secrets/list", "/api/2.0/secrets/acls/list"} {
		wantError(t, h.get(path, url.Values{"scope": {"nope"}}), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "Scope nope does not exist!")
	}
	wantError(t, h.post("/api/2.0/secrets/put", map[string]any{"scope": "nope", "key": "k", "string_value": "v"}),
		http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "Scope nope does not exist!")

	// Deleting the scope drops its secrets.
	h.ok(h.post("/api/2.0/secrets/scopes/delete", map[string]any{"scope": "app"}))
	h.ok(h.post("/api/2.0/secrets/scopes/create", map[string]any{"scope": "app"}))
	if r := h.ok(h.get("/api/2.0/secrets/list", url.Values{"scope": {"app"}})); len(r.body) != 0 {
		t.Errorf("recreated scope lists %s, want {}", r.raw)
	}
}

func TestSecretPutRules(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	h.ok(h.post("/api/2.0/secrets/scopes/create", map[string]any{"scope": "s"}))
	put := func(body map[string]any) response {
		body["scope"] = "s"
		return h.post("/api/2.0/secrets/put", body)
	}
	const limit = 128 * 1024
	h.ok(put(map[string]any{"key": "max", "string_value": strings.Repeat("x", limit)}))
	h.ok(put(map[string]any{"key": "max-bytes", "bytes_value": base64.StdEncoding.EncodeToString(make([]byte, limit))}))
	h.ok(put(map[string]any{"key": strings.Repeat("k", 128), "string_value": "v"}))
	h.ok(put(map[string]any{"key": "empty", "string_value": ""}))

	for _, tc := range []struct {
		name string
		body map[string]any
		code string
	}{
		{"too big", map[string]any{"key": "big", "string_value": strings.Repeat("x", limit+1)}, "INVALID_PARAMETER_VALUE"},
		{"too big bytes", map[string]any{"key": "big", "bytes_value": base64.StdEncoding.EncodeToString(make([]byte, limit+1))}, "INVALID_PARAMETER_VALUE"},
		{"both values", map[string]any{"key": "k", "string_value": "a", "bytes_value": "YQ=="}, "MALFORMED_REQUEST"},
		{"no value", map[string]any{"key": "k"}, "INVALID_PARAMETER_VALUE"},
		{"bad base64", map[string]any{"key": "k", "bytes_value": "***"}, "INVALID_PARAMETER_VALUE"},
		{"long key", map[string]any{"key": strings.Repeat("k", 129), "string_value": "v"}, "INVALID_PARAMETER_VALUE"},
		{"bad key", map[string]any{"key": "a/b", "string_value": "v"}, "INVALID_PARAMETER_VALUE"},
		{"no key", map[string]any{"string_value": "v"}, "INVALID_PARAMETER_VALUE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, put(tc.body), http.StatusBadRequest, tc.code, "")
		})
	}
	if strings.Contains(string(put(map[string]any{"key": "big", "string_value": strings.Repeat("Q", limit+1)}).raw), "QQQQ") {
		t.Error("the size error echoes the value")
	}
}

func TestSecretsPerScopeLimit(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	h.ok(h.post("/api/2.0/secrets/scopes/create", map[string]any{"scope": "full"}))
	for i := range 1000 {
		h.ok(h.post("/api/2.0/secrets/put", map[string]any{"scope": "full", "key": fmt.Sprintf("k%d", i), "string_value": "v"}))
	}
	wantError(t, h.post("/api/2.0/secrets/put", map[string]any{"scope": "full", "key": "one-more", "string_value": "v"}),
		http.StatusBadRequest, "RESOURCE_LIMIT_EXCEEDED", "")
	// Overwriting an existing key is still allowed at the limit.
	h.ok(h.post("/api/2.0/secrets/put", map[string]any{"scope": "full", "key": "k7", "string_value": "w"}))
}

func TestSecretACLs(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	h.ok(h.post("/api/2.0/secrets/scopes/create", map[string]any{"scope": "team"}))
	h.ok(h.post("/api/2.0/secrets/acls/put", map[string]any{"scope": "team", "principal": "data-scientists", "permission": "READ"}))
	h.ok(h.post("/api/2.0/secrets/acls/put", map[string]any{"scope": "team", "principal": "data-scientists", "permission": "WRITE"}))

	r := h.ok(h.get("/api/2.0/secrets/acls/get", url.Values{"scope": {"team"}, "principal": {"data-scientists"}}))
	if r.str("principal") != "data-scientists" || r.str("permission") != "WRITE" || len(r.body) != 2 {
		t.Errorf("acls/get = %s", r.raw)
	}
	r = h.ok(h.get("/api/2.0/secrets/acls/list", url.Values{"scope": {"team"}}))
	if n := len(arr(t, r.body["items"], "items")); n != 2 {
		t.Errorf("%d ACLs, want 2 (creator and data-scientists): %s", n, r.raw)
	}

	wantError(t, h.post("/api/2.0/secrets/acls/put", map[string]any{"scope": "team", "principal": "x", "permission": "OWN"}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	wantError(t, h.post("/api/2.0/secrets/acls/put", map[string]any{"scope": "team", "permission": "READ"}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "Missing required field: principal")
	wantError(t, h.post("/api/2.0/secrets/acls/put", map[string]any{"scope": "nope", "principal": "x", "permission": "READ"}),
		http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")

	h.ok(h.post("/api/2.0/secrets/acls/delete", map[string]any{"scope": "team", "principal": "data-scientists"}))
	wantError(t, h.get("/api/2.0/secrets/acls/get", url.Values{"scope": {"team"}, "principal": {"data-scientists"}}),
		http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	wantError(t, h.post("/api/2.0/secrets/acls/delete", map[string]any{"scope": "team", "principal": "data-scientists"}),
		http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
}

func TestKeyVaultScope(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	wantError(t, h.post("/api/2.0/secrets/scopes/create", map[string]any{"scope": "kv", "scope_backend_type": "AZURE_KEYVAULT"}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	h.ok(h.post("/api/2.0/secrets/scopes/create", map[string]any{
		"scope": "kv", "scope_backend_type": "AZURE_KEYVAULT",
		"backend_azure_keyvault": map[string]any{
			"resource_id": "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/v",
			"dns_name":    "https://v.vault.azure.net/",
		},
	}))
	r := h.ok(h.get("/api/2.0/secrets/scopes/list", nil))
	s := obj(t, arr(t, r.body["scopes"], "scopes")[0], "scope")
	if s["backend_type"] != "AZURE_KEYVAULT" || obj(t, s["keyvault_metadata"], "keyvault_metadata")["dns_name"] != "https://v.vault.azure.net/" {
		t.Errorf("scope = %v", s)
	}
	wantError(t, h.post("/api/2.0/secrets/put", map[string]any{"scope": "kv", "key": "k", "string_value": "v"}),
		http.StatusBadRequest, "BAD_REQUEST", "")
}
