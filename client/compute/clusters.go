package compute

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// Clusters API: all-purpose and job compute. The operations live under
// /api/2.1/clusters/; Databricks also serves them under /api/2.0/clusters/
// with the same bodies.

// ConfValue is one value of a spark_conf, spark_env_vars, custom_tags or
// default_tags map. The API documents these values as strings, but older
// clients and examples send JSON booleans and numbers there
// ({"spark.speculation": true}) and Databricks accepts them. A plain string
// map would reject such a payload or turn true into "true"; ConfValue keeps
// the JSON value exactly as it came, so a cluster read and written back is
// unchanged, and String gives the text Spark sees either way.
//
// Build values with ConfString, ConfBool or ConfNumber, or convert a whole
// map with ConfMap. The zero ConfValue is the empty string. ConfValue is
// comparable: two values are equal when they were written the same way.
type ConfValue struct {
	raw string // compact JSON text of the value; "" stands for ""
}

// ConfString returns the JSON string s, the form the API documents.
func ConfString(s string) ConfValue {
	b, _ := json.Marshal(s)
	return ConfValue{raw: string(b)}
}

// ConfBool returns the JSON boolean b.
func ConfBool(b bool) ConfValue { return ConfValue{raw: strconv.FormatBool(b)} }

// ConfNumber returns n as a JSON number, such as ConfNumber(json.Number("4")).
// An n that is not a valid JSON number is kept as a string instead.
func ConfNumber(n json.Number) ConfValue {
	if !json.Valid([]byte(n)) || strings.ContainsAny(string(n), "\"[{tfn") {
		return ConfString(string(n))
	}
	return ConfValue{raw: string(n)}
}

// ConfMap converts a map of strings, the common case, into a map of
// ConfValues; nil stays nil.
func ConfMap(m map[string]string) map[string]ConfValue {
	if m == nil {
		return nil
	}
	out := make(map[string]ConfValue, len(m))
	for k, v := range m {
		out[k] = ConfString(v)
	}
	return out
}

// ConfStrings renders a ConfValue map as the strings Spark sees; nil stays
// nil.
func ConfStrings(m map[string]ConfValue) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v.String()
	}
	return out
}

// String returns the value as text: a JSON string without its quotes, and
// a boolean or number as written (true, 4, 0.5).
func (v ConfValue) String() string {
	if v.raw == "" {
		return ""
	}
	if v.raw[0] == '"' {
		var s string
		if json.Unmarshal([]byte(v.raw), &s) == nil {
			return s
		}
	}
	return v.raw
}

// IsString reports whether the value is a JSON string (or the zero value).
func (v ConfValue) IsString() bool { return v.raw == "" || v.raw[0] == '"' }

// Raw returns the value's JSON text.
func (v ConfValue) Raw() json.RawMessage {
	if v.raw == "" {
		return json.RawMessage(`""`)
	}
	return json.RawMessage(v.raw)
}

// MarshalJSON writes the value as it was read or built.
func (v ConfValue) MarshalJSON() ([]byte, error) { return v.Raw(), nil }

// UnmarshalJSON keeps any JSON value, compacted. Strings, booleans and
// numbers are what the API uses; anything else is kept too rather than
// failing a whole response over one odd entry.
func (v *ConfValue) UnmarshalJSON(b []byte) error {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return fmt.Errorf("conf value: %w", err)
	}
	v.raw = buf.String()
	return nil
}

// SchemaTypes lists the JSON types a ConfValue takes, for the schema
// package: the value of a Spark setting, environment variable or tag.
func (ConfValue) SchemaTypes() []string { return []string{"string", "boolean", "number"} }

// State is the lifecycle state of a cluster. PENDING moves to RUNNING or
// TERMINATING; RUNNING to RESIZING, RESTARTING or TERMINATING; RESIZING and
// RESTARTING back to RUNNING or to TERMINATING; TERMINATING to TERMINATED.
type State string

// Values of State.
const (
	StateError       State = "ERROR"
	StatePending     State = "PENDING"
	StateResizing    State = "RESIZING"
	StateRestarting  State = "RESTARTING"
	StateRunning     State = "RUNNING"
	StateTerminated  State = "TERMINATED"
	StateTerminating State = "TERMINATING"
	StateUnknown     State = "UNKNOWN"
)

// EnumValues lists the values the API defines for State.
func (State) EnumValues() []string {
	return []string{
		"ERROR", "PENDING", "RESIZING", "RESTARTING", "RUNNING", "TERMINATED", "TERMINATING",
		"UNKNOWN",
	}
}

// DataSecurityMode is a cluster's access mode, which decides how Unity Catalog
// and table access control govern it. USER_ISOLATION and SINGLE_USER are the
// older names of DATA_SECURITY_MODE_STANDARD and DATA_SECURITY_MODE_DEDICATED.
type DataSecurityMode string

// Values of DataSecurityMode.
const (
	DataSecurityModeAuto                     DataSecurityMode = "DATA_SECURITY_MODE_AUTO"
	DataSecurityModeDedicated                DataSecurityMode = "DATA_SECURITY_MODE_DEDICATED"
	DataSecurityModeStandard                 DataSecurityMode = "DATA_SECURITY_MODE_STANDARD"
	DataSecurityModeLegacyPassthrough        DataSecurityMode = "LEGACY_PASSTHROUGH"
	DataSecurityModeLegacySingleUser         DataSecurityMode = "LEGACY_SINGLE_USER"
	DataSecurityModeLegacySingleUserStandard DataSecurityMode = "LEGACY_SINGLE_USER_STANDARD"
	DataSecurityModeLegacyTableAcl           DataSecurityMode = "LEGACY_TABLE_ACL"
	DataSecurityModeNone                     DataSecurityMode = "NONE"
	DataSecurityModeSingleUser               DataSecurityMode = "SINGLE_USER"
	DataSecurityModeUserIsolation            DataSecurityMode = "USER_ISOLATION"
)

// EnumValues lists the values the API defines for DataSecurityMode.
func (DataSecurityMode) EnumValues() []string {
	return []string{
		"DATA_SECURITY_MODE_AUTO", "DATA_SECURITY_MODE_DEDICATED", "DATA_SECURITY_MODE_STANDARD",
		"LEGACY_PASSTHROUGH", "LEGACY_SINGLE_USER", "LEGACY_SINGLE_USER_STANDARD",
		"LEGACY_TABLE_ACL", "NONE", "SINGLE_USER", "USER_ISOLATION",
	}
}

// DependencyMode says where a cluster's library dependencies come from.
type DependencyMode string

// EnumValues lists the values the API defines for DependencyMode.
func (DependencyMode) EnumValues() []string {
	return []string{
		"DEPENDENCY_MODE_AUTO", "DEPENDENCY_MODE_CLUSTER_LIBRARIES", "DEPENDENCY_MODE_ENVIRONMENTS",
	}
}

// RuntimeEngine selects the standard Spark engine or Photon. NULL is what the
// API reports when none was chosen.
type RuntimeEngine string

// Values of RuntimeEngine.
const (
	RuntimeEngineNull     RuntimeEngine = "NULL"
	RuntimeEnginePhoton   RuntimeEngine = "PHOTON"
	RuntimeEngineStandard RuntimeEngine = "STANDARD"
)

// EnumValues lists the values the API defines for RuntimeEngine.
func (RuntimeEngine) EnumValues() []string {
	return []string{
		"NULL", "PHOTON", "STANDARD",
	}
}

// Kind names the form of a compute specification; CLASSIC_PREVIEW is the
// simplified form the Databricks UI uses.
type Kind string

// Values of Kind.
const (
	KindClassicPreview Kind = "CLASSIC_PREVIEW"
)

// EnumValues lists the values the API defines for Kind.
func (Kind) EnumValues() []string {
	return []string{
		"CLASSIC_PREVIEW",
	}
}

// ClusterSource says what created a cluster: a user in the UI, the API, the
// job scheduler, a pipeline, SQL, model serving.
type ClusterSource string

// EnumValues lists the values the API defines for ClusterSource.
func (ClusterSource) EnumValues() []string {
	return []string{
		"API", "JOB", "MODELS", "PIPELINE", "PIPELINE_MAINTENANCE", "SQL", "UI",
	}
}

// AwsAvailability is how AWS nodes beyond first_on_demand are bought;
// SPOT_WITH_FALLBACK uses on-demand instances when spot capacity is missing.
type AwsAvailability string

// EnumValues lists the values the API defines for AwsAvailability.
func (AwsAvailability) EnumValues() []string {
	return []string{
		"ON_DEMAND", "SPOT", "SPOT_WITH_FALLBACK",
	}
}

// AzureAvailability is how Azure nodes beyond first_on_demand are bought;
// SPOT_WITH_FALLBACK_AZURE uses on-demand VMs when spot capacity is missing.
type AzureAvailability string

// EnumValues lists the values the API defines for AzureAvailability.
func (AzureAvailability) EnumValues() []string {
	return []string{
		"ON_DEMAND_AZURE", "SPOT_AZURE", "SPOT_WITH_FALLBACK_AZURE",
	}
}

// GcpAvailability is how GCP nodes beyond first_on_demand are bought;
// PREEMPTIBLE_WITH_FALLBACK_GCP uses on-demand VMs when preemptible capacity
// is missing.
type GcpAvailability string

// EnumValues lists the values the API defines for GcpAvailability.
func (GcpAvailability) EnumValues() []string {
	return []string{
		"ON_DEMAND_GCP", "PREEMPTIBLE_GCP", "PREEMPTIBLE_WITH_FALLBACK_GCP",
	}
}

// EbsVolumeType is the kind of EBS volume attached to AWS nodes.
type EbsVolumeType string

// EnumValues lists the values the API defines for EbsVolumeType.
func (EbsVolumeType) EnumValues() []string {
	return []string{
		"GENERAL_PURPOSE_SSD", "THROUGHPUT_OPTIMIZED_HDD",
	}
}

// ConfidentialComputeType selects confidential computing for GCP nodes;
// SEV_SNP works on N2D machine types only.
type ConfidentialComputeType string

// EnumValues lists the values the API defines for ConfidentialComputeType.
func (ConfidentialComputeType) EnumValues() []string {
	return []string{
		"CONFIDENTIAL_COMPUTE_TYPE_NONE", "SEV_SNP",
	}
}

// TerminationCode says why a cluster stopped, such as INACTIVITY, USER_REQUEST
// or CLOUD_PROVIDER_LAUNCH_FAILURE. Databricks adds codes over time, so treat
// unknown ones as opaque.
type TerminationCode string

