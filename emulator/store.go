package emulator

import (
	"cmp"
	"encoding/json"
	"maps"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// A store keeps the resources of one kind (tokens, cluster policies, secret
// scopes, ...) and serves the operations most Databricks APIs share on them:
// create, get, list, update, replace, update by field mask, delete. An area
// declares its store once and then one line per route:
//
//	s := e.store("cluster policies", storeOpts{idField: "policy_id", ids: hexIDs(16), ...})
//	s.create("POST", "/api/2.0/policies/clusters/create")
//	s.get("GET", "/api/2.0/policies/clusters/get")
//
// Behaviour a store cannot know (state machines, ACLs, computed fields,
// cross-field rules) goes in the hooks of its storeOpts. Handlers run under
// the workspace lock, so neither a store nor its hooks lock anything.
type store struct {
	e     *Emulator
	name  string
	opts  storeOpts
	byKey map[string]*resource
	seq   uint64
}

// storeOpts declares a store: the shape of its resources, the wire of its
// list replies, the errors it answers and the hooks of its behaviour.
type storeOpts struct {
	// noun names one resource in messages: "token", "cluster policy".
	noun string
	// idField is the REST name of the key ("policy_id", "job_id", "id",
	// "name"). Operations on one resource read it from the path, the query
	// or the body, in that order.
	idField string
	// ids makes the key of a new resource. The zero idGen means the client
	// names the resource by idField, which must then be a declared field
	// (secret scopes, Unity Catalog catalogs), unless an onCreate hook calls
	// op.setID (tokens).
	ids idGen
	// fields are the fields a client may write, with their JSON kinds. Other
	// members of a request are ignored, unless open is set.
	fields map[string]fieldKind
	// open keeps undeclared members verbatim, for APIs that echo what they
	// were sent (a job's settings).
	open bool
	// required fields must be present, non-null and not "" on create and
	// replace; they are checked in order.
	required []string
	// mutable are the fields an update mask may name; nil allows every
	// declared field.
	mutable []string
	// unique are string fields no two resources may share (a policy's name).
	unique []string
	// maxCount caps how many resources exist at once; 0 is no cap.
	maxCount int

	// listKey is the member holding the items of a list reply ("policies",
	// "token_infos"); SCIM lists always use "Resources".
	listKey string
	// countKey, if set, adds the total to an unpaged list ("total_count").
	countKey string
	paging   paging
	// scim sends every error of the store's routes in SCIM shape.
	scim bool
	// reply is what create and the updates answer.
	reply replyKind

	// missing is the error for an unknown key; its format takes the key.
	// Zero fields default to 404 RESOURCE_DOES_NOT_EXIST
	// "<Noun> <key> does not exist.".
	missing errSpec
	// exists is the error for a taken key or unique value; its format takes
	// the value. Defaults: 409 RESOURCE_ALREADY_EXISTS
	// "<Noun> <value> already exists.".
	exists errSpec
	// full is the error when maxCount is reached; its format takes
	// maxCount. Defaults: 400 RESOURCE_LIMIT_EXCEEDED.
	full errSpec

	// onCreate runs after the fields are read and the key made, before the
	// resource is checked for conflicts and stored: it validates and sets
	// computed fields. onUpdate does the same for update, replace and patch.
	// onDelete may refuse a delete or undo side effects. A hook's error is
	// the answer, and nothing is stored.
	onCreate, onUpdate, onDelete func(o *op) *apiError
	// view renders a resource for get and list (and replies that carry the
	// resource); nil renders every field.
	view func(r *resource) map[string]any
	// order sorts list replies, given the request (for sort parameters); nil
	// lists in creation order.
	order func(p *params) (func(a, b *resource) int, *apiError)
}

// fieldKind is the JSON kind a declared field must have. Strings, integers,
// booleans and string arrays are decoded (an integer may come as a string,
// as proto3 JSON writes int64); objects, arrays and anyJSON stay verbatim.
type fieldKind int

const (
	anyJSON fieldKind = iota
	fString
	fInt
	fBool
	fStrings
	fObject
	fArray
)

// idGen makes keys for new resources. numeric keys are int64 on the wire
// (job and run ids) and are parsed from requests as such.
type idGen struct {
	next    func() string
	numeric bool
}

var (
	// uuidIDs are UUIDv4 strings (apps, many newer APIs).
	uuidIDs = idGen{next: newUUID}
	// int64IDs are 16-digit int64 values below 2^53, as job ids are.
	int64IDs = idGen{numeric: true, next: func() string {
		const lo = 1_000_000_000_000_000
		return strconv.FormatInt(lo+rand.Int64N(1<<53-lo), 10)
	}}
)

// hexIDs are n upper-case hex digits (cluster policy ids: 16).
func hexIDs(n int) idGen {
	return idGen{next: func() string {
		const digits = "0123456789ABCDEF"
		b := make([]byte, n)
		for i := range b {
			b[i] = digits[rand.IntN(16)]
		}
		return string(b)
	}}
}

// digitIDs are n decimal digits in a string (SCIM user and group ids: 16).
func digitIDs(n int) idGen {
	return idGen{next: func() string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + rand.IntN(10))
		}
		b[0] = byte('1' + rand.IntN(9))
		return string(b)
	}}
}

