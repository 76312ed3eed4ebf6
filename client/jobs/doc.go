//go:generate go run ../../internal/lossgen/cmd/lossgen -dir . -out zz_lossless.go

// Package jobs declares the Databricks Jobs API 2.2: jobs (create, read,
// change, delete, run) and their runs (submit, follow, read output, cancel,
// repair, export), grouped as the Databricks SDKs group them.
package jobs
