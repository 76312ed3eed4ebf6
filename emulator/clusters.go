package emulator

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

var _ = declareArea((*Emulator).declareClusters)

// declareClusters registers the Clusters API.
func (e *Emulator) declareClusters() {
	// Databricks serves the Clusters API under both 2.0 and 2.1; the SDK uses
	// 2.1 and much published material uses 2.0.
	for _, v := range []string{"2.0", "2.1"} {
		p := "/api/" + v + "/clusters/"
		e.handle("POST", p+"create", e.clustersCreate)
		e.handle("POST", p+"edit", e.clustersEdit)
		e.handle("POST", p+"update", e.clustersUpdate)
		e.handle("GET", p+"get", e.clustersGet)
		e.handle("GET", p+"list", e.clustersList)
		e.handle("POST", p+"start", e.clustersStart)
		e.handle("POST", p+"restart", e.clustersRestart)
		e.handle("POST", p+"resize", e.clustersResize)
		e.handle("POST", p+"delete", e.clustersDelete)
		e.handle("POST", p+"permanent-delete", e.clustersPermanentDelete)
		e.handle("POST", p+"pin", e.clustersPin)
		e.handle("POST", p+"unpin", e.clustersUnpin)
		e.handle("POST", p+"change-owner", e.clustersChangeOwner)
		e.handle("POST", p+"events", e.clustersEvents)
		e.handle("GET", p+"list-node-types", e.clustersListNodeTypes)
		e.handle("GET", p+"spark-versions", e.clustersSparkVersions)
		e.handle("GET", p+"list-zones", e.clustersListZones)
	}
}

// Cluster states (the API's State enum) used by the emulator.
const (
	statePending     = "PENDING"
	stateRunning     = "RUNNING"
	stateRestarting  = "RESTARTING"
	stateResizing    = "RESIZING"
	stateTerminating = "TERMINATING"
	stateTerminated  = "TERMINATED"
)

// allStates is the API's State enum, for validating list filters.
var allStates = []string{"ERROR", "PENDING", "RESIZING", "RESTARTING", "RUNNING", "TERMINATED", "TERMINATING", "UNKNOWN"}

// allSources is the API's ClusterSource enum.
var allSources = []string{"API", "JOB", "MODELS", "PIPELINE", "PIPELINE_MAINTENANCE", "SQL", "UI"}

// allEventTypes is the API's EventType enum, for validating event filters.
var allEventTypes = []string{
	"ADD_NODES_FAILED", "AUTOMATIC_CLUSTER_UPDATE", "AUTOSCALING_BACKOFF", "AUTOSCALING_FAILED",
	"AUTOSCALING_STATS_REPORT", "CLUSTER_MIGRATED", "CREATING", "DBFS_DOWN", "DECOMMISSION_ENDED",
	"DECOMMISSION_STARTED", "DEFERRED_POLICY_ENFORCEMENT_FAILED", "DEFERRED_POLICY_ENFORCEMENT_SCHEDULED",
	"DID_NOT_EXPAND_DISK", "DRIVER_HEALTHY", "DRIVER_NOT_RESPONDING", "DRIVER_UNAVAILABLE", "EDITED",
	"EXPANDED_DISK", "FAILED_TO_EXPAND_DISK", "INIT_SCRIPTS_FINISHED", "INIT_SCRIPTS_STARTED",
	"METASTORE_DOWN", "NODES_LOST", "NODE_BLACKLISTED", "NODE_EXCLUDED_DECOMMISSIONED", "PINNED",
	"RESIZING", "RESTARTING", "RUNNING", "SPARK_EXCEPTION", "STARTING", "TERMINATING",
	"UC_VOLUME_MISCONFIGURED", "UNPINNED", "UPSIZE_COMPLETED",
}

// Enums of cluster spec fields the emulator validates.
var (
	dataSecurityModes = []string{
		"DATA_SECURITY_MODE_AUTO", "DATA_SECURITY_MODE_DEDICATED", "DATA_SECURITY_MODE_STANDARD",
		"LEGACY_PASSTHROUGH", "LEGACY_SINGLE_USER", "LEGACY_SINGLE_USER_STANDARD", "LEGACY_TABLE_ACL",
		"NONE", "SINGLE_USER", "USER_ISOLATION",
	}
	runtimeEngines = []string{"NULL", "PHOTON", "STANDARD"}
)

