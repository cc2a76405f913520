package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"rma/internal/fault"
)

// Store is what the account service needs from storage.
type Store interface {
	CreateUser(ctx context.Context, u User) error
	UserByEmail(ctx context.Context, email string) (User, error)
	UserByID(ctx context.Context, id string) (User, error)
	CreateToken(ctx context.Context, userID, hash string, expiresAt, now time.Time) error
	UserByToken(ctx context.Context, hash string, now time.Time) (User, error)
	RevokeToken(ctx context.Context, hash string, now time.Time) error
	HasOrdersFor(ctx context.Context, email string) (bool, error)
	CenterExists(ctx context.Context, code string) (bool, error)
	SellerExists(ctx context.Context, code string) (bool, error)
	Users(ctx context.Context) ([]User, error)
	// SetStatusAndRevoke sets a user's standing and, when revoke is set,
	// ends every live token of theirs, in one transaction.
	SetStatusAndRevoke(ctx context.Context, userID string, st Status, revoke bool, now time.Time) error
	// SetPasswordAndRevoke replaces a password hash and ends every live
	// token, in one transaction.
	SetPasswordAndRevoke(ctx context.Context, userID, hash string, now time.Time) error
}

// Service signs users in and out and creates accounts.
type Service struct {
	store    Store
	hasher   Hasher
	tokenTTL time.Duration
	now      func() time.Time
	// dummy is checked against when a login names no user, so that a wrong
	// address costs as much time as a wrong password.
	dummy string
}

// NewService returns an account service; tokens live for tokenTTL.
func NewService(store Store, hasher Hasher, tokenTTL time.Duration, now func() time.Time) *Service {
	dummy, err := hasher.Hash("no user has this password")
	if err != nil {
		panic(err) // only an invalid cost fails, a programming error
	}
	return &Service{store: store, hasher: hasher, tokenTTL: tokenTTL, now: now, dummy: dummy}
}

// Session is the answer to a successful login.
type Session struct {
	Token     string
	ExpiresAt time.Time
	User      User
}

// ErrBadCredentials is a sign-in with an unknown e-mail or a wrong password
// (the two are not told apart).
var ErrBadCredentials = fault.New(fault.Unauthenticated, "bad_credentials")

// ErrSuspended is the right password of a suspended account.
var ErrSuspended = fault.New(fault.Forbidden, "login_suspended")

// Login checks an e-mail and password and issues a new token.
func (s *Service) Login(ctx context.Context, email, password string) (Session, error) {
	email, valid := NormalizeEmail(email)
	if !valid { // no account has an invalid address: answer as for an unknown one
		s.hasher.Check(s.dummy, password)
		return Session{}, ErrBadCredentials
	}
	u, err := s.store.UserByEmail(ctx, email)
	if errors.Is(err, fault.ErrNoRecord) {
		s.hasher.Check(s.dummy, password)
		return Session{}, ErrBadCredentials
	}
	if err != nil {
		return Session{}, fmt.Errorf("login: %w", err)
	}
	if !s.hasher.Check(u.PasswordHash, password) {
		return Session{}, ErrBadCredentials
	}
	if u.Status == Suspended {
		return Session{}, ErrSuspended
	}
	return s.issue(ctx, u)
}

func (s *Service) issue(ctx context.Context, u User) (Session, error) {
	token, hash := NewToken()
	now := s.now()
	exp := now.Add(s.tokenTTL)
	if err := s.store.CreateToken(ctx, u.ID, hash, exp, now); err != nil {
		return Session{}, fmt.Errorf("issue token: %w", err)
	}
	return Session{Token: token, ExpiresAt: exp, User: u}, nil
}

// Authenticate returns the user a live token belongs to.
func (s *Service) Authenticate(ctx context.Context, token string) (User, error) {
	if token == "" {
		return User{}, fault.New(fault.Unauthenticated, "unauthenticated")
	}
	u, err := s.store.UserByToken(ctx, HashToken(token), s.now())
	if errors.Is(err, fault.ErrNoRecord) {
		return User{}, fault.New(fault.Unauthenticated, "unauthenticated")
	}
	if err != nil {
		return User{}, fmt.Errorf("authenticate: %w", err)
	}
	return u, nil
}

