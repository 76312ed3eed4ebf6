package emulator

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// objectType is what the Permissions API knows of one request_object_type:
// its name in answers (object_type), the levels it takes, in the order
// permissionLevels lists them, and, where the emulator holds such objects,
// whether an id names one.
type objectType struct {
	singular string
	levels   []string
	exists   func(e *Emulator, id string) bool
}

// notebookLevels are the levels of workspace objects (notebooks, folders,
// files, repos) and of the SQL objects that share them.
var notebookLevels = []string{"CAN_READ", "CAN_RUN", "CAN_EDIT", "CAN_MANAGE"}

// objectTypes are the request_object_type values of the Permissions API,
// with the levels the Databricks access control documentation gives each.
// Objects of the types the emulator does not hold (pipelines, experiments,
// warehouses, ...) are taken to exist, whatever their id, until their
// areas are emulated.
var objectTypes = map[string]objectType{
	"clusters": {singular: "cluster", levels: []string{"CAN_MANAGE", "CAN_RESTART", "CAN_ATTACH_TO"},
		exists: func(e *Emulator, id string) bool { return e.clusters[id] != nil }},
	"cluster-policies": {singular: "cluster-policy", levels: []string{"CAN_USE"},
		exists: func(e *Emulator, id string) bool {
			s := e.stores["cluster policies"]
			return s == nil || s.find(id) != nil
		}},
	"instance-pools": {singular: "instance-pool", levels: []string{"CAN_MANAGE", "CAN_ATTACH_TO"},
		exists: func(e *Emulator, id string) bool {
			s := e.stores["instance pools"]
			return s == nil || s.find(id) != nil
		}},
	"jobs": {singular: "job", levels: []string{"CAN_MANAGE", "IS_OWNER", "CAN_MANAGE_RUN", "CAN_VIEW"},
		exists: func(e *Emulator, id string) bool {
			n, err := strconv.ParseInt(id, 10, 64)
			return err == nil && e.jobs != nil && e.jobs.jobs[n] != nil
		}},
	"pipelines":               {singular: "pipelines", levels: []string{"CAN_MANAGE", "IS_OWNER", "CAN_RUN", "CAN_VIEW"}},
	"notebooks":               {singular: "notebook", levels: notebookLevels, exists: wsObjectOf("NOTEBOOK")},
	"directories":             {singular: "directory", levels: notebookLevels, exists: wsObjectOf("DIRECTORY")},
	"files":                   {singular: "file", levels: notebookLevels, exists: wsObjectOf("FILE")},
	"repos":                   {singular: "repo", levels: notebookLevels, exists: wsObjectOf("REPO")},
	"experiments":             {singular: "mlflowExperiment", levels: []string{"CAN_MANAGE", "CAN_EDIT", "CAN_READ"}},
	"registered-models":       {singular: "registered-model", levels: []string{"CAN_MANAGE", "CAN_MANAGE_PRODUCTION_VERSIONS", "CAN_MANAGE_STAGING_VERSIONS", "CAN_EDIT", "CAN_READ"}},
	"serving-endpoints":       {singular: "serving-endpoint", levels: []string{"CAN_MANAGE", "CAN_QUERY", "CAN_VIEW"}},
	"warehouses":              {singular: "warehouses", levels: []string{"CAN_MANAGE", "IS_OWNER", "CAN_USE", "CAN_MONITOR", "CAN_VIEW"}},
	"queries":                 {singular: "query", levels: notebookLevels},
	"alerts":                  {singular: "alert", levels: notebookLevels},
	"alertsv2":                {singular: "alertv2", levels: notebookLevels},
	"dashboards":              {singular: "dashboard", levels: notebookLevels},
	"dbsql-dashboards":        {singular: "dbsql-dashboard", levels: notebookLevels},
	"genie":                   {singular: "genie", levels: []string{"CAN_MANAGE", "CAN_EDIT", "CAN_RUN", "CAN_VIEW"}},
	"vector-search-endpoints": {singular: "vector-search-endpoints", levels: []string{"CAN_MANAGE", "CAN_USE"}},
	"database-projects":       {singular: "database-project", levels: []string{"CAN_MANAGE", "CAN_USE"}},
	"knowledge-assistants":    {singular: "knowledge-assistant", levels: []string{"CAN_MANAGE", "CAN_QUERY"}},
	"supervisor-agents":       {singular: "supervisor-agent", levels: []string{"CAN_MANAGE", "CAN_QUERY"}},
	"authorization": {singular: "tokens", levels: []string{"CAN_MANAGE", "CAN_USE"},
		exists: func(_ *Emulator, id string) bool { return id == "tokens" || id == "passwords" }},
}

