package tools

import "github.com/dbx-mcp/dbx-mcp/client"

// untilRunning waits for a cluster to run; a cluster that stops instead
// has failed to start.
var untilRunning = &Wait{Get: client.ClustersGet, IDField: "cluster_id", Noun: "cluster",
	Until: []string{"RUNNING"}, FailOn: []string{"TERMINATED", "ERROR", "UNKNOWN"}}

// untilTerminated waits for a cluster to stop.
var untilTerminated = &Wait{Get: client.ClustersGet, IDField: "cluster_id", Noun: "cluster",
	Until: []string{"TERMINATED"}, FailOn: []string{"ERROR", "UNKNOWN"}}

func clustersTools() []Spec {
	return []Spec{
		{
			Op:    client.ClustersCreate,
			Title: "Create cluster",
			Description: "Create an all-purpose compute cluster and start it. Returns the new cluster_id at once; the " +
				"cluster is PENDING and becomes RUNNING after a few minutes (poll clusters_get). Needs spark_version " +
				"(from clusters_spark_versions) and, unless a policy or pool supplies it, node_type_id (from " +
				"clusters_list_node_types) and num_workers or autoscale. Each call creates another cluster.",
			Hints: create,
			Wait:  untilRunning,
		},
		{
			Op:    client.ClustersEdit,
			Title: "Edit cluster configuration",
			Description: "Replace a cluster's whole configuration (fields left out are reset, so send every setting " +
				"to keep). A RUNNING cluster restarts to apply it; a TERMINATED one keeps it for its next start. " +
				"To change only some fields use clusters_update.",
			Hints: Hints{Destructive: true, Idempotent: true},
		},
		{
			Op:    client.ClustersUpdate,
			Title: "Update cluster fields",
			Description: "Change selected fields of a cluster's configuration: name the fields in update_mask " +
				"(comma-separated, e.g. \"num_workers,spark_conf\") and give their values in cluster. A RUNNING " +
				"cluster may restart to apply them.",
			Hints: Hints{Destructive: true, Idempotent: true},
		},
		{
			Op:          client.ClustersGet,
			Title:       "Get cluster",
			Description: "Get a cluster's configuration and live state (state, state_message, driver, executors, termination_reason). Poll it to wait for a state change.",
			Hints:       read,
		},
		{
			Op:    client.ClustersList,
			Title: "List clusters",
			Description: "List the workspace's clusters with their configuration and state. Narrow with filter_by " +
				"(cluster_states, cluster_sources, is_pinned, policy_id); page with page_size and the " +
				"next_page_token of the previous answer.",
			Hints: read,
		},
		{
			Op:          client.ClustersStart,
			Title:       "Start cluster",
			Description: "Start a TERMINATED cluster with its last configuration. It becomes PENDING, then RUNNING. Fails with INVALID_STATE if the cluster is not terminated.",
			Hints:       Hints{Idempotent: true},
			Wait:        untilRunning,
		},
		{
			Op:          client.ClustersRestart,
			Title:       "Restart cluster",
			Description: "Restart a RUNNING cluster. Running commands and notebooks' state are lost. Each call restarts it again.",
			Hints:       disrupt,
			Wait:        untilRunning,
		},
		{
			Op:    client.ClustersResize,
			Title: "Resize cluster",
			Description: "Change the size of a RUNNING cluster: a fixed num_workers, or an autoscale range. The " +
				"cluster goes RESIZING, then back to RUNNING. Fails with INVALID_STATE if it is not running.",
			Hints: update,
			Wait:  untilRunning,
		},
		{
			Op:    client.ClustersDelete,
			Title: "Terminate cluster",
			Description: "Terminate (stop) a cluster: its machines are released and it becomes TERMINATED, but its " +
				"configuration is kept so clusters_start can bring it back. To remove it for good use " +
				"clusters_permanent_delete.",
			Hints: destroy,
			Wait:  untilTerminated,
		},
		{
			Op:          client.ClustersPermanentDelete,
			Title:       "Permanently delete cluster",
			Description: "Terminate a cluster and remove it from the workspace for good. It can no longer be started or found. This cannot be undone.",
			Hints:       destroy,
		},
		{
			Op:          client.ClustersPin,
			Title:       "Pin cluster",
			Description: "Pin a cluster so its configuration is kept even after it has been terminated for a long time (unpinned clusters are removed 30 days after termination).",
			Hints:       update,
		},
		{
			Op:          client.ClustersUnpin,
			Title:       "Unpin cluster",
			Description: "Unpin a cluster, so it is removed automatically some time after it terminates.",
			Hints:       update,
		},
		{
			Op:    client.ClustersEvents,
			Title: "List cluster events",
			Description: "List a cluster's events (creation, starts, resizes, terminations, errors), newest first by " +
				"default. Filter by event_types and a start_time/end_time window in epoch milliseconds; page " +
				"with the next_page object of the previous answer.",
			Hints: read,
		},
		{
			Op:          client.ClustersListNodeTypes,
			Title:       "List node types",
			Description: "List the VM types clusters can use in this workspace, with memory, cores and GPUs. Use a node_type_id from here in clusters_create.",
			Hints:       read,
		},
		{
			Op:          client.ClustersSparkVersions,
			Title:       "List Databricks Runtime versions",
			Description: "List the Databricks Runtime versions available for new clusters. Use a key from here as spark_version in clusters_create.",
			Hints:       read,
		},
		{
			Op:          client.ClustersListZones,
			Title:       "List availability zones",
			Description: "List the availability zones clusters can be placed in, and the default one (AWS workspaces).",
			Hints:       read,
		},
		{
			Op:          client.ClustersChangeOwner,
			Title:       "Change cluster owner",
			Description: "Make another user or service principal the owner of a cluster. Only workspace admins can do this; the cluster must be terminated.",
			Hints:       update,
		},
	}
}
