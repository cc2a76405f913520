package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	mysqldriver "github.com/go-sql-driver/mysql"
	"gorm.io/gorm"
)

// openBare opens a fresh SQLite file without the schema, with one table of
// the test's own.
func openBare(t *testing.T) *Store {
	t.Helper()
	st, err := OpenSQLite(t.TempDir() + "/bare.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if err := st.db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY)").Error; err != nil {
		t.Fatal(err)
	}
	if err := st.db.Exec("INSERT INTO t (id) VALUES (1)").Error; err != nil {
		t.Fatal(err)
	}
	return st
}

// TestTransactRetriesALostRaceAFewTimes: a write refused by a duplicate key
// runs again (the next attempt may read the winner's row) up to ten times,
// then gives up with the duplicate; a write refused for another reason is
// not run again.
func TestTransactRetriesALostRaceAFewTimes(t *testing.T) {
	st := openBare(t)
	ctx := context.Background()
	runs := 0
	err := st.transact(ctx, func(tx *gorm.DB) error {
		runs++
		return tx.Exec("INSERT INTO t (id) VALUES (1)").Error
	})
	if !lostRace(err) || runs != 10 {
		t.Errorf("a write that keeps losing: %d runs, %v", runs, err)
	}
	runs = 0
	err = st.transact(ctx, func(tx *gorm.DB) error {
		runs++
		return tx.Exec("INSERT INTO missing (id) VALUES (1)").Error
	})
	if err == nil || runs != 1 {
		t.Errorf("a write refused for its own reason: %d runs, %v", runs, err)
	}
	// Once the caller has gone, a lost race is not run again.
	cctx, cancel := context.WithCancel(ctx)
	runs = 0
	err = st.transact(cctx, func(tx *gorm.DB) error {
		runs++
		cancel()
		return tx.Exec("INSERT INTO t (id) VALUES (1)").Error
	})
	if err == nil || runs != 1 {
		t.Errorf("a lost race after the caller left: %d runs, %v", runs, err)
	}
}

// TestErrorKinds: which failures are a lost race, a deadlock, or the
// database being unavailable. MariaDB's errors are the driver's own error
// values with the server's numbers; SQLite's are real.
func TestErrorKinds(t *testing.T) {
	deadlock := &mysqldriver.MySQLError{Number: 1213, Message: "Deadlock found when trying to get lock"}
	lockWait := &mysqldriver.MySQLError{Number: 1205, Message: "Lock wait timeout exceeded"}
	tooLong := &mysqldriver.MySQLError{Number: 1406, Message: "Data too long for column 'imei' at row 1"}
	for _, c := range []struct {
		name                string
		err                 error
		race, dead, unavail bool
	}{
		{"nil", nil, false, false, false},
		{"deadlock", fmt.Errorf("commit: %w", deadlock), true, true, false},
		{"lock wait", lockWait, false, false, true},
		{"too long", tooLong, false, false, false},
		{"timeout", context.DeadlineExceeded, false, false, true},
	} {
		if got := lostRace(c.err); got != c.race {
			t.Errorf("%s: lost race %v", c.name, got)
		}
		if got := isDeadlock(c.err); got != c.dead {
			t.Errorf("%s: deadlock %v", c.name, got)
		}
		if got := unavailable(c.err); got != c.unavail {
			t.Errorf("%s: unavailable %v", c.name, got)
		}
	}

	// SQLite: a statement the database refuses is not unavailability.
	st := openBare(t)
	sqlDB, err := st.db.DB()
	if err != nil {
		t.Fatal(err)
	}
	_, err = sqlDB.Exec("INSERT INTO missing (id) VALUES (1)")
	if err == nil || unavailable(err) || lostRace(err) {
		t.Errorf("a missing table: unavailable %v, lost race %v (%v)", unavailable(err), lostRace(err), err)
	}
}

// TestMigrationsMustBeContiguous names the first missing version.
func TestMigrationsMustBeContiguous(t *testing.T) {
	fsys := fstest.MapFS{
		"0001_a.sql": {Data: []byte("CREATE TABLE a (id INT);")},
		"0002_b.sql": {Data: []byte("CREATE TABLE b (id INT);")},
		"0004_d.sql": {Data: []byte("CREATE TABLE d (id INT);")},
	}
	_, err := loadMigrations(fsys, SQLite)
	if err == nil || !strings.Contains(err.Error(), "version 3 is missing") {
		t.Errorf("a gap after 0002: %v", err)
	}
	if _, err := loadMigrations(fstest.MapFS{"0001_a.sql": fsys["0001_a.sql"], "0002_b.sql": fsys["0002_b.sql"]}, SQLite); err != nil {
		t.Errorf("no gap: %v", err)
	}
}

// TestStatementsKeepsALastStatementWithoutSemicolon: the file's last
// statement need not end in ";".
func TestStatementsKeepsALastStatementWithoutSemicolon(t *testing.T) {
	got := statements("CREATE TABLE a (id INT);\nCREATE TABLE b (id INT)\n")
	if len(got) != 2 || got[1] != "CREATE TABLE b (id INT)" {
		t.Errorf("statements: %q", got)
	}
	if got := statements("CREATE TABLE a (id INT);\n\n"); len(got) != 1 {
		t.Errorf("a blank tail is no statement: %q", got)
	}
}

// TestCloseClosesTheDatabase: after Close nothing answers.
func TestCloseClosesTheDatabase(t *testing.T) {
	st := openBare(t)
	if err := st.Ping(); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if err := st.Ping(); err == nil {
		t.Error("a closed database still answers")
	}
	if err := st.db.Exec("SELECT 1").Error; err == nil {
		t.Error("a closed database runs statements")
	}
}
