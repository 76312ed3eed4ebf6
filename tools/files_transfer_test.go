package tools

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/emulator"
)

// emulatorProcessEnv makes the test binary serve an emulator instead of
// running tests (TestEmulatorProcess), so that a test can measure its own
// heap without the emulator's copy of the files in it.
const emulatorProcessEnv = "DBX_MCP_TEST_EMULATOR_PROCESS"

// TestEmulatorProcess is the emulator of emulatorURLInProcess's child: it
// prints its URL and serves until its stdin closes.
func TestEmulatorProcess(t *testing.T) {
	if os.Getenv(emulatorProcessEnv) != "1" {
		t.Skip("runs only as the child of a test that needs an emulator in another process")
	}
	emu := emulator.New(emulator.Options{})
	srv := httptest.NewServer(emu)
	defer srv.Close()
	defer emu.Close()
	fmt.Println(srv.URL)
	_, _ = io.Copy(io.Discard, os.Stdin)
}

// emulatorInProcess starts the test binary again as an emulator and
// returns its URL; the child ends with the test.
func emulatorInProcess(t *testing.T) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestEmulatorProcess$")
	cmd.Env = append(os.Environ(), emulatorProcessEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "http://") {
		t.Fatalf("emulator process said %q (%v)", line, err)
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return strings.TrimSpace(line)
}

// remoteWorkspace forwards to a workspace at raw, for sessions whose
// emulator runs in another process. The proxy streams both ways in small
// buffers, so it adds no copy of a body.
func remoteWorkspace(t *testing.T, raw string) http.Handler {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return httputil.NewSingleHostReverseProxy(u)
}

// writeRandomFile writes size pseudo-random bytes to path a megabyte at a
// time and returns their SHA-256.
func writeRandomFile(t *testing.T, path string, size int64) [32]byte {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	rng := rand.New(rand.NewPCG(7, 11))
	buf := make([]byte, 1<<20)
	for left := size; left > 0; {
		n := min(left, int64(len(buf)))
		for i := range buf[:n] {
			buf[i] = byte(rng.Uint32())
		}
		if _, err := io.MultiWriter(f, h).Write(buf[:n]); err != nil {
			t.Fatal(err)
		}
		left -= n
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

func fileSHA256(t *testing.T, path string) [32]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// A file larger than 64 MiB goes to a volume and back byte for byte while
// this process, the server's side, allocates a small fraction of it: the
// bytes stream from disk to the connection and back. The emulator, which
// holds the file, runs in another process so its copy does not count; the
// proxy in front of it streams too, so what is counted is an upper bound.
func TestFilesTransferLargeFileInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("moves 130 MB")
	}
	const size = 64<<20 + 1<<20 + 123
	dir := t.TempDir()
	want := writeRandomFile(t, filepath.Join(dir, "big.bin"), size)
	mc := inProcessSession(t, remoteWorkspace(t, emulatorInProcess(t)), Options{Toolsets: []string{"files"}, LocalDir: dir})
	var mu sync.Mutex
	var progress []float64
	mc.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method == string(mcp.MethodNotificationProgress) {
			mu.Lock()
			progress = append(progress, n.Params.AdditionalFields["progress"].(float64))
			mu.Unlock()
		}
	})

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	up := mustOK(t, callDBFS(t, mc, "files_upload_file", map[string]any{"local_path": "big.bin", "file_path": "/Volumes/main/default/landing/big.bin"}, "up"))
	down := mustOK(t, callDBFS(t, mc, "files_download_file", map[string]any{"file_path": "/Volumes/main/default/landing/big.bin", "local_path": "back/big.bin"}, "down"))
	runtime.ReadMemStats(&after)

	if up["bytes_written"] != float64(size) || up["path"] != "/Volumes/main/default/landing/big.bin" {
		t.Errorf("files_upload_file = %v", up)
	}
	if down["bytes"] != float64(size) || down["local_path"] != "back/big.bin" || down["content_type"] == "" || down["last_modified"] == "" {
		t.Errorf("files_download_file = %v", down)
	}
	if got := fileSHA256(t, filepath.Join(dir, "back", "big.bin")); got != want {
		t.Errorf("the file came back different: sha256 %x, want %x", got, want)
	}
	// Allocations, not the heap at one moment: a buffer of the whole file
	// would count here even if it was collected before the end.
	const bound = 16 << 20
	grew := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %d bytes moving %d both ways", grew, size)
	if grew > bound {
		t.Errorf("moving a %d-byte file both ways allocated %d bytes in this process, want under %d", size, grew, bound)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(progress) < 2*(size/progressStep) || !slices.Contains(progress, float64(size)) {
		t.Errorf("progress notifications %v, want one every %d bytes and the total %d", progress, progressStep, size)
	}
}

// stubFiles is a Files API stub that records uploads and answers each
// request with the next of answers (the last repeats).
type stubFiles struct {
	mu      sync.Mutex
	reqs    []seenRequest
	answers []http.HandlerFunc
}

type seenRequest struct {
	method, path, query string
	body                []byte
}

func (s *stubFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	n := len(s.reqs)
	s.reqs = append(s.reqs, seenRequest{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, body})
	s.mu.Unlock()
	s.answers[min(n, len(s.answers)-1)](w, r)
}

func (s *stubFiles) requests() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqs)
}

