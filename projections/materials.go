package projections

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// Materials builds the list of each workshop's files (slides, PDFs, photos, minutes) with
// every version. The bytes are in the object store; the rows describe them.
type Materials struct{}

// Name is stable: changing it rebuilds the model from the start of the log.
func (Materials) Name() string { return "materials.v1" }

// Apply writes the rows that follow from e.
func (Materials) Apply(_ context.Context, tx Tx, r domain.Recorded) error {
	w := r.Workshop
	switch e := r.Event.(type) {
	case domain.MaterialAdded:
		tx.PutMaterial(MaterialRow{Workshop: w, ID: e.MaterialID, Ordinal: r.Seq, Title: e.Title,
			SessionID: e.SessionID, TableID: e.TableID, AddedAt: r.At, Personal: e.Personal})
		tx.PutMaterialVersion(w, e.MaterialID, MaterialVersion{Version: 1, MaterialFile: e.MaterialFile, At: r.At})
	case domain.MaterialReplaced:
		tx.PutMaterialVersion(w, e.MaterialID, MaterialVersion{Version: e.Version, MaterialFile: e.MaterialFile, At: r.At})
		if e.Title != "" {
			tx.SetMaterialTitle(w, e.MaterialID, e.Title)
		}
	case domain.MaterialRemoved:
		tx.RemoveMaterial(w, e.MaterialID)
	case domain.MaterialPersonalMarked:
		tx.SetMaterialPersonal(w, e.MaterialID, e.Personal)
	}
	return nil
}

// MaterialRow is a material as added. Ordinal orders the list (the sequence that added it).
type MaterialRow struct {
	Workshop  domain.WorkshopID
	ID        domain.MaterialID
	Ordinal   uint64
	Title     string
	SessionID domain.SessionID
	TableID   domain.TableID
	AddedAt   time.Time
	// Personal says the material shows people or holds personal data (it goes with its
	// uploader's erasure).
	Personal bool
}

// MaterialVersion is one version of a material: the file and when it was uploaded.
type MaterialVersion struct {
	Version int `json:"version"`
	domain.MaterialFile
	At time.Time `json:"uploaded_at"`
}

// MaterialRows are the rows of Materials. Operations on a material that does not exist do
// nothing.
type MaterialRows interface {
	PutMaterial(m MaterialRow)
	// PutMaterialVersion records a version, replacing one of the same number.
	PutMaterialVersion(w domain.WorkshopID, id domain.MaterialID, v MaterialVersion)
	SetMaterialTitle(w domain.WorkshopID, id domain.MaterialID, title string)
	SetMaterialPersonal(w domain.WorkshopID, id domain.MaterialID, personal bool)
	// RemoveMaterial takes the material off the list; its versions stay in the rows, unread.
	RemoveMaterial(w domain.WorkshopID, id domain.MaterialID)
}

// MaterialReader reads materials.
type MaterialReader interface {
	// Materials returns the workshop's materials that are not removed, in the order they were
	// added, each with its versions; none for a workshop without any (or unknown).
	Materials(ctx context.Context, w domain.WorkshopID) ([]MaterialView, error)
	// Material returns one material with its versions, or domain.ErrMaterialNotFound (also
	// once removed).
	Material(ctx context.Context, w domain.WorkshopID, id domain.MaterialID) (MaterialView, error)
	// BytesInUse reports whether the object store's bytes of sha256 (lower-case hex) are still
	// read: by a version of a material that is not removed, of any workshop, or by a workshop's
	// funder logo. Removing a material purges its bytes when they are not.
	BytesInUse(ctx context.Context, sha256 string) (bool, error)
}

// MaterialView is a material with its current file and every version, oldest first.
type MaterialView struct {
	MaterialRow
	Versions []MaterialVersion
}

// Current returns the material's latest version.
func (m MaterialView) Current() MaterialVersion {
	if len(m.Versions) == 0 {
		return MaterialVersion{}
	}
	return m.Versions[len(m.Versions)-1]
}

// Version returns version n of the material.
func (m MaterialView) Version(n int) (MaterialVersion, bool) {
	for _, v := range m.Versions {
		if v.Version == n {
			return v, true
		}
	}
	return MaterialVersion{}, false
}

// SortMaterials orders materials as lists show them: by when they were added, then id; and
// each one's versions by number.
func SortMaterials(ms []MaterialView) {
	for _, m := range ms {
		slices.SortFunc(m.Versions, func(a, b MaterialVersion) int { return cmp.Compare(a.Version, b.Version) })
	}
	slices.SortFunc(ms, func(a, b MaterialView) int {
		return cmp.Or(cmp.Compare(a.Ordinal, b.Ordinal), cmp.Compare(a.ID, b.ID))
	})
}
