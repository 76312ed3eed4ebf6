package emulator

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

var _ = declareArea((*Emulator).declareIAM)

// SCIM schema URNs.
const (
	scimListSchema  = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	scimGroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group"
	scimUserSchema  = "urn:ietf:params:scim:schemas:core:2.0:User"
	scimSPSchema    = "urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"
	scimBase        = "/api/2.0/preview/scim/v2/"
)

// Ids of the principals every workspace has.
const (
	adminsGroupID = "7349502581729374"
	usersGroupID  = "5298410637285913"
)

// principalKind is one of the SCIM resource types the workspace keeps.
type principalKind int

const (
	kindUser principalKind = iota
	kindGroup
	kindSP
)

// resourceName is the kind's SCIM endpoint name, used in $ref.
func (k principalKind) resourceName() string {
	return [...]string{"Users", "Groups", "ServicePrincipals"}[k]
}

func (k principalKind) noun() string {
	return [...]string{"User", "Group", "Service Principal"}[k]
}

// principal is one user, group or service principal. attrs are the SCIM
// attributes as written (displayName, active, name, emails, entitlements,
// roles, externalId, userName, applicationId); membership is kept apart, in
// members, so that a user's groups are always what the groups say.
type principal struct {
	kind    principalKind
	id      string
	seq     uint64
	attrs   map[string]any
	members []string // groups only: ids of direct members, in the order added
	builtin bool
}

func (p *principal) str(name string) string {
	s, _ := p.attrs[name].(string)
	return s
}

// iam is the identity state of the workspace.
type iam struct {
	byID map[string]*principal
	seq  uint64
	// acls holds each object's direct grants: "<type>/<id>" -> principal
	// key ("user_name:x", "group_name:y", "service_principal_name:z") ->
	// level, in the order granted.
	acls map[string]*acl
}

type acl struct {
	order  []string
	levels map[string]string
}

// declareIAM serves the workspace SCIM API (users, groups, service
// principals, Me), the Groups 2.0 membership calls and the Permissions API.
// The workspace starts with the built-in groups admins and users and with
// the caller, UserName, a member of both.
func (e *Emulator) declareIAM() {
	e.iam = &iam{byID: map[string]*principal{}, acls: map[string]*acl{}}
	me := e.iam.add(&principal{kind: kindUser, id: userID, attrs: map[string]any{
		"userName": UserName, "displayName": "Emulator User", "active": true,
		"emails":       []any{map[string]any{"value": UserName, "type": "work", "primary": true}},
		"entitlements": []any{map[string]any{"value": "workspace-access"}, map[string]any{"value": "allow-cluster-create"}},
	}, builtin: true})
	e.iam.add(&principal{kind: kindGroup, id: adminsGroupID, attrs: map[string]any{"displayName": "admins"}, members: []string{me.id}, builtin: true})
	e.iam.add(&principal{kind: kindGroup, id: usersGroupID, attrs: map[string]any{
		"displayName":  "users",
		"entitlements": []any{map[string]any{"value": "workspace-access"}, map[string]any{"value": "databricks-sql-access"}},
	}, members: []string{me.id}, builtin: true})

	for _, k := range []principalKind{kindUser, kindGroup, kindSP} {
		base := scimBase + k.resourceName()
		e.addRoute("GET", base, true, e.scimList(k))
		e.addRoute("POST", base, true, e.scimCreate(k))
		e.addRoute("GET", base+"/{id}", true, e.scimGet(k))
		e.addRoute("PUT", base+"/{id}", true, e.scimReplace(k))
		e.addRoute("PATCH", base+"/{id}", true, e.scimPatch(k))
		e.addRoute("DELETE", base+"/{id}", true, e.scimDelete(k))
	}
	e.addRoute("GET", scimBase+"Me", true, func(p *params) (any, *apiError) {
		return projected(e.scimView(e.iam.byID[userID]), p)
	})

	e.handle("POST", "/api/2.0/groups/add-member", e.groupsAddMember)
	e.handle("POST", "/api/2.0/groups/remove-member", e.groupsRemoveMember)
	e.handle("GET", "/api/2.0/groups/list-members", e.groupsListMembers)
	e.handle("GET", "/api/2.0/groups/list-parents", e.groupsListParents)

	e.declarePermissions()
}

