package dispute

import (
	"errors"
	"testing"
	"time"

	"rma/internal/fault"
	"rma/internal/money"
	"rma/internal/order"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr(t time.Time) *time.Time { return &t }

func reasonOf(err error) string {
	if fe, ok := fault.As(err); ok {
		return fe.Reason
	}
	return ""
}

// TestWindowEdges: completed on 1 March at 10:00 in Berlin, the window
// holds through 16 March 23:59 Berlin time (the 15th day after the day of
// completion) and refuses the next minute; Madrid and Riga count in their
// own zones.
func TestWindowEdges(t *testing.T) {
	de := order.Order{Country: "DE", CompletedAt: ptr(at("2026-03-01T09:00:00Z"))} // 10:00 in Berlin
	lv := order.Order{Country: "LV", CompletedAt: ptr(at("2026-03-01T09:00:00Z"))} // 11:00 in Riga
	late := order.Order{Country: "DE", CompletedAt: ptr(at("2026-02-28T23:30:00Z"))}
	tests := []struct {
		name   string
		o      order.Order
		now    string
		reason string
	}{
		{"same day", de, "2026-03-01T09:00:00Z", ""},
		{"day 15 at 23:59 Berlin", de, "2026-03-16T22:59:00Z", ""},
		{"day 15 at 23:59:59 Berlin", de, "2026-03-16T22:59:59Z", ""},
		{"day 16 at 00:00 Berlin", de, "2026-03-16T23:00:00Z", ReasonWindowClosed},
		{"day 16 at 00:01 Berlin", de, "2026-03-16T23:01:00Z", ReasonWindowClosed},
		{"day 15 at 23:59 Riga", lv, "2026-03-16T21:59:00Z", ""},
		{"day 16 at 00:00 Riga", lv, "2026-03-16T22:00:00Z", ReasonWindowClosed},
		// 23:30 UTC on 28 Feb is already 1 March in Berlin: the day of
		// completion is the buyer's.
		{"completion after midnight local", late, "2026-03-16T22:59:00Z", ""},
		{"not completed", order.Order{Country: "DE"}, "2026-03-02T00:00:00Z", ReasonNotCompleted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckWindow(tt.o, NotAsDescribed, at(tt.now))
			if reasonOf(err) != tt.reason || (err == nil) != (tt.reason == "") {
				t.Fatalf("got %v, want %q", err, tt.reason)
			}
			if err != nil && !errors.Is(err, fault.ErrInvalid) {
				t.Fatalf("not invalid: %v", err)
			}
		})
	}
}

// TestNotReceivedWindow: not_received is refused before the promised date,
// allowed from it while undelivered (even past the 15 days and before
// completion), and follows the ordinary window once delivered.
func TestNotReceivedWindow(t *testing.T) {
	promised := at("2026-03-10T00:00:00Z")
	undelivered := order.Order{Country: "DE", CompletedAt: ptr(at("2026-03-01T09:00:00Z")), PromisedDeliveryAt: &promised}
	uncompleted := order.Order{Country: "DE", PromisedDeliveryAt: &promised}
	delivered := undelivered
	delivered.DeliveredAt = ptr(at("2026-03-12T09:00:00Z"))
	tests := []struct {
		name   string
		o      order.Order
		now    string
		reason string
	}{
		{"before the promised date", undelivered, "2026-03-09T23:59:00Z", ReasonTooEarly},
		{"on the promised date", undelivered, "2026-03-10T00:00:00Z", ""},
		{"undelivered long after", undelivered, "2026-05-01T00:00:00Z", ""},
		{"undelivered, not completed", uncompleted, "2026-03-11T00:00:00Z", ""},
		{"not completed, too early", uncompleted, "2026-03-09T00:00:00Z", ReasonTooEarly},
		{"delivered, in the window", delivered, "2026-03-16T22:59:00Z", ""},
		{"delivered, after the window", delivered, "2026-03-16T23:00:00Z", ReasonWindowClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckWindow(tt.o, NotReceived, at(tt.now))
			if reasonOf(err) != tt.reason || (err == nil) != (tt.reason == "") {
				t.Fatalf("got %v, want %q", err, tt.reason)
			}
		})
	}
	// Other reasons do not wait for the promised date.
	if err := CheckWindow(undelivered, Damaged, at("2026-03-02T00:00:00Z")); err != nil {
		t.Fatalf("damaged before the promised date: %v", err)
	}
}

