package web_test

import (
	"context"
	"testing"
)

// TestKeptSlipRevalidates: a slip comes with a strong ETag; the same tag
// back gets 304 with no body, after the same ownership check (another
// buyer with the tag is not found); a changed address is a new slip with a
// new tag.
func TestKeptSlipRevalidates(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		rma := h.approved()
		path := "/api/v1/claims/" + rma + "/slip.pdf?format=a4"
		first := h.must(h.do("GET", path, "buyer", nil), 200)
		tag := first.Header.Get("ETag")
		if len(tag) < 10 || tag[0] != '"' {
			t.Fatalf("ETag %q", tag)
		}
		r := h.must(h.do("GET", path, "buyer", nil, "If-None-Match", tag), 304)
		if len(r.Raw) != 0 || r.Header.Get("ETag") != tag {
			t.Errorf("304 with %d bytes, tag %q", len(r.Raw), r.Header.Get("ETag"))
		}
		h.must(h.do("GET", path, "buyer", nil, "If-None-Match", `W/"other", `+tag), 304)
		if r := h.must(h.do("GET", path, "buyer", nil, "If-None-Match", `"stale"`), 200); string(r.Raw) != string(first.Raw) {
			t.Error("a stale tag gets other bytes")
		}
		h.must(h.do("GET", path, "other", nil, "If-None-Match", tag), 404)
		// The tag alone opens nothing: no token is 401, a technician of
		// another center finds no such claim, the claim's own center's
		// technician revalidates.
		h.must(h.do("GET", path, "", nil, "If-None-Match", tag), 401)
		h.must(h.do("GET", path, "tech.mad", nil, "If-None-Match", tag), 404)
		h.must(h.do("GET", path, "tech", nil, "If-None-Match", tag), 304)
		h.must(h.do("GET", "/api/v1/claims/"+rma+"/slip.pdf?format=label", "buyer", nil, "If-None-Match", tag), 200)

		// The buyer moves: the order's new address is a new slip.
		var number string
		h.st.DB().Raw("SELECT order_number FROM claims WHERE rma_number = ?", rma).Scan(&number)
		o, err := h.st.Order(context.Background(), number)
		if err != nil {
			t.Fatal(err)
		}
		o.ShippingAddress = []string{"New Street 9", "Town"}
		if _, _, err := h.app.Orders.Put(context.Background(), o); err != nil {
			t.Fatal(err)
		}
		moved := h.must(h.do("GET", path, "buyer", nil, "If-None-Match", tag), 200)
		if moved.Header.Get("ETag") == tag || string(moved.Raw) == string(first.Raw) {
			t.Error("the new address kept the old slip")
		}
		movedTag := moved.Header.Get("ETag")
		h.must(h.do("GET", path, "buyer", nil, "If-None-Match", movedTag), 304)

		// The center moves: the address the parcel goes to is a new slip.
		ctr, err := h.st.Center(context.Background(), "BER")
		if err != nil {
			t.Fatal(err)
		}
		ctr.Address = []string{"Neue Allee 1", "10115 Berlin"}
		if _, _, err := h.app.Centers.Put(context.Background(), ctr); err != nil {
			t.Fatal(err)
		}
		recentered := h.must(h.do("GET", path, "buyer", nil, "If-None-Match", movedTag), 200)
		if got := recentered.Header.Get("ETag"); got == movedTag || got == tag || string(recentered.Raw) == string(moved.Raw) {
			t.Error("the center's new address kept the old slip")
		}
	})
}
