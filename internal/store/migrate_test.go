package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"rma/internal/store"
	"rma/internal/store/storetest"
	"rma/migrations"
)

func TestMigrationsAreCompleteAndRepeatable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if err := st.CheckSchema(ctx, migrations.FS); err != nil {
			t.Fatalf("fresh schema: %v", err)
		}
		n, err := st.Migrate(ctx, migrations.FS)
		if err != nil || n != 0 {
			t.Fatalf("second run applied %d: %v", n, err)
		}
		// A build that knows one more migration refuses the database until it is migrated.
		newer := fstest.MapFS{}
		entries, _ := migrations.FS.ReadDir(".")
		for _, e := range entries {
			b, _ := migrations.FS.ReadFile(e.Name())
			newer[e.Name()] = &fstest.MapFile{Data: b}
		}
		_, known, _ := st.SchemaVersion(ctx, migrations.FS)
		next := fmt.Sprintf("%04d_extra.sql", known+1)
		newer[next] = &fstest.MapFile{Data: []byte("CREATE TABLE extra (id INT NOT NULL PRIMARY KEY);")}
		if err := st.CheckSchema(ctx, newer); err == nil {
			t.Error("an old schema was accepted")
		}
		if n, err := st.Migrate(ctx, newer); err != nil || n != 1 {
			t.Fatalf("migrating to %s: %d, %v", next, n, err)
		}
		if err := st.CheckSchema(ctx, newer); err != nil {
			t.Errorf("after migrating: %v", err)
		}
		gap := fstest.MapFS{"0001_a.sql": newer["0002_users.sql"], "0003_c.sql": newer["0002_users.sql"]}
		if _, err := st.Migrate(ctx, gap); err == nil {
			t.Error("a gap in migration versions was accepted")
		}
	})
}

func TestMySQLTablesAreUTF8MB4(t *testing.T) {
	st := storetest.Open(t, store.MySQL) // skips, saying why, without a MariaDB
	var rows []struct {
		TableName      string
		TableCollation string
	}
	if err := st.DB().Raw(`SELECT table_name AS table_name, table_collation AS table_collation
		FROM information_schema.tables WHERE table_schema = DATABASE()`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) < 7 {
		t.Fatalf("only %d tables", len(rows))
	}
	for _, r := range rows {
		if len(r.TableCollation) < 7 || r.TableCollation[:7] != "utf8mb4" {
			t.Errorf("%s is %s", r.TableName, r.TableCollation)
		}
	}
}

// An older binary on a newer schema refuses clearly, naming both versions,
// and changes nothing.
func TestOlderBuildRefusesNewerSchema(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		older := fstest.MapFS{}
		entries, _ := migrations.FS.ReadDir(".")
		_, known, _ := st.SchemaVersion(ctx, migrations.FS)
		for _, e := range entries {
			if e.Name() >= fmt.Sprintf("%04d", known) { // drop the newest version
				continue
			}
			b, _ := migrations.FS.ReadFile(e.Name())
			older[e.Name()] = &fstest.MapFile{Data: b}
		}
		want := fmt.Sprintf("database schema is at version %d, newer than this build's %d", known, known-1)
		n, err := st.Migrate(ctx, older)
		var newer *store.NewerSchemaError
		if !errors.As(err, &newer) || n != 0 || !strings.Contains(err.Error(), want) {
			t.Errorf("migrate with an older build: %d, %v", n, err)
		}
		if err := st.CheckSchema(ctx, older); !errors.As(err, &newer) || !strings.Contains(err.Error(), want) {
			t.Errorf("check with an older build: %v", err)
		}
		if applied, _, _ := st.SchemaVersion(ctx, migrations.FS); applied != known {
			t.Errorf("schema moved to %d", applied)
		}
	})
}

// TestALongMigrationOutlastsTheRequestLimits: a migration statement that
// runs longer than the client's read limit for requests (6 s; adding an
// index to a million claims takes that and more) still completes on
// MySQL/MariaDB, on the migration's own connection, and is recorded.
func TestALongMigrationOutlastsTheRequestLimits(t *testing.T) {
	st := storetest.Fresh(t, store.MySQL)
	fsys := fstest.MapFS{"0001_slow.sql": {Data: []byte("CREATE TABLE slow_probe (id INT PRIMARY KEY);\nSELECT SLEEP(7);\n")}}
	n, err := st.Migrate(context.Background(), fsys)
	if err != nil || n != 1 {
		t.Fatalf("migrate: %d, %v", n, err)
	}
	applied, _, err := st.SchemaVersion(context.Background(), fsys)
	if err != nil || applied != 1 {
		t.Fatalf("schema version %d, %v", applied, err)
	}
	// The requests' limits still hold on the store's own connections.
	if err := st.DB().Exec("SELECT SLEEP(7)").Error; err == nil {
		t.Error("a request outlasted the 6 s read limit")
	}
}
