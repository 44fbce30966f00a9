package eventstore

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// batchFormat is the first byte of an encoded batch, so that the framing can change later.
const batchFormat = 1

// Commit is one message of the stream: the events of one decision, as stored.
type Commit struct {
	Seq     uint64
	Subject string
	Data    []byte
}

// EncodeBatch frames commits into one payload: a format byte, then per commit the sequence
// (8 bytes, big endian), the subject and the data, each as a uvarint length and the bytes.
func EncodeBatch(commits []Commit) []byte {
	size := 1
	for _, c := range commits {
		size += 8 + 2*binary.MaxVarintLen32 + len(c.Subject) + len(c.Data)
	}
	b := make([]byte, 1, size)
	b[0] = batchFormat
	for _, c := range commits {
		b = binary.BigEndian.AppendUint64(b, c.Seq)
		b = binary.AppendUvarint(b, uint64(len(c.Subject)))
		b = append(b, c.Subject...)
		b = binary.AppendUvarint(b, uint64(len(c.Data)))
		b = append(b, c.Data...)
	}
	return b
}

var errBatch = errors.New("eventstore: malformed batch")

// DecodeBatch returns the commits EncodeBatch framed, in order. Their Data share payload's
// memory.
func DecodeBatch(payload []byte) ([]Commit, error) {
	if len(payload) == 0 || payload[0] != batchFormat {
		return nil, fmt.Errorf("%w: unknown format", errBatch)
	}
	b := payload[1:]
	var out []Commit
	for len(b) > 0 {
		if len(b) < 8 {
			return nil, fmt.Errorf("%w: truncated sequence", errBatch)
		}
		c := Commit{Seq: binary.BigEndian.Uint64(b)}
		b = b[8:]
		subject, rest, err := chunk(b)
		if err != nil {
			return nil, err
		}
		data, rest, err := chunk(rest)
		if err != nil {
			return nil, err
		}
		c.Subject, c.Data, b = string(subject), data, rest
		out = append(out, c)
	}
	return out, nil
}

// chunk splits a uvarint-length-prefixed byte string off b.
func chunk(b []byte) (field, rest []byte, err error) {
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)-w) {
		return nil, nil, fmt.Errorf("%w: bad length", errBatch)
	}
	end := w + int(n)
	return b[w:end:end], b[end:], nil
}
