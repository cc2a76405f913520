package worker_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"rma/internal/config"
	"rma/internal/store"
	"rma/internal/store/storetest"
	"rma/internal/tasks"
)

// TestDeploymentsOnOneRedisKeepTheirJobs: two deployments share one Redis
// through RMA_REDIS_URL with their own database numbers; the jobs one
// relays are in its queue and not in the other's. (Before: RMA_REDIS_ADDR
// took host:port only, so both used database 0 and took each other's jobs.)
func TestDeploymentsOnOneRedisKeepTheirJobs(t *testing.T) {
	addr := os.Getenv(RedisEnv)
	if addr == "" {
		t.Skip("needs a real Redis: set " + RedisEnv)
	}
	deployment := func(db int) *env {
		cfg, err := config.Load(func(k string) string {
			return map[string]string{"RMA_REDIS_URL": fmt.Sprintf("redis://%s/%d", addr, db),
				"RMA_SECRET": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}[k]
		})
		if err != nil {
			t.Fatal(err)
		}
		rdb, err := config.RedisClient(cfg.RedisURL, cfg.RedisCluster)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { rdb.Close() })
		if err := rdb.FlushDB(context.Background()).Err(); err != nil {
			t.Fatal(err)
		}
		return newEnv(t, storetest.Open(t, store.SQLite), rdb, nil)
	}
	one, other := deployment(10), deployment(11)
	one.file()
	n, err := one.app.Relay.Once(context.Background())
	if err != nil || n == 0 {
		t.Fatalf("relayed %d: %v", n, err)
	}
	mine, err := one.app.Inspector.GetQueueInfo(tasks.Queue)
	if err != nil || mine.Size != n {
		t.Errorf("own queue %+v %v, want %d tasks", mine, err, n)
	}
	if theirs, err := other.app.Inspector.GetQueueInfo(tasks.Queue); err == nil && theirs.Size != 0 {
		t.Errorf("the other deployment's queue holds %d tasks", theirs.Size)
	}
}
