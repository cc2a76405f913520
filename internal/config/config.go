// Package config reads the service's typed configuration from the
// environment, validates it and prints it with secrets masked.
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"rma/internal/center"
	"rma/internal/coverage"
)

// Config is the whole configuration of one process.
type Config struct {
	Addr     string // RMA_ADDR, listen address
	MySQLDSN string // RMA_MYSQL_DSN; empty means embedded SQLite
	DataDir  string // RMA_DATA_DIR, for the SQLite file and the generated secret
	// RedisURL is RMA_REDIS_URL, or redis://RMA_REDIS_ADDR; empty means an
	// in-process Redis.
	RedisURL string
	// RedisCluster (RMA_REDIS_CLUSTER) says RedisURL names Redis Cluster
	// nodes.
	RedisCluster bool
	// RedisAddr is the host:port of RedisURL's (first) server; empty means
	// an in-process Redis.
	RedisAddr string
	// RedisVar names the variable the Redis came from, for messages.
	RedisVar string
	BaseURL  string // RMA_BASE_URL, public address used in links and QR codes
	Secret   string // RMA_SECRET, signs slip codes; generated when absent (embedded only)
	// SecretPrevious is RMA_SECRET_PREVIOUS: the secret before a rotation,
	// still accepted on slips printed before it ("" when none).
	SecretPrevious string
	// SecretFile says where a generated secret is kept ("" when given).
	SecretFile string

	TokenTTL   time.Duration // RMA_TOKEN_TTL
	BcryptCost int           // RMA_BCRYPT_COST
	ReviewDays int           // RMA_REVIEW_DAYS
	ShipByDays int           // RMA_SHIP_BY_DAYS
	ReturnDays int           // RMA_RETURN_DAYS
	// ActivationLockCapDays is how many calendar days the return promise
	// waits for the buyer to remove a device's activation lock before the
	// claim is escalated to a rep.
	ActivationLockCapDays int // RMA_ACTIVATION_LOCK_CAP_DAYS
	// SellerResponseDays and DisputeDecisionDays are the working days a
	// seller has to answer a dispute and a rep to decide an escalated one.
	SellerResponseDays  int // RMA_SELLER_RESPONSE_DAYS
	DisputeDecisionDays int // RMA_DISPUTE_DECISION_DAYS
	// ReturnConfirmDays are the days after the carrier delivered a returned
	// item within which the seller confirms it, or is assumed to have it.
	ReturnConfirmDays int // RMA_RETURN_CONFIRM_DAYS
	// The on-time delivery guarantee: a percentage of the price, or a fixed
	// amount in the order's currency when set, after a grace in days for an
	// order never delivered.
	LateDeliveryPercent   int    // RMA_LATE_DELIVERY_PERCENT
	LateDeliveryFixed     string // RMA_LATE_DELIVERY_FIXED
	LateDeliveryGraceDays int    // RMA_LATE_DELIVERY_GRACE_DAYS
	Coverage              coverage.Settings
	Demo                  bool // RMA_DEMO: load demo data at start

	SMTPURL           string        // RMA_SMTP_URL; empty keeps e-mails in the database only
	SweepEvery        time.Duration // RMA_SWEEP_EVERY, the deadline sweep's period
	WorkerConcurrency int           // RMA_WORKER_CONCURRENCY

	// Retention in days per kind of row (0 keeps for ever): the daily purge.
	Retention Retention

	LogFormat    string // RMA_LOG_FORMAT: text or json
	MetricsAddr  string // RMA_METRICS_ADDR: a separate listener for /metrics ("" for none)
	MetricsToken string // RMA_METRICS_TOKEN: bearer token for /metrics on the main address ("" for none)

	// BlobURL is where attachments are kept (RMA_BLOB_URL, e.g.
	// s3://bucket?region=eu-central-1); empty keeps them under DataDir.
	BlobURL string
}

// BlobDir is where attachments are kept without RMA_BLOB_URL.
func (c Config) BlobDir() string { return filepath.Join(c.DataDir, "attachments") }

// SharedRedis reports whether a Redis shared with other processes is
// configured (RMA_REDIS_ADDR or RMA_REDIS_URL).
func (c Config) SharedRedis() bool { return c.RedisURL != "" }

// Production reports whether the process shares state with others (a
// MySQL database or a real Redis): then every process must be given the
// same secret instead of generating its own.
func (c Config) Production() bool { return c.MySQLDSN != "" || c.RedisURL != "" }

