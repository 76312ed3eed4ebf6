package tools

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"

	"github.com/dbx-mcp/dbx-mcp/schema"
)

// Clouds are the clouds a workspace runs on. A request field that applies
// on one cloud only carries a cloud:"<cloud>" struct tag; the tools of a
// server that knows its workspace's cloud leave the other clouds' fields
// out of their schemas (an Azure workspace has no use for aws_attributes),
// which keeps the cluster specs within their budget.
var Clouds = []string{"aws", "azure", "gcp"}

// CompactTag marks a request field whose schema is advertised compactly,
// as its type and description, while arguments are still validated against
// the full schema: advertise:"compact" on a nested spec that another tool
// already describes (a job's new_cluster is the spec clusters_create takes;
// its description says so).
const CompactTag = "advertise"

// cloudPaths lists, per cloud, the argument paths (as schema.DeleteProperties
// takes them) of request type t's fields that apply on that cloud only, and
// under the key compactKey the paths of fields tagged advertise:"compact".
func cloudPaths(t reflect.Type) map[string][][]string {
	out := map[string][][]string{}
	var walk func(t reflect.Type, path []string, depth int)
	walk = func(t reflect.Type, path []string, depth int) {
		if depth > 12 {
			return // a recursive type: its cloud fields were found above
		}
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Slice, reflect.Array:
			if t.Elem().Kind() != reflect.Uint8 {
				walk(t.Elem(), append(slices.Clip(path), "[]"), depth+1)
			}
			return
		case reflect.Map:
			walk(t.Elem(), append(slices.Clip(path), "{}"), depth+1)
			return
		case reflect.Struct:
		default:
			return
		}
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" || !f.IsExported() && !f.Anonymous {
				continue
			}
			if f.Anonymous && name == "" {
				walk(f.Type, path, depth)
				continue
			}
			if name == "" {
				name = f.Name
			}
			p := append(slices.Clip(path), name)
			if f.Tag.Get(CompactTag) == "compact" {
				out[compactKey] = append(out[compactKey], p)
			}
			if tag := f.Tag.Get("cloud"); tag != "" {
				for c := range strings.SplitSeq(tag, ",") {
					out[strings.TrimSpace(c)] = append(out[strings.TrimSpace(c)], p)
				}
				continue
			}
			walk(f.Type, p, depth+1)
		}
	}
	walk(t, nil, 0)
	if len(out) == 0 {
		return nil
	}
	return out
}

// compactKey is the cloudOnly entry listing the fields advertised
// compactly whatever the cloud.
const compactKey = "compact"

// tailor returns the input schema to advertise and the one to validate
// against. Fields tagged advertise:"compact" are advertised as type and
// description in every case. For a known cloud both leave out the fields of the other
// clouds. For an unknown one every cloud's fields are accepted and checked
// in full, but advertised compactly (type and description), which keeps a
// cluster spec within the tool budget.
func tailor(in json.RawMessage, cloudOnly map[string][][]string, cloud string) (advertised, full json.RawMessage, err error) {
	advertised, full, err = tailorCloud(in, cloudOnly, cloud)
	if err != nil || len(cloudOnly[compactKey]) == 0 {
		return advertised, full, err
	}
	advertised, err = schema.CollapseProperties(advertised, cloudOnly[compactKey])
	return advertised, full, err
}

func tailorCloud(in json.RawMessage, cloudOnly map[string][][]string, cloud string) (advertised, full json.RawMessage, err error) {
	if len(cloudOnly) == 0 || (len(cloudOnly) == 1 && cloudOnly[compactKey] != nil) {
		return in, in, nil
	}
	if cloud == "" {
		var all [][]string
		for _, c := range Clouds {
			for _, p := range cloudOnly[c] {
				if !slices.ContainsFunc(all, func(q []string) bool { return slices.Equal(p, q) }) {
					all = append(all, p)
				}
			}
		}
		advertised, err = schema.CollapseProperties(in, all)
		return advertised, in, err
	}
	// A field tagged for several clouds is listed under each; it goes only
	// when cloud is not among them.
	var drop [][]string
	for c, paths := range cloudOnly {
		if c == cloud || c == compactKey {
			continue
		}
		for _, p := range paths {
			if !slices.ContainsFunc(cloudOnly[cloud], func(q []string) bool { return slices.Equal(p, q) }) {
				drop = append(drop, p)
			}
		}
	}
	tailored, err := schema.DeleteProperties(in, drop)
	return tailored, tailored, err
}
