package eventstore

import (
	"bytes"
	"context"
	"errors"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
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

// onePass decodes the commit data in one pass, appending to c.dst.
func (c *commitDecoder) onePass(data []byte) error {
	return jsonv2.Unmarshal(data, c, oneValidation)
}

// errNotCanonical is the one-pass decoder giving up on a commit that is not laid out as
// encodeSealed writes it.
var errNotCanonical = errors.New("eventstore: commit not in the layout the store writes")

// commitDecoder decodes one commit in the layout encodeSealed writes ({"id", "events": [{"name",
// "v", "at", "actor", "data"}]}, in that order) in one pass: the envelope is read token by
// token and each event's data is unmarshalled straight from the decoder. Unmarshalling the
// envelope into structs first validated and copied every event's data and parsed it once more
// after: half of a catch-up's decoding. Anything else (another order, escaped or unknown keys,
// any error) ends the pass; decodeInto then decodes the commit the generic way, which stays
// the authority on what a commit holds and on the errors it gives.
type commitDecoder struct {
	s    *Store
	ctx  context.Context
	seq  uint64
	id   domain.WorkshopID
	open bool
	dst  []domain.Recorded

	msgID, buf []byte
	at         []byte // the last "at" parsed, raw, and its time: the events of a commit share it
	atTime     time.Time
	actor      string            // the last actor, shared in the same way
	typ        *domain.EventType // the last event's type
}

// oneValidation is encoding/json's semantics without its one difference in errors: each value
// is validated before it is unmarshalled, which would read every event's data three times
// (the commit, then the data, then unmarshalling it). The pass needs no such errors: on any
// error the commit is decoded the generic way.
var oneValidation = jsonv2.JoinOptions(jsonv1.DefaultOptionsV1(), jsonv1.ReportErrorsWithLegacySemantics(false))

// UnmarshalJSONFrom implements json's UnmarshalerFrom, for onePass.
func (c *commitDecoder) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if err := delim(dec, '{'); err != nil {
		return err
	}
	v, err := c.member(dec, `"id"`)
	if err != nil || v.Kind() != '"' {
		return errors.Join(err, errNotCanonical)
	}
	if c.msgID, err = jsontext.AppendUnquote(c.msgID[:0], v); err != nil {
		return err
	}
	if err := name(dec, `"events"`); err != nil {
		return err
	}
	if err := delim(dec, '['); err != nil {
		return err
	}
	for i := 0; dec.PeekKind() == '{'; i++ {
		if err := c.event(dec, i); err != nil {
			return err
		}
	}
	if err := delim(dec, ']'); err != nil {
		return err
	}
	return delim(dec, '}')
}

// event decodes the envelope of the i-th event of the commit and its data.
func (c *commitDecoder) event(dec *jsontext.Decoder, i int) error {
	if err := delim(dec, '{'); err != nil {
		return err
	}
	v, err := c.member(dec, `"name"`)
	if err != nil || v.Kind() != '"' {
		return errors.Join(err, errNotCanonical)
	}
	if c.buf, err = jsontext.AppendUnquote(c.buf[:0], v); err != nil {
		return err
	}
	if c.typ == nil || string(c.buf) != c.typ.Name {
		var ok bool
		if c.typ, ok = domain.EventTypeOf(c.buf); !ok {
			return errNotCanonical
		}
	}
	typ := c.typ
	if v, err = c.member(dec, `"v"`); err != nil || string(v) != "1" {
		return errors.Join(err, errNotCanonical)
	}
	if v, err = c.member(dec, `"at"`); err != nil || v.Kind() != '"' {
		return errors.Join(err, errNotCanonical)
	}
	if !bytes.Equal(v, c.at) {
		// encoding/json unmarshals a time.Time with its UnmarshalJSON.
		if err := c.atTime.UnmarshalJSON(v); err != nil {
			return err
		}
		c.at = append(c.at[:0], v...)
	}
	if v, err = c.member(dec, `"actor"`); err != nil || v.Kind() != '"' {
		return errors.Join(err, errNotCanonical)
	}
	if c.buf, err = jsontext.AppendUnquote(c.buf[:0], v); err != nil {
		return err
	}
	if string(c.buf) != c.actor {
		c.actor = string(c.buf)
	}
	if err := name(dec, `"data"`); err != nil {
		return err
	}
	var e domain.Event
	if c.open && typ.Personal {
		// The sealed person is read from the same bytes: take them whole.
		data, err := dec.ReadValue()
		if err != nil {
			return err
		}
		if e, err = typ.Decode(func(ptr any) error { return jsonv2.Unmarshal(data, ptr, oneValidation) }); err != nil {
			return err
		}
		if e, err = c.s.openPerson(c.ctx, e, data, sealAD(string(c.msgID), i)); err != nil {
			return err
		}
	} else if e, err = typ.Decode(func(ptr any) error { return jsonv2.UnmarshalDecode(dec, ptr) }); err != nil {
		return err
	}
	if err := delim(dec, '}'); err != nil {
		return err
	}
	c.dst = append(c.dst, domain.Recorded{Seq: c.seq, Workshop: c.id, At: c.atTime, Actor: c.actor, Event: e})
	return nil
}

// member reads the object member named want (quoted, as it appears in the log) and returns its
// raw value, valid until the next read.
func (c *commitDecoder) member(dec *jsontext.Decoder, want string) (jsontext.Value, error) {
	if err := name(dec, want); err != nil {
		return nil, err
	}
	return dec.ReadValue()
}

// name reads an object name that must be want, spelled exactly so (quoted).
func name(dec *jsontext.Decoder, want string) error {
	if dec.PeekKind() != '"' {
		return errNotCanonical
	}
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	if string(v) != want {
		return errNotCanonical
	}
	return nil
}

// delim reads the delimiter want ({, }, [ or ]).
func delim(dec *jsontext.Decoder, want jsontext.Kind) error {
	if dec.PeekKind() != want {
		return errNotCanonical
	}
	_, err := dec.ReadToken()
	return err
}
