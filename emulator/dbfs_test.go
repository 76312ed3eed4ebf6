package emulator_test

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/dbx-mcp/dbx-mcp/emulator"
)

const mb = 1 << 20

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func pathQuery(p string, kv ...string) url.Values {
	q := url.Values{"path": {p}}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return q
}

// listed returns the paths and is_dir flags of a list answer.
func listed(t *testing.T, r response) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	if r.body["files"] == nil {
		return out
	}
	for _, f := range arr(t, r.body["files"], "files") {
		m := obj(t, f, "file")
		p, _ := m["path"].(string)
		isDir, _ := m["is_dir"].(bool)
		out[p] = isDir
	}
	return out
}

func TestDBFSPutReadListStatus(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	content := []byte("hello, dbfs")
	// put creates the missing parents.
	h.ok(h.post("/api/2.0/dbfs/put", map[string]any{"path": "/a/b/c.txt", "contents": b64(content)}))
	st := h.ok(h.get("/api/2.0/dbfs/get-status", pathQuery("/a/b/c.txt")))
	if st.str("path") != "/a/b/c.txt" || st.body["is_dir"] != false || num(t, st.body["file_size"], "file_size") != int64(len(content)) ||
		num(t, st.body["modification_time"], "modification_time") != h.clock.Now().UnixMilli() {
		t.Errorf("get-status = %s", st.raw)
	}
	if d := h.ok(h.get("/api/2.0/dbfs/get-status", pathQuery("/a/b"))); d.body["is_dir"] != true {
		t.Errorf("parent get-status = %s", d.raw)
	}
	if got := listed(t, h.ok(h.get("/api/2.0/dbfs/list", pathQuery("/a")))); len(got) != 1 || got["/a/b"] != true {
		t.Errorf("list /a = %v", got)
	}
	// list of a file is the file itself.
	if got := listed(t, h.ok(h.get("/api/2.0/dbfs/list", pathQuery("/a/b/c.txt")))); len(got) != 1 || got["/a/b/c.txt"] {
		t.Errorf("list of a file = %v", got)
	}
	r := h.ok(h.get("/api/2.0/dbfs/read", pathQuery("/a/b/c.txt", "offset", "7", "length", "100")))
	if num(t, r.body["bytes_read"], "bytes_read") != 4 || r.str("data") != b64([]byte("dbfs")) {
		t.Errorf("read = %s", r.raw)
	}
	r = h.ok(h.get("/api/2.0/dbfs/read", pathQuery("/a/b/c.txt", "offset", "99")))
	if num(t, r.body["bytes_read"], "bytes_read") != 0 || r.str("data") != "" {
		t.Errorf("read past the end = %s", r.raw)
	}

	wantError(t, h.post("/api/2.0/dbfs/put", map[string]any{"path": "/a/b/c.txt", "contents": b64([]byte("x"))}),
		http.StatusBadRequest, "RESOURCE_ALREADY_EXISTS", "")
	h.ok(h.post("/api/2.0/dbfs/put", map[string]any{"path": "/a/b/c.txt", "contents": b64([]byte("x")), "overwrite": true}))
	wantError(t, h.post("/api/2.0/dbfs/put", map[string]any{"path": "/a/b", "contents": "", "overwrite": true}),
		http.StatusBadRequest, "RESOURCE_ALREADY_EXISTS", "")
	wantError(t, h.get("/api/2.0/dbfs/get-status", pathQuery("/nope")), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	wantError(t, h.get("/api/2.0/dbfs/list", pathQuery("/nope")), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	wantError(t, h.get("/api/2.0/dbfs/read", pathQuery("/nope")), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	wantError(t, h.get("/api/2.0/dbfs/read", pathQuery("/a")), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	wantError(t, h.get("/api/2.0/dbfs/read", pathQuery("/a/b/c.txt", "offset", "-1")), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	wantError(t, h.get("/api/2.0/dbfs/list", pathQuery("relative")), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	wantError(t, h.post("/api/2.0/dbfs/put", map[string]any{"contents": ""}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "Missing required field: path")
	if got := listed(t, h.ok(h.get("/api/2.0/dbfs/list", pathQuery("/")))); len(got) != 1 || !got["/a"] {
		t.Errorf("list / = %v", got)
	}
}

// TestDBFSLimits checks that the 1 MB limits count decoded bytes.
func TestDBFSLimits(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	h.ok(h.post("/api/2.0/dbfs/put", map[string]any{"path": "/big", "contents": b64(make([]byte, mb))}))
	wantError(t, h.post("/api/2.0/dbfs/put", map[string]any{"path": "/bigger", "contents": b64(make([]byte, mb+1))}),
		http.StatusBadRequest, "MAX_BLOCK_SIZE_EXCEEDED", "")
	wantError(t, h.get("/api/2.0/dbfs/get-status", pathQuery("/bigger")), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	h.ok(h.get("/api/2.0/dbfs/read", pathQuery("/big", "length", "1048576")))
	wantError(t, h.get("/api/2.0/dbfs/read", pathQuery("/big", "length", "1048577")), http.StatusBadRequest, "MAX_READ_SIZE_EXCEEDED", "")
	// Without length, read returns 0.5 MB.
	if n := num(t, h.ok(h.get("/api/2.0/dbfs/read", pathQuery("/big"))).body["bytes_read"], "bytes_read"); n != mb/2 {
		t.Errorf("default read = %d bytes, want %d", n, mb/2)
	}
	handle := h.ok(h.post("/api/2.0/dbfs/create", map[string]any{"path": "/stream"})).body["handle"]
	h.ok(h.post("/api/2.0/dbfs/add-block", map[string]any{"handle": handle, "data": b64(make([]byte, mb))}))
	wantError(t, h.post("/api/2.0/dbfs/add-block", map[string]any{"handle": handle, "data": b64(make([]byte, mb+1))}),
		http.StatusBadRequest, "MAX_BLOCK_SIZE_EXCEEDED", "")
	wantError(t, h.post("/api/2.0/dbfs/add-block", map[string]any{"handle": handle, "data": "not base64!"}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
}

func TestDBFSHandles(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	r := h.ok(h.post("/api/2.0/dbfs/create", map[string]any{"path": "/dir/streamed.bin"}))
	handle := r.body["handle"]
	if num(t, handle, "handle") <= 0 {
		t.Fatalf("create = %s", r.raw)
	}
	var want []byte
	for i := range 3 {
		blk := bytes.Repeat([]byte{byte('a' + i)}, 1000+i)
		want = append(want, blk...)
		h.ok(h.post("/api/2.0/dbfs/add-block", map[string]any{"handle": handle, "data": b64(blk)}))
	}
	h.ok(h.post("/api/2.0/dbfs/close", map[string]any{"handle": handle}))
	got := h.ok(h.get("/api/2.0/dbfs/read", pathQuery("/dir/streamed.bin", "length", "1048576")))
	if got.str("data") != b64(want) {
		t.Errorf("read after close: %d bytes, want %d", num(t, got.body["bytes_read"], "bytes_read"), len(want))
	}
	// A closed handle is gone.
	wantError(t, h.post("/api/2.0/dbfs/add-block", map[string]any{"handle": handle, "data": ""}), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	wantError(t, h.post("/api/2.0/dbfs/close", map[string]any{"handle": handle}), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	wantError(t, h.post("/api/2.0/dbfs/close", map[string]any{"handle": 42}), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	wantError(t, h.post("/api/2.0/dbfs/close", map[string]any{}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "Missing required field: handle")
	wantError(t, h.post("/api/2.0/dbfs/create", map[string]any{"path": "/dir/streamed.bin"}), http.StatusBadRequest, "RESOURCE_ALREADY_EXISTS", "")

	// A handle used within the idle limit stays open; idle for longer, it expires.
	handle = h.ok(h.post("/api/2.0/dbfs/create", map[string]any{"path": "/dir/streamed.bin", "overwrite": true})).body["handle"]
	h.clock.Advance(9 * time.Minute)
	h.ok(h.post("/api/2.0/dbfs/add-block", map[string]any{"handle": handle, "data": b64([]byte("x"))}))
	h.clock.Advance(9 * time.Minute)
	h.ok(h.post("/api/2.0/dbfs/add-block", map[string]any{"handle": handle, "data": b64([]byte("y"))}))
	h.clock.Advance(11 * time.Minute)
	wantError(t, h.post("/api/2.0/dbfs/add-block", map[string]any{"handle": handle, "data": b64([]byte("z"))}),
		http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	// What was written before it expired stays (overwrite emptied the file).
	if st := h.ok(h.get("/api/2.0/dbfs/get-status", pathQuery("/dir/streamed.bin"))); num(t, st.body["file_size"], "file_size") != 2 {
		t.Errorf("after expiry: %s", st.raw)
	}
}

func TestDBFSMkdirsMoveDelete(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	h.ok(h.post("/api/2.0/dbfs/mkdirs", map[string]any{"path": "/x/y/z"}))
	h.ok(h.post("/api/2.0/dbfs/mkdirs", map[string]any{"path": "/x/y/z"})) // existing directory: fine
	h.ok(h.post("/api/2.0/dbfs/put", map[string]any{"path": "/x/y/z/f", "contents": b64([]byte("1"))}))
	wantError(t, h.post("/api/2.0/dbfs/mkdirs", map[string]any{"path": "/x/y/z/f/g"}), http.StatusBadRequest, "RESOURCE_ALREADY_EXISTS", "")
	wantError(t, h.post("/api/2.0/dbfs/put", map[string]any{"path": "/x/y/z/f/g", "contents": ""}), http.StatusBadRequest, "RESOURCE_ALREADY_EXISTS", "")

	// Move a directory tree; the source is gone, the tree is under the destination.
	h.ok(h.post("/api/2.0/dbfs/move", map[string]any{"source_path": "/x/y", "destination_path": "/moved/y2"}))
	wantError(t, h.get("/api/2.0/dbfs/get-status", pathQuery("/x/y/z/f")), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	if r := h.ok(h.get("/api/2.0/dbfs/read", pathQuery("/moved/y2/z/f"))); r.str("data") != b64([]byte("1")) {
		t.Errorf("moved file = %s", r.raw)
	}
	wantError(t, h.post("/api/2.0/dbfs/move", map[string]any{"source_path": "/x/y", "destination_path": "/q"}), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	wantError(t, h.post("/api/2.0/dbfs/move", map[string]any{"source_path": "/moved", "destination_path": "/x"}), http.StatusBadRequest, "RESOURCE_ALREADY_EXISTS", "")
	wantError(t, h.post("/api/2.0/dbfs/move", map[string]any{"source_path": "/moved", "destination_path": "/moved/inner"}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")

	// Delete: a non-empty directory needs recursive; an empty one does not; a missing path is no error.
	wantError(t, h.post("/api/2.0/dbfs/delete", map[string]any{"path": "/moved"}), http.StatusBadRequest, "IO_ERROR", "")
	h.ok(h.post("/api/2.0/dbfs/delete", map[string]any{"path": "/x"}))
	h.ok(h.post("/api/2.0/dbfs/delete", map[string]any{"path": "/moved", "recursive": true}))
	h.ok(h.post("/api/2.0/dbfs/delete", map[string]any{"path": "/moved"}))
	if got := listed(t, h.ok(h.get("/api/2.0/dbfs/list", pathQuery("/")))); len(got) != 0 {
		t.Errorf("after deletes, / has %v", got)
	}
	wantError(t, h.post("/api/2.0/dbfs/delete", map[string]any{"path": "/", "recursive": true}), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
}
