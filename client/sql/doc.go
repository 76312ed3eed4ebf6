//go:generate go run ../../internal/lossgen/cmd/lossgen -dir . -out zz_lossless.go

// Package sql declares the Databricks SQL APIs: SQL warehouses, statement
// execution and the query history, grouped as the Databricks SDKs group
// them.
package sql
