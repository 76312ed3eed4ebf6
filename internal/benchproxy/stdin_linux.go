package main

import (
	"io"
	"os"
	"syscall"
)

// stdin is stdin read through the poller, as dbx-mcp serve reads a pipe.
func stdin() io.Reader {
	fd, err := syscall.Dup(0)
	if err != nil || syscall.SetNonblock(fd, true) != nil {
		return os.Stdin
	}
	return os.NewFile(uintptr(fd), "stdin")
}
