package postgres

import (
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// materialStatements are the SQL of the materials' row operations (materials.v1).
type materialStatements struct {
	put, putVersion, setTitle, setPersonal, remove string
}

// newMaterialStatements builds the statements; q puts them into a generation schema.
func newMaterialStatements(q func(string) string) materialStatements {
	return materialStatements{
		put: q(`INSERT INTO rm.materials (workshop, id, ordinal, title, session, tbl, added_at, removed, personal)
			VALUES ($1, $2, $3, $4, $5, $6, $7, false, $8) ON CONFLICT (workshop, id) DO UPDATE SET ordinal = $3, title = $4,
			session = $5, tbl = $6, added_at = $7, removed = false, personal = $8`),
		// A version of a material that is not there is dropped, as the memory store does.
		putVersion: q(`INSERT INTO rm.material_versions (workshop, material, version, name, size, sha256, content_type, uploaded_by, uploaded_at)
			SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 WHERE EXISTS (SELECT 1 FROM rm.materials WHERE workshop = $1 AND id = $2)
			ON CONFLICT (workshop, material, version) DO UPDATE SET name = $4, size = $5, sha256 = $6, content_type = $7,
			uploaded_by = $8, uploaded_at = $9`),
		setTitle:    q(`UPDATE rm.materials SET title = $3 WHERE workshop = $1 AND id = $2`),
		setPersonal: q(`UPDATE rm.materials SET personal = $3 WHERE workshop = $1 AND id = $2`),
		remove:      q(`UPDATE rm.materials SET removed = true WHERE workshop = $1 AND id = $2`),
	}
}

func (r *rowQueue) PutMaterial(m projections.MaterialRow) {
	r.b.Queue(r.q.material.put, m.Workshop, m.ID, int64(m.Ordinal), m.Title, m.SessionID, m.TableID, m.AddedAt, m.Personal)
}

func (r *rowQueue) PutMaterialVersion(w domain.WorkshopID, id domain.MaterialID, v projections.MaterialVersion) {
	r.b.Queue(r.q.material.putVersion, w, id, v.Version, v.Name, v.Size, v.SHA256, v.ContentType, v.UploadedBy, v.At)
}

func (r *rowQueue) SetMaterialPersonal(w domain.WorkshopID, id domain.MaterialID, personal bool) {
	r.b.Queue(r.q.material.setPersonal, w, id, personal)
}

func (r *rowQueue) SetMaterialTitle(w domain.WorkshopID, id domain.MaterialID, title string) {
	r.b.Queue(r.q.material.setTitle, w, id, title)
}

func (r *rowQueue) RemoveMaterial(w domain.WorkshopID, id domain.MaterialID) {
	r.b.Queue(r.q.material.remove, w, id)
}
