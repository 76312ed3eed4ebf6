package tools

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/client/files"
	"github.com/dbx-mcp/dbx-mcp/schema"
)

// The DBFS transfer tools move files of any size through the DBFS handle
// API (create, add_block in blocks of at most 1 MB, close) and 1 MB reads,
// in bounded memory: one block at a time, never the whole file, except
// what dbfs_download hands back to the model, which is capped.

// DBFSDownloadCap is the most dbfs_download returns in one call: 4 MiB of
// the file (about 5.6 MB as base64). Larger files are read in steps with
// offset, or with dbfs_download_file.
const DBFSDownloadCap = 4 << 20

// closeTimeout bounds closing a handle after a failed upload, which is
// tried even when the call itself was cancelled.
const closeTimeout = 30 * time.Second

var (
	_ = addHandwritten(handwrittenTool{name: "dbfs_upload", toolset: "dbfs", build: newDBFSUpload})
	_ = addHandwritten(handwrittenTool{name: "dbfs_download", toolset: "dbfs", readOnly: true, build: newDBFSDownload})
	_ = addHandwritten(handwrittenTool{name: "dbfs_upload_file", toolset: "dbfs", localFiles: true, build: newDBFSUploadFile})
	_ = addHandwritten(handwrittenTool{name: "dbfs_download_file", toolset: "dbfs", localFiles: true, build: newDBFSDownloadFile})
)

const (
	dbfsPathProp      = `"path":{"type":"string","description":"Absolute DBFS path of the file, such as /FileStore/data.bin."}`
	dbfsOverwriteProp = `"overwrite":{"type":"boolean","description":"Replace an existing file. Without it, an existing file fails the call with RESOURCE_ALREADY_EXISTS and nothing is written."}`
	localPathProp     = `"local_path":{"type":"string","description":"Path of the local file, relative to the directory the user allowed at start-up (--local-dir). Absolute paths, '..' and links leading out of it are refused."}`

	uploadOutput = `{"type":"object","properties":{` +
		`"path":{"type":"string","description":"DBFS path written."},` +
		`"bytes_written":{"type":"integer","description":"Size of the file written, in bytes."},` +
		`"blocks":{"type":"integer","description":"Number of add_block calls made."}}}`
)

// transferTool builds one hand-written transfer tool from its schemas and
// its work, which runs after the arguments were validated against in. Its
// toolset is the one it was registered with (addHandwritten).
func transferTool(name, title, desc, in, out string, h Hints, method, restPath string,
	getClient ClientFunc, run func(ctx context.Context, c *client.Client, req mcp.CallToolRequest, args json.RawMessage) (*mcp.CallToolResult, error)) Tool {
	// Compiled on the first call, not at start-up: most sessions never call
	// most tools. TestInputSchemasCompile checks every schema compiles.
	validator := sync.OnceValues(func() (*schema.Validator, error) { return schema.NewValidator(json.RawMessage(in)) })
	def := mcp.Tool{
		Name: name, Title: title, Description: desc,
		RawInputSchema: json.RawMessage(in), RawOutputSchema: json.RawMessage(out),
		Annotations: annotations(title, h),
	}
	handler := func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		args, err := rawArguments(req)
		if err != nil {
			return invalidArguments(name, []schema.Problem{{Message: err.Error()}}), nil
		}
		v, err := validator()
		if err != nil {
			return nil, fmt.Errorf("%s: input schema: %w", name, err)
		}
		if problems := v.Validate(args); len(problems) > 0 {
			return invalidArguments(name, problems), nil
		}
		c, err := getClient(ctx)
		if err != nil {
			return errorResult("dbx-mcp is not connected to a workspace: " + err.Error()), nil
		}
		return run(ctx, c, req, args)
	}
	return Tool{Definition: def, Handler: handler, Method: method, Path: restPath, Package: "tools"}
}

func jsonResult(v any) *mcp.CallToolResult {
	b, err := json.Marshal(v)
	if err != nil {
		return errorResult("dbx-mcp could not encode the result: " + err.Error())
	}
	return success(b)
}

// withNote appends a sentence to a failure result, saying what was left.
func withNote(res *mcp.CallToolResult, err error, note string) (*mcp.CallToolResult, error) {
	if res == nil {
		return nil, err
	}
	res.Content = append(res.Content, mcp.NewTextContent(note))
	return res, nil
}

// --- uploads ---