func (s *iam) add(p *principal) *principal {
	s.seq++
	p.seq = s.seq
	s.byID[p.id] = p
	return p
}

func (s *iam) newID() string {
	gen := digitIDs(16)
	id := gen.next()
	for s.byID[id] != nil {
		id = gen.next()
	}
	return id
}

func scimNotFound(k principalKind, id string) *apiError {
	return errorf(http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "%s with id %s not found.", k.noun(), id)
}

func scimConflict(format string, args ...any) *apiError {
	return errorf(http.StatusConflict, "RESOURCE_ALREADY_EXISTS", format, args...)
}

func scimInvalid(format string, args ...any) *apiError {
	return errorf(http.StatusBadRequest, "INVALID_PARAMETER_VALUE", format, args...)
}

// find returns the principal of kind k with id, or the SCIM 404.
func (s *iam) find(k principalKind, id string) (*principal, *apiError) {
	p := s.byID[id]
	if p == nil || p.kind != k {
		return nil, scimNotFound(k, id)
	}
	return p, nil
}

// byName finds a principal by its unique name: a user's userName, a
// group's displayName or a service principal's applicationId.
func (s *iam) byName(k principalKind, name string) *principal {
	for _, p := range s.byID {
		if p.kind == k && strings.EqualFold(p.uniqueName(), name) {
			return p
		}
	}
	return nil
}

func (p *principal) uniqueName() string {
	switch p.kind {
	case kindUser:
		return p.str("userName")
	case kindGroup:
		return p.str("displayName")
	}
	return p.str("applicationId")
}

// parents lists the groups that have id as a direct member, by creation.
func (s *iam) parents(id string) []*principal {
	var out []*principal
	for _, g := range s.byID {
		if g.kind == kindGroup && slices.Contains(g.members, id) {
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b *principal) int { return cmp.Compare(a.seq, b.seq) })
	return out
}

// ref is the SCIM complex value pointing at a principal.
func scimRef(p *principal) map[string]any {
	return map[string]any{"value": p.id, "display": p.displayName(), "$ref": p.kind.resourceName() + "/" + p.id}
}

func (p *principal) displayName() string {
	if d := p.str("displayName"); d != "" {
		return d
	}
	return p.uniqueName()
}

// scimView renders a principal as SCIM returns it.
func (e *Emulator) scimView(p *principal) map[string]any {
	m := maps.Clone(p.attrs)
	m["id"] = p.id
	switch p.kind {
	case kindUser:
		m["schemas"] = []string{scimUserSchema, "urn:ietf:params:scim:schemas:extension:workspace:2.0:User"}
	case kindGroup:
		m["schemas"] = []string{scimGroupSchema}
		m["meta"] = map[string]any{"resourceType": "WorkspaceGroup"}
		if len(p.members) > 0 {
			var ms []any
			for _, id := range p.members {
				if mp := e.iam.byID[id]; mp != nil {
					ms = append(ms, scimRef(mp))
				}
			}
			m["members"] = ms
		}
	case kindSP:
		m["schemas"] = []string{scimSPSchema}
	}
	if ps := e.iam.parents(p.id); len(ps) > 0 {
		gs := make([]any, len(ps))
		for i, g := range ps {
			v := scimRef(g)
			v["type"] = "direct"
			gs[i] = v
		}
		m["groups"] = gs
	}
	return m
}

// projected applies the attributes and excludedAttributes parameters; id
// and schemas are always returned (RFC 7644 section 3.4.2.5).
func projected(view map[string]any, p *params) (map[string]any, *apiError) {
	attrs, _ := p.str("attributes")
	excluded, _ := p.str("excludedAttributes")
	if attrs != "" {
		keep := map[string]bool{"id": true, "schemas": true}
		for _, a := range strings.Split(attrs, ",") {
			a, _, _ = strings.Cut(strings.TrimSpace(a), ".")
			keep[strings.ToLower(a)] = true
		}
		for k := range view {
			if !keep[strings.ToLower(k)] {
				delete(view, k)
			}
		}
	}
	for _, a := range strings.Split(excluded, ",") {
		a = strings.ToLower(strings.TrimSpace(a))
		for k := range view {
			if a != "" && a != "id" && strings.ToLower(k) == a {
				delete(view, k)
			}
		}
	}
	return view, nil
}

