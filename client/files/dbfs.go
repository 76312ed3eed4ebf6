package files

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// DBFS API 2.0: a workspace-wide file tree addressed by absolute paths
// ("/FileStore/x.csv"). File contents travel base64-encoded, and every
// single transfer is bounded: put and add_block take at most MaxBlockBytes
// of decoded data, read returns at most MaxReadBytes. Larger files go
// through a write handle (create, add_block repeatedly, close) and
// repeated reads at growing offsets.

// MaxBlockBytes is the most decoded data one put (contents) or add_block
// (data) may carry: 1 MB. More fails with MAX_BLOCK_SIZE_EXCEEDED.
const MaxBlockBytes = 1 << 20

// MaxReadBytes is the most one read may ask for (length): 1 MB. More fails
// with MAX_READ_SIZE_EXCEEDED.
const MaxReadBytes = 1 << 20

// DefaultReadBytes is how much read returns when length is omitted: 0.5 MB.
const DefaultReadBytes = 512 << 10

// Handle idle timeout: an open write handle that sees no add_block for this
// long is dropped by Databricks (10 minutes), and later calls with it fail
// with RESOURCE_DOES_NOT_EXIST.

// PathRequest names one DBFS path.
type PathRequest struct {
	Path string `json:"path" doc:"Absolute DBFS path, such as /FileStore/data.csv."`

	Extra map[string]json.RawMessage `json:"-"`
}