// pageStyle is how an area pages its lists.
type pageStyle int

const (
	unpaged pageStyle = iota
	// tokenPages: page_token in, next_page_token out.
	tokenPages
	// offsetPages: offset in, has_more out.
	offsetPages
	// scimPages: startIndex (from 1) in; totalResults, startIndex,
	// itemsPerPage and Resources out.
	scimPages
)

// paging declares a store's list paging.
type paging struct {
	style pageStyle
	// size is the request parameter bounding a page; empty means the
	// style's usual one: page_size, limit or count.
	size string
	// def is the page size when the caller names none (0: everything); max
	// is the largest page served, larger requests are cut to it (0: no max).
	def, max int
}

// replyKind is what create and the updates answer.
type replyKind int

const (
	// replyID answers create with the key alone ({"policy_id": ...}) and
	// updates with {}.
	replyID replyKind = iota
	// replyEmpty answers {} to both.
	replyEmpty
	// replyResource answers both with the resource as get shows it.
	replyResource
)

// errSpec is one error answer; zero fields take the store's defaults.
type errSpec struct {
	status int
	code   string
	format string
}

func (s errSpec) err(arg any) *apiError {
	return errorf(s.status, s.code, s.format, arg)
}

func (s errSpec) or(def errSpec) errSpec {
	if s.status == 0 {
		s.status = def.status
	}
	if s.code == "" {
		s.code = def.code
	}
	if s.format == "" {
		s.format = def.format
	}
	return s
}

// resource is one stored record. in holds the fields the client wrote and
// out those the workspace computed (the key among them when it is made
// here); out wins where both have a field. state is a hook's own data that
// never goes on the wire, such as a secret scope's secrets.
type resource struct {
	key   string
	seq   uint64
	in    map[string]any
	out   map[string]any
	state any
}

// get returns a field's value, computed or written.
func (r *resource) get(name string) (any, bool) {
	if v, ok := r.out[name]; ok {
		return v, true
	}
	v, ok := r.in[name]
	return v, ok
}

// str returns a string field ("" when absent or not a string).
func (r *resource) str(name string) string {
	v, _ := r.get(name)
	s, _ := v.(string)
	return s
}

// int returns an integer field and whether it is set.
func (r *resource) int(name string) (int64, bool) {
	v, _ := r.get(name)
	n, ok := v.(int64)
	return n, ok
}

// set stores a computed field.
func (r *resource) set(name string, v any) { r.out[name] = v }

// drop removes a field, written or computed.
func (r *resource) drop(name string) {
	delete(r.in, name)
	delete(r.out, name)
}

// fields is every field of the resource, in a fresh map.
func (r *resource) fields() map[string]any {
	m := maps.Clone(r.in)
	if m == nil {
		m = map[string]any{}
	}
	maps.Copy(m, r.out)
	return m
}

func (r *resource) clone() *resource {
	c := *r
	c.in, c.out = maps.Clone(r.in), maps.Clone(r.out)
	return &c
}

