package promise

import "time"

// Filter selects the promises a compliance report counts: those due in
// [From, To), of claims routed to Center, from buyers in Country, speaking
// Language (each optional).
type Filter struct {
	From, To                  time.Time
	Center, Country, Language string
}

// Tally counts one kind's promises by how they stand.
type Tally struct {
	Kind   Kind
	Kept   int
	Broken int
	Void   int
	// Open counts the promises not ended yet; OpenOverdue those of them
	// past their due time with the clock running: broken in all but name.
	Open, OpenOverdue int
}

// Compliance is the share of promises kept among those that were due: kept,
// broken, or open past their due time. ok is false when none was due.
func (t Tally) Compliance() (share float64, ok bool) {
	due := t.Kept + t.Broken + t.OpenOverdue
	if due == 0 {
		return 0, false
	}
	return float64(t.Kept) / float64(due), true
}

// Add counts n promises of the tally's kind in state st, overdue or not.
func (t *Tally) Add(st State, overdue bool, n int) {
	switch st {
	case Kept:
		t.Kept += n
	case Broken:
		t.Broken += n
	case Void:
		t.Void += n
	case Open:
		t.Open += n
		if overdue {
			t.OpenOverdue += n
		}
	}
}