func newDBFSUpload(getClient ClientFunc, _ Options) Tool {
	in := `{"type":"object","properties":{` + dbfsPathProp + `,` +
		`"contents":{"type":"string","description":"The whole file, base64-encoded, of any size the MCP connection carries; it is sent in 1 MB blocks."},` +
		dbfsOverwriteProp + `},"required":["path","contents"],"additionalProperties":false}`
	desc := "Write a DBFS file larger than dbfs_put's 1 MB from base64 contents: opens a handle, appends 1 MB blocks and " +
		"closes it, reporting progress. Missing parent directories are created. On a failure part way the handle is closed " +
		"and the result says how much the file holds."
	return transferTool("dbfs_upload", "Upload DBFS file", desc, in, uploadOutput,
		Hints{Destructive: true, Idempotent: true}, "POST", "/api/2.0/dbfs/create, add-block, close", getClient,
		func(ctx context.Context, c *client.Client, req mcp.CallToolRequest, args json.RawMessage) (*mcp.CallToolResult, error) {
			var a struct {
				Path      string `json:"path"`
				Contents  string `json:"contents"`
				Overwrite bool   `json:"overwrite"`
			}
			if err := json.Unmarshal(args, &a); err != nil {
				return invalidArguments("dbfs_upload", []schema.Problem{{Message: err.Error()}}), nil
			}
			// A first pass checks the base64 and counts the bytes, so that bad
			// input leaves no partial file behind; neither pass holds the
			// decoded file.
			size, err := io.Copy(io.Discard, base64.NewDecoder(base64.StdEncoding, strings.NewReader(a.Contents)))
			if err != nil {
				return invalidArguments("dbfs_upload", []schema.Problem{{Path: "contents", Message: "not valid base64: " + err.Error()}}), nil
			}
			r := base64.NewDecoder(base64.StdEncoding, strings.NewReader(a.Contents))
			return uploadStream(ctx, c, req, a.Path, a.Overwrite, r, size)
		})
}

func newDBFSUploadFile(getClient ClientFunc, opts Options) Tool {
	in := `{"type":"object","properties":{` + localPathProp + `,` + dbfsPathProp + `,` + dbfsOverwriteProp +
		`},"required":["local_path","path"],"additionalProperties":false}`
	desc := "Copy a local file of any size (under the directory the user allowed at start-up) to DBFS in 1 MB blocks, " +
		"reporting progress. Missing DBFS parent directories are created. On a failure part way the handle is closed and " +
		"the result says how much the DBFS file holds."
	localDir := opts.LocalDir
	return transferTool("dbfs_upload_file", "Upload local file to DBFS", desc, in, uploadOutput,
		Hints{Destructive: true, Idempotent: true}, "POST", "/api/2.0/dbfs/create, add-block, close", getClient,
		func(ctx context.Context, c *client.Client, req mcp.CallToolRequest, args json.RawMessage) (*mcp.CallToolResult, error) {
			var a struct {
				LocalPath string `json:"local_path"`
				Path      string `json:"path"`
				Overwrite bool   `json:"overwrite"`
			}
			if err := json.Unmarshal(args, &a); err != nil {
				return invalidArguments("dbfs_upload_file", []schema.Problem{{Message: err.Error()}}), nil
			}
			root, name, err := openLocal(localDir, a.LocalPath)
			if err != nil {
				return invalidArguments("dbfs_upload_file", []schema.Problem{{Path: "local_path", Message: err.Error()}}), nil
			}
			defer root.Close()
			f, err := root.Open(name)
			if err != nil {
				return invalidArguments("dbfs_upload_file", []schema.Problem{{Path: "local_path", Message: localError(err, a.LocalPath)}}), nil
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil || !st.Mode().IsRegular() {
				return invalidArguments("dbfs_upload_file", []schema.Problem{{Path: "local_path", Message: a.LocalPath + " is not a regular file"}}), nil
			}
			return uploadStream(ctx, c, req, a.Path, a.Overwrite, f, st.Size())
		})
}

// uploadStream writes r (size bytes, for progress) to DBFS path through a
// write handle, one block in memory at a time.
func uploadStream(ctx context.Context, c *client.Client, req mcp.CallToolRequest, dbfsPath string, overwrite bool, r io.Reader, size int64) (*mcp.CallToolResult, error) {
	created, err := files.DbfsCreate.Call(ctx, c, &files.CreateRequest{Path: dbfsPath, Overwrite: client.Ptr(overwrite)})
	if err != nil {
		return callFailed(ctx, err)
	}
	if created.Handle == nil {
		return errorResult("dbfs/create answered without a handle; nothing was written"), nil
	}
	handle := *created.Handle
	notify := progressNotifier(ctx, req, float64(size))
	buf := make([]byte, files.MaxBlockBytes)
	var written, blocks int64
	for {
		n, rerr := io.ReadFull(r, buf)
		if n > 0 {
			data := base64.StdEncoding.EncodeToString(buf[:n])
			if _, err := files.DbfsAddBlock.Call(ctx, c, &files.AddBlockRequest{Handle: handle, Data: data}); err != nil {
				res, err := callFailed(ctx, err)
				return withNote(res, err, abandon(ctx, c, handle, dbfsPath, written))
			}
			written += int64(n)
			blocks++
			notify(float64(written), fmt.Sprintf("%d of %d bytes written to %s", written, size, dbfsPath))
		}
		if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
			break
		}
		if rerr != nil {
			res := errorResult("Reading the source failed: " + rerr.Error())
			return withNote(res, nil, abandon(ctx, c, handle, dbfsPath, written))
		}
	}
	if _, err := files.DbfsClose.Call(ctx, c, &files.CloseRequest{Handle: handle}); err != nil {
		res, err := callFailed(ctx, err)
		return withNote(res, err, fmt.Sprintf("Every block was sent (%d bytes), but closing handle %d failed; check the file with dbfs_get_status.", written, handle))
	}
	return jsonResult(map[string]any{"path": dbfsPath, "bytes_written": written, "blocks": blocks}), nil
}

