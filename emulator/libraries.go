package emulator

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

var _ = declareArea((*Emulator).declareLibraries)

// libraryKinds are the members of a Library, one of which each library
// sets.
var libraryKinds = []string{"cran", "egg", "jar", "maven", "pypi", "requirements", "whl"}

// clusterLibrary is one library asked for on one cluster.
type clusterLibrary struct {
	spec     json.RawMessage // as the client wrote it
	key      string          // canonical JSON, the library's identity
	kind     string
	added    time.Time
	removing time.Time // when uninstall marked it; zero when not marked
}

// clusterLibraries is the state of a cluster's entry in the library store.
type clusterLibraries struct {
	libs []*clusterLibrary
}

// declareLibraries serves the Libraries API. Libraries follow the cluster's
// state machine: on a cluster that is not running they are PENDING; once it
// runs they are PENDING for the first half of the install time, INSTALLING
// for the second and then INSTALLED, the install time being the cluster
// start delay, counted from the later of the install request and the
// cluster's last start. Uninstall marks a library UNINSTALL_ON_RESTART; the
// cluster's next start (a restart, or a start after termination) drops it.
// Python eggs fail on Databricks Runtime 14 and later, which does not
// support them.
func (e *Emulator) declareLibraries() {
	s := e.store("cluster libraries", storeOpts{noun: "cluster library set", idField: "cluster_id"})
	e.handle("POST", "/api/2.0/libraries/install", func(p *params) (any, *apiError) { return e.librariesInstall(s, p) })
	e.handle("POST", "/api/2.0/libraries/uninstall", func(p *params) (any, *apiError) { return e.librariesUninstall(s, p) })
	e.handle("GET", "/api/2.0/libraries/cluster-status", func(p *params) (any, *apiError) { return e.librariesClusterStatus(s, p) })
	e.handle("GET", "/api/2.0/libraries/all-cluster-statuses", func(*params) (any, *apiError) { return e.librariesAllStatuses(s), nil })
}

// readLibraries decodes and checks the request's libraries.
func readLibraries(p *params) ([]*clusterLibrary, *apiError) {
	raw, ok := p.raw("libraries")
	if !ok {
		return nil, missingField("libraries")
	}
	var specs []json.RawMessage
	if json.Unmarshal(raw, &specs) != nil {
		return nil, badType("libraries", "an array of libraries")
	}
	if len(specs) == 0 {
		return nil, invalidParam("libraries must name at least one library.")
	}
	out := make([]*clusterLibrary, 0, len(specs))
	for i, spec := range specs {
		lib, aerr := readLibrary(spec, i)
		if aerr != nil {
			return nil, aerr
		}
		out = append(out, lib)
	}
	return out, nil
}

