package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

const createArgs = `{"cluster_name":"c","spark_version":"15.4.x-scala2.12","node_type_id":"Standard_DS3_v2","num_workers":1`

// Each documented exit status, produced by the binary for the reason the
// README gives.
func TestCallExitStatuses(t *testing.T) {
	cases := []struct {
		name   string
		status int
		want   int
		env    []string
		args   []string
		stderr string
	}{
		{"success", exitOK, 0, nil, []string{"call", "--emulator", "clusters_spark_versions"}, ""},
		{"tool error", exitToolError, 1, nil, []string{"call", "--emulator", "clusters_get", `{"cluster_id":7}`}, "cluster_id"},
		{"usage: unknown tool", exitUsage, 2, nil, []string{"call", "--emulator", "clusters_lst"}, "did you mean clusters_list?"},
		{"usage: bad flag", exitUsage, 2, nil, []string{"call", "--no-such-flag", "clusters_list"}, "no-such-flag"},
		{"configuration", exitFailure, 3, []string{"DATABRICKS_TOKEN=x"}, []string{"call", "clusters_list"}, "host"},
		{"wait timed out", exitWaitTimeout, 4, nil, []string{"call", "--emulator", "--emulator-delay", "1h", "clusters_create", createArgs + `,"wait_seconds":1}`}, "Waited 1 s"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.status != tc.want {
				t.Fatalf("the constant is %d, the README documents %d", tc.status, tc.want)
			}
			code, out, errOut := runBinary(t, append(cleanEnv(t), tc.env...), "", tc.args...)
			if code != tc.want || !strings.Contains(errOut, tc.stderr) {
				t.Errorf("exit %d (want %d), stderr %q (want %q), stdout %q", code, tc.want, errOut, tc.stderr, out)
			}
		})
	}
}

