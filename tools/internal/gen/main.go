// Command gen rewrites the files derived from the operation declarations:
// the tool catalog (tools/catalog/*.json and the schemas served at
// start-up, tools/zz_catalog.go) and the tool reference in
// README.md. `go generate ./...` runs it.
package main

import (
	"flag"
	"log"

	"github.com/dbx-mcp/dbx-mcp/tools"
)

func main() {
	catalog := flag.String("catalog", "catalog", "catalog directory to rewrite")
	served := flag.String("served", "zz_catalog.go", "Go file of the schemas served at start-up to rewrite")
	readme := flag.String("readme", "../README.md", "README whose tool reference to rewrite")
	flag.Parse()
	if err := tools.WriteCatalog(*catalog, *served); err != nil {
		log.Fatal(err)
	}
	if err := tools.WriteReadme(*readme); err != nil {
		log.Fatal(err)
	}
}
