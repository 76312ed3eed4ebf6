package emulator_test

import (
	"regexp"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client"
	_ "github.com/dbx-mcp/dbx-mcp/client/apis"
	"github.com/dbx-mcp/dbx-mcp/emulator"
)

// notEmulated lists the declared operations the emulator deliberately does
// not serve, by tool name, each with the reason. An operation must be
// emulated or listed here.
var notEmulated = map[string]string{}

var placeholder = regexp.MustCompile(`\{[a-z0-9_]+(\.\.\.)?\}`)

// TestEveryOperationEmulated is the guard that keeps the emulator and the
// declarations together: each declared operation is served (by method and
// path, placeholders matching placeholders) or listed in notEmulated.
func TestEveryOperationEmulated(t *testing.T) {
	served := map[string]bool{}
	for _, r := range emulator.New(emulator.Options{}).Routes() {
		served[r.Method+" "+placeholder.ReplaceAllString(r.Path, "{}")] = true
	}
	declared := map[string]bool{}
	for _, op := range client.Operations() {
		info := op.Info()
		name := info.FullName()
		declared[name] = true
		route := info.Method + " " + placeholder.ReplaceAllString(info.Path, "{}")
		reason, skipped := notEmulated[name]
		switch {
		case served[route] && skipped:
			t.Errorf("%s (%s) is emulated but listed as not emulated (%s)", name, route, reason)
		case !served[route] && !skipped:
			t.Errorf("%s (%s) is neither emulated nor listed in notEmulated with a reason", name, route)
		case skipped && reason == "":
			t.Errorf("%s: notEmulated needs a reason", name)
		}
	}
	for name := range notEmulated {
		if !declared[name] {
			t.Errorf("notEmulated lists %s, which is not a declared operation", name)
		}
	}
	if len(declared) == 0 {
		t.Fatal("no operations declared; client/apis not linked")
	}
}
