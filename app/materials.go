package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Materials (issue 16): the organisers of a workshop upload files to it, to one of its sessions
// or to a theme café's table; whoever sees the workshop downloads them. The bytes go to the
// object store (Blobs) while they are checked: the type is detected from the first bytes and
// must agree with the name's extension, and the size is counted against the limit as the bytes
// pass, so that no upload is held in memory whole.

// Upload is a file as a client sends it: the name it gives and its bytes.
type Upload struct {
	Name string
	Body io.Reader
}

// MaterialText is what an organiser says of a material besides the file.
type MaterialText struct {
	Title     string
	SessionID domain.SessionID
	TableID   domain.TableID
	// Personal marks the material as showing people or holding personal data: it is removed
	// with its uploader's erasure.
	Personal bool
}

// materialTypes maps a name's extension to the type a material of it has, and the type that
// http.DetectContentType must find in its first bytes.
var materialTypes = map[string]struct{ stored, sniffed string }{
	".pdf":      {"application/pdf", "application/pdf"},
	".png":      {"image/png", "image/png"},
	".jpg":      {"image/jpeg", "image/jpeg"},
	".jpeg":     {"image/jpeg", "image/jpeg"},
	".gif":      {"image/gif", "image/gif"},
	".webp":     {"image/webp", "image/webp"},
	".txt":      {"text/plain; charset=utf-8", "text/plain; charset=utf-8"},
	".md":       {"text/markdown; charset=utf-8", "text/plain; charset=utf-8"},
	".markdown": {"text/markdown; charset=utf-8", "text/plain; charset=utf-8"},
	".csv":      {"text/csv; charset=utf-8", "text/plain; charset=utf-8"},
	".docx":     {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"},
	".xlsx":     {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"},
	".pptx":     {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "application/zip"},
	".odt":      {"application/vnd.oasis.opendocument.text", "application/zip"},
	".ods":      {"application/vnd.oasis.opendocument.spreadsheet", "application/zip"},
	".odp":      {"application/vnd.oasis.opendocument.presentation", "application/zip"},
}

// MaterialType returns the content type a file of name whose first bytes are head is stored
// and served with: its extension must name an allowed type and its bytes must be of it (a
// PDF that is HTML inside is refused, as is an executable named .docx), else
// domain.ErrMaterialType.
func MaterialType(name string, head []byte) (string, error) {
	ext := strings.ToLower(path.Ext(name))
	t, ok := materialTypes[ext]
	if !ok {
		return "", fmt.Errorf("%w: %q is not an extension of PDF, image, text, CSV or office files", domain.ErrMaterialType, ext)
	}
	if got := http.DetectContentType(head); got != t.sniffed {
		return "", fmt.Errorf("%w: the file named %s holds %s", domain.ErrMaterialType, ext, got)
	}
	return t.stored, nil
}

// maxMaterialBytes is the instance's limit of one file.
func (a *App) maxMaterialBytes() int64 {
	if a.cfg.MaxMaterialBytes > 0 {
		return a.cfg.MaxMaterialBytes
	}
	return domain.DefaultMaxMaterialBytes
}

// MaxMaterialBytes is the largest file a material may be on this instance.
func (a *App) MaxMaterialBytes() int64 { return a.maxMaterialBytes() }

// limitedReader fails with domain.ErrMaterialTooLarge once more than max bytes passed.
type limitedReader struct {
	r   io.Reader
	max int64
	n   int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > l.max {
		return 0, fmt.Errorf("%w: more than %d bytes", domain.ErrMaterialTooLarge, l.max)
	}
	return n, err
}

// StoreUpload checks u's name, type and size while it stores its bytes for workshop id, and
// describes the file as uploaded by op's actor. The file is no material yet: AddMaterial or
// ReplaceMaterial records it (a multipart form may send the other fields after the file).
func (a *App) StoreUpload(ctx context.Context, id domain.WorkshopID, op Op, u Upload) (domain.MaterialFile, error) {
	if _, err := a.cfg.Reader.Workshop(ctx, id); err != nil {
		return domain.MaterialFile{}, err // do not store bytes for a workshop that does not exist
	}
	name := domain.CleanFileName(u.Name)
	if name == "" {
		return domain.MaterialFile{}, domain.FieldErrors{{Field: "file", Code: domain.CodeRequired, Detail: "must be a file with a name"}}
	}
	if a.cfg.Blobs == nil {
		return domain.MaterialFile{}, ErrNoBlobs
	}
	br := bufio.NewReaderSize(u.Body, 512)
	head, err := br.Peek(512)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return domain.MaterialFile{}, err // the client's body broke off (or was over a limit)
	}
	if len(head) == 0 {
		return domain.MaterialFile{}, domain.FieldErrors{{Field: "file", Code: domain.CodeRequired, Detail: "must not be empty"}}
	}
	ct, err := MaterialType(name, head)
	if err != nil {
		return domain.MaterialFile{}, err
	}
	digest, size, err := a.cfg.Blobs.PutStream(ctx, ct, &limitedReader{r: br, max: a.maxMaterialBytes()})
	if err != nil {
		return domain.MaterialFile{}, err
	}
	return domain.MaterialFile{Name: name, Size: size, SHA256: strings.TrimPrefix(digest, "sha256:"), ContentType: ct,
		UploadedBy: op.Actor}, nil
}

// AddMaterial adds f (stored by StoreUpload) as a new material of workshop id. With an
// idempotency key, op's Body is taken to be MaterialFingerprint's, so that the same upload
// repeated is recognised by its digest, not its bytes.
func (a *App) AddMaterial(ctx context.Context, id domain.WorkshopID, op Op, f domain.MaterialFile, text MaterialText) (domain.MaterialAdded, error) {
	op.Body = MaterialFingerprint(f, text)
	mid := domain.MaterialID(a.cfg.NewID())
	res, err := a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		return w.AddMaterial(domain.AddMaterial{ID: mid, Title: text.Title, SessionID: text.SessionID, TableID: text.TableID, File: f,
			Personal: text.Personal})
	})
	if err != nil {
		return domain.MaterialAdded{}, err
	}
	for _, e := range res.Events {
		if added, ok := e.(domain.MaterialAdded); ok {
			return added, nil
		}
	}
	return domain.MaterialAdded{}, fmt.Errorf("%w: the upload decided no material", domain.ErrConflict)
}

