package emulator

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The Files API on Unity Catalog volumes: files and directories under
// /Volumes/<catalog>/<schema>/<volume>/, held in memory. Any volume path is
// accepted (the volume root exists implicitly), so the API works without
// the volumes being created first. Contents travel as raw bytes both ways;
// metadata is answered in headers (Content-Length, Content-Type,
// Last-Modified), downloads honour a single byte Range with 206 and
// Content-Range, and uploads create missing parent directories.

// maxDirectoryPage is the most entries one listing page holds, and the
// default page size.
const maxDirectoryPage = 1000

var _ = declareArea((*Emulator).declareFiles)

// volNode is one file or directory of a volume.
type volNode struct {
	dir   bool
	data  []byte
	mtime time.Time
}

// volumes is the file tree of every volume, by clean absolute path.
type volumes struct {
	e     *Emulator
	nodes map[string]*volNode
}

func (e *Emulator) declareFiles() {
	v := &volumes{e: e, nodes: map[string]*volNode{}}
	e.handleRaw("PUT", "/api/2.0/fs/files{file_path...}", v.upload)
	e.handleRaw("GET", "/api/2.0/fs/files{file_path...}", v.download)
	e.handleRaw("HEAD", "/api/2.0/fs/files{file_path...}", v.metadata)
	e.handleRaw("DELETE", "/api/2.0/fs/files{file_path...}", v.deleteFile)
	e.handleRaw("GET", "/api/2.0/fs/directories{directory_path...}", v.list)
	e.handleRaw("PUT", "/api/2.0/fs/directories{directory_path...}", v.mkdir)
	e.handleRaw("DELETE", "/api/2.0/fs/directories{directory_path...}", v.rmdir)
	e.handleRaw("HEAD", "/api/2.0/fs/directories{directory_path...}", v.dirMetadata)
}

func volNotFound(kind, p string) *apiError {
	return errorf(http.StatusNotFound, "NOT_FOUND", "The %s being accessed is not found: %s", kind, p)
}

// volPath checks and cleans a volume path: /Volumes/<c>/<s>/<v>[/...]. A
// file needs at least one segment below the volume.
func volPath(raw string, file bool) (string, *apiError) {
	p := path.Clean("/" + strings.TrimPrefix(raw, "/"))
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	rawSegs := strings.Split(raw, "/")
	if raw == "" || raw[0] != '/' || strings.Contains(raw, "//") || slices.Contains(rawSegs, "..") || slices.Contains(rawSegs, ".") ||
		len(segs) < 4 || segs[0] != "Volumes" || (file && len(segs) < 5) {
		what := "directory"
		if file {
			what = "file"
		}
		return "", invalidParam("The %s path must be absolute and inside a Unity Catalog volume: /Volumes/<catalog>/<schema>/<volume>/..., got %q", what, raw)
	}
	return p, nil
}

// isVolumeRoot reports whether p is /Volumes/<c>/<s>/<v>.
func isVolumeRoot(p string) bool { return strings.Count(p, "/") == 4 }

// isDir reports whether p is a directory: a volume root or a created one.
func (v *volumes) isDir(p string) bool {
	n, ok := v.nodes[p]
	return isVolumeRoot(p) || ok && n.dir
}

// mkdirAll creates dir and its missing parents below the volume root; a
// file on the way fails with ALREADY_EXISTS.
func (v *volumes) mkdirAll(dir string) *apiError {
	if isVolumeRoot(dir) {
		return nil
	}
	if n, ok := v.nodes[dir]; ok {
		if !n.dir {
			return errorf(http.StatusConflict, "ALREADY_EXISTS", "A file exists at %s, where a directory is needed.", dir)
		}
		return nil
	}
	if aerr := v.mkdirAll(path.Dir(dir)); aerr != nil {
		return aerr
	}
	v.nodes[dir] = &volNode{dir: true, mtime: v.e.now()}
	return nil
}

