//go:generate go run ../../internal/lossgen/cmd/lossgen -dir . -out zz_lossless.go

// Package files declares the Databricks file APIs, grouped as the Databricks
// SDKs group them: DBFS (the legacy Databricks File System API 2.0), and the
// Files API for Unity Catalog volumes (files.go).
package files
