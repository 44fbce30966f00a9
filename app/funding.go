package app

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // a logo may be a JPEG
	_ "image/png"  // or a PNG
	"io"
	"slices"
	"strings"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// Blobs keeps images (the funders' logos) and materials content-addressed by their SHA-256: the events carry
// the digest, the bytes live here. *objectstore.Store (infra/objectstore) implements it.
type Blobs interface {
	// Put stores data and returns its digest, "sha256:<hex>"; storing the same bytes again
	// changes nothing. A failure to reach the store matches domain.ErrUnavailable.
	Put(ctx context.Context, contentType string, data []byte) (string, error)
	// Get returns the bytes of digest: domain.ErrNotFound when there are none,
	// domain.ErrUnavailable when the store cannot be reached.
	Get(ctx context.Context, digest string) ([]byte, error)
	// PutStream stores what r yields (the workshops' materials) without holding it in memory
	// and returns its digest and size; an error of r comes back unchanged and stores nothing.
	PutStream(ctx context.Context, contentType string, r io.Reader) (string, int64, error)
	// Open returns a reader of digest's bytes, to be closed; errors as Get.
	Open(ctx context.Context, digest string) (io.ReadCloser, error)
	// Delete removes digest's bytes; bytes that are not there are no error. A failure to
	// reach the store matches domain.ErrUnavailable.
	Delete(ctx context.Context, digest string) error
}

// ErrNoBlobs is returned by the logo's use cases of an App configured without Blobs.
var ErrNoBlobs = fmt.Errorf("%w: no object store for images is configured", domain.ErrUnavailable)

// FundingText is what an organiser types of the funding details; the logo is uploaded apart.
type FundingText struct {
	Project, FundingReference, Funder string
}

// SetFunding sets the project, funding reference and funder of workshop id, keeping its logo;
// all empty and no logo removes the details.
func (a *App) SetFunding(ctx context.Context, id domain.WorkshopID, op Op, f FundingText) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		return w.SetFunding(domain.SetFunding{Funding: domain.Funding{Project: f.Project,
			FundingReference: f.FundingReference, Funder: f.Funder, Logo: w.Funding.Logo}})
	})
}

// CheckLogo checks that data is a whole PNG or JPEG image of at most domain.MaxLogoBytes and
// domain.MaxLogoPixels in each direction, and describes it: its content type is the one
// detected from the bytes, never a client's claim.
func CheckLogo(data []byte) (domain.Logo, error) {
	refuse := func(code, detail string) error {
		return domain.FieldErrors{{Field: "logo", Code: code, Detail: detail}}
	}
	if len(data) == 0 || len(data) > domain.MaxLogoBytes {
		return domain.Logo{}, refuse(domain.CodeOutOfRange, fmt.Sprintf("must be 1 to %d bytes, got %d", domain.MaxLogoBytes, len(data)))
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "png" && format != "jpeg") {
		return domain.Logo{}, refuse(domain.CodeNotAnImage, "must be a PNG or JPEG image")
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > domain.MaxLogoPixels || cfg.Height > domain.MaxLogoPixels {
		return domain.Logo{}, refuse(domain.CodeOutOfRange,
			fmt.Sprintf("must be at most %d x %d pixels, got %d x %d", domain.MaxLogoPixels, domain.MaxLogoPixels, cfg.Width, cfg.Height))
	}
	if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
		return domain.Logo{}, refuse(domain.CodeNotAnImage, "the "+strings.ToUpper(format)+" image is broken or incomplete")
	}
	return domain.Logo{ContentType: "image/" + format, Size: int64(len(data)), Width: cfg.Width, Height: cfg.Height}, nil
}

// SetFundingLogo checks data (CheckLogo), stores it in the object store and sets it as the
// funder's logo of workshop id; it returns the logo as recorded.
func (a *App) SetFundingLogo(ctx context.Context, id domain.WorkshopID, op Op, data []byte) (domain.Logo, error) {
	logo, err := CheckLogo(data)
	if err != nil {
		return domain.Logo{}, err
	}
	if a.cfg.Blobs == nil {
		return domain.Logo{}, ErrNoBlobs
	}
	if _, err := a.cfg.Reader.Workshop(ctx, id); err != nil {
		return domain.Logo{}, err // do not store bytes for a workshop that does not exist
	}
	if logo.Digest, err = a.cfg.Blobs.Put(ctx, logo.ContentType, data); err != nil {
		return domain.Logo{}, err
	}
	_, err = a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		f := w.Funding.Clone()
		f.Logo = &logo
		return w.SetFunding(domain.SetFunding{Funding: f})
	})
	return logo, err
}

// RemoveFundingLogo removes the funder's logo of workshop id (the details stay).
func (a *App) RemoveFundingLogo(ctx context.Context, id domain.WorkshopID, op Op) (domain.Appended, error) {
	return a.decide(ctx, id, op, func(w domain.Workshop) ([]domain.Event, error) {
		f := w.Funding.Clone()
		f.Logo = nil
		return w.SetFunding(domain.SetFunding{Funding: f})
	})
}

