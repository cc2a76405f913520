package claim

import (
	"errors"
	"strings"
	"testing"
	"time"

	"rma/internal/account"
	"rma/internal/coverage"
	"rma/internal/fault"
	"rma/internal/order"
)

var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func ago(days int) *time.Time {
	t := now.AddDate(0, 0, -days)
	return &t
}

const goodIMEI = "490154203237518"

func baseline(kind coverage.Kind) (Request, Standing) {
	policy := coverage.NewPolicy(coverage.Settings{AccidentalDamageLimit: 2})
	term, _ := policy.Term(kind)
	o := order.Order{Number: "ORD-1", BuyerEmail: "b@example.com", CompletedAt: ago(100), Country: "DE",
		Category: order.CategoryPhone, IMEI: goodIMEI, Coverages: []coverage.Kind{coverage.ExtendedWarranty, coverage.AccidentalDamage}}
	r := Request{OrderNumber: "ORD-1", Coverage: kind, IMEI: goodIMEI, Description: "The screen broke when it fell.",
		IncidentDate: ago(2)}
	return r, Standing{Order: &o, Kind: kind, Term: term, BuyerStatus: account.Active, Served: true, Now: now}
}

func TestEachEligibilityRuleOnItsOwn(t *testing.T) {
	cases := []struct {
		name   string
		kind   coverage.Kind
		change func(r *Request, s *Standing)
		field  string
		reason string
	}{
		{"someone else's or no order", coverage.ExtendedWarranty, func(_ *Request, s *Standing) { s.Order = nil },
			"order_number", "order_not_found"},
		{"suspended account", coverage.ExtendedWarranty, func(_ *Request, s *Standing) { s.BuyerStatus = account.Suspended },
			"account", "account_suspended"},
		{"order not completed", coverage.ExtendedWarranty, func(_ *Request, s *Standing) { s.Order.CompletedAt = nil },
			"order_number", "order_not_completed"},
		{"coverage not bought", coverage.AccidentalDamage,
			func(_ *Request, s *Standing) { s.Order.Coverages = []coverage.Kind{coverage.ExtendedWarranty} },
			"coverage", "coverage_not_purchased"},
		{"wrong country", coverage.ExtendedWarranty, func(_ *Request, s *Standing) { s.Order.Country = "US" },
			"coverage", "coverage_not_sold_in_country"},
		{"out of term (accidental damage, 1 year)", coverage.AccidentalDamage,
			func(r *Request, s *Standing) { s.Order.CompletedAt = ago(366); r.IncidentDate = ago(300) },
			"coverage", "coverage_expired"},
		{"out of term (warranty, 2 years)", coverage.ExtendedWarranty,
			func(_ *Request, s *Standing) { s.Order.CompletedAt = ago(731) }, "coverage", "coverage_expired"},
		{"not a phone", coverage.AccidentalDamage, func(_ *Request, s *Standing) { s.Order.Category = "laptop" },
			"coverage", "coverage_phones_only"},
		{"no center serves the country", coverage.ExtendedWarranty, func(_ *Request, s *Standing) { s.Served = false },
			"order_number", "no_service_center"},
		{"claim limit used up", coverage.AccidentalDamage, func(_ *Request, s *Standing) { s.ClaimsUsed = 2 },
			"coverage", "claim_limit_reached"},
		{"bad IMEI", coverage.ExtendedWarranty, func(r *Request, _ *Standing) { r.IMEI = "490154203237517" },
			"imei", "imei_invalid"},
		{"IMEI not the order's", coverage.ExtendedWarranty, func(r *Request, _ *Standing) { r.IMEI = "356938035643809" },
			"imei", "imei_not_on_order"},
		{"no description", coverage.ExtendedWarranty, func(r *Request, _ *Standing) { r.Description = "broken" },
			"description", "description_too_short"},
		{"no incident date", coverage.AccidentalDamage, func(r *Request, _ *Standing) { r.IncidentDate = nil },
			"incident_date", "incident_date_required"},
		{"incident in the future", coverage.AccidentalDamage,
			func(r *Request, _ *Standing) { f := now.Add(48 * time.Hour); r.IncidentDate = &f },
			"incident_date", "incident_date_in_future"},
		{"incident before the order", coverage.AccidentalDamage, func(r *Request, _ *Standing) { r.IncidentDate = ago(200) },
			"incident_date", "incident_outside_term"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, s := baseline(tc.kind)
			if err := CheckRequest(r.normalize(), s); err != nil {
				t.Fatalf("baseline refused: %v", err)
			}
			tc.change(&r, &s)
			err := CheckRequest(r.normalize(), s)
			fe, ok := fault.As(err)
			if !ok || !errors.Is(err, fault.ErrInvalid) {
				t.Fatalf("got %v, want an invalid error", err)
			}
			if len(fe.Fields) != 1 || fe.Fields[tc.field] != tc.reason {
				t.Errorf("fields %v, want only %s=%s", fe.Fields, tc.field, tc.reason)
			}
		})
	}
}

func TestEveryFailedRuleIsReported(t *testing.T) {
	r, s := baseline(coverage.AccidentalDamage)
	s.Order.Category = "laptop"
	r.IMEI, r.Description, r.IncidentDate = "123", "", nil
	err := CheckRequest(r.normalize(), s)
	fe, _ := fault.As(err)
	want := map[string]string{"coverage": "coverage_phones_only", "imei": "imei_invalid",
		"description": "description_too_short", "incident_date": "incident_date_required"}
	if fe == nil || len(fe.Fields) != len(want) {
		t.Fatalf("got %v, want %v", fe, want)
	}
	for f, reason := range want {
		if fe.Fields[f] != reason {
			t.Errorf("%s: got %q, want %q", f, fe.Fields[f], reason)
		}
	}
	if !errors.Is(err, fault.New(fault.Invalid, "coverage_phones_only")) {
		t.Errorf("summary reason %q", fe.Reason)
	}
}

func TestCoverageEndsAt(t *testing.T) {
	_, s := baseline(coverage.ExtendedWarranty)
	_, _, ends := CoverageReason(s)
	if want := s.Order.CompletedAt.AddDate(2, 0, 0); ends == nil || !ends.Equal(want) {
		t.Errorf("ends %v, want %v", ends, want)
	}
}

// The description's bounds are inclusive and counted in characters, not
// bytes: ten accented letters are enough, four thousand are not too many.
func TestDescriptionBoundsAreInclusiveCharacters(t *testing.T) {
	cases := []struct {
		n      int
		reason string
	}{
		{MinDescription - 1, "description_too_short"},
		{MinDescription, ""},
		{MaxDescription, ""},
		{MaxDescription + 1, "description_too_long"},
	}
	for _, tc := range cases {
		r, s := baseline(coverage.ExtendedWarranty)
		r.Description = strings.Repeat("ü", tc.n)
		err := CheckRequest(r.normalize(), s)
		fe, _ := fault.As(err)
		switch {
		case tc.reason == "" && err != nil:
			t.Errorf("%d characters: %v, want eligible", tc.n, err)
		case tc.reason != "" && (fe == nil || fe.Fields["description"] != tc.reason):
			t.Errorf("%d characters: %v, want description=%s", tc.n, err, tc.reason)
		}
	}
}