// computedClusterFields are filled by the workspace; a client cannot set
// them through a create or edit spec.
var computedClusterFields = []string{
	"cluster_id", "creator_user_name", "cluster_source", "state", "state_message", "start_time",
	"terminated_time", "last_restarted_time", "last_state_loss_time", "termination_reason",
	"spark_context_id", "jdbc_port", "driver", "executors", "cluster_memory_mb", "cluster_cores",
	"default_tags", "pinned_by_user_name", "spec", "cluster_log_status", "last_activity_time",
}

type sparkNode struct {
	nodeID, instanceID, privateIP, hostPrivateIP string
	started                                      time.Time
}

func (n sparkNode) wire() map[string]any {
	return map[string]any{
		"node_id":         n.nodeID,
		"instance_id":     n.instanceID,
		"private_ip":      n.privateIP,
		"host_private_ip": n.hostPrivateIP,
		"start_timestamp": millis(n.started),
	}
}

type clusterEvent struct {
	at      time.Time
	typ     string
	details map[string]any
}

// cluster is the emulator's record of one cluster. spec holds every field
// the client sent in its last create or edit request, verbatim, so that
// fields the emulator does not know are echoed back like the real API does.
type cluster struct {
	id      string
	spec    map[string]json.RawMessage
	creator string
	source  string

	state        string
	since        time.Time // when the current state was entered
	stateMessage string

	startTime      time.Time
	terminatedTime time.Time
	lastRestarted  time.Time
	lastStateLoss  time.Time
	reason         map[string]any

	pinned    bool
	contextID int64
	driver    *sparkNode
	executors []sparkNode
	target    int // worker count the cluster is heading for
	ipSeq     int

	events []clusterEvent
}

func newClusterID(now time.Time) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	var b strings.Builder
	b.WriteString(now.UTC().Format("0102-150405-"))
	for range 8 {
		b.WriteByte(alphabet[rand.IntN(len(alphabet))])
	}
	return b.String()
}

func randomHex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[rand.IntN(16)]
	}
	return string(b)
}

// newSparkContextID returns an id above 2^53, as real ones are. It is odd,
// so no float64 holds it exactly: a client that decodes it as a float64
// always corrupts it, and its tests notice.
func newSparkContextID() int64 {
	return (1<<60 + rand.Int64N(1<<62)) | 1
}

func (c *cluster) newNode(at time.Time) sparkNode {
	c.ipSeq++
	return sparkNode{
		nodeID:        randomHex(32),
		instanceID:    randomHex(32),
		privateIP:     fmt.Sprintf("10.139.64.%d", 3+c.ipSeq%250),
		hostPrivateIP: fmt.Sprintf("10.139.0.%d", 3+c.ipSeq%250),
		started:       at,
	}
}

func (c *cluster) record(at time.Time, typ string, details map[string]any) {
	c.events = append(c.events, clusterEvent{at: at, typ: typ, details: details})
}

func (c *cluster) setState(state, msg string, at time.Time) {
	c.state, c.stateMessage, c.since = state, msg, at
}

// specInt reads an integer member of the spec.
func specInt(spec map[string]json.RawMessage, name string) (int64, bool) {
	raw, ok := spec[name]
	if !ok || string(raw) == "null" {
		return 0, false
	}
	n, err := parseInt(raw)
	return n, err == nil
}

func specStr(spec map[string]json.RawMessage, name string) string {
	var s string
	if raw, ok := spec[name]; ok {
		_ = json.Unmarshal(raw, &s)
	}
	return s
}

// specAutoscale reads the autoscale range of the spec.
func specAutoscale(spec map[string]json.RawMessage) (lo, hi int64, ok bool) {
	raw, present := spec["autoscale"]
	if !present || string(raw) == "null" {
		return 0, 0, false
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return 0, 0, false
	}
	lo, _ = specInt(obj, "min_workers")
	hi, _ = specInt(obj, "max_workers")
	return lo, hi, true
}

// desiredWorkers is the worker count a cluster of this spec runs with: the
// fixed size, or for autoscaling the current size clamped into the range
// (a new autoscaling cluster starts at its minimum).
func desiredWorkers(spec map[string]json.RawMessage, current int) int {
	if lo, hi, ok := specAutoscale(spec); ok {
		return int(min(max(int64(current), lo), hi))
	}
	n, _ := specInt(spec, "num_workers")
	return int(n)
}

func clusterSize(spec map[string]json.RawMessage) map[string]any {
	if raw, ok := spec["autoscale"]; ok && string(raw) != "null" {
		return map[string]any{"autoscale": raw}
	}
	n, _ := specInt(spec, "num_workers")
	return map[string]any{"num_workers": n}
}

