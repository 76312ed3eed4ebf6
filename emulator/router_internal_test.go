package emulator

import (
	"cmp"
	"slices"
	"strings"
	"testing"
)

// The route table is in path and method order once the emulator is made,
// whether a route was declared with the rest or added later: match breaks
// ties between equally literal routes by that order.
func TestRoutesSorted(t *testing.T) {
	e := New(Options{})
	defer e.Close()
	byRoute := func(a, b route) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), strings.Compare(a.Method, b.Method))
	}
	if len(e.routes) < 100 || !slices.IsSortedFunc(e.routes, byRoute) {
		t.Fatalf("%d routes, sorted %v", len(e.routes), slices.IsSortedFunc(e.routes, byRoute))
	}
	e.handle("GET", "/a/first", e.clustersListZones)
	if !slices.IsSortedFunc(e.routes, byRoute) || e.routes[0].Path != "/a/first" {
		t.Errorf("a route added after New is not in order: first is %s", e.routes[0].Path)
	}
}
