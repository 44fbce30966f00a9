package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/werkstatt/werkstatt/app"
	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/handlers"
	"github.com/werkstatt/werkstatt/projections"
)

// The organiser's page "Materialien / Materials" of a workshop (issue 16): upload a file (to the
// workshop or one of its sessions), replace it with a new version, remove it. The public
// workshop page and the participant's own page list the materials with download links; a
// download goes by the workshop's visibility, as the page does.

const materialsPath = "/organiser/workshops/:id/materials"

func (s *site) materialRoutes() []route {
	get, post := http.MethodGet, http.MethodPost
	return []route{
		{get, materialsPath, s.materialsPage, true},
		{post, materialsPath, s.uploadMaterial, true},
		{post, materialsPath + "/:mid", s.replaceMaterial, true},
		{post, materialsPath + "/:mid/remove", s.removeMaterial, true},
		{post, materialsPath + "/:mid/personal", s.markMaterialPersonal, true},
		{get, "/w/:id/materials/:mid", s.downloadMaterial, false},
	}
}

// isMaterialUpload reports whether a page route takes a material's file.
func isMaterialUpload(r route) bool {
	return r.method == http.MethodPost && (r.path == materialsPath || r.path == materialsPath+"/:mid" || r.path == hostMaterialsPath)
}

// materialsPageData is what the materials page shows.
type materialsPageData struct {
	W         projections.WorkshopView
	Materials []projections.MaterialView
	Sessions  []domain.Session
	Upload    form
	MaxMB     string
	// Saved, Replaced, Removed and Marked say what the last form did.
	Saved, Replaced, Removed, Marked bool
}

func (s *site) materials(c echo.Context) (materialsPageData, error) {
	w, err := s.workshopView(c)
	if err != nil {
		return materialsPageData{}, err
	}
	ms, err := s.cfg.Reader.Materials(c.Request().Context(), w.ID)
	if err != nil {
		return materialsPageData{}, err
	}
	q := c.QueryParam
	return materialsPageData{W: w, Materials: ms, Sessions: w.Agenda, Upload: newForm(s),
		MaxMB: strconv.FormatInt(s.cmds.MaxMaterialBytes()/1_000_000, 10),
		Saved: q("material") == "saved", Replaced: q("material") == "replaced", Removed: q("material") == "removed", Marked: q("material") == "marked"}, nil
}

func (s *site) materialsPage(c echo.Context) error {
	return show(s, c, s.materials, "materials.html", "MaterialsTitle")
}

func materialsURL(id domain.WorkshopID) string {
	return "/organiser/workshops/" + string(id) + "/materials"
}

// formUpload opens the multipart form's file "file" (kept on disk by limitUpload beyond a
// small part); ok is false when none was chosen.
func formUpload(c echo.Context) (app.Upload, func(), bool, error) {
	fh, err := c.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		return app.Upload{}, func() {}, false, nil
	}
	if err != nil {
		return app.Upload{}, nil, false, echo.NewHTTPError(http.StatusBadRequest, "the form holds no file")
	}
	f, err := fh.Open()
	if err != nil {
		return app.Upload{}, nil, false, echo.NewHTTPError(http.StatusBadRequest, "the file could not be read")
	}
	return app.Upload{Name: fh.Filename, Body: f}, func() { f.Close() }, true, nil
}

func noFile() error {
	return domain.FieldErrors{{Field: "file", Code: domain.CodeRequired, Detail: "choose a file"}}
}

func (s *site) uploadMaterial(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	op := organiserOp(c, f, "material "+string(id))
	err = s.withUpload(c, func(u app.Upload) error {
		file, err := s.cmds.StoreUpload(c.Request().Context(), id, op, u)
		if err != nil {
			return err
		}
		_, err = s.cmds.AddMaterial(c.Request().Context(), id, op, file,
			app.MaterialText{Title: f.V("title"), SessionID: domain.SessionID(f.V("session_id")), Personal: personalChoice(f.V("personal"), file)})
		return err
	})
	if err != nil {
		return s.materialRejected(c, err)
	}
	return seeOther(c, materialsURL(id), "material", "saved")
}

func (s *site) replaceMaterial(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	mid := domain.MaterialID(c.Param("mid"))
	if _, err := s.cfg.Reader.Material(c.Request().Context(), id, mid); err != nil {
		return err
	}
	op := organiserOp(c, f, "material "+string(id)+" "+string(mid))
	err = s.withUpload(c, func(u app.Upload) error {
		file, err := s.cmds.StoreUpload(c.Request().Context(), id, op, u)
		if err != nil {
			return err
		}
		_, err = s.cmds.ReplaceMaterial(c.Request().Context(), id, mid, op, file, f.V("title"))
		return err
	})
	if err != nil {
		return s.materialRejected(c, err)
	}
	return seeOther(c, materialsURL(id), "material", "replaced")
}

