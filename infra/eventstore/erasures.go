package eventstore

import (
	"encoding/json"
	"fmt"

	"github.com/werkstatt/werkstatt/domain"
)

// Erasures returns the data subjects (keyring keys) whose erasure the commit data, one stream
// message, records. It opens nothing: a restore uses it to keep the keys of erased people out
// of a restored keyring, whatever the key backup still holds.
func Erasures(data []byte) ([]string, error) {
	var body commitBody
	if err := json.Unmarshal(data, &body); err != nil {
		return nil, fmt.Errorf("eventstore: commit: %w", err)
	}
	var subjects []string
	for _, env := range body.Events {
		// An erasure deletes the registration's key and its evidence key (if a hold kept any);
		// a reduction to evidence deletes the registration's own key.
		var e struct {
			RegistrationID domain.RegistrationID `json:"registration_id"`
		}
		switch env.Name {
		case domain.PersonalDataErased{}.Name(), domain.ReducedToEvidence{}.Name():
		default:
			continue
		}
		if err := json.Unmarshal(env.Data, &e); err != nil {
			return nil, fmt.Errorf("eventstore: %s: %w", env.Name, err)
		}
		subjects = append(subjects, domain.ParticipantRegistered{RegistrationID: e.RegistrationID}.DataSubject())
		if env.Name == (domain.PersonalDataErased{}).Name() {
			subjects = append(subjects, domain.EvidenceSubject(e.RegistrationID))
		}
	}
	return subjects, nil
}
