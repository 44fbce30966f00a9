package eventstore

import (
	"context"
	"sync"
)

// closer is what the watermill subscribers of this package share: goroutines that end with
// their subscription's context or with Close, which waits for them. Subscribe holds mu and
// checks closed before it starts any.
type closer struct {
	mu      sync.Mutex
	closed  bool
	closing chan struct{} // made by the subscriber's constructor
	running sync.WaitGroup
}

// run starts f under a context that ends with ctx or with Close; Close waits until f returned.
func (c *closer) run(ctx context.Context, f func(ctx context.Context)) {
	ctx, cancel := context.WithCancel(ctx)
	c.running.Add(2)
	go func() {
		defer c.running.Done()
		select {
		case <-ctx.Done():
		case <-c.closing:
			cancel()
		}
	}()
	go func() {
		defer c.running.Done()
		defer cancel()
		f(ctx)
	}()
}

// Close stops every subscription and waits until their channels are closed.
func (c *closer) Close() error {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.closing)
	}
	c.mu.Unlock()
	c.running.Wait()
	return nil
}
