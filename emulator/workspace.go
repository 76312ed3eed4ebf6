package emulator

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"maps"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
)

// The Workspace API: a tree of directories, notebooks, files and Git
// folders addressed by absolute path.
//
// What is exact: paths and their errors (a missing parent, a taken path, a
// non-empty directory), mkdirs creating parents, the object fields, and a
// SOURCE notebook round trip (export adds the "Databricks notebook source"
// header line that import strips, as Databricks does). What is an
// approximation: HTML and JUPYTER exports are built from the notebook's
// source (cells split at "COMMAND ----------" lines), an imported HTML
// notebook keeps the HTML as its source, and a DBC archive here is a zip of
// source files (the emulator reads back what it writes, not real .dbc
// files).

// maxWorkspaceObjectBytes is the 10 MB limit on one imported or exported
// object.
const maxWorkspaceObjectBytes = 10 << 20

// wsNode is one object of the workspace tree.
type wsNode struct {
	path       string
	objectType string // DIRECTORY, NOTEBOOK, FILE, LIBRARY, REPO
	language   string // notebooks: PYTHON, SCALA, SQL, R
	id         int64
	created    int64 // epoch ms
	modified   int64
	content    []byte // a notebook's source (without header) or a file's bytes
	children   map[string]*wsNode
	repo       *repoState // REPO objects
}

func (n *wsNode) isDir() bool { return n.objectType == "DIRECTORY" || n.objectType == "REPO" }

// wsTree is the workspace tree, indexed by path.
type wsTree struct {
	byPath map[string]*wsNode
}

var _ = declareArea((*Emulator).declareWorkspace)

func (e *Emulator) declareWorkspace() {
	e.ws = &wsTree{byPath: map[string]*wsNode{}}
	now := millis(e.now())
	root := &wsNode{path: "/", objectType: "DIRECTORY", children: map[string]*wsNode{}, created: now, modified: now}
	e.ws.byPath["/"] = root
	for _, dir := range []string{"/Users/" + UserName, "/Shared", "/Repos/" + UserName} {
		_, _ = e.wsMkdirs(dir)
	}
	e.handle("GET", "/api/2.0/workspace/list", e.workspaceList)
	e.handle("GET", "/api/2.0/workspace/get-status", e.workspaceGetStatus)
	e.handle("POST", "/api/2.0/workspace/import", e.workspaceImport)
	e.handle("GET", "/api/2.0/workspace/export", e.workspaceExport)
	e.handle("POST", "/api/2.0/workspace/mkdirs", e.workspaceMkdirs)
	e.handle("POST", "/api/2.0/workspace/delete", e.workspaceDelete)
}

// notebookExists reports whether path is a notebook in the workspace tree
// (for the Jobs API's notebook tasks). The caller holds e.mu.
func (e *Emulator) notebookExists(p string) bool {
	clean, aerr := cleanWorkspacePath(p)
	if aerr != nil {
		return false
	}
	n := e.ws.byPath[clean]
	return n != nil && n.objectType == "NOTEBOOK"
}

// cleanWorkspacePath checks an absolute workspace path and gives its one
// spelling: no trailing slash, and /Workspace/... taken as /....
func cleanWorkspacePath(p string) (string, *apiError) {
	if p == "" {
		return "", missingField("path")
	}
	if !strings.HasPrefix(p, "/") {
		return "", invalidParam("Path (%s) doesn't start with '/'", p)
	}
	for _, seg := range strings.Split(strings.Trim(p, "/"), "/") {
		if seg == "." || seg == ".." || (seg == "" && p != "/") {
			return "", invalidParam("Path (%s) is not a valid absolute path.", p)
		}
	}
	clean := path.Clean(p)
	if clean == "/Workspace" {
		return "/", nil
	}
	if rest, ok := strings.CutPrefix(clean, "/Workspace/"); ok {
		clean = "/" + rest
	}
	return clean, nil
}

func pathMissing(p string) *apiError { return notFound("Path (%s) doesn't exist.", p) }

// lookupPath finds the object named by the "path" parameter.
func (e *Emulator) lookupPath(p *params) (*wsNode, string, *apiError) {
	raw, aerr := p.requiredStr("path")
	if aerr != nil {
		return nil, "", aerr
	}
	clean, aerr := cleanWorkspacePath(raw)
	if aerr != nil {
		return nil, "", aerr
	}
	n := e.ws.byPath[clean]
	if n == nil {
		return nil, clean, pathMissing(raw)
	}
	return n, clean, nil
}

