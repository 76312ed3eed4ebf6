package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// callWithProgress calls a tool over the raw stdio session with a progress
// token, and returns its result and how many progress notifications for
// that token came first.
func (s *listingSession) callWithProgress(name string, args any) (result map[string]json.RawMessage, progress int) {
	s.t.Helper()
	id := s.nextID.Add(1)
	a, _ := json.Marshal(args)
	fmt.Fprintf(s.in, `{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":%q,"arguments":%s,"_meta":{"progressToken":"p%d"}}}`+"\n", id, name, a, id)
	for {
		line, err := s.out.ReadBytes('\n')
		if err != nil {
			s.t.Fatalf("%s: reading the answer: %v", name, err)
		}
		var m struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params struct {
				ProgressToken string `json:"progressToken"`
			} `json:"params"`
			Result map[string]json.RawMessage `json:"result"`
			Error  json.RawMessage            `json:"error"`
		}
		if err := json.Unmarshal(line, &m); err != nil {
			s.t.Fatalf("%s: not JSON: %v", name, err)
		}
		if m.Method == "notifications/progress" && m.Params.ProgressToken == fmt.Sprintf("p%d", id) {
			progress++
			continue
		}
		if string(m.ID) != fmt.Sprint(id) {
			continue
		}
		if m.Error != nil {
			s.t.Fatalf("%s: %s", name, m.Error)
		}
		if string(m.Result["isError"]) == "true" {
			s.t.Fatalf("%s: error result: %s", name, m.Result["content"])
		}
		return m.Result, progress
	}
}

// structured decodes a result's structuredContent into v.
func structured(t *testing.T, res map[string]json.RawMessage, v any) {
	t.Helper()
	if err := json.Unmarshal(res["structuredContent"], v); err != nil {
		t.Fatalf("structuredContent: %v: %s", err, res["structuredContent"])
	}
}

// TestDBFSLargeFileOverStdio moves a 3 MiB file to DBFS and back through
// the binary over stdio: by the handle API (create, 1 MB add_block, close)
// and 1 MB reads, then by the transfer tools, base64 and local files.
func TestDBFSLargeFileOverStdio(t *testing.T) {
	dir := t.TempDir()
	// The transfer machinery is under test, not the output budget, which
	// would cut the 1 MB reads (output_budget_e2e_test.go tests that).
	s := startListing(t, cleanEnv(t), "--toolsets", "all", "--local-dir", dir, "--max-result-bytes", "16777216")
	const size = 3 << 20
	rng := rand.New(rand.NewPCG(3, 4))
	content := make([]byte, size)
	for i := range content {
		content[i] = byte(rng.Uint32())
	}

	// The handle API, block by block.
	res, _ := s.callWithProgress("dbfs_create", map[string]any{"path": "/e2e/blocks.bin"})
	var created struct {
		Handle json.Number `json:"handle"`
	}
	structured(t, res, &created)
	for off := 0; off < size; off += 1 << 20 {
		s.callWithProgress("dbfs_add_block", map[string]any{"handle": created.Handle, "data": base64.StdEncoding.EncodeToString(content[off : off+1<<20])})
	}
	s.callWithProgress("dbfs_close", map[string]any{"handle": created.Handle})
	var st struct {
		FileSize int64 `json:"file_size"`
	}
	res, _ = s.callWithProgress("dbfs_get_status", map[string]any{"path": "/e2e/blocks.bin"})
	structured(t, res, &st)
	if st.FileSize != size {
		t.Fatalf("file_size = %d, want %d", st.FileSize, size)
	}
	var back []byte
	for {
		res, _ := s.callWithProgress("dbfs_read", map[string]any{"path": "/e2e/blocks.bin", "offset": len(back), "length": 1 << 20})
		var r struct {
			BytesRead int64  `json:"bytes_read"`
			Data      string `json:"data"`
		}
		structured(t, res, &r)
		if r.BytesRead == 0 {
			break
		}
		chunk, err := base64.StdEncoding.DecodeString(r.Data)
		if err != nil || int64(len(chunk)) != r.BytesRead {
			t.Fatalf("read at %d: %d bytes decoded, bytes_read %d, %v", len(back), len(chunk), r.BytesRead, err)
		}
		back = append(back, chunk...)
	}
	if !bytes.Equal(back, content) {
		t.Fatalf("1 MB reads gave back %d bytes, not the %d written", len(back), size)
	}

	// The transfer tools: base64 both ways, with progress.
	res, progress := s.callWithProgress("dbfs_upload", map[string]any{"path": "/e2e/upload.bin", "contents": base64.StdEncoding.EncodeToString(content)})
	if progress != 3 {
		t.Errorf("dbfs_upload sent %d progress notifications, want 3 (one a block)", progress)
	}
	res, progress = s.callWithProgress("dbfs_download", map[string]any{"path": "/e2e/upload.bin"})
	var down struct {
		Data      string `json:"data"`
		Truncated bool   `json:"truncated"`
	}
	structured(t, res, &down)
	if got, _ := base64.StdEncoding.DecodeString(down.Data); !bytes.Equal(got, content) || down.Truncated || progress != 3 {
		t.Errorf("dbfs_download: %d bytes (truncated %v, %d progress notifications)", len(got), down.Truncated, progress)
	}

	// Local files, within --local-dir.
	if err := os.WriteFile(filepath.Join(dir, "src.bin"), content, 0o600); err != nil {
		t.Fatal(err)
	}
	s.callWithProgress("dbfs_upload_file", map[string]any{"local_path": "src.bin", "path": "/e2e/from-file.bin"})
	s.callWithProgress("dbfs_download_file", map[string]any{"path": "/e2e/from-file.bin", "local_path": "out/back.bin"})
	if got, err := os.ReadFile(filepath.Join(dir, "out", "back.bin")); err != nil || !bytes.Equal(got, content) {
		t.Errorf("local round trip: %d bytes, %v", len(got), err)
	}
	s.callWithProgress("dbfs_download_file", map[string]any{"path": "/e2e/blocks.bin", "local_path": "blocks.bin"})
	if got, err := os.ReadFile(filepath.Join(dir, "blocks.bin")); err != nil || !bytes.Equal(got, content) {
		t.Errorf("blocks.bin downloaded: %d bytes, %v", len(got), err)
	}
}

// TestLocalDirRefusedOverHTTP: local files are never offered over HTTP.
func TestLocalDirRefusedOverHTTP(t *testing.T) {
	cmd := exec.Command(binPath, "serve", "--emulator", "--http", "127.0.0.1:0", "--local-dir", t.TempDir())
	cmd.Env = cleanEnv(t)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--local-dir cannot be combined with --http") {
		t.Errorf("serve --http --local-dir: %v: %s", err, out)
	}
}
