package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dbx-mcp/dbx-mcp/emulator"
	"github.com/dbx-mcp/dbx-mcp/internal/fixtures"
)

const policies = "/api/2.0/policies/clusters/"

func (h *harness) createPolicy(body map[string]any) string {
	h.t.Helper()
	r := h.ok(h.post(policies+"create", body))
	id := r.str("policy_id")
	if !regexp.MustCompile(`^[0-9A-F]{16}$`).MatchString(id) || len(r.body) != 1 {
		h.t.Fatalf("create answered %s, want only a 16-hex-digit policy_id", r.raw)
	}
	return id
}

func (h *harness) policy(id string) response {
	h.t.Helper()
	return h.ok(h.get(policies+"get", url.Values{"policy_id": {id}}))
}

func TestClusterPolicyLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	created := h.clock.Now()
	const def = `{"spark_conf.spark.databricks.cluster.profile":{"type":"forbidden","hidden":true}}`
	id := h.createPolicy(map[string]any{
		"name": "team", "definition": def, "description": "for the team",
		"max_clusters_per_user": 2, "libraries": []any{map[string]any{"pypi": map[string]any{"package": "x"}}},
		"created_at_timestamp": 1, "creator_user_name": "someone-else", "is_default": true,
	})

	p := h.policy(id)
	want := map[string]string{
		"policy_id": id, "name": "team", "definition": def, "description": "for the team",
		"max_clusters_per_user": "2", "created_at_timestamp": fmt.Sprint(created.UnixMilli()),
		"creator_user_name": emulator.UserName, "libraries": "[map[pypi:map[package:x]]]",
	}
	for k, v := range want {
		if got := fmt.Sprint(p.body[k]); got != v {
			t.Errorf("%s = %s, want %s", k, got, v)
		}
	}
	if len(p.body) != len(want) {
		t.Errorf("get has members %v, want %d (computed fields cannot be set by the caller)", keys(p.body), len(want))
	}

	r := h.ok(h.get(policies+"list", nil))
	if num(t, r.body["total_count"], "total_count") != 1 || len(arr(t, r.body["policies"], "policies")) != 1 {
		t.Errorf("list = %s", r.raw)
	}

	wantError(t, h.post(policies+"create", map[string]any{"name": "team"}),
		http.StatusBadRequest, "RESOURCE_ALREADY_EXISTS", "Cluster Policy with name `team` already exists")

	// Edit replaces the writable fields and keeps the computed ones.
	h.clock.Advance(time.Hour)
	h.ok(h.post(policies+"edit", map[string]any{"policy_id": id, "name": "team2", "max_clusters_per_user": 5}))
	p = h.policy(id)
	if p.str("name") != "team2" || num(t, p.body["max_clusters_per_user"], "max") != 5 ||
		p.body["definition"] != nil || p.body["description"] != nil || p.body["libraries"] != nil ||
		num(t, p.body["created_at_timestamp"], "created") != created.UnixMilli() || p.str("policy_id") != id {
		t.Errorf("after edit = %s", p.raw)
	}
	h.ok(h.post(policies+"edit", map[string]any{"policy_id": id, "name": "team2"}))
	other := h.createPolicy(map[string]any{"name": "other"})
	wantError(t, h.post(policies+"edit", map[string]any{"policy_id": other, "name": "team2"}),
		http.StatusBadRequest, "RESOURCE_ALREADY_EXISTS", "Cluster Policy with name `team2` already exists")
	wantError(t, h.post(policies+"edit", map[string]any{"policy_id": id}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "Missing required field: name")
	wantError(t, h.post(policies+"edit", map[string]any{"name": "x"}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "Missing required field: policy_id")
	wantError(t, h.post(policies+"edit", map[string]any{"policy_id": "0000000000000000", "name": "x"}),
		http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "Can't find a cluster policy with id: 0000000000000000.")

	h.ok(h.post(policies+"delete", map[string]any{"policy_id": id}))
	wantError(t, h.get(policies+"get", url.Values{"policy_id": {id}}),
		http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "Can't find a cluster policy with id: "+id+".")
	wantError(t, h.post(policies+"delete", map[string]any{"policy_id": id}),
		http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	wantError(t, h.get(policies+"get", nil),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "Missing required field: policy_id")
	// A deleted policy's name is free again.
	h.createPolicy(map[string]any{"name": "team2"})
	h.ok(h.post(policies+"delete", map[string]any{"policy_id": other}))
	if r := h.ok(h.get(policies+"list", nil)); num(t, r.body["total_count"], "total_count") != 1 {
		t.Errorf("list after deletes = %s", r.raw)
	}
}

func TestClusterPolicyEmptyList(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	if r := h.ok(h.get(policies+"list", nil)); string(r.raw) != `{"total_count":0}` {
		t.Errorf("empty list = %s", r.raw)
	}
}

func TestClusterPolicyRules(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	for _, tc := range []struct {
		name string
		body map[string]any
		code string
	}{
		{"no name", map[string]any{"definition": "{}"}, "INVALID_PARAMETER_VALUE"},
		{"empty name", map[string]any{"name": ""}, "INVALID_PARAMETER_VALUE"},
		{"long name", map[string]any{"name": strings.Repeat("n", 101)}, "INVALID_PARAMETER_VALUE"},
		{"definition and family", map[string]any{"name": "a", "definition": "{}", "policy_family_id": "personal-vm"}, "INVALID_PARAMETER_VALUE"},
		{"overrides without family", map[string]any{"name": "a", "policy_family_definition_overrides": "{}"}, "INVALID_PARAMETER_VALUE"},
		{"definition not JSON", map[string]any{"name": "a", "definition": "{"}, "INVALID_PARAMETER_VALUE"},
		{"definition an array", map[string]any{"name": "a", "definition": "[]"}, "INVALID_PARAMETER_VALUE"},
		{"definition embedded", map[string]any{"name": "a", "definition": map[string]any{}}, "MALFORMED_REQUEST"},
		{"negative max", map[string]any{"name": "a", "max_clusters_per_user": -1}, "INVALID_PARAMETER_VALUE"},
		{"max not a number", map[string]any{"name": "a", "max_clusters_per_user": "many"}, "MALFORMED_REQUEST"},
		{"libraries an object", map[string]any{"name": "a", "libraries": map[string]any{}}, "MALFORMED_REQUEST"},
		{"too many libraries", map[string]any{"name": "a", "libraries": make([]map[string]any, 501)}, "INVALID_PARAMETER_VALUE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, h.post(policies+"create", tc.body), http.StatusBadRequest, tc.code, "")
		})
	}
	h.createPolicy(map[string]any{"name": strings.Repeat("ü", 100), "libraries": make([]map[string]any, 500)})
	if r := h.ok(h.get(policies+"list", nil)); num(t, r.body["total_count"], "total_count") != 1 {
		t.Errorf("refused creates left policies behind: %s", r.raw)
	}

	// A family policy's definition is the family's with the overrides merged
	// over it; moving it off the family makes the written definition the one
	// shown.
	wantError(t, h.post(policies+"create", map[string]any{"name": "nofam", "policy_family_id": "no-such-family"}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "Policy family no-such-family does not exist.")
	id := h.createPolicy(map[string]any{"name": "fam", "policy_family_id": "personal-vm",
		"policy_family_definition_overrides": `{"autotermination_minutes":{"type":"fixed","value":30}}`})
	p := h.policy(id)
	var rules map[string]map[string]any
	if err := json.Unmarshal([]byte(p.str("definition")), &rules); err != nil || p.str("policy_family_id") != "personal-vm" {
		t.Fatalf("family policy = %s (%v)", p.raw, err)
	}
	if r := rules["autotermination_minutes"]; r["type"] != "fixed" || r["value"] != 30.0 {
		t.Errorf("override not merged: autotermination_minutes = %v", r)
	}
	if r := rules["num_workers"]; r["type"] != "fixed" || r["value"] != 0.0 {
		t.Errorf("family rule lost: num_workers = %v", r)
	}
	h.ok(h.post(policies+"edit", map[string]any{"policy_id": id, "name": "fam", "definition": `{"a":{"type":"fixed","value":1}}`}))
	if p := h.policy(id); p.str("definition") != `{"a":{"type":"fixed","value":1}}` || p.body["policy_family_id"] != nil {
		t.Errorf("policy after leaving the family = %s", p.raw)
	}
	wantError(t, h.post(policies+"edit", map[string]any{"policy_id": id, "name": "fam", "definition": "{}", "policy_family_id": "x"}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "policy_family_id and definition cannot be used together")
	if p := h.policy(id); p.str("definition") != `{"a":{"type":"fixed","value":1}}` {
		t.Errorf("a refused edit changed the policy: %s", p.raw)
	}
}

func TestClusterPolicyListOrder(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	for _, n := range []string{"c", "a", "b"} {
		h.createPolicy(map[string]any{"name": n})
		h.clock.Advance(time.Second)
	}
	for _, tc := range []struct {
		col, dir string
		want     []string
	}{
		{"", "", []string{"c", "a", "b"}},
		{"POLICY_CREATION_TIME", "DESC", []string{"b", "a", "c"}},
		{"POLICY_NAME", "", []string{"a", "b", "c"}},
		{"POLICY_NAME", "DESC", []string{"c", "b", "a"}},
	} {
		q := url.Values{}
		if tc.col != "" {
			q.Set("sort_column", tc.col)
		}
		if tc.dir != "" {
			q.Set("sort_order", tc.dir)
		}
		var got []string
		for _, p := range arr(t, h.ok(h.get(policies+"list", q)).body["policies"], "policies") {
			got = append(got, obj(t, p, "policy")["name"].(string))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("list %v = %v, want %v", q, got, tc.want)
		}
	}
	wantError(t, h.get(policies+"list", url.Values{"sort_column": {"NAME"}}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	wantError(t, h.get(policies+"list", url.Values{"sort_order": {"UP"}}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
}

// TestClusterPolicyFixtures sends the real request payloads, each to a
// fresh workspace, and checks that a policy read back has every member
// the real get and list responses show.
func TestClusterPolicyFixtures(t *testing.T) {
	payloads := fixtures.Load(t, "cluster-policies")
	sent, compared := 0, 0
	for _, fx := range payloads {
		t.Run(fx.File, func(t *testing.T) {
			h := newHarness(t, emulator.Options{})
			var body map[string]any
			if err := json.Unmarshal(fx.Body, &body); err != nil {
				t.Fatal(err)
			}
			method, path, _ := strings.Cut(fx.Operation, " ")
			switch fx.Kind {
			case "request":
				if path == policies+"edit" {
					body["policy_id"] = h.createPolicy(map[string]any{"name": "before"})
				}
				h.ok(h.call(method, path, nil, body))
				sent++
			case "response":
				shown := []map[string]any{body}
				if items, ok := body["policies"].([]any); ok {
					shown = nil
					for _, it := range items {
						shown = append(shown, obj(t, it, "policy"))
					}
				}
				for _, p := range shown {
					writable := map[string]any{}
					for _, f := range []string{"name", "definition", "description", "libraries", "max_clusters_per_user", "policy_family_id", "policy_family_definition_overrides"} {
						if v, ok := p[f]; ok {
							writable[f] = v
						}
					}
					if len(writable) == 0 {
						continue // a create response: only the id
					}
					got := h.policy(h.createPolicy(writable))
					for k := range p {
						if _, ok := got.body[k]; !ok && k != "is_default" {
							t.Errorf("a real policy has %s; the emulated one lacks it: %s", k, got.raw)
						}
					}
					compared++
				}
			}
		})
	}
	if sent < 2 || compared < 3 {
		t.Errorf("sent %d requests and compared %d policies; the fixtures hold more", sent, compared)
	}
}