// op is one store operation under way, as its hooks see it.
type op struct {
	s *store
	// p is the request; in holds the resource's fields: p itself, or the
	// object under the route's body member (a token PATCH's "token").
	p, in *params
	// r is the resource as it will be stored: hooks change it freely. old
	// is the stored resource an update or delete started from.
	r, old *resource
	// reply, if a hook sets it, is answered instead of the default.
	reply any
}

// setID gives the new resource its key, for stores whose keys derive from
// something the hook makes (a token's id is the hash of its value).
func (o *op) setID(id string) {
	o.r.key = id
	o.r.set(o.s.opts.idField, o.s.wireID(id))
}

// store declares a resource store. Declaring two stores of one name is a bug
// in the declarations and panics when the emulator is made.
func (e *Emulator) store(name string, opts storeOpts) *store {
	if _, dup := e.stores[name]; dup {
		panic("emulator: store " + name + " declared twice")
	}
	if opts.idField == "" || opts.noun == "" {
		panic("emulator: store " + name + " needs an idField and a noun")
	}
	if opts.paging.size == "" {
		opts.paging.size = map[pageStyle]string{tokenPages: "page_size", offsetPages: "limit", scimPages: "count"}[opts.paging.style]
	}
	if opts.paging.style == scimPages {
		opts.listKey = "Resources"
	}
	noun := strings.ToUpper(opts.noun[:1]) + opts.noun[1:]
	opts.missing = opts.missing.or(errSpec{http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", noun + " %s does not exist."})
	opts.exists = opts.exists.or(errSpec{http.StatusConflict, "RESOURCE_ALREADY_EXISTS", noun + " %s already exists."})
	opts.full = opts.full.or(errSpec{http.StatusBadRequest, "RESOURCE_LIMIT_EXCEEDED", "The workspace already has the maximum of %d " + opts.noun + " resources."})
	s := &store{e: e, name: name, opts: opts, byKey: map[string]*resource{}}
	e.stores[name] = s
	return s
}

// routeCfg is what one route changes of its store's defaults.
type routeCfg struct {
	under   string
	mask    string
	missing *errSpec
	reply   *replyKind
}

type routeOpt func(*routeCfg)

// under reads the resource's fields from one member of the body, as a token
// PATCH sends {"token": {...}, "update_mask": ...} and a job reset sends
// {"job_id": ..., "new_settings": {...}}.
func under(member string) routeOpt { return func(c *routeCfg) { c.under = member } }

// maskIn names the field mask parameter of a patch route (default
// update_mask); it is read from the body, else the query.
func maskIn(param string) routeOpt { return func(c *routeCfg) { c.mask = param } }

// missingAs replaces the store's not-found error on one route; zero fields
// keep the store's.
func missingAs(e errSpec) routeOpt { return func(c *routeCfg) { c.missing = &e } }

// replying overrides what the route answers.
func replying(k replyKind) routeOpt { return func(c *routeCfg) { c.reply = &k } }

func (s *store) route(method, path string, opts []routeOpt, h func(c *routeCfg, p *params) (any, *apiError)) {
	c := &routeCfg{mask: "update_mask", reply: &s.opts.reply}
	for _, o := range opts {
		o(c)
	}
	m := s.opts.missing
	if c.missing != nil {
		m = c.missing.or(m)
	}
	c.missing = &m
	s.e.addRoute(method, path, s.opts.scim, func(p *params) (any, *apiError) { return h(c, p) })
}

// create serves a create: it reads the declared fields, checks the required
// ones, makes the key, runs onCreate, refuses a taken key or unique value
// or a full store, and stores the resource.
func (s *store) create(method, path string, opts ...routeOpt) {
	s.route(method, path, opts, s.doCreate)
}

// get serves a read of one resource by key.
func (s *store) get(method, path string, opts ...routeOpt) { s.route(method, path, opts, s.doGet) }

// list serves a list in the store's paging style.
func (s *store) list(method, path string, opts ...routeOpt) { s.route(method, path, opts, s.doList) }

// update serves a merge: the fields the request carries replace the
// resource's, the others stay.
func (s *store) update(method, path string, opts ...routeOpt) {
	s.route(method, path, opts, s.doUpdate)
}

// replace serves a reset: the request's fields become the resource's written
// fields; computed fields stay.
func (s *store) replace(method, path string, opts ...routeOpt) {
	s.route(method, path, opts, s.doReplace)
}

// patch serves an update by field mask: exactly the named fields change, to
// the request's value or, when it has none, to the kind's zero value.
func (s *store) patch(method, path string, opts ...routeOpt) { s.route(method, path, opts, s.doPatch) }

// delete serves a delete by key.
func (s *store) delete(method, path string, opts ...routeOpt) {
	s.route(method, path, opts, s.doDelete)
}

// find returns the resource of a key, or nil.
func (s *store) find(key string) *resource { return s.byKey[key] }

// lookup finds the resource the request names by idField, for the area's
// own handlers (a secret put names its scope).
func (s *store) lookup(p *params) (*resource, *apiError) { return s.lookupAs(p, s.opts.missing) }

func (s *store) lookupAs(p *params, missing errSpec) (*resource, *apiError) {
	key, aerr := s.keyParam(p)
	if aerr != nil {
		return nil, aerr
	}
	r, ok := s.byKey[key]
	if !ok {
		return nil, missing.err(key)
	}
	return r, nil
}

func (s *store) keyParam(p *params) (string, *apiError) {
	name := s.opts.idField
	if s.opts.ids.numeric {
		if v, ok := p.path[name]; ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return "", badType(name, "an integer")
			}
			return strconv.FormatInt(n, 10), nil
		}
		n, present, aerr := p.int64(name)
		if aerr != nil {
			return "", aerr
		}
		if !present {
			return "", missingField(name)
		}
		return strconv.FormatInt(n, 10), nil
	}
	return p.requiredStr(name)
}