// EnumValues lists the values the API defines for TerminationCode.
func (TerminationCode) EnumValues() []string {
	return []string{
		"ABUSE_DETECTED", "ACCESS_TOKEN_FAILURE", "ALLOCATION_TIMEOUT",
		"ALLOCATION_TIMEOUT_NODE_DAEMON_NOT_READY",
		"ALLOCATION_TIMEOUT_NO_HEALTHY_AND_WARMED_UP_CLUSTERS",
		"ALLOCATION_TIMEOUT_NO_HEALTHY_CLUSTERS", "ALLOCATION_TIMEOUT_NO_MATCHED_CLUSTERS",
		"ALLOCATION_TIMEOUT_NO_READY_CLUSTERS", "ALLOCATION_TIMEOUT_NO_UNALLOCATED_CLUSTERS",
		"ALLOCATION_TIMEOUT_NO_WARMED_UP_CLUSTERS", "ATTACH_PROJECT_FAILURE",
		"AWS_AUTHORIZATION_FAILURE", "AWS_INACCESSIBLE_KMS_KEY_FAILURE",
		"AWS_INSTANCE_PROFILE_UPDATE_FAILURE", "AWS_INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET_FAILURE",
		"AWS_INSUFFICIENT_INSTANCE_CAPACITY_FAILURE", "AWS_INVALID_KEY_PAIR",
		"AWS_INVALID_KMS_KEY_STATE", "AWS_MAX_SPOT_INSTANCE_COUNT_EXCEEDED_FAILURE",
		"AWS_REQUEST_LIMIT_EXCEEDED", "AWS_RESOURCE_QUOTA_EXCEEDED", "AWS_UNSUPPORTED_FAILURE",
		"AZURE_BYOK_KEY_PERMISSION_FAILURE", "AZURE_EPHEMERAL_DISK_FAILURE",
		"AZURE_INVALID_DEPLOYMENT_TEMPLATE", "AZURE_OPERATION_NOT_ALLOWED_EXCEPTION",
		"AZURE_PACKED_DEPLOYMENT_PARTIAL_FAILURE", "AZURE_QUOTA_EXCEEDED_EXCEPTION",
		"AZURE_RESOURCE_MANAGER_THROTTLING", "AZURE_RESOURCE_PROVIDER_THROTTLING",
		"AZURE_UNEXPECTED_DEPLOYMENT_TEMPLATE_FAILURE", "AZURE_VM_EXTENSION_FAILURE",
		"AZURE_VNET_CONFIGURATION_FAILURE", "BOOTSTRAP_TIMEOUT",
		"BOOTSTRAP_TIMEOUT_CLOUD_PROVIDER_EXCEPTION", "BOOTSTRAP_TIMEOUT_DUE_TO_MISCONFIG",
		"BUDGET_POLICY_LIMIT_ENFORCEMENT_ACTIVATED", "BUDGET_POLICY_RESOLUTION_FAILURE",
		"CLOUD_ACCOUNT_POD_QUOTA_EXCEEDED", "CLOUD_ACCOUNT_SETUP_FAILURE",
		"CLOUD_OPERATION_CANCELLED", "CLOUD_PROVIDER_DISK_SETUP_FAILURE",
		"CLOUD_PROVIDER_INSTANCE_NOT_LAUNCHED", "CLOUD_PROVIDER_LAUNCH_FAILURE",
		"CLOUD_PROVIDER_LAUNCH_FAILURE_DUE_TO_MISCONFIG", "CLOUD_PROVIDER_RESOURCE_STOCKOUT",
		"CLOUD_PROVIDER_RESOURCE_STOCKOUT_DUE_TO_MISCONFIG", "CLOUD_PROVIDER_SHUTDOWN",
		"CLUSTER_OPERATION_THROTTLED", "CLUSTER_OPERATION_TIMEOUT", "COMMUNICATION_LOST",
		"CONTAINER_LAUNCH_FAILURE", "CONTROL_PLANE_CONNECTION_FAILURE",
		"CONTROL_PLANE_CONNECTION_FAILURE_DUE_TO_MISCONFIG", "CONTROL_PLANE_REQUEST_FAILURE",
		"CONTROL_PLANE_REQUEST_FAILURE_DUE_TO_MISCONFIG", "DATABASE_CONNECTION_FAILURE",
		"DATA_ACCESS_CONFIG_CHANGED", "DBFS_COMPONENT_UNHEALTHY", "DBR_IMAGE_RESOLUTION_FAILURE",
		"DISASTER_RECOVERY_REPLICATION", "DNS_RESOLUTION_ERROR",
		"DOCKER_CONTAINER_CREATION_EXCEPTION", "DOCKER_IMAGE_PULL_FAILURE",
		"DOCKER_IMAGE_TOO_LARGE_FOR_INSTANCE_EXCEPTION", "DOCKER_INVALID_OS_EXCEPTION",
		"DRIVER_EVICTION", "DRIVER_LAUNCH_TIMEOUT", "DRIVER_NODE_UNREACHABLE", "DRIVER_OUT_OF_DISK",
		"DRIVER_OUT_OF_MEMORY", "DRIVER_POD_CREATION_FAILURE", "DRIVER_UNEXPECTED_FAILURE",
		"DRIVER_UNHEALTHY", "DRIVER_UNREACHABLE", "DRIVER_UNRESPONSIVE",
		"DYNAMIC_SPARK_CONF_SIZE_EXCEEDED", "EOS_SPARK_IMAGE", "EXECUTION_COMPONENT_UNHEALTHY",
		"EXECUTOR_POD_UNSCHEDULED", "GCP_API_RATE_QUOTA_EXCEEDED", "GCP_DENIED_BY_ORG_POLICY",
		"GCP_FORBIDDEN", "GCP_IAM_TIMEOUT", "GCP_INACCESSIBLE_KMS_KEY_FAILURE",
		"GCP_INSUFFICIENT_CAPACITY", "GCP_IP_SPACE_EXHAUSTED", "GCP_KMS_KEY_PERMISSION_DENIED",
		"GCP_NOT_FOUND", "GCP_QUOTA_EXCEEDED", "GCP_RESOURCE_QUOTA_EXCEEDED",
		"GCP_SERVICE_ACCOUNT_ACCESS_DENIED", "GCP_SERVICE_ACCOUNT_DELETED",
		"GCP_SERVICE_ACCOUNT_NOT_FOUND", "GCP_SUBNET_NOT_READY",
		"GCP_TRUSTED_IMAGE_PROJECTS_VIOLATED", "GKE_BASED_CLUSTER_TERMINATION",
		"GLOBAL_INIT_SCRIPT_FAILURE", "HIVEMETASTORE_CONNECTIVITY_FAILURE",
		"HIVE_METASTORE_PROVISIONING_FAILURE", "IMAGE_PULL_PERMISSION_DENIED", "INACTIVITY",
		"INIT_CONTAINER_NOT_FINISHED", "INIT_SCRIPT_FAILURE", "INSTANCE_POOL_CLUSTER_FAILURE",
		"INSTANCE_POOL_MAX_CAPACITY_REACHED", "INSTANCE_POOL_NOT_FOUND", "INSTANCE_UNREACHABLE",
		"INSTANCE_UNREACHABLE_DUE_TO_MISCONFIG", "INTERNAL_CAPACITY_FAILURE", "INTERNAL_ERROR",
		"INVALID_ARGUMENT", "INVALID_AWS_PARAMETER", "INVALID_INSTANCE_PLACEMENT_PROTOCOL",
		"INVALID_SPARK_IMAGE", "INVALID_WORKER_IMAGE_FAILURE", "IN_PENALTY_BOX",
		"IP_EXHAUSTION_FAILURE", "JOB_FINISHED", "K8S_ACTIVE_POD_QUOTA_EXCEEDED",
		"K8S_AUTOSCALING_FAILURE", "K8S_DBR_CLUSTER_LAUNCH_TIMEOUT", "LAZY_ALLOCATION_TIMEOUT",
		"MAINTENANCE_MODE", "METASTORE_COMPONENT_UNHEALTHY", "MTLS_PORT_CONNECTIVITY_FAILURE",
		"NEPHOS_RESOURCE_MANAGEMENT", "NETVISOR_SETUP_TIMEOUT",
		"NETWORK_CHECK_CONTROL_PLANE_FAILURE",
		"NETWORK_CHECK_CONTROL_PLANE_FAILURE_DUE_TO_MISCONFIG", "NETWORK_CHECK_DNS_SERVER_FAILURE",
		"NETWORK_CHECK_DNS_SERVER_FAILURE_DUE_TO_MISCONFIG",
		"NETWORK_CHECK_METADATA_ENDPOINT_FAILURE",
		"NETWORK_CHECK_METADATA_ENDPOINT_FAILURE_DUE_TO_MISCONFIG",
		"NETWORK_CHECK_MULTIPLE_COMPONENTS_FAILURE",
		"NETWORK_CHECK_MULTIPLE_COMPONENTS_FAILURE_DUE_TO_MISCONFIG", "NETWORK_CHECK_NIC_FAILURE",
		"NETWORK_CHECK_NIC_FAILURE_DUE_TO_MISCONFIG", "NETWORK_CHECK_STORAGE_FAILURE",
		"NETWORK_CHECK_STORAGE_FAILURE_DUE_TO_MISCONFIG", "NETWORK_CONFIGURATION_FAILURE",
		"NFS_MOUNT_FAILURE", "NO_MATCHED_K8S", "NO_MATCHED_K8S_TESTING_TAG",
		"NPIP_TUNNEL_SETUP_FAILURE", "NPIP_TUNNEL_TOKEN_FAILURE", "POD_ASSIGNMENT_FAILURE",
		"POD_SCHEDULING_FAILURE", "RATE_LIMITED", "REQUEST_REJECTED", "REQUEST_THROTTLED",
		"RESOURCE_USAGE_BLOCKED", "SECRET_CREATION_FAILURE", "SECRET_PERMISSION_DENIED",
		"SECRET_RESOLUTION_ERROR", "SECURITY_DAEMON_REGISTRATION_EXCEPTION",
		"SELF_BOOTSTRAP_FAILURE", "SERVERLESS_LONG_RUNNING_TERMINATED", "SKIPPED_SLOW_NODES",
		"SLOW_IMAGE_DOWNLOAD", "SPARK_ERROR", "SPARK_IMAGE_DOWNLOAD_FAILURE",
		"SPARK_IMAGE_DOWNLOAD_THROTTLED", "SPARK_IMAGE_NOT_FOUND", "SPARK_STARTUP_FAILURE",
		"SPOT_INSTANCE_TERMINATION", "SSH_BOOTSTRAP_FAILURE", "STORAGE_DOWNLOAD_FAILURE",
		"STORAGE_DOWNLOAD_FAILURE_DUE_TO_MISCONFIG", "STORAGE_DOWNLOAD_FAILURE_SLOW",
		"STORAGE_DOWNLOAD_FAILURE_THROTTLED", "STS_CLIENT_SETUP_FAILURE", "SUBNET_EXHAUSTED_FAILURE",
		"TEMPORARILY_UNAVAILABLE", "TRIAL_EXPIRED", "UNEXPECTED_LAUNCH_FAILURE",
		"UNEXPECTED_POD_RECREATION", "UNKNOWN", "UNSUPPORTED_INSTANCE_TYPE",
		"UPDATE_INSTANCE_PROFILE_FAILURE", "USAGE_POLICY_ENTITLEMENT_DENIED",
		"USER_INITIATED_VM_TERMINATION", "USER_REQUEST", "WORKER_SETUP_FAILURE",
		"WORKSPACE_CANCELLED_ERROR", "WORKSPACE_CONFIGURATION_ERROR", "WORKSPACE_UPDATE",
	}
}

