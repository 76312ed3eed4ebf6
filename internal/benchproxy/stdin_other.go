//go:build !linux

package main

import (
	"io"
	"os"
)

func stdin() io.Reader { return os.Stdin }
