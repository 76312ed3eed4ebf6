package schema

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// Trimming: what a model pays for in tools/list is every byte of every
// schema, and deep nesting is where the bytes are. An output schema need
// only say the shape of the answer near its top (the values themselves are
// in the result); an input schema's deep fields need a name, a type and a
// hint, not a paragraph. The trimmed schema never accepts less than the full
// one: only properties of output nodes and the wording of descriptions go.

// TrimOutput returns output schema s with the properties of objects nested
// deeper than maxDepth left out (an array's items count at the array's
// depth). Such objects keep their type and accept any members, as output
// schemas do anyway.
func TrimOutput(s json.RawMessage, maxDepth int) (json.RawMessage, error) {
	n, err := decodeTree(s)
	if err != nil {
		return nil, err
	}
	defs := n.get("$defs")
	inlineRefs(n, defs, 0, maxDepth)
	trimDepth(n, 0, maxDepth)
	pruneDefs(n)
	return n.encode()
}

// inlineRefs replaces each local $ref above maxDepth by a copy of the
// definition it names, and each one at or below it by the definition's bare
// type, so that trimming by depth sees the schema as it is used.
func inlineRefs(t, defs *tree, depth, maxDepth int) { inlineWithin(t, defs, depth, maxDepth, nil) }

// inlineWithin is inlineRefs with the definitions being inlined on the way
// down: a definition that refers to itself (any JSON value, whose arrays hold
// JSON values) keeps its $ref rather than being copied into itself for ever,
// and so does one without a type of its own to stand for it below maxDepth.
func inlineWithin(t, defs *tree, depth, maxDepth int, inlining []string) {
	if t == nil || t.leaf != nil {
		return
	}
	if ref := t.get("$ref"); ref != nil && ref.leaf != nil && defs != nil {
		var r string
		if json.Unmarshal(ref.leaf, &r) == nil {
			name := strings.TrimPrefix(r, "#/$defs/")
			def := defs.get(name)
			switch {
			case def == nil || def.leaf != nil || slices.Contains(inlining, name):
			case depth >= maxDepth:
				if ty := def.get("type"); ty != nil {
					t.del("$ref")
					t.keys, t.vals = append([]string{"type"}, t.keys...), append([]*tree{ty}, t.vals...)
				}
			default:
				desc := t.get("description")
				t.del("$ref")
				cp := def.clone()
				for i, k := range cp.keys {
					if k == "description" && desc != nil {
						continue
					}
					t.keys, t.vals = append(t.keys, k), append(t.vals, cp.vals[i])
				}
				inlining = append(slices.Clip(inlining), name)
			}
		}
	}
	t.children(depth, func(c *tree, d int) {
		if c != defs {
			inlineWithin(c, defs, d, maxDepth, inlining)
		}
	})
}

func (t *tree) clone() *tree {
	if t == nil {
		return nil
	}
	c := &tree{leaf: t.leaf, keys: append([]string(nil), t.keys...)}
	for _, v := range t.vals {
		c.vals = append(c.vals, v.clone())
	}
	return c
}

// pruneDefs drops the definitions no $ref reaches any more (after
// properties were deleted, collapsed or trimmed), and $defs itself when it
// is left empty.
func pruneDefs(root *tree) {
	defs := root.get("$defs")
	if defs == nil || defs.leaf != nil {
		return
	}
	for {
		enc, err := root.encode()
		if err != nil {
			return
		}
		removed := false
		for i := 0; i < len(defs.keys); i++ {
			name := defs.keys[i]
			refs := strings.Count(string(enc), `"#/$defs/`+name+`"`)
			self, _ := defs.vals[i].encode()
			if refs-strings.Count(string(self), `"#/$defs/`+name+`"`) <= 0 {
				defs.del(name)
				removed = true
				i--
			}
		}
		if !removed {
			break
		}
	}
	if len(defs.keys) == 0 {
		root.del("$defs")
	}
}

// TerseDescriptions returns input schema s with the descriptions of
// properties nested at least fromDepth deep cut to their first sentence.
func TerseDescriptions(s json.RawMessage, fromDepth int) (json.RawMessage, error) {
	n, err := decodeTree(s)
	if err != nil {
		return nil, err
	}
	terse(n, 0, fromDepth)
	return n.encode()
}

