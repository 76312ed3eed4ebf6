// Package client is a Go SDK for the Databricks REST API and the shared engine
// behind the dbx-mcp server.
//
// One Client owns everything that is the same for every call: where the
// workspace is, how requests are authorized, how errors are read, when a
// failed call is tried again, and which proxy and certificates are used.
// Configuration follows the conventions of the Databricks CLI and SDKs
// (explicit settings, then DATABRICKS_* and ARM_* environment variables, then
// a ~/.databrickscfg profile), so settings users already have keep working.
//
// Each REST operation is declared once, as an Endpoint value naming its HTTP
// method, path and request and response types (for example ClustersGet).
// Calling it is the typed client method:
//
//	c, err := client.New(cfg)
//	...
//	info, err := client.ClustersGet.Call(ctx, c, &client.GetClusterRequest{ClusterID: id})
//
// Typed structs keep what they do not know: members a newer API version sends
// are kept in each struct's Extra map and written back out when encoded, and
// int64 identifiers are never routed through float64.
package client