// abandon closes the handle of a failed upload, even when the call was
// cancelled, and says what the DBFS file now holds.
func abandon(ctx context.Context, c *client.Client, handle int64, dbfsPath string, written int64) string {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), closeTimeout)
	defer cancel()
	if _, err := files.DbfsClose.Call(cctx, c, &files.CloseRequest{Handle: handle}); err != nil {
		return fmt.Sprintf("The upload stopped after %d bytes. Its handle %d could not be closed (%v); Databricks drops it after 10 minutes idle. "+
			"%s holds a partial file: delete it with dbfs_delete or upload again with overwrite.", written, handle, err, dbfsPath)
	}
	return fmt.Sprintf("The upload stopped after %d bytes; its handle was closed, so %s now holds only those bytes (a partial file): "+
		"delete it with dbfs_delete or upload again with overwrite.", written, dbfsPath)
}

// --- downloads ---

func newDBFSDownload(getClient ClientFunc, _ Options) Tool {
	in := fmt.Sprintf(`{"type":"object","properties":{`+dbfsPathProp+`,`+
		`"offset":{"type":"integer","minimum":0,"description":"Byte offset to start at; default 0. To read a file larger than the cap, call again with offset advanced by bytes_read."},`+
		`"max_bytes":{"type":"integer","minimum":1,"maximum":%d,"description":"Most bytes to return; default and cap %d (4 MiB)."}`+
		`},"required":["path"],"additionalProperties":false}`, DBFSDownloadCap, DBFSDownloadCap)
	out := `{"type":"object","properties":{` +
		`"path":{"type":"string","description":"DBFS path read."},` +
		`"file_size":{"type":"integer","description":"Size of the whole file, in bytes."},` +
		`"offset":{"type":"integer","description":"Offset the data starts at."},` +
		`"bytes_read":{"type":"integer","description":"Number of bytes in data (decoded)."},` +
		`"data":{"type":"string","description":"The bytes read, base64-encoded."},` +
		`"truncated":{"type":"boolean","description":"True when the file goes on past the bytes returned."}}}`
	desc := fmt.Sprintf("Read a DBFS file larger than dbfs_read's 1 MB, returned base64-encoded in data: up to %d bytes (4 MiB) "+
		"per call, read in 1 MB steps with progress. truncated says the file goes on; call again with offset.", DBFSDownloadCap)
	return transferTool("dbfs_download", "Download DBFS file", desc, in, out,
		read, "GET", "/api/2.0/dbfs/get-status, read", getClient,
		func(ctx context.Context, c *client.Client, req mcp.CallToolRequest, args json.RawMessage) (*mcp.CallToolResult, error) {
			var a struct {
				Path     string `json:"path"`
				Offset   int64  `json:"offset"`
				MaxBytes int64  `json:"max_bytes"`
			}
			if err := json.Unmarshal(args, &a); err != nil {
				return invalidArguments("dbfs_download", []schema.Problem{{Message: err.Error()}}), nil
			}
			if a.MaxBytes == 0 {
				a.MaxBytes = DBFSDownloadCap
			}
			var data strings.Builder
			enc := base64.NewEncoder(base64.StdEncoding, &data)
			n, size, res, err := downloadStream(ctx, c, req, a.Path, a.Offset, a.MaxBytes, enc)
			if res != nil || err != nil {
				return res, err
			}
			_ = enc.Close() // writes to a strings.Builder, which cannot fail
			return jsonResult(map[string]any{
				"path": a.Path, "file_size": size, "offset": a.Offset, "bytes_read": n,
				"data": data.String(), "truncated": a.Offset+n < size,
			}), nil
		})
}

