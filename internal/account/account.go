// Package account holds users, their roles and credentials: password hashing,
// the password policy and API tokens. It knows nothing of HTTP or storage.
package account

import (
	"net/mail"
	"strings"
	"time"
)

// Role says what a user may do.
type Role string

// The roles of DESIGN.md §1.
const (
	Buyer      Role = "buyer"
	Rep        Role = "rep"
	Technician Role = "technician"
	Admin      Role = "admin"
	// Seller sells on the marketplace and answers disputes on their own
	// orders; a seller account is bound to one seller code.
	Seller Role = "seller"
)

// Roles lists every role, in a stable order.
var Roles = []Role{Buyer, Rep, Technician, Admin, Seller}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if r == k {
			return true
		}
	}
	return false
}

// Staff reports whether r works for the service (anyone but a buyer).
func (r Role) Staff() bool { return r == Rep || r == Technician || r == Admin }

// Status is the standing of an account.
type Status string

// Account standings: a suspended account cannot file claims.
const (
	Active    Status = "active"
	Suspended Status = "suspended"
)

// Languages the service speaks, the first being the fallback.
var Languages = []string{"en", "ru", "es"}

// ValidLanguage reports whether lang is one the service speaks.
func ValidLanguage(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// User is an account. Technicians belong to one service center, sellers
// to one seller code.
type User struct {
	ID           string
	Email        string
	Name         string
	PasswordHash string
	Role         Role
	Language     string
	CenterCode   string
	SellerCode   string
	Status       Status
	CreatedAt    time.Time
}

// Actor is who performs an action: the signed-in user as the domain sees it.
type Actor struct {
	UserID     string
	Email      string
	Role       Role
	CenterCode string
	SellerCode string
	Status     Status
	Language   string
}

// Actor returns the user as an actor.
func (u User) Actor() Actor {
	return Actor{UserID: u.ID, Email: u.Email, Role: u.Role, CenterCode: u.CenterCode, SellerCode: u.SellerCode,
		Status: u.Status, Language: u.Language}
}

// NormalizeEmail lower-cases and trims an address, and reports whether it is
// a plain, valid address (no display name).
func NormalizeEmail(s string) (string, bool) {
	if len(s) > 1024 { // no address is this long; do not spend time parsing it
		return "", false
	}
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 {
		return s, false
	}
	return s, true
}
