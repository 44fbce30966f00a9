package reports

import (
	"io"

	"codeberg.org/go-pdf/fpdf"

	"github.com/werkstatt/werkstatt/domain"
	"github.com/werkstatt/werkstatt/projections"
)

// SeatRoutes writes a PDF with the personal seat routes of a theme café: for each person seated
// in the café's plan, ordered by name, a slip that lists per round the time and the table; as many slips per A4 page as
// fit, with dashed cut lines between them. only selects one person's route ("" for everyone).
// It returns domain.ErrNoPlan before the first plan and ErrNoSeatRoute when only has no seat in
// the plan. Whether the plan is published is the caller's concern.
func SeatRoutes(w io.Writer, lang Lang, ws projections.WorkshopView, cafe Cafe, only domain.RegistrationID) error {
	d := newCafeDoc(lang, ws, cafe)
	routes, err := d.seatRoutes(only)
	if err != nil {
		return err
	}
	f := newPDF(d.lang, d.w.Routes+" – "+d.cafeTitle())
	f.SetAutoPageBreak(false, 0) // slips are placed by hand, never split
	height := slipHeight(d.view.Rounds)
	perPage := max(1, int((pageTall-2*margin)/height))
	for i, r := range routes {
		if i%perPage == 0 {
			f.AddPage()
		}
		y := margin + float64(i%perPage)*height
		if i%perPage > 0 {
			cutLine(f, y)
		}
		seatRouteSlip(f, d, r, y)
	}
	if len(routes) == 0 {
		f.AddPage() // a plan that seats nobody still makes a valid document
		font(f, false, 12, true)
		f.MultiCell(textWidth, 6, d.cafeTitle()+": "+d.w.NotPlanned, "", "L", false)
	}
	return write(f, w)
}

// Heights in millimetres of a slip's parts.
const (
	slipHead    = 17.0 // name and café line
	slipRow     = 6.5
	slipPadding = 8.0
)

func slipHeight(rounds int) float64 { return slipHead + float64(rounds)*slipRow + slipPadding }

func seatRouteSlip(f *fpdf.Fpdf, d *cafeDoc, r seatRoute, top float64) {
	f.SetXY(margin, top+slipPadding/2)
	font(f, true, 15, false)
	f.CellFormat(textWidth, 8, fit(f, r.Name, textWidth), "", 1, "L", false, 0, "")
	font(f, false, 9, true)
	f.CellFormat(textWidth, 5, fit(f, d.cafeTitle()+" · "+d.when(), textWidth), "", 1, "L", false, 0, "")
	f.Ln(3)
	const first = 62.0
	for _, s := range r.Stops {
		font(f, true, 11, false)
		f.CellFormat(first, slipRow, fit(f, d.roundTitle(s.Round), first-2), "", 0, "L", false, 0, "")
		if s.Table.ID == "" {
			font(f, false, 11, true)
			f.CellFormat(textWidth-first, slipRow, d.w.NoSeat, "", 1, "L", false, 0, "")
			continue
		}
		font(f, false, 11, false)
		f.CellFormat(textWidth-first, slipRow, fit(f, d.tableTitle(s.Table), textWidth-first), "", 1, "L", false, 0, "")
	}
}

// cutLine draws a dashed line across the page at y, where the slips are cut apart.
func cutLine(f *fpdf.Fpdf, y float64) {
	f.SetDrawColor(grey, grey, grey)
	f.SetLineWidth(0.2)
	f.SetDashPattern([]float64{2, 2}, 0)
	f.Line(margin/2, y, pageWidth-margin/2, y)
	f.SetDashPattern(nil, 0)
}
