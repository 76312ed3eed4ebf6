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

// SetMaxResultBytes sets the cap of INLINE results until the returned func
// restores it.
func SetMaxResultBytes(n int64) (restore func()) {
	old := stmtMaxResultBytes
	stmtMaxResultBytes = n
	return func() { stmtMaxResultBytes = old }
}
