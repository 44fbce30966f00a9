package projectionstest

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// testMaterials: materials are listed in the order they were added with every version, a
// replaced one shows its new title and keeps its old versions, a removed one is gone, and a
// store takes whatever text the log holds (a hand-made event may carry a NUL).
func testMaterials(t *testing.T, s projections.Store) {
	at := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	file := func(name, sum string, size int64) domain.MaterialFile {
		return domain.MaterialFile{Name: name, Size: size, SHA256: strings.Repeat(sum, 32), ContentType: "application/pdf", UploadedBy: "organiser"}
	}
	rec := func(seq uint64, w domain.WorkshopID, e domain.Event) domain.Recorded {
		return domain.Recorded{Seq: seq, Workshop: w, At: at.Add(time.Duration(seq) * time.Minute), Actor: "organiser", Event: e}
	}
	events := []domain.Recorded{
		rec(1, w1, domain.WorkshopScheduled{ID: w1, Title: "Nord", Venue: "Rathaus", Days: []domain.Day{d1}, Capacity: 5}),
		rec(2, w1, domain.MaterialAdded{MaterialID: "m2", Title: "Folien", SessionID: "s1", MaterialFile: file("Folien.pdf", "0a", 10)}),
		rec(3, w1, domain.MaterialAdded{MaterialID: "m1", Title: "Pro\x00tokoll\xff", TableID: "t1", MaterialFile: file("Proto\x00koll.pdf", "0b", 20)}),
		rec(4, w1, domain.MaterialReplaced{MaterialID: "m2", Version: 2, Title: "Folien (final)", MaterialFile: file("Folien2.pdf", "0c", 30)}),
		rec(5, w1, domain.MaterialAdded{MaterialID: "m3", MaterialFile: file("weg.pdf", "0d", 40)}),
		rec(6, w1, domain.MaterialRemoved{MaterialID: "m3"}),
		rec(7, w1, domain.MaterialReplaced{MaterialID: "m9", Version: 2, MaterialFile: file("niemand.pdf", "0e", 50)}),
		rec(8, w1, domain.MaterialPersonalMarked{MaterialID: "m2", Personal: true}),
		rec(9, w1, domain.MaterialPersonalMarked{MaterialID: "m2", Personal: false}),
		rec(10, w1, domain.MaterialAdded{MaterialID: "m4", Personal: true, MaterialFile: file("Gruppe.pdf", "0f", 60)}),
		rec(11, w1, domain.MaterialAdded{MaterialID: "m5", MaterialFile: file("Namen.pdf", "1a", 70)}),
		rec(12, w1, domain.MaterialPersonalMarked{MaterialID: "m5", Personal: true}),
		rec(13, w1, domain.MaterialRemoved{MaterialID: "m4", Reason: domain.MaterialErasure}),
		rec(14, w1, domain.MaterialPersonalMarked{MaterialID: "m9", Personal: true}),
	}
	for _, n := range []int{1, 7} { // the second pass redelivers every event
		ApplyAll(t, s, events, n)
	}
	ctx := context.Background()
	list, err := s.Materials(ctx, w1)
	if err != nil {
		t.Fatalf("Materials: %v", err)
	}
	if len(list) != 3 || list[0].ID != "m2" || list[1].ID != "m1" || list[2].ID != "m5" {
		t.Fatalf("Materials = %+v, want m2, m1 and m5 in the order they were added", list)
	}
	if list[0].Personal || list[1].Personal || !list[2].Personal {
		t.Errorf("personal: m2 %v, m1 %v, m5 %v; want only m5 (marked) personal", list[0].Personal, list[1].Personal, list[2].Personal)
	}
	m2 := list[0]
	want := projections.MaterialView{
		MaterialRow: projections.MaterialRow{Workshop: w1, ID: "m2", Ordinal: 2, Title: "Folien (final)", SessionID: "s1", AddedAt: at.Add(2 * time.Minute)},
		Versions: []projections.MaterialVersion{{Version: 1, MaterialFile: file("Folien.pdf", "0a", 10), At: at.Add(2 * time.Minute)},
			{Version: 2, MaterialFile: file("Folien2.pdf", "0c", 30), At: at.Add(4 * time.Minute)}}}
	if !reflect.DeepEqual(m2, want) {
		t.Errorf("m2 = %+v\nwant %+v", m2, want)
	}
	if c := m2.Current(); c.Version != 2 || c.Name != "Folien2.pdf" {
		t.Errorf("current version of m2 = %+v", c)
	}
	if m1 := list[1]; !strings.HasPrefix(m1.Title, "Pro") || len(m1.Versions) != 1 || !strings.HasPrefix(m1.Versions[0].Name, "Proto") || m1.TableID != "t1" {
		t.Errorf("m1 = %+v, want its title and name as text can hold them", m1)
	}
	one, err := s.Material(ctx, w1, "m2")
	if err != nil || !reflect.DeepEqual(one, want) {
		t.Errorf("Material(m2) = %+v, %v", one, err)
	}
	for _, id := range []domain.MaterialID{"m3", "m4", "m9", "nope"} {
		if _, err := s.Material(ctx, w1, id); !errors.Is(err, domain.ErrMaterialNotFound) {
			t.Errorf("Material(%s) = %v, want ErrMaterialNotFound", id, err)
		}
	}
	if none, err := s.Materials(ctx, w2); err != nil || len(none) != 0 {
		t.Errorf("Materials of a workshop without any = %v, %v", none, err)
	}
}
