package emulator_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/emulator"
)

func TestPolicyFamilies(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	r := h.ok(h.get("/api/2.0/policy-families", nil))
	names := map[string]string{}
	for _, it := range arr(t, r.body["policy_families"], "policy_families") {
		f := obj(t, it, "family")
		id, _ := f["policy_family_id"].(string)
		names[id], _ = f["name"].(string)
		var def map[string]any
		if s, _ := f["definition"].(string); json.Unmarshal([]byte(s), &def) != nil || len(def) == 0 {
			t.Errorf("%s: definition %q is not a JSON object of rules", id, f["definition"])
		}
	}
	for id, name := range map[string]string{
		"personal-vm": "Personal Compute", "shared-compute": "Shared Compute", "power-user": "Power User Compute",
		"job-cluster": "Job Compute", "shared-data-science": "Legacy Shared Compute",
	} {
		if names[id] != name {
			t.Errorf("family %s = %q, want %q (all: %v)", id, names[id], name, names)
		}
	}
	if r.body["next_page_token"] != nil {
		t.Errorf("one page holds every family, got next_page_token %v", r.body["next_page_token"])
	}

	// Paging two at a time reaches every family once.
	seen := map[string]bool{}
	q := url.Values{"max_results": {"2"}}
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		p := h.ok(h.get("/api/2.0/policy-families", q))
		items := arr(t, p.body["policy_families"], "policy_families")
		if len(items) > 2 {
			t.Fatalf("page of %d, want at most 2", len(items))
		}
		for _, it := range items {
			seen[obj(t, it, "family")["policy_family_id"].(string)] = true
		}
		tok, _ := p.body["next_page_token"].(string)
		if tok == "" {
			break
		}
		q.Set("page_token", tok)
	}
	if len(seen) != len(names) {
		t.Errorf("paging saw %d families, want %d", len(seen), len(names))
	}

	g := h.ok(h.get("/api/2.0/policy-families/personal-vm", nil))
	if g.str("name") != "Personal Compute" || g.str("definition") == "" {
		t.Errorf("get personal-vm = %s", g.raw)
	}
	h.ok(h.get("/api/2.0/policy-families/personal-vm", url.Values{"version": {"1"}}))
	wantError(t, h.get("/api/2.0/policy-families/personal-vm", url.Values{"version": {"99"}}), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	wantError(t, h.get("/api/2.0/policy-families/nope", nil), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "Policy family nope does not exist.")
}
