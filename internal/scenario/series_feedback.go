package scenario

import (
	"github.com/werkstatt/werkstatt/domain"
)

// seriesSessionQuestions is the questionnaire organisers add to a session in Series.
var seriesSessionQuestions = []domain.Question{
	{ID: "overall", Kind: domain.ScaleQuestion, Required: true,
		Text: domain.Text{De: "Wie hat Ihnen diese Session gefallen?", En: "How did you like this session?"}},
	{ID: "pace", Kind: domain.SingleChoice, Text: domain.Text{De: "Wie war das Tempo?", En: "How was the pace?"},
		Options: []domain.Option{{ID: "slow", Text: domain.Text{De: "zu langsam", En: "too slow"}},
			{ID: "right", Text: domain.Text{De: "genau richtig", En: "just right"}},
			{ID: "fast", Text: domain.Text{De: "zu schnell", En: "too fast"}}}},
	{ID: "comment", Kind: domain.FreeText, Text: domain.Text{De: "Anmerkungen zur Session", En: "Comments on the session"}},
}

// collectFeedback adds questionnaires to every other session, opens feedback, lets people
// answer (see Series) and closes it.
func (w *seriesWorkshop) collectFeedback() {
	asked := map[domain.SessionID]bool{}
	s := 0
	for _, sessions := range w.sessions {
		for _, sid := range sessions {
			if s%2 == 0 {
				w.must(func(ws domain.Workshop) ([]domain.Event, error) {
					return ws.SetQuestionnaire(domain.SetQuestionnaire{SessionID: sid, Questions: seriesSessionQuestions})
				})
				asked[sid] = true
			}
			s++
		}
	}
	w.must(domain.Workshop.OpenFeedback)
	var changing []int
	answered := 0
	for k, rid := range w.confirmed {
		if !comes(k, 0) && !comes(k, 1) || answered*100 >= w.size.Feedback*(k+1) {
			continue
		}
		answered++
		w.answer(rid, domain.WorkshopQuestionnaire, w.workshopAnswers(k, false))
		attended, n := w.attended[rid], 0
		for i := range attended {
			if sid := attended[(i+k)%len(attended)]; asked[sid] && n < 2 {
				w.answer(rid, domain.QuestionnaireFor(sid), sessionAnswers(k+n))
				n++
			}
		}
		if answered%20 == 2 {
			changing = append(changing, k)
		}
	}
	for _, k := range changing {
		w.answer(w.confirmed[k], domain.WorkshopQuestionnaire, w.workshopAnswers(k, true))
	}
	w.must(domain.Workshop.CloseFeedback)
}

func (w *seriesWorkshop) answer(rid domain.RegistrationID, q domain.QuestionnaireID, answers []domain.Answer) {
	c := domain.AnswerFeedback{QuestionnaireID: q, RegistrationID: rid, Answers: answers,
		RespondentKey: fakeHash("feedback", string(w.id), string(q), string(rid))}
	w.must(func(ws domain.Workshop) ([]domain.Event, error) { return ws.AnswerFeedback(c) })
}

// workshopAnswers answers every default question. The ratings scatter around a level per
// question that drifts from workshop to workshop, so that the series report shows trends;
// someone who changes their answer rates the workshop one point lower.
func (w *seriesWorkshop) workshopAnswers(k int, changed bool) []domain.Answer {
	levels := map[domain.QuestionID]int{"satisfaction": 4, "content": 4, "organisation": 3, "usefulness": 4}
	drift := []int{0, 0, 1, 0, -1, 0, 1}[w.n%7]
	scatter := []int{0, 1, -1, 0, 1, 0, -2, 0, 1}
	var out []domain.Answer
	for i, q := range domain.DefaultQuestions() {
		a := domain.Answer{QuestionID: q.ID}
		switch q.ID {
		case "most_useful":
			a.Text = seriesMostUseful[(k+w.n)%len(seriesMostUseful)]
		case "missing":
			a.Text = seriesMissing[(k*3+w.n)%len(seriesMissing)]
		case "next_topics":
			a.Text = seriesNextTopics[(k*7+w.n)%len(seriesNextTopics)]
		default:
			a.Scale = levels[q.ID] + drift + scatter[(k+i)%len(scatter)]
			if changed && q.ID == "satisfaction" {
				a.Scale--
			}
			a.Scale = min(max(a.Scale, domain.ScaleMin), domain.ScaleMax)
		}
		out = append(out, a)
	}
	return out
}

