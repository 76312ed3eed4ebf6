package workspace

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// Workspace API: the workspace file tree of folders, notebooks, files,
// libraries, Git folders and dashboards, addressed by absolute path.

// ObjectType is the kind of a workspace object.
type ObjectType string

// Values of ObjectType.
const (
	ObjectTypeDashboard ObjectType = "DASHBOARD"
	ObjectTypeDirectory ObjectType = "DIRECTORY"
	ObjectTypeFile      ObjectType = "FILE"
	ObjectTypeLibrary   ObjectType = "LIBRARY"
	ObjectTypeNotebook  ObjectType = "NOTEBOOK"
	ObjectTypeRepo      ObjectType = "REPO"
)

// EnumValues lists the values the API defines for ObjectType.
func (ObjectType) EnumValues() []string {
	return []string{"DASHBOARD", "DIRECTORY", "FILE", "LIBRARY", "NOTEBOOK", "REPO"}
}

// Language is the programming language of a notebook.
type Language string

// Values of Language.
const (
	LanguagePython Language = "PYTHON"
	LanguageR      Language = "R"
	LanguageScala  Language = "SCALA"
	LanguageSQL    Language = "SQL"
)

// EnumValues lists the values the API defines for Language.
func (Language) EnumValues() []string { return []string{"PYTHON", "R", "SCALA", "SQL"} }

// ImportFormat is how the content of an import is to be read.
type ImportFormat string

// Values of ImportFormat.
const (
	ImportFormatAuto      ImportFormat = "AUTO"
	ImportFormatDBC       ImportFormat = "DBC"
	ImportFormatHTML      ImportFormat = "HTML"
	ImportFormatJupyter   ImportFormat = "JUPYTER"
	ImportFormatRaw       ImportFormat = "RAW"
	ImportFormatRMarkdown ImportFormat = "R_MARKDOWN"
	ImportFormatSource    ImportFormat = "SOURCE"
)

// EnumValues lists the values the API defines for ImportFormat.
func (ImportFormat) EnumValues() []string {
	return []string{"AUTO", "DBC", "HTML", "JUPYTER", "RAW", "R_MARKDOWN", "SOURCE"}
}

// ExportFormat is the form an export is written in.
type ExportFormat string

// Values of ExportFormat.
const (
	ExportFormatAuto      ExportFormat = "AUTO"
	ExportFormatDBC       ExportFormat = "DBC"
	ExportFormatHTML      ExportFormat = "HTML"
	ExportFormatJupyter   ExportFormat = "JUPYTER"
	ExportFormatRaw       ExportFormat = "RAW"
	ExportFormatRMarkdown ExportFormat = "R_MARKDOWN"
	ExportFormatSource    ExportFormat = "SOURCE"
)

// EnumValues lists the values the API defines for ExportFormat.
func (ExportFormat) EnumValues() []string {
	return []string{"AUTO", "DBC", "HTML", "JUPYTER", "RAW", "R_MARKDOWN", "SOURCE"}
}