// TestPartialRefundAmounts: the refused amounts name the amount field; an
// accepted one is exact.
func TestPartialRefundAmounts(t *testing.T) {
	price := money.Money{Minor: 49900, Currency: "EUR"}
	o := order.Order{SellerCode: "SHOP", Price: price}
	for _, tc := range []struct{ amount, reason string }{
		{"0", money.ReasonAmountNotPositive},
		{"0.00", money.ReasonAmountNotPositive},
		{"-5", money.ReasonAmountInvalid},
		{"499.01", ReasonAbovePrice},
		{"12.345", money.ReasonAmountPrecision},
		{"twelve", money.ReasonAmountInvalid},
		{"1e2", money.ReasonAmountInvalid},
		{"", ReasonAmountRequired},
	} {
		_, err := Validate(Request{Reason: Damaged, Description: "scratched", Remedy: PartialRefund, Amount: tc.amount}, o)
		fe, ok := fault.As(err)
		if !ok || fe.Fields["amount"] != tc.reason || fe.Kind != fault.Invalid {
			t.Errorf("amount %q: %v, want field reason %q", tc.amount, err, tc.reason)
		}
	}
	c, err := Validate(Request{Reason: Damaged, Description: "scratched", Remedy: PartialRefund, Amount: "12.30"}, o)
	if err != nil || c.Amount != (money.Money{Minor: 1230, Currency: "EUR"}) || c.Amount.Amount() != "12.30" {
		t.Fatalf("12.30: %+v %v", c, err)
	}
	if c, err = Validate(Request{Reason: Damaged, Description: "x", Remedy: PartialRefund, Amount: "499.00"}, o); err != nil ||
		c.Amount != price {
		t.Fatalf("the whole price: %+v %v", c, err)
	}
	if c, err = Validate(Request{Reason: WrongItem, Description: "x", Remedy: ReturnAndRefund}, o); err != nil || c.Amount != price {
		t.Fatalf("a return refunds the price: %+v %v", c, err)
	}
	_, err = Validate(Request{Reason: WrongItem, Description: "x", Remedy: FullRefund, Amount: "10"}, o)
	if fe, ok := fault.As(err); !ok || fe.Fields["amount"] != ReasonAmountUnwanted {
		t.Errorf("an amount with a full refund: %v", err)
	}
	_, err = Validate(Request{Reason: Damaged, Description: "x", Remedy: PartialRefund, Amount: "10"},
		order.Order{SellerCode: "SHOP"})
	if fe, ok := fault.As(err); !ok || fe.Fields["amount"] != ReasonPriceUnknown {
		t.Errorf("no price: %v", err)
	}
}

func TestValidateNamesEveryField(t *testing.T) {
	_, err := Validate(Request{Reason: "bored", Remedy: "apology"}, order.Order{})
	fe, ok := fault.As(err)
	if !ok {
		t.Fatalf("no fault: %v", err)
	}
	for _, f := range []string{"reason", "description", "remedy", "order_number"} {
		if fe.Fields[f] == "" {
			t.Errorf("no reason for %s: %v", f, fe.Fields)
		}
	}
}

func TestEveryBuyerZoneLoads(t *testing.T) {
	for country, name := range zones {
		if BuyerLocation(country).String() != name {
			t.Errorf("%s: %s does not load", country, name)
		}
	}
	if BuyerLocation("ZZ") != time.UTC {
		t.Error("an unknown country is not UTC")
	}
}
