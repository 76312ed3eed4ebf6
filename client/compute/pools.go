package compute

import (
	"encoding/json"

	"github.com/dbx-mcp/dbx-mcp/client"
)

// Instance Pools API: sets of ready cloud instances that clusters take their
// nodes from, so they start and scale faster. The operations live under
// /api/2.0/instance-pools/.

// InstancePoolState is the lifecycle state of an instance pool.
type InstancePoolState string

// Values of InstancePoolState.
const (
	InstancePoolStateActive  InstancePoolState = "ACTIVE"
	InstancePoolStateDeleted InstancePoolState = "DELETED"
	InstancePoolStateStopped InstancePoolState = "STOPPED"
)

// EnumValues lists the values the API defines for InstancePoolState.
func (InstancePoolState) EnumValues() []string {
	return []string{"ACTIVE", "DELETED", "STOPPED"}
}

// InstancePoolAwsAvailability is how a pool's AWS instances are bought.
type InstancePoolAwsAvailability string

// EnumValues lists the values the API defines for InstancePoolAwsAvailability.
func (InstancePoolAwsAvailability) EnumValues() []string {
	return []string{"ON_DEMAND", "SPOT"}
}

// InstancePoolAzureAvailability is how a pool's Azure VMs are bought.
type InstancePoolAzureAvailability string

// EnumValues lists the values the API defines for InstancePoolAzureAvailability.
func (InstancePoolAzureAvailability) EnumValues() []string {
	return []string{"ON_DEMAND_AZURE", "SPOT_AZURE"}
}

// AzureDiskVolumeType is the kind of Azure managed disk attached to nodes.
type AzureDiskVolumeType string

// EnumValues lists the values the API defines for AzureDiskVolumeType.
func (AzureDiskVolumeType) EnumValues() []string {
	return []string{"PREMIUM_LRS", "STANDARD_LRS"}
}

// InstancePoolAwsAttributes are the settings of a pool that only apply on
// AWS.
type InstancePoolAwsAttributes struct {
	Availability        *InstancePoolAwsAvailability `json:"availability,omitzero" doc:"ON_DEMAND or SPOT instances."`
	InstanceProfileArn  *string                      `json:"instance_profile_arn,omitzero" doc:"ARN of an instance profile, registered in the workspace, that every instance runs with; clusters using the pool then inherit it and cannot set their own."`
	SpotBidPricePercent *int                         `json:"spot_bid_price_percent,omitzero" doc:"Highest spot price to pay, as a percentage of the on-demand price (default 100, at most 10000)."`
	ZoneID              *string                      `json:"zone_id,omitzero" doc:"Availability zone in the workspace's region, e.g. us-west-2a; omitted, a default zone is used. Zones come from clusters_list_zones."`

	Extra map[string]json.RawMessage `json:"-"`
}

// InstancePoolAzureAttributes are the settings of a pool that only apply on
// Azure.
type InstancePoolAzureAttributes struct {
	Availability             *InstancePoolAzureAvailability `json:"availability,omitzero" doc:"ON_DEMAND_AZURE or SPOT_AZURE VMs."`
	CapacityReservationGroup *string                        `json:"capacity_reservation_group,omitzero" doc:"Resource id of an Azure capacity reservation group to launch the VMs from (customer-managed VNet only). Omitting it on an edit clears it."`
	SpotBidMaxPrice          *float64                       `json:"spot_bid_max_price,omitzero" doc:"Highest price in USD per hour for a spot VM; -1 means VMs are never evicted because of price."`

	Extra map[string]json.RawMessage `json:"-"`
}