func newDBFSDownloadFile(getClient ClientFunc, opts Options) Tool {
	in := `{"type":"object","properties":{` + dbfsPathProp + `,` + localPathProp + `,` +
		`"overwrite":{"type":"boolean","description":"Replace an existing local file. Without it, an existing local file fails the call and nothing is written."}` +
		`},"required":["path","local_path"],"additionalProperties":false}`
	out := `{"type":"object","properties":{` +
		`"path":{"type":"string","description":"DBFS path read."},` +
		`"local_path":{"type":"string","description":"Local file written, relative to the allowed directory."},` +
		`"bytes_written":{"type":"integer","description":"Size of the local file, in bytes."}}}`
	desc := "Copy a DBFS file of any size to a local file (under the directory the user allowed at start-up) in 1 MB reads, " +
		"reporting progress. Missing local directories are created; the file appears only once complete."
	localDir := opts.LocalDir
	return transferTool("dbfs_download_file", "Download DBFS file to local file", desc, in, out,
		Hints{Destructive: true, Idempotent: true}, "GET", "/api/2.0/dbfs/get-status, read", getClient,
		func(ctx context.Context, c *client.Client, req mcp.CallToolRequest, args json.RawMessage) (*mcp.CallToolResult, error) {
			var a struct {
				Path      string `json:"path"`
				LocalPath string `json:"local_path"`
				Overwrite bool   `json:"overwrite"`
			}
			if err := json.Unmarshal(args, &a); err != nil {
				return invalidArguments("dbfs_download_file", []schema.Problem{{Message: err.Error()}}), nil
			}
			bad := func(msg string) (*mcp.CallToolResult, error) {
				return invalidArguments("dbfs_download_file", []schema.Problem{{Path: "local_path", Message: msg}}), nil
			}
			target, problem := openLocalTarget(localDir, a.LocalPath, a.Overwrite)
			if problem != "" {
				return bad(problem)
			}
			defer target.close()
			f, problem := target.create()
			if problem != "" {
				return bad(problem)
			}
			n, _, res, err := downloadStream(ctx, c, req, a.Path, 0, -1, f)
			if res, err := target.finish(f, res, err); res != nil || err != nil {
				return res, err
			}
			return jsonResult(map[string]any{"path": a.Path, "local_path": a.LocalPath, "bytes_written": n}), nil
		})
}

// downloadStream reads up to limit bytes (all when limit < 0) of a DBFS
// file from offset into w, one read of at most 1 MB in memory at a time.
// A failure comes back as a result (or, for a cancelled call, an error).
func downloadStream(ctx context.Context, c *client.Client, req mcp.CallToolRequest, dbfsPath string, offset, limit int64, w io.Writer) (n, size int64, res *mcp.CallToolResult, err error) {
	st, err := files.DbfsGetStatus.Call(ctx, c, &files.PathRequest{Path: dbfsPath})
	if err != nil {
		res, err = callFailed(ctx, err)
		return 0, 0, res, err
	}
	if st.IsDir != nil && *st.IsDir {
		return 0, 0, errorResult(dbfsPath + " is a directory; list it with dbfs_list"), nil
	}
	if st.FileSize != nil {
		size = *st.FileSize
	}
	total := max(size-offset, 0)
	if limit >= 0 {
		total = min(total, limit)
	}
	notify := progressNotifier(ctx, req, float64(total))
	for limit < 0 || n < limit {
		length := int64(files.MaxReadBytes)
		if limit >= 0 {
			length = min(length, limit-n)
		}
		chunk, err := files.DbfsRead.Call(ctx, c, &files.ReadRequest{Path: dbfsPath, Offset: client.Ptr(offset + n), Length: client.Ptr(length)})
		if err != nil {
			res, err = callFailed(ctx, err)
			return n, size, res, err
		}
		var data []byte
		if chunk.Data != nil {
			if data, err = base64.StdEncoding.DecodeString(*chunk.Data); err != nil {
				return n, size, errorResult(fmt.Sprintf("dbfs/read answered data that is not base64 at offset %d: %v", offset+n, err)), nil
			}
		}
		if len(data) == 0 {
			break
		}
		if _, err := w.Write(data); err != nil {
			return n, size, errorResult("Writing the data failed: " + err.Error()), nil
		}
		n += int64(len(data))
		notify(float64(n), fmt.Sprintf("%d of %d bytes read from %s", n, total, dbfsPath))
	}
	return n, size, nil, nil
}

