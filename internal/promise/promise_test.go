package promise

import (
	"testing"
	"time"
)

func TestPromiseLifecycle(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	due := t0.Add(48 * time.Hour)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }

	p := Make("1", Answer, t0, due)
	if p.Overdue(at(47)) || !p.Overdue(at(49)) {
		t.Error("an open promise is overdue exactly after its due time")
	}
	p.Pause(ReasonQuestion, at(10))
	if !p.Paused() || p.Overdue(at(100)) {
		t.Error("a paused promise is never overdue")
	}
	if p.NoticeBreach(at(100)) {
		t.Error("a paused promise was noticed as broken")
	}
	p.Resume(at(34), at(34).Add(38*time.Hour))
	if p.Paused() || p.PausedFor(at(200)) != 24*time.Hour || !p.DueAt.Equal(at(72)) {
		t.Errorf("after resuming: paused %v for %s, due %s", p.Paused(), p.PausedFor(at(200)), p.DueAt)
	}
	p.Settle(at(72))
	if p.State != Kept || !p.SettledAt.Equal(at(72)) {
		t.Errorf("settled at the due instant: %s", p.State)
	}

	late := Make("2", Return, t0, due)
	late.Settle(due.Add(time.Microsecond))
	if late.State != Broken || late.BrokenAt == nil {
		t.Errorf("settled a microsecond late: %s", late.State)
	}

	noticed := Make("3", Return, t0, due)
	if !noticed.NoticeBreach(at(50)) || noticed.NoticeBreach(at(51)) {
		t.Error("a breach is noticed once")
	}
	noticed.Settle(at(60))
	if noticed.State != Broken || !noticed.BrokenAt.Equal(at(50)) || !noticed.SettledAt.Equal(at(60)) {
		t.Errorf("a noticed breach settled later stays broken from when it was noticed: %+v", noticed)
	}

	waiting := Make("4", Answer, t0, due)
	waiting.Pause(ReasonQuestion, at(1))
	waiting.Settle(at(500))
	if waiting.State != Kept || waiting.Pauses[0].To == nil {
		t.Errorf("a decision while waiting on the buyer keeps the promise and ends the pause: %+v", waiting)
	}

	void := Make("5", ShipBy, t0, due)
	void.Void(at(1))
	void.Settle(at(2))
	if void.State != Void || !void.SettledAt.Equal(at(1)) {
		t.Errorf("a void promise stays void: %+v", void)
	}
}

func TestCompliance(t *testing.T) {
	var tl Tally
	if _, ok := tl.Compliance(); ok {
		t.Error("nothing due has no compliance")
	}
	tl.Add(Kept, false, 1)
	tl.Add(Broken, false, 1)
	tl.Add(Open, true, 1)
	tl.Add(Open, false, 5)
	tl.Add(Void, false, 3)
	share, ok := tl.Compliance()
	if !ok || share < 0.333 || share > 0.334 || tl.Open != 6 || tl.OpenOverdue != 1 {
		t.Errorf("tally %+v: compliance %v", tl, share)
	}
}