// newObjectID makes a workspace object id (int64, below 2^53).
func newObjectID() int64 {
	id, _ := strconv.ParseInt(int64IDs.next(), 10, 64)
	return id
}

// wsMkdirs creates dir and its missing parents.
func (e *Emulator) wsMkdirs(dir string) (*wsNode, *apiError) {
	if n := e.ws.byPath[dir]; n != nil {
		if !n.isDir() {
			return nil, errorf(http.StatusBadRequest, "RESOURCE_ALREADY_EXISTS", "Node named '%s' already exists", path.Base(dir))
		}
		return n, nil
	}
	parent, aerr := e.wsMkdirs(path.Dir(dir))
	if aerr != nil {
		return nil, aerr
	}
	return e.wsAdd(parent, dir, "DIRECTORY"), nil
}

// wsAdd puts a new object of type typ at p, under parent.
func (e *Emulator) wsAdd(parent *wsNode, p, typ string) *wsNode {
	now := millis(e.now())
	n := &wsNode{path: p, objectType: typ, id: newObjectID(), created: now, modified: now}
	if n.isDir() {
		n.children = map[string]*wsNode{}
	}
	parent.children[path.Base(p)] = n
	e.ws.byPath[p] = n
	return n
}

// wsRemove deletes n and everything under it.
func (e *Emulator) wsRemove(n *wsNode) {
	for _, c := range n.children {
		e.wsRemove(c)
	}
	delete(e.ws.byPath, n.path)
	if parent := e.ws.byPath[path.Dir(n.path)]; parent != nil {
		delete(parent.children, path.Base(n.path))
	}
}

// objectInfo renders a node as get-status and list show it.
func (n *wsNode) objectInfo() map[string]any {
	out := map[string]any{
		"path": n.path, "object_type": n.objectType, "object_id": n.id,
		"resource_id": strconv.FormatInt(n.id, 10),
	}
	switch n.objectType {
	case "NOTEBOOK":
		out["language"] = n.language
		out["created_at"], out["modified_at"], out["size"] = n.created, n.modified, len(n.content)
	case "FILE":
		out["created_at"], out["modified_at"], out["size"] = n.created, n.modified, len(n.content)
	}
	return out
}

func (e *Emulator) workspaceGetStatus(p *params) (any, *apiError) {
	n, _, aerr := e.lookupPath(p)
	if aerr != nil {
		return nil, aerr
	}
	return n.objectInfo(), nil
}

func (e *Emulator) workspaceList(p *params) (any, *apiError) {
	n, _, aerr := e.lookupPath(p)
	if aerr != nil {
		return nil, aerr
	}
	after, hasAfter, aerr := p.int64("notebooks_modified_after")
	if aerr != nil {
		return nil, aerr
	}
	if !n.isDir() {
		return map[string]any{"objects": []any{n.objectInfo()}}, nil
	}
	names := slices.Sorted(maps.Keys(n.children))
	var objects []any
	for _, name := range names {
		c := n.children[name]
		if hasAfter && c.objectType == "NOTEBOOK" && c.modified <= after {
			continue
		}
		objects = append(objects, c.objectInfo())
	}
	if len(objects) == 0 {
		return nil, nil // an empty directory answers {}
	}
	return map[string]any{"objects": objects}, nil
}

func (e *Emulator) workspaceMkdirs(p *params) (any, *apiError) {
	raw, aerr := p.requiredStr("path")
	if aerr != nil {
		return nil, aerr
	}
	clean, aerr := cleanWorkspacePath(raw)
	if aerr != nil {
		return nil, aerr
	}
	_, aerr = e.wsMkdirs(clean)
	return nil, aerr
}

func (e *Emulator) workspaceDelete(p *params) (any, *apiError) {
	n, clean, aerr := e.lookupPath(p)
	if aerr != nil {
		return nil, aerr
	}
	recursive, _, aerr := p.boolean("recursive")
	if aerr != nil {
		return nil, aerr
	}
	if clean == "/" || clean == "/Users" || clean == "/Shared" || clean == "/Repos" {
		return nil, errorf(http.StatusForbidden, "PERMISSION_DENIED", "Folder (%s) cannot be deleted.", clean)
	}
	if n.isDir() && len(n.children) > 0 && !recursive {
		return nil, errorf(http.StatusBadRequest, "DIRECTORY_NOT_EMPTY", "Folder (%s) is not empty.", clean)
	}
	e.wsRemove(n)
	return nil, nil
}

