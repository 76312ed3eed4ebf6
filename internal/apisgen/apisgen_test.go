package apisgen

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestGeneratedUpToDate fails when an API area package was added under
// client/ without `go generate ./...`, which would leave its operations out
// of every registry.
func TestGeneratedUpToDate(t *testing.T) {
	want, err := Generate("../../client")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../client/apis/zz_apis.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("client/apis/zz_apis.go is stale: run go generate ./...")
	}
	if !strings.Contains(string(want), `"github.com/dbx-mcp/dbx-mcp/client/compute"`) {
		t.Errorf("compute is not among the areas:\n%s", want)
	}
}
