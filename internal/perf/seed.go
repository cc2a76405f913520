package perf

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/oklog/ulid/v2"
	"gorm.io/gorm"

	"rma/internal/claim"
	"rma/internal/imei"
)

// template is one claim made by the real services, with every row that
// belongs to it: the seeder copies it, so that seeded claims have exactly
// the events, promises and jobs real claims of that state have.
type template struct {
	order    map[string]any
	claim    map[string]any
	events   []map[string]any
	promises []map[string]any
	jobs     []map[string]any
}

// templates files claims in four states through the services: submitted,
// waiting on a question, approved, received.
func (e *Env) templates(ctx context.Context) ([]template, error) {
	var rmas []string
	for _, approve := range []bool{false, true} {
		rma, err := e.NewClaim(ctx, approve)
		if err != nil {
			return nil, err
		}
		rmas = append(rmas, rma)
	}
	asked, err := readClaim(ctx, e)
	if err != nil {
		return nil, err
	}
	received, err := e.NewClaim(ctx, true)
	if err != nil {
		return nil, err
	}
	if _, _, err := e.App.Claims.Receive(ctx, e.Users["tech"].Actor(), received, ""); err != nil {
		return nil, err
	}
	rmas = append(rmas, asked, received)
	db := e.Store.DB().WithContext(ctx)
	out := make([]template, len(rmas))
	for i, rma := range rmas {
		t := &out[i]
		var cs []map[string]any
		if err := db.Table("claims").Where("rma_number = ?", rma).Find(&cs).Error; err != nil || len(cs) != 1 {
			return nil, fmt.Errorf("template %s: %v", rma, err)
		}
		t.claim = cs[0]
		var os []map[string]any
		if err := db.Table("orders").Where("number = ?", t.claim["order_number"]).Find(&os).Error; err != nil || len(os) != 1 {
			return nil, fmt.Errorf("template order %s: %v", rma, err)
		}
		t.order = os[0]
		id := t.claim["id"]
		for _, part := range []struct {
			table string
			into  *[]map[string]any
		}{{"claim_events", &t.events}, {"promises", &t.promises}, {"jobs", &t.jobs}} {
			if err := db.Table(part.table).Where("claim_id = ?", id).Order("id").Find(part.into).Error; err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// Seed adds n claims, copies of claims the services made, in batched
// inserts: each with its own order, RMA number, device, events, promises
// and jobs, filed over the last 30 days. It returns how many it wrote.
func (e *Env) Seed(ctx context.Context, n int, progress io.Writer) (int, error) {
	ts, err := e.templates(ctx)
	if err != nil {
		return 0, err
	}
	const batch = 1000
	seen := map[string]bool{}
	var rows struct{ orders, claims, events, promises, jobs []map[string]any }
	flush := func() error {
		err := e.Store.DB().WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			for _, p := range []struct {
				table string
				rows  []map[string]any
			}{{"orders", rows.orders}, {"claims", rows.claims}, {"claim_events", rows.events}, {"promises", rows.promises}, {"jobs", rows.jobs}} {
				if len(p.rows) == 0 {
					continue
				}
				if err := tx.Table(p.table).CreateInBatches(p.rows, 200).Error; err != nil {
					return fmt.Errorf("seed %s: %w", p.table, err)
				}
			}
			return nil
		})
		rows.orders, rows.claims, rows.events, rows.promises, rows.jobs = nil, nil, nil, nil, nil
		return err
	}
	start := time.Now()
	for i := range n {
		e.seeded++
		k := e.seeded
		t := ts[k%len(ts)]
		shift := -time.Duration(k%(30*24*60)) * time.Minute
		rma := claim.NewRMANumber()
		for seen[rma] {
			rma = claim.NewRMANumber()
		}
		seen[rma] = true
		number := fmt.Sprintf("ORD-S%08d", k)
		device := imei.WithCheckDigit(fmt.Sprintf("86%012d", k))
		claimID := ulid.Make().String()
		o := shifted(t.order, shift)
		o["number"], o["imei"] = number, device
		rows.orders = append(rows.orders, o)
		c := shifted(t.claim, shift)
		c["id"], c["rma_number"], c["order_number"], c["imei"] = claimID, rma, number, device
		if c["open_imei"] != nil {
			c["open_imei"] = device
		}
		rows.claims = append(rows.claims, c)
		events := map[any]string{}
		for _, ev := range t.events {
			r := shifted(ev, shift)
			r["id"], r["claim_id"] = ulid.Make().String(), claimID
			events[ev["id"]] = r["id"].(string)
			rows.events = append(rows.events, r)
		}
		for _, p := range t.promises {
			r := shifted(p, shift)
			r["id"], r["claim_id"] = ulid.Make().String(), claimID
			rows.promises = append(rows.promises, r)
		}
		for _, j := range t.jobs {
			r := shifted(j, shift)
			r["id"], r["claim_id"] = ulid.Make().String(), claimID
			if j["event_id"] != nil {
				r["event_id"] = events[j["event_id"]]
			}
			rows.jobs = append(rows.jobs, r)
		}
		if len(rows.claims) == batch || i == n-1 {
			if err := flush(); err != nil {
				return i + 1 - len(rows.claims), err
			}
			if progress != nil && (i+1)%50000 == 0 {
				fmt.Fprintf(progress, "  seeded %d claims (%.0f/s)\n", i+1, float64(i+1)/time.Since(start).Seconds())
			}
		}
	}
	// The batches wrote claims around the store, which keeps the counts.
	return n, e.Store.RebuildClaimCounts(ctx)
}

// shifted copies a row with every time in it moved by d.
func shifted(row map[string]any, d time.Duration) map[string]any {
	out := make(map[string]any, len(row))
	for k, v := range row {
		switch t := v.(type) {
		case time.Time:
			out[k] = t.Add(d)
		case *time.Time:
			if t != nil {
				out[k] = t.Add(d)
			} else {
				out[k] = nil
			}
		default:
			out[k] = v
		}
	}
	return out
}
