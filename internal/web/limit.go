package web

import (
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"rma/internal/fault"
)

// Rate is a token bucket: Burst attempts at once, refilled at one per Every.
type Rate struct {
	Every time.Duration
	Burst int
}

// Limits are the rate limits of the public endpoints.
type Limits struct{ Login, Register, Track Rate }

// DefaultLimits: ten login attempts per address and e-mail, then one every
// 30 seconds; registration and tracking likewise per client address.
var DefaultLimits = Limits{
	Login:    Rate{Every: 30 * time.Second, Burst: 10},
	Register: Rate{Every: time.Minute, Burst: 5},
	Track:    Rate{Every: 2 * time.Second, Burst: 30},
}

// limiter keeps one token bucket per key, forgetting idle keys.
type limiter struct {
	rate    Rate
	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(r Rate) *limiter { return &limiter{rate: r, buckets: map[string]*bucket{}} }

func (l *limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		idle := l.rate.Every * time.Duration(l.rate.Burst)
		for k, b := range l.buckets {
			if now.Sub(b.seen) > idle {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(rate.Every(l.rate.Every), l.rate.Burst)}
		l.buckets[key] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
}

func ipKey(c *gin.Context) string { return c.ClientIP() }

// loginKey limits per client address and e-mail, so that one address cannot
// try many passwords for one account. The body is peeked at, not consumed.
func loginKey(c *gin.Context) string {
	var body struct {
		Email string `json:"email"`
	}
	_ = c.ShouldBindBodyWithJSON(&body) // a bad body is refused by the handler
	return loginBucket(c, body.Email)
}

// loginBucket is the rate-limit key of a sign-in, by the API or the page.
func loginBucket(c *gin.Context, email string) string {
	return c.ClientIP() + "|" + strings.ToLower(strings.TrimSpace(email))
}

// limit refuses a request once its key has used up its bucket.
func (s *Server) limit(l *limiter, key func(*gin.Context) string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !l.allow(key(c), time.Now()) {
			c.Header("Retry-After", "60")
			s.fail(c, fault.New(fault.RateLimited, "rate_limited"))
			return
		}
		c.Next()
	}
}
