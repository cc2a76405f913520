// Package demo loads the demonstration data that `make run` starts with:
// service centers in three countries, one account per role, orders under
// each coverage and a few claims in different states.
package demo

import (
	"context"
	"fmt"
	"time"

	"rma/internal/account"
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/coverage"
	"rma/internal/dispute"
	"rma/internal/imei"
	"rma/internal/order"
	"rma/internal/seller"
)

// Password is every demo account's password.
const Password = "demo-pass-2026"

// Login is a demo account to print for the person starting the service.
type Login struct {
	Email, Role, Note string
}

// Services are what the demo data is loaded through, so that it passes the
// same validation as real data.
type Services struct {
	Accounts *account.Service
	Centers  *center.Service
	Orders   *order.Service
	Claims   *claim.Service
	// Sellers and Disputes, when given, add Basic protection's demo data:
	// two sellers with their accounts, priced orders and disputes.
	Sellers  *seller.Service
	Disputes *dispute.Service
}

var centers = []center.Center{
	{Code: "BER", Name: "Berlin Service Center", Country: "DE", TimeZone: "Europe/Berlin",
		Address: []string{"Advanced Buyer Protection - Repairs", "Storkower Str. 140", "10407 Berlin", "Germany"},
		Serves:  []string{"DE", "AT", "PL", "CZ", "NL", "BE", "DK", "SE"}},
	{Code: "MAD", Name: "Centro de Servicio Madrid", Country: "ES", TimeZone: "Europe/Madrid",
		Address: []string{"Advanced Buyer Protection - Reparaciones", "Calle de Alcalá 250", "28027 Madrid", "España"},
		Serves:  []string{"ES", "PT", "IT", "FR"}},
	{Code: "RIX", Name: "Riga Service Center", Country: "LV", TimeZone: "Europe/Riga",
		Address: []string{"Advanced Buyer Protection - Repairs", "Krasta iela 52", "LV-1003 Rīga", "Latvia"},
		Serves:  []string{"LV", "LT", "EE", "FI"}},
}

type user struct {
	email, name, lang, center, note string
	role                            account.Role
}

var users = []user{
	{"admin@example.com", "Alex Admin", "en", "", "runs the centers", account.Admin},
	{"rep@example.com", "Rita Rep", "en", "", "warranty team", account.Rep},
	{"tech.berlin@example.com", "Tom Technik", "en", "BER", "technician, Berlin", account.Technician},
	{"tech.madrid@example.com", "Tania Técnica", "es", "MAD", "technician, Madrid", account.Technician},
	{"buyer@example.com", "Bea Buyer", "en", "", "buyer in Germany", account.Buyer},
	{"comprador@example.com", "Carlos Peña", "es", "", "buyer in Spain", account.Buyer},
	{"pokupatel@example.com", "Иван Петров", "ru", "", "buyer in Latvia", account.Buyer},
}

// Seed loads the demo data unless it is there already, and returns the
// accounts to print.
func Seed(ctx context.Context, s Services, now time.Time) ([]Login, error) {
	logins := make([]Login, len(users))
	for i, u := range users {
		logins[i] = Login{Email: u.email, Role: string(u.role), Note: u.note}
	}
	if s.Sellers != nil && s.Disputes != nil {
		for _, u := range sellerUsers {
			logins = append(logins, Login{Email: u.email, Role: string(u.role), Note: u.note})
		}
	}
	if _, err := s.Accounts.Login(ctx, users[0].email, Password); err == nil {
		return logins, nil // seeded before
	}
	for _, c := range centers {
		if _, _, err := s.Centers.Put(ctx, c); err != nil {
			return nil, fmt.Errorf("demo center %s: %w", c.Code, err)
		}
	}
	actors := map[string]account.Actor{}
	for _, u := range users {
		created, err := s.Accounts.Create(ctx, account.NewUser{Email: u.email, Name: u.name, Password: Password,
			Role: u.role, Language: u.lang, CenterCode: u.center})
		if err != nil {
			return nil, fmt.Errorf("demo user %s: %w", u.email, err)
		}
		actors[u.email] = created.Actor()
	}
	for _, o := range orders(now) {
		if _, _, err := s.Orders.Put(ctx, o); err != nil {
			return nil, fmt.Errorf("demo order %s: %w", o.Number, err)
		}
	}
	if err := claims(ctx, s.Claims, actors, now); err != nil {
		return nil, err
	}
	if s.Sellers != nil && s.Disputes != nil {
		if err := seedDisputes(ctx, s, now); err != nil {
			return nil, err
		}
	}
	return logins, nil
}

func days(now time.Time, n int) *time.Time {
	t := now.AddDate(0, 0, -n).UTC().Truncate(time.Second)
	return &t
}

// Demo IMEIs: valid check digits, one per device.
var (
	imeiPixel   = imei.WithCheckDigit("35209811234567")
	imeiGalaxy  = imei.WithCheckDigit("35391110123456")
	imeiIPhone  = imei.WithCheckDigit("35693809876543")
	imeiXiaomi  = imei.WithCheckDigit("86754203456789")
	imeiOldFone = imei.WithCheckDigit("35123456789012")
)

// Demo serial numbers of products that are not phones.
const (
	serialThinkPad = "PF3K2L9X"
	serialWasher   = "WAW28570-FD-4711"
)

