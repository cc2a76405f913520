// Package store keeps the service's state with GORM on MySQL/MariaDB or on
// an embedded SQLite file. It is the only package that imports GORM; it
// implements the Store interfaces the domain packages declare.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"rma/internal/fault"
)

// Dialect names the SQL dialect a database speaks.
type Dialect string

// The two dialects the schema is kept in.
const (
	MySQL  Dialect = "mysql"
	SQLite Dialect = "sqlite"
)

// Store is the GORM-backed storage of every aggregate.
type Store struct {
	db      *gorm.DB
	dialect Dialect
}

// New wraps an open database.
func New(db *gorm.DB, dialect Dialect) *Store { return &Store{db: db, dialect: dialect} }

// DB returns the underlying handle (tests and health checks use it).
func (s *Store) DB() *gorm.DB { return s.db }

// Dialect returns the database's dialect.
func (s *Store) Dialect() Dialect { return s.dialect }

func gormConfig() *gorm.Config {
	return &gorm.Config{
		TranslateError: true,
		Logger:         logger.Default.LogMode(logger.Silent),
		NowFunc:        func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		// Every write is already inside the transaction it belongs to.
		SkipDefaultTransaction: true,
	}
}

// OpenMySQL opens a MySQL or MariaDB database. The DSN must ask for
// parseTime=true and loc=UTC (they are added when missing).
func OpenMySQL(dsn string) (*Store, error) {
	// A short dial timeout: an unreachable host fails in seconds, not the
	// operating system's half minute.
	dsn = withParams(dsn, "?", map[string]string{"parseTime": "true", "loc": "UTC", "charset": "utf8mb4",
		"timeout": "5s"})
	db, err := gorm.Open(mysql.Open(dsn), gormConfig())
	if err != nil {
		return nil, fmt.Errorf("open mysql: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open mysql: %w", err)
	}
	sqlDB.SetMaxOpenConns(32)
	sqlDB.SetMaxIdleConns(8)
	sqlDB.SetConnMaxLifetime(5 * time.Minute)
	return New(db, MySQL), nil
}

// OpenSQLite opens (creating when absent) an SQLite database file. WAL lets
// readers run beside the writer; transactions take the write lock when they
// begin, so that two writers queue on the busy timeout instead of failing.
func OpenSQLite(path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(15000)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate&_time_format=sqlite"
	db, err := gorm.Open(sqlite.Open(dsn), gormConfig())
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	sqlDB.SetMaxOpenConns(8)
	return New(db, SQLite), nil
}

// withParams adds query parameters a DSN lacks.
func withParams(dsn, sep string, params map[string]string) string {
	base, query, _ := strings.Cut(dsn, sep)
	q, err := url.ParseQuery(query)
	if err != nil {
		return dsn
	}
	for k, v := range params {
		if q.Get(k) == "" {
			q.Set(k, v)
		}
	}
	return base + sep + q.Encode()
}

// Close closes the database.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping checks that the database answers.
func (s *Store) Ping() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.PingContext(ctx)
}

// PingContext checks that the database answers before ctx ends.
func (s *Store) PingContext(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// translate turns GORM's errors into the domain's sentinels.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return fault.ErrNoRecord
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("%w: %v", fault.ErrDuplicate, err)
	}
	return err
}

// logger for rare store events (a migration applied).
func logMigration(version int, name string) {
	slog.Debug("migration applied", "version", version, "file", name)
}

// upsert inserts row when it is new and else overwrites every column. (GORM's
// Save falls back to an insert when an update changes no row, which on MySQL
// also happens when the values are unchanged.)
func upsert(tx *gorm.DB, isNew bool, row any) error {
	if isNew {
		return tx.Create(row).Error
	}
	return tx.Select("*").Updates(row).Error
}
