package reports

import (
	"fmt"
	"strings"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// reportWords are the fixed texts of the attendance, evaluation and series reports. Each field's
// text is the catalogue message "Report" and the field's name (locales/report.<lang>.toml).
type reportWords struct {
	Attendance, SignInSheet, Evaluation, Series                string
	Overview, Days, Sessions, Organisations, Districts, People string
	Day, Session, Starts, Confirmed, Present, NoShows          string
	NoShowRate, PersonDays, Name, Organisation, District       string
	DaysAttended, Signature, Erased, NoName                    string
	Questionnaire, WholeWorkshop, Version, Question, Kind      string
	Value, Count, Answers, Mean, Median, Responses, Rate       string
	CheckedIn, Texts, TextsWithheld, Workshop, Participants    string
	OrganisationsReached, Trend, FirstDay, Measure             string
	Number, County, Venue, Date, Certificate, Certifies        string
	TookPart, AttendedOn, PlaceDate, OrganiserSignature        string
	NobodyCheckedIn, SeriesName, Badges, TableTents            string
	NobodyConfirmed, Project, FundingReference, Funder         string
	Catering, Item, Diet, Meal, Headcount, OvernightStays      string
	NoSpecialDiet, DietErased, NotYetHeld, NoAnswersYet        string
	RegistrationQuestions, Answer, Yes, No, PhotoConsent       string
}

// reportWords returns the texts of l; an unknown language gets German, the default.
func (l Lang) reportWords() reportWords {
	if w, ok := reportDictionary[l]; ok {
		return w
	}
	return reportDictionary[German]
}

// shortDate writes a day for table columns: "16.11.2026" or "16 Nov 2026".
func (l Lang) shortDate(d domain.Day) string {
	t, err := time.Parse(time.DateOnly, string(d))
	if err != nil {
		return string(d)
	}
	if l == English {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02.01.2006")
}

// shortDates joins days with shortDate.
func (l Lang) shortDates(days []domain.Day) string {
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = l.shortDate(d)
	}
	return strings.Join(out, ", ")
}

// dayMonths writes days without the year, for narrow columns: "16.11., 17.11." or
// "16 Nov, 17 Nov".
func (l Lang) dayMonths(days []domain.Day) string {
	layout := "02.01."
	if l == English {
		layout = "2 Jan"
	}
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = string(d)
		if t, err := time.Parse(time.DateOnly, string(d)); err == nil {
			out[i] = t.Format(layout)
		}
	}
	return strings.Join(out, ", ")
}

// text picks the language's variant of a bilingual text, or the other when it is missing.
func (l Lang) text(t domain.Text) string {
	if l == English && t.En != "" || t.De == "" {
		return t.En
	}
	return t.De
}

// percent writes a rate as a whole percentage: "25 %" or "25%".
func (l Lang) percent(rate float64) string {
	if l == English {
		return fmt.Sprintf("%.0f%%", rate*100)
	}
	return fmt.Sprintf("%.0f %%", rate*100)
}

// decimal writes a number with two decimals and the language's decimal mark.
func (l Lang) decimal(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	if l != English {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// groupName is a group's name, or NoName for people who named none.
func (w reportWords) groupName(name string) string {
	if name == "" {
		return w.NoName
	}
	return name
}

// personName is a participant's name, or Erased.
func (w reportWords) personName(p AttendancePerson) string {
	if p.Erased {
		return w.Erased
	}
	return p.Name
}
