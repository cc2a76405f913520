package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"rma/internal/webhook"
)

// TestClaimStepsReachTheWebhooks: an endpoint subscribed to claim.updated
// gets each step of a claim, signed, from the outbox written with the
// step: filed, then approved; an endpoint that wants refunds only gets
// none of them.
func TestClaimStepsReachTheWebhooks(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		var mu sync.Mutex
		got := map[string][]webhook.Event{}
		hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			if err := webhook.Verify(r.Header.Get("RMA-Signature"), "marketplace-secret-1", body, h.clock.Now(), time.Minute); err != nil {
				t.Errorf("signature: %v", err)
			}
			var e webhook.Event
			json.Unmarshal(body, &e)
			mu.Lock()
			got[r.URL.Path] = append(got[r.URL.Path], e)
			mu.Unlock()
		}))
		defer hook.Close()
		h.must(h.do("PUT", "/api/v1/webhooks/claims", "admin", map[string]any{"url": hook.URL + "/claims",
			"secret": "marketplace-secret-1", "events": []string{"claim.updated"}}), 200)
		h.must(h.do("PUT", "/api/v1/webhooks/refunds", "admin", map[string]any{"url": hook.URL + "/refunds",
			"secret": "marketplace-secret-1", "events": []string{"refund.created"}}), 200)
		rma := h.approved()
		if _, err := h.app.Runner.Sweep(context.Background()); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		claims := got["/claims"]
		if len(claims) != 2 || len(got["/refunds"]) != 0 {
			t.Fatalf("deliveries %v", got)
		}
		steps := map[any]int{}
		for _, e := range claims {
			data, _ := e.Data.(map[string]any)
			if e.Type != "claim.updated" || data["rma_number"] != rma || e.ID == "" {
				t.Errorf("event %+v", e)
			}
			steps[data["status"]]++
		}
		if steps["submitted"] != 1 || steps["approved"] != 1 {
			t.Errorf("steps %v", steps)
		}
	})
}
