package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/dbx-mcp/dbx-mcp/client"
	"github.com/dbx-mcp/dbx-mcp/client/files"
	"github.com/dbx-mcp/dbx-mcp/schema"
)

// The volume transfer tools copy local files of any size (up to the Files
// API's 5 GiB) to and from Unity Catalog volumes as one streamed request
// each, in bounded memory: the file goes from disk to the connection and
// back, never whole into memory, and never through the model.

var (
	_ = addHandwritten(handwrittenTool{name: "files_upload_file", toolset: "files", localFiles: true, build: newFilesUploadFile})
	_ = addHandwritten(handwrittenTool{name: "files_download_file", toolset: "files", localFiles: true, build: newFilesDownloadFile})
)

// progressStep is how many bytes pass between two progress notifications
// of a volume transfer: often enough to show movement, rarely enough that
// a large file does not flood the client.
const progressStep = 4 << 20

const volumeFileProp = `"file_path":{"type":"string","description":"Absolute path of the file in a Unity Catalog volume: /Volumes/<catalog>/<schema>/<volume>/<path>."}`

// volumeFilePath checks a Files API file path before anything is sent: an
// absolute /Volumes/<catalog>/<schema>/<volume>/<name> path with no empty,
// "." or ".." segments.
func volumeFilePath(p string) error {
	rest, ok := strings.CutPrefix(p, "/Volumes/")
	if !ok {
		return fmt.Errorf("%q must be an absolute volume path: /Volumes/<catalog>/<schema>/<volume>/<path>", p)
	}
	segs := strings.Split(rest, "/")
	for _, s := range segs {
		if s == "" || s == "." || s == ".." {
			return fmt.Errorf("%q must not hold empty, '.' or '..' segments (nor end in /)", p)
		}
	}
	if len(segs) < 4 {
		return fmt.Errorf("%q names no file inside a volume: /Volumes/<catalog>/<schema>/<volume>/<path>", p)
	}
	return nil
}

// progressCounter notifies progress as bytes pass through it, every
// progressStep bytes and at the end.
type progressCounter struct {
	n, next, total int64
	notify         func(done int64)
}

func newProgressCounter(total int64, notify func(done int64)) *progressCounter {
	return &progressCounter{next: progressStep, total: total, notify: notify}
}

func (p *progressCounter) add(n int) {
	p.n += int64(n)
	if p.n >= p.next || (p.total >= 0 && p.n == p.total && n > 0) {
		p.notify(p.n)
		p.next = p.n + progressStep
	}
}

// countingReader counts an upload's bytes as the transport reads them.
type countingReader struct {
	io.ReadCloser
	p *progressCounter
}

func (r *countingReader) Read(b []byte) (int, error) {
	n, err := r.ReadCloser.Read(b)
	r.p.add(n)
	return n, err
}

// countingWriter counts a download's bytes as they are written.
type countingWriter struct {
	w io.Writer
	p *progressCounter
}

func (w *countingWriter) Write(b []byte) (int, error) {
	n, err := w.w.Write(b)
	w.p.add(n)
	return n, err
}

func newFilesUploadFile(getClient ClientFunc, opts Options) Tool {
	in := `{"type":"object","properties":{` + localPathProp + `,` + volumeFileProp + `,` +
		`"overwrite":{"type":"boolean","description":"Replace an existing volume file. Omitted or true, it is replaced (as files_upload does); false makes an existing file fail the call with ALREADY_EXISTS."}` +
		`},"required":["local_path","file_path"],"additionalProperties":false}`
	out := `{"type":"object","properties":{` +
		`"path":{"type":"string","description":"Volume path written."},` +
		`"bytes_written":{"type":"integer","description":"Size of the file written, in bytes."}}}`
	desc := "Copy a local file (under the directory the user allowed at start-up) of up to 5 GiB to a Unity Catalog volume " +
		"path as one streamed upload, reporting progress. Missing parent directories are created. A failed upload " +
		"writes no file."
	localDir := opts.LocalDir
	const name = "files_upload_file"
	return transferTool(name, "Upload local file to volume", desc, in, out,
		Hints{Destructive: true, Idempotent: true}, "PUT", "/api/2.0/fs/files{file_path...}", getClient,
		func(ctx context.Context, c *client.Client, req mcp.CallToolRequest, args json.RawMessage) (*mcp.CallToolResult, error) {
			var a struct {
				LocalPath string `json:"local_path"`
				FilePath  string `json:"file_path"`
				Overwrite *bool  `json:"overwrite"`
			}
			if err := json.Unmarshal(args, &a); err != nil {
				return invalidArguments(name, []schema.Problem{{Message: err.Error()}}), nil
			}
			if err := volumeFilePath(a.FilePath); err != nil {
				return invalidArguments(name, []schema.Problem{{Path: "file_path", Message: err.Error()}}), nil
			}
			badLocal := func(msg string) (*mcp.CallToolResult, error) {
				return invalidArguments(name, []schema.Problem{{Path: "local_path", Message: msg}}), nil
			}
			root, local, err := openLocal(localDir, a.LocalPath)
			if err != nil {
				return badLocal(err.Error())
			}
			defer root.Close()
			f, err := root.Open(local)
			if err != nil {
				return badLocal(localError(err, a.LocalPath))
			}
			st, err := f.Stat()
			f.Close()
			if err != nil || !st.Mode().IsRegular() {
				return badLocal(a.LocalPath + " is not a regular file")
			}
			size := st.Size()
			if size > files.MaxUploadBytes {
				return badLocal(fmt.Sprintf("%s holds %d bytes; the Files API takes files of at most %d (5 GiB)", a.LocalPath, size, int64(files.MaxUploadBytes)))
			}
			notify := progressNotifier(ctx, req, float64(size))
			// Each attempt opens the file again and counts from zero, so a
			// retried upload's progress starts over with its bytes.
			open := func() (io.ReadCloser, error) {
				f, err := root.Open(local)
				if err != nil {
					return nil, errors.New(localError(err, a.LocalPath))
				}
				return &countingReader{ReadCloser: f, p: newProgressCounter(size, func(done int64) {
					notify(float64(done), fmt.Sprintf("%d of %d bytes sent to %s", done, size, a.FilePath))
				})}, nil
			}
			overwrite := a.Overwrite == nil || *a.Overwrite
			if err := files.UploadFrom(ctx, c, a.FilePath, open, size, overwrite); err != nil {
				return callFailed(ctx, err)
			}
			return jsonResult(map[string]any{"path": a.FilePath, "bytes_written": size}), nil
		})
}

