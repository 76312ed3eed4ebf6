package sqlguard_test

import (
	"fmt"

	"github.com/dbx-mcp/dbx-mcp/internal/sqlguard"
)

func Example() {
	for _, text := range []string{
		"SELECT * FROM main.default.trips -- ; DROP TABLE trips",
		"SELECT 1; DROP TABLE trips",
		"WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x",
		"SELECT update FROM t",
	} {
		fmt.Printf("%s: %v\n", sqlguard.Kind(text), sqlguard.Check(text))
	}
	fmt.Println(sqlguard.SecretCall("SELECT secret('scope', 'key')"))
	// Output:
	// SELECT: <nil>
	// SELECT: the text holds more than one statement ("DROP" at offset 10 follows a semicolon); send one statement per call
	// WITH: INSERT at offset 21 is not allowed after a WITH clause: only a query (SELECT, VALUES, TABLE, FROM or WITH) may stand there in read-only mode
	// SELECT: the word UPDATE at offset 7 can change state and is not allowed in read-only mode; if it is a column or table name, quote it with backticks (`update`)
	// the function secret at offset 7 returns a secret value, which this server hands out only when the user allowed secret values
}
