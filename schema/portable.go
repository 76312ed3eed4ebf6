package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// PortabilityProblems lists what in a tool's JSON Schema some MCP client
// may reject, or what our validator would not enforce, one message per
// finding, each starting with the JSON pointer of the schema concerned;
// nil means the schema is fine. It reports:
//   - "type" arrays (use anyOf of one-type schemas);
//   - schemas that admit any value: {}, a schema with no type, enum,
//     const, $ref, anyOf, oneOf or allOf, and the boolean schemas true and
//     false anywhere but as additionalProperties;
//   - array schemas without items;
//   - $refs other than "#/$defs/<name>" naming a definition of the
//     root's $defs, $defs anywhere but at the root, and keywords other
//     than annotations beside a $ref (draft-07 readers ignore them, so
//     the schema would mean something else to them);
//   - keywords the validator does not enforce (and does not know as
//     annotations), formats other than date-time, date, email, uri, uuid,
//     ipv4, ipv6, int32 and int64, content encodings other than base64,
//     and patterns that are not Go regular expressions;
//   - anything else that keeps NewValidator from compiling the schema.
func PortabilityProblems(raw json.RawMessage) []string {
	var root orderedRaw
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' || root.UnmarshalJSON(t) != nil {
		return []string{"/: a tool schema must be a JSON object"}
	}
	p := &portability{defs: map[string]bool{}}
	for i, k := range root.keys {
		if k != "$defs" {
			continue
		}
		var defs orderedRaw
		if defs.UnmarshalJSON(root.vals[i]) != nil {
			p.add("/$defs", "must be an object of schemas")
			continue
		}
		for _, name := range defs.keys {
			p.defs[name] = true
		}
		for j, name := range defs.keys {
			p.schema("/$defs/"+escapePointer(name), defs.vals[j], false)
		}
	}
	p.schema("", raw, true)
	if len(p.problems) == 0 {
		if _, err := NewValidator(raw); err != nil {
			p.add("", err.Error())
		}
	}
	return p.problems
}

type portability struct {
	defs     map[string]bool
	problems []string
}

func (p *portability) add(at, msg string) {
	if at == "" {
		at = "/"
	}
	p.problems = append(p.problems, at+": "+msg)
}

// constrainers are the keywords that say what JSON type a value has.
var constrainers = []string{"type", "enum", "const", "$ref", "anyOf", "oneOf", "allOf"}

// schema checks the schema at pointer at; the root's $defs are checked
// separately.
func (p *portability) schema(at string, raw json.RawMessage, root bool) {
	t := bytes.TrimSpace(raw)
	if string(t) == "true" || string(t) == "false" {
		p.add(at, fmt.Sprintf("the boolean schema %s is not portable; write a schema object (with a type)", t))
		return
	}
	var kw orderedRaw
	if len(t) == 0 || t[0] != '{' || kw.UnmarshalJSON(t) != nil {
		p.add(at, "a schema must be a JSON object")
		return
	}
	has := map[string]json.RawMessage{}
	for i, k := range kw.keys {
		has[k] = kw.vals[i]
	}
	constrained := false
	for _, k := range constrainers {
		if _, ok := has[k]; ok {
			constrained = true
		}
	}
	if !constrained {
		p.add(at, "the schema admits any value, which some clients reject; give it a type")
	}
	if _, ok := has["$ref"]; ok {
		for _, k := range kw.keys {
			if k != "$ref" && !annotations[k] {
				p.add(at, fmt.Sprintf("keyword %q beside $ref is ignored by clients that read JSON Schema draft-07; only annotations may sit beside $ref", k))
			}
		}
	}
	for i, k := range kw.keys {
		v := kw.vals[i]
		switch {
		case k == "$defs":
			if !root {
				p.add(at, "$defs is only supported at the root of a tool schema")
			}
		case !enforced[k] && !annotations[k]:
			p.add(at, fmt.Sprintf("keyword %q is not enforced by the validator", k))
		}
		switch k {
		case "type":
			if tv := bytes.TrimSpace(v); len(tv) > 0 && tv[0] == '[' {
				p.add(at, fmt.Sprintf(`"type" is an array (%s), which GPT-backed clients reject; use anyOf of one-type schemas`, compactText(tv)))
			}
			var one string
			if json.Unmarshal(v, &one) == nil && one == "array" && has["items"] == nil {
				p.add(at, "an array schema needs items, or OpenAI-backed clients reject it")
			}
		case "$ref":
			var ref string
			_ = json.Unmarshal(v, &ref)
			name, local := strings.CutPrefix(ref, "#/$defs/")
			switch {
			case !local || name == "" || strings.Contains(name, "/"):
				p.add(at, fmt.Sprintf(`$ref %q is not a local reference of the form "#/$defs/<name>"`, ref))
			case !p.defs[unescapePointer(name)]:
				p.add(at, fmt.Sprintf("$ref %q does not resolve: the root's $defs has no %q", ref, unescapePointer(name)))
			}
		case "format":
			var f string
			_ = json.Unmarshal(v, &f)
			if _, ok := formats[f]; !ok {
				p.add(at, fmt.Sprintf("format %q is not enforced by the validator", f))
			}
		case "contentEncoding":
			var e string
			_ = json.Unmarshal(v, &e)
			if e != "base64" {
				p.add(at, fmt.Sprintf("content encoding %q is not enforced by the validator", e))
			}
		case "pattern":
			var re string
			_ = json.Unmarshal(v, &re)
			if _, err := regexp.Compile(re); err != nil {
				p.add(at, fmt.Sprintf("pattern %q is not a Go (RE2) regular expression: %v", re, err))
			}
		case "properties":
			var props orderedRaw
			if props.UnmarshalJSON(v) != nil {
				p.add(at+"/properties", "must be an object of schemas")
				continue
			}
			for j, name := range props.keys {
				p.schema(at+"/properties/"+escapePointer(name), props.vals[j], false)
			}
		case "items":
			p.schema(at+"/items", v, false)
		case "additionalProperties":
			if b := string(bytes.TrimSpace(v)); b != "true" && b != "false" {
				p.schema(at+"/additionalProperties", v, false)
			}
		case "anyOf", "oneOf", "allOf":
			var subs []json.RawMessage
			if json.Unmarshal(v, &subs) != nil {
				p.add(at+"/"+k, "must be an array of schemas")
				continue
			}
			for j, sub := range subs {
				p.schema(fmt.Sprintf("%s/%s/%d", at, k, j), sub, false)
			}
		}
	}
}
