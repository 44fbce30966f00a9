package domain

import (
	"encoding/hex"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Materials are the files of a workshop (slides, PDFs, photos, minutes), optionally of one of
// its sessions or one table of a theme café. The bytes live in the object store under their
// SHA-256; the events carry only what describes them. A replaced material keeps its earlier
// versions. An upload names who uploaded it by actor (an account, or the organiser), never by
// personal free text, so nothing of it needs sealing; a photo of a person is the uploader's to
// remove (RemoveMaterial). A material marked personal (it shows people or holds personal data,
// as a photo of a group or a list of names) is removed with its uploader's data: when the
// account that uploaded it is erased (RemovePersonalUploads), or the registration of the café
// host who uploaded it by the host link (Erase).

// MaterialID identifies a material within its workshop.
type MaterialID string

// Limits of materials.
const (
	// MaxMaterials is the most materials (removed ones included) a workshop holds.
	MaxMaterials = 500
	// MaxMaterialVersions is the most versions one material keeps.
	MaxMaterialVersions = 100
	// MaxFileName is the longest file name (in characters) a material keeps.
	MaxFileName = 150
	// DefaultMaxMaterialBytes is the size limit of one file unless the instance sets another.
	DefaultMaxMaterialBytes = 50_000_000
)

// MaterialTypes are the content types a material may have, as detected from its bytes (and
// its name's extension for the formats that are zip or text inside).
var MaterialTypes = []string{
	"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp",
	"text/plain; charset=utf-8", "text/markdown; charset=utf-8", "text/csv; charset=utf-8",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"application/vnd.oasis.opendocument.text",
	"application/vnd.oasis.opendocument.spreadsheet",
	"application/vnd.oasis.opendocument.presentation",
}

// InlineMaterial reports whether a material of content type ct may be shown in the browser
// (PDF and images); everything else is served as an attachment.
func InlineMaterial(ct string) bool {
	return ct == "application/pdf" || strings.HasPrefix(ct, "image/")
}

// MaterialFile is one version of a material: the file as uploaded and checked.
type MaterialFile struct {
	// Name is the file's name, cleaned (CleanFileName).
	Name string `json:"name"`
	Size int64  `json:"size"`
	// SHA256 is the lower-case hex SHA-256 of the bytes; the object store keeps them under it.
	SHA256 string `json:"sha256"`
	// ContentType is the type detected from the bytes, one of MaterialTypes.
	ContentType string `json:"content_type"`
	// UploadedBy is the actor who uploaded this version (see app's actors).
	UploadedBy string `json:"uploaded_by,omitempty"`
}

// Material is a material as the rules need it.
type Material struct {
	ID        MaterialID
	Title     string
	SessionID SessionID
	TableID   TableID
	// Versions are the files, oldest first; the last is the current one.
	Versions []MaterialFile
	Removed  bool
	// Personal says the material shows people or holds personal data (MaterialAdded.Personal,
	// MaterialPersonalMarked).
	Personal bool
	// HostRegistration is the registration of the café table's host who uploaded the material
	// by the host link ("" for other uploads, or a guest host).
	HostRegistration RegistrationID
}

// MaterialAdded records a new material with its first version.
type MaterialAdded struct {
	MaterialID MaterialID `json:"material_id"`
	Title      string     `json:"title,omitempty"`
	SessionID  SessionID  `json:"session_id,omitempty"`
	TableID    TableID    `json:"table_id,omitempty"`
	// Personal says the file shows people or holds personal data: it goes with its uploader's
	// erasure. Events written before it existed are not personal.
	Personal bool `json:"personal,omitempty"`
	// HostRegistration is the registration that hosted the table when its host uploaded the
	// material by the host link (none for a guest host or another uploader).
	HostRegistration RegistrationID `json:"host_registration,omitempty"`
	MaterialFile
}

func (MaterialAdded) Name() string { return "workshop.material_added.v1" }

var _ = register[MaterialAdded]()

// MaterialReplaced records a new version of a material; Version counts from 1 (the first
// upload). The title changes when Title is set.
type MaterialReplaced struct {
	MaterialID MaterialID `json:"material_id"`
	Version    int        `json:"version"`
	Title      string     `json:"title,omitempty"`
	MaterialFile
}

func (MaterialReplaced) Name() string { return "workshop.material_replaced.v1" }

var _ = register[MaterialReplaced]()

// MaterialRemoved records that a material is no longer offered. The application then deletes
// its bytes from the object store unless another material or a funder logo has the same digest
// (content-addressed, possibly shared); the log keeps only the fact.
type MaterialRemoved struct {
	MaterialID MaterialID `json:"material_id"`
	// Reason is MaterialErasure when the material went with its uploader's erasure, "" when
	// somebody removed it.
	Reason string `json:"reason,omitempty"`
}

// MaterialErasure is the reason of a personal material removed with its uploader's erasure.
const MaterialErasure = "erasure"

// MaterialPersonalMarked records that an organiser marked a material personal (or not).
type MaterialPersonalMarked struct {
	MaterialID MaterialID `json:"material_id"`
	Personal   bool       `json:"personal"`
}

func (MaterialPersonalMarked) Name() string { return "workshop.material_personal_marked.v1" }

var _ = register[MaterialPersonalMarked]()

func (MaterialRemoved) Name() string { return "workshop.material_removed.v1" }

var _ = register[MaterialRemoved]()

// Rules of materials.
var (
	ErrMaterialNotFound = newRule("material-not-found", "material not found", ErrNotFound)
	ErrTooManyMaterials = newRule("too-many-materials", "the workshop holds as many materials or versions as it may", ErrConflict)
	ErrMaterialType     = newRule("material-type", "files of this type cannot be uploaded", ErrInvalid)
	ErrMaterialTooLarge = newRule("material-too-large", "the file is larger than the limit", ErrInvalid)
)

const errMaterialNameEmpty = "must name the file"

// AddMaterial adds a material; ID comes from the caller, File is the checked upload.
type AddMaterial struct {
	ID        MaterialID
	Title     string
	SessionID SessionID
	TableID   TableID
	File      MaterialFile
	// Personal marks the material personal (MaterialAdded.Personal).
	Personal bool
	// HostTokenHash, when set, is the hash of the host link the upload came by: the material
	// must be of that link's table (SessionID and TableID), else ErrHostLinkNotFound.
	HostTokenHash string
}

// ReplaceMaterial uploads a new version of a material; Title "" keeps the title.
type ReplaceMaterial struct {
	ID    MaterialID
	Title string
	File  MaterialFile
}

// RemoveMaterial removes a material.
type RemoveMaterial struct {
	ID MaterialID
}

// AddMaterial decides a new material.
func (w Workshop) AddMaterial(c AddMaterial) ([]Event, error) {
	if !w.Scheduled() {
		return nil, ErrWorkshopNotFound
	}
	var fe FieldErrors
	if c.ID == "" {
		fe.add("id", CodeRequired, "must not be empty")
	}
	checkID(&fe, "id", string(c.ID))
	checkText(&fe, "title", c.Title, false, maxTitle)
	checkID(&fe, "session_id", string(c.SessionID))
	checkID(&fe, "table_id", string(c.TableID))
	checkMaterialFile(&fe, c.File)
	if err := fe.err(); err != nil {
		return nil, err
	}
	var host RegistrationID
	if c.HostTokenHash != "" {
		_, t, err := w.HostTable(c.SessionID, c.TableID, c.HostTokenHash)
		if err != nil {
			return nil, err
		}
		host = t.Host
	}
	if err := w.checkMaterialPlace(c.SessionID, c.TableID); err != nil {
		return nil, err
	}
	if _, ok := w.Materials[c.ID]; ok {
		return nil, fmt.Errorf("%w: material id %s is taken", ErrConflict, c.ID)
	}
	if len(w.Materials) >= MaxMaterials {
		return nil, fmt.Errorf("%w: at most %d materials", ErrTooManyMaterials, MaxMaterials)
	}
	return []Event{MaterialAdded{MaterialID: c.ID, Title: strings.TrimSpace(c.Title), SessionID: c.SessionID,
		TableID: c.TableID, Personal: c.Personal, HostRegistration: host, MaterialFile: c.File}}, nil
}

// ReplaceMaterial decides a new version of a material; the earlier ones stay.
func (w Workshop) ReplaceMaterial(c ReplaceMaterial) ([]Event, error) {
	m, err := w.material(c.ID)
	if err != nil {
		return nil, err
	}
	var fe FieldErrors
	checkText(&fe, "title", c.Title, false, maxTitle)
	checkMaterialFile(&fe, c.File)
	if err := fe.err(); err != nil {
		return nil, err
	}
	if len(m.Versions) >= MaxMaterialVersions {
		return nil, fmt.Errorf("%w: at most %d versions of a material", ErrTooManyMaterials, MaxMaterialVersions)
	}
	return []Event{MaterialReplaced{MaterialID: c.ID, Version: len(m.Versions) + 1, Title: strings.TrimSpace(c.Title),
		MaterialFile: c.File}}, nil
}

// RemoveMaterial decides the removal of a material.
func (w Workshop) RemoveMaterial(c RemoveMaterial) ([]Event, error) {
	if _, err := w.material(c.ID); err != nil {
		return nil, err
	}
	return []Event{MaterialRemoved{MaterialID: c.ID}}, nil
}

// MarkMaterialPersonal decides that material id is personal (or not); the same mark again
// decides nothing.
func (w Workshop) MarkMaterialPersonal(id MaterialID, personal bool) ([]Event, error) {
	m, err := w.material(id)
	if err != nil || m.Personal == personal {
		return nil, err
	}
	return []Event{MaterialPersonalMarked{MaterialID: id, Personal: personal}}, nil
}

// RemovePersonalUploads decides the removal, for an erasure, of the personal materials a
// version of which was uploaded by an actor starting with actorPrefix (an account's actors
// are "account:<id>:<role>"), in the order of their ids. It decides nothing when there are none.
func (w Workshop) RemovePersonalUploads(actorPrefix string) []Event {
	if actorPrefix == "" {
		return nil
	}
	return w.removePersonal(func(m *Material) bool {
		for _, v := range m.Versions {
			if strings.HasPrefix(v.UploadedBy, actorPrefix) {
				return true
			}
		}
		return false
	})
}

// removePersonal removes the personal materials that are not removed and of which is holds.
func (w Workshop) removePersonal(is func(*Material) bool) []Event {
	var events []Event
	for _, id := range slices.Sorted(maps.Keys(w.Materials)) {
		if m := w.Materials[id]; !m.Removed && m.Personal && is(m) {
			events = append(events, MaterialRemoved{MaterialID: id, Reason: MaterialErasure})
		}
	}
	return events
}

// material returns the workshop's material id that is not removed.
func (w Workshop) material(id MaterialID) (*Material, error) {
	if !w.Scheduled() {
		return nil, ErrWorkshopNotFound
	}
	m, ok := w.Materials[id]
	if !ok || m.Removed {
		return nil, ErrMaterialNotFound
	}
	return m, nil
}

// checkMaterialPlace checks that a material's session and table exist: a table names the
// theme café (its session) it belongs to.
func (w Workshop) checkMaterialPlace(s SessionID, t TableID) error {
	switch {
	case s == "" && t != "":
		return FieldErrors{{"table_id", CodeNotAllowed, "a table is named together with its theme café's session_id"}}
	case s == "":
		return nil
	case t == "":
		if _, ok := w.Sessions[s]; !ok {
			return ErrSessionNotFound
		}
		return nil
	}
	_, cafe, err := w.cafe(s)
	if err != nil {
		return err
	}
	if _, ok := cafe.Table(t); !ok {
		return ErrTableNotFound
	}
	return nil
}

func checkMaterialFile(fe *FieldErrors, f MaterialFile) {
	switch {
	case f.Name == "":
		fe.add("file", CodeRequired, errMaterialNameEmpty)
	case CleanFileName(f.Name) != f.Name:
		fe.add("file", CodeNotAllowed, "the file name must be cleaned (no paths, no control characters)")
	}
	if b, err := hex.DecodeString(f.SHA256); err != nil || len(b) != 32 || strings.ToLower(f.SHA256) != f.SHA256 {
		fe.add("sha256", CodeNotInList, "must be 64 lower-case hex digits")
	}
	found := false
	for _, t := range MaterialTypes {
		found = found || t == f.ContentType
	}
	if !found {
		fe.add("content_type", CodeNotInList, fmt.Sprintf("%q is not a type a material may have", f.ContentType))
	}
	if f.Size < 1 {
		fe.add("file", CodeOutOfRange, "must not be empty")
	}
	checkText(fe, "uploaded_by", f.UploadedBy, false, maxTitle)
}

// CleanFileName returns the name a file keeps: the last element of whatever path it came
// with (browsers of some systems send one), without control characters, invisible format
// characters (a right-to-left override would disguise its extension) and quotes, trimmed, at
// most MaxFileName characters keeping its extension. It returns "" when nothing is left.
func CleanFileName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\u00a0' || r == '\u3000' || (unicode.IsSpace(r) && !unicode.IsControl(r)) {
			return ' '
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '"' || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.Trim(strings.TrimSpace(name), ".")
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > MaxFileName {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 16 {
			ext = ""
		}
		r := []rune(strings.TrimSuffix(name, ext))
		name = strings.TrimSpace(string(r[:MaxFileName-utf8.RuneCountInString(ext)])) + ext
	}
	return name
}

