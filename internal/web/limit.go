package web

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"rma/internal/fault"
	"rma/internal/limit"
)

// Rate allows Burst attempts per key in every window of Every × Burst.
type Rate struct {
	Every time.Duration
	Burst int
}

func (r Rate) rule() limit.Rule {
	return limit.Rule{Max: r.Burst, Window: r.Every * time.Duration(r.Burst)}
}

// Limits are the rate limits of the public endpoints.
type Limits struct {
	Login, Register, Track Rate
	// Lockout counts failed sign-ins per account (whatever the client
	// address) and per client address (whatever the account).
	Lockout Rate
}

// DefaultLimits: ten login attempts per client address and e-mail in five
// minutes; registration and tracking per client address; twenty failed
// sign-ins per account, or per client address, in an hour.
var DefaultLimits = Limits{
	Login:    Rate{Every: 30 * time.Second, Burst: 10},
	Register: Rate{Every: time.Minute, Burst: 5},
	Track:    Rate{Every: 2 * time.Second, Burst: 30},
	Lockout:  Rate{Every: 3 * time.Minute, Burst: 20},
}

// withDefaults fills the limits left zero.
func (l Limits) withDefaults() Limits {
	for _, p := range []struct{ v, d *Rate }{{&l.Login, &DefaultLimits.Login}, {&l.Register, &DefaultLimits.Register},
		{&l.Track, &DefaultLimits.Track}, {&l.Lockout, &DefaultLimits.Lockout}} {
		if p.v.Burst == 0 {
			*p.v = *p.d
		}
	}
	return l
}

// limiters are the server's limiters, all on one counter.
type limiters struct {
	loginLimit, registerLimit, trackLimit, lockoutLimit limit.Limiter
}

func newLimiters(l Limits, c limit.Counter) limiters {
	return limiters{
		loginLimit:    limit.Limiter{Name: "login", Rule: l.Login.rule(), Counter: c},
		registerLimit: limit.Limiter{Name: "register", Rule: l.Register.rule(), Counter: c},
		trackLimit:    limit.Limiter{Name: "track", Rule: l.Track.rule(), Counter: c},
		lockoutLimit:  limit.Limiter{Name: "lockout", Rule: l.Lockout.rule(), Counter: c},
	}
}

func ipKey(c *gin.Context) string { return limit.Key(c.ClientIP()) }

// loginKey limits per client address and e-mail, so that one address cannot
// try many passwords for one account. The body is peeked at, not consumed.
func loginKey(c *gin.Context) string {
	var body struct {
		Email string `json:"email"`
	}
	_ = c.ShouldBindBodyWithJSON(&body) // a bad body is refused by the handler
	return loginBucket(c, body.Email)
}

// loginBucket is the rate-limit key of a sign-in, by the API or the page:
// a fixed-size hash of the client address and the e-mail folded as the
// database compares it, so accented or zero-width variants share a count.
func loginBucket(c *gin.Context, email string) string { return limit.Key(c.ClientIP(), email) }

// allow counts an attempt against l and logs a refusal to the security
// log. A failing shared counter lets the request through (and is logged).
func (s *Server) allow(c *gin.Context, l limit.Limiter, key string) bool {
	ok, err := l.Allow(ctx(c), key)
	if err != nil {
		s.Logger.Error("rate limit counter failed", "limit", l.Name, "err", err)
	}
	if !ok {
		s.security(c, "rate_limited", "limit", l.Name)
		c.Header("Retry-After", strconv.Itoa(int(l.Rule.Window.Seconds())))
	}
	return ok
}

// limit refuses a request once its key has used up its attempts.
func (s *Server) limit(l limit.Limiter, key func(*gin.Context) string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !s.allow(c, l, key(c)) {
			s.fail(c, fault.New(fault.RateLimited, "rate_limited"))
			return
		}
		c.Next()
	}
}