// --- local files ---

// openLocal opens the allowed directory as an os.Root, through which no
// name can reach outside it (not by "..", not by a symbolic link), and
// checks that the name given is a plain relative path.
func openLocal(localDir, name string) (*os.Root, string, error) {
	if localDir == "" {
		return nil, "", errors.New("no local directory is allowed on this server")
	}
	if filepath.IsAbs(name) || strings.HasPrefix(name, "/") || strings.HasPrefix(name, `\`) {
		return nil, "", fmt.Errorf("%q must be a path relative to the allowed directory, not an absolute one", name)
	}
	clean := filepath.Clean(filepath.FromSlash(name))
	if !filepath.IsLocal(name) || clean == "." {
		return nil, "", fmt.Errorf("%q leads out of the allowed directory or names the directory itself", name)
	}
	root, err := os.OpenRoot(localDir)
	if err != nil {
		return nil, "", fmt.Errorf("the allowed directory cannot be opened: %v", err)
	}
	return root, clean, nil
}

// localError words a local file error without the server's own paths.
func localError(err error, name string) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	msg := err.Error()
	if errors.Is(err, fs.ErrNotExist) {
		msg = "no such file"
	}
	return fmt.Sprintf("%s: %s", name, msg)
}

// localTarget is the local file a download writes. Its bytes go to a
// hidden file beside it, renamed into place by finish once complete, so a
// failed download leaves no partial file.
type localTarget struct {
	root      *os.Root
	name, tmp string
	given     string // local_path as the caller gave it, for messages
}

// openLocalTarget checks a download's local_path: under localDir, and not
// an existing file unless overwrite allows replacing a regular one. A
// problem is a message about local_path.
func openLocalTarget(localDir, localPath string, overwrite bool) (*localTarget, string) {
	root, name, err := openLocal(localDir, localPath)
	if err != nil {
		return nil, err.Error()
	}
	problem := ""
	if st, err := root.Lstat(name); err == nil {
		if !overwrite || !st.Mode().IsRegular() {
			problem = localPath + " exists; set overwrite to replace it (only a regular file can be replaced)"
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		problem = localError(err, localPath)
	}
	if problem != "" {
		root.Close()
		return nil, problem
	}
	return &localTarget{root: root, name: name, given: localPath}, ""
}

func (t *localTarget) close() { t.root.Close() }

// create makes the target's missing directories and its hidden file.
func (t *localTarget) create() (*os.File, string) {
	dir := filepath.Dir(t.name)
	if err := t.root.MkdirAll(dir, 0o755); err != nil {
		return nil, localError(err, t.given)
	}
	t.tmp = filepath.Join(dir, "."+filepath.Base(t.name)+".dbx-mcp-"+randomSuffix())
	f, err := t.root.OpenFile(t.tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, localError(err, t.given)
	}
	return f, ""
}

// finish closes f, the hidden file, after a download whose failure, if
// any, is res or err, and renames it into place if nothing failed. It
// returns nil, nil then; else the failure, the hidden file removed.
func (t *localTarget) finish(f *os.File, res *mcp.CallToolResult, err error) (*mcp.CallToolResult, error) {
	if cerr := f.Close(); res == nil && err == nil && cerr != nil {
		res = errorResult("Writing the local file failed: " + cerr.Error())
	}
	if res == nil && err == nil {
		if rerr := t.root.Rename(t.tmp, t.name); rerr != nil {
			res = errorResult("Writing the local file failed: " + localError(rerr, t.given))
		}
	}
	if res != nil || err != nil {
		_ = t.root.Remove(t.tmp)
		return withNote(res, err, "No local file was written.")
	}
	return nil, nil
}

func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
