package projections

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"reflect"
	"slices"
	"sync"
	"time"
	"unsafe"

	"github.com/werkstatt/werkstatt/domain"
)

// A snapshot of a Memory is its rows and checkpoints in a compact binary form, so that a start
// reads them instead of applying the whole log. The encoding walks the row types by reflection
// (varints, strings shared through a table), so that every field of every row is in it without
// a codec to keep in step by hand; the header carries snapshotFormat and a fingerprint of the
// row types, and a snapshot of other rows is refused with ErrSnapshotFormat.
//
// Layout: snapshotMagic, uvarint snapshotFormat, 8 bytes fingerprint (little endian), the
// fields of snapshotFields in order, snapshotEnd, and nothing after it.

// snapshotFormat is the version of the layout; bump it whenever the encoding changes. A change
// of the rows changes the fingerprint by itself (TestSnapshotLayout pins it, to bump this
// with it).
const snapshotFormat = 1

// ErrSnapshotFormat is returned by ReadSnapshot for a snapshot of another format version or of
// other rows (or no snapshot at all): it cannot be read, the read models catch up from the log.
var ErrSnapshotFormat = errors.New("projections: not a memory snapshot of this version")

var (
	snapshotMagic = []byte("werkstatt memory snapshot\n")
	snapshotEnd   = []byte("end\n")
)

// snapshotFields are the fields of Memory in a snapshot, in order; memoryTransient those
// that are not (TestSnapshotLayout checks that these are all of them).
var (
	snapshotFields  = []string{"checkpoints", "forgotAt", "workshops", "lists", "sheets", "cafes", "followUps", "feedback", "materials"}
	memoryTransient = []string{"mu", "strs", "daySets", "applying"}
)

// derivedFields are fields a snapshot leaves out because ReadSnapshot rebuilds them (they share
// pointers with another field).
var derivedFields = map[reflect.Type]map[string]bool{
	reflect.TypeFor[registrationList](): {"byID": true},
}

// Limits against hostile or broken input: no count or string above these is believed, and
// containers grow as their elements actually arrive.
const (
	maxSnapshotCount  = 1 << 24
	maxSnapshotString = 1 << 24
	maxSharedString   = 48 // longer strings are written in full each time (text, hashes)
	preallocLimit     = 1024
)

var (
	timeType = reflect.TypeFor[time.Time]()
	daysType = reflect.TypeFor[[]domain.Day]()
)

type snapCodec struct {
	enc func(e *snapEncoder, v reflect.Value)
	dec func(d *snapDecoder, v reflect.Value) error // v is settable
}

type snapshotPlan struct {
	fields      []reflect.StructField // of Memory, as snapshotFields
	codecs      []*snapCodec
	fingerprint uint64
	err         error
}

var snapshotCodecs = sync.OnceValue(func() *snapshotPlan {
	p := &snapshotPlan{}
	b := codecBuilder{codecs: map[reflect.Type]*snapCodec{}}
	h := fnv.New64a()
	mt := reflect.TypeFor[Memory]()
	for _, name := range snapshotFields {
		f, ok := mt.FieldByName(name)
		if !ok {
			p.err = fmt.Errorf("projections: snapshot: Memory has no field %s", name)
			return p
		}
		c, err := b.codec(f.Type)
		if err != nil {
			p.err = err
			return p
		}
		p.fields, p.codecs = append(p.fields, f), append(p.codecs, c)
		fmt.Fprintf(h, "%s:", name)
		writeTypeShape(h, f.Type, map[reflect.Type]bool{})
	}
	p.fingerprint = h.Sum64()
	return p
})

