package eventstore_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/infra/embedded/natstest"
	"github.com/werkstatt/werkstatt/infra/eventstore"
	"github.com/werkstatt/werkstatt/internal/scenario"
)

// TestOnePassDecoding holds the one-pass decoder to the generic one: whatever it decodes, the
// generic decoder decodes to the same events; whatever it declines (another key order, keys
// spelled otherwise, unknown members), the store still decodes the generic way. Every commit
// the store writes takes the one pass.
func TestOnePassDecoding(t *testing.T) {
	w := newWorld(t, natstest.Embedded(t))
	ctx := testCtx(t)
	s := w.store(t)
	size := scenario.DefaultSeriesSize
	size.Workshops, size.Participants = 2, 40
	if _, err := s.Import(ctx, scenario.Series(size)); err != nil {
		t.Fatal(err)
	}
	for _, decide := range fuzzWorkshop() {
		if _, err := s.Update(ctx, "W1", organiser(""), decide); err != nil {
			t.Fatal(err)
		}
	}
	// An erased person: both decoders leave the person out.
	if err := w.keyring.Erase(ctx, "R3"); err != nil {
		t.Fatal(err)
	}
	s = w.store(t)
	var commits []eventstore.Commit
	if err := s.ReadRaw(ctx, 1, lastSeq(t, s), func(c []eventstore.Commit) error { commits = append(commits, c...); return nil }); err != nil {
		t.Fatal(err)
	}
	personal, erased := 0, 0
	for _, c := range commits {
		onePass, generic, err, genericErr := eventstore.DecodeTwoWays(ctx, s, c.Seq, c.Subject, c.Data)
		if err != nil || genericErr != nil {
			t.Fatalf("commit %d %s: one pass: %v, generic: %v", c.Seq, c.Data, err, genericErr)
		}
		if !reflect.DeepEqual(onePass, generic) {
			t.Fatalf("commit %d %s:\none pass %+v\ngeneric  %+v", c.Seq, c.Data, onePass, generic)
		}
		if strings.Contains(string(c.Data), `"person_sealed"`) {
			personal++
			if p, ok := onePass[0].Event.(domain.Personal); ok && p.DataSubject() == "R3" {
				erased++
				if !reflect.ValueOf(p).FieldByName("Person").IsNil() {
					t.Errorf("commit %d: R3's person decoded after the erasure", c.Seq)
				}
			}
		}
	}
	if personal == 0 || erased == 0 {
		t.Fatalf("%d commits with sealed personal data, %d of an erased person: the test does not try both", personal, erased)
	}

	// A registration the store wrote, rewritten the ways another writer (or a hand) could.
	var reg eventstore.Commit
	for _, c := range commits {
		if strings.Contains(string(c.Data), `"person_sealed"`) && c.Subject == commits[len(commits)-1].Subject {
			reg = c
			break
		}
	}
	canonical := string(reg.Data)
	variants := map[string]struct {
		data    string
		onePass bool // the one pass takes it
		decodes bool // the store decodes it
	}{
		"as written":             {canonical, true, true},
		"whitespace":             {strings.NewReplacer(`{"`, "{\n \"", `,"`, " ,\t\"", `":`, "\" : ").Replace(canonical), false, true},
		"escaped actor":          {strings.Replace(canonical, `"actor":"organiser"`, `"actor":"org\u0061niser"`, 1), false, true},
		"data before name":       {strings.Replace(canonical, `{"name":`, `{"data":{},"name":`, 1), false, true},
		"escaped key":            {strings.Replace(canonical, `"name":`, `"n\u0061me":`, 1), false, true},
		"key in capitals":        {strings.Replace(canonical, `"actor":`, `"Actor":`, 1), false, true},
		"unknown member":         {strings.Replace(canonical, `"v":1,`, `"v":1,"trace":[1,{"a":null}],`, 1), false, true},
		"other version":          {strings.Replace(canonical, `"v":1,`, `"v":2,`, 1), false, true},
		"member after data":      {strings.Replace(canonical, `}]}`, `,"extra":true}]}`, 1), false, true},
		"sealed key escaped":     {strings.Replace(canonical, `"person_sealed":`, `"person\u005fsealed":`, 1), false, true},
		"sealed key in capitals": {strings.Replace(canonical, `"person_sealed":`, `"PERSON_SEALED":`, 1), false, true},
		"sealed twice":           {strings.Replace(canonical, `"person_sealed":`, `"person_sealed":"AAAA","person_sealed":`, 1), false, true},
		"no events":              {`{"id":"x","events":[]}`, true, true},
		"events null":            {`{"id":"x","events":null}`, false, true},
		"data null":              {`{"id":"x","events":[{"name":"registration.confirmed.v1","v":1,"at":"2030-01-01T10:00:00+02:00","actor":"a","data":null}]}`, false, true},
		"unknown event":          {strings.Replace(canonical, `"name":"registration.`, `"name":"nope.`, 1), false, false},
		"trailing garbage":       {canonical + `x`, false, false},
		"truncated":              {canonical[:len(canonical)/2], false, false},
		"at not a time":          {`{"id":"x","events":[{"name":"registration.confirmed.v1","v":1,"at":"soon","actor":"a","data":{}}]}`, false, false},
		"data of the wrong type": {`{"id":"x","events":[{"name":"registration.confirmed.v1","v":1,"at":"2030-01-01T10:00:00Z","actor":"a","data":[]}]}`, false, false},
	}
	for name, v := range variants {
		t.Run(name, func(t *testing.T) {
			onePass, generic, err, genericErr := eventstore.DecodeTwoWays(ctx, s, reg.Seq, reg.Subject, []byte(v.data))
			if (err == nil) != v.onePass {
				t.Errorf("one pass: got error %v, want it to take the commit: %v", err, v.onePass)
			}
			if err == nil && (genericErr != nil || !reflect.DeepEqual(onePass, generic)) {
				t.Errorf("one pass and generic differ:\none pass %+v\ngeneric  %+v (%v)", onePass, generic, genericErr)
			}
			decoded, err := s.Decode(ctx, reg.Seq, reg.Subject, []byte(v.data))
			if (err == nil) != v.decodes {
				t.Fatalf("Decode: got error %v, want it to decode: %v", err, v.decodes)
			}
			if err == nil && !reflect.DeepEqual(decoded, generic) {
				t.Errorf("Decode %+v, want the generic %+v", decoded, generic)
			}
			if err != nil && genericErr != nil && err.Error() != genericErr.Error() {
				t.Errorf("Decode's error %q, want the generic decoder's %q", err, genericErr)
			}
		})
	}
}