// wsObjectOf tells whether an id is the object_id of a workspace object of
// one type (the Permissions API names workspace objects by object id).
func wsObjectOf(objectType string) func(e *Emulator, id string) bool {
	return func(e *Emulator, id string) bool {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || e.ws == nil {
			return false
		}
		for _, node := range e.ws.byPath {
			if node.id == n && node.objectType == objectType {
				return true
			}
		}
		return false
	}
}

// levelWords turns CAN_MANAGE_RUN into "Can Manage Run", as permission
// level descriptions read.
func levelWords(level string) string {
	parts := strings.Split(strings.ToLower(level), "_")
	for i, w := range parts {
		parts[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(parts, " ")
}

func (e *Emulator) declarePermissions() {
	const path = "/api/2.0/permissions/{request_object_type}/{request_object_id}"
	e.handle("GET", path, func(p *params) (any, *apiError) {
		t, key, aerr := e.permissionObject(p)
		if aerr != nil {
			return nil, aerr
		}
		return e.permissionsView(t, key, p.path["request_object_type"], p.path["request_object_id"]), nil
	})
	e.handle("PUT", path, func(p *params) (any, *apiError) { return e.writePermissions(p, true) })
	e.handle("PATCH", path, func(p *params) (any, *apiError) { return e.writePermissions(p, false) })
	e.handle("GET", path+"/permissionLevels", func(p *params) (any, *apiError) {
		t, _, aerr := e.permissionObject(p)
		if aerr != nil {
			return nil, aerr
		}
		levels := t.levels
		if p.path["request_object_type"] == "authorization" && p.path["request_object_id"] == "passwords" {
			levels = []string{"CAN_USE"}
		}
		out := make([]any, len(levels))
		for i, l := range levels {
			out[i] = map[string]string{"permission_level": l, "description": levelWords(l) + " permission on " + t.singular}
		}
		return map[string]any{"permission_levels": out}, nil
	})
}

// permissionObject checks the object a permissions call names.
func (e *Emulator) permissionObject(p *params) (objectType, string, *apiError) {
	typ, id := p.path["request_object_type"], p.path["request_object_id"]
	t, ok := objectTypes[typ]
	if !ok {
		return objectType{}, "", invalidParam("Object type %s is not supported. Supported types: %s.", typ, strings.Join(slices.Sorted(maps.Keys(objectTypes)), ", "))
	}
	if t.exists != nil && !t.exists(e, id) {
		return objectType{}, "", errorf(http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "%s %s does not exist.", t.singular, id)
	}
	return t, typ + "/" + id, nil
}

// principalFields are the members of an access control entry that name
// its principal.
var principalFields = []string{"user_name", "group_name", "service_principal_name"}

// writePermissions serves set (replace the direct grants) and update (add
// or change grants).
func (e *Emulator) writePermissions(p *params, replace bool) (any, *apiError) {
	t, key, aerr := e.permissionObject(p)
	if aerr != nil {
		return nil, aerr
	}
	var entries []map[string]any
	if raw, ok := p.raw("access_control_list"); ok {
		var list []map[string]any
		if v, aerr := decodeAttr(fArray, "access_control_list", raw); aerr != nil {
			return nil, invalidParam("access_control_list must be an array of objects.")
		} else if arr, ok := v.([]any); ok {
			for _, it := range arr {
				m, ok := it.(map[string]any)
				if !ok {
					return nil, invalidParam("access_control_list must be an array of objects.")
				}
				list = append(list, m)
			}
		}
		entries = list
	}
	next := &acl{levels: map[string]string{}}
	if old := e.iam.acls[key]; old != nil && !replace {
		next.order = slices.Clone(old.order)
		for k, v := range old.levels {
			next.levels[k] = v
		}
	}
	for _, en := range entries {
		var who []string
		for _, f := range principalFields {
			if s, _ := en[f].(string); s != "" {
				who = append(who, f+":"+s)
			}
		}
		if len(who) != 1 {
			return nil, invalidParam("Each access control entry must name exactly one of user_name, group_name and service_principal_name.")
		}
		level, _ := en["permission_level"].(string)
		if level == "" {
			return nil, invalidParam("Missing required field: permission_level")
		}
		if !slices.Contains(t.levels, level) {
			return nil, invalidParam("Permission level %s is not supported for %s objects. Supported levels: %s.", level, t.singular, strings.Join(t.levels, ", "))
		}
		if aerr := e.checkPrincipal(who[0]); aerr != nil {
			return nil, aerr
		}
		if _, had := next.levels[who[0]]; !had {
			next.order = append(next.order, who[0])
		}
		next.levels[who[0]] = level
	}
	owners := 0
	for _, l := range next.levels {
		if l == "IS_OWNER" {
			owners++
		}
	}
	if owners > 1 {
		return nil, invalidParam("An object can have only one owner (IS_OWNER).")
	}
	e.iam.acls[key] = next
	typ, id, _ := strings.Cut(key, "/")
	return e.permissionsView(t, key, typ, id), nil
}

// checkPrincipal refuses a grant to a principal the workspace does not have.
func (e *Emulator) checkPrincipal(who string) *apiError {
	field, name, _ := strings.Cut(who, ":")
	kind, label := kindUser, "UserName"
	switch field {
	case "group_name":
		kind, label = kindGroup, "GroupName"
	case "service_principal_name":
		kind, label = kindSP, "ServicePrincipalName"
	}
	if e.iam.byName(kind, name) == nil {
		return invalidParam("Principal: %s(%s) does not exist", label, name)
	}
	return nil
}

// dropGrants removes a deleted principal's grants everywhere.
func (e *Emulator) dropGrants(pr *principal) {
	field := map[principalKind]string{kindUser: "user_name", kindGroup: "group_name", kindSP: "service_principal_name"}[pr.kind]
	who := field + ":" + pr.uniqueName()
	for _, a := range e.iam.acls {
		delete(a.levels, who)
		a.order = slices.DeleteFunc(a.order, func(k string) bool { return k == who })
	}
}

// permissionsView is an object's access control list: the direct grants,
// and admins' CAN_MANAGE inherited from the object type's root.
func (e *Emulator) permissionsView(t objectType, key, typ, id string) map[string]any {
	var list []any
	if a := e.iam.acls[key]; a != nil {
		for _, who := range a.order {
			field, name, _ := strings.Cut(who, ":")
			entry := map[string]any{field: name, "all_permissions": []any{
				map[string]any{"permission_level": a.levels[who], "inherited": false},
			}}
			if field != "group_name" {
				kind := kindUser
				if field == "service_principal_name" {
					kind = kindSP
				}
				if pr := e.iam.byName(kind, name); pr != nil && pr.str("displayName") != "" {
					entry["display_name"] = pr.str("displayName")
				}
			}
			list = append(list, entry)
		}
	}
	list = append(list, map[string]any{"group_name": "admins", "all_permissions": []any{
		map[string]any{"permission_level": "CAN_MANAGE", "inherited": true, "inherited_from_object": []string{"/" + typ + "/"}},
	}})
	return map[string]any{"object_id": "/" + typ + "/" + id, "object_type": t.singular, "access_control_list": list}
}
