package sql

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// SQL Warehouses API: the compute that runs SQL statements, under
// /api/2.0/sql/warehouses. (Databricks called them SQL endpoints before,
// which is why the id shows up in paths as /sql/1.0/endpoints/<id>.)

// State is the lifecycle state of a warehouse. STARTING moves to RUNNING;
// RUNNING to STOPPING (by warehouses_stop or auto stop), then STOPPED;
// DELETING to DELETED.
type State string

// Values of State.
const (
	StateDeleted  State = "DELETED"
	StateDeleting State = "DELETING"
	StateRunning  State = "RUNNING"
	StateStarting State = "STARTING"
	StateStopped  State = "STOPPED"
	StateStopping State = "STOPPING"
)

// EnumValues lists the values the API defines for State.
func (State) EnumValues() []string {
	return []string{"DELETED", "DELETING", "RUNNING", "STARTING", "STOPPED", "STOPPING"}
}

// WarehouseType is the kind of warehouse. Serverless warehouses are PRO with
// enable_serverless_compute.
type WarehouseType string

// Values of WarehouseType.
const (
	WarehouseTypeClassic     WarehouseType = "CLASSIC"
	WarehouseTypePro         WarehouseType = "PRO"
	WarehouseTypeUnspecified WarehouseType = "TYPE_UNSPECIFIED"
)

// EnumValues lists the values the API defines for WarehouseType.
func (WarehouseType) EnumValues() []string { return []string{"CLASSIC", "PRO", "TYPE_UNSPECIFIED"} }

// SpotInstancePolicy says whether a warehouse's clusters use spot VMs.
type SpotInstancePolicy string

// EnumValues lists the values the API defines for SpotInstancePolicy.
func (SpotInstancePolicy) EnumValues() []string {
	return []string{"COST_OPTIMIZED", "POLICY_UNSPECIFIED", "RELIABILITY_OPTIMIZED"}
}

// ChannelName is the release channel of a warehouse's Databricks SQL
// version. CHANNEL_NAME_UNSPECIFIED is the protocol's zero value, which the
// API reference's examples show.
type ChannelName string

// EnumValues lists the values the API defines for ChannelName.
func (ChannelName) EnumValues() []string {
	return []string{
		"CHANNEL_NAME_CURRENT", "CHANNEL_NAME_CUSTOM", "CHANNEL_NAME_PREVIEW", "CHANNEL_NAME_PREVIOUS",
		"CHANNEL_NAME_UNSPECIFIED",
	}
}

// HealthStatus is a warehouse's health. STATUS_UNSPECIFIED is the
// protocol's zero value, which the API reference's examples show.
type HealthStatus string

// EnumValues lists the values the API defines for HealthStatus.
func (HealthStatus) EnumValues() []string {
	return []string{"DEGRADED", "FAILED", "HEALTHY", "STATUS_UNSPECIFIED"}
}

// TerminationReasonType classifies why a warehouse's cluster failed.
type TerminationReasonType string

// EnumValues lists the values the API defines for TerminationReasonType.
func (TerminationReasonType) EnumValues() []string {
	return []string{"CLIENT_ERROR", "CLOUD_FAILURE", "SERVICE_FAULT", "SUCCESS"}
}

