package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Problem is one reason arguments do not match their schema.
type Problem struct {
	// Path locates the offending value, e.g. "autoscale.max_workers" or
	// "init_scripts[0].volumes.destination"; "" is the arguments object.
	Path string `json:"path"`
	// Message says what is wrong and what is allowed.
	Message string `json:"message"`
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// Validator checks JSON values against one schema. It enforces every
// keyword of the enforced table (JSON Schema 2020-12 less the applicators
// this package never emits) and refuses, when compiling, a schema that
// uses any other keyword except the annotations.
//
// Three rules differ from JSON Schema, on purpose:
//   - "integer" takes integers written as such within int64 (3, -7), not
//     3.0 or 1e3: the arguments reach Databricks as written, and its
//     integer fields take plain digits only.
//   - "number" takes numbers a float64 can hold; 1e400 is refused.
//   - pattern is a Go (RE2) regular expression, where JSON Schema says
//     ECMA-262: lookaround and backreferences do not compile (NewValidator
//     fails), \s, \b and \w are ASCII only, and . matches a code point
//     rather than a UTF-16 unit. The patterns Databricks types need
//     (anchors, classes, repetition) mean the same in both.
//
// $ref takes "#" and "#/$defs/<name>" with $defs at the root: a schema is
// self-contained, as MCP clients need.
type Validator struct {
	root *node
}

type node struct {
	types     []string
	props     map[string]*node
	propOrder []string
	required  []string
	addl      *node // nil: anything; closed: no others
	closed    bool
	items     *node
	enum      []any
	enumText  []string
	hasConst  bool
	constVal  any
	constText string
	ref       *node
	anyOf     []*node
	oneOf     []*node
	allOf     []*node

	min, max, exclMin, exclMax, multipleOf *bound
	minLen, maxLen                         int // -1: none
	minItems, maxItems                     int
	minProps, maxProps                     int
	unique                                 bool
	pattern                                *regexp.Regexp
	format                                 *format
	formatName                             string
	base64                                 bool

	never bool // the false schema
	desc  string
	// secret marks a writeOnly property (a credential or secret value):
	// messages about it, or anything inside it, never quote the value.
	secret bool
	// eff are the JSON types the node admits, when it says (through type,
	// $ref or its alternatives); nil when it admits any.
	eff []string
}

// bound is a numeric keyword's value, exact and as written.
type bound struct {
	d    decimal
	text string
}

// NewValidator compiles a JSON Schema.
func NewValidator(schema json.RawMessage) (*Validator, error) {
	c := &compiler{defs: map[string]json.RawMessage{}, nodes: map[string]*node{}}
	if err := c.readDefs(schema); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	c.root = c.newNode()
	if err := c.compile(c.root, schema, "", true); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	names := make([]string, 0, len(c.defs))
	for name := range c.defs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, err := c.def(name, ""); err != nil {
			return nil, fmt.Errorf("schema: %w", err)
		}
	}
	if err := c.checkLoops(); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	for _, n := range c.all {
		c.effTypes(n)
	}
	return &Validator{root: c.root}, nil
}

type compiler struct {
	root  *node
	defs  map[string]json.RawMessage
	nodes map[string]*node // compiled $defs by name
	all   []*node
	eff   map[*node]bool // effTypes computed
}

func (c *compiler) newNode() *node {
	n := &node{minLen: -1, maxLen: -1, minItems: -1, maxItems: -1, minProps: -1, maxProps: -1}
	c.all = append(c.all, n)
	return n
}

// readDefs collects the root's $defs, which $refs anywhere may name.
func (c *compiler) readDefs(raw json.RawMessage) error {
	var root struct {
		Defs orderedRaw `json:"$defs"`
	}
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '{' {
		return nil
	}
	if err := json.Unmarshal(t, &root); err != nil {
		return err
	}
	for i, k := range root.Defs.keys {
		c.defs[k] = root.Defs.vals[i]
	}
	return nil
}