// FundingLogo returns the bytes of the funder's logo of ws, nil when it has none. A logo that
// is set but cannot be read is an error (domain.ErrUnavailable for an outage, and for an object
// the store lost), so that no document leaves it out unnoticed.
func (a *App) FundingLogo(ctx context.Context, ws projections.WorkshopView) ([]byte, error) {
	l := ws.Funding.Logo
	if l == nil {
		return nil, nil
	}
	if a.cfg.Blobs == nil {
		return nil, ErrNoBlobs
	}
	data, err := a.cfg.Blobs.Get(ctx, l.Digest)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, fmt.Errorf("%w: the logo %s of workshop %s is not in the object store", domain.ErrUnavailable, l.Digest, ws.ID)
	}
	return data, err
}

// SeriesFunding is the outcome of applying funding details to every workshop of a series.
type SeriesFunding struct {
	Series string `json:"series"`
	// Updated are the workshops whose details changed, Unchanged those that held them already.
	Updated   []domain.WorkshopID `json:"updated"`
	Unchanged []domain.WorkshopID `json:"unchanged"`
	// Failed are the workshops not reached (the error says why); a repeat completes them.
	Failed []domain.WorkshopID `json:"failed,omitempty"`
}

// ApplySeriesFunding sets the same funding details on every workshop of series; logoDigest
// names a logo that a workshop of the series holds already ("" for none). Each workshop
// decides on its own, idempotently (the same details again decide nothing, and with an
// idempotency key each workshop's command id derives from it), so that repeating the request
// after a partial failure completes it. The error is the first failure's; the outcome names
// what was done before it.
func (a *App) ApplySeriesFunding(ctx context.Context, series string, op Op, f FundingText, logoDigest string) (SeriesFunding, error) {
	out := SeriesFunding{Series: series, Updated: []domain.WorkshopID{}, Unchanged: []domain.WorkshopID{}}
	all, err := a.cfg.Reader.Workshops(ctx)
	if err != nil {
		return out, err
	}
	var ids []domain.WorkshopID
	var logo *domain.Logo
	for _, w := range all {
		if w.Series != series || series == "" {
			continue
		}
		ids = append(ids, w.ID)
		if l := w.Funding.Logo; l != nil && logoDigest != "" && l.Digest == logoDigest {
			c := *l
			logo = &c
		}
	}
	if len(ids) == 0 {
		return out, fmt.Errorf("%w: no workshop in series %q", domain.ErrNotFound, series)
	}
	if logoDigest != "" && logo == nil {
		return out, domain.FieldErrors{{Field: "logo", Code: domain.CodeUnknownID,
			Detail: "names no logo of a workshop of the series; upload it to one workshop first"}}
	}
	funding := domain.Funding{Project: f.Project, FundingReference: f.FundingReference, Funder: f.Funder, Logo: logo}
	slices.Sort(ids)
	for i, id := range ids {
		wop := op
		if op.Key != "" {
			wop.Key = op.Key + "/" + string(id)
		}
		res, err := a.decide(ctx, id, wop, func(w domain.Workshop) ([]domain.Event, error) {
			return w.SetFunding(domain.SetFunding{Funding: funding})
		})
		if err != nil {
			if !errors.As(err, new(domain.FieldErrors)) {
				out.Failed = ids[i:]
			}
			return out, err
		}
		if len(res.Events) > 0 {
			out.Updated = append(out.Updated, id)
		} else {
			out.Unchanged = append(out.Unchanged, id)
		}
	}
	return out, nil
}

// seriesFunding returns the funding details that a workshop scheduled in series inherits: those
// of the latest scheduled workshop of the series that has any, unset for none.
func (a *App) seriesFunding(ctx context.Context, series string) (domain.Funding, error) {
	ws, err := a.seriesNewestFirst(ctx, series)
	if err != nil {
		return domain.Funding{}, err
	}
	for _, w := range ws {
		if w.Funding.Set() {
			return w.Funding.Clone(), nil
		}
	}
	return domain.Funding{}, nil
}

// seriesNewestFirst returns the workshops of series (none for "") with the latest scheduled
// first: the one whose series-wide settings (funding, retention) a new workshop inherits.
func (a *App) seriesNewestFirst(ctx context.Context, series string) ([]projections.WorkshopView, error) {
	series = strings.TrimSpace(series)
	if series == "" {
		return nil, nil
	}
	all, err := a.cfg.Reader.Workshops(ctx)
	if err != nil {
		return nil, err
	}
	ws := slices.DeleteFunc(slices.Clone(all), func(w projections.WorkshopView) bool { return w.Series != series })
	slices.SortFunc(ws, func(x, y projections.WorkshopView) int {
		return -cmp.Or(x.ScheduledAt.Compare(y.ScheduledAt), strings.Compare(string(x.ID), string(y.ID)))
	})
	return ws, nil
}