// ReplaceMaterial records f (stored by StoreUpload) as the new version of material mid of
// workshop id; a title other than "" replaces the material's.
func (a *App) ReplaceMaterial(ctx context.Context, id domain.WorkshopID, mid domain.MaterialID, op Op, f domain.MaterialFile, title string) (domain.MaterialReplaced, error) {
	op.Body = MaterialFingerprint(f, MaterialText{Title: title})
	res, err := a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		return w.ReplaceMaterial(domain.ReplaceMaterial{ID: mid, Title: title, File: f})
	})
	if err != nil {
		return domain.MaterialReplaced{}, err
	}
	for _, e := range res.Events {
		if r, ok := e.(domain.MaterialReplaced); ok {
			return r, nil
		}
	}
	return domain.MaterialReplaced{}, fmt.Errorf("%w: the upload decided no version", domain.ErrConflict)
}

// RemoveMaterial removes material mid of workshop id and then purges the bytes of its versions
// from the object store that no other material (of any workshop, not removed) and no funder
// logo uses: the log keeps only the fact that the file was there (its name, size and digest).
// A purge that fails (the object store out of reach) is logged and leaves the bytes,
// unreachable through the workshop; the removal stands.
func (a *App) RemoveMaterial(ctx context.Context, id domain.WorkshopID, op Op, mid domain.MaterialID) (domain.Appended, error) {
	m, merr := a.cfg.Reader.Material(ctx, id, mid)
	res, err := a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		return w.RemoveMaterial(domain.RemoveMaterial{ID: mid})
	})
	if err != nil || merr != nil || len(res.Events) == 0 {
		return res, err // a repeat by key purged when it was first decided
	}
	a.purgeMaterialBytes(ctx, m)
	return res, nil
}

// MarkMaterialPersonal marks material mid of workshop id as personal (it shows people or holds
// personal data, and goes with its uploader's erasure) or not. Organisers only.
func (a *App) MarkMaterialPersonal(ctx context.Context, id domain.WorkshopID, op Op, mid domain.MaterialID, personal bool) (domain.Appended, error) {
	op.Actor = organiserActor(op.Actor)
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		return w.MarkMaterialPersonal(mid, personal)
	})
}

