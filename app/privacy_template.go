package app

import (
	"github.com/werkstatt/werkstatt/domain"
)

// The template of a privacy notice, in German and English: the structure a data-protection
// officer of a German public body expects (controller, data-protection officer, purposes and
// legal bases, recipients, storage period, the rights of Art. 15 to 21 and the withdrawal of
// consent, the right to complain to the supervisory authority). A network states the
// controller and the supervisory authority; the texts below hold wherever it states none.

// noticeTemplate holds the template's texts by language.
var noticeTemplate = map[string]domain.PrivacyNotice{
	"de": {
		Purposes: "Wir verarbeiten Ihre Angaben bei der Anmeldung (Name, E-Mail-Adresse, Organisation und Ihre freiwilligen " +
			"Angaben wie Verpflegungswünsche), um Ihre Anmeldung zu bearbeiten, den Workshop vorzubereiten und durchzuführen " +
			"(Unterschriftenliste, Einlass, Themencafé, Teilnahmebescheinigung), Ihnen Nachrichten zum Workshop zu schicken und die " +
			"Teilnahme gegenüber Fördermittelgebern nachzuweisen. Rückmeldungen zum Workshop geben Sie anonym.",
		LegalBasis: "Art. 6 Abs. 1 Buchst. a DSGVO: Ihre Einwilligung bei der Anmeldung. Soweit wir als öffentliche Stelle eine " +
			"Aufgabe im öffentlichen Interesse wahrnehmen, Art. 6 Abs. 1 Buchst. e DSGVO in Verbindung mit dem " +
			"Datenschutzgesetz des Landes. Angaben zur Verpflegung, aus denen Gesundheitsdaten hervorgehen können, " +
			"verarbeiten wir nur mit Ihrer ausdrücklichen Einwilligung (Art. 9 Abs. 2 Buchst. a DSGVO).",
		Recipients: "Ihre Angaben sehen nur die Personen, die den Workshop organisieren und leiten, soweit sie sie für ihre " +
			"Aufgabe brauchen. Für Verpflegung und Übernachtung geben wir nur Zahlen weiter, keine Namen. Fördermittelgeber " +
			"erhalten Teilnahmezahlen, Namen nur, wenn die Förderung einen Nachweis verlangt. Die Daten werden nicht in " +
			"Drittländer übermittelt.",
		Rights: "Sie haben das Recht auf Auskunft über die zu Ihnen gespeicherten Daten (Art. 15 DSGVO), auf Berichtigung " +
			"(Art. 16 DSGVO), auf Löschung (Art. 17 DSGVO), auf Einschränkung der Verarbeitung (Art. 18 DSGVO), auf " +
			"Datenübertragbarkeit (Art. 20 DSGVO) und auf Widerspruch gegen die Verarbeitung (Art. 21 DSGVO). Ihre " +
			"Einwilligung können Sie jederzeit mit Wirkung für die Zukunft widerrufen (Art. 7 Abs. 3 DSGVO); die " +
			"Rechtmäßigkeit der Verarbeitung bis zum Widerruf bleibt unberührt. Wenden Sie sich dafür an die " +
			"verantwortliche Stelle oder an die oder den Datenschutzbeauftragten.",
	},
	"en": {
		Purposes: "We process what you tell us when you register (name, email address, organisation and your optional details " +
			"such as dietary needs) to handle your registration, to prepare and run the workshop (sign-in " +
			"sheets, check-in, theme café, certificate of attendance), to send you messages about the workshop and to " +
			"show funders that the workshop took place. You give feedback on the workshop anonymously.",
		LegalBasis: "Your consent when you register (Article 6(1)(a) GDPR). Where we perform a task in the public interest as a " +
			"public body, Article 6(1)(e) GDPR together with the data protection act of the federal state. Dietary details " +
			"that may reveal health data are processed only with your explicit consent (Article 9(2)(a) GDPR).",
		Recipients: "Only the people who organise and lead the workshop see your details, as far as they need them for their " +
			"task. For catering and overnight stays we pass on numbers only, no names. Funders receive the number of " +
			"participants, names only when the funding requires evidence. The data is not transferred to third countries.",
		Rights: "You have the right of access to the data stored about you (Article 15 GDPR), to rectification (Article 16 GDPR), " +
			"to erasure (Article 17 GDPR), to restriction of processing (Article 18 GDPR), to data portability (Article 20 GDPR) and " +
			"to object to the processing (Article 21 GDPR). You may withdraw your consent at any time with effect for the " +
			"future (Article 7(3) GDPR); this does not affect the lawfulness of the processing before the withdrawal. Please " +
			"contact the controller or the data-protection officer.",
	},
}

// PrivacyNoticeTemplate returns the template's notice in lang, with the controller named
// controller (a network's name; "" for none).
func PrivacyNoticeTemplate(lang, controller string) domain.PrivacyNotice {
	p, ok := noticeTemplate[lang]
	if !ok {
		p = noticeTemplate[domain.DefaultLanguage]
	}
	p.Controller.Name = controller
	return p
}

// FillPrivacyNotice returns p with its empty texts taken from the template in lang, and the
// controller named controller when p names none.
func FillPrivacyNotice(p domain.PrivacyNotice, lang, controller string) domain.PrivacyNotice {
	t := PrivacyNoticeTemplate(lang, controller)
	for _, f := range []struct {
		s *string
		t string
	}{
		{&p.Controller.Name, t.Controller.Name}, {&p.Purposes, t.Purposes}, {&p.LegalBasis, t.LegalBasis},
		{&p.Recipients, t.Recipients}, {&p.Rights, t.Rights},
	} {
		if *f.s == "" {
			*f.s = f.t
		}
	}
	return p
}
