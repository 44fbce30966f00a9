package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/internal/scenario"
	"github.com/werkstatt/werkstatt/projections"
)

// LargeSeries is the series `werkstatt bench --large` builds unless --series says otherwise:
// 440 workshops x 200 participants x 10 sessions are 1,020,360 events (issue #15, goal 4).
var LargeSeries = scenario.SeriesSize{Workshops: 440, Participants: 200, Sessions: 10, Feedback: 70}

// The goals for a log of a million events.
const (
	largeStartGoal     = 5 * time.Second // to ready with memory read models
	largeResidentGoal  = 150 << 20       // bytes resident with memory read models
	largePGRestartGoal = time.Second     // to ready from the PostgreSQL checkpoint
	largePGBuildGoal   = 0.8             // first PostgreSQL build against the raw batched upsert
)

const (
	// readyPoll is how often a starting child's /readyz is asked.
	readyPoll = 20 * time.Millisecond
	// settle is how long a ready child runs before its memory is read: what a service does
	// once after it is ready (the scheduled mails, the first health samples) is then in it.
	settle = 2 * time.Second
	// startLimit and stopLimit bound one start and one graceful stop of a child.
	startLimit = 30 * time.Minute
	stopLimit  = 2 * time.Minute
)

// Steady is how long after ready a child's resident memory is read a second time, the figure
// the goal is held against: by then nats-server has dropped the message blocks the replay read
// into its cache (after 10 s without reads) and the runtime has given back what the start
// needed. A variable for the tests.
var Steady = 20 * time.Second

// Instance is which service a child process runs.
type Instance int

const (
	EmptyLog             Instance = iota // the same binary on an empty log, memory read models
	MemoryReadModels                     // the bench's log, memory read models
	PostgreSQLReadModels                 // the bench's log, read models in an empty database
)

// Service is the command line of the service as a user runs it, without --addr: each start
// gets a free loopback port.
type Service struct {
	Path string   // the executable
	Args []string // its flags
	Env  []string // its whole environment
	Log  string   // the file its stdout and stderr are appended to; a failure shows its tail
}

// LargeEnv is what RunLarge measures, wired by cmd/werkstatt on a scratch data folder (or a
// scratch stream and databases on given servers).
type LargeEnv struct {
	Events *eventstore.Store // the instance's scratch stream, usable until Close
	Where  string            // where NATS runs, for the heading
	// RawReadModels opens empty PostgreSQL read models for the raw-upsert baseline and returns
	// a function that drops them; nil without PostgreSQL.
	RawReadModels func(ctx context.Context) (projections.Store, func(), error)
	// Close shuts the bench process's NATS connection and embedded server down, so that a
	// child can open the data folder.
	Close func()
	// Service returns the command line of instance and a function that removes what it made
	// for it (a scratch database), to call once its children are gone.
	Service func(ctx context.Context, instance Instance) (Service, func(), error)
}

