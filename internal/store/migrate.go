package store

import (
	"context"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/driver/mysql"
	"gorm.io/gorm"
)

// migration is one schema version in the current dialect.
type migration struct {
	Version int
	Name    string
	SQL     string
}

var migrationName = regexp.MustCompile(`^(\d{4})_[a-z0-9_]+(\.(mysql|sqlite))?\.sql$`)

// loadMigrations reads the files of fsys that apply to dialect, in version
// order. A version given for one dialect must be given for the other.
func loadMigrations(fsys fs.FS, dialect Dialect) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	byVersion := map[int]migration{}
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		if m[3] != "" && m[3] != string(dialect) {
			continue
		}
		v, _ := strconv.Atoi(m[1])
		if prev, dup := byVersion[v]; dup {
			return nil, fmt.Errorf("migrations %s and %s share version %d", prev.Name, e.Name(), v)
		}
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		byVersion[v] = migration{Version: v, Name: e.Name(), SQL: string(b)}
	}
	var out []migration
	for _, m := range byVersion {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b migration) int { return a.Version - b.Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration version %d is missing", i+1)
		}
	}
	return out, nil
}

// KnownVersion returns the newest schema version fsys holds: the version
// this build migrates to.
func KnownVersion(fsys fs.FS) (int, error) {
	ms, err := loadMigrations(fsys, SQLite)
	return len(ms), err
}

const createVersions = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INT          NOT NULL PRIMARY KEY,
  name       VARCHAR(200) NOT NULL,
  applied_at DATETIME(6)  NOT NULL
)`

// SchemaVersion returns the newest applied migration (0 on an empty
// database) and the newest one this build knows.
func (s *Store) SchemaVersion(ctx context.Context, fsys fs.FS) (applied, known int, err error) {
	ms, err := loadMigrations(fsys, s.dialect)
	if err != nil {
		return 0, 0, err
	}
	if err := s.db.WithContext(ctx).Exec(s.dialectSQL(createVersions)).Error; err != nil {
		return 0, 0, fmt.Errorf("schema version: %w", err)
	}
	var v *int
	if err := s.db.WithContext(ctx).Raw("SELECT MAX(version) FROM schema_migrations").Scan(&v).Error; err != nil {
		return 0, 0, fmt.Errorf("schema version: %w", err)
	}
	if v != nil {
		applied = *v
	}
	return applied, len(ms), nil
}

// Migrate applies every migration of fsys not yet applied. MySQL DDL is not
// transactional, which is why each file holds one change: a failure leaves
// the schema at the last whole version.
func (s *Store) Migrate(ctx context.Context, fsys fs.FS) (int, error) {
	ms, err := loadMigrations(fsys, s.dialect)
	if err != nil {
		return 0, err
	}
	applied, known, err := s.SchemaVersion(ctx, fsys)
	if err != nil {
		return 0, err
	}
	if applied > known {
		return 0, &NewerSchemaError{Applied: applied, Known: known}
	}
	if applied == len(ms) {
		return 0, nil
	}
	db, done, err := s.migrationDB()
	if err != nil {
		return 0, err
	}
	defer done()
	n := 0
	for _, m := range ms[applied:] {
		for _, stmt := range statements(s.dialectSQL(m.SQL)) {
			if err := db.WithContext(ctx).Exec(stmt).Error; err != nil {
				return n, fmt.Errorf("migration %s: %w", m.Name, err)
			}
		}
		err := db.WithContext(ctx).Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			m.Version, m.Name, time.Now().UTC()).Error
		if err != nil {
			return n, fmt.Errorf("record migration %s: %w", m.Name, err)
		}
		logMigration(m.Version, m.Name)
		n++
	}
	return n, nil
}

// migrationDB returns the handle migrations run on and what closes it: on
// MySQL a connection of its own without the requests' time limits (the
// context still bounds it), elsewhere the store's own.
func (s *Store) migrationDB() (*gorm.DB, func(), error) {
	if s.migrateDSN == "" {
		return s.db, func() {}, nil
	}
	db, err := gorm.Open(mysql.Open(s.migrateDSN), gormConfig())
	if err != nil {
		return nil, nil, fmt.Errorf("open the migration connection: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, nil, fmt.Errorf("open the migration connection: %w", err)
	}
	sqlDB.SetMaxOpenConns(1)
	return db, func() { _ = sqlDB.Close() }, nil
}

// dialectSQL adapts the one type the shared files write differently: MySQL
// needs DATETIME(6) to keep microseconds, and the SQLite driver returns
// times only for columns declared plainly DATETIME.
func (s *Store) dialectSQL(sql string) string {
	if s.dialect == SQLite {
		return strings.ReplaceAll(sql, "DATETIME(6)", "DATETIME")
	}
	return sql
}

// CheckSchema refuses a database whose schema is older (or newer) than this
// build's.
func (s *Store) CheckSchema(ctx context.Context, fsys fs.FS) error {
	applied, known, err := s.SchemaVersion(ctx, fsys)
	if err != nil {
		return err
	}
	if applied > known {
		return &NewerSchemaError{Applied: applied, Known: known}
	}
	if applied != known {
		return fmt.Errorf("database schema is at version %d, this build needs %d: run `rma migrate`", applied, known)
	}
	return nil
}

// NewerSchemaError says the database was migrated by a newer build than
// this one: this binary must not touch it (an upgrade is never undone by
// running an older binary; restore the backup taken before it instead).
type NewerSchemaError struct{ Applied, Known int }

func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("database schema is at version %d, newer than this build's %d: run the newer rma "+
		"that migrated it (or restore the backup taken before the upgrade)", e.Applied, e.Known)
}

// statements splits a file into statements at semicolons that end a line,
// dropping comment lines.
func statements(sql string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteString("\n")
		if strings.HasSuffix(t, ";") {
			out = append(out, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}