// def compiles the definition name once, however often it is referenced.
func (c *compiler) def(name, at string) (*node, error) {
	if n, ok := c.nodes[name]; ok {
		return n, nil
	}
	raw, ok := c.defs[name]
	if !ok {
		return nil, fmt.Errorf("at %s: $ref names %q, which $defs does not define", where(at), name)
	}
	n := c.newNode()
	c.nodes[name] = n
	if err := c.compile(n, raw, "/$defs/"+escapePointer(name), false); err != nil {
		return nil, err
	}
	return n, nil
}

func where(at string) string {
	if at == "" {
		return "the root"
	}
	return at
}

func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

func unescapePointer(s string) string {
	return strings.NewReplacer("~1", "/", "~0", "~").Replace(s)
}

// resolveRef finds the node a local $ref names.
func (c *compiler) resolveRef(ref, at string) (*node, error) {
	if ref == "#" {
		return c.root, nil
	}
	if name, ok := strings.CutPrefix(ref, "#/$defs/"); ok && name != "" && !strings.Contains(name, "/") {
		return c.def(unescapePointer(name), at)
	}
	return nil, fmt.Errorf("at %s: $ref %q is not supported: a schema refers only to itself (\"#\") or its own root $defs (\"#/$defs/<name>\")", where(at), ref)
}

func (c *compiler) compile(n *node, raw json.RawMessage, at string, root bool) error {
	t := bytes.TrimSpace(raw)
	switch string(t) {
	case "true":
		return nil
	case "false":
		n.never = true
		return nil
	}
	if len(t) == 0 || t[0] != '{' {
		return fmt.Errorf("at %s: a schema must be an object or a boolean", where(at))
	}
	var kw orderedRaw
	if err := kw.UnmarshalJSON(t); err != nil {
		return fmt.Errorf("at %s: %w", where(at), err)
	}
	for i, k := range kw.keys {
		if err := c.keyword(n, k, kw.vals[i], at, root); err != nil {
			return err
		}
	}
	return nil
}

