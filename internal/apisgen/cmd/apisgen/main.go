// Command apisgen regenerates client/apis/zz_apis.go (see package apisgen).
package main

import (
	"flag"
	"log"
	"os"

	"github.com/dbx-mcp/dbx-mcp/internal/apisgen"
)

func main() {
	dir := flag.String("client", "..", "the client/ directory")
	out := flag.String("out", "zz_apis.go", "file to write")
	flag.Parse()
	src, err := apisgen.Generate(*dir)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}
