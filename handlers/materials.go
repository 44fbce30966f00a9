package handlers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Materials (issue 16): the organisers upload files to a workshop as multipart/form-data; whoever
// sees the workshop lists and downloads them. What is served is what was checked: the type
// detected at upload, as an attachment (inline only for PDF and images), nosniff, and a
// sandbox for whatever a browser still renders.

// materialJSON is a material as the API shows it: its current version and, in lists, all.
type materialJSON struct {
	ID          domain.MaterialID     `json:"id"`
	Name        string                `json:"name"`
	Title       string                `json:"title"`
	Size        int64                 `json:"size"`
	SHA256      string                `json:"sha256"`
	ContentType string                `json:"content_type"`
	Version     int                   `json:"version"`
	SessionID   domain.SessionID      `json:"session_id,omitempty"`
	TableID     domain.TableID        `json:"table_id,omitempty"`
	UploadedAt  time.Time             `json:"uploaded_at,omitzero"`
	Personal    bool                  `json:"personal,omitempty"`
	Versions    []materialVersionJSON `json:"versions,omitempty"`
}

type materialVersionJSON struct {
	Version     int       `json:"version"`
	Name        string    `json:"name"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	ContentType string    `json:"content_type"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

func materialOfView(m projections.MaterialView) materialJSON {
	cur := m.Current()
	out := materialJSON{ID: m.ID, Name: cur.Name, Title: m.Title, Size: cur.Size, SHA256: cur.SHA256, ContentType: cur.ContentType,
		Version: cur.Version, SessionID: m.SessionID, TableID: m.TableID, UploadedAt: cur.At, Personal: m.Personal}
	for _, v := range m.Versions {
		out.Versions = append(out.Versions, materialVersionJSON{Version: v.Version, Name: v.Name, Size: v.Size, SHA256: v.SHA256,
			ContentType: v.ContentType, UploadedAt: v.At})
	}
	return out
}

// maxFormField bounds a text field of the upload form (a title is at most 200 characters).
const maxFormField = 4 << 10

var errNotMultipart = newProblem(http.StatusUnsupportedMediaType, "send the file as multipart/form-data with a part named file")

// materialForm is an upload form as read: the file stored (nil for none) and the text fields.
type materialForm struct {
	file *domain.MaterialFile
	text app.MaterialText
}

// readMaterialForm streams the multipart body: the file part goes to the object store as it is
// read (app.StoreUpload checks type and size on the way); the text fields may come before or
// after it. fields lists the text fields the route takes.
func (a *api) readMaterialForm(c echo.Context, id domain.WorkshopID, op app.Op, fields ...string) (materialForm, error) {
	var form materialForm
	r := c.Request()
	mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	if err != nil || mt != "multipart/form-data" {
		return form, errNotMultipart
	}
	limit := a.cmds.MaxMaterialBytes() + maxBody // the file and the form around it
	if r.ContentLength > limit {
		return form, fmt.Errorf("%w: the body is larger than %d bytes", domain.ErrMaterialTooLarge, limit)
	}
	r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return form, errNotMultipart
	}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return form, readError(err)
		}
		name := p.FormName()
		switch {
		case name == "file":
			if form.file != nil {
				return form, domain.FieldErrors{{Field: "file", Code: domain.CodeNamedTwice, Detail: "send one file"}}
			}
			f, err := a.cmds.StoreUpload(r.Context(), id, op, app.Upload{Name: p.FileName(), Body: p})
			if err != nil {
				return form, readError(err)
			}
			form.file = &f
		case slices.Contains(fields, name):
			b, err := io.ReadAll(io.LimitReader(p, maxFormField+1))
			if err != nil {
				return form, readError(err)
			}
			if len(b) > maxFormField {
				return form, domain.FieldErrors{{Field: name, Code: domain.CodeTooLong, Detail: fmt.Sprintf("must be at most %d bytes", maxFormField)}}
			}
			switch name {
			case "title":
				form.text.Title = string(b)
			case "session_id":
				form.text.SessionID = domain.SessionID(b)
			case "table_id":
				form.text.TableID = domain.TableID(b)
			case "personal":
				switch string(b) {
				case "true":
					form.text.Personal = true
				case "false":
					form.text.Personal = false
				default:
					return form, domain.FieldErrors{{Field: name, Code: domain.CodeNotInList, Detail: "must be true or false"}}
				}
			}
		default:
			return form, domain.FieldErrors{{Field: name, Code: domain.CodeNotAllowed, Detail: "is no field of this form: " + strings.Join(append([]string{"file"}, fields...), ", ")}}
		}
		p.Close()
	}
	if form.file == nil {
		return form, domain.FieldErrors{{Field: "file", Code: domain.CodeRequired, Detail: "send the file in a part named file"}}
	}
	return form, nil
}