// tree is a JSON value that keeps its object keys in order.
type tree struct {
	keys []string
	vals []*tree
	leaf json.RawMessage // set for everything but objects
}

func decodeTree(b []byte) (*tree, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return &tree{leaf: append(json.RawMessage(nil), b...)}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	t := &tree{}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		v, err := decodeTree(raw)
		if err != nil {
			return nil, err
		}
		t.keys = append(t.keys, k.(string))
		t.vals = append(t.vals, v)
	}
	return t, nil
}

func (t *tree) get(k string) *tree {
	for i, key := range t.keys {
		if key == k {
			return t.vals[i]
		}
	}
	return nil
}

func (t *tree) del(k string) {
	for i, key := range t.keys {
		if key == k {
			t.keys = append(t.keys[:i], t.keys[i+1:]...)
			t.vals = append(t.vals[:i], t.vals[i+1:]...)
			return
		}
	}
}

func (t *tree) encode() (json.RawMessage, error) {
	var b bytes.Buffer
	if err := t.write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (t *tree) write(b *bytes.Buffer) error {
	if t.leaf != nil {
		return json.Compact(b, t.leaf)
	}
	b.WriteByte('{')
	for i, k := range t.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		if err := t.vals[i].write(b); err != nil {
			return err
		}
	}
	b.WriteByte('}')
	return nil
}

// children calls fn on each schema nested in t with its depth: properties
// and additionalProperties one deeper, items and the branches of
// anyOf/oneOf/allOf at t's own depth.
func (t *tree) children(depth int, fn func(*tree, int)) {
	if t == nil || t.leaf != nil {
		return
	}
	if props := t.get("properties"); props != nil && props.leaf == nil {
		for _, v := range props.vals {
			fn(v, depth+1)
		}
	}
	if ap := t.get("additionalProperties"); ap != nil && ap.leaf == nil {
		fn(ap, depth+1)
	}
	if it := t.get("items"); it != nil && it.leaf == nil {
		fn(it, depth)
	}
	for _, k := range []string{"anyOf", "oneOf", "allOf"} {
		if arr := t.get(k); arr != nil && arr.leaf != nil {
			var branches []json.RawMessage
			if json.Unmarshal(arr.leaf, &branches) == nil {
				var out []json.RawMessage
				for _, br := range branches {
					bt, err := decodeTree(br)
					if err != nil {
						return
					}
					fn(bt, depth)
					enc, err := bt.encode()
					if err != nil {
						return
					}
					out = append(out, enc)
				}
				arr.leaf, _ = json.Marshal(out)
			}
		}
	}
	if defs := t.get("$defs"); defs != nil && defs.leaf == nil {
		// A definition serves several places; it is taken to stand one
		// level down, where repeated types usually are.
		for _, v := range defs.vals {
			fn(v, depth+1)
		}
	}
}

func trimDepth(t *tree, depth, maxDepth int) {
	if t == nil || t.leaf != nil {
		return
	}
	if depth >= maxDepth && t.get("properties") != nil {
		t.del("properties")
		t.del("additionalProperties")
		t.del("required")
		return
	}
	if depth >= maxDepth {
		if ap := t.get("additionalProperties"); ap != nil && ap.leaf == nil {
			t.del("additionalProperties")
		}
	}
	t.children(depth, func(c *tree, d int) { trimDepth(c, d, maxDepth) })
}

func terse(t *tree, depth, fromDepth int) {
	if t == nil || t.leaf != nil {
		return
	}
	if depth >= fromDepth {
		if d := t.get("description"); d != nil && d.leaf != nil {
			var s string
			if json.Unmarshal(d.leaf, &s) == nil {
				d.leaf, _ = json.Marshal(firstSentence(s))
			}
		}
	}
	t.children(depth, func(c *tree, d int) { terse(c, d, fromDepth) })
}

// firstSentence is the text up to the first ". " that ends a sentence (not
// one inside "e.g. " or "i.e. "), with its period.
func firstSentence(s string) string {
	from := 0
	for {
		i := strings.Index(s[from:], ". ")
		if i < 0 {
			return s
		}
		end := from + i
		word := s[strings.LastIndexAny(s[:end], " (")+1 : end]
		if word != "e.g" && word != "i.e" && word != "etc" && word != "vs" && len(word) > 1 {
			return s[:end+1]
		}
		from = end + 2
	}
}

