// Package emulator is an in-memory, stateful Databricks workspace served over
// real HTTP. It speaks the REST protocol (paths, field names, status codes
// and error bodies) of every API area the client declares — clusters,
// pools, policies, libraries, secrets, tokens, the workspace tree, repos,
// DBFS, volume files, SCIM identities, permissions, jobs, SQL warehouses,
// statement execution, query history and Unity Catalog — so that the MCP server and its tests
// can run end to end without a cloud account. Each area registers its
// routes from its own file (declareArea); the coverage test keeps every
// declared operation emulated.
//
// The emulator decodes and encodes the wire by the REST field names on its
// own and keeps its own state records. It deliberately does not share types
// with the client package: a wrong JSON tag there must make end-to-end tests
// fail instead of being mirrored here.
//
// Resources of the common Databricks shape (a keyed record with create, get,
// list, update and delete) live in declared stores (store.go): an area
// states its fields, key, paging and errors once, then one line per route,
// and writes code only for its real behaviour, as hooks.
//
// Cluster state changes that take time on a real workspace (PENDING to
// RUNNING, TERMINATING to TERMINATED, ...) are computed from timestamps when
// a cluster is read, so the emulator runs no timers; only SQL statements run
// in goroutines of their own, on an embedded SQLite engine (statements.go).
package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Default delays of the cluster state machine, chosen to be long enough for
// a caller to observe the intermediate states and short enough for demos.
const (
	DefaultClusterStartDelay = 3 * time.Second
	DefaultClusterStopDelay  = 1 * time.Second
)

// UserName is the identity every authenticated caller acts as. The emulated
// user is a workspace admin, as admins may manage every secret scope and
// cluster regardless of ACLs.
const UserName = "emulator-user@example.com"

// userID is the numeric id the workspace gives UserName; Databricks reports
// pinned_by_user_name as such an id rather than as the user name.
const userID = "4217355806423851"

// Options configures an Emulator. The zero value is usable.
type Options struct {
	// Token, if non-empty, is the only static bearer token accepted (tokens
	// created through /api/2.0/token/create are accepted too). If empty, any
	// non-empty bearer token is accepted except revoked or expired ones.
	Token string
	// ClusterStartDelay is how long PENDING, RESTARTING and RESIZING last
	// before a cluster is RUNNING. Zero means DefaultClusterStartDelay; a
	// negative value makes the transition immediate. It also paces job runs:
	// a run's setup and each task take one delay (jobs.go).
	ClusterStartDelay time.Duration
	// ClusterStopDelay is how long TERMINATING lasts before TERMINATED. Zero
	// means DefaultClusterStopDelay; a negative value makes it immediate.
	ClusterStopDelay time.Duration
	// Now is the clock; tests set it to move time without sleeping. Nil
	// means time.Now.
	Now func() time.Time
	// Logger receives one debug record per request (never bodies or
	// headers). Nil discards logs.
	Logger *slog.Logger
	// StarterWarehouse starts the workspace with a RUNNING SQL warehouse
	// (StarterWarehouseName), as new Databricks workspaces come with one,
	// so that a first query has somewhere to run. Tests that want an empty
	// start leave it off.
	StarterWarehouse bool
}

// Emulator is the emulated workspace. It is an http.Handler and is safe for
// concurrent use.
type Emulator struct {
	opts   Options
	logger *slog.Logger
	routes []route
	// declaring is set while declare runs, which sorts the routes once at
	// its end rather than on every addition.
	declaring bool
	// rawRoutes serve the operations that are not JSON calls (rawroute.go).
	rawRoutes []rawRoute

	mu       sync.Mutex
	stores   map[string]*store
	clusters map[string]*cluster
	scopes   *store          // secret scopes; a scope's state is its *secretScope
	tokens   *store          // personal access tokens
	revoked  map[string]bool // ids of deleted tokens
	jobs     *jobsState      // the Jobs API's jobs and runs (jobs.go)
	ws       *wsTree         // the workspace file tree and its Git folders (workspace.go, repos.go)
	iam      *iam            // users, groups, service principals and object permissions

	// engine runs statement execution's SQL; it has its own locking.
	engine sqlEngine
}

