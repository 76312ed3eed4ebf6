package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
)

// Limits of the DBFS API 2.0, as the API reference states them. The 1 MB
// limits count decoded bytes; the data travels base64-encoded.
const (
	dbfsMaxBlockBytes   = 1 << 20          // one put's contents or one add-block's data
	dbfsMaxReadBytes    = 1 << 20          // one read's length
	dbfsDefaultReadLen  = 512 << 10        // a read without length
	dbfsHandleIdleLimit = 10 * time.Minute // an unused write handle expires
)

var _ = declareArea((*Emulator).declareDBFS)

// dbfsNode is one file or directory of the tree.
type dbfsNode struct {
	dir   bool
	data  []byte
	mtime time.Time
}

// dbfsHandle is an open write stream. It holds the node it writes, so a
// file moved while open keeps receiving its blocks, as on a file system.
type dbfsHandle struct {
	node     *dbfsNode
	lastUsed time.Time
}

// dbfs is the emulated file tree: nodes by clean absolute path ("/" is
// always there, a directory), and the open write handles.
type dbfs struct {
	e       *Emulator
	nodes   map[string]*dbfsNode
	handles map[int64]*dbfsHandle
}

// declareDBFS serves the DBFS API 2.0 on an in-memory tree. Its state lives
// in the handlers' closure: nothing else in the emulator reads it.
func (e *Emulator) declareDBFS() {
	fs := &dbfs{e: e, nodes: map[string]*dbfsNode{"/": {dir: true, mtime: e.now()}}, handles: map[int64]*dbfsHandle{}}
	e.handle("GET", "/api/2.0/dbfs/list", fs.list)
	e.handle("GET", "/api/2.0/dbfs/get-status", fs.getStatus)
	e.handle("GET", "/api/2.0/dbfs/read", fs.read)
	e.handle("POST", "/api/2.0/dbfs/put", fs.put)
	e.handle("POST", "/api/2.0/dbfs/mkdirs", fs.mkdirs)
	e.handle("POST", "/api/2.0/dbfs/move", fs.move)
	e.handle("POST", "/api/2.0/dbfs/delete", fs.delete)
	e.handle("POST", "/api/2.0/dbfs/create", fs.create)
	e.handle("POST", "/api/2.0/dbfs/add-block", fs.addBlock)
	e.handle("POST", "/api/2.0/dbfs/close", fs.close)
}

func dbfsNotFound(p string) *apiError { return notFound("No file or directory exists on path %s.", p) }

func dbfsExists(p string) *apiError {
	return errorf(http.StatusBadRequest, "RESOURCE_ALREADY_EXISTS", "A file or directory already exists at the input path %s.", p)
}

// pathParam reads and cleans an absolute DBFS path.
func (fs *dbfs) pathParam(p *params, name string) (string, *apiError) {
	v, aerr := p.requiredStr(name)
	if aerr != nil {
		return "", aerr
	}
	if !strings.HasPrefix(v, "/") {
		return "", invalidParam("Path must be absolute: %s", v)
	}
	return path.Clean(v), nil
}

// info is a node as list and get-status describe it.
func (fs *dbfs) info(p string, n *dbfsNode) map[string]any {
	return map[string]any{"path": p, "is_dir": n.dir, "file_size": len(n.data), "modification_time": millis(n.mtime)}
}

