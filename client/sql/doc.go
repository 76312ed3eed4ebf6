//go:generate go run ../../internal/lossgen/cmd/lossgen -dir . -out zz_lossless.go

// Package sql declares the Databricks SQL APIs: SQL warehouses and the
// query history (and, as they are added, statement execution), grouped as
// the Databricks SDKs group them.
package sql
