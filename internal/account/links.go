package account

import (
	"context"
	"errors"
	"fmt"
	"time"

	"rma/internal/fault"
)

// LinkPurpose says what an e-mailed link does.
type LinkPurpose string

// The purposes of e-mailed links.
const (
	SignUpLink LinkPurpose = "signup" // proves the address; following it creates the account
	ResetLink  LinkPurpose = "reset"  // sets a new password
)

// Link is an e-mailed link as stored: only the hash of its token is kept.
// A sign-up link carries the account it creates (the password already
// hashed); a reset link the address whose password it sets.
type Link struct {
	Hash         string
	Purpose      LinkPurpose
	Email        string
	Name         string
	Language     string
	PasswordHash string
	ExpiresAt    time.Time
}

// Letter is an account e-mail to send: which one, to whom, and the link
// it carries ("" for the letters that only inform).
type Letter struct {
	Kind     string // signup_verify, signup_exists, signup_no_orders, reset_link, reset_unknown
	To       string
	Language string
	Name     string
	Link     string
}

// Mailer sends account e-mails.
type Mailer interface {
	AccountLetter(ctx context.Context, l Letter) error
}

// LinkStore keeps e-mailed links.
type LinkStore interface {
	PutLink(ctx context.Context, l Link, now time.Time) error
	LiveLink(ctx context.Context, hash string, purpose LinkPurpose, now time.Time) (Link, error)
	UseLink(ctx context.Context, hash string, now time.Time) error
}

// ErrLinkInvalid is a link that is unknown, used, expired or forged: the
// four are not told apart.
var ErrLinkInvalid = fault.New(fault.NotFound, "link_invalid")

// Links signs buyers up with proof of their address and resets passwords
// by e-mail. Every request with well-formed input gets the same answer and
// does the same work (two reads, a password hash, one stored link, one
// e-mail) whether or not the address has orders or an account, so neither
// the answer nor its timing tells which.
type Links struct {
	accounts *Service
	store    LinkStore
	mailer   Mailer
	baseURL  string
	ttl      time.Duration
}

// NewLinks returns the sign-up and reset service; links point at baseURL
// and live for ttl.
func NewLinks(accounts *Service, store LinkStore, mailer Mailer, baseURL string, ttl time.Duration) *Links {
	return &Links{accounts: accounts, store: store, mailer: mailer, baseURL: baseURL, ttl: ttl}
}

// SignUp checks the input and e-mails the address: a link that creates the
// buyer account when the address has orders and no account, otherwise a
// letter saying why none is created. Only a malformed input is refused.
func (l *Links) SignUp(ctx context.Context, in NewUser) error {
	in.Role, in.CenterCode = Buyer, ""
	u, err := l.accounts.validate(ctx, in)
	if err != nil {
		return err
	}
	hash, err := l.accounts.hasher.Hash(in.Password)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	_, err = l.accounts.store.UserByEmail(ctx, u.Email)
	exists := err == nil
	if err != nil && !errors.Is(err, fault.ErrNoRecord) {
		return fmt.Errorf("sign up: %w", err)
	}
	hasOrders, err := l.accounts.store.HasOrdersFor(ctx, u.Email)
	if err != nil {
		return fmt.Errorf("sign up: %w", err)
	}
	link := Link{Purpose: SignUpLink, Email: u.Email, Name: u.Name, Language: u.Language, PasswordHash: hash}
	letter := Letter{Kind: "signup_verify", To: u.Email, Language: u.Language, Name: u.Name}
	switch {
	case exists: // the link offered is a reset: the owner may have forgotten the password
		link.Purpose, link.PasswordHash, letter.Kind = ResetLink, "", "signup_exists"
	case !hasOrders: // an inert link: following it finds no order and creates nothing
		letter.Kind = "signup_no_orders"
	}
	token, err := l.put(ctx, link)
	if err != nil {
		return err
	}
	if letter.Kind != "signup_no_orders" {
		letter.Link = l.url(link.Purpose, token)
	}
	return l.mailer.AccountLetter(ctx, letter)
}

