package sqlguard

import (
	"errors"
	"strings"
	"testing"
)

// allowedTexts are read-only statements Check must let through.
var allowedTexts = []string{
	"SELECT 1",
	"select 1",
	"SeLeCt 1",
	"SELECT 1;",
	"SELECT 1;;",
	"SELECT 1; -- done\n",
	"SELECT 1; /* done */  \n\t",
	"SELECT 1 /* ; DROP TABLE t */",
	"SELECT 1 -- ; DROP TABLE t",
	"SELECT ';DROP TABLE t'",
	`SELECT ";DROP TABLE t"`,
	"SELECT * FROM t WHERE a = 'x'';DROP'",
	`SELECT 'a\\', "b\\", 'tab\there', 'it''s'`,
	`SELECT "x"";DROP"`,
	`SELECT r'C:\path\'`,
	`SELECT R"C:\dir\"`,
	`SELECT r'\', 'a'`,
	"SELECT `a;b` FROM `my;table`",
	"SELECT `we``ird;DROP TABLE t` FROM t",
	"SELECT `update` FROM t",
	"SELECT t.update FROM t",
	"SELECT update.x FROM t AS update",
	"SELECT a AS delete FROM t",
	"SELECT replace('a', 'b', 'c')",
	"SELECT REPLACE(name, 'x', '') AS replaced FROM t",
	"SELECT 1 /* a /* b */ ; DROP TABLE t */",
	"/* a /* b */ still comment */ SELECT 1",
	"(SELECT 1)",
	"((SELECT 1))",
	"(SELECT 1) UNION (SELECT 2)",
	"(SELECT 1) UNION ALL SELECT 2 ORDER BY 1",
	"WITH x AS (SELECT 1) SELECT * FROM x",
	"WITH x (SELECT 1) SELECT * FROM x",
	"WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r",
	"WITH\n  a AS (\n    SELECT id FROM t\n  ),\n  b AS (\n    SELECT id FROM a\n  )\nSELECT *\nFROM b\n",
	"WITH `x;y` AS (SELECT 1) SELECT * FROM `x;y`",
	"WITH x AS (SELECT 1) VALUES (1)",
	"WITH x AS (SELECT 1) TABLE x",
	"WITH x AS (SELECT 1) (SELECT * FROM x)",
	"WITH x AS (SELECT 1) FROM x SELECT *",
	"VALUES (1, 'a'), (2, 'b')",
	"TABLE main.default.t",
	"FROM t SELECT a, b WHERE a > 1",
	"SHOW TABLES",
	"SHOW TABLES IN main.default LIKE 'x*'",
	"SHOW CREATE TABLE t",
	"SHOW GRANTS ON TABLE t",
	"SHOW TBLPROPERTIES t",
	"DESCRIBE t",
	"DESC t",
	"DESCRIBE TABLE EXTENDED t",
	"DESCRIBE FUNCTION EXTENDED upper",
	"DESCRIBE SCHEMA main.default",
	"DESCRIBE DATABASE default",
	"DESCRIBE CATALOG main",
	"DESCRIBE VOLUME main.default.v",
	"DESCRIBE HISTORY t",
	"DESCRIBE DETAIL t",
	"DESCRIBE QUERY SELECT * FROM t",
	"DESCRIBE QUERY WITH x AS (SELECT 1) SELECT * FROM x",
	"DESCRIBE SELECT 1",
	"EXPLAIN SELECT 1",
	"EXPLAIN EXTENDED SELECT * FROM t",
	"EXPLAIN CODEGEN SELECT 1",
	"EXPLAIN COST SELECT 1",
	"EXPLAIN FORMATTED WITH x AS (SELECT 1) SELECT * FROM x",
	"EXPLAIN EXPLAIN SELECT 1",
	"LIST '/Volumes/main/default/v/'",
	"SELECT /*+ BROADCAST(t) */ * FROM t",
	"SELECT /*+ REPARTITION(3), COALESCE(2) */ a FROM t",
	"SELECT naïve, 名前 FROM données",
	"SELECT 1\u00a0FROM\u3000t",
	"SELECT secret('scope', 'key')",
	"SELECT * FROM t WHERE op = 'DELETE' AND note = '/* not a comment'",
	"SELECT 1 -- trailing \\ backslash not at the end of the line\n",
	"SELECT x -> x + 1, transform(a, x -> x * 2) FROM t",
	"SELECT * FROM t VERSION AS OF 3",
	"SELECT * FROM t WHERE id IN (SELECT id FROM u)",
	"SELECT :param, ? FROM t",
	"SELECT X'41', DATE '2024-01-01'",
	"SELECT 'a' 'b'",
}

