package tools

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/emulator"
)

var transferTools = []string{"dbfs_upload", "dbfs_download", "dbfs_upload_file", "dbfs_download_file"}

// dbfsSession serves every tool, the local-file ones under localDir, against
// an emulated workspace behind wrap (nil: none).
func dbfsSession(t *testing.T, localDir string, wrap func(http.Handler) http.Handler) *mcpclient.Client {
	t.Helper()
	var h http.Handler = emulator.New(emulator.Options{})
	if wrap != nil {
		h = wrap(h)
	}
	// The transfers' own 4 MiB cap is under test, not the output budget.
	return inProcessSession(t, h, Options{Toolsets: []string{AllToolsets}, LocalDir: localDir, MaxResultBytes: 16 << 20})
}

func callDBFS(t *testing.T, mc *mcpclient.Client, name string, args any, progressToken any) *mcp.CallToolResult {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	b, _ := json.Marshal(args)
	req.Params.Arguments = json.RawMessage(b)
	if progressToken != nil {
		req.Params.Meta = &mcp.Meta{ProgressToken: progressToken}
	}
	res, err := mc.CallTool(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

func resultText(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "\n")
}

func mustOK(t *testing.T, res *mcp.CallToolResult) map[string]any {
	t.Helper()
	if res.IsError {
		t.Fatalf("error result: %s", resultText(res))
	}
	var m map[string]any
	if err := json.Unmarshal(res.RawStructuredContent, &m); err != nil {
		t.Fatalf("structured content: %v", err)
	}
	return m
}

func mustFail(t *testing.T, res *mcp.CallToolResult, want string) {
	t.Helper()
	if !res.IsError || !strings.Contains(resultText(res), want) {
		t.Errorf("want an error result containing %q, got error=%v: %s", want, res.IsError, resultText(res))
	}
}

func randomBytes(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestDBFSTransferRoundTrip(t *testing.T) {
	dir := t.TempDir()
	mc := dbfsSession(t, dir, nil)
	var mu sync.Mutex
	var progress []map[string]any
	mc.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method == string(mcp.MethodNotificationProgress) {
			mu.Lock()
			progress = append(progress, n.Params.AdditionalFields)
			mu.Unlock()
		}
	})
	content := randomBytes(5<<20/2 + 7) // 2.5 MiB and a bit: three blocks
	up := mustOK(t, callDBFS(t, mc, "dbfs_upload", map[string]any{"path": "/up/big.bin", "contents": base64.StdEncoding.EncodeToString(content)}, "up-1"))
	if up["bytes_written"] != float64(len(content)) || up["blocks"] != float64(3) {
		t.Errorf("dbfs_upload = %v", up)
	}
	mu.Lock()
	if len(progress) != 3 || progress[2]["progress"] != float64(len(content)) || progress[2]["total"] != float64(len(content)) || progress[0]["progressToken"] != "up-1" {
		t.Errorf("upload progress = %v", progress)
	}
	progress = nil
	mu.Unlock()
	st := mustOK(t, callDBFS(t, mc, "dbfs_get_status", map[string]any{"path": "/up/big.bin"}, nil))
	if st["file_size"] != float64(len(content)) {
		t.Errorf("get_status = %v", st)
	}
	mustFail(t, callDBFS(t, mc, "dbfs_upload", map[string]any{"path": "/up/big.bin", "contents": "AAAA"}, nil), "RESOURCE_ALREADY_EXISTS")
	mustFail(t, callDBFS(t, mc, "dbfs_upload", map[string]any{"path": "/up/bad.bin", "contents": "not base64!"}, nil), "not valid base64")
	mustFail(t, callDBFS(t, mc, "dbfs_get_status", map[string]any{"path": "/up/bad.bin"}, nil), "RESOURCE_DOES_NOT_EXIST")

	down := mustOK(t, callDBFS(t, mc, "dbfs_download", map[string]any{"path": "/up/big.bin"}, "down-1"))
	got, _ := base64.StdEncoding.DecodeString(down["data"].(string))
	if !bytes.Equal(got, content) || down["truncated"] != false || down["bytes_read"] != float64(len(content)) {
		t.Errorf("dbfs_download: %d bytes back (truncated %v), want %d", len(got), down["truncated"], len(content))
	}
	mu.Lock()
	if len(progress) != 3 {
		t.Errorf("download progress = %v", progress)
	}
	mu.Unlock()
	// A part, from an offset: truncated says the file goes on.
	part := mustOK(t, callDBFS(t, mc, "dbfs_download", map[string]any{"path": "/up/big.bin", "offset": 1000, "max_bytes": 1 << 20}, nil))
	got, _ = base64.StdEncoding.DecodeString(part["data"].(string))
	if !bytes.Equal(got, content[1000:1000+1<<20]) || part["truncated"] != true || part["file_size"] != float64(len(content)) {
		t.Errorf("partial download: %d bytes, truncated %v", len(got), part["truncated"])
	}
	mustFail(t, callDBFS(t, mc, "dbfs_download", map[string]any{"path": "/up/big.bin", "max_bytes": DBFSDownloadCap + 1}, nil), "max_bytes")
	mustFail(t, callDBFS(t, mc, "dbfs_download", map[string]any{"path": "/up"}, nil), "is a directory")

	// The plain tools refuse what is over 1 MB before sending it.
	mustFail(t, callDBFS(t, mc, "dbfs_put", map[string]any{"path": "/over", "contents": base64.StdEncoding.EncodeToString(make([]byte, 1<<20+3))}, nil), "nothing was sent")
	mustFail(t, callDBFS(t, mc, "dbfs_read", map[string]any{"path": "/up/big.bin", "length": 1<<20 + 1}, nil), "nothing was sent")
	mustOK(t, callDBFS(t, mc, "dbfs_put", map[string]any{"path": "/exact", "contents": base64.StdEncoding.EncodeToString(make([]byte, 1<<20))}, nil))

	// Local files, both ways.
	if err := os.WriteFile(filepath.Join(dir, "in.bin"), content, 0o600); err != nil {
		t.Fatal(err)
	}
	mustOK(t, callDBFS(t, mc, "dbfs_upload_file", map[string]any{"local_path": "in.bin", "path": "/local/copy.bin"}, nil))
	out := mustOK(t, callDBFS(t, mc, "dbfs_download_file", map[string]any{"path": "/local/copy.bin", "local_path": "sub/dir/out.bin"}, nil))
	if out["bytes_written"] != float64(len(content)) {
		t.Errorf("dbfs_download_file = %v", out)
	}
	back, err := os.ReadFile(filepath.Join(dir, "sub", "dir", "out.bin"))
	if err != nil || !bytes.Equal(back, content) {
		t.Errorf("local round trip: %d bytes, %v", len(back), err)
	}
	mustFail(t, callDBFS(t, mc, "dbfs_download_file", map[string]any{"path": "/local/copy.bin", "local_path": "sub/dir/out.bin"}, nil), "set overwrite")
	mustOK(t, callDBFS(t, mc, "dbfs_download_file", map[string]any{"path": "/local/copy.bin", "local_path": "sub/dir/out.bin", "overwrite": true}, nil))
	// A failed download leaves no local file.
	mustFail(t, callDBFS(t, mc, "dbfs_download_file", map[string]any{"path": "/missing", "local_path": "never.bin"}, nil), "No local file was written")
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "in.bin" && e.Name() != "sub" {
			t.Errorf("unexpected local file %s", e.Name())
		}
	}
	mustFail(t, callDBFS(t, mc, "dbfs_upload_file", map[string]any{"local_path": "sub", "path": "/x"}, nil), "not a regular file")
	mustFail(t, callDBFS(t, mc, "dbfs_upload_file", map[string]any{"local_path": "nope.bin", "path": "/x"}, nil), "no such file")
}