// Logout revokes a token.
func (s *Service) Logout(ctx context.Context, token string) error {
	if err := s.store.RevokeToken(ctx, HashToken(token), s.now()); err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	return nil
}

// NewUser is the input for creating an account.
type NewUser struct {
	Email, Name, Password, Language, CenterCode, SellerCode string
	Role                                                    Role
}

// Create makes an account of any role; admins and the command line use it.
func (s *Service) Create(ctx context.Context, in NewUser) (User, error) {
	u, err := s.validate(ctx, in)
	if err != nil {
		return User{}, err
	}
	return s.create(ctx, u, in.Password)
}

func (s *Service) validate(ctx context.Context, in NewUser) (User, error) {
	var f fault.Fields
	email, ok := NormalizeEmail(in.Email)
	if !ok {
		f.Add("email", "email_invalid")
	}
	name := strings.TrimSpace(in.Name)
	if name == "" || len(name) > 200 {
		f.Add("name", "name_required")
	}
	if reason := WeakPassword(in.Password, email, name); reason != "" {
		f.Add("password", reason)
	}
	lang := strings.ToLower(strings.TrimSpace(in.Language))
	if lang == "" {
		lang = Languages[0]
	}
	if !ValidLanguage(lang) {
		f.Add("language", "language_invalid")
	}
	if !in.Role.Valid() {
		f.Add("role", "role_invalid")
	}
	center := strings.ToUpper(strings.TrimSpace(in.CenterCode))
	switch {
	case in.Role == Technician && center == "":
		f.Add("center_code", "center_required")
	case in.Role == Technician:
		exists, err := s.store.CenterExists(ctx, center)
		if err != nil {
			return User{}, fmt.Errorf("check center: %w", err)
		}
		if !exists {
			f.Add("center_code", "center_unknown")
		}
	case center != "":
		f.Add("center_code", "center_only_for_technicians")
	}
	seller, err := s.checkSeller(ctx, in.Role, in.SellerCode, &f)
	if err != nil {
		return User{}, err
	}
	if err := f.Err("invalid_input"); err != nil {
		return User{}, err
	}
	return User{Email: email, Name: name, Role: in.Role, Language: lang, CenterCode: center, SellerCode: seller,
		Status: Active}, nil
}

// checkSeller requires a known seller code for a seller account and none
// for any other role.
func (s *Service) checkSeller(ctx context.Context, role Role, code string, f *fault.Fields) (string, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	switch {
	case role == Seller && code == "":
		f.Add("seller_code", "seller_required")
	case role == Seller:
		exists, err := s.store.SellerExists(ctx, code)
		if err != nil {
			return "", fmt.Errorf("check seller: %w", err)
		}
		if !exists {
			f.Add("seller_code", "seller_unknown")
		}
	case code != "":
		f.Add("seller_code", "seller_only_for_sellers")
	}
	return code, nil
}

func (s *Service) create(ctx context.Context, u User, password string) (User, error) {
	hash, err := s.hasher.Hash(password)
	if err != nil {
		return User{}, fmt.Errorf("hash password: %w", err)
	}
	u.PasswordHash = hash
	return s.insert(ctx, u)
}

// insert stores a new user whose password is already hashed.
func (s *Service) insert(ctx context.Context, u User) (User, error) {
	u.ID = ulid.Make().String()
	u.CreatedAt = s.now()
	if err := s.store.CreateUser(ctx, u); err != nil {
		if errors.Is(err, fault.ErrDuplicate) {
			return User{}, &fault.Error{Kind: fault.Conflict, Reason: "email_taken", Fields: map[string]string{"email": "email_taken"}}
		}
		return User{}, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// List returns every account, by role and e-mail.
func (s *Service) List(ctx context.Context) ([]User, error) {
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return users, nil
}
