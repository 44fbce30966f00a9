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
		if env.Name != (domain.PersonalDataErased{}).Name() {
			continue
		}
		var e domain.PersonalDataErased
		if err := json.Unmarshal(env.Data, &e); err != nil {
			return nil, fmt.Errorf("eventstore: %s: %w", env.Name, err)
		}
		subjects = append(subjects, domain.ParticipantRegistered{RegistrationID: e.RegistrationID}.DataSubject())
	}
	return subjects, nil
}
