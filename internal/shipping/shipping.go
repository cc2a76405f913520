// Package shipping issues the slip a buyer sends a device with and takes the
// device in at the service center when its label is scanned. It joins the
// claim service, the pure slip renderer and the kept copies of slips.
package shipping

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"rma/internal/account"
	"rma/internal/center"
	"rma/internal/claim"
	"rma/internal/fault"
	"rma/internal/order"
	"rma/internal/slip"
)

// Store is what shipping needs from storage.
type Store interface {
	Order(ctx context.Context, number string) (order.Order, error)
	Center(ctx context.Context, code string) (center.Center, error)
	// SlipSource reads a claim with its order and center in one query
	// (fault.ErrNoRecord: no such claim).
	SlipSource(ctx context.Context, rma string) (claim.Claim, order.Order, center.Center, error)
	Slip(ctx context.Context, key string) ([]byte, error)
	PutSlip(ctx context.Context, key, claimID string, pdf []byte, now time.Time) error
}

// Service issues slips and receives devices.
type Service struct {
	claims   *claim.Service
	store    Store
	signer   slip.Signer
	renderer *slip.Renderer
	log      *slog.Logger
	cache    *keptCache
}

// NewService returns a shipping service.
func NewService(claims *claim.Service, store Store, signer slip.Signer, renderer *slip.Renderer, log *slog.Logger) *Service {
	return &Service{claims: claims, store: store, signer: signer, renderer: renderer, log: log, cache: newKeptCache(256)}
}

// Signer returns the label signer (the public page reads codes with it).
func (s *Service) Signer() slip.Signer { return s.signer }

// Slip returns the claim's slip in the format, in lang ("" for the buyer's
// language), and its file name. The first request renders it; later ones
// get the copy kept under a hash of everything printed on it, so a changed
// address gives a new slip and an unchanged one is never drawn twice.
func (s *Service) Slip(ctx context.Context, actor account.Actor, rma string, f slip.Format, lang string) ([]byte, string, error) {
	k, err := s.KeptSlip(ctx, actor, rma, f, lang, "")
	return k.PDF, k.Name, err
}

// Kept is a slip as served: its bytes (none when the client's copy is
// current), its file name and its entity tag.
type Kept struct {
	PDF  []byte
	Name string
	// ETag is the slip's strong entity tag, quoted: the hash everything
	// printed on it is kept under.
	ETag string
	// NotModified says the client's tag (ifNoneMatch) is the slip's own, so
	// PDF is empty.
	NotModified bool
}

// KeptSlip is Slip with the entity tag a client sent (If-None-Match, ""
// for none): a client whose copy is current gets NotModified and no bytes.
// It reads the claim with its order and center in one query; the bytes
// come from memory or the kept copy.
func (s *Service) KeptSlip(ctx context.Context, actor account.Actor, rma string, f slip.Format, lang, ifNoneMatch string) (Kept, error) {
	rma, ok := claim.NormalizeRMANumber(rma)
	if !ok {
		return Kept{}, claim.ErrNotFound
	}
	c, o, ctr, err := s.store.SlipSource(ctx, rma)
	if errors.Is(err, fault.ErrNoRecord) || err == nil && !claim.CanSee(actor, c) {
		return Kept{}, claim.ErrNotFound
	}
	if err != nil {
		return Kept{}, fmt.Errorf("slip: %w", err)
	}
	if !c.Status.SlipAvailable() {
		return Kept{}, fault.New(fault.Conflict, "slip_not_available")
	}
	if lang == "" {
		lang = c.Language
	}
	data := slip.Slip{RMANumber: c.RMANumber, URL: s.signer.URL(c.RMANumber), Code: s.signer.Code(c.RMANumber),
		Language: lang, Buyer: slip.Party{Name: o.BuyerName, Address: o.ShippingAddress},
		Center: slip.Party{Name: ctr.Name, Address: ctr.Address}, OrderNumber: o.Number, Product: o.ProductName,
		IMEI: c.IMEI, Coverage: string(c.Coverage), ShipBy: c.ShipBy, TimeZone: ctr.TimeZone}
	name := fmt.Sprintf("%s-%s.pdf", c.RMANumber, f)
	tag := `"` + cacheKey(data, f) + `"`
	if ifNoneMatch != "" && etagMatches(ifNoneMatch, tag) {
		return Kept{Name: name, ETag: tag, NotModified: true}, nil
	}
	pdf, _, err := s.kept(ctx, c.ID, data, f, name)
	return Kept{PDF: pdf, Name: name, ETag: tag}, err
}

// etagMatches reads an If-None-Match header: a list of tags, or "*".
func etagMatches(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == tag || t == "*" {
			return true
		}
	}
	return false
}

// ReturnLabel returns the label the center sends the device back with:
// addressed to the buyer, in the buyer's language, with the same signed
// code. The center's technicians and admins print it, from ready to ship.
func (s *Service) ReturnLabel(ctx context.Context, actor account.Actor, rma string, f slip.Format) ([]byte, string, error) {
	if actor.Role != account.Technician && actor.Role != account.Admin {
		return nil, "", claim.ErrNotFound
	}
	v, err := s.claims.Get(ctx, actor, rma)
	if err != nil {
		return nil, "", err
	}
	c := v.Claim
	if c.Status != claim.ReadyToShip && c.Status != claim.Shipped {
		return nil, "", fault.New(fault.Conflict, "return_label_not_available").With("Status", string(c.Status))
	}
	o, err := s.store.Order(ctx, c.OrderNumber)
	if err != nil {
		return nil, "", fmt.Errorf("return label: load order: %w", err)
	}
	device := c.IMEI
	if c.ReplacementIMEI != "" {
		device = c.ReplacementIMEI // what goes back is the replacement
	}
	data := slip.Slip{RMANumber: c.RMANumber, URL: s.signer.URL(c.RMANumber), Code: s.signer.Code(c.RMANumber),
		Language: c.Language, Buyer: slip.Party{Name: o.BuyerName, Address: o.ShippingAddress},
		Center: slip.Party{Name: v.Center.Name, Address: v.Center.Address}, OrderNumber: o.Number, Product: o.ProductName,
		IMEI: device, Coverage: string(c.Coverage), Return: true}
	return s.kept(ctx, c.ID, data, f, fmt.Sprintf("%s-return-%s.pdf", c.RMANumber, f))
}

