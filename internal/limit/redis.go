package limit

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is a Counter shared by every process using the same Redis.
type Redis struct {
	client redis.UniversalClient
	prefix string
}

// NewRedis returns a counter keeping its counts under prefix in client.
func NewRedis(client redis.UniversalClient, prefix string) *Redis {
	return &Redis{client: client, prefix: prefix}
}

// add increments a key and starts its expiry when it has none: one round
// trip, atomic, so that concurrent processes count into the same window.
var add = redis.NewScript(`
local v = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return v`)

// Add implements Counter.
func (r *Redis) Add(ctx context.Context, key string, n int, window time.Duration) (int, error) {
	v, err := add.Run(ctx, r.client, []string{r.prefix + key}, n, window.Milliseconds()).Int()
	return v, err
}
