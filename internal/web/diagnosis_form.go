package web

import (
	"strconv"
	"strings"

	"rma/internal/bench"
	"rma/internal/fault"
)

// partRows is how many rows of parts the diagnosis form offers.
const partRows = 4

// formParts reads the parts of the page's diagnosis form: a row per part
// (number, name, quantity); an empty row is skipped, and a row with a part
// number and no quantity uses one. A quantity that is no number is the
// parts field's error, as the service's own check says it.
func (r diagnosisRequest) formParts() ([]bench.Part, error) {
	var out []bench.Part
	for i, number := range r.PartNumbers {
		name, qty := at(r.PartNames, i), strings.TrimSpace(at(r.PartQuantities, i))
		number = strings.TrimSpace(number)
		if number == "" && strings.TrimSpace(name) == "" && qty == "" {
			continue
		}
		n := 1
		if qty != "" {
			var err error
			if n, err = strconv.Atoi(qty); err != nil {
				return nil, fault.Field("parts", "parts_invalid")
			}
		}
		out = append(out, bench.Part{Number: number, Name: name, Quantity: n})
	}
	return out, nil
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

// DiagnosisCodes is the catalogue a diagnosis form offers.
func (p page) DiagnosisCodes() []string { return bench.DiagnosisCodes }

// PartRows numbers the rows of parts a diagnosis form offers.
func (p page) PartRows() []int { return make([]int, partRows) }
