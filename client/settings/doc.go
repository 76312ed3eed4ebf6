//go:generate go run ../../internal/lossgen/cmd/lossgen -dir . -out zz_lossless.go

// Package settings declares the Databricks workspace settings APIs:
// personal access tokens (and, as they are added, token management and
// workspace configuration), grouped as the Databricks SDKs group them.
package settings
