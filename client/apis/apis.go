// Package apis links every API area package of the client (compute,
// workspace, settings, ...) into a program, so that client.Operations lists
// every operation declared anywhere. Import it for its side effect:
//
//	import _ "github.com/dbx-mcp/dbx-mcp/client/apis"
//
// Its one file is generated from the directories under client/, so a new
// area is linked by `go generate ./...` alone.
package apis

//go:generate go run ../../internal/apisgen/cmd/apisgen -client .. -out zz_apis.go
