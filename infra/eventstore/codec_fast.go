package eventstore

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"time"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"

	"github.com/werkstatt/werkstatt/domain"
)

// decoder returns a commitDecoder for the commits read in one go: it keeps its buffers between
// them.
func (s *Store) decoder(ctx context.Context, open bool) *commitDecoder {
	return &commitDecoder{s: s, ctx: ctx, open: open}
}

// decodeInto decodes the commit data (at seq, of workshop id) appending its events to dst,
// in one pass when it is laid out as the store writes it, the generic way otherwise.
func (c *commitDecoder) decodeInto(dst []domain.Recorded, seq uint64, id domain.WorkshopID, data []byte) ([]domain.Recorded, error) {
	c.seq, c.id, c.dst = seq, id, dst
	if c.onePass(data) == nil {
		return c.dst, nil
	}
	// What the pass appended is overwritten.
	var body commitBody
	dst, err := c.s.decodeGeneric(c.ctx, dst, &body, seq, id, data, c.open)
	c.msgID = append(c.msgID[:0], body.ID...)
	return dst, err
}

// errNotCanonical is the one-pass decoder giving up on a commit that is not laid out as
// encodeSealed writes it.
var errNotCanonical = errors.New("eventstore: commit not in the layout the store writes")

// commitDecoder decodes one commit in the layout encodeSealed writes in one pass:
//
//	{"id":"…","events":[{"name":"…","v":1,"at":"…","actor":"…","data":{…}},…]}
//
// byte for byte (no whitespace, no escapes in the envelope's strings), unmarshalling only each
// event's data. Reading the envelope as JSON tokens, or unmarshalling it into structs first,
// was half of a catch-up's decoding. Anything else (another order, whitespace, escaped or
// unknown keys, any error) ends the pass; decodeInto then decodes the commit the generic way,
// which stays the authority on what a commit holds and on the errors it gives.
type commitDecoder struct {
	s    *Store
	ctx  context.Context
	seq  uint64
	id   domain.WorkshopID
	open bool
	dst  []domain.Recorded

	msgID  []byte
	at     []byte // the last "at" read, raw, and its time: the events of a commit share it
	atTime time.Time
	actor  string            // the last actor, shared in the same way
	typ    *domain.EventType // the last event's type
	sealed []byte            // the last sealed person, base64-decoded
}

// onePass decodes the commit data in one pass, appending to c.dst.
func (c *commitDecoder) onePass(data []byte) error {
	r := reader{b: data}
	if !r.literal(`{"id":"`) {
		return errNotCanonical
	}
	id, ok := r.plainString()
	if !ok || !r.literal(`,"events":[`) {
		return errNotCanonical
	}
	c.msgID = append(c.msgID[:0], id...)
	for i := 0; !r.literal(`]}`); i++ {
		if i > 0 && !r.literal(`,`) {
			return errNotCanonical
		}
		if err := c.event(&r, i); err != nil {
			return err
		}
	}
	if len(r.b) != 0 {
		return errNotCanonical
	}
	return nil
}

// event decodes the i-th event of the commit, its envelope and its data.
func (c *commitDecoder) event(r *reader, i int) error {
	if !r.literal(`{"name":"`) {
		return errNotCanonical
	}
	name, ok := r.plainString()
	if !ok {
		return errNotCanonical
	}
	if c.typ == nil || string(name) != c.typ.Name {
		if c.typ, ok = domain.EventTypeOf(name); !ok {
			return errNotCanonical
		}
	}
	typ := c.typ
	if !r.literal(`,"v":1,"at":`) {
		return errNotCanonical
	}
	at, ok := r.quoted()
	if !ok {
		return errNotCanonical
	}
	if !bytes.Equal(at, c.at) {
		// encoding/json unmarshals a time.Time with its UnmarshalJSON.
		if err := c.atTime.UnmarshalJSON(at); err != nil {
			return err
		}
		c.at = append(c.at[:0], at...)
	}
	if !r.literal(`,"actor":"`) {
		return errNotCanonical
	}
	actor, ok := r.plainString()
	if !ok || !r.literal(`,"data":`) {
		return errNotCanonical
	}
	if string(actor) != c.actor {
		c.actor = string(actor)
	}
	data, sealed, ok := r.object()
	if !ok || !r.literal(`}`) {
		return errNotCanonical
	}
	e, err := typ.Decode(func(ptr any) error { return jsonv2.Unmarshal(data, ptr, oneValidation) })
	if err != nil {
		return err
	}
	if c.open && typ.Personal && sealed != nil {
		if c.sealed, err = appendBase64(c.sealed[:0], sealed); err != nil {
			return err
		}
		if e, err = c.s.openSealed(c.ctx, e, c.sealed, sealAD(string(c.msgID), i)); err != nil {
			return err
		}
	}
	c.dst = append(c.dst, domain.Recorded{Seq: c.seq, Workshop: c.id, At: c.atTime, Actor: c.actor, Event: e})
	return nil
}

