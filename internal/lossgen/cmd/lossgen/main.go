// Command lossgen regenerates client/zz_lossless.go (see package lossgen).
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"

	"github.com/dbx-mcp/dbx-mcp/internal/lossgen"
)

func main() {
	dir := flag.String("dir", ".", "package directory to scan")
	out := flag.String("out", "zz_lossless.go", "file to write, relative to -dir")
	flag.Parse()
	src, err := lossgen.Generate(*dir, *out)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*dir, *out), src, 0o644); err != nil {
		log.Fatal(err)
	}
}
