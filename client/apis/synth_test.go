package apis_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/internal/fixtures"
	"github.com/dbx-mcp/dbx-mcp/schema"
)

// TestSynthesizedPayloadsRoundTrip goes beyond the recorded payloads: for
// every declared request and response type it builds a payload with every
// field its schema has, an int64 beyond 2^53 wherever an integer goes, and a
// member no struct knows in every object, then decodes it into the type and
// encodes it again. Nothing may be lost or changed.
func TestSynthesizedPayloadsRoundTrip(t *testing.T) {
	checked := 0
	for _, op := range client.Operations() {
		info := op.Info()
		for _, typ := range []reflect.Type{info.Request, info.Response} {
			raw, err := schema.Input(typ) // every field, and which are required
			if err != nil {
				t.Fatal(err)
			}
			payload, err := fixtures.Synthesize(raw)
			if err != nil {
				t.Fatal(err)
			}
			ptr := reflect.New(typ)
			if err := json.Unmarshal(payload, ptr.Interface()); err != nil {
				t.Errorf("%s %s: decode: %v\n%s", info.FullName(), typ, err, payload)
				continue
			}
			out, err := json.Marshal(ptr.Interface())
			if err != nil {
				t.Errorf("%s %s: encode: %v", info.FullName(), typ, err)
				continue
			}
			if diffs := fixtures.SemanticDiff(payload, out); len(diffs) > 0 {
				t.Errorf("%s %s: round trip changed the payload:\n  %s", info.FullName(), typ, strings.Join(diffs, "\n  "))
			}
			checked++
		}
	}
	if checked < 2*len(client.Operations()) {
		t.Errorf("only %d types checked", checked)
	}
}
