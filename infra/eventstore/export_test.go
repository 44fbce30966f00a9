package eventstore

import (
	"context"

	"github.com/werkstatt/werkstatt/domain"
)

// DecodeCommits is decodeCommits, for the decoding benchmark.
var DecodeCommits = (*Store).decodeCommits

// DecodeTwoWays decodes one commit with the one-pass decoder alone and the generic way alone,
// personal data opened, so that tests can hold the one to the other.
func DecodeTwoWays(ctx context.Context, s *Store, seq uint64, subject string, data []byte) (onePass, generic []domain.Recorded, onePassErr, genericErr error) {
	id, err := s.workshopOf(subject)
	if err != nil {
		return nil, nil, err, err
	}
	d := s.decoder(ctx, true)
	d.seq, d.id = seq, id
	onePassErr = d.onePass(data)
	var body commitBody
	generic, genericErr = s.decodeGeneric(ctx, nil, &body, seq, id, data, true)
	return d.dst, generic, onePassErr, genericErr
}
