// Package lossless keeps the JSON members an API struct has no field for.
// Every API struct carries
//
//	Extra map[string]json.RawMessage `json:"-"`
//
// and a generated MarshalJSON/UnmarshalJSON pair (zz_lossless.go, written by
// internal/lossgen) that routes through Decode and Encode, so members the
// struct has no field for survive a decode/encode round trip with their
// values and number text intact.
package lossless

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"sync"
)

var knownKeysCache sync.Map // reflect.Type -> *fieldKeys

// fieldKeys are the JSON member names a struct type has fields for.
type fieldKeys struct {
	exact map[string]struct{}
	// folded holds the names in lower case: encoding/json also fills a
	// field from a member whose name differs only in case, and such a member
	// must not be kept a second time in Extra.
	folded map[string]struct{}
}

// has reports whether a member named k decodes into a field.
func (f *fieldKeys) has(k string) bool {
	if _, ok := f.exact[k]; ok {
		return true
	}
	_, ok := f.folded[strings.ToLower(k)]
	return ok
}

// knownKeys lists the JSON member names the struct type t decodes into a
// field, following encoding/json's rules for tags and embedded structs.
func knownKeys(t reflect.Type) *fieldKeys {
	if v, ok := knownKeysCache.Load(t); ok {
		return v.(*fieldKeys)
	}
	keys := map[string]struct{}{}
	collectKeys(t, keys)
	fk := &fieldKeys{exact: keys, folded: make(map[string]struct{}, len(keys))}
	for k := range keys {
		fk.folded[strings.ToLower(k)] = struct{}{}
	}
	knownKeysCache.Store(t, fk)
	return fk
}

func collectKeys(t reflect.Type, keys map[string]struct{}) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				collectKeys(ft, keys)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		keys[name] = struct{}{}
	}
}

// Decode decodes data into plain (a pointer to a method-less copy of the
// struct type) and stores the members plain has no field for in extra. A
// JSON null leaves the value untouched, as encoding/json does for structs.
func Decode(data []byte, plain any, extra *map[string]json.RawMessage) error {
	if t := bytes.TrimSpace(data); bytes.Equal(t, []byte("null")) {
		return nil
	}
	if err := json.Unmarshal(data, plain); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return err
	}
	known := knownKeys(reflect.TypeOf(plain).Elem())
	for k := range all {
		if known.has(k) {
			delete(all, k)
		}
	}
	if len(all) == 0 {
		all = nil
	}
	*extra = all
	return nil
}

// Encode encodes plain (a method-less copy of the struct) and appends the
// members of extra in sorted key order, skipping names a field claims: the
// typed field is the one source of truth for its member, even when omitted.
func Encode(plain any, extra map[string]json.RawMessage) ([]byte, error) {
	b, err := json.Marshal(plain)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	known := knownKeys(reflect.TypeOf(plain))
	names := make([]string, 0, len(extra))
	for k := range extra {
		if !known.has(k) {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var buf bytes.Buffer
	buf.Grow(len(b) + 32*len(names))
	buf.Write(b[:len(b)-1])
	first := len(b) == 2
	for _, k := range names {
		v := extra[k]
		if len(bytes.TrimSpace(v)) == 0 {
			continue
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		kb, _ := json.Marshal(k)
		buf.Write(kb)
		buf.WriteByte(':')
		if err := json.Compact(&buf, v); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
