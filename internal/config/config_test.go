package config

import (
	"os"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsAreEmbedded(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Embedded() || c.Addr != ":8080" || c.BaseURL != "http://localhost:8080" || c.ReviewDays != 5 ||
		c.ShipByDays != 30 || c.ReturnDays != 15 || c.Coverage.AccidentalDamageLimit != 2 {
		t.Errorf("defaults %+v", c)
	}
}

func TestInvalidValuesNameTheirVariable(t *testing.T) {
	_, err := Load(env(map[string]string{"RMA_ADDR": "nonsense", "RMA_REVIEW_DAYS": "-1", "RMA_TOKEN_TTL": "forever",
		"RMA_BASE_URL": "ftp://x", "RMA_SECRET": "short", "RMA_REDIS_ADDR": "nohost",
		"RMA_WARRANTY_EXCLUDED_COUNTRIES": "DE,Germany", "RMA_DEMO": "perhaps"}))
	if err == nil {
		t.Fatal("accepted")
	}
	for _, name := range []string{"RMA_ADDR", "RMA_REVIEW_DAYS", "RMA_TOKEN_TTL", "RMA_BASE_URL", "RMA_SECRET",
		"RMA_REDIS_ADDR", "RMA_WARRANTY_EXCLUDED_COUNTRIES", "RMA_DEMO"} {
		if !strings.Contains(err.Error(), name+":") {
			t.Errorf("error does not name %s:\n%v", name, err)
		}
	}
}

func TestSecretIsGeneratedOnceAndKept(t *testing.T) {
	dir := t.TempDir()
	c, _ := Load(env(map[string]string{"RMA_DATA_DIR": dir}))
	if err := c.EnsureSecret(); err != nil {
		t.Fatal(err)
	}
	d, _ := Load(env(map[string]string{"RMA_DATA_DIR": dir}))
	if err := d.EnsureSecret(); err != nil {
		t.Fatal(err)
	}
	if len(c.Secret) < 32 || c.Secret != d.Secret {
		t.Errorf("secrets %q and %q", c.Secret, d.Secret)
	}
	if fi, err := os.Stat(c.SecretFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("secret file %v %v", fi, err)
	}
}

func TestStringMasksSecrets(t *testing.T) {
	c, err := Load(env(map[string]string{"RMA_MYSQL_DSN": "rma:hunter2secret@tcp(db:3306)/rma",
		"RMA_SECRET": "s3cr3t-9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"}))
	if err != nil {
		t.Fatal(err)
	}
	s := c.String()
	if strings.Contains(s, "hunter2secret") || strings.Contains(s, "s3cr3t") || !strings.Contains(s, "rma:***@tcp(db:3306)/rma") {
		t.Errorf("printed %s", s)
	}
}

func TestProductionNeedsARealSecret(t *testing.T) {
	dsn := "rma:pw@tcp(db:3306)/rma"
	random := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	for _, tc := range []struct {
		name string
		vars map[string]string
		ok   bool
	}{
		{"embedded generates one", map[string]string{}, true},
		{"mysql without secret", map[string]string{"RMA_MYSQL_DSN": dsn}, false},
		{"redis without secret", map[string]string{"RMA_REDIS_ADDR": "redis:6379"}, false},
		{"redis url without secret", map[string]string{"RMA_REDIS_URL": "redis://redis:6379/0"}, false},
		{"compose placeholder", map[string]string{"RMA_MYSQL_DSN": dsn,
			"RMA_SECRET": "change-me-change-me-change-me-change-me-change-me-change-me-0000"}, false},
		{"repetitive", map[string]string{"RMA_MYSQL_DSN": dsn, "RMA_SECRET": strings.Repeat("ab12", 10)}, false},
		{"short", map[string]string{"RMA_MYSQL_DSN": dsn, "RMA_SECRET": random[:31]}, false},
		{"random", map[string]string{"RMA_MYSQL_DSN": dsn, "RMA_SECRET": random}, true},
		{"rotation", map[string]string{"RMA_MYSQL_DSN": dsn, "RMA_SECRET": random,
			"RMA_SECRET_PREVIOUS": "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c"}, true},
		{"rotation to itself", map[string]string{"RMA_MYSQL_DSN": dsn, "RMA_SECRET": random,
			"RMA_SECRET_PREVIOUS": random}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(env(tc.vars))
			if (err == nil) != tc.ok {
				t.Fatalf("accepted=%v: %v", err == nil, err)
			}
			if err != nil && !strings.Contains(err.Error(), "RMA_SECRET") {
				t.Errorf("error does not name the variable: %v", err)
			}
		})
	}
}

