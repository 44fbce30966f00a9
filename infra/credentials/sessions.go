package credentials

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/natsconn"
)

// endedKey is where the time lies before which every session of an account has ended.
const endedKey = "sessions-ended."

type endedRecord struct {
	At time.Time `json:"at"`
}

// EndSessions ends every session of account that started before now, on every replica: a
// page checks SessionsEndedAt on each request. Setting a password through a link and erasing
// the account do it too; an admin may do it at any time.
func (s *Store) EndSessions(ctx context.Context, account domain.AccountID) error {
	if account == "" {
		return errors.New("credentials: ending sessions needs an account")
	}
	data, err := json.Marshal(endedRecord{At: s.now().UTC()})
	if err != nil {
		return err
	}
	if err := natsconn.Up(s.nc); err != nil {
		return err
	}
	if _, err := s.kv.Put(ctx, endedKey+accountKey(account), data); err != nil {
		return natsconn.Classify(fmt.Errorf("credentials: end sessions: %w", err))
	}
	return nil
}

// SessionsEndedAt returns the time before which every session of account has ended (zero
// when EndSessions never ran for it): a session that started before it holds no more.
func (s *Store) SessionsEndedAt(ctx context.Context, account domain.AccountID) (time.Time, error) {
	if account == "" {
		return time.Time{}, nil
	}
	e, found, err := s.get(ctx, endedKey+accountKey(account))
	if err != nil || !found {
		return time.Time{}, err
	}
	var r endedRecord
	if err := json.Unmarshal(e.Value(), &r); err != nil {
		return time.Time{}, fmt.Errorf("credentials: stored end of sessions is damaged: %w", err)
	}
	return r.At, nil
}
