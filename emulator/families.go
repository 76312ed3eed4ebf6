package emulator

import (
	"encoding/json"
	"net/http"
)

var _ = declareArea((*Emulator).declarePolicyFamilies)

// policyFamily is one of the workspace's built-in policy templates. Only its
// latest definition is kept: every earlier version answers with it too.
type policyFamily struct {
	id, name, description, definition string
	version                           int64
}

// policyFamilies are the families an Azure workspace offers, in the order
// the API lists them, with definitions in the policy language (simplified
// from the real ones, which Databricks revises over time).
var policyFamilies = []policyFamily{
	{
		id: "job-cluster", name: "Job Compute", version: 1,
		description: "Sets up compute for running jobs: single-user, job clusters only, with limits on size and runtime.",
		definition: `{"cluster_type":{"type":"fixed","value":"job"},` +
			`"num_workers":{"type":"unlimited","defaultValue":4,"isOptional":true},` +
			`"node_type_id":{"type":"unlimited","defaultValue":"Standard_DS3_v2","isOptional":true},` +
			`"spark_version":{"type":"unlimited","defaultValue":"auto:latest-lts"},` +
			`"azure_attributes.availability":{"type":"unlimited","defaultValue":"ON_DEMAND_AZURE"}}`,
	},
	{
		id: "personal-vm", name: "Personal Compute", version: 1,
		description: "Use with small-to-medium data or libraries like pandas and scikit-learn. Spark runs in local mode on a single node dedicated to one user.",
		definition: `{"cluster_type":{"type":"fixed","value":"all-purpose"},` +
			`"num_workers":{"type":"fixed","value":0,"hidden":true},` +
			`"spark_conf.spark.databricks.cluster.profile":{"type":"fixed","value":"singleNode","hidden":true},` +
			`"spark_conf.spark.master":{"type":"fixed","value":"local[*,4]","hidden":true},` +
			`"custom_tags.ResourceClass":{"type":"fixed","value":"SingleNode","hidden":true},` +
			`"data_security_mode":{"type":"allowlist","values":["SINGLE_USER","LEGACY_SINGLE_USER","LEGACY_SINGLE_USER_STANDARD"],"defaultValue":"SINGLE_USER","hidden":true},` +
			`"node_type_id":{"type":"allowlist","values":["Standard_DS3_v2","Standard_DS4_v2","Standard_DS5_v2","Standard_NC6s_v3"],"defaultValue":"Standard_DS3_v2"},` +
			`"spark_version":{"type":"unlimited","defaultValue":"auto:latest-ml"},` +
			`"autotermination_minutes":{"type":"unlimited","defaultValue":4320,"isOptional":true},` +
			`"instance_pool_id":{"type":"forbidden","hidden":true},` +
			`"driver_instance_pool_id":{"type":"forbidden","hidden":true},` +
			`"azure_attributes.availability":{"type":"fixed","value":"ON_DEMAND_AZURE","hidden":true}}`,
	},
	{
		id: "power-user", name: "Power User Compute", version: 1,
		description: "Multi-node compute for one user, with autoscaling, for large data and machine learning work.",
		definition: `{"cluster_type":{"type":"fixed","value":"all-purpose"},` +
			`"data_security_mode":{"type":"allowlist","values":["SINGLE_USER","LEGACY_SINGLE_USER","LEGACY_SINGLE_USER_STANDARD"],"defaultValue":"SINGLE_USER","hidden":true},` +
			`"autoscale.min_workers":{"type":"unlimited","defaultValue":2},` +
			`"autoscale.max_workers":{"type":"unlimited","defaultValue":10},` +
			`"autotermination_minutes":{"type":"unlimited","defaultValue":120,"isOptional":true},` +
			`"spark_version":{"type":"unlimited","defaultValue":"auto:latest-ml"},` +
			`"azure_attributes.availability":{"type":"unlimited","defaultValue":"ON_DEMAND_AZURE"}}`,
	},
	{
		id: "shared-compute", name: "Shared Compute", version: 1,
		description: "Multi-node compute shared by several users, with Unity Catalog user isolation.",
		definition: `{"cluster_type":{"type":"fixed","value":"all-purpose"},` +
			`"data_security_mode":{"type":"fixed","value":"USER_ISOLATION","hidden":true},` +
			`"autoscale.min_workers":{"type":"unlimited","defaultValue":2},` +
			`"autoscale.max_workers":{"type":"unlimited","defaultValue":10},` +
			`"autotermination_minutes":{"type":"unlimited","defaultValue":120,"isOptional":true},` +
			`"spark_version":{"type":"unlimited","defaultValue":"auto:latest-lts"}}`,
	},
	{
		id: "shared-data-science", name: "Legacy Shared Compute", version: 1,
		description: "Shared multi-node compute without Unity Catalog isolation, for workloads that need the legacy no-isolation mode.",
		definition: `{"cluster_type":{"type":"fixed","value":"all-purpose"},` +
			`"data_security_mode":{"type":"fixed","value":"NONE","hidden":true},` +
			`"autoscale.min_workers":{"type":"unlimited","defaultValue":2},` +
			`"autoscale.max_workers":{"type":"unlimited","defaultValue":10},` +
			`"autotermination_minutes":{"type":"unlimited","defaultValue":120,"isOptional":true},` +
			`"spark_version":{"type":"unlimited","defaultValue":"auto:latest-lts"}}`,
	},
}

