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
	"rma/internal/dispute"
	"rma/internal/i18n"
	"rma/internal/money"
	"rma/internal/order"
)

// TestEveryDisputeActionHasOneRouteAndOneForm checks the dispute catalogue
// against the lifecycle table: each action a person may take is served by
// exactly one API route and one page form, the system's by none.
func TestEveryDisputeActionHasOneRouteAndOneForm(t *testing.T) {
	handler, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	routes := map[string]int{}
	for _, r := range handler.(*gin.Engine).Routes() {
		routes[r.Method+" "+r.Path]++
	}
	served := map[dispute.Action]int{}
	for _, a := range disputeActions {
		if len(a.Fires) == 0 || len(a.roles()) == 0 {
			t.Errorf("catalogue entry %q fires nothing a person may do", a.Path)
		}
		for _, f := range a.Fires {
			served[f]++
		}
		for _, route := range []string{"POST /api/v1/disputes/:number/" + a.Path, "POST /disputes/:number/" + a.Path} {
			if routes[route] != 1 {
				t.Errorf("%s is registered %d times, want once", route, routes[route])
			}
		}
	}
	for _, action := range dispute.Actions() {
		people := slices.DeleteFunc(dispute.RolesOf(action), func(r account.Role) bool { return r == dispute.System })
		switch {
		case action == dispute.OpenDispute:
			for _, route := range []string{"POST /api/v1/disputes", "POST /disputes/new"} {
				if routes[route] != 1 {
					t.Errorf("open: %s is registered %d times, want once", route, routes[route])
				}
			}
		case len(people) == 0:
			if served[action] != 0 {
				t.Errorf("system action %s is offered to people", action)
			}
		case served[action] != 1:
			t.Errorf("%s is served by %d catalogue entries, want 1", action, served[action])
		}
	}
}

// TestDisputePageOffersExactlyWhatTheRoleMayDo renders the dispute page for
// every role and every status and reads its forms: every form posts an
// action that role may take from that status, and every such action has
// its form.
func TestDisputePageOffersExactlyWhatTheRoleMayDo(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	pages, err := parseTemplates()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	due := now.AddDate(0, 0, 3)
	price := money.Money{Minor: 49900, Currency: "EUR"}
	formAction := regexp.MustCompile(`<form method="post" action="/disputes/DSP-7KQ4M2XR/([a-z-]+)"`)
	byPath := map[string]disputeAction{}
	for _, a := range disputeActions {
		byPath[a.Path] = a
	}
	shown := 0
	for _, role := range account.Roles {
		u := &account.User{ID: "u", Email: "u@example.com", Name: "U", Role: role, Language: "en", SellerCode: "SHOP"}
		for _, st := range dispute.Statuses {
			d := dispute.Dispute{ID: "01J", Number: "DSP-7KQ4M2XR", Status: st, OrderNumber: "ORD-1", BuyerID: "u",
				SellerCode: "SHOP", Country: "DE", Reason: dispute.Damaged, Description: "cracked",
				Remedy: dispute.ReturnAndRefund, Amount: price, OfferRemedy: dispute.PartialRefund,
				OfferAmount: money.Money{Minor: 1230, Currency: "EUR"}, SellerDueAt: &due, DecisionDueAt: &due,
				CreatedAt: now, UpdatedAt: now, Version: 1}
			data := disputeData(dispute.View{Dispute: d}, order.Order{Number: "ORD-1", Price: price}, role)
			p := page{Lang: "en", cat: cat, User: u, CSRF: "tok", Path: "/disputes/" + d.Number, Title: "T",
				Loc: time.UTC, Data: data}
			var buf bytes.Buffer
			if err := pages.ExecuteTemplate(&buf, "dispute", p); err != nil {
				t.Fatalf("dispute page as %s in %s: %v", role, st, err)
			}
			var forms []string
			for _, m := range formAction.FindAllStringSubmatch(buf.String(), -1) {
				if m[1] != "messages" && m[1] != "attachments" {
					forms = append(forms, m[1])
				}
			}
			for _, path := range forms {
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
			for path := range data.Offered {
				if !slices.Contains(forms, path) {
					t.Errorf("%s in %s: %q may be done but the page has no form for it (forms: %s)",
						role, st, path, strings.Join(forms, ", "))
				}
			}
			if strings.Contains(buf.String(), "dispute.") {
				t.Errorf("%s in %s: the page shows a message key", role, st)
			}
		}
	}
	if shown < 12 {
		t.Errorf("only %d forms shown over every role and status", shown)
	}
}