// TerminationType classifies a termination: SUCCESS, or a failure on the
// client's side, the cloud's or Databricks'.
type TerminationType string

// EnumValues lists the values the API defines for TerminationType.
func (TerminationType) EnumValues() []string {
	return []string{
		"CLIENT_ERROR", "CLOUD_FAILURE", "SERVICE_FAULT", "SUCCESS",
	}
}

// EventType is the kind of a cluster event, such as CREATING, RUNNING,
// RESIZING, TERMINATING or INIT_SCRIPTS_FINISHED.
type EventType string

// EnumValues lists the values the API defines for EventType.
func (EventType) EnumValues() []string {
	return []string{
		"ADD_NODES_FAILED", "AUTOMATIC_CLUSTER_UPDATE", "AUTOSCALING_BACKOFF", "AUTOSCALING_FAILED",
		"AUTOSCALING_STATS_REPORT", "CLUSTER_MIGRATED", "CREATING", "DBFS_DOWN",
		"DECOMMISSION_ENDED", "DECOMMISSION_STARTED", "DEFERRED_POLICY_ENFORCEMENT_FAILED",
		"DEFERRED_POLICY_ENFORCEMENT_SCHEDULED", "DID_NOT_EXPAND_DISK", "DRIVER_HEALTHY",
		"DRIVER_NOT_RESPONDING", "DRIVER_UNAVAILABLE", "EDITED", "EXPANDED_DISK",
		"FAILED_TO_EXPAND_DISK", "INIT_SCRIPTS_FINISHED", "INIT_SCRIPTS_STARTED", "METASTORE_DOWN",
		"NODES_LOST", "NODE_BLACKLISTED", "NODE_EXCLUDED_DECOMMISSIONED", "PINNED", "RESIZING",
		"RESTARTING", "RUNNING", "SPARK_EXCEPTION", "STARTING", "TERMINATING",
		"UC_VOLUME_MISCONFIGURED", "UNPINNED", "UPSIZE_COMPLETED",
	}
}

// EventCause says why a cluster's target size changed.
type EventCause string

// EnumValues lists the values the API defines for EventCause.
func (EventCause) EnumValues() []string {
	return []string{
		"AUTORECOVERY", "AUTOSCALE", "AUTOSCALE_V2", "DBR_AUTOSCALE", "REPLACE_BAD_NODES",
		"USER_REQUEST",
	}
}

// DataPlaneEventType is the kind of a node-level event reported from the data
// plane.
type DataPlaneEventType string

// EnumValues lists the values the API defines for DataPlaneEventType.
func (DataPlaneEventType) EnumValues() []string {
	return []string{
		"NODE_BLACKLISTED", "NODE_EXCLUDED_DECOMMISSIONED",
	}
}

// InitScriptExecutionStatus is the outcome of running one init script.
type InitScriptExecutionStatus string

// EnumValues lists the values the API defines for InitScriptExecutionStatus.
func (InitScriptExecutionStatus) EnumValues() []string {
	return []string{
		"FAILED_EXECUTION", "FAILED_FETCH", "FUSE_MOUNT_FAILED", "NOT_EXECUTED", "SKIPPED",
		"SUCCEEDED", "UNKNOWN",
	}
}

// GetEventsOrder is the time order of cluster events.
type GetEventsOrder string

// Values of GetEventsOrder.
const (
	GetEventsOrderAsc  GetEventsOrder = "ASC"
	GetEventsOrderDesc GetEventsOrder = "DESC"
)

// EnumValues lists the values the API defines for GetEventsOrder.
func (GetEventsOrder) EnumValues() []string {
	return []string{
		"ASC", "DESC",
	}
}

// ListClustersSortDirection is ascending or descending order for
// clusters_list.
type ListClustersSortDirection string

// EnumValues lists the values the API defines for ListClustersSortDirection.
func (ListClustersSortDirection) EnumValues() []string {
	return []string{
		"ASC", "DESC",
	}
}

// ListClustersSortField is what clusters_list sorts by. DEFAULT sorts by
// state, then pinned first, then name.
type ListClustersSortField string

// EnumValues lists the values the API defines for ListClustersSortField.
func (ListClustersSortField) EnumValues() []string {
	return []string{
		"CLUSTER_NAME", "DEFAULT",
	}
}

// CloudProviderNodeStatus is a cloud provider's remark on a node type's
// availability.
type CloudProviderNodeStatus string

// EnumValues lists the values the API defines for CloudProviderNodeStatus.
func (CloudProviderNodeStatus) EnumValues() []string {
	return []string{
		"NotAvailableInRegion", "NotEnabledOnSubscription",
	}
}

// AutoScale is the range an autoscaling cluster keeps its worker count in.
type AutoScale struct {
	MaxWorkers *int `json:"max_workers,omitzero" doc:"Most workers the cluster grows to under load; must be greater than min_workers."`
	MinWorkers *int `json:"min_workers,omitzero" doc:"Fewest workers the cluster shrinks to when idle; also the size it starts with."`

	Extra map[string]json.RawMessage `json:"-"`
}

// AwsAttributes are the settings of a cluster that only apply on AWS.
type AwsAttributes struct {
	Availability        *AwsAvailability `json:"availability,omitzero" doc:"How nodes after the first first_on_demand ones are bought: ON_DEMAND, SPOT, or SPOT_WITH_FALLBACK (on-demand when spot is unavailable). Applies to all nodes when first_on_demand is 0."`
	EbsVolumeCount      *int             `json:"ebs_volume_count,omitzero" doc:"EBS volumes attached to each node, up to 10, mounted at /ebs0, /ebs1, ... When any are attached Spark uses only them for scratch space. Node types without instance storage need at least one."`
	EbsVolumeIops       *int             `json:"ebs_volume_iops,omitzero" doc:"IOPS of each gp3 volume; omitted, a gp2 volume of the same size's performance is used."`
	EbsVolumeSize       *int             `json:"ebs_volume_size,omitzero" doc:"Size of each EBS volume in GiB: 100 to 4096 for GENERAL_PURPOSE_SSD, 500 to 4096 for THROUGHPUT_OPTIMIZED_HDD."`
	EbsVolumeThroughput *int             `json:"ebs_volume_throughput,omitzero" doc:"Throughput of each gp3 volume; omitted, a gp2 volume of the same size's performance is used."`
	EbsVolumeType       *EbsVolumeType   `json:"ebs_volume_type,omitzero" doc:"Kind of EBS volume: GENERAL_PURPOSE_SSD or THROUGHPUT_OPTIMIZED_HDD."`
	FirstOnDemand       *int             `json:"first_on_demand,omitzero" doc:"How many nodes, the driver first, are on-demand instances; the rest follow availability. Above 0 keeps the driver on-demand. Fixed once the cluster exists."`
	InstanceProfileArn  *string          `json:"instance_profile_arn,omitzero" doc:"ARN of an instance profile, registered in the workspace by an admin, that the nodes run with."`
	SpotBidPricePercent *int             `json:"spot_bid_price_percent,omitzero" doc:"Highest spot price to pay, as a percentage of the on-demand price (default 100, at most 10000)."`
	ZoneID              *string          `json:"zone_id,omitzero" doc:"Availability zone in the workspace's region, e.g. us-west-2a, or auto (the default) to let Databricks pick one and move on a capacity shortage. Zones come from clusters_list_zones."`

	Extra map[string]json.RawMessage `json:"-"`
}

// AzureAttributes are the settings of a cluster that only apply on Azure.
type AzureAttributes struct {
	Availability             *AzureAvailability `json:"availability,omitzero" doc:"How VMs after the first first_on_demand ones are bought: ON_DEMAND_AZURE, SPOT_AZURE, or SPOT_WITH_FALLBACK_AZURE (on-demand when spot is unavailable). Applies to all nodes when first_on_demand is 0."`
	CapacityReservationGroup *string            `json:"capacity_reservation_group,omitzero" doc:"Resource id of an Azure capacity reservation group to launch the VMs from, /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Compute/capacityReservationGroups/<name>. Only for workspaces in a customer-managed VNet."`
	FirstOnDemand            *int               `json:"first_on_demand,omitzero" doc:"How many nodes, the driver first, are on-demand VMs; the rest follow availability. Keep it above 0 so the driver is on-demand. Fixed once the cluster exists."`
	LogAnalyticsInfo         *LogAnalyticsInfo  `json:"log_analytics_info,omitzero" doc:"Azure Log Analytics workspace the nodes report to."`
	SpotBidMaxPrice          *float64           `json:"spot_bid_max_price,omitzero" doc:"Highest price to pay for a spot VM, at most the on-demand price. -1, the default, means VMs are never evicted because of price, only for lack of capacity."`

	Extra map[string]json.RawMessage `json:"-"`
}