// DeleteProperties returns schema s without the properties at paths. A path
// names properties from the root; "[]" steps into an array's items and "{}"
// into a map's values. Paths that name nothing are ignored.
func DeleteProperties(s json.RawMessage, paths [][]string) (json.RawMessage, error) {
	n, err := decodeTree(s)
	if err != nil {
		return nil, err
	}
	for _, p := range paths {
		deletePath(n, n, p)
	}
	pruneDefs(n)
	return n.encode()
}

// CollapseProperties returns schema s with the object properties at paths
// (as DeleteProperties takes them) reduced to their type and description:
// a compact schema to advertise, while arguments are still validated
// against the full one.
func CollapseProperties(s json.RawMessage, paths [][]string) (json.RawMessage, error) {
	n, err := decodeTree(s)
	if err != nil {
		return nil, err
	}
	for _, p := range paths {
		if target := lookupPath(n, n, p); target != nil && target.leaf == nil {
			kept := &tree{}
			if target.get("type") == nil {
				if def := resolveRef(n, target); def != nil && def.get("type") != nil {
					kept.keys, kept.vals = append(kept.keys, "type"), append(kept.vals, def.get("type"))
				}
			}
			for _, k := range []string{"type", "description"} {
				if v := target.get(k); v != nil {
					kept.keys, kept.vals = append(kept.keys, k), append(kept.vals, v)
				}
			}
			// An array keeps the type of its items: portable schemas need them.
			if it := target.get("items"); it != nil && it.leaf == nil {
				ty := it.get("type")
				if ty == nil {
					if def := resolveRef(n, it); def != nil {
						ty = def.get("type")
					}
				}
				if ty != nil {
					kept.keys = append(kept.keys, "items")
					kept.vals = append(kept.vals, &tree{keys: []string{"type"}, vals: []*tree{ty}})
				}
			}
			*target = *kept
		}
	}
	pruneDefs(n)
	return n.encode()
}

// resolveRef returns the definition a node's local $ref names, if any.
func resolveRef(root, t *tree) *tree {
	ref, defs := t.get("$ref"), root.get("$defs")
	if ref == nil || ref.leaf == nil || defs == nil || defs.leaf != nil {
		return nil
	}
	var r string
	if json.Unmarshal(ref.leaf, &r) != nil {
		return nil
	}
	return defs.get(strings.TrimPrefix(r, "#/$defs/"))
}

// lookupPath follows path from t, through the definitions of root that
// local $refs on the way name (a recursive type, such as a job's task that
// holds a task, sits in $defs): a change there is made once for every use.
func lookupPath(root, t *tree, path []string) *tree {
	for _, step := range path {
		if t == nil || t.leaf != nil {
			return nil
		}
		if def := resolveRef(root, t); def != nil && def.leaf == nil {
			t = def
		}
		switch step {
		case "[]":
			t = t.get("items")
		case "{}":
			t = t.get("additionalProperties")
		default:
			props := t.get("properties")
			if props == nil || props.leaf != nil {
				return nil
			}
			t = props.get(step)
		}
	}
	return t
}

func deletePath(root, t *tree, path []string) {
	if t == nil || t.leaf != nil || len(path) == 0 {
		return
	}
	if def := resolveRef(root, t); def != nil && def.leaf == nil {
		t = def
	}
	switch path[0] {
	case "[]":
		deletePath(root, t.get("items"), path[1:])
		return
	case "{}":
		deletePath(root, t.get("additionalProperties"), path[1:])
		return
	}
	props := t.get("properties")
	if props == nil || props.leaf != nil {
		return
	}
	if len(path) > 1 {
		deletePath(root, props.get(path[0]), path[1:])
		return
	}
	props.del(path[0])
	if req := t.get("required"); req != nil && req.leaf != nil {
		var names []string
		if json.Unmarshal(req.leaf, &names) == nil {
			kept := names[:0]
			for _, n := range names {
				if n != path[0] {
					kept = append(kept, n)
				}
			}
			if len(kept) == 0 {
				t.del("required")
			} else {
				req.leaf, _ = json.Marshal(kept)
			}
		}
	}
}