// keyword compiles one keyword of a schema object into n.
func (c *compiler) keyword(n *node, k string, v json.RawMessage, at string, root bool) error {
	bad := func(err error) error {
		return fmt.Errorf("at %s: %s: %w", where(at), k, err)
	}
	switch k {
	case "type":
		var types []string
		if t := bytes.TrimSpace(v); len(t) > 0 && t[0] == '[' {
			if err := json.Unmarshal(t, &types); err != nil {
				return bad(err)
			}
		} else {
			var one string
			if err := json.Unmarshal(t, &one); err != nil {
				return bad(err)
			}
			types = []string{one}
		}
		for _, ty := range types {
			switch ty {
			case "object", "array", "string", "number", "integer", "boolean", "null":
			default:
				return bad(fmt.Errorf("unknown type %q", ty))
			}
		}
		n.types = types
	case "properties":
		var props orderedRaw
		if err := props.UnmarshalJSON(v); err != nil {
			return bad(err)
		}
		n.props = make(map[string]*node, len(props.keys))
		for i, name := range props.keys {
			child := c.newNode()
			if err := c.compile(child, props.vals[i], at+"/properties/"+escapePointer(name), false); err != nil {
				return err
			}
			n.props[name] = child
			n.propOrder = append(n.propOrder, name)
		}
	case "required":
		if err := json.Unmarshal(v, &n.required); err != nil {
			return bad(err)
		}
	case "additionalProperties":
		child := c.newNode()
		if err := c.compile(child, v, at+"/additionalProperties", false); err != nil {
			return err
		}
		if child.never {
			n.closed = true
		} else {
			n.addl = child
		}
	case "items":
		if t := bytes.TrimSpace(v); len(t) > 0 && t[0] == '[' {
			return bad(errors.New("an array of schemas (tuple form) is not supported; items takes one schema"))
		}
		n.items = c.newNode()
		return c.compile(n.items, v, at+"/items", false)
	case "enum":
		var vals []json.RawMessage
		if err := json.Unmarshal(v, &vals); err != nil {
			return bad(err)
		}
		if len(vals) == 0 {
			return bad(errors.New("enum lists no value"))
		}
		for _, e := range vals {
			x, err := decodeValue(e)
			if err != nil {
				return bad(err)
			}
			n.enum = append(n.enum, x)
			n.enumText = append(n.enumText, compactText(e))
		}
	case "const":
		x, err := decodeValue(v)
		if err != nil {
			return bad(err)
		}
		n.hasConst, n.constVal, n.constText = true, x, compactText(v)
	case "$ref":
		var ref string
		if err := json.Unmarshal(v, &ref); err != nil {
			return bad(err)
		}
		target, err := c.resolveRef(ref, at)
		if err != nil {
			return err
		}
		n.ref = target
	case "$defs":
		if !root {
			return bad(errors.New("$defs is only supported at the root of a schema"))
		}
	case "anyOf", "oneOf", "allOf":
		var subs []json.RawMessage
		if err := json.Unmarshal(v, &subs); err != nil {
			return bad(err)
		}
		if len(subs) == 0 {
			return bad(errors.New("needs at least one schema"))
		}
		list := make([]*node, len(subs))
		for i, sub := range subs {
			list[i] = c.newNode()
			if err := c.compile(list[i], sub, at+"/"+k+"/"+strconv.Itoa(i), false); err != nil {
				return err
			}
		}
		switch k {
		case "anyOf":
			n.anyOf = list
		case "oneOf":
			n.oneOf = list
		default:
			n.allOf = list
		}
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf":
		var num json.Number
		if err := json.Unmarshal(v, &num); err != nil {
			return bad(err)
		}
		d, ok := parseDecimal(num.String())
		if !ok {
			return bad(fmt.Errorf("%s is not a number", num))
		}
		b := &bound{d: d, text: num.String()}
		switch k {
		case "minimum":
			n.min = b
		case "maximum":
			n.max = b
		case "exclusiveMinimum":
			n.exclMin = b
		case "exclusiveMaximum":
			n.exclMax = b
		default:
			if d.sign() <= 0 {
				return bad(errors.New("must be greater than 0"))
			}
			n.multipleOf = b
		}
	case "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties":
		var x int
		if err := json.Unmarshal(v, &x); err != nil || x < 0 {
			return bad(errors.New("must be a non-negative integer"))
		}
		switch k {
		case "minLength":
			n.minLen = x
		case "maxLength":
			n.maxLen = x
		case "minItems":
			n.minItems = x
		case "maxItems":
			n.maxItems = x
		case "minProperties":
			n.minProps = x
		default:
			n.maxProps = x
		}
	case "uniqueItems":
		if err := json.Unmarshal(v, &n.unique); err != nil {
			return bad(err)
		}
	case "pattern":
		var p string
		if err := json.Unmarshal(v, &p); err != nil {
			return bad(err)
		}
		re, err := regexp.Compile(p)
		if err != nil {
			return bad(fmt.Errorf("%q is not a Go (RE2) regular expression: %w", p, err))
		}
		n.pattern = re
	case "format":
		var f string
		if err := json.Unmarshal(v, &f); err != nil {
			return bad(err)
		}
		ff, ok := formats[f]
		if !ok {
			return bad(fmt.Errorf("format %q is not enforced by the validator", f))
		}
		n.format, n.formatName = &ff, f
	case "contentEncoding":
		var e string
		if err := json.Unmarshal(v, &e); err != nil {
			return bad(err)
		}
		if e != "base64" {
			return bad(fmt.Errorf("content encoding %q is not enforced by the validator (only base64 is)", e))
		}
		n.base64 = true
	case "description":
		if err := json.Unmarshal(v, &n.desc); err != nil {
			return bad(err)
		}
	case "writeOnly":
		if err := json.Unmarshal(v, &n.secret); err != nil {
			return bad(err)
		}
	default:
		if !annotations[k] {
			return fmt.Errorf("at %s: keyword %q is not enforced by the validator", where(at), k)
		}
	}
	return nil
}

// decodeValue reads a JSON value as Validate sees arguments.
func decodeValue(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var x any
	err := dec.Decode(&x)
	return x, err
}