// FileInfo describes one file or directory.
type FileInfo struct {
	Path             *string `json:"path,omitzero" doc:"Absolute path of the file or directory."`
	IsDir            *bool   `json:"is_dir,omitzero" doc:"True for a directory."`
	FileSize         *int64  `json:"file_size,omitzero" doc:"Length of the file in bytes; 0 for a directory."`
	ModificationTime *int64  `json:"modification_time,omitzero" doc:"Last modification, in epoch milliseconds."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListResponse lists a directory's entries, or the one file listed.
type ListResponse struct {
	Files []FileInfo `json:"files,omitzero" doc:"The directory's direct entries, or the file itself when path is a file."`

	Extra map[string]json.RawMessage `json:"-"`
}

// PutRequest writes a whole small file in one call.
type PutRequest struct {
	Path      string  `json:"path" doc:"Absolute DBFS path of the file to write. Missing parent directories are created."`
	Contents  *string `json:"contents,omitzero" jsonschema:"maxLength=1398104" doc:"The file's contents, base64-encoded: at most 1 MB (1048576 bytes) decoded, else MAX_BLOCK_SIZE_EXCEEDED. Omitted, the file is empty. For larger files use dbfs_create, dbfs_add_block and dbfs_close."`
	Overwrite *bool   `json:"overwrite,omitzero" doc:"Replace an existing file. Without it, an existing file fails the call with RESOURCE_ALREADY_EXISTS."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ReadRequest reads a range of a file.
type ReadRequest struct {
	Path   string `json:"path" doc:"Absolute DBFS path of the file to read (not a directory)."`
	Offset *int64 `json:"offset,omitzero" jsonschema:"minimum=0" doc:"Byte offset to start at; default 0."`
	Length *int64 `json:"length,omitzero" jsonschema:"minimum=0,maximum=1048576" doc:"Number of bytes to read: at most 1 MB (1048576), else MAX_READ_SIZE_EXCEEDED; default 0.5 MB (524288). A range past the end of the file stops at the end."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ReadResponse is a range of a file's contents.
type ReadResponse struct {
	BytesRead *int64  `json:"bytes_read,omitzero" doc:"Number of bytes read (decoded); fewer than length at the end of the file, 0 past it."`
	Data      *string `json:"data,omitzero" doc:"The bytes read, base64-encoded."`

	Extra map[string]json.RawMessage `json:"-"`
}

// MkdirsRequest names a directory to create with its parents.
type MkdirsRequest struct {
	Path string `json:"path" doc:"Absolute DBFS path of the directory. Missing parents are created; an existing directory is fine."`

	Extra map[string]json.RawMessage `json:"-"`
}

// MoveRequest moves a file or a directory tree.
type MoveRequest struct {
	SourcePath      string `json:"source_path" doc:"Absolute DBFS path of the file or directory to move."`
	DestinationPath string `json:"destination_path" doc:"Absolute DBFS path it moves to, which must not exist yet."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DeleteRequest names a file or directory to delete.
type DeleteRequest struct {
	Path      string `json:"path" doc:"Absolute DBFS path of the file or directory to delete."`
	Recursive *bool  `json:"recursive,omitzero" doc:"Delete a directory with everything in it. Without it, a non-empty directory fails the call (IO_ERROR)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// CreateRequest opens a write handle on a new file.
type CreateRequest struct {
	Path      string `json:"path" doc:"Absolute DBFS path of the file to write. Missing parent directories are created."`
	Overwrite *bool  `json:"overwrite,omitzero" doc:"Replace an existing file. Without it, an existing file fails the call with RESOURCE_ALREADY_EXISTS."`

	Extra map[string]json.RawMessage `json:"-"`
}

// CreateResponse carries the new write handle.
type CreateResponse struct {
	Handle *int64 `json:"handle,omitzero" doc:"The write handle, for dbfs_add_block and dbfs_close."`

	Extra map[string]json.RawMessage `json:"-"`
}

// AddBlockRequest appends one block to an open handle.
type AddBlockRequest struct {
	Handle int64  `json:"handle" doc:"Write handle from dbfs_create."`
	Data   string `json:"data" jsonschema:"maxLength=1398104" doc:"The block, base64-encoded: at most 1 MB (1048576 bytes) decoded, else MAX_BLOCK_SIZE_EXCEEDED."`

	Extra map[string]json.RawMessage `json:"-"`
}

// CloseRequest finishes writing through a handle.
type CloseRequest struct {
	Handle int64 `json:"handle" doc:"Write handle from dbfs_create."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DBFS endpoints. add_block appends, so it must never be sent twice; create
// hands out a new handle (and with overwrite empties the file) each time.
// The others reach the same end state however often they are repeated,
// at worst reporting that there is nothing left to do.
var (
	DbfsList = client.Declare(&client.Endpoint[PathRequest, ListResponse]{
		Service: "dbfs", Name: "list", Method: "GET", Path: "/api/2.0/dbfs/list",
		Access: client.Read, Default: true,
		Title: "List DBFS directory",
		Doc:   "List a DBFS directory's entries (path, is_dir, file_size, modification_time); for a file, the file itself.",
	})
	DbfsGetStatus = client.Declare(&client.Endpoint[PathRequest, FileInfo]{
		Service: "dbfs", Name: "get_status", Method: "GET", Path: "/api/2.0/dbfs/get-status",
		Access: client.Read, Default: true,
		Title: "Get DBFS file status",
		Doc:   "Get one DBFS file or directory's type, size and modification time. A missing path fails with RESOURCE_DOES_NOT_EXIST.",
	})
	DbfsRead = client.Declare(&client.Endpoint[ReadRequest, ReadResponse]{
		Service: "dbfs", Name: "read", Method: "GET", Path: "/api/2.0/dbfs/read",
		Access: client.Read,
		Title:  "Read DBFS file",
		Doc: "Read up to 1 MB of a DBFS file from offset, base64-encoded in data. Read larger files in steps: " +
			"advance offset by bytes_read until it is 0.",
	})
	DbfsPut = client.Declare(&client.Endpoint[PutRequest, client.Empty]{
		Service: "dbfs", Name: "put", Method: "POST", Path: "/api/2.0/dbfs/put",
		Access: client.Destructive, Idempotent: true,
		Title: "Write DBFS file",
		Doc: "Write a whole file of at most 1 MB (contents, base64) in one call; with overwrite, an existing " +
			"file is replaced. Larger files: dbfs_create, dbfs_add_block, dbfs_close.",
	})
	DbfsMkdirs = client.Declare(&client.Endpoint[MkdirsRequest, client.Empty]{
		Service: "dbfs", Name: "mkdirs", Method: "POST", Path: "/api/2.0/dbfs/mkdirs",
		Access: client.Write, Idempotent: true,
		Title: "Create DBFS directory",
		Doc:   "Create a DBFS directory and any missing parents. A file at the path or at one of its parents fails with RESOURCE_ALREADY_EXISTS.",
	})
	DbfsMove = client.Declare(&client.Endpoint[MoveRequest, client.Empty]{
		Service: "dbfs", Name: "move", Method: "POST", Path: "/api/2.0/dbfs/move",
		Access: client.Write,
		Title:  "Move DBFS file or directory",
		Doc: "Move (rename) a DBFS file, or a directory with everything in it. Fails with RESOURCE_DOES_NOT_EXIST " +
			"when the source is missing and RESOURCE_ALREADY_EXISTS when the destination exists.",
	})
	DbfsDelete = client.Declare(&client.Endpoint[DeleteRequest, client.Empty]{
		Service: "dbfs", Name: "delete", Method: "POST", Path: "/api/2.0/dbfs/delete",
		Access: client.Destructive, Idempotent: true,
		Title: "Delete DBFS file or directory",
		Doc: "Delete a DBFS file or directory (recursive: with its contents). This cannot be undone. A missing " +
			"path is not an error. Very large trees may fail with 503 part way: call again until it succeeds.",
	})
	DbfsCreate = client.Declare(&client.Endpoint[CreateRequest, CreateResponse]{
		Service: "dbfs", Name: "create", Method: "POST", Path: "/api/2.0/dbfs/create",
		Access: client.Destructive,
		Title:  "Open DBFS file for writing",
		Doc: "Start writing a DBFS file of any size: returns a handle for dbfs_add_block (1 MB blocks, in order) " +
			"and dbfs_close. A handle idle for 10 minutes expires. With overwrite, an existing file is replaced.",
	})
	DbfsAddBlock = client.Declare(&client.Endpoint[AddBlockRequest, client.Empty]{
		Service: "dbfs", Name: "add_block", Method: "POST", Path: "/api/2.0/dbfs/add-block",
		Access: client.Write,
		Title:  "Append block to DBFS file",
		Doc: "Append one block of at most 1 MB (data, base64) to the file open under handle (from dbfs_create). " +
			"Blocks are appended in call order; never repeat a call that may have succeeded.",
	})
	DbfsClose = client.Declare(&client.Endpoint[CloseRequest, client.Empty]{
		Service: "dbfs", Name: "close", Method: "POST", Path: "/api/2.0/dbfs/close",
		Access: client.Write, Idempotent: true,
		Title: "Close DBFS file",
		Doc:   "Finish writing the file open under handle (from dbfs_create); the handle is no longer valid afterwards.",
	})
)
