package tools

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEToolList fails when the README's tool reference drifts from
// the declarations. `go generate ./...` rewrites it.
func TestREADMEToolList(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := ReadmeSection()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), want) {
		t.Errorf("README.md's tool list is out of date; run: go generate ./...")
	}
}
