package projections

import (
	"context"
	"slices"

	"github.com/werkstatt/werkstatt/domain"
)

// materialRows are the rows of one material in a Memory store.
type materialRows struct {
	row      MaterialRow
	versions map[int]MaterialVersion
	removed  bool
}

type materialKey struct {
	workshop domain.WorkshopID
	id       domain.MaterialID
}

func (t memoryTx) PutMaterial(m MaterialRow) {
	k := materialKey{m.Workshop, m.ID}
	if old, ok := t.m.materials[k]; ok {
		old.row, old.removed = m, false
		return
	}
	t.m.materials[k] = &materialRows{row: m, versions: map[int]MaterialVersion{}}
}

func (t memoryTx) PutMaterialVersion(w domain.WorkshopID, id domain.MaterialID, v MaterialVersion) {
	if m, ok := t.m.materials[materialKey{w, id}]; ok {
		m.versions[v.Version] = v
	}
}

func (t memoryTx) SetMaterialTitle(w domain.WorkshopID, id domain.MaterialID, title string) {
	if m, ok := t.m.materials[materialKey{w, id}]; ok {
		m.row.Title = title
	}
}

func (t memoryTx) SetMaterialPersonal(w domain.WorkshopID, id domain.MaterialID, personal bool) {
	if m, ok := t.m.materials[materialKey{w, id}]; ok {
		m.row.Personal = personal
	}
}

func (t memoryTx) RemoveMaterial(w domain.WorkshopID, id domain.MaterialID) {
	if m, ok := t.m.materials[materialKey{w, id}]; ok {
		m.removed = true
	}
}

func (m *materialRows) view() MaterialView {
	v := MaterialView{MaterialRow: m.row, Versions: make([]MaterialVersion, 0, len(m.versions))}
	for _, mv := range m.versions {
		v.Versions = append(v.Versions, mv)
	}
	return v
}

// Materials returns the workshop's materials that are not removed.
func (m *Memory) Materials(_ context.Context, w domain.WorkshopID) ([]MaterialView, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := []MaterialView{}
	for k, mr := range m.materials {
		if k.workshop == w && !mr.removed {
			out = append(out, mr.view())
		}
	}
	SortMaterials(out)
	return out, nil
}

// Material returns one material that is not removed, with its versions.
func (m *Memory) Material(_ context.Context, w domain.WorkshopID, id domain.MaterialID) (MaterialView, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	mr, ok := m.materials[materialKey{w, id}]
	if !ok || mr.removed {
		return MaterialView{}, domain.ErrMaterialNotFound
	}
	v := []MaterialView{mr.view()}
	SortMaterials(v)
	v[0].Versions = slices.Clip(v[0].Versions)
	return v[0], nil
}

// BytesInUse reports whether a material that is not removed or a funder logo uses sha256.
func (m *Memory) BytesInUse(_ context.Context, sha256 string) (bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	for _, mr := range m.materials {
		if mr.removed {
			continue
		}
		for _, v := range mr.versions {
			if v.SHA256 == sha256 {
				return true, nil
			}
		}
	}
	for _, w := range m.workshops {
		if l := w.row.Funding.Logo; l != nil && l.Digest == "sha256:"+sha256 {
			return true, nil
		}
	}
	return false, nil
}