// call prints the payload itself; --full the MCP result.
func TestCallPrintsThePayload(t *testing.T) {
	code, out, errOut := runBinary(t, cleanEnv(t), "", "call", "--emulator", "clusters_spark_versions")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Errorf("want one line of JSON, got %q", out)
	}
	var payload struct {
		Versions []struct{ Key string } `json:"versions"`
	}
	if err := json.Unmarshal([]byte(out), &payload); err != nil || len(payload.Versions) == 0 {
		t.Fatalf("stdout is not the API's answer (%v): %s", err, out)
	}
	if strings.Contains(out, "structuredContent") {
		t.Errorf("stdout holds the envelope: %s", out)
	}
	if !strings.Contains(errOut, "fresh embedded emulator") || !strings.Contains(errOut, "dbx-mcp emulator") {
		t.Errorf("no word that the embedded emulator's state ends with the call: %q", errOut)
	}

	code, out, _ = runBinary(t, cleanEnv(t), "", "call", "--emulator", "--full", "clusters_spark_versions")
	var env struct {
		Content           []struct{ Text string } `json:"content"`
		StructuredContent json.RawMessage         `json:"structuredContent"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &env) != nil || len(env.Content) == 0 || len(env.StructuredContent) == 0 {
		t.Errorf("--full: exit %d, %s", code, out)
	}

	code, out, _ = runBinary(t, cleanEnv(t), "", "call", "--emulator", "--pretty", "clusters_spark_versions")
	if code != 0 || !strings.HasPrefix(out, "{\n  \"versions\"") {
		t.Errorf("--pretty: exit %d, %.40q", code, out)
	}
}

// While a tool waits, progress goes to stderr, one line per change with
// the elapsed time; --quiet silences it. stdout has the payload only.
func TestCallProgressOnStderr(t *testing.T) {
	args := []string{"call", "--emulator", "--emulator-delay", "1500ms", "clusters_create", createArgs + `,"wait_seconds":120}`}
	code, out, errOut := runBinary(t, cleanEnv(t), "", args...)
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	var cl struct {
		ClusterID string `json:"cluster_id"`
		State     string `json:"state"`
	}
	if err := json.Unmarshal([]byte(out), &cl); err != nil || cl.State != "RUNNING" {
		t.Fatalf("stdout %q (%v)", out, err)
	}
	progress := regexp.MustCompile(`(?m)^\[[0-9.]+m?s\] cluster ` + regexp.QuoteMeta(cl.ClusterID) + ` is PENDING`)
	lines := progress.FindAllString(errOut, -1)
	if len(lines) != 1 {
		t.Errorf("want exactly one progress line for the one state PENDING, got %d in %q", len(lines), errOut)
	}

	code, _, errOut = runBinary(t, cleanEnv(t), "", append(args, "--quiet")...)
	if code != 0 || strings.Contains(errOut, "PENDING") {
		t.Errorf("--quiet: exit %d, stderr %q", code, errOut)
	}
}

// A wait that ran out exits 4 with the object on stdout and the words on
// stderr.
func TestCallWaitTimeout(t *testing.T) {
	code, out, errOut := runBinary(t, cleanEnv(t), "", "call", "--emulator", "--emulator-delay", "1h", "--quiet", "clusters_create", createArgs+`,"wait_seconds":1}`)
	if code != exitWaitTimeout {
		t.Fatalf("exit %d, want %d: %s %s", code, exitWaitTimeout, out, errOut)
	}
	var cl struct {
		ClusterID string `json:"cluster_id"`
		State     string `json:"state"`
	}
	if err := json.Unmarshal([]byte(out), &cl); err != nil || cl.State != "PENDING" || cl.ClusterID == "" {
		t.Fatalf("stdout %q (%v)", out, err)
	}
	if !strings.Contains(errOut, "cluster "+cl.ClusterID+" is still PENDING (wanted RUNNING)") {
		t.Errorf("stderr %q", errOut)
	}
}

// sql_query's own answer for a statement still running when its time ran
// out exits 4 too.
func TestCallSQLStillRunningExitsWaitTimeout(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/cancel") {
			io.WriteString(w, `{}`)
			return
		}
		io.WriteString(w, `{"statement_id":"st-9","status":{"state":"RUNNING"}}`)
	})
	code, out, errOut := runBinary(t, cleanEnv(t, "DATABRICKS_HOST="+s.URL, "DATABRICKS_TOKEN="+secretToken), "",
		"call", "sql_query", `{"statement":"SELECT 1","warehouse_id":"wh-1","timeout_seconds":1}`)
	if code != exitWaitTimeout {
		t.Fatalf("exit %d, want %d: %s %s", code, exitWaitTimeout, out, errOut)
	}
	var ans struct {
		State    string `json:"state"`
		NextPage string `json:"next_page"`
	}
	if err := json.Unmarshal([]byte(out), &ans); err != nil || ans.State != "RUNNING" || ans.NextPage == "" {
		t.Errorf("stdout %q (%v)", out, err)
	}
	if !strings.Contains(errOut, "Still RUNNING") {
		t.Errorf("stderr %q", errOut)
	}
}

// Ctrl-C during a wait stops it, exits 130 and prints the id of the
// cluster the call created on stdout.
func TestCallInterruptKeepsTheID(t *testing.T) {
	cmd := exec.Command(binPath, "call", "--emulator", "--emulator-delay", "1h", "clusters_create", createArgs+`,"wait_seconds":600}`)
	cmd.Env = cleanEnv(t)
	var out bytes.Buffer
	cmd.Stdout = &out
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	pending := regexp.MustCompile(`cluster (\S+) is PENDING`)
	found := make(chan string, 1)
	var rest bytes.Buffer
	go func() {
		sc := bufio.NewScanner(stderr)
		sent := false
		for sc.Scan() {
			if m := pending.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			} else {
				rest.WriteString(sc.Text() + "\n")
			}
		}
		close(found)
	}()
	var id string
	select {
	case id = <-found:
	case <-time.After(60 * time.Second):
		t.Fatal("no progress line within 60 s")
	}
	if id == "" {
		t.Fatal("stderr ended without a progress line")
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	for range found {
	}
	err = cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != exitInterrupted {
		t.Fatalf("exit %v, want %d; stderr %s", err, exitInterrupted, rest.String())
	}
	var ids struct {
		ClusterID string `json:"cluster_id"`
	}
	if err := json.Unmarshal(out.Bytes(), &ids); err != nil || ids.ClusterID != id {
		t.Errorf("stdout %q, want the id %s (%v)", out.String(), id, err)
	}
	if !strings.Contains(rest.String(), "interrupted") || !strings.Contains(rest.String(), "dbx-mcp call clusters_get '{\"cluster_id\":\""+id) {
		t.Errorf("stderr does not say it was interrupted: %s", rest.String())
	}
}

// A running `dbx-mcp emulator` (started on port 0) is found through the
// record it leaves in the user cache directory, so separate call
// processes share one workspace; the record goes when it stops.
func TestCallSharesARunningEmulator(t *testing.T) {
	home := t.TempDir()
	env := append(cleanEnv(t), "HOME="+home, "XDG_CACHE_HOME="+filepath.Join(home, "cache"))
	emu := exec.Command(binPath, "emulator", "--addr", "127.0.0.1:0", "--log-level", "warn")
	emu.Env = env
	if err := emu.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { emu.Process.Kill(); emu.Wait() })
	record := filepath.Join(home, "cache", "dbx-mcp", "emulator.json")
	deadline := time.Now().Add(60 * time.Second)
	var rec emulatorRecord
	for {
		b, err := os.ReadFile(record)
		if err == nil && json.Unmarshal(b, &rec) == nil && rec.URL != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no emulator record at %s within 60 s", record)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if strings.HasSuffix(rec.URL, ":0") || rec.PID != emu.Process.Pid {
		t.Errorf("record %+v: want the real port and the emulator's pid %d", rec, emu.Process.Pid)
	}
	steps := [][]string{
		{"secrets_create_scope", `{"scope":"s"}`},
		{"secrets_put_secret", `{"scope":"s","key":"k1","string_value":"v"}`},
		{"secrets_list_secrets", `{"scope":"s"}`},
	}
	var out, errOut string
	for _, st := range steps {
		var code int
		code, out, errOut = runBinary(t, env, "", "call", "--emulator", st[0], st[1])
		if code != 0 {
			t.Fatalf("%s: exit %d: %s %s", st[0], code, out, errOut)
		}
		if strings.Contains(errOut, "fresh embedded emulator") {
			t.Errorf("%s did not find the running emulator: %s", st[0], errOut)
		}
	}
	if !strings.Contains(out, `"key":"k1"`) {
		t.Errorf("secrets_list_secrets: %s", out)
	}

	if err := emu.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := emu.Wait(); err != nil {
		t.Errorf("emulator exit: %v", err)
	}
	if _, err := os.Stat(record); !os.IsNotExist(err) {
		t.Errorf("the record outlived the emulator: %v", err)
	}
	// A stale record (nothing listening) is ignored.
	if err := os.WriteFile(record, []byte(`{"url":"`+rec.URL+`","pid":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runBinary(t, env, "", "call", "--emulator", "secrets_list_scopes")
	if code != 0 || !strings.Contains(errOut, "fresh embedded emulator") || strings.Contains(out, `"s"`) {
		t.Errorf("stale record: exit %d, stdout %s, stderr %s", code, out, errOut)
	}
	// An address named explicitly must answer.
	code, _, errOut = runBinary(t, env, "", "call", "--emulator", "--emulator-addr", strings.TrimPrefix(rec.URL, "http://"), "secrets_list_scopes")
	if code != exitFailure || !strings.Contains(errOut, "no emulator answers") {
		t.Errorf("dead --emulator-addr: exit %d, stderr %s", code, errOut)
	}
}
