package worker_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"rma/internal/config"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

// ClusterEnv names Redis Cluster nodes the tests may use, e.g.
// 127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002 (flushed per test).
const ClusterEnv = "RMA_TEST_REDIS_CLUSTER"

// TestJobsRunOnARedisCluster: with RMA_REDIS_CLUSTER the queue, the relay,
// the handlers and the sweep's lock work on a Redis Cluster.
func TestJobsRunOnARedisCluster(t *testing.T) {
	nodes := os.Getenv(ClusterEnv)
	if nodes == "" {
		t.Skip("needs a Redis Cluster: set " + ClusterEnv)
	}
	addrs := strings.Split(nodes, ",")
	url := "redis://" + addrs[0]
	for i, a := range addrs[1:] {
		url += map[bool]string{true: "?", false: "&"}[i == 0] + "addr=" + a
	}
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"RMA_REDIS_URL": url, "RMA_REDIS_CLUSTER": "true"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	rdb, err := config.RedisClient(cfg.RedisURL, cfg.RedisCluster)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	cc, ok := rdb.(*redis.ClusterClient)
	if !ok {
		t.Fatalf("a %T for a cluster", rdb)
	}
	if err := cc.ForEachMaster(context.Background(), func(ctx context.Context, n *redis.Client) error {
		return n.FlushDB(ctx).Err()
	}); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, storetest.Open(t, store.SQLite), rdb, nil)
	e.clock.Set(time.Now())
	w := e.app.NewWorker()
	if err := w.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer w.Shutdown()
	rma := e.file()
	e.approve(rma)
	waitFor(t, 30*time.Second, "the e-mails", func() bool { return len(e.mails(rma)) == 2 })
	expect(t, e, rma, "submit buyer@example.com", "approve buyer@example.com")
	if n, err := w.Sweep(context.Background()); err != nil {
		t.Errorf("sweep on a cluster: %d, %v", n, err)
	}
}
