package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
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

// Validator checks JSON values against one schema. It understands the
// subset of JSON Schema this package emits (type, properties, required,
// additionalProperties, items, enum, anyOf, oneOf, minimum/maximum,
// minLength/maxLength) and ignores the rest.
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
	enum      []json.RawMessage
	anyOf     []*node
	min, max  *big.Float
	minLen    *int
	maxLen    *int
	never     bool // the false schema
	desc      string
	// secret marks a writeOnly property (a credential or secret value):
	// messages about it never quote the value.
	secret bool
}

// NewValidator compiles a JSON Schema.
func NewValidator(schema json.RawMessage) (*Validator, error) {
	n, err := parseNode(schema)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	return &Validator{root: n}, nil
}

func parseNode(raw json.RawMessage) (*node, error) {
	t := bytes.TrimSpace(raw)
	switch string(t) {
	case "true", "{}":
		return &node{}, nil
	case "false":
		return &node{never: true}, nil
	}
	var s struct {
		Type       json.RawMessage            `json:"type"`
		Properties orderedRaw                 `json:"properties"`
		Required   []string                   `json:"required"`
		Addl       json.RawMessage            `json:"additionalProperties"`
		Items      json.RawMessage            `json:"items"`
		Enum       []json.RawMessage          `json:"enum"`
		AnyOf      []json.RawMessage          `json:"anyOf"`
		OneOf      []json.RawMessage          `json:"oneOf"`
		Minimum    json.Number                `json:"minimum"`
		Maximum    json.Number                `json:"maximum"`
		MinLength  *int                       `json:"minLength"`
		MaxLength  *int                       `json:"maxLength"`
		Desc       string                     `json:"description"`
		WriteOnly  bool                       `json:"writeOnly"`
		Defs       map[string]json.RawMessage `json:"$defs"`
		Ref        string                     `json:"$ref"`
	}
	if err := json.Unmarshal(t, &s); err != nil {
		return nil, err
	}
	if s.Ref != "" {
		return nil, fmt.Errorf("$ref %q is not supported: schemas must be inlined", s.Ref)
	}
	n := &node{required: s.Required, enum: s.Enum, minLen: s.MinLength, maxLen: s.MaxLength, desc: s.Desc, secret: s.WriteOnly}
	if len(s.Type) > 0 {
		if s.Type[0] == '[' {
			if err := json.Unmarshal(s.Type, &n.types); err != nil {
				return nil, err
			}
		} else {
			var one string
			if err := json.Unmarshal(s.Type, &one); err != nil {
				return nil, err
			}
			n.types = []string{one}
		}
	}
	if len(s.Properties.keys) > 0 {
		n.props = map[string]*node{}
		for i, k := range s.Properties.keys {
			c, err := parseNode(s.Properties.vals[i])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			n.props[k] = c
			n.propOrder = append(n.propOrder, k)
		}
	}
	if len(s.Addl) > 0 {
		c, err := parseNode(s.Addl)
		if err != nil {
			return nil, err
		}
		if c.never {
			n.closed = true
		} else {
			n.addl = c
		}
	}
	if len(s.Items) > 0 {
		c, err := parseNode(s.Items)
		if err != nil {
			return nil, err
		}
		n.items = c
	}
	for _, sub := range append(s.AnyOf, s.OneOf...) {
		c, err := parseNode(sub)
		if err != nil {
			return nil, err
		}
		n.anyOf = append(n.anyOf, c)
	}
	if s.Minimum != "" {
		n.min, _ = new(big.Float).SetString(s.Minimum.String())
	}
	if s.Maximum != "" {
		n.max, _ = new(big.Float).SetString(s.Maximum.String())
	}
	return n, nil
}

// orderedRaw decodes a JSON object keeping its key order.
type orderedRaw struct {
	keys []string
	vals []json.RawMessage
}

func (o *orderedRaw) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return err
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
	check(v.root, doc, "", &p)
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

func check(n *node, val any, path string, out *[]Problem) {
	if n.never {
		*out = append(*out, Problem{path, "no value is allowed here"})
		return
	}
	if len(n.anyOf) > 0 {
		var best []Problem
		for _, alt := range n.anyOf {
			var p []Problem
			check(alt, val, path, &p)
			if len(p) == 0 {
				best = nil
				break
			}
			if best == nil || len(p) < len(best) {
				best = p
			}
		}
		if best != nil {
			*out = append(*out, best...)
			return
		}
	}
	show := describe
	if n.secret {
		show = describeType
	}
	if len(n.types) > 0 && !typeMatches(n.types, val) {
		*out = append(*out, Problem{path, fmt.Sprintf("expected %s, got %s", typeList(n.types), show(val))})
		return
	}
	if len(n.enum) > 0 && !enumMatches(n.enum, val) {
		*out = append(*out, Problem{path, fmt.Sprintf("%s is not an allowed value; allowed values: %s", show(val), enumList(n.enum))})
		return
	}
	switch x := val.(type) {
	case map[string]any:
		checkObject(n, x, path, out)
	case []any:
		if n.items != nil {
			for i, it := range x {
				check(n.items, it, path+"["+strconv.Itoa(i)+"]", out)
			}
		}
	case string:
		l := len([]rune(x))
		if n.minLen != nil && l < *n.minLen {
			*out = append(*out, Problem{path, fmt.Sprintf("must be at least %d characters long", *n.minLen)})
		}
		if n.maxLen != nil && l > *n.maxLen {
			*out = append(*out, Problem{path, fmt.Sprintf("must be at most %d characters long, got %d", *n.maxLen, l)})
		}
	case json.Number:
		f, _ := new(big.Float).SetString(x.String())
		if f != nil && n.min != nil && f.Cmp(n.min) < 0 {
			*out = append(*out, Problem{path, fmt.Sprintf("must be at least %s, got %s", n.min.Text('g', -1), x)})
		}
		if f != nil && n.max != nil && f.Cmp(n.max) > 0 {
			*out = append(*out, Problem{path, fmt.Sprintf("must be at most %s, got %s", n.max.Text('g', -1), x)})
		}
	}
}

func checkObject(n *node, obj map[string]any, path string, out *[]Problem) {
	for _, r := range n.required {
		if _, ok := obj[r]; !ok {
			msg := "required property is missing"
			if c := n.props[r]; c != nil && len(c.types) > 0 {
				msg += " (" + typeList(c.types) + ")"
			}
			*out = append(*out, Problem{join(path, r), msg})
		}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if c, ok := n.props[k]; ok {
			check(c, obj[k], join(path, k), out)
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
			check(n.addl, obj[k], join(path, k), out)
		}
	}
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

func enumMatches(enum []json.RawMessage, val any) bool {
	b, err := json.Marshal(val)
	if err != nil {
		return false
	}
	for _, e := range enum {
		if bytes.Equal(bytes.TrimSpace(e), b) {
			return true
		}
	}
	return false
}

func enumList(enum []json.RawMessage) string {
	parts := make([]string, len(enum))
	for i, e := range enum {
		parts[i] = string(e)
	}
	return strings.Join(parts, ", ")
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