// wireID is a key as the resource shows it: int64 for numeric stores.
func (s *store) wireID(key string) any {
	if s.opts.ids.numeric {
		n, _ := strconv.ParseInt(key, 10, 64)
		return n
	}
	return key
}

func (s *store) view(r *resource) map[string]any {
	if s.opts.view != nil {
		return s.opts.view(r)
	}
	return r.fields()
}

// fieldsParams is where the request carries the resource's fields.
func (c *routeCfg) fieldsParams(p *params) (*params, *apiError) {
	if c.under == "" {
		return p, nil
	}
	obj, present, aerr := p.object(c.under)
	if aerr != nil {
		return nil, aerr
	}
	if !present {
		return nil, missingField(c.under)
	}
	return &params{body: obj}, nil
}

func (s *store) checkRequired(in *params) *apiError {
	for _, name := range s.opts.required {
		raw, ok := in.raw(name)
		if !ok || string(raw) == `""` {
			return missingField(name)
		}
	}
	return nil
}

// readField decodes one member by its declared kind; ok is false when the
// member is absent or null.
func (s *store) readField(in *params, name string) (v any, ok bool, aerr *apiError) {
	raw, ok := in.raw(name)
	if !ok {
		return nil, false, nil
	}
	v, aerr = decodeField(s.opts.fields[name], name, raw)
	return v, aerr == nil, aerr
}

// readFields decodes every declared member the request carries (and, for an
// open store, every other member but the controls of the route).
func (s *store) readFields(c *routeCfg, in *params) (map[string]any, *apiError) {
	out := map[string]any{}
	for _, name := range slices.Sorted(maps.Keys(s.opts.fields)) {
		v, ok, aerr := s.readField(in, name)
		if aerr != nil {
			return nil, aerr
		}
		if ok {
			out[name] = v
		}
	}
	if s.opts.open {
		for name, raw := range in.body {
			_, declared := s.opts.fields[name]
			control := c.under == "" && (name == s.opts.idField || name == c.mask)
			if !declared && !control && string(raw) != "null" {
				out[name] = raw
			}
		}
	}
	return out, nil
}

