// Package store keeps the service's state with GORM on MySQL/MariaDB or on
// an embedded SQLite file. It is the only package that imports GORM; it
// implements the Store interfaces the domain packages declare.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"

	gosqlite "github.com/glebarez/go-sqlite"
	mysqldriver "github.com/go-sql-driver/mysql"
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
	// inTx is set on a Store bound to a transaction: its writes join it
	// and are retried, when they must be, with the whole transaction.
	inTx bool
	// migrateDSN, on MySQL, opens the connection migrations run on: the
	// same database without the client's read and write time limits, which
	// are sized for requests (adding an index to a table of a million
	// claims takes longer than a page may wait).
	migrateDSN string
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

// Time limits on MySQL/MariaDB, so that a database that is down or frozen
// answers 503 within seconds instead of holding every request: the server
// gives up waiting for a lock first (an error the transaction survives),
// and the client stops waiting for an answer soon after.
const (
	dialTimeout     = "3s"
	lockWaitSeconds = "4"
	ioTimeout       = "6s"
)

// OpenMySQL opens a MySQL or MariaDB database. The DSN must ask for
// parseTime=true and loc=UTC (they are added when missing, and so are the
// time limits above unless the DSN sets its own).
func OpenMySQL(dsn string) (*Store, error) {
	dsn = withParams(dsn, "?", map[string]string{"parseTime": "true", "loc": "UTC", "charset": "utf8mb4",
		"timeout": dialTimeout, "readTimeout": ioTimeout, "writeTimeout": ioTimeout,
		"lock_wait_timeout": lockWaitSeconds, "innodb_lock_wait_timeout": lockWaitSeconds,
		// Arguments are put into the query by the driver (utf8mb4 is safe
		// for it): one round trip per query instead of prepare, execute
		// and close.
		"interpolateParams": "true"})
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
	st := New(db, MySQL)
	st.migrateDSN = setParams(dsn, "?", map[string]string{"readTimeout": "0s", "writeTimeout": "0s"})
	return st, nil
}

// setParams sets query parameters of a DSN, replacing those it has.
func setParams(dsn, sep string, params map[string]string) string {
	base, query, _ := strings.Cut(dsn, sep)
	q, err := url.ParseQuery(query)
	if err != nil {
		return dsn
	}
	for k, v := range params {
		q.Set(k, v)
	}
	return base + sep + q.Encode()
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

// Ping checks that the database answers within two seconds.
func (s *Store) Ping() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
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
	if unavailable(err) {
		return fmt.Errorf("%w: %v", fault.ErrUnavailable, err)
	}
	var me *mysqldriver.MySQLError
	if errors.As(err, &me) {
		// Values the domain let through but a column cannot hold are the
		// caller's mistake, named by the column (the request's field).
		switch me.Number {
		case 1406: // ER_DATA_TOO_LONG
			return fault.Field(columnOf(me.Message), "field_too_long")
		case 1366, 1300: // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD, ER_INVALID_CHARACTER_STRING
			return fault.Field(columnOf(me.Message), "field_invalid_utf8")
		}
	}
	return err
}

// columnName finds the column in MySQL's "... for column 'x' ..." or
// "... for column `db`.`table`.`x` ...".
var columnName = regexp.MustCompile("column [`']?(?:[^`' ]*[`']\\.[`'])*([A-Za-z0-9_]+)[`']")

func columnOf(msg string) string {
	if m := columnName.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return "input"
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

// transact runs fn in a transaction and, at the outermost level, runs it
// again when it lost a race the database resolved by refusing it: a
// deadlock, or the insert of a row another transaction inserted meanwhile
// (the next attempt reads it and updates it instead). Each attempt sees the
// others' committed work, so a write that keeps failing fails for its own
// reason.
func (s *Store) transact(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if s.inTx {
		return s.db.WithContext(ctx).Transaction(fn)
	}
	var err error
	for attempt := 1; attempt <= 10; attempt++ {
		err = s.db.WithContext(ctx).Transaction(fn)
		if !lostRace(err) || ctx.Err() != nil {
			return err
		}
		// Step aside a little, at random, so that the same transactions do
		// not collide again.
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(rand.Int64N(int64(attempt) * int64(5*time.Millisecond)))):
		}
	}
	return err
}

// lostRace reports whether a transaction failed only because a concurrent
// one won: a deadlock victim or a duplicate key of a row inserted meanwhile.
func lostRace(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) || errors.Is(err, fault.ErrDuplicate) {
		return true
	}
	var me *mysqldriver.MySQLError
	return errors.As(err, &me) && me.Number == 1213 // ER_LOCK_DEADLOCK
}

// unavailable reports whether err says the database could not be reached
// or did not answer in time, rather than refusing the statement: the
// connection failed or was lost, a lock was not granted within the lock
// wait timeout, or SQLite stayed busy past its busy timeout.
func unavailable(err error) bool {
	var me *mysqldriver.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1205, // ER_LOCK_WAIT_TIMEOUT (also the metadata lock wait)
			1040, // ER_CON_COUNT_ERROR: too many connections
			1053, // ER_SERVER_SHUTDOWN
			1927: // ER_CONNECTION_KILLED
			return true
		}
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, mysqldriver.ErrInvalidConn) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, sql.ErrConnDone) {
		return true
	}
	var se *gosqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == 5 // SQLITE_BUSY and its extended codes
}

// isDeadlock reports whether a transaction was the victim of a deadlock
// (MariaDB's answer to two transactions each waiting on the other's rows).
func isDeadlock(err error) bool {
	var me *mysqldriver.MySQLError
	return errors.As(err, &me) && me.Number == 1213 // ER_LOCK_DEADLOCK
}
