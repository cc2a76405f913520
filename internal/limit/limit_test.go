package limit_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"rma/internal/limit"
)

// Variants the users table's collation treats as the same address fold to
// one key.
func TestVariantsShareAKey(t *testing.T) {
	want := limit.Key("buyer@example.com")
	for _, v := range []string{"buyer@example.com", " Buyer@Example.COM ", "büyer@example.com", "BÜYER@EXAMPLE.COM",
		"bu\u0308yer@example.com", "buy\u200ber@example.com", "buy\u200c\u200der@example.com", "\ufeffbuyer@example.com",
		"buy\u00ader@example.com", "ｂuyer@example.com"} {
		if got := limit.Key(v); got != want {
			t.Errorf("%q folds to %q, not the plain address", v, limit.Fold(v))
		}
	}
	if limit.Key("buyer@example.com") == limit.Key("buyer2@example.com") || limit.Key("a", "b") == limit.Key("ab") {
		t.Error("different addresses share a key")
	}
	if len(limit.Key(string(make([]byte, 1<<20)))) != 32 {
		t.Error("keys are not of fixed size")
	}
}

func TestMemoryStaysBounded(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	m := limit.NewMemory(1000, func() time.Time { return now })
	l := limit.Limiter{Name: "login", Rule: limit.Rule{Max: 2, Window: time.Minute}, Counter: m}
	ctx := context.Background()
	for i := 0; i < 10000; i++ {
		_, _ = l.Allow(ctx, limit.Key(fmt.Sprint(i)))
		if m.Len() > 1000 {
			t.Fatalf("%d keys held", m.Len())
		}
	}
	// A key being limited now keeps its count while the map has room.
	m = limit.NewMemory(1000, func() time.Time { return now })
	l.Counter = m
	for i, want := range []bool{true, true, false} {
		if ok, _ := l.Allow(ctx, "k"); ok != want {
			t.Errorf("attempt %d allowed=%v", i+1, ok)
		}
	}
	now = now.Add(time.Minute)
	if ok, _ := l.Allow(ctx, "k"); !ok {
		t.Error("a new window still refused")
	}
}

// The Redis counter on the in-process Redis always, and on a real one when
// RMA_TEST_REDIS_ADDR is set: two limiters (two processes) share counts.
func TestRedisCounterIsShared(t *testing.T) {
	clients := map[string]redis.UniversalClient{}
	m := miniredis.RunT(t)
	clients["miniredis"] = redis.NewClient(&redis.Options{Addr: m.Addr()})
	if addr := os.Getenv("RMA_TEST_REDIS_ADDR"); addr != "" {
		clients["redis"] = redis.NewClient(&redis.Options{Addr: addr, DB: 9})
	}
	for name, c := range clients {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			prefix := fmt.Sprintf("test:limit:%d:", time.Now().UnixNano())
			rule := limit.Rule{Max: 3, Window: time.Minute}
			a := limit.Limiter{Name: "login", Rule: rule, Counter: limit.NewRedis(c, prefix)}
			b := limit.Limiter{Name: "login", Rule: rule, Counter: limit.NewRedis(c, prefix)}
			key := limit.Key("buyer@example.com")
			for i, l := range []limit.Limiter{a, b, a} {
				if ok, err := l.Allow(ctx, key); !ok || err != nil {
					t.Fatalf("attempt %d: %v %v", i+1, ok, err)
				}
			}
			if ex, _ := b.Exhausted(ctx, key); !ex {
				t.Error("not exhausted after three attempts in two processes")
			}
			if ok, _ := b.Allow(ctx, limit.Key("BÜYER@example.com")); ok {
				t.Error("a fourth attempt through the other process was allowed")
			}
			if ttl := c.PTTL(ctx, prefix+"login:"+key).Val(); ttl <= 0 || ttl > time.Minute {
				t.Errorf("window ttl %v", ttl)
			}
		})
	}
}
