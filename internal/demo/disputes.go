package demo

import (
	"context"
	"fmt"
	"time"

	"rma/internal/account"
	"rma/internal/dispute"
	"rma/internal/money"
	"rma/internal/order"
	"rma/internal/seller"
)

var sellers = []seller.Seller{
	{Code: "GADGETHAUS", Name: "Gadgethaus Berlin", Email: "orders@gadgethaus.example.com", Language: "en",
		ReturnAddress: []string{"Gadgethaus Retouren", "Oranienstr. 25", "10999 Berlin", "Germany"}},
	{Code: "TIENDA-SOL", Name: "Tienda Sol", Email: "pedidos@tiendasol.example.com", Language: "es",
		ReturnAddress: []string{"Tienda Sol Devoluciones", "Calle del Sol 8", "41001 Sevilla", "España"}},
}

var sellerUsers = []user{
	{"seller@example.com", "Sam Seller", "en", "GADGETHAUS", "seller Gadgethaus: answers disputes", account.Seller},
	{"vendedor@example.com", "Sol Vendedora", "es", "TIENDA-SOL", "seller Tienda Sol", account.Seller},
}

func eur(cents int64) money.Money { return money.Money{Minor: cents, Currency: "EUR"} }

// sellerOrders are Basic protection's demo orders: ORD-2001 is left free
// for the README's walkthrough, ORD-2002, ORD-2003 and ORD-2005 to ORD-2007
// get disputes, and ORD-2004 arrived two days late (its compensation is in
// the ledger).
func sellerOrders(now time.Time) []order.Order {
	addr := []string{"Bea Buyer", "Kastanienallee 12", "10435 Berlin", "Germany"}
	mk := func(n, product, sellerCode string, price int64, completedDaysAgo int) order.Order {
		return order.Order{Number: n, BuyerEmail: "buyer@example.com", BuyerName: "Bea Buyer", ShippingAddress: addr,
			CompletedAt: days(now, completedDaysAgo), Country: "DE", ProductName: product, Category: "accessory",
			SellerCode: sellerCode, Price: eur(price)}
	}
	late := mk("ORD-2004", "Desk lamp", "TIENDA-SOL", 4990, 6)
	late.PromisedDeliveryAt, late.DeliveredAt = days(now, 10), days(now, 8)
	return []order.Order{
		mk("ORD-2001", "Bluetooth speaker", "GADGETHAUS", 12990, 3),
		mk("ORD-2002", "Wireless headphones", "GADGETHAUS", 19900, 5),
		mk("ORD-2003", "Smart watch strap", "TIENDA-SOL", 2450, 4),
		late,
		mk("ORD-2005", "USB-C charger", "GADGETHAUS", 3490, 6),
		mk("ORD-2006", "Phone case", "TIENDA-SOL", 1990, 7),
		mk("ORD-2007", "Mechanical keyboard", "GADGETHAUS", 8900, 8),
	}
}

// seedDisputes adds the sellers, their accounts, their orders and disputes
// in several states: waiting for the seller (ORD-2002), an offer waiting for
// the buyer (ORD-2003), refused and escalated to the platform (ORD-2005),
// refunded after the seller accepted (ORD-2006), and a return agreed and
// waiting for the parcel (ORD-2007).
func seedDisputes(ctx context.Context, s Services, now time.Time) error {
	for _, sl := range sellers {
		if _, _, err := s.Sellers.Put(ctx, sl); err != nil {
			return fmt.Errorf("demo seller %s: %w", sl.Code, err)
		}
	}
	actors := map[string]account.Actor{}
	for _, u := range sellerUsers {
		created, err := s.Accounts.Create(ctx, account.NewUser{Email: u.email, Name: u.name, Password: Password,
			Role: u.role, Language: u.lang, SellerCode: u.center})
		if err != nil {
			return fmt.Errorf("demo user %s: %w", u.email, err)
		}
		actors[u.email] = created.Actor()
	}
	for _, o := range sellerOrders(now) {
		if _, _, err := s.Orders.Put(ctx, o); err != nil {
			return fmt.Errorf("demo order %s: %w", o.Number, err)
		}
	}
	buyer, err := s.Accounts.Login(ctx, "buyer@example.com", Password)
	if err != nil {
		return fmt.Errorf("demo buyer: %w", err)
	}
	b := buyer.User.Actor()
	open := func(n string, reason dispute.Reason, remedy dispute.Remedy, text string) (dispute.View, error) {
		return s.Disputes.Open(ctx, b, dispute.Request{OrderNumber: n, Reason: reason, Remedy: remedy, Description: text})
	}
	if _, err := open("ORD-2002", dispute.NotAsDescribed, dispute.FullRefund,
		"The headphones have no noise cancelling, which the listing promised."); err != nil {
		return fmt.Errorf("demo dispute: %w", err)
	}
	v, err := open("ORD-2003", dispute.Damaged, dispute.ReturnAndRefund, "The strap's buckle arrived broken.")
	if err != nil {
		return fmt.Errorf("demo dispute: %w", err)
	}
	if _, err := s.Disputes.Act(ctx, actors["vendedor@example.com"], v.Dispute.Number, dispute.Offer,
		dispute.Input{Remedy: dispute.PartialRefund, Amount: "8.00"}); err != nil {
		return fmt.Errorf("demo offer: %w", err)
	}
	return moreDisputes(ctx, s, b, actors)
}

// moreDisputes walks three more disputes to later states, each step through
// the service as a person would take it.
func moreDisputes(ctx context.Context, s Services, b account.Actor, actors map[string]account.Actor) error {
	gadget, sol := actors["seller@example.com"], actors["vendedor@example.com"]
	steps := []struct {
		order, text string
		reason      dispute.Reason
		remedy      dispute.Remedy
		amount      string
		then        []func(n string) error
	}{
		{"ORD-2005", "A European plug was listed; a UK plug came.", dispute.WrongItem, dispute.FullRefund, "",
			[]func(string) error{
				func(n string) error {
					_, err := s.Disputes.Act(ctx, gadget, n, dispute.Refuse,
						dispute.Input{Note: "The listing shows this very charger."})
					return err
				},
				func(n string) error {
					_, err := s.Disputes.Act(ctx, b, n, dispute.Escalate,
						dispute.Input{Note: "The listing says EU plug."})
					return err
				}}},
		{"ORD-2006", "The case has a scratch across the back.", dispute.Damaged, dispute.PartialRefund, "5.00",
			[]func(string) error{func(n string) error {
				_, err := s.Disputes.Act(ctx, sol, n, dispute.Accept, dispute.Input{})
				return err
			}}},
		{"ORD-2007", "Two keys do not register.", dispute.NotAsDescribed, dispute.ReturnAndRefund, "",
			[]func(string) error{func(n string) error {
				_, err := s.Disputes.Act(ctx, gadget, n, dispute.Accept, dispute.Input{})
				return err
			}}},
	}
	for _, st := range steps {
		v, err := s.Disputes.Open(ctx, b, dispute.Request{OrderNumber: st.order, Reason: st.reason,
			Remedy: st.remedy, Amount: st.amount, Description: st.text})
		if err != nil {
			return fmt.Errorf("demo dispute %s: %w", st.order, err)
		}
		for _, then := range st.then {
			if err := then(v.Dispute.Number); err != nil {
				return fmt.Errorf("demo dispute %s: %w", st.order, err)
			}
		}
	}
	return nil
}
