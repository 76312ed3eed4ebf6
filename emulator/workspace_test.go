package emulator_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dbx-mcp/dbx-mcp/emulator"
)

func b64s(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func unb64(t *testing.T, s string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("content %q is not base64: %v", s, err)
	}
	return string(b)
}

func status(h *harness, p string) response {
	h.t.Helper()
	return h.get("/api/2.0/workspace/get-status", url.Values{"path": {p}})
}

func TestWorkspaceImportNeedsParent(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	nb := map[string]any{"path": "/Users/a@example.com/proj/nb", "format": "SOURCE", "language": "PYTHON", "content": b64s("print(1)")}
	wantError(t, h.post("/api/2.0/workspace/import", nb), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST",
		"The parent folder (/Users/a@example.com/proj) does not exist.")
	h.ok(h.post("/api/2.0/workspace/mkdirs", map[string]any{"path": "/Users/a@example.com/proj"}))
	h.ok(h.post("/api/2.0/workspace/mkdirs", map[string]any{"path": "/Users/a@example.com/proj"})) // exists: fine
	h.ok(h.post("/api/2.0/workspace/import", nb))
	wantError(t, h.post("/api/2.0/workspace/import", nb), http.StatusBadRequest, "RESOURCE_ALREADY_EXISTS",
		"Path (/Users/a@example.com/proj/nb) already exists.")
	nb["overwrite"], nb["content"] = true, b64s("print(2)")
	h.ok(h.post("/api/2.0/workspace/import", nb))

	st := h.ok(status(h, "/Users/a@example.com/proj/nb"))
	if st.str("object_type") != "NOTEBOOK" || st.str("language") != "PYTHON" || st.str("path") != "/Users/a@example.com/proj/nb" {
		t.Errorf("get-status = %s", st.raw)
	}
	if id, ok := st.body["object_id"].(json.Number); !ok || len(id.String()) != 16 {
		t.Errorf("object_id = %v, want a 16-digit integer", st.body["object_id"])
	}
	// /Workspace/... names the same object.
	h.ok(status(h, "/Workspace/Users/a@example.com/proj/nb"))
	wantError(t, status(h, "/Users/a@example.com/none"), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST",
		"Path (/Users/a@example.com/none) doesn't exist.")
	wantError(t, status(h, "relative/path"), http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")

	exp := h.ok(h.get("/api/2.0/workspace/export", url.Values{"path": {"/Users/a@example.com/proj/nb"}}))
	if got := unb64(t, exp.str("content")); got != "# Databricks notebook source\nprint(2)" || exp.str("file_type") != "py" {
		t.Errorf("export = %q (%s)", got, exp.str("file_type"))
	}
}

// A SOURCE export is what a SOURCE import reads: the header line is not
// doubled, and cells survive.
func TestWorkspaceSourceRoundTrip(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	src := "// Databricks notebook source\nval x = 1\n\n// COMMAND ----------\n\nprintln(x)"
	h.ok(h.post("/api/2.0/workspace/import", map[string]any{"path": "/Shared/nb", "language": "SCALA", "content": b64s(src)}))
	exp := h.ok(h.get("/api/2.0/workspace/export", url.Values{"path": {"/Shared/nb"}, "format": {"SOURCE"}}))
	if got := unb64(t, exp.str("content")); got != src || exp.str("file_type") != "scala" {
		t.Errorf("export = %q (%s), want %q", got, exp.str("file_type"), src)
	}
	j := h.ok(h.get("/api/2.0/workspace/export", url.Values{"path": {"/Shared/nb"}, "format": {"JUPYTER"}}))
	var nb struct {
		Cells    []map[string]any `json:"cells"`
		Nbformat int              `json:"nbformat"`
	}
	if err := json.Unmarshal([]byte(unb64(t, j.str("content"))), &nb); err != nil || len(nb.Cells) != 2 || nb.Nbformat != 4 {
		t.Errorf("JUPYTER export: %v, %d cells, nbformat %d", err, len(nb.Cells), nb.Nbformat)
	}
	ht := h.ok(h.get("/api/2.0/workspace/export", url.Values{"path": {"/Shared/nb"}, "format": {"HTML"}}))
	if got := unb64(t, ht.str("content")); !strings.Contains(got, "println(x)") || ht.str("file_type") != "html" {
		t.Errorf("HTML export = %q", got)
	}
	wantError(t, h.post("/api/2.0/workspace/import", map[string]any{"path": "/Shared/nolang", "content": b64s("1")}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
}

func TestWorkspaceFilesAndAuto(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	h.ok(h.post("/api/2.0/workspace/import", map[string]any{"path": "/Shared/data.csv", "format": "AUTO", "content": b64s("a,b\n1,2\n")}))
	h.ok(h.post("/api/2.0/workspace/import", map[string]any{"path": "/Shared/job.py", "format": "AUTO", "content": b64s("# Databricks notebook source\nprint(1)")}))
	h.ok(h.post("/api/2.0/workspace/import", map[string]any{"path": "/Shared/raw.py", "format": "RAW", "content": b64s("# Databricks notebook source\n")}))
	if st := h.ok(status(h, "/Shared/data.csv")); st.str("object_type") != "FILE" || st.body["size"] != json.Number("8") {
		t.Errorf("csv = %s", st.raw)
	}
	if st := h.ok(status(h, "/Shared/job")); st.str("object_type") != "NOTEBOOK" || st.str("language") != "PYTHON" {
		t.Errorf("AUTO notebook = %s", st.raw)
	}
	if st := h.ok(status(h, "/Shared/raw.py")); st.str("object_type") != "FILE" {
		t.Errorf("RAW = %s", st.raw)
	}
	exp := h.ok(h.get("/api/2.0/workspace/export", url.Values{"path": {"/Shared/data.csv"}}))
	if got := unb64(t, exp.str("content")); got != "a,b\n1,2\n" {
		t.Errorf("file export = %q", got)
	}
	list := h.ok(h.get("/api/2.0/workspace/list", url.Values{"path": {"/Shared"}}))
	var paths []string
	for _, o := range arr(t, list.body["objects"], "objects") {
		paths = append(paths, obj(t, o, "object")["path"].(string))
	}
	if strings.Join(paths, " ") != "/Shared/data.csv /Shared/job /Shared/raw.py" {
		t.Errorf("list = %v", paths)
	}
	// An empty directory lists as {}; listing a file lists the file.
	h.ok(h.post("/api/2.0/workspace/mkdirs", map[string]any{"path": "/Shared/empty"}))
	if l := h.ok(h.get("/api/2.0/workspace/list", url.Values{"path": {"/Shared/empty"}})); len(l.body) != 0 {
		t.Errorf("empty list = %s", l.raw)
	}
	if l := h.ok(h.get("/api/2.0/workspace/list", url.Values{"path": {"/Shared/data.csv"}})); len(arr(t, l.body["objects"], "objects")) != 1 {
		t.Errorf("file list = %s", l.raw)
	}
	wantError(t, h.post("/api/2.0/workspace/mkdirs", map[string]any{"path": "/Shared/data.csv/sub"}),
		http.StatusBadRequest, "RESOURCE_ALREADY_EXISTS", "")
}

func TestWorkspaceDelete(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	h.ok(h.post("/api/2.0/workspace/mkdirs", map[string]any{"path": "/Shared/a/b"}))
	h.ok(h.post("/api/2.0/workspace/import", map[string]any{"path": "/Shared/a/b/nb", "language": "SQL", "content": b64s("select 1")}))
	wantError(t, h.post("/api/2.0/workspace/delete", map[string]any{"path": "/Shared/a"}),
		http.StatusBadRequest, "DIRECTORY_NOT_EMPTY", "Folder (/Shared/a) is not empty.")
	h.ok(h.post("/api/2.0/workspace/delete", map[string]any{"path": "/Shared/a", "recursive": true}))
	wantError(t, status(h, "/Shared/a/b/nb"), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	wantError(t, h.post("/api/2.0/workspace/delete", map[string]any{"path": "/Shared/a"}),
		http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "Path (/Shared/a) doesn't exist.")
}

// A directory exported as DBC imports again elsewhere with its notebooks.
func TestWorkspaceDirectoryArchive(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	h.ok(h.post("/api/2.0/workspace/mkdirs", map[string]any{"path": "/Shared/src/lib"}))
	h.ok(h.post("/api/2.0/workspace/import", map[string]any{"path": "/Shared/src/lib/nb", "language": "R", "content": b64s("x <- 1")}))
	exp := h.ok(h.get("/api/2.0/workspace/export", url.Values{"path": {"/Shared/src"}, "format": {"DBC"}}))
	if exp.str("file_type") != "dbc" {
		t.Errorf("file_type = %q", exp.str("file_type"))
	}
	h.ok(h.post("/api/2.0/workspace/import", map[string]any{"path": "/Shared/copy", "format": "DBC", "content": exp.str("content")}))
	if st := h.ok(status(h, "/Shared/copy/lib/nb")); st.str("language") != "R" {
		t.Errorf("copied notebook = %s", st.raw)
	}
	wantError(t, h.get("/api/2.0/workspace/export", url.Values{"path": {"/Shared/src"}, "format": {"HTML"}}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
}

func TestReposLifecycle(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	r := h.ok(h.post("/api/2.0/repos", map[string]any{"url": "https://github.com/org/proj.git", "provider": "GITHUB", "path": "/Repos/team/proj"}))
	id := r.body["id"].(json.Number).String()
	if r.str("branch") != "main" || len(r.str("head_commit_id")) != 40 || r.str("path") != "/Repos/team/proj" {
		t.Errorf("create = %s", r.raw)
	}
	if st := h.ok(status(h, "/Repos/team/proj")); st.str("object_type") != "REPO" || st.body["object_id"].(json.Number).String() != id {
		t.Errorf("repo object = %s", st.raw)
	}
	wantError(t, h.post("/api/2.0/repos", map[string]any{"url": "https://github.com/org/proj.git", "provider": "gitHub", "path": "/Repos/team/proj"}),
		http.StatusBadRequest, "RESOURCE_ALREADY_EXISTS", "")
	wantError(t, h.post("/api/2.0/repos", map[string]any{"url": "https://x/y.git", "provider": "svn"}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	wantError(t, h.post("/api/2.0/repos", map[string]any{"url": "https://x/y.git", "provider": "gitHub", "path": "/Repos/y"}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")

	before := r.str("head_commit_id")
	h.ok(h.call(http.MethodPatch, "/api/2.0/repos/"+id, nil, map[string]any{"branch": "dev"}))
	g := h.ok(h.get("/api/2.0/repos/"+id, nil))
	if g.str("branch") != "dev" || g.str("head_commit_id") == before {
		t.Errorf("after update = %s", g.raw)
	}
	h.ok(h.call(http.MethodPatch, "/api/2.0/repos/"+id, nil, map[string]any{"tag": "v1"}))
	if g := h.ok(h.get("/api/2.0/repos/"+id, nil)); g.str("branch") != "" {
		t.Errorf("on a tag, branch = %q", g.str("branch"))
	}
	wantError(t, h.call(http.MethodPatch, "/api/2.0/repos/"+id, nil, map[string]any{"branch": "a", "tag": "b"}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")
	wantError(t, h.call(http.MethodPatch, "/api/2.0/repos/"+id, nil, map[string]any{"sparse_checkout": map[string]any{"patterns": []string{"a"}}}),
		http.StatusBadRequest, "INVALID_PARAMETER_VALUE", "")

	h.ok(h.call(http.MethodDelete, "/api/2.0/repos/"+id, nil, nil))
	wantError(t, h.get("/api/2.0/repos/"+id, nil), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
	wantError(t, status(h, "/Repos/team/proj"), http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", "")
}

// repos/list pages by next_page_token and filters by path_prefix.
func TestReposListPages(t *testing.T) {
	h := newHarness(t, emulator.Options{})
	for i := range 25 {
		h.ok(h.post("/api/2.0/repos", map[string]any{"url": "https://github.com/org/r" + string(rune('a'+i)) + ".git", "provider": "gitHub"}))
	}
	h.ok(h.post("/api/2.0/workspace/mkdirs", map[string]any{"path": "/Shared/git"}))
	h.ok(h.post("/api/2.0/repos", map[string]any{"url": "https://github.com/org/elsewhere.git", "provider": "gitHub", "path": "/Shared/git/elsewhere"}))
	seen := 0
	q := url.Values{}
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		r := h.ok(h.get("/api/2.0/repos", q))
		seen += len(arr(t, r.body["repos"], "repos"))
		tok := r.str("next_page_token")
		if tok == "" {
			break
		}
		q.Set("next_page_token", tok)
	}
	if seen != 25 {
		t.Errorf("listed %d repos under /Repos, want 25", seen)
	}
	r := h.ok(h.get("/api/2.0/repos", url.Values{"path_prefix": {"/Shared/git"}}))
	if got := arr(t, r.body["repos"], "repos"); len(got) != 1 {
		t.Errorf("path_prefix list = %s", r.raw)
	}
}