// notebookHeaders are the first lines of a notebook's SOURCE export, by
// language; extensions are the SOURCE export's file types.
var (
	notebookHeaders = map[string]string{
		"PYTHON": "# Databricks notebook source", "SCALA": "// Databricks notebook source",
		"SQL": "-- Databricks notebook source", "R": "# Databricks notebook source",
	}
	notebookExts = map[string]string{"PYTHON": "py", "SCALA": "scala", "SQL": "sql", "R": "r"}
	// commentPrefix starts a comment line in each language.
	commentPrefix = map[string]string{"PYTHON": "#", "SCALA": "//", "SQL": "--", "R": "#"}
)

// stripHeader drops a leading "Databricks notebook source" line.
func stripHeader(src []byte) []byte {
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	if bytes.HasSuffix(bytes.TrimSpace(first), []byte("Databricks notebook source")) {
		return rest
	}
	return src
}

func (e *Emulator) workspaceImport(p *params) (any, *apiError) {
	raw, aerr := p.requiredStr("path")
	if aerr != nil {
		return nil, aerr
	}
	clean, aerr := cleanWorkspacePath(raw)
	if aerr != nil {
		return nil, aerr
	}
	if clean == "/" {
		return nil, invalidParam("Path (%s) is not a valid import path.", raw)
	}
	format, aerr := p.str("format")
	if aerr != nil {
		return nil, aerr
	}
	if format == "" {
		format = "SOURCE"
	}
	if !oneOf(format, "SOURCE", "HTML", "JUPYTER", "DBC", "R_MARKDOWN", "RAW", "AUTO") {
		return nil, invalidParam("Invalid format '%s'; allowed values are AUTO, DBC, HTML, JUPYTER, RAW, R_MARKDOWN and SOURCE.", format)
	}
	language, aerr := p.str("language")
	if aerr != nil {
		return nil, aerr
	}
	if language != "" && !oneOf(language, "PYTHON", "SCALA", "SQL", "R") {
		return nil, invalidParam("Invalid language '%s'; allowed values are PYTHON, R, SCALA and SQL.", language)
	}
	overwrite, _, aerr := p.boolean("overwrite")
	if aerr != nil {
		return nil, aerr
	}
	b64, aerr := p.str("content")
	if aerr != nil {
		return nil, aerr
	}
	content, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\n", "", "\r", "").Replace(b64))
	if err != nil {
		return nil, malformed("Could not parse request object: content must be base64-encoded.")
	}
	if len(content) > maxWorkspaceObjectBytes {
		return nil, errorf(http.StatusBadRequest, "MAX_NOTEBOOK_SIZE_EXCEEDED", "File size imported is (%d bytes), exceeded max size (%d bytes)", len(content), maxWorkspaceObjectBytes)
	}
	if format == "DBC" {
		if overwrite {
			return nil, invalidParam("Overwrite is not supported for the DBC format.")
		}
		return nil, e.importArchive(clean, content)
	}
	typ, target := "NOTEBOOK", clean
	switch format {
	case "RAW":
		typ = "FILE"
	case "AUTO":
		ext := strings.TrimPrefix(path.Ext(clean), ".")
		switch {
		case ext == "ipynb":
			format, language, target = "JUPYTER", "PYTHON", strings.TrimSuffix(clean, ".ipynb")
		case ext != "" && bytes.Contains(firstLine(content), []byte("Databricks notebook source")):
			for lang, x := range notebookExts {
				if strings.EqualFold(x, ext) {
					format, language, target = "SOURCE", lang, strings.TrimSuffix(clean, path.Ext(clean))
				}
			}
			if format == "AUTO" {
				typ = "FILE"
			}
		default:
			typ = "FILE"
		}
	case "JUPYTER":
		language = "PYTHON"
	case "R_MARKDOWN":
		language = "R"
	}
	if typ == "NOTEBOOK" && language == "" {
		return nil, invalidParam("The language must be specified to import a notebook in %s format.", format)
	}
	if typ == "NOTEBOOK" {
		switch format {
		case "SOURCE":
			content = stripHeader(content)
		case "JUPYTER":
			src, aerr := sourceFromJupyter(content)
			if aerr != nil {
				return nil, aerr
			}
			content = src
		}
	}
	return nil, e.wsPut(target, typ, language, content, overwrite)
}

func firstLine(b []byte) []byte {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	return line
}