func decodeField(k fieldKind, name string, raw json.RawMessage) (any, *apiError) {
	switch k {
	case fString:
		var v string
		if json.Unmarshal(raw, &v) != nil {
			return nil, badType(name, "a string")
		}
		return v, nil
	case fInt:
		n, err := parseInt(raw)
		if err != nil {
			return nil, badType(name, "an integer")
		}
		return n, nil
	case fBool:
		var v bool
		if json.Unmarshal(raw, &v) != nil {
			return nil, badType(name, "true or false")
		}
		return v, nil
	case fStrings:
		var v []string
		if json.Unmarshal(raw, &v) != nil {
			return nil, badType(name, "an array of strings")
		}
		return v, nil
	case fObject:
		var v map[string]json.RawMessage
		if json.Unmarshal(raw, &v) != nil || v == nil {
			return nil, badType(name, "an object")
		}
	case fArray:
		var v []json.RawMessage
		if json.Unmarshal(raw, &v) != nil || v == nil {
			return nil, badType(name, "an array")
		}
	}
	return raw, nil
}

// zeroOf is what a masked field without a value becomes; nil removes it.
func zeroOf(k fieldKind) any {
	switch k {
	case fString:
		return ""
	case fInt:
		return int64(0)
	case fBool:
		return false
	case fStrings:
		return []string{}
	}
	return nil
}

// checkConflicts refuses a resource whose key or unique fields another one
// already has, and a new resource beyond maxCount.
func (s *store) checkConflicts(r *resource, isNew bool) *apiError {
	if _, taken := s.byKey[r.key]; taken && isNew {
		return s.opts.exists.err(r.key)
	}
	for _, f := range s.opts.unique {
		v := r.str(f)
		if v == "" {
			continue
		}
		for _, other := range s.byKey {
			if other.key != r.key && other.str(f) == v {
				return s.opts.exists.err(v)
			}
		}
	}
	if isNew && s.opts.maxCount > 0 && len(s.byKey) >= s.opts.maxCount {
		return s.opts.full.err(s.opts.maxCount)
	}
	return nil
}

func (s *store) doCreate(c *routeCfg, p *params) (any, *apiError) {
	in, aerr := c.fieldsParams(p)
	if aerr != nil {
		return nil, aerr
	}
	if aerr := s.checkRequired(in); aerr != nil {
		return nil, aerr
	}
	vals, aerr := s.readFields(c, in)
	if aerr != nil {
		return nil, aerr
	}
	o := &op{s: s, p: p, in: in, r: &resource{in: vals, out: map[string]any{}}}
	if s.opts.ids.next != nil {
		id := s.opts.ids.next()
		for s.byKey[id] != nil {
			id = s.opts.ids.next()
		}
		o.setID(id)
	}
	if s.opts.onCreate != nil {
		if aerr := s.opts.onCreate(o); aerr != nil {
			return nil, aerr
		}
	}
	if o.r.key == "" {
		if o.r.key = o.r.str(s.opts.idField); o.r.key == "" {
			return nil, missingField(s.opts.idField)
		}
	}
	if aerr := s.checkConflicts(o.r, true); aerr != nil {
		return nil, aerr
	}
	s.seq++
	o.r.seq = s.seq
	s.byKey[o.r.key] = o.r
	if o.reply != nil {
		return o.reply, nil
	}
	switch *c.reply {
	case replyID:
		id, _ := o.r.get(s.opts.idField)
		return map[string]any{s.opts.idField: id}, nil
	case replyResource:
		return s.view(o.r), nil
	}
	return nil, nil
}

func (s *store) doGet(c *routeCfg, p *params) (any, *apiError) {
	r, aerr := s.lookupAs(p, *c.missing)
	if aerr != nil {
		return nil, aerr
	}
	return s.view(r), nil
}

