//go:generate go run ../../internal/lossgen/cmd/lossgen -dir . -out zz_lossless.go

// Package compute declares the Databricks compute APIs: clusters (and, as
// they are added, instance pools, cluster policies and libraries), grouped
// as the Databricks SDKs group them.
package compute
