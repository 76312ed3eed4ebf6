package emulator_test

import (
	"bytes"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/dbx-mcp/dbx-mcp/emulator"
)

func TestTokenLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{Token: "dapi-static"})
	now := h.clock.Now()

	r := h.ok(h.post("/api/2.0/token/create", map[string]any{"comment": "ci", "lifetime_seconds": 3600}))
	value := r.str("token_value")
	if !regexp.MustCompile(`^dapi[0-9a-f]{32}$`).MatchString(value) {
		t.Fatalf("token_value %q does not look like a PAT", value)
	}
	info := obj(t, r.body["token_info"], "token_info")
	id, _ := info["token_id"].(string)
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(id) {
		t.Errorf("token_id %q", id)
	}
	if info["comment"] != "ci" || num(t, info["creation_time"], "creation_time") != now.UnixMilli() ||
		num(t, info["expiry_time"], "expiry_time") != now.Add(time.Hour).UnixMilli() {
		t.Errorf("token_info = %v", info)
	}

	h.clock.Advance(time.Second)
	r = h.ok(h.post("/api/2.0/token/create", map[string]any{}))
	forever := obj(t, r.body["token_info"], "token_info")
	if num(t, forever["expiry_time"], "expiry_time") != -1 {
		t.Errorf("token without lifetime has expiry_time %v, want -1", forever["expiry_time"])
	}

	// The value is shown only once: list never has it.
	r = h.ok(h.get("/api/2.0/token/list", nil))
	if bytes.Contains(r.raw, []byte(value)) || bytes.Contains(r.raw, []byte("token_value")) {
		t.Fatalf("token/list leaks a value: %s", r.raw)
	}
	if n := len(arr(t, r.body["token_infos"], "token_infos")); n != 2 {
		t.Errorf("%d tokens listed, want 2", n)
	}

	// A created token authenticates; a revoked one does not.
	h.ok(h.callAs(value, http.MethodGet, "/api/2.0/token/list", nil, nil))
	h.ok(h.call(http.MethodPatch, "/api/2.0/token/"+id, nil, map[string]any{"token": map[string]any{"comment": "renamed"}, "update_mask": "comment"}))
	r = h.ok(h.get("/api/2.0/token/list", nil))
	if first := obj(t, arr(t, r.body["token_infos"], "token_infos")[0], "token"); first["comment"] != "renamed" {
		t.Errorf("comment after update = %v", first["comment"])
	}
	h.ok(h.post("/api/2.0/token/delete", map[string]any{"token_id": id}))
	wantError(t, h.callAs(value, http.MethodGet, "/api/2.0/token/list", nil, nil),
		http.StatusForbidden, "PERMISSION_DENIED", "Invalid access token.")
	wantError(t, h.post("/api/2.0/token/delete", map[string]any{"token_id": id}),
		http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	wantError(t, h.post("/api/2.0/token/delete", map[string]any{}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "Missing required field: token_id")
	wantError(t, h.call(http.MethodPatch, "/api/2.0/token/"+id, nil, map[string]any{"token": map[string]any{"comment": "x"}, "update_mask": "comment"}),
		http.StatusNotFound, "NOT_FOUND", "")
}

func TestTokenExpiry(t *testing.T) {
	h := newHarness(t, emulator.Options{Token: "dapi-static"})
	value := h.ok(h.post("/api/2.0/token/create", map[string]any{"lifetime_seconds": 60})).str("token_value")
	h.ok(h.callAs(value, http.MethodGet, "/api/2.0/token/list", nil, nil))
	h.clock.Advance(time.Minute)
	wantError(t, h.callAs(value, http.MethodGet, "/api/2.0/token/list", nil, nil),
		http.StatusForbidden, "PERMISSION_DENIED", "Invalid access token.")
}

// TestRevokedTokenRejectedWithoutStaticToken checks that an open emulator
// (one accepting any token) still refuses a token that was revoked.
func TestRevokedTokenRejectedWithoutStaticToken(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	r := h.ok(h.post("/api/2.0/token/create", map[string]any{"comment": "tmp"}))
	value := r.str("token_value")
	id := obj(t, r.body["token_info"], "token_info")["token_id"]
	h.ok(h.callAs(value, http.MethodGet, "/api/2.0/token/list", nil, nil))
	h.ok(h.post("/api/2.0/token/delete", map[string]any{"token_id": id}))
	wantError(t, h.callAs(value, http.MethodGet, "/api/2.0/token/list", nil, nil),
		http.StatusForbidden, "PERMISSION_DENIED", "Invalid access token.")
	h.ok(h.callAs("some-other-token", http.MethodGet, "/api/2.0/token/list", nil, nil))
}