// New returns an empty workspace configured by opts.
func New(opts Options) *Emulator {
	if opts.ClusterStartDelay == 0 {
		opts.ClusterStartDelay = DefaultClusterStartDelay
	}
	if opts.ClusterStopDelay == 0 {
		opts.ClusterStopDelay = DefaultClusterStopDelay
	}
	opts.ClusterStartDelay = max(opts.ClusterStartDelay, 0)
	opts.ClusterStopDelay = max(opts.ClusterStopDelay, 0)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	e := &Emulator{
		opts:     opts,
		logger:   logger,
		stores:   map[string]*store{},
		clusters: map[string]*cluster{},
		revoked:  map[string]bool{},
	}
	e.declare()
	if opts.StarterWarehouse {
		e.seedStarterWarehouse()
	}
	return e
}

// Close releases the emulator's resources: it cancels running statements
// and closes the SQL engine's database (state transitions are otherwise
// computed lazily, with no timers to stop). It is safe to call more than
// once.
func (e *Emulator) Close() { e.engine.close() }

func (e *Emulator) now() time.Time { return e.opts.Now() }

// Server is an Emulator listening on a TCP address.
type Server struct {
	opts Options
	// emu is the workspace, built on first use (emulator).
	emu      atomic.Pointer[Emulator]
	mu       sync.Mutex // held while emu is built, and to set closed
	closed   bool
	srv      *http.Server
	listener net.Listener
	served   chan struct{}
	stop     chan struct{}
	once     sync.Once
	closeErr error
}

// Start listens on addr (for example "127.0.0.1:0") and serves a new
// Emulator configured by opts until ctx is done or Close is called. The
// workspace is built on first use, by the first request or call of
// Emulator: a server that starts one for its tools (serve --emulator)
// answers its client's first tools/list, which needs no workspace, without
// paying for it or sharing the processor with its building.
func Start(ctx context.Context, addr string, opts Options) (*Server, error) {
	// Plain TCP: Go listens with Multipath TCP by default where the
	// kernel has it, which probes for it and sets up a costlier socket
	// (the probe, ~0.15 ms, is on the start-up path) for paths an emulated
	// workspace never uses.
	var lc net.ListenConfig
	lc.SetMultipathTCP(false)
	l, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("emulator: listen on %s: %w", addr, err)
	}
	s := &Server{
		opts:     opts,
		srv:      &http.Server{ReadHeaderTimeout: 10 * time.Second},
		listener: l,
		served:   make(chan struct{}),
		stop:     make(chan struct{}),
	}
	s.srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.emulator().ServeHTTP(w, r) })
	go func() {
		defer close(s.served)
		if err := s.srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			if log := opts.Logger; log != nil {
				log.Error("emulator server stopped", "err", err)
			}
		}
	}()
	go func() {
		select {
		case <-ctx.Done():
			_ = s.Close()
		case <-s.stop:
		}
	}()
	return s, nil
}

// emulator returns the workspace, building it on the first call. One
// built after Close (by a request that was already being read) is closed
// at once.
func (s *Server) emulator() *Emulator {
	if e := s.emu.Load(); e != nil {
		return e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.emu.Load(); e != nil {
		return e
	}
	e := New(s.opts)
	s.emu.Store(e)
	if s.closed {
		e.Close()
	}
	return e
}

// URL is the base URL of the workspace, such as "http://127.0.0.1:41234".
func (s *Server) URL() string { return "http://" + s.listener.Addr().String() }

// Addr is the host:port the server listens on.
func (s *Server) Addr() string { return s.listener.Addr().String() }

// Emulator is the workspace the server serves, for inspecting or seeding
// it; it is built by the first call, if no request has built it yet.
func (s *Server) Emulator() *Emulator { return s.emulator() }

// Close stops the server, closing open connections, and waits until it has
// stopped serving. It is safe to call more than once.
func (s *Server) Close() error {
	s.once.Do(func() {
		close(s.stop)
		err := s.srv.Close()
		<-s.served
		s.mu.Lock()
		s.closed = true
		e := s.emu.Load()
		s.mu.Unlock()
		if e != nil {
			e.Close()
		}
		if err != nil {
			s.closeErr = fmt.Errorf("emulator: close server: %w", err)
		}
	})
	return s.closeErr
}