// InstancePoolGcpAttributes are the settings of a pool that only apply on
// Google Cloud.
type InstancePoolGcpAttributes struct {
	GcpAvailability *GcpAvailability `json:"gcp_availability,omitzero" doc:"ON_DEMAND_GCP, PREEMPTIBLE_GCP or PREEMPTIBLE_WITH_FALLBACK_GCP."`
	LocalSsdCount   *int             `json:"local_ssd_count,omitzero" doc:"Local SSDs (375 GB each) attached to every instance; the allowed count depends on the machine type."`
	ZoneID          *string          `json:"zone_id,omitzero" doc:"HA to spread instances over the region's zones, or a GCP zone such as us-west1-a; omitted, Databricks picks one."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DiskSpec describes the extra disks attached to every instance of a pool.
type DiskSpec struct {
	DiskCount      *int      `json:"disk_count,omitzero" doc:"Disks per instance, up to what the node type supports; node types without local storage need at least one. Spark then uses only these disks for scratch space."`
	DiskIops       *int      `json:"disk_iops,omitzero" doc:"IOPS of each disk (AWS gp3)."`
	DiskSize       *int      `json:"disk_size,omitzero" doc:"Size of each disk in GiB: AWS 100-4096 (SSD) or 500-4096 (HDD); Azure 1-1023."`
	DiskThroughput *int      `json:"disk_throughput,omitzero" doc:"Throughput of each disk in MiB/s (AWS gp3)."`
	DiskType       *DiskType `json:"disk_type,omitzero" doc:"Kind of disk."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DiskType is the kind of disk of a DiskSpec, per cloud.
type DiskType struct {
	AzureDiskVolumeType *AzureDiskVolumeType `json:"azure_disk_volume_type,omitzero" cloud:"azure" doc:"PREMIUM_LRS (SSD) or STANDARD_LRS (HDD)."`
	EbsVolumeType       *EbsVolumeType       `json:"ebs_volume_type,omitzero" cloud:"aws" doc:"GENERAL_PURPOSE_SSD or THROUGHPUT_OPTIMIZED_HDD."`

	Extra map[string]json.RawMessage `json:"-"`
}

// InstancePoolStats counts a pool's instances.
type InstancePoolStats struct {
	IdleCount        *int `json:"idle_count,omitzero" doc:"Running instances not used by any cluster."`
	PendingIdleCount *int `json:"pending_idle_count,omitzero" doc:"Instances being launched that no cluster uses yet."`
	PendingUsedCount *int `json:"pending_used_count,omitzero" doc:"Instances being launched for a cluster."`
	UsedCount        *int `json:"used_count,omitzero" doc:"Running instances used by clusters."`

	Extra map[string]json.RawMessage `json:"-"`
}

// InstancePoolStatus reports the pool's failed launches.
type InstancePoolStatus struct {
	PendingInstanceErrors []PendingInstanceError `json:"pending_instance_errors,omitzero" doc:"Latest launch failures, oldest first, at most min_idle_instances of them; emptied once the pool has its idle instances."`

	Extra map[string]json.RawMessage `json:"-"`
}

// PendingInstanceError is one failed instance launch.
type PendingInstanceError struct {
	InstanceID *string `json:"instance_id,omitzero" doc:"The cloud provider's id of the instance."`
	Message    *string `json:"message,omitzero" doc:"Why the launch failed."`

	Extra map[string]json.RawMessage `json:"-"`
}

// InstancePoolSettings are the settings a pool is created with; only some of
// them can be edited later. It has no Extra of its own: the embedding struct
// keeps unknown members.
type InstancePoolSettings struct {
	AwsAttributes                      *InstancePoolAwsAttributes   `json:"aws_attributes,omitzero" cloud:"aws" doc:"AWS-only settings: availability, spot bid, instance profile, zone. Fixed once the pool exists."`
	AzureAttributes                    *InstancePoolAzureAttributes `json:"azure_attributes,omitzero" cloud:"azure" doc:"Azure-only settings: availability, spot bid price, capacity reservation. Fixed once the pool exists."`
	DiskSpec                           *DiskSpec                    `json:"disk_spec,omitzero" doc:"Extra disks attached to every instance. Fixed once the pool exists."`
	EnableElasticDisk                  *bool                        `json:"enable_elastic_disk,omitzero" doc:"When true, instances get more local disk automatically when Spark runs low on space. Fixed once the pool exists."`
	GcpAttributes                      *InstancePoolGcpAttributes   `json:"gcp_attributes,omitzero" cloud:"gcp" doc:"GCP-only settings: availability, local SSDs, zone. Fixed once the pool exists."`
	NodeTypeFlexibility                *NodeTypeFlexibility         `json:"node_type_flexibility,omitzero" doc:"Fallback node types used when node_type_id cannot be obtained."`
	PreloadedDockerImages              []DockerImage                `json:"preloaded_docker_images,omitzero" doc:"Container images pulled onto idle instances ahead of time (Databricks Container Services)."`
	PreloadedSparkVersions             []string                     `json:"preloaded_spark_versions,omitzero" doc:"At most one Databricks Runtime version key (from clusters_spark_versions) installed on idle instances ahead of time, so clusters using it start faster."`
	IdleInstanceAutoterminationMinutes *int                         `json:"idle_instance_autotermination_minutes,omitzero" doc:"Minutes an idle instance beyond min_idle_instances is kept before it is released: 0 to 10000 (0 releases at once). Omitted, a default applies."`
	MaxCapacity                        *int                         `json:"max_capacity,omitzero" doc:"Most instances the pool holds, idle and used together; clusters needing more fail to scale up. Omitted, no limit."`
	MinIdleInstances                   *int                         `json:"min_idle_instances,omitzero" doc:"Idle instances the pool keeps ready at all times (default 0)."`
	RemoteDiskThroughput               *int                         `json:"remote_disk_throughput,omitzero" doc:"Throughput of the remote disks in Mb/s. Only for GCP HYPERDISK_BALANCED disks."`
	TotalInitialRemoteDiskSize         *int                         `json:"total_initial_remote_disk_size,omitzero" doc:"Total initial size of the remote disks in GB. Only for GCP HYPERDISK_BALANCED disks."`
	CustomTags                         map[string]ConfValue         `json:"custom_tags,omitzero" doc:"Tags put on the pool's cloud resources (VMs, disks) on top of default_tags, as name to string value. At most 45 tags."`
}

// CreateInstancePoolRequest describes a new instance pool.
type CreateInstancePoolRequest struct {
	InstancePoolName string `json:"instance_pool_name" doc:"Name of the pool, 1 to 100 characters, unique in the workspace."`
	NodeTypeID       string `json:"node_type_id" doc:"Node type (VM size) of every instance, e.g. Standard_DS3_v2 on Azure. Ids come from clusters_list_node_types. Fixed once the pool exists."`
	InstancePoolSettings

	Extra map[string]json.RawMessage `json:"-"`
}

// CreateInstancePoolResponse carries the id of the new pool.
type CreateInstancePoolResponse struct {
	InstancePoolID *string `json:"instance_pool_id,omitzero" doc:"Id of the new pool; give it as instance_pool_id in clusters_create."`

	Extra map[string]json.RawMessage `json:"-"`
}

// EditInstancePoolRequest changes the editable settings of a pool. It
// replaces them: an editable field left out returns to its default.
type EditInstancePoolRequest struct {
	InstancePoolID                     string               `json:"instance_pool_id" doc:"Id of the pool to change (from instance_pools_list)."`
	InstancePoolName                   string               `json:"instance_pool_name" doc:"Name of the pool, 1 to 100 characters, unique in the workspace."`
	NodeTypeID                         string               `json:"node_type_id" doc:"The pool's node type, which cannot change: give the current one (from instance_pools_get)."`
	CustomTags                         map[string]ConfValue `json:"custom_tags,omitzero" doc:"Tags put on the pool's cloud resources, as name to string value. At most 45 tags."`
	IdleInstanceAutoterminationMinutes *int                 `json:"idle_instance_autotermination_minutes,omitzero" doc:"Minutes an idle instance beyond min_idle_instances is kept before it is released: 0 to 10000."`
	MaxCapacity                        *int                 `json:"max_capacity,omitzero" doc:"Most instances the pool holds, idle and used together. Omitted, no limit."`
	MinIdleInstances                   *int                 `json:"min_idle_instances,omitzero" doc:"Idle instances the pool keeps ready at all times (default 0)."`
	RemoteDiskThroughput               *int                 `json:"remote_disk_throughput,omitzero" doc:"Throughput of the remote disks in Mb/s. Only for GCP HYPERDISK_BALANCED disks."`
	TotalInitialRemoteDiskSize         *int                 `json:"total_initial_remote_disk_size,omitzero" doc:"Total initial size of the remote disks in GB. Only for GCP HYPERDISK_BALANCED disks."`

	Extra map[string]json.RawMessage `json:"-"`
}

// GetInstancePoolRequest names the pool to describe.
type GetInstancePoolRequest struct {
	InstancePoolID string `json:"instance_pool_id" doc:"Id of the pool (from instance_pools_list or instance_pools_create)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// InstancePool is everything the API reports about a pool: its settings, its
// state and its instance counts.
type InstancePool struct {
	InstancePoolID   *string              `json:"instance_pool_id,omitzero" doc:"Id of the pool, e.g. 1234-567890-abcd123-pool-12abcde3."`
	InstancePoolName *string              `json:"instance_pool_name,omitzero" doc:"Name of the pool."`
	NodeTypeID       *string              `json:"node_type_id,omitzero" doc:"Node type of every instance."`
	DefaultTags      map[string]ConfValue `json:"default_tags,omitzero" doc:"Tags Databricks puts on the pool's resources: Vendor, DatabricksInstancePoolCreatorId, DatabricksInstancePoolId."`
	State            *InstancePoolState   `json:"state,omitzero" doc:"ACTIVE, STOPPED or DELETED."`
	Stats            *InstancePoolStats   `json:"stats,omitzero" doc:"Counts of idle, used and pending instances."`
	Status           *InstancePoolStatus  `json:"status,omitzero" doc:"Recent instance launch failures."`
	InstancePoolSettings

	Extra map[string]json.RawMessage `json:"-"`
}

// ListInstancePoolsRequest takes no arguments.
type ListInstancePoolsRequest struct {
	Extra map[string]json.RawMessage `json:"-"`
}

// ListInstancePoolsResponse lists the workspace's pools.
type ListInstancePoolsResponse struct {
	InstancePools []InstancePool `json:"instance_pools,omitzero" doc:"The pools with their settings, state and counts."`

	Extra map[string]json.RawMessage `json:"-"`
}

// DeleteInstancePoolRequest names the pool to delete.
type DeleteInstancePoolRequest struct {
	InstancePoolID string `json:"instance_pool_id" doc:"Id of the pool to delete (from instance_pools_list)."`

	Extra map[string]json.RawMessage `json:"-"`
}

// Instance pools endpoints, under /api/2.0/instance-pools/. edit is
// idempotent (the same settings again); delete is too (a second one finds
// nothing to remove). create is not: each repeat makes another pool, or
// fails on the taken name.
var (
	InstancePoolsCreate = client.Declare(&client.Endpoint[CreateInstancePoolRequest, CreateInstancePoolResponse]{
		Service: "instance_pools", Name: "create", Method: "POST", Path: "/api/2.0/instance-pools/create",
		Access: client.Write,
		Title:  "Create instance pool",
		Doc: "Create an instance pool: a set of ready VMs of one node_type_id that clusters take nodes from " +
			"(instance_pool_id in clusters_create) so they start faster. Needs instance_pool_name (unique) and " +
			"node_type_id (from clusters_list_node_types); min_idle_instances keeps VMs warm, which costs cloud " +
			"money while idle. Returns the new instance_pool_id.",
	})
	InstancePoolsEdit = client.Declare(&client.Endpoint[EditInstancePoolRequest, client.Empty]{
		Service: "instance_pools", Name: "edit", Method: "POST", Path: "/api/2.0/instance-pools/edit",
		Access: client.Destructive, Idempotent: true,
		Title: "Edit instance pool",
		Doc: "Change a pool's name, idle and capacity limits and custom tags. Editable fields left out are " +
			"reset, so send all of them (from instance_pools_get); node_type_id must be the current one, and " +
			"the cloud attributes, disks and preloaded versions cannot change.",
	})
	InstancePoolsGet = client.Declare(&client.Endpoint[GetInstancePoolRequest, InstancePool]{
		Service: "instance_pools", Name: "get", Method: "GET", Path: "/api/2.0/instance-pools/get",
		Access: client.Read,
		Title:  "Get instance pool",
		Doc:    "Get an instance pool's settings, state and instance counts (idle, used, pending).",
	})
	InstancePoolsList = client.Declare(&client.Endpoint[ListInstancePoolsRequest, ListInstancePoolsResponse]{
		Service: "instance_pools", Name: "list", Method: "GET", Path: "/api/2.0/instance-pools/list",
		Access: client.Read,
		Title:  "List instance pools",
		Doc:    "List the workspace's instance pools with their settings, state and instance counts.",
	})
	InstancePoolsDelete = client.Declare(&client.Endpoint[DeleteInstancePoolRequest, client.Empty]{
		Service: "instance_pools", Name: "delete", Method: "POST", Path: "/api/2.0/instance-pools/delete",
		Access: client.Destructive, Idempotent: true,
		Title: "Delete instance pool",
		Doc: "Delete an instance pool for good; its idle VMs are released. Clusters using it keep running but " +
			"can no longer take nodes from it. This cannot be undone.",
	})
)