func compactText(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// checkLoops refuses schemas in which a $ref (alone or through anyOf,
// oneOf or allOf) comes back to itself without descending into a property
// or an item: checking a value against one would never end.
func (c *compiler) checkLoops() error {
	const (
		unseen = iota
		active
		done
	)
	state := map[*node]int{}
	var visit func(n *node) bool
	visit = func(n *node) bool {
		switch state[n] {
		case active:
			return false
		case done:
			return true
		}
		state[n] = active
		for _, next := range inPlace(n) {
			if !visit(next) {
				return false
			}
		}
		state[n] = done
		return true
	}
	for _, n := range c.all {
		if !visit(n) {
			return errors.New("a $ref comes back to itself without descending into a property or item, so no value could ever be checked")
		}
	}
	return nil
}

// inPlace lists the nodes that apply to the same value as n.
func inPlace(n *node) []*node {
	var out []*node
	if n.ref != nil {
		out = append(out, n.ref)
	}
	out = append(out, n.anyOf...)
	out = append(out, n.oneOf...)
	return append(out, n.allOf...)
}

// effTypes works out the JSON types n admits, for messages.
func (c *compiler) effTypes(n *node) []string {
	if c.eff == nil {
		c.eff = map[*node]bool{}
	}
	if c.eff[n] {
		return n.eff
	}
	c.eff[n] = true
	switch {
	case len(n.types) > 0:
		n.eff = n.types
	case n.ref != nil:
		n.eff = c.effTypes(n.ref)
	case len(n.anyOf) > 0 || len(n.oneOf) > 0:
		var union []string
		for _, alt := range append(append([]*node{}, n.anyOf...), n.oneOf...) {
			ts := c.effTypes(alt)
			if len(ts) == 0 {
				return nil
			}
			for _, t := range ts {
				if !contains(union, t) {
					union = append(union, t)
				}
			}
		}
		n.eff = union
	}
	return n.eff
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// orderedRaw decodes a JSON object keeping its key order.
type orderedRaw struct {
	keys []string
	vals []json.RawMessage
}

func (o *orderedRaw) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != json.Delim('{') {
		return errors.New("not a JSON object")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return err
		}
		o.keys = append(o.keys, tok.(string))
		o.vals = append(o.vals, v)
	}
	return nil
}

// maxProblems caps how much is reported at once; the first few are what
// the caller fixes first.
const maxProblems = 20

// Validate checks value (a JSON document) and returns what is wrong with
// it, or nothing.
func (v *Validator) Validate(value json.RawMessage) []Problem {
	var p []Problem
	dec := json.NewDecoder(bytes.NewReader(value))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return []Problem{{Message: "arguments are not valid JSON: " + err.Error()}}
	}
	if rest := bytes.TrimSpace(value[dec.InputOffset():]); len(rest) > 0 {
		return []Problem{{Message: "arguments must be a single JSON value, with nothing after it"}}
	}
	check(v.root, doc, "", false, &p)
	if len(p) > maxProblems {
		p = append(p[:maxProblems], Problem{Message: fmt.Sprintf("...and %d more problems", len(p)-maxProblems)})
	}
	return p
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// check appends to out what is wrong with val at path. hide is set inside
// a writeOnly value: no message shows the value then.
func check(n *node, val any, path string, hide bool, out *[]Problem) {
	hide = hide || n.secret
	if n.never {
		*out = append(*out, Problem{path, "no value is allowed here"})
		return
	}
	before := len(*out)
	if n.ref != nil {
		check(n.ref, val, path, hide, out)
	}
	for _, sub := range n.allOf {
		check(sub, val, path, hide, out)
	}
	if len(*out) > before {
		return
	}
	if len(n.anyOf) > 0 && !alternatives(n.anyOf, false, val, path, hide, out) {
		return
	}
	if len(n.oneOf) > 0 && !alternatives(n.oneOf, true, val, path, hide, out) {
		return
	}
	show := describe
	if hide {
		show = describeType
	}
	if len(n.types) > 0 && !typeMatches(n.types, val) {
		*out = append(*out, Problem{path, fmt.Sprintf("expected %s, got %s", typeList(n.types), show(val))})
		return
	}
	if len(n.enum) > 0 && !enumMatches(n.enum, val) {
		*out = append(*out, Problem{path, fmt.Sprintf("%s is not an allowed value; allowed values: %s", show(val), strings.Join(n.enumText, ", "))})
		return
	}
	if n.hasConst && !jsonEqual(n.constVal, val) {
		*out = append(*out, Problem{path, fmt.Sprintf("must be %s, got %s", n.constText, show(val))})
		return
	}
	switch x := val.(type) {
	case map[string]any:
		checkObject(n, x, path, hide, out)
	case []any:
		checkArray(n, x, path, hide, out)
	case string:
		checkString(n, x, path, hide, out)
	case json.Number:
		checkNumber(n, x, path, hide, out)
	}
}

