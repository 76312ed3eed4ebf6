package emulator

import (
	"cmp"
	"encoding/json"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Limits of a cluster policy, as the API reference states them.
const (
	maxPolicyNameLen   = 100
	maxPolicyLibraries = 500
)

var _ = declareArea((*Emulator).declarePolicies)

// declarePolicies serves the Cluster Policies API. Edit replaces every
// writable field; the name is unique in the workspace. The emulated
// workspace has no built-in (is_default) policies; a policy made from one
// of the policy families (families.go) shows the family's definition with
// its overrides merged in.
func (e *Emulator) declarePolicies() {
	s := e.store("cluster policies", storeOpts{
		noun:    "cluster policy",
		idField: "policy_id",
		ids:     hexIDs(16),
		fields: map[string]fieldKind{
			"name": fString, "definition": fString, "description": fString,
			"max_clusters_per_user": fInt, "libraries": fArray,
			"policy_family_id": fString, "policy_family_definition_overrides": fString,
		},
		required: []string{"name"},
		unique:   []string{"name"},
		listKey:  "policies",
		countKey: "total_count",
		missing:  errSpec{format: "Can't find a cluster policy with id: %s."},
		exists:   errSpec{status: http.StatusBadRequest, format: "Cluster Policy with name `%s` already exists"},
		onCreate: func(o *op) *apiError {
			o.r.set("created_at_timestamp", millis(e.now()))
			o.r.set("creator_user_name", UserName)
			return policyRules(o)
		},
		onUpdate: policyRules,
		order:    policyOrder,
	})
	s.create("POST", "/api/2.0/policies/clusters/create")
	s.replace("POST", "/api/2.0/policies/clusters/edit")
	s.get("GET", "/api/2.0/policies/clusters/get")
	s.list("GET", "/api/2.0/policies/clusters/list")
	s.delete("POST", "/api/2.0/policies/clusters/delete")
}

// policyRules checks what create and edit share and computes the
// definition of a policy made from a family.
func policyRules(o *op) *apiError {
	written := func(name string) string {
		s, _ := o.r.in[name].(string)
		return s
	}
	if n := utf8.RuneCountInString(written("name")); n > maxPolicyNameLen {
		return invalidParam("Cluster policy name must be between 1 and %d characters long, got %d.", maxPolicyNameLen, n)
	}
	family, overrides := written("policy_family_id"), written("policy_family_definition_overrides")
	if family != "" && written("definition") != "" {
		return invalidParam("policy_family_id and definition cannot be used together")
	}
	if family == "" && overrides != "" {
		return invalidParam("policy_family_definition_overrides can only be used with policy_family_id")
	}
	for _, f := range []string{"definition", "policy_family_definition_overrides"} {
		if v := written(f); v != "" && !isJSONObject(v) {
			return invalidParam("%s must be a policy definition: a JSON object passed as a string.", f)
		}
	}
	if n, _ := o.r.int("max_clusters_per_user"); n < 0 {
		return invalidParam("max_clusters_per_user must not be negative, got %d.", n)
	}
	if raw, ok := o.r.in["libraries"].(json.RawMessage); ok {
		var libs []json.RawMessage
		_ = json.Unmarshal(raw, &libs) // its kind says it is an array
		if len(libs) > maxPolicyLibraries {
			return invalidParam("A cluster policy can install at most %d libraries, got %d.", maxPolicyLibraries, len(libs))
		}
	}
	delete(o.r.out, "definition")
	if family != "" {
		f := findFamily(family)
		if f == nil {
			return invalidParam("Policy family %s does not exist.", family)
		}
		o.r.set("definition", familyDefinition(f, overrides))
	}
	return nil
}

func isJSONObject(s string) bool {
	var obj map[string]json.RawMessage
	return json.Unmarshal([]byte(s), &obj) == nil && obj != nil
}

// policyOrder serves list's sort_column (POLICY_CREATION_TIME, the default,
// or POLICY_NAME) and sort_order (ASC, the default, or DESC).
func policyOrder(p *params) (func(a, b *resource) int, *apiError) {
	col, aerr := p.str("sort_column")
	if aerr != nil {
		return nil, aerr
	}
	dir, aerr := p.str("sort_order")
	if aerr != nil {
		return nil, aerr
	}
	if col != "" && !oneOf(col, "POLICY_CREATION_TIME", "POLICY_NAME") {
		return nil, invalidParam("Invalid sort_column '%s'; allowed values are POLICY_CREATION_TIME, POLICY_NAME.", col)
	}
	if dir != "" && !oneOf(dir, "ASC", "DESC") {
		return nil, invalidParam("Invalid sort_order '%s'; allowed values are ASC, DESC.", dir)
	}
	by := func(a, b *resource) int { return cmp.Compare(a.seq, b.seq) }
	if col == "POLICY_NAME" {
		by = func(a, b *resource) int { return strings.Compare(a.str("name"), b.str("name")) }
	}
	if dir == "DESC" {
		return func(a, b *resource) int { return by(b, a) }, nil
	}
	return by, nil
}
