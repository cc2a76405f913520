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
	"strconv"
	"strings"
	"time"

	"rma/internal/center"
	"rma/internal/coverage"
)

// Config is the whole configuration of one process.
type Config struct {
	Addr      string // RMA_ADDR, listen address
	MySQLDSN  string // RMA_MYSQL_DSN; empty means embedded SQLite
	DataDir   string // RMA_DATA_DIR, for the SQLite file and the generated secret
	RedisAddr string // RMA_REDIS_ADDR; empty means an in-process Redis
	BaseURL   string // RMA_BASE_URL, public address used in links and QR codes
	Secret    string // RMA_SECRET, signs slip codes; generated when absent
	// SecretFile says where a generated secret is kept ("" when given).
	SecretFile string

	TokenTTL   time.Duration // RMA_TOKEN_TTL
	BcryptCost int           // RMA_BCRYPT_COST
	ReviewDays int           // RMA_REVIEW_DAYS
	ShipByDays int           // RMA_SHIP_BY_DAYS
	ReturnDays int           // RMA_RETURN_DAYS
	// SellerResponseDays and DisputeDecisionDays are the working days a
	// seller has to answer a dispute and a rep to decide an escalated one.
	SellerResponseDays  int // RMA_SELLER_RESPONSE_DAYS
	DisputeDecisionDays int // RMA_DISPUTE_DECISION_DAYS
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
}

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
		RedisAddr:             str("RMA_REDIS_ADDR", ""),
		BaseURL:               strings.TrimRight(str("RMA_BASE_URL", ""), "/"),
		Secret:                str("RMA_SECRET", ""),
		BcryptCost:            num("RMA_BCRYPT_COST", 12, 4, 16),
		ReviewDays:            num("RMA_REVIEW_DAYS", 5, 1, 30),
		ShipByDays:            num("RMA_SHIP_BY_DAYS", 30, 1, 365),
		ReturnDays:            num("RMA_RETURN_DAYS", 15, 1, 90),
		SellerResponseDays:    num("RMA_SELLER_RESPONSE_DAYS", 3, 1, 30),
		DisputeDecisionDays:   num("RMA_DISPUTE_DECISION_DAYS", 5, 2, 30),
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
	sweep := str("RMA_SWEEP_EVERY", "1m")
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
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("RMA_ADDR", "must be host:port or :port, got %q", c.Addr)
	}
	if c.RedisAddr != "" {
		if _, _, err := net.SplitHostPort(c.RedisAddr); err != nil {
			bad("RMA_REDIS_ADDR", "must be host:port, got %q", c.RedisAddr)
		}
	}
	if c.MySQLDSN != "" && !strings.Contains(c.MySQLDSN, "/") {
		bad("RMA_MYSQL_DSN", "must look like user:pass@tcp(host:3306)/db")
	}
	if c.BaseURL == "" {
		_, port, _ := net.SplitHostPort(c.Addr)
		c.BaseURL = "http://localhost:" + port
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("RMA_BASE_URL", "must be an http or https URL, got %q", c.BaseURL)
	}
	if c.Secret != "" && len(c.Secret) < 32 {
		bad("RMA_SECRET", "must be at least 32 characters")
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
	if c.RedisAddr != "" {
		redis = c.RedisAddr
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
