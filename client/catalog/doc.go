//go:generate go run ../../internal/lossgen/cmd/lossgen -dir . -out zz_lossless.go

// Package catalog declares the Unity Catalog APIs (the SDK's service/catalog):
// browsing and managing catalogs, schemas, tables, volumes and functions
// under /api/2.1/unity-catalog/.
//
// Securables are named by their full names in the path: a catalog by its
// name, a schema by catalog.schema, a table, volume or function by
// catalog.schema.name. Every list pages with max_results and page_token; the
// tools ask for DefaultPageSize items when the caller gives no max_results,
// since an unpaged list of a large catalog or schema is slow or fails.
package catalog
