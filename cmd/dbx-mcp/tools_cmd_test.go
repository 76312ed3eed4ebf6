package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// `tools NAME` describes one tool for a person; --json prints its
// definition; a near miss gets a did-you-mean.
func TestToolsDescribesOneTool(t *testing.T) {
	code, out, errOut := runBinary(t, cleanEnv(t), "", "tools", "clusters_create")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`^clusters_create — \S`),
		regexp.MustCompile(`(?m)^Access: +write, not idempotent`),
		regexp.MustCompile(`(?m)^Toolset: +clusters$`),
		regexp.MustCompile(`(?m)^Default: +no`),
		regexp.MustCompile(`(?m)^REST: +POST /api/2\.1/clusters/create$`),
		regexp.MustCompile(`(?m)^  spark_version +string +yes +\S`),
		regexp.MustCompile(`(?m)^  num_workers +integer +\S`),
		regexp.MustCompile(`(?m)^  autoscale\.min_workers +integer +\S`),
		regexp.MustCompile(`(?m)^  init_scripts +array of object +\S`),
		regexp.MustCompile(`(?m)^  wait_seconds +integer +Tool option`),
	} {
		if !want.MatchString(out) {
			t.Errorf("output does not match %s:\n%s", want, out)
		}
	}
	if regexp.MustCompile(`(?m)^  autoscale\.\S+\.`).MatchString(out) {
		t.Errorf("nested deeper than one level:\n%s", out)
	}

	code, out, _ = runBinary(t, cleanEnv(t), "", "tools", "clusters_get")
	if code != 0 || !regexp.MustCompile(`(?m)^Access: +read, idempotent`).MatchString(out) || !regexp.MustCompile(`(?m)^Default: +yes`).MatchString(out) {
		t.Errorf("clusters_get: exit %d\n%s", code, out)
	}

	code, out, _ = runBinary(t, cleanEnv(t), "", "tools", "clusters_create", "--json")
	var def struct {
		Name        string          `json:"name"`
		InputSchema json.RawMessage `json:"inputSchema"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &def) != nil || def.Name != "clusters_create" || len(def.InputSchema) == 0 {
		t.Errorf("--json: exit %d, %.200s", code, out)
	}

	code, _, errOut = runBinary(t, cleanEnv(t), "", "tools", "clusters_creat")
	if code != exitUsage || !strings.Contains(errOut, "did you mean clusters_create?") {
		t.Errorf("near miss: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runBinary(t, cleanEnv(t), "", "tools", "clusters_create", "--read-only")
	if code != exitUsage || !strings.Contains(errOut, "--read-only") {
		t.Errorf("a write tool with --read-only: exit %d, stderr %q", code, errOut)
	}
}

func TestFirstSentence(t *testing.T) {
	cases := []struct{ in, want string }{
		{"One. Two.", "One."},
		{"Key, e.g. 15.4.x. More.", "Key, e.g. 15.4.x."},
		{"That is, i.e. this. Rest.", "That is, i.e. this."},
		{"No stop", "No stop"},
		{"Ends here.", "Ends here."},
	}
	for _, tc := range cases {
		if got := firstSentence(tc.in); got != tc.want {
			t.Errorf("firstSentence(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
