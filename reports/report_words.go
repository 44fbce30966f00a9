package reports

import (
	"fmt"
	"strings"
	"time"

	"github.com/werkstatt/werkstatt/domain"
)

// reportWords are the fixed texts of the attendance, evaluation and series reports.
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
}

var reportDictionary = map[Lang]reportWords{
	German: {
		Attendance: "Teilnahmebericht", SignInSheet: "Unterschriftenliste", Evaluation: "Auswertung", Series: "Reihenbericht",
		Overview: "Übersicht", Days: "Tage", Sessions: "Programmpunkte", Organisations: "Organisationen",
		Districts: "Bezirke", People: "Teilnehmende",
		Day: "Tag", Session: "Programmpunkt", Starts: "Beginn", Confirmed: "Bestätigt", Present: "Anwesend",
		NoShows: "Nicht erschienen", NoShowRate: "Nichterscheinensquote", PersonDays: "Personentage",
		Name: "Name", Organisation: "Organisation", District: "Bezirk", DaysAttended: "Anwesend an Tagen",
		Signature: "Unterschrift", Erased: "(gelöscht)", NoName: "(ohne Angabe)",
		Questionnaire: "Fragebogen", WholeWorkshop: "Gesamte Werkstatt", Version: "Version", Question: "Frage",
		Kind: "Art", Value: "Wert", Count: "Anzahl", Answers: "Antworten", Mean: "Mittelwert", Median: "Median",
		Responses: "Rückmeldungen", Rate: "Rücklaufquote", CheckedIn: "Eingecheckt", Texts: "Freitexte",
		TextsWithheld: "Freitexte zurückgehalten: weniger als 3 Rückmeldungen.", Workshop: "Werkstatt",
		Participants: "Teilnehmende", OrganisationsReached: "Erreichte Organisationen", Trend: "Entwicklung",
		FirstDay: "Erster Tag", Measure: "Kennzahl",
	},
	English: {
		Attendance: "Attendance report", SignInSheet: "Sign-in sheet", Evaluation: "Evaluation", Series: "Series report",
		Overview: "Overview", Days: "Days", Sessions: "Sessions", Organisations: "Organisations",
		Districts: "Districts", People: "Participants",
		Day: "Day", Session: "Session", Starts: "Starts", Confirmed: "Confirmed", Present: "Present",
		NoShows: "No-shows", NoShowRate: "No-show rate", PersonDays: "Person-days",
		Name: "Name", Organisation: "Organisation", District: "District", DaysAttended: "Days attended",
		Signature: "Signature", Erased: "(erased)", NoName: "(not given)",
		Questionnaire: "Questionnaire", WholeWorkshop: "Whole workshop", Version: "Version", Question: "Question",
		Kind: "Kind", Value: "Value", Count: "Count", Answers: "Answers", Mean: "Mean", Median: "Median",
		Responses: "Responses", Rate: "Response rate", CheckedIn: "Checked in", Texts: "Free-text answers",
		TextsWithheld: "Free-text answers withheld: fewer than 3 responses.", Workshop: "Workshop",
		Participants: "Participants", OrganisationsReached: "Organisations reached", Trend: "Trend",
		FirstDay: "First day", Measure: "Measure",
	},
}

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
