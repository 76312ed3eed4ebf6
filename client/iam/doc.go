//go:generate go run ../../internal/lossgen/cmd/lossgen -dir . -out zz_lossless.go

// Package iam declares the Databricks identity and access APIs of a
// workspace: the SCIM 2.0 users, groups and service principals (and the
// caller's own identity), the legacy Groups 2.0 membership calls, and object
// permissions, grouped as the Databricks SDKs group them.
package iam