// readError keeps what explains itself (a rule, a limit, an outage) and calls every other
// failure to read the body a bad request.
func readError(err error) error {
	var tooLarge *http.MaxBytesError
	var fe domain.FieldErrors
	if errors.As(err, &tooLarge) || errors.As(err, &fe) || errors.Is(err, domain.ErrNotFound) || errors.Is(err, domain.ErrInvalid) ||
		errors.Is(err, domain.ErrUnavailable) || errors.Is(err, domain.ErrConflict) {
		return err
	}
	return newProblem(http.StatusBadRequest, "the multipart body could not be read to its end")
}

// uploadOp is the command's sender and idempotency for an upload: the key binds to the
// method, path and the file's digest with the fields (app.MaterialFingerprint), not to the
// bytes, which are not held.
func (a *api) uploadOp(c echo.Context) (app.Op, error) {
	key, err := idempotencyKey(c)
	if err != nil {
		return app.Op{}, err
	}
	op := app.Op{Actor: actingActor(c, app.ActorOrganiser), Key: key}
	if key != "" {
		op.Scope = c.Request().Method + " " + c.Request().URL.Path
	}
	return op, nil
}

func (a *api) addMaterial(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	op, err := a.uploadOp(c)
	if err != nil {
		return err
	}
	form, err := a.readMaterialForm(c, id, op, "title", "session_id", "table_id", "personal")
	if err != nil {
		return err
	}
	added, err := a.cmds.AddMaterial(c.Request().Context(), id, op, *form.file, form.text)
	if err != nil {
		return err
	}
	f := added.MaterialFile
	c.Response().Header().Set(echo.HeaderLocation, c.Request().URL.Path+"/"+string(added.MaterialID))
	return c.JSON(http.StatusCreated, materialJSON{ID: added.MaterialID, Name: f.Name, Title: added.Title, Size: f.Size,
		SHA256: f.SHA256, ContentType: f.ContentType, Version: 1, SessionID: added.SessionID, TableID: added.TableID, Personal: added.Personal})
}

func (a *api) replaceMaterial(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	mid, err := materialID(c)
	if err != nil {
		return err
	}
	if _, err := a.Reader.Material(c.Request().Context(), id, mid); err != nil {
		return err // store no bytes for a material that is not there
	}
	op, err := a.uploadOp(c)
	if err != nil {
		return err
	}
	form, err := a.readMaterialForm(c, id, op, "title")
	if err != nil {
		return err
	}
	r, err := a.cmds.ReplaceMaterial(c.Request().Context(), id, mid, op, *form.file, form.text.Title)
	if err != nil {
		return err
	}
	m, err := a.Reader.Material(c.Request().Context(), id, mid)
	if err != nil {
		if lagging(err) {
			f := r.MaterialFile
			return c.JSON(http.StatusOK, materialJSON{ID: mid, Name: f.Name, Title: r.Title, Size: f.Size, SHA256: f.SHA256,
				ContentType: f.ContentType, Version: r.Version})
		}
		return err
	}
	return c.JSON(http.StatusOK, materialOfView(m))
}

func (a *api) removeMaterial(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	mid, err := materialID(c)
	if err != nil {
		return err
	}
	if _, err := run(a, c, id, app.ActorOrganiser, a.cmds.RemoveMaterial, mid); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type personalBody struct {
	Personal optional[bool] `json:"personal"`
}

// markMaterialPersonal marks a material personal (it goes with its uploader's erasure) or not.
func (a *api) markMaterialPersonal(c echo.Context) error {
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	mid, err := materialID(c)
	if err != nil {
		return err
	}
	var b personalBody
	if err := decode(c, &b); err != nil {
		return err
	}
	var fe domain.FieldErrors
	personal := required(b.Personal, "personal", &fe)
	if personal == nil && len(fe) == 0 {
		fe = domain.FieldErrors{{Field: "personal", Code: domain.CodeRequired, Detail: `send "personal": true or false`}}
	}
	if len(fe) > 0 {
		return fe
	}
	if _, err := a.use(c, id, app.ActorOrganiser, func(ctx context.Context, id domain.WorkshopID, op app.Op) (domain.Appended, error) {
		return a.cmds.MarkMaterialPersonal(ctx, id, op, mid, *personal)
	}); err != nil {
		return err
	}
	m, err := a.Reader.Material(c.Request().Context(), id, mid)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, materialOfView(m))
}