func TestAddressesNeedABindablePort(t *testing.T) {
	for _, addr := range []string{":99999", ":0", ":http", "localhost", ":-1"} {
		if _, err := Load(env(map[string]string{"RMA_ADDR": addr})); err == nil || !strings.Contains(err.Error(), "RMA_ADDR:") {
			t.Errorf("%q: %v", addr, err)
		}
	}
	if _, err := Load(env(map[string]string{"RMA_ADDR": "127.0.0.1:8081"})); err != nil {
		t.Error(err)
	}
}

func TestBadDSNAndUnknownVariables(t *testing.T) {
	if _, err := Load(env(map[string]string{"RMA_MYSQL_DSN": "rma:pw@tcp(db:3306/rma"})); err == nil ||
		!strings.Contains(err.Error(), "RMA_MYSQL_DSN:") {
		t.Errorf("a broken DSN: %v", err)
	}
	got := Unknown([]string{"RMA_MYSQL_DNS=x", "RMA_ADDR=:1", "HOME=/root", "RMA_TEST_MYSQL_DSN=y"})
	if len(got) != 1 || got[0] != "RMA_MYSQL_DNS" {
		t.Errorf("unknown: %v", got)
	}
}

func TestRedisURL(t *testing.T) {
	for vars, want := range map[[3]string]string{
		{"", "", ""}:              "",
		{"", "10.0.0.5:6380", ""}: "10.0.0.5:6380",
		{"redis://app:s3cret@10.0.0.5:6380/3", "", ""}:            "10.0.0.5:6380",
		{"rediss://default:pw@cache.example.com/1", "", ""}:       "cache.example.com:6379",
		{"redis://n1:7000?addr=n2:7001&addr=n3:7002", "", "true"}: "n1:7000",
	} {
		c, err := Load(env(map[string]string{"RMA_REDIS_URL": vars[0], "RMA_REDIS_ADDR": vars[1], "RMA_REDIS_CLUSTER": vars[2],
			"RMA_SECRET": testSecret}))
		if err != nil || c.RedisAddr != want {
			t.Errorf("%q: addr %q, %v", vars, c.RedisAddr, err)
		}
		if strings.Contains(c.String(), "s3cret") || strings.Contains(c.String(), ":pw@") {
			t.Errorf("password printed: %s", c)
		}
	}
	c, _ := Load(env(map[string]string{"RMA_REDIS_URL": "redis://app:s3cret@10.0.0.5:6380/3", "RMA_SECRET": testSecret}))
	rdb, err := RedisClient(c.RedisURL, c.RedisCluster)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	if o := rdb.(interface{ Options() *redis.Options }).Options(); o.Username != "app" || o.Password != "s3cret" || o.DB != 3 {
		t.Errorf("options %+v", o)
	}
	for name, vars := range map[string]map[string]string{
		"RMA_REDIS_URL":     {"RMA_REDIS_URL": "http://10.0.0.5:6379"},
		"RMA_REDIS_ADDR":    {"RMA_REDIS_URL": "redis://a:1", "RMA_REDIS_ADDR": "a:1"},
		"RMA_REDIS_CLUSTER": {"RMA_REDIS_CLUSTER": "maybe"},
	} {
		if _, err := Load(env(vars)); err == nil || !strings.Contains(err.Error(), name+":") {
			t.Errorf("%v: %v", vars, err)
		}
	}
	if _, err := Load(env(map[string]string{"RMA_REDIS_URL": "redis://h:1/2", "RMA_REDIS_CLUSTER": "true"})); err == nil {
		t.Error("a database number on a cluster was accepted")
	}
}

// testSecret is a random-looking secret, required with a shared Redis.
const testSecret = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