// scimFields are the attributes a client writes, per kind, with the JSON
// kind each must have. groups and members are membership, handled apart.
var scimFields = map[principalKind]map[string]fieldKind{
	kindUser: {"userName": fString, "displayName": fString, "active": fBool, "name": fObject,
		"emails": fArray, "entitlements": fArray, "roles": fArray, "externalId": fString},
	kindGroup: {"displayName": fString, "entitlements": fArray, "roles": fArray, "externalId": fString},
	kindSP: {"applicationId": fString, "displayName": fString, "active": fBool,
		"entitlements": fArray, "roles": fArray, "externalId": fString},
}

// readAttrs decodes the writable attributes of a create or replace body.
func readAttrs(k principalKind, p *params) (map[string]any, *apiError) {
	out := map[string]any{}
	for name, kind := range scimFields[k] {
		raw, ok := p.raw(name)
		if !ok {
			continue
		}
		v, aerr := decodeAttr(kind, name, raw)
		if aerr != nil {
			return nil, aerr
		}
		out[name] = v
	}
	return out, nil
}

// decodeAttr decodes one attribute value into plain Go values (objects as
// maps, arrays as slices), so that a view encodes them again as sent.
func decodeAttr(kind fieldKind, name string, raw json.RawMessage) (any, *apiError) {
	if _, aerr := decodeField(kind, name, raw); aerr != nil {
		return nil, scimInvalid("Invalid value for attribute %s.", name)
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	_ = dec.Decode(&v)
	return v, nil
}

// refIDs reads a members or groups array: the value of each entry.
func refIDs(name string, raw json.RawMessage) ([]string, *apiError) {
	var entries []struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(raw, &entries); err != nil {
		return nil, scimInvalid("Invalid value for attribute %s: expected an array of {\"value\": id}.", name)
	}
	var ids []string
	for _, en := range entries {
		id, ok := scimScalar(en.Value)
		if !ok || id == "" {
			return nil, scimInvalid("Invalid value for attribute %s: each entry needs a value.", name)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func scimScalar(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String(), true
	}
	return "", false
}

// checkMembers refuses ids that name no principal, and a group that would
// contain itself.
func (s *iam) checkMembers(group string, ids []string) *apiError {
	for _, id := range ids {
		if s.byID[id] == nil {
			return errorf(http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "Member with id %s not found.", id)
		}
		if id == group {
			return scimInvalid("A group cannot be a member of itself.")
		}
	}
	return nil
}

// checkUnique refuses a name another principal of the kind has.
func (s *iam) checkUnique(p *principal) *apiError {
	name := p.uniqueName()
	if name == "" {
		return nil
	}
	if other := s.byName(p.kind, name); other != nil && other.id != p.id {
		switch p.kind {
		case kindUser:
			return scimConflict("User with username %s already exists.", name)
		case kindGroup:
			return scimConflict("Group with name %s already exists.", name)
		}
		return scimConflict("Service principal with application id %s already exists.", name)
	}
	return nil
}

func (e *Emulator) scimCreate(k principalKind) handlerFunc {
	return func(p *params) (any, *apiError) {
		attrs, aerr := readAttrs(k, p)
		if aerr != nil {
			return nil, aerr
		}
		pr := &principal{kind: k, id: e.iam.newID(), attrs: attrs}
		switch k {
		case kindUser:
			if pr.str("userName") == "" {
				return nil, scimInvalid("Request is missing required field: userName")
			}
			if _, ok := attrs["active"]; !ok {
				attrs["active"] = true
			}
			if _, ok := attrs["emails"]; !ok {
				attrs["emails"] = []any{map[string]any{"value": pr.str("userName"), "type": "work", "primary": true}}
			}
		case kindGroup:
			if pr.str("displayName") == "" {
				return nil, scimInvalid("Request is missing required field: displayName")
			}
		case kindSP:
			if pr.str("applicationId") == "" {
				attrs["applicationId"] = newUUID()
			}
			if _, ok := attrs["active"]; !ok {
				attrs["active"] = true
			}
		}
		if aerr := e.iam.checkUnique(pr); aerr != nil {
			return nil, aerr
		}
		members, parents, aerr := e.membership(pr, p)
		if aerr != nil {
			return nil, aerr
		}
		e.iam.add(pr)
		pr.members = members
		e.setParents(pr, parents)
		if k != kindGroup {
			if g := e.iam.byID[usersGroupID]; g != nil && !slices.Contains(g.members, pr.id) {
				g.members = append(g.members, pr.id)
			}
		}
		return e.scimView(pr), nil
	}
}

// membership reads the members (groups) and groups (every kind) arrays of a
// create or replace; nil means the body had none.
func (e *Emulator) membership(pr *principal, p *params) (members, parents []string, aerr *apiError) {
	if raw, ok := p.raw("members"); ok && pr.kind == kindGroup {
		if members, aerr = refIDs("members", raw); aerr != nil {
			return nil, nil, aerr
		}
		if aerr = e.iam.checkMembers(pr.id, members); aerr != nil {
			return nil, nil, aerr
		}
		members = uniqIDs(members)
	}
	if raw, ok := p.raw("groups"); ok {
		if parents, aerr = refIDs("groups", raw); aerr != nil {
			return nil, nil, aerr
		}
		for _, id := range parents {
			if g := e.iam.byID[id]; g == nil || g.kind != kindGroup {
				return nil, nil, scimNotFound(kindGroup, id)
			}
		}
	}
	return members, parents, nil
}

// setParents makes pr a member of each listed group (nil: no change).
func (e *Emulator) setParents(pr *principal, parents []string) {
	if parents == nil {
		return
	}
	for _, g := range e.iam.parents(pr.id) {
		if !slices.Contains(parents, g.id) && g.id != usersGroupID {
			g.members = slices.DeleteFunc(g.members, func(m string) bool { return m == pr.id })
		}
	}
	for _, id := range parents {
		g := e.iam.byID[id]
		if !slices.Contains(g.members, pr.id) {
			g.members = append(g.members, pr.id)
		}
	}
}

func uniqIDs(ids []string) []string {
	var out []string
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func (e *Emulator) scimGet(k principalKind) handlerFunc {
	return func(p *params) (any, *apiError) {
		pr, aerr := e.iam.find(k, p.path["id"])
		if aerr != nil {
			return nil, aerr
		}
		return projected(e.scimView(pr), p)
	}
}

func (e *Emulator) scimReplace(k principalKind) handlerFunc {
	return func(p *params) (any, *apiError) {
		pr, aerr := e.iam.find(k, p.path["id"])
		if aerr != nil {
			return nil, aerr
		}
		attrs, aerr := readAttrs(k, p)
		if aerr != nil {
			return nil, aerr
		}
		// userName, emails and applicationId cannot be changed; a value
		// sent for them is ignored, as Databricks does.
		for _, fixed := range []string{"userName", "emails", "applicationId"} {
			if v, ok := pr.attrs[fixed]; ok {
				attrs[fixed] = v
			}
		}
		if k == kindGroup && strings.TrimSpace(fmt.Sprint(attrs["displayName"])) == "" {
			return nil, scimInvalid("Request is missing required field: displayName")
		}
		if pr.builtin && k == kindGroup && attrs["displayName"] != pr.attrs["displayName"] {
			return nil, scimInvalid("Cannot rename the built-in group %s.", pr.str("displayName"))
		}
		next := &principal{kind: k, id: pr.id, attrs: attrs}
		if aerr := e.iam.checkUnique(next); aerr != nil {
			return nil, aerr
		}
		members, parents, aerr := e.membership(next, p)
		if aerr != nil {
			return nil, aerr
		}
		pr.attrs = attrs
		if k == kindGroup {
			pr.members = members
		}
		e.setParents(pr, parents)
		return e.scimView(pr), nil
	}
}

func (e *Emulator) scimDelete(k principalKind) handlerFunc {
	return func(p *params) (any, *apiError) {
		pr, aerr := e.iam.find(k, p.path["id"])
		if aerr != nil {
			return nil, aerr
		}
		if pr.builtin {
			return nil, errorf(http.StatusForbidden, "PERMISSION_DENIED", "Cannot delete the built-in %s %s.", strings.ToLower(k.noun()), pr.displayName())
		}
		delete(e.iam.byID, pr.id)
		for _, g := range e.iam.byID {
			g.members = slices.DeleteFunc(g.members, func(m string) bool { return m == pr.id })
		}
		e.dropGrants(pr)
		return nil, nil
	}
}

// scimList serves a list: filter, sortBy/sortOrder, startIndex/count and
// the attribute projections.
func (e *Emulator) scimList(k principalKind) handlerFunc {
	return func(p *params) (any, *apiError) {
		filterText, _ := p.str("filter")
		f, aerr := parseFilter(filterText)
		if aerr != nil {
			return nil, aerr
		}
		var list []map[string]any
		var all []*principal
		for _, pr := range e.iam.byID {
			if pr.kind == k {
				all = append(all, pr)
			}
		}
		slices.SortFunc(all, func(a, b *principal) int { return cmp.Compare(a.seq, b.seq) })
		for _, pr := range all {
			v := e.scimView(pr)
			if f.match(v) {
				list = append(list, v)
			}
		}
		if by, _ := p.str("sortBy"); by != "" {
			slices.SortStableFunc(list, func(a, b map[string]any) int {
				return strings.Compare(strings.ToLower(firstText(lookupAttr(a, by))), strings.ToLower(firstText(lookupAttr(b, by))))
			})
		}
		order, _ := p.str("sortOrder")
		switch order {
		case "", "ascending":
		case "descending":
			slices.Reverse(list)
		default:
			return nil, scimInvalid("Invalid sortOrder %q; use ascending or descending.", order)
		}
		start, _, aerr := p.int64("startIndex")
		if aerr != nil {
			return nil, aerr
		}
		start = max(start, 1)
		count, hasCount, aerr := p.int64("count")
		if aerr != nil {
			return nil, aerr
		}
		const maxCount = 10000
		if !hasCount || count > maxCount {
			count = maxCount
		}
		from := min(int(start-1), len(list))
		to := min(from+max(int(count), 0), len(list))
		page := list[from:to]
		out := map[string]any{
			"schemas":      []string{scimListSchema},
			"totalResults": len(list),
			"startIndex":   start,
			"itemsPerPage": len(page),
		}
		if len(page) > 0 {
			res := make([]any, len(page))
			for i, v := range page {
				res[i], _ = projected(v, p)
			}
			out["Resources"] = res
		}
		return out, nil
	}
}

// A scimFilter is a SCIM filter of comparisons joined by and/or (and binds
// tighter); no parentheses or not(), as Databricks documents.
type scimFilter struct {
	// or of ands
	terms [][]comparison
}

type comparison struct {
	attr, op, value string
}

func (f *scimFilter) match(v map[string]any) bool {
	if f == nil || len(f.terms) == 0 {
		return true
	}
	for _, and := range f.terms {
		ok := true
		for _, c := range and {
			if !c.match(v) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func (c comparison) match(v map[string]any) bool {
	vals := lookupAttr(v, c.attr)
	if c.op == "pr" {
		return len(vals) > 0
	}
	if c.op == "ne" {
		for _, x := range vals {
			if strings.EqualFold(x, c.value) {
				return false
			}
		}
		return true
	}
	want := strings.ToLower(c.value)
	for _, x := range vals {
		x = strings.ToLower(x)
		switch c.op {
		case "eq":
			if x == want {
				return true
			}
		case "co":
			if strings.Contains(x, want) {
				return true
			}
		case "sw":
			if strings.HasPrefix(x, want) {
				return true
			}
		case "ew":
			if strings.HasSuffix(x, want) {
				return true
			}
		}
	}
	return false
}

// lookupAttr finds an attribute by a case-insensitive, possibly dotted path
// (name.givenName, emails.value, members.value) and renders its values as
// text; arrays give one value per entry.
func lookupAttr(v any, path string) []string {
	head, rest, _ := strings.Cut(path, ".")
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			if strings.EqualFold(k, head) {
				if rest == "" {
					return attrTexts(sub)
				}
				return lookupAttr(sub, rest)
			}
		}
	case []any:
		var out []string
		for _, it := range x {
			out = append(out, lookupAttr(it, path)...)
		}
		return out
	}
	return nil
}

func attrTexts(v any) []string {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, it := range x {
			if m, ok := it.(map[string]any); ok {
				out = append(out, attrTexts(m["value"])...)
			} else {
				out = append(out, attrTexts(it)...)
			}
		}
		return out
	case []string:
		return x
	}
	return []string{fmt.Sprint(v)}
}

func firstText(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

var filterOps = []string{"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"}

// parseFilter reads `attr op "value"` comparisons (or `attr pr`) joined by
// and/or. A value may be quoted (with \" escapes) or a bare true, false,
// null or number.
func parseFilter(s string) (*scimFilter, *apiError) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	bad := func() (*scimFilter, *apiError) {
		return nil, scimInvalid("Invalid filter %q: use attribute, operator (eq, ne, co, sw, ew, pr) and a quoted value, joined with and/or.", s)
	}
	toks, ok := filterTokens(s)
	if !ok {
		return bad()
	}
	f := &scimFilter{terms: [][]comparison{nil}}
	for i := 0; i < len(toks); {
		if i > 0 {
			switch strings.ToLower(toks[i].text) {
			case "and":
			case "or":
				f.terms = append(f.terms, nil)
			default:
				return bad()
			}
			i++
		}
		if i+1 >= len(toks) || toks[i].quoted {
			return bad()
		}
		c := comparison{attr: toks[i].text, op: strings.ToLower(toks[i+1].text)}
		if c.op == "pr" {
			i += 2
		} else {
			if !slices.Contains(filterOps, c.op) || i+2 >= len(toks) {
				return bad()
			}
			if slices.Contains([]string{"gt", "ge", "lt", "le"}, c.op) {
				return nil, scimInvalid("Unsupported filter operator %s; supported are eq, ne, co, sw, ew and pr.", c.op)
			}
			c.value = toks[i+2].text
			i += 3
		}
		last := len(f.terms) - 1
		f.terms[last] = append(f.terms[last], c)
	}
	return f, nil
}

type filterToken struct {
	text   string
	quoted bool
}

func filterTokens(s string) ([]filterToken, bool) {
	var out []filterToken
	for i := 0; i < len(s); {
		switch {
		case s[i] == ' ' || s[i] == '\t':
			i++
		case s[i] == '"':
			j := i + 1
			var b strings.Builder
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, false
			}
			out = append(out, filterToken{text: b.String(), quoted: true})
			i = j + 1
		default:
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '\t' {
				j++
			}
			out = append(out, filterToken{text: s[i:j]})
			i = j
		}
	}
	return out, true
}

// scimPatch applies SCIM PATCH Operations: add, remove and replace on
// members, groups, entitlements, roles and the simple attributes, with a
// filtered path (members[value eq "id"]) for removing one entry.
func (e *Emulator) scimPatch(k principalKind) handlerFunc {
	return func(p *params) (any, *apiError) {
		pr, aerr := e.iam.find(k, p.path["id"])
		if aerr != nil {
			return nil, aerr
		}
		raw, ok := p.raw("Operations")
		if !ok {
			return nil, scimInvalid("Request is missing required field: Operations")
		}
		var ops []struct {
			Op    string          `json:"op"`
			Path  string          `json:"path"`
			Value json.RawMessage `json:"value"`
		}
		if err := json.Unmarshal(raw, &ops); err != nil {
			return nil, scimInvalid("Operations must be an array of {op, path, value}.")
		}
		// Work on a copy, so that a failing operation changes nothing.
		work := &principal{kind: pr.kind, id: pr.id, attrs: maps.Clone(pr.attrs), members: slices.Clone(pr.members), builtin: pr.builtin}
		parents := principalIDs(e.iam.parents(pr.id))
		for _, o := range ops {
			op := strings.ToLower(o.Op)
			if !oneOf(op, "add", "remove", "replace") {
				return nil, scimInvalid("Unsupported patch operation %q; use add, remove or replace.", o.Op)
			}
			if o.Path == "" {
				if op == "remove" {
					return nil, scimInvalid("A remove operation needs a path.")
				}
				var obj map[string]json.RawMessage
				if err := json.Unmarshal(o.Value, &obj); err != nil {
					return nil, scimInvalid("An operation without a path needs an object value.")
				}
				for _, name := range slices.Sorted(maps.Keys(obj)) {
					if aerr := e.patchAttr(work, &parents, op, name, "", obj[name]); aerr != nil {
						return nil, aerr
					}
				}
				continue
			}
			name, sel := o.Path, ""
			if i := strings.IndexByte(name, '['); i > 0 && strings.HasSuffix(name, "]") {
				name, sel = name[:i], name[i+1:len(name)-1]
			}
			if aerr := e.patchAttr(work, &parents, op, name, sel, o.Value); aerr != nil {
				return nil, aerr
			}
		}
		if aerr := e.iam.checkUnique(work); aerr != nil {
			return nil, aerr
		}
		if pr.builtin && k == kindGroup && work.str("displayName") != pr.str("displayName") {
			return nil, scimInvalid("Cannot rename the built-in group %s.", pr.str("displayName"))
		}
		pr.attrs, pr.members = work.attrs, work.members
		e.setParents(pr, parents)
		return e.scimView(pr), nil
	}
}

func principalIDs(ps []*principal) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.id)
	}
	return out
}

