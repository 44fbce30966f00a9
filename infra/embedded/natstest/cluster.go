package natstest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Cluster is a JetStream cluster of three nats-server processes of the go.mod version on
// loopback, each with a store directory of its own, as production runs it (three nodes, stream
// replicas 3). A test may kill one node (SIGKILL) and start it again.
type Cluster struct {
	t     testing.TB
	mu    sync.Mutex
	nodes []*clusterNode
}

type clusterNode struct {
	name string // server_name, what StreamInfo's Cluster.Leader names
	url  string
	conf string
	cmd  *exec.Cmd
	done chan struct{} // closed once cmd has exited
	out  *syncBuffer   // what it printed
}

// StartCluster starts a three-node cluster and waits until it has a JetStream meta leader and
// every node answers JetStream requests. It stops when the test ends. When nats-server cannot
// be built the test is skipped, or fails under CI=true. A node that exits while starting (its
// port, free a moment before, taken by another process meanwhile) has the cluster started
// again on other ports, up to three times.
func StartCluster(t testing.TB) *Cluster {
	t.Helper()
	Process(t) // builds the binary once
	var err error
	for attempt := 1; attempt <= 3; attempt++ {
		var c *Cluster
		if c, err = startCluster(t); err == nil {
			return c
		}
		t.Logf("starting the cluster, attempt %d: %v", attempt, err)
	}
	t.Fatalf("starting the cluster: %v", err)
	return nil
}

func startCluster(t testing.TB) (*Cluster, error) {
	const n = 3
	client, routes := make([]int, n), make([]int, n)
	for i := range n {
		var err error
		if client[i], err = freePort(); err == nil {
			routes[i], err = freePort()
		}
		if err != nil {
			return nil, fmt.Errorf("free port: %w", err)
		}
	}
	var routeURLs []string
	for _, p := range routes {
		routeURLs = append(routeURLs, fmt.Sprintf("nats-route://127.0.0.1:%d", p))
	}
	c := &Cluster{t: t}
	dir := t.TempDir()
	for i := range n {
		name := fmt.Sprintf("n%d", i+1)
		conf := filepath.Join(dir, name+".conf")
		text := fmt.Sprintf(`server_name: %s
listen: 127.0.0.1:%d
jetstream {
  store_dir: %q
}
cluster {
  name: werkstatt-test
  listen: 127.0.0.1:%d
  routes: [%s]
}
`, name, client[i], filepath.Join(dir, name), routes[i], strings.Join(routeURLs, ", "))
		if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
			return nil, err
		}
		c.nodes = append(c.nodes, &clusterNode{name: name, conf: conf, url: fmt.Sprintf("nats://127.0.0.1:%d", client[i])})
	}
	stop := func() {
		for _, nd := range c.nodes {
			c.kill(nd)
		}
	}
	t.Cleanup(stop)
	for _, nd := range c.nodes {
		if err := c.start(nd); err != nil {
			stop()
			return nil, err
		}
	}
	for _, nd := range c.nodes {
		if err := c.waitReady(nd, 30*time.Second); err != nil {
			stop()
			return nil, fmt.Errorf("cluster node %s: %w", nd.name, err)
		}
	}
	if err := c.waitPlacement(30 * time.Second); err != nil {
		stop()
		return nil, err
	}
	return c, nil
}

