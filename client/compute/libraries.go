package compute

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// Libraries API: libraries installed on a cluster, under /api/2.0/libraries/.
// Library itself is in library.go, shared with jobs and cluster policies.

// LibraryInstallStatus is where a library stands on one cluster. ERROR is not
// in the SDK's list, but Databricks' own published example of
// all-cluster-statuses returns it for a library that could not be
// downloaded; treat it like FAILED.
type LibraryInstallStatus string

// Values of LibraryInstallStatus.
const (
	LibraryInstallStatusFailed             LibraryInstallStatus = "FAILED"
	LibraryInstallStatusInstalled          LibraryInstallStatus = "INSTALLED"
	LibraryInstallStatusInstalling         LibraryInstallStatus = "INSTALLING"
	LibraryInstallStatusPending            LibraryInstallStatus = "PENDING"
	LibraryInstallStatusResolving          LibraryInstallStatus = "RESOLVING"
	LibraryInstallStatusRestored           LibraryInstallStatus = "RESTORED"
	LibraryInstallStatusSkipped            LibraryInstallStatus = "SKIPPED"
	LibraryInstallStatusUninstallOnRestart LibraryInstallStatus = "UNINSTALL_ON_RESTART"
)

// EnumValues lists the values the API defines for LibraryInstallStatus.
func (LibraryInstallStatus) EnumValues() []string {
	return []string{
		"ERROR", "FAILED", "INSTALLED", "INSTALLING", "PENDING", "RESOLVING", "RESTORED", "SKIPPED",
		"UNINSTALL_ON_RESTART",
	}
}

// InstallLibrariesRequest adds libraries to a cluster.
type InstallLibrariesRequest struct {
	ClusterID string    `json:"cluster_id" doc:"Id of the cluster to install on (from clusters_list)."`
	Libraries []Library `json:"libraries,omitzero" jsonschema:"required,minItems=1" doc:"The libraries to install; each names exactly one of jar, whl, requirements, pypi, maven, cran (egg is deprecated)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// UninstallLibrariesRequest marks libraries of a cluster for removal.
type UninstallLibrariesRequest struct {
	ClusterID string    `json:"cluster_id" doc:"Id of the cluster (from clusters_list)."`
	Libraries []Library `json:"libraries,omitzero" jsonschema:"required,minItems=1" doc:"The libraries to remove, written as they were installed (as libraries_cluster_status shows them)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ClusterStatusRequest names the cluster whose libraries to report.
type ClusterStatusRequest struct {
	ClusterID string `json:"cluster_id" doc:"Id of the cluster (from clusters_list)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ClusterLibraryStatuses is the state of every library of one cluster.
type ClusterLibraryStatuses struct {
	ClusterID       *string             `json:"cluster_id,omitzero" doc:"Id of the cluster."`
	LibraryStatuses []LibraryFullStatus `json:"library_statuses,omitzero" doc:"The cluster's libraries: those to install first, in the order they were added, then those marked for removal."`

	Extra map[string]json.RawMessage `json:"-"`
}

// LibraryFullStatus is one library on one cluster.
type LibraryFullStatus struct {
	IsLibraryForAllClusters *bool                 `json:"is_library_for_all_clusters,omitzero" doc:"Whether the library was set, in the libraries UI, to be installed on all clusters."`
	Library                 *Library              `json:"library,omitzero" doc:"The library."`
	Messages                []string              `json:"messages,omitzero" doc:"Info and warning messages of the installation so far, such as why it failed."`
	Status                  *LibraryInstallStatus `json:"status,omitzero" doc:"PENDING (waits for the cluster to run), RESOLVING, INSTALLING, INSTALLED, FAILED, SKIPPED, RESTORED, or UNINSTALL_ON_RESTART (removed at the next restart)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// AllClusterStatusesRequest takes no arguments.
type AllClusterStatusesRequest struct {
	Extra map[string]json.RawMessage `json:"-"`
}

// AllClusterStatusesResponse lists the libraries of every cluster.
type AllClusterStatusesResponse struct {
	Statuses []ClusterLibraryStatuses `json:"statuses,omitzero" doc:"One entry per cluster with libraries."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Libraries endpoints. install and uninstall are idempotent: installing a
// library the cluster already has, or marking one already marked, changes
// nothing.
var (
	LibrariesInstall = client.Declare(&client.Endpoint[InstallLibrariesRequest, client.Empty]{
		Service: "libraries", Name: "install", Method: "POST", Path: "/api/2.0/libraries/install",
		Access: client.Write, Idempotent: true,
		Title: "Install libraries on cluster",
		Doc: "Install libraries (PyPI, Maven, CRAN packages, or jar/whl/requirements.txt files) on a cluster. " +
			"Returns at once; on a running cluster they go PENDING, INSTALLING, INSTALLED (follow with " +
			"libraries_cluster_status); on a terminated one they stay PENDING until it starts.",
	})
	LibrariesUninstall = client.Declare(&client.Endpoint[UninstallLibrariesRequest, client.Empty]{
		Service: "libraries", Name: "uninstall", Method: "POST", Path: "/api/2.0/libraries/uninstall",
		Access: client.Destructive, Idempotent: true,
		Title: "Uninstall libraries from cluster",
		Doc: "Mark libraries of a cluster for removal: they show UNINSTALL_ON_RESTART and are removed when the " +
			"cluster next restarts (clusters_restart). Libraries the cluster does not have are ignored.",
	})
	LibrariesClusterStatus = client.Declare(&client.Endpoint[ClusterStatusRequest, ClusterLibraryStatuses]{
		Service: "libraries", Name: "cluster_status", Method: "GET", Path: "/api/2.0/libraries/cluster-status",
		Access: client.Read, Default: true,
		Title: "Get cluster library statuses",
		Doc:   "List the libraries of a cluster with each one's install status and messages.",
	})
	LibrariesAllClusterStatuses = client.Declare(&client.Endpoint[AllClusterStatusesRequest, AllClusterStatusesResponse]{
		Service: "libraries", Name: "all_cluster_statuses", Method: "GET", Path: "/api/2.0/libraries/all-cluster-statuses",
		Access: client.Read,
		Title:  "Get library statuses of all clusters",
		Doc:    "List, for every cluster with libraries, each library and its install status.",
	})
)