// evolveMaterials applies the events of materials to w.
func (w Workshop) evolveMaterials(e Event) Workshop {
	switch e := e.(type) {
	case MaterialAdded:
		if w.Materials == nil {
			w.Materials = map[MaterialID]*Material{}
		}
		w.Materials[e.MaterialID] = &Material{ID: e.MaterialID, Title: e.Title, SessionID: e.SessionID, TableID: e.TableID,
			Versions: []MaterialFile{e.MaterialFile}, Personal: e.Personal, HostRegistration: e.HostRegistration}
	case MaterialReplaced:
		if m, ok := w.Materials[e.MaterialID]; ok {
			m.Versions = append(m.Versions, e.MaterialFile)
			if e.Title != "" {
				m.Title = e.Title
			}
		}
	case MaterialRemoved:
		if m, ok := w.Materials[e.MaterialID]; ok {
			m.Removed = true
		}
	case MaterialPersonalMarked:
		if m, ok := w.Materials[e.MaterialID]; ok {
			m.Personal = e.Personal
		}
	}
	return w
}

func cloneMaterials(ms map[MaterialID]*Material) map[MaterialID]*Material {
	if ms == nil {
		return nil
	}
	out := make(map[MaterialID]*Material, len(ms))
	for id, m := range ms {
		c := *m
		c.Versions = append([]MaterialFile(nil), m.Versions...)
		out[id] = &c
	}
	return out
}