// writeTypeShape writes what the encoding of t depends on: kinds, field names and types.
func writeTypeShape(w io.Writer, t reflect.Type, seen map[reflect.Type]bool) {
	fmt.Fprintf(w, "%s/%s(", t.String(), t.Kind())
	defer fmt.Fprint(w, ")")
	if seen[t] {
		return
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Array {
			fmt.Fprintf(w, "%d", t.Len())
		}
		writeTypeShape(w, t.Elem(), seen)
	case reflect.Map:
		writeTypeShape(w, t.Key(), seen)
		writeTypeShape(w, t.Elem(), seen)
	case reflect.Struct:
		if t == timeType {
			return
		}
		for i := range t.NumField() {
			f := t.Field(i)
			if derivedFields[t][f.Name] {
				fmt.Fprintf(w, "-%s;", f.Name)
				continue
			}
			fmt.Fprintf(w, "%s:", f.Name)
			writeTypeShape(w, f.Type, seen)
		}
	}
}

type codecBuilder struct{ codecs map[reflect.Type]*snapCodec }

func (b codecBuilder) codec(t reflect.Type) (*snapCodec, error) {
	if c, ok := b.codecs[t]; ok {
		return c, nil // also a type being built: its codec is filled in before it is used
	}
	c := &snapCodec{}
	b.codecs[t] = c
	switch {
	case t == timeType:
		c.enc, c.dec = encTime, decTime
		return c, nil
	case t == daysType:
		c.enc, c.dec = encDays, decDays
		return c, nil
	}
	switch t.Kind() {
	case reflect.Bool:
		c.enc = func(e *snapEncoder, v reflect.Value) { e.bool(v.Bool()) }
		c.dec = func(d *snapDecoder, v reflect.Value) error {
			x, err := d.bool()
			v.SetBool(x)
			return err
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.enc = func(e *snapEncoder, v reflect.Value) { e.varint(v.Int()) }
		c.dec = func(d *snapDecoder, v reflect.Value) error {
			x, err := binary.ReadVarint(d.r)
			if err == nil && v.OverflowInt(x) {
				err = errors.New("integer out of range")
			}
			v.SetInt(x)
			return err
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		c.enc = func(e *snapEncoder, v reflect.Value) { e.uvarint(v.Uint()) }
		c.dec = func(d *snapDecoder, v reflect.Value) error {
			x, err := binary.ReadUvarint(d.r)
			if err == nil && v.OverflowUint(x) {
				err = errors.New("integer out of range")
			}
			v.SetUint(x)
			return err
		}
	case reflect.Float32, reflect.Float64:
		c.enc = func(e *snapEncoder, v reflect.Value) { e.uvarint(math.Float64bits(v.Float())) }
		c.dec = func(d *snapDecoder, v reflect.Value) error {
			x, err := binary.ReadUvarint(d.r)
			v.SetFloat(math.Float64frombits(x))
			return err
		}
	case reflect.String:
		named := t.PkgPath() != "" // an id or a value of a domain type: shared with later rows
		c.enc = func(e *snapEncoder, v reflect.Value) { e.str(v.String()) }
		c.dec = func(d *snapDecoder, v reflect.Value) error {
			s, err := d.str()
			if named && len(s) <= maxSharedString {
				s = d.m.intern(s)
			}
			v.SetString(s)
			return err
		}
	case reflect.Pointer:
		elem, err := b.codec(t.Elem())
		if err != nil {
			return nil, err
		}
		c.enc = func(e *snapEncoder, v reflect.Value) {
			if v.IsNil() {
				e.uvarint(0)
				return
			}
			e.uvarint(1)
			elem.enc(e, v.Elem())
		}
		c.dec = func(d *snapDecoder, v reflect.Value) error {
			present, err := d.bool()
			if err != nil || !present {
				v.SetZero()
				return err
			}
			p := reflect.New(t.Elem())
			if err := elem.dec(d, p.Elem()); err != nil {
				return err
			}
			v.Set(p)
			return nil
		}
	case reflect.Slice:
		elem, err := b.codec(t.Elem())
		if err != nil {
			return nil, err
		}
		c.enc = func(e *snapEncoder, v reflect.Value) {
			if v.IsNil() {
				e.uvarint(0)
				return
			}
			e.uvarint(uint64(v.Len()) + 1)
			for i := range v.Len() {
				elem.enc(e, v.Index(i))
			}
		}
		c.dec = func(d *snapDecoder, v reflect.Value) error {
			n, isNil, err := d.count()
			if err != nil || isNil {
				v.SetZero()
				return err
			}
			s := reflect.MakeSlice(t, min(n, preallocLimit), min(n, preallocLimit))
			for i := range n {
				if i == s.Len() {
					grown := reflect.MakeSlice(t, min(n, 2*i), min(n, 2*i))
					reflect.Copy(grown, s)
					s = grown
				}
				if err := elem.dec(d, s.Index(i)); err != nil {
					return err
				}
			}
			v.Set(s)
			return nil
		}
	case reflect.Array:
		elem, err := b.codec(t.Elem())
		if err != nil {
			return nil, err
		}
		c.enc = func(e *snapEncoder, v reflect.Value) {
			for i := range v.Len() {
				elem.enc(e, v.Index(i))
			}
		}
		c.dec = func(d *snapDecoder, v reflect.Value) error {
			for i := range v.Len() {
				if err := elem.dec(d, v.Index(i)); err != nil {
					return err
				}
			}
			return nil
		}
	case reflect.Map:
		key, err := b.codec(t.Key())
		if err != nil {
			return nil, err
		}
		elem, err := b.codec(t.Elem())
		if err != nil {
			return nil, err
		}
		c.enc = func(e *snapEncoder, v reflect.Value) {
			if v.IsNil() {
				e.uvarint(0)
				return
			}
			e.uvarint(uint64(v.Len()) + 1)
			// Keys and values of a map are not addressable: the struct codec needs them so.
			k, x := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
			for it := v.MapRange(); it.Next(); {
				k.SetIterKey(it)
				x.SetIterValue(it)
				key.enc(e, k)
				elem.enc(e, x)
			}
		}
		c.dec = func(d *snapDecoder, v reflect.Value) error {
			n, isNil, err := d.count()
			if err != nil || isNil {
				v.SetZero()
				return err
			}
			m := reflect.MakeMapWithSize(t, min(n, preallocLimit))
			k, x := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
			for range n {
				if err := key.dec(d, k); err != nil {
					return err
				}
				if err := elem.dec(d, x); err != nil {
					return err
				}
				m.SetMapIndex(k, x)
			}
			v.Set(m)
			return nil
		}
	case reflect.Struct:
		type field struct {
			index int
			c     *snapCodec
		}
		var fields []field
		for i := range t.NumField() {
			if derivedFields[t][t.Field(i).Name] {
				continue
			}
			fc, err := b.codec(t.Field(i).Type)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", t, t.Field(i).Name, err)
			}
			fields = append(fields, field{i, fc})
		}
		c.enc = func(e *snapEncoder, v reflect.Value) {
			for _, f := range fields {
				f.c.enc(e, settable(v.Field(f.index)))
			}
		}
		c.dec = func(d *snapDecoder, v reflect.Value) error {
			for _, f := range fields {
				if err := f.c.dec(d, settable(v.Field(f.index))); err != nil {
					return err
				}
			}
			return nil
		}
	default:
		return nil, fmt.Errorf("projections: snapshot: cannot encode %s (%s)", t, t.Kind())
	}
	return c, nil
}

// settable returns the field f of an addressable struct as a value that may be read and set
// although it is unexported: the rows are this package's own, and the snapshot is their copy.
func settable(f reflect.Value) reflect.Value {
	if f.CanSet() {
		return f
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

func encTime(e *snapEncoder, v reflect.Value) {
	t := v.Interface().(time.Time)
	e.varint(t.Unix())
	e.uvarint(uint64(t.Nanosecond()))
	switch loc := t.Location(); loc {
	case time.UTC:
		e.uvarint(0)
	case time.Local:
		e.uvarint(1)
	default:
		name, offset := t.Zone()
		e.uvarint(2)
		e.str(name)
		e.varint(int64(offset))
	}
}

func decTime(d *snapDecoder, v reflect.Value) error {
	sec, err := binary.ReadVarint(d.r)
	if err != nil {
		return err
	}
	nsec, err := binary.ReadUvarint(d.r)
	if err != nil {
		return err
	}
	if nsec >= 1e9 {
		return errors.New("bad time")
	}
	kind, err := binary.ReadUvarint(d.r)
	if err != nil {
		return err
	}
	t := time.Unix(sec, int64(nsec))
	switch kind {
	case 0:
		t = t.UTC()
	case 1:
		t = t.Local()
	case 2:
		name, err := d.str()
		if err != nil {
			return err
		}
		offset, err := binary.ReadVarint(d.r)
		if err != nil {
			return err
		}
		if offset < -86400 || offset > 86400 {
			return errors.New("bad time zone")
		}
		t = t.In(time.FixedZone(name, int(offset)))
	default:
		return errors.New("bad time zone")
	}
	v.Set(reflect.ValueOf(t))
	return nil
}

func encDays(e *snapEncoder, v reflect.Value) {
	if v.IsNil() {
		e.uvarint(0)
		return
	}
	e.uvarint(uint64(v.Len()) + 1)
	for i := range v.Len() {
		e.str(v.Index(i).String())
	}
}

// decDays reads a list of days into one the rows share, as internDays does while applying.
func decDays(d *snapDecoder, v reflect.Value) error {
	n, isNil, err := d.count()
	if err != nil || isNil {
		v.SetZero()
		return err
	}
	days := make([]domain.Day, 0, min(n, preallocLimit))
	for range n {
		s, err := d.str()
		if err != nil {
			return err
		}
		days = append(days, domain.Day(s))
	}
	v.Set(reflect.ValueOf(d.m.internDays(days)))
	return nil
}

type snapEncoder struct {
	w    *bufio.Writer
	buf  [binary.MaxVarintLen64]byte
	strs map[string]uint64
}

func (e *snapEncoder) uvarint(x uint64) {
	_, _ = e.w.Write(binary.AppendUvarint(e.buf[:0], x)) // bufio keeps the first error for Flush
}

func (e *snapEncoder) varint(x int64) { _, _ = e.w.Write(binary.AppendVarint(e.buf[:0], x)) }

func (e *snapEncoder) bool(b bool) {
	if b {
		_ = e.w.WriteByte(1)
	} else {
		_ = e.w.WriteByte(0)
	}
}

// str writes a short string that came before as 2+its index in the table both sides keep, a
// new short one as 1 and its bytes (it joins the table), a long one as 0 and its bytes.
func (e *snapEncoder) str(s string) {
	if len(s) <= maxSharedString {
		if i, ok := e.strs[s]; ok {
			e.uvarint(i + 2)
			return
		}
		e.strs[s] = uint64(len(e.strs))
		e.uvarint(1)
	} else {
		e.uvarint(0)
	}
	e.uvarint(uint64(len(s)))
	_, _ = e.w.WriteString(s)
}

type snapDecoder struct {
	r    *bufio.Reader
	strs []string
	m    *Memory // the Memory being read, for its interned ids and lists of days
}

func (d *snapDecoder) bool() (bool, error) {
	b, err := d.r.ReadByte()
	if err == nil && b > 1 {
		err = errors.New("bad boolean")
	}
	return b == 1, err
}

// count reads the length of a slice or map, nil for 0.
func (d *snapDecoder) count() (n int, isNil bool, err error) {
	x, err := binary.ReadUvarint(d.r)
	switch {
	case err != nil:
		return 0, true, err
	case x == 0:
		return 0, true, nil
	case x-1 > maxSnapshotCount:
		return 0, true, fmt.Errorf("count %d too large", x-1)
	}
	return int(x - 1), false, nil
}

func (d *snapDecoder) str() (string, error) {
	tag, err := binary.ReadUvarint(d.r)
	if err != nil {
		return "", err
	}
	if tag >= 2 {
		if tag-2 >= uint64(len(d.strs)) {
			return "", errors.New("bad string reference")
		}
		return d.strs[tag-2], nil
	}
	n, err := binary.ReadUvarint(d.r)
	switch {
	case err != nil:
		return "", err
	case tag == 1 && n > maxSharedString, n > maxSnapshotString:
		return "", fmt.Errorf("string of %d bytes too long", n)
	}
	var s string
	if n <= 1<<16 {
		b := make([]byte, n)
		if _, err := io.ReadFull(d.r, b); err != nil {
			return "", err
		}
		s = string(b)
	} else { // grows as the bytes arrive, not as the length claims
		var b bytes.Buffer
		if m, err := io.CopyN(&b, d.r, int64(n)); err != nil || m != int64(n) {
			return "", io.ErrUnexpectedEOF
		}
		s = b.String()
	}
	if tag == 1 {
		d.strs = append(d.strs, s)
	}
	return s, nil
}

// WriteSnapshot writes the whole state (rows and every projection's checkpoint) to w,
// consistent: it encodes under the read lock, so appliers (and, behind a waiting applier, new
// reads) wait until it is written; w should be quick (a local file, not the network).
func (m *Memory) WriteSnapshot(w io.Writer) error {
	p := snapshotCodecs()
	if p.err != nil {
		return p.err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	_, _ = bw.Write(snapshotMagic)
	_, _ = bw.Write(binary.AppendUvarint(nil, snapshotFormat))
	_, _ = bw.Write(binary.LittleEndian.AppendUint64(nil, p.fingerprint))
	m.mu.RLock()
	// The table holds the interned ids and about as many other short strings (names, emails):
	// sized for them, it does not grow while the read lock is held.
	e := &snapEncoder{w: bw, strs: make(map[string]uint64, 4*len(m.strs))}
	mv := reflect.ValueOf(m).Elem()
	for i, f := range p.fields {
		p.codecs[i].enc(e, settable(mv.FieldByIndex(f.Index)))
	}
	m.mu.RUnlock()
	_, _ = bw.Write(snapshotEnd)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("projections: write snapshot: %w", err)
	}
	return nil
}

// ReadSnapshot replaces the state of an empty Memory with the snapshot from r; on any error
// the Memory stays empty. ErrSnapshotFormat when r holds another format version (or other
// rows, or no snapshot).
func (m *Memory) ReadSnapshot(r io.Reader) (err error) {
	p := snapshotCodecs()
	if p.err != nil {
		return p.err
	}
	defer func() {
		if x := recover(); x != nil { // never expected: the decoders check what they read
			err = fmt.Errorf("projections: read snapshot: %v", x)
		}
	}()
	if !m.empty() {
		return errors.New("projections: read snapshot: the memory read models are not empty")
	}
	n := NewMemory()
	d := &snapDecoder{r: bufio.NewReaderSize(r, 1<<16), m: n}
	if err := d.header(p.fingerprint); err != nil {
		return err
	}
	nv := reflect.ValueOf(n).Elem()
	for i, f := range p.fields {
		if err := p.codecs[i].dec(d, settable(nv.FieldByIndex(f.Index))); err != nil {
			return fmt.Errorf("projections: read snapshot: %s: %w", f.Name, noEOF(err))
		}
	}
	end := make([]byte, len(snapshotEnd))
	if _, err := io.ReadFull(d.r, end); err != nil || !bytes.Equal(end, snapshotEnd) {
		return errors.New("projections: read snapshot: no end mark")
	}
	if _, err := d.r.ReadByte(); err != io.EOF {
		return errors.New("projections: read snapshot: data after the end mark")
	}
	if err := n.rebuild(); err != nil {
		return fmt.Errorf("projections: read snapshot: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.emptyLocked() {
		return errors.New("projections: read snapshot: the memory read models are not empty")
	}
	for _, f := range slices.Concat(snapshotFields, []string{"strs", "daySets"}) {
		settable(reflect.ValueOf(m).Elem().FieldByName(f)).Set(settable(nv.FieldByName(f)))
	}
	return nil
}

// noEOF turns a premature end into io.ErrUnexpectedEOF: a snapshot never ends inside a field.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

func (d *snapDecoder) header(fingerprint uint64) error {
	magic := make([]byte, len(snapshotMagic))
	if _, err := io.ReadFull(d.r, magic); err != nil || !bytes.Equal(magic, snapshotMagic) {
		return fmt.Errorf("%w (no snapshot header)", ErrSnapshotFormat)
	}
	v, err := binary.ReadUvarint(d.r)
	if err != nil || v != snapshotFormat {
		return fmt.Errorf("%w (format %d, want %d)", ErrSnapshotFormat, v, snapshotFormat)
	}
	var fp [8]byte
	if _, err := io.ReadFull(d.r, fp[:]); err != nil || binary.LittleEndian.Uint64(fp[:]) != fingerprint {
		return fmt.Errorf("%w (rows of another version)", ErrSnapshotFormat)
	}
	return nil
}

// rebuild restores what a snapshot leaves out (derivedFields) and checks what the rows take
// for granted.
func (m *Memory) rebuild() error {
	if m.checkpoints == nil {
		m.checkpoints = map[string]uint64{}
	}
	for _, p := range []any{m.workshops, m.lists, m.sheets, m.cafes, m.followUps, m.feedback, m.materials} {
		if reflect.ValueOf(p).IsNil() {
			return errors.New("missing rows")
		}
	}
	for w, r := range m.workshops {
		if r == nil || r.sessions == nil || r.holders == nil || r.revisions == nil {
			return fmt.Errorf("workshop %s: incomplete rows", w)
		}
	}
	for k, c := range m.cafes {
		if c == nil || c.preferences == nil || c.notes == nil {
			return fmt.Errorf("café %s/%s: incomplete rows", k.w, k.s)
		}
	}
	for w, b := range m.followUps {
		if b == nil || b.topics == nil || b.votes == nil || b.items == nil {
			return fmt.Errorf("workshop %s: incomplete follow-up rows", w)
		}
		for _, t := range b.topics {
			if t == nil || t.history == nil {
				return fmt.Errorf("workshop %s: incomplete topic", w)
			}
		}
		for _, it := range b.items {
			if it == nil {
				return fmt.Errorf("workshop %s: empty action item", w)
			}
		}
	}
	for w, b := range m.feedback {
		if b == nil || b.questionnaires == nil || b.answers == nil {
			return fmt.Errorf("workshop %s: incomplete feedback rows", w)
		}
	}
	for k, mr := range m.materials {
		if mr == nil || mr.versions == nil {
			return fmt.Errorf("material %s/%s: incomplete rows", k.workshop, k.id)
		}
	}
	for w, l := range m.lists {
		if l == nil {
			return fmt.Errorf("workshop %s: no registration list", w)
		}
		l.byID = make(map[domain.RegistrationID]*registrationEntry, len(l.entries))
		for _, e := range l.entries {
			if e == nil {
				return fmt.Errorf("workshop %s: empty registration", w)
			}
			l.byID[e.row.ID] = e
		}
	}
	for w, s := range m.sheets {
		if s == nil || s.sessions == nil || s.attendees == nil || s.checkIns == nil {
			return fmt.Errorf("workshop %s: incomplete attendance sheet", w)
		}
		for id, a := range s.attendees {
			if a == nil {
				return fmt.Errorf("workshop %s: empty attendee", w)
			}
			a.id = id
		}
		for _, set := range s.checkIns {
			if set.len() > 0 && set.max() >= len(s.slots) {
				return fmt.Errorf("workshop %s: check-in at an unknown session", w)
			}
		}
	}
	return nil
}

// empty reports whether nothing was applied to m or read into it.
func (m *Memory) empty() bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.emptyLocked()
}

func (m *Memory) emptyLocked() bool {
	return len(m.checkpoints) == 0 && len(m.workshops) == 0 && len(m.lists) == 0 && len(m.sheets) == 0 &&
		len(m.cafes) == 0 && len(m.followUps) == 0 && len(m.feedback) == 0 && len(m.materials) == 0 && m.forgotAt == 0
}
