// Package seller describes marketplace sellers: who gives the Basic
// protection guarantees on their orders, in which language they are written
// to, and where returned items go back to.
package seller

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"rma/internal/account"
	"rma/internal/center"
	"rma/internal/fault"
)

// Seller is a marketplace seller, known by its code.
type Seller struct {
	Code          string
	Name          string
	Email         string
	Language      string
	ReturnAddress []string
}

var codePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{1,31}$`)

// NormalizeCode upper-cases and trims a seller code.
func NormalizeCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// ValidCode reports whether a normalized code can name a seller.
func ValidCode(s string) bool { return codePattern.MatchString(s) }

// Validate normalizes s and reports every invalid field.
func Validate(s Seller) (Seller, error) {
	var f fault.Fields
	s.Code = NormalizeCode(s.Code)
	if !ValidCode(s.Code) {
		f.Add("code", "seller_code_invalid")
	}
	s.Name = strings.TrimSpace(s.Name)
	if s.Name == "" || len(s.Name) > 200 {
		f.Add("name", "name_required")
	}
	email, ok := account.NormalizeEmail(s.Email)
	s.Email = email
	if !ok {
		f.Add("email", "email_invalid")
	}
	s.Language = strings.ToLower(strings.TrimSpace(s.Language))
	if s.Language == "" {
		s.Language = account.Languages[0]
	}
	if !account.ValidLanguage(s.Language) {
		f.Add("language", "language_invalid")
	}
	s.ReturnAddress = center.CleanLines(s.ReturnAddress)
	if len(s.ReturnAddress) == 0 || len(s.ReturnAddress) > 8 {
		f.Add("return_address", "address_required")
	}
	return s, f.Err("invalid_input")
}

// Store is what the seller service needs from storage.
type Store interface {
	PutSeller(ctx context.Context, s Seller, now time.Time) (created bool, err error)
	Seller(ctx context.Context, code string) (Seller, error)
}

// Service manages sellers.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a seller service.
func NewService(store Store, now func() time.Time) *Service { return &Service{store: store, now: now} }

// Put validates and creates or replaces a seller.
func (s *Service) Put(ctx context.Context, in Seller) (Seller, bool, error) {
	in, err := Validate(in)
	if err != nil {
		return Seller{}, false, err
	}
	created, err := s.store.PutSeller(ctx, in, s.now())
	if err != nil {
		return Seller{}, false, fmt.Errorf("put seller: %w", err)
	}
	return in, created, nil
}
