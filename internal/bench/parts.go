package bench

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"rma/internal/account"
	"rma/internal/claim"
	"rma/internal/fault"
)

// Part is a part (or a replacement device) and a quantity: used on a
// claim, or kept in stock.
type Part struct {
	Number   string
	Name     string
	Quantity int
}

// Stock is how many of a part a center keeps, and the level at or below
// which it warns.
type Stock struct {
	Center  string
	Part    Part
	LowAt   int
	Low     bool // Quantity <= LowAt
	Stocked bool // false: the center keeps no stock of the part
}

// OutOfStock is a part the center has too few of.
type OutOfStock struct {
	Number string
	Left   int
}

func (e *OutOfStock) Error() string { return fmt.Sprintf("part %s: %d left", e.Number, e.Left) }

var partNumber = regexp.MustCompile(`^[A-Z0-9][A-Z0-9._/-]{0,47}$`)

// normalizeParts cleans parts as sent, or says what is wrong with them; a
// part named twice counts once with both quantities.
func normalizeParts(in []Part) ([]Part, error) {
	var out []Part
	for _, p := range in {
		p.Number = strings.ToUpper(strings.TrimSpace(p.Number))
		p.Name = strings.TrimSpace(p.Name)
		if !partNumber.MatchString(p.Number) || p.Quantity < 1 || p.Quantity > 100 || utf8.RuneCountInString(p.Name) > 120 {
			return nil, fault.Field("parts", "parts_invalid")
		}
		merged := false
		for i := range out {
			if out[i].Number == p.Number {
				out[i].Quantity += p.Quantity
				merged = true
			}
		}
		if !merged {
			out = append(out, p)
		}
	}
	if len(out) > 30 {
		return nil, fault.Field("parts", "parts_invalid")
	}
	return out, nil
}

// DiagnosisRequest is a technician's diagnosis with its codes and parts.
type DiagnosisRequest struct {
	claim.Diagnosis
	Codes []string
	Parts []Part
}

// Diagnose records the diagnosis codes and the parts used, takes the parts
// from the center's stock and then applies the decision. The parts are
// taken first, in one transaction that never lets a stock fall below zero;
// when the decision is then refused (wrong state, a bad field) they go back,
// so a refused diagnosis uses nothing. It returns the parts now low.
func (s *Service) Diagnose(ctx context.Context, actor account.Actor, rma string, r DiagnosisRequest) (claim.View, []Stock, error) {
	if actor.Role != account.Technician {
		return claim.View{}, nil, fault.New(fault.Forbidden, "action_forbidden")
	}
	codes, err := s.codes(r.Codes)
	if err != nil {
		return claim.View{}, nil, err
	}
	parts, err := normalizeParts(r.Parts)
	if err != nil {
		return claim.View{}, nil, err
	}
	if len(codes) == 0 && len(parts) == 0 {
		v, err := s.claims.Decide(ctx, actor, rma, r.Diagnosis)
		return v, nil, err
	}
	v, err := s.claims.Get(ctx, actor, rma)
	if err != nil {
		return claim.View{}, nil, err
	}
	c := v.Claim
	if c.Status != claim.Received && c.Status != claim.Diagnosing {
		// Let the claim service say why, without touching the stock.
		v, err := s.claims.Decide(ctx, actor, rma, r.Diagnosis)
		return v, nil, err
	}
	low, err := s.store.UseParts(ctx, c.ID, c.CenterCode, parts, codes, s.claims.Now())
	var oos *OutOfStock
	if errors.As(err, &oos) {
		return claim.View{}, nil, (&fault.Error{Kind: fault.Conflict, Reason: "part_out_of_stock",
			Fields: map[string]string{"parts": "part_out_of_stock"}}).With("Part", oos.Number).With("Left", oos.Left)
	}
	if errors.Is(err, fault.ErrDuplicate) { // another diagnosis of the claim got there first
		return claim.View{}, nil, fault.New(fault.Conflict, "claim_busy")
	}
	if err != nil {
		return claim.View{}, nil, fmt.Errorf("use parts: %w", err)
	}
	v, err = s.claims.Decide(ctx, actor, rma, r.Diagnosis)
	if err != nil {
		if rerr := s.store.ReleaseParts(context.WithoutCancel(ctx), c.ID, c.CenterCode, parts); rerr != nil {
			s.log.Error("parts of a refused diagnosis not given back", "rma", c.RMANumber, "err", rerr)
		}
		return claim.View{}, nil, err
	}
	for _, l := range low {
		s.log.Warn("parts stock low", "center", l.Center, "part", l.Part.Number, "left", l.Part.Quantity, "low_at", l.LowAt)
	}
	return v, low, nil
}

// Used returns the parts and diagnosis codes recorded for a claim.
func (s *Service) Used(ctx context.Context, claimID string) ([]Part, []string, error) {
	return s.store.PartsUsed(ctx, claimID)
}

// PutStock sets how many of a part a center keeps: admins for any center,
// technicians for their own.
func (s *Service) PutStock(ctx context.Context, actor account.Actor, st Stock) (Stock, error) {
	st.Center = strings.ToUpper(strings.TrimSpace(st.Center))
	if actor.Role != account.Admin && !(actor.Role == account.Technician && actor.CenterCode == st.Center) {
		return Stock{}, fault.New(fault.NotFound, "center_not_found")
	}
	parts, err := normalizeParts([]Part{{Number: st.Part.Number, Name: st.Part.Name, Quantity: 1}})
	if err != nil || st.Part.Quantity < 0 || st.Part.Quantity > 1_000_000 || st.LowAt < 0 || st.LowAt > 1_000_000 {
		return Stock{}, fault.Field("quantity", "stock_invalid")
	}
	st.Part.Number, st.Part.Name = parts[0].Number, parts[0].Name
	st.Low, st.Stocked = st.Part.Quantity <= st.LowAt, true
	if err := s.store.PutStock(ctx, st); err != nil {
		if errors.Is(err, fault.ErrNoRecord) {
			return Stock{}, fault.New(fault.NotFound, "center_not_found")
		}
		return Stock{}, fmt.Errorf("put stock: %w", err)
	}
	return st, nil
}

// Stock lists a center's stock: admins and reps see any center,
// technicians their own.
func (s *Service) Stock(ctx context.Context, actor account.Actor, center string) ([]Stock, error) {
	center = strings.ToUpper(strings.TrimSpace(center))
	if actor.Role == account.Buyer || actor.Role == account.Technician && actor.CenterCode != center {
		return nil, fault.New(fault.NotFound, "center_not_found")
	}
	list, err := s.store.Stock(ctx, center)
	if err != nil {
		return nil, fmt.Errorf("stock: %w", err)
	}
	return list, nil
}

// LowStock returns the parts a claim used that its center now keeps at or
// below their warning level: what the technician is warned of after a
// diagnosis. Staff who may see the center's stock see it; anyone else gets
// nothing.
func (s *Service) LowStock(ctx context.Context, actor account.Actor, c claim.Claim) ([]Stock, error) {
	if actor.Role != account.Technician && actor.Role != account.Admin && actor.Role != account.Rep {
		return nil, nil
	}
	used, _, err := s.store.PartsUsed(ctx, c.ID)
	if err != nil || len(used) == 0 {
		return nil, err
	}
	stock, err := s.Stock(ctx, actor, c.CenterCode)
	if err != nil {
		return nil, err
	}
	var low []Stock
	for _, st := range stock {
		if !st.Low {
			continue
		}
		for _, p := range used {
			if p.Number == st.Part.Number {
				low = append(low, st)
				break
			}
		}
	}
	return low, nil
}