// patchAttr applies one operation to one attribute of w. sel is the
// filter inside a path's brackets, selecting entries of a multi-valued
// attribute.
func (e *Emulator) patchAttr(w *principal, parents *[]string, op, name, sel string, value json.RawMessage) *apiError {
	lname := strings.ToLower(name)
	var selVals []string
	if sel != "" {
		f, aerr := parseFilter(sel)
		if aerr != nil {
			return aerr
		}
		for _, and := range f.terms {
			for _, c := range and {
				if strings.EqualFold(c.attr, "value") && c.op == "eq" {
					selVals = append(selVals, c.value)
				}
			}
		}
		if len(selVals) == 0 {
			return scimInvalid("Unsupported path filter %q: use value eq \"...\".", sel)
		}
	}
	switch {
	case lname == "members" && w.kind == kindGroup:
		ids, aerr := patchIDs(op, w.members, selVals, value, name)
		if aerr != nil {
			return aerr
		}
		if aerr := e.iam.checkMembers(w.id, ids); aerr != nil {
			return aerr
		}
		w.members = ids
		return nil
	case lname == "groups":
		ids, aerr := patchIDs(op, *parents, selVals, value, name)
		if aerr != nil {
			return aerr
		}
		for _, id := range ids {
			if g := e.iam.byID[id]; g == nil || g.kind != kindGroup {
				return scimNotFound(kindGroup, id)
			}
		}
		*parents = ids
		return nil
	}
	var attr string
	var kind fieldKind
	for n, k := range scimFields[w.kind] {
		if strings.EqualFold(n, name) {
			attr, kind = n, k
		}
	}
	if attr == "" || oneOf(attr, "userName", "applicationId", "emails") {
		return scimInvalid("Invalid path %q for a %s.", name, strings.ToLower(w.kind.noun()))
	}
	if kind == fArray {
		cur := entryValues(w.attrs[attr])
		vals, aerr := patchIDs(op, cur, selVals, value, name)
		if aerr != nil {
			return aerr
		}
		if len(vals) == 0 {
			delete(w.attrs, attr)
			return nil
		}
		entries := make([]any, len(vals))
		for i, v := range vals {
			entries[i] = map[string]any{"value": v}
		}
		w.attrs[attr] = entries
		return nil
	}
	if op == "remove" {
		if attr == "displayName" && w.kind == kindGroup {
			return scimInvalid("A group's displayName cannot be removed.")
		}
		delete(w.attrs, attr)
		return nil
	}
	if attr == "active" {
		// Azure AD sends active as the string "True"/"False".
		if b, err := strconv.ParseBool(strings.Trim(string(value), `"`)); err == nil {
			w.attrs[attr] = b
			return nil
		}
	}
	v, aerr := decodeAttr(kind, attr, value)
	if aerr != nil {
		return aerr
	}
	w.attrs[attr] = v
	return nil
}