// wsPut writes a notebook or file at p, whose parent must exist.
func (e *Emulator) wsPut(p, typ, language string, content []byte, overwrite bool) *apiError {
	parent := e.ws.byPath[path.Dir(p)]
	if parent == nil || !parent.isDir() {
		return notFound("The parent folder (%s) does not exist.", path.Dir(p))
	}
	n := e.ws.byPath[p]
	switch {
	case n != nil && (!overwrite || n.isDir()):
		return errorf(http.StatusBadRequest, "RESOURCE_ALREADY_EXISTS", "Path (%s) already exists.", p)
	case n == nil:
		n = e.wsAdd(parent, p, typ)
	}
	n.objectType, n.language, n.content, n.modified = typ, language, content, millis(e.now())
	if typ != "NOTEBOOK" {
		n.language = ""
	}
	return nil
}

// importArchive unpacks a zip of source files (what this emulator's DBC
// export writes) into a new directory at dir.
func (e *Emulator) importArchive(dir string, content []byte) *apiError {
	zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return invalidParam("The content is not a DBC archive this workspace can read.")
	}
	if e.ws.byPath[dir] != nil {
		return errorf(http.StatusBadRequest, "RESOURCE_ALREADY_EXISTS", "Path (%s) already exists.", dir)
	}
	if parent := e.ws.byPath[path.Dir(dir)]; parent == nil || !parent.isDir() {
		return notFound("The parent folder (%s) does not exist.", path.Dir(dir))
	}
	if _, aerr := e.wsMkdirs(dir); aerr != nil {
		return aerr
	}
	for _, f := range zr.File {
		name := path.Clean("/" + f.Name)
		if strings.HasSuffix(f.Name, "/") {
			if _, aerr := e.wsMkdirs(path.Join(dir, name)); aerr != nil {
				return aerr
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return invalidParam("The DBC archive entry %s cannot be read.", f.Name)
		}
		b, err := io.ReadAll(io.LimitReader(rc, maxWorkspaceObjectBytes+1))
		rc.Close()
		if err != nil || len(b) > maxWorkspaceObjectBytes {
			return invalidParam("The DBC archive entry %s cannot be read.", f.Name)
		}
		target := path.Join(dir, name)
		if _, aerr := e.wsMkdirs(path.Dir(target)); aerr != nil {
			return aerr
		}
		typ, lang := "FILE", ""
		for l, x := range notebookExts {
			if path.Ext(name) == "."+x && bytes.Contains(firstLine(b), []byte("Databricks notebook source")) {
				typ, lang, target, b = "NOTEBOOK", l, strings.TrimSuffix(target, path.Ext(target)), stripHeader(b)
			}
		}
		if aerr := e.wsPut(target, typ, lang, b, true); aerr != nil {
			return aerr
		}
	}
	return nil
}

// commandSeparator is the line between two cells of a notebook's source.
func commandSeparator(language string) string {
	return "\n" + commentPrefix[language] + " COMMAND ----------\n"
}

// cells splits a notebook's source at its cell separators.
func (n *wsNode) cells() []string {
	parts := strings.Split(string(n.content), commandSeparator(n.language))
	for i := range parts {
		parts[i] = strings.Trim(parts[i], "\n")
	}
	return parts
}