// commitUpdate runs onUpdate and the conflict checks on an updated copy,
// then stores it.
func (s *store) commitUpdate(c *routeCfg, o *op) (any, *apiError) {
	if key, named := o.old.in[s.opts.idField]; named {
		o.r.in[s.opts.idField] = key // a client-named key is not renamed by an update
	}
	if s.opts.onUpdate != nil {
		if aerr := s.opts.onUpdate(o); aerr != nil {
			return nil, aerr
		}
	}
	if aerr := s.checkConflicts(o.r, false); aerr != nil {
		return nil, aerr
	}
	s.byKey[o.r.key] = o.r
	if o.reply != nil {
		return o.reply, nil
	}
	if *c.reply == replyResource {
		return s.view(o.r), nil
	}
	return nil, nil
}

// startUpdate finds the resource and where its new fields are.
func (s *store) startUpdate(c *routeCfg, p *params) (*op, *apiError) {
	old, aerr := s.lookupAs(p, *c.missing)
	if aerr != nil {
		return nil, aerr
	}
	in, aerr := c.fieldsParams(p)
	if aerr != nil {
		return nil, aerr
	}
	return &op{s: s, p: p, in: in, r: old.clone(), old: old}, nil
}

func (s *store) doUpdate(c *routeCfg, p *params) (any, *apiError) {
	o, aerr := s.startUpdate(c, p)
	if aerr != nil {
		return nil, aerr
	}
	vals, aerr := s.readFields(c, o.in)
	if aerr != nil {
		return nil, aerr
	}
	maps.Copy(o.r.in, vals)
	return s.commitUpdate(c, o)
}

func (s *store) doReplace(c *routeCfg, p *params) (any, *apiError) {
	o, aerr := s.startUpdate(c, p)
	if aerr != nil {
		return nil, aerr
	}
	if aerr := s.checkRequired(o.in); aerr != nil {
		return nil, aerr
	}
	if o.r.in, aerr = s.readFields(c, o.in); aerr != nil {
		return nil, aerr
	}
	return s.commitUpdate(c, o)
}

func (s *store) doPatch(c *routeCfg, p *params) (any, *apiError) {
	old, aerr := s.lookupAs(p, *c.missing)
	if aerr != nil {
		return nil, aerr
	}
	mask, aerr := p.str(c.mask)
	if aerr != nil {
		return nil, aerr
	}
	if mask == "" {
		mask = p.query.Get(c.mask)
	}
	if mask == "" {
		return nil, missingField(c.mask)
	}
	in, aerr := c.fieldsParams(p)
	if aerr != nil {
		return nil, aerr
	}
	o := &op{s: s, p: p, in: in, r: old.clone(), old: old}
	names := strings.Split(mask, ",")
	if mask == "*" {
		names = s.mutableFields()
	}
	for _, f := range names {
		if !s.isMutable(f) {
			return nil, invalidParam("Field '%s' of a %s cannot be updated; only %s can.", f, s.opts.noun, andList(s.mutableFields()))
		}
		var v any
		var ok bool
		if _, declared := s.opts.fields[f]; declared {
			if v, ok, aerr = s.readField(in, f); aerr != nil {
				return nil, aerr
			}
		} else if raw, present := in.raw(f); present {
			v, ok = raw, true
		}
		if !ok {
			v = zeroOf(s.opts.fields[f])
		}
		if v == nil {
			delete(o.r.in, f)
		} else {
			o.r.in[f] = v
		}
	}
	return s.commitUpdate(c, o)
}

func (s *store) mutableFields() []string {
	if s.opts.mutable != nil {
		return s.opts.mutable
	}
	return slices.Sorted(maps.Keys(s.opts.fields))
}

func (s *store) isMutable(f string) bool {
	if f == s.opts.idField {
		return false
	}
	if s.opts.mutable != nil {
		return slices.Contains(s.opts.mutable, f)
	}
	_, declared := s.opts.fields[f]
	return declared || (s.opts.open && f != "")
}

// andList writes names as "a, b and c".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func (s *store) doDelete(c *routeCfg, p *params) (any, *apiError) {
	r, aerr := s.lookupAs(p, *c.missing)
	if aerr != nil {
		return nil, aerr
	}
	if s.opts.onDelete != nil {
		if aerr := s.opts.onDelete(&op{s: s, p: p, in: p, r: r, old: r}); aerr != nil {
			return nil, aerr
		}
	}
	delete(s.byKey, r.key)
	return nil, nil
}