func answer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// On the wire the upload is the file's bytes, raw, at the escaped path,
// with overwrite; a 5xx makes it send the whole file again.
func TestFilesUploadFileOnTheWire(t *testing.T) {
	dir := t.TempDir()
	content := randomBytes(3<<20 + 5)
	if err := os.WriteFile(filepath.Join(dir, "in.bin"), content, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		args      map[string]any
		answers   []http.HandlerFunc
		query     string
		attempts  int
		wantError string
	}{
		{name: "default overwrite", args: map[string]any{}, answers: []http.HandlerFunc{answer(204, "")}, query: "overwrite=true", attempts: 1},
		{name: "no overwrite", args: map[string]any{"overwrite": false}, answers: []http.HandlerFunc{answer(204, "")}, query: "overwrite=false", attempts: 1},
		{name: "5xx retried", args: map[string]any{}, answers: []http.HandlerFunc{answer(503, `{"error_code":"TEMPORARILY_UNAVAILABLE","message":"busy"}`), answer(204, "")}, query: "overwrite=true", attempts: 2},
		{name: "exists", args: map[string]any{"overwrite": false}, answers: []http.HandlerFunc{answer(409, `{"error_code":"ALREADY_EXISTS","message":"The file being created already exists."}`)}, query: "overwrite=false", attempts: 1, wantError: "ALREADY_EXISTS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stub := &stubFiles{answers: tt.answers}
			mc := inProcessSession(t, stub, Options{Toolsets: []string{"files"}, LocalDir: dir})
			args := map[string]any{"local_path": "in.bin", "file_path": "/Volumes/main/default/land ing/a#b/in.bin"}
			for k, v := range tt.args {
				args[k] = v
			}
			res := callDBFS(t, mc, "files_upload_file", args, nil)
			if tt.wantError != "" {
				mustFail(t, res, tt.wantError)
			} else if out := mustOK(t, res); out["bytes_written"] != float64(len(content)) {
				t.Errorf("result %v", out)
			}
			reqs := stub.requests()
			if len(reqs) != tt.attempts {
				t.Fatalf("%d requests, want %d", len(reqs), tt.attempts)
			}
			for i, r := range reqs {
				if r.method != "PUT" || r.path != "/api/2.0/fs/files/Volumes/main/default/land%20ing/a%23b/in.bin" || r.query != tt.query {
					t.Errorf("attempt %d: %s %s?%s", i+1, r.method, r.path, r.query)
				}
				if !bytes.Equal(r.body, content) {
					t.Errorf("attempt %d sent %d bytes, not the file's %d", i+1, len(r.body), len(content))
				}
			}
		})
	}
}

// A download that fails leaves no local file, not even a partial one, and
// says what Databricks answered.
func TestFilesDownloadFileFailures(t *testing.T) {
	dir := t.TempDir()
	stub := &stubFiles{answers: []http.HandlerFunc{answer(404, `{"error_code":"NOT_FOUND","message":"The file being accessed is not found."}`)}}
	mc := inProcessSession(t, stub, Options{Toolsets: []string{"files"}, LocalDir: dir})
	res := callDBFS(t, mc, "files_download_file", map[string]any{"file_path": "/Volumes/main/default/v/missing.csv", "local_path": "sub/out.csv"}, nil)
	mustFail(t, res, "NOT_FOUND")
	mustFail(t, res, "No local file was written")
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the allowed directory holds %v after a failed download", entries)
	}

	// A body cut short: the partial bytes are removed.
	cut := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(200)
		w.Write(make([]byte, 10))
	})
	stub = &stubFiles{answers: []http.HandlerFunc{cut}}
	mc = inProcessSession(t, stub, Options{Toolsets: []string{"files"}, LocalDir: dir})
	mustFail(t, callDBFS(t, mc, "files_download_file", map[string]any{"file_path": "/Volumes/main/default/v/f.csv", "local_path": "out.csv"}, nil), "No local file was written")
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the allowed directory holds %v after a cut download", entries)
	}
}

// Paths are checked before anything is sent, and the tools exist only
// with a local directory.
func TestFilesTransferRefusals(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "in.bin"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "have.bin"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	stub := &stubFiles{answers: []http.HandlerFunc{answer(204, "")}}
	mc := inProcessSession(t, stub, Options{Toolsets: []string{"files"}, LocalDir: dir})
	for _, p := range []string{"Volumes/main/default/v/f", "/tmp/f", "/Volumes/main/default/v/../../../x", "/Volumes/main/default/v/./f",
		"/Volumes/main//v/f", "/Volumes/main/default/v", "/Volumes/main/default/v/dir/"} {
		mustFail(t, callDBFS(t, mc, "files_upload_file", map[string]any{"local_path": "in.bin", "file_path": p}, nil), "file_path")
		mustFail(t, callDBFS(t, mc, "files_download_file", map[string]any{"file_path": p, "local_path": "out.bin"}, nil), "file_path")
	}
	for _, p := range []string{"../in.bin", "/etc/passwd", ""} {
		mustFail(t, callDBFS(t, mc, "files_upload_file", map[string]any{"local_path": p, "file_path": "/Volumes/a/b/c/f"}, nil), "local_path")
	}
	mustFail(t, callDBFS(t, mc, "files_download_file", map[string]any{"file_path": "/Volumes/a/b/c/f", "local_path": "have.bin"}, nil), "set overwrite")
	if n := len(stub.requests()); n != 0 {
		t.Errorf("%d requests sent for refused arguments", n)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "have.bin")); string(b) != "mine" {
		t.Errorf("an existing local file was changed: %q", b)
	}

	reg, err := NewRegistry(nil, Options{Toolsets: []string{"files"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range reg.Tools() {
		if name := tool.Name(); name == "files_upload_file" || name == "files_download_file" {
			t.Errorf("%s offered without a local directory", name)
		}
	}
}