// LogAnalyticsInfo names the Azure Log Analytics workspace a cluster's nodes
// report to.
type LogAnalyticsInfo struct {
	LogAnalyticsPrimaryKey  *string `json:"log_analytics_primary_key,omitzero" jsonschema:"writeOnly=true" doc:"Primary key of the Log Analytics workspace (a credential)."`
	LogAnalyticsWorkspaceID *string `json:"log_analytics_workspace_id,omitzero" doc:"Id of the Log Analytics workspace."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GcpAttributes are the settings of a cluster that only apply on Google Cloud.
type GcpAttributes struct {
	Availability            *GcpAvailability         `json:"availability,omitzero" doc:"How nodes after the first first_on_demand ones are bought: ON_DEMAND_GCP, PREEMPTIBLE_GCP, or PREEMPTIBLE_WITH_FALLBACK_GCP (on-demand when preemptible VMs are unavailable)."`
	BootDiskSize            *int                     `json:"boot_disk_size,omitzero" doc:"Boot disk size of each node in GB."`
	ConfidentialComputeType *ConfidentialComputeType `json:"confidential_compute_type,omitzero" doc:"Confidential computing for the nodes: SEV_SNP (N2D machine types only) or CONFIDENTIAL_COMPUTE_TYPE_NONE. Omitted, none is used."`
	FirstOnDemand           *int                     `json:"first_on_demand,omitzero" doc:"How many nodes, the driver first, are on-demand VMs; the rest follow availability. Keep it above 0 so the driver is on-demand. Fixed once the cluster exists."`
	GoogleServiceAccount    *string                  `json:"google_service_account,omitzero" doc:"Google service account, registered in the workspace by an admin, that the cluster acts as when calling Google services such as GCS."`
	LocalSsdCount           *int                     `json:"local_ssd_count,omitzero" doc:"Local SSDs (375 GB each) attached to every node; the allowed count depends on the machine type."`
	UsePreemptibleExecutors *bool                    `json:"use_preemptible_executors,omitzero" doc:"Deprecated, use availability: when true, executors run on preemptible VMs."`
	ZoneID                  *string                  `json:"zone_id,omitzero" doc:"Where nodes are placed: HA (the default) spreads them over the region's zones, AUTO lets Databricks pick a zone, or a GCP zone name such as us-central1-a."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ClusterLogConf says where a cluster's logs are delivered. Exactly one member
// is set.
type ClusterLogConf struct {
	Dbfs    *DbfsStorageInfo    `json:"dbfs,omitzero" doc:"Deliver to a DBFS path, e.g. {\"destination\": \"dbfs:/cluster-logs\"}."`
	S3      *S3StorageInfo      `json:"s3,omitzero" cloud:"aws" doc:"Deliver to S3 using the cluster's instance profile, which must be allowed to write there, e.g. {\"destination\": \"s3://bucket/prefix\", \"region\": \"us-west-2\"}."`
	Volumes *VolumesStorageInfo `json:"volumes,omitzero" doc:"Deliver to a Unity Catalog volume, e.g. {\"destination\": \"/Volumes/catalog/schema/volume/logs\"}."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DbfsStorageInfo is a location in DBFS.
type DbfsStorageInfo struct {
	Destination string `json:"destination" doc:"DBFS path, e.g. dbfs:/cluster-logs."`

	Extra map[string]json.RawMessage `json:"-"`
}

// S3StorageInfo is a location in Amazon S3, written with the cluster's
// instance profile (AWS keys cannot be used).
type S3StorageInfo struct {
	Destination      string  `json:"destination" doc:"S3 URI, e.g. s3://my-bucket/some-prefix."`
	CannedACL        *string `json:"canned_acl,omitzero" doc:"Canned ACL put on written objects, e.g. bucket-owner-full-control; the instance profile then needs s3:PutObjectAcl."`
	EnableEncryption *bool   `json:"enable_encryption,omitzero" doc:"When true, objects are written with server-side encryption. Default false."`
	EncryptionType   *string `json:"encryption_type,omitzero" doc:"Server-side encryption kind when enable_encryption is true: sse-s3 (the default) or sse-kms."`
	Endpoint         *string `json:"endpoint,omitzero" doc:"S3 endpoint, e.g. https://s3-us-west-2.amazonaws.com. Give this or region; endpoint wins when both are set."`
	KmsKey           *string `json:"kms_key,omitzero" doc:"KMS key used when encryption_type is sse-kms."`
	Region           *string `json:"region,omitzero" doc:"S3 region, e.g. us-west-2. Give this or endpoint."`

	Extra map[string]json.RawMessage `json:"-"`
}

// VolumesStorageInfo is a location in a Unity Catalog volume.
type VolumesStorageInfo struct {
	Destination string `json:"destination" doc:"Volume path, e.g. /Volumes/catalog/schema/volume/dir/setup.sh (a dbfs:/Volumes/... form is accepted too)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// AbfssStorageInfo is a location in Azure Data Lake Storage Gen2.
type AbfssStorageInfo struct {
	Destination string `json:"destination" doc:"abfss URI, abfss://<container>@<storage-account>.dfs.core.windows.net/<path>."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GcsStorageInfo is a location in Google Cloud Storage.
type GcsStorageInfo struct {
	Destination string `json:"destination" doc:"GCS URI, e.g. gs://my-bucket/some-prefix."`

	Extra map[string]json.RawMessage `json:"-"`
}

// LocalFileInfo is a file on the nodes' local file system.
type LocalFileInfo struct {
	Destination string `json:"destination" doc:"Local path, e.g. file:/my/local/file.sh."`

	Extra map[string]json.RawMessage `json:"-"`
}

// WorkspaceStorageInfo is a file in the workspace file system.
type WorkspaceStorageInfo struct {
	Destination string `json:"destination" doc:"Workspace file path, e.g. /Users/someone@example.com/init.sh."`

	Extra map[string]json.RawMessage `json:"-"`
}

// InitScriptInfo is where one init script is stored. Exactly one member is
// set.
type InitScriptInfo struct {
	Abfss     *AbfssStorageInfo     `json:"abfss,omitzero" cloud:"azure" doc:"Script in ADLS Gen2: {\"destination\": \"abfss://<container>@<account>.dfs.core.windows.net/<path>\"}."`
	Dbfs      *DbfsStorageInfo      `json:"dbfs,omitzero" doc:"Script in DBFS: {\"destination\": \"dbfs:/path/init.sh\"}."`
	File      *LocalFileInfo        `json:"file,omitzero" doc:"Script already on the nodes: {\"destination\": \"file:/path/init.sh\"}."`
	Gcs       *GcsStorageInfo       `json:"gcs,omitzero" cloud:"gcp" doc:"Script in GCS: {\"destination\": \"gs://bucket/init.sh\"}."`
	S3        *S3StorageInfo        `json:"s3,omitzero" cloud:"aws" doc:"Script in S3, read with the cluster's instance profile: {\"destination\": \"s3://bucket/init.sh\", \"region\": \"us-west-2\"}."`
	Volumes   *VolumesStorageInfo   `json:"volumes,omitzero" doc:"Script in a Unity Catalog volume: {\"destination\": \"/Volumes/catalog/schema/volume/init.sh\"}."`
	Workspace *WorkspaceStorageInfo `json:"workspace,omitzero" doc:"Script in the workspace file system: {\"destination\": \"/Users/someone@example.com/init.sh\"}."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DockerImage is a custom container image for a cluster's nodes.
type DockerImage struct {
	BasicAuth *DockerBasicAuth `json:"basic_auth,omitzero" doc:"Registry credentials, when the image is private."`
	URL       *string          `json:"url,omitzero" doc:"Image reference, e.g. myregistry.azurecr.io/team/image:tag."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DockerBasicAuth is a user name and password for a container registry.
type DockerBasicAuth struct {
	Password *string `json:"password,omitzero" jsonschema:"writeOnly=true" doc:"Registry password (a credential)."`
	Username *string `json:"username,omitzero" doc:"Registry user name."`

	Extra map[string]json.RawMessage `json:"-"`
}

// WorkloadType limits which clients may use a cluster.
type WorkloadType struct {
	Clients WorkloadClients `json:"clients" doc:"The kinds of clients allowed on the cluster."`

	Extra map[string]json.RawMessage `json:"-"`
}

// WorkloadClients switches kinds of clients on or off for a cluster.
type WorkloadClients struct {
	Jobs      *bool `json:"jobs,omitzero" doc:"When true, jobs can run on the cluster."`
	Notebooks *bool `json:"notebooks,omitzero" doc:"When true, notebooks can attach to the cluster."`

	Extra map[string]json.RawMessage `json:"-"`
}

// NodeTypeFlexibility lists fallback node types used when the preferred one
// cannot be obtained at launch or upscale.
type NodeTypeFlexibility struct {
	AlternateNodeTypeIDs []string `json:"alternate_node_type_ids,omitzero" doc:"Node type ids to fall back to, in order of preference. Ids come from clusters_list_node_types."`

	Extra map[string]json.RawMessage `json:"-"`
}

// CloneFrom names the cluster a new cluster copies its libraries from.
type CloneFrom struct {
	SourceClusterID string `json:"source_cluster_id" doc:"Id of the cluster to copy libraries from."`

	Extra map[string]json.RawMessage `json:"-"`
}

// LogSyncStatus is the outcome of a cluster's latest log delivery.
type LogSyncStatus struct {
	LastAttempted *int64  `json:"last_attempted,omitzero" doc:"When delivery was last attempted, in epoch milliseconds."`
	LastException *string `json:"last_exception,omitzero" doc:"Error of the last attempt; absent when it succeeded."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SparkNode is one node of a running cluster: the driver or an executor.
type SparkNode struct {
	HostPrivateIP     *string                 `json:"host_private_ip,omitzero" doc:"Private IP address of the host instance."`
	InstanceID        *string                 `json:"instance_id,omitzero" doc:"The cloud provider's id of the host instance."`
	NodeAwsAttributes *SparkNodeAwsAttributes `json:"node_aws_attributes,omitzero" doc:"AWS details of the node."`
	NodeID            *string                 `json:"node_id,omitzero" doc:"Globally unique id of the node."`
	PrivateIP         *string                 `json:"private_ip,omitzero" doc:"Private IP address of the Spark node (not the host instance's)."`
	PublicDNS         *string                 `json:"public_dns,omitzero" doc:"Public DNS name of the node, which can reach the driver's JDBC server once network rules allow it."`
	StartTimestamp    *int64                  `json:"start_timestamp,omitzero" doc:"When the node was launched, in epoch milliseconds."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SparkNodeAwsAttributes are AWS details of one node.
type SparkNodeAwsAttributes struct {
	IsSpot *bool `json:"is_spot,omitzero" doc:"Whether the node is a spot instance."`

	Extra map[string]json.RawMessage `json:"-"`
}

// TerminationReason says why a cluster stopped.
type TerminationReason struct {
	Code       *TerminationCode  `json:"code,omitzero" doc:"Why the cluster stopped, e.g. INACTIVITY, USER_REQUEST, CLOUD_PROVIDER_LAUNCH_FAILURE."`
	Parameters map[string]string `json:"parameters,omitzero" doc:"Details of the termination as name-value pairs, e.g. databricks_error_message, inactivity_duration_min, username."`
	Type       *TerminationType  `json:"type,omitzero" doc:"Who is at fault: SUCCESS, CLIENT_ERROR, SERVICE_FAULT or CLOUD_FAILURE."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ClusterSettings are the settings a cluster is created with and keeps:
// they appear, the same, in ClusterSpec, ClusterDetails and the create, edit
// and update requests, which embed them. It has no Extra of its own: the
// embedding struct keeps unknown members.
type ClusterSettings struct {
	Autoscale                  *AutoScale           `json:"autoscale,omitzero" doc:"Autoscaling range: the cluster keeps between min_workers and max_workers workers depending on load. Give either this or num_workers."`
	AutoterminationMinutes     *int                 `json:"autotermination_minutes,omitzero" doc:"Minutes of inactivity after which the cluster terminates itself: 10 to 10000, or 0 to never terminate automatically."`
	AwsAttributes              *AwsAttributes       `json:"aws_attributes,omitzero" cloud:"aws" doc:"AWS-only settings: spot/on-demand mix, EBS volumes, instance profile, zone. Defaults apply when omitted."`
	AzureAttributes            *AzureAttributes     `json:"azure_attributes,omitzero" cloud:"azure" doc:"Azure-only settings: spot/on-demand mix, spot bid price, Log Analytics, capacity reservation. Defaults apply when omitted."`
	ClusterLogConf             *ClusterLogConf      `json:"cluster_log_conf,omitzero" doc:"Where driver and executor logs are delivered (one of dbfs, s3, volumes). Logs are copied every 5 minutes to <destination>/<cluster_id>/driver and <destination>/<cluster_id>/executor."`
	ClusterName                *string              `json:"cluster_name,omitzero" doc:"Display name of the cluster; it need not be unique. Job clusters get a name made from the job and run ids."`
	CustomTags                 map[string]ConfValue `json:"custom_tags,omitzero" doc:"Tags added to the cluster's cloud resources (VMs, disks) on top of default_tags, as name to string value. At most 45 tags."`
	DataSecurityMode           *DataSecurityMode    `json:"data_security_mode,omitzero" doc:"Access mode, which decides how data access is governed: DATA_SECURITY_MODE_AUTO lets Databricks choose; DATA_SECURITY_MODE_STANDARD (legacy name USER_ISOLATION) can be shared, with users isolated from each other; DATA_SECURITY_MODE_DEDICATED (legacy name SINGLE_USER) serves only single_user_name; NONE is shared without isolation; the LEGACY_* modes are deprecated from Databricks Runtime 15.0."`
	DependencyMode             *DependencyMode      `json:"dependency_mode,omitzero" doc:"How library dependencies are managed: DEPENDENCY_MODE_AUTO lets Databricks choose; DEPENDENCY_MODE_ENVIRONMENTS uses environments (Databricks Runtime 19+, standard access mode only); DEPENDENCY_MODE_CLUSTER_LIBRARIES is the legacy cluster libraries and init scripts."`
	DockerImage                *DockerImage         `json:"docker_image,omitzero" doc:"Custom container image the nodes run (Databricks Container Services)."`
	DriverInstancePoolID       *string              `json:"driver_instance_pool_id,omitzero" doc:"Instance pool the driver is taken from. Omitted, the driver comes from instance_pool_id."`
	DriverNodeTypeFlexibility  *NodeTypeFlexibility `json:"driver_node_type_flexibility,omitzero" doc:"Fallback node types for the driver when its own node type cannot be obtained."`
	DriverNodeTypeID           *string              `json:"driver_node_type_id,omitzero" doc:"Node type of the driver; omitted, it is node_type_id. Ids come from clusters_list_node_types."`
	EnableElasticDisk          *bool                `json:"enable_elastic_disk,omitzero" doc:"When true, nodes get more local disk automatically when Spark runs low on space (autoscaling local storage)."`
	EnableLocalDiskEncryption  *bool                `json:"enable_local_disk_encryption,omitzero" doc:"When true, the local disks of the nodes are encrypted."`
	GcpAttributes              *GcpAttributes       `json:"gcp_attributes,omitzero" cloud:"gcp" doc:"GCP-only settings: preemptible/on-demand mix, boot disk, local SSDs, service account, zone. Defaults apply when omitted."`
	InitScripts                []InitScriptInfo     `json:"init_scripts,omitzero" doc:"Scripts run on every node at startup, one after another in this order. Each entry names exactly one location. With cluster_log_conf, their logs go to <destination>/<cluster_id>/init_scripts."`
	InstancePoolID             *string              `json:"instance_pool_id,omitzero" doc:"Instance pool the nodes are taken from; the pool then decides the node type."`
	IsSingleNode               *bool                `json:"is_single_node,omitzero" doc:"Only with kind CLASSIC_PREVIEW: when true, Databricks makes a single-node cluster and sets the matching custom_tags, spark_conf and num_workers itself."`
	Kind                       *Kind                `json:"kind,omitzero" doc:"Kind of specification. CLASSIC_PREVIEW unlocks is_single_node and use_ml_runtime; omit it for the classic fields."`
	NodeTypeID                 *string              `json:"node_type_id,omitzero" doc:"Node type (VM size) of the workers, and of the driver unless driver_node_type_id is given, e.g. Standard_DS3_v2 on Azure. Ids come from clusters_list_node_types."`
	NumWorkers                 *int                 `json:"num_workers,omitzero" doc:"Number of worker nodes; with the driver the cluster has num_workers + 1 nodes. 0 gives a single-node cluster. Give either this or autoscale. When read back it is the target size, which can differ from the workers running now."`
	PolicyID                   *string              `json:"policy_id,omitzero" doc:"Cluster policy that constrains these settings; the policy can fix or default other fields."`
	RemoteDiskThroughput       *int                 `json:"remote_disk_throughput,omitzero" doc:"Throughput of the remote disks in Mb/s. Only for GCP HYPERDISK_BALANCED disks."`
	RuntimeEngine              *RuntimeEngine       `json:"runtime_engine,omitzero" doc:"STANDARD or PHOTON. Omitted, STANDARD is used unless spark_version contains -photon-; to use PHOTON, pick a spark_version without -photon- and set this."`
	SingleUserName             *string              `json:"single_user_name,omitzero" doc:"User name of the only user allowed on the cluster when data_security_mode is DATA_SECURITY_MODE_DEDICATED or SINGLE_USER."`
	SparkConf                  map[string]ConfValue `json:"spark_conf,omitzero" doc:"Spark configuration properties, name to value, e.g. {\"spark.speculation\": \"true\"}. Give values as strings (booleans and numbers are accepted). Extra JVM options go in spark.driver.extraJavaOptions and spark.executor.extraJavaOptions."`
	SparkEnvVars               map[string]ConfValue `json:"spark_env_vars,omitzero" doc:"Environment variables exported on every node before Spark starts, name to string value, e.g. {\"SPARK_WORKER_MEMORY\": \"28000m\"}. To extend SPARK_DAEMON_JAVA_OPTS, start the value with $SPARK_DAEMON_JAVA_OPTS so the Databricks defaults are kept."`
	SSHPublicKeys              []string             `json:"ssh_public_keys,omitzero" doc:"Up to 10 SSH public keys installed on every node; log in as user ubuntu on port 2200 with the matching private key."`
	TotalInitialRemoteDiskSize *int                 `json:"total_initial_remote_disk_size,omitzero" doc:"Total initial size of the remote disks in GB. Only for GCP HYPERDISK_BALANCED disks."`
	UseMlRuntime               *bool                `json:"use_ml_runtime,omitzero" doc:"Only with kind CLASSIC_PREVIEW: when true, the machine learning edition of spark_version is used (its GPU build on GPU node types)."`
	WorkerNodeTypeFlexibility  *NodeTypeFlexibility `json:"worker_node_type_flexibility,omitzero" doc:"Fallback node types for the workers when node_type_id cannot be obtained."`
	WorkloadType               *WorkloadType        `json:"workload_type,omitzero" doc:"Which clients (notebooks, jobs) may use the cluster."`
}

// ClusterSpec is a cluster's settings as a user last gave them in create or
// edit. Event details use it for the settings before and after a change.
type ClusterSpec struct {
	ApplyPolicyDefaultValues *bool   `json:"apply_policy_default_values,omitzero" doc:"With policy_id: when true, the policy's default values fill the fields left out; when false, only its fixed values are applied."`
	SparkVersion             *string `json:"spark_version,omitzero" doc:"Databricks Runtime version key, e.g. 15.4.x-scala2.12. Valid keys come from clusters_spark_versions."`
	ClusterSettings

	Extra map[string]json.RawMessage `json:"-"`
}

// ClusterDetails is everything the API reports about a cluster: its settings,
// its state and its nodes. clusters_get and clusters_list return it.
type ClusterDetails struct {
	ClusterID         *string              `json:"cluster_id,omitzero" doc:"Id of the cluster, e.g. 1234-567890-abcde123; it stays the same across restarts and resizes."`
	ClusterCores      *float64             `json:"cluster_cores,omitzero" doc:"Total CPU cores of the cluster; can be fractional when nodes share cores."`
	ClusterLogStatus  *LogSyncStatus       `json:"cluster_log_status,omitzero" doc:"Outcome of the latest log delivery."`
	ClusterMemoryMb   *int64               `json:"cluster_memory_mb,omitzero" doc:"Total memory of the cluster in MB."`
	ClusterSource     *ClusterSource       `json:"cluster_source,omitzero" doc:"What created the cluster: UI, API, JOB, PIPELINE, SQL, ..."`
	CreatorUserName   *string              `json:"creator_user_name,omitzero" doc:"User who created the cluster; absent once that user is deleted."`
	DefaultTags       map[string]ConfValue `json:"default_tags,omitzero" doc:"Tags Databricks puts on every cloud resource of the cluster: Vendor, Creator, ClusterName, ClusterId and more."`
	Driver            *SparkNode           `json:"driver,omitzero" doc:"The driver node, which runs the Spark master and the notebooks' REPLs."`
	Executors         []SparkNode          `json:"executors,omitzero" doc:"The worker nodes running Spark executors."`
	JdbcPort          *int                 `json:"jdbc_port,omitzero" doc:"Port of the Spark JDBC server on the driver."`
	LastRestartedTime *int64               `json:"last_restarted_time,omitzero" doc:"When the cluster last started or restarted, in epoch milliseconds."`
	LastStateLossTime *int64               `json:"last_state_loss_time,omitzero" doc:"When the driver last lost its state (restart or driver failure), in epoch milliseconds."`
	SparkContextID    *int64               `json:"spark_context_id,omitzero" doc:"Id of the current SparkContext, which changes when the driver restarts; with cluster_id it identifies a Spark context uniquely. A 64-bit integer that can exceed 2^53: do not round it through a float."`
	SparkVersion      *string              `json:"spark_version,omitzero" doc:"Databricks Runtime version key, e.g. 15.4.x-scala2.12. Valid keys come from clusters_spark_versions."`
	Spec              *ClusterSpec         `json:"spec,omitzero" advertise:"compact" doc:"The settings as a user last gave them in create or edit (the fields clusters_create takes). Not returned by clusters_list."`
	StartTime         *int64               `json:"start_time,omitzero" doc:"When the create request was received (the cluster entered PENDING), in epoch milliseconds."`
	State             *State               `json:"state,omitzero" doc:"Current state: PENDING, RUNNING, RESTARTING, RESIZING, TERMINATING, TERMINATED, ERROR or UNKNOWN."`
	StateMessage      *string              `json:"state_message,omitzero" doc:"Explanation of the latest state change, such as why the cluster terminated."`
	TerminatedTime    *int64               `json:"terminated_time,omitzero" doc:"When the cluster terminated, in epoch milliseconds; 0 or absent while it has not."`
	TerminationReason *TerminationReason   `json:"termination_reason,omitzero" doc:"Why the cluster stopped; present while TERMINATING or TERMINATED."`
	ClusterSettings

	Extra map[string]json.RawMessage `json:"-"`
}

// CreateClusterRequest describes a new cluster. The call returns as soon as
// the cluster is PENDING; it is usable once RUNNING.
type CreateClusterRequest struct {
	SparkVersion             string     `json:"spark_version" doc:"Databricks Runtime version key, e.g. 15.4.x-scala2.12. Valid keys come from clusters_spark_versions."`
	ApplyPolicyDefaultValues *bool      `json:"apply_policy_default_values,omitzero" doc:"With policy_id: when true, the policy's default values fill the fields left out; when false, only its fixed values are applied."`
	CloneFrom                *CloneFrom `json:"clone_from,omitzero" doc:"Copy the libraries of an existing cluster to the new one."`
	ClusterSettings

	Extra map[string]json.RawMessage `json:"-"`
}

// CreateClusterResponse carries the id of the new cluster.
type CreateClusterResponse struct {
	ClusterID *string `json:"cluster_id,omitzero" doc:"Id of the new cluster; use it with clusters_get to follow its state."`

	Extra map[string]json.RawMessage `json:"-"`
}

// EditClusterRequest replaces all settings of a cluster: fields left out
// return to their defaults, so send the full specification (clusters_get, then
// change it). A RUNNING cluster restarts to apply the change; a TERMINATED one
// takes it at its next start; other states are refused. Job clusters cannot be
// edited.
type EditClusterRequest struct {
	ClusterID                string `json:"cluster_id" doc:"Id of the cluster to change (cluster_id from clusters_list or clusters_create)."`
	SparkVersion             string `json:"spark_version" doc:"Databricks Runtime version key, e.g. 15.4.x-scala2.12. Valid keys come from clusters_spark_versions."`
	ApplyPolicyDefaultValues *bool  `json:"apply_policy_default_values,omitzero" doc:"With policy_id: when true, the policy's default values fill the fields left out; when false, only its fixed values are applied."`
	ClusterSettings

	Extra map[string]json.RawMessage `json:"-"`
}

// UpdateClusterRequest changes only the named settings of a cluster, leaving
// the others as they are. A RUNNING cluster restarts to apply the change.
type UpdateClusterRequest struct {
	ClusterID  string                 `json:"cluster_id" doc:"Id of the cluster to change (cluster_id from clusters_list or clusters_create)."`
	UpdateMask string                 `json:"update_mask" doc:"Comma-separated field names (no spaces) to take from cluster, e.g. num_workers,spark_conf; sub-fields use dots, e.g. azure_attributes.availability. Maps and lists are replaced whole. * replaces everything, which is best avoided."`
	Cluster    *UpdateClusterResource `json:"cluster,omitzero" doc:"New values of the fields named in update_mask."`

	Extra map[string]json.RawMessage `json:"-"`
}

// UpdateClusterResource holds the new values for clusters_update; only the
// fields named in update_mask are used.
type UpdateClusterResource struct {
	SparkVersion *string `json:"spark_version,omitzero" doc:"Databricks Runtime version key, e.g. 15.4.x-scala2.12. Valid keys come from clusters_spark_versions."`
	ClusterSettings

	Extra map[string]json.RawMessage `json:"-"`
}

// GetClusterRequest names the cluster to describe.
type GetClusterRequest struct {
	ClusterID string `json:"cluster_id" doc:"Id of the cluster (cluster_id from clusters_list or clusters_create)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// StartClusterRequest names a TERMINATED cluster to start again. It keeps its
// id and last settings; an autoscaling cluster starts at min_workers. Nothing
// happens when the cluster is not TERMINATED; clusters made for job runs
// cannot be started.
type StartClusterRequest struct {
	ClusterID string `json:"cluster_id" doc:"Id of the terminated cluster to start (cluster_id from clusters_list or clusters_create)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// RestartClusterRequest names a RUNNING cluster to restart; nothing happens in
// other states.
type RestartClusterRequest struct {
	ClusterID   string  `json:"cluster_id" doc:"Id of the cluster to restart (cluster_id from clusters_list or clusters_create)."`
	RestartUser *string `json:"restart_user,omitzero" doc:"User the restart is recorded for."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ResizeClusterRequest sets a cluster's size: a fixed num_workers or an
// autoscale range. The cluster must be RUNNING.
type ResizeClusterRequest struct {
	ClusterID  string     `json:"cluster_id" doc:"Id of the cluster to resize (cluster_id from clusters_list or clusters_create)."`
	Autoscale  *AutoScale `json:"autoscale,omitzero" doc:"New autoscaling range. Give either this or num_workers."`
	NumWorkers *int       `json:"num_workers,omitzero" doc:"New fixed number of workers. Give either this or autoscale."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DeleteClusterRequest names a cluster to terminate (the REST operation is
// called delete). The cluster stops asynchronously and ends TERMINATED,
// keeping its settings so that it can be started again; nothing happens if it
// is already TERMINATING or TERMINATED.
type DeleteClusterRequest struct {
	ClusterID string `json:"cluster_id" doc:"Id of the cluster to terminate (cluster_id from clusters_list or clusters_create)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// PermanentDeleteClusterRequest names a cluster to terminate and remove for
// good: it disappears from clusters_list and no operation works on it
// afterwards.
type PermanentDeleteClusterRequest struct {
	ClusterID string `json:"cluster_id" doc:"Id of the cluster to delete permanently (cluster_id from clusters_list or clusters_create)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// PinClusterRequest names a cluster to pin, so that clusters_list keeps
// returning it however long ago it terminated. Only workspace admins may pin;
// pinning a pinned cluster changes nothing.
type PinClusterRequest struct {
	ClusterID string `json:"cluster_id" doc:"Id of the cluster to pin (cluster_id from clusters_list or clusters_create)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// UnpinClusterRequest names a cluster to unpin, so that it drops out of
// clusters_list 30 days after it terminates. Only workspace admins may unpin.
type UnpinClusterRequest struct {
	ClusterID string `json:"cluster_id" doc:"Id of the cluster to unpin (cluster_id from clusters_list or clusters_create)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ChangeClusterOwnerRequest makes another user or service principal the owner
// of a cluster. Only workspace admins may call it, and only on a TERMINATED
// cluster.
type ChangeClusterOwnerRequest struct {
	ClusterID     string `json:"cluster_id" doc:"Id of the cluster (cluster_id from clusters_list or clusters_create)."`
	OwnerUsername string `json:"owner_username" doc:"User name (e-mail) of the new owner, or the application id of a service principal."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListClustersRequest pages through the workspace's clusters: pinned and
// active ones and those terminated in the last 30 days.
type ListClustersRequest struct {
	FilterBy  *ListClustersFilterBy `json:"filter_by,omitzero" doc:"Only return clusters matching all of these conditions."`
	PageSize  *int                  `json:"page_size,omitzero" doc:"Most clusters to return in one page; the server may return fewer."`
	PageToken *string               `json:"page_token,omitzero" doc:"next_page_token or prev_page_token from a previous response, to fetch that page. Omit for the first page."`
	SortBy    *ListClustersSortBy   `json:"sort_by,omitzero" doc:"Sort order of the result."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListClustersFilterBy narrows clusters_list.
type ListClustersFilterBy struct {
	ClusterSources []ClusterSource `json:"cluster_sources,omitzero" doc:"Keep clusters created by any of these sources, e.g. [\"UI\", \"API\"]."`
	ClusterStates  []State         `json:"cluster_states,omitzero" doc:"Keep clusters in any of these states, e.g. [\"RUNNING\"]."`
	IsPinned       *bool           `json:"is_pinned,omitzero" doc:"Keep only pinned (true) or only unpinned (false) clusters."`
	PolicyID       *string         `json:"policy_id,omitzero" doc:"Keep clusters created under this cluster policy."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListClustersSortBy orders clusters_list.
type ListClustersSortBy struct {
	Direction *ListClustersSortDirection `json:"direction,omitzero" doc:"ASC or DESC."`
	Field     *ListClustersSortField     `json:"field,omitzero" doc:"CLUSTER_NAME, or DEFAULT (state, then pinned first, then name)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListClustersResponse is one page of clusters.
type ListClustersResponse struct {
	Clusters      []ClusterDetails `json:"clusters,omitzero" doc:"The clusters on this page (without spec)."`
	NextPageToken *string          `json:"next_page_token,omitzero" doc:"Pass as page_token to get the next page; empty or absent on the last page."`
	PrevPageToken *string          `json:"prev_page_token,omitzero" doc:"Pass as page_token to get the previous page; empty or absent on the first page."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GetEventsRequest pages through the event log of a cluster: state changes,
// resizes, edits, init script runs.
type GetEventsRequest struct {
	ClusterID  string          `json:"cluster_id" doc:"Id of the cluster whose events to read (cluster_id from clusters_list or clusters_create)."`
	EndTime    *int64          `json:"end_time,omitzero" doc:"Only events before this time, in epoch milliseconds. Omitted, up to now."`
	EventTypes []EventType     `json:"event_types,omitzero" doc:"Only events of these types; omitted, all types."`
	Limit      *int64          `json:"limit,omitzero" doc:"Deprecated, use page_size: most events per page, default 50, at most 500."`
	Offset     *int64          `json:"offset,omitzero" doc:"Deprecated, use page_token: events to skip. With order DESC it needs end_time."`
	Order      *GetEventsOrder `json:"order,omitzero" doc:"ASC (oldest first) or DESC (newest first, the default)."`
	PageSize   *int            `json:"page_size,omitzero" doc:"Most events per page, 0 to 500; 0 or omitted lets the server decide."`
	PageToken  *string         `json:"page_token,omitzero" doc:"next_page_token or prev_page_token from a previous response, to fetch that page. Omit for the first page."`
	StartTime  *int64          `json:"start_time,omitzero" doc:"Only events at or after this time, in epoch milliseconds. Omitted, from the beginning."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GetEventsResponse is one page of cluster events.
type GetEventsResponse struct {
	Events        []ClusterEvent    `json:"events,omitzero" doc:"The events on this page."`
	NextPage      *GetEventsRequest `json:"next_page,omitzero" doc:"Deprecated, use next_page_token: the request that fetches the next page; absent on the last page."`
	NextPageToken *string           `json:"next_page_token,omitzero" doc:"Pass as page_token to get the next page; empty or absent on the last page."`
	PrevPageToken *string           `json:"prev_page_token,omitzero" doc:"Pass as page_token to get the previous page; empty or absent on the first page."`
	TotalCount    *int64            `json:"total_count,omitzero" doc:"Deprecated: number of events matching the filters; 0 when paging with page_token."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ClusterEvent is one entry of a cluster's event log.
type ClusterEvent struct {
	ClusterID             *string                `json:"cluster_id,omitzero" doc:"Id of the cluster the event belongs to."`
	DataPlaneEventDetails *DataPlaneEventDetails `json:"data_plane_event_details,omitzero" doc:"Node-level details, for events reported from the data plane."`
	Details               *EventDetails          `json:"details,omitzero" doc:"What happened; which members are set depends on type."`
	Timestamp             *int64                 `json:"timestamp,omitzero" doc:"When the event happened, in epoch milliseconds."`
	Type                  *EventType             `json:"type,omitzero" doc:"Kind of event, e.g. CREATING, RUNNING, RESIZING, TERMINATING."`

	Extra map[string]json.RawMessage `json:"-"`
}

// EventDetails describes a cluster event; which members are set depends on the
// event type.
type EventDetails struct {
	Attributes                          *ClusterSpec            `json:"attributes,omitzero" doc:"The cluster's settings after it was created or edited."`
	Cause                               *EventCause             `json:"cause,omitzero" doc:"Why the target size changed: USER_REQUEST, AUTOSCALE, AUTORECOVERY, REPLACE_BAD_NODES, ..."`
	ClusterSize                         *ClusterSize            `json:"cluster_size,omitzero" doc:"The size set at creation or by the edit."`
	CurrentNumVcpus                     *int                    `json:"current_num_vcpus,omitzero" doc:"vCPUs in the cluster now."`
	CurrentNumWorkers                   *int                    `json:"current_num_workers,omitzero" doc:"Worker nodes in the cluster now."`
	DidNotExpandReason                  *string                 `json:"did_not_expand_reason,omitzero" doc:"Why local disk was not expanded (DID_NOT_EXPAND_DISK events)."`
	DiskSize                            *int64                  `json:"disk_size,omitzero" doc:"Current disk size in bytes."`
	DriverStateMessage                  *string                 `json:"driver_state_message,omitzero" doc:"More about a change in the driver's state."`
	EnableTerminationForNodeBlocklisted *bool                   `json:"enable_termination_for_node_blocklisted,omitzero" doc:"Whether a blocklisted node is terminated (NODE_BLACKLISTED events)."`
	FreeSpace                           *int64                  `json:"free_space,omitzero" doc:"Free disk space in bytes."`
	InitScripts                         *InitScriptEventDetails `json:"init_scripts,omitzero" doc:"Init scripts run and their outcome (INIT_SCRIPTS_* events)."`
	InstanceID                          *string                 `json:"instance_id,omitzero" doc:"Cloud instance the event came from."`
	JobRunName                          *string                 `json:"job_run_name,omitzero" doc:"Job run the event belongs to; for job clusters this is the cluster name."`
	PreviousAttributes                  *ClusterSpec            `json:"previous_attributes,omitzero" doc:"The cluster's settings before an edit."`
	PreviousClusterSize                 *ClusterSize            `json:"previous_cluster_size,omitzero" doc:"The size before an edit or resize."`
	PreviousDiskSize                    *int64                  `json:"previous_disk_size,omitzero" doc:"Disk size before the change, in bytes."`
	Reason                              *TerminationReason      `json:"reason,omitzero" doc:"For a termination, why the cluster stopped; when a resize completes, why some nodes could not be acquired."`
	TargetNumVcpus                      *int                    `json:"target_num_vcpus,omitzero" doc:"vCPUs the cluster is heading for."`
	TargetNumWorkers                    *int                    `json:"target_num_workers,omitzero" doc:"Worker nodes the cluster is heading for."`
	User                                *string                 `json:"user,omitzero" doc:"User who caused the event; empty when Databricks did."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ClusterSize is a cluster's size: a fixed worker count or an autoscale range.
type ClusterSize struct {
	Autoscale  *AutoScale `json:"autoscale,omitzero" doc:"Autoscaling range, for autoscaling clusters."`
	NumWorkers *int       `json:"num_workers,omitzero" doc:"Fixed number of workers."`

	Extra map[string]json.RawMessage `json:"-"`
}

// InitScriptEventDetails reports the init scripts run on one node.
type InitScriptEventDetails struct {
	Cluster         []InitScriptExecution `json:"cluster,omitzero" doc:"Cluster-scoped init scripts and their outcome."`
	Global          []InitScriptExecution `json:"global,omitzero" doc:"Workspace-wide (global) init scripts and their outcome."`
	ReportedForNode *string               `json:"reported_for_node,omitzero" doc:"Private IP of the node the outcome was taken from (one node stands for all); set on INIT_SCRIPTS_FINISHED."`

	Extra map[string]json.RawMessage `json:"-"`
}

// InitScriptExecution is one init script, where it is stored and how its run
// went.
type InitScriptExecution struct {
	Abfss                    *AbfssStorageInfo          `json:"abfss,omitzero" cloud:"azure" doc:"Script in ADLS Gen2: {\"destination\": \"abfss://<container>@<account>.dfs.core.windows.net/<path>\"}."`
	Dbfs                     *DbfsStorageInfo           `json:"dbfs,omitzero" doc:"Script in DBFS: {\"destination\": \"dbfs:/path/init.sh\"}."`
	ErrorMessage             *string                    `json:"error_message,omitzero" doc:"More about a failure, such as a missing file for FAILED_FETCH."`
	ExecutionDurationSeconds *int                       `json:"execution_duration_seconds,omitzero" doc:"How long the script ran, in seconds."`
	File                     *LocalFileInfo             `json:"file,omitzero" doc:"Script already on the nodes: {\"destination\": \"file:/path/init.sh\"}."`
	Gcs                      *GcsStorageInfo            `json:"gcs,omitzero" cloud:"gcp" doc:"Script in GCS: {\"destination\": \"gs://bucket/init.sh\"}."`
	S3                       *S3StorageInfo             `json:"s3,omitzero" cloud:"aws" doc:"Script in S3, read with the cluster's instance profile: {\"destination\": \"s3://bucket/init.sh\", \"region\": \"us-west-2\"}."`
	Status                   *InitScriptExecutionStatus `json:"status,omitzero" doc:"Outcome: SUCCEEDED, FAILED_EXECUTION, FAILED_FETCH, SKIPPED, ..."`
	Stderr                   *string                    `json:"stderr,omitzero" doc:"Standard error of a failed script; only when init script debugging is on."`
	Volumes                  *VolumesStorageInfo        `json:"volumes,omitzero" doc:"Script in a Unity Catalog volume: {\"destination\": \"/Volumes/catalog/schema/volume/init.sh\"}."`
	Workspace                *WorkspaceStorageInfo      `json:"workspace,omitzero" doc:"Script in the workspace file system: {\"destination\": \"/Users/someone@example.com/init.sh\"}."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DataPlaneEventDetails describes a node-level event from the data plane.
type DataPlaneEventDetails struct {
	EventType        *DataPlaneEventType `json:"event_type,omitzero" doc:"Kind of node event."`
	ExecutorFailures *int                `json:"executor_failures,omitzero" doc:"Executor failures counted on the node."`
	HostID           *string             `json:"host_id,omitzero" doc:"Host the event concerns."`
	Timestamp        *int64              `json:"timestamp,omitzero" doc:"When it happened, in epoch milliseconds."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListNodeTypesRequest takes no arguments.
type ListNodeTypesRequest struct {
	Extra map[string]json.RawMessage `json:"-"`
}

// ListNodeTypesResponse lists the node types clusters can use in this
// workspace.
type ListNodeTypesResponse struct {
	NodeTypes []NodeType `json:"node_types,omitzero" doc:"The node types; node_type_id is the value for node_type_id and driver_node_type_id."`

	Extra map[string]json.RawMessage `json:"-"`
}

// NodeType is a node size a cluster can use, with the hardware behind it.
type NodeType struct {
	NodeTypeID            *string                `json:"node_type_id,omitzero" doc:"Id to give as node_type_id or driver_node_type_id, e.g. Standard_DS3_v2."`
	Category              *string                `json:"category,omitzero" doc:"Category, e.g. General Purpose, Memory Optimized, Compute Optimized."`
	Description           *string                `json:"description,omitzero" doc:"Short description, often the instance type name."`
	DisplayOrder          *int                   `json:"display_order,omitzero" doc:"Position in the UI within the category; lower comes first."`
	InstanceTypeID        *string                `json:"instance_type_id,omitzero" doc:"The cloud provider's instance type, e.g. r3.2xlarge on AWS."`
	IsDeprecated          *bool                  `json:"is_deprecated,omitzero" doc:"Whether the node type is deprecated; newer types perform better."`
	IsEncryptedInTransit  *bool                  `json:"is_encrypted_in_transit,omitzero" doc:"AWS: whether traffic between nodes is encrypted in transit (needed for HIPAA and PCI workloads)."`
	IsGraviton            *bool                  `json:"is_graviton,omitzero" doc:"Whether the instance is Arm-based."`
	IsHidden              *bool                  `json:"is_hidden,omitzero" doc:"Whether the UI hides the node type."`
	IsIoCacheEnabled      *bool                  `json:"is_io_cache_enabled,omitzero" doc:"Whether the disk (IO) cache is on by default."`
	MemoryMb              *int                   `json:"memory_mb,omitzero" doc:"Memory of one node in MB."`
	NodeInfo              *CloudProviderNodeInfo `json:"node_info,omitzero" doc:"Availability remarks from the cloud provider."`
	NodeInstanceType      *NodeInstanceType      `json:"node_instance_type,omitzero" doc:"The instance type hosting the node, with its local disks."`
	NumCores              *float64               `json:"num_cores,omitzero" doc:"CPU cores of one node; can be fractional when an instance hosts several nodes."`
	NumGpus               *int                   `json:"num_gpus,omitzero" doc:"GPUs of one node."`
	PhotonDriverCapable   *bool                  `json:"photon_driver_capable,omitzero" doc:"Whether the node type can run a Photon driver."`
	PhotonWorkerCapable   *bool                  `json:"photon_worker_capable,omitzero" doc:"Whether the node type can run Photon workers."`
	SupportClusterTags    *bool                  `json:"support_cluster_tags,omitzero" doc:"Whether clusters of this node type can carry custom tags."`
	SupportEbsVolumes     *bool                  `json:"support_ebs_volumes,omitzero" doc:"Whether EBS volumes can be attached (not when several nodes share an instance)."`
	SupportPortForwarding *bool                  `json:"support_port_forwarding,omitzero" doc:"Whether the node type supports port forwarding."`

	Extra map[string]json.RawMessage `json:"-"`
}

// NodeInstanceType is the cloud instance type behind a node type.
type NodeInstanceType struct {
	InstanceTypeID      *string `json:"instance_type_id,omitzero" doc:"The cloud provider's instance type id."`
	LocalDiskSizeGb     *int    `json:"local_disk_size_gb,omitzero" doc:"Size of each local disk in GB."`
	LocalDisks          *int    `json:"local_disks,omitzero" doc:"Number of local disks."`
	LocalNvmeDiskSizeGb *int    `json:"local_nvme_disk_size_gb,omitzero" doc:"Size of each local NVMe disk in GB."`
	LocalNvmeDisks      *int    `json:"local_nvme_disks,omitzero" doc:"Number of local NVMe disks."`

	Extra map[string]json.RawMessage `json:"-"`
}

// CloudProviderNodeInfo carries the cloud provider's remarks on a node type.
type CloudProviderNodeInfo struct {
	Status []CloudProviderNodeStatus `json:"status,omitzero" doc:"Remarks such as NotAvailableInRegion or NotEnabledOnSubscription."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SparkVersionsRequest takes no arguments.
type SparkVersionsRequest struct {
	Extra map[string]json.RawMessage `json:"-"`
}

// SparkVersionsResponse lists the Databricks Runtime versions clusters can
// use.
type SparkVersionsResponse struct {
	Versions []SparkVersion `json:"versions,omitzero" doc:"The available versions."`

	Extra map[string]json.RawMessage `json:"-"`
}

// SparkVersion is one Databricks Runtime version.
type SparkVersion struct {
	Key  *string `json:"key,omitzero" doc:"Value to give as spark_version, e.g. 15.4.x-scala2.12. A key with .x stands for the latest patch release of that line."`
	Name *string `json:"name,omitzero" doc:"Human-readable name, e.g. 15.4 LTS (includes Apache Spark 3.5.0, Scala 2.12)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// ListZonesRequest takes no arguments.
type ListZonesRequest struct {
	Extra map[string]json.RawMessage `json:"-"`
}

// ListZonesResponse lists the availability zones clusters can be placed in
// (AWS).
type ListZonesResponse struct {
	DefaultZone *string  `json:"default_zone,omitzero" doc:"Zone used when a cluster gives no zone_id."`
	Zones       []string `json:"zones,omitzero" doc:"The available zones, e.g. us-west-2a, us-west-2b."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Waits of the cluster operations: for a cluster to run (one that stops
// instead has failed to start), and for one to stop.
var (
	untilRunning = &client.Wait{Get: ClustersGet, IDFields: []string{"cluster_id"}, State: "state", Message: "state_message",
		Noun: "cluster", Until: []string{"RUNNING"}, FailOn: []string{"TERMINATED", "ERROR", "UNKNOWN"}}
	untilTerminated = &client.Wait{Get: ClustersGet, IDFields: []string{"cluster_id"}, State: "state", Message: "state_message",
		Noun: "cluster", Until: []string{"TERMINATED"}, FailOn: []string{"ERROR", "UNKNOWN"}}
)

// Clusters endpoints, under /api/2.1/clusters/ as the SDK calls them.
// Idempotent marks the operations whose repetition has no further effect:
// edit and update (the same configuration again), start, resize, terminate
// and delete, pin and unpin, change_owner. create and restart are not: each
// repeat makes another cluster or another restart.
var (
	ClustersCreate = client.Declare(&client.Endpoint[CreateClusterRequest, CreateClusterResponse]{
		Service: "clusters", Name: "create", Method: "POST", Path: "/api/2.1/clusters/create",
		Access: client.Write, Wait: untilRunning,
		Title: "Create cluster",
		Doc: "Create an all-purpose compute cluster and start it. Returns the new cluster_id at once; the " +
			"cluster is PENDING and becomes RUNNING after a few minutes (poll clusters_get). Needs spark_version " +
			"(from clusters_spark_versions) and, unless a policy or pool supplies it, node_type_id (from " +
			"clusters_list_node_types) and num_workers or autoscale. Each call creates another cluster.",
	})
	ClustersEdit = client.Declare(&client.Endpoint[EditClusterRequest, client.Empty]{
		Service: "clusters", Name: "edit", Method: "POST", Path: "/api/2.1/clusters/edit",
		Access: client.Destructive, Idempotent: true,
		Title: "Edit cluster configuration",
		Doc: "Replace a cluster's whole configuration (fields left out are reset, so send every setting " +
			"to keep). A RUNNING cluster restarts to apply it; a TERMINATED one keeps it for its next start. " +
			"To change only some fields use clusters_update.",
	})
	ClustersUpdate = client.Declare(&client.Endpoint[UpdateClusterRequest, client.Empty]{
		Service: "clusters", Name: "update", Method: "POST", Path: "/api/2.1/clusters/update",
		Access: client.Destructive, Idempotent: true,
		Title: "Update cluster fields",
		Doc: "Change selected fields of a cluster's configuration: name the fields in update_mask " +
			"(comma-separated, e.g. \"num_workers,spark_conf\") and give their values in cluster. A RUNNING " +
			"cluster may restart to apply them.",
	})
	ClustersGet = client.Declare(&client.Endpoint[GetClusterRequest, ClusterDetails]{
		Service: "clusters", Name: "get", Method: "GET", Path: "/api/2.1/clusters/get",
		Access: client.Read, Default: true,
		Title: "Get cluster",
		Doc:   "Get a cluster's configuration and live state (state, state_message, driver, executors, termination_reason). Poll it to wait for a state change.",
	})
	ClustersList = client.Declare(&client.Endpoint[ListClustersRequest, ListClustersResponse]{
		Service: "clusters", Name: "list", Method: "GET", Path: "/api/2.1/clusters/list",
		Access: client.Read, Default: true,
		Paging: &client.Paging{Style: client.PageToken, Items: "clusters", Size: "page_size"},
		Title:  "List clusters",
		Doc: "List the workspace's clusters with their configuration and state. Narrow with filter_by " +
			"(cluster_states, cluster_sources, is_pinned, policy_id); page with page_size and the " +
			"next_page_token of the previous answer.",
	})
	ClustersStart = client.Declare(&client.Endpoint[StartClusterRequest, client.Empty]{
		Service: "clusters", Name: "start", Method: "POST", Path: "/api/2.1/clusters/start",
		Access: client.Write, Idempotent: true, Wait: untilRunning, Default: true,
		Title: "Start cluster",
		Doc:   "Start a TERMINATED cluster with its last configuration. It becomes PENDING, then RUNNING. Fails with INVALID_STATE if the cluster is not terminated.",
	})
	ClustersRestart = client.Declare(&client.Endpoint[RestartClusterRequest, client.Empty]{
		Service: "clusters", Name: "restart", Method: "POST", Path: "/api/2.1/clusters/restart",
		Access: client.Destructive, Wait: untilRunning,
		Title: "Restart cluster",
		Doc:   "Restart a RUNNING cluster. Running commands and notebooks' state are lost. Each call restarts it again.",
	})
	ClustersResize = client.Declare(&client.Endpoint[ResizeClusterRequest, client.Empty]{
		Service: "clusters", Name: "resize", Method: "POST", Path: "/api/2.1/clusters/resize",
		Access: client.Write, Idempotent: true, Wait: untilRunning,
		Title: "Resize cluster",
		Doc: "Change the size of a RUNNING cluster: a fixed num_workers, or an autoscale range. The " +
			"cluster goes RESIZING, then back to RUNNING. Fails with INVALID_STATE if it is not running.",
	})
	ClustersDelete = client.Declare(&client.Endpoint[DeleteClusterRequest, client.Empty]{
		Service: "clusters", Name: "delete", Method: "POST", Path: "/api/2.1/clusters/delete",
		Access: client.Destructive, Idempotent: true, Wait: untilTerminated, Default: true,
		Title: "Terminate cluster",
		Doc: "Terminate (stop) a cluster: its machines are released and it becomes TERMINATED, but its " +
			"configuration is kept so clusters_start can bring it back. To remove it for good use " +
			"clusters_permanent_delete.",
	})
	ClustersPermanentDelete = client.Declare(&client.Endpoint[PermanentDeleteClusterRequest, client.Empty]{
		Service: "clusters", Name: "permanent_delete", Method: "POST", Path: "/api/2.1/clusters/permanent-delete",
		Access: client.Destructive, Idempotent: true,
		Title: "Permanently delete cluster",
		Doc:   "Terminate a cluster and remove it from the workspace for good. It can no longer be started or found. This cannot be undone.",
	})
	ClustersPin = client.Declare(&client.Endpoint[PinClusterRequest, client.Empty]{
		Service: "clusters", Name: "pin", Method: "POST", Path: "/api/2.1/clusters/pin",
		Access: client.Write, Idempotent: true,
		Title: "Pin cluster",
		Doc:   "Pin a cluster so its configuration is kept even after it has been terminated for a long time (unpinned clusters are removed 30 days after termination).",
	})
	ClustersUnpin = client.Declare(&client.Endpoint[UnpinClusterRequest, client.Empty]{
		Service: "clusters", Name: "unpin", Method: "POST", Path: "/api/2.1/clusters/unpin",
		Access: client.Write, Idempotent: true,
		Title: "Unpin cluster",
		Doc:   "Unpin a cluster, so it is removed automatically some time after it terminates.",
	})
	ClustersChangeOwner = client.Declare(&client.Endpoint[ChangeClusterOwnerRequest, client.Empty]{
		Service: "clusters", Name: "change_owner", Method: "POST", Path: "/api/2.1/clusters/change-owner",
		Access: client.Write, Idempotent: true,
		Title: "Change cluster owner",
		Doc:   "Make another user or service principal the owner of a cluster. Only workspace admins can do this; the cluster must be terminated.",
	})
	// ClustersEvents only reads; it is a POST for its filter body.
	ClustersEvents = client.Declare(&client.Endpoint[GetEventsRequest, GetEventsResponse]{
		Service: "clusters", Name: "events", Method: "POST", Path: "/api/2.1/clusters/events",
		Access: client.Read,
		Paging: &client.Paging{Style: client.NextRequest, Items: "events", Size: "limit"},
		Title:  "List cluster events",
		Doc: "List a cluster's events (creation, starts, resizes, terminations, errors), newest first by " +
			"default. Filter by event_types and a start_time/end_time window in epoch milliseconds; page " +
			"with the next_page object of the previous answer.",
	})
	ClustersListNodeTypes = client.Declare(&client.Endpoint[ListNodeTypesRequest, ListNodeTypesResponse]{
		Service: "clusters", Name: "list_node_types", Method: "GET", Path: "/api/2.1/clusters/list-node-types",
		Access: client.Read,
		Title:  "List node types",
		Doc:    "List the VM types clusters can use in this workspace, with memory, cores and GPUs. Use a node_type_id from here in clusters_create.",
	})
	ClustersSparkVersions = client.Declare(&client.Endpoint[SparkVersionsRequest, SparkVersionsResponse]{
		Service: "clusters", Name: "spark_versions", Method: "GET", Path: "/api/2.1/clusters/spark-versions",
		Access: client.Read,
		Title:  "List Databricks Runtime versions",
		Doc:    "List the Databricks Runtime versions available for new clusters. Use a key from here as spark_version in clusters_create.",
	})
	ClustersListZones = client.Declare(&client.Endpoint[ListZonesRequest, ListZonesResponse]{
		Service: "clusters", Name: "list_zones", Method: "GET", Path: "/api/2.1/clusters/list-zones",
		Access: client.Read,
		Title:  "List availability zones",
		Doc:    "List the availability zones clusters can be placed in, and the default one (AWS workspaces).",
	})
)
