package emulator

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"unicode/utf8"
)

// Limits of an instance pool, as the API reference states them.
const (
	maxPoolNameLen       = 100
	maxPoolAutoterminate = 10000
	maxPoolCustomTags    = 45
)

var _ = declareArea((*Emulator).declarePools)

// poolSettledFields are fixed when a pool is made: an edit neither sends
// nor changes them.
var poolSettledFields = []string{
	"aws_attributes", "azure_attributes", "gcp_attributes", "disk_spec", "enable_elastic_disk",
	"node_type_flexibility", "preloaded_docker_images", "preloaded_spark_versions",
}

// declarePools serves the Instance Pools API. A pool is ACTIVE from its
// creation and keeps min_idle_instances idle instances ready at once; its
// used_count is the nodes of the running clusters that name it. Edit
// replaces the editable fields and keeps the settled ones; the node type
// cannot change. Delete removes the pool.
func (e *Emulator) declarePools() {
	s := e.store("instance pools", storeOpts{
		noun:    "instance pool",
		idField: "instance_pool_id",
		ids:     idGen{next: func() string { return newPoolID(e) }},
		fields: map[string]fieldKind{
			"instance_pool_name": fString, "node_type_id": fString,
			"min_idle_instances": fInt, "max_capacity": fInt, "idle_instance_autotermination_minutes": fInt,
			"custom_tags": fObject, "enable_elastic_disk": fBool,
			"aws_attributes": fObject, "azure_attributes": fObject, "gcp_attributes": fObject,
			"disk_spec": fObject, "node_type_flexibility": fObject,
			"preloaded_spark_versions": fStrings, "preloaded_docker_images": fArray,
			"remote_disk_throughput": fInt, "total_initial_remote_disk_size": fInt,
		},
		required: []string{"instance_pool_name", "node_type_id"},
		unique:   []string{"instance_pool_name"},
		listKey:  "instance_pools",
		missing:  errSpec{status: http.StatusBadRequest, code: "INVALID_PARAMETER_VALUE", format: "Can't find an instance pool with id: %s."},
		exists:   errSpec{status: http.StatusBadRequest, code: "INVALID_PARAMETER_VALUE", format: "Instance pool with name %s already exists."},
		onCreate: func(o *op) *apiError {
			if aerr := poolRules(o); aerr != nil {
				return aerr
			}
			if versions, _ := o.r.in["preloaded_spark_versions"].([]string); len(versions) > 1 {
				return invalidParam("An instance pool can preload at most one Spark version.")
			}
			if _, ok := o.r.in["azure_attributes"]; !ok {
				o.r.set("azure_attributes", json.RawMessage(`{"availability":"ON_DEMAND_AZURE"}`))
			}
			o.r.set("default_tags", map[string]string{
				"Vendor":                          "Databricks",
				"DatabricksInstancePoolCreatorId": userID,
				"DatabricksInstancePoolId":        o.r.key,
			})
			return nil
		},
		onUpdate: func(o *op) *apiError {
			if aerr := poolRules(o); aerr != nil {
				return aerr
			}
			if now, was := o.r.str("node_type_id"), o.old.str("node_type_id"); now != was {
				return invalidParam("The node type of an instance pool cannot be changed: it is %s, got %s.", was, now)
			}
			for _, f := range poolSettledFields {
				if v, ok := o.old.in[f]; ok {
					o.r.in[f] = v
				} else {
					delete(o.r.in, f)
				}
			}
			return nil
		},
		view: func(r *resource) map[string]any { return e.poolView(r) },
	})
	s.create("POST", "/api/2.0/instance-pools/create")
	s.replace("POST", "/api/2.0/instance-pools/edit")
	s.get("GET", "/api/2.0/instance-pools/get")
	s.list("GET", "/api/2.0/instance-pools/list")
	s.delete("POST", "/api/2.0/instance-pools/delete")
}

// newPoolID makes an id shaped like Databricks' own,
// 1234-567890-abcd123-pool-12abcde3: the creation date and time, a word and
// a suffix.
func newPoolID(e *Emulator) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[rand.IntN(len(alphabet))]
		}
		return string(b)
	}
	return e.now().UTC().Format("0102-150405-") + word(7) + "-pool-" + word(8)
}

// poolRules checks what create and edit share.
func poolRules(o *op) *apiError {
	if n := utf8.RuneCountInString(o.r.str("instance_pool_name")); n > maxPoolNameLen {
		return invalidParam("Instance pool name must be between 1 and %d characters long, got %d.", maxPoolNameLen, n)
	}
	if id := o.r.str("node_type_id"); !knownNodeType(id) {
		return invalidParam("Node type %s is not supported.", id)
	}
	minIdle, _ := o.r.int("min_idle_instances")
	maxCap, capped := o.r.int("max_capacity")
	switch {
	case minIdle < 0:
		return invalidParam("min_idle_instances must not be negative, got %d.", minIdle)
	case capped && maxCap < 0:
		return invalidParam("max_capacity must not be negative, got %d.", maxCap)
	case capped && minIdle > maxCap:
		return invalidParam("min_idle_instances (%d) must not be greater than max_capacity (%d).", minIdle, maxCap)
	}
	if m, ok := o.r.int("idle_instance_autotermination_minutes"); ok && (m < 0 || m > maxPoolAutoterminate) {
		return invalidParam("idle_instance_autotermination_minutes must be between 0 and %d, got %d.", maxPoolAutoterminate, m)
	}
	if raw, ok := o.r.in["custom_tags"].(json.RawMessage); ok {
		var tags map[string]json.RawMessage
		_ = json.Unmarshal(raw, &tags) // its kind says it is an object
		if len(tags) > maxPoolCustomTags {
			return invalidParam("An instance pool can have at most %d custom tags, got %d.", maxPoolCustomTags, len(tags))
		}
	}
	return nil
}

func knownNodeType(id string) bool {
	for _, nt := range nodeTypes {
		if nt.id == id {
			return true
		}
	}
	return false
}

// poolView renders a pool with its state and counts: the idle instances it
// keeps, and the nodes of the clusters that use it (pending while the
// cluster starts, used while it runs).
func (e *Emulator) poolView(r *resource) map[string]any {
	v := r.fields()
	if _, ok := v["min_idle_instances"]; !ok {
		v["min_idle_instances"] = int64(0)
	}
	var used, pendingUsed int
	for _, c := range e.clusters {
		e.advance(c)
		workers := specStr(c.spec, "instance_pool_id") == r.key
		driver := specStr(c.spec, "driver_instance_pool_id") == r.key ||
			(workers && specStr(c.spec, "driver_instance_pool_id") == "")
		n := 0
		if driver {
			n++
		}
		if workers {
			n += c.target
		}
		switch c.state {
		case stateRunning, stateResizing:
			used += n
		case statePending, stateRestarting:
			pendingUsed += n
		}
	}
	idle, _ := r.int("min_idle_instances")
	if maxCap, ok := r.int("max_capacity"); ok {
		idle = max(min(idle, maxCap-int64(used+pendingUsed)), 0)
	}
	v["state"] = "ACTIVE"
	v["stats"] = map[string]any{
		"used_count": used, "idle_count": idle, "pending_used_count": pendingUsed, "pending_idle_count": 0,
	}
	v["status"] = map[string]any{}
	return v
}
