package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Materials returns the workshop's materials that are not removed, with their versions.
func (s *Store) Materials(ctx context.Context, w domain.WorkshopID) ([]projections.MaterialView, error) {
	w = readable(w) // as stored (see readable)
	var out []projections.MaterialView
	err := read(ctx, "materials", func(ctx context.Context) error {
		var err error
		out, err = s.materials(ctx, w, "")
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Material returns one material that is not removed, or domain.ErrMaterialNotFound.
func (s *Store) Material(ctx context.Context, w domain.WorkshopID, id domain.MaterialID) (projections.MaterialView, error) {
	w, id = readable(w), readable(id) // as stored (see readable)
	var out []projections.MaterialView
	err := read(ctx, "material", func(ctx context.Context) error {
		var err error
		out, err = s.materials(ctx, w, id)
		return err
	})
	if err != nil {
		return projections.MaterialView{}, err
	}
	if len(out) == 0 {
		return projections.MaterialView{}, domain.ErrMaterialNotFound
	}
	return out[0], nil
}

// materials reads the materials of w that are not removed (only id, unless "") in one round
// trip.
func (s *Store) materials(ctx context.Context, w domain.WorkshopID, id domain.MaterialID) ([]projections.MaterialView, error) {
	out := []projections.MaterialView{}
	byID := map[domain.MaterialID]int{}
	only := ` AND ($2 = '' OR id = $2)`
	b := &pgx.Batch{}
	b.Queue(`SELECT id, ordinal, title, session, tbl, added_at, personal FROM werkstatt.materials
		WHERE workshop = $1 AND NOT removed`+only, w, id).Query(func(rows pgx.Rows) error {
		var m projections.MaterialRow
		var ordinal int64
		_, err := pgx.ForEachRow(rows, []any{&m.ID, &ordinal, &m.Title, &m.SessionID, &m.TableID, &m.AddedAt, &m.Personal}, func() error {
			m.Workshop, m.Ordinal = w, uint64(ordinal)
			byID[m.ID] = len(out)
			out = append(out, projections.MaterialView{MaterialRow: m})
			return nil
		})
		return err
	})
	b.Queue(`SELECT material, version, name, size, sha256, content_type, uploaded_by, uploaded_at FROM werkstatt.material_versions
		WHERE workshop = $1 AND ($2 = '' OR material = $2)`, w, id).Query(func(rows pgx.Rows) error {
		var mid domain.MaterialID
		var v projections.MaterialVersion
		_, err := pgx.ForEachRow(rows, []any{&mid, &v.Version, &v.Name, &v.Size, &v.SHA256, &v.ContentType, &v.UploadedBy, &v.At}, func() error {
			if i, ok := byID[mid]; ok {
				v.At = v.At.UTC()
				out[i].Versions = append(out[i].Versions, v)
			}
			return nil
		})
		return err
	})
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].AddedAt = out[i].AddedAt.UTC()
	}
	projections.SortMaterials(out)
	return out, nil
}

// BytesInUse reports whether a material that is not removed (of any workshop) or a funder logo
// uses the bytes of sha256.
func (s *Store) BytesInUse(ctx context.Context, sha256 string) (bool, error) {
	var used bool
	err := read(ctx, "bytes in use", func(ctx context.Context) error {
		return s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM werkstatt.material_versions v
				JOIN werkstatt.materials m ON m.workshop = v.workshop AND m.id = v.material
				WHERE v.sha256 = $1 AND NOT m.removed)
			OR EXISTS (SELECT 1 FROM werkstatt.workshops WHERE funding->'logo'->>'digest' = 'sha256:' || $1)`, sha256).Scan(&used)
	})
	return used, err
}
