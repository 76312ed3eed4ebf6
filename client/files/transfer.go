package files

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// UploadFrom writes a whole volume file from open's bytes, streamed: it
// never holds the file in memory, so it suits files up to MaxUploadBytes,
// unlike FilesUpload, whose request carries them. open is called once per
// attempt and must yield the same size bytes each time (a local file
// opened again), so that a retried upload sends the file from its start.
// overwrite false makes an existing file fail with ALREADY_EXISTS (409).
// The request is FilesUpload's: same path escaping, query and retry rule.
func UploadFrom(ctx context.Context, c *client.Client, path string, open func() (io.ReadCloser, error), size int64, overwrite bool) error {
	if size < 0 || size > MaxUploadBytes {
		return fmt.Errorf("files: upload of %d bytes to %s: the Files API takes 0 to %d bytes", size, path, int64(MaxUploadBytes))
	}
	r, err := FilesUpload.NewRequest(&UploadRequest{FilePath: path, Overwrite: client.Ptr(overwrite)})
	if err != nil {
		return err
	}
	r.Body, r.BodyFrom, r.BodyLength, r.ContentType = nil, open, size, "application/octet-stream"
	resp, err := c.DoStream(ctx, r)
	if err != nil {
		return fmt.Errorf("files: upload to %s: %w", path, err)
	}
	// The answer is empty; reading it to the end lets the connection be
	// reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.Body.Close()
}

// DownloadInfo describes a file DownloadTo copied.
type DownloadInfo struct {
	// Bytes is how many bytes were written.
	Bytes int64
	// ContentType is the file's media type, as the answer gave it.
	ContentType string
	// LastModified is the file's last modification as an HTTP date, as
	// the answer gave it.
	LastModified string
}

// FileReader is a volume file being read as it arrives. Close it.
type FileReader struct {
	io.ReadCloser
	// Size is the file's length in bytes, -1 when the answer did not say.
	Size int64
	// ContentType is the file's media type.
	ContentType string
	// LastModified is the file's last modification, as an HTTP date.
	LastModified string
}

// OpenFile starts reading a whole volume file, with no size limit, unlike
// FilesDownload, which answers at most MaxDownloadBytes per call and holds
// them. The request is FilesDownload's without its range. A failure before
// the file starts (NOT_FOUND, say) is a *client.APIError; once OpenFile
// returns, nothing is retried, so a failure while reading is the caller's.
func OpenFile(ctx context.Context, c *client.Client, path string) (*FileReader, error) {
	r, err := FilesDownload.NewRequest(&DownloadRequest{FilePath: path})
	if err != nil {
		return nil, err
	}
	r.Header.Del("Range")
	resp, err := c.DoStream(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("files: download of %s: %w", path, err)
	}
	return &FileReader{ReadCloser: resp.Body, Size: resp.ContentLength,
		ContentType: resp.Header.Get("Content-Type"), LastModified: resp.Header.Get("Last-Modified")}, nil
}

// DownloadTo copies a whole volume file into w as it arrives, in bounded
// memory (see OpenFile). A failure before the file starts leaves w
// untouched; a failure part way leaves w holding a prefix, so callers
// writing a file should write it aside and move it into place once
// DownloadTo succeeds.
func DownloadTo(ctx context.Context, c *client.Client, path string, w io.Writer) (*DownloadInfo, error) {
	f, err := OpenFile(ctx, c, path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	n, err := io.Copy(w, f)
	if err != nil {
		return nil, fmt.Errorf("files: download of %s stopped after %d bytes: %w", path, n, err)
	}
	if f.Size >= 0 && n != f.Size {
		return nil, fmt.Errorf("files: download of %s ended after %d of %s bytes", path, n, strconv.FormatInt(f.Size, 10))
	}
	return &DownloadInfo{Bytes: n, ContentType: f.ContentType, LastModified: f.LastModified}, nil
}