// TestDBFSLocalEscapes tries the ways out of the allowed directory: none
// may read or write a file outside it.
func TestDBFSLocalEscapes(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "allowed")
	outside := filepath.Join(base, "outside")
	for _, d := range []string{dir, outside} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	secret := filepath.Join(outside, "secret.txt")
	if err := os.WriteFile(secret, []byte("keep out"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(dir, "link-file")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link-dir")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../outside/secret.txt", filepath.Join(dir, "rel-link")); err != nil {
		t.Fatal(err)
	}
	mc := dbfsSession(t, dir, nil)
	mustOK(t, callDBFS(t, mc, "dbfs_put", map[string]any{"path": "/f", "contents": base64.StdEncoding.EncodeToString([]byte("remote"))}, nil))

	for _, p := range []string{"../outside/secret.txt", secret, "/etc/passwd", "a/../../outside/secret.txt", "", ".", "..",
		"link-file", "link-dir/secret.txt", "rel-link"} {
		res := callDBFS(t, mc, "dbfs_upload_file", map[string]any{"local_path": p, "path": "/stolen"}, nil)
		if !res.IsError {
			t.Errorf("dbfs_upload_file read %q outside the allowed directory", p)
		}
		if !strings.Contains(p, base) && strings.Contains(resultText(res), base) {
			t.Errorf("error for %q names the server's paths: %s", p, resultText(res))
		}
	}
	mustFail(t, callDBFS(t, mc, "dbfs_get_status", map[string]any{"path": "/stolen"}, nil), "RESOURCE_DOES_NOT_EXIST")

	for _, p := range []string{"../outside/new.txt", filepath.Join(outside, "new.txt"), "a/../../outside/new.txt", "link-dir/new.txt", "link-dir/sub/new.txt"} {
		if res := callDBFS(t, mc, "dbfs_download_file", map[string]any{"path": "/f", "local_path": p, "overwrite": true}, nil); !res.IsError {
			t.Errorf("dbfs_download_file wrote %q outside the allowed directory", p)
		}
	}
	// Replacing a link that points outside replaces nothing outside.
	for _, p := range []string{"link-file", "rel-link"} {
		_ = callDBFS(t, mc, "dbfs_download_file", map[string]any{"path": "/f", "local_path": p, "overwrite": true}, nil)
	}
	if b, err := os.ReadFile(secret); err != nil || string(b) != "keep out" {
		t.Errorf("the file outside changed: %q %v", b, err)
	}
	entries, _ := os.ReadDir(outside)
	if len(entries) != 1 {
		t.Errorf("files appeared outside: %v", entries)
	}
	// A name inside that merely mentions .. is fine.
	mustOK(t, callDBFS(t, mc, "dbfs_download_file", map[string]any{"path": "/f", "local_path": "a/../inside.txt"}, nil))
	if b, err := os.ReadFile(filepath.Join(dir, "inside.txt")); err != nil || string(b) != "remote" {
		t.Errorf("inside.txt = %q %v", b, err)
	}
}

