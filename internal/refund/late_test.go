package refund

import (
	"testing"
	"time"

	"rma/internal/money"
)

func TestLateDelivery(t *testing.T) {
	promised := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	onTime, late := promised.Add(-time.Hour), promised.Add(time.Minute)
	p := LatePolicy{Percent: 10, Grace: 72 * time.Hour}
	now := promised.Add(time.Hour)
	if p.Late(&promised, &onTime, now) || !p.Late(&promised, &late, now) || p.Late(nil, &late, now) {
		t.Error("delivered dates")
	}
	if p.Late(&promised, nil, promised.Add(72*time.Hour)) || !p.Late(&promised, nil, promised.Add(72*time.Hour+time.Second)) {
		t.Error("grace without delivery")
	}
	price := money.Money{Minor: 49999, Currency: "EUR"}
	if m, ok := p.Compensation(price); !ok || m.Amount() != "49.99" {
		t.Errorf("10%% of 499.99: %v", m)
	}
	if m, ok := (LatePolicy{Fixed: "600.00"}).Compensation(price); !ok || m != price {
		t.Errorf("capped at the price: %v", m)
	}
	if m, ok := (LatePolicy{Fixed: "5"}).Compensation(price); !ok || m.Amount() != "5.00" {
		t.Errorf("fixed: %v", m)
	}
	if _, ok := p.Compensation(money.Money{}); ok {
		t.Error("no price, no compensation")
	}
	if r := p.ForLateDelivery("id", "O1", price, &promised, &late, now); r == nil || r.Key != "late_delivery:O1" {
		t.Errorf("row %+v", r)
	}
	if r := p.ForLateDelivery("id", "O1", price, &promised, &onTime, now); r != nil {
		t.Errorf("on time owes %+v", r)
	}
}