// alternatives checks val against anyOf (exactlyOne false) or oneOf, and
// reports whether it passed. When no alternative fits, the problems are
// those of the alternative of val's type that came closest, or, when none
// takes val's type, the types they take.
func alternatives(alts []*node, exactlyOne bool, val any, path string, hide bool, out *[]Problem) bool {
	var matched []int
	var fails [][]Problem
	for i, alt := range alts {
		if len(alt.eff) > 0 && !typeMatches(alt.eff, val) {
			continue // cannot fit; reported by type below if none does
		}
		var p []Problem
		check(alt, val, path, hide, &p)
		if len(p) == 0 {
			if !exactlyOne {
				return true
			}
			matched = append(matched, i)
			continue
		}
		if fails == nil {
			fails = make([][]Problem, len(alts))
		}
		fails[i] = p
	}
	switch {
	case len(matched) == 1:
		return true
	case len(matched) > 1:
		forms := make([]string, len(matched))
		for i, m := range matched {
			forms[i] = fmt.Sprintf("form %d (%s)", m+1, summary(alts[m]))
		}
		*out = append(*out, Problem{path, fmt.Sprintf("fits %s, but must fit exactly one of the allowed forms; leave out what makes it fit more than one", strings.Join(forms, " and "))})
		return false
	}
	var union []string
	best := -1
	for i, alt := range alts {
		if len(alt.eff) > 0 && !typeMatches(alt.eff, val) {
			for _, t := range alt.eff {
				if !contains(union, t) {
					union = append(union, t)
				}
			}
			continue
		}
		if best < 0 || len(fails[i]) < len(fails[best]) {
			best = i
		}
	}
	if best >= 0 {
		*out = append(*out, fails[best]...)
		return false
	}
	show := describe
	if hide {
		show = describeType
	}
	*out = append(*out, Problem{path, fmt.Sprintf("expected %s, got %s", typeList(union), show(val))})
	return false
}

// summary names one alternative of a oneOf in a few words.
func summary(n *node) string {
	for n.ref != nil && n.desc == "" && len(n.types) == 0 {
		n = n.ref
	}
	if n.desc != "" {
		d, _, _ := strings.Cut(n.desc, ". ")
		if len(d) > 80 {
			d = d[:77] + "..."
		}
		return strings.TrimSuffix(d, ".")
	}
	if len(n.required) > 0 {
		return "an object with " + strings.Join(n.required, ", ")
	}
	if n.hasConst {
		return n.constText
	}
	if len(n.eff) > 0 {
		return typeList(n.eff)
	}
	return "any value"
}

func checkObject(n *node, obj map[string]any, path string, hide bool, out *[]Problem) {
	for _, r := range n.required {
		if _, ok := obj[r]; !ok {
			msg := "required property is missing"
			if c := n.props[r]; c != nil && len(c.eff) > 0 {
				msg += " (" + typeList(c.eff) + ")"
			}
			*out = append(*out, Problem{join(path, r), msg})
		}
	}
	if n.minProps >= 0 && len(obj) < n.minProps {
		*out = append(*out, Problem{path, fmt.Sprintf("must have at least %d %s, got %d", n.minProps, plural(n.minProps, "property", "properties"), len(obj))})
	}
	if n.maxProps >= 0 && len(obj) > n.maxProps {
		*out = append(*out, Problem{path, fmt.Sprintf("must have at most %d %s, got %d", n.maxProps, plural(n.maxProps, "property", "properties"), len(obj))})
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if c, ok := n.props[k]; ok {
			check(c, obj[k], join(path, k), hide, out)
			continue
		}
		switch {
		case n.closed:
			msg := "unknown property"
			if s := closest(k, n.propOrder); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			msg += "; allowed properties: " + strings.Join(n.propOrder, ", ")
			if len(n.propOrder) == 0 {
				msg = "unknown property; this object takes no properties"
			}
			*out = append(*out, Problem{join(path, k), msg})
		case n.addl != nil:
			check(n.addl, obj[k], join(path, k), hide, out)
		}
	}
}