// sessionAnswers answers seriesSessionQuestions; every other person leaves no comment.
func sessionAnswers(k int) []domain.Answer {
	out := []domain.Answer{{QuestionID: "overall", Scale: []int{4, 5, 3, 4, 2, 5}[k%6]},
		{QuestionID: "pace", Choices: []string{[]string{"right", "right", "fast", "slow"}[k%4]}}}
	if k%2 == 0 {
		out = append(out, domain.Answer{QuestionID: "comment", Text: seriesComments[k%len(seriesComments)]})
	}
	return out
}

var (
	seriesFirstNames = []string{"Anna", "Lukas", "Fatma", "Jonas", "Mariam", "Felix", "Sophie", "Ahmad", "Lea", "Paul",
		"Olena", "Tim", "Hannah", "Yusuf", "Clara", "Nils", "Elif", "Jan", "Miriam", "David", "Aylin", "Moritz", "Zeynep"}
	seriesLastNames = []string{"Müller", "Schmidt", "Kaya", "Wagner", "Hoffmann", "Nowak", "Koch", "Richter", "Demir",
		"Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Yilmaz", "Krüger", "Hartmann"}
	seriesDistricts = []string{"Mitte", "Nord", "Süd", "Ost", "West", "Altstadt", "Neustadt", "Hafen", "Südstadt",
		"Oststadt", "Weststadt", "Am Berg"}
	seriesOrganisations = []string{"Jugendzentrum Nord", "Caritasverband", "Diakonisches Werk", "AWO Kreisverband",
		"Jobcenter", "Stadtjugendring", "Sportverein Eintracht", "Familienzentrum Süd", "Volkshochschule",
		"Kinderschutzbund", "Evangelische Jugend", "BDKJ", "Jugendamt", "Streetwork Mitte", "Mädchentreff",
		"Schulsozialarbeit Gesamtschule", "Pfadfinder", "Jugendmigrationsdienst", "Musikschule", "Bürgerstiftung",
		"Quartiersmanagement Hafen", "DRK Ortsverein", "Jugendfeuerwehr", "Theaterwerkstatt", "Medienzentrum",
		"Jugendberufsagentur", "Kulturverein Brücke", "Nachbarschaftshaus", "Freiwilligenagentur", "Lernpaten e.V.",
		"Suchtberatung", "Integrationsrat", "Frauenhaus", "Gemeinschaftsschule West", "Kinder- und Jugendparlament",
		"Abenteuerspielplatz", "Tafel", "Mehrgenerationenhaus", "Fanprojekt", "Seniorenbeirat", "Mobile Jugendarbeit",
		"Stadtbibliothek", "Ev. Kirchengemeinde", "Moscheegemeinde", "Sozialpsychiatrischer Dienst", "Wohnungslosenhilfe",
		"Ausbildungsverbund"}
	seriesSessionTitles = []string{"Begrüßung und Impuls", "Jugendbeteiligung vor Ort", "Austausch in Arbeitsgruppen",
		"Digitale Jugendarbeit", "Fördermittel gezielt nutzen", "Rückblick auf Tag 1", "Kooperation mit Schulen",
		"Praxisbeispiele aus den Stadtteilen", "Offene Räume, offene Fragen", "Abschluss und Ausblick"}
	seriesMostUseful = []string{"Der Austausch mit Kolleginnen und Kollegen aus anderen Stadtteilen",
		"Die Praxisbeispiele, vor allem zur digitalen Jugendarbeit", "Konkrete Tipps zu Förderanträgen",
		"Die Arbeitsgruppen am Nachmittag", "Neue Kontakte für gemeinsame Projekte", "Der Impulsvortrag am Morgen"}
	seriesMissing = []string{"Mehr Zeit für Fragen nach den Vorträgen", "Pausen zum Vernetzen",
		"Material zum Mitnehmen", "Stimmen von Jugendlichen selbst", "Ein Blick auf ländliche Räume"}
	seriesNextTopics = []string{"Beteiligung von Jugendlichen an der Stadtplanung", "Kinderschutz in offenen Angeboten",
		"Psychische Gesundheit junger Menschen", "Fachkräftemangel in der Jugendarbeit", "Social Media und Jugendschutz",
		"Gemeinsame Förderanträge mehrerer Träger", "Übergang Schule – Beruf"}
	seriesComments = []string{"Sehr anschaulich, gerne mehr davon", "Zu wenig Zeit für Diskussion",
		"Die Folien bitte per E-Mail schicken", "Hat mir neue Ideen für meine Arbeit gegeben", "Etwas zu theoretisch"}
)
