package workspace

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// Repos API: Git folders, workspace directories linked to a remote Git
// repository and checked out to a branch or tag.

// SparseCheckout limits a Git folder's checkout to some directories.
type SparseCheckout struct {
	Patterns []string `json:"patterns,omitzero" doc:"Cone-mode patterns: the directories to check out."`

	Extra map[string]json.RawMessage `json:"-"`
}

// RepoInfo describes one Git folder.
type RepoInfo struct {
	ID             *int64          `json:"id,omitzero" doc:"Id of the Git folder (its workspace object id)."`
	Path           *string         `json:"path,omitzero" doc:"Workspace path of the Git folder."`
	URL            *string         `json:"url,omitzero" doc:"URL of the remote Git repository."`
	Provider       *string         `json:"provider,omitzero" doc:"Git provider, e.g. gitHub, azureDevOpsServices."`
	Branch         *string         `json:"branch,omitzero" doc:"Branch checked out (absent when a tag is)."`
	HeadCommitID   *string         `json:"head_commit_id,omitzero" doc:"SHA-1 of the commit checked out."`
	SparseCheckout *SparseCheckout `json:"sparse_checkout,omitzero" doc:"Sparse checkout patterns, if enabled."`
	GitCliEnabled  *bool           `json:"git_cli_enabled,omitzero" doc:"Whether Git CLI commands can run in the folder."`

	Extra map[string]json.RawMessage `json:"-"`
}

// CreateRepoRequest links a new Git folder.
type CreateRepoRequest struct {
	URL             string          `json:"url" doc:"URL of the Git repository to clone, e.g. https://github.com/org/repo.git."`
	Provider        string          `json:"provider" doc:"Git provider (any case): gitHub, bitbucketCloud, gitLab, azureDevOpsServices, gitHubEnterprise, bitbucketServer, gitLabEnterpriseEdition or awsCodeCommit."`
	Path            *string         `json:"path,omitzero" doc:"Workspace path for the folder; under /Repos it must be /Repos/<folder>/<name>."`
	SparseCheckout  *SparseCheckout `json:"sparse_checkout,omitzero" doc:"Check out only these directories; cannot be turned on or off later."`
	GitCredentialID *int64          `json:"git_credential_id,omitzero" doc:"Git credential of the caller to clone with."`

	Extra map[string]json.RawMessage `json:"-"`
}

// RepoIDRequest names a Git folder.
type RepoIDRequest struct {
	RepoID int64 `json:"repo_id" in:"path" doc:"Id of the Git folder (from repos_list or workspace_get_status's object_id)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListReposRequest filters and pages the Git folders.
type ListReposRequest struct {
	PathPrefix    *string `json:"path_prefix,omitzero" doc:"Only Git folders whose path starts with this; default those under /Repos."`
	NextPageToken *string `json:"next_page_token,omitzero" doc:"next_page_token of the previous page."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListReposResponse is one page of Git folders.
type ListReposResponse struct {
	Repos         []RepoInfo `json:"repos,omitzero" doc:"The Git folders on this page."`
	NextPageToken *string    `json:"next_page_token,omitzero" doc:"Pass as next_page_token for the next page; absent on the last."`

	Extra map[string]json.RawMessage `json:"-"`
}

// UpdateRepoRequest checks a Git folder out to a branch or tag.
type UpdateRepoRequest struct {
	RepoID                     int64           `json:"repo_id" in:"path" doc:"Id of the Git folder."`
	Branch                     *string         `json:"branch,omitzero" doc:"Branch to check out and pull to its latest commit. Give branch or tag."`
	Tag                        *string         `json:"tag,omitzero" doc:"Tag to check out (detached HEAD: switch to a branch before committing)."`
	SparseCheckout             *SparseCheckout `json:"sparse_checkout,omitzero" doc:"New sparse checkout patterns (only for folders created with sparse checkout)."`
	GitCredentialID            *int64          `json:"git_credential_id,omitzero" doc:"Git credential of the caller to use."`
	DangerouslyForceDiscardAll *bool           `json:"dangerously_force_discard_all,omitzero" doc:"Irreversibly discard ALL uncommitted changes in the folder first. Only for automation mirroring a branch; never where people edit."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Repos endpoints. Creating and updating a Git folder reaches the remote
// Git provider.
var (
	ReposCreate = client.Declare(&client.Endpoint[CreateRepoRequest, RepoInfo]{
		Service: "repos", Name: "create", Method: "POST", Path: "/api/2.0/repos",
		Access: client.Write,
		Title:  "Create Git folder",
		Doc:    "Clone a remote Git repository into a new Git folder in the workspace, checked out to its default branch. Private repositories need a Git credential.",
	})
	ReposGet = client.Declare(&client.Endpoint[RepoIDRequest, RepoInfo]{
		Service: "repos", Name: "get", Method: "GET", Path: "/api/2.0/repos/{repo_id}",
		Access: client.Read,
		Title:  "Get Git folder",
		Doc:    "Get a Git folder's path, remote URL, provider, checked-out branch and head commit.",
	})
	ReposList = client.Declare(&client.Endpoint[ListReposRequest, ListReposResponse]{
		Service: "repos", Name: "list", Method: "GET", Path: "/api/2.0/repos",
		Access: client.Read,
		Title:  "List Git folders",
		Doc: "List the Git folders the caller can manage, under /Repos unless path_prefix says otherwise. " +
			"Folders with Git CLI access are not listed; find those with workspace_list.",
		Paging: &client.Paging{Style: client.PageToken, Items: "repos", Token: "next_page_token"},
	})
	ReposUpdate = client.Declare(&client.Endpoint[UpdateRepoRequest, client.Empty]{
		Service: "repos", Name: "update", Method: "PATCH", Path: "/api/2.0/repos/{repo_id}",
		Access: client.Destructive, Idempotent: true,
		Title: "Check out Git folder branch or tag",
		Doc: "Check a Git folder out to a branch (pulling its latest commit) or a tag, or change its sparse " +
			"checkout. Uncommitted changes are kept unless dangerously_force_discard_all, which destroys them.",
	})
	ReposDelete = client.Declare(&client.Endpoint[RepoIDRequest, client.Empty]{
		Service: "repos", Name: "delete", Method: "DELETE", Path: "/api/2.0/repos/{repo_id}",
		Access: client.Destructive, Idempotent: true,
		Title: "Delete Git folder",
		Doc:   "Delete a Git folder and everything in it, including uncommitted changes. The remote repository is untouched.",
	})
)