func checkArray(n *node, arr []any, path string, hide bool, out *[]Problem) {
	if n.minItems >= 0 && len(arr) < n.minItems {
		*out = append(*out, Problem{path, fmt.Sprintf("must have at least %d %s, got %d", n.minItems, plural(n.minItems, "item", "items"), len(arr))})
	}
	if n.maxItems >= 0 && len(arr) > n.maxItems {
		*out = append(*out, Problem{path, fmt.Sprintf("must have at most %d %s, got %d", n.maxItems, plural(n.maxItems, "item", "items"), len(arr))})
	}
	if n.unique && len(arr) > 1 {
		seen := make(map[string]int, len(arr))
		var b strings.Builder
		for i, it := range arr {
			b.Reset()
			canonicalText(&b, it)
			if j, ok := seen[b.String()]; ok {
				*out = append(*out, Problem{path, fmt.Sprintf("items [%d] and [%d] are equal; each item must be different", j, i)})
				break
			}
			seen[b.String()] = i
		}
	}
	if n.items != nil {
		for i, it := range arr {
			check(n.items, it, path+"["+strconv.Itoa(i)+"]", hide, out)
		}
	}
}

func checkString(n *node, s string, path string, hide bool, out *[]Problem) {
	if n.minLen >= 0 || n.maxLen >= 0 {
		l := len([]rune(s))
		if n.minLen >= 0 && l < n.minLen {
			*out = append(*out, Problem{path, fmt.Sprintf("must be at least %d characters long", n.minLen)})
		}
		if n.maxLen >= 0 && l > n.maxLen {
			*out = append(*out, Problem{path, fmt.Sprintf("must be at most %d characters long, got %d", n.maxLen, l)})
		}
	}
	if n.pattern == nil && n.format == nil && !n.base64 {
		return
	}
	got := ", got " + describe(s)
	if hide {
		got = " (value not shown)"
	}
	if n.pattern != nil && !n.pattern.MatchString(s) {
		*out = append(*out, Problem{path, fmt.Sprintf("must match the regular expression %s%s", n.pattern, got)})
	}
	if n.format != nil && !n.format.number && !n.format.valid(s) {
		*out = append(*out, Problem{path, fmt.Sprintf("must be %s%s", n.format.want, got)})
	}
	if n.base64 && !isBase64(s) {
		*out = append(*out, Problem{path, "must be base64-encoded (standard alphabet, padded with =)" + got})
	}
}

