package tools

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEToolList fails when the README's tool reference drifts from
// the registry. `go test ./tools -run README -update` rewrites it.
func TestREADMEToolList(t *testing.T) {
	const path = "../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	start := strings.Index(readme, ReadmeBegin)
	end := strings.Index(readme, ReadmeEnd)
	if start < 0 || end < start {
		t.Fatalf("README.md lacks the tool list markers %q ... %q", ReadmeBegin, ReadmeEnd)
	}
	reg, err := NewRegistry(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := ReadmeBegin + "\n" + reg.Markdown() + ReadmeEnd
	got := readme[start : end+len(ReadmeEnd)]
	if got == want {
		return
	}
	if *updateGolden {
		if err := os.WriteFile(path, []byte(readme[:start]+want+readme[end+len(ReadmeEnd):]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's tool list is out of date; run: go test ./tools -run README -update")
}
