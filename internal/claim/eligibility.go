package claim

import (
	"strings"
	"time"
	"unicode/utf8"

	"rma/internal/account"
	"rma/internal/coverage"
	"rma/internal/fault"
	"rma/internal/imei"
	"rma/internal/order"
	"rma/internal/serial"
)

// Standing is what the eligibility rules need to know about an order and
// its buyer for one coverage; the service gathers it from storage.
type Standing struct {
	// Order is nil when it does not exist or is not the buyer's: the two
	// must look alike so that order numbers cannot be probed.
	Order       *order.Order
	Kind        coverage.Kind
	Term        coverage.Term
	BuyerStatus account.Status
	// Served: a service center serves the order's country.
	Served bool
	// ClaimsUsed counts the order's claims under this coverage that were
	// not rejected, cancelled or expired.
	ClaimsUsed int
	Now        time.Time
}

// Rule failures: message keys and the field they are reported on.
const (
	fieldOrder   = "order_number"
	fieldCov     = "coverage"
	fieldAccount = "account"
)

// CoverageReason returns the first rule an order fails for the coverage
// ("" when it may be claimed under), the field it concerns, and when the
// coverage ends (nil when it never started).
func CoverageReason(s Standing) (reason, field string, endsAt *time.Time) {
	o := s.Order
	if o == nil {
		return "order_not_found", fieldOrder, nil
	}
	if o.CompletedAt != nil && s.Term.Kind != "" {
		e := s.Term.Ends(*o.CompletedAt)
		endsAt = &e
	}
	switch {
	case s.BuyerStatus != account.Active:
		return "account_suspended", fieldAccount, endsAt
	case o.CompletedAt == nil:
		return "order_not_completed", fieldOrder, endsAt
	case !s.Kind.Valid() || s.Term.Kind == "":
		return "coverage_invalid", fieldCov, endsAt
	case !o.Has(s.Kind):
		return "coverage_not_purchased", fieldCov, endsAt
	case !s.Term.SoldIn(o.Country):
		return "coverage_not_sold_in_country", fieldCov, endsAt
	case s.Now.Before(*o.CompletedAt) || !s.Now.Before(*endsAt):
		return "coverage_expired", fieldCov, endsAt
	case s.Term.PhonesOnly && o.Category != order.CategoryPhone:
		return "coverage_phones_only", fieldCov, endsAt
	case !s.Served:
		return "no_service_center", fieldOrder, endsAt
	case s.Term.ClaimLimit > 0 && s.ClaimsUsed >= s.Term.ClaimLimit:
		return "claim_limit_reached", fieldCov, endsAt
	}
	return "", "", endsAt
}

// Request is what a buyer files.
type Request struct {
	OrderNumber string
	Coverage    coverage.Kind
	// IMEI for a phone, SerialNumber for any other product.
	IMEI         string
	SerialNumber string
	Description  string
	IncidentDate *time.Time
}

// normalize trims the request's text fields.
func (r Request) normalize() Request {
	r.OrderNumber = strings.TrimSpace(r.OrderNumber)
	r.Coverage = coverage.Kind(strings.TrimSpace(string(r.Coverage)))
	r.IMEI = imei.Normalize(r.IMEI)
	r.SerialNumber = serial.Normalize(r.SerialNumber)
	r.Description = strings.TrimSpace(r.Description)
	return r
}

// Description length bounds, in characters.
const (
	MinDescription = 10
	MaxDescription = 4000
)

// CheckRequest applies every eligibility rule to a request and returns an
// Invalid error naming each failed rule on its field (nil when eligible).
// The open-claim rule is the store's: it needs the device's other claims.
func CheckRequest(r Request, s Standing) error {
	var f fault.Fields
	reason, field, _ := CoverageReason(s)
	if reason != "" {
		f.Add(field, reason)
	}
	if field, reason := deviceReason(r, s.Order, s.Term.PhonesOnly); reason != "" {
		f.Add(field, reason)
	}
	switch n := utf8.RuneCountInString(r.Description); {
	case n < MinDescription:
		f.Add("description", "description_too_short")
	case n > MaxDescription:
		f.Add("description", "description_too_long")
	}
	if s.Term.NeedsIncidentDate {
		switch d := r.IncidentDate; {
		case d == nil:
			f.Add("incident_date", "incident_date_required")
		case d.After(s.Now):
			f.Add("incident_date", "incident_date_in_future")
		case s.Order != nil && s.Order.CompletedAt != nil &&
			(d.Before(truncateDay(*s.Order.CompletedAt)) || !d.Before(s.Term.Ends(*s.Order.CompletedAt))):
			f.Add("incident_date", "incident_outside_term")
		}
	}
	// The overall message is the order or coverage rule when one failed:
	// it decides whether anything can be claimed at all.
	if reason == "" {
		reason = "claim_invalid"
	}
	return f.Err(reason)
}

// deviceReason checks the device identifier: a phone (or a device of an
// unknown order, or one claimed under a phones-only coverage) by its IMEI,
// any other product by its serial number, which must be the one on the
// order where the order records one.
func deviceReason(r Request, o *order.Order, phonesOnly bool) (field, reason string) {
	if o != nil && !o.IsPhone() && !phonesOnly {
		switch {
		case r.SerialNumber == "":
			return "serial_number", "serial_required"
		case !serial.Valid(r.SerialNumber):
			return "serial_number", "serial_invalid"
		case o.SerialNumber != "" && o.SerialNumber != r.SerialNumber:
			return "serial_number", "serial_not_on_order"
		}
		return "", ""
	}
	switch {
	case r.IMEI == "":
		return "imei", "imei_required"
	case !imei.Valid(r.IMEI):
		return "imei", "imei_invalid"
	case o != nil && o.IMEI != "" && o.IMEI != r.IMEI:
		return "imei", "imei_not_on_order"
	}
	return "", ""
}

func truncateDay(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