// validateSize checks num_workers and autoscale of a spec or resize request.
func validateSize(p *params) *apiError {
	n, hasN, aerr := p.int64("num_workers")
	if aerr != nil {
		return aerr
	}
	as, hasAS, aerr := p.object("autoscale")
	if aerr != nil {
		return aerr
	}
	if hasN == hasAS {
		return invalidParam("Exactly 1 of virtual_cluster_size, num_workers or autoscale must be specified.")
	}
	if hasN && n < 0 {
		return invalidParam("num_workers must be a non-negative number, got %d.", n)
	}
	if hasAS {
		sub := &params{body: as}
		lo, hasLo, aerr := sub.int64("min_workers")
		if aerr != nil {
			return aerr
		}
		hi, hasHi, aerr := sub.int64("max_workers")
		if aerr != nil {
			return aerr
		}
		if !hasLo || !hasHi {
			return invalidParam("autoscale requires both min_workers and max_workers.")
		}
		if lo < 0 || hi < 1 || lo > hi {
			return invalidParam("Invalid autoscale range min_workers=%d, max_workers=%d: need 0 <= min_workers <= max_workers and max_workers >= 1.", lo, hi)
		}
	}
	return nil
}

// validateSpec checks a create or edit request and returns the spec to keep:
// every field the client sent except cluster_id and the computed fields.
func validateSpec(p *params) (map[string]json.RawMessage, *apiError) {
	if _, aerr := p.requiredStr("spark_version"); aerr != nil {
		return nil, aerr
	}
	if aerr := validateSize(p); aerr != nil {
		return nil, aerr
	}
	if m, has, aerr := p.int64("autotermination_minutes"); aerr != nil {
		return nil, aerr
	} else if has && m != 0 && (m < 10 || m > 10000) {
		return nil, invalidParam("autotermination_minutes must be 0 (disabled) or between 10 and 10000, got %d.", m)
	}
	if aerr := checkEnum(p, "data_security_mode", dataSecurityModes); aerr != nil {
		return nil, aerr
	}
	if aerr := checkEnum(p, "runtime_engine", runtimeEngines); aerr != nil {
		return nil, aerr
	}
	for _, name := range []string{"cluster_name", "node_type_id", "driver_node_type_id", "policy_id", "instance_pool_id", "single_user_name"} {
		if _, aerr := p.str(name); aerr != nil {
			return nil, aerr
		}
	}
	spec := make(map[string]json.RawMessage, len(p.body))
	for k, v := range p.body {
		spec[k] = v
	}
	for _, k := range computedClusterFields {
		delete(spec, k)
	}
	return spec, nil
}

func checkEnum(p *params, name string, allowed []string) *apiError {
	v, aerr := p.str(name)
	if aerr != nil {
		return aerr
	}
	if v != "" && !oneOf(v, allowed...) {
		return invalidParam("Invalid %s '%s'; allowed values are %s.", name, v, strings.Join(allowed, ", "))
	}
	return nil
}

// advance applies the transition a cluster has completed by now, if any:
// PENDING, RESTARTING and RESIZING end in RUNNING after the start delay,
// TERMINATING ends in TERMINATED after the stop delay. The transition is
// dated when it happened, not when it was noticed.
func (e *Emulator) advance(c *cluster) {
	now := e.now()
	switch c.state {
	case statePending, stateRestarting, stateResizing:
		at := c.since.Add(e.opts.ClusterStartDelay)
		if now.Before(at) {
			return
		}
		e.becomeRunning(c, at)
	case stateTerminating:
		at := c.since.Add(e.opts.ClusterStopDelay)
		if now.Before(at) {
			return
		}
		c.driver, c.executors = nil, nil
		c.terminatedTime = at
		c.setState(stateTerminated, c.stateMessage, at)
	}
}

func (e *Emulator) becomeRunning(c *cluster, at time.Time) {
	from := c.state
	current := len(c.executors)
	switch from {
	case stateResizing:
		for len(c.executors) < c.target {
			c.executors = append(c.executors, c.newNode(at))
		}
		c.executors = c.executors[:c.target]
		if c.target > current {
			c.record(at, "UPSIZE_COMPLETED", map[string]any{
				"current_num_workers": c.target,
				"target_num_workers":  c.target,
			})
		}
	default: // PENDING or RESTARTING: a fresh driver, executors and Spark context
		d := c.newNode(at)
		c.driver = &d
		c.executors = nil
		for range c.target {
			c.executors = append(c.executors, c.newNode(at))
		}
		c.contextID = newSparkContextID()
		if from == stateRestarting {
			c.lastRestarted = at
		}
		c.record(at, "DRIVER_HEALTHY", map[string]any{})
		c.record(at, "RUNNING", map[string]any{
			"current_num_workers": c.target,
			"target_num_workers":  c.target,
		})
	}
	c.setState(stateRunning, "", at)
}