// RunLarge builds a log of the series of size (LargeSeries: a million events) in the
// instance's scratch stream, then measures the service as a user runs it, in child processes:
// the time from exec to the first /readyz 200 with memory read models, at the first start and
// at a restart, against the raw ordered read of the same log; the resident memory of that
// process against an empty log's; and with PostgreSQL the first build of the read models
// against a raw batched upsert of the same rows, and a restart from the checkpoint. Each
// figure is printed beside its baseline or the goal.
func RunLarge(ctx context.Context, env LargeEnv, size scenario.SeriesSize, stdout io.Writer) (err error) {
	fmt.Fprintf(stdout, "werkstatt bench --large: %d cores, %s/%s, %s, %s\n\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), env.Where)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	defer func() { err = errors.Join(err, tw.Flush()) }() // what was measured shows on a failure too
	fmt.Fprintln(tw, "figure\twerkstatt\tbaseline or goal\tratio\t")

	log := scenario.Series(size)
	events := len(log)
	start := time.Now()
	commits, err := env.Events.Import(ctx, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(tw, "log: series %dx%dx%d, %d%% feedback\t%d events\t%d commits, published in %s\t\t\n", size.Workshops,
		size.Participants, size.Sessions, size.Feedback, events, commits, time.Since(start).Round(100*time.Millisecond))
	log = nil
	rate, err := MeasureRawRead(ctx, env.Events)
	if err != nil {
		return err
	}
	rawRead := time.Duration(float64(commits) / rate * float64(time.Second))
	var rawUpsertTook time.Duration
	if env.RawReadModels != nil {
		store, drop, err := env.RawReadModels(ctx)
		if err != nil {
			return err
		}
		took, ok, err := rawUpsert(ctx, env.Events, store)
		drop()
		if err != nil {
			return fmt.Errorf("raw batched upsert: %w", err)
		}
		if !ok {
			return errors.New("raw batched upsert: the read models have none")
		}
		rawUpsertTook = took
	}
	env.Close()
	debug.FreeOSMemory() // the log and the raw rows: the children should not compete with them

	empty, err := measureService(ctx, env, EmptyLog, false)
	if err != nil {
		return fmt.Errorf("empty log: %w", err)
	}
	mem, err := measureService(ctx, env, MemoryReadModels, true)
	if err != nil {
		return fmt.Errorf("memory read models: %w", err)
	}
	for _, s := range []struct {
		name string
		took time.Duration
	}{{"first start to ready, memory read models", mem.first}, {"restart to ready, memory read models", mem.restart}} {
		fmt.Fprintf(tw, "%s\t%s\t%s (raw ordered read of the log)\t%.2f\t\n", s.name, round(s.took), round(rawRead), rawRead.Seconds()/s.took.Seconds())
		fmt.Fprintf(tw, "%s\t%s\t%s (issue's goal)\t%.2f\t\n", s.name, round(s.took), largeStartGoal, s.took.Seconds()/largeStartGoal.Seconds())
	}
	for _, r := range []struct {
		name string
		mem  resident
	}{{"resident memory, memory read models", mem.firstMem}, {"resident memory after restart, memory read models", mem.restartMem}} {
		fmt.Fprintf(tw, "%s\t%s (peak %s); %s after %s\t%s (issue's goal)\t%.2f\t\n", r.name, mib(r.mem.rss), mib(r.mem.hwm),
			mib(r.mem.steady), Steady, mib(largeResidentGoal), float64(r.mem.steady)/largeResidentGoal)
	}
	fmt.Fprintf(tw, "resident memory, empty log\t%s (peak %s); %s after %s\t\t\t\n", mib(empty.firstMem.rss), mib(empty.firstMem.hwm),
		mib(empty.firstMem.steady), Steady)
	fmt.Fprintf(tw, "resident memory per event after %s, memory read models\t%d B\t%d B above the empty log\t\t\n", Steady,
		mem.firstMem.steady/uint64(max(events, 1)), (int64(mem.firstMem.steady)-int64(empty.firstMem.steady))/int64(max(events, 1)))
	if env.RawReadModels == nil {
		return nil
	}
	pg, err := measureService(ctx, env, PostgreSQLReadModels, true)
	if err != nil {
		return fmt.Errorf("PostgreSQL read models: %w", err)
	}
	ours, raw := float64(events)/pg.first.Seconds(), float64(events)/rawUpsertTook.Seconds()
	fmt.Fprintf(tw, "first build to ready, PostgreSQL read models\t%s events/s (%s)\t%s events/s (raw batched upsert of the same rows, %s; goal %.1f)\t%.2f\t\n",
		human(ours), round(pg.first), human(raw), round(rawUpsertTook), largePGBuildGoal, ours/raw)
	fmt.Fprintf(tw, "restart to ready, PostgreSQL read models\t%s\t%s (issue's goal)\t%.2f\t\n", round(pg.restart), largePGRestartGoal,
		pg.restart.Seconds()/largePGRestartGoal.Seconds())
	fmt.Fprintf(tw, "resident memory after the first build, PostgreSQL read models\t%s (peak %s)\t\t\t\n", mib(pg.firstMem.rss), mib(pg.firstMem.hwm))
	fmt.Fprintf(tw, "resident memory after restart, PostgreSQL read models\t%s (peak %s)\t\t\t\n", mib(pg.restartMem.rss), mib(pg.restartMem.hwm))
	return nil
}

// started is what measureService measured of one instance.
type started struct {
	first, restart       time.Duration // from exec to the first /readyz 200
	firstMem, restartMem resident      // settle after ready
}

// measureService starts instance, times it to ready and reads its memory; with restart it
// stops it with SIGTERM and does the same again.
func measureService(ctx context.Context, env LargeEnv, instance Instance, restart bool) (started, error) {
	var m started
	svc, cleanup, err := env.Service(ctx, instance)
	if err != nil {
		return m, err
	}
	defer cleanup()
	runs := []struct {
		took *time.Duration
		mem  *resident
	}{{&m.first, &m.firstMem}}
	if restart {
		runs = append(runs, struct {
			took *time.Duration
			mem  *resident
		}{&m.restart, &m.restartMem})
	}
	for _, r := range runs {
		c, took, err := startChild(ctx, svc)
		if err != nil {
			return m, err
		}
		*r.took = took
		if *r.mem, err = c.settled(ctx); err != nil {
			c.kill()
			return m, err
		}
		if err := c.stop(ctx); err != nil {
			return m, err
		}
	}
	return m, nil
}

// child is a service process started by startChild.
type child struct {
	cmd  *exec.Cmd
	log  string
	url  string
	done chan struct{} // closed when the process is gone; then err holds how it ended
	err  error
}

// startChild runs svc on a free loopback port and returns once its /readyz answered 200, with
// the time from exec to that answer. The process is killed when ctx ends.
func startChild(ctx context.Context, svc Service) (*child, time.Duration, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, 0, err
	}
	f, err := os.OpenFile(svc.Log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close() // the child has its own descriptor
	cmd := exec.CommandContext(ctx, svc.Path, append(slices.Clone(svc.Args), "--addr", addr)...)
	cmd.Env = svc.Env
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = childAttr()
	c := &child{cmd: cmd, log: svc.Log, url: "http://" + addr, done: make(chan struct{})}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	go func() { c.err = cmd.Wait(); close(c.done) }()
	took, err := c.waitReady(ctx, start)
	if err != nil {
		c.kill()
		return nil, 0, err
	}
	return c, took, nil
}

// waitReady asks /readyz every readyPoll until it answers 200 and returns the time since
// start. Before the read models caught up the service does not listen at all.
func (c *child) waitReady(ctx context.Context, start time.Time) (time.Duration, error) {
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	tick := time.NewTicker(readyPoll)
	defer tick.Stop()
	limit := time.NewTimer(startLimit)
	defer limit.Stop()
	for {
		if resp, err := client.Get(c.url + "/readyz"); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(start), nil
			}
		}
		select {
		case <-c.done:
			return 0, c.failed("exited before it was ready")
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-limit.C:
			return 0, c.failed(fmt.Sprintf("not ready after %s", startLimit))
		case <-tick.C:
		}
	}
}