// refusedTexts are statements Check must refuse.
var refusedTexts = []string{
	"",
	"   \n\t",
	"-- only a comment",
	"/* only */ /* comments */",
	";",
	"SELECT 1; DROP TABLE t",
	"SELECT 1;DROP TABLE t",
	"SELECT 1 -- ;\n; DROP TABLE t",
	"SELECT 1 /* ; */; DROP TABLE t",
	"SELECT 1; SELECT 2",
	"/* */ DROP TABLE t",
	"/* a /* b */ */ DROP TABLE t",
	"/* a /* b */ DROP TABLE t",
	"SELECT 1 /* a /* b */ */ ; DROP TABLE t",
	"SELECT 1 /* /*+ */ ; DROP TABLE t -- */",
	"SELECT 'unterminated",
	`SELECT 'escaped quote at the end\'`,
	`SELECT "unterminated`,
	`SELECT * FROM t WHERE a = 'x\';DROP'`,
	`SELECT "a\"; DROP TABLE t; --"`,
	`SELECT 'a\\\'; DROP TABLE t; --'`,
	"SELECT * FROM s3://bucket/--; DROP TABLE t",
	"SELECT show drop FROM t",
	"SELECT `unterminated",
	"SELECT 1 /* unterminated",
	"SELECT /*+ BROADCAST(t) FROM t",
	"SELECT /*+ a /*+ b */ */ 1",
	"SELECT 1 -- x \\\n; DROP TABLE t",
	`SELECT r'\'; DROP TABLE t; --'`,
	"DROP TABLE t",
	"drop table t",
	"INSERT INTO t VALUES (1)",
	"INSERT OVERWRITE t SELECT 1",
	"UPDATE t SET a = 1",
	"DELETE FROM t",
	"MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE",
	"CREATE TABLE t (a INT)",
	"CREATE OR REPLACE VIEW v AS SELECT 1",
	"ALTER TABLE t ADD COLUMN b INT",
	"TRUNCATE TABLE t",
	"GRANT SELECT ON TABLE t TO `a@b.c`",
	"REVOKE SELECT ON TABLE t FROM `a@b.c`",
	"COPY INTO t FROM '/Volumes/x' FILEFORMAT = CSV",
	"OPTIMIZE t",
	"VACUUM t",
	"REFRESH TABLE t",
	"CACHE TABLE t",
	"UNCACHE TABLE t",
	"MSCK REPAIR TABLE t",
	"RESTORE TABLE t TO VERSION AS OF 1",
	"SET spark.sql.ansi.enabled = true",
	"RESET",
	"USE CATALOG main",
	"CALL p()",
	"EXECUTE IMMEDIATE 'DROP TABLE t'",
	"DECLARE VARIABLE v INT",
	"ANALYZE TABLE t COMPUTE STATISTICS",
	"ADD JAR '/x.jar'",
	"REPAIR TABLE t",
	"WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x",
	"WITH x AS (SELECT 1) DELETE FROM t",
	"WITH x AS (SELECT 1) (INSERT INTO t SELECT 1)",
	"WITH x AS (SELECT 1)",
	"WITH x SELECT 1",
	"EXPLAIN DROP TABLE t",
	"EXPLAIN EXTENDED INSERT INTO t VALUES (1)",
	"EXPLAIN",
	"DESCRIBE QUERY DELETE FROM t",
	"DESCRIBE QUERY",
	"DESCRIBE (DROP TABLE t)",
	"(DROP TABLE t)",
	"(SHOW TABLES)",
	"FROM s INSERT INTO t SELECT *",
	"SELECT update FROM t",
	"SELECT a FROM delete",
	"SELECT * FROM t WHERE x = 1 OR DROP",
	"SELECT 1 FROM t CREATE",
	"SELECT replace TABLE t",
	"SELECT http_request(conn => 'c', method => 'GET', path => '/')",
	"SELECT reflect('java.lang.Runtime', 'getRuntime')",
	"SELECT JAVA_METHOD('java.lang.System', 'exit', 0)",
	"SELECT try_reflect('a', 'b')",
	"SELECT `reflect`('a', 'b')",
	"SELECT system.builtin.http_request('c')",
	"SELECT IDENTIFIER('reflect')('a', 'b')",
	"SELECT TRANSFORM(a) USING 'cat' AS (b) FROM t",
	"SELECT (1",
	"SELECT 1)",
	"'just a string'",
	"42",
	"SELECT 1 \ufeff; DROP TABLE t",
	"SELECT $$ ' $$; DROP TABLE t; --'",
	"SELECT ${x}",
	"SELECT $1",
}

