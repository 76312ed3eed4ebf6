package emulator

// RunningStatements counts the statements whose goroutine still runs, so
// tests can see a cancelled statement's goroutine end.
func RunningStatements(e *Emulator) int { return e.engine.runningStatements() }

// SetChunkBytes sets the chunk size of results until the returned func
// restores it.
func SetChunkBytes(n int) (restore func()) {
	old := stmtChunkBytes
	stmtChunkBytes = n
	return func() { stmtChunkBytes = old }
}