// lookupCluster finds the cluster named by cluster_id and brings its state
// up to date. Databricks answers an unknown id with 400
// INVALID_PARAMETER_VALUE, not 404.
func (e *Emulator) lookupCluster(p *params) (*cluster, *apiError) {
	id, aerr := p.requiredStr("cluster_id")
	if aerr != nil {
		return nil, aerr
	}
	c, ok := e.clusters[id]
	if !ok {
		return nil, invalidParam("Cluster %s does not exist", id)
	}
	e.advance(c)
	return c, nil
}

// unexpectedState is the error Databricks gives for an operation the
// cluster's state does not allow ("... is in unexpected state Running.").
func unexpectedState(c *cluster) *apiError {
	s := strings.ToLower(c.state)
	return invalidState("Cluster %s is in unexpected state %s.", c.id, strings.ToUpper(s[:1])+s[1:])
}

func (e *Emulator) clustersCreate(p *params) (any, *apiError) {
	spec, aerr := validateSpec(p)
	if aerr != nil {
		return nil, aerr
	}
	now := e.now()
	id := newClusterID(now)
	for e.clusters[id] != nil {
		id = newClusterID(now)
	}
	c := &cluster{
		id:        id,
		spec:      spec,
		creator:   UserName,
		source:    "API",
		startTime: now,
		target:    desiredWorkers(spec, 0),
	}
	c.setState(statePending, "Finding instances for new nodes, acquiring more instances if necessary", now)
	c.record(now, "CREATING", map[string]any{
		"user":         UserName,
		"cluster_size": clusterSize(spec),
		"attributes":   attributes(spec),
	})
	e.clusters[id] = c
	e.advance(c)
	return map[string]any{"cluster_id": id}, nil
}

// attributes is the spec as cluster events report it, without the size.
func attributes(spec map[string]json.RawMessage) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(spec))
	for k, v := range spec {
		if k != "num_workers" && k != "autoscale" {
			out[k] = v
		}
	}
	return out
}

func (e *Emulator) clustersEdit(p *params) (any, *apiError) {
	c, aerr := e.lookupCluster(p)
	if aerr != nil {
		return nil, aerr
	}
	spec, aerr := validateSpec(p)
	if aerr != nil {
		return nil, aerr
	}
	return nil, e.applySpec(c, spec)
}

// applySpec replaces the spec of a RUNNING or TERMINATED cluster, the only
// states in which Databricks accepts an edit. A running cluster restarts
// to pick up the new spec.
func (e *Emulator) applySpec(c *cluster, spec map[string]json.RawMessage) *apiError {
	if c.state != stateRunning && c.state != stateTerminated {
		return unexpectedState(c)
	}
	now := e.now()
	c.record(now, "EDITED", map[string]any{
		"user":                  UserName,
		"attributes":            attributes(spec),
		"previous_attributes":   attributes(c.spec),
		"cluster_size":          clusterSize(spec),
		"previous_cluster_size": clusterSize(c.spec),
	})
	c.spec = spec
	c.target = desiredWorkers(spec, len(c.executors))
	if c.state == stateRunning {
		c.record(now, "RESTARTING", map[string]any{"user": UserName})
		c.setState(stateRestarting, "Restarting the cluster to apply the new configuration.", now)
		e.advance(c)
	}
	return nil
}

