package tools

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// URIScheme is the scheme of the resources this server offers: its own,
// so a client never mistakes a workspace path for a local file.
const URIScheme = "dbx"

// The resource templates. {+path} keeps its slashes; a window of a large
// resource is asked for with ?offset=N (bytes), which the handlers read
// themselves since {+path} would swallow the query.
const (
	workspaceTemplate = "dbx://workspace{+path}"
	volumesTemplate   = "dbx://volumes/{catalog}/{schema}/{volume}{+path}"
	runOutputTemplate = "dbx://jobs/runs/{run_id}/output{?offset}"
	resultsTemplate   = "dbx://results/{id}{?offset}"
)

// listedResources bounds how many notebooks and files resources/list names,
// and listedDirectories how many folders it lists to find them: the
// caller's home folder, not a crawl of the workspace.
const (
	listedResources   = 50
	listedDirectories = 20
)

// workspaceURI is the resource for a workspace path, with query members
// (empty values left out).
func workspaceURI(p string, query map[string]string) string {
	u := "dbx://workspace" + escapePath(p)
	return u + encodeQuery(query)
}

func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

func encodeQuery(query map[string]string) string {
	v := url.Values{}
	for k, s := range query {
		if s != "" {
			v.Set(k, s)
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// resultCache keeps the whole answers of cut results for a while, so the
// resource a marker names can be read. Ids are random: one HTTP session
// cannot guess another's.
type resultCache struct {
	mu      sync.Mutex
	order   []string
	entries map[string][]byte
	size    int
}

// Result cache bounds: the oldest answers go first.
const (
	cachedResults     = 32
	cachedResultBytes = 128 << 20
)

func newResultCache() *resultCache { return &resultCache{entries: map[string][]byte{}} }

// put keeps body and returns its resource URI.
func (c *resultCache) put(body []byte) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[id] = body
	c.order = append(c.order, id)
	c.size += len(body)
	for len(c.order) > cachedResults || (c.size > cachedResultBytes && len(c.order) > 1) {
		old := c.order[0]
		c.order = c.order[1:]
		c.size -= len(c.entries[old])
		delete(c.entries, old)
	}
	return "dbx://results/" + id
}

func (c *resultCache) get(id string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.entries[id]
	return b, ok
}

// resources serves the dbx:// resources of one registry.
type resources struct {
	getClient ClientFunc
	max       int
	results   *resultCache

	// exports keeps the last few workspace exports for a minute: the
	// export API has no ranges, and reading a large notebook window by
	// window would export it whole for every window.
	mu      sync.Mutex
	exports []export
}

type export struct {
	key  string
	data []byte
	at   time.Time
}

const (
	keptExports   = 4
	exportKeptFor = time.Minute
)

func (r *resources) exported(ctx context.Context, p, format string) ([]byte, error) {
	key := format + " " + p
	r.mu.Lock()
	r.exports = slices.DeleteFunc(r.exports, func(e export) bool { return time.Since(e.at) > exportKeptFor })
	for _, e := range r.exports {
		if e.key == key {
			r.mu.Unlock()
			return e.data, nil
		}
	}
	r.mu.Unlock()
	raw, err := r.invoke(ctx, "workspace_export", map[string]string{"path": p, "format": format})
	if err != nil {
		return nil, err
	}
	var ans struct {
		Content string `json:"content"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil {
		return nil, fmt.Errorf("workspace export answer: %w", err)
	}
	data, err := base64.StdEncoding.DecodeString(ans.Content)
	if err != nil {
		return nil, fmt.Errorf("workspace export content is not base64: %w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exports = append(r.exports, export{key: key, data: data, at: time.Now()})
	if len(r.exports) > keptExports {
		r.exports = r.exports[1:]
	}
	return data, nil
}

// options are the server options resources need: the capability, the
// listing of the home folder (a hook, since mcp-go lists only fixed
// resources) and completions.
func (r *resources) options(hooks *server.Hooks) []server.ServerOption {
	hooks.AddAfterListResources(func(ctx context.Context, _ any, req *mcp.ListResourcesRequest, res *mcp.ListResourcesResult) {
		if req.Params.Cursor == "" { // once, on the first page
			res.Resources = append(res.Resources, r.homeResources(ctx)...)
		}
	})
	return []server.ServerOption{
		server.WithResourceCapabilities(false, false),
		server.WithCompletions(),
		server.WithResourceCompletionProvider(completer{r}),
		server.WithPromptCompletionProvider(completer{r}),
	}
}

// register adds the resource templates to s.
func (r *resources) register(s *server.MCPServer) {
	s.AddResourceTemplate(mcp.NewResourceTemplate(workspaceTemplate, "Workspace notebook or file",
		mcp.WithTemplateDescription("A notebook's source or a workspace file (export, format SOURCE unless ?format= says otherwise). Large ones come in windows: ?offset=N."),
	), r.readWorkspace)
	s.AddResourceTemplate(mcp.NewResourceTemplate(volumesTemplate, "Volume file",
		mcp.WithTemplateDescription("A file of a Unity Catalog volume, text or base64 blob. Large ones come in windows: ?offset=N."),
	), r.readVolume)
	s.AddResourceTemplate(mcp.NewResourceTemplate(runOutputTemplate, "Job task run output",
		mcp.WithTemplateDescription("What a task run produced (jobs_get_run_output) as JSON; run_id is a task's run id."),
		mcp.WithTemplateMIMEType("application/json"),
	), r.readRunOutput)
	s.AddResourceTemplate(mcp.NewResourceTemplate(resultsTemplate, "Whole answer of a cut tool result",
		mcp.WithTemplateDescription("A tool result that was cut to the output budget, whole, kept for a while; read in windows with ?offset=N."),
		mcp.WithTemplateMIMEType("application/json"),
	), r.readResult)
}

// splitURI parses a resource URI into its path below prefix and its query.
func splitURI(uri, prefix string) (string, url.Values, error) {
	rest, ok := strings.CutPrefix(uri, prefix)
	if !ok {
		return "", nil, fmt.Errorf("resource %q does not start with %s", uri, prefix)
	}
	p, q, _ := strings.Cut(rest, "?")
	query, err := url.ParseQuery(q)
	if err != nil {
		return "", nil, fmt.Errorf("resource %q: query: %w", uri, err)
	}
	if p, err = url.PathUnescape(p); err != nil {
		return "", nil, fmt.Errorf("resource %q: path: %w", uri, err)
	}
	return p, query, nil
}

// cleanPath refuses a resource path with empty, "." or ".." segments,
// which would name something other than what the URI shows.
func cleanPath(uri, p string) error {
	if !strings.HasPrefix(p, "/") || len(p) < 2 {
		return fmt.Errorf("resource %q: the path must be absolute", uri)
	}
	for _, seg := range strings.Split(p[1:], "/") {
		if seg == "" || seg == "." || seg == ".." {
			return fmt.Errorf("resource %q: the path must not hold empty, '.' or '..' segments", uri)
		}
	}
	return nil
}

func offsetOf(q url.Values) (int, error) {
	s := q.Get("offset")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("offset %q is not a byte offset (a whole number, 0 or more)", s)
	}
	return n, nil
}

// invoke calls a declared operation by its tool name.
func (r *resources) invoke(ctx context.Context, name string, args any) (json.RawMessage, error) {
	var op client.Operation
	for _, o := range client.Operations() {
		if o.Info().FullName() == name {
			op = o
			break
		}
	}
	if op == nil {
		return nil, fmt.Errorf("no operation %s", name)
	}
	c, err := r.getClient(ctx)
	if err != nil {
		return nil, fmt.Errorf("not connected to a workspace: %w", err)
	}
	raw, err := json.Marshal(args)
	if err != nil {
		return nil, err
	}
	out, err := op.Invoke(ctx, c, raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// window is the part of data from offset a read hands back: text when it
// is UTF-8 (cut on a character boundary), else a base64 blob; _meta says
// where the next window starts.
func (r *resources) window(uri, mime string, data []byte, offset int, nextURI func(int) string) mcp.ResourceContents {
	if offset > len(data) {
		offset = len(data)
	}
	text := utf8.Valid(data)
	end := min(len(data), offset+r.max)
	if !text {
		end = min(len(data), offset+r.max/4*3)
	}
	for text && end < len(data) && end > offset && !utf8.RuneStart(data[end]) {
		end--
	}
	meta := map[string]any{"offset": offset, "length": end - offset, "total_bytes": len(data)}
	if end < len(data) {
		meta["next"] = nextURI(end)
	}
	if text {
		if mime == "" {
			mime = "text/plain"
		}
		return mcp.TextResourceContents{Meta: meta, URI: uri, MIMEType: mime, Text: string(data[offset:end])}
	}
	if mime == "" {
		mime = "application/octet-stream"
	}
	return mcp.BlobResourceContents{Meta: meta, URI: uri, MIMEType: mime, Blob: base64.StdEncoding.EncodeToString(data[offset:end])}
}

func withOffset(base string, q url.Values, off int) string {
	v := url.Values{}
	for k, s := range q {
		v[k] = s
	}
	v.Set("offset", strconv.Itoa(off))
	return base + "?" + v.Encode()
}

func (r *resources) readWorkspace(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	p, q, err := splitURI(req.Params.URI, "dbx://workspace")
	if err == nil {
		err = cleanPath(req.Params.URI, p)
	}
	if err != nil {
		return nil, err
	}
	off, err := offsetOf(q)
	if err != nil {
		return nil, err
	}
	format := q.Get("format")
	if format == "" {
		format = "SOURCE"
	}
	// The first window is always fresh; later ones may come from the
	// export the first one made.
	if off == 0 {
		r.forget(format + " " + p)
	}
	data, err := r.exported(ctx, p, format)
	if err != nil {
		return nil, err
	}
	base := "dbx://workspace" + escapePath(p)
	return []mcp.ResourceContents{r.window(req.Params.URI, "", data, off, func(n int) string { return withOffset(base, q, n) })}, nil
}

func (r *resources) forget(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exports = slices.DeleteFunc(r.exports, func(e export) bool { return e.key == key })
}

func (r *resources) readVolume(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	p, q, err := splitURI(req.Params.URI, "dbx://volumes")
	if err == nil {
		err = cleanPath(req.Params.URI, p)
	}
	if err == nil && strings.Count(p, "/") < 4 {
		err = fmt.Errorf("resource %q names no file: want dbx://volumes/<catalog>/<schema>/<volume>/<path>", req.Params.URI)
	}
	if err != nil {
		return nil, err
	}
	off, err := offsetOf(q)
	if err != nil {
		return nil, err
	}
	// One window's bytes and one more, to tell whether the file goes on.
	want := r.max
	raw, err := r.invoke(ctx, "files_download", map[string]string{"file_path": "/Volumes" + p, "range": fmt.Sprintf("bytes=%d-%d", off, off+want)})
	var apiErr *client.APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == 416 {
		return []mcp.ResourceContents{mcp.TextResourceContents{URI: req.Params.URI, MIMEType: "text/plain", Meta: map[string]any{"offset": off, "length": 0}}}, nil
	}
	if err != nil {
		return nil, err
	}
	var ans struct {
		Contents     string `json:"contents"`
		ContentRange string `json:"content_range"`
		ContentType  string `json:"content_type"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil {
		return nil, fmt.Errorf("files download answer: %w", err)
	}
	data, err := base64.StdEncoding.DecodeString(ans.Contents)
	if err != nil {
		return nil, fmt.Errorf("files download contents are not base64: %w", err)
	}
	// The window is cut from the bytes fetched, which start at off.
	w := r.window(req.Params.URI, "", data, 0, func(n int) string { return withOffset("dbx://volumes"+escapePath(p), q, off+n) })
	shiftMeta(w, off, ans.ContentRange)
	return []mcp.ResourceContents{w}, nil
}

// shiftMeta makes a window's offsets count from the start of the file, and
// names its length from the Content-Range.
func shiftMeta(c mcp.ResourceContents, off int, contentRange string) {
	var meta map[string]any
	switch v := c.(type) {
	case mcp.TextResourceContents:
		meta = v.Meta
	case mcp.BlobResourceContents:
		meta = v.Meta
	}
	if meta == nil {
		return
	}
	meta["offset"] = off
	delete(meta, "total_bytes")
	if _, total, ok := strings.Cut(contentRange, "/"); ok {
		if n, err := strconv.Atoi(total); err == nil {
			meta["total_bytes"] = n
			if off+meta["length"].(int) >= n {
				delete(meta, "next")
			}
		}
	}
}

func (r *resources) readRunOutput(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	p, q, err := splitURI(req.Params.URI, "dbx://jobs/runs/")
	if err != nil {
		return nil, err
	}
	id, ok := strings.CutSuffix(p, "/output")
	n, perr := strconv.ParseInt(id, 10, 64)
	if !ok || perr != nil {
		return nil, fmt.Errorf("resource %q: want dbx://jobs/runs/<run_id>/output", req.Params.URI)
	}
	off, err := offsetOf(q)
	if err != nil {
		return nil, err
	}
	raw, err := r.invoke(ctx, "jobs_get_run_output", map[string]int64{"run_id": n})
	if err != nil {
		return nil, err
	}
	base := "dbx://jobs/runs/" + id + "/output"
	return []mcp.ResourceContents{r.window(req.Params.URI, "application/json", raw, off, func(k int) string { return withOffset(base, q, k) })}, nil
}

func (r *resources) readResult(_ context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	id, q, err := splitURI(req.Params.URI, "dbx://results/")
	if err != nil {
		return nil, err
	}
	off, err := offsetOf(q)
	if err != nil {
		return nil, err
	}
	body, ok := r.results.get(id)
	if !ok {
		return nil, fmt.Errorf("result %s is no longer kept (the server keeps the last %d); call the tool again", id, cachedResults)
	}
	base := "dbx://results/" + id
	return []mcp.ResourceContents{r.window(req.Params.URI, "application/json", body, off, func(n int) string { return withOffset(base, q, n) })}, nil
}

// homeResources lists the notebooks and files of the caller's home folder,
// at most listedResources of them; a workspace that cannot be reached
// lists none (resources/list is no place for errors).
func (r *resources) homeResources(ctx context.Context) []mcp.Resource {
	raw, err := r.invoke(ctx, "current_user_me", map[string]string{})
	if err != nil {
		return nil
	}
	var me struct {
		UserName string `json:"userName"`
	}
	if json.Unmarshal(raw, &me) != nil || me.UserName == "" {
		return nil
	}
	home := "/Users/" + me.UserName
	var out []mcp.Resource
	dirs := []string{home}
	for listed := 0; len(dirs) > 0 && len(out) < listedResources && listed < listedDirectories; listed++ {
		dir := dirs[0]
		dirs = dirs[1:]
		objs, err := r.listWorkspace(ctx, dir)
		if err != nil {
			continue
		}
		for _, o := range objs {
			switch o.ObjectType {
			case "DIRECTORY":
				dirs = append(dirs, o.Path)
			case "NOTEBOOK", "FILE":
				if len(out) < listedResources {
					res := mcp.NewResource(workspaceURI(o.Path, nil), path.Base(o.Path),
						mcp.WithResourceDescription(strings.ToLower(o.ObjectType)+" "+o.Path))
					out = append(out, res)
				}
			}
		}
	}
	return out
}

type workspaceObject struct {
	Path       string `json:"path"`
	ObjectType string `json:"object_type"`
}

func (r *resources) listWorkspace(ctx context.Context, dir string) ([]workspaceObject, error) {
	raw, err := r.invoke(ctx, "workspace_list", map[string]string{"path": dir})
	if err != nil {
		return nil, err
	}
	var ans struct {
		Objects []workspaceObject `json:"objects"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil {
		return nil, err
	}
	slices.SortFunc(ans.Objects, func(a, b workspaceObject) int { return strings.Compare(a.Path, b.Path) })
	return ans.Objects, nil
}