// sourceFromJupyter joins the cells of an .ipynb document into notebook
// source.
func sourceFromJupyter(b []byte) ([]byte, *apiError) {
	var nb struct {
		Cells []struct {
			Type   string          `json:"cell_type"`
			Source json.RawMessage `json:"source"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, invalidParam("The content is not a valid Jupyter notebook: %v", err)
	}
	var cells []string
	for _, c := range nb.Cells {
		var lines []string
		var one string
		if json.Unmarshal(c.Source, &lines) != nil {
			_ = json.Unmarshal(c.Source, &one)
			lines = []string{one}
		}
		src := strings.Join(lines, "")
		if c.Type == "markdown" {
			src = "# MAGIC %md\n# MAGIC " + strings.ReplaceAll(src, "\n", "\n# MAGIC ")
		}
		cells = append(cells, src)
	}
	return []byte(strings.Join(cells, "\n"+commandSeparator("PYTHON")+"\n")), nil
}

// sourceExport is a notebook's SOURCE export: its header line, then its
// source.
func (n *wsNode) sourceExport() []byte {
	return append([]byte(notebookHeaders[n.language]+"\n"), n.content...)
}

func (e *Emulator) workspaceExport(p *params) (any, *apiError) {
	n, _, aerr := e.lookupPath(p)
	if aerr != nil {
		return nil, aerr
	}
	format, aerr := p.str("format")
	if aerr != nil {
		return nil, aerr
	}
	if format == "" {
		format = "SOURCE"
	}
	if !oneOf(format, "SOURCE", "HTML", "JUPYTER", "DBC", "R_MARKDOWN", "RAW", "AUTO") {
		return nil, invalidParam("Invalid format '%s'; allowed values are AUTO, DBC, HTML, JUPYTER, RAW, R_MARKDOWN and SOURCE.", format)
	}
	if direct, _, _ := p.boolean("direct_download"); direct {
		return nil, invalidParam("direct_download is not supported by this emulator; omit it to get the content base64-encoded.")
	}
	var out []byte
	var fileType string
	switch {
	case n.isDir():
		if !oneOf(format, "SOURCE", "DBC", "AUTO") {
			return nil, invalidParam("Directory export is only supported for the DBC, SOURCE and AUTO formats.")
		}
		out, fileType = e.exportArchive(n, format == "AUTO"), "zip"
		if format == "DBC" {
			fileType = "dbc"
		}
	case n.objectType == "NOTEBOOK":
		switch format {
		case "SOURCE", "AUTO", "RAW":
			out, fileType = n.sourceExport(), notebookExts[n.language]
		case "HTML":
			out, fileType = n.htmlExport(), "html"
		case "JUPYTER":
			out, fileType = n.jupyterExport(), "ipynb"
		case "R_MARKDOWN":
			if n.language != "R" {
				return nil, invalidParam("R_MARKDOWN export is only supported for R notebooks.")
			}
			out, fileType = n.content, "Rmd"
		case "DBC":
			out, fileType = e.exportArchive(n, false), "dbc"
		}
	default: // files and libraries export as their bytes
		if !oneOf(format, "SOURCE", "AUTO", "RAW") {
			return nil, invalidParam("Files can only be exported in the SOURCE, AUTO or RAW format.")
		}
		out, fileType = n.content, strings.TrimPrefix(path.Ext(n.path), ".")
	}
	if len(out) > maxWorkspaceObjectBytes {
		return nil, errorf(http.StatusBadRequest, "MAX_NOTEBOOK_SIZE_EXCEEDED", "Notebook size exceeds maximum allowed size")
	}
	return pruned(map[string]any{"content": base64.StdEncoding.EncodeToString(out), "file_type": nilIfEmpty(fileType)}), nil
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// exportArchive zips a notebook or directory: notebooks as SOURCE exports,
// and (withFiles) the files too.
func (e *Emulator) exportArchive(n *wsNode, withFiles bool) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	base := path.Dir(n.path)
	if n.isDir() {
		base = n.path
	}
	var walk func(*wsNode)
	walk = func(c *wsNode) {
		rel := strings.TrimPrefix(strings.TrimPrefix(c.path, base), "/")
		switch {
		case c.isDir():
			for _, name := range slices.Sorted(maps.Keys(c.children)) {
				walk(c.children[name])
			}
		case c.objectType == "NOTEBOOK":
			w, _ := zw.Create(rel + "." + notebookExts[c.language])
			_, _ = w.Write(c.sourceExport())
		case withFiles && c.objectType == "FILE":
			w, _ := zw.Create(rel)
			_, _ = w.Write(c.content)
		}
	}
	walk(n)
	_ = zw.Close()
	return buf.Bytes()
}

// htmlExport is a readable page of the notebook's cells (Databricks' own
// HTML export embeds the notebook for its viewer instead).
func (n *wsNode) htmlExport() []byte {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + html.EscapeString(path.Base(n.path)) + "</title></head><body>\n")
	for _, c := range n.cells() {
		b.WriteString("<pre>" + html.EscapeString(c) + "</pre>\n")
	}
	b.WriteString("</body></html>\n")
	return []byte(b.String())
}

// jupyterExport is an nbformat 4 document with one code cell per notebook
// cell.
func (n *wsNode) jupyterExport() []byte {
	type cell struct {
		CellType       string         `json:"cell_type"`
		ExecutionCount any            `json:"execution_count"`
		Metadata       map[string]any `json:"metadata"`
		Outputs        []any          `json:"outputs"`
		Source         []string       `json:"source"`
	}
	cells := []cell{}
	for _, c := range n.cells() {
		lines := strings.SplitAfter(c, "\n")
		cells = append(cells, cell{CellType: "code", Metadata: map[string]any{}, Outputs: []any{}, Source: lines})
	}
	lang := strings.ToLower(n.language)
	doc := map[string]any{
		"cells":          cells,
		"metadata":       map[string]any{"language_info": map[string]any{"name": lang}, "application/vnd.databricks.v1+notebook": map[string]any{"notebookName": path.Base(n.path), "language": lang}},
		"nbformat":       4,
		"nbformat_minor": 0,
	}
	b, _ := json.MarshalIndent(doc, "", " ")
	return b
}