func checkNumber(n *node, x json.Number, path string, hide bool, out *[]Problem) {
	if n.format == nil && n.min == nil && n.max == nil && n.exclMin == nil && n.exclMax == nil && n.multipleOf == nil {
		return
	}
	got := ", got " + x.String()
	if hide {
		got = " (value not shown)"
	}
	if n.format != nil && n.format.number && !n.format.valid(x.String()) {
		*out = append(*out, Problem{path, fmt.Sprintf("must be %s%s", n.format.want, got)})
	}
	if n.min == nil && n.max == nil && n.exclMin == nil && n.exclMax == nil && n.multipleOf == nil {
		return
	}
	d, ok := parseDecimal(x.String())
	if !ok {
		return
	}
	if n.min != nil && d.cmp(n.min.d) < 0 {
		*out = append(*out, Problem{path, fmt.Sprintf("must be at least %s%s", n.min.text, got)})
	}
	if n.max != nil && d.cmp(n.max.d) > 0 {
		*out = append(*out, Problem{path, fmt.Sprintf("must be at most %s%s", n.max.text, got)})
	}
	if n.exclMin != nil && d.cmp(n.exclMin.d) <= 0 {
		*out = append(*out, Problem{path, fmt.Sprintf("must be greater than %s%s", n.exclMin.text, got)})
	}
	if n.exclMax != nil && d.cmp(n.exclMax.d) >= 0 {
		*out = append(*out, Problem{path, fmt.Sprintf("must be less than %s%s", n.exclMax.text, got)})
	}
	if n.multipleOf != nil && !d.multipleOf(n.multipleOf.d) {
		*out = append(*out, Problem{path, fmt.Sprintf("must be a multiple of %s%s", n.multipleOf.text, got)})
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func typeMatches(types []string, val any) bool {
	for _, t := range types {
		switch t {
		case "object":
			if _, ok := val.(map[string]any); ok {
				return true
			}
		case "array":
			if _, ok := val.([]any); ok {
				return true
			}
		case "string":
			if _, ok := val.(string); ok {
				return true
			}
		case "boolean":
			if _, ok := val.(bool); ok {
				return true
			}
		case "null":
			if val == nil {
				return true
			}
		case "number":
			if n, ok := val.(json.Number); ok && isFinite(n) {
				return true
			}
		case "integer":
			if n, ok := val.(json.Number); ok && isInteger(n) {
				return true
			}
		}
	}
	return false
}

// isInteger accepts integers written as such (3, -7) within int64. 3.0 and
// 1e3 are integers to JSON Schema, but the arguments travel to Databricks as
// written, and its int fields take plain digits only.
func isInteger(n json.Number) bool {
	_, err := strconv.ParseInt(n.String(), 10, 64)
	return err == nil
}

// isFinite accepts numbers a float64 can hold.
func isFinite(n json.Number) bool {
	_, err := strconv.ParseFloat(n.String(), 64)
	return err == nil
}

func typeList(types []string) string {
	words := make([]string, len(types))
	for i, t := range types {
		switch t {
		case "object":
			words[i] = "an object"
		case "array":
			words[i] = "an array"
		case "integer":
			words[i] = "an integer"
		default:
			words[i] = "a " + t
		}
	}
	return strings.Join(words, " or ")
}

func enumMatches(enum []any, val any) bool {
	for _, e := range enum {
		if jsonEqual(e, val) {
			return true
		}
	}
	return false
}

// jsonEqual compares two decoded JSON values as JSON Schema does: numbers
// by value, objects whatever their key order.
func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		if x == y {
			return true
		}
		dx, okx := parseDecimal(x.String())
		dy, oky := parseDecimal(y.String())
		return okx && oky && dx.cmp(dy) == 0
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !jsonEqual(v, w) {
				return false
			}
		}
		return true
	}
	return false
}

// canonicalText writes a decoded JSON value so that values jsonEqual
// calls equal are written alike.
func canonicalText(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case string:
		b.WriteString(strconv.Quote(x))
	case json.Number:
		if d, ok := parseDecimal(x.String()); ok {
			b.WriteString(d.canonical())
		} else {
			b.WriteString(x.String())
		}
	case []any:
		b.WriteByte('[')
		for i, it := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			canonicalText(b, it)
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Quote(k))
			b.WriteByte(':')
			canonicalText(b, x[k])
		}
		b.WriteByte('}')
	}
}

// describe names a value's JSON type and shows short values.
func describe(val any) string {
	switch x := val.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprintf("boolean %v", x)
	case json.Number:
		return "number " + x.String()
	case string:
		if len(x) > 60 {
			x = x[:57] + "..."
		}
		return "string " + strconv.Quote(x)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", val)
}

// describeType names a value's JSON type without showing the value, for
// secret properties.
func describeType(val any) string {
	switch val.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean (value not shown)"
	case json.Number:
		return "a number (value not shown)"
	case string:
		return "a string (value not shown)"
	}
	return describe(val)
}

// closest suggests the allowed name nearest to a misspelt one.
func closest(name string, options []string) string {
	best, bestD := "", 4
	lname := strings.ToLower(name)
	for _, o := range options {
		if d := EditDistance(lname, strings.ToLower(o)); d < bestD {
			best, bestD = o, d
		}
	}
	return best
}

// MarshalJSON writes the object back in its original key order.
func (o orderedRaw) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		if err := json.Compact(&b, o.vals[i]); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