// ObjectInfo describes one workspace object, as get_status and list show
// it. (Files may also carry repos_export_format, which no SDK model names;
// it is kept in Extra.)
type ObjectInfo struct {
	Path          *string        `json:"path,omitzero" doc:"Absolute path of the object."`
	ObjectType    *ObjectType    `json:"object_type,omitzero" doc:"NOTEBOOK, DIRECTORY, FILE, LIBRARY, REPO (Git folder) or DASHBOARD."`
	ObjectID      *int64         `json:"object_id,omitzero" doc:"Numeric id of the object."`
	ResourceID    *string        `json:"resource_id,omitzero" doc:"Id of the object shared by all Databricks APIs."`
	Language      *Language      `json:"language,omitzero" doc:"Language of a notebook: PYTHON, SCALA, SQL or R."`
	CreatedAt     *int64         `json:"created_at,omitzero" doc:"Creation time, epoch milliseconds (files)."`
	ModifiedAt    *int64         `json:"modified_at,omitzero" doc:"Last modification time, epoch milliseconds (files)."`
	Size          *int64         `json:"size,omitzero" doc:"Size in bytes (files)."`
	DirectoryInfo *DirectoryInfo `json:"directory_info,omitzero" doc:"More about a DIRECTORY."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DirectoryInfo says more about a directory.
type DirectoryInfo struct {
	IsGitFolder *bool `json:"is_git_folder,omitzero" doc:"True for a Git folder with Git CLI access (listed as a DIRECTORY); a plain Git folder is a REPO object instead."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListRequest names the directory to list.
type ListRequest struct {
	Path                   string `json:"path" doc:"Absolute path of the directory, e.g. /Users/me@example.com."`
	NotebooksModifiedAfter *int64 `json:"notebooks_modified_after,omitzero" doc:"Only notebooks modified after this time, epoch milliseconds."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListResponse lists a directory's objects.
type ListResponse struct {
	Objects []ObjectInfo `json:"objects,omitzero" doc:"The objects directly in the directory (absent when it is empty)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GetStatusRequest names the object to describe.
type GetStatusRequest struct {
	Path string `json:"path" doc:"Absolute path of the object."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ImportRequest writes one object (or, in DBC, a whole directory) into the
// workspace.
type ImportRequest struct {
	Path      string        `json:"path" doc:"Absolute path to create. Its parent directory must exist (see workspace_mkdirs). With format AUTO or RAW the name keeps its extension; SOURCE notebooks are named without one."`
	Content   *string       `json:"content,omitzero" doc:"The file or notebook, base64-encoded; at most 10 MB."`
	Format    *ImportFormat `json:"format,omitzero" doc:"How to read content: SOURCE (notebook source code; needs language), HTML, JUPYTER (.ipynb), DBC (archive, may hold a directory), R_MARKDOWN, RAW (a plain file), AUTO (a notebook if the extension or header says so, else a file). Default SOURCE."`
	Language  *Language     `json:"language,omitzero" doc:"Notebook language for format SOURCE: PYTHON, SCALA, SQL or R."`
	Overwrite *bool         `json:"overwrite,omitzero" doc:"Replace an existing object at path (not for DBC). Default false: an existing object fails with RESOURCE_ALREADY_EXISTS."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ExportRequest names the object to export and its form.
type ExportRequest struct {
	Path   string        `json:"path" doc:"Absolute path of the notebook, file or directory. Directories export only as DBC, SOURCE or AUTO."`
	Format *ExportFormat `json:"format,omitzero" doc:"SOURCE (default: notebook source text), HTML, JUPYTER (.ipynb), DBC (archive), R_MARKDOWN, RAW, or AUTO (by object type)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ExportResponse carries an exported object.
type ExportResponse struct {
	Content  *string `json:"content,omitzero" text:"base64" doc:"The exported bytes, base64-encoded (the tool's text shows them decoded, as content_text, when they are text)."`
	FileType *string `json:"file_type,omitzero" doc:"Extension of the exported file, e.g. py, scala, sql, r, ipynb, html, dbc."`

	Extra map[string]json.RawMessage `json:"-"`
}

// MkdirsRequest names a directory to create with its parents.
type MkdirsRequest struct {
	Path string `json:"path" doc:"Absolute path of the directory. Missing parents are created; an existing directory is fine."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DeleteRequest names the object to delete.
type DeleteRequest struct {
	Path      string `json:"path" doc:"Absolute path of the object or directory."`
	Recursive *bool  `json:"recursive,omitzero" doc:"Delete a non-empty directory with everything in it (not atomic). Default false: a non-empty directory fails with DIRECTORY_NOT_EMPTY."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Workspace endpoints. export is declared with a JSON answer (no
// direct_download): the tools return API JSON, and a raw download would
// come back base64-encoded all the same.
var (
	WorkspaceList = client.Declare(&client.Endpoint[ListRequest, ListResponse]{
		Service: "workspace", Name: "list", Method: "GET", Path: "/api/2.0/workspace/list",
		Access: client.Read, Default: true,
		Title: "List workspace directory",
		Doc:   "List the notebooks, files, folders and Git folders directly in a workspace directory (not recursive).",
	})
	WorkspaceGetStatus = client.Declare(&client.Endpoint[GetStatusRequest, ObjectInfo]{
		Service: "workspace", Name: "get_status", Method: "GET", Path: "/api/2.0/workspace/get-status",
		Access: client.Read, Default: true,
		Title: "Get workspace object status",
		Doc:   "Describe one workspace object by path: type, language, id, size. A missing path fails with RESOURCE_DOES_NOT_EXIST.",
	})
	WorkspaceExport = client.Declare(&client.Endpoint[ExportRequest, ExportResponse]{
		Service: "workspace", Name: "export", Method: "GET", Path: "/api/2.0/workspace/export",
		Access: client.Read, Default: true,
		Title: "Export notebook or file",
		Doc: "Read a notebook, file or directory (at most 10 MB). The answer's content is base64; when it " +
			"is text, the tool's text result shows it decoded as content_text (format SOURCE gives a " +
			"notebook's code).",
	})
	WorkspaceImport = client.Declare(&client.Endpoint[ImportRequest, client.Empty]{
		Service: "workspace", Name: "import", Method: "POST", Path: "/api/2.0/workspace/import",
		Access: client.Destructive, Idempotent: true,
		Title: "Import notebook or file",
		Doc: "Create a notebook or file from base64 content; with overwrite true, replace what is at path " +
			"(the old content is lost). For notebook code use format SOURCE with language. The parent " +
			"directory must exist (workspace_mkdirs).",
	})
	WorkspaceMkdirs = client.Declare(&client.Endpoint[MkdirsRequest, client.Empty]{
		Service: "workspace", Name: "mkdirs", Method: "POST", Path: "/api/2.0/workspace/mkdirs",
		Access: client.Write, Idempotent: true,
		Title: "Create workspace directory",
		Doc:   "Create a workspace directory and any missing parents; succeeds if it exists. Fails if a non-directory is in the way.",
	})
	WorkspaceDelete = client.Declare(&client.Endpoint[DeleteRequest, client.Empty]{
		Service: "workspace", Name: "delete", Method: "POST", Path: "/api/2.0/workspace/delete",
		Access: client.Destructive, Idempotent: true,
		Title: "Delete workspace object",
		Doc: "Delete a notebook, file or directory. A non-empty directory needs recursive true; a recursive " +
			"delete is not atomic, and a failure can leave part of the directory deleted.",
	})
)
