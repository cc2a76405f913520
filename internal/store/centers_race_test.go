package store_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"rma/internal/center"
	"rma/internal/store"
	"rma/internal/store/storetest"
)

// TestACountryTakenAfterTheCheckIsStillTaken: when another center takes a
// country between the check that it is free and the insert (here: right
// after the check's query), the insert's duplicate is answered
// ErrCountryTaken and the center is not written.
func TestACountryTakenAfterTheCheckIsStillTaken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		if _, err := st.PutCenter(ctx, center.Center{Code: "VIE", Name: "Wien", Country: "AT", TimeZone: "Europe/Vienna",
			Address: []string{"Ring 1"}}, now); err != nil {
			t.Fatal(err)
		}
		var once atomic.Bool
		name := "test:country_taken_after_check"
		if err := st.DB().Callback().Query().After("gorm:query").Register(name, func(db *gorm.DB) {
			if db.Statement.Table == "center_countries" && db.Error == nil && once.CompareAndSwap(false, true) {
				if err := db.Session(&gorm.Session{NewDB: true}).
					Exec("INSERT INTO center_countries (country, center_code) VALUES ('AT', 'VIE')").Error; err != nil {
					t.Error(err)
				}
			}
		}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.DB().Callback().Query().Remove(name) })
		_, err := st.PutCenter(ctx, center.Center{Code: "GRZ", Name: "Graz", Country: "AT", TimeZone: "Europe/Vienna",
			Address: []string{"Platz 1"}, Serves: []string{"AT"}}, now)
		if !errors.Is(err, store.ErrCountryTaken) {
			t.Fatalf("put after the country was taken: %v, want ErrCountryTaken", err)
		}
		if !once.Load() {
			t.Fatal("the check's query was not seen")
		}
		var n int64
		if err := st.DB().Table("centers").Where("code = ?", "GRZ").Count(&n).Error; err != nil || n != 0 {
			t.Errorf("the refused center was written: %d rows, %v", n, err)
		}
	})
}