func (v *volumes) upload(w http.ResponseWriter, r *http.Request, rest string, body []byte) (int, *apiError) {
	p, aerr := volPath(rest, true)
	if aerr != nil {
		return 0, aerr
	}
	overwrite := true // "If true or unspecified, an existing file will be overwritten."
	if q := r.URL.Query(); q.Has("overwrite") {
		b, err := strconv.ParseBool(q.Get("overwrite"))
		if err != nil {
			return 0, invalidParam("overwrite must be true or false, got %q", q.Get("overwrite"))
		}
		overwrite = b
	}
	if v.isDir(p) {
		return 0, errorf(http.StatusConflict, "ALREADY_EXISTS", "A directory exists at %s.", p)
	}
	if _, ok := v.nodes[p]; ok && !overwrite {
		return 0, errorf(http.StatusConflict, "ALREADY_EXISTS", "The file being created already exists: %s", p)
	}
	if aerr := v.mkdirAll(path.Dir(p)); aerr != nil {
		return 0, aerr
	}
	v.nodes[p] = &volNode{data: slices.Clone(body), mtime: v.e.now()}
	w.WriteHeader(http.StatusNoContent)
	return http.StatusNoContent, nil
}

// file finds the file at a request's path.
func (v *volumes) file(rest string) (*volNode, string, *apiError) {
	p, aerr := volPath(rest, true)
	if aerr != nil {
		return nil, "", aerr
	}
	n, ok := v.nodes[p]
	if !ok || n.dir {
		return nil, "", volNotFound("file", p)
	}
	return n, p, nil
}

func fileHeaders(w http.ResponseWriter, n *volNode) {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Last-Modified", n.mtime.UTC().Format(http.TimeFormat))
	w.Header().Set("Accept-Ranges", "bytes")
}

func (v *volumes) metadata(w http.ResponseWriter, _ *http.Request, rest string, _ []byte) (int, *apiError) {
	n, _, aerr := v.file(rest)
	if aerr != nil {
		return 0, aerr
	}
	fileHeaders(w, n)
	w.Header().Set("Content-Length", strconv.Itoa(len(n.data)))
	w.WriteHeader(http.StatusOK)
	return http.StatusOK, nil
}

func (v *volumes) download(w http.ResponseWriter, r *http.Request, rest string, _ []byte) (int, *apiError) {
	n, _, aerr := v.file(rest)
	if aerr != nil {
		return 0, aerr
	}
	fileHeaders(w, n)
	size := int64(len(n.data))
	first, last, ranged, ok := byteRange(r.Header.Get("Range"), size)
	if !ok {
		w.Header().Set("Content-Range", "bytes */"+strconv.FormatInt(size, 10))
		w.Header().Del("Last-Modified")
		return 0, errorf(http.StatusRequestedRangeNotSatisfiable, "INVALID_PARAMETER_VALUE",
			"The requested range is not satisfiable: the file has %d bytes.", size)
	}
	status := http.StatusOK
	if ranged {
		status = http.StatusPartialContent
		w.Header().Set("Content-Range", "bytes "+strconv.FormatInt(first, 10)+"-"+strconv.FormatInt(last, 10)+"/"+strconv.FormatInt(size, 10))
	} else {
		first, last = 0, size-1
	}
	body := n.data[first : last+1]
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return status, nil
}

// byteRange reads a Range header of one byte range against a file of size
// bytes, as RFC 9110 says: ranged is false when there is no usable Range
// (absent, or a syntax this server ignores, such as several ranges), ok is
// false when the range is unsatisfiable (it starts at or past the end;
// every range of an empty file is).
func byteRange(h string, size int64) (first, last int64, ranged, ok bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false, true
	}
	a, b, found := strings.Cut(strings.TrimSpace(spec), "-")
	num := func(s string) (int64, bool) {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		return n, err == nil && n >= 0
	}
	switch {
	case !found:
		return 0, 0, false, true
	case a == "": // the last n bytes
		n, okN := num(b)
		if !okN {
			return 0, 0, false, true
		}
		if n == 0 || size == 0 {
			return 0, 0, true, false
		}
		return max(size-n, 0), size - 1, true, true
	default:
		f, okF := num(a)
		l, okL := num(b)
		open := strings.TrimSpace(b) == ""
		if !okF || !open && (!okL || l < f) {
			return 0, 0, false, true
		}
		if f >= size {
			return 0, 0, true, false
		}
		if open {
			l = size - 1
		}
		return f, min(l, size-1), true, true
	}
}