// patchIDs applies an operation to a list of entry values.
func patchIDs(op string, cur, selected []string, value json.RawMessage, name string) ([]string, *apiError) {
	var given []string
	if len(value) > 0 && string(value) != "null" {
		ids, aerr := refIDs(name, value)
		if aerr != nil {
			return nil, aerr
		}
		given = ids
	}
	switch op {
	case "add":
		return uniqIDs(append(slices.Clone(cur), given...)), nil
	case "replace":
		if selected != nil {
			return nil, scimInvalid("replace with a filtered path is not supported for %s.", name)
		}
		return uniqIDs(given), nil
	}
	drop := append(selected, given...)
	if len(drop) == 0 {
		return []string{}, nil // remove the whole attribute
	}
	return slices.DeleteFunc(slices.Clone(cur), func(id string) bool { return slices.Contains(drop, id) }), nil
}

// entryValues lists the values of a stored multi-valued attribute.
func entryValues(v any) []string {
	arr, _ := v.([]any)
	var out []string
	for _, it := range arr {
		if m, ok := it.(map[string]any); ok {
			if s, ok := m["value"].(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// Groups 2.0: members and parents by name.

// namedPrincipal reads the user_name or group_name of a Groups 2.0 call.
func (e *Emulator) namedPrincipal(p *params) (*principal, *apiError) {
	user, aerr := p.str("user_name")
	if aerr != nil {
		return nil, aerr
	}
	group, aerr := p.str("group_name")
	if aerr != nil {
		return nil, aerr
	}
	switch {
	case user != "" && group != "":
		return nil, invalidParam("Exactly one of user_name and group_name must be given.")
	case user != "":
		if pr := e.iam.byName(kindUser, user); pr != nil {
			return pr, nil
		}
		if pr := e.iam.byName(kindSP, user); pr != nil {
			return pr, nil
		}
		return nil, notFound("User %s does not exist.", user)
	case group != "":
		if pr := e.iam.byName(kindGroup, group); pr != nil {
			return pr, nil
		}
		return nil, notFound("Group %s does not exist.", group)
	}
	return nil, invalidParam("Exactly one of user_name and group_name must be given.")
}

func (e *Emulator) parentGroup(p *params, field string) (*principal, *apiError) {
	name, aerr := p.requiredStr(field)
	if aerr != nil {
		return nil, aerr
	}
	g := e.iam.byName(kindGroup, name)
	if g == nil {
		return nil, notFound("Group %s does not exist.", name)
	}
	return g, nil
}

func (e *Emulator) groupsAddMember(p *params) (any, *apiError) {
	parent, aerr := e.parentGroup(p, "parent_name")
	if aerr != nil {
		return nil, aerr
	}
	m, aerr := e.namedPrincipal(p)
	if aerr != nil {
		return nil, aerr
	}
	if m.id == parent.id {
		return nil, invalidParam("A group cannot be a member of itself.")
	}
	if !slices.Contains(parent.members, m.id) {
		parent.members = append(parent.members, m.id)
	}
	return nil, nil
}

func (e *Emulator) groupsRemoveMember(p *params) (any, *apiError) {
	parent, aerr := e.parentGroup(p, "parent_name")
	if aerr != nil {
		return nil, aerr
	}
	m, aerr := e.namedPrincipal(p)
	if aerr != nil {
		return nil, aerr
	}
	if !slices.Contains(parent.members, m.id) {
		return nil, notFound("%s is not a member of group %s.", m.uniqueName(), parent.str("displayName"))
	}
	parent.members = slices.DeleteFunc(parent.members, func(id string) bool { return id == m.id })
	return nil, nil
}

func (e *Emulator) groupsListMembers(p *params) (any, *apiError) {
	g, aerr := e.parentGroup(p, "group_name")
	if aerr != nil {
		return nil, aerr
	}
	var out []any
	for _, id := range g.members {
		m := e.iam.byID[id]
		if m == nil {
			continue
		}
		if m.kind == kindGroup {
			out = append(out, map[string]string{"group_name": m.uniqueName()})
		} else {
			out = append(out, map[string]string{"user_name": m.uniqueName()})
		}
	}
	if out == nil {
		return nil, nil
	}
	return map[string]any{"members": out}, nil
}

func (e *Emulator) groupsListParents(p *params) (any, *apiError) {
	m, aerr := e.namedPrincipal(p)
	if aerr != nil {
		return nil, aerr
	}
	var names []string
	for _, g := range e.iam.parents(m.id) {
		names = append(names, g.uniqueName())
	}
	if names == nil {
		return nil, nil
	}
	return map[string]any{"group_names": names}, nil
}
