package main

import (
	"io"
	"os"
	"syscall"
)

// pollStdin returns stdin as a file that waits for input in Go's network
// poller, when it is a pipe or a socket in blocking mode, as an MCP
// client's is; otherwise it returns in unchanged. A blocking read holds a
// thread in the kernel between requests, and the runtime's monitor then
// takes its processor away and hands it on, a thread wake-up or two per
// request; in the poller, the read parks only the goroutine, and the
// request that arrives runs on the thread that was already awake.
//
// The non-blocking mode belongs to the pipe's open description, which a
// process that handed us the same pipe would see too: restore puts it back
// to blocking once serving is over (a process killed outright cannot).
// Terminals and files are left alone: a terminal's description is the
// shell's, and a file read never waits.
// (Linux only: on Darwin, kqueue does not report a pipe's writer closing.)
func pollStdin(in io.Reader) (r io.Reader, restore func()) {
	restore = func() {}
	if in != os.Stdin || !pollableFd(0) {
		return in, restore
	}
	fd, err := syscall.Dup(0)
	if err != nil {
		return in, restore
	}
	syscall.CloseOnExec(fd)
	if err := syscall.SetNonblock(fd, true); err != nil {
		syscall.Close(fd)
		return in, restore
	}
	f := os.NewFile(uintptr(fd), "/dev/stdin")
	return f, func() {
		// Closed first, so that a read still waiting on it ends at once
		// rather than in a blocking read once the mode is back.
		_ = f.Close()
		_ = syscall.SetNonblock(0, false)
	}
}

// pollableFd reports whether fd is a pipe or a socket in blocking mode.
func pollableFd(fd int) bool {
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil {
		return false
	}
	if t := st.Mode & syscall.S_IFMT; t != syscall.S_IFIFO && t != syscall.S_IFSOCK {
		return false
	}
	flags, _, errno := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETFL, 0)
	return errno == 0 && flags&syscall.O_NONBLOCK == 0
}