// Channel is a warehouse's release channel.
type Channel struct {
	Name         *ChannelName `json:"name,omitzero" doc:"Release channel: CHANNEL_NAME_CURRENT (default) or CHANNEL_NAME_PREVIEW for upcoming features."`
	DbsqlVersion *string      `json:"dbsql_version,omitzero" doc:"Databricks SQL version, for CHANNEL_NAME_CUSTOM."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Tags are the custom tags put on a warehouse's cloud resources.
type Tags struct {
	CustomTags []Tag `json:"custom_tags,omitzero" doc:"Key-value tags (fewer than 45)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Tag is one custom tag.
type Tag struct {
	Key   *string `json:"key,omitzero" doc:"Tag key."`
	Value *string `json:"value,omitzero" doc:"Tag value."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Health is a warehouse's health report.
type Health struct {
	Status        *HealthStatus      `json:"status,omitzero" doc:"HEALTHY, DEGRADED or FAILED."`
	Summary       *string            `json:"summary,omitzero" doc:"Short summary when degraded or failed."`
	Details       *string            `json:"details,omitzero" doc:"What causes the degraded or failed status."`
	Message       *string            `json:"message,omitzero" doc:"Deprecated; see summary and details."`
	FailureReason *TerminationReason `json:"failure_reason,omitzero" doc:"Why clusters could not be brought up (when FAILED, sometimes DEGRADED)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// TerminationReason says why a warehouse's cluster could not start or
// stopped.
type TerminationReason struct {
	Code       *string                `json:"code,omitzero" doc:"Reason code, e.g. INSTANCE_UNREACHABLE, CLOUD_PROVIDER_LAUNCH_FAILURE."`
	Type       *TerminationReasonType `json:"type,omitzero" doc:"Class of the reason."`
	Parameters map[string]string      `json:"parameters,omitzero" doc:"More detail, by name."`

	Extra map[string]json.RawMessage `json:"-"`
}

// OdbcParams are the connection settings of a warehouse for ODBC/JDBC
// clients.
type OdbcParams struct {
	Hostname *string `json:"hostname,omitzero" doc:"Host to connect to."`
	Path     *string `json:"path,omitzero" doc:"HTTP path of the warehouse."`
	Port     *int64  `json:"port,omitzero" doc:"Port."`
	Protocol *string `json:"protocol,omitzero" doc:"Protocol (https)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// WarehouseSpec is the configuration create and edit send.
type WarehouseSpec struct {
	Name                    *string             `json:"name,omitzero" doc:"Name, unique in the workspace, under 100 characters."`
	ClusterSize             *string             `json:"cluster_size,omitzero" doc:"Size of each cluster: 2X-Small, X-Small, Small, Medium, Large, X-Large, 2X-Large, 3X-Large, 4X-Large or 5X-Large. Bigger runs larger queries faster; for more concurrent queries raise max_num_clusters."`
	MinNumClusters          *int64              `json:"min_num_clusters,omitzero" doc:"Clusters kept available, at least 1 and at most min(max_num_clusters, 30). Default 1."`
	MaxNumClusters          *int64              `json:"max_num_clusters,omitzero" doc:"Most clusters the autoscaler runs for concurrent queries, from min_num_clusters to 40. Default min_num_clusters."`
	AutoStopMins            *int64              `json:"auto_stop_mins,omitzero" doc:"Minutes without running queries before the warehouse stops by itself: 0 (never) or at least 10 (serverless: at least 1). Default 120."`
	EnablePhoton            *bool               `json:"enable_photon,omitzero" doc:"Use Photon-optimized clusters. Default true."`
	EnableServerlessCompute *bool               `json:"enable_serverless_compute,omitzero" doc:"Run on serverless compute; needs warehouse_type PRO."`
	WarehouseType           *WarehouseType      `json:"warehouse_type,omitzero" doc:"PRO or CLASSIC. Serverless needs PRO and enable_serverless_compute true."`
	SpotInstancePolicy      *SpotInstancePolicy `json:"spot_instance_policy,omitzero" doc:"Whether clusters use spot VMs: COST_OPTIMIZED or RELIABILITY_OPTIMIZED."`
	Channel                 *Channel            `json:"channel,omitzero" doc:"Release channel of Databricks SQL."`
	Tags                    *Tags               `json:"tags,omitzero" doc:"Tags put on the warehouse's cloud resources."`
	CreatorName             *string             `json:"creator_name,omitzero" doc:"Name of the creator; set by the workspace."`
	InstanceProfileArn      *string             `json:"instance_profile_arn,omitzero" doc:"Deprecated (AWS): instance profile passing an IAM role to the clusters."`
}

// CreateWarehouseRequest is a new warehouse's configuration.
type CreateWarehouseRequest struct {
	WarehouseSpec

	Extra map[string]json.RawMessage `json:"-"`
}

// CreateWarehouseResponse names the new warehouse.
type CreateWarehouseResponse struct {
	ID *string `json:"id,omitzero" doc:"Id of the new warehouse."`

	Extra map[string]json.RawMessage `json:"-"`
}

// EditWarehouseRequest is a warehouse's new configuration.
type EditWarehouseRequest struct {
	ID string `json:"id" in:"path" doc:"Id of the warehouse to edit."`
	WarehouseSpec

	Extra map[string]json.RawMessage `json:"-"`
}

// Warehouse is a warehouse's configuration and live state, as get and list
// show it.
type Warehouse struct {
	ID *string `json:"id,omitzero" doc:"Warehouse id, used by the other warehouses_ tools and by statement execution."`
	WarehouseSpec
	State             *State      `json:"state,omitzero" doc:"STARTING, RUNNING, STOPPING, STOPPED, DELETING or DELETED."`
	Health            *Health     `json:"health,omitzero" doc:"Health; summary says what is wrong when degraded or failed."`
	NumClusters       *int64      `json:"num_clusters,omitzero" doc:"Clusters running now."`
	NumActiveSessions *int64      `json:"num_active_sessions,omitzero" doc:"Open sessions."`
	JdbcURL           *string     `json:"jdbc_url,omitzero" doc:"JDBC connection URL."`
	OdbcParams        *OdbcParams `json:"odbc_params,omitzero" doc:"ODBC connection settings."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GetWarehouseRequest names a warehouse.
type GetWarehouseRequest struct {
	ID string `json:"id" in:"path" doc:"Warehouse id (from warehouses_list)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListWarehousesRequest pages the workspace's warehouses.
type ListWarehousesRequest struct {
	PageSize    *int64  `json:"page_size,omitzero" doc:"Most warehouses per page."`
	PageToken   *string `json:"page_token,omitzero" doc:"next_page_token of the previous page."`
	RunAsUserID *int64  `json:"run_as_user_id,omitzero" doc:"Deprecated and ignored by the server."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListWarehousesResponse is one page of warehouses.
type ListWarehousesResponse struct {
	Warehouses    []Warehouse `json:"warehouses,omitzero" doc:"The warehouses the caller can use."`
	NextPageToken *string     `json:"next_page_token,omitzero" doc:"Token of the next page; absent on the last."`

	Extra map[string]json.RawMessage `json:"-"`
}

// WarehouseIDRequest names the warehouse to start, stop or delete.
type WarehouseIDRequest struct {
	ID string `json:"id" in:"path" doc:"Warehouse id (from warehouses_list)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Waits of the warehouse operations: for a warehouse to run (one that
// stops or is deleted instead has failed to start, as the SDK's waiter
// says), and for one to stop.
var (
	untilRunning = &client.Wait{Get: WarehousesGet, IDFields: []string{"id"}, State: "state", Message: "health.summary",
		Noun: "warehouse", Until: []string{"RUNNING"}, FailOn: []string{"STOPPED", "DELETING", "DELETED"}}
	untilStopped = &client.Wait{Get: WarehousesGet, IDFields: []string{"id"}, State: "state", Message: "health.summary",
		Noun: "warehouse", Until: []string{"STOPPED"}, FailOn: []string{"DELETING", "DELETED"}}
)

// Warehouses endpoints. The default toolset has list (its budget is
// 3 KB for this area): a list entry is the whole warehouse as get
// shows it. edit (the same configuration again), start, stop
// and delete are idempotent; create is not: each call makes another
// warehouse.
var (
	WarehousesCreate = client.Declare(&client.Endpoint[CreateWarehouseRequest, CreateWarehouseResponse]{
		Service: "warehouses", Name: "create", Method: "POST", Path: "/api/2.0/sql/warehouses",
		Access: client.Write, Wait: untilRunning,
		Title: "Create SQL warehouse",
		Doc: "Create a SQL warehouse and start it. Returns its id at once; it is STARTING and becomes RUNNING " +
			"(poll warehouses_get). Give name and cluster_size; for serverless set warehouse_type PRO and " +
			"enable_serverless_compute true. Each call creates another warehouse.",
	})
	WarehousesGet = client.Declare(&client.Endpoint[GetWarehouseRequest, Warehouse]{
		Service: "warehouses", Name: "get", Method: "GET", Path: "/api/2.0/sql/warehouses/{id}",
		Access: client.Read,
		Title:  "Get SQL warehouse",
		Doc:    "Get a SQL warehouse's configuration, state, health and connection details.",
	})
	WarehousesList = client.Declare(&client.Endpoint[ListWarehousesRequest, ListWarehousesResponse]{
		Service: "warehouses", Name: "list", Method: "GET", Path: "/api/2.0/sql/warehouses",
		Access: client.Read, Default: true,
		Paging: &client.Paging{Style: client.PageToken, Items: "warehouses", Size: "page_size"},
		Title:  "List SQL warehouses",
		Doc:    "List the SQL warehouses the caller can use, with their size, state and health. Use an id from here to run SQL.",
	})
	WarehousesEdit = client.Declare(&client.Endpoint[EditWarehouseRequest, client.Empty]{
		Service: "warehouses", Name: "edit", Method: "POST", Path: "/api/2.0/sql/warehouses/{id}/edit",
		Access: client.Destructive, Idempotent: true,
		Title: "Edit SQL warehouse",
		Doc: "Change a SQL warehouse's configuration (name, cluster_size, scaling, auto stop, type, channel, tags). " +
			"A RUNNING warehouse may restart to apply it, interrupting its queries.",
	})
	WarehousesStart = client.Declare(&client.Endpoint[WarehouseIDRequest, client.Empty]{
		Service: "warehouses", Name: "start", Method: "POST", Path: "/api/2.0/sql/warehouses/{id}/start",
		Access: client.Write, Idempotent: true, Wait: untilRunning,
		Title: "Start SQL warehouse",
		Doc:   "Start a STOPPED SQL warehouse. It becomes STARTING, then RUNNING.",
	})
	WarehousesStop = client.Declare(&client.Endpoint[WarehouseIDRequest, client.Empty]{
		Service: "warehouses", Name: "stop", Method: "POST", Path: "/api/2.0/sql/warehouses/{id}/stop",
		Access: client.Destructive, Idempotent: true, Wait: untilStopped,
		Title: "Stop SQL warehouse",
		Doc:   "Stop a SQL warehouse: running queries are cancelled; it becomes STOPPING, then STOPPED, and keeps its configuration for warehouses_start.",
	})
	WarehousesDelete = client.Declare(&client.Endpoint[WarehouseIDRequest, client.Empty]{
		Service: "warehouses", Name: "delete", Method: "DELETE", Path: "/api/2.0/sql/warehouses/{id}",
		Access: client.Destructive, Idempotent: true,
		Title: "Delete SQL warehouse",
		Doc:   "Delete a SQL warehouse for good: it stops and can no longer be started. This cannot be undone.",
	})
)