func (v *volumes) deleteFile(w http.ResponseWriter, _ *http.Request, rest string, _ []byte) (int, *apiError) {
	_, p, aerr := v.file(rest)
	if aerr != nil {
		return 0, aerr
	}
	delete(v.nodes, p)
	w.WriteHeader(http.StatusNoContent)
	return http.StatusNoContent, nil
}

// dir finds the directory at a request's path.
func (v *volumes) dir(rest string) (string, *apiError) {
	p, aerr := volPath(rest, false)
	if aerr != nil {
		return "", aerr
	}
	if !v.isDir(p) {
		return "", volNotFound("directory", p)
	}
	return p, nil
}

// children lists the paths directly inside dir, sorted.
func (v *volumes) children(dir string) []string {
	prefix := dir + "/"
	var out []string
	for p := range v.nodes {
		if rest, ok := strings.CutPrefix(p, prefix); ok && !strings.Contains(rest, "/") {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

func (v *volumes) dirMetadata(w http.ResponseWriter, _ *http.Request, rest string, _ []byte) (int, *apiError) {
	if _, aerr := v.dir(rest); aerr != nil {
		return 0, aerr
	}
	w.WriteHeader(http.StatusOK)
	return http.StatusOK, nil
}

func (v *volumes) mkdir(w http.ResponseWriter, _ *http.Request, rest string, _ []byte) (int, *apiError) {
	p, aerr := volPath(rest, false)
	if aerr != nil {
		return 0, aerr
	}
	if aerr := v.mkdirAll(p); aerr != nil {
		return 0, aerr
	}
	w.WriteHeader(http.StatusNoContent)
	return http.StatusNoContent, nil
}

func (v *volumes) rmdir(w http.ResponseWriter, _ *http.Request, rest string, _ []byte) (int, *apiError) {
	p, aerr := v.dir(rest)
	if aerr != nil {
		return 0, aerr
	}
	if isVolumeRoot(p) {
		return 0, invalidParam("The root of a volume cannot be deleted through the Files API: %s", p)
	}
	if len(v.children(p)) > 0 {
		return 0, errorf(http.StatusConflict, "DIRECTORY_NOT_EMPTY", "The directory being deleted is not empty: %s", p)
	}
	delete(v.nodes, p)
	w.WriteHeader(http.StatusNoContent)
	return http.StatusNoContent, nil
}

// list answers one page of a directory's entries. A page token is the
// directory and the last name listed, so a listing stays in order while
// entries come and go.
func (v *volumes) list(w http.ResponseWriter, r *http.Request, rest string, _ []byte) (int, *apiError) {
	p, aerr := v.dir(rest)
	if aerr != nil {
		return 0, aerr
	}
	q := r.URL.Query()
	size := maxDirectoryPage
	if s := q.Get("page_size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return 0, invalidParam("page_size must be a non-negative integer, got %q", s)
		}
		if n > 0 {
			size = min(n, maxDirectoryPage)
		}
	}
	after := ""
	if tok := q.Get("page_token"); tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		dir, name, found := strings.Cut(string(raw), "\x00")
		if err != nil || !found || dir != p {
			return 0, invalidParam("Invalid page_token: it does not continue a listing of %s.", p)
		}
		after = p + "/" + name
	}
	kids := v.children(p)
	start, _ := slices.BinarySearch(kids, after)
	if after != "" && start < len(kids) && kids[start] == after {
		start++
	}
	page := kids[start:min(start+size, len(kids))]
	entries := make([]map[string]any, 0, len(page))
	for _, c := range page {
		n := v.nodes[c]
		e := map[string]any{"path": c, "name": path.Base(c), "is_directory": n.dir, "last_modified": millis(n.mtime)}
		if !n.dir {
			e["file_size"] = len(n.data)
		}
		entries = append(entries, e)
	}
	out := map[string]any{}
	if len(entries) > 0 {
		out["contents"] = entries
	}
	if start+size < len(kids) {
		out["next_page_token"] = base64.RawURLEncoding.EncodeToString([]byte(p + "\x00" + path.Base(page[len(page)-1])))
	}
	b, err := json.Marshal(out)
	if err != nil {
		return 0, errorf(http.StatusInternalServerError, "INTERNAL_ERROR", "The emulator could not encode its response.")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	return http.StatusOK, nil
}
