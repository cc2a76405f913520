// Package order holds the marketplace orders that claims are made under, as
// imported from the marketplace.
package order

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"rma/internal/account"
	"rma/internal/center"
	"rma/internal/coverage"
	"rma/internal/fault"
	"rma/internal/imei"
	"rma/internal/money"
	"rma/internal/seller"
	"rma/internal/serial"
)

// Category of product; only phones get accidental-damage cover.
const CategoryPhone = "phone"

// Order is a completed (or not yet completed) marketplace purchase.
type Order struct {
	Number          string
	BuyerEmail      string
	BuyerName       string
	ShippingAddress []string
	CompletedAt     *time.Time
	Country         string
	ProductName     string
	Category        string
	// IMEI identifies a phone; SerialNumber any other product. Either may
	// be unknown to the marketplace (empty).
	IMEI         string
	SerialNumber string
	Coverages    []coverage.Kind
	// SellerCode names the seller who gives the Basic protection
	// guarantees; empty for an order imported before sellers were known.
	SellerCode string
	// Price is what the buyer paid (zero when the marketplace did not say).
	Price money.Money
	// PromisedDeliveryAt is the delivery date the seller promised;
	// DeliveredAt when the carrier delivered, once known.
	PromisedDeliveryAt *time.Time
	DeliveredAt        *time.Time
}

// IsPhone reports whether the product is a mobile phone, identified by its
// IMEI and eligible for accidental-damage cover.
func (o Order) IsPhone() bool { return o.Category == CategoryPhone }

// Has reports whether the order carries the coverage.
func (o Order) Has(k coverage.Kind) bool { return slices.Contains(o.Coverages, k) }

var numberPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidNumber reports whether s can be an order number.
func ValidNumber(s string) bool { return numberPattern.MatchString(s) }

// Validate normalizes o and reports every invalid field.
func Validate(o Order) (Order, error) {
	var f fault.Fields
	o.Number = strings.TrimSpace(o.Number)
	if !ValidNumber(o.Number) {
		f.Add("order_number", "order_number_invalid")
	}
	email, ok := account.NormalizeEmail(o.BuyerEmail)
	o.BuyerEmail = email
	if !ok {
		f.Add("buyer_email", "email_invalid")
	}
	o.BuyerName = strings.TrimSpace(o.BuyerName)
	if o.BuyerName == "" || len(o.BuyerName) > 200 {
		f.Add("buyer_name", "name_required")
	}
	o.ShippingAddress = center.CleanLines(o.ShippingAddress)
	if len(o.ShippingAddress) == 0 || len(o.ShippingAddress) > 8 {
		f.Add("shipping_address", "address_required")
	} else if !center.LinesFit(o.ShippingAddress) {
		f.Add("shipping_address", "field_too_long")
	}
	o.Country = strings.ToUpper(strings.TrimSpace(o.Country))
	if !center.ValidCountry(o.Country) {
		f.Add("country", "country_invalid")
	}
	o.ProductName = strings.TrimSpace(o.ProductName)
	if o.ProductName == "" || len(o.ProductName) > 200 {
		f.Add("product_name", "product_name_required")
	}
	o.Category = strings.ToLower(strings.TrimSpace(o.Category))
	if o.Category == "" || len(o.Category) > 32 {
		f.Add("category", "category_required")
	}
	o.IMEI = imei.Normalize(o.IMEI)
	if o.IMEI != "" && !imei.Valid(o.IMEI) {
		f.Add("imei", "imei_invalid")
	}
	o.SerialNumber = serial.Normalize(o.SerialNumber)
	if o.SerialNumber != "" && !serial.Valid(o.SerialNumber) {
		f.Add("serial_number", "serial_invalid")
	}
	o.CompletedAt = utc(o.CompletedAt)
	o.PromisedDeliveryAt = utc(o.PromisedDeliveryAt)
	o.DeliveredAt = utc(o.DeliveredAt)
	o.SellerCode = seller.NormalizeCode(o.SellerCode)
	if o.SellerCode != "" && !seller.ValidCode(o.SellerCode) {
		f.Add("seller", "seller_code_invalid")
	}
	if !o.Price.IsZero() && o.Price.Minor <= 0 {
		f.Add("price", money.ReasonAmountNotPositive)
	}
	var kinds []coverage.Kind
	for _, k := range o.Coverages {
		if !k.Valid() {
			f.Add("coverages", "coverage_invalid")
			continue
		}
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	slices.Sort(kinds)
	o.Coverages = kinds
	return o, f.Err("invalid_input")
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
