//go:generate go run ../../internal/lossgen/cmd/lossgen -dir . -out zz_lossless.go

// Package workspace declares the Databricks workspace APIs: secrets (and,
// as they are added, the workspace file tree, repos and git credentials),
// grouped as the Databricks SDKs group them.
package workspace