// personalChoice reads the upload form's choice whether the file shows people or holds
// personal data: "yes", "no", or (the default) "auto", which marks photos (image/*) personal.
func personalChoice(v string, file domain.MaterialFile) bool {
	switch v {
	case "yes":
		return true
	case "no":
		return false
	}
	return strings.HasPrefix(file.ContentType, "image/")
}

// withUpload runs use with the form's file, removing the temporary files of the form after.
func (s *site) withUpload(c echo.Context, use func(app.Upload) error) error {
	u, done, ok, err := formUpload(c)
	if err != nil {
		return err
	}
	defer done()
	if r := c.Request(); r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	if !ok {
		return noFile()
	}
	return use(u)
}

// materialRejected shows the page again with what was wrong with the upload: a file over the
// limit or of another type is a message on the form, not an error page.
func (s *site) materialRejected(c echo.Context, err error) error {
	explain := func(f *form, t texts, err error) bool {
		if errors.Is(err, domain.ErrMaterialTooLarge) || errors.Is(err, domain.ErrMaterialType) {
			err = domain.FieldErrors{{Field: "file", Code: ruleCode(err), Detail: err.Error()}}
		}
		return f.rejected(t, err)
	}
	return rerender(s, c, err, explain, s.materials, func(p *materialsPageData, f form) { p.Upload = f },
		"materials.html", "MaterialsTitle")
}

// ruleCode is the code of the material's rule err breaks, as a field error's code.
func ruleCode(err error) string {
	if errors.Is(err, domain.ErrMaterialTooLarge) {
		return domain.ErrMaterialTooLarge.Code()
	}
	return domain.ErrMaterialType.Code()
}

func (s *site) removeMaterial(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	mid := domain.MaterialID(c.Param("mid"))
	if _, err := s.cmds.RemoveMaterial(c.Request().Context(), id, organiserOp(c, f, "remove material "+string(mid)), mid); err != nil {
		return err
	}
	return seeOther(c, materialsURL(id), "material", "removed")
}

// markMaterialPersonal marks a material personal (personal=yes) or not (personal=no).
func (s *site) markMaterialPersonal(c echo.Context) error {
	f, err := submitted(c)
	if err != nil {
		return err
	}
	id, err := workshopID(c)
	if err != nil {
		return err
	}
	mid := domain.MaterialID(c.Param("mid"))
	var personal bool
	switch f.V("personal") {
	case "yes":
		personal = true
	case "no":
	default:
		return echo.NewHTTPError(http.StatusBadRequest, "personal must be yes or no")
	}
	if _, err := s.cmds.MarkMaterialPersonal(c.Request().Context(), id, organiserOp(c, f, "personal material "+string(mid)), mid, personal); err != nil {
		return err
	}
	return seeOther(c, materialsURL(id), "material", "marked")
}

// downloadMaterial serves a material's current file (or ?version=n) to whoever sees the
// workshop, with the headers of the API's download.
func (s *site) downloadMaterial(c echo.Context) error {
	w, err := s.visibleWorkshop(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	m, err := s.cfg.Reader.Material(ctx, w.ID, domain.MaterialID(c.Param("mid")))
	if err != nil {
		return err
	}
	v := m.Current()
	if q := c.QueryParam("version"); q != "" {
		n, err := strconv.Atoi(q)
		var ok bool
		if err == nil {
			v, ok = m.Version(n)
		}
		if !ok {
			return domain.ErrMaterialNotFound
		}
	}
	rc, err := s.cmds.OpenMaterial(ctx, v)
	if err != nil {
		return err
	}
	defer rc.Close()
	h := c.Response().Header()
	handlers.SetDownloadHeaders(h, v.Name, v.ContentType)
	h.Set("Cache-Control", "private, no-cache")
	h.Set(echo.HeaderContentLength, strconv.FormatInt(v.Size, 10))
	return c.Stream(http.StatusOK, v.ContentType, rc)
}

// materialsOf returns the materials of w for a page that lists them, none when they cannot be
// read: the page stays usable without them.
func (s *site) materialsOf(c echo.Context, w domain.WorkshopID) []projections.MaterialView {
	ms, err := s.cfg.Reader.Materials(c.Request().Context(), w)
	if err != nil {
		return nil
	}
	return ms
}

// fileSize tells a size in bytes as people read it: "820 kB", "12,5 MB" (German) or "12.5 MB".
func (t texts) fileSize(n int64) string {
	var s string
	switch {
	case n < 1000:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1_000_000:
		s = strconv.FormatFloat(float64(n)/1e3, 'f', 0, 64) + " kB"
	default:
		s = strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB"
	}
	if t.lang == "de" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
