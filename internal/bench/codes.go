package bench

import (
	"slices"
	"strings"

	"rma/internal/fault"
)

// DiagnosisCodes is the catalogue of findings a technician picks from; each
// code's name is the message "diagnosis.<code>" in every language.
var DiagnosisCodes = []string{
	"display", "touch", "battery", "charging_port", "camera", "speaker", "microphone", "buttons",
	"connectivity", "sensors", "liquid_damage", "board", "housing", "software", "activation_lock",
	"no_fault_found", "other",
}

// codes cleans the codes as sent, or says which is unknown.
func (s *Service) codes(in []string) ([]string, error) {
	var out []string
	for _, c := range in {
		c = strings.ToLower(strings.TrimSpace(c))
		if !slices.Contains(DiagnosisCodes, c) {
			return nil, fault.Field("codes", "diagnosis_code_invalid").With("Code", c)
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, nil
}
