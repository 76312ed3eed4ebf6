package client

import (
	"cmp"
	"encoding/json"
	"slices"
	"sync"
)

// Empty is the response of operations that return nothing but success.
type Empty struct {
	Extra map[string]json.RawMessage `json:"-"`
}

var declared struct {
	sync.Mutex
	ops    []Operation
	sorted bool
}

// Declare records an operation so that Operations lists it, and returns
// it. Each API area package declares its endpoints with it:
//
//	var ClustersGet = client.Declare(&client.Endpoint[GetClusterRequest, ClusterDetails]{...})
//
// so the declarations themselves are the only list of operations there is.
func Declare[O Operation](op O) O {
	declared.Lock()
	defer declared.Unlock()
	declared.ops = append(declared.ops, op)
	declared.sorted = false
	return op
}

// Operations lists every declared operation, sorted by tool name. Only the
// API area packages linked into the program have declared theirs; import
// package github.com/dbx-mcp/dbx-mcp/client/apis to link them all.
func Operations() []Operation {
	declared.Lock()
	defer declared.Unlock()
	if !declared.sorted {
		// Sorted by names taken once each, not in every comparison.
		type named struct {
			name string
			op   Operation
		}
		byName := make([]named, len(declared.ops))
		for i, op := range declared.ops {
			byName[i] = named{op.Info().FullName(), op}
		}
		slices.SortStableFunc(byName, func(a, b named) int { return cmp.Compare(a.name, b.name) })
		for i, n := range byName {
			declared.ops[i] = n.op
		}
		declared.sorted = true
	}
	return slices.Clone(declared.ops)
}

// Services lists the services (the first part of the tool names) of the
// declared operations, sorted, each once.
func Services() []string {
	var out []string
	for _, op := range Operations() {
		if s := op.Info().Service; !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}
