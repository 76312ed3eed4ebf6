package emulator

import (
	"cmp"
	"encoding/json"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// This file is the Unity Catalog metastore: catalogs, schemas, tables,
// volumes and functions under /api/2.1/unity-catalog/. (catalog.go is
// something else: the node-type catalog of the Clusters API.)
//
// Each kind of securable lives in a generic store keyed by its full name in
// lower case (Unity Catalog names are case-insensitive and stored so), its
// fields being the wire view itself. The handlers are written here rather
// than taken from the store, since every operation checks the parents
// (CATALOG_DOES_NOT_EXIST, SCHEMA_DOES_NOT_EXIST), lists filter by parent
// and deletes refuse a non-empty parent without force.
//
// A new workspace holds:
//   - catalog main, with schemas default and information_schema, and one
//     SQL function main.default.to_fahrenheit;
//   - catalog samples (a Delta Sharing catalog, as Databricks serves it),
//     with schema nyctaxi and its table trips (the real sample's columns,
//     fifty rows in the SQL engine) and schema tpch with its table nation
//     (TPC-H's 25 nations);
//   - no system catalog (its tables are not emulated).
//
// A table cannot be created over REST (only by SQL): tables are seeded, and
// ucPutTable lets the SQL engine register the ones it creates. Deleting a
// table, or a schema or catalog with force, drops the engine's tables too.
//
// Lists page as the API reference describes max_results: absent, every
// item at once (the reference's "not recommended"); 0, the server's page
// size (ucServerPageSize); more, that many cut to the server's page size;
// negative, INVALID_PARAMETER_VALUE.

var _ = declareArea((*Emulator).declareUnityCatalog)

const (
	ucMetastoreID = "1f8e2c3a-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
	// ucStorageRoot is the metastore's root, on the Azure storage the
	// emulator plays.
	ucStorageRoot = "abfss://unity-catalog@emulatormetastore.dfs.core.windows.net/" + ucMetastoreID
	// ucServerPageSize is the largest page a list answers when max_results
	// is given (the API reference says 10000 for volumes and summaries).
	ucServerPageSize = 10000
)

const (
	ucCatalogs  = "uc catalogs"
	ucSchemas   = "uc schemas"
	ucTables    = "uc tables"
	ucVolumes   = "uc volumes"
	ucFunctions = "uc functions"
)

func (e *Emulator) declareUnityCatalog() {
	for name, noun := range map[string]string{ucCatalogs: "catalog", ucSchemas: "schema", ucTables: "table", ucVolumes: "volume", ucFunctions: "function"} {
		e.store(name, storeOpts{noun: noun, idField: "full_name"})
	}
	const base = "/api/2.1/unity-catalog"
	e.handle("GET", base+"/catalogs", e.ucListCatalogs)
	e.handle("POST", base+"/catalogs", e.ucCreateCatalog)
	e.handle("GET", base+"/catalogs/{name}", e.ucGetCatalog)
	e.handle("DELETE", base+"/catalogs/{name}", e.ucDeleteCatalog)

	e.handle("GET", base+"/schemas", e.ucListSchemas)
	e.handle("POST", base+"/schemas", e.ucCreateSchema)
	e.handle("GET", base+"/schemas/{full_name}", e.ucGetSchema)
	e.handle("DELETE", base+"/schemas/{full_name}", e.ucDeleteSchema)

	e.handle("GET", base+"/tables", e.ucListTables)
	e.handle("GET", base+"/table-summaries", e.ucListTableSummaries)
	e.handle("GET", base+"/tables/{full_name}", e.ucGetTable)
	e.handle("GET", base+"/tables/{full_name}/exists", e.ucTableExists)
	e.handle("DELETE", base+"/tables/{full_name}", e.ucDeleteTable)

	e.handle("GET", base+"/volumes", e.ucListVolumes)
	e.handle("POST", base+"/volumes", e.ucCreateVolume)
	e.handle("GET", base+"/volumes/{name}", e.ucReadVolume)
	e.handle("DELETE", base+"/volumes/{name}", e.ucDeleteVolume)

	e.handle("GET", base+"/functions", e.ucListFunctions)
	e.handle("GET", base+"/functions/{name}", e.ucGetFunction)

	e.ucSeed()
}

// Errors, as Databricks names them.

func ucNoCatalog(name string) *apiError {
	return errorf(http.StatusNotFound, "CATALOG_DOES_NOT_EXIST", "Catalog '%s' does not exist.", name)
}

func ucNoSchema(full string) *apiError {
	return errorf(http.StatusNotFound, "SCHEMA_DOES_NOT_EXIST", "Schema '%s' does not exist.", full)
}

func ucNoTable(full string) *apiError {
	return errorf(http.StatusNotFound, "TABLE_DOES_NOT_EXIST", "Table '%s' does not exist.", full)
}

func ucNoVolume(full string) *apiError {
	return errorf(http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "Volume '%s' does not exist.", full)
}

func ucNoFunction(full string) *apiError {
	return errorf(http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "Routine or Model '%s' does not exist.", full)
}

// ucNameRE is what a securable's own name may be: Unity Catalog refuses
// periods, spaces, slashes and control characters. Compiled on first use:
// its bounded repetition makes it the costliest of the package's
// expressions, and most processes never check a name.
var ucNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[^.\s/\x00-\x1f]{1,255}$`) })

func ucName(p *params, field string) (string, *apiError) {
	n, aerr := p.requiredStr(field)
	if aerr != nil {
		return "", aerr
	}
	if !ucNameRE().MatchString(n) {
		return "", invalidParam("Invalid %s '%s': a name may not contain periods, spaces, slashes or control characters.", field, n)
	}
	return strings.ToLower(n), nil
}

// ucFullName reads a full name of want parts (2: schema, 3: table, volume,
// function) from the path, lower-cased.
func ucFullName(p *params, field string, want int) (string, []string, *apiError) {
	v, aerr := p.requiredStr(field)
	if aerr != nil {
		return "", nil, aerr
	}
	v = strings.ToLower(v)
	parts := strings.Split(v, ".")
	if len(parts) != want || slices.Contains(parts, "") {
		return "", nil, invalidParam("Invalid %s '%s': expected %d names separated by periods.", field, v, want)
	}
	return v, parts, nil
}

func (e *Emulator) ucStore(name string) *store { return e.stores[name] }

func (e *Emulator) ucFind(storeName, key string) map[string]any {
	if r := e.ucStore(storeName).find(key); r != nil {
		return r.in
	}
	return nil
}

func (e *Emulator) ucPut(storeName, key string, m map[string]any) {
	s := e.ucStore(storeName)
	m["full_name"] = key
	if old := s.byKey[key]; old != nil {
		old.in = m
		return
	}
	s.seq++
	s.byKey[key] = &resource{key: key, seq: s.seq, in: m, out: map[string]any{}}
}

// ucChildren lists a store's items whose fields match want, by name.
func (e *Emulator) ucChildren(storeName string, want map[string]string) []map[string]any {
	var out []map[string]any
	for _, r := range e.ucStore(storeName).byKey {
		ok := true
		for k, v := range want {
			if s, _ := r.in[k].(string); s != v {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, r.in)
		}
	}
	slices.SortFunc(out, func(a, b map[string]any) int {
		return cmp.Compare(a["full_name"].(string), b["full_name"].(string))
	})
	return out
}

// ucDeleteWhere removes a store's items whose field has value v.
func (e *Emulator) ucDeleteWhere(storeName, field, v string) {
	maps.DeleteFunc(e.ucStore(storeName).byKey, func(_ string, r *resource) bool { return r.in[field] == v })
}

// ucPage answers one page of items under listKey (see the file comment).
func ucPage(p *params, listKey string, items []map[string]any, view func(map[string]any) map[string]any) (any, *apiError) {
	n, present, aerr := p.int64("max_results")
	if aerr != nil {
		return nil, aerr
	}
	if n < 0 {
		return nil, invalidParam("max_results must be greater than or equal to 0, got %d.", n)
	}
	size := len(items)
	if present {
		size = ucServerPageSize
		if n > 0 {
			size = int(min(n, ucServerPageSize))
		}
	}
	from := 0
	if tok, _ := p.str("page_token"); tok != "" {
		if from, aerr = parsePageToken(tok); aerr != nil {
			return nil, aerr
		}
	}
	from = min(from, len(items))
	end := min(from+size, len(items))
	page := make([]any, 0, end-from)
	for _, it := range items[from:end] {
		if view != nil {
			page = append(page, view(it))
		} else {
			page = append(page, it)
		}
	}
	out := map[string]any{}
	if len(page) > 0 {
		out[listKey] = page
	}
	if end < len(items) {
		out["next_page_token"] = pageToken(end)
	}
	return out, nil
}

// ucStamp sets the fields every new securable has.
func (e *Emulator) ucStamp(m map[string]any) {
	now := millis(e.now())
	m["owner"] = UserName
	m["metastore_id"] = ucMetastoreID
	m["created_at"], m["created_by"] = now, UserName
	m["updated_at"], m["updated_by"] = now, UserName
}

// optStrings copies the optional string fields the request carries.
func optStrings(p *params, m map[string]any, fields ...string) *apiError {
	for _, f := range fields {
		v, aerr := p.str(f)
		if aerr != nil {
			return aerr
		}
		if v != "" {
			m[f] = v
		}
	}
	return nil
}

func optProperties(p *params, m map[string]any, fields ...string) *apiError {
	for _, f := range fields {
		obj, present, aerr := p.object(f)
		if aerr != nil {
			return aerr
		}
		if !present {
			continue
		}
		props := map[string]any{}
		for k, raw := range obj {
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return badType(f+"."+k, "a string")
			}
			props[k] = s
		}
		m[f] = props
	}
	return nil
}

// Catalogs.

func (e *Emulator) ucListCatalogs(p *params) (any, *apiError) {
	return ucPage(p, "catalogs", e.ucChildren(ucCatalogs, nil), nil)
}

func (e *Emulator) ucGetCatalog(p *params) (any, *apiError) {
	name := strings.ToLower(p.path["name"])
	c := e.ucFind(ucCatalogs, name)
	if c == nil {
		return nil, ucNoCatalog(name)
	}
	return c, nil
}

func (e *Emulator) ucCreateCatalog(p *params) (any, *apiError) {
	name, aerr := ucName(p, "name")
	if aerr != nil {
		return nil, aerr
	}
	if e.ucFind(ucCatalogs, name) != nil {
		return nil, errorf(http.StatusConflict, "CATALOG_ALREADY_EXISTS", "Catalog '%s' already exists.", name)
	}
	c := map[string]any{"name": name, "securable_type": "CATALOG", "isolation_mode": "OPEN",
		"enable_predictive_optimization": "INHERIT", "browse_only": false}
	if aerr := optStrings(p, c, "comment", "storage_root", "connection_name", "provider_name", "share_name"); aerr != nil {
		return nil, aerr
	}
	if aerr := optProperties(p, c, "properties", "options"); aerr != nil {
		return nil, aerr
	}
	if n, present, aerr := p.int64("custom_max_retention_hours"); aerr != nil {
		return nil, aerr
	} else if present {
		c["custom_max_retention_hours"] = n
	}
	switch {
	case c["connection_name"] != nil:
		c["catalog_type"] = "FOREIGN_CATALOG"
	case c["provider_name"] != nil || c["share_name"] != nil:
		if c["provider_name"] == nil || c["share_name"] == nil {
			return nil, invalidParam("A Delta Sharing catalog needs both provider_name and share_name.")
		}
		c["catalog_type"] = "DELTASHARING_CATALOG"
	default:
		c["catalog_type"] = "MANAGED_CATALOG"
		if root, ok := c["storage_root"].(string); ok {
			c["storage_location"] = strings.TrimSuffix(root, "/") + "/__unitystorage/catalogs/" + newUUID()
		}
	}
	e.ucStamp(c)
	e.ucPut(ucCatalogs, name, c)
	if c["catalog_type"] == "MANAGED_CATALOG" {
		e.ucPutSchema(name, "default", "Default schema (auto-created)")
	}
	e.ucPutSchema(name, "information_schema", "Information schema (auto-created)")
	return c, nil
}

// ucHolds reports what a schema holds: tables, volumes and functions.
func (e *Emulator) ucHolds(full string) int {
	cat, sch, _ := strings.Cut(full, ".")
	n := 0
	for _, s := range []string{ucTables, ucVolumes, ucFunctions} {
		n += len(e.ucChildren(s, map[string]string{"catalog_name": cat, "schema_name": sch}))
	}
	return n
}

func (e *Emulator) ucDeleteCatalog(p *params) (any, *apiError) {
	name := strings.ToLower(p.path["name"])
	if e.ucFind(ucCatalogs, name) == nil {
		return nil, ucNoCatalog(name)
	}
	force, _, aerr := p.boolean("force")
	if aerr != nil {
		return nil, aerr
	}
	if !force {
		// information_schema never counts, nor an empty default schema.
		var kept []string
		for _, s := range e.ucChildren(ucSchemas, map[string]string{"catalog_name": name}) {
			sn := s["name"].(string)
			if sn == "information_schema" || (sn == "default" && e.ucHolds(name+".default") == 0) {
				continue
			}
			kept = append(kept, sn)
		}
		if len(kept) > 0 {
			return nil, errorf(http.StatusBadRequest, "INVALID_STATE",
				"Catalog '%s' is not empty. The catalog has %d schema(s): %s. Delete them first, or pass force=true.",
				name, len(kept), strings.Join(kept, ", "))
		}
	}
	e.dropEngineTables(e.ucTableEngineNames(func(t map[string]any) bool { return t["catalog_name"] == name }))
	for _, s := range []string{ucSchemas, ucTables, ucVolumes, ucFunctions} {
		e.ucDeleteWhere(s, "catalog_name", name)
	}
	delete(e.ucStore(ucCatalogs).byKey, name)
	return nil, nil
}

// Schemas.

func (e *Emulator) ucPutSchema(catalog, name, comment string) map[string]any {
	s := map[string]any{"name": name, "catalog_name": catalog, "schema_id": newUUID(),
		"catalog_type": e.ucFind(ucCatalogs, catalog)["catalog_type"], "browse_only": false}
	if comment != "" {
		s["comment"] = comment
	}
	e.ucStamp(s)
	if name == "information_schema" {
		s["owner"] = "System user"
	}
	e.ucPut(ucSchemas, catalog+"."+name, s)
	return s
}

func (e *Emulator) ucListSchemas(p *params) (any, *apiError) {
	cat, aerr := p.requiredStr("catalog_name")
	if aerr != nil {
		return nil, aerr
	}
	cat = strings.ToLower(cat)
	if e.ucFind(ucCatalogs, cat) == nil {
		return nil, ucNoCatalog(cat)
	}
	return ucPage(p, "schemas", e.ucChildren(ucSchemas, map[string]string{"catalog_name": cat}), nil)
}

func (e *Emulator) ucGetSchema(p *params) (any, *apiError) {
	full, parts, aerr := ucFullName(p, "full_name", 2)
	if aerr != nil {
		return nil, aerr
	}
	if e.ucFind(ucCatalogs, parts[0]) == nil {
		return nil, ucNoCatalog(parts[0])
	}
	s := e.ucFind(ucSchemas, full)
	if s == nil {
		return nil, ucNoSchema(full)
	}
	return s, nil
}

func (e *Emulator) ucCreateSchema(p *params) (any, *apiError) {
	name, aerr := ucName(p, "name")
	if aerr != nil {
		return nil, aerr
	}
	cat, aerr := ucName(p, "catalog_name")
	if aerr != nil {
		return nil, aerr
	}
	if e.ucFind(ucCatalogs, cat) == nil {
		return nil, ucNoCatalog(cat)
	}
	if e.ucFind(ucSchemas, cat+"."+name) != nil {
		return nil, errorf(http.StatusConflict, "SCHEMA_ALREADY_EXISTS", "Schema '%s' already exists.", cat+"."+name)
	}
	extra := map[string]any{}
	if aerr := optStrings(p, extra, "comment", "storage_root"); aerr != nil {
		return nil, aerr
	}
	if aerr := optProperties(p, extra, "properties"); aerr != nil {
		return nil, aerr
	}
	s := e.ucPutSchema(cat, name, "")
	maps.Copy(s, extra)
	if root, ok := s["storage_root"].(string); ok {
		s["storage_location"] = strings.TrimSuffix(root, "/") + "/__unitystorage/schemas/" + s["schema_id"].(string)
	}
	return s, nil
}

func (e *Emulator) ucDeleteSchema(p *params) (any, *apiError) {
	full, parts, aerr := ucFullName(p, "full_name", 2)
	if aerr != nil {
		return nil, aerr
	}
	if e.ucFind(ucCatalogs, parts[0]) == nil {
		return nil, ucNoCatalog(parts[0])
	}
	if e.ucFind(ucSchemas, full) == nil {
		return nil, ucNoSchema(full)
	}
	force, _, aerr := p.boolean("force")
	if aerr != nil {
		return nil, aerr
	}
	if n := e.ucHolds(full); n > 0 && !force {
		return nil, errorf(http.StatusBadRequest, "INVALID_STATE",
			"Schema '%s' is not empty. The schema has %d table(s), volume(s) or function(s). Delete them first, or pass force=true.", full, n)
	}
	e.dropEngineTables(e.ucTableEngineNames(func(t map[string]any) bool {
		return t["catalog_name"] == parts[0] && t["schema_name"] == parts[1]
	}))
	for _, st := range []string{ucTables, ucVolumes, ucFunctions} {
		maps.DeleteFunc(e.ucStore(st).byKey, func(_ string, r *resource) bool {
			return r.in["catalog_name"] == parts[0] && r.in["schema_name"] == parts[1]
		})
	}
	delete(e.ucStore(ucSchemas).byKey, full)
	return nil, nil
}

// ucSchemaOf checks a catalog_name and schema_name pair exists.
func (e *Emulator) ucSchemaOf(p *params) (cat, sch string, aerr *apiError) {
	if cat, aerr = p.requiredStr("catalog_name"); aerr != nil {
		return "", "", aerr
	}
	if sch, aerr = p.requiredStr("schema_name"); aerr != nil {
		return "", "", aerr
	}
	cat, sch = strings.ToLower(cat), strings.ToLower(sch)
	if e.ucFind(ucCatalogs, cat) == nil {
		return "", "", ucNoCatalog(cat)
	}
	if e.ucFind(ucSchemas, cat+"."+sch) == nil {
		return "", "", ucNoSchema(cat + "." + sch)
	}
	return cat, sch, nil
}

// Tables.

// ucPutTable registers or replaces a table in the metastore, for a SQL
// engine that created one. t holds the table's wire fields by their REST
// names: catalog_name, schema_name and name are required (full_name is
// derived from them); columns ([]map[string]any with name, type_name,
// type_text, nullable, comment, partition_index) get their position and
// type_json if they lack them; table_type (MANAGED), data_source_format
// (DELTA), storage_location, table_id, owner and the timestamps are filled
// in when absent. The caller holds the workspace lock and has checked that
// the schema exists (a table in an unknown schema is stored, but no list
// shows it through its missing parents).
func (e *Emulator) ucPutTable(t map[string]any) {
	m := maps.Clone(t)
	cat, _ := m["catalog_name"].(string)
	sch, _ := m["schema_name"].(string)
	name, _ := m["name"].(string)
	cat, sch, name = strings.ToLower(cat), strings.ToLower(sch), strings.ToLower(name)
	m["catalog_name"], m["schema_name"], m["name"] = cat, sch, name
	full := cat + "." + sch + "." + name
	old := e.ucFind(ucTables, full)
	stamp := map[string]any{}
	e.ucStamp(stamp)
	if old != nil {
		for _, k := range []string{"created_at", "created_by", "table_id"} {
			if v, ok := old[k]; ok {
				stamp[k] = v
			}
		}
	} else {
		stamp["table_id"] = newUUID()
	}
	for k, v := range stamp {
		if _, ok := m[k]; !ok {
			m[k] = v
		}
	}
	if _, ok := m["table_type"]; !ok {
		m["table_type"] = "MANAGED"
	}
	if _, ok := m["data_source_format"]; !ok && m["table_type"] != "VIEW" {
		m["data_source_format"] = "DELTA"
	}
	if _, ok := m["storage_location"]; !ok && m["table_type"] == "MANAGED" {
		m["storage_location"] = ucStorageRoot + "/tables/" + m["table_id"].(string)
	}
	var cols []map[string]any
	switch cs := m["columns"].(type) {
	case []map[string]any:
		cols = cs
	case []any:
		for _, c := range cs {
			if cm, ok := c.(map[string]any); ok {
				cols = append(cols, cm)
			}
		}
	}
	if cols != nil {
		out := make([]any, len(cols))
		for i, c := range cols {
			c = maps.Clone(c)
			if _, ok := c["position"]; !ok {
				c["position"] = i
			}
			if _, ok := c["nullable"]; !ok {
				c["nullable"] = true
			}
			if _, ok := c["type_json"]; !ok {
				c["type_json"] = ucTypeJSON(c)
			}
			out[i] = c
		}
		m["columns"] = out
	}
	e.ucPut(ucTables, full, m)
}

// ucTypeJSON is a column's Spark StructField as JSON text, as Unity Catalog
// stores it in type_json.
func ucTypeJSON(c map[string]any) string {
	name, _ := c["name"].(string)
	text, _ := c["type_text"].(string)
	nullable, _ := c["nullable"].(bool)
	meta := "{}"
	if cm, ok := c["comment"].(string); ok && cm != "" {
		meta = `{"comment":` + jsonString(cm) + `}`
	}
	null := "false"
	if nullable {
		null = "true"
	}
	return `{"name":` + jsonString(name) + `,"type":` + jsonString(text) + `,"nullable":` + null + `,"metadata":` + meta + `}`
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func (e *Emulator) ucTableView(p *params) (func(map[string]any) map[string]any, *apiError) {
	var omit []string
	for _, f := range []string{"omit_columns", "omit_properties", "omit_username"} {
		v, _, aerr := p.boolean(f)
		if aerr != nil {
			return nil, aerr
		}
		if v {
			omit = append(omit, f)
		}
	}
	if len(omit) == 0 {
		return nil, nil
	}
	return func(t map[string]any) map[string]any {
		t = maps.Clone(t)
		for _, f := range omit {
			switch f {
			case "omit_columns":
				delete(t, "columns")
			case "omit_properties":
				delete(t, "properties")
			case "omit_username":
				delete(t, "owner")
				delete(t, "created_by")
				delete(t, "updated_by")
			}
		}
		return t
	}, nil
}

func (e *Emulator) ucListTables(p *params) (any, *apiError) {
	cat, sch, aerr := e.ucSchemaOf(p)
	if aerr != nil {
		return nil, aerr
	}
	view, aerr := e.ucTableView(p)
	if aerr != nil {
		return nil, aerr
	}
	return ucPage(p, "tables", e.ucChildren(ucTables, map[string]string{"catalog_name": cat, "schema_name": sch}), view)
}

// likeRE turns a SQL LIKE pattern (% any run, _ one character) into a
// case-insensitive regular expression.
func likeRE(pat string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("(?is)^")
	for _, r := range pat {
		switch r {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

func (e *Emulator) ucListTableSummaries(p *params) (any, *apiError) {
	cat, aerr := p.requiredStr("catalog_name")
	if aerr != nil {
		return nil, aerr
	}
	cat = strings.ToLower(cat)
	if e.ucFind(ucCatalogs, cat) == nil {
		return nil, ucNoCatalog(cat)
	}
	schPat, _ := p.str("schema_name_pattern")
	tblPat, _ := p.str("table_name_pattern")
	schRE, tblRE := likeRE(cmp.Or(schPat, "%")), likeRE(cmp.Or(tblPat, "%"))
	var items []map[string]any
	for _, t := range e.ucChildren(ucTables, map[string]string{"catalog_name": cat}) {
		if schRE.MatchString(t["schema_name"].(string)) && tblRE.MatchString(t["name"].(string)) {
			items = append(items, map[string]any{"full_name": t["full_name"], "table_type": t["table_type"]})
		}
	}
	return ucPage(p, "tables", items, nil)
}

// ucObjectParts reads the three-part full name in path parameter param (a
// table's full_name, a volume's name) and checks that its catalog and schema
// exist, answering with their errors as Databricks does.
func (e *Emulator) ucObjectParts(p *params, param string) (string, *apiError) {
	full, parts, aerr := ucFullName(p, param, 3)
	if aerr != nil {
		return "", aerr
	}
	if e.ucFind(ucCatalogs, parts[0]) == nil {
		return "", ucNoCatalog(parts[0])
	}
	if e.ucFind(ucSchemas, parts[0]+"."+parts[1]) == nil {
		return "", ucNoSchema(parts[0] + "." + parts[1])
	}
	return full, nil
}

func (e *Emulator) ucGetTable(p *params) (any, *apiError) {
	full, aerr := e.ucObjectParts(p, "full_name")
	if aerr != nil {
		return nil, aerr
	}
	t := e.ucFind(ucTables, full)
	if t == nil {
		return nil, ucNoTable(full)
	}
	return t, nil
}

func (e *Emulator) ucTableExists(p *params) (any, *apiError) {
	full, _, aerr := ucFullName(p, "full_name", 3)
	if aerr != nil {
		return nil, aerr
	}
	return map[string]any{"table_exists": e.ucFind(ucTables, full) != nil}, nil
}

func (e *Emulator) ucDeleteTable(p *params) (any, *apiError) {
	full, aerr := e.ucObjectParts(p, "full_name")
	if aerr != nil {
		return nil, aerr
	}
	if e.ucFind(ucTables, full) == nil {
		return nil, ucNoTable(full)
	}
	e.dropEngineTables(e.ucTableEngineNames(func(t map[string]any) bool { return t["full_name"] == full }))
	delete(e.ucStore(ucTables).byKey, full)
	return nil, nil
}

// Volumes.

func (e *Emulator) ucListVolumes(p *params) (any, *apiError) {
	cat, sch, aerr := e.ucSchemaOf(p)
	if aerr != nil {
		return nil, aerr
	}
	return ucPage(p, "volumes", e.ucChildren(ucVolumes, map[string]string{"catalog_name": cat, "schema_name": sch}), nil)
}

func (e *Emulator) ucReadVolume(p *params) (any, *apiError) {
	full, aerr := e.ucObjectParts(p, "name")
	if aerr != nil {
		return nil, aerr
	}
	v := e.ucFind(ucVolumes, full)
	if v == nil {
		return nil, ucNoVolume(full)
	}
	return v, nil
}

func (e *Emulator) ucCreateVolume(p *params) (any, *apiError) {
	cat, sch, aerr := e.ucSchemaOf(p)
	if aerr != nil {
		return nil, aerr
	}
	name, aerr := ucName(p, "name")
	if aerr != nil {
		return nil, aerr
	}
	vt, aerr := p.requiredStr("volume_type")
	if aerr != nil {
		return nil, aerr
	}
	if !oneOf(vt, "MANAGED", "EXTERNAL") {
		return nil, invalidParam("Invalid volume_type '%s': must be MANAGED or EXTERNAL.", vt)
	}
	loc, aerr := p.str("storage_location")
	if aerr != nil {
		return nil, aerr
	}
	switch {
	case vt == "EXTERNAL" && loc == "":
		return nil, invalidParam("An EXTERNAL volume needs a storage_location.")
	case vt == "MANAGED" && loc != "":
		return nil, invalidParam("A MANAGED volume takes no storage_location; its storage is managed by Unity Catalog.")
	}
	full := cat + "." + sch + "." + name
	if e.ucFind(ucVolumes, full) != nil {
		return nil, errorf(http.StatusConflict, "RESOURCE_ALREADY_EXISTS", "Volume '%s' already exists.", full)
	}
	id := newUUID()
	if vt == "MANAGED" {
		loc = ucStorageRoot + "/volumes/" + id
	}
	v := map[string]any{"name": name, "catalog_name": cat, "schema_name": sch, "volume_type": vt,
		"storage_location": loc, "volume_id": id}
	if aerr := optStrings(p, v, "comment"); aerr != nil {
		return nil, aerr
	}
	e.ucStamp(v)
	e.ucPut(ucVolumes, full, v)
	return v, nil
}

func (e *Emulator) ucDeleteVolume(p *params) (any, *apiError) {
	full, aerr := e.ucObjectParts(p, "name")
	if aerr != nil {
		return nil, aerr
	}
	if e.ucFind(ucVolumes, full) == nil {
		return nil, ucNoVolume(full)
	}
	delete(e.ucStore(ucVolumes).byKey, full)
	return nil, nil
}

// Functions.

func (e *Emulator) ucListFunctions(p *params) (any, *apiError) {
	cat, sch, aerr := e.ucSchemaOf(p)
	if aerr != nil {
		return nil, aerr
	}
	return ucPage(p, "functions", e.ucChildren(ucFunctions, map[string]string{"catalog_name": cat, "schema_name": sch}), nil)
}

func (e *Emulator) ucGetFunction(p *params) (any, *apiError) {
	full, parts, aerr := ucFullName(p, "name", 3)
	if aerr != nil {
		return nil, aerr
	}
	if e.ucFind(ucCatalogs, parts[0]) == nil {
		return nil, ucNoCatalog(parts[0])
	}
	if e.ucFind(ucSchemas, parts[0]+"."+parts[1]) == nil {
		return nil, ucNoSchema(parts[0] + "." + parts[1])
	}
	f := e.ucFind(ucFunctions, full)
	if f == nil {
		return nil, ucNoFunction(full)
	}
	return f, nil
}

// Seeds.

func (e *Emulator) ucSeed() {
	put := func(name, typ, comment string) {
		c := map[string]any{"name": name, "catalog_type": typ, "comment": comment, "securable_type": "CATALOG",
			"isolation_mode": "OPEN", "browse_only": false}
		e.ucStamp(c)
		e.ucPut(ucCatalogs, name, c)
	}
	put("main", "MANAGED_CATALOG", "Main catalog (auto-created)")
	main := e.ucFind(ucCatalogs, "main")
	main["storage_root"] = ucStorageRoot
	main["storage_location"] = ucStorageRoot + "/catalogs/main"
	e.ucPutSchema("main", "default", "Default schema (auto-created)")
	e.ucPutSchema("main", "information_schema", "Information schema (auto-created)")

	put("samples", "DELTASHARING_CATALOG", "Sample datasets provided by Databricks")
	samples := e.ucFind(ucCatalogs, "samples")
	samples["provider_name"], samples["share_name"] = "databricks", "samples"
	samples["owner"] = "System user"
	e.ucPutSchema("samples", "information_schema", "Information schema (auto-created)")
	e.ucPutSchema("samples", "nyctaxi", "")["owner"] = "System user"

	col := func(name, typeName, typeText string) map[string]any {
		return map[string]any{"name": name, "type_name": typeName, "type_text": typeText, "nullable": true}
	}
	e.ucPutTable(map[string]any{
		"catalog_name": "samples", "schema_name": "nyctaxi", "name": "trips",
		"table_type": "EXTERNAL", "data_source_format": "DELTA", "owner": "System user",
		"storage_location": "abfss://samples@emulatorsamples.dfs.core.windows.net/nyctaxi/trips",
		"comment":          "New York City taxi trips, January and February 2016.",
		"columns": []map[string]any{
			col("tpep_pickup_datetime", "TIMESTAMP", "timestamp"),
			col("tpep_dropoff_datetime", "TIMESTAMP", "timestamp"),
			col("trip_distance", "DOUBLE", "double"),
			col("fare_amount", "DOUBLE", "double"),
			col("pickup_zip", "INT", "int"),
			col("dropoff_zip", "INT", "int"),
		},
		"properties": map[string]any{"delta.minReaderVersion": "1", "delta.minWriterVersion": "2"},
	})

	e.ucPutSchema("samples", "tpch", "")["owner"] = "System user"
	e.ucPutTable(map[string]any{
		"catalog_name": "samples", "schema_name": "tpch", "name": "nation",
		"table_type": "EXTERNAL", "data_source_format": "DELTA", "owner": "System user",
		"storage_location": "abfss://samples@emulatorsamples.dfs.core.windows.net/tpch/nation",
		"comment":          "TPC-H nations: the 25 nations of the benchmark's suppliers and customers.",
		"columns": []map[string]any{
			col("n_nationkey", "LONG", "bigint"),
			col("n_name", "STRING", "string"),
			col("n_regionkey", "LONG", "bigint"),
			col("n_comment", "STRING", "string"),
		},
	})

	fn := map[string]any{
		"name": "to_fahrenheit", "catalog_name": "main", "schema_name": "default",
		"function_id": newUUID(), "comment": "Converts degrees Celsius to Fahrenheit.",
		"input_params": map[string]any{"parameters": []any{map[string]any{
			"name": "celsius", "type_name": "DOUBLE", "type_text": "double", "position": 0,
			"parameter_mode": "IN", "parameter_type": "PARAM",
			"type_json": `{"name":"celsius","type":"double","nullable":true,"metadata":{}}`,
		}}},
		"data_type": "DOUBLE", "full_data_type": "double",
		"routine_body": "SQL", "routine_definition": "celsius * 9 / 5 + 32",
		"parameter_style": "S", "is_deterministic": true, "is_null_call": false,
		"security_type": "DEFINER", "sql_data_access": "CONTAINS_SQL",
		"specific_name": "to_fahrenheit", "sql_path": "SYSTEM.BUILTIN, SYSTEM.SESSION, main.default",
	}
	e.ucStamp(fn)
	e.ucPut(ucFunctions, "main.default.to_fahrenheit", fn)
}