// clustersUpdate changes the fields named in update_mask, taking their
// values from the cluster object; "*" replaces the whole spec.
func (e *Emulator) clustersUpdate(p *params) (any, *apiError) {
	c, aerr := e.lookupCluster(p)
	if aerr != nil {
		return nil, aerr
	}
	mask, aerr := p.requiredStr("update_mask")
	if aerr != nil {
		return nil, aerr
	}
	obj, _, aerr := p.object("cluster")
	if aerr != nil {
		return nil, aerr
	}
	spec := make(map[string]json.RawMessage, len(c.spec))
	if mask != "*" {
		for k, v := range c.spec {
			spec[k] = v
		}
	}
	fields := strings.Split(mask, ",")
	if mask == "*" {
		fields = fields[:0]
		for k := range obj {
			fields = append(fields, k)
		}
		spec["spark_version"] = c.spec["spark_version"]
	}
	for _, f := range fields {
		// The emulator replaces whole top-level fields; a mask naming a
		// sub-field is refused rather than half applied.
		if f == "" || strings.Contains(f, ".") {
			return nil, invalidParam("Invalid update_mask entry '%s': name top-level cluster fields, separated by commas.", f)
		}
		top := f
		if oneOf(top, computedClusterFields...) {
			return nil, invalidParam("Field '%s' cannot be updated.", top)
		}
		if v, ok := obj[top]; ok && string(v) != "null" {
			spec[top] = v
		} else {
			delete(spec, top)
		}
		// A cluster is sized by exactly one of the two fields.
		switch top {
		case "num_workers":
			if _, ok := spec["num_workers"]; ok {
				delete(spec, "autoscale")
			}
		case "autoscale":
			if _, ok := spec["autoscale"]; ok {
				delete(spec, "num_workers")
			}
		}
	}
	check, aerr := validateSpec(&params{body: spec})
	if aerr != nil {
		return nil, aerr
	}
	return nil, e.applySpec(c, check)
}

func (e *Emulator) clustersGet(p *params) (any, *apiError) {
	c, aerr := e.lookupCluster(p)
	if aerr != nil {
		return nil, aerr
	}
	return c.wire(), nil
}

func (e *Emulator) clustersStart(p *params) (any, *apiError) {
	c, aerr := e.lookupCluster(p)
	if aerr != nil {
		return nil, aerr
	}
	if c.state != stateTerminated {
		return nil, unexpectedState(c)
	}
	now := e.now()
	c.startTime = now
	c.reason = nil
	c.target = desiredWorkers(c.spec, 0)
	c.record(now, "STARTING", map[string]any{"user": UserName})
	c.setState(statePending, "Finding instances for new nodes, acquiring more instances if necessary", now)
	e.advance(c)
	return nil, nil
}

func (e *Emulator) clustersRestart(p *params) (any, *apiError) {
	c, aerr := e.lookupCluster(p)
	if aerr != nil {
		return nil, aerr
	}
	if c.state != stateRunning {
		return nil, unexpectedState(c)
	}
	now := e.now()
	c.record(now, "RESTARTING", map[string]any{"user": UserName})
	c.setState(stateRestarting, "Restarting Spark.", now)
	e.advance(c)
	return nil, nil
}

func (e *Emulator) clustersResize(p *params) (any, *apiError) {
	c, aerr := e.lookupCluster(p)
	if aerr != nil {
		return nil, aerr
	}
	if aerr := validateSize(p); aerr != nil {
		return nil, aerr
	}
	if c.state != stateRunning {
		return nil, unexpectedState(c)
	}
	spec := make(map[string]json.RawMessage, len(c.spec))
	for k, v := range c.spec {
		spec[k] = v
	}
	if raw, ok := p.raw("autoscale"); ok {
		spec["autoscale"] = raw
		delete(spec, "num_workers")
	} else {
		raw, _ := p.raw("num_workers")
		spec["num_workers"] = raw
		delete(spec, "autoscale")
	}
	now := e.now()
	current := len(c.executors)
	c.record(now, "RESIZING", map[string]any{
		"user":                  UserName,
		"cause":                 "USER_REQUEST",
		"current_num_workers":   current,
		"target_num_workers":    desiredWorkers(spec, current),
		"cluster_size":          clusterSize(spec),
		"previous_cluster_size": clusterSize(c.spec),
	})
	c.spec = spec
	c.target = desiredWorkers(spec, current)
	c.setState(stateResizing, fmt.Sprintf("Resizing cluster from %d to %d workers.", current, c.target), now)
	e.advance(c)
	return nil, nil
}

// clustersDelete terminates a cluster; it is a no-op for a cluster already
// terminating or terminated.
func (e *Emulator) clustersDelete(p *params) (any, *apiError) {
	c, aerr := e.lookupCluster(p)
	if aerr != nil {
		return nil, aerr
	}
	e.terminate(c)
	return nil, nil
}

func (e *Emulator) terminate(c *cluster) {
	if c.state == stateTerminating || c.state == stateTerminated {
		return
	}
	now := e.now()
	c.reason = map[string]any{
		"code":       "USER_REQUEST",
		"type":       "SUCCESS",
		"parameters": map[string]string{"username": UserName},
	}
	c.record(now, "TERMINATING", map[string]any{"user": UserName, "reason": c.reason})
	c.setState(stateTerminating, "Termination requested by "+UserName, now)
	e.advance(c)
}