// Embedded reports whether the process runs without outside services.
func (c Config) Embedded() bool { return c.MySQLDSN == "" }

// SQLitePath is the embedded database file.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "rma.db") }

// Load reads the configuration from getenv (os.Getenv in production).
// Every problem is reported, each naming its variable.
func Load(getenv func(string) string) (Config, error) {
	var errs []error
	bad := func(name, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, a...)))
	}
	str := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	num := func(name string, def, lo, hi int) int {
		v := str(name, "")
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			bad(name, "must be a whole number from %d to %d, got %q", lo, hi, v)
			return def
		}
		return n
	}
	c := Config{
		Addr:                  str("RMA_ADDR", ":8080"),
		MySQLDSN:              str("RMA_MYSQL_DSN", ""),
		DataDir:               str("RMA_DATA_DIR", "./data"),
		BaseURL:               strings.TrimRight(str("RMA_BASE_URL", ""), "/"),
		Secret:                str("RMA_SECRET", ""),
		SecretPrevious:        str("RMA_SECRET_PREVIOUS", ""),
		LogFormat:             str("RMA_LOG_FORMAT", "text"),
		MetricsAddr:           str("RMA_METRICS_ADDR", ""),
		MetricsToken:          str("RMA_METRICS_TOKEN", ""),
		BcryptCost:            num("RMA_BCRYPT_COST", 12, 4, 16),
		ReviewDays:            num("RMA_REVIEW_DAYS", 5, 1, 30),
		ShipByDays:            num("RMA_SHIP_BY_DAYS", 30, 1, 365),
		ReturnDays:            num("RMA_RETURN_DAYS", 15, 1, 90),
		ActivationLockCapDays: num("RMA_ACTIVATION_LOCK_CAP_DAYS", 14, 1, 90),
		SellerResponseDays:    num("RMA_SELLER_RESPONSE_DAYS", 3, 1, 30),
		DisputeDecisionDays:   num("RMA_DISPUTE_DECISION_DAYS", 5, 2, 30),
		ReturnConfirmDays:     num("RMA_RETURN_CONFIRM_DAYS", 7, 1, 60),
		LateDeliveryPercent:   num("RMA_LATE_DELIVERY_PERCENT", 10, 0, 100),
		LateDeliveryFixed:     str("RMA_LATE_DELIVERY_FIXED", ""),
		LateDeliveryGraceDays: num("RMA_LATE_DELIVERY_GRACE_DAYS", 3, 0, 60),
		Coverage: coverage.Settings{
			ExcludedWarrantyCountries: coverage.ParseCountries(getenv("RMA_WARRANTY_EXCLUDED_COUNTRIES")),
			AccidentalDamageCountries: coverage.ParseCountries(getenv("RMA_ACCIDENTAL_DAMAGE_COUNTRIES")),
			AccidentalDamageLimit:     num("RMA_ACCIDENTAL_DAMAGE_LIMIT", 2, 0, 100),
			WarrantyLimit:             num("RMA_WARRANTY_LIMIT", 0, 0, 100),
		},
	}
	c.SMTPURL = str("RMA_SMTP_URL", "")
	if c.SMTPURL != "" && !strings.HasPrefix(c.SMTPURL, "smtp://") {
		bad("RMA_SMTP_URL", "must look like smtp://user:pass@host:587?from=rma@example.com")
	}
	c.WorkerConcurrency = num("RMA_WORKER_CONCURRENCY", 4, 1, 100)
	c.BlobURL = str("RMA_BLOB_URL", "")
	if c.BlobURL != "" && !strings.HasPrefix(c.BlobURL, "s3://") && !strings.HasPrefix(c.BlobURL, "file://") {
		bad("RMA_BLOB_URL", "must look like s3://bucket?region=eu-central-1 or file:///var/lib/rma/attachments")
	}
	c.Retention = Retention{TokenDays: num("RMA_RETENTION_TOKEN_DAYS", 30, 0, 3650),
		MailDays: num("RMA_RETENTION_MAIL_DAYS", 365, 0, 3650), SlipDays: num("RMA_RETENTION_SLIP_DAYS", 180, 0, 3650),
		JobDays: num("RMA_RETENTION_JOB_DAYS", 90, 0, 3650)}
	sweep := str("RMA_SWEEP_EVERY", "30s")
	if d, err := time.ParseDuration(sweep); err != nil || d < time.Second || d > time.Hour {
		bad("RMA_SWEEP_EVERY", "must be a duration from 1s to 1h, got %q", sweep)
	} else {
		c.SweepEvery = d
	}
	ttl := str("RMA_TOKEN_TTL", "24h")
	if d, err := time.ParseDuration(ttl); err != nil || d < time.Minute || d > 90*24*time.Hour {
		bad("RMA_TOKEN_TTL", "must be a duration from 1m to 2160h, got %q", ttl)
	} else {
		c.TokenTTL = d
	}
	if v := str("RMA_DEMO", ""); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad("RMA_DEMO", "must be true or false, got %q", v)
		}
		c.Demo = b
	}
	if !validAddr(c.Addr) {
		bad("RMA_ADDR", "must be host:port or :port with a port from 1 to 65535, got %q", c.Addr)
	}
	if c.MetricsAddr != "" && (!validAddr(c.MetricsAddr) || c.MetricsAddr == c.Addr) {
		bad("RMA_METRICS_ADDR", "must be host:port or :port with a port from 1 to 65535, other than RMA_ADDR, got %q", c.MetricsAddr)
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		bad("RMA_METRICS_TOKEN", "must be at least 16 characters")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("RMA_LOG_FORMAT", "must be text or json, got %q", c.LogFormat)
	}
	c.loadRedis(str, bad)
	if c.MySQLDSN != "" {
		if _, err := mysql.ParseDSN(c.MySQLDSN); err != nil || !strings.Contains(c.MySQLDSN, "/") {
			bad("RMA_MYSQL_DSN", "must look like user:pass@tcp(host:3306)/db (%v)", err)
		}
	}
	if c.BaseURL == "" {
		_, port, _ := net.SplitHostPort(c.Addr)
		c.BaseURL = "http://localhost:" + port
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("RMA_BASE_URL", "must be an http or https URL, got %q", c.BaseURL)
	}
	switch {
	case c.Secret == "" && c.Production():
		bad("RMA_SECRET", "is required with RMA_MYSQL_DSN or a Redis: every process must sign with the same secret (make one with `openssl rand -hex 32`)")
	case c.Secret != "":
		if why := weakSecret(c.Secret); why != "" {
			bad("RMA_SECRET", "%s (make one with `openssl rand -hex 32`)", why)
		}
	}
	if c.SecretPrevious != "" {
		if why := weakSecret(c.SecretPrevious); why != "" {
			bad("RMA_SECRET_PREVIOUS", "%s", why)
		}
		if c.SecretPrevious == c.Secret {
			bad("RMA_SECRET_PREVIOUS", "must differ from RMA_SECRET")
		}
	}
	for name, list := range map[string][]string{
		"RMA_WARRANTY_EXCLUDED_COUNTRIES": c.Coverage.ExcludedWarrantyCountries,
		"RMA_ACCIDENTAL_DAMAGE_COUNTRIES": c.Coverage.AccidentalDamageCountries} {
		for _, country := range list {
			if !center.ValidCountry(country) {
				bad(name, "%q is not a two-letter country code", country)
			}
		}
	}
	return c, errors.Join(errs...)
}

