package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"path/filepath"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
)

// OpenSQLite opens (creating when absent) an SQLite database file. WAL lets
// readers run beside the writer; write transactions take the write lock
// when they begin (BEGIN IMMEDIATE), so that two writers queue on the busy
// timeout instead of one failing with "database is locked" when it first
// read and then wrote.
func OpenSQLite(path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(15000)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_time_format=sqlite"
	probe, err := sql.Open(sqlite.DriverName, ":memory:")
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	drv := probe.Driver()
	_ = probe.Close()
	sqlDB := sql.OpenDB(immediateConnector{dsn: dsn, driver: drv})
	sqlDB.SetMaxOpenConns(8)
	db, err := gorm.Open(sqlite.Dialector{Conn: sqlDB}, gormConfig())
	if err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	return New(db, SQLite), nil
}

// immediateConnector opens connections of the pure-Go SQLite driver whose
// write transactions begin IMMEDIATE. (The driver's own _txlock parameter is
// ignored when _time_format is also given, and the time format must stay.)
type immediateConnector struct {
	dsn    string
	driver driver.Driver
}

func (c immediateConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.driver.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(sqliteConn)
	if !ok {
		_ = conn.Close()
		return nil, fmt.Errorf("open sqlite: the driver's connection lacks context methods")
	}
	return &immediateConn{sc}, nil
}

func (c immediateConnector) Driver() driver.Driver { return c.driver }

// sqliteConn is what the driver's connection implements.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
}

// immediateConn begins write transactions with BEGIN IMMEDIATE.
type immediateConn struct{ sqliteConn }

func (c *immediateConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *immediateConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if opts.ReadOnly {
		return c.sqliteConn.BeginTx(ctx, opts)
	}
	if _, err := c.ExecContext(ctx, "BEGIN IMMEDIATE", nil); err != nil {
		return nil, err
	}
	return immediateTx{c}, nil
}

type immediateTx struct{ c *immediateConn }

func (t immediateTx) Commit() error {
	_, err := t.c.ExecContext(context.Background(), "COMMIT", nil)
	return err
}

func (t immediateTx) Rollback() error {
	_, err := t.c.ExecContext(context.Background(), "ROLLBACK", nil)
	return err
}