// children lists the paths directly inside directory dir, sorted.
func (fs *dbfs) children(dir string) []string {
	prefix := strings.TrimSuffix(dir, "/") + "/"
	var out []string
	for p := range fs.nodes {
		if p != dir && strings.HasPrefix(p, prefix) && !strings.Contains(p[len(prefix):], "/") {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// dbfsWithin reports whether p is dir or inside it.
func dbfsWithin(p, dir string) bool {
	return p == dir || dir == "/" || strings.HasPrefix(p, dir+"/")
}

// mkdirAll creates dir and its missing parents; a file on the way fails
// the call with RESOURCE_ALREADY_EXISTS, leaving the parents it made.
func (fs *dbfs) mkdirAll(dir string) *apiError {
	if n, ok := fs.nodes[dir]; ok {
		if !n.dir {
			return dbfsExists(dir)
		}
		return nil
	}
	if aerr := fs.mkdirAll(path.Dir(dir)); aerr != nil {
		return aerr
	}
	fs.nodes[dir] = &dbfsNode{dir: true, mtime: fs.e.now()}
	return nil
}

// newFile makes an empty file at p for put and create: missing parents are
// created; an existing file is replaced only with overwrite, and a
// directory never.
func (fs *dbfs) newFile(p *params) (*dbfsNode, *apiError) {
	fp, aerr := fs.pathParam(p, "path")
	if aerr != nil {
		return nil, aerr
	}
	overwrite, _, aerr := p.boolean("overwrite")
	if aerr != nil {
		return nil, aerr
	}
	if old, ok := fs.nodes[fp]; ok && (old.dir || !overwrite) {
		return nil, dbfsExists(fp)
	}
	if aerr := fs.mkdirAll(path.Dir(fp)); aerr != nil {
		return nil, aerr
	}
	n := &dbfsNode{mtime: fs.e.now()}
	fs.nodes[fp] = n
	return n, nil
}

// block decodes base64 data of at most one block.
func block(p *params, name string) ([]byte, *apiError) {
	s, aerr := p.str(name)
	if aerr != nil {
		return nil, aerr
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, invalidParam("%s is not valid base64.", name)
	}
	if len(b) > dbfsMaxBlockBytes {
		return nil, errorf(http.StatusBadRequest, "MAX_BLOCK_SIZE_EXCEEDED",
			"The %s is %d bytes; at most %d bytes (1 MB) may be sent in one call.", name, len(b), dbfsMaxBlockBytes)
	}
	return b, nil
}

func (fs *dbfs) list(p *params) (any, *apiError) {
	dp, aerr := fs.pathParam(p, "path")
	if aerr != nil {
		return nil, aerr
	}
	n, ok := fs.nodes[dp]
	if !ok {
		return nil, dbfsNotFound(dp)
	}
	if !n.dir {
		return map[string]any{"files": []any{fs.info(dp, n)}}, nil
	}
	files := []any{}
	for _, c := range fs.children(dp) {
		files = append(files, fs.info(c, fs.nodes[c]))
	}
	if len(files) == 0 {
		return map[string]any{}, nil // an empty list is left out, as proto3 JSON does
	}
	return map[string]any{"files": files}, nil
}

func (fs *dbfs) getStatus(p *params) (any, *apiError) {
	fp, aerr := fs.pathParam(p, "path")
	if aerr != nil {
		return nil, aerr
	}
	n, ok := fs.nodes[fp]
	if !ok {
		return nil, dbfsNotFound(fp)
	}
	return fs.info(fp, n), nil
}

func (fs *dbfs) read(p *params) (any, *apiError) {
	fp, aerr := fs.pathParam(p, "path")
	if aerr != nil {
		return nil, aerr
	}
	offset, _, aerr := p.int64("offset")
	if aerr != nil {
		return nil, aerr
	}
	length, _, aerr := p.int64("length")
	if aerr != nil {
		return nil, aerr
	}
	n, ok := fs.nodes[fp]
	switch {
	case !ok:
		return nil, dbfsNotFound(fp)
	case n.dir:
		return nil, invalidParam("Cannot read a directory: %s", fp)
	case offset < 0:
		return nil, invalidParam("offset must not be negative: %d", offset)
	case length < 0:
		return nil, invalidParam("length must not be negative: %d", length)
	case length > dbfsMaxReadBytes:
		return nil, errorf(http.StatusBadRequest, "MAX_READ_SIZE_EXCEEDED",
			"Cannot read more than %d bytes (1 MB) at once; length was %d.", dbfsMaxReadBytes, length)
	case length == 0:
		length = dbfsDefaultReadLen
	}
	start := min(offset, int64(len(n.data)))
	end := min(start+length, int64(len(n.data)))
	chunk := n.data[start:end]
	return map[string]any{"bytes_read": len(chunk), "data": base64.StdEncoding.EncodeToString(chunk)}, nil
}

func (fs *dbfs) put(p *params) (any, *apiError) {
	data, aerr := block(p, "contents")
	if aerr != nil {
		return nil, aerr
	}
	n, aerr := fs.newFile(p)
	if aerr != nil {
		return nil, aerr
	}
	n.data = data
	return nil, nil
}

func (fs *dbfs) mkdirs(p *params) (any, *apiError) {
	dp, aerr := fs.pathParam(p, "path")
	if aerr != nil {
		return nil, aerr
	}
	return nil, fs.mkdirAll(dp)
}

// move renames a file, or a directory with everything under it. The
// destination's missing parents are created.
func (fs *dbfs) move(p *params) (any, *apiError) {
	src, aerr := fs.pathParam(p, "source_path")
	if aerr != nil {
		return nil, aerr
	}
	dst, aerr := fs.pathParam(p, "destination_path")
	if aerr != nil {
		return nil, aerr
	}
	if _, ok := fs.nodes[src]; !ok {
		return nil, dbfsNotFound(src)
	}
	if _, ok := fs.nodes[dst]; ok {
		return nil, dbfsExists(dst)
	}
	if src == "/" || dbfsWithin(dst, src) {
		return nil, invalidParam("Cannot move %s into itself (%s).", src, dst)
	}
	if aerr := fs.mkdirAll(path.Dir(dst)); aerr != nil {
		return nil, aerr
	}
	for q, n := range fs.nodes {
		if dbfsWithin(q, src) {
			delete(fs.nodes, q)
			fs.nodes[dst+q[len(src):]] = n
		}
	}
	return nil, nil
}

// delete removes a file or a directory; a non-empty directory only when
// recursive (else IO_ERROR, as Databricks answers). A missing path is not
// an error.
func (fs *dbfs) delete(p *params) (any, *apiError) {
	fp, aerr := fs.pathParam(p, "path")
	if aerr != nil {
		return nil, aerr
	}
	recursive, _, aerr := p.boolean("recursive")
	if aerr != nil {
		return nil, aerr
	}
	n, ok := fs.nodes[fp]
	if !ok {
		return nil, nil
	}
	if fp == "/" {
		return nil, invalidParam("Cannot delete the root directory.")
	}
	if n.dir && !recursive && len(fs.children(fp)) > 0 {
		return nil, errorf(http.StatusBadRequest, "IO_ERROR",
			"%s is a non-empty directory; set recursive to delete it with its contents.", fp)
	}
	for q := range fs.nodes {
		if dbfsWithin(q, fp) {
			delete(fs.nodes, q)
		}
	}
	return nil, nil
}

func (fs *dbfs) create(p *params) (any, *apiError) {
	fs.expireHandles()
	n, aerr := fs.newFile(p)
	if aerr != nil {
		return nil, aerr
	}
	h := newHandleID()
	for fs.handles[h] != nil {
		h = newHandleID()
	}
	fs.handles[h] = &dbfsHandle{node: n, lastUsed: fs.e.now()}
	return map[string]any{"handle": h}, nil
}

// openHandle finds a live handle, refreshing its idle time.
func (fs *dbfs) openHandle(p *params) (int64, *dbfsHandle, *apiError) {
	id, ok, aerr := p.int64("handle")
	if aerr != nil {
		return 0, nil, aerr
	}
	if !ok {
		return 0, nil, missingField("handle")
	}
	fs.expireHandles()
	h := fs.handles[id]
	if h == nil {
		return 0, nil, notFound("No file handle %d is open: it was closed, expired after %s without use, or never existed.", id, dbfsHandleIdleLimit)
	}
	h.lastUsed = fs.e.now()
	return id, h, nil
}

func (fs *dbfs) addBlock(p *params) (any, *apiError) {
	data, aerr := block(p, "data")
	if aerr != nil {
		return nil, aerr
	}
	_, h, aerr := fs.openHandle(p)
	if aerr != nil {
		return nil, aerr
	}
	h.node.data = append(h.node.data, data...)
	h.node.mtime = fs.e.now()
	return nil, nil
}

func (fs *dbfs) close(p *params) (any, *apiError) {
	id, _, aerr := fs.openHandle(p)
	if aerr != nil {
		return nil, aerr
	}
	delete(fs.handles, id)
	return nil, nil
}

// expireHandles drops the handles idle for longer than Databricks keeps
// them. What they wrote stays in their files.
func (fs *dbfs) expireHandles() {
	now := fs.e.now()
	for id, h := range fs.handles {
		if now.Sub(h.lastUsed) > dbfsHandleIdleLimit {
			delete(fs.handles, id)
		}
	}
}

// newHandleID is a random positive handle below 2^53, so that clients
// decoding numbers as float64 still get it exactly.
func newHandleID() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.BigEndian.Uint64(b[:])>>11) | 1
}