func TestCheckAllows(t *testing.T) {
	for _, text := range allowedTexts {
		if err := Check(text); err != nil {
			t.Errorf("Check(%q) = %v, want nil", text, err)
		}
	}
}

func TestCheckRefuses(t *testing.T) {
	for _, text := range refusedTexts {
		err := Check(text)
		var r *Refusal
		if !errors.As(err, &r) {
			t.Errorf("Check(%q) = %v, want a *Refusal", text, err)
			continue
		}
		if r.Offset < -1 || r.Offset > len(text) {
			t.Errorf("Check(%q) offset %d outside [-1, %d]", text, r.Offset, len(text))
		}
		if r.Reason == "" || r.Error() != r.Reason {
			t.Errorf("Check(%q): Reason %q, Error() %q", text, r.Reason, r.Error())
		}
	}
}

// TestCheckReasons pins what a refusal names, since the model acts on the sentence.
func TestCheckReasons(t *testing.T) {
	tests := []struct {
		text   string
		offset int
		want   []string
	}{
		{"SELECT 1; DROP TABLE t", 10, []string{"more than one statement"}},
		{"SELECT 1;DROP TABLE t", 9, []string{"more than one statement"}},
		{"", -1, []string{"no statement"}},
		{"DROP TABLE t", 0, []string{"DROP"}},
		{"  insert into t values (1)", 2, []string{"INSERT"}},
		{"COPY INTO t FROM 'x'", 0, []string{"COPY INTO"}},
		{"EXECUTE IMMEDIATE 'x'", 0, []string{"EXECUTE IMMEDIATE"}},
		{"WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", 21, []string{"INSERT", "WITH"}},
		{"EXPLAIN DROP TABLE t", 8, []string{"DROP", "EXPLAIN"}},
		{"DESCRIBE QUERY DELETE FROM t", 15, []string{"DELETE", "DESCRIBE QUERY"}},
		{"SELECT update FROM t", 7, []string{"UPDATE", "backticks", "`update`"}},
		{"SELECT 'abc", 7, []string{"string", "never closed"}},
		{"SELECT `abc", 7, []string{"identifier", "never closed"}},
		{"SELECT 1 /* a /* b */", 9, []string{"comment", "never closed"}},
		{"SELECT http_request('c')", 7, []string{"http_request", "side effects"}},
		{"SELECT (1", 7, []string{"parenthesis"}},
		{"SELECT 1 -- x \\\nFROM t", 14, []string{"backslash"}},
		{`SELECT 'it\'s'`, 10, []string{"escaped quote", "''"}},
		{"SELECT * FROM s3://b/x", 14, []string{"s3://", "backticks"}},
		{"SELECT 1 /* /*+ */ */", 12, []string{"/*+", "ambiguous"}},
		{"WITH x AS (SELECT 1)", 19, []string{"WITH"}},
		{"SELECT IDENTIFIER('reflect')('a')", 7, []string{"IDENTIFIER"}},
		{"SELECT TRANSFORM(a) USING 'cat' FROM t", 20, []string{"USING", "script"}},
	}
	for _, tt := range tests {
		err := Check(tt.text)
		var r *Refusal
		if !errors.As(err, &r) {
			t.Errorf("Check(%q) = %v, want a *Refusal", tt.text, err)
			continue
		}
		if r.Offset != tt.offset {
			t.Errorf("Check(%q) offset = %d, want %d (%s)", tt.text, r.Offset, tt.offset, r.Reason)
		}
		for _, w := range tt.want {
			if !strings.Contains(r.Reason, w) {
				t.Errorf("Check(%q) reason %q lacks %q", tt.text, r.Reason, w)
			}
		}
	}
}

