package projections

import (
	"reflect"
	"slices"
	"strings"
)

// SnapshotDiff names the fields of a snapshot that differ between a and b, "" when none does.
func SnapshotDiff(a, b *Memory) string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	b.mu.RLock()
	defer b.mu.RUnlock()
	var diff []string
	av, bv := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for _, f := range snapshotFields {
		if !reflect.DeepEqual(settable(av.FieldByName(f)).Interface(), settable(bv.FieldByName(f)).Interface()) {
			diff = append(diff, f)
		}
	}
	return strings.Join(diff, ", ")
}

// TakeStateOf moves the state of n into m, so that a test goes on with rows read from a
// snapshot.
func (m *Memory) TakeStateOf(n *Memory) {
	m.mu.Lock()
	defer m.mu.Unlock()
	mv, nv := reflect.ValueOf(m).Elem(), reflect.ValueOf(n).Elem()
	for _, f := range slices.Concat(snapshotFields, []string{"strs", "daySets"}) {
		settable(mv.FieldByName(f)).Set(settable(nv.FieldByName(f)))
	}
}

// SnapshotLayout returns the format version and the fingerprint of the rows, and the fields
// of Memory that are neither in a snapshot nor transient.
func SnapshotLayout() (format int, fingerprint uint64, unknown []string, err error) {
	p := snapshotCodecs()
	t := reflect.TypeFor[Memory]()
	for i := range t.NumField() {
		if n := t.Field(i).Name; !slices.Contains(snapshotFields, n) && !slices.Contains(memoryTransient, n) {
			unknown = append(unknown, n)
		}
	}
	return snapshotFormat, p.fingerprint, unknown, p.err
}