var both = []coverage.Kind{coverage.ExtendedWarranty, coverage.AccidentalDamage}

func orders(now time.Time) []order.Order {
	return []order.Order{
		{Number: "ORD-1001", BuyerEmail: "buyer@example.com", BuyerName: "Bea Buyer",
			ShippingAddress: []string{"Bea Buyer", "Kastanienallee 12", "10435 Berlin", "Germany"},
			CompletedAt:     days(now, 60), Country: "DE", ProductName: "Pixel 9 128 GB", Category: "phone",
			IMEI: imeiPixel, Coverages: both},
		{Number: "ORD-1002", BuyerEmail: "buyer@example.com", BuyerName: "Bea Buyer",
			ShippingAddress: []string{"Bea Buyer", "Kastanienallee 12", "10435 Berlin", "Germany"},
			CompletedAt:     days(now, 400), Country: "DE", ProductName: "ThinkPad X1 Carbon", Category: "laptop",
			SerialNumber: serialThinkPad, Coverages: []coverage.Kind{coverage.ExtendedWarranty}},
		{Number: "ORD-1004", BuyerEmail: "buyer@example.com", BuyerName: "Bea Buyer",
			ShippingAddress: []string{"Bea Buyer", "Kastanienallee 12", "10435 Berlin", "Germany"},
			CompletedAt:     days(now, 45), Country: "DE", ProductName: "Bosch Serie 6 washing machine", Category: "appliance",
			SerialNumber: serialWasher, Coverages: []coverage.Kind{coverage.ExtendedWarranty}},
		{Number: "ORD-1003", BuyerEmail: "buyer@example.com", BuyerName: "Bea Buyer",
			ShippingAddress: []string{"Bea Buyer", "Kastanienallee 12", "10435 Berlin", "Germany"},
			CompletedAt:     days(now, 900), Country: "DE", ProductName: "Old Phone 3", Category: "phone",
			IMEI: imeiOldFone, Coverages: both},
		{Number: "ORD-2001", BuyerEmail: "comprador@example.com", BuyerName: "Carlos Peña",
			ShippingAddress: []string{"Carlos Peña", "Calle Peña 3", "29001 Málaga", "España"},
			CompletedAt:     days(now, 120), Country: "ES", ProductName: "Galaxy S25", Category: "phone",
			IMEI: imeiGalaxy, Coverages: both},
		{Number: "ORD-2002", BuyerEmail: "comprador@example.com", BuyerName: "Carlos Peña",
			ShippingAddress: []string{"Carlos Peña", "Calle Peña 3", "29001 Málaga", "España"},
			CompletedAt:     days(now, 30), Country: "ES", ProductName: "Xiaomi 15", Category: "phone",
			Coverages: []coverage.Kind{coverage.AccidentalDamage}},
		{Number: "ORD-3001", BuyerEmail: "pokupatel@example.com", BuyerName: "Иван Петров",
			ShippingAddress: []string{"Иван Петров", "Brīvības iela 77", "LV-1001 Rīga", "Latvija"},
			CompletedAt:     days(now, 200), Country: "LV", ProductName: "iPhone 16", Category: "phone",
			IMEI: imeiIPhone, Coverages: both},
		{Number: "ORD-3002", BuyerEmail: "pokupatel@example.com", BuyerName: "Иван Петров",
			ShippingAddress: []string{"Иван Петров", "Brīvības iela 77", "LV-1001 Rīga", "Latvija"},
			Country:         "LV", ProductName: "Xiaomi Redmi Note", Category: "phone", IMEI: imeiXiaomi,
			Coverages: both}, // not completed yet
	}
}

// claims files a few claims and moves them along, so that every role has
// something to look at.
func claims(ctx context.Context, svc *claim.Service, who map[string]account.Actor, now time.Time) error {
	rep := who["rep@example.com"]
	steps := []func() error{
		func() error { // a fresh claim waiting for review
			_, err := svc.Submit(ctx, who["buyer@example.com"], claim.Request{OrderNumber: "ORD-1002",
				Coverage: coverage.ExtendedWarranty, SerialNumber: serialThinkPad,
				Description: "The keyboard stopped working: several keys do not respond."})
			return err
		},
		func() error { // approved: the buyer can print the slip
			v, err := svc.Submit(ctx, who["comprador@example.com"], claim.Request{OrderNumber: "ORD-2001",
				Coverage: coverage.AccidentalDamage, IMEI: imeiGalaxy, IncidentDate: days(now, 2),
				Description: "Se me cayó al suelo y la pantalla está rota."})
			if err == nil {
				_, err = svc.Approve(ctx, rep, v.Claim.RMANumber, "Cubierto por daños accidentales.")
			}
			return err
		},
		func() error { // a question waiting for the buyer's answer
			v, err := svc.Submit(ctx, who["pokupatel@example.com"], claim.Request{OrderNumber: "ORD-3001",
				Coverage: coverage.ExtendedWarranty, IMEI: imeiIPhone,
				Description: "Телефон перестал заряжаться, разъём не реагирует на кабель."})
			if err == nil {
				_, err = svc.RequestInfo(ctx, rep, v.Claim.RMANumber, "Вы пробовали другой кабель и зарядное устройство?")
			}
			return err
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("demo claim %d: %w", i+1, err)
		}
	}
	return nil
}
