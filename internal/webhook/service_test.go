package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"rma/internal/money"
	"rma/internal/order"
	"rma/internal/refund"
	"rma/internal/seller"
	"rma/internal/store"
	"rma/internal/store/storetest"
	"rma/internal/webhook"
)

const secret = "a-receiver-secret-2026"

// receiver is a marketplace on 127.0.0.1 that verifies every signature and
// fails its first `fail` requests with 500.
type receiver struct {
	mu       sync.Mutex
	fail     int
	ids      []string
	verified int
	now      func() time.Time
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if err := webhook.Verify(r.Header.Get(webhook.SignatureHeader), secret, body, rc.now(), 5*time.Minute); err == nil {
		rc.verified++
	}
	var ev struct{ ID, Type string }
	_ = json.Unmarshal(body, &ev)
	rc.ids = append(rc.ids, ev.ID)
	if rc.fail > 0 {
		rc.fail--
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type world struct {
	st  *store.Store
	svc *webhook.Service
	now time.Time
	rc  *receiver
	ord *order.Service
}

func newWorld(t *testing.T, st *store.Store, fail int) *world {
	ctx := context.Background()
	w := &world{st: st, now: time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return w.now }
	w.rc = &receiver{fail: fail, now: clock}
	srv := httptest.NewServer(w.rc)
	t.Cleanup(srv.Close)
	w.svc = webhook.NewService(st, srv.Client(), clock)
	if _, err := w.svc.Put(ctx, webhook.Endpoint{Name: "marketplace", URL: srv.URL + "/hooks", Secret: secret,
		Events: []string{"refund.created"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutSeller(ctx, seller.Seller{Code: "SHOP", Name: "Shop", Email: "s@example.com", Language: "en",
		ReturnAddress: []string{"a"}}, w.now); err != nil {
		t.Fatal(err)
	}
	w.ord = order.NewService(st, refund.LatePolicy{Percent: 10}, clock)
	return w
}

// lateOrder is imported delivered late: its compensation is the refund
// event the receiver must get.
func (w *world) lateOrder(t *testing.T) {
	promised := w.now.Add(-72 * time.Hour)
	delivered := w.now.Add(-24 * time.Hour)
	if _, _, err := w.ord.Put(context.Background(), order.Order{Number: "O-1", BuyerEmail: "b@example.com", BuyerName: "B",
		ShippingAddress: []string{"a"}, Country: "DE", ProductName: "P", Category: "lamp", SellerCode: "SHOP",
		Price: money.Money{Minor: 10000, Currency: "EUR"}, PromisedDeliveryAt: &promised, DeliveredAt: &delivered}); err != nil {
		t.Fatal(err)
	}
}

// TestRetriedUntilDeliveredWithOneEventID: a receiver that fails three
// times gets the event once per attempt, each signed and with the same id,
// and the fourth attempt delivers it.
func TestRetriedUntilDeliveredWithOneEventID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st, 3)
		ctx := context.Background()
		w.lateOrder(t)
		w.lateOrder(t) // re-imported: still one refund, one event
		for i := range 6 {
			if _, err := w.svc.DeliverDue(ctx); err != nil {
				t.Fatal(err)
			}
			w.now = w.now.Add(webhook.Backoff(i + 1))
		}
		if len(w.rc.ids) != 4 || w.rc.verified != 4 {
			t.Fatalf("%d attempts, %d verified", len(w.rc.ids), w.rc.verified)
		}
		for _, id := range w.rc.ids {
			if id == "" || id != w.rc.ids[0] {
				t.Fatalf("event ids %v", w.rc.ids)
			}
		}
		ds, err := w.svc.List(ctx, "", 10)
		if err != nil || len(ds) != 1 || ds[0].Status != webhook.Delivered || ds[0].Attempts != 4 {
			t.Fatalf("deliveries %+v %v", ds, err)
		}
	})
}

// TestDeadAfterADayThenReplayed: a receiver that keeps failing makes the
// delivery dead after 24 hours; a replay delivers the same event.
func TestDeadAfterADayThenReplayed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st, 1000)
		ctx := context.Background()
		w.lateOrder(t)
		for range 40 {
			if _, err := w.svc.DeliverDue(ctx); err != nil {
				t.Fatal(err)
			}
			w.now = w.now.Add(time.Hour)
		}
		dead, err := w.svc.List(ctx, webhook.Dead, 10)
		if err != nil || len(dead) != 1 {
			t.Fatalf("dead %+v %v", dead, err)
		}
		attempts := len(w.rc.ids)
		w.rc.fail = 0
		if _, err := w.svc.Replay(ctx, dead[0].ID); err != nil {
			t.Fatal(err)
		}
		if n, err := w.svc.DeliverDue(ctx); err != nil || n != 1 {
			t.Fatalf("replay delivered %d: %v", n, err)
		}
		if len(w.rc.ids) != attempts+1 || w.rc.ids[attempts] != w.rc.ids[0] {
			t.Fatalf("replayed event ids %v", w.rc.ids)
		}
		if _, err := w.svc.Replay(ctx, "01JNOSUCHDELIVERY000000000"); !errors.Is(err, webhook.ErrNotFound) {
			t.Fatalf("unknown delivery: %v", err)
		}
	})
}

// TestTamperedBodyFailsVerification: the signature covers the exact body
// and the time.
func TestTamperedBodyFailsVerification(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"id":"1","type":"refund.created","data":{"amount":"12.30"}}`)
	h := webhook.Sign(secret, now, body)
	if err := webhook.Verify(h, secret, body, now, time.Minute); err != nil {
		t.Fatalf("genuine: %v", err)
	}
	tampered := []byte(`{"id":"1","type":"refund.created","data":{"amount":"99.30"}}`)
	for name, err := range map[string]error{
		"tampered body": webhook.Verify(h, secret, tampered, now, time.Minute),
		"wrong secret":  webhook.Verify(h, "another-secret-entirely", body, now, time.Minute),
		"replayed late": webhook.Verify(h, secret, body, now.Add(time.Hour), time.Minute),
		"malformed":     webhook.Verify("v1=abc", secret, body, now, time.Minute),
	} {
		if !errors.Is(err, webhook.ErrBadSignature) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
