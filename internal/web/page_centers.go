package web

import (
	"rma/internal/account"
	"rma/internal/center"
)

// centerRow is a center on the admin's centers page, with what keeps it
// from working: no active technician to receive and repair devices, or no
// country whose claims are routed to it.
type centerRow struct {
	center.Center
	Technicians  int
	NoTechnician bool
	NoCountry    bool
}

// centerRows counts each center's active technicians and flags the
// centers that cannot do their work.
func centerRows(cs []center.Center, users []account.User) []centerRow {
	techs := map[string]int{}
	for _, u := range users {
		if u.Role == account.Technician && u.Status == account.Active {
			techs[u.CenterCode]++
		}
	}
	out := make([]centerRow, len(cs))
	for i, c := range cs {
		out[i] = centerRow{Center: c, Technicians: techs[c.Code], NoTechnician: techs[c.Code] == 0, NoCountry: len(c.Serves) == 0}
	}
	return out
}

// centersData is the centers page: the rows, and how many need attention.
type centersData struct {
	Rows     []centerRow
	Warnings int
}

func newCentersData(cs []center.Center, users []account.User) centersData {
	d := centersData{Rows: centerRows(cs, users)}
	for _, r := range d.Rows {
		if r.NoTechnician || r.NoCountry {
			d.Warnings++
		}
	}
	return d
}
