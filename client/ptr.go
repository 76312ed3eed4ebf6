package client

//go:generate go run ../internal/lossgen/cmd/lossgen -dir . -out zz_lossless.go

// Ptr returns a pointer to v: optional fields of API structs are pointers,
// so that a zero value that was set is told apart from one that was not.
func Ptr[T any](v T) *T { return &v }