// appendBase64 appends the bytes that b, standard base64 as encoding/json writes a []byte,
// holds.
func appendBase64(dst, b []byte) ([]byte, error) {
	n := len(dst)
	dst = slices.Grow(dst, base64.StdEncoding.DecodedLen(len(b)))[:n+base64.StdEncoding.DecodedLen(len(b))]
	m, err := base64.StdEncoding.Decode(dst[n:], b)
	return dst[:n+m], err
}

// foldsToSealed reports whether encoding/json could match the object name name, raw, to the
// field "person_sealed": it matches names case-insensitively, and name may be escaped.
func foldsToSealed(name []byte) bool {
	return bytes.IndexByte(name, '\\') >= 0 || bytes.EqualFold(name, []byte("person_sealed"))
}

// reader reads a commit as encodeSealed lays it out.
type reader struct{ b []byte }

// literal consumes s if the input starts with it.
func (r *reader) literal(s string) bool {
	if len(r.b) < len(s) || string(r.b[:len(s)]) != s {
		return false
	}
	r.b = r.b[len(s):]
	return true
}

// plainString consumes the rest of a string whose opening quote was read, and its closing
// quote, and returns what is between them: only when it needs no unescaping and is valid UTF-8
// (what encoding/json reads differently, it declines).
func (r *reader) plainString() ([]byte, bool) {
	for i, ch := range r.b {
		switch {
		case ch == '"':
			s := r.b[:i]
			if !utf8.Valid(s) {
				return nil, false
			}
			r.b = r.b[i+1:]
			return s, true
		case ch == '\\' || ch < ' ':
			return nil, false
		}
	}
	return nil, false
}

// quoted consumes a plain string, quotes included, and returns it so.
func (r *reader) quoted() ([]byte, bool) {
	b := r.b
	if !r.literal(`"`) {
		return nil, false
	}
	s, ok := r.plainString()
	return b[:len(s)+2], ok
}

// object consumes a JSON object, valid or not (the unmarshalling of data validates it), and
// returns it and the plain string of its member "person_sealed", if it has one. It declines
// what is not an object, an object with more than one "person_sealed" or one that is not a
// plain string.
func (r *reader) object() (obj, sealed []byte, ok bool) {
	b := r.b
	if len(b) == 0 || b[0] != '{' {
		return nil, nil, false
	}
	depth, key := 0, false // key: the next string at depth 1 is a member's name
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			j := i + 1
			for j < len(b) && b[j] != '"' {
				if b[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(b) {
				return nil, nil, false
			}
			if depth == 1 && key {
				key = false
				name := b[i+1 : j]
				if string(name) != "person_sealed" && foldsToSealed(name) {
					return nil, nil, false // encoding/json would read it as "person_sealed"
				}
				if string(name) == "person_sealed" {
					rest := reader{b: b[j+1:]}
					if sealed != nil || !rest.literal(`:"`) {
						return nil, nil, false
					}
					if sealed, ok = rest.plainString(); !ok {
						return nil, nil, false
					}
					j = len(b) - len(rest.b) - 1 // the closing quote of the value
				}
			}
			i = j
		case '{', '[':
			depth++
			key = depth == 1
		case '}', ']':
			depth--
			if depth == 0 {
				r.b = b[i+1:]
				return b[:i+1], sealed, true
			}
		case ',':
			key = depth == 1
		}
	}
	return nil, nil, false
}

// oneValidation is encoding/json's semantics without its one difference in errors: each value
// is validated before it is unmarshalled, which would read every event's data three times
// (the commit, then the data, then unmarshalling it). The pass needs no such errors: on any
// error the commit is decoded the generic way.
var oneValidation = jsonv2.JoinOptions(jsonv1.DefaultOptionsV1(), jsonv1.ReportErrorsWithLegacySemantics(false))
