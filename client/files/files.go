package files

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// Files API: files and directories of Unity Catalog volumes, addressed by
// absolute paths such as /Volumes/<catalog>/<schema>/<volume>/dir/x.csv.
// Unlike DBFS, file contents travel as raw bytes (an octet stream) in both
// directions, and metadata comes back in HTTP headers, not JSON. A file may
// be up to 5 GiB; one files_download answer is bounded to MaxDownloadBytes
// (see DownloadRange).

// MaxUploadBytes is the largest file the Files API accepts: 5 GiB.
const MaxUploadBytes = 5 << 30

// MaxDownloadBytes is the most one files_download returns: 4 MiB of the
// file (about 5.6 MB as base64 in the tool's JSON). Larger files are read
// in ranges.
const MaxDownloadBytes = 4 << 20

// MaxListPageSize is the most entries one directory listing page holds;
// larger page_size values are lowered to it by Databricks.
const MaxListPageSize = 1000

// FilePathRequest names one file.
type FilePathRequest struct {
	FilePath string `json:"file_path" in:"path" doc:"Absolute path of the file in a Unity Catalog volume: /Volumes/<catalog>/<schema>/<volume>/<path>."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DirectoryPathRequest names one directory.
type DirectoryPathRequest struct {
	DirectoryPath string `json:"directory_path" in:"path" doc:"Absolute path of the directory in a Unity Catalog volume: /Volumes/<catalog>/<schema>/<volume>/<path>."`

	Extra map[string]json.RawMessage `json:"-"`
}

// UploadRequest writes a whole file. The contents are the raw request body.
type UploadRequest struct {
	FilePath  string `json:"file_path" in:"path" doc:"Absolute path of the file to write in a Unity Catalog volume: /Volumes/<catalog>/<schema>/<volume>/<path>. Missing parent directories are created."`
	Overwrite *bool  `json:"overwrite,omitzero" in:"query" doc:"Replace an existing file. Omitted or true, an existing file is replaced; false makes an existing file fail the call with ALREADY_EXISTS (409)."`
	Contents  []byte `json:"contents,omitzero" in:"body,raw" doc:"The whole file, base64-encoded (the bytes are sent raw, exactly as decoded); omitted, the file is empty. At most 5 GiB, and in practice what one MCP message carries."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DownloadRequest reads a file, or a byte range of it.
type DownloadRequest struct {
	FilePath string  `json:"file_path" in:"path" doc:"Absolute path of the file in a Unity Catalog volume: /Volumes/<catalog>/<schema>/<volume>/<path>."`
	Range    *string `json:"range,omitzero" in:"header" doc:"HTTP byte range to read: bytes=<first>-<last> (inclusive, 0-based), bytes=<first>- (from first on) or bytes=-<n> (the last n bytes), spanning at most 4 MiB (4194304 bytes). Omitted: bytes=0-4194303, the first 4 MiB."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DownloadResponse is the bytes read and the headers that describe them.
type DownloadResponse struct {
	Contents      []byte  `json:"contents,omitzero" text:"base64" doc:"The bytes read, base64-encoded."`
	ContentLength *string `json:"content_length,omitzero" in:"header" doc:"Number of bytes in contents."`
	ContentRange  *string `json:"content_range,omitzero" in:"header" doc:"The range returned and the file's whole length: bytes <first>-<last>/<length>. When last+1 is less than length, more follows: call again with range bytes=<last+1>-."`
	ContentType   *string `json:"content_type,omitzero" in:"header" doc:"Media type of the file."`
	LastModified  *string `json:"last_modified,omitzero" in:"header" doc:"Last modification, as an HTTP date (RFC 7231)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// MetadataResponse is a file's metadata, which Databricks answers in
// headers only.
type MetadataResponse struct {
	ContentLength *string `json:"content_length,omitzero" in:"header" doc:"Length of the file in bytes."`
	ContentType   *string `json:"content_type,omitzero" in:"header" doc:"Media type of the file."`
	LastModified  *string `json:"last_modified,omitzero" in:"header" doc:"Last modification, as an HTTP date (RFC 7231)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListDirectoryRequest asks for one page of a directory's entries.
type ListDirectoryRequest struct {
	DirectoryPath string  `json:"directory_path" in:"path" doc:"Absolute path of the directory in a Unity Catalog volume: /Volumes/<catalog>/<schema>/<volume>/<path>."`
	PageSize      *int64  `json:"page_size,omitzero" jsonschema:"minimum=1" doc:"Most entries per page; default and maximum 1000 (larger values are lowered). A page may hold fewer even when more follow."`
	PageToken     *string `json:"page_token,omitzero" doc:"next_page_token of the previous page, to get the next one; the other arguments must stay the same."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DirectoryEntry is one file or directory in a listing.
type DirectoryEntry struct {
	Path         *string `json:"path,omitzero" doc:"Absolute path."`
	Name         *string `json:"name,omitzero" doc:"Last component of the path."`
	IsDirectory  *bool   `json:"is_directory,omitzero" doc:"True for a directory."`
	FileSize     *int64  `json:"file_size,omitzero" doc:"Length in bytes; absent for a directory."`
	LastModified *int64  `json:"last_modified,omitzero" doc:"Last modification, in epoch milliseconds."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListDirectoryResponse is one page of a directory's entries.
type ListDirectoryResponse struct {
	Contents      []DirectoryEntry `json:"contents,omitzero" doc:"The directory's direct entries on this page."`
	NextPageToken *string          `json:"next_page_token,omitzero" doc:"Pass as page_token for the next page; absent on the last page. Only its absence ends the listing, not a short page."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DownloadRange is the Range header one download sends for the range a
// caller asked for (nil: none): a range of at most MaxDownloadBytes, so
// that no answer is cut silently. An open range (bytes=N-) is closed at
// N+MaxDownloadBytes-1, a missing one reads the first MaxDownloadBytes;
// the answer's Content-Range then tells the file's whole length. A range
// spanning more, several ranges or other units are refused.
func DownloadRange(r *string) (string, error) {
	if r == nil {
		return fmt.Sprintf("bytes=0-%d", MaxDownloadBytes-1), nil
	}
	spec, ok := strings.CutPrefix(strings.TrimSpace(*r), "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return "", fmt.Errorf("range %q: give one byte range, bytes=<first>-<last>, bytes=<first>- or bytes=-<n>", *r)
	}
	first, last, ok := strings.Cut(strings.TrimSpace(spec), "-")
	num := func(s string) (int64, bool) {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		return n, err == nil && n >= 0
	}
	switch {
	case !ok:
	case first == "":
		if n, ok := num(last); ok && n > 0 {
			if n > MaxDownloadBytes {
				return "", fmt.Errorf("range %q asks for %d bytes; one download returns at most %d: read the file in ranges", *r, n, MaxDownloadBytes)
			}
			return fmt.Sprintf("bytes=-%d", n), nil
		}
	case strings.TrimSpace(last) == "":
		if a, ok := num(first); ok && a <= 1<<62 {
			return fmt.Sprintf("bytes=%d-%d", a, a+MaxDownloadBytes-1), nil
		}
	default:
		a, okA := num(first)
		b, okB := num(last)
		if okA && okB && a <= b {
			if b-a >= MaxDownloadBytes {
				return "", fmt.Errorf("range %q spans %d bytes; one download returns at most %d: read the file in ranges", *r, b-a+1, MaxDownloadBytes)
			}
			return fmt.Sprintf("bytes=%d-%d", a, b), nil
		}
	}
	return "", fmt.Errorf("range %q: give one byte range, bytes=<first>-<last> (first <= last), bytes=<first>- or bytes=-<n>", *r)
}

// boundDownload puts the bounded Range header into a download's arguments.
func boundDownload(args json.RawMessage) (json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(args, &m); err != nil || m == nil {
		return args, nil // the request plan reports it
	}
	var r *string
	if raw, ok := m["range"]; ok && string(raw) != "null" {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("range must be a string such as bytes=0-1023")
		}
		r = &s
	}
	h, err := DownloadRange(r)
	if err != nil {
		return nil, err
	}
	m["range"], _ = json.Marshal(h)
	return json.Marshal(m)
}

// Files API endpoints. An upload sends the whole file, so repeating it
// leaves the same file; deletes and create_directory reach the same end
// state however often they are repeated, at worst answering NOT_FOUND.
var (
	FilesUpload = client.Declare(&client.Endpoint[UploadRequest, client.Empty]{
		Service: "files", Name: "upload", Method: "PUT", Path: "/api/2.0/fs/files{file_path...}",
		Access: client.Destructive, Idempotent: true,
		Header: http.Header{"Content-Type": {"application/octet-stream"}},
		Title:  "Upload file to volume",
		Doc: "Write a whole file (contents, base64; up to 5 GiB) to a Unity Catalog volume path, creating missing parent " +
			"directories. An existing file is replaced unless overwrite is false.",
	})
	FilesDownload = client.Declare(&client.Endpoint[DownloadRequest, DownloadResponse]{
		Service: "files", Name: "download", Method: "GET", Path: "/api/2.0/fs/files{file_path...}",
		Access: client.Read, RawResponse: true, Prepare: boundDownload,
		Header: http.Header{"Accept": {"application/octet-stream"}},
		Title:  "Download file from volume",
		Doc: "Read a file of a Unity Catalog volume, at most 4 MiB per call (contents, base64): the first 4 MiB, or the " +
			"byte range given. content_range (bytes first-last/length) says whether more follows; read on with " +
			"range bytes=<last+1>-. An empty file, or a range starting past the end, answers 416.",
	})
	FilesGetMetadata = client.Declare(&client.Endpoint[FilePathRequest, MetadataResponse]{
		Service: "files", Name: "get_metadata", Method: "HEAD", Path: "/api/2.0/fs/files{file_path...}",
		Access: client.Read, RawResponse: true,
		Title: "Get volume file metadata",
		Doc:   "Get a volume file's length, media type and last modification time without reading it. A missing file answers 404.",
	})
	FilesDelete = client.Declare(&client.Endpoint[FilePathRequest, client.Empty]{
		Service: "files", Name: "delete", Method: "DELETE", Path: "/api/2.0/fs/files{file_path...}",
		Access: client.Destructive, Idempotent: true,
		Title: "Delete volume file",
		Doc:   "Delete a file of a Unity Catalog volume. This cannot be undone. A missing file answers NOT_FOUND (404).",
	})
	FilesListDirectoryContents = client.Declare(&client.Endpoint[ListDirectoryRequest, ListDirectoryResponse]{
		Service: "files", Name: "list_directory_contents", Method: "GET", Path: "/api/2.0/fs/directories{directory_path...}",
		Access: client.Read,
		Paging: &client.Paging{Style: client.PageToken, Items: "contents", Size: "page_size"},
		Title:  "List volume directory",
		Doc: "List a Unity Catalog volume directory's direct entries (path, name, is_directory, file_size, last_modified), " +
			"up to 1000 per page; follow next_page_token until it is absent. A missing directory answers 404.",
	})
	FilesCreateDirectory = client.Declare(&client.Endpoint[DirectoryPathRequest, client.Empty]{
		Service: "files", Name: "create_directory", Method: "PUT", Path: "/api/2.0/fs/directories{directory_path...}",
		Access: client.Write, Idempotent: true,
		Title: "Create volume directory",
		Doc:   "Create a directory in a Unity Catalog volume with any missing parents (mkdir -p); an existing directory is fine.",
	})
	FilesDeleteDirectory = client.Declare(&client.Endpoint[DirectoryPathRequest, client.Empty]{
		Service: "files", Name: "delete_directory", Method: "DELETE", Path: "/api/2.0/fs/directories{directory_path...}",
		Access: client.Destructive, Idempotent: true,
		Title: "Delete empty volume directory",
		Doc: "Delete an empty directory of a Unity Catalog volume. A directory that still holds entries is refused: " +
			"delete its files (files_delete) and subdirectories first.",
	})
	FilesGetDirectoryMetadata = client.Declare(&client.Endpoint[DirectoryPathRequest, client.Empty]{
		Service: "files", Name: "get_directory_metadata", Method: "HEAD", Path: "/api/2.0/fs/directories{directory_path...}",
		Access: client.Read,
		Title:  "Check volume directory",
		Doc:    "Check that a Unity Catalog volume directory exists and is readable: success answers {}, a missing one 404.",
	})
)