// waitPlacement waits until the cluster places a stream on all three nodes: every node
// answering JetStream requests is not yet every node known to the meta leader as a peer
// ("no suitable peers for placement").
func (c *Cluster) waitPlacement(timeout time.Duration) error {
	js, closeConn, err := c.connect()
	if err != nil {
		return err
	}
	defer closeConn()
	deadline := time.Now().Add(timeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "natstest_placement", Subjects: []string{"natstest.placement"},
			Replicas: 3, Storage: jetstream.MemoryStorage})
		if err == nil {
			err = js.DeleteStream(ctx, "natstest_placement")
		}
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("placing a stream on three nodes: %w", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (c *Cluster) start(nd *clusterNode) error {
	cmd := exec.Command(shared.bin, "-c", nd.conf)
	out := new(syncBuffer)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start nats-server %s: %w", nd.name, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	c.mu.Lock()
	nd.cmd, nd.done, nd.out = cmd, done, out
	c.mu.Unlock()
	return nil
}

// waitReady waits up to timeout until nd answers JetStream requests; a node that exits
// meanwhile is an error at once, with the end of what it printed.
func (c *Cluster) waitReady(nd *clusterNode, timeout time.Duration) error {
	c.mu.Lock()
	done, out := nd.done, nd.out
	c.mu.Unlock()
	deadline := time.Now().Add(timeout)
	for {
		err := probe(nd.url)
		if err == nil {
			return nil
		}
		select {
		case <-done:
			return fmt.Errorf("nats-server exited: %s", out.tail(2000))
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("nats-server at %s not ready after %s: %w", nd.url, timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// syncBuffer is what a node prints, kept for the error when it exits early.
type syncBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	const keep = 64 << 10 // a node runs as long as its test: keep the end only
	b.buf = append(b.buf, p...)
	if len(b.buf) > 2*keep {
		b.buf = append(b.buf[:0], b.buf[len(b.buf)-keep:]...)
	}
	return len(p), nil
}

func (b *syncBuffer) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf[max(0, len(b.buf)-n):])
}

func (c *Cluster) kill(nd *clusterNode) {
	c.mu.Lock()
	cmd, done := nd.cmd, nd.done
	nd.cmd = nil
	c.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Kill()
	<-done
}

// connect returns a JetStream context on a new connection to any node that is up, and the
// function that closes the connection.
func (c *Cluster) connect() (jetstream.JetStream, func(), error) {
	nc, err := nats.Connect(c.URL(), nats.Timeout(time.Second))
	if err != nil {
		return nil, nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	return js, nc.Close, nil
}

// JetStream returns a JetStream context on a new connection to the cluster (any node, and
// another one when that node dies), closed when the test ends.
func (c *Cluster) JetStream(t testing.TB) jetstream.JetStream {
	return (&Server{Name: "cluster", URL: c.URL()}).JetStream(t)
}

// URL is the comma-separated client URLs of all nodes, as --nats-url takes them.
func (c *Cluster) URL() string {
	var urls []string
	for _, nd := range c.nodes {
		urls = append(urls, nd.url)
	}
	return strings.Join(urls, ",")
}

// Names are the server names of the nodes.
func (c *Cluster) Names() []string {
	var names []string
	for _, nd := range c.nodes {
		names = append(names, nd.name)
	}
	return names
}

func (c *Cluster) node(name string) *clusterNode {
	for _, nd := range c.nodes {
		if nd.name == name {
			return nd
		}
	}
	c.t.Fatalf("no cluster node %q", name)
	return nil
}

// Kill ends the node named name with SIGKILL: no shutdown, no leadership handed over.
func (c *Cluster) Kill(name string) { c.kill(c.node(name)) }

// Restart starts the killed node named name again on its store and waits until it answers
// JetStream requests.
func (c *Cluster) Restart(name string) {
	c.t.Helper()
	nd := c.node(name)
	if err := c.start(nd); err != nil {
		c.t.Fatal(err)
	}
	if err := c.waitReady(nd, 30*time.Second); err != nil {
		c.t.Fatalf("cluster node %s after restart: %v", name, err)
	}
}

// StreamLeader returns the server name of the node that leads stream, asking the cluster
// through any node that is up ($JS.API.STREAM.INFO answers the leader in cluster.leader).
// It waits up to timeout for a leader.
func (c *Cluster) StreamLeader(stream string, timeout time.Duration) (string, error) {
	return c.NewStreamLeader(stream, "", timeout)
}

// NewStreamLeader waits up to timeout until a node other than old leads stream and returns
// its server name. It asks every 20 ms, so the moment it returns is within about 0.25 s of
// the election.
func (c *Cluster) NewStreamLeader(stream, old string, timeout time.Duration) (string, error) {
	js, closeConn, err := c.connect()
	if err != nil {
		return "", err
	}
	defer closeConn()
	deadline := time.Now().Add(timeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
		info, err := js.Stream(ctx, stream)
		var leader string
		if err == nil {
			var si *jetstream.StreamInfo
			if si, err = info.Info(ctx); err == nil && si.Cluster != nil {
				leader = si.Cluster.Leader
			}
		}
		cancel()
		if leader != "" && leader != old {
			return leader, nil
		}
		if err == nil {
			err = errors.New("no new leader")
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("stream %s: %w", stream, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// LedBy returns the streams (key-value and object buckets included) whose leader is the node
// named name.
func (c *Cluster) LedBy(name string) ([]string, error) {
	js, closeConn, err := c.connect()
	if err != nil {
		return nil, err
	}
	defer closeConn()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var led []string
	streams := js.ListStreams(ctx)
	for si := range streams.Info() {
		if si.Cluster != nil && si.Cluster.Leader == name {
			led = append(led, si.Config.Name)
		}
	}
	return led, streams.Err()
}