func readLibrary(spec json.RawMessage, i int) (*clusterLibrary, *apiError) {
	var members map[string]json.RawMessage
	if json.Unmarshal(spec, &members) != nil || members == nil {
		return nil, invalidParam("libraries[%d] must be an object.", i)
	}
	var kinds []string
	for _, k := range libraryKinds {
		if v, ok := members[k]; ok && string(v) != "null" {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) != 1 {
		return nil, invalidParam("libraries[%d] must set exactly one of %s.", i, strings.Join(libraryKinds, ", "))
	}
	kind := kinds[0]
	switch kind {
	case "pypi", "cran", "maven":
		var pkg map[string]json.RawMessage
		if json.Unmarshal(members[kind], &pkg) != nil || pkg == nil {
			return nil, invalidParam("libraries[%d].%s must be an object.", i, kind)
		}
		name := "package"
		if kind == "maven" {
			name = "coordinates"
		}
		var v string
		if json.Unmarshal(pkg[name], &v) != nil || v == "" {
			return nil, invalidParam("libraries[%d].%s.%s is required.", i, kind, name)
		}
		if kind == "maven" && len(strings.Split(v, ":")) != 3 {
			return nil, invalidParam("Invalid maven coordinates %q: expected <groupId>:<artifactId>:<version>.", v)
		}
	default:
		var path string
		if json.Unmarshal(members[kind], &path) != nil || path == "" {
			return nil, invalidParam("libraries[%d].%s must be a non-empty path.", i, kind)
		}
	}
	var canon any
	_ = json.Unmarshal(spec, &canon)
	key, _ := json.Marshal(canon) // encoding/json sorts object keys
	return &clusterLibrary{spec: compactJSON(spec), key: string(key), kind: kind}, nil
}

func compactJSON(raw json.RawMessage) json.RawMessage {
	var v any
	_ = json.Unmarshal(raw, &v)
	b, _ := json.Marshal(v)
	return b
}

// libraries returns the library entry of cluster c, making it when create is
// set, after dropping the libraries a start has since uninstalled.
func (e *Emulator) libraries(s *store, c *cluster, create bool) *clusterLibraries {
	r := s.find(c.id)
	if r == nil {
		if !create {
			return nil
		}
		r = &resource{key: c.id, in: map[string]any{}, out: map[string]any{}, state: &clusterLibraries{}}
		s.byKey[c.id] = r
	}
	cl := r.state.(*clusterLibraries)
	started := lastStart(c)
	cl.libs = slices.DeleteFunc(cl.libs, func(l *clusterLibrary) bool {
		return !l.removing.IsZero() && started.After(l.removing)
	})
	return cl
}

// lastStart is when the cluster's current (or last) Spark context started:
// its latest RUNNING event.
func lastStart(c *cluster) time.Time {
	for i := len(c.events) - 1; i >= 0; i-- {
		if c.events[i].typ == "RUNNING" {
			return c.events[i].at
		}
	}
	return time.Time{}
}

func (e *Emulator) librariesInstall(s *store, p *params) (any, *apiError) {
	c, aerr := e.lookupCluster(p)
	if aerr != nil {
		return nil, aerr
	}
	libs, aerr := readLibraries(p)
	if aerr != nil {
		return nil, aerr
	}
	cl := e.libraries(s, c, true)
	now := e.now()
	for _, lib := range libs {
		i := slices.IndexFunc(cl.libs, func(l *clusterLibrary) bool { return l.key == lib.key })
		switch {
		case i < 0:
			lib.added = now
			cl.libs = append(cl.libs, lib)
		case !cl.libs[i].removing.IsZero():
			// Asked for again before the restart that would remove it: it stays.
			cl.libs[i].removing = time.Time{}
		}
	}
	return nil, nil
}

func (e *Emulator) librariesUninstall(s *store, p *params) (any, *apiError) {
	c, aerr := e.lookupCluster(p)
	if aerr != nil {
		return nil, aerr
	}
	libs, aerr := readLibraries(p)
	if aerr != nil {
		return nil, aerr
	}
	cl := e.libraries(s, c, false)
	if cl == nil {
		return nil, nil
	}
	now := e.now()
	for _, lib := range libs {
		for _, l := range cl.libs {
			if l.key == lib.key && l.removing.IsZero() {
				l.removing = now
			}
		}
	}
	return nil, nil
}

func (e *Emulator) librariesClusterStatus(s *store, p *params) (any, *apiError) {
	c, aerr := e.lookupCluster(p)
	if aerr != nil {
		return nil, aerr
	}
	return e.libraryStatuses(s, c), nil
}

func (e *Emulator) librariesAllStatuses(s *store) map[string]any {
	ids := make([]string, 0, len(s.byKey))
	for id := range s.byKey {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	statuses := []any{}
	for _, id := range ids {
		c, ok := e.clusters[id]
		if !ok {
			delete(s.byKey, id) // the cluster was deleted for good
			continue
		}
		e.advance(c)
		if st := e.libraryStatuses(s, c); st["library_statuses"] != nil {
			statuses = append(statuses, st)
		}
	}
	if len(statuses) == 0 {
		return nil
	}
	return map[string]any{"statuses": statuses}
}

// libraryStatuses reports a cluster's libraries: those to install in the
// order they were added, then those marked for removal.
func (e *Emulator) libraryStatuses(s *store, c *cluster) map[string]any {
	out := map[string]any{"cluster_id": c.id}
	cl := e.libraries(s, c, false)
	if cl == nil || len(cl.libs) == 0 {
		return out
	}
	var keep, removing []any
	for _, l := range cl.libs {
		status, messages := e.libraryStatus(c, l)
		st := map[string]any{"library": l.spec, "status": status, "is_library_for_all_clusters": false}
		if len(messages) > 0 {
			st["messages"] = messages
		}
		if l.removing.IsZero() {
			keep = append(keep, st)
		} else {
			removing = append(removing, st)
		}
	}
	out["library_statuses"] = append(keep, removing...)
	return out
}

func (e *Emulator) libraryStatus(c *cluster, l *clusterLibrary) (string, []string) {
	if !l.removing.IsZero() {
		return "UNINSTALL_ON_RESTART", nil
	}
	if c.state != stateRunning && c.state != stateResizing {
		return "PENDING", nil
	}
	from := l.added
	if s := lastStart(c); s.After(from) {
		from = s
	}
	d := e.opts.ClusterStartDelay
	switch elapsed := e.now().Sub(from); {
	case elapsed < d/2:
		return "PENDING", nil
	case elapsed < d:
		return "INSTALLING", nil
	}
	if l.kind == "egg" && runtimeMajor(specStr(c.spec, "spark_version")) >= 14 {
		return "FAILED", []string{"Python eggs are not supported on Databricks Runtime 14.0 and above; use a wheel (whl) or a PyPI package instead."}
	}
	return "INSTALLED", nil
}

// runtimeMajor is the major version of a runtime key such as
// 15.4.x-scala2.12; 0 when it has none.
func runtimeMajor(key string) int {
	head, _, _ := strings.Cut(key, ".")
	n, _ := strconv.Atoi(head)
	return n
}