// Page sizes of policy_families list: everything unless max_results says
// otherwise (the reference names no default or maximum).
const maxFamilyPage = 1000

func findFamily(id string) *policyFamily {
	for i := range policyFamilies {
		if policyFamilies[i].id == id {
			return &policyFamilies[i]
		}
	}
	return nil
}

func (f *policyFamily) wire() map[string]any {
	return map[string]any{
		"policy_family_id": f.id, "name": f.name, "description": f.description, "definition": f.definition,
	}
}

// declarePolicyFamilies serves the Policy Families API: the built-in
// families, read-only.
func (e *Emulator) declarePolicyFamilies() {
	e.handle("GET", "/api/2.0/policy-families", func(p *params) (any, *apiError) {
		size, _, aerr := p.int64("max_results")
		if aerr != nil {
			return nil, aerr
		}
		if size < 0 {
			return nil, invalidParam("max_results must not be negative, got %d.", size)
		}
		if size == 0 || size > maxFamilyPage {
			size = maxFamilyPage
		}
		from := 0
		if tok, _ := p.str("page_token"); tok != "" {
			if from, aerr = parsePageToken(tok); aerr != nil {
				return nil, aerr
			}
		}
		from = min(from, len(policyFamilies))
		end := min(from+int(size), len(policyFamilies))
		items := make([]any, 0, end-from)
		for i := from; i < end; i++ {
			items = append(items, policyFamilies[i].wire())
		}
		out := map[string]any{"policy_families": items}
		if end < len(policyFamilies) {
			out["next_page_token"] = pageToken(end)
		}
		return out, nil
	})
	e.handle("GET", "/api/2.0/policy-families/{policy_family_id}", func(p *params) (any, *apiError) {
		id, aerr := p.requiredStr("policy_family_id")
		if aerr != nil {
			return nil, aerr
		}
		f := findFamily(id)
		if f == nil {
			return nil, errorf(http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "Policy family %s does not exist.", id)
		}
		v, present, aerr := p.int64("version")
		if aerr != nil {
			return nil, aerr
		}
		if present && (v < 1 || v > f.version) {
			return nil, errorf(http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "Policy family %s has no version %d.", id, v)
		}
		return f.wire(), nil
	})
}

// familyDefinition is a family's definition with overrides merged over it,
// rule by rule, as a policy made from the family shows it.
func familyDefinition(f *policyFamily, overrides string) string {
	var rules map[string]json.RawMessage
	_ = json.Unmarshal([]byte(f.definition), &rules)
	if overrides != "" {
		var over map[string]json.RawMessage
		_ = json.Unmarshal([]byte(overrides), &over) // checked as an object already
		for k, v := range over {
			rules[k] = v
		}
	}
	b, _ := json.Marshal(rules)
	return string(b)
}
