package web

import (
	"errors"

	"github.com/gin-gonic/gin"

	"rma/internal/account"
	"rma/internal/fault"
	"rma/internal/limit"
)

var errLocked = fault.New(fault.RateLimited, "login_locked")

// signIn checks a password for the API and the page alike. Failed sign-ins
// are counted per account (whatever the client address) and per client
// address (whatever the account); once either is used up, sign-in is
// refused, even with the right password, until the window ends. Unknown
// addresses are counted too, so a lockout says nothing about which
// accounts exist.
func (s *Server) signIn(c *gin.Context, email, password string) (account.Session, error) {
	keys := []string{limit.Key("account", email), limit.Key("client", c.ClientIP())}
	for _, k := range keys {
		locked, err := s.lockoutLimit.Exhausted(ctx(c), k)
		if err != nil {
			s.Logger.Error("lockout counter failed", "err", err)
		}
		if locked {
			s.security(c, "login_locked")
			return account.Session{}, errLocked
		}
	}
	sess, err := s.Accounts.Login(ctx(c), email, password)
	switch {
	case errors.Is(err, account.ErrBadCredentials):
		s.security(c, "login_failed")
		for _, k := range keys {
			if _, err := s.lockoutLimit.Allow(ctx(c), k); err != nil {
				s.Logger.Error("lockout counter failed", "err", err)
			}
		}
	case errors.Is(err, account.ErrSuspended):
		s.security(c, "login_suspended")
	}
	return sess, err
}
