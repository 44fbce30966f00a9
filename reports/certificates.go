package reports

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// ErrNotCheckedIn answers a certificate of attendance for someone who was never checked in:
// there is nothing to certify (yet).
var ErrNotCheckedIn = errors.New("reports: the person has not been checked in")

// Certificate is what one person's certificate of attendance states: who, and the days and
// sessions they were actually checked in to.
type Certificate struct {
	Person projections.RegistrationView
	Days   []AttendedDay
}

// AttendedDay is a day a person was present (at the door or at a session) and the sessions of
// the agenda they were checked in to that day, in the agenda's order.
type AttendedDay struct {
	Day      domain.Day
	Sessions []domain.Session
}

// LoadCertificates reads a workshop and builds the certificates of everyone checked in, or
// returns domain.ErrWorkshopNotFound.
func LoadCertificates(ctx context.Context, src AttendanceSource, id domain.WorkshopID) (projections.WorkshopView, []Certificate, error) {
	ws, err := src.Workshop(ctx, id)
	if err != nil {
		return ws, nil, err
	}
	regs, err := src.Registrations(ctx, id)
	if err != nil {
		return ws, nil, err
	}
	checkIns, err := src.CheckIns(ctx, id)
	if err != nil {
		return ws, nil, err
	}
	return ws, BuildCertificates(ws, regs, checkIns), nil
}

// BuildCertificates returns a certificate for every confirmed person with at least one
// check-in, ordered by name. Erased people get none: a certificate without a name certifies
// nothing. Check-ins at sessions no longer on the agenda (cancelled) still count for their day.
func BuildCertificates(ws projections.WorkshopView, regs []projections.RegistrationView, checkIns []domain.CheckIn) []Certificate {
	days := map[domain.RegistrationID]map[domain.Day]bool{}
	sessions := map[domain.RegistrationID]map[domain.SessionID]bool{}
	for _, c := range checkIns {
		addTo(days, c.RegistrationID, c.Day)
		if c.SessionID != "" {
			addTo(sessions, c.RegistrationID, c.SessionID)
		}
	}
	var out []Certificate
	for _, r := range regs {
		if r.Status != domain.Confirmed || r.Erased || len(days[r.ID]) == 0 {
			continue
		}
		cert := Certificate{Person: r}
		attended := make([]domain.Day, 0, len(days[r.ID]))
		for d := range days[r.ID] {
			attended = append(attended, d)
		}
		slices.Sort(attended) // ISO dates sort by time
		for _, d := range attended {
			ad := AttendedDay{Day: d}
			for _, s := range ws.Agenda {
				if s.Day == d && sessions[r.ID][s.ID] {
					ad.Sessions = append(ad.Sessions, s)
				}
			}
			cert.Days = append(cert.Days, ad)
		}
		out = append(out, cert)
	}
	slices.SortFunc(out, func(a, b Certificate) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Person.Name), strings.ToLower(b.Person.Name)),
			strings.Compare(string(a.Person.ID), string(b.Person.ID)))
	})
	return out
}

// CertificateOf picks the certificate of registration rid, or returns ErrNotCheckedIn.
func CertificateOf(certs []Certificate, rid domain.RegistrationID) (Certificate, error) {
	for _, c := range certs {
		if c.Person.ID == rid {
			return c, nil
		}
	}
	return Certificate{}, ErrNotCheckedIn
}

// CertificatesPDF writes one page per certificate ("Teilnahmebescheinigung"): the person, the
// workshop with its series and venue, the days and sessions attended, and lines for the place,
// date and signature of the organiser. Without certificates it writes one page saying that
// nobody has been checked in yet.
//
// Each certificate shows the workshop's funding details under the venue and the funder's logo
// top right; logo holds the bytes of ws.Funding.Logo (nil when no logo is set).
func CertificatesPDF(w io.Writer, lang Lang, ws projections.WorkshopView, certs []Certificate, logo []byte) error {
	words := lang.reportWords()
	f := newPDF(lang, words.Certificate+" – "+ws.Title)
	logoName, err := registerLogo(f, ws.Funding, logo)
	if err != nil {
		return err
	}
	if len(certs) == 0 {
		f.AddPage()
		docTitle(f, words.Certificate+": "+ws.Title, words.NobodyCheckedIn)
	}
	for _, c := range certs {
		certificatePage(f, lang, ws, c, logoName)
	}
	return write(f, w)
}

func certificatePage(f *fpdf.Fpdf, lang Lang, ws projections.WorkshopView, c Certificate, logoName string) {
	words := lang.reportWords()
	f.AddPage()
	drawLogo(f, logoName, margin)
	f.SetY(margin + 20)
	centred := func(bold bool, size, height float64, text string) {
		if text == "" {
			return
		}
		font(f, bold, size, false)
		f.MultiCell(textWidth, height, text, "", "C", false)
	}
	centred(true, 24, 11, words.Certificate)
	f.Ln(14)
	centred(false, 11.5, 6, words.Certifies)
	f.Ln(4)
	centred(true, 17, 8, c.Person.Name)
	centred(false, 11.5, 6, c.Person.Organisation)
	f.Ln(4)
	centred(false, 11.5, 6, words.TookPart)
	f.Ln(4)
	centred(true, 14, 7, ws.Title)
	if ws.Series != "" {
		centred(false, 11, 6, words.SeriesName+": "+ws.Series)
	}
	centred(false, 11, 6, ws.Venue)
	if lines := fundingLines(words, ws.Funding); len(lines) > 0 {
		f.Ln(3)
		for _, line := range lines {
			centred(false, 9.5, 5, line)
		}
	}
	f.Ln(10)
	font(f, true, 11.5, false)
	f.MultiCell(textWidth, 6, words.AttendedOn, "", "L", false)
	f.Ln(1)
	for _, d := range c.Days {
		font(f, true, 11, false)
		f.MultiCell(textWidth, 6, lang.date(d.Day), "", "L", false)
		font(f, false, 10.5, false)
		for _, s := range d.Sessions {
			f.SetX(margin + 8)
			f.MultiCell(textWidth-8, 5.5, sessionLine(lang, s), "", "L", false)
		}
		f.Ln(1.5)
	}
	// The lines for place, date and signature sit at the foot of the page, or on the next page
	// when the days fill this one.
	const foot = pageTall - margin - 30
	if f.GetY() > foot-10 {
		f.AddPage()
	}
	f.SetY(foot)
	y := f.GetY() + 12
	f.SetDrawColor(0, 0, 0)
	f.Line(margin, y, margin+75, y)
	f.Line(pageWidth-margin-85, y, pageWidth-margin, y)
	font(f, false, 9, true)
	f.SetXY(margin, y+1)
	f.CellFormat(75, 5, words.PlaceDate, "", 0, "L", false, 0, "")
	f.SetXY(pageWidth-margin-85, y+1)
	f.CellFormat(85, 5, words.OrganiserSignature, "", 0, "L", false, 0, "")
}

// sessionLine is a session of a certificate: "10:00–11:30 Auftakt".
func sessionLine(lang Lang, s domain.Session) string {
	from, ok1 := minutes(s.Starts)
	to, ok2 := minutes(s.Ends)
	switch {
	case ok1 && ok2 && to > from:
		return fmt.Sprintf("%s  %s", lang.span(from, to), s.Title)
	case ok1:
		return fmt.Sprintf("%s  %s", lang.clock(from), s.Title)
	}
	return s.Title
}
