package emulator

import (
	"cmp"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

var _ = declareArea((*Emulator).declareWarehouses)

// Warehouse states, as the SQL Warehouses API names them.
const (
	whStarting = "STARTING"
	whRunning  = "RUNNING"
	whStopping = "STOPPING"
	whStopped  = "STOPPED"
)

// Limits of a warehouse's configuration, as the API reference states them.
const (
	maxWarehouseNameLen = 100
	maxWarehouseTags    = 45
	maxWarehouseCluster = 40
	maxWarehouseMinimum = 30
	minWarehouseAutoMin = 10
)

// warehouseSizes are the cluster_size values Databricks accepts.
var warehouseSizes = []string{
	"2X-Small", "X-Small", "Small", "Medium", "Large", "X-Large", "2X-Large", "3X-Large", "4X-Large", "5X-Large",
}

// emulatorHost is the workspace host the emulator's connection details
// (jdbc_url, odbc_params) name; the emulator does not know the address it
// is served on.
const emulatorHost = "emulator.azuredatabricks.net"

// warehouse is a warehouse's live state, kept as its resource's state.
type warehouse struct {
	state string
	since time.Time
}

// declareWarehouses serves the SQL Warehouses API and the query history.
//
// A new warehouse starts at once: STARTING, then RUNNING after
// Options.ClusterStartDelay; stop makes it STOPPING, then STOPPED after
// ClusterStopDelay; a RUNNING warehouse stops by itself after auto_stop_mins
// without queries. Edit merges the fields it carries into the configuration
// (what it leaves out stays) and restarts a running warehouse whose compute
// changed. Delete removes it: get then answers 404. The workspace starts with
// no warehouse unless Options.StarterWarehouse asks for the RUNNING one new
// Databricks workspaces come with (serve --emulator does; tests mostly want
// an empty start).
func (e *Emulator) declareWarehouses() {
	s := e.store("sql warehouses", storeOpts{
		noun:    "warehouse",
		idField: "id",
		ids:     idGen{next: lowerHexID},
		fields: map[string]fieldKind{
			"name": fString, "cluster_size": fString, "min_num_clusters": fInt, "max_num_clusters": fInt,
			"auto_stop_mins": fInt, "enable_photon": fBool, "enable_serverless_compute": fBool,
			"warehouse_type": fString, "spot_instance_policy": fString, "channel": fObject, "tags": fObject,
			"creator_name": fString, "instance_profile_arn": fString,
		},
		required: []string{"name", "cluster_size"},
		unique:   []string{"name"},
		listKey:  "warehouses",
		paging:   paging{style: tokenPages},
		exists:   errSpec{status: http.StatusBadRequest, code: "INVALID_PARAMETER_VALUE", format: "Warehouse with name '%s' already exists."},
		onCreate: func(o *op) *apiError {
			if aerr := warehouseRules(o); aerr != nil {
				return aerr
			}
			o.r.in["creator_name"] = UserName
			o.r.state = &warehouse{state: whStarting, since: e.now()}
			return nil
		},
		onUpdate: func(o *op) *apiError {
			if aerr := warehouseRules(o); aerr != nil {
				return aerr
			}
			w := *e.warehouseState(o.old)
			if (w.state == whRunning || w.state == whStarting) && computeChanged(o.old, o.r) {
				w = warehouse{state: whStarting, since: e.now()}
			}
			o.r.state = &w
			return nil
		},
		view: e.warehouseView,
	})
	const base = "/api/2.0/sql/warehouses"
	s.create("POST", base)
	s.list("GET", base)
	s.get("GET", base+"/{id}")
	s.update("POST", base+"/{id}/edit", replying(replyEmpty))
	s.delete("DELETE", base+"/{id}")
	e.handle("POST", base+"/{id}/start", func(p *params) (any, *apiError) {
		r, aerr := s.lookup(p)
		if aerr != nil {
			return nil, aerr
		}
		if w := e.warehouseState(r); w.state == whStopped || w.state == whStopping {
			*w = warehouse{state: whStarting, since: e.now()}
		}
		return nil, nil
	})
	e.handle("POST", base+"/{id}/stop", func(p *params) (any, *apiError) {
		r, aerr := s.lookup(p)
		if aerr != nil {
			return nil, aerr
		}
		if w := e.warehouseState(r); w.state == whRunning || w.state == whStarting {
			*w = warehouse{state: whStopping, since: e.now()}
		}
		return nil, nil
	})
	e.declareQueryHistory()
}

// StarterWarehouseName names the warehouse Options.StarterWarehouse seeds.
const StarterWarehouseName = "Serverless Starter Warehouse"

// seedStarterWarehouse creates the starter warehouse through the API's own
// create handler (so it is checked as any other), RUNNING from the start;
// like Databricks' starter warehouse it is serverless and stops after 10
// idle minutes.
func (e *Emulator) seedStarterWarehouse() {
	body := `{"name":"` + StarterWarehouseName + `","cluster_size":"2X-Small","max_num_clusters":1,` +
		`"auto_stop_mins":10,"enable_serverless_compute":true,"warehouse_type":"PRO"}`
	r, err := http.NewRequest(http.MethodPost, "/api/2.0/sql/warehouses", strings.NewReader(body))
	if err != nil {
		panic(err) // a constant request
	}
	rt, vars := e.match(r.Method, r.URL.Path)
	p, aerr := readParams(r, vars)
	if aerr == nil {
		_, aerr = e.handleLocked(rt, p)
	}
	if aerr != nil {
		panic("emulator: seeding the starter warehouse: " + aerr.msg) // the create rules changed
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, res := range e.stores["sql warehouses"].byKey {
		*res.state.(*warehouse) = warehouse{state: whRunning, since: e.now()}
	}
}

// lowerHexID is a warehouse id: 16 lower-case hex digits.
func lowerHexID() string {
	const digits = "0123456789abcdef"
	b := make([]byte, 16)
	for i := range b {
		b[i] = digits[rand.IntN(16)]
	}
	return string(b)
}

// warehouseState brings a warehouse's state up to date and returns it: a
// transition that has completed by now is applied, dated when it happened.
func (e *Emulator) warehouseState(r *resource) *warehouse {
	w := r.state.(*warehouse)
	now := e.now()
	for {
		switch w.state {
		case whStarting:
			at := w.since.Add(e.opts.ClusterStartDelay)
			if now.Before(at) {
				return w
			}
			*w = warehouse{state: whRunning, since: at}
		case whStopping:
			at := w.since.Add(e.opts.ClusterStopDelay)
			if now.Before(at) {
				return w
			}
			*w = warehouse{state: whStopped, since: at}
		case whRunning:
			mins, ok := r.int("auto_stop_mins")
			if !ok {
				mins = 120
			}
			at := w.since.Add(time.Duration(mins) * time.Minute)
			if mins == 0 || now.Before(at) {
				return w
			}
			*w = warehouse{state: whStopping, since: at}
		default:
			return w
		}
	}
}

// warehouseView is a warehouse as get and list show it: the configuration
// with the workspace's defaults filled in, its state and its connection
// details.
func (e *Emulator) warehouseView(r *resource) map[string]any {
	m := r.fields()
	defaults := map[string]any{
		"min_num_clusters": int64(1), "auto_stop_mins": int64(120), "enable_photon": true,
		"enable_serverless_compute": false, "spot_instance_policy": "COST_OPTIMIZED",
		"channel": map[string]any{"name": "CHANNEL_NAME_CURRENT"}, "tags": map[string]any{},
	}
	for k, v := range defaults {
		if _, ok := m[k]; !ok {
			m[k] = v
		}
	}
	if _, ok := m["max_num_clusters"]; !ok {
		m["max_num_clusters"] = m["min_num_clusters"]
	}
	if _, ok := m["warehouse_type"]; !ok {
		m["warehouse_type"] = "CLASSIC"
		if m["enable_serverless_compute"] == true {
			m["warehouse_type"] = "PRO"
		}
	}
	w := e.warehouseState(r)
	m["state"] = w.state
	m["num_clusters"] = int64(0)
	m["num_active_sessions"] = int64(0)
	if w.state == whRunning {
		m["num_clusters"] = m["min_num_clusters"]
		m["health"] = map[string]any{"status": "HEALTHY"}
	}
	path := "/sql/1.0/warehouses/" + r.key
	m["jdbc_url"] = "jdbc:spark://" + emulatorHost + ":443/default;transportMode=http;ssl=1;AuthMech=3;httpPath=" + path + ";"
	m["odbc_params"] = map[string]any{"hostname": emulatorHost, "path": path, "port": int64(443), "protocol": "https"}
	return m
}

// computeChanged reports whether an edit changed what a running warehouse's
// clusters are, so that they restart.
func computeChanged(old, cur *resource) bool {
	for _, f := range []string{"cluster_size", "enable_photon", "enable_serverless_compute", "warehouse_type", "spot_instance_policy", "channel"} {
		a, _ := old.get(f)
		b, _ := cur.get(f)
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			return true
		}
	}
	return false
}

// warehouseRules checks a warehouse's configuration as create and edit
// leave it, with Databricks' limits.
func warehouseRules(o *op) *apiError {
	r := o.r
	if n := utf8.RuneCountInString(r.str("name")); n >= maxWarehouseNameLen {
		return invalidParam("Warehouse name must be less than %d characters, got %d.", maxWarehouseNameLen, n)
	}
	if size := r.str("cluster_size"); !slices.Contains(warehouseSizes, size) {
		return invalidParam("Invalid cluster_size '%s'; allowed values are %s.", size, strings.Join(warehouseSizes, ", "))
	}
	for f, allowed := range map[string][]string{
		"warehouse_type":       {"CLASSIC", "PRO", "TYPE_UNSPECIFIED"},
		"spot_instance_policy": {"COST_OPTIMIZED", "POLICY_UNSPECIFIED", "RELIABILITY_OPTIMIZED"},
	} {
		if v := r.str(f); v != "" && !slices.Contains(allowed, v) {
			return invalidParam("Invalid %s '%s'; allowed values are %s.", f, v, strings.Join(allowed, ", "))
		}
	}
	serverless, _ := r.get("enable_serverless_compute")
	if serverless == true && r.str("warehouse_type") == "CLASSIC" {
		return invalidParam("Serverless compute needs warehouse_type PRO.")
	}
	lo, hasLo := r.int("min_num_clusters")
	if !hasLo {
		lo = 1
	}
	hi, hasHi := r.int("max_num_clusters")
	if !hasHi {
		hi = lo
	}
	switch {
	case lo < 1:
		return invalidParam("min_num_clusters must be at least 1, got %d.", lo)
	case hi < lo:
		return invalidParam("max_num_clusters (%d) must be at least min_num_clusters (%d).", hi, lo)
	case hi > maxWarehouseCluster:
		return invalidParam("max_num_clusters must be at most %d, got %d.", maxWarehouseCluster, hi)
	case lo > maxWarehouseMinimum:
		return invalidParam("min_num_clusters must be at most %d, got %d.", maxWarehouseMinimum, lo)
	}
	if mins, ok := r.int("auto_stop_mins"); ok && mins != 0 && (mins < 0 || mins < minWarehouseAutoMin && serverless != true) {
		return invalidParam("auto_stop_mins must be 0 (no auto stop) or at least %d, got %d.", minWarehouseAutoMin, mins)
	}
	if raw, ok := r.in["tags"].(json.RawMessage); ok {
		var tags struct {
			CustomTags []json.RawMessage `json:"custom_tags"`
		}
		if json.Unmarshal(raw, &tags) != nil {
			return invalidParam("tags must be an object with a custom_tags array.")
		}
		if len(tags.CustomTags) >= maxWarehouseTags {
			return invalidParam("A warehouse takes fewer than %d custom tags, got %d.", maxWarehouseTags, len(tags.CustomTags))
		}
	}
	if raw, ok := r.in["channel"].(json.RawMessage); ok {
		var ch struct {
			Name *string `json:"name"`
		}
		if json.Unmarshal(raw, &ch) != nil {
			return invalidParam("channel must be an object.")
		}
		allowed := []string{"CHANNEL_NAME_CURRENT", "CHANNEL_NAME_CUSTOM", "CHANNEL_NAME_PREVIEW", "CHANNEL_NAME_PREVIOUS", "CHANNEL_NAME_UNSPECIFIED"}
		if ch.Name != nil && !slices.Contains(allowed, *ch.Name) {
			return invalidParam("Invalid channel.name '%s'; allowed values are %s.", *ch.Name, strings.Join(allowed, ", "))
		}
	}
	return nil
}

// Query history paging, as the API reference states it.
const (
	queryHistoryDefault = 100
	queryHistoryMax     = 1000
)

// declareQueryHistory serves the query history: a store without routes of
// its own, written by recordQuery and read newest first, filtered as
// filter_by says.
func (e *Emulator) declareQueryHistory() {
	h := e.store("query history", storeOpts{noun: "query", idField: "query_id"})
	e.handle("GET", "/api/2.0/sql/history/queries", func(p *params) (any, *apiError) {
		return e.listQueryHistory(h, p)
	})
}

// recordQuery appends a query to the history, for statement execution: q
// holds the QueryInfo members by their REST names (query_id,
// warehouse_id, status, query_text, query_start_time_ms, user_id, ...).
// A query_id already in the history is replaced, so a statement records
// itself again as its status changes; one without a query_id gets a UUID.
func (e *Emulator) recordQuery(q map[string]any) {
	h := e.stores["query history"]
	id, _ := q["query_id"].(string)
	if id == "" {
		id = newUUID()
	}
	r := &resource{key: id, in: map[string]any{}, out: map[string]any{}}
	for k, v := range q {
		if n, ok := v.(int); ok {
			v = int64(n) // the resource's integers are int64
		}
		r.in[k] = v
	}
	r.in["query_id"] = id
	if old := h.byKey[id]; old != nil {
		r.seq = old.seq
	} else {
		h.seq++
		r.seq = h.seq
	}
	h.byKey[id] = r
}

func (e *Emulator) listQueryHistory(h *store, p *params) (any, *apiError) {
	warehouses := p.query["filter_by.warehouse_ids"]
	statuses := p.query["filter_by.statuses"]
	statements := p.query["filter_by.statement_ids"]
	var users []int64
	for _, s := range p.query["filter_by.user_ids"] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, badType("filter_by.user_ids", "an array of integers")
		}
		users = append(users, n)
	}
	var from, to int64
	for name, dst := range map[string]*int64{
		"filter_by.query_start_time_range.start_time_ms": &from,
		"filter_by.query_start_time_range.end_time_ms":   &to,
	} {
		if v := p.query.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, badType(name, "an integer")
			}
			*dst = n
		}
	}
	size, present, aerr := p.int64("max_results")
	if aerr != nil {
		return nil, aerr
	}
	switch {
	case !present || size == 0:
		size = queryHistoryDefault
	case size < 0 || size >= queryHistoryMax:
		return nil, invalidParam("max_results must be between 1 and %d, got %d.", queryHistoryMax-1, size)
	}
	metrics, _, aerr := p.boolean("include_metrics")
	if aerr != nil {
		return nil, aerr
	}
	start := 0
	if tok := p.query.Get("page_token"); tok != "" {
		if start, aerr = parsePageToken(tok); aerr != nil {
			return nil, aerr
		}
	}

	var list []*resource
	for _, r := range h.byKey {
		uid, _ := r.int("user_id")
		t, _ := r.int("query_start_time_ms")
		switch {
		case len(warehouses) > 0 && !slices.Contains(warehouses, r.str("warehouse_id")):
		case len(statuses) > 0 && !slices.Contains(statuses, r.str("status")):
		case len(statements) > 0 && !slices.Contains(statements, r.key):
		case len(users) > 0 && !slices.Contains(users, uid):
		case from > 0 && t < from, to > 0 && t > to:
		default:
			list = append(list, r)
		}
	}
	slices.SortFunc(list, func(a, b *resource) int {
		ta, _ := a.int("query_start_time_ms")
		tb, _ := b.int("query_start_time_ms")
		return cmp.Or(cmp.Compare(tb, ta), cmp.Compare(b.seq, a.seq))
	})
	start = min(start, len(list))
	end := min(start+int(size), len(list))
	res := make([]map[string]any, 0, end-start)
	for _, r := range list[start:end] {
		m := r.fields()
		if !metrics {
			delete(m, "metrics")
		}
		res = append(res, m)
	}
	out := map[string]any{"res": res, "has_next_page": end < len(list)}
	if end < len(list) {
		out["next_page_token"] = pageToken(end)
	}
	return out, nil
}
