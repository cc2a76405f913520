package web

import (
	"time"

	"rma/internal/claim"
	"rma/internal/promise"
)

// holdJSON is why a claim's return promise stands still: the reason, since
// when, for the activation lock when the claim is escalated if it stays on
// (and whether it was), and what the buyer can do, in the reader's
// language.
type holdJSON struct {
	Reason      string     `json:"reason"`
	Since       time.Time  `json:"since"`
	EscalatesAt *time.Time `json:"escalates_at,omitempty"`
	Escalated   bool       `json:"escalated"`
	WhatToDo    string     `json:"what_to_do,omitempty"`
}

// hold says why the claim waits and what to do, in lang; nil when it does
// not wait.
func (s *Server) hold(c claim.Claim, lang string, date func(*time.Time) string) *holdJSON {
	h, ok := s.Claims.Hold(c)
	if !ok {
		return nil
	}
	j := &holdJSON{Reason: h.Reason, Since: h.Since, EscalatesAt: h.EscalatesAt, Escalated: h.Escalated}
	if h.Reason == promise.ReasonActivationLock {
		key := "hold.activation_lock.todo"
		if h.Escalated {
			key = "hold.activation_lock.escalated"
		}
		j.WhatToDo = s.Catalog.T(lang, key, map[string]any{"Cap": date(h.EscalatesAt)})
	}
	return j
}