// purgeMaterialBytes deletes the bytes of m's versions that nothing reads any more.
func (a *App) purgeMaterialBytes(ctx context.Context, m projections.MaterialView) {
	digests := make([]string, 0, len(m.Versions))
	for _, v := range m.Versions {
		digests = append(digests, v.SHA256)
	}
	a.purgeDigests(ctx, m.Workshop, m.ID, digests)
}

// purgeDigests deletes the bytes under digests (of material mid of workshop id, removed) that
// nothing reads any more.
func (a *App) purgeDigests(ctx context.Context, id domain.WorkshopID, mid domain.MaterialID, digests []string) {
	if a.cfg.Blobs == nil {
		return
	}
	done := map[string]bool{}
	for _, d := range digests {
		if done[d] {
			continue
		}
		done[d] = true
		used, err := a.cfg.Reader.BytesInUse(ctx, d)
		if err == nil && !used {
			err = a.cfg.Blobs.Delete(ctx, "sha256:"+d)
		}
		if err != nil {
			a.cfg.Logger.Warn("the bytes of a removed material stay in the object store", "workshop", id,
				"material", mid, "sha256", d, "err", err)
		}
	}
}

// erasedMaterials returns, for the materials of w that events remove for an erasure, the
// digests of their versions.
func erasedMaterials(w domain.Workshop, events []domain.Event) map[domain.MaterialID][]string {
	out := map[domain.MaterialID][]string{}
	for _, e := range events {
		r, ok := e.(domain.MaterialRemoved)
		if !ok || r.Reason != domain.MaterialErasure {
			continue
		}
		if m, ok := w.Materials[r.MaterialID]; ok {
			for _, v := range m.Versions {
				out[r.MaterialID] = append(out[r.MaterialID], v.SHA256)
			}
		}
	}
	return out
}

// purgeErased purges the bytes of the materials an erasure removed (erasedMaterials).
func (a *App) purgeErased(ctx context.Context, id domain.WorkshopID, removed map[domain.MaterialID][]string) {
	for mid, digests := range removed {
		a.purgeDigests(ctx, id, mid, digests)
	}
}

// removePersonalUploads removes, in every workshop, the personal materials that account
// uploaded (a removal for the erasure) and purges their bytes that nothing else uses.
func (a *App) removePersonalUploads(ctx context.Context, op Op, account domain.AccountID) error {
	workshops, err := a.cfg.Reader.Workshops(ctx)
	if err != nil {
		return err
	}
	prefix := "account:" + string(account) + ":"
	for _, w := range workshops {
		one := op
		if one.Key != "" {
			one.Key = op.Key + " uploads " + string(w.ID)
		}
		var removed map[domain.MaterialID][]string
		if _, err := a.decide(ctx, w.ID, one, func(s domain.Workshop) ([]domain.Event, error) {
			events := s.RemovePersonalUploads(prefix)
			removed = erasedMaterials(s, events)
			return events, nil
		}); err != nil {
			return err
		}
		a.purgeErased(ctx, w.ID, removed)
	}
	return nil
}

// MaterialFingerprint is what identifies an upload for its idempotency key: the file's digest
// and name and what was said of it, not its bytes.
func MaterialFingerprint(f domain.MaterialFile, t MaterialText) []byte {
	return fmt.Appendf(nil, "%s\x00%s\x00%s\x00%s\x00%s\x00%t", f.SHA256, f.Name, t.Title, t.SessionID, t.TableID, t.Personal)
}

// OpenMaterial returns a reader of version v's bytes (to be closed). A version the object store
// lost is domain.ErrUnavailable: the material exists, its bytes cannot be had now.
func (a *App) OpenMaterial(ctx context.Context, v projections.MaterialVersion) (io.ReadCloser, error) {
	if a.cfg.Blobs == nil {
		return nil, ErrNoBlobs
	}
	rc, err := a.cfg.Blobs.Open(ctx, "sha256:"+v.SHA256)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, fmt.Errorf("%w: the file %s is not in the object store", domain.ErrUnavailable, v.SHA256)
	}
	return rc, err
}
