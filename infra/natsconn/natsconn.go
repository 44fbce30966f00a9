// Package natsconn classifies the errors of the NATS client: the adapters over JetStream
// (infra/eventstore, infra/keys, infra/grants) wrap a connection or timeout failure in
// domain.ErrUnavailable, and refuse at once while the connection is down instead of letting a
// request queue until a timeout.
package natsconn

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/werkstatt/werkstatt/domain"
)

// Up returns nil while nc is connected, else an error matching domain.ErrUnavailable. While
// nats.go reconnects it buffers publishes and requests wait for their timeout; a command must
// not wait for a server that is gone. A nil nc (no connection to check) counts as up.
func Up(nc *nats.Conn) error {
	if nc == nil {
		return nil
	}
	switch st := nc.Status(); st {
	case nats.CONNECTED, nats.DRAINING_SUBS:
		return nil
	default:
		return fmt.Errorf("%w: NATS connection is %s", domain.ErrUnavailable, st)
	}
}

// Classify wraps err in domain.ErrUnavailable when it says that the server could not be reached
// or did not answer in time, and returns every other error (and nil) unchanged.
func Classify(err error) error {
	if err == nil || errors.Is(err, domain.ErrUnavailable) || !unreachable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", domain.ErrUnavailable, err)
}

func unreachable(err error) bool {
	for _, target := range []error{
		nats.ErrConnectionClosed, nats.ErrConnectionReconnecting, nats.ErrDisconnected,
		nats.ErrConnectionDraining, nats.ErrTimeout, nats.ErrNoResponders, nats.ErrNoServers,
		nats.ErrStaleConnection,
		jetstream.ErrNoStreamResponse, jetstream.ErrJetStreamNotEnabled, jetstream.ErrServerShutdown,
		jetstream.ErrNoHeartbeat, context.DeadlineExceeded,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var apiErr *jetstream.APIError
	// 503: JetStream is not available (no quorum, not enabled, system overloaded).
	return errors.As(err, &apiErr) && apiErr.Code == 503 || IncompleteBatch(err)
}

// JetStream error codes of an atomic batch that the stream's leader did not receive whole:
// a message is missing (10175) or the commit came without all of them (10176). The stream
// stored none of it; it happens when the leader changes while the batch is sent, so the batch
// may be sent again.
const (
	errCodeBatchSequenceMissing = 10175
	errCodeBatchIncomplete      = 10176
)

// IncompleteBatch reports whether err says that an atomic batch reached the stream incomplete
// and was stored not at all.
func IncompleteBatch(err error) bool {
	var apiErr *jetstream.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	return apiErr.ErrorCode == errCodeBatchSequenceMissing || apiErr.ErrorCode == errCodeBatchIncomplete
}
