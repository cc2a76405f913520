package web

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/i18n"
)

// TestEveryActionHasOneRouteAndOneForm checks the catalogue against the
// domain's lifecycle table: each action a person may take is served by
// exactly one API route and one page form, the system's actions by none.
func TestEveryActionHasOneRouteAndOneForm(t *testing.T) {
	handler, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	routes := map[string]int{}
	for _, r := range handler.(*gin.Engine).Routes() {
		routes[r.Method+" "+r.Path]++
	}
	served := map[claim.Action]int{}
	for _, a := range claimActions {
		if len(a.Fires) == 0 || len(a.roles()) == 0 {
			t.Errorf("catalogue entry %q fires nothing a person may do", a.Path)
		}
		for _, f := range a.Fires {
			served[f]++
		}
		for _, route := range []string{"POST /api/v1/claims/:rma/" + a.Path, "POST /claims/:rma/" + a.Path} {
			if routes[route] != 1 {
				t.Errorf("%s is registered %d times, want once", route, routes[route])
			}
		}
	}
	for _, action := range claim.Actions() {
		elsewhere, ok := elsewhereActions[action]
		switch {
		case claim.SystemOnly(action):
			if served[action] != 0 || ok {
				t.Errorf("system action %s is offered to people", action)
			}
		case ok:
			if served[action] != 0 {
				t.Errorf("%s has its own routes and a catalogue entry", action)
			}
			for _, route := range elsewhere {
				if routes[route] != 1 {
					t.Errorf("%s: %s is registered %d times, want once", action, route, routes[route])
				}
			}
		case served[action] != 1:
			t.Errorf("%s is served by %d catalogue entries, want 1", action, served[action])
		}
	}
}

// TestClaimPageOffersExactlyWhatTheRoleMayDo renders the claim page for
// every role and every status and reads its forms: every form posts an
// action that role may take from that status, and every such action has
// its form.
func TestClaimPageOffersExactlyWhatTheRoleMayDo(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	pages, err := parseTemplates()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	due := now.AddDate(0, 0, 5)
	ctr := center.Center{Code: "BER", Name: "Berlin", Country: "DE", TimeZone: "Europe/Berlin"}
	formAction := regexp.MustCompile(`<form method="post" action="/claims/RMA-7KQ4-M2XR/([a-z-]+)"`)
	byPath := map[string]claimAction{}
	for _, a := range claimActions {
		byPath[a.Path] = a
	}
	shown := 0
	for _, role := range account.Roles {
		u := &account.User{ID: "u", Email: "u@example.com", Name: "U", Role: role, Language: "en", CenterCode: "BER"}
		for _, st := range claim.Statuses {
			c := claim.Claim{ID: "01J", RMANumber: "RMA-7KQ4-M2XR", Status: st, OrderNumber: "ORD-1",
				IMEI: "490154203237518", CenterCode: "BER", CreatedAt: now, UpdatedAt: now, ReviewDueAt: &due, Version: 1}
			v := claim.View{Claim: c, Center: ctr}
			d := claimPageData{View: v, Offered: offeredActions(st, role), Journey: journeyOf(v),
				RejectReasons: claim.RejectReasons, UnrepairedReasons: claim.UnrepairedReasons}
			p := page{Lang: "en", cat: cat, User: u, CSRF: "tok", Path: "/claims/" + c.RMANumber, Title: "T",
				Loc: time.UTC, Data: d}
			var buf bytes.Buffer
			if err := pages.ExecuteTemplate(&buf, "claim", p); err != nil {
				t.Fatalf("claim page as %s in %s: %v", role, st, err)
			}
			var forms []string
			for _, m := range formAction.FindAllStringSubmatch(buf.String(), -1) {
				forms = append(forms, m[1])
			}
			for _, path := range forms {
				if path == "notes" && role != account.Buyer && role != account.Seller {
					continue // internal notes are no step of the lifecycle
				}
				a, ok := byPath[path]
				if !ok {
					t.Errorf("%s in %s: a form posts %q, which is no catalogue action", role, st, path)
					continue
				}
				if !a.offered(st, role) {
					t.Errorf("%s in %s: the page offers %q, which the role may not do", role, st, path)
				}
				shown++
			}
			for path := range d.Offered {
				if !slices.Contains(forms, path) {
					t.Errorf("%s in %s: %q may be done but the page has no form for it (forms: %s)",
						role, st, path, strings.Join(forms, ", "))
				}
			}
		}
	}
	if shown < 15 {
		t.Errorf("only %d forms shown over every role and status", shown)
	}
}