// validAddr reports whether addr is host:port or :port with a numeric port
// a listener can bind (1 to 65535).
func validAddr(addr string) bool {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 1 && n <= 65535
}

// placeholders are the parts of secrets copied from examples.
var placeholders = []string{"change-me", "changeme", "change_me", "replace-me", "replaceme", "placeholder",
	"example", "your-secret", "yoursecret", "secret-key", "password", "default"}

// weakSecret says why s cannot sign labels ("" when it can): too short,
// a known placeholder, or too few distinct characters to be random.
func weakSecret(s string) string {
	if len(s) < 32 {
		return "must be at least 32 characters"
	}
	lower := strings.ToLower(s)
	for _, p := range placeholders {
		if strings.Contains(lower, p) {
			return fmt.Sprintf("is a placeholder (contains %q): set a random one", p)
		}
	}
	distinct := map[rune]bool{}
	for _, r := range s {
		distinct[r] = true
	}
	if len(distinct) < 10 {
		return "does not look random (fewer than 10 different characters)"
	}
	return ""
}

// EnsureSecret fills in a missing secret from the data directory, creating
// one there on first start so that slips stay valid across restarts.
func (c *Config) EnsureSecret() error {
	if c.Secret != "" {
		return nil
	}
	c.SecretFile = filepath.Join(c.DataDir, "secret")
	if b, err := os.ReadFile(c.SecretFile); err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		c.Secret = strings.TrimSpace(string(b))
		return nil
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return fmt.Errorf("RMA_DATA_DIR: %w", err)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return fmt.Errorf("generate secret: %w", err)
	}
	c.Secret = hex.EncodeToString(b)
	if err := os.WriteFile(c.SecretFile, []byte(c.Secret+"\n"), 0o600); err != nil {
		return fmt.Errorf("RMA_DATA_DIR: keep generated secret: %w", err)
	}
	return nil
}