// resident is a process's resident memory now and at its peak, in bytes.
type resident struct{ rss, hwm, steady uint64 }

// settled waits settle and reads the child's resident memory (VmRSS, VmHWM of /proc/PID/status),
// then waits until Steady after ready and reads VmRSS again.
func (c *child) settled(ctx context.Context) (resident, error) {
	select {
	case <-time.After(settle):
	case <-c.done:
		return resident{}, c.failed("exited while running")
	case <-ctx.Done():
		return resident{}, ctx.Err()
	}
	r, err := c.status()
	if err != nil {
		return r, err
	}
	r.steady = r.rss
	if Steady > settle {
		select {
		case <-time.After(Steady - settle):
		case <-c.done:
			return resident{}, c.failed("exited while running")
		case <-ctx.Done():
			return resident{}, ctx.Err()
		}
		later, err := c.status()
		if err != nil {
			return resident{}, err
		}
		r.steady = later.rss
	}
	return r, nil
}

// status reads the child's resident memory now and at its peak.
func (c *child) status() (resident, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		return resident{}, fmt.Errorf("resident memory (Linux only): %w", err)
	}
	var r resident
	for line := range strings.Lines(string(b)) {
		name, value, _ := strings.Cut(line, ":")
		dst := map[string]*uint64{"VmRSS": &r.rss, "VmHWM": &r.hwm}[name]
		if dst == nil {
			continue
		}
		kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			return r, fmt.Errorf("%s in /proc/%d/status: %q", name, c.cmd.Process.Pid, value)
		}
		*dst = kb << 10
	}
	if r.rss == 0 {
		return r, fmt.Errorf("no VmRSS in /proc/%d/status", c.cmd.Process.Pid)
	}
	return r, nil
}

// stop ends the child with SIGTERM, as an orchestrator does, and waits until it exited; a
// graceful stop exits 0.
func (c *child) stop(ctx context.Context) error {
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		c.kill()
		return err
	}
	select {
	case <-c.done:
		if c.err != nil {
			return c.failed("did not stop cleanly")
		}
		return nil
	case <-time.After(stopLimit):
		c.kill()
		return c.failed(fmt.Sprintf("did not stop within %s of SIGTERM", stopLimit))
	case <-ctx.Done():
		c.kill()
		return ctx.Err()
	}
}

// kill ends the child at once, if it still runs, and waits until it is gone.
func (c *child) kill() {
	select {
	case <-c.done:
	default:
		c.cmd.Process.Kill()
		<-c.done
	}
}

// failed describes what went wrong with the child, with how it ended and the tail of its log.
func (c *child) failed(what string) error {
	select {
	case <-c.done:
		what = fmt.Sprintf("%s (%v)", what, c.err)
	default:
	}
	return fmt.Errorf("%s %s; the end of %s:\n%s", c.cmd.Path, what, c.log, tail(c.log, 20))
}

// tail returns the last n lines of the file at path.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}

// freeAddr returns a loopback address with a port that is free now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// round keeps three digits or so of a duration.
func round(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(10 * time.Millisecond)
}

func mib(b uint64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }
