package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/puddle/v2"

	"github.com/werkstatt/werkstatt/domain"
)

// connectTimeout bounds how long a request waits for a connection to a server that does not
// answer, unless the database URL sets connect_timeout itself.
const connectTimeout = 1500 * time.Millisecond

// classify wraps err in domain.ErrUnavailable when it says that the database could not be
// reached, went away or did not answer in time; every other error (and nil) comes back
// unchanged, so that a broken statement or constraint stays an internal error.
func classify(err error) error {
	if err == nil || errors.Is(err, domain.ErrUnavailable) || !unreachable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", domain.ErrUnavailable, err)
}

func unreachable(err error) bool {
	var connErr *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &connErr), errors.As(err, &netErr), pgconn.Timeout(err),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, pgconn.ErrConnClosed),
		errors.Is(err, puddle.ErrClosedPool), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return true
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	// Class 08: connection exception; 57P01-57P03: the server shuts down, crashed or starts;
	// class 53: out of connections or resources; 3D000: the database is gone.
	return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "53") ||
		pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03" || pgErr.Code == "3D000"
}

// Ping reports whether the read-model database answers; a failure matches
// domain.ErrUnavailable.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("%w: postgres: ping: %w", domain.ErrUnavailable, err)
	}
	return nil
}