func (e *Emulator) clustersPermanentDelete(p *params) (any, *apiError) {
	c, aerr := e.lookupCluster(p)
	if aerr != nil {
		return nil, aerr
	}
	delete(e.clusters, c.id)
	return nil, nil
}

func (e *Emulator) clustersPin(p *params) (any, *apiError) {
	c, aerr := e.lookupCluster(p)
	if aerr != nil {
		return nil, aerr
	}
	if !c.pinned {
		c.pinned = true
		c.record(e.now(), "PINNED", map[string]any{"user": UserName})
	}
	return nil, nil
}

func (e *Emulator) clustersUnpin(p *params) (any, *apiError) {
	c, aerr := e.lookupCluster(p)
	if aerr != nil {
		return nil, aerr
	}
	if c.pinned {
		c.pinned = false
		c.record(e.now(), "UNPINNED", map[string]any{"user": UserName})
	}
	return nil, nil
}

func (e *Emulator) clustersChangeOwner(p *params) (any, *apiError) {
	c, aerr := e.lookupCluster(p)
	if aerr != nil {
		return nil, aerr
	}
	owner, aerr := p.requiredStr("owner_username")
	if aerr != nil {
		return nil, aerr
	}
	c.creator = owner
	return nil, nil
}

// wire renders the cluster as ClusterDetails: the spec as sent, server-side
// defaults for fields the client left out, then the computed fields.
func (c *cluster) wire() map[string]any {
	out := make(map[string]any, len(c.spec)+24)
	for k, v := range c.spec {
		out[k] = v
	}
	nodeTypeID := specStr(c.spec, "node_type_id")
	if _, ok := out["driver_node_type_id"]; !ok && nodeTypeID != "" {
		out["driver_node_type_id"] = nodeTypeID
	}
	_, aws := out["aws_attributes"]
	_, gcp := out["gcp_attributes"]
	if _, ok := out["azure_attributes"]; !ok && !aws && !gcp {
		out["azure_attributes"] = map[string]any{
			"first_on_demand":    1,
			"availability":       "ON_DEMAND_AZURE",
			"spot_bid_max_price": -1,
		}
	}
	defaults := map[string]any{
		"enable_elastic_disk":          true,
		"enable_local_disk_encryption": false,
		"disk_spec":                    map[string]any{},
		"init_scripts_safe_mode":       false,
	}
	for k, v := range defaults {
		if _, ok := out[k]; !ok {
			out[k] = v
		}
	}

	name := specStr(c.spec, "cluster_name")
	out["cluster_id"] = c.id
	out["creator_user_name"] = c.creator
	out["cluster_source"] = c.source
	out["default_tags"] = map[string]string{
		"Vendor":      "Databricks",
		"Creator":     c.creator,
		"ClusterName": name,
		"ClusterId":   c.id,
	}
	out["state"] = c.state
	out["state_message"] = c.stateMessage
	out["start_time"] = millis(c.startTime)
	out["jdbc_port"] = 10000
	out["spec"] = c.spec
	out["last_state_loss_time"] = int64(0)
	if !c.lastStateLoss.IsZero() {
		out["last_state_loss_time"] = millis(c.lastStateLoss)
	}
	if !c.lastRestarted.IsZero() {
		out["last_restarted_time"] = millis(c.lastRestarted)
	}
	if c.state == stateTerminated && !c.terminatedTime.IsZero() {
		out["terminated_time"] = millis(c.terminatedTime)
	}
	if c.reason != nil && (c.state == stateTerminating || c.state == stateTerminated) {
		out["termination_reason"] = c.reason
	}
	if c.pinned {
		out["pinned_by_user_name"] = userID
	}
	if c.contextID != 0 {
		out["spark_context_id"] = c.contextID
	}
	if c.driver != nil {
		out["driver"] = c.driver.wire()
		execs := make([]any, len(c.executors))
		for i, n := range c.executors {
			execs[i] = n.wire()
		}
		if len(execs) > 0 {
			out["executors"] = execs
		}
		nt, _ := findNodeType(nodeTypeID)
		nodes := int64(len(c.executors) + 1)
		out["cluster_memory_mb"] = nt.memoryMB * nodes
		out["cluster_cores"] = float64(int64(nt.cores) * nodes)
	}
	return out
}