func newFilesDownloadFile(getClient ClientFunc, opts Options) Tool {
	in := `{"type":"object","properties":{` + volumeFileProp + `,` + localPathProp + `,` +
		`"overwrite":{"type":"boolean","description":"Replace an existing local file. Without it, an existing local file fails the call and nothing is written."}` +
		`},"required":["file_path","local_path"],"additionalProperties":false}`
	out := `{"type":"object","properties":{` +
		`"path":{"type":"string","description":"Volume path read."},` +
		`"local_path":{"type":"string","description":"Local file written, relative to the allowed directory."},` +
		`"bytes":{"type":"integer","description":"Size of the local file, in bytes."},` +
		`"content_type":{"type":"string","description":"Media type of the volume file."},` +
		`"last_modified":{"type":"string","description":"Last modification of the volume file, as an HTTP date (RFC 7231)."}}}`
	desc := "Copy a Unity Catalog volume file of any size to a local file (under the directory the user allowed at " +
		"start-up) as one streamed download, reporting progress. Missing local directories are created; the file " +
		"appears only once complete, so a failed download leaves none."
	localDir := opts.LocalDir
	const name = "files_download_file"
	return transferTool(name, "Download volume file to local file", desc, in, out,
		Hints{Destructive: true, Idempotent: true}, "GET", "/api/2.0/fs/files{file_path...}", getClient,
		func(ctx context.Context, c *client.Client, req mcp.CallToolRequest, args json.RawMessage) (*mcp.CallToolResult, error) {
			var a struct {
				FilePath  string `json:"file_path"`
				LocalPath string `json:"local_path"`
				Overwrite bool   `json:"overwrite"`
			}
			if err := json.Unmarshal(args, &a); err != nil {
				return invalidArguments(name, []schema.Problem{{Message: err.Error()}}), nil
			}
			if err := volumeFilePath(a.FilePath); err != nil {
				return invalidArguments(name, []schema.Problem{{Path: "file_path", Message: err.Error()}}), nil
			}
			bad := func(msg string) (*mcp.CallToolResult, error) {
				return invalidArguments(name, []schema.Problem{{Path: "local_path", Message: msg}}), nil
			}
			target, problem := openLocalTarget(localDir, a.LocalPath, a.Overwrite)
			if problem != "" {
				return bad(problem)
			}
			defer target.close()
			src, err := files.OpenFile(ctx, c, a.FilePath)
			if err != nil {
				res, err := callFailed(ctx, err)
				return withNote(res, err, "No local file was written.")
			}
			defer src.Close()
			f, problem := target.create()
			if problem != "" {
				return bad(problem)
			}
			notify := progressNotifier(ctx, req, float64(src.Size))
			w := &countingWriter{w: f, p: newProgressCounter(src.Size, func(done int64) {
				notify(float64(done), fmt.Sprintf("%d of %d bytes written to %s", done, src.Size, a.LocalPath))
			})}
			n, err := io.Copy(w, src)
			var res *mcp.CallToolResult
			switch {
			case err != nil && ctx.Err() != nil:
			case err != nil:
				res = errorResult(fmt.Sprintf("The download stopped after %d bytes: %v", n, err))
				err = nil
			case src.Size >= 0 && n != src.Size:
				res = errorResult(fmt.Sprintf("The download ended after %d of %d bytes.", n, src.Size))
			}
			if res, err := target.finish(f, res, err); res != nil || err != nil {
				return res, err
			}
			return jsonResult(map[string]any{"path": a.FilePath, "local_path": a.LocalPath, "bytes": n,
				"content_type": src.ContentType, "last_modified": src.LastModified}), nil
		})
}