// kept returns the kept copy of a slip, rendering and keeping it the first
// time.
func (s *Service) kept(ctx context.Context, claimID string, data slip.Slip, f slip.Format, name string) ([]byte, string, error) {
	key := cacheKey(data, f)
	if pdf, ok := s.cache.get(key); ok {
		return pdf, name, nil
	}
	if pdf, err := s.store.Slip(ctx, key); err == nil {
		s.cache.put(key, pdf)
		return pdf, name, nil
	} else if !errors.Is(err, fault.ErrNoRecord) {
		return nil, "", fmt.Errorf("slip: read kept copy: %w", err)
	}
	pdf, err := s.renderer.Render(data, f)
	if err != nil {
		return nil, "", err
	}
	if err := s.store.PutSlip(ctx, key, claimID, pdf, s.claims.Now()); err != nil {
		return nil, "", fmt.Errorf("slip: keep copy: %w", err)
	}
	s.cache.put(key, pdf)
	return pdf, name, nil
}

func cacheKey(d slip.Slip, f slip.Format) string {
	b, _ := json.Marshal(struct {
		V string
		F slip.Format
		D slip.Slip
	}{slip.Version, f, d})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ScanInput is what a scan station sends: the code it read (the QR text,
// the Code 128 text or a bare RMA number typed by hand) and what was read
// off the device itself.
type ScanInput struct {
	Code   string
	Device claim.Device
}

// Scan receives the device whose label code a technician scanned: the QR
// text (whole URL or bare code) or the Code 128 text, which carry the same
// signed code, or a bare RMA number together with the device's IMEI or
// serial number. A forged or unreadable label is not found and logged;
// another center's device is not found; a claim that may not be taken in
// says why. Scanning a received device again answers the same and writes
// nothing.
func (s *Service) Scan(ctx context.Context, actor account.Actor, in ScanInput) (claim.View, bool, error) {
	if actor.Role != account.Technician {
		return claim.View{}, false, fault.New(fault.Forbidden, "forbidden")
	}
	rma, bare := slip.BareRMA(in.Code)
	if bare && in.Device.Empty() {
		return claim.View{}, false, &fault.Error{Kind: fault.Invalid, Reason: "device_id_required",
			Fields: map[string]string{"imei": "device_id_required", "serial_number": "device_id_required"}}
	}
	if !bare {
		var problem slip.Problem
		if rma, problem = s.signer.Read(in.Code); problem != "" {
			s.log.Warn("label refused at intake", "log", "security", "event", "label_refused", "problem", string(problem),
				"technician", actor.UserID,
				"center", actor.CenterCode, "code", truncate(in.Code, 120))
			return claim.View{}, false, &fault.Error{Kind: fault.NotFound, Reason: string(problem),
				Fields: map[string]string{"code": string(problem)}}
		}
	}
	v, first, err := s.claims.ReceiveDevice(ctx, actor, rma, in.Device)
	var fe *fault.Error
	errors.As(err, &fe)
	switch {
	case err == nil:
		if first {
			s.log.Info("device received", "rma", rma, "technician", actor.UserID, "center", actor.CenterCode,
				"by", map[bool]string{true: "rma_and_device_id", false: "label"}[bare])
		}
		return v, first, nil
	case errors.Is(err, claim.ErrNotFound):
		// The label is ours, so the claim exists: it is routed elsewhere.
		s.log.Warn("label of another center scanned", "rma", rma, "technician", actor.UserID, "center", actor.CenterCode)
		return claim.View{}, false, &fault.Error{Kind: fault.NotFound, Reason: "label_other_center",
			Fields: map[string]string{"code": "label_other_center"}}
	case errors.Is(err, claim.ErrWrongState):
		st, _ := fe.Args["Status"].(string)
		reason := "claim_not_approved"
		switch claim.Status(st) {
		case claim.Rejected:
			reason = "claim_rejected_no_intake"
		case claim.Cancelled, claim.Expired, claim.Closed:
			reason = "claim_closed_no_intake"
		}
		return claim.View{}, false, fault.New(fault.Conflict, reason).With("Status", st)
	}
	return claim.View{}, false, err
}

// Product returns the product name of a claim's order, for the device card
// a scan station shows on receipt ("" when the order cannot be read).
func (s *Service) Product(ctx context.Context, orderNumber string) string {
	o, err := s.store.Order(ctx, orderNumber)
	if err != nil {
		return ""
	}
	return o.ProductName
}

// Public returns the claim a label code names, for the page a phone camera
// opens: the code itself proves the holder has the parcel's label.
func (s *Service) Public(ctx context.Context, code string) (claim.View, error) {
	rma, problem := s.signer.Read(code)
	if problem != "" {
		return claim.View{}, claim.ErrNotFound
	}
	return s.claims.Get(ctx, account.Actor{Role: claim.System}, rma)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
