package client

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for the Databricks CLI: run through
// a link named databricks, it behaves as fakeDatabricksCLI describes.
func TestMain(m *testing.M) {
	if filepath.Base(os.Args[0]) == "databricks" {
		os.Exit(fakeDatabricksCLI(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// fakeDatabricksCLI answers from the files in $FAKE_DATABRICKS_DIR: it
// appends its arguments to runs, prints version for "version" and answer
// for "auth token", or fails with the text of fail on stderr.
func fakeDatabricksCLI(args []string) int {
	dir := os.Getenv("FAKE_DATABRICKS_DIR")
	f, err := os.OpenFile(filepath.Join(dir, "runs"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	fmt.Fprintln(f, strings.Join(args, " ")+" config="+os.Getenv("DATABRICKS_CONFIG_FILE"))
	f.Close()
	read := func(name string) (string, bool) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		return string(b), err == nil
	}
	if len(args) > 0 && args[0] == "version" {
		v, ok := read("version")
		if !ok {
			return 1
		}
		fmt.Print(v)
		return 0
	}
	if msg, ok := read("fail"); ok {
		fmt.Fprint(os.Stderr, msg)
		return 1
	}
	a, _ := read("answer")
	fmt.Print(a)
	return 0
}

// fakeCLI is a databricks on PATH (first, beside an az) backed by the test
// binary.
type fakeCLI struct {
	t   *testing.T
	dir string
}

func newFakeCLI(t *testing.T, version string) *fakeCLI {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := os.Symlink(exe, filepath.Join(bin, "databricks")); err != nil {
		t.Skipf("cannot link the test binary: %v", err)
	}
	if err := os.WriteFile(filepath.Join(bin, "az"), []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	f := &fakeCLI{t: t, dir: t.TempDir()}
	t.Setenv("PATH", bin)
	t.Setenv("FAKE_DATABRICKS_DIR", f.dir)
	if version != "" {
		f.write("version", "Databricks CLI "+version+"\n")
	}
	return f
}

func (f *fakeCLI) write(name, content string) {
	f.t.Helper()
	if err := os.WriteFile(filepath.Join(f.dir, name), []byte(content), 0o600); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fakeCLI) answer(token string, expiry time.Time) {
	f.write("answer", fmt.Sprintf(`{"access_token":%q,"token_type":"Bearer","expiry":%q}`, token, expiry.Format(time.RFC3339Nano)))
}

// tokenRuns lists the arguments of each auth token run.
func (f *fakeCLI) tokenRuns() []string {
	f.t.Helper()
	b, err := os.ReadFile(filepath.Join(f.dir, "runs"))
	if err != nil && !os.IsNotExist(err) {
		f.t.Fatal(err)
	}
	var runs []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if strings.HasPrefix(l, "auth token") {
			runs = append(runs, l)
		}
	}
	return runs
}

func TestDatabricksCLICommandLine(t *testing.T) {
	const host = "https://adb-1.2.azuredatabricks.net"
	for _, tt := range []struct {
		name    string
		version string
		cfg     Config
		want    string
	}{
		{name: "host", version: "v0.240.0", cfg: Config{Host: host}, want: "auth token --host " + host + " config="},
		{name: "named profile", version: "v0.240.0",
			cfg:  Config{Host: host, Profile: "dev", ConfigFile: "/cfg/file", Sources: map[string]string{"profile": "env DATABRICKS_CONFIG_PROFILE"}},
			want: "auth token --profile dev config=/cfg/file"},
		{name: "implicit DEFAULT profile goes by host", version: "v0.240.0",
			cfg:  Config{Host: host, Profile: "DEFAULT", ConfigFile: "/cfg/file", Sources: map[string]string{"profile": "default"}},
			want: "auth token --host " + host + " config=/cfg/file"},
		{name: "CLI too old for --profile", version: "v0.200.0",
			cfg:  Config{Host: host, Profile: "dev", Sources: map[string]string{"profile": "explicit"}},
			want: "auth token --host " + host + " config="},
		{name: "unknown version", cfg: Config{Host: host, Profile: "dev", Sources: map[string]string{"profile": "explicit"}},
			want: "auth token --host " + host + " config="},
		{name: "force refresh", version: "v0.296.0", cfg: Config{Host: host}, want: "auth token --host " + host + " --force-refresh config="},
		{name: "development build", version: "v0.0.0-dev+abc", cfg: Config{Host: host}, want: "auth token --host " + host + " config="},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCLI(t, tt.version)
			f.answer("cli-token", time.Now().Add(time.Hour))
			tt.cfg.AuthType = "databricks-cli"
			creds, err := newCredentials(&tt.cfg, http.DefaultClient)
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest("GET", host+"/api/2.0/clusters/list", nil)
			if err := creds.Authorize(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			if got := req.Header.Get("Authorization"); got != "Bearer cli-token" {
				t.Errorf("Authorization = %q", got)
			}
			if runs := f.tokenRuns(); len(runs) != 1 || runs[0] != tt.want {
				t.Errorf("runs = %q, want [%q]", runs, tt.want)
			}
		})
	}
}

// TestDatabricksCLITokenCached runs the CLI once for many requests, and
// again once the token nears its expiry.
func TestDatabricksCLITokenCached(t *testing.T) {
	f := newFakeCLI(t, "v0.240.0")
	ws := newAuthWorkspace(t)
	expiry := time.Now().Add(time.Hour)
	f.answer("cli-token-1", expiry)
	c := newAuthClient(t, Config{Host: ws.srv.URL, AuthType: "databricks-cli"})
	if c.AuthType() != "databricks-cli" {
		t.Fatalf("auth type %q", c.AuthType())
	}
	for range 3 {
		if err := listClusters(c); err != nil {
			t.Fatal(err)
		}
	}
	if got := ws.last(t).Get("Authorization"); got != "Bearer cli-token-1" {
		t.Fatalf("Authorization = %q", got)
	}
	if runs := f.tokenRuns(); len(runs) != 1 {
		t.Fatalf("the CLI ran %d times for 3 requests, want 1", len(runs))
	}

	creds := c.creds.(*databricksCLICredentials)
	var mu sync.Mutex
	now := expiry.Add(-10 * time.Second) // past the last usable moment
	creds.cache.mu.Lock()
	creds.cache.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	creds.cache.mu.Unlock()
	f.answer("cli-token-2", expiry.Add(time.Hour))
	if err := listClusters(c); err != nil {
		t.Fatal(err)
	}
	if got := ws.last(t).Get("Authorization"); got != "Bearer cli-token-2" {
		t.Fatalf("after expiry Authorization = %q", got)
	}
	if runs := f.tokenRuns(); len(runs) != 2 {
		t.Fatalf("the CLI ran %d times, want 2", len(runs))
	}
}

func TestDatabricksCLIFailures(t *testing.T) {
	const host = "https://adb-1.2.azuredatabricks.net"
	t.Run("not logged in", func(t *testing.T) {
		f := newFakeCLI(t, "v0.240.0")
		f.write("fail", "Error: cache: databricks OAuth is not configured for this host. Try logging in again with `databricks auth login --host "+host+"`\n")
		creds, err := newCredentials(&Config{Host: host, AuthType: "databricks-cli"}, http.DefaultClient)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("GET", host, nil)
		err = creds.Authorize(context.Background(), req)
		if err == nil || !strings.Contains(err.Error(), "databricks OAuth is not configured for this host") || !strings.Contains(err.Error(), "databricks auth login") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("output not JSON", func(t *testing.T) {
		f := newFakeCLI(t, "v0.240.0")
		f.write("answer", "secret-looking-output-123")
		creds, err := newCredentials(&Config{Host: host, AuthType: "databricks-cli"}, http.DefaultClient)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("GET", host, nil)
		err = creds.Authorize(context.Background(), req)
		if err == nil || strings.Contains(err.Error(), "secret-looking-output-123") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("legacy CLI", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "databricks"), []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		t.Setenv("PATH", dir)
		_, err := newCredentials(&Config{Host: host, AuthType: "databricks-cli"}, http.DefaultClient)
		if err == nil || !strings.Contains(err.Error(), "legacy Python Databricks CLI") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("not installed", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		_, err := newCredentials(&Config{Host: host, AuthType: "databricks-cli"}, http.DefaultClient)
		if err == nil || !strings.Contains(err.Error(), "not on PATH") || !strings.Contains(err.Error(), "DATABRICKS_CLI_PATH") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("explicit path", func(t *testing.T) {
		newFakeCLI(t, "v0.240.0").answer("cli-token", time.Now().Add(time.Hour))
		exe, _ := os.Executable()
		link := filepath.Join(t.TempDir(), "databricks")
		if err := os.Symlink(exe, link); err != nil {
			t.Skip(err)
		}
		t.Setenv("PATH", t.TempDir())
		if _, err := newCredentials(&Config{Host: host, AuthType: "databricks-cli", DatabricksCLIPath: link}, http.DefaultClient); err != nil {
			t.Fatal(err)
		}
	})
}

// TestDatabricksCLIFallback picks the CLI's token before azure-cli when no
// method is configured, as the SDKs do, and passes over a CLI that is not
// logged in.
func TestDatabricksCLIFallback(t *testing.T) {
	const host = "https://adb-1.2.azuredatabricks.net"
	f := newFakeCLI(t, "v0.240.0")
	f.answer("cli-token", time.Now().Add(time.Hour))
	creds, err := newCredentials(&Config{Host: host}, http.DefaultClient)
	if err != nil {
		t.Fatal(err)
	}
	if creds.AuthType() != "databricks-cli" {
		t.Fatalf("picked %s, want databricks-cli", creds.AuthType())
	}

	f.write("fail", "Error: not logged in\n")
	creds, err = newCredentials(&Config{Host: host}, http.DefaultClient)
	if err != nil {
		t.Fatal(err)
	}
	if creds.AuthType() != "azure-cli" {
		t.Fatalf("picked %s, want azure-cli", creds.AuthType())
	}

	_, err = newCredentials(&Config{Host: "https://h.cloud.databricks.com"}, http.DefaultClient)
	if err == nil || !strings.Contains(err.Error(), "databricks-cli: databricks auth token") || !strings.Contains(err.Error(), "not logged in") {
		t.Fatalf("err = %v", err)
	}
}

func TestParseCLIVersion(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want [3]int
		ok   bool
	}{
		{"Databricks CLI v0.207.1\n", [3]int{0, 207, 1}, true},
		{"Databricks CLI v0.296.0-rc1", [3]int{0, 296, 0}, true},
		{"Databricks CLI v0.0.0-dev+06b169284737", [3]int{}, false},
		{"Version 0.17.0", [3]int{}, false},
		{"", [3]int{}, false},
	} {
		got, ok := parseCLIVersion(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseCLIVersion(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