// String prints the configuration with secrets masked.
func (c Config) String() string {
	db := "sqlite " + c.SQLitePath()
	if c.MySQLDSN != "" {
		db = "mysql " + maskDSN(c.MySQLDSN)
	}
	redis := "in-process"
	if c.RedisURL != "" {
		redis = maskURL(c.RedisURL)
	}
	if c.RedisCluster {
		redis += " (cluster)"
	}
	secret := "set"
	if c.SecretFile != "" {
		secret = "kept in " + c.SecretFile
	}
	smtp := "none (kept in the database)"
	if c.SMTPURL != "" {
		smtp = maskURL(c.SMTPURL)
	}
	return fmt.Sprintf("addr=%s base_url=%s db=%s redis=%s smtp=%s secret=%s token_ttl=%s review_days=%d ship_by_days=%d sweep_every=%s",
		c.Addr, c.BaseURL, db, redis, smtp, secret, c.TokenTTL, c.ReviewDays, c.ShipByDays, c.SweepEvery)
}

// maskDSN hides the password of user:pass@tcp(...)/db.
func maskDSN(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	if at < 0 {
		return dsn
	}
	user, _, hasPass := strings.Cut(dsn[:at], ":")
	if !hasPass {
		return dsn
	}
	return user + ":***" + dsn[at:]
}

// maskURL hides the password of a URL.
func maskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unreadable)"
	}
	return u.Redacted()
}

// Retention is how many days each kind of row is kept once it is no longer
// needed (0: for ever).
type Retention struct {
	TokenDays int // RMA_RETENTION_TOKEN_DAYS: expired or revoked sessions, tokens and e-mailed links
	MailDays  int // RMA_RETENTION_MAIL_DAYS: kept e-mails (names, addresses, slips attached)
	SlipDays  int // RMA_RETENTION_SLIP_DAYS: rendered slips (drawn again when asked for)
	JobDays   int // RMA_RETENTION_JOB_DAYS: finished outbox jobs
}

// Variables lists every variable the service reads.
var Variables = []string{"RMA_ADDR", "RMA_MYSQL_DSN", "RMA_DATA_DIR", "RMA_REDIS_ADDR", "RMA_REDIS_URL", "RMA_BASE_URL",
	"RMA_SECRET", "RMA_SECRET_PREVIOUS", "RMA_DEMO", "RMA_TOKEN_TTL", "RMA_BCRYPT_COST", "RMA_REVIEW_DAYS",
	"RMA_SHIP_BY_DAYS", "RMA_RETURN_DAYS", "RMA_ACTIVATION_LOCK_CAP_DAYS", "RMA_WARRANTY_EXCLUDED_COUNTRIES", "RMA_ACCIDENTAL_DAMAGE_COUNTRIES",
	"RMA_ACCIDENTAL_DAMAGE_LIMIT", "RMA_WARRANTY_LIMIT", "RMA_SMTP_URL", "RMA_SWEEP_EVERY", "RMA_WORKER_CONCURRENCY",
	"RMA_LOG_FORMAT", "RMA_METRICS_ADDR", "RMA_METRICS_TOKEN", "RMA_RETENTION_TOKEN_DAYS", "RMA_RETENTION_MAIL_DAYS",
	"RMA_RETENTION_SLIP_DAYS", "RMA_RETENTION_JOB_DAYS"}

// Unknown returns the RMA_ variables of environ (KEY=value lines) that the
// service does not read: usually a typo, such as RMA_MYSQL_DNS, that would
// otherwise leave a setting silently at its default.
func Unknown(environ []string) []string {
	var out []string
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "RMA_") && !strings.HasPrefix(k, "RMA_TEST_") && !slices.Contains(Variables, k) {
			out = append(out, k)
		}
	}
	return out
}
