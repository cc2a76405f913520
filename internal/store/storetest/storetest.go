// Package storetest gives tests a fresh, migrated database: an SQLite file
// always, and a new MariaDB/MySQL schema when RMA_TEST_MYSQL_DSN is set.
// Without it the MariaDB subtests are skipped, visibly and with the reason
// (and fail under CI=true, where everything must run).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"testing"

	"github.com/go-sql-driver/mysql"

	"rma/internal/store"
	"rma/internal/testenv"
	"rma/migrations"
)

// MySQLEnv names the variable holding a DSN of a server tests may create
// schemas on, e.g. root@tcp(127.0.0.1:3306)/test.
const MySQLEnv = "RMA_TEST_MYSQL_DSN"

// Dialects returns the dialects tests run on: both, whether or not MariaDB
// is configured (its tests then skip).
func Dialects() []store.Dialect { return []store.Dialect{store.SQLite, store.MySQL} }

// Each runs fn as a subtest on a fresh database of every dialect; the
// MariaDB subtest skips without RMA_TEST_MYSQL_DSN.
func Each(t *testing.T, fn func(t *testing.T, st *store.Store)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) { fn(t, Open(t, d)) })
	}
}

// Open returns a fresh, migrated database of the dialect, removed when the
// test ends. MySQL without RMA_TEST_MYSQL_DSN skips the test.
func Open(t testing.TB, d store.Dialect) *store.Store {
	t.Helper()
	st := Fresh(t, d)
	if _, err := st.Migrate(context.Background(), migrations.FS); err != nil {
		t.Fatalf("migrate %s: %v", d, err)
	}
	return st
}

// Fresh opens an empty database of dialect d, with no migration applied
// (skipped without its variable, failed under CI, as Open).
func Fresh(t testing.TB, d store.Dialect) *store.Store {
	t.Helper()
	if d == store.MySQL {
		testenv.Env(t, MySQLEnv, "MariaDB/MySQL server")
	}
	var st *store.Store
	var err error
	switch d {
	case store.SQLite:
		st, err = store.OpenSQLite(t.TempDir() + "/test.db")
	case store.MySQL:
		st, err = openMySQL(t)
	}
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// openMySQL creates a schema of its own for the test and drops it after.
func openMySQL(t testing.TB) (*store.Store, error) {
	cfg, err := mysql.ParseDSN(os.Getenv(MySQLEnv))
	if err != nil {
		return nil, err
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "rma_t_" + hex.EncodeToString(b)
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return nil, err
	}
	if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		admin.Close()
		return nil, err
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP DATABASE IF EXISTS " + name)
		admin.Close()
	})
	cfg.DBName = name
	return store.OpenMySQL(cfg.FormatDSN())
}