// sorted lists the resources in the order the request asks for.
func (s *store) sorted(p *params) ([]*resource, *apiError) {
	list := slices.Collect(maps.Values(s.byKey))
	bySeq := func(a, b *resource) int { return cmp.Compare(a.seq, b.seq) }
	cmpFn := bySeq
	if s.opts.order != nil {
		fn, aerr := s.opts.order(p)
		if aerr != nil {
			return nil, aerr
		}
		cmpFn = func(a, b *resource) int { return cmp.Or(fn(a, b), bySeq(a, b)) }
	}
	slices.SortFunc(list, cmpFn)
	return list, nil
}

// sortedByKey is an order that lists by key (secret scopes by name).
func sortedByKey(*params) (func(a, b *resource) int, *apiError) {
	return func(a, b *resource) int { return strings.Compare(a.key, b.key) }, nil
}

// pruned drops the nil members of a view, for views that name optional
// fields.
func pruned(m map[string]any) map[string]any {
	maps.DeleteFunc(m, func(_ string, v any) bool { return v == nil })
	return m
}

// pageSize reads the page size parameter: def when absent or 0, cut to max.
func (s *store) pageSize(p *params) (int, *apiError) {
	pg := s.opts.paging
	n, present, aerr := p.int64(pg.size)
	if aerr != nil {
		return 0, aerr
	}
	if n < 0 {
		return 0, invalidParam("%s must not be negative, got %d.", pg.size, n)
	}
	if !present || n == 0 {
		n = int64(pg.def)
	}
	if pg.max > 0 && (n == 0 || n > int64(pg.max)) {
		n = int64(pg.max)
	}
	return int(n), nil
}

func (s *store) doList(_ *routeCfg, p *params) (any, *apiError) {
	list, aerr := s.sorted(p)
	if aerr != nil {
		return nil, aerr
	}
	out := map[string]any{}
	page := func(from, size int) []*resource {
		from = min(from, len(list))
		if size <= 0 {
			return list[from:]
		}
		return list[from:min(from+size, len(list))]
	}
	var items []*resource
	switch s.opts.paging.style {
	case unpaged:
		items = list
		if s.opts.countKey != "" {
			out[s.opts.countKey] = len(list)
		}
	case tokenPages:
		size, aerr := s.pageSize(p)
		if aerr != nil {
			return nil, aerr
		}
		from := 0
		if tok, _ := p.str("page_token"); tok != "" {
			if from, aerr = parsePageToken(tok); aerr != nil {
				return nil, aerr
			}
		}
		items = page(from, size)
		if end := min(from, len(list)) + len(items); end < len(list) {
			out["next_page_token"] = pageToken(end)
		}
	case offsetPages:
		size, aerr := s.pageSize(p)
		if aerr != nil {
			return nil, aerr
		}
		from, _, aerr := p.int64("offset")
		if aerr != nil {
			return nil, aerr
		}
		if from < 0 {
			return nil, invalidParam("offset must not be negative, got %d.", from)
		}
		items = page(int(from), size)
		out["has_more"] = int(from)+len(items) < len(list)
	case scimPages:
		start, _, aerr := p.int64("startIndex")
		if aerr != nil {
			return nil, aerr
		}
		start = max(start, 1)
		// RFC 7644 3.4.2.4: a count of 0 (or less) asks for the total alone.
		if n, present, _ := p.int64(s.opts.paging.size); present && n <= 0 {
			items = nil
		} else {
			size, aerr := s.pageSize(p)
			if aerr != nil {
				return nil, aerr
			}
			items = page(int(start-1), size)
		}
		out["schemas"] = []string{"urn:ietf:params:scim:api:messages:2.0:ListResponse"}
		out["totalResults"] = len(list)
		out["startIndex"] = start
		out["itemsPerPage"] = len(items)
	}
	if len(items) == 0 {
		if len(out) == 0 {
			return nil, nil
		}
		return out, nil
	}
	views := make([]any, len(items))
	for i, r := range items {
		views[i] = s.view(r)
	}
	out[s.opts.listKey] = views
	return out, nil
}