// Verify follows a sign-up link: the buyer account is created now, once.
func (l *Links) Verify(ctx context.Context, token string) (User, error) {
	now := l.accounts.now()
	link, err := l.store.LiveLink(ctx, HashToken(token), SignUpLink, now)
	if errors.Is(err, fault.ErrNoRecord) {
		return User{}, ErrLinkInvalid
	}
	if err != nil {
		return User{}, fmt.Errorf("verify: %w", err)
	}
	hasOrders, err := l.accounts.store.HasOrdersFor(ctx, link.Email)
	if err != nil {
		return User{}, fmt.Errorf("verify: %w", err)
	}
	if !hasOrders {
		return User{}, ErrLinkInvalid
	}
	if err := l.store.UseLink(ctx, link.Hash, now); errors.Is(err, fault.ErrNoRecord) {
		return User{}, ErrLinkInvalid
	} else if err != nil {
		return User{}, fmt.Errorf("verify: %w", err)
	}
	u := User{Email: link.Email, Name: link.Name, Role: Buyer, Language: link.Language, Status: Active,
		PasswordHash: link.PasswordHash}
	return l.accounts.insert(ctx, u)
}

// RequestReset e-mails a reset link to an address with an account, and a
// letter saying no account has it to any other; the answer is the same.
func (l *Links) RequestReset(ctx context.Context, email string) error {
	email, ok := NormalizeEmail(email)
	if !ok {
		return fault.Field("email", "email_invalid")
	}
	u, err := l.accounts.store.UserByEmail(ctx, email)
	exists := err == nil
	if err != nil && !errors.Is(err, fault.ErrNoRecord) {
		return fmt.Errorf("request reset: %w", err)
	}
	letter := Letter{Kind: "reset_link", To: email, Language: u.Language, Name: u.Name}
	if !exists {
		letter.Kind, letter.Language = "reset_unknown", Languages[0]
	}
	// The same work either way; a link for an unknown address finds no
	// account when followed.
	token, err := l.put(ctx, Link{Purpose: ResetLink, Email: email, Name: u.Name, Language: letter.Language})
	if err != nil {
		return err
	}
	if exists {
		letter.Link = l.url(ResetLink, token)
	}
	return l.mailer.AccountLetter(ctx, letter)
}

// Reset follows a reset link with the new password: it is set, every
// session and token of the user is revoked, and the link is used up.
func (l *Links) Reset(ctx context.Context, token, password string) (User, error) {
	now := l.accounts.now()
	link, err := l.store.LiveLink(ctx, HashToken(token), ResetLink, now)
	if errors.Is(err, fault.ErrNoRecord) {
		return User{}, ErrLinkInvalid
	}
	if err != nil {
		return User{}, fmt.Errorf("reset: %w", err)
	}
	u, err := l.accounts.store.UserByEmail(ctx, link.Email)
	if errors.Is(err, fault.ErrNoRecord) {
		return User{}, ErrLinkInvalid
	}
	if err != nil {
		return User{}, fmt.Errorf("reset: %w", err)
	}
	if reason := WeakPassword(password, u.Email, u.Name); reason != "" {
		return User{}, fault.Field("password", reason) // the link stays usable
	}
	if err := l.store.UseLink(ctx, link.Hash, now); errors.Is(err, fault.ErrNoRecord) {
		return User{}, ErrLinkInvalid
	} else if err != nil {
		return User{}, fmt.Errorf("reset: %w", err)
	}
	return l.accounts.SetPassword(ctx, u.Email, password)
}

func (l *Links) put(ctx context.Context, link Link) (string, error) {
	token, hash := NewToken()
	now := l.accounts.now()
	link.Hash, link.ExpiresAt = hash, now.Add(l.ttl)
	if err := l.store.PutLink(ctx, link, now); err != nil {
		return "", fmt.Errorf("keep link: %w", err)
	}
	return token, nil
}

func (l *Links) url(p LinkPurpose, token string) string {
	if p == SignUpLink {
		return l.baseURL + "/signup/verify?token=" + token
	}
	return l.baseURL + "/reset/confirm?token=" + token
}
