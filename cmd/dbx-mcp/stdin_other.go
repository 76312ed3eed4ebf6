//go:build !linux

package main

import "io"

// pollStdin returns in unchanged: only on Linux is stdin moved into the
// network poller (see stdin_linux.go).
func pollStdin(in io.Reader) (io.Reader, func()) { return in, func() {} }
