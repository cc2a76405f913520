package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"rma/internal/coverage"
	"rma/internal/order"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

// TestSQLiteWritersQueue: two transactions that read and then write begin
// at once; both succeed, the second waiting for the first. With deferred
// transactions (the driver ignored _txlock when _time_format was given)
// the one whose snapshot went stale failed with "database is locked (517)".
func TestSQLiteWritersQueue(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	db := st.DB()
	if err := db.Exec("CREATE TABLE counter (n INT NOT NULL)").Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("INSERT INTO counter (n) VALUES (0)").Error; err != nil {
		t.Fatal(err)
	}
	bothRead := make(chan struct{})
	var once sync.Once
	var reads sync.WaitGroup
	reads.Add(2)
	go func() { reads.Wait(); once.Do(func() { close(bothRead) }) }()
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Transaction(func(tx *gorm.DB) error {
				var n int
				if err := tx.Raw("SELECT n FROM counter").Scan(&n).Error; err != nil {
					return err
				}
				reads.Done()
				// Deferred transactions both get here and then collide; an
				// immediate one holds the write lock, so the other waits in
				// BEGIN and never reads until this one commits.
				select {
				case <-bothRead:
				case <-time.After(time.Second):
				}
				return tx.Exec("UPDATE counter SET n = ?", n+1).Error
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	var n int
	db.Raw("SELECT n FROM counter").Scan(&n)
	if n != 2 {
		t.Errorf("counter %d, want 2 (a lost update)", n)
	}
}

// TestConcurrentUpsertsOfOneNewOrder: 100 writers put the same new order at
// once; every one succeeds and one row exists. (Before, on MariaDB: 22 of
// 100 failed with a duplicate key.)
func TestConcurrentUpsertsOfOneNewOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make([]error, 100)
		created := make([]bool, 100)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				created[i], errs[i] = st.PutOrder(ctx, sampleOrder("ORD-RACE"), time.Now())
			}()
		}
		wg.Wait()
		failed, made := 0, 0
		for i, err := range errs {
			if err != nil {
				failed++
				t.Logf("writer %d: %v", i, err)
			}
			if created[i] {
				made++
			}
		}
		var rows int64
		st.DB().Table("orders").Where("number = ?", "ORD-RACE").Count(&rows)
		if failed != 0 || rows != 1 || made != 1 {
			t.Errorf("%d of 100 failed, %d rows, %d said created", failed, rows, made)
		}
	})
}

func sampleOrder(number string) order.Order {
	done := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	return order.Order{Number: number, BuyerEmail: "race@example.com", BuyerName: "Race", ShippingAddress: []string{"Street 1"},
		CompletedAt: &done, Country: "DE", ProductName: "Phone", Category: "phone",
		Coverages: []coverage.Kind{coverage.ExtendedWarranty}}
}
