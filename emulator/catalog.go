package emulator

// nodeType is one Azure VM size the emulated workspace offers.
type nodeType struct {
	id          string
	memoryMB    int64
	cores       int
	gpus        int
	category    string
	family      string
	localDisks  int
	diskGB      int
	deprecated  bool
	photon      bool
	ioCache     bool
	displayRank int
}

// nodeTypes is the emulated workspace's node catalog: a realistic subset of
// what an Azure Databricks workspace lists, covering the general purpose,
// memory optimized, compute optimized, storage optimized and GPU families.
var nodeTypes = []nodeType{
	{"Standard_DS3_v2", 14336, 4, 0, "General Purpose", "Standard DSv2 Family vCPUs", 1, 28, false, true, false, 0},
	{"Standard_DS4_v2", 28672, 8, 0, "General Purpose", "Standard DSv2 Family vCPUs", 1, 56, false, true, false, 0},
	{"Standard_DS5_v2", 57344, 16, 0, "General Purpose", "Standard DSv2 Family vCPUs", 1, 112, false, true, false, 0},
	{"Standard_D3_v2", 14336, 4, 0, "General Purpose", "Standard Dv2 Family vCPUs", 1, 200, false, false, false, 0},
	{"Standard_D4ds_v5", 16384, 4, 0, "General Purpose", "Standard DDSv5 Family vCPUs", 1, 150, false, true, true, 0},
	{"Standard_D8ds_v5", 32768, 8, 0, "General Purpose", "Standard DDSv5 Family vCPUs", 1, 300, false, true, true, 0},
	{"Standard_E8ds_v4", 65536, 8, 0, "Memory Optimized", "Standard EDSv4 Family vCPUs", 1, 300, false, true, true, 0},
	{"Standard_E16ds_v4", 131072, 16, 0, "Memory Optimized", "Standard EDSv4 Family vCPUs", 1, 600, false, true, true, 0},
	{"Standard_F4s", 8192, 4, 0, "Compute Optimized", "Standard FS Family vCPUs", 1, 16, false, false, false, 0},
	{"Standard_F8s_v2", 16384, 8, 0, "Compute Optimized", "Standard FSv2 Family vCPUs", 1, 64, false, true, false, 0},
	{"Standard_L4s", 32768, 4, 0, "Storage Optimized", "Standard LS Family vCPUs", 1, 678, true, false, true, 0},
	{"Standard_L8s_v3", 65536, 8, 0, "Storage Optimized", "Standard LSv3 Family vCPUs", 1, 80, false, true, true, 0},
	{"Standard_NC6s_v3", 114688, 6, 1, "GPU Accelerated", "Standard NCSv3 Family vCPUs", 1, 736, false, false, false, 0},
}

// defaultNodeType sizes clusters whose node type is not in the catalog.
var defaultNodeType = nodeTypes[0]

func findNodeType(id string) (nodeType, bool) {
	for _, n := range nodeTypes {
		if n.id == id {
			return n, true
		}
	}
	return defaultNodeType, false
}

func (n nodeType) wire(order int) map[string]any {
	return map[string]any{
		"node_type_id":     n.id,
		"instance_type_id": n.id,
		"description":      n.id,
		"category":         n.category,
		"memory_mb":        n.memoryMB,
		"num_cores":        n.cores,
		"num_gpus":         n.gpus,
		"node_instance_type": map[string]any{
			"instance_type_id":   n.id,
			"local_disks":        n.localDisks,
			"local_disk_size_gb": n.diskGB,
			"instance_family":    n.family,
		},
		"is_deprecated":           n.deprecated,
		"is_hidden":               false,
		"is_io_cache_enabled":     n.ioCache,
		"photon_driver_capable":   n.photon,
		"photon_worker_capable":   n.photon,
		"support_cluster_tags":    true,
		"support_ebs_volumes":     true,
		"support_port_forwarding": true,
		"display_order":           order,
		"node_info": map[string]any{
			"available_core_quota": 350,
			"total_core_quota":     350,
		},
	}
}

// sparkVersions is the runtime catalog, newest first, as key and display name.
var sparkVersions = [][2]string{
	{"17.3.x-scala2.13", "17.3 LTS (includes Apache Spark 4.0.0, Scala 2.13)"},
	{"17.3.x-photon-scala2.13", "17.3 LTS Photon (includes Apache Spark 4.0.0, Scala 2.13)"},
	{"17.3.x-cpu-ml-scala2.13", "17.3 LTS ML (includes Apache Spark 4.0.0, Scala 2.13)"},
	{"16.4.x-scala2.12", "16.4 LTS (includes Apache Spark 3.5.2, Scala 2.12)"},
	{"16.4.x-photon-scala2.12", "16.4 LTS Photon (includes Apache Spark 3.5.2, Scala 2.12)"},
	{"16.4.x-cpu-ml-scala2.12", "16.4 LTS ML (includes Apache Spark 3.5.2, Scala 2.12)"},
	{"15.4.x-scala2.12", "15.4 LTS (includes Apache Spark 3.5.0, Scala 2.12)"},
	{"15.4.x-cpu-ml-scala2.12", "15.4 LTS ML (includes Apache Spark 3.5.0, Scala 2.12)"},
	{"15.4.x-gpu-ml-scala2.12", "15.4 LTS ML (includes Apache Spark 3.5.0, GPU, Scala 2.12)"},
	{"14.3.x-scala2.12", "14.3 LTS (includes Apache Spark 3.5.0, Scala 2.12)"},
	{"13.3.x-scala2.12", "13.3 LTS (includes Apache Spark 3.4.1, Scala 2.12)"},
}

// zones are the Azure availability zones of the emulated region.
var zones = []string{"1", "2", "3"}

func (e *Emulator) clustersListNodeTypes(*params) (any, *apiError) {
	out := make([]any, len(nodeTypes))
	for i, n := range nodeTypes {
		out[i] = n.wire(i)
	}
	return map[string]any{"node_types": out}, nil
}

func (e *Emulator) clustersSparkVersions(*params) (any, *apiError) {
	out := make([]any, len(sparkVersions))
	for i, v := range sparkVersions {
		out[i] = map[string]string{"key": v[0], "name": v[1]}
	}
	return map[string]any{"versions": out}, nil
}

func (e *Emulator) clustersListZones(*params) (any, *apiError) {
	return map[string]any{"zones": append([]string{}, zones...), "default_zone": zones[0]}, nil
}