func (a *api) listMaterials(c echo.Context) error {
	w, err := a.seenWorkshop(c)
	if err != nil {
		return err
	}
	ms, err := a.Reader.Materials(c.Request().Context(), w.ID)
	if err != nil {
		return err
	}
	out := make([]materialJSON, 0, len(ms))
	for _, m := range ms {
		out = append(out, materialOfView(m))
	}
	c.Response().Header().Set("Cache-Control", "private, no-cache")
	return c.JSON(http.StatusOK, out)
}

// downloadMaterial serves the current version of a material.
func (a *api) downloadMaterial(c echo.Context) error {
	return a.serveMaterial(c, func(m projections.MaterialView) (projections.MaterialVersion, bool) { return m.Current(), true })
}

// downloadMaterialVersion serves version :n of a material.
func (a *api) downloadMaterialVersion(c echo.Context) error {
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 1 || strconv.Itoa(n) != c.Param("n") {
		return fmt.Errorf("%w: no version %q", domain.ErrMaterialNotFound, c.Param("n"))
	}
	return a.serveMaterial(c, func(m projections.MaterialView) (projections.MaterialVersion, bool) { return m.Version(n) })
}

func (a *api) serveMaterial(c echo.Context, version func(projections.MaterialView) (projections.MaterialVersion, bool)) error {
	w, err := a.seenWorkshop(c)
	if err != nil {
		return err
	}
	mid, err := materialID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	m, err := a.Reader.Material(ctx, w.ID, mid)
	if err != nil {
		return err
	}
	v, ok := version(m)
	if !ok {
		return fmt.Errorf("%w: the material has no such version", domain.ErrMaterialNotFound)
	}
	etag := `"` + v.SHA256 + `"`
	h := c.Response().Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, no-cache")
	if match := c.Request().Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		return c.NoContent(http.StatusNotModified)
	}
	rc, err := a.cmds.OpenMaterial(ctx, v)
	if err != nil {
		return err
	}
	defer rc.Close()
	SetDownloadHeaders(h, v.Name, v.ContentType)
	h.Set(echo.HeaderContentLength, strconv.FormatInt(v.Size, 10))
	return c.Stream(http.StatusOK, v.ContentType, rc)
}

// SetDownloadHeaders sets what makes a served file safe to serve: the checked type is not
// sniffed, it is an attachment unless a PDF or an image, a browser that renders it anyway runs
// no script of it, and the name is told as RFC 6266 lets every browser read it.
func SetDownloadHeaders(h http.Header, name, contentType string) {
	disposition := "attachment"
	if domain.InlineMaterial(contentType) {
		disposition = "inline"
	}
	h.Set(echo.HeaderContentDisposition, ContentDisposition(disposition, name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox")
}

// ContentDisposition is an RFC 6266 Content-Disposition of name: an ASCII fallback in quotes
// (every other character an underscore) and the name itself as RFC 8187 UTF-8.
func ContentDisposition(disposition, name string) string {
	var fallback, encoded strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' || r == ';':
			fallback.WriteByte('_')
		default:
			fallback.WriteRune(r)
		}
	}
	for _, b := range []byte(name) {
		switch {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9', strings.IndexByte("!#$&+-.^_`|~", b) >= 0:
			encoded.WriteByte(b)
		default:
			fmt.Fprintf(&encoded, "%%%02X", b)
		}
	}
	return fmt.Sprintf(`%s; filename="%s"; filename*=UTF-8''%s`, disposition, fallback.String(), encoded.String())
}

// materialID is the :mid of the path; a malformed one names no material.
func materialID(c echo.Context) (domain.MaterialID, error) {
	id := c.Param("mid")
	if !domain.ValidID(id) {
		return "", domain.ErrMaterialNotFound
	}
	return domain.MaterialID(id), nil
}
