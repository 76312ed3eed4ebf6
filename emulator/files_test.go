package emulator_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/emulator"
)

type rawReply struct {
	status int
	header http.Header
	body   []byte
}

// raw sends one Files API request with a raw body and optional headers
// (name, value pairs).
func (h *harness) raw(method, path string, body []byte, header ...string) rawReply {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+h.token)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return rawReply{status: resp.StatusCode, header: resp.Header, body: b}
}

func wantRawError(t *testing.T, r rawReply, status int, code string) {
	t.Helper()
	var e struct {
		ErrorCode string `json:"error_code"`
		Message   string `json:"message"`
	}
	if r.status != status || json.Unmarshal(r.body, &e) != nil || e.ErrorCode != code || e.Message == "" {
		t.Errorf("got %d %s, want %d %s", r.status, r.body, status, code)
	}
}

const filesAPI = "/api/2.0/fs/files"

func TestFilesUploadDownloadRoundTrip(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	data := []byte{0, 1, 2, 0xfe, 0xff, '\r', '\n'}
	p := "/Volumes/main/default/landing/in%20box/a.bin"
	if r := h.raw("PUT", filesAPI+p, data, "Content-Type", "application/octet-stream"); r.status != http.StatusNoContent {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	r := h.raw("GET", filesAPI+p, nil)
	if r.status != 200 || !bytes.Equal(r.body, data) || r.header.Get("Content-Length") != "7" ||
		r.header.Get("Content-Type") != "application/octet-stream" || r.header.Get("Last-Modified") != "Fri, 14 Mar 2025 09:26:53 GMT" {
		t.Errorf("download: %d %q %v", r.status, r.body, r.header)
	}
	r = h.raw("HEAD", filesAPI+p, nil)
	if r.status != 200 || len(r.body) != 0 || r.header.Get("Content-Length") != "7" || r.header.Get("Last-Modified") == "" {
		t.Errorf("metadata: %d %q %v", r.status, r.body, r.header)
	}
	// The parent was created implicitly.
	if r := h.raw("HEAD", "/api/2.0/fs/directories/Volumes/main/default/landing/in%20box", nil); r.status != 200 {
		t.Errorf("implicit parent: %d", r.status)
	}
	// overwrite=false refuses an existing file; omitted replaces it.
	wantRawError(t, h.raw("PUT", filesAPI+p+"?overwrite=false", []byte("x")), 409, "ALREADY_EXISTS")
	if r := h.raw("PUT", filesAPI+p, []byte("new")); r.status != 204 {
		t.Errorf("overwrite: %d", r.status)
	}
	if r := h.raw("GET", filesAPI+p, nil); string(r.body) != "new" {
		t.Errorf("after overwrite: %q", r.body)
	}
	if r := h.raw("DELETE", filesAPI+p, nil); r.status != 204 {
		t.Errorf("delete: %d", r.status)
	}
	wantRawError(t, h.raw("GET", filesAPI+p, nil), 404, "NOT_FOUND")
	wantRawError(t, h.raw("DELETE", filesAPI+p, nil), 404, "NOT_FOUND")
	if r := h.raw("HEAD", filesAPI+p, nil); r.status != 404 || len(r.body) != 0 {
		t.Errorf("metadata of a missing file: %d %q", r.status, r.body)
	}
	// Paths outside a volume are refused.
	for _, bad := range []string{"/tmp/x", "/Volumes/a/b/c", "/Volumes/a/b/../c/x", "/FileStore/a/b/c/d"} {
		wantRawError(t, h.raw("PUT", filesAPI+bad, []byte("x")), 400, "INVALID_PARAMETER_VALUE")
	}
}

func TestFilesRanges(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	data := []byte("0123456789")
	p := filesAPI + "/Volumes/a/b/c/digits"
	h.raw("PUT", p, data)
	for spec, want := range map[string]string{
		"bytes=0-3":   "0123",
		"bytes=7-":    "789",
		"bytes=-2":    "89",
		"bytes=8-100": "89",
	} {
		r := h.raw("GET", p, nil, "Range", spec)
		if r.status != http.StatusPartialContent || string(r.body) != want || r.header.Get("Content-Length") != strconv.Itoa(len(want)) {
			t.Errorf("%s: %d %q %v", spec, r.status, r.body, r.header)
		}
	}
	if r := h.raw("GET", p, nil, "Range", "bytes=2-4"); r.header.Get("Content-Range") != "bytes 2-4/10" {
		t.Errorf("Content-Range %q", r.header.Get("Content-Range"))
	}
	r := h.raw("GET", p, nil, "Range", "bytes=10-")
	wantRawError(t, r, http.StatusRequestedRangeNotSatisfiable, "INVALID_PARAMETER_VALUE")
	if r.header.Get("Content-Range") != "bytes */10" {
		t.Errorf("416 Content-Range %q", r.header.Get("Content-Range"))
	}
	// Several ranges, and invalid ones, are ignored: the whole file.
	for _, spec := range []string{"bytes=0-1,3-4", "bytes=20-5", "lines=1-2"} {
		if r := h.raw("GET", p, nil, "Range", spec); r.status != 200 || string(r.body) != string(data) {
			t.Errorf("%s: %d %q", spec, r.status, r.body)
		}
	}
	// Every range of an empty file is unsatisfiable.
	h.raw("PUT", p+"-empty", nil)
	wantRawError(t, h.raw("GET", p+"-empty", nil, "Range", "bytes=0-9"), http.StatusRequestedRangeNotSatisfiable, "INVALID_PARAMETER_VALUE")
	if r := h.raw("GET", p+"-empty", nil); r.status != 200 || len(r.body) != 0 {
		t.Errorf("empty file: %d %q", r.status, r.body)
	}
}

func TestFilesDirectories(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	dirs := "/api/2.0/fs/directories"
	if r := h.raw("PUT", dirs+"/Volumes/a/b/c/x/y/z", nil); r.status != 204 {
		t.Fatalf("mkdir -p: %d %s", r.status, r.body)
	}
	if r := h.raw("PUT", dirs+"/Volumes/a/b/c/x/y/z/", nil); r.status != 204 {
		t.Errorf("mkdir of an existing directory: %d", r.status)
	}
	for i := range 5 {
		h.raw("PUT", filesAPI+"/Volumes/a/b/c/x/f"+strconv.Itoa(i), []byte("abc"))
	}
	// Page through x: f0..f4 and y, two at a time.
	var names []string
	token := ""
	for pages := 0; ; pages++ {
		q := "?page_size=2"
		if token != "" {
			q += "&page_token=" + token
		}
		r := h.raw("GET", dirs+"/Volumes/a/b/c/x"+q, nil)
		var page struct {
			Contents []struct {
				Path, Name  string
				IsDirectory bool   `json:"is_directory"`
				FileSize    *int64 `json:"file_size"`
			}
			NextPageToken string `json:"next_page_token"`
		}
		if r.status != 200 || json.Unmarshal(r.body, &page) != nil || len(page.Contents) > 2 || pages > 5 {
			t.Fatalf("list: %d %s", r.status, r.body)
		}
		for _, c := range page.Contents {
			names = append(names, c.Name)
			if c.IsDirectory != (c.FileSize == nil) || c.Path != "/Volumes/a/b/c/x/"+c.Name {
				t.Errorf("entry %+v", c)
			}
		}
		if token = page.NextPageToken; token == "" {
			break
		}
	}
	if want := "[f0 f1 f2 f3 f4 y]"; fmtList(names) != want {
		t.Errorf("listed %v, want %s", names, want)
	}
	wantRawError(t, h.raw("GET", dirs+"/Volumes/a/b/c/x?page_token=bogus", nil), 400, "INVALID_PARAMETER_VALUE")
	wantRawError(t, h.raw("GET", dirs+"/Volumes/a/b/c/nope", nil), 404, "NOT_FOUND")
	wantRawError(t, h.raw("GET", dirs+"/Volumes/a/b/c/x/f0", nil), 404, "NOT_FOUND")
	if r := h.raw("HEAD", dirs+"/Volumes/a/b/c/nope", nil); r.status != 404 {
		t.Errorf("HEAD missing directory: %d", r.status)
	}
	// A volume root lists even when empty of created entries.
	if r := h.raw("GET", dirs+"/Volumes/q/r/s", nil); r.status != 200 || string(r.body) != "{}" {
		t.Errorf("empty volume root: %d %s", r.status, r.body)
	}
	wantRawError(t, h.raw("DELETE", dirs+"/Volumes/a/b/c/x/y", nil), 409, "DIRECTORY_NOT_EMPTY")
	if r := h.raw("DELETE", dirs+"/Volumes/a/b/c/x/y/z", nil); r.status != 204 {
		t.Errorf("rmdir: %d", r.status)
	}
	if r := h.raw("DELETE", dirs+"/Volumes/a/b/c/x/y", nil); r.status != 204 {
		t.Errorf("rmdir after emptying: %d", r.status)
	}
	wantRawError(t, h.raw("DELETE", dirs+"/Volumes/a/b/c/x/y", nil), 404, "NOT_FOUND")
	// A file in the way of a directory.
	wantRawError(t, h.raw("PUT", dirs+"/Volumes/a/b/c/x/f0/sub", nil), 409, "ALREADY_EXISTS")
}

func fmtList(s []string) string { return "[" + strings.Join(s, " ") + "]" }