func TestDBFSTransferToolsOffered(t *testing.T) {
	names := func(opts Options) []string {
		t.Helper()
		reg, err := NewRegistry(nil, opts)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tool := range reg.Tools() {
			if slices.Contains(transferTools, tool.Name()) {
				out = append(out, tool.Name())
			}
		}
		return out
	}
	all := []string{AllToolsets}
	if got := names(Options{Toolsets: all}); !slices.Equal(got, []string{"dbfs_upload", "dbfs_download"}) {
		t.Errorf("without a local directory: %v", got)
	}
	if got := names(Options{Toolsets: all, LocalDir: t.TempDir()}); !slices.Equal(got, transferTools) {
		t.Errorf("with a local directory: %v", got)
	}
	if got := names(Options{Toolsets: all, LocalDir: t.TempDir(), ReadOnly: true}); !slices.Equal(got, []string{"dbfs_download"}) {
		t.Errorf("read-only: %v", got)
	}
	if got := names(Options{}); len(got) != 0 {
		t.Errorf("default toolset: %v", got)
	}
	if err := (Options{Tools: []string{"dbfs_upload_file"}}).Check(); err == nil || !strings.Contains(err.Error(), "--local-dir") {
		t.Errorf("naming a local-file tool without a local directory: %v", err)
	}
	if got := names(Options{Tools: []string{"dbfs_download_file"}, LocalDir: "."}); !slices.Equal(got, []string{"dbfs_download_file"}) {
		t.Errorf("by name: %v", got)
	}
	// The catalogue's guards, for the tools TestToolGuards cannot see.
	reg, err := NewRegistry(nil, Options{Tools: transferTools, LocalDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range reg.Tools() {
		d := tool.Definition
		checkSchema(t, d.Name+" input", d.RawInputSchema, true)
		checkSchema(t, d.Name+" output", d.RawOutputSchema, false)
		if a := d.Annotations; a.ReadOnlyHint == nil || a.DestructiveHint == nil || a.IdempotentHint == nil || a.OpenWorldHint == nil || d.Title == "" {
			t.Errorf("%s: annotations or title missing", d.Name)
		}
		if b, _ := json.Marshal(d); len(b) > 4096 {
			t.Errorf("%s: definition is %d bytes", d.Name, len(b))
		}
	}
}

// TestDBFSUploadFailureClosesHandle fails the second block and checks that
// the handle is closed and the result says what the file holds.
func TestDBFSUploadFailureClosesHandle(t *testing.T) {
	var blocks, closes atomic.Int32
	mc := dbfsSession(t, "", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/api/2.0/dbfs/add-block":
				if blocks.Add(1) == 2 {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusBadRequest)
					_, _ = w.Write([]byte(`{"error_code":"INVALID_STATE","message":"injected failure"}`))
					return
				}
			case "/api/2.0/dbfs/close":
				closes.Add(1)
			}
			next.ServeHTTP(w, r)
		})
	})
	content := randomBytes(3 << 20)
	res := callDBFS(t, mc, "dbfs_upload", map[string]any{"path": "/partial.bin", "contents": base64.StdEncoding.EncodeToString(content)}, nil)
	mustFail(t, res, "injected failure")
	mustFail(t, res, "stopped after 1048576 bytes; its handle was closed")
	if blocks.Load() != 2 || closes.Load() != 1 {
		t.Errorf("%d add-block and %d close calls, want 2 and 1", blocks.Load(), closes.Load())
	}
	st := mustOK(t, callDBFS(t, mc, "dbfs_get_status", map[string]any{"path": "/partial.bin"}, nil))
	if st["file_size"] != float64(1<<20) {
		t.Errorf("partial file = %v", st)
	}
}