func TestSecretCall(t *testing.T) {
	tests := []struct {
		text    string
		refused bool
	}{
		{"SELECT secret('s', 'k')", true},
		{"SELECT SECRET('s', 'k')", true},
		{"SELECT try_secret('s', 'k')", true},
		{"SELECT system.builtin.secret('s', 'k')", true},
		{"SELECT `secret`('s', 'k')", true},
		{`SELECT "secret"('s', 'k')`, true},
		{"SELECT upper(concat('x', lower(secret /* c */ ('s', 'k'))))", true},
		{"INSERT INTO t SELECT secret('s', 'k')", true},
		{"SELECT 1; SELECT secret('s', 'k')", true},
		{"SELECT IDENTIFIER('secret')('s', 'k')", true},
		{"EXECUTE IMMEDIATE 'SELECT sec' || 'ret(1, 2)'", true},
		{"SELECT 'unterminated", true},
		{"SELECT 1", false},
		{"SELECT secret FROM t", false},
		{"SELECT 'secret(1, 2)'", false},
		{"SELECT `secret` FROM t", false},
		{"SELECT * FROM IDENTIFIER('t')", false},
		{"SELECT 1 -- secret('s', 'k')", false},
		{"SELECT secrets('s')", false},
		{"DROP TABLE secret", false},
		{"SELECT $$ ' $$, secret('s', 'k') --'", true},
		{"SELECT '$$', 'secret(1)', '$$'", false},
		{"SELECT $x$ unclosed", true},
		{"SELECT 1 AS `$$`", false},
	}
	for _, tt := range tests {
		err := SecretCall(tt.text)
		var r *Refusal
		if got := errors.As(err, &r); got != tt.refused {
			t.Errorf("SecretCall(%q) = %v, want refused %v", tt.text, err, tt.refused)
		}
		if err != nil && r == nil {
			t.Errorf("SecretCall(%q) returned %T %v, want a non-nil *Refusal", tt.text, err, err)
		}
	}
	if err := Check("SELECT secret('s','k')"); err != nil {
		t.Errorf("Check allows secret(): it is SecretCall's to refuse, got %v", err)
	}
}

func TestKind(t *testing.T) {
	tests := []struct{ text, want string }{
		{"", ""},
		{"-- c\n/* d */", ""},
		{"SELECT 1", "SELECT"},
		{"  /* c */ ((select 1))", "SELECT"},
		{"with x as (select 1) insert into t select 1", "WITH"},
		{"desc t", "DESCRIBE"},
		{"Describe t", "DESCRIBE"},
		{"show tables", "SHOW"},
		{"explain select 1", "EXPLAIN"},
		{"values (1)", "VALUES"},
		{"insert into t values (1)", "INSERT"},
		{"-- x\nCREATE TABLE t (a INT)", "CREATE"},
		{"'a string'", ""},
		{"SELECT 'unterminated", "SELECT"},
	}
	for _, tt := range tests {
		if got := Kind(tt.text); got != tt.want {
			t.Errorf("Kind(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestDeepNesting guards against recursion: 100 000 levels must neither overflow the
// stack nor change the verdict.
func TestDeepNesting(t *testing.T) {
	const n = 100000
	tests := []struct {
		text    string
		allowed bool
	}{
		{"SELECT " + strings.Repeat("(", n) + "1" + strings.Repeat(")", n), true},
		{strings.Repeat("(", n) + "SELECT 1" + strings.Repeat(")", n), true},
		{strings.Repeat("EXPLAIN ", n) + "SELECT 1", true},
		{strings.Repeat("EXPLAIN ", n) + "DROP TABLE t", false},
		{strings.Repeat("/*", n) + strings.Repeat("*/", n) + "SELECT 1", true},
		{strings.Repeat("/*", n) + strings.Repeat("*/", n-1) + "SELECT 1", false},
		{"SELECT " + strings.Repeat("(", n) + "1", false},
		{"SELECT " + strings.Repeat("(", n) + "1" + strings.Repeat(")", n) + "; DROP TABLE t", false},
		{strings.Repeat("(", n) + "DELETE FROM t" + strings.Repeat(")", n), false},
	}
	for i, tt := range tests {
		if err := Check(tt.text); (err == nil) != tt.allowed {
			t.Errorf("case %d: Check = %v, want allowed %v", i, err, tt.allowed)
		}
		if err := SecretCall(tt.text); tt.allowed && err != nil {
			t.Errorf("case %d: SecretCall = %v, want nil", i, err)
		}
	}
}

// BenchmarkCheck measures a large query; its ns/op growing in step with the input is
// the linear-time promise (compare -bench with the size changed), not a timed test.
func BenchmarkCheck(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("SELECT ")
	for i := 0; i < 20000; i++ {
		sb.WriteString("replace(`col;x`, 'a''b', r'\\') /* c /* d */ */ + t.update,\n")
	}
	sb.WriteString("1 FROM t -- end")
	text := sb.String()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if err := Check(text); err != nil {
			b.Fatal(err)
		}
	}
}
